"""`confgraph publish`: load a built release into a SPARQL engine and switch it in."""

from __future__ import annotations

import time

import click

from confgraph.errors import ConfgraphError
from confgraph.failure import fail
from confgraph.settings import setting_option
from confgraph.store.release import Release
from confgraph.store.remote import probe_dialect
from confgraph.store.remote_publish import Engine, publish_release
from confgraph.store.sparql_http import Endpoint


@click.command("publish")
@setting_option(
    "release", help="Release directory to publish (a build's DIR/current or DIR/releases/ID)."
)
@click.option(
    "--engine",
    type=click.Choice(["sparql"]),
    default="sparql",
    show_default=True,
    help="Where to publish: a SPARQL 1.1 engine.",
)
@setting_option("query_url", required=True, default=None, show_default=False)
@click.option(
    "--update-url",
    envvar="CONFGRAPH_UPDATE_URL",
    default="",
    help="The engine's SPARQL Update endpoint (drops graphs; loads them if no graph store).",
)
@click.option(
    "--graph-store-url",
    envvar="CONFGRAPH_GRAPH_STORE_URL",
    default="",
    help="The engine's Graph Store HTTP Protocol endpoint (loads graphs with PUT and POST).",
)
@click.option(
    "--keep",
    envvar="CONFGRAPH_KEEP_RELEASES",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Releases whose graphs stay in the engine, the served one included.",
)
@click.option(
    "--request-timeout",
    type=click.FloatRange(0, min_open=True),
    default=300.0,
    show_default=True,
    help="Seconds one request to the engine (a batch of triples, a count) may take.",
)
def publish_command(
    release: str,
    engine: str,
    query_url: str,
    update_url: str,
    graph_store_url: str,
    keep: int,
    request_timeout: float,
) -> None:
    """Load a release into a SPARQL engine, verify every graph, then serve it from there."""
    started = time.monotonic()
    try:
        opened = Release.open(release)
        query = Endpoint.at(query_url, request_timeout)
        target = Engine(
            query,
            Endpoint.at(update_url, request_timeout) if update_url else None,
            Endpoint.at(graph_store_url, request_timeout) if graph_store_url else None,
            probe_dialect(query),
        )
        done = publish_release(opened, target, keep, lambda line: click.echo(line, err=True))
    except ConfgraphError as error:
        fail(error)
    seconds = time.monotonic() - started
    click.echo(f"release {done.release_id} published to {query_url} in {seconds:.1f} s")
