"""A crawler follows every internal link of the site from / and finds none dead.

Links are followed as a browser would (Accept: text/html, redirects followed), through the
Flask test client; a link's #fragment must name an element of the page it points at.
Links off the site (schema.org, w3id.org outside the base, ...) are not fetched, nor are
links whose query combines several parameters (a second facet, a facet and a sort or a
page of the index pages): each parameter is followed on its own, and their combinations
would make the crawl grow with the product of the facets' values.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

import pytest
from flask.testing import FlaskClient
from htmlparse import Element, parse_html

from confgraph.iris import Iris
from confgraph.pipeline import run_build
from confgraph.settings import Settings
from confgraph.store.registry import open_store
from confgraph.store.release import Release
from confgraph.web.app import create_app

DATA = Path(__file__).resolve().parents[2] / "data"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
ORIGIN = "http://localhost"
MOST_PAGES = 5000  # the repository's data makes a few hundred addresses; a loop passes this
# Where a page links from: (tag, attribute).
LINKING = (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"))
# Dead links known on this branch, to be fixed by work merged later: pattern -> who fixes what.
# The test fails on any other dead link, and on a pattern that no longer matches one (fixed:
# remove it), so this list only shrinks.
KNOWN_DEAD: dict[str, str] = {}


@dataclass
class Crawl:
    """What a crawl found: each address's status, each page's ids, who links where."""

    status: dict[str, int] = field(default_factory=dict)
    ids: dict[str, set[str]] = field(default_factory=dict)
    linked_from: dict[str, set[str]] = field(default_factory=dict)


def internal(address: str, page: str, base: str = "") -> str | None:
    """Return the site-relative form of a link (with its fragment), or None if off the site.

    A link into the dataset's base (its IRIs, which its base redirects to this site) counts.
    """
    if base and address.startswith(base + "/"):
        address = address[len(base) :]
    absolute = urljoin(ORIGIN + page, address)
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != ORIGIN:
        return None
    return absolute[len(ORIGIN) :]


def links_of(page: Element) -> list[str]:
    """Return every address a page links to or loads."""
    return [e.attrs[attr] for tag, attr in LINKING for e in page.iter(tag) if e.attrs.get(attr)]


def crawl(client: FlaskClient, base: str, start: str = "/") -> Crawl:
    """Follow every internal link from start; record statuses and the ids of HTML pages."""
    found = Crawl()
    queue = deque([start])
    seen = {start}
    while queue:
        assert len(found.status) < MOST_PAGES, "the crawl does not end"
        path = queue.popleft()
        response = client.get(path, headers=BROWSER, follow_redirects=True)
        found.status[path] = response.status_code
        if response.mimetype != "text/html":
            response.close()
            continue
        page = parse_html(response.get_data(as_text=True))
        found.ids[path] = {e.attrs["id"] for e in page.iter() if "id" in e.attrs}
        found.ids[path] |= {e.attrs["name"] for e in page.iter("a") if "name" in e.attrs}
        for address in links_of(page):
            target = internal(address, path, base)
            if target is None:
                continue
            found.linked_from.setdefault(target, set()).add(path)
            document = urldefrag(target).url
            if document not in seen and len(parse_qsl(urlsplit(document).query)) <= 1:
                seen.add(document)
                queue.append(document)
    return found


def dead_links(found: Crawl) -> dict[str, str]:
    """Return each dead link with why: its status, or the fragment its page lacks."""
    dead: dict[str, str] = {}
    for target in found.linked_from:
        document, fragment = urldefrag(target)
        status = found.status.get(document)
        if status is not None and status >= 400:
            dead[target] = f"status {status}"
        elif fragment and fragment not in found.ids.get(document, set()):
            dead[target] = f"no element with id {fragment!r}"
    return dead


def known(link: str) -> str | None:
    """Return the KNOWN_DEAD pattern a dead link matches, if any."""
    return next((p for p in KNOWN_DEAD if re.fullmatch(p, link)), None)


def report(found: Crawl, links: dict[str, str]) -> str:
    """Say, per dead link, why and which pages link to it."""
    return "\n".join(
        f"{link}: {why} (linked from {', '.join(sorted(found.linked_from[link])[:3])})"
        for link, why in sorted(links.items())
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    """Build the repository's data (as `confgraph build` does) and serve it."""
    release = Release.open(run_build(DATA, tmp_path_factory.mktemp("crawl"), Iris()))
    store = open_store("oxigraph", release.source("oxigraph"))
    app = create_app(Settings(release=str(release.path), query_workers=0), store, release)
    app.config["TESTING"] = True
    client = app.test_client()
    client.base = release.base  # type: ignore[attr-defined]
    yield client
    store.close()


@pytest.fixture(scope="module")
def found(site: FlaskClient) -> Crawl:
    """Crawl the site once for the tests below."""
    return crawl(site, site.base)  # type: ignore[attr-defined]


def test_the_crawl_reaches_every_kind_of_page(found: Crawl) -> None:
    visited = set(found.status)
    for expected in ("/", "/sparql", "/dumps/", "/dataset", "/ontology", "/shapes"):
        assert expected in visited
    assert any(p.startswith("/programme/") for p in visited)
    assert any(p.startswith("/id/country/") for p in visited)
    assert any(p.startswith("/static/") for p in visited)
    assert len(visited) > 30


def test_no_internal_link_is_dead(found: Crawl) -> None:
    dead = dead_links(found)
    new = {link: why for link, why in dead.items() if known(link) is None}
    assert not new, "dead links:\n" + report(found, new)
    fixed = sorted(set(KNOWN_DEAD) - {known(link) for link in dead})
    assert not fixed, f"fixed, remove from KNOWN_DEAD: {fixed}"


def test_the_crawler_finds_a_dead_link_and_a_missing_anchor() -> None:
    found = Crawl(
        status={"/": 200, "/gone": 404, "/ontology": 200},
        ids={"/": {"top"}, "/ontology": {"Meeting"}},
        linked_from={"/gone": {"/"}, "/ontology#nothing": {"/"}, "/ontology#Meeting": {"/"}},
    )
    assert dead_links(found) == {
        "/gone": "status 404",
        "/ontology#nothing": "no element with id 'nothing'",
    }
    assert internal("https://schema.org/Event", "/") is None
    assert internal("../../ontology#x", "/id/meeting/a") == "/ontology#x"
    assert internal("https://w3id.org/cg/activity/x", "/", "https://w3id.org/cg") == "/activity/x"
