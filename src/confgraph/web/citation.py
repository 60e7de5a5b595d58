"""How to cite a release: plain text, BibTeX and CSL-JSON, made from its dataset metadata."""

from __future__ import annotations

import json
import re
from typing import Any

from confgraph.metadata import DatasetMetadata

# Characters BibTeX (or LaTeX beneath it) reads as markup, and how to write them as text.
BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}


def creators(metadata: DatasetMetadata) -> list[str]:
    """Return who the dataset is cited by: its authors, else its publisher."""
    if metadata.authors:
        return list(metadata.authors)
    return [metadata.publisher.name] if metadata.publisher else []


def citation_key(metadata: DatasetMetadata) -> str:
    """Return a BibTeX key: the title's first word, the year and the release id."""
    word = re.sub(r"[^A-Za-z0-9]", "", metadata.title.split(":")[0].split()[0] or "dataset")
    parts = [word.lower() or "dataset", str(metadata.year or ""), metadata.version]
    return "-".join(re.sub(r"[^A-Za-z0-9]+", "", p) for p in parts if p)


def bibtex(metadata: DatasetMetadata) -> str:
    """Return a BibTeX @misc record of the release (names kept whole in braces)."""
    fields: list[tuple[str, str]] = []
    if names := creators(metadata):
        fields.append(("author", " and ".join("{" + _tex(n) + "}" for n in names)))
    fields.append(("title", "{" + _tex(metadata.title) + "}"))
    if metadata.year:
        fields.append(("year", str(metadata.year)))
    if metadata.publisher:
        fields.append(("publisher", _tex(metadata.publisher.name)))
    if metadata.version:
        fields.append(("version", _tex(metadata.version)))
    if metadata.url:
        fields.append(("howpublished", r"\url{" + metadata.url + "}"))
        fields.append(("url", metadata.url))
    if metadata.licence:
        fields.append(("note", "Licence: " + _tex(metadata.licence.label)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{citation_key(metadata)},\n{body}\n}}\n"


def csl_json(metadata: DatasetMetadata) -> list[dict[str, Any]]:
    """Return the release as a CSL-JSON item list (type "dataset")."""
    item: dict[str, Any] = {
        "id": citation_key(metadata),
        "type": "dataset",
        "title": metadata.title,
    }
    if names := creators(metadata):
        item["author"] = [{"literal": n} for n in names]
    if metadata.year:
        item["issued"] = {"date-parts": [[metadata.year]]}
    if metadata.publisher:
        item["publisher"] = metadata.publisher.name
    if metadata.version:
        item["version"] = metadata.version
    if metadata.url:
        item["URL"] = metadata.url
    if metadata.description:
        item["abstract"] = metadata.description
    if metadata.licence:
        item["note"] = f"Licence: {metadata.licence.label}"
    return [item]


def csl_json_text(metadata: DatasetMetadata) -> str:
    """Return the CSL-JSON record as indented text."""
    return json.dumps(csl_json(metadata), indent=2, ensure_ascii=False) + "\n"


def _tex(text: str) -> str:
    return "".join(BIBTEX_ESCAPES.get(c, c) for c in text)
