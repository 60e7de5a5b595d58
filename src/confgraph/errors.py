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
