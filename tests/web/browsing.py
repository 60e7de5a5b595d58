"""Helpers for browser tests: headless Chromium at a width, screenshots, axe-core, YASGUI.

Each step a test takes is one function here (open a page, type a query, read a table,
save a screenshot, check accessibility), so a new page or step is one call.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
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
    "--hide-scrollbars",
)
WIDTHS = {"desktop": 1280, "phone": 390}
HEIGHTS = {"desktop": 900, "phone": 844}
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# The impacts a page may not have: axe's two highest of minor, moderate, serious, critical.
BLOCKING = ("serious", "critical")


def start_chromium(profile: Path) -> WebDriver:
    """Start headless Chromium with a fresh profile, keeping the console log."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(
        options=options, service=webdriver.ChromeService(executable_path=str(DRIVER))
    )
    driver.set_page_load_timeout(30)
    return driver


def set_width(driver: WebDriver, device: str) -> None:
    """Lay pages out as on a desktop (1280 px) or a phone (390 px, touch, mobile viewport)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": WIDTHS[device],
            "height": HEIGHTS[device],
            "deviceScaleFactor": 1,
            "mobile": device == "phone",
        },
    )


def open_page(driver: WebDriver, url: str) -> None:
    """Load a page and wait until it and its deferred scripts have run."""
    driver.get(url)
    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


def artefacts(fallback: Path) -> Path:
    """Return the directory screenshots go to: $CONFGRAPH_ARTEFACTS, else fallback."""
    directory = Path(os.environ.get("CONFGRAPH_ARTEFACTS") or fallback)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def screenshot(driver: WebDriver, directory: Path, name: str, device: str) -> Path:
    """Save the whole page as <name>-<width>.png in directory; print where."""
    path = directory / f"{name}-{WIDTHS[device]}.png"
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": WIDTHS[device],
            "height": min(max(int(height), HEIGHTS[device]), 6000),
            "deviceScaleFactor": 1,
            "mobile": device == "phone",
        },
    )
    try:
        driver.save_screenshot(str(path))
    finally:
        set_width(driver, device)
    print(f"screenshot: {path}")
    return path


def axe_violations(driver: WebDriver) -> list[dict[str, Any]]:
    """Run axe-core on the loaded page; return its serious and critical violations."""
    driver.execute_script(AXE.read_text("utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(r.violations)).catch(e => done({error: String(e)}));"
    )
    if isinstance(result, dict):
        raise RuntimeError(f"axe-core failed: {result['error']}")
    return [v for v in result if v["impact"] in BLOCKING]


def describe(violations: list[dict[str, Any]]) -> str:
    """Say which rules failed, on which elements."""
    return "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
    )


def overflow(driver: WebDriver) -> int:
    """Return how many pixels the page is wider than the screen (0 when it reflows)."""
    return int(
        driver.execute_script(
            "return document.documentElement.scrollWidth - window.innerWidth"
        )
    )


def title_share(driver: WebDriver) -> float:
    """Return the part of the first screen that ends with the page's first heading."""
    return float(
        driver.execute_script(
            "const h = document.querySelector('h1');"
            "return h ? h.getBoundingClientRect().bottom / window.innerHeight : 0;"
        )
    )


def wait_for(driver: WebDriver, css: str, timeout: float = 20) -> WebElement:
    """Wait for an element matching a CSS selector to be visible; return it."""
    return WebDriverWait(driver, timeout).until(
        ec.visibility_of_element_located((By.CSS_SELECTOR, css))
    )


def yasgui_ready(driver: WebDriver) -> None:
    """Wait for the query page's YASGUI to be drawn."""
    wait_for(driver, "#yasgui.ready .tabPanel.active .CodeMirror")


def type_query(driver: WebDriver, query: str) -> str:
    """Replace the editor's text by typing query into it; return what the editor holds."""
    yasgui_ready(driver)
    driver.find_element(By.CSS_SELECTOR, ".tabPanel.active .CodeMirror").click()
    field = driver.switch_to.active_element
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.DELETE)
    field.send_keys(query)  # not Esc after it: in YASQE, Esc leaves the editor
    return str(driver.execute_script("return confgraphEditor.getTab().getQuery()"))


def run_query(driver: WebDriver) -> None:
    """Run the active tab's query with its run button; wait for the answer."""
    driver.find_element(By.CSS_SELECTOR, ".tabPanel.active .yasqe_queryButton").click()
    WebDriverWait(driver, 20).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".tabPanel.active .yasr_response_chip")
        and not d.find_elements(By.CSS_SELECTOR, ".tabPanel.active .yasqe_queryButton.busy")
    )


def result_rows(driver: WebDriver) -> list[list[str]]:
    """Return the cells of the rows YASR's table shows now (its row number left out).

    Read in one script, so a table YASR redraws meanwhile (a page, a sort) is never
    half read: the elements of a redrawn table go stale between two WebDriver calls.
    """
    wait_for(driver, ".tabPanel.active .yasr table.dataTable")
    return driver.execute_script(
        "return [...document.querySelectorAll('.tabPanel.active .yasr table.dataTable tbody tr')]"
        ".map(tr => [...tr.querySelectorAll('td')].slice(1).map(td => td.innerText.trim()));"
    )


def result_terms(driver: WebDriver) -> list[list[str]]:
    """Return the rows YASR's table shows now as terms: a link's IRI, else the cell's text."""
    return driver.execute_script(
        "return [...document.querySelectorAll('.tabPanel.active .yasr table.dataTable tbody tr')]"
        ".map(tr => [...tr.querySelectorAll('td')].slice(1).map(td => {"
        " const a = td.querySelector('a[href]'); return a ? a.href : td.textContent; }));"
    )


def result_change(driver: WebDriver, act: Callable[[], None]) -> list[list[str]]:
    """Do something to the results table (page, sort) and return the rows it then shows."""
    before = result_rows(driver)
    act()
    WebDriverWait(driver, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: result_rows(d) != before
    )
    return result_rows(driver)


def click_header(driver: WebDriver, name: str) -> None:
    """Click the results table's header cell named name, found afresh (a redraw replaces it)."""
    header = driver.find_elements(By.CSS_SELECTOR, ".tabPanel.active .yasr thead th")
    next(th for th in header if th.text == name).click()


def click(driver: WebDriver, css: str) -> None:
    """Click the visible element matching a CSS selector."""
    wait_for(driver, css).click()
