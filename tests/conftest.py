"""Shared fixtures: the repository's data, a writable copy of it, and the CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import confgraph.load
from confgraph.build import build_dataset, data_graph
from confgraph.iris import Iris
from confgraph.load import load_catalogue
from confgraph.model import Catalogue

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """Return the bundled programmes, loaded once."""
    return load_catalogue(DATA)


@pytest.fixture(scope="session")
def vienna(catalogue: Catalogue):
    """Return the data graph of the bundled Vienna 2017 programme (its own and shared)."""
    return data_graph(build_dataset(catalogue, Iris()))


@pytest.fixture
def mini_data(tmp_path: Path) -> Path:
    """Return a writable copy of the small golden data directory."""
    target = tmp_path / "data"
    shutil.copytree(GOLDEN / "mini", target, ignore=shutil.ignore_patterns("expected.ttl"))
    return target


@pytest.fixture
def runner() -> CliRunner:
    """Return a click test runner."""
    return CliRunner()


@pytest.fixture
def hearing_data(tmp_path: Path) -> Path:
    """Return a data directory of one programme without times (the golden registries)."""
    target = tmp_path / "hearing-data"
    shutil.copytree(GOLDEN / "mini", target, ignore=shutil.ignore_patterns("expected.ttl"))
    (target / "programmes" / "mini.yaml").unlink()
    shutil.copy(GOLDEN / "hearing" / "hearing.yaml", target / "programmes" / "hearing.yaml")
    return target


# The real SPARQL engines (Oxigraph server, Virtuoso), started once per session when needed.
pytest_plugins = ("engines",)


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the process pools the loader and the builder start, with how many workers each."""
    started: list[int] = []
    real = confgraph.load.ProcessPoolExecutor

    def counted(workers: int, **options: object) -> object:
        started.append(workers)
        return real(workers, **options)

    monkeypatch.setattr(confgraph.load, "ProcessPoolExecutor", counted)
    return started
