"""The real chat UI in Debian's chromium: `rag serve` in a subprocess over a fresh index
(built from the seeds on first use), driven through Playwright. Screenshots of each
state go to tests/artifacts/."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from network import QUIETING, non_loopback_calls, stop, strace_prefix
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from ports import free_port

from rag.corpus import load_corpus

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ANSWER_TIMEOUT_MS = 120_000  # the first question may wait for the index to build
TARIFFS = "By how much were tariffs on Pakistani goods lowered?"
CRYPTO = "Who is Pakistan's minister for crypto?"
DONE = "#chat .answer:not(.streaming)"
TEXT = "#chat .answer p, #chat .answer .refusal, #chat .answer .error-box"


@pytest.fixture(scope="module")
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, store_mode: str
) -> Iterator[dict[str, object]]:
    """`rag serve` in a subprocess, once on the embedded store and once on a real
    `chroma run` server (the parametrized `store_mode` of conftest.py). It runs under
    strace where strace can trace, so every UI session of the module is checked for
    network calls beyond loopback (DNS included)."""
    data_dir = tmp_path_factory.mktemp("ui-data")
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in QUIETING},
        "RAG_DATA_DIR": str(data_dir),
        "RAG_SEEDS_DIR": str(REPO / "seeds"),
        "RAG_GENERATOR": "extractive",
        "RAG_HOST": "127.0.0.1",
        "RAG_STORE": store_mode,
        "HF_HUB_OFFLINE": "1",
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    if store_mode == "server":
        chroma = request.getfixturevalue("chroma_server")
        env.update(
            RAG_CHROMA_HOST=chroma.host, RAG_CHROMA_PORT=str(chroma.port), RAG_COLLECTION="uitest"
        )
    env.pop("RAG_UI_AUTH", None)
    log_path = data_dir / "server.log"
    trace = data_dir / "server.strace"
    prefix = strace_prefix(trace)
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [
                *(prefix or []),
                *[sys.executable, "-m", "rag.cli", "serve", "--port", str(port)],
            ],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(proc, traced=prefix is not None, timeout=5)
            pytest.fail(f"the UI did not start:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.3)
    yield {"url": url, "data_dir": data_dir, "log": log_path}
    stop(proc, traced=prefix is not None)
    assert "Traceback" not in log_path.read_text(), log_path.read_text()[-3000:]
    if trace.exists():
        assert non_loopback_calls(trace.read_text()) == []


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium "
            "(apt-get install -y chromium)"
        )
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, server):  # type: ignore[no-untyped-def]
    """New isolated browser contexts (separate sessions); every request must stay local."""
    contexts, requests = [], []

    def make():  # type: ignore[no-untyped-def]
        context = browser.new_context(viewport={"width": 1440, "height": 950})
        contexts.append(context)
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.goto(str(server["url"]))
        page.wait_for_selector("#question textarea")
        return page

    yield make
    for context in contexts:
        context.close()
    remote = [u for u in requests if urlparse(u).hostname not in {"127.0.0.1", None}]
    assert not [u for u in remote if not u.startswith(("data:", "blob:"))], remote


def ask(page, question: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Type and send a question; wait for the finished answer; return timings in seconds.

    Time to first token: until the streaming bubble shows answer text (or a refusal or
    error box); full answer: until the finished bubble (with its footer) replaces it.
    """
    done = page.locator(DONE).count()
    texts = page.locator(TEXT).count()
    page.fill("#question textarea", question)
    started = time.perf_counter()
    page.click("#ask")
    try:
        page.wait_for_function(
            f"n => document.querySelectorAll('{TEXT}').length > n",
            arg=texts,
            timeout=ANSWER_TIMEOUT_MS,
        )
        first = time.perf_counter() - started
        page.wait_for_function(
            f"n => document.querySelectorAll('{DONE}').length > n",
            arg=done,
            timeout=ANSWER_TIMEOUT_MS,
        )
    except PlaywrightTimeout:
        pytest.fail(
            f"no answer to {question!r}; the chat ends:\n"
            f"{page.locator('#chat').inner_text()[-1500:]}"
        )
    return {"ttft": first, "total": time.perf_counter() - started}


def last_answer(page):  # type: ignore[no-untyped-def]
    return page.locator(DONE).last


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(ARTIFACTS / f"ui-{name}.png"))


def test_answer_marker_opens_the_cited_paragraph(open_page, server) -> None:  # type: ignore[no-untyped-def]
    page = open_page()
    shot(page, "0-start")
    ask(page, TARIFFS)
    answer = last_answer(page)
    marker = answer.locator("a.cite").first
    assert marker.inner_text() == "[1]"
    assert "29% to 19%" in answer.inner_text()
    assert "Answered by extractive" in answer.inner_text()
    href = marker.get_attribute("href")
    card = page.locator(f"#sources-panel {href}")
    assert card.get_attribute("data-article") == "001"
    assert card.locator(".src-label").inner_text() == "¶6"
    assert "Strategic realism" in card.locator(".src-title").inner_text()
    assert "29% to 19%" in card.locator("mark").inner_text()
    paragraph = load_corpus(REPO / "seeds")[1].paragraph(6).text
    assert paragraph[:60] in (marker.get_attribute("title") or "")  # hover shows it
    shot(page, "1-answer")

    marker.click()
    page.wait_for_selector(f"#sources-panel {href}.is-active")
    assert card.is_visible()
    assert paragraph[:60] in card.inner_text()
    shot(page, "2-source")

    card.locator("a.open-reader").click()
    target = page.locator("#p-001-body-6")
    page.wait_for_selector("#p-001-body-6.is-target")
    assert target.is_visible()
    assert target.locator(".pnum").inner_text() == "¶6"
    assert paragraph[:60] in target.inner_text()
    assert page.locator('.reader .doc[data-article="001"]').is_visible()
    assert not page.locator('.reader .doc[data-article="004"]').is_visible()
    box, view = target.bounding_box(), page.viewport_size
    assert box is not None
    assert 0 <= box["y"] < view["height"]  # scrolled into view
    shot(page, "3-reader")

    # Thumbs up lands in feedback.jsonl with the answer and its citations.
    page.locator('#chat button[aria-label="Like"]').last.click()
    feedback = Path(server["data_dir"]) / "feedback.jsonl"
    deadline = time.monotonic() + 10
    while not (feedback.exists() and feedback.read_text().endswith("\n")):
        assert time.monotonic() < deadline, "no feedback was recorded"
        time.sleep(0.1)
    record = json.loads(feedback.read_text().splitlines()[-1])
    assert record["vote"] == "up"
    assert record["question"] == TARIFFS
    assert record["citations"][0]["article_id"] == "001"
    assert record["generator"] == "extractive"
    assert record["settings"]["k"] == 5


def test_follow_up_uses_the_previous_question(open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page()
    ask(page, CRYPTO)
    ask(page, "When was he appointed?")
    answer = last_answer(page)
    assert "May" in answer.inner_text()
    assert "Read as" in answer.inner_text()
    assert "minister for crypto" in answer.inner_text()
    href = answer.locator("a.cite").first.get_attribute("href")
    card = page.locator(f"#sources-panel {href}")
    assert card.get_attribute("data-article") == "004"
    assert "named Pakistan’s minister for crypto and blockchain in May" in card.inner_text()
    shot(page, "4-follow-up")

    page.click("#new-conversation")
    page.wait_for_function("document.querySelectorAll('#chat .answer').length === 0")
    assert "Sources appear here" in page.locator("#sources-panel").inner_text()


def test_unanswerable_question_is_refused_with_closest_passages(open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page()
    ask(page, "Who won the 1992 cricket world cup?")
    answer = last_answer(page)
    assert answer.locator(".refusal").is_visible()
    text = answer.inner_text()
    assert "The articles don’t say." in text
    assert "never mention" in text  # the refusal says what is missing
    # at most the closest passage is cited, as a marker linking to its source card
    assert answer.locator("a.cite").count() <= 1
    assert page.locator("#sources-panel .src").count() >= 1
    shot(page, "5-refusal")

    ask(page, "   ")  # errors are a short message in the chat, and the app keeps serving
    assert "Couldn’t answer." in last_answer(page).inner_text()
    assert "empty" in last_answer(page).inner_text()
    ask(page, TARIFFS)
    assert last_answer(page).locator("a.cite").count() >= 1


def test_two_sessions_keep_separate_histories(open_page) -> None:  # type: ignore[no-untyped-def]
    alice, bob = open_page(), open_page()
    ask(alice, CRYPTO)
    ask(bob, TARIFFS)
    # Both follow up at once; each is read against its own session's previous question.
    alice.fill("#question textarea", "When was he appointed?")
    bob.fill("#question textarea", "What about India?")
    alice.click("#ask")
    bob.click("#ask")
    for page in (alice, bob):
        page.wait_for_function(
            f"document.querySelectorAll('{DONE}').length === 2", timeout=ANSWER_TIMEOUT_MS
        )
    alice_text, bob_text = last_answer(alice).inner_text(), last_answer(bob).inner_text()
    assert "minister for crypto" in alice_text
    assert "tariffs" not in alice_text.split("Read as")[-1]
    assert "tariffs on Pakistani goods" in bob_text.split("Read as")[-1]
    assert "crypto" not in bob.locator("#chat").inner_text()
    assert "tariffs" not in alice.locator("#chat").inner_text()
    shot(alice, "6-session-a")
    shot(bob, "6-session-b")


def test_latency_of_a_typical_question(open_page, capsys, store_mode: str) -> None:  # type: ignore[no-untyped-def]
    page = open_page()
    ask(page, "Why is the US re-engaging Pakistan?")  # warm
    runs = [ask(page, q) for q in (TARIFFS, CRYPTO, "What minerals could Pakistan offer?")]
    ttft = statistics.median(r["ttft"] for r in runs)
    total = statistics.median(r["total"] for r in runs)
    report = {"ttft_s": round(ttft, 3), "full_answer_s": round(total, 3), "runs": runs}
    (ARTIFACTS / f"ui-timings-{store_mode}.json").write_text(json.dumps(report, indent=2))
    with capsys.disabled():
        print(
            f"\nUI latency in the browser, {store_mode} store (median of 3 warm questions): "
            "time to first "
            f"token {ttft:.2f} s, full answer {total:.2f} s"
        )
    assert total < 30
