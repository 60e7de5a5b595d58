"""One family of errors; each knows its process exit code and HTTP status."""

from __future__ import annotations


class ConfgraphError(Exception):
    """Base of every error confgraph reports to a user instead of a traceback."""

    exit_code = 1
    http_status = 500


class DataError(ConfgraphError):
    """A programme or reference file is malformed; names the file and line."""

    exit_code = 2
    http_status = 400

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type, tuple[str, int | None, str]]:
        """Pickle by the constructor's arguments (errors come back from worker processes)."""
        return type(self), (self.path, self.line, self.message)


def data_warning(path: str, line: int | None, message: str) -> str:
    """Return a warning about a data file as one line: file, line, message (never raised)."""
    where = f"{path}:{line}" if line else path
    return f"{where}: warning: {message}"


class DataErrors(DataError):
    """Several data files are malformed: a count, then one error per line; the first's place."""

    def __init__(self, errors: tuple[DataError, ...]) -> None:
        first = errors[0]
        super().__init__(first.path, first.line, first.message)
        self.errors = errors
        heading = f"{len(errors)} errors in {len({error.path for error in errors})} file(s):"
        self.args = ("\n".join([heading, *(str(error) for error in errors)]),)

    def __reduce__(self) -> tuple[type, tuple[tuple[DataError, ...]]]:  # type: ignore[override]
        """Pickle by the list of errors."""
        return type(self), (self.errors,)


class ValidationFailed(ConfgraphError):
    """The built graph does not conform to the shapes; carries the report text."""

    exit_code = 3
    http_status = 500

    def __init__(self, report_text: str) -> None:
        self.report_text = report_text
        super().__init__(report_text)


class ReleaseError(ConfgraphError):
    """A release directory is missing or incomplete."""

    exit_code = 4
    http_status = 500


class QuerySyntaxError(ConfgraphError):
    """A SPARQL query does not parse; carries the parser's message."""

    exit_code = 5
    http_status = 400


class QueryRefused(ConfgraphError):
    """A query or request asks for what a read-only, offline endpoint never does."""

    exit_code = 5
    http_status = 400


class ResultTooLarge(ConfgraphError):
    """A query's result has more rows or triples than the row limit allows."""

    exit_code = 5
    http_status = 400


class QueryTimeout(ConfgraphError):
    """A query ran past the time limit and its worker was stopped."""

    exit_code = 5
    http_status = 503


class EndpointBusy(ConfgraphError):
    """Every query worker stayed busy for longer than the time limit."""

    exit_code = 5
    http_status = 503


class RequestError(ConfgraphError):
    """A request breaks the SPARQL protocol or a route's parameters."""

    http_status = 400


class UnsupportedMediaType(RequestError):
    """A request body comes in a media type or charset the route does not read."""

    http_status = 415


class NotAcceptable(RequestError):
    """No format the route offers meets the request's Accept header."""

    http_status = 406


class ResourceNotFound(RequestError):
    """An address names nothing the dataset describes."""

    http_status = 404


class QueryTooComplex(ConfgraphError):
    """A query passes a limit on its shape (nesting depth, length)."""

    exit_code = 5
    http_status = 400


class RequestTooLarge(RequestError):
    """A request body is larger than the server reads."""

    http_status = 413


class HeaderTooLarge(RequestError):
    """A request header is longer than the server reads."""

    http_status = 431
