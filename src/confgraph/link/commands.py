"""The `confgraph link` commands: reconcile with Wikidata, import a researcher's links."""

from __future__ import annotations

from pathlib import Path

import click

from confgraph.errors import ConfgraphError
from confgraph.failure import fail
from confgraph.iris import DEFAULT_BASE, Iris
from confgraph.link.client import ClientSettings
from confgraph.link.contributed import import_links
from confgraph.link.run import CC0, DEFAULT_ENDPOINT, run_link

DATA = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("data"),
    show_default=True,
    help="Data directory; linksets are written to DATA/links/.",
)
BASE = click.option("--base", envvar="CONFGRAPH_BASE", default=DEFAULT_BASE, show_default=True)


@click.group(invoke_without_command=True)
@DATA
@BASE
@click.option(
    "--endpoint",
    envvar="CONFGRAPH_LINK_ENDPOINT",
    default=DEFAULT_ENDPOINT,
    show_default=True,
    help="SPARQL endpoint with Wikidata's data model.",
)
@click.option("--endpoint-note", default=None, help="What the endpoint is, for the provenance.")
@click.option("--timeout", type=click.FloatRange(min=1), default=60.0, show_default=True)
@click.option("--retries", type=click.IntRange(min=0), default=3, show_default=True)
@click.option("--backoff", type=click.FloatRange(min=0), default=2.0, show_default=True)
@click.option("--batch-size", type=click.IntRange(min=1), default=50, show_default=True)
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build/link-cache"),
    show_default=True,
    help="Answers kept by endpoint and query, so a run again asks nothing new.",
)
@click.option("--no-cache", is_flag=True, help="Ask the endpoint every query.")
@click.pass_context
def link(
    ctx: click.Context,
    data_dir: Path,
    base: str,
    endpoint: str,
    endpoint_note: str | None,
    timeout: float,
    retries: int,
    backoff: float,
    batch_size: int,
    cache_dir: Path,
    no_cache: bool,
) -> None:
    """Reconcile the data with Wikidata; write DATA/links/wikidata.yaml and its review file."""
    if ctx.invoked_subcommand is not None:
        return
    settings = ClientSettings(
        endpoint, timeout, retries, backoff, cache_dir=None if no_cache else cache_dir
    )
    try:
        done = run_link(data_dir, Iris(base), settings, endpoint_note, batch_size)
    except ConfgraphError as error:
        fail(error)
    kinds = [link.local.split("/")[0] for link in done.result.links]
    counts = ", ".join(f"{kinds.count(k)} {k}(s)" for k in sorted(set(kinds))) or "nothing"
    click.echo(f"linked {counts} ({done.queries} queries sent); written to {done.linkset}")
    click.echo(f"{len(done.result.review)} left for review in {done.review}")


@link.command("import")
@click.argument("csv_file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@DATA
@BASE
@click.option("--name", default=None, help="Linkset name (DATA/links/NAME.yaml).")
@click.option("--licence", default=CC0, show_default=True, help="Licence of the links.")
@click.option("--replace", is_flag=True, help="Replace the linkset of that name.")
def import_command(
    csv_file: Path, data_dir: Path, base: str, name: str | None, licence: str, replace: bool
) -> None:
    """Import a researcher's CSV of links (local,relation,external,note,contributor)."""
    name = name or f"contributed-{csv_file.stem.lower().replace('_', '-')}"
    try:
        written = import_links(csv_file, data_dir, Iris(base), name, licence, replace)
    except ConfgraphError as error:
        fail(error)
    click.echo(f"links imported to {written}")
