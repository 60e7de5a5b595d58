"""ETags of responses that depend only on the release's data; 304 to conditional requests."""

from __future__ import annotations

from flask import Response, request

from confgraph.formats import Format


def data_etag(release_id: str, fmt: Format) -> str:
    """Return the entity tag of one representation of release data: release id and format."""
    return f"{release_id}-{fmt.extension}"


def not_modified(etag: str) -> Response | None:
    """Return a 304 if the request's If-None-Match names etag (or *), else None."""
    if not request.if_none_match.contains_weak(etag):
        return None
    response = Response(status=304)
    return tagged(response, etag)


def tagged(response: Response, etag: str) -> Response:
    """Give a response its ETag and say that it varies on Accept."""
    response.set_etag(etag)
    response.vary.add("Accept")
    return response
