"""The pages in a real headless browser: Debian's chromium driven by Selenium.

Needs the Debian packages chromium and chromium-driver and the PyPI package selenium;
skips, saying which is missing, where they are not installed. Nothing is fetched
off the machine: the browser only talks to the loopback server.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium (PyPI) is not installed")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
# CI installs both (make test); only a developer's machine without them may skip.
pytestmark = pytest.mark.skipif(
    (CHROMIUM is None or DRIVER is None) and not os.environ.get("CI"),
    reason="Debian packages chromium and chromium-driver are not installed",
)
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Start headless chromium with a fresh profile."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    profile: Path = tmp_path_factory.mktemp("chromium-profile")
    options.add_argument(f"--user-data-dir={profile}")
    service = webdriver.ChromeService(executable_path=str(DRIVER))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def test_agenda_renders_with_links_that_open_resource_pages(browser, server: str) -> None:
    browser.get(server + "/")
    titles = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "li.item > .title a")]
    assert titles[:2] == ["Panel 1: Smuggling of migrants", "Lunch / Space for side-events"]
    people = browser.find_element(By.CSS_SELECTOR, "li.item .roles").text
    assert "Ana Lima" in people
    browser.find_element(By.LINK_TEXT, "Panel 1: Smuggling of migrants").click()
    WebDriverWait(browser, 10).until(ec.url_contains("/session/panel-1.html"))
    assert browser.find_element(By.ID, "title").text == "Panel 1: Smuggling of migrants"
    description = browser.find_element(By.ID, "outgoing").text
    assert '<script>alert("x")</script>' in description  # shown as text, not run
    assert browser.find_element(By.ID, "open-in-sparql").is_displayed()


def test_a_typed_query_shows_its_results_table(browser, server: str) -> None:
    browser.get(server + "/sparql")
    editor = browser.find_element(By.ID, "query")
    editor.clear()
    editor.send_keys(
        "PREFIX cg: <https://w3id.org/confgraph/ontology#>\n"
        "SELECT ?country ?code WHERE { ?country cg:isoAlpha3 ?code } ORDER BY ?code"
    )
    browser.find_element(By.ID, "run").click()
    table = WebDriverWait(browser, 10).until(
        ec.presence_of_element_located((By.ID, "results-table"))
    )
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert [r.find_elements(By.TAG_NAME, "td")[1].text for r in rows] == ["AFG", "BRA"]
    rows[1].find_element(By.TAG_NAME, "a").click()
    WebDriverWait(browser, 10).until(ec.url_contains("/id/country/bra.html"))
    assert browser.find_element(By.ID, "title").text == "Brazil"
