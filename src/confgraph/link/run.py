"""`confgraph link`: reconcile the data with Wikidata and write its linkset and review file."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from confgraph import __version__
from confgraph.build import build_dataset
from confgraph.iris import Iris
from confgraph.link.client import ClientSettings, SparqlClient
from confgraph.link.linkset import LINKS_DIR, Linkset, linkset_text
from confgraph.link.reconcile import ENTITY, Entities, Result, Review, reconcile
from confgraph.load import load_catalogue
from confgraph.model import Catalogue
from confgraph.release import build_time
from confgraph.vocab import CG

QID_IRI = re.compile(r"http://www[.]wikidata[.]org/entity/Q[1-9][0-9]*")
DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
TARGET = "wikidata"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
METHOD = (
    "confgraph link: countries by ISO 3166-1 alpha-3 code (wdt:P298, owl:sameAs); organisations "
    "by the item the registry names, else by English label or alias of their name, other names "
    "and acronym, scored (skos:exactMatch from 90, skos:closeMatch from 75; weaker or ambiguous "
    "matches go to the review file); people only by the item the programme names"
)
HEADING = """\
Links from confgraph's resources to Wikidata, written by `confgraph link` (do not edit by
hand: run it again, or add links of your own with `confgraph link import`).
Each link has its match method and score (0-100); what was not linked, and why, is in
review/wikidata.yaml, which the build does not read."""


@dataclass(frozen=True)
class LinkRun:
    """What a run wrote."""

    linkset: Path
    review: Path
    result: Result
    queries: int


def run_link(
    data_dir: Path, iris: Iris, settings: ClientSettings, note: str | None = None, batch: int = 50
) -> LinkRun:
    """Reconcile the data; write the files only once every query has been answered."""
    catalogue = load_catalogue(data_dir)
    client = SparqlClient(settings)
    result = reconcile(client, entities(catalogue, iris), batch)
    linkset = Linkset(
        target=TARGET,
        title="Wikidata",
        objects_target="https://www.wikidata.org/",
        uri_space="http://www.wikidata.org/entity/",
        licence=CC0,
        generated_at=build_time().isoformat(timespec="seconds").replace("+00:00", "Z"),
        method=f"{METHOD} (confgraph {__version__})",
        links=tuple(result.links),
        endpoint=settings.endpoint,
        note=note,
    )
    directory = data_dir / LINKS_DIR
    paths = directory / f"{TARGET}.yaml", directory / "review" / f"{TARGET}.yaml"
    _write_all({paths[0]: linkset_text(linkset, HEADING), paths[1]: review_text(result.review)})
    return LinkRun(paths[0], paths[1], result, client.asked)


def entities(catalogue: Catalogue, iris: Iris) -> Entities:
    """Return the countries, organisations and identified people that the data describes."""
    dataset = build_dataset(catalogue, iris)
    subjects = {s for triples in dataset.graphs.values() for s, _, _ in triples}
    countries = {
        str(code): catalogue.countries[str(code)].wikidata
        for triples in dataset.graphs.values()
        for _, p, code in triples
        if p == CG.isoAlpha3
    }
    organisations = tuple(
        o for k, o in sorted(catalogue.organisations.items()) if iris.organisation(k) in subjects
    )
    people = {
        key: person.wikidata
        for programme in catalogue.programmes
        for key, person in programme.people.items()
        if person.wikidata
    }
    return Entities(countries, organisations, people, _topics(catalogue))


def _topics(catalogue: Catalogue) -> dict[str, tuple[str, ...]]:
    """Return the Wikidata items meetings and items name as their subjects, by local key."""
    topics: dict[str, tuple[str, ...]] = {}
    for programme in catalogue.programmes:
        meeting = programme.meeting
        topics[f"meeting/{meeting.key}"] = _items(meeting.subjects)
        pending = [item for day in meeting.days for item in day.items]
        while pending:
            item = pending.pop()
            topics[f"session/{meeting.key}/{item.key}"] = _items(item.subjects)
            pending.extend(item.items)
    return {local: qids for local, qids in topics.items() if qids}


def _items(subjects: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(s.removeprefix(ENTITY) for s in subjects if QID_IRI.fullmatch(s))


def review_text(reviews: list[Review]) -> str:
    """Return the review file: what was not linked, why, and the candidates offered."""
    lines = [
        "# Entities `confgraph link` did not link, and why (never read by the build).",
        "# A curator who finds the right item can cite its source in the data",
        "# (organisations.yaml's wikidata, a person's wikidata) or import a link.",
        "review:" if reviews else "review: []",
    ]
    for review in sorted(reviews, key=lambda r: r.local):
        lines += [f"  - local: {review.local}", f"    reason: {_quoted(review.reason)}"]
        if review.candidates:
            lines.append("    candidates:")
        for candidate in review.candidates:
            lines.append(f"      - item: {candidate.item}")
            if candidate.label:
                lines.append(f"        label: {_quoted(candidate.label)}")
            lines.append(f"        score: {candidate.score}")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _write_all(files: dict[Path, str]) -> None:
    """Write every file beside its place, then move each into place (no half-written file)."""
    staged = []
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.write_text(text, "utf-8")
        staged.append((temporary, path))
    for temporary, path in staged:
        os.replace(temporary, path)
