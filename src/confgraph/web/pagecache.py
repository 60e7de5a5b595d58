"""Pages kept in memory per release: a release never changes, so neither does its pages' text.

A GET answered 200 is kept under its release, address and the headers it was negotiated on
(Accept, Accept-Language), and answered from memory until it is dropped, the least recently
used first, past page_cache megabytes. Kept before the headers every response gets (CORS,
security, licence link), which are added to a kept page as to any other. Not kept: SPARQL
answers (the result cache keeps those), files sent from disk, conditional and range requests.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g, request

from confgraph.store.cache import ByteCache

EXTENSION = "confgraph.pages"
CONDITIONAL = ("If-None-Match", "If-Modified-Since", "If-Range", "Range")
KEPT_HEADERS_BYTES = 512  # what a kept page's headers and key cost, roughly, beside its body
NEGOTIATED = {"accept", "accept-language"}  # the request headers a key holds


def register(app: Flask, megabytes: int) -> None:
    """Answer pages from memory on app; call after every other after_request is registered."""
    if megabytes <= 0:
        return
    app.extensions[EXTENSION] = ByteCache(megabytes << 20)
    app.before_request(_answer_kept)
    app.after_request(_keep)  # run first of the after_request functions: before their headers


def not_kept() -> None:
    """Keep the current request's page from the cache (it was rendered without its data)."""
    g.keep_page = False


def _key() -> tuple[str, ...] | None:
    """Return the current request's key, or None if its answer is not to be kept."""
    if request.method not in ("GET", "HEAD") or any(h in request.headers for h in CONDITIONAL):
        return None
    if request.endpoint == "sparql.endpoint" and "query" in request.args:
        return None
    from confgraph.web.app import site

    return (
        site().release.release_id,
        request.url,
        request.headers.get("Accept", ""),
        request.headers.get("Accept-Language", ""),
    )


def _answer_kept() -> Response | None:
    key = _key()
    kept = current_app.extensions[EXTENSION].get(key) if key is not None else None
    if kept is None:
        return None
    g.keep_page = False  # it is kept already
    status, headers, body = kept
    return Response(body, status=status, headers=headers)


def _keep(response: Response) -> Response:
    if not g.get("keep_page", True) or not _keepable(response):
        return response
    key = _key()
    if key is not None:
        body = response.get_data()
        size = len(body) + sum(len(k) + len(v) for k, v in response.headers) + KEPT_HEADERS_BYTES
        kept = (response.status_code, list(response.headers.items()), body)
        current_app.extensions[EXTENSION].put(key, kept, size)
    return response


def _keepable(response: Response) -> bool:
    """Tell whether a response is a whole page that depends only on the key's headers."""
    if response.status_code != 200 or response.direct_passthrough or response.is_streamed:
        return False
    return {name.lower() for name in response.vary} <= NEGOTIATED
