"""The corpus views in Debian's chromium: `rag serve` in a subprocess over a fresh index,
driven through Playwright. Compare, Timeline and Who's who render, their citations open the
reader at the paragraph, and a who's who name asks the chat. Screenshots go to
tests/artifacts/."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from ports import free_port

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
LOAD_MS = 180_000  # the first view waits for the index to build from the seeds
TAB_TRIES = 10  # the tab bar may re-lay out while a loaded machine renders the page
TAB_WAIT_MS = 2_000


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("views-ui")
    port = free_port()
    env = {
        **os.environ,
        "RAG_DATA_DIR": str(data_dir),
        "RAG_SEEDS_DIR": str(REPO / "seeds"),
        "RAG_GENERATOR": "extractive",
        "RAG_HOST": "127.0.0.1",
        "HF_HUB_OFFLINE": "1",
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    env.pop("RAG_UI_AUTH", None)
    log_path = data_dir / "server.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "rag.cli", "serve", "--port", str(port)],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    address = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(address, timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the UI did not start:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.3)
    yield address
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    assert "Traceback" not in log_path.read_text(), log_path.read_text()[-3000:]


@pytest.fixture(scope="module")
def page(url: str) -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1440, "height": 950})
        tab = context.new_page()
        tab.goto(url)
        tab.wait_for_selector("#question textarea")
        yield tab
        browser.close()


def open_tab(page, elem_id: str, label: str) -> None:  # type: ignore[no-untyped-def]
    """Select a side tab, from the tab bar or, on a narrow window, its overflow menu.
    Gradio moves tabs between the two as the bar lays out, so retry until one works."""
    page.wait_for_selector(
        f"#{elem_id}-button, #side-tabs .overflow-menu button", state="visible", timeout=LOAD_MS
    )
    for _ in range(TAB_TRIES):
        button = page.locator(f"#{elem_id}-button")
        if button.count() and button.first.is_visible():
            button.first.click()
            return
        menu = page.locator("#side-tabs .overflow-menu button")
        if menu.count() and menu.first.is_visible():
            menu.first.click()
            item = page.locator("#side-tabs .overflow-dropdown button", has_text=label)
            try:
                item.first.click(timeout=TAB_WAIT_MS)
                return
            except PlaywrightTimeout:
                page.keyboard.press("Escape")
        page.wait_for_timeout(TAB_WAIT_MS)
    raise AssertionError(f"could not open the {label!r} tab")


def test_compare_view_cites_paragraphs_that_open_the_reader(page) -> None:  # type: ignore[no-untyped-def]
    open_tab(page, "compare-tab", "Compare the articles")
    page.locator("#compare-tab button", has_text="Compare").click()
    page.wait_for_selector("#compare-panel .cmp-article", timeout=LOAD_MS)
    articles = page.locator("#compare-panel .cmp-article").evaluate_all(
        "els => els.map(e => e.dataset.article)"
    )
    assert {"004", "002"} <= set(articles)
    assert "don't discuss this." in page.inner_text("#compare-panel .silent")
    page.screenshot(path=str(ARTIFACTS / "views-compare.png"))
    page.locator("#compare-panel a.open-reader", has_text="004 ¶37").first.click()
    page.wait_for_selector("#p-004-body-37.is-target", state="visible")
    page.screenshot(path=str(ARTIFACTS / "views-compare-reader.png"))


def test_timeline_view_groups_by_year(page) -> None:  # type: ignore[no-untyped-def]
    open_tab(page, "timeline-tab", "Timeline")
    page.wait_for_selector("#timeline-panel .tl-year", timeout=LOAD_MS)
    headings = page.locator("#timeline-panel .tl-year h4").all_inner_texts()
    assert headings[0] == "1950s"
    assert headings[-1] == "Year not stated"
    assert "early May" in page.inner_text("#timeline-panel")
    page.screenshot(path=str(ARTIFACTS / "views-timeline.png"))


def test_whos_who_name_asks_the_chat(page) -> None:  # type: ignore[no-untyped-def]
    open_tab(page, "people-tab", "Who's who")
    page.wait_for_selector('#people-panel li.who[data-name="Asim Munir"]', timeout=LOAD_MS)
    page.screenshot(path=str(ARTIFACTS / "views-whos-who.png"))
    page.click('#people-panel li.who[data-name="Asim Munir"] a.ask-about')
    page.wait_for_selector("#chat .answer:not(.streaming)", timeout=LOAD_MS)
    text = page.inner_text("#chat")
    assert "What do the articles say about Asim Munir?" in text
    assert "004 (" in text
    page.screenshot(path=str(ARTIFACTS / "views-ask-about.png"))
