"""Linkset files (data/links/*.yaml): links to one external dataset, each with method and score."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import DCTERMS, OWL, RDFS, SKOS

from confgraph.errors import DataError
from confgraph.iris import Iris
from confgraph.yamlmap import YamlMap, display_path, read_yaml

LINKS_DIR = "links"
RELATIONS = {
    "owl:sameAs": OWL.sameAs,
    "skos:exactMatch": SKOS.exactMatch,
    "skos:closeMatch": SKOS.closeMatch,
    "skos:relatedMatch": SKOS.relatedMatch,
    "skos:broadMatch": SKOS.broadMatch,
    "skos:narrowMatch": SKOS.narrowMatch,
    "rdfs:seeAlso": RDFS.seeAlso,
    "dcterms:subject": DCTERMS.subject,
}
# Local keys: what kind of resource, and how many path segments its key has.
KINDS = {"country": 1, "organisation": 1, "person": 1, "meeting": 1, "session": 2}
SEGMENT = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
EXTERNAL = re.compile(r"https?://[^\s<>\"{}|\\^`]+")
TARGET = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
FIELDS = ("title", "objects_target", "uri_space", "licence", "generated_at", "method")


@dataclass(frozen=True)
class Link:
    """One link: a local resource (by key), a relation, an external IRI, how it was found."""

    local: str
    relation: str
    external: str
    method: str
    score: int  # 0-100: how sure the method is
    label: str | None = None  # the external resource's label, as its dataset gives it
    note: str | None = None
    contributor: str | None = None  # who asserted it (links imported from a researcher)
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Linkset:
    """The links to one external dataset and where they come from."""

    target: str  # the file's stem and the graph's last segment: wikidata
    title: str
    objects_target: str  # the external dataset's IRI
    uri_space: str  # where its resources' IRIs start
    licence: str
    generated_at: str
    method: str
    links: tuple[Link, ...]
    endpoint: str | None = None
    note: str | None = None
    contributor: str | None = None
    path: str = field(default="", compare=False)


def local_iri(key: str, iris: Iris) -> URIRef:
    """Return the IRI of a local key (country/AUT, session/<meeting>/<item>, ...)."""
    kind, _, rest = key.partition("/")
    parts = rest.split("/")
    if kind not in KINDS or len(parts) != KINDS[kind] or not all(map(SEGMENT.fullmatch, parts)):
        raise ValueError(
            f"'{key}' is no local key: use country/AUT, organisation/<key>, person/<key>, "
            "meeting/<meeting> or session/<meeting>/<item>, or the resource's IRI"
        )
    if kind == "session":
        return iris.item(*parts)
    return getattr(iris, kind)(parts[0])


def local_key(text: str, iris: Iris) -> str:
    """Return the local key of a key or of a resource IRI under the base; raise ValueError."""
    prefix = f"{iris.base}/id/"
    key = text[len(prefix) :] if text.startswith(prefix) else text
    parts = key.split("/")
    if len(parts) == 4 and parts[0] == "meeting" and parts[2] == "session":
        key = f"session/{parts[1]}/{parts[3]}"  # the IRI of a programme item
    elif len(parts) == 2 and parts[0] == "country":
        key = f"country/{parts[1].upper()}"
    local_iri(key, iris)
    return key


def read_linkset(path: Path) -> Linkset:
    """Read a linkset file; a malformed one names its file and line."""
    top = read_yaml(path)
    target = path.stem
    if not TARGET.fullmatch(target):
        raise top.error(f"linkset file name '{path.name}' must be lower-case words joined by '-'")
    values = {name: top.require(name, str) for name in FIELDS}
    optional = {name: top.get(name, str) for name in ("endpoint", "note", "contributor")}
    links = tuple(_read_link(entry) for entry in top.require("links", list).maps())
    top.done()
    return Linkset(target, **values, **optional, links=links, path=display_path(path))


def _read_link(entry: YamlMap) -> Link:
    relation = entry.require("relation", str)
    if relation not in RELATIONS:
        raise entry.error(f"relation '{relation}' is not one of {', '.join(RELATIONS)}", "relation")
    external = entry.require("external", str)
    if not EXTERNAL.fullmatch(external):
        raise entry.error(f"'{external}' is not an http(s) IRI", "external")
    score = entry.require("score", int)
    if not 0 <= score <= 100:
        raise entry.error("score must be between 0 and 100", "score")
    link = Link(
        local=entry.require("local", str),
        relation=relation,
        external=external,
        method=entry.require("method", str),
        score=score,
        label=entry.get("label", str),
        note=entry.get("note", str),
        contributor=entry.get("contributor", str),
        line=entry.line,
    )
    entry.done()
    return link


def linkset_files(data_dir: Path) -> list[Path]:
    """Return the linkset files of a data directory, sorted."""
    return sorted((data_dir / LINKS_DIR).glob("*.yaml"))


def link_error(linkset: Linkset, link: Link, message: str) -> DataError:
    """Return an error at one link of a linkset file."""
    return DataError(linkset.path, link.line or None, message)


def linkset_text(linkset: Linkset, heading: str) -> str:
    """Return a linkset as YAML text (deterministic: links sorted by key, relation, IRI)."""
    lines = [f"# {line}".rstrip() for line in heading.splitlines()]
    lines.append(f"title: {_quoted(linkset.title)}")
    for name in ("objects_target", "uri_space", "licence", "generated_at", "method"):
        lines.append(f"{name}: {_quoted(getattr(linkset, name))}")
    for name in ("endpoint", "note", "contributor"):
        if getattr(linkset, name):
            lines.append(f"{name}: {_quoted(getattr(linkset, name))}")
    lines.append("links:" if linkset.links else "links: []")
    for link in sorted(linkset.links, key=lambda k: (k.local, k.relation, k.external)):
        lines.append(f"  - local: {_quoted(link.local)}")
        for name in ("relation", "external", "label", "method", "score", "note", "contributor"):
            value = getattr(link, name)
            if value is not None:
                lines.append(f"    {name}: {value if name == 'score' else _quoted(value)}")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    # A JSON string is a YAML double-quoted scalar: any text round-trips.
    return json.dumps(text, ensure_ascii=False)
