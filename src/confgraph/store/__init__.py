"""Quad stores behind one narrow interface; one module per engine."""

from confgraph.store.base import DatasetSpec, QueryResult, Store
from confgraph.store.registry import ENGINES, open_store

__all__ = ["ENGINES", "DatasetSpec", "QueryResult", "Store", "open_store"]
