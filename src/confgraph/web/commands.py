"""`confgraph serve` and `confgraph query`: click commands for the server and for researchers."""

from __future__ import annotations

import functools
import json
import logging
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from confgraph.errors import ConfgraphError, EngineUnavailable, QueryTimeout, ReleaseError
from confgraph.failure import fail
from confgraph.formats import GRAPH_FORMATS, RESULT_FORMATS, serialize_graph, serialize_result
from confgraph.release_lock import ReleaseHold
from confgraph.settings import (
    Settings,
    setting_option,
    settings_from_options,
    settings_options,
)
from confgraph.store.base import QueryResult, Store
from confgraph.store.disk import MANIFEST
from confgraph.store.integrity import verify_store
from confgraph.store.registry import REMOTE, open_remote_store, open_store
from confgraph.store.release import Release, ensure_store, locate_release
from confgraph.store.sandbox import SandboxedStore
from confgraph.web.served import ReleaseFollower

if TYPE_CHECKING:
    from confgraph.web.app import Site

# Addresses that listen on every interface: no address a client could follow.
WILDCARD_HOSTS = ("0.0.0.0", "::", "")
ENGINE_RETRY = 2.0  # seconds between two attempts to reach a SPARQL engine at start-up


def open_served_store(settings: Settings, release: Release) -> Store:
    """Open the release's store, in query workers unless settings.query_workers is 0."""
    if settings.engine == REMOTE:  # the engine runs queries; the time limit is the request's
        return open_remote_store(settings.query_url, release, settings.query_timeout)
    if settings.engine == "oxigraph":
        ensure_store(release, lambda message: click.echo(message, err=True))
    source = release.source(settings.engine)
    if settings.workers == 0:
        return open_store(settings.engine, source)
    return SandboxedStore(
        settings.engine,
        source,
        settings.workers,
        settings.query_timeout,
        settings.worker_wait,
        slow_after=settings.slow_query_after,
        spares=settings.slow_query_workers,
    )


def open_site(
    settings: Settings,
    release: Release,
    open_served: Callable[[Settings, Release], Store] = open_served_store,
) -> Site:
    """Open a checked release's store (its workers ready) and build its Site."""
    from confgraph.web.app import build_site

    try:
        store = open_served(settings, release)
    except (OSError, SyntaxError, ValueError) as error:  # the engine could not read the dump
        raise ReleaseError(f"{release.quads}: cannot be loaded: {error}") from None
    try:
        verify_store(release, store)
        for _ in range(settings.workers):
            store.query("ASK {}")  # each worker has loaded the store before it is switched in
        return build_site(settings, store, release)
    except BaseException:
        store.close()
        raise


def build_app(settings: Settings) -> tuple[Any, ReleaseFollower]:
    """Open and check the release, follow its `current` link, and build the Flask application."""
    from confgraph.web.app import create_served_app

    opener = functools.partial(open_site, settings)
    if settings.engine == REMOTE:
        follower = wait_for_engine(
            settings,
            lambda: ReleaseFollower(
                settings.release, opener, functools.partial(published_release, settings)
            ),
        )
    else:
        follower = ReleaseFollower(settings.release, opener)
    return create_served_app(settings, follower), follower


def published_release(settings: Settings, location: str) -> Path:
    """Return the directory of the release the engine serves, beside the one location names."""
    from confgraph.store.engine_graphs import served_release
    from confgraph.store.remote_publish import read_pointer
    from confgraph.store.sparql_http import Endpoint

    if not settings.query_url:
        raise ReleaseError("engine sparql needs the engine's query endpoint (setting query_url)")
    here = locate_release(location)
    base = Release.open(here).base
    served = served_release(read_pointer(Endpoint.at(settings.query_url, 10.0), base), base)
    if served is None:
        raise EngineUnavailable(
            f"no release has been published into the SPARQL engine at {settings.query_url}"
            " (run `confgraph publish`)"
        )
    directory = here if here.name == served else here.parent / served
    if not (directory / MANIFEST).is_file():
        raise ReleaseError(
            f"the SPARQL engine serves release {served}, which is not on disk at {directory}"
        )
    return directory.resolve()


def wait_for_engine(settings: Settings, start: Callable[[], ReleaseFollower]) -> ReleaseFollower:
    """Start serving; while the engine cannot be reached, retry for engine_wait seconds."""
    deadline = time.monotonic() + settings.engine_wait
    while True:
        try:
            return start()
        except (EngineUnavailable, QueryTimeout) as error:
            left = deadline - time.monotonic()
            if left <= 0:
                raise EngineUnavailable(
                    f"{error} (gave up after {settings.engine_wait:g} s, setting engine_wait)"
                ) from None
            click.echo(f"waiting for the SPARQL engine: {error}; {left:.0f} s left", err=True)
            time.sleep(min(ENGINE_RETRY, left))


@click.command()
@settings_options
def serve(**options: Any) -> None:
    """Serve a release: SPARQL endpoint, linked-data pages, dumps (waitress); follow `current`."""
    import waitress

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    # A plain SIGTERM (service managers, test harnesses) stops the loop and the query workers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        settings = settings_from_options(options)
        app, follower = build_app(settings)
        server = waitress.create_server(app, **waitress_options(settings))
    except ConfgraphError as error:
        fail(error)
    except OSError as error:  # the port is taken, or the address is not this machine's
        click.echo(f"error: {settings.host}:{settings.port}: {error.strerror}", err=True)
        sys.exit(1)
    release = follower.current().release
    click.echo(f"serving release {release.release_id} from {release.path}", err=True)
    click.echo(f"at http://{settings.host}:{settings.port}/", err=True)
    if settings.host in WILDCARD_HOSTS and not (settings.public_url or settings.trusted_proxy):
        click.echo("note: links will name that address; set --public-url", err=True)
    signal.signal(signal.SIGTERM, functools.partial(_stop, follower))
    follower.follow()
    try:
        server.run()
    finally:
        server.close()
        follower.close(wait=False)


def _stop(follower: ReleaseFollower, *_: Any) -> None:
    """Stop at a SIGTERM: end running queries first, since waitress waits for its threads."""
    follower.close(wait=False)
    sys.exit(0)


def waitress_options(settings: Settings) -> dict[str, Any]:
    """Return waitress's adjustments for the settings."""
    return {
        "host": settings.host,
        "port": settings.port,
        "threads": settings.threads,
        "connection_limit": settings.connection_limit,
        "channel_timeout": settings.channel_timeout,
        # Idle connections are looked for this often; poll() has no 1024-descriptor ceiling.
        "cleanup_interval": max(1, min(30, settings.channel_timeout // 2)),
        "asyncore_use_poll": True,
        "ident": "confgraph",
        # SERVER_NAME: links name the configured address, not the client's Host header.
        "server_name": settings.host,
    }


@click.command()
@click.argument("sparql")
@setting_option("release", help="Release directory to query (ignored with --endpoint).")
@click.option("--endpoint", default=None, help="Query this SPARQL endpoint URL instead.")
@click.option(
    "--output",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="How to print SELECT and ASK results (graphs are printed as Turtle).",
)
@setting_option("engine", help="Engine that holds the release's quads (oxigraph, rdflib).")
def query(sparql: str, release: str, endpoint: str | None, output: str, engine: str) -> None:
    """Run SPARQL (text, or @FILE to read it) against a release or an endpoint URL."""
    if sparql.startswith("@"):
        sparql = Path(sparql[1:]).read_text("utf-8")
    try:
        if endpoint:
            click.echo(query_endpoint(endpoint, sparql, output), nl=False)
            return
        opened = Release.open(release)
        if engine == "oxigraph":
            ensure_store(opened, lambda message: click.echo(message, err=True))
        hold = ReleaseHold(opened.path)  # no build prunes it while the query runs
        try:
            store = open_store(engine, opened.source(engine))
            click.echo(format_result(store.query(sparql), output), nl=False)
        finally:
            hold.close()
    except ConfgraphError as error:
        fail(error)


def format_result(result: QueryResult, output: str) -> str:
    """Render a result as an aligned table, CSV or SPARQL JSON (graphs as Turtle)."""
    if result.is_graph:
        return serialize_graph(result.graph(), GRAPH_FORMATS["turtle"]).decode()
    if output == "json":
        return serialize_result(result, RESULT_FORMATS["json"]).decode() + "\n"
    if output == "csv":
        return serialize_result(result, RESULT_FORMATS["csv"]).decode()
    if result.form == "ASK":
        return f"{str(result.boolean).lower()}\n"
    rows = [[("" if v is None else str(v)) for v in row] for row in result.rows]
    return _table([*result.variables], rows)


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(c) for c in col) for col in zip(header, *rows, strict=True)]
    lines = [header, ["-" * w for w in widths], *rows]
    return "".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() + "\n"
        for line in lines
    )


def query_endpoint(url: str, sparql: str, output: str) -> str:
    """Send a query to a SPARQL endpoint with SPARQLWrapper and render its answer."""
    from SPARQLWrapper import CSV, JSON, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(url, agent="confgraph")
    client.setQuery(sparql)
    form = client.queryType
    if form in ("CONSTRUCT", "DESCRIBE"):
        client.setReturnFormat(TURTLE)
        data = client.query().convert()
        return data.decode() if isinstance(data, bytes) else data.serialize(format="turtle")
    client.setReturnFormat(CSV if output == "csv" else JSON)
    data = client.query().convert()
    if output == "csv":
        return data.decode() if isinstance(data, bytes) else str(data)
    if output == "json":
        return json.dumps(data, indent=2) + "\n"
    if "boolean" in data:
        return f"{str(data['boolean']).lower()}\n"
    header = data["head"]["vars"]
    rows = [[b.get(v, {}).get("value", "") for v in header] for b in data["results"]["bindings"]]
    return _table(header, rows)


def app_from_environment() -> Any:
    """Build the app from CONFGRAPH_* variables, for `waitress-serve --call` or gunicorn."""
    # serve's own options read, convert and check the variables, so errors read the same.
    try:
        with serve.make_context("confgraph serve", []) as context:
            settings = settings_from_options(context.params)
    except click.UsageError as error:
        raise SystemExit(f"error: {error.format_message()}") from None
    app, follower = build_app(settings)
    follower.follow()
    return app
