"""Start a new dataset: copy the template shipped with confgraph into an empty directory."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from confgraph.errors import ConfgraphError

TEMPLATE = "dataset_template"


def template() -> Traversable:
    """Return the dataset template shipped inside the package."""
    return files("confgraph") / TEMPLATE


def template_file(name: str) -> Traversable:
    """Return one file of the template by its path inside it (e.g. reference/countries.csv)."""
    found = template().joinpath(*name.split("/"))
    if not found.is_file():
        raise ConfgraphError(f"confgraph is installed without its dataset template ({name})")
    return found


def start_dataset(directory: Path) -> tuple[Path, ...]:
    """Write a new dataset into a new or empty directory; return the files written."""
    if directory.exists() and not directory.is_dir():
        raise ConfgraphError(f"{directory}: not a directory")
    if directory.is_dir() and any(directory.iterdir()):
        raise ConfgraphError(
            f"{directory}: not empty; `confgraph init` writes a new dataset only into a new "
            "or empty directory, so that nothing of yours is overwritten"
        )
    directory.mkdir(parents=True, exist_ok=True)
    return tuple(_copy(template(), directory))


def _copy(source: Traversable, target: Path) -> list[Path]:
    written: list[Path] = []
    for entry in sorted(source.iterdir(), key=lambda item: item.name):
        if entry.name.startswith((".", "__")):
            continue
        path = target / entry.name
        if entry.is_dir():
            path.mkdir()
            written += _copy(entry, path)
        else:
            path.write_bytes(entry.read_bytes())
            written.append(path)
    return written
