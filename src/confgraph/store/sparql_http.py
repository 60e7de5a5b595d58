"""The SPARQL 1.1 Protocol and Graph Store Protocol over plain HTTP, under a deadline.

http.client rather than SPARQLWrapper: every read is bounded by what is left of the
request's time limit (a slow or stalled engine cannot hold a request past it, and the
request is abandoned by closing its connection), a result is read as a stream and
dropped as soon as it passes the row limit, and the status and headers of an engine's
errors are read as they come. Credentials come from the environment only and are never
written to a message or log.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
import secrets
import socket
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit
from urllib.request import parse_http_list, parse_keqv_list

from confgraph.errors import ConfgraphError, EngineUnavailable, QueryTimeout, QueryTooComplex

USER_VARIABLE, PASSWORD_VARIABLE = "CONFGRAPH_SPARQL_USER", "CONFGRAPH_SPARQL_PASSWORD"
MESSAGE_BYTES = 2000


class EngineRefused(ConfgraphError):
    """The engine answered a request with a 4xx status: the request, not the engine, failed."""

    exit_code = 5
    http_status = 400


@dataclass(frozen=True)
class Endpoint:
    """One HTTP address of an engine (query, update or graph store) and how to reach it."""

    url: str
    timeout: float = 10.0
    headers: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    credentials: tuple[str, str] | None = field(default=None, compare=False, repr=False)
    # The engine's last authentication challenge, answered before it is asked again: an
    # engine that refuses a request before reading its body would break the upload.
    challenge: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def at(cls, url: str, timeout: float) -> Endpoint:
        """Return an endpoint, its credentials (if any) read from the environment."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfgraphError(f"{url!r} is no http:// or https:// address of a SPARQL engine")
        if parts.username or parts.password:
            raise ConfgraphError(
                f"the address of the SPARQL engine holds credentials: give them in "
                f"{USER_VARIABLE} and {PASSWORD_VARIABLE} instead"
            )
        user, password = os.environ.get(USER_VARIABLE), os.environ.get(PASSWORD_VARIABLE)
        credentials = (user, password or "") if user else None
        return cls(url, timeout, {"User-Agent": "confgraph"}, credentials)

    def request(
        self,
        method: str,
        body: bytes | None,
        headers: dict[str, str],
        params: list[tuple[str, str]] | None = None,
        timeout: float | None = None,
    ) -> Reply:
        """Send one request; answer one Basic or Digest challenge (Virtuoso's); return the reply.

        Credentials are sent only to an engine that asks for them.
        """
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        parts = urlsplit(self.url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if params:
            path += ("&" if parts.query else "?") + urlencode(params)
        sent = {**self.headers, **headers}
        if self.credentials is None:
            return self._send(method, path, body, sent, deadline)
        for attempt in (1, 2):
            if not self.challenge:
                self._learn_challenge(path, deadline)
            try:
                reply = self._send(
                    method, path, body, {**sent, **self._answer(method, path)}, deadline
                )
            except EngineUnavailable:  # refused before the body was read: a stale challenge
                if attempt == 2:
                    raise
                self.challenge.clear()
                continue
            if reply.status != 401 or attempt == 2:
                return reply
            self.challenge.update(header=reply.header("WWW-Authenticate"), count=0)
            reply.close()
        raise AssertionError("unreachable")

    def _learn_challenge(self, path: str, deadline: float) -> None:
        """Ask the engine (HEAD, no body) which authentication it wants, if any."""
        with self._send("HEAD", path.split("?")[0], None, dict(self.headers), deadline) as reply:
            header = reply.header("WWW-Authenticate") if reply.status == 401 else ""
        self.challenge.update(header=header, count=0)

    def _answer(self, method: str, path: str) -> dict[str, str]:
        """Return the Authorization header for the engine's last challenge (none if none)."""
        header = self.challenge.get("header", "")
        assert self.credentials is not None
        if header.startswith("Digest "):
            self.challenge["count"] += 1
            return digest_answer(header, method, path, *self.credentials, self.challenge["count"])
        if header.startswith("Basic"):
            token = base64.b64encode(":".join(self.credentials).encode()).decode()
            return {"Authorization": f"Basic {token}"}
        return {}

    def _send(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str], deadline: float
    ) -> Reply:
        parts = urlsplit(self.url)
        kind = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        conn = kind(parts.hostname or "", parts.port, timeout=_left(deadline, self))
        try:
            conn.request(method, path, body=body, headers=headers)
            _bound(conn, deadline, self)
            response = conn.getresponse()
        except TimeoutError:
            conn.close()
            raise self.timed_out() from None
        except (OSError, http.client.HTTPException) as error:
            conn.close()
            raise self.unreachable(error) from None
        return Reply(self, conn, response, deadline)

    def form(
        self, fields: list[tuple[str, str]], accept: str, timeout: float | None = None
    ) -> Reply:
        """POST a form (the protocol's query or update by POST), asking for accept."""
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        return self.request("POST", urlencode(fields).encode(), headers, timeout=timeout)

    def unreachable(self, error: BaseException) -> EngineUnavailable:
        """Return the error of an engine that could not be reached."""
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        return EngineUnavailable(
            f"the SPARQL engine at {self.url} cannot be reached ({reason}); try again later"
        )

    def timed_out(self) -> QueryTimeout:
        """Return the error of a request that passed its time limit."""
        return QueryTimeout(
            f"the SPARQL engine at {self.url} did not answer within the time limit of "
            f"{self.timeout:g} s (setting query_timeout); the request was abandoned"
        )


def digest_answer(
    challenge: str, method: str, uri: str, user: str, password: str, number: int = 1
) -> dict[str, str]:
    """Return the Authorization header that answers an HTTP digest challenge (RFC 7616, MD5)."""
    fields = parse_keqv_list(parse_http_list(challenge[len("Digest ") :]))
    realm, nonce = fields.get("realm", ""), fields.get("nonce", "")
    cnonce, count = secrets.token_hex(8), f"{number:08x}"
    first = _md5(f"{user}:{realm}:{password}")
    second = _md5(f"{method}:{uri}")
    qop = "auth" if "auth" in fields.get("qop", "").split(",") else ""
    if qop:
        response = _md5(f"{first}:{nonce}:{count}:{cnonce}:{qop}:{second}")
    else:
        response = _md5(f"{first}:{nonce}:{second}")
    parts = [
        f'username="{user}"',
        f'realm="{realm}"',
        f'nonce="{nonce}"',
        f'uri="{uri}"',
        f'response="{response}"',
        "algorithm=MD5",
    ]
    if qop:
        parts += [f"qop={qop}", f"nc={count}", f'cnonce="{cnonce}"']
    if "opaque" in fields:
        parts.append(f'opaque="{fields["opaque"]}"')
    return {"Authorization": "Digest " + ", ".join(parts)}


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _left(deadline: float, endpoint: Endpoint) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise endpoint.timed_out()
    return left


def _bound(conn: http.client.HTTPConnection, deadline: float, endpoint: Endpoint) -> None:
    if conn.sock is not None:
        conn.sock.settimeout(_left(deadline, endpoint))


class Reply:
    """An engine's answer: status, headers and a body read in bounded pieces."""

    def __init__(
        self,
        endpoint: Endpoint,
        conn: http.client.HTTPConnection,
        response: http.client.HTTPResponse,
        deadline: float,
    ) -> None:
        self.endpoint, self.conn, self.response, self.deadline = endpoint, conn, response, deadline
        self.status = response.status
        self.failure: ConfgraphError | None = None

    def header(self, name: str) -> str:
        """Return a response header ('' if absent)."""
        return self.response.getheader(name) or ""

    def read(self, size: int = -1) -> bytes:
        """Read at most size bytes of the body (a file's read, for the parsers)."""
        try:
            _bound(self.conn, self.deadline, self.endpoint)
            return self.response.read1(size if size and size > 0 else 65536)
        except TimeoutError:
            self.failure = self.endpoint.timed_out()
        except QueryTimeout as error:
            self.failure = error
        except (OSError, http.client.HTTPException) as error:
            self.failure = self.endpoint.unreachable(error)
        self.close()
        raise self.failure

    def readall(self, limit: int | None = None) -> bytes:
        """Read the whole body (at most limit bytes)."""
        chunks, size = [], 0
        while chunk := self.read():
            chunks.append(chunk)
            size += len(chunk)
            if limit is not None and size >= limit:
                break
        return b"".join(chunks)

    def check(self) -> Reply:
        """Raise the error an engine's failure status means; return self if it succeeded."""
        if self.status < 300:
            return self
        message = _first_lines(self.readall(MESSAGE_BYTES))
        self.close()
        where = self.endpoint.url
        if self.status in (401, 403):
            raise EngineUnavailable(
                f"the SPARQL engine at {where} refused confgraph's credentials "
                f"(HTTP {self.status}; see {USER_VARIABLE} and {PASSWORD_VARIABLE})"
            )
        if "estimated execution time" in message.lower():  # Virtuoso refuses it, as a 500
            raise QueryTooComplex(
                f"the SPARQL engine estimates that this query would run past its limit: {message}"
            )
        if _says_timeout(message):
            raise self.endpoint.timed_out()
        if 400 <= self.status < 500:
            raise EngineRefused(f"the SPARQL engine refused the request: {message}")
        raise EngineUnavailable(
            f"the SPARQL engine at {where} failed (HTTP {self.status}: {message}); try again later"
        )

    def close(self) -> None:
        """Drop the connection: an unread body is abandoned, not read to its end."""
        self.conn.close()

    def __enter__(self) -> Reply:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _says_timeout(message: str) -> bool:
    # Virtuoso reports its own limit as SQL state S1T00; Oxigraph server as a plain message.
    lowered = message.lower()
    return "s1t00" in lowered or "timeout" in lowered or "timed out" in lowered


def _first_lines(data: bytes) -> str:
    text = " ".join(data.decode("utf-8", "replace").split())
    return text[:500] or "(no message)"


def is_reachable(endpoint: Endpoint) -> bool:
    """Tell whether anything listens at the endpoint's host and port."""
    parts = urlsplit(endpoint.url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "", port), timeout=2):
            return True
    except OSError:
        return False
