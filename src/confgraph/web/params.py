"""Read a request's query parameters, refusing what they cannot be with a 400 that names them."""

from __future__ import annotations

from flask import request

from confgraph.errors import RequestError


def whole_number(name: str, default: int, maximum: int | None = None) -> int:
    """Read one whole number from 1 (up to maximum) from the request's parameter name."""
    values = request.args.getlist(name)
    if not values:
        return default
    if len(values) > 1 or not values[0].isdecimal() or int(values[0]) < 1:
        raise RequestError(f"{name} must be one whole number from 1, not {', '.join(values)!r}")
    if maximum is not None and int(values[0]) > maximum:
        raise RequestError(f"{name} must be at most {maximum}, not {values[0]}")
    return int(values[0])


def page_number() -> int:
    """Read the page parameter: one whole number from 1 (1 when absent)."""
    return whole_number("page", 1)
