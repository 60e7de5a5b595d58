"""Engines by name: each opens a Store from a source (a store directory or a TriG file)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from confgraph.errors import ConfgraphError
from confgraph.store.base import Store

if TYPE_CHECKING:
    from confgraph.store.release import Release


def _open_rdflib(source: str | Path) -> Store:
    from confgraph.store.rdflib_engine import RdflibStore

    return RdflibStore.from_file(source)


def _open_oxigraph(source: str | Path) -> Store:
    from confgraph.store.oxigraph_engine import OxigraphStore

    if Path(source).is_dir():
        return OxigraphStore.from_directory(source)
    return OxigraphStore.from_file(source)


def _open_sparql(source: str | Path) -> Store:
    raise ConfgraphError(
        "the sparql engine answers from a SPARQL engine's address (setting query_url), "
        "not from a file: open it with open_remote_store"
    )


ENGINES: dict[str, Callable[[str | Path], Store]] = {
    "oxigraph": _open_oxigraph,
    "rdflib": _open_rdflib,
}


REMOTE = "sparql"


def open_store(engine: str, source: str | Path) -> Store:
    """Open a store with the named engine."""
    try:
        opener = ENGINES[engine] if engine != REMOTE else _open_sparql
    except KeyError:
        known = ", ".join(sorted([*ENGINES, REMOTE]))
        raise ConfgraphError(f"unknown engine {engine!r}; known engines: {known}") from None
    return opener(source)


def open_remote_store(query_url: str, release: Release, timeout: float) -> Store:
    """Open the sparql engine at query_url, confined to the graphs of a published release."""
    from confgraph.store.remote import open_remote

    return open_remote(query_url, release, timeout)
