"""The one SPARQL client of confgraph: SPARQLWrapper with timeouts, retries, back-off, a cache."""

from __future__ import annotations

import hashlib
import json
import os
import time
import urllib.error
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, SPARQLWrapperException

from confgraph import __version__
from confgraph.errors import ConfgraphError

USER_AGENT = (
    f"confgraph/{__version__} (linked-data publisher of meeting programmes; "
    "reconciles countries and organisations; https://w3id.org/confgraph) SPARQLWrapper"
)
# Statuses worth another try: rate limits and a busy or restarting server.
RETRY_STATUSES = frozenset((429, 500, 502, 503, 504))
Row = dict[str, str]


class EndpointError(ConfgraphError):
    """The endpoint failed or did not answer in time; nothing was written."""

    exit_code = 6


@dataclass(frozen=True)
class ClientSettings:
    """How the client talks to an endpoint."""

    endpoint: str
    timeout: float = 60.0
    retries: int = 3
    backoff: float = 2.0  # seconds before the first retry; doubled before each further one
    user_agent: str = USER_AGENT
    cache_dir: Path | None = None


class SparqlClient:
    """Run SELECT queries against one endpoint; answers are cached by endpoint and query."""

    def __init__(self, settings: ClientSettings, sleep: Callable[[float], None] = time.sleep):
        self.settings = settings
        self.sleep = sleep
        self.asked = 0  # queries sent to the endpoint (not answered from the cache)

    def select(self, query: str) -> list[Row]:
        """Return the rows of a SELECT query as {variable: value} (IRIs and literals as text)."""
        cached = self._cached(query)
        if cached is not None:
            return cached
        rows = self._with_retries(query)
        self._store(query, rows)
        return rows

    def _with_retries(self, query: str) -> list[Row]:
        delay = self.settings.backoff
        for attempt in range(self.settings.retries + 1):
            try:
                return self._ask(query)
            except _Retryable as error:
                if attempt == self.settings.retries:
                    message = f"{self.settings.endpoint}: {error} ({attempt + 1} tries)"
                    raise EndpointError(message) from error
                self.sleep(max(delay, error.retry_after))
                delay *= 2
        raise AssertionError("unreachable")

    def _ask(self, query: str) -> list[Row]:
        wrapper = SPARQLWrapper(self.settings.endpoint, agent=self.settings.user_agent)
        wrapper.setMethod(POST)
        wrapper.setReturnFormat(JSON)
        wrapper.setTimeout(int(max(1, self.settings.timeout)))
        wrapper.setQuery(query)
        self.asked += 1
        try:
            answer = wrapper.queryAndConvert()
        except urllib.error.HTTPError as error:
            if error.code in RETRY_STATUSES:
                raise _Retryable(f"HTTP {error.code}", _retry_after(error)) from error
            message = f"{self.settings.endpoint}: HTTP {error.code} {error.reason}"
            raise EndpointError(message) from error
        except TimeoutError as error:
            raise _Retryable(f"no answer within {self.settings.timeout:g} s") from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise _Retryable(f"no answer within {self.settings.timeout:g} s") from error
            raise _Retryable(f"cannot connect: {error.reason}") from error
        except EndPointInternalError as error:  # SPARQLWrapper's name for HTTP 500
            raise _Retryable("HTTP 500 (the endpoint's internal error)") from error
        except SPARQLWrapperException as error:
            raise EndpointError(f"{self.settings.endpoint}: {error.msg}") from error
        except ValueError as error:  # not JSON
            raise EndpointError(f"{self.settings.endpoint}: not a SPARQL JSON result") from error
        return _rows(answer, self.settings.endpoint)

    def _cache_path(self, query: str) -> Path | None:
        if self.settings.cache_dir is None:
            return None
        key = hashlib.sha256(f"{self.settings.endpoint}\n{query}".encode()).hexdigest()
        return self.settings.cache_dir / f"{key}.json"

    def _cached(self, query: str) -> list[Row] | None:
        path = self._cache_path(query)
        try:
            return json.loads(path.read_text("utf-8")) if path else None
        except (OSError, ValueError):
            return None  # no entry, or one half-written: ask again

    def _store(self, query: str, rows: list[Row]) -> None:
        path = self._cache_path(query)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(rows, sort_keys=True), "utf-8")
        os.replace(temporary, path)


class _Retryable(Exception):
    def __init__(self, message: str, retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _retry_after(error: urllib.error.HTTPError) -> float:
    try:
        return min(float(error.headers.get("Retry-After", 0)), 300.0)
    except (TypeError, ValueError):
        return 0.0


def _rows(answer: object, endpoint: str) -> list[Row]:
    try:
        bindings = answer["results"]["bindings"]  # type: ignore[index]
        return [{name: value["value"] for name, value in row.items()} for row in bindings]
    except (TypeError, KeyError) as error:
        raise EndpointError(f"{endpoint}: not a SPARQL JSON result of a SELECT query") from error
