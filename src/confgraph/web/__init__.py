"""The web layer: a Flask application over a Store, one blueprint per concern."""

from confgraph.web.app import create_app

__all__ = ["create_app"]
