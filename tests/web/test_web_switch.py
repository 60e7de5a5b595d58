"""`serve` follows `current`: new requests get a new release, requests in flight keep theirs."""

from __future__ import annotations

import functools
import json
import logging
import os
import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from htmlparse import parse_html
from webfixture import write_release

from confgraph import release as writer
from confgraph.settings import Settings
from confgraph.store.base import Store
from confgraph.store.registry import open_store
from confgraph.store.release import Release
from confgraph.web.app import create_served_app
from confgraph.web.commands import open_site
from confgraph.web.served import ReleaseFollower

FIRST = "20300107T000000Z-test"


class Opened:
    """A store opener that records which releases' stores are open."""

    def __init__(self) -> None:
        self.open: list[str] = []

    def __call__(self, settings: Settings, release: Release) -> Store:
        store = open_store("oxigraph", release.quads)
        self.open.append(release.release_id)
        close = store.close

        def closing() -> None:
            self.open.remove(release.release_id)
            close()

        store.close = closing  # type: ignore[method-assign]
        return store


def publish(build: Path, name: str, damage: str | None = None) -> Path:
    """Copy the first release under a new id (optionally without a file) and point current at it."""
    target = build / "releases" / name
    shutil.copytree(build / "releases" / FIRST, target)
    manifest = json.loads((target / "release.json").read_text())
    manifest["release"] = name
    (target / "release.json").write_text(json.dumps(manifest))
    if damage:
        (target / damage).unlink()
    link = build / ".current-new"
    link.symlink_to(Path("releases") / name)
    os.replace(link, build / "current")
    return target


@pytest.fixture()
def build(tmp_path: Path) -> Path:
    write_release(tmp_path)
    return tmp_path


@pytest.fixture()
def opened() -> Opened:
    return Opened()


@pytest.fixture()
def follower(build: Path, opened: Opened):
    settings = Settings(release=str(build / "current"), query_workers=0)
    following = ReleaseFollower(
        settings.release, functools.partial(open_site, settings, open_served=opened)
    )
    yield following
    following.close(wait=False)


@pytest.fixture()
def client(follower: ReleaseFollower) -> FlaskClient:
    return create_served_app(Settings(query_workers=0), follower).test_client()


def served_id(client: FlaskClient) -> str:
    """Return the release id in the footer of a page."""
    page = parse_html(client.get("/dumps/", buffered=True).get_data(as_text=True))
    return page.by_id("footer-release").text


def test_new_requests_see_a_new_release_and_requests_in_flight_keep_theirs(
    build: Path, follower: ReleaseFollower, client: FlaskClient, opened: Opened
) -> None:
    assert served_id(client) == FIRST and not follower.check()
    in_flight = client.get("/dumps/confgraph.trig", buffered=False)
    publish(build, "20300108T000000Z-next")
    assert follower.check()
    assert served_id(client) == "20300108T000000Z-next"
    assert opened.open == [FIRST, "20300108T000000Z-next"]  # the old store waits for its request
    assert in_flight.get_data().startswith(b"@prefix")
    in_flight.close()
    assert opened.open == ["20300108T000000Z-next"]


def test_a_served_release_is_not_pruned_until_its_last_request_ends(
    build: Path, follower: ReleaseFollower, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer, "KEEP_RELEASES", 1)
    in_flight = client.get("/dumps/confgraph.ttl", buffered=False)
    newer = publish(build, "20300108T000000Z-next")
    follower.check()
    writer._prune(build / "releases", keep=newer)
    assert (build / "releases" / FIRST / "confgraph.trig").is_file()
    in_flight.close()
    writer._prune(build / "releases", keep=newer)
    assert not (build / "releases" / FIRST).exists()
    assert client.get("/dumps/confgraph.ttl", buffered=True).status_code == 200


def test_a_damaged_release_is_never_switched_in(
    build: Path,
    follower: ReleaseFollower,
    client: FlaskClient,
    caplog: pytest.LogCaptureFixture,
    opened: Opened,
) -> None:
    with caplog.at_level(logging.ERROR):
        publish(build, "20300108T000000Z-bad", damage="confgraph.trig")
        assert not follower.check() and not follower.check()
    assert served_id(client) == FIRST and opened.open == [FIRST]
    assert len(caplog.records) == 1  # said once, not at every look
    message = caplog.records[0].getMessage()
    assert "20300108T000000Z-bad/confgraph.trig: missing" in message and FIRST in message
    assert client.get("/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", buffered=True).status_code == 200
    publish(build, "20300109T000000Z-good")
    assert follower.check() and served_id(client) == "20300109T000000Z-good"


def test_the_follower_looks_by_itself(build: Path, follower: ReleaseFollower) -> None:
    follower.follow(interval=0.05)
    publish(build, "20300108T000000Z-next")
    for _ in range(200):
        if follower.current().release.release_id == "20300108T000000Z-next":
            return
        follower._stop.wait(0.05)
    pytest.fail("the new release was not picked up")
