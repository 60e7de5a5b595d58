"""Read dataset.yaml, the dataset's own metadata, with file:line in every error."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from confgraph.load import data_root, inside
from confgraph.metadata import (
    LICENCE_NAMES,
    Agent,
    Contact,
    DatasetMetadata,
    Licence,
    SourceLicence,
    licence_from_iri,
    licence_from_spdx,
)
from confgraph.programme import url_problem
from confgraph.yamlmap import YamlMap, display_path, read_yaml

DATASET_FILE = "dataset.yaml"
EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")
MIN_YEAR, MAX_YEAR = 1900, 2999


def dataset_file(data_dir: Path) -> Path | None:
    """Return a data directory's dataset.yaml, or None when it has none."""
    path = data_dir / DATASET_FILE
    return path if path.is_file() else None


def read_metadata(data_dir: Path) -> DatasetMetadata | None:
    """Read a data directory's dataset.yaml; None when there is none (defaults apply)."""
    path = dataset_file(data_dir)
    if path is None:
        return None
    top = read_yaml(inside(data_root(data_dir), path))
    citation = top.get("citation", YamlMap)
    metadata = DatasetMetadata(
        title=top.require("title", str),
        description=top.require("description", str),
        licence=_licence(top),
        publisher=_publisher(top.require("publisher", YamlMap)),
        contact=_contact(top.get("contact", YamlMap)),
        keywords=_words(top, "keywords"),
        url=_url(top, "url"),
        source=DATASET_FILE,
        sources=_sources(top, data_dir),
        **(_citation(citation) if citation else {}),
    )
    top.done()
    return metadata


def _sources(top: YamlMap, data_dir: Path) -> tuple[SourceLicence, ...]:
    """Read the licences that source files keep, each naming a file of the data directory."""
    entries = top.get("sources", YamlMap)
    if entries is None:
        return ()
    found = []
    for name in entries.field_names():
        entry = entries.require(name, YamlMap)
        if not (data_dir / name).is_file() or name.startswith("/") or ".." in name.split("/"):
            raise entries.error(f"source '{name}' is not a file of the data directory", name)
        found.append(
            SourceLicence(
                name, _licence(entry), _url(entry, "url"), entry.get("attribution", str) or ""
            )
        )
        entry.done()
    return tuple(found)


def _licence(top: YamlMap) -> Licence:
    text = top.require("licence", str)
    if ":" in text:
        problem = url_problem(text)
        if problem:
            raise top.error(f"licence '{text}' {problem}", "licence")
        return licence_from_iri(text)
    if text in LICENCE_NAMES:
        return licence_from_spdx(text)
    by_case = {spdx.lower(): spdx for spdx in LICENCE_NAMES}
    close = by_case.get(text.lower()) or next(
        iter(difflib.get_close_matches(text, LICENCE_NAMES, n=1)), None
    )
    hint = f" (did you mean {close}?)" if close else ""
    raise top.error(
        f"licence '{text}' is not an SPDX id confgraph knows{hint}; known: "
        f"{', '.join(LICENCE_NAMES)}; any other licence is written as its IRI",
        "licence",
    )


def _publisher(entry: YamlMap) -> Agent:
    agent = Agent(entry.require("name", str), _url(entry, "url"))
    entry.done()
    return agent


def _contact(entry: YamlMap | None) -> Contact | None:
    if entry is None:
        return None
    contact = Contact(entry.require("name", str), _email(entry), _url(entry, "url"))
    entry.done()
    if not contact.email and not contact.url:
        raise entry.error("a contact needs an 'email' or a 'url'")
    return contact


def _citation(entry: YamlMap) -> dict:
    year = entry.get("year", int)
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise entry.error(f"year {year} is not a year ({MIN_YEAR}-{MAX_YEAR})", "year")
    fields = {
        "citation": entry.get("text", str) or "",
        "authors": _words(entry, "authors"),
        "year": year,
    }
    entry.done()
    return fields


def _words(entry: YamlMap, key: str) -> tuple[str, ...]:
    found = entry.get(key, list)
    return tuple(text for text, _ in found.strings()) if found else ()


def _url(entry: YamlMap, key: str) -> str:
    text = entry.get(key, str)
    if text is None:
        return ""
    problem = url_problem(text)
    if problem:
        raise entry.error(f"{key} '{text}' {problem}", key)
    return text


def _email(entry: YamlMap) -> str:
    text = entry.get("email", str)
    if text is None:
        return ""
    if not EMAIL.fullmatch(text.removeprefix("mailto:")):
        raise entry.error(f"email '{text}' is not an e-mail address (name@example.org)", "email")
    return text.removeprefix("mailto:")


def missing_message(data_dir: Path) -> str:
    """Say that a data directory has no dataset.yaml and what the release does without it."""
    shown = display_path(data_dir / DATASET_FILE)
    return (
        f"warning: {shown} not found: the dataset is published with a default title and "
        "no licence, publisher or contact (`confgraph init` writes a dataset.yaml to edit)"
    )
