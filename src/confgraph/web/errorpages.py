"""Styled error pages for every address: a 404 or 405 off the routes, a fault of the server."""

from __future__ import annotations

import logging

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

LOG = logging.getLogger(__name__)
# The framework's own headers that the styled page replaces; the rest (Allow, ...) are kept.
OWN_HEADERS = {"content-type", "content-length"}


def register(app: Flask) -> None:
    """Answer the framework's HTTP errors and the server's faults with the site's error page."""
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(InternalServerError, server_fault)


def http_error(error: HTTPException) -> Response:
    """Render a 4xx of the framework (no such route, method not allowed, ...) as the site does."""
    status = error.code or 500
    message = error.description or HTTP_STATUS_CODES.get(status, "")
    if status == 404:
        message = f"Nothing is served at {request.path}."
    response = error_response(status, message)
    for name, value in error.get_headers():
        if name.lower() not in OWN_HEADERS:
            response.headers[name] = value
    return response


def server_fault(error: InternalServerError) -> Response:
    """Render a fault of the server (a bug) as a 500 page that says so, without a traceback."""
    return error_response(500, "The server failed to answer this request; the fault is logged.")


def error_response(status: int, message: str) -> Response:
    """Return an error as the site's HTML page to browsers, as one line of text otherwise."""
    if request.accept_mimetypes.best_match(["text/plain", "text/html"]) == "text/html":
        try:
            body = render_template(
                "error.html", status=status, reason=HTTP_STATUS_CODES.get(status), message=message
            )
        except Exception:  # the page itself failed (no release to show): fall back to text
            LOG.exception("the error page for %s failed", status)
        else:
            return _response(body, status, "text/html")
    return _response(f"{message}\n", status, "text/plain")


def _response(body: str, status: int, mimetype: str) -> Response:
    response = Response(body, status=status, mimetype=mimetype)
    response.vary.add("Accept")
    return response
