"""The Content-Security-Policy in a real browser: pages still look as styled, nothing is blocked."""

from __future__ import annotations

from collections.abc import Iterator

import browsing
import pytest
from test_web_browser import pytestmark  # noqa: F401
from webfixture import M

PAGES = ["/", "/sparql", "/dumps/", M.replace("https://w3id.org/confgraph", "") + ".html"]


@pytest.fixture(scope="module")
def logging_browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Start headless chromium that keeps its console log."""
    driver = browsing.start_chromium(tmp_path_factory.mktemp("chromium-policy-profile"))
    yield driver
    driver.quit()


@pytest.mark.parametrize("path", PAGES)
def test_the_policy_blocks_nothing_a_page_uses(logging_browser, server: str, path: str) -> None:
    logging_browser.get(server + path)
    header = logging_browser.execute_script(
        "return getComputedStyle(document.querySelector('header')).backgroundColor"
    )
    assert header == "rgb(17, 34, 51)"  # the stylesheet applied
    messages = [entry["message"] for entry in logging_browser.get_log("browser")]
    assert not [m for m in messages if "Content Security Policy" in m], messages
