"""Fixtures for the web chat: a real Gradio server on a copy of the seed store, and Chromium.

The server runs in this process (Gradio's own background threads) on 127.0.0.1 and a free
port, with the session's embedder; Debian's Chromium drives it through Playwright.
"""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update"]
ANSWER_TIMEOUT_MS = 90_000  # extractive answers take a second or two; the machine is shared


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    url: str
    assistant: object
    settings: object
    store: Path
    demo: object = None


@pytest.fixture(scope="session")
def ui_server(seed_store, embedder, tmp_path_factory) -> Iterator[Server]:
    """The web chat on a private copy of the seed store (extractive by default, 1 MB uploads)."""
    from qa import Assistant, load_settings
    from ui.app import build_app, start, warm_up

    store = tmp_path_factory.mktemp("ui") / "store"
    shutil.copytree(seed_store, store)
    settings = load_settings(store=store, host="127.0.0.1", port=free_port(), mode="extractive",
                             max_upload_mb=1, concurrency=2)
    assistant = Assistant(settings, embedder=embedder)
    warm_up(assistant)
    demo = build_app(assistant, settings)
    url = start(demo, settings)
    assert url.startswith("http://127.0.0.1:"), url
    yield Server(url.rstrip("/"), assistant, settings, store, demo)
    demo.close(verbose=False)
    assistant.close()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium (install it with `make browser`)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium with `make browser`")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@dataclass
class ChatPage:
    """A browser tab on the web chat, with the few moves the tests make."""

    page: object
    server: Server
    dialogs: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)

    @property
    def turns(self):
        return self.page.locator("#nd-transcript .nd-turn")

    def ask(self, question: str, timeout: float = ANSWER_TIMEOUT_MS):
        """Type a question, press Enter, wait for its answer; return the turn's locator."""
        before = self.turns.count()
        self.page.locator("#nd-question textarea").fill(question)
        self.page.locator("#nd-question textarea").press("Enter")
        return self.wait_for_turn(before + 1, timeout)

    def wait_for_turn(self, count: int, timeout: float = ANSWER_TIMEOUT_MS):
        turn = self.turns.nth(count - 1)
        turn.and_(self.page.locator("[data-state=done]")).wait_for(timeout=timeout)
        return turn

    def set_mode(self, label: str) -> None:
        self.page.locator("#nd-mode label", has_text=label).click()

    def open_citation(self, turn, n: int = 1):
        """Click [n] in an answer; return the opened card in the sources panel."""
        turn.locator(f".nd-answer button.nd-cite[data-n='{n}']").first.click()
        card = self.page.locator("#nd-sources .nd-group:not([hidden]) "
                                 f".nd-card[data-n='{n}'][open]")
        card.wait_for()
        return card

    def upload(self, *paths: Path | dict) -> str:
        """Add files through the upload box; return the summary text once indexing is done."""
        accordion = self.page.locator("#nd-add")
        if not self.page.locator("#nd-upload").is_visible():
            accordion.get_by_text("Add articles").click()
        before = self.page.locator("#nd-update").inner_text()
        self.page.locator("#nd-upload input[type=file]").set_input_files(
            [p if isinstance(p, dict) else str(p) for p in paths])
        summary = self.page.locator("#nd-update .nd-update")
        self.page.wait_for_function(
            "before => { const el = document.querySelector('#nd-update .nd-update');"
            " return el && el.innerText !== before; }", arg=before, timeout=ANSWER_TIMEOUT_MS)
        return summary.inner_text()

    def add_links(self, *links: str) -> str:
        """Type links into the link box, press Add; return the summary once indexing is done."""
        if not self.page.locator("#nd-link").is_visible():
            self.page.locator("#nd-add").get_by_text("Add articles").click()
        before = self.page.locator("#nd-update").inner_text()
        self.page.locator("#nd-link textarea").fill("\n".join(links))
        self.page.locator("#nd-add-link").click()
        self.page.wait_for_function(
            "before => { const el = document.querySelector('#nd-update .nd-update');"
            " return el && el.innerText !== before; }", arg=before, timeout=ANSWER_TIMEOUT_MS)
        return self.page.locator("#nd-update .nd-update").inner_text()

    def status_articles(self) -> int:
        text = self.page.locator("#nd-status").inner_text()
        return int(text.split("article")[0].split()[-1].replace(",", ""))

    def assert_clean(self) -> None:
        """Nothing ran that should not have: no dialog, no request off this server."""
        assert self.dialogs == [], f"a dialog opened: {self.dialogs}"
        assert self.outside_requests == [], f"requests left the server: {self.outside_requests}"


def _open_tab(browser, server: Server) -> tuple[object, ChatPage]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    tab = ChatPage(page, server)
    page.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: None if request.url.startswith(
        (server.url, "data:", "blob:")) else tab.outside_requests.append(request.url))
    page.goto(server.url)
    page.locator("#nd-transcript .nd-welcome").wait_for()
    return context, tab


@pytest.fixture
def chat(browser, ui_server) -> Iterator[ChatPage]:
    """A fresh tab (a fresh conversation) on the running web chat."""
    context, tab = _open_tab(browser, ui_server)
    yield tab
    context.close()


@pytest.fixture
def web_chat(browser, seed_store, embedder, tmp_path) -> Iterator[ChatPage]:
    """A tab on a web chat of its own (a copy of the seed store) that may fetch links from
    this machine (fetch_allow_private), for the local news site of tests/news_site.py."""
    from qa import Assistant, load_settings
    from ui.app import build_app, start, warm_up

    store = tmp_path / "store"
    shutil.copytree(seed_store, store)
    settings = load_settings(store=store, host="127.0.0.1", port=free_port(), mode="extractive",
                             fetch_allow_private=True, fetch_timeout=5)
    assistant = Assistant(settings, embedder=embedder)
    warm_up(assistant)
    demo = build_app(assistant, settings)
    server = Server(start(demo, settings).rstrip("/"), assistant, settings, store, demo)
    try:
        context, tab = _open_tab(browser, server)
        yield tab
        context.close()
    finally:
        demo.close(verbose=False)
        assistant.close()
