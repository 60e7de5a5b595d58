"""Rewrite a checked query so that an engine answers it over one release's graphs.

The dataset goes to the engine as protocol parameters (`default-graph-uri`,
`named-graph-uri`) naming only the release's engine graphs, so no query ever reaches
another release's graphs or the engine's own. The query's FROM clauses are taken out
(the protocol's dataset replaces them); `GRAPH <public>` names the engine's graph; and
`GRAPH ?g { P }` becomes `{ GRAPH ?h { P } VALUES (?h ?g) { (<engine> <public>) ... } }`,
so that ?g is bound to the public name inside the query as well as in its results.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from rdflib import URIRef

from confgraph.errors import QueryRefused
from confgraph.store.base import DatasetSpec
from confgraph.store.engine_graphs import NO_GRAPH, ReleaseGraphs
from confgraph.store.policy import TOKEN, QueryShape

HELPER = "confgraph_graph_"
# Engine extensions that reach outside the dataset (Virtuoso's built-in SQL functions).
FOREIGN_FUNCTIONS = ("bif:", "sql:", "http://www.openlinksw.com/schemas/bif#")


@dataclass(frozen=True)
class EngineQuery:
    """What is sent to the engine: the query text and the dataset as engine graphs."""

    text: str
    default: tuple[URIRef, ...]
    named: tuple[URIRef, ...]
    helpers: frozenset[str]


@dataclass
class _Token:
    kind: str
    value: str
    start: int
    end: int


def rewrite(
    shape: QueryShape, graphs: ReleaseGraphs, dataset: DatasetSpec | None, base: str | None
) -> EngineQuery:
    """Return the engine's query over the release's graphs for a checked query."""
    wanted = dataset or shape.dataset
    if wanted is None:
        default, named = [graphs.default], list(graphs.to_engine.values())
    else:
        default = [graphs.engine(g) for g in wanted.default]
        named = [graphs.engine(g) for g in wanted.named]
    tokens = _tokens(shape.text)
    prefixes, declared_base = _prologue(tokens)
    resolve_base = urljoin(base, declared_base) if base and declared_base else declared_base or base
    _refuse_foreign(tokens, prefixes, resolve_base)
    pairs = [(e, graphs.to_public[e]) for e in dict.fromkeys(named) if e != NO_GRAPH]
    edits, helpers = _edits(tokens, graphs, prefixes, resolve_base, pairs, shape, set(named))
    # NO_GRAPH is always a named graph of the dataset: Virtuoso 7 answers GRAPH <g> for a
    # graph outside the dataset with one empty solution, not none.
    text = _apply(shape.text, edits)
    if base:
        text = f"BASE <{base}>\n{text}"
    return EngineQuery(
        text,
        tuple(dict.fromkeys(default or [NO_GRAPH])),
        tuple(dict.fromkeys([*named, NO_GRAPH])),
        frozenset(helpers),
    )


def _tokens(text: str) -> list[_Token]:
    return [
        _Token(m.lastgroup or "", m.group(), m.start(), m.end())
        for m in TOKEN.finditer(text)
        if m.lastgroup not in ("comment", "string")
    ]


def _prologue(tokens: list[_Token]) -> tuple[dict[str, str], str | None]:
    prefixes: dict[str, str] = {}
    base = None
    for i, token in enumerate(tokens[:-2]):
        word = token.value.upper() if token.kind == "word" else ""
        if word == "BASE" and tokens[i + 1].kind == "iri":
            base = urljoin(base, tokens[i + 1].value[1:-1]) if base else tokens[i + 1].value[1:-1]
        elif word == "PREFIX" and tokens[i + 2].kind == "iri":
            iri = tokens[i + 2].value[1:-1]
            prefixes[tokens[i + 1].value.rstrip(":")] = urljoin(base, iri) if base else iri
    return prefixes, base


def _resolve(token: _Token, prefixes: dict[str, str], base: str | None) -> str | None:
    if token.kind == "iri":
        return urljoin(base, token.value[1:-1]) if base else token.value[1:-1]
    if token.kind == "pname":
        prefix, _, local = token.value.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else None
    return None


def _refuse_foreign(tokens: list[_Token], prefixes: dict[str, str], base: str | None) -> None:
    for token in tokens:
        iri = _resolve(token, prefixes, base) if token.kind in ("iri", "pname") else None
        if iri is not None and iri.lower().startswith(FOREIGN_FUNCTIONS):
            raise QueryRefused(
                f"<{iri}> refused: this endpoint runs no engine-specific built-in functions"
            )


def _edits(
    tokens: list[_Token],
    graphs: ReleaseGraphs,
    prefixes: dict[str, str],
    base: str | None,
    pairs: list[tuple[URIRef, URIRef]],
    shape: QueryShape,
    named: set[URIRef],
) -> tuple[list[tuple[int, int, str]], list[str]]:
    """Return (start, end, replacement) edits of the text and the helper variables used."""
    edits: list[tuple[int, int, str]] = []
    helpers: list[str] = []
    taken = set(shape.variables_in_order)
    for i, token in enumerate(tokens):
        word = token.value.upper() if token.kind == "word" else ""
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if word == "FROM" and nxt is not None:
            last = tokens[i + 2] if nxt.kind == "word" and i + 2 < len(tokens) else nxt
            edits.append((token.start, last.end, " "))
        elif word == "GRAPH" and nxt is not None and nxt.kind in ("iri", "pname"):
            iri = _resolve(nxt, prefixes, base)
            engine = graphs.engine(URIRef(iri)) if iri is not None else NO_GRAPH
            if engine not in named:  # outside the query's dataset: an empty graph
                engine = NO_GRAPH
            edits.append((nxt.start, nxt.end, f"<{engine}>"))
        elif word == "GRAPH" and nxt is not None and nxt.kind == "var":
            close = _matching_close(tokens, i + 2)
            if close is None:
                continue  # not well-formed: the engine's parser says so
            helper = _fresh(taken, len(helpers))
            helpers.append(helper)
            edits.append((token.start, nxt.end, f"{{ GRAPH ?{helper}"))
            edits.append((close, close, f" {_values(helper, nxt.value[1:], pairs)} }}"))
    return edits, helpers


def _matching_close(tokens: list[_Token], opening: int) -> int | None:
    """Return the text position just after the bracket closing tokens[opening], a `{`."""
    if opening >= len(tokens) or tokens[opening].value != "{":
        return None
    depth = 0
    for token in tokens[opening:]:
        if token.kind == "open":
            depth += 1
        elif token.kind == "close":
            depth -= 1
            if depth == 0:
                return token.end
    return None


def _fresh(taken: set[str], number: int) -> str:
    name = f"{HELPER}{number}"
    while name in taken:
        name += "_"
    taken.add(name)
    return name


def _values(helper: str, variable: str, pairs: list[tuple[URIRef, URIRef]]) -> str:
    rows = " ".join(f"(<{engine}> <{public}>)" for engine, public in pairs)
    return f"VALUES (?{helper} ?{variable}) {{ {rows} }}"


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Apply edits from the end backwards; an insertion after a close goes inner first."""
    out = text
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        out = out[:start] + replacement + out[end:]
    return out
