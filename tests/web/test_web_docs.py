"""The README stays true: every setting and route is in it, and its examples run."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from flask import Flask

from confgraph.settings import iter_settings, option_name

DOC = Path(__file__).resolve().parents[2] / "README.md"
LOCAL = "http://127.0.0.1:5000"


def blocks(language: str) -> list[str]:
    """Return the fenced code blocks of one language, in order."""
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text("utf-8"), flags=re.S)


def test_every_setting_is_documented_with_its_option_and_default() -> None:
    text = DOC.read_text("utf-8")
    for name, default, _ in iter_settings():
        row = next((line for line in text.splitlines() if line.startswith(f"| `{name}` |")), None)
        assert row is not None, name
        assert f"`{option_name(name)}`" in row and f"CONFGRAPH_{name.upper()}" in row
        assert (f"`{default}`" if default != "" else "(empty)") in row


def test_every_route_is_documented(app: Flask) -> None:
    text = DOC.read_text("utf-8")
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.rule == "/sparql/":
            continue
        documented = re.sub(r"<path:\w+>", "...", rule.rule).replace("<name>", "<file>")
        documented = re.sub(r"\.<extension>$", "", documented)
        assert f"`{documented}`" in text, rule.rule


def test_python_examples_run_against_the_server(server: str) -> None:
    namespace: dict[str, object] = {}
    for block in blocks("python"):
        if "import pandas" in block and importlib.util.find_spec("pandas") is None:
            continue  # the DataFrame step needs pandas; the rows it is built from were checked
        exec(compile(block.replace(LOCAL, server), str(DOC), "exec"), namespace)
    assert {"name", "item"} <= set(namespace["rows"][0])  # type: ignore[index]
    assert len(namespace["graph"]) > 100  # type: ignore[arg-type]


@pytest.mark.skipif(
    shutil.which("curl") is None and not os.environ.get("CI"),
    reason="curl is not installed; `make test` installs it",
)
def test_curl_examples_run_against_the_server(server: str) -> None:
    curl_blocks = [b for b in blocks("sh") if b.lstrip().startswith(("#", "curl")) and "curl" in b]
    assert curl_blocks
    for block in curl_blocks:
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block.replace(LOCAL, server)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert "/id/country/" in done.stdout
        assert "brazil" in done.stdout.lower() or "panel" in done.stdout
