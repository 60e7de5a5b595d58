"""The pages in a real headless browser: Debian's chromium driven by Selenium.

Needs the Debian packages chromium and chromium-driver and the PyPI package selenium;
skips, saying which is missing, where they are not installed. Nothing is fetched
off the machine: the browser only talks to the loopback server.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from meetingsfixture import write_meetings
from webfixture import write_release

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium (PyPI) is not installed")
import browsing  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

# CI installs both (make test); only a developer's machine without them may skip.
pytestmark = pytest.mark.skipif(
    (browsing.CHROMIUM is None or browsing.DRIVER is None) and os.environ.get("CI") != "true",
    reason="Debian packages chromium and chromium-driver are not installed",
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Start headless chromium with a fresh profile."""
    driver = browsing.start_chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def paged_server(serve, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve five meetings, two to a page of the home page."""
    current = write_release(tmp_path_factory.mktemp("paged"))
    write_meetings(current.resolve(), 5)
    with serve(current, "--page-size", "2") as root:
        yield root


def test_home_lists_meetings_and_opens_an_agenda(browser, server: str) -> None:
    browser.get(server + "/")
    assert browser.find_element(By.ID, "summary").text == "120 triples"
    row = browser.find_element(By.CSS_SELECTOR, "#meetings tbody tr")
    assert row.find_element(By.CSS_SELECTOR, ".venue").text == "Room A, Vienna International Centre"
    row.find_element(By.LINK_TEXT, "Test meeting on migration").click()
    WebDriverWait(browser, 10).until(ec.url_contains("/programme/2030-01-test"))
    assert browser.find_element(By.CSS_SELECTOR, "#meeting h1").text == "Test meeting on migration"


def test_home_pages_through_the_meetings_newest_first(browser, paged_server: str) -> None:
    browser.get(paged_server + "/")
    titles = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#meetings td.title > a")]
    assert titles[::2] == ["Test meeting 5", "Test meeting 4"]
    for expected in (["Test meeting 3", "Test meeting 2"], ["Test meeting 1"]):
        browser.find_element(By.LINK_TEXT, "Older").click()
        WebDriverWait(browser, 10).until(ec.url_contains("page="))
        cells = browser.find_elements(By.CSS_SELECTOR, "#meetings td.title > a")
        assert [e.text for e in cells][::2] == expected
    assert "Page 3 of 3" in browser.find_element(By.ID, "pages").text
    assert not browser.find_elements(By.LINK_TEXT, "Older")
    browser.find_element(By.LINK_TEXT, "Test meeting 1").click()
    WebDriverWait(browser, 10).until(ec.url_contains("/programme/2030-01-test"))
    assert browser.find_element(By.CSS_SELECTOR, "#meeting h1").text == "Test meeting 1"


def test_agenda_renders_with_links_that_open_resource_pages(browser, server: str) -> None:
    browser.get(server + "/programme/2030-01-test")
    titles = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "li.item > .title a")]
    assert titles[:2] == ["Panel 1: Smuggling of migrants", "Lunch / Space for side-events"]
    people = browser.find_element(By.CSS_SELECTOR, "li.item .roles").text
    assert "Ana Lima" in people
    browser.find_element(By.LINK_TEXT, "Panel 1: Smuggling of migrants").click()
    WebDriverWait(browser, 10).until(ec.url_contains("/session/panel-1.html"))
    assert browser.find_element(By.ID, "title").text == "Panel 1: Smuggling of migrants"
    description = browser.find_element(By.ID, "description").text
    assert '<script>alert("x")</script>' in description  # shown as text, not run
    assert browser.find_element(By.ID, "open-in-sparql").is_displayed()


def test_meeting_page_links_to_its_agenda(browser, server: str) -> None:
    browser.get(server + "/id/meeting/2030-01-test.html")
    browser.find_element(By.ID, "agenda").click()
    WebDriverWait(browser, 10).until(ec.url_contains("/programme/2030-01-test"))
    assert browser.find_elements(By.CSS_SELECTOR, "section.floor-list")


def test_a_query_typed_into_the_plain_form_shows_its_results_table(browser, server: str) -> None:
    # With scripts on, YASGUI takes the form's place (test_web_site_browser.py).
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
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
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
