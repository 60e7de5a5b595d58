"""Engines by name: each opens a Store from a source (a store directory or a TriG file)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from confgraph.errors import ConfgraphError
from confgraph.store.base import Store


def _open_rdflib(source: str | Path) -> Store:
    from confgraph.store.rdflib_engine import RdflibStore

    return RdflibStore.from_file(source)


def _open_oxigraph(source: str | Path) -> Store:
    from confgraph.store.oxigraph_engine import OxigraphStore

    if Path(source).is_dir():
        return OxigraphStore.from_directory(source)
    return OxigraphStore.from_file(source)


ENGINES: dict[str, Callable[[str | Path], Store]] = {
    "oxigraph": _open_oxigraph,
    "rdflib": _open_rdflib,
}


def open_store(engine: str, source: str | Path) -> Store:
    """Open a store with the named engine."""
    try:
        opener = ENGINES[engine]
    except KeyError:
        raise ConfgraphError(
            f"unknown engine {engine!r}; known engines: {', '.join(sorted(ENGINES))}"
        ) from None
    return opener(source)
