"""confgraph as a tool: its wheel, installed into a fresh environment outside the checkout,
starts a dataset with `confgraph init`, builds it and serves its pages.

The wheel is built without build isolation (the test extra holds setuptools) and installed
with --no-deps --no-index: the test needs no package index and takes seconds. Its
dependencies come from this environment's site-packages through a .pth file, which puts
them on the fresh environment's path but does not run this environment's own .pth files:
the editable install of the checkout stays out of it, so what runs is the wheel alone.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "confgraph"
# Renders the home page, an agenda and the stylesheet from the installed package's templates.
PAGES = """
import os, sys
import confgraph
from confgraph.web.commands import app_from_environment
client = app_from_environment().test_client()
for path in ("/", "/programme/example-2017-09-vienna-excerpt", "/static/style.css"):
    response = client.get(path)
    print(path, response.status_code, len(response.get_data()))
print("package", confgraph.__file__)
sys.stdout.flush()
os._exit(0)
"""


def run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a command; fail with its output unless it succeeds; return its stdout."""
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"{command}: {result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build confgraph's wheel from a copy of the source (the checkout is left untouched)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    shutil.copytree(ROOT / "src", source / "src", ignore=ignore)
    out = work / "dist"
    pip = (sys.executable, "-m", "pip", "--disable-pip-version-check")
    run(*pip, "wheel", source, "--no-deps", "--no-build-isolation", "-q", "-w", out, cwd=work)
    (built,) = out.glob("confgraph-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Install the wheel into a new virtual environment; return its bin directory."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=venv.parent)
    python = venv / "bin" / "python"
    pip = (sys.executable, "-m", "pip", "--disable-pip-version-check", "--python", python)
    run(*pip, "install", "--no-deps", "--no-index", "-q", wheel, cwd=venv.parent)
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                  cwd=venv.parent).strip()  # fmt: skip
    dependencies = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib) / "test-dependencies.pth").write_text("\n".join(sorted(dependencies)) + "\n")
    return venv / "bin"


def clean_environment(work: Path) -> dict[str, str]:
    """Return an environment without this checkout on any path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "CONFGRAPH_"))}
    return {**env, "HOME": str(work), "SOURCE_DATE_EPOCH": "1700000000"}


def test_the_wheel_holds_every_file_the_package_reads(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = [
        path.relative_to(PACKAGE.parent).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    ]
    missing = sorted(name for name in shipped if name not in names)
    assert not missing, f"not in the wheel: {missing}"
    assert "confgraph/dataset_template/dataset.yaml" in names


def test_an_installed_confgraph_builds_a_dataset_made_by_init(
    installed: Path, tmp_path: Path
) -> None:
    env = clean_environment(tmp_path)
    confgraph = installed / "confgraph"
    run(confgraph, "init", "mydata", cwd=tmp_path, env=env)
    output = run(confgraph, "build", "--data", "mydata", cwd=tmp_path, env=env)
    assert "release written" in output
    release = (tmp_path / "build" / "current").resolve()
    manifest = json.loads((release / "release.json").read_text("utf-8"))
    assert manifest["dataset"]["licence"]["iri"] == "https://spdx.org/licenses/CC0-1.0"
    assert manifest["sources"][0]["name"] == "dataset.yaml"
    assert "sh:NodeShape" in (release / "shapes.ttl").read_text("utf-8")
    query = "SELECT (COUNT(*) AS ?n) { ?s a <https://w3id.org/confgraph/ontology#Statement> }"
    count = run(confgraph, "query", "--output", "csv", query, cwd=tmp_path, env=env)
    assert count.split() == ["n", "9"]
    pages = run(installed / "python", "-c", PAGES, cwd=tmp_path,
                env={**env, "CONFGRAPH_RELEASE": str(tmp_path / "build")})  # fmt: skip
    lines = dict(line.split(" ", 1) for line in pages.splitlines())
    for path in ("/", "/programme/example-2017-09-vienna-excerpt", "/static/style.css"):
        assert lines[path].split()[0] == "200", pages
    assert lines["package"].startswith(str(installed.parent)), "the checkout's confgraph ran"
