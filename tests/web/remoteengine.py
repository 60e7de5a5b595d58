"""A fresh real engine per test module, with its credentials in the environment, for the
remote store's tests (the engines themselves are started by tests/engines.py)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

from engines import Engine

from confgraph.store.remote import probe_dialect
from confgraph.store.remote_publish import Engine as Targets
from confgraph.store.sparql_http import Endpoint

KINDS = ["oxigraph-server", "virtuoso"]


@contextmanager
def fresh(start: Callable[[str], AbstractContextManager[Engine]], kind: str) -> Iterator[Engine]:
    """Start a new engine of a kind; its credentials are in the environment while it runs."""
    with start(kind) as engine:
        saved = {name: os.environ.get(name) for name in engine.env()}
        os.environ.update(engine.env())
        try:
            yield engine
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def targets(engine: Engine, graph_store: bool = True) -> Targets:
    """Return where confgraph publishes into an engine: its graph store, or its update alone."""
    query = Endpoint.at(engine.query_url, 120)
    return Targets(
        query,
        Endpoint.at(engine.update_url, 120),
        Endpoint.at(engine.graph_store_url, 120) if graph_store else None,
        probe_dialect(query),
    )
