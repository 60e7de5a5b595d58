"""Reconcile countries, organisations and people with an endpoint holding Wikidata's model."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from confgraph.link.client import SparqlClient
from confgraph.link.linkset import Link
from confgraph.model import Organisation

ENTITY = "http://www.wikidata.org/entity/"
PREFIXES = """\
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
LABEL = 'OPTIONAL { ?item rdfs:label ?label FILTER(LANG(?label) = "en") }'
# How sure a match of our text (name, other name, acronym) with an item's label or alias is.
SCORES = {
    ("name", "label"): 95,
    ("name", "alias"): 85,
    ("alt_label", "label"): 80,
    ("alt_label", "alias"): 70,
    ("acronym", "label"): 60,
    ("acronym", "alias"): 40,
}
EXACT, CLOSE, RIVAL = 90, 75, 15  # scores from which a link is exact, close; a rival's margin
BY_CODE = "ISO 3166-1 alpha-3 code (wdt:P298)"
BY_REGISTRY = "item named by data/organisations.yaml, found at the endpoint"
BY_PERSON = "item named by the programme (the person's wikidata field), found at the endpoint"
BY_TOPIC = "topic named by the programme (subjects), its label from the endpoint"


@dataclass(frozen=True)
class Candidate:
    """An item an entity may be: its IRI, English label and score."""

    item: str
    label: str | None
    score: int


@dataclass(frozen=True)
class Review:
    """An entity left unlinked, why, and what the endpoint offered."""

    local: str
    reason: str
    candidates: tuple[Candidate, ...] = ()


@dataclass(frozen=True)
class Entities:
    """What to reconcile: the data's countries, organisations and people."""

    # country code: the item data/reference/countries.csv names

    countries: dict[str, str | None]
    organisations: tuple[Organisation, ...]
    people: dict[str, str]  # person key: the item the programme names
    topics: dict[str, tuple[str, ...]] = field(default_factory=dict)  # local key: Wikidata items


@dataclass
class Result:
    """The links found and the entities left for review."""

    links: list[Link] = field(default_factory=list)
    review: list[Review] = field(default_factory=list)


def reconcile(client: SparqlClient, entities: Entities, batch: int = 50) -> Result:
    """Ask the endpoint about every entity, in batches; sort the answers into links and review."""
    result = Result()
    _countries(client, entities.countries, batch, result)
    named = [(f"organisation/{o.key}", o.wikidata) for o in entities.organisations if o.wikidata]
    _by_item(client, named, BY_REGISTRY, batch, result)
    unnamed = [o for o in entities.organisations if not o.wikidata]
    _organisations(client, unnamed, batch, result)
    people = [(f"person/{key}", qid) for key, qid in entities.people.items()]
    _by_item(client, people, BY_PERSON, batch, result)
    topics = [(local, qid) for local, qids in entities.topics.items() for qid in qids]
    _by_item(client, topics, BY_TOPIC, batch, result, "dcterms:subject")
    return result


def _countries(
    client: SparqlClient, countries: dict[str, str | None], batch: int, result: Result
) -> None:
    found: dict[str, list[Candidate]] = defaultdict(list)
    for codes in _batches(sorted(countries), batch):
        values = " ".join(_string(code) for code in codes)
        query = f"SELECT ?code ?item ?label WHERE {{ VALUES ?code {{ {values} }}\n"
        query += f"  ?item wdt:P298 ?code . {LABEL} }}"
        for row in client.select(PREFIXES + query):
            found[row["code"]].append(Candidate(row["item"], row.get("label"), 100))
    for code, registry in sorted(countries.items()):
        local, items = f"country/{code}", _distinct(found[code])
        if len(items) != 1:
            reason = "no item has this code" if not items else "several items have this code"
            result.review.append(Review(local, reason, tuple(items)))
        elif registry and ENTITY + registry != items[0].item:
            reason = f"the code's item differs from {registry} of data/reference/countries.csv"
            result.review.append(Review(local, reason, tuple(items)))
        else:
            result.links.append(_link(local, "owl:sameAs", items[0], BY_CODE))


def _by_item(
    client: SparqlClient,
    named: list[tuple[str, str]],
    method: str,
    batch: int,
    result: Result,
    relation: str = "skos:exactMatch",
) -> None:
    labels: dict[str, str | None] = {}
    for qids in _batches(sorted({qid for _, qid in named}), batch):
        values = " ".join(f"wd:{qid}" for qid in qids)
        query = f"SELECT ?item ?label WHERE {{ VALUES ?item {{ {values} }}\n"
        query += f"  FILTER EXISTS {{ ?item ?property ?value }} {LABEL} }}"
        for row in client.select(PREFIXES + query):
            labels[row["item"]] = row.get("label") or labels.get(row["item"])
    for local, qid in sorted(named):
        item = ENTITY + qid
        if item not in labels:
            result.review.append(Review(local, f"the endpoint has no item {qid}"))
        else:
            result.links.append(_link(local, relation, Candidate(item, labels[item], 100), method))


def _organisations(
    client: SparqlClient, organisations: Sequence[Organisation], batch: int, result: Result
) -> None:
    texts = {text for organisation in organisations for text, _ in _texts(organisation)}
    hits: dict[str, list[tuple[str, str, str | None]]] = defaultdict(list)
    for chunk in _batches(sorted(texts), batch):
        values = " ".join(f"{_string(text)}@en" for text in chunk)
        query = f"SELECT ?text ?item ?kind ?label WHERE {{ VALUES ?text {{ {values} }}\n"
        query += '  { ?item rdfs:label ?text BIND("label" AS ?kind) }\n'
        query += '  UNION { ?item skos:altLabel ?text BIND("alias" AS ?kind) }\n'
        query += f"  {LABEL} }}"
        for row in client.select(PREFIXES + query):
            hits[row["text"]].append((row["item"], row["kind"], row.get("label")))
    for organisation in organisations:
        _decide(f"organisation/{organisation.key}", _scored(organisation, hits), result)


def _texts(organisation: Organisation) -> Iterator[tuple[str, str]]:
    yield organisation.name, "name"
    for label in organisation.alt_labels:
        yield label, "alt_label"
    if organisation.acronym:
        yield organisation.acronym, "acronym"


def _scored(organisation: Organisation, hits: dict) -> list[Candidate]:
    best: dict[str, Candidate] = {}
    for text, source in _texts(organisation):
        for item, kind, label in hits.get(text, ()):
            score = SCORES[(source, kind)]
            if item not in best or best[item].score < score:
                best[item] = Candidate(item, label, score)
    return sorted(best.values(), key=lambda c: (-c.score, c.item))


def _decide(local: str, candidates: list[Candidate], result: Result) -> None:
    if not candidates:
        result.review.append(Review(local, "no item has this name, other name or acronym"))
        return
    top = candidates[0]
    rivals = [c for c in candidates[1:] if c.score >= top.score - RIVAL]
    if rivals:
        reason = "ambiguous: several items match about as well"
        result.review.append(Review(local, reason, tuple(candidates)))
    elif top.score < CLOSE:
        reason = f"weak: the best match scores {top.score} (a link needs {CLOSE})"
        result.review.append(Review(local, reason, tuple(candidates)))
    else:
        relation = "skos:exactMatch" if top.score >= EXACT else "skos:closeMatch"
        result.links.append(_link(local, relation, top, _method(top.score)))


def _method(score: int) -> str:
    matched = {95: "name = English label", 85: "name = English alias"}
    matched |= {80: "other name = English label", 70: "other name = English alias"}
    return f"{matched.get(score, 'match')} (rdfs:label / skos:altLabel)"


def _link(local: str, relation: str, candidate: Candidate, method: str) -> Link:
    return Link(local, relation, candidate.item, method, candidate.score, candidate.label)


def _distinct(candidates: Iterable[Candidate]) -> list[Candidate]:
    seen: dict[str, Candidate] = {}
    for candidate in candidates:
        if candidate.item not in seen or (candidate.label and not seen[candidate.item].label):
            seen[candidate.item] = candidate
    return sorted(seen.values(), key=lambda c: c.item)


def _batches(values: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), max(1, size)):
        yield values[start : start + size]


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid SPARQL string
