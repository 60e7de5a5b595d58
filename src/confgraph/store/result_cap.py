"""Virtuoso's result cap (ResultSetMaxRows), so that no cut result passes as whole.

Virtuoso sends at most ResultSetMaxRows rows of a SELECT (saying so only in the header
X-SPARQL-MaxRows) and one triple more of a CONSTRUCT (saying nothing), with status 200.
"""

from __future__ import annotations

from confgraph.errors import ResultTooLarge
from confgraph.store.sparql_http import Endpoint

CAP_HEADER = "X-SPARQL-MaxRows"
# Virtuoso's own schema graph (about 2,500 triples in every database) joined with itself:
# millions of rows, of which the engine computes only as many as asked or its cap.
SYSTEM_GRAPH = "http://www.openlinksw.com/schemas/virtrdf#"
PROBE = "SELECT ?s WHERE {{ ?s ?p ?o . ?a ?b ?c }} LIMIT {size}"


def probe_row_cap(endpoint: Endpoint, accept: str, size: int) -> int | None:
    """Return Virtuoso's cap if a result of size rows reaches it, else None."""
    fields = [("query", PROBE.format(size=size)), ("default-graph-uri", SYSTEM_GRAPH)]
    with endpoint.form(fields, accept).check() as reply:
        cap = reply.header(CAP_HEADER)
    return int(cap) if cap.isdigit() else None


def cut_short(cap: int | str) -> ResultTooLarge:
    """Return the error of a result the engine cut at its own cap."""
    return ResultTooLarge(
        f"the result reaches {cap} rows or triples, the most the SPARQL engine returns at "
        "once (Virtuoso's ResultSetMaxRows), past which it cuts results short; add LIMIT "
        "and OFFSET to fetch it in pages"
    )
