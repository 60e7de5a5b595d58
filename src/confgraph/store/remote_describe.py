"""DESCRIBE as confgraph defines it, in plain SPARQL that every engine answers alike.

Engines describe differently (Virtuoso adds incoming links, others give a CBD), so a
user's DESCRIBE is answered in two steps: its WHERE clause as a SELECT of the resources,
then a CONSTRUCT of their outgoing triples and the blank nodes they reach, which is
what the embedded store's DESCRIBE gives. A page's describe adds the incoming triples.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from rdflib import URIRef

from confgraph.store.policy import TOKEN, QueryShape

# Blank nodes reached from a described resource through blank nodes, this many hops deep.
BNODE_DEPTH = 3
ENDS = frozenset(("WHERE", "FROM", "ORDER", "LIMIT", "OFFSET", "VALUES", "GROUP", "HAVING"))


@dataclass(frozen=True)
class DescribeTargets:
    """What a DESCRIBE names: constant IRIs, and a SELECT of its variables (if any)."""

    iris: tuple[URIRef, ...]
    select: str | None


def describe_targets(shape: QueryShape) -> DescribeTargets:
    """Split a DESCRIBE into the IRIs it names and a SELECT DISTINCT of its variables."""
    text = shape.text
    tokens = [m for m in TOKEN.finditer(text) if m.lastgroup not in ("comment", "string")]
    prefixes, base = _prologue(tokens)
    start = next(i for i, m in enumerate(tokens) if m.group().upper() == "DESCRIBE")
    iris, variables, end = [], [], len(tokens)
    for i in range(start + 1, len(tokens)):
        match = tokens[i]
        kind, value = match.lastgroup, match.group()
        if value == "{" or (kind == "word" and value.upper() in ENDS):
            end = i
            break
        if kind == "var" or kind == "star":
            variables.append(value)
        elif kind == "iri":
            iris.append(URIRef(urljoin(base, value[1:-1]) if base else value[1:-1]))
        elif kind == "pname" and value.partition(":")[0] in prefixes:
            iris.append(URIRef(prefixes[value.partition(":")[0]] + value.partition(":")[2]))
    if not variables:
        return DescribeTargets(tuple(iris), None)
    cut_from = tokens[start].start()
    cut_to = tokens[end].start() if end < len(tokens) else len(text)
    projection = "*" if "*" in variables else " ".join(dict.fromkeys(variables))
    select = f"{text[:cut_from]}SELECT DISTINCT {projection} {text[cut_to:]}"
    return DescribeTargets(tuple(iris), select)


def _prologue(tokens: list) -> tuple[dict[str, str], str | None]:
    prefixes: dict[str, str] = {}
    base = None
    for i, match in enumerate(tokens[:-2]):
        word = match.group().upper() if match.lastgroup == "word" else ""
        following = tokens[i + 1].group()[1:-1]
        if word == "BASE" and tokens[i + 1].lastgroup == "iri":
            base = urljoin(base, following) if base else following
        elif word == "PREFIX" and tokens[i + 2].lastgroup == "iri":
            iri = tokens[i + 2].group()[1:-1]
            prefixes[tokens[i + 1].group().rstrip(":")] = urljoin(base, iri) if base else iri
    return prefixes, base


def _closure(subject: str) -> tuple[list[str], list[str]]:
    """Return the template and the branches of subject's outgoing triples and blank nodes."""
    template = [f"{subject} ?p ?o ."]
    branches = [f"{{ {subject} ?p ?o }}"]
    for depth in range(1, BNODE_DEPTH + 1):
        hops = [f"?b{depth}_{i - 1} ?h{depth}_{i} ?b{depth}_{i} ." for i in range(1, depth + 1)]
        hops[0] = hops[0].replace(f"?b{depth}_0 ", subject + " ", 1)
        blank = " && ".join(f"isBlank(?b{depth}_{i})" for i in range(1, depth + 1))
        last = f"?b{depth}_{depth}"
        template.append(f"{last} ?p{depth} ?o{depth} .")
        branches.append(f"{{ {' '.join(hops)} FILTER({blank}) {last} ?p{depth} ?o{depth} }}")
    return template, branches


def describe_resources(iris: list[URIRef]) -> str:
    """Return the CONSTRUCT of some resources' outgoing triples and their blank nodes.

    Constants and VALUES only, no BIND: Virtuoso 7 fails on BIND beside FILTER in a UNION.
    """
    template, branches = _closure("?r")
    values = " ".join(f"<{iri}>" for iri in iris) or "<urn:confgraph:nothing>"
    return (
        f"CONSTRUCT {{ {' '.join(template)} }} WHERE {{ VALUES ?r {{ {values} }} "
        f"{' UNION '.join(branches)} }}"
    )


def describe_query(iri: URIRef) -> str:
    """Return the CONSTRUCT of iri's outgoing and incoming triples and its blank nodes."""
    me = f"<{iri}>"
    template, branches = _closure(me)
    template.append(f"?s ?q {me} .")
    branches.append(f"{{ ?s ?q {me} }}")
    return f"CONSTRUCT {{ {' '.join(template)} }} WHERE {{ {' UNION '.join(branches)} }}"
