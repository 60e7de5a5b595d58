"""A damaged release is never served: the server names the bad file in one line and exits."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from webfixture import write_release

from confgraph.errors import ReleaseError
from confgraph.settings import Settings
from confgraph.store.integrity import verify_release, verify_store
from confgraph.store.oxigraph_engine import OxigraphStore
from confgraph.store.release import Release
from confgraph.web.commands import build_app

Damage = Callable[[Path], None]


def manifest(release: Path) -> dict:
    return json.loads((release / "release.json").read_text("utf-8"))


def record(release: Path, name: str | None = None, drop: str | None = None) -> None:
    """Make release.json agree with the file as it now is (or forget a file)."""
    data = manifest(release)
    if drop:
        del data["files"][drop]
    if name:
        body = (release / name).read_bytes()
        data["files"][name].update(bytes=len(body), sha256=hashlib.sha256(body).hexdigest())
    (release / "release.json").write_text(json.dumps(data), "utf-8")


def rewrite(name: str, body: bytes, recorded: bool = True) -> Damage:
    def damage(release: Path) -> None:
        (release / name).write_bytes(body)
        if recorded:
            record(release, name)

    return damage


def remove(name: str) -> Damage:
    return lambda release: (release / name).unlink()


def truncate(name: str) -> Damage:
    def damage(release: Path) -> None:
        body = (release / name).read_bytes()
        (release / name).write_bytes(body[: len(body) // 2])

    return damage


def tamper(name: str) -> Damage:
    """Change one byte, keeping the size: only the checksum can tell."""

    def damage(release: Path) -> None:
        body = bytearray((release / name).read_bytes())
        body[len(body) // 2] ^= 0x20
        (release / name).write_bytes(bytes(body))

    return damage


def forget(name: str) -> Damage:
    return lambda release: record(release, drop=name)


def edit_manifest(change: Callable[[dict], None]) -> Damage:
    def damage(release: Path) -> None:
        data = manifest(release)
        change(data)
        (release / "release.json").write_text(json.dumps(data), "utf-8")

    return damage


CASES: dict[str, tuple[Damage, str]] = {
    "missing TriG": (remove("confgraph.trig"), r"confgraph\.trig: missing"),
    "truncated TriG": (truncate("confgraph.trig"), r"confgraph\.trig: \d+ bytes where"),
    "empty TriG": (rewrite("confgraph.trig", b""), r"confgraph\.trig: empty"),
    "TriG of prefixes only": (
        rewrite("confgraph.trig", b"@prefix cg: <https://w3id.org/confgraph/ontology#> .\n"),
        r"confgraph\.trig: empty",
    ),
    "tampered Turtle dump": (tamper("confgraph.ttl"), r"confgraph\.ttl: SHA-256 .* \(altered\)"),
    "missing void.ttl": (remove("void.ttl"), r"void\.ttl: missing"),
    "void.ttl not listed": (forget("void.ttl"), r"release\.json: the release lists no void\.ttl"),
    "missing ontology.ttl": (remove("ontology.ttl"), r"ontology\.ttl: missing"),
    "ontology.ttl not listed": (forget("ontology.ttl"), r"lists no ontology\.ttl"),
    "bad void.ttl": (rewrite("void.ttl", b"<a> <b> ."), r"void\.ttl: not valid Turtle"),
    "void.ttl not UTF-8": (rewrite("void.ttl", b"<a> <b> '\xff' ."), r"void\.ttl: not valid"),
    "bad shapes.ttl": (rewrite("shapes.ttl", b"@prefix sh <x> ."), r"shapes\.ttl: not valid"),
    "release.json not JSON": (
        rewrite("release.json", b'{"base": "x",\n "files": }', recorded=False),
        r"release\.json:2: not well-formed JSON",
    ),
    "release.json not UTF-8": (
        rewrite("release.json", b'{"base": "\xff"}', recorded=False),
        r"release\.json: not UTF-8",
    ),
    "release.json without files": (
        edit_manifest(lambda data: data.pop("files")),
        r'release\.json: no "files"',
    ),
    "release.json without release id": (
        edit_manifest(lambda data: data.pop("release")),
        r'release\.json: no "release"',
    ),
    "release.json with a bad size": (
        edit_manifest(lambda data: data["files"]["void.ttl"].update(bytes="ten")),
        r"'void\.ttl': no \"bytes\"",
    ),
    "release.json naming a file outside": (
        edit_manifest(lambda data: data["files"].update({"../x": data["files"]["void.ttl"]})),
        r"'\.\./x': not a plain file name",
    ),
}


@pytest.fixture()
def damaged(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """Write a fresh release and damage it as the case says; return its `current` link."""
    current = write_release(tmp_path)
    request.param(current.resolve())
    return current


@pytest.mark.parametrize(
    ("damaged", "message"), list(CASES.values()), ids=list(CASES), indirect=["damaged"]
)
def test_a_damaged_release_is_named_and_never_served(damaged: Path, message: str) -> None:
    with pytest.raises(ReleaseError, match=message) as caught:
        build_app(Settings(release=str(damaged), query_workers=0))
    assert "\n" not in str(caught.value)
    assert str(damaged.resolve()) in str(caught.value)


def test_an_intact_release_verifies(tmp_path: Path) -> None:
    verify_release(Release.open(write_release(tmp_path)))


@pytest.mark.parametrize("graph", [ox.DefaultGraph(), ox.NamedNode("urn:graph")])
def test_a_store_with_a_triple_in_any_graph_verifies(tmp_path: Path, graph: ox.Term) -> None:
    release = Release.open(write_release(tmp_path))
    store = ox.Store()
    with pytest.raises(ReleaseError, match="holds no triples"):
        verify_store(release, OxigraphStore(store))
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"), graph))
    verify_store(release, OxigraphStore(store))


@pytest.mark.parametrize(
    ("damaged", "name"),
    [(remove("confgraph.trig"), "confgraph.trig"), (tamper("confgraph.ttl"), "confgraph.ttl")],
    indirect=["damaged"],
)
def test_serve_exits_with_one_line_naming_the_file(damaged: Path, name: str) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "confgraph.cli",
            "serve",
            "--release",
            str(damaged),
            "--port",
            "18501",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == ReleaseError.exit_code
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and name in lines[0], done.stderr
