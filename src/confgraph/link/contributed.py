"""`confgraph link import`: a researcher's CSV of links, checked whole, as a linkset of its own."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from confgraph.build import build_dataset
from confgraph.csvtable import read_table
from confgraph.errors import DataError, DataErrors
from confgraph.iris import Iris
from confgraph.link.graphs import REGISTRY_PREDICATES
from confgraph.link.linkset import (
    EXTERNAL,
    LINKS_DIR,
    RELATIONS,
    TARGET,
    Link,
    Linkset,
    linkset_files,
    linkset_text,
    local_iri,
    local_key,
    read_linkset,
)
from confgraph.load import load_catalogue
from confgraph.release import build_time
from confgraph.vocab import ONTOLOGY_IRI
from confgraph.yamlmap import display_path

COLUMNS = ("local", "relation", "external", "note", "contributor")
# Identity (owl:sameAs) is kept for countries matched by code: researchers assert matches.
ALLOWED = tuple(name for name in RELATIONS if name != "owl:sameAs")
METHOD = "asserted by a researcher, imported with confgraph link import"
HEADING = """\
Links contributed by researchers, imported with `confgraph link import` from {source}.
Each link names its contributor; the import checked that every local resource exists, every
relation is allowed and every external IRI is well formed, with no duplicate or contradiction."""


@dataclass(frozen=True)
class Known:
    """An existing link and where it is stated."""

    relation: str
    where: str


def import_links(
    csv_path: Path, data_dir: Path, iris: Iris, name: str, licence: str, replace: bool = False
) -> Path:
    """Check every row of a CSV of links and write them as data/links/<name>.yaml, or nothing."""
    if not TARGET.fullmatch(name):
        raise DataError(display_path(csv_path), None, f"linkset name '{name}' must be a slug")
    target = data_dir / LINKS_DIR / f"{name}.yaml"
    if target.exists() and not replace:
        raise DataError(display_path(target), None, "exists: pick another --name or --replace")
    shown = display_path(csv_path)
    catalogue = load_catalogue(data_dir)
    dataset = build_dataset(catalogue, iris)
    data = [ts for graph, ts in dataset.graphs.items() if graph != ONTOLOGY_IRI]
    subjects = {s for triples in data for s, _, _ in triples}
    known = _known_links(data_dir, iris, target, data)
    links, errors = _read_rows(csv_path, iris, subjects, known)
    if errors:
        raise DataErrors(tuple(errors)) if len(errors) > 1 else errors[0]
    if not links:
        raise DataError(shown, None, "no links to import")
    linkset = _linkset(name, licence, links, shown)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(linkset_text(linkset, HEADING.format(source=csv_path.name)), "utf-8")
    temporary.replace(target)
    return target


def _known_links(data_dir: Path, iris: Iris, target: Path, data: list) -> dict:
    known: dict[tuple[str, str], Known] = {}
    names = {str(iri): name for name, iri in RELATIONS.items()}
    for triples in data:  # the registries' links
        for s, p, o in triples:
            if p in REGISTRY_PREDICATES:
                known[(str(s), str(o))] = Known(names[str(p)], "the registries")
    for path in linkset_files(data_dir):
        if path.resolve() == target.resolve():
            continue
        linkset = read_linkset(path)
        for link in linkset.links:
            where = f"{linkset.path}:{link.line}"
            known[(str(local_iri(link.local, iris)), link.external)] = Known(link.relation, where)
    return known


def _read_rows(
    path: Path, iris: Iris, subjects: set, known: dict
) -> tuple[list[Link], list[DataError]]:
    """Return the file's links and the errors of its bad rows (the whole file's, if unreadable)."""
    links: list[Link] = []
    errors: list[DataError] = []

    def read(reader: csv.DictReader, shown: str) -> None:
        for row in reader:
            try:
                links.append(_row(row, reader.line_num, iris, subjects, known, shown))
            except ValueError as error:
                errors.append(DataError(shown, reader.line_num, str(error)))

    try:
        read_table(path, COLUMNS, read)
    except DataError as error:
        return [], [error]
    return links, errors


def _row(row: dict, line: int, iris: Iris, subjects: set, known: dict, shown: str) -> Link:
    if any(row.get(column) is None for column in COLUMNS) or None in row:
        raise ValueError(f"the row must have the {len(COLUMNS)} columns {', '.join(COLUMNS)}")
    values = {column: row[column].strip() for column in COLUMNS}
    key = local_key(values["local"], iris)  # ValueError names the forms it accepts
    if local_iri(key, iris) not in subjects:
        raise ValueError(f"'{values['local']}' names no resource of the data")
    relation, external = values["relation"], values["external"]
    if relation not in ALLOWED:
        raise ValueError(f"relation '{relation}' is not one of {', '.join(ALLOWED)}")
    if not EXTERNAL.fullmatch(external) or not urlsplit(external).netloc:
        raise ValueError(f"'{external}' is not a well-formed http(s) IRI")
    if not values["contributor"]:
        raise ValueError("the contributor is missing (the name of who asserts the link)")
    pair = (str(local_iri(key, iris)), external)
    if pair in known:
        found = known[pair]
        verb = "repeats" if found.relation == relation else f"contradicts ({found.relation})"
        raise ValueError(f"the link {verb} the link of {found.where}")
    known[pair] = Known(relation, f"{shown}:{line}")
    note = values["note"] or None
    return Link(key, relation, external, METHOD, 100, None, note, values["contributor"], line)


def _linkset(name: str, licence: str, links: list[Link], source: str) -> Linkset:
    externals = [link.external for link in links]
    hosts = {_dataset_of(external) for external in externals}
    target = hosts.pop() if len(hosts) == 1 else "urn:confgraph:several-datasets"
    prefix = os.path.commonprefix(externals)  # noqa: RUF071 (IRIs, compared as text)
    contributors = sorted({link.contributor for link in links if link.contributor})
    return Linkset(
        target=name,
        title=urlsplit(target).netloc or "several datasets",
        objects_target=target,
        uri_space=prefix[: prefix.rfind("/") + 1] or prefix,
        licence=licence,
        generated_at=build_time().isoformat(timespec="seconds").replace("+00:00", "Z"),
        method=METHOD,
        links=tuple(links),
        note=f"imported from {Path(source).name}",
        contributor=", ".join(contributors),
    )


def _dataset_of(external: str) -> str:
    return urlsplit(external)._replace(path="/", query="", fragment="").geturl()
