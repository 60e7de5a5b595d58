"""What the server takes from a request before Flask sees it: its public address and its Range.

Absolute links (the endpoint and dumps in the descriptions, redirects) are built from the
request's host. That host comes from the configured public URL, else from a trusted
proxy's X-Forwarded-* headers, else from the address the server listens on: never from
the client's own Host header, which anyone can set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from werkzeug.http import parse_range_header
from werkzeug.middleware.proxy_fix import ProxyFix

from confgraph.errors import ConfgraphError
from confgraph.settings import Settings

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
DEFAULT_PORTS = {"http": "80", "https": "443"}


def check_public_url(url: str) -> tuple[str, str, str]:
    """Split a public URL into scheme, host[:port] and path prefix, refusing anything else."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.netloc or parts.query or parts.fragment:
        raise ConfgraphError(
            f"--public-url {url!r} is not an http:// or https:// address without query or fragment"
        )
    return parts.scheme, parts.netloc, parts.path.rstrip("/")


class FrontDoor:
    """WSGI middleware: set the request's public address and drop a Range it cannot read."""

    def __init__(self, app: WsgiApp, settings: Settings) -> None:
        self.public = check_public_url(settings.public_url) if settings.public_url else None
        self.trusted_proxy = settings.trusted_proxy
        if settings.trusted_proxy and not self.public:
            # Take scheme, host and prefix from X-Forwarded-* so links say https:// behind TLS.
            app = ProxyFix(app, x_proto=1, x_host=1, x_port=1, x_prefix=1)
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """Rewrite the address and Range of one request, then pass it on."""
        if self.public:
            scheme, host, prefix = self.public
            environ["wsgi.url_scheme"] = scheme
            environ["HTTP_HOST"] = host
            environ["SCRIPT_NAME"] = prefix
        elif not self.trusted_proxy:
            environ["HTTP_HOST"] = _listening_address(environ)
        if "HTTP_RANGE" in environ and not _readable_range(environ["HTTP_RANGE"]):
            # RFC 9110 14.2: a Range that does not parse, or in another unit, is ignored.
            del environ["HTTP_RANGE"]
        return self.app(environ, start_response)


def _readable_range(header: str) -> bool:
    ranges = parse_range_header(header)
    return ranges is not None and ranges.units == "bytes"


def _listening_address(environ: dict[str, Any]) -> str:
    name, port = environ.get("SERVER_NAME", "localhost"), str(environ.get("SERVER_PORT", ""))
    if ":" in name and not name.startswith("["):
        name = f"[{name}]"  # an IPv6 address
    if not port or DEFAULT_PORTS.get(environ.get("wsgi.url_scheme", "http")) == port:
        return name
    return f"{name}:{port}"
