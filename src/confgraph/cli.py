"""Command-line interface: thin click commands, each calling one pipeline function."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import click

from confgraph import __version__
from confgraph.errors import ConfgraphError
from confgraph.failure import fail
from confgraph.generate import generate_corpus
from confgraph.iris import DEFAULT_BASE, Iris
from confgraph.progress import Progress
from confgraph.starter import start_dataset

DATA_OPTION = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("data"),
    show_default=True,
    help="Directory with programmes/, organisations.yaml and reference/.",
)


def bundled_shapes_unless_given(_ctx: click.Context, _param: click.Parameter, value: Any) -> Path:
    """Return the --shapes directory given, else the bundled one."""
    from confgraph.validate import SHAPES_DIR  # with SHACL's engine: not at every start

    return SHAPES_DIR if value is None else value


SHAPES_OPTION = click.option(
    "--shapes",
    "shapes_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    callback=bundled_shapes_unless_given,
    show_default="the shapes bundled with confgraph",
    help="Directory of SHACL shapes (*.ttl) to validate against, instead of the bundled ones.",
)
EXTRA_SHAPES_OPTION = click.option(
    "--extra-shapes",
    "extra_shapes",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    multiple=True,
    help="Directory of SHACL shapes (*.ttl) to validate against as well (repeatable).",
)
BASE_OPTION = click.option(
    "--base",
    envvar="CONFGRAPH_BASE",
    default=DEFAULT_BASE,
    show_default=True,
    help="Base IRI of the dataset; resources are minted under <base>/id/.",
)


# Commands imported only when run: a build need not load the web server, the linker and
# the remote stores (half a second of every start, measured), nor the server the
# pipeline and SHACL's engine (a quarter of a second; build and validate import them).
LAZY_COMMANDS = {
    "link": "confgraph.link.commands:link",
    "publish": "confgraph.publishing:publish_command",
    "query": "confgraph.web.commands:query",
    "serve": "confgraph.web.commands:serve",
}


class LazyGroup(click.Group):
    """A group whose LAZY_COMMANDS are imported when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Return every command's name, sorted."""
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Return a command, importing it if it is lazy."""
        if cmd_name not in LAZY_COMMANDS:
            return super().get_command(ctx, cmd_name)
        module, name = LAZY_COMMANDS[cmd_name].split(":")
        return getattr(importlib.import_module(module), name)


@click.group(cls=LazyGroup)
@click.version_option(__version__, prog_name="confgraph")
def main() -> None:
    """Publish meeting and conference programmes as linked data."""


@main.command()
@DATA_OPTION
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Where releases are written; OUT/current points at the newest.",
)
@SHAPES_OPTION
@EXTRA_SHAPES_OPTION
@BASE_OPTION
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Build cache: programmes unchanged since they were cached are not rebuilt."
    "  [default: OUT/cache]",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Neither read nor write the cache, and rebuild even if nothing changed.",
)
def build(
    data_dir: Path,
    out_dir: Path,
    shapes_dir: Path,
    extra_shapes: tuple[Path, ...],
    base: str,
    cache_dir: Path | None,
    no_cache: bool,
) -> None:
    """Load, build, validate and publish a release of every programme."""
    if no_cache and cache_dir:
        raise click.UsageError("--cache and --no-cache exclude each other")
    from confgraph.pipeline import publish

    cache = None if no_cache else cache_dir or out_dir / "cache"
    try:
        with Progress.to(sys.stderr) as progress:
            shapes = (shapes_dir, *extra_shapes)
            done = publish(data_dir, out_dir, Iris(base), progress, shapes, cache)
    except ConfgraphError as error:
        fail(error)
    if done.changed:
        click.echo(f"release written to {done.release}")
    else:
        click.echo(f"nothing changed since release {done.release.name}: it stays published")
    click.echo(f"published as {out_dir / 'current'}")


@main.command()
@DATA_OPTION
@SHAPES_OPTION
@EXTRA_SHAPES_OPTION
@BASE_OPTION
def validate(data_dir: Path, shapes_dir: Path, extra_shapes: tuple[Path, ...], base: str) -> None:
    """Validate every programme against the SHACL shapes and print a report."""
    from confgraph.pipeline import build_and_validate

    try:
        with Progress.to(sys.stderr) as progress:
            shapes = (shapes_dir, *extra_shapes)
            built = build_and_validate(data_dir, Iris(base), progress, shapes)
    except ConfgraphError as error:
        fail(error)
    click.echo(built.validation.text())
    if not built.validation.conforms:
        sys.exit(3)


@main.command()
@click.option("--meetings", type=click.IntRange(min=1), required=True, help="Number of meetings.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    required=True,
    help="New (or empty) directory to write the data directory into.",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the generator.")
def generate(meetings: int, out_dir: Path, seed: int) -> None:
    """Write a synthetic corpus of programmes (every name marked synthetic) to measure with."""
    try:
        files = generate_corpus(meetings, out_dir, seed)
    except ConfgraphError as error:
        fail(error)
    click.echo(f"{len(files)} synthetic programmes written to {out_dir}")


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
def init(directory: Path) -> None:
    """Start a new dataset in DIRECTORY (new or empty): dataset.yaml, an example programme,
    the registry of organisations, the reference tables and a README on what to edit."""
    try:
        written = start_dataset(directory)
    except ConfgraphError as error:
        fail(error)
    click.echo(f"{len(written)} files written to {directory}; read {directory / 'README.md'}")
    click.echo(f"build it with: confgraph build --data {directory}")


if __name__ == "__main__":
    main()
