"""The web layer sees only a Store: it imports nothing from the load, build or link steps."""

from __future__ import annotations

import ast
from pathlib import Path

WEB = Path(__file__).resolve().parents[1] / "src" / "confgraph" / "web"
PIPELINE = ("confgraph.load", "confgraph.build", "confgraph.programme", "confgraph.link")


def imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_web_layer_imports_no_pipeline_step() -> None:
    modules = sorted(WEB.glob("*.py"))
    assert len(modules) > 10
    for module in modules:
        for name in imported(module):
            assert not name.startswith(PIPELINE), f"{module.name} imports {name}"
