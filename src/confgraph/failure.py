"""How every command ends on an error: one line on stderr, no traceback, the error's exit code."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from confgraph.errors import ConfgraphError


def fail(error: ConfgraphError) -> NoReturn:
    """Print an error without a traceback and exit with its code."""
    click.echo(f"error: {error}", err=True)
    sys.exit(error.exit_code)
