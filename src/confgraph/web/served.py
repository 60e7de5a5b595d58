"""The release a server answers from, switched while serving when its `current` link moves.

Each request holds the served release it started on until its response is sent. A new
release is opened and checked beside the old one, then swapped in at once; the old one's
store is closed when its last request ends. Each served release holds a lock on its
directory, so a build never prunes it while it is served (see confgraph.release_lock).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from werkzeug.wsgi import ClosingIterator

from confgraph.errors import ConfgraphError
from confgraph.release_lock import ReleaseHold
from confgraph.store.integrity import verify_release
from confgraph.store.release import Release, locate_release

if TYPE_CHECKING:
    from confgraph.web.app import Site

SITE_KEY = "confgraph.site"
log = logging.getLogger(__name__)


class ServedRelease:
    """A Site in use: requests enter and leave it; the last to leave closes it."""

    def __init__(self, site: Site, on_close: Callable[[], None]) -> None:
        self.site = site
        self._on_close = on_close
        self._users = 1  # the holder's own reference, dropped when it is switched out
        self._lock = threading.Lock()

    def enter(self) -> bool:
        """Count one more user; False once the release has been closed."""
        with self._lock:
            if self._users == 0:
                return False
            self._users += 1
            return True

    def leave(self) -> None:
        """Count one user less; the last one closes the release's store and lock."""
        with self._lock:
            self._users -= 1
            last = self._users == 0
        if last:
            self._close()

    def close_now(self) -> None:
        """Close at once, whoever still uses it (the server is stopping)."""
        with self._lock:
            self._users = 0
        self._close()

    def _close(self) -> None:
        with self._lock:
            on_close, self._on_close = self._on_close, _nothing
        on_close()


def _nothing() -> None:
    """Do nothing (what closing a closed release does)."""


class Releases(Protocol):
    """Where each request gets the served release it runs on."""

    def enter(self) -> ServedRelease:
        """Return the release to serve a new request from, counted as in use."""
        ...

    def current(self) -> Site:
        """Return the Site that new requests get."""
        ...


class FixedRelease:
    """One Site for the application's life (its store is the caller's to close)."""

    def __init__(self, site: Site) -> None:
        self._served = ServedRelease(site, _nothing)

    def enter(self) -> ServedRelease:
        """Return the one served release."""
        self._served.enter()
        return self._served

    def current(self) -> Site:
        """Return the one Site."""
        return self._served.site


class ReleaseFollower:
    """Serve the release a location names, and switch when it names another one."""

    def __init__(
        self,
        location: str,
        open_site: Callable[[Release], Site],
        locate: Callable[[str], Path] = locate_release,
    ) -> None:
        self.location = location
        self._open_site = open_site
        self._locate = locate  # the release a location names now (or a SPARQL engine serves)
        self._served = self._open(locate(location))
        self._refused: Path | None = None
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None

    def enter(self) -> ServedRelease:
        """Return the newest served release, counted as in use."""
        while True:
            served = self._served
            if served.enter():  # False only if it was switched out and closed meanwhile
                return served

    def current(self) -> Site:
        """Return the Site that new requests get."""
        return self._served.site

    def follow(self, interval: float = 1.0) -> None:
        """Look for a new release every interval seconds, in a thread of its own."""
        self._watcher = threading.Thread(
            target=self._watch, args=(interval,), name="confgraph-release-watcher", daemon=True
        )
        self._watcher.start()

    def check(self) -> bool:
        """Switch to the release the location names now if it changed; tell whether it did."""
        try:
            target = self._locate(self.location)
        except ConfgraphError:
            return False  # the link is being replaced, or the build directory emptied: keep serving
        if target in (self._served.site.release.path, self._refused):
            return False
        try:
            fresh = self._open(target)
        except ConfgraphError as error:
            self._refused = target
            log.error("error: %s; still serving %s", error, self.current().release.release_id)
            return False
        old, self._served = self._served, fresh
        old.leave()
        log.warning("now serving release %s", fresh.site.release.release_id)
        return True

    def close(self, wait: bool = True) -> None:
        """Stop following; close the served release once its requests end, or now."""
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join(None if wait else 0.5)  # it may be opening a release
        if wait:
            self._served.leave()
        else:
            self._served.close_now()

    def _watch(self, interval: float) -> None:
        while not self._stop.wait(interval):
            try:
                self.check()
            except Exception:  # a bug: say so, keep serving the release that works
                log.exception("could not switch to a new release")

    def _open(self, directory: Path) -> ServedRelease:
        hold = ReleaseHold(directory)  # first: nothing prunes it while it is checked
        try:
            release = Release.open(directory)
            verify_release(release)
            site = self._open_site(release)
        except BaseException:
            hold.close()
            raise

        def close() -> None:
            site.store.close()
            hold.close()

        return ServedRelease(site, close)


class ServedSites:
    """WSGI middleware: each request runs on one served release, held until its body is sent."""

    def __init__(self, app: Callable[..., Iterable[bytes]], releases: Releases) -> None:
        self.app, self.releases = app, releases

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """Hold a served release for the request; let it go when the server closes the body."""
        served = self.releases.enter()
        environ[SITE_KEY] = served.site
        try:
            body = self.app(environ, start_response)
        except BaseException:
            served.leave()
            raise
        file_wrapper = environ.get("wsgi.file_wrapper")
        if isinstance(file_wrapper, type) and isinstance(body, file_wrapper):
            # An open file needs neither store nor directory any more; left unwrapped, the
            # server sends it its own fast way.
            served.leave()
            return body
        return ClosingIterator(body, served.leave)
