"""confgraph: a linked-data publisher for meeting and conference programmes."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("confgraph")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
