"""How terms look on a page: labels by language, prefixed names, local times."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.localedata import locale_identifiers
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD, NamespaceManager
from rdflib.term import Node
from werkzeug.datastructures import LanguageAccept

LabelLookup = Callable[[Iterable[URIRef]], dict[URIRef, list[Literal]]]
# Language vocabularies whose IRIs end in a language code (…/iso639-1/en names English).
LANGUAGE_VOCABULARIES = (
    "http://id.loc.gov/vocabulary/iso639-1/",
    "http://id.loc.gov/vocabulary/iso639-2/",
    "http://lexvo.org/id/iso639-1/",
    "http://lexvo.org/id/iso639-3/",
    "http://publications.europa.eu/resource/authority/language/",
)


def pick_label(labels: Iterable[Literal], accept: LanguageAccept, fallback: str) -> Literal | None:
    """Choose the label in the best accepted language, else the fallback's, else untagged."""
    labels = list(labels)
    languages = sorted({lit.language for lit in labels if lit.language})
    best = accept.best_match(languages) if languages else None
    for wanted in (best, fallback, None):
        for label in labels:
            if (label.language or None) == wanted or (
                wanted and label.language and label.language.split("-")[0] == wanted
            ):
                return label
    return labels[0] if labels else None


class Labeller:
    """Give IRIs readable names for one request, fetching labels from the store in batches."""

    def __init__(
        self,
        lookup: LabelLookup,
        namespaces: NamespaceManager,
        accept: LanguageAccept,
        fallback: str,
    ) -> None:
        self.lookup, self.namespaces = lookup, namespaces
        self.accept, self.fallback = accept, fallback
        self._cache: dict[URIRef, str] = {}
        self._named: set[URIRef] = set()  # the IRIs that have a label of their own

    def prefetch(self, nodes: Iterable[Node]) -> None:
        """Fetch the labels of every IRI among nodes in one store call."""
        wanted = {n for n in nodes if isinstance(n, URIRef) and n not in self._cache}
        found = self.lookup(wanted)
        for iri in wanted:
            label = pick_label(found.get(iri, []), self.accept, self.fallback)
            if label is None:
                label = self.language_name(iri)
            if label is not None:
                self._named.add(iri)
            self._cache[iri] = str(label) if label is not None else self.short(iri)

    def plain(self, node: Node) -> str:
        """Return a term's label, else its local name in words (honorific prefix)."""
        text = self.label(node)
        if not isinstance(node, URIRef) or node in self._named:
            return text
        return plain_words(node)

    def language_name(self, iri: URIRef) -> str | None:
        """Name the language an ISO 639 IRI stands for, in the reader's language (English)."""
        text = str(iri)
        space = next((s for s in LANGUAGE_VOCABULARIES if text.startswith(s)), None)
        if space is None:
            return None
        code = text[len(space) :].strip("/").lower()
        wanted = self.accept.best_match(babel_languages()) or self.fallback
        try:
            name = Locale.parse(wanted).languages.get(code)
        except (ValueError, UnknownLocaleError):
            return None
        return name or None

    def label(self, node: Node) -> str:
        """Return a node's label (a literal's own text)."""
        if isinstance(node, URIRef):
            if node not in self._cache:
                self.prefetch([node])
            return self._cache[node]
        if isinstance(node, BNode):
            return f"_:{node}"
        return str(node)

    def short(self, iri: URIRef) -> str:
        """Return a prefixed name (cg:Panel) or the IRI's last segment."""
        try:
            prefix, _, name = self.namespaces.compute_qname(iri, generate=False)
        except (KeyError, ValueError):
            return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or str(iri)
        return f"{prefix}:{name}" if prefix else name


def plain_words(iri: URIRef) -> str:
    """Return the local name of an IRI as words: containedInPlace gives contained in place."""
    name = str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|[_-]+", " ", name).split()
    if not words:
        return str(iri)
    rest = [w if w.isupper() and len(w) > 1 else w.lower() for w in words[1:]]
    return " ".join([words[0], *rest])  # a class keeps its capital: RoleDuringEvent


@functools.cache
def babel_languages() -> list[str]:
    """Return the languages Babel can name languages in (its locales)."""
    return sorted(locale_identifiers())


def local_datetime(value: Literal, zone: str | None) -> str:
    """Show an xsd:dateTime in the venue's zone with its offset (Mon 4 Sep 2017 10:15 UTC+02:00)."""
    moment = _as_datetime(value)
    if moment is None:
        return str(value)
    moment = _in_zone(moment, zone)
    offset = moment.strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}" if offset else "floating"
    return f"{moment:%a %-d %b %Y %H:%M} UTC{offset}" + (f" ({zone})" if zone else "")


def local_time(value: Literal, zone: str | None) -> str:
    """Return the hh:mm of an xsd:dateTime in the venue's zone."""
    moment = _as_datetime(value)
    return str(value) if moment is None else f"{_in_zone(moment, zone):%H:%M}"


def _as_datetime(value: Literal) -> dt.datetime | None:
    if value.datatype != XSD.dateTime:
        return None
    python = value.toPython()
    return python if isinstance(python, dt.datetime) else None


def _in_zone(moment: dt.datetime, zone: str | None) -> dt.datetime:
    if zone is None or moment.tzinfo is None:
        return moment
    try:
        return moment.astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        return moment


def local_dates(start: Node | None, end: Node | None, zone: str | None) -> str:
    """Show the days an event spans in the venue's zone as programmes do (4-5 September 2017)."""
    first, last = (_as_day(v, zone) for v in (start, end))
    if first is None:
        return ""
    last = last or first
    if first == last:
        return f"{first:%-d %B %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%-d}\u2013{last:%-d %B %Y}"
    if first.year == last.year:
        return f"{first:%-d %B} \u2013 {last:%-d %B %Y}"
    return f"{first:%-d %B %Y} \u2013 {last:%-d %B %Y}"


def _as_day(value: Node | None, zone: str | None) -> dt.date | None:
    """Return the venue's calendar day of an xsd:dateTime, or an xsd:date as it is."""
    if not isinstance(value, Literal):
        return None
    if value.datatype == XSD.date and isinstance(value.toPython(), dt.date):
        return value.toPython()
    moment = _as_datetime(value)
    return None if moment is None else _in_zone(moment, zone).date()


def utc_offset(value: Node | None, zone: str | None) -> str | None:
    """Return the UTC offset (UTC+02:00) of the venue's zone at a moment, if both are known."""
    moment = _as_datetime(value) if isinstance(value, Literal) else None
    if moment is None or moment.tzinfo is None:
        return None
    offset = _in_zone(moment, zone).strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"
