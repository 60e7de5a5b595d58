"""The server's settings, declared once: name, default and help drive the CLI, docs and checks."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import click

ENV_PREFIX = "CONFGRAPH_"


def _setting(default: Any, help: str, kind: click.ParamType | None = None) -> Any:
    """Declare a setting: default, help and (for numbers) the click type that bounds it."""
    return field(default=default, metadata={"help": help, "type": kind or type(default)})


@dataclass(frozen=True)
class Settings:
    """Every setting of the server; each field's metadata holds its help text."""

    release: str = _setting(
        "build/current", "Release directory to serve (a build's DIR/current or DIR/releases/ID)."
    )
    base: str = _setting(
        "",
        "IRI base of the dataset; empty means the base in the release's release.json, "
        "and any other value must equal it (the server refuses to start otherwise).",
    )
    host: str = _setting("127.0.0.1", "Interface the server listens on.")
    port: int = _setting(5000, "TCP port the server listens on.", click.IntRange(1, 65535))
    engine: str = _setting(
        "oxigraph", "Query engine: oxigraph (the release's on-disk store, read-only) or rdflib "
        "(its TriG dump in memory; for tests and tiny data), or sparql (a SPARQL 1.1 engine at "
        "query_url, into which `confgraph publish` loaded the release)."
    )
    query_timeout: float = _setting(
        10.0,
        "Seconds a SPARQL query may run; past it the query's worker is stopped (503).",
        click.FloatRange(0, min_open=True),
    )
    row_limit: int = _setting(
        10000,
        "Most rows (SELECT) or triples (CONSTRUCT, DESCRIBE) a result may have (400 past it).",
        click.IntRange(min=1),
    )
    query_workers: int = _setting(
        -1,
        "Worker processes that run SPARQL queries; -1 means one per core plus one (so a core's"
        " worth stays for cheap queries while expensive ones run); 0 runs them in the server"
        " without a time limit.",
        click.IntRange(min=-1),
    )
    worker_wait: float = _setting(
        10.0,
        "Seconds a query waits for a free query worker before the answer is 503 with Retry-After.",
        click.FloatRange(0, min_open=True),
    )
    slow_query_after: float = _setting(
        0.25,
        "Seconds after which a running SPARQL query counts as slow: its worker gets the least"
        " CPU priority and, while fewer than slow_query_workers slow queries run, a fresh"
        " worker takes its place in the pool (it is stopped when its query ends); 0 never.",
        click.FloatRange(0),
    )
    slow_query_workers: int = _setting(
        2,
        "Slow SPARQL queries (see slow_query_after) that may run outside the pool of"
        " query_workers at once, each in a worker of its own (as many spare workers are kept"
        " loaded to take their places); 0 keeps them in the pool.",
        click.IntRange(min=0),
    )
    client_queries: int = _setting(
        2,
        "SPARQL queries one client (IP address) may run at once; its further queries wait"
        " for one of them to end (worker_wait at most).",
        click.IntRange(min=1),
    )
    result_cache: int = _setting(
        64,
        "Megabytes of serialized query results kept in memory per release, so that a repeated"
        " query is answered without running it; 0 keeps none.",
        click.IntRange(min=0),
    )
    page_cache: int = _setting(
        32,
        "Megabytes of pages (HTML and RDF documents, descriptions, listings) kept in memory"
        " per server, so that a page asked for again in a release is not rendered again;"
        " 0 keeps none.",
        click.IntRange(min=0),
    )
    body_limit: int = _setting(
        1048576,
        "Most bytes a request body may have (413 past it).",
        click.IntRange(min=1),
    )
    query_length_limit: int = _setting(
        262144,
        "Most characters a SPARQL query may have (400 past it).",
        click.IntRange(min=1),
    )
    nesting_limit: int = _setting(
        64,
        "Deepest nesting of brackets ({}, (), []) a SPARQL query may have (400 past it).",
        click.IntRange(min=1),
    )
    accept_length_limit: int = _setting(
        4096,
        "Most characters the Accept header may have (431 past it).",
        click.IntRange(min=1),
    )
    threads: int = _setting(8, "Request threads of the waitress server.", click.IntRange(min=1))
    page_size: int = _setting(
        20, "Meetings listed per page of the home page.", click.IntRange(1, 500)
    )
    default_language: str = _setting(
        "en", "Language of labels when none matches the request's Accept-Language."
    )
    cors_origin: str = _setting("*", "Value of Access-Control-Allow-Origin on every response.")
    trusted_proxy: bool = _setting(
        False,
        "Trust X-Forwarded-Proto, -Host, -Port and -Prefix from one reverse proxy "
        "(set it behind a TLS proxy so links say https://).",
    )
    public_url: str = _setting(
        "",
        "Public address of the server (e.g. https://data.example.org); absolute links are "
        "built from it. Empty means the address the server listens on, or with trusted_proxy "
        "the proxy's X-Forwarded-* headers; never the client's Host header.",
    )
    connection_limit: int = _setting(
        1000,
        "Most client connections the server holds open at once (idle ones included).",
        click.IntRange(min=1),
    )
    channel_timeout: int = _setting(
        30,
        "Seconds a client connection may stay idle (or send a request this slowly) "
        "before it is closed.",
        click.IntRange(min=1),
    )
    query_url: str = _setting(
        "",
        "Query endpoint of the SPARQL engine (with engine sparql), e.g. "
        "http://127.0.0.1:8890/sparql; credentials come from CONFGRAPH_SPARQL_USER and "
        "CONFGRAPH_SPARQL_PASSWORD, never from the address.",
    )
    engine_wait: float = _setting(
        60.0,
        "Seconds the server waits at start-up for an unreachable SPARQL engine (engine sparql),"
        " retrying, before it gives up.",
        click.FloatRange(0),
    )
    search_length_limit: int = _setting(
        200,
        "Most characters a full-text search (/search?q=) may have (400 past it).",
        click.IntRange(1, 10000),
    )

    @property
    def workers(self) -> int:
        """Return the number of query worker processes query_workers asks for."""
        if self.query_workers >= 0:
            return self.query_workers
        return (os.cpu_count() or 1) + 1

    def replace(self, **changes: Any) -> Settings:
        """Return a copy with some settings changed, checking names, types and ranges."""
        known = {f.name: f for f in dataclasses.fields(self)}
        for name, value in changes.items():
            if name not in known:
                raise TypeError(f"unknown setting {name!r}")
            changes[name] = _coerce(known[name], value)
        return dataclasses.replace(self, **changes)


def _coerce(setting: dataclasses.Field[Any], value: Any) -> Any:
    kind = type(setting.default)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"setting {setting.name} must be {kind.__name__}, not {value!r}")
    bounds = setting.metadata["type"]
    if isinstance(bounds, click.ParamType):
        try:
            bounds.convert(value, None, None)
        except click.BadParameter as error:
            raise ValueError(f"setting {setting.name}: {error.message}") from None
    return value


def iter_settings() -> Iterator[tuple[str, Any, str]]:
    """Yield (name, default, help) for every setting, in declaration order."""
    for setting in dataclasses.fields(Settings):
        yield setting.name, setting.default, setting.metadata["help"]


def option_name(name: str) -> str:
    """Return a setting's command-line option, e.g. --query-timeout."""
    return "--" + name.replace("_", "-")


def setting_option(name: str, **overrides: Any) -> Callable[..., Any]:
    """Return the click option of one setting (also read from CONFGRAPH_<NAME>)."""
    setting = next(f for f in dataclasses.fields(Settings) if f.name == name)
    options: dict[str, Any] = {
        "type": setting.metadata["type"],
        "default": setting.default,
        "show_default": True,
        "envvar": ENV_PREFIX + name.upper(),
        "help": setting.metadata["help"],
    }
    if isinstance(setting.default, bool):
        options.update(is_flag=True, type=bool)
    options.update(overrides)
    return click.option(option_name(name), name, **options)


def settings_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add one click option per setting."""
    for name, _, _ in reversed(list(iter_settings())):
        command = setting_option(name)(command)
    return command


def settings_from_options(options: dict[str, Any]) -> Settings:
    """Build Settings from the keyword arguments click passed to a command."""
    names = {name for name, _, _ in iter_settings()}
    return Settings().replace(**{k: v for k, v in options.items() if k in names})
