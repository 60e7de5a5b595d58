"""Read a SPARQL query's shape from its tokens; refuse what a read-only endpoint never does.

No grammar runs here: a linear scan of the tokens finds the query's form, its FROM
clauses, SERVICE calls, the order of its variables and how deeply it nests. The engine
parses the query itself, in a worker under the time limit.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

from rdflib import URIRef
from rdflib.plugins.sparql.parser import expandUnicodeEscapes

from confgraph.errors import QueryRefused, QuerySyntaxError, QueryTooComplex
from confgraph.store.base import DatasetSpec, QueryForm, QueryResult
from confgraph.store.cache import ByteCache

# rdflib's SPARQL machinery is not thread-safe: its pyparsing grammar keeps state while
# it parses, and evaluation changes the global warnings filter. The rdflib engine's
# queries share it through this lock.
RDFLIB_SPARQL = threading.RLock()
READ_ONLY = (
    "this endpoint is read-only: SPARQL updates (INSERT, DELETE, LOAD, CLEAR, ...) are refused"
)
FORMS: dict[str, QueryForm] = {
    "SELECT": "SELECT",
    "ASK": "ASK",
    "CONSTRUCT": "CONSTRUCT",
    "DESCRIBE": "DESCRIBE",
}
UPDATES = frozenset(
    ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
)
TOKEN = re.compile(
    r"""(?P<comment>\#[^\r\n]*)
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*')
    |(?P<var>[?$][\w\u00b7\u0300-\u036f\u203f\u2040]+)
    |(?P<pname>(?:[^\W\d_][\w.\-\u00b7]*)?:(?:[\w:%\\\-\u00b7]|\.(?=[\w:%\\\-]))*)
    |(?P<word>[^\W\d_]\w*)
    |(?P<open>[({\[])
    |(?P<close>[)}\]])
    |(?P<star>\*)""",
    re.X,
)
OPEN, CLOSE = "({[", ")}]"
# Query texts are short next to the cache: 4 MiB holds thousands of distinct queries.
SHAPES = ByteCache(4 * 1024 * 1024)


@dataclass(frozen=True)
class QueryShape:
    """What the tokens of a query say: the text to run, its form, FROM clauses, SERVICEs."""

    text: str
    form: QueryForm | None
    dataset: DatasetSpec | None
    services: tuple[str, ...]
    star: bool
    variables_in_order: tuple[str, ...]
    depth: int


def expand_escapes(sparql: str) -> str:
    """Expand \\uXXXX escapes, as the SPARQL grammar says, before anything reads the text."""
    try:
        text = expandUnicodeEscapes(sparql)
        text.encode("utf-8")  # a lone surrogate escape names no character
    except (ValueError, UnicodeEncodeError) as error:
        raise QuerySyntaxError(f"SPARQL syntax error: {error}") from None
    return text


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    for match in TOKEN.finditer(text):
        kind = match.lastgroup or ""
        if kind not in ("comment", "string"):
            yield kind, match.group()


def leading_form(sparql: str) -> QueryForm | None:
    """Return the form named after the prologue (None if none); refuse an update.

    Cheap: it reads only the PREFIX and BASE declarations and the keyword after them.
    """
    expect = 0  # tokens still owed to a PREFIX (2) or BASE (1) declaration
    for kind, value in _tokens(expand_escapes(sparql)):
        if expect:
            expect -= 1
            continue
        word = value.upper() if kind == "word" else ""
        if word in ("PREFIX", "BASE"):
            expect = 2 if word == "PREFIX" else 1
            continue
        if word in UPDATES:
            raise QueryRefused(READ_ONLY)
        return FORMS.get(word)
    return None


def read_shape(sparql: str) -> QueryShape:
    """Return the shape of a query (cached by text); refuse an update; empty text is an error."""
    shape = SHAPES.get(sparql)
    if shape is None:
        shape = _read_shape(sparql)
        SHAPES.put(sparql, shape, 2 * len(sparql) + 512)
    return shape


def _read_shape(sparql: str) -> QueryShape:
    text = expand_escapes(sparql)
    form = leading_form(text)
    tokens = list(_tokens(text))
    prefixes, base = _prologue(tokens)
    return QueryShape(
        text=text,
        form=form,
        dataset=_dataset_clause(tokens, prefixes, base),
        services=tuple(
            tokens[i + 1][1].strip("<>") if i + 1 < len(tokens) else ""
            for i, (kind, value) in enumerate(tokens)
            if kind == "word" and value.upper() == "SERVICE"
        ),
        star=_is_star(tokens),
        variables_in_order=tuple(dict.fromkeys(v[1:] for k, v in tokens if k == "var")),
        depth=_depth(tokens),
    )


def _prologue(tokens: list[tuple[str, str]]) -> tuple[dict[str, str], str | None]:
    prefixes: dict[str, str] = {}
    base = None
    for i, (kind, value) in enumerate(tokens[:-1]):
        word = value.upper() if kind == "word" else ""
        if word == "BASE" and tokens[i + 1][0] == "iri":
            base = tokens[i + 1][1][1:-1]
        elif word == "PREFIX" and i + 2 < len(tokens) and tokens[i + 2][0] == "iri":
            prefixes[tokens[i + 1][1].rstrip(":")] = tokens[i + 2][1][1:-1]
    return prefixes, base


def _dataset_clause(
    tokens: list[tuple[str, str]], prefixes: dict[str, str], base: str | None
) -> DatasetSpec | None:
    default: list[URIRef] = []
    named: list[URIRef] = []
    for i, (kind, value) in enumerate(tokens):
        if kind != "word" or value.upper() != "FROM" or i + 1 >= len(tokens):
            continue
        into, j = default, i + 1
        if tokens[j][0] == "word" and tokens[j][1].upper() == "NAMED":
            into, j = named, j + 1
        if j < len(tokens):
            iri = _resolve(tokens[j], prefixes, base)
            if iri is not None:
                into.append(URIRef(iri))
    if not default and not named:
        return None
    return DatasetSpec(default=tuple(default), named=tuple(named))


def _resolve(token: tuple[str, str], prefixes: dict[str, str], base: str | None) -> str | None:
    kind, value = token
    if kind == "iri":
        return urljoin(base, value[1:-1]) if base else value[1:-1]
    if kind == "pname":
        prefix, _, local = value.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else None
    return None


def _is_star(tokens: list[tuple[str, str]]) -> bool:
    for i, (kind, value) in enumerate(tokens):
        if kind == "word" and value.upper() == "SELECT":
            rest = [v for _, v in tokens[i + 1 : i + 3]]
            return "*" in rest[:1] or (rest[:1] in (["DISTINCT"], ["REDUCED"]) and "*" in rest)
    return False


def _depth(tokens: list[tuple[str, str]]) -> int:
    """Return the deepest nesting of brackets, counting those inside IRIs too (never hidden)."""
    depth = deepest = 0
    for kind, value in tokens:
        if kind == "iri" and not any(c in value for c in OPEN + CLOSE):
            continue
        if kind in ("open", "close", "iri"):
            for char in value:
                if char in OPEN:
                    depth += 1
                    deepest = max(deepest, depth)
                elif char in CLOSE:
                    depth = max(0, depth - 1)
    return deepest


def check_query(shape: QueryShape, nesting_limit: int | None = None) -> None:
    """Refuse SERVICE calls and a nesting deeper than the limit."""
    if shape.services:
        raise QueryRefused(
            f"SERVICE <{shape.services[0]}> refused: this endpoint never queries other services"
        )
    if nesting_limit is not None and shape.depth > nesting_limit:
        raise QueryTooComplex(
            f"the query nests brackets {shape.depth} deep, more than the server's limit of "
            f"{nesting_limit} (setting nesting_limit)"
        )


def checked_shape(sparql: str, nesting_limit: int | None = None) -> QueryShape:
    """Return a query's shape once check_query has found nothing to refuse."""
    shape = read_shape(sparql)
    check_query(shape, nesting_limit)
    return shape


def order_variables(result: QueryResult, shape: QueryShape) -> QueryResult:
    """Put the columns of a SELECT * in the order their variables first occur in the query."""
    if result.form != "SELECT" or not shape.star:
        return result
    columns = star_order(result.variables, shape)
    return QueryResult(
        form="SELECT",
        variables=tuple(result.variables[i] for i in columns),
        rows=tuple(tuple(row[i] for i in columns) for row in result.rows),
    )


def star_order(variables: tuple[str, ...], shape: QueryShape) -> list[int]:
    """Return the column indexes of variables, in the order they first occur in the query."""
    order = {name: i for i, name in enumerate(shape.variables_in_order)}
    return sorted(range(len(variables)), key=lambda i: order.get(variables[i], len(order)))
