"""The site as researchers use it, in headless Chromium: YASGUI, screenshots, axe-core, phones.

Needs Debian's chromium and chromium-driver (CI installs them; elsewhere the tests skip).
axe-core is vendored under tests/web/vendor/axe-core. Screenshots go to $CONFGRAPH_ARTEFACTS
(else pytest's temporary directory); their names are printed. To check another page, add it
to PAGES: it is then screenshot at both widths, checked by axe-core and at phone width.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from webfixture import M, partitioned_void, write_release

selenium = pytest.importorskip("selenium", reason="selenium (PyPI) is not installed")
import browsing  # noqa: E402
from browsing import (  # noqa: E402
    axe_violations,
    click,
    click_header,
    describe,
    open_page,
    overflow,
    result_change,
    result_rows,
    result_terms,
    run_query,
    screenshot,
    set_width,
    title_share,
    type_query,
    wait_for,
    yasgui_ready,
)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = pytest.mark.skipif(
    (browsing.CHROMIUM is None or browsing.DRIVER is None) and os.environ.get("CI") != "true",
    reason="Debian packages chromium and chromium-driver are not installed",
)
CG = "https://w3id.org/confgraph/ontology#"
PANEL = M.replace("https://w3id.org/confgraph", "") + "/session/panel-1.html"
CODES = "SELECT ?country ?code WHERE { ?country cg:isoAlpha3 ?code } ORDER BY ?code"
TRIPLES = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
# The pages every check below runs on: name (of the screenshots) -> path.
PAGES = {
    "home": "/",
    "resource": PANEL,
    "query": "/sparql",
    "query-results": "/sparql?query=" + quote("SELECT * WHERE { ?s ?p ?o } LIMIT 60"),
    "agenda": "/programme/2030-01-test",
    "index": "/countries/",
    "search": "/search?q=brazil",
    "not-found": "/no/such/page",
}
DEVICES = ("desktop", "phone")


@pytest.fixture(scope="module")
def site(serve, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve a release whose VoID lists its classes and properties."""
    current = write_release(tmp_path_factory.mktemp("site"), void=partitioned_void())
    with serve(current) as root:
        yield root


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Start headless Chromium, laid out as a desktop unless a test says otherwise."""
    driver = browsing.start_chromium(tmp_path_factory.mktemp("chromium-site"))
    set_width(driver, "desktop")
    yield driver
    driver.quit()


@pytest.fixture()
def desktop(chromium):
    """The browser at 1280 px."""
    set_width(chromium, "desktop")
    return chromium


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return where screenshots go."""
    return browsing.artefacts(tmp_path_factory.mktemp("screenshots"))


def fresh_editor(driver, root: str) -> None:
    """Open the query page with no tabs kept from an earlier test."""
    open_page(driver, root + "/sparql")
    driver.execute_script("window.localStorage.clear()")
    open_page(driver, root + "/sparql")
    yasgui_ready(driver)


def test_a_query_typed_into_yasgui_shows_its_results(desktop, site: str) -> None:
    fresh_editor(desktop, site)
    held = type_query(desktop, CODES)
    assert held.endswith(CODES)  # typed as is (a PREFIX for cg: may be added above it)
    run_query(desktop)
    rows = result_rows(desktop)
    assert [row[1] for row in rows] == ["AFG", "BRA"]
    assert "Brazil" not in rows[1][0] and rows[1][0].endswith("country/bra")


def test_yasgui_pages_and_sorts_the_results(desktop, site: str) -> None:
    fresh_editor(desktop, site)
    type_query(desktop, TRIPLES)
    run_query(desktop)
    first = result_rows(desktop)
    assert len(first) == 50  # YASR's page
    second = result_change(desktop, lambda: click(desktop, ".dt-paging-button.next"))
    assert second and not set(map(tuple, second)) & set(map(tuple, first))
    result_change(desktop, lambda: click_header(desktop, "p"))
    column = [row[1] for row in result_terms(desktop)]  # sorted by IRI, shown prefixed
    assert column == sorted(column) and len(column) == 50
    result_change(desktop, lambda: click_header(desktop, "p"))
    column = [row[1] for row in result_terms(desktop)]
    assert column == sorted(column, reverse=True) and len(set(column)) > 3


def test_an_error_is_shown_beside_the_query_that_stays(desktop, site: str) -> None:
    fresh_editor(desktop, site)
    type_query(desktop, "SELEC * WHERE { ?s ?p ?o }")
    run_query(desktop)
    error = wait_for(desktop, ".tabPanel.active .yasr .errorResult")
    assert "SPARQL syntax error at line" in error.text
    assert desktop.execute_script("return confgraphEditor.getTab().getQuery()").startswith(
        "SELEC *"
    )


@pytest.mark.parametrize(
    ("typed", "offered"),
    [("?item a cg:Pa", "cg:Panel"), ("?statement cg:delivered", "cg:deliveredBy")],
)
def test_the_editor_completes_the_releases_classes_and_properties(
    desktop, site: str, typed: str, offered: str
) -> None:
    fresh_editor(desktop, site)
    type_query(desktop, f"PREFIX cg: <{CG}> SELECT * WHERE {{ {typed}")
    desktop.switch_to.active_element.send_keys(Keys.CONTROL, " ")
    hints = wait_for(desktop, ".CodeMirror-hints")
    assert offered in hints.text.split("\n")


def test_an_example_opens_in_its_own_tab_and_runs(desktop, site: str) -> None:
    fresh_editor(desktop, site)
    click(desktop, "#example-statements-per-group")
    assert result_rows(desktop)
    tab = desktop.find_element(By.CSS_SELECTOR, ".tabsList .tab.active")
    assert tab.text.startswith("How many statements each listing group has")


def test_a_shared_link_opens_the_query_and_tabs_are_kept(desktop, site: str) -> None:
    fresh_editor(desktop, site)
    type_query(desktop, CODES)
    link = desktop.execute_script("return confgraphEditor.getTab().getShareableLink()")
    assert re.fullmatch(re.escape(site) + r"/sparql\?query=[^&]+", link)
    open_page(desktop, link)
    yasgui_ready(desktop)
    assert [row[1] for row in result_rows(desktop)] == ["AFG", "BRA"]
    open_page(desktop, site + "/sparql")  # the tabs are kept in the browser
    tabs = desktop.find_elements(By.CSS_SELECTOR, ".tabsList .tab")
    assert len(tabs) >= 2


def test_with_scripts_off_the_plain_form_runs_and_pages(chromium, site: str) -> None:
    set_width(chromium, "desktop")
    chromium.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        open_page(chromium, site + "/sparql")
        editor = chromium.find_element(By.ID, "query")
        editor.clear()
        editor.send_keys(TRIPLES)
        chromium.find_element(By.ID, "run").click()
        wait_for(chromium, "#results-table")
        assert len(chromium.find_elements(By.CSS_SELECTOR, "#results-table tbody tr")) == 100
        chromium.find_element(By.CSS_SELECTOR, "#results a[rel=next]").click()
        wait_for(chromium, "#results-table")
        assert "Page 2 of 2" in chromium.find_element(By.ID, "results").text
        assert chromium.find_element(By.ID, "query").get_attribute("value") == TRIPLES
    finally:
        chromium.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def test_result_headers_stay_on_one_line_on_a_phone(chromium, site: str) -> None:
    set_width(chromium, "phone")
    query = (
        "PREFIX cg: <https://w3id.org/confgraph/ontology#> PREFIX schema: <https://schema.org/> "
        "SELECT ?country ?countryName ?code ?countryCode ?countryLabel WHERE "
        "{ ?country cg:isoAlpha3 ?code ; schema:name ?countryName }"
    )
    chromium.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        open_page(chromium, f"{site}/sparql?format=html&query={quote(query)}")
        lines = chromium.execute_script(
            "return [...document.querySelectorAll('#results-table th')].map(th =>"
            " th.getBoundingClientRect().height / parseFloat(getComputedStyle(th).lineHeight))"
        )
        assert len(lines) == 5 and max(lines) < 1.9, lines  # one line and its padding
        assert overflow(chromium) == 0  # the table scrolls in its own box
    finally:
        chromium.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


@pytest.mark.parametrize("device", DEVICES)
def test_screenshots_of_every_page(chromium, site: str, artefacts: Path, device: str) -> None:
    set_width(chromium, device)
    saved = []
    for name, path in PAGES.items():
        open_page(chromium, site + path)
        if name.startswith("query"):
            yasgui_ready(chromium)
        if name == "query-results":
            wait_for(chromium, ".tabPanel.active .yasr table.dataTable")
        saved.append(screenshot(chromium, artefacts, name, device))
    assert all(path.stat().st_size > 5000 for path in saved)


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_violation(desktop, site: str, name: str) -> None:
    open_page(desktop, site + PAGES[name])
    if name.startswith("query"):
        yasgui_ready(desktop)
    violations = axe_violations(desktop)
    assert not violations, describe(violations)


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_reflows_on_a_phone(chromium, site: str, name: str) -> None:
    set_width(chromium, "phone")
    open_page(chromium, site + PAGES[name])
    assert overflow(chromium) == 0, f"{name} is wider than a 390 px screen"
    assert title_share(chromium) < 0.4, f"{name}'s title fills the first screen"


def test_a_search_from_the_header_finds_a_country_and_opens_it(desktop, site: str) -> None:
    open_page(desktop, site + "/")
    box = wait_for(desktop, "#search-q")
    box.send_keys("Brazil", Keys.ENTER)
    first = wait_for(desktop, "#results li a.hit")
    assert first.text == "Brazil"
    first.click()
    WebDriverWait(desktop, 10).until(lambda d: "/id/country/bra" in d.current_url)
    assert wait_for(desktop, "h1").text.startswith("Brazil")


def test_an_index_page_lists_sorts_and_opens_its_rows(desktop, site: str) -> None:
    open_page(desktop, site + "/")
    click(desktop, "#nav-browse")
    wait_for(desktop, "#indexes a")
    desktop.find_element(By.LINK_TEXT, "Countries").click()
    rows = wait_for(desktop, "#listing").find_elements(By.CSS_SELECTOR, "tbody tr td:first-child")
    names = [row.text for row in rows]
    assert names == sorted(names) and "Brazil" in names
    current = wait_for(desktop, "p.sorts a.current")
    current.click()  # the current sort again: reversed
    WebDriverWait(desktop, 10).until(lambda d: "sort=-" in d.current_url)
    rows = wait_for(desktop, "#listing").find_elements(By.CSS_SELECTOR, "tbody tr td:first-child")
    assert [row.text for row in rows] == sorted(names, reverse=True)
