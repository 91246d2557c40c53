"""Regenerate the web chat screenshots in docs/ (chat-answer.png, citation.png, abstention.png).

    .venv/bin/python docs/make_screenshots.py [--mode extractive|generate] [--out docs]

Builds a throwaway store from corpus/, serves the web chat on 127.0.0.1 and a free port,
asks the seed question and a follow-up in headless Chromium (Debian's, `make browser`), and
saves the pictures. Nothing is fetched from the network.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update"]
QUESTION = "What did Li Qiang ask of Brussels?"
FOLLOW_UP = "and what did Xi say about trade?"
UNANSWERABLE = "Who won the 2023 Tour de France?"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _ask(page, question: str, timeout_ms: int) -> None:
    count = page.locator("#nd-transcript .nd-turn").count()
    page.locator("#nd-question textarea").fill(question)
    page.locator("#nd-question textarea").press("Enter")
    page.locator("#nd-transcript .nd-turn").nth(count).and_(
        page.locator("[data-state=done]")).wait_for(timeout=timeout_ms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["extractive", "generate"], default="extractive")
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from qa import Assistant
    from ui.app import build_app, start, warm_up

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="newsdesk-shots-") as folder:
        assistant = Assistant.from_corpus(REPO / "corpus", store=Path(folder) / "store",
                                          mode=args.mode, port=_free_port())
        warm_up(assistant)
        demo = build_app(assistant, assistant.settings)
        url = start(demo, assistant.settings)
        timeout = 240_000 if args.mode == "generate" else 90_000
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                                     args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 800},
                                        device_scale_factor=1)
                page.goto(url)
                page.locator("#nd-transcript .nd-welcome").wait_for()
                _ask(page, QUESTION, timeout)
                _ask(page, FOLLOW_UP, timeout)
                page.locator("#nd-transcript .nd-turn").first.locator(
                    "button.nd-cite").first.click()
                page.wait_for_timeout(900)  # the card's highlight animation
                page.screenshot(path=str(args.out / "chat-answer.png"))
                page.locator("#nd-sources").screenshot(path=str(args.out / "citation.png"))
                page.locator("#nd-clear").click()
                page.locator("#nd-transcript .nd-welcome").wait_for()
                _ask(page, UNANSWERABLE, timeout)
                page.locator("#nd-transcript").screenshot(path=str(args.out / "abstention.png"))
                browser.close()
        finally:
            demo.close(verbose=False)
            assistant.close()
    for name in ("chat-answer.png", "citation.png", "abstention.png"):
        print(args.out / name)


if __name__ == "__main__":
    main()
