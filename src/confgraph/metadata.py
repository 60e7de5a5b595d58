"""The dataset's own metadata (dataset.yaml): title, licence, publisher, contact, citation.

A release records it in release.json under "dataset"; the web layer reads it from
`Release.metadata` (confgraph.store.release) as a `DatasetMetadata`, so templates can show
the title, the licence and how to cite the dataset without reading any graph.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

SPDX_LICENCES = "https://spdx.org/licenses/"
# SPDX identifiers of the licences data is commonly published under, with SPDX's full names;
# any other licence is given by its IRI.
LICENCE_NAMES = {
    "CC0-1.0": "Creative Commons Zero v1.0 Universal",
    "CC-BY-4.0": "Creative Commons Attribution 4.0 International",
    "CC-BY-SA-4.0": "Creative Commons Attribution Share Alike 4.0 International",
    "CC-BY-NC-4.0": "Creative Commons Attribution Non Commercial 4.0 International",
    "CC-BY-ND-4.0": "Creative Commons Attribution No Derivatives 4.0 International",
    "CC-BY-NC-SA-4.0": "Creative Commons Attribution Non Commercial Share Alike 4.0 International",
    "CC-BY-NC-ND-4.0": (
        "Creative Commons Attribution Non Commercial No Derivatives 4.0 International"
    ),
    "CC-BY-3.0": "Creative Commons Attribution 3.0 Unported",
    "CC-BY-SA-3.0": "Creative Commons Attribution Share Alike 3.0 Unported",
    "ODbL-1.0": "Open Data Commons Open Database License v1.0",
    "ODC-By-1.0": "Open Data Commons Attribution License v1.0",
    "PDDL-1.0": "Open Data Commons Public Domain Dedication & License 1.0",
    "MIT": "MIT License",
}
DEFAULT_TITLE = "confgraph: meeting and conference programmes"
DEFAULT_DESCRIPTION = (
    "Meetings, programme days, sessions, panels, speakers and moderators with their roles "
    "and affiliations, statements delivered from the floor and written inputs."
)


@dataclass(frozen=True)
class Agent:
    """A publisher: a name and, when known, the address of its home page."""

    name: str
    url: str = ""


@dataclass(frozen=True)
class Contact:
    """Whom to write to about the dataset: a name, and an e-mail address or a URL (or both)."""

    name: str
    email: str = ""
    url: str = ""


@dataclass(frozen=True)
class Licence:
    """The dataset's licence: its IRI, and its SPDX id and name when it has one."""

    iri: str
    spdx_id: str = ""
    name: str = ""

    @property
    def label(self) -> str:
        """Return what to show for the licence: its SPDX id, else its IRI."""
        return self.spdx_id or self.iri


def licence_from_spdx(spdx_id: str) -> Licence:
    """Return the licence of a known SPDX id (raises KeyError for another)."""
    return Licence(SPDX_LICENCES + spdx_id, spdx_id, LICENCE_NAMES[spdx_id])


def licence_from_iri(iri: str) -> Licence:
    """Return the licence an IRI names, with its SPDX id when it is an SPDX licence page."""
    spdx_id = iri.removeprefix(SPDX_LICENCES).removesuffix(".html")
    if iri.startswith(SPDX_LICENCES) and spdx_id in LICENCE_NAMES:
        return licence_from_spdx(spdx_id)
    return Licence(iri)


@dataclass(frozen=True)
class SourceLicence:
    """The licence of one source file of the data (a reference table), which it keeps."""

    name: str  # its path under the data directory, as release.json's "sources" name it
    licence: Licence
    url: str = ""  # where it comes from
    attribution: str = ""  # the notice or credit its licence asks for


@dataclass(frozen=True)
class DatasetMetadata:
    """What a release says about its dataset as a whole, for the description and the pages.

    Fields a template may show:
      title, description: text (never empty);
      licence: a Licence (`.iri`, `.label`, `.name`), or None when dataset.yaml gives none;
      publisher: an Agent (`.name`, `.url`) or None; contact: a Contact or None;
      keywords: words for catalogues; citation: the text to cite the release by (never
      empty in a release); authors, year, version (the release id), url (the dataset's
      address): the parts of a BibTeX or CSL-JSON record; source: the file it was read
      from ("dataset.yaml"), "" when the data directory had none and defaults were used;
      sources: the source files that keep a licence of their own (SourceLicence).
    """

    title: str = DEFAULT_TITLE
    description: str = DEFAULT_DESCRIPTION
    licence: Licence | None = None
    publisher: Agent | None = None
    contact: Contact | None = None
    keywords: tuple[str, ...] = ()
    citation: str = ""
    authors: tuple[str, ...] = ()
    year: int | None = None
    version: str = ""
    url: str = ""
    source: str = ""
    sources: tuple[SourceLicence, ...] = ()

    def for_release(self, version: str, url: str, year: int) -> DatasetMetadata:
        """Return this metadata for one release: its version, its address, and a citation."""
        released = dataclasses.replace(self, version=version, url=self.url or url)
        released = dataclasses.replace(released, year=self.year or year)
        return dataclasses.replace(released, citation=self.citation or released.cited())

    def cited(self) -> str:
        """Return a citation made of the creators, year, title, version and address."""
        creators = "; ".join(self.authors) or (self.publisher.name if self.publisher else "")
        parts = [f"{creators} ({self.year})." if creators else f"({self.year}).", f"{self.title}."]
        if self.version:
            parts.append(f"Version {self.version}.")
        if self.url:
            parts.append(self.url)
        return " ".join(parts)

    def to_json(self) -> dict[str, Any]:
        """Return the metadata as release.json records it."""
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> DatasetMetadata:
        """Read the metadata release.json records; anything missing or odd takes its default."""
        if not isinstance(data, dict):
            return cls()
        fields = {f.name: data[f.name] for f in dataclasses.fields(cls) if f.name in data}
        nested = {"licence": Licence, "publisher": Agent, "contact": Contact}
        for name, kind in nested.items():
            fields[name] = _nested(kind, fields.get(name))
        fields["keywords"] = tuple(fields.get("keywords") or ())
        fields["authors"] = tuple(fields.get("authors") or ())
        try:
            fields["sources"] = tuple(_source(item) for item in fields.get("sources") or ())
            return cls(**fields)
        except (TypeError, AttributeError):
            return cls()


def _source(value: Any) -> SourceLicence:
    if not isinstance(value, dict):
        raise TypeError("a source is an object")
    return SourceLicence(**{**value, "licence": Licence(**value.get("licence", {}))})


def _nested(kind: type, value: Any) -> Any:
    if not isinstance(value, dict):
        return None
    try:
        return kind(**value)
    except TypeError:
        return None
