"""The server's settings, declared once: name, default and help drive the CLI, docs and checks."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import click

ENV_PREFIX = "CONFGRAPH_"


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """Every setting of the server; each field's metadata holds its help text."""

    release: str = _setting(
        "build/current", "Release directory to serve (a build's DIR/current or DIR/releases/ID)."
    )
    base: str = _setting(
        "", "IRI base of the dataset; empty means the base recorded in the release's release.json."
    )
    host: str = _setting("127.0.0.1", "Interface the server listens on.")
    port: int = _setting(5000, "TCP port the server listens on.")
    engine: str = _setting(
        "oxigraph", "Query engine that holds the release's quads (oxigraph, rdflib)."
    )
    query_timeout: float = _setting(
        10.0, "Seconds a SPARQL query may run; past it the query's worker is stopped (503)."
    )
    row_limit: int = _setting(
        10000,
        "Most rows (SELECT) or triples (CONSTRUCT, DESCRIBE) a result may have (400 past it).",
    )
    query_workers: int = _setting(
        2,
        "Worker processes that run SPARQL queries; 0 runs them in the server without a time limit.",
    )
    threads: int = _setting(8, "Request threads of the waitress server.")
    default_language: str = _setting(
        "en", "Language of labels when none matches the request's Accept-Language."
    )
    cors_origin: str = _setting("*", "Value of Access-Control-Allow-Origin on every response.")

    def replace(self, **changes: Any) -> Settings:
        """Return a copy with some settings changed, checking names and types."""
        known = {f.name: f for f in dataclasses.fields(self)}
        for name, value in changes.items():
            if name not in known:
                raise TypeError(f"unknown setting {name!r}")
            changes[name] = _coerce(known[name], value)
        return dataclasses.replace(self, **changes)


def _coerce(setting: dataclasses.Field[Any], value: Any) -> Any:
    kind = type(setting.default)
    if kind is float and isinstance(value, int):
        return float(value)
    if not isinstance(value, kind):
        raise TypeError(f"setting {setting.name} must be {kind.__name__}, not {value!r}")
    return value


def iter_settings() -> Iterator[tuple[str, Any, str]]:
    """Yield (name, default, help) for every setting, in declaration order."""
    for setting in dataclasses.fields(Settings):
        yield setting.name, setting.default, setting.metadata["help"]


def option_name(name: str) -> str:
    """Return a setting's command-line option, e.g. --query-timeout."""
    return "--" + name.replace("_", "-")


def settings_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add one click option per setting (also read from CONFGRAPH_<NAME>)."""
    for name, default, help_text in reversed(list(iter_settings())):
        option = click.option(
            option_name(name),
            name,
            type=type(default),
            default=default,
            show_default=True,
            envvar=ENV_PREFIX + name.upper(),
            help=help_text,
        )
        command = option(command)
    return command


def settings_from_options(options: dict[str, Any]) -> Settings:
    """Build Settings from the keyword arguments click passed to a command."""
    names = {name for name, _, _ in iter_settings()}
    return Settings().replace(**{k: v for k, v in options.items() if k in names})
