"""Gradio's own time to first token (issue 12): the floor under the chat UI's figure.

    python -m bench.ui_floor [--runs 7]

A Blocks app with a Chatbot, a Textbox and a Button whose handler does no work: it
yields the question with an empty reply, then a canned reply, as `ui/app.py`'s
`respond` does. Timed the way tests/test_ui_browser.py times the real UI (click, then
wait until the reply's text is in the page) in the same Debian chromium. What the real
UI adds above this is the pipeline and our rendering; what is below it belongs to
Gradio's queue, its event stream and the browser.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Iterator
from typing import Any

CHROMIUM = "/usr/bin/chromium"
PORT = 7997


def respond(question: str, chat: list[Any]) -> Iterator[tuple[list[Any], str]]:
    chat = [*(chat or []), {"role": "user", "content": question}]
    yield [*chat, {"role": "assistant", "content": "…"}], ""
    yield [*chat, {"role": "assistant", "content": "<span class='reply'>answer</span>"}], ""


def measure(runs: int) -> list[float]:
    """Seconds from click to the reply's text, per question (the first is a warm-up)."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr
    from playwright.sync_api import sync_playwright

    with gr.Blocks() as demo:
        chat = gr.Chatbot(elem_id="chat")
        box = gr.Textbox(elem_id="question")
        gr.Button("Ask", elem_id="ask").click(respond, [box, chat], [chat, box])
    demo.queue().launch(server_port=PORT, prevent_thread_lock=True, quiet=True)
    times = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
            )
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{PORT}")
            page.wait_for_selector("#ask")
            for i in range(runs + 1):
                shown = page.locator("#chat .reply").count()
                page.fill("#question textarea", f"question {i}")
                started = time.perf_counter()
                page.click("#ask")
                page.wait_for_function(
                    "n => document.querySelectorAll('#chat .reply').length > n", arg=shown
                )
                times.append(time.perf_counter() - started)
            browser.close()
    finally:
        demo.close()
    return times[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed questions (default 7)")
    times = measure(parser.parse_args().runs)
    print(
        f"Gradio's floor, time to first token: median {statistics.median(times):.3f} s "
        f"(min {min(times):.3f}, max {max(times):.3f}, {len(times)} questions)"
    )


if __name__ == "__main__":
    main()
