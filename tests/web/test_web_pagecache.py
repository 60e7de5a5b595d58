"""Pages kept per release (page_cache): rendered once, answered the same, headers and all."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from test_web_cache import CountingStore
from webfixture import BASE, M

from confgraph.errors import EngineUnavailable
from confgraph.settings import Settings
from confgraph.store.base import Store
from confgraph.store.release import Release
from confgraph.web.app import create_app

MEETING = M.removeprefix(BASE) + ".html"
BRAZIL = "/id/country/bra.html"
PAGES = ["/", MEETING, "/id/country/bra.ttl", "/.well-known/void", "/dumps/"]


@pytest.fixture()
def counted(settings: Settings, store: Store, release: Release) -> tuple[FlaskClient, Any]:
    """Return a client over a store that counts its calls (the page cache on), and that store."""
    counting = CountingStore(store)
    app = create_app(settings.replace(page_cache=8), counting, release)  # type: ignore[arg-type]
    return app.test_client(), counting


@pytest.mark.parametrize("path", PAGES)
def test_a_page_asked_again_is_not_rendered_again(
    counted: tuple[FlaskClient, CountingStore], path: str
) -> None:
    client, counting = counted
    first = client.get(path)
    before = counting.calls
    again = client.get(path)
    assert first.status_code == again.status_code == 200
    assert again.get_data() == first.get_data()
    assert counting.calls == before  # neither the store nor a template was asked again
    assert sorted(again.headers.items()) == sorted(first.headers.items())


def test_a_kept_page_gets_each_response_header_once(bundled_client: FlaskClient) -> None:
    first = bundled_client.get("/id/country/phl.ttl")
    again = bundled_client.get("/id/country/phl.ttl")  # kept (page_cache is on by default)
    assert again.get_data() == first.get_data()
    assert again.headers.getlist("Link") == first.headers.getlist("Link")
    assert len(again.headers.getlist("Link")) == 1
    assert again.headers["Link"].count('rel="license"') == 1
    for name in ("X-Content-Type-Options", "Access-Control-Allow-Origin", "Vary"):
        assert len(again.headers.getlist(name)) == 1, name


def test_pages_are_kept_per_language_and_format(
    counted: tuple[FlaskClient, CountingStore],
) -> None:
    client, _ = counted
    for _ in range(2):
        french = client.get(BRAZIL, headers={"Accept-Language": "fr"}).get_data(as_text=True)
        english = client.get(BRAZIL, headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "<title>Brésil" in french and "<title>Brazil" in english
    for _ in range(2):
        turtle = client.get("/graph/shared", headers={"Accept": "text/turtle"})
        html = client.get("/graph/shared", headers={"Accept": "text/html"})
        assert turtle.mimetype == "text/turtle" and html.mimetype == "text/html"


def test_conditional_and_failed_requests_are_not_kept(
    counted: tuple[FlaskClient, CountingStore],
) -> None:
    client, counting = counted
    first = client.get("/id/country/bra.ttl")
    tag = {"If-None-Match": first.headers["ETag"]}
    assert client.get("/id/country/bra.ttl", headers=tag).status_code == 304
    assert client.get("/id/country/zzz.html").status_code == 404
    before = counting.calls
    assert client.get("/id/country/zzz.html").status_code == 404
    assert counting.calls > before


def test_no_page_is_kept_with_a_size_of_zero(
    settings: Settings, store: Store, release: Release
) -> None:
    counting = CountingStore(store)
    client = create_app(settings.replace(page_cache=0), counting, release).test_client()  # type: ignore[arg-type]
    client.get("/id/country/bra.html")
    before = counting.calls
    client.get("/id/country/bra.html")
    assert counting.calls > before


class DownStore(CountingStore):
    """A store whose engine can be taken down: its queries then fail as an unreachable one's."""

    down = False

    def __getattr__(self, name: str) -> Any:
        found = super().__getattr__(name)
        if name not in ("query", "lookup") or not callable(found):
            return found

        def maybe_down(*args: Any, **kwargs: Any) -> Any:
            if self.down:
                raise EngineUnavailable("the SPARQL engine cannot be reached")
            return found(*args, **kwargs)

        return maybe_down


def test_a_page_shown_without_its_data_is_not_kept(
    settings: Settings, store: Store, release: Release
) -> None:
    down = DownStore(store)
    client = create_app(settings.replace(page_cache=8), down, release).test_client()  # type: ignore[arg-type]
    down.down = True
    assert b'id="unavailable"' in client.get("/").get_data()
    down.down = False
    assert b'id="unavailable"' not in client.get("/").get_data()
