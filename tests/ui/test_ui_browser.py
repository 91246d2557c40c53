"""The web chat driven in headless Chromium against a real server and the real models."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
SEED_QUESTION = "What did Li Qiang ask of Brussels?"
SEED_ANSWER_SENTENCE = ("Chinese Premier Li told the EU leaders that Beijing hopes Brussels will "
                        "be prudent when introducing restrictive economic and trade policies")
GENERATE_TIMEOUT_MS = 240_000  # SmolLM2 on two busy cores
STOP_THEN_ASK_ROUNDS = 5
# Where "New conversation" interrupts an answer: still retrieving, first draft shown, a longer
# draft (the model well into writing).
STOP_POINTS = ("#nd-transcript .nd-turn[data-state=pending]", "#nd-transcript .nd-draft",
               "#nd-transcript .nd-draft >> text=/\\S+\\s+\\S+\\s+\\S+\\s+\\S+/")

SEED_TITLE = "EU urges China to engage in Ukraine peace process"


def reset_filters(page) -> None:
    """Press "Reset filters" and wait until the page shows them cleared: the server's reply
    can arrive after the next filter is set (on a busy machine), and would then clear that
    one instead, or the question would be sent with the old filters."""
    page.locator("#nd-reset").click()
    page.wait_for_function(
        """() => !document.querySelector('#nd-source-filter .token')
                 && !document.querySelector('#nd-since input').value
                 && !document.querySelector('#nd-until input').value""")


def _seed_text() -> str:
    return next(CORPUS.glob("eu-china-summit*.md")).read_text(encoding="utf-8")


def test_question_gets_a_cited_answer_whose_sentence_opens_highlighted(chat):
    page = chat.page
    page.locator("#nd-examples button", has_text=SEED_QUESTION).click()  # an example question
    turn = chat.wait_for_turn(1)
    assert turn.locator(".nd-user").inner_text() == SEED_QUESTION
    assert turn.locator(".nd-answer button.nd-cite").count() >= 1
    assert turn.locator(".nd-abstain").count() == 0

    card = chat.open_citation(turn, 1)
    assert SEED_TITLE in card.locator(".nd-card-title").inner_text()
    assert "7 Dec 2023" in card.locator(".nd-card-byline").inner_text()
    mark = card.locator(".nd-passage mark.nd-quote")
    assert mark.count() == 1 and mark.is_visible()
    marked = mark.inner_text()
    quote = card.locator(".nd-card-quote").text_content().strip("“”")
    assert marked == quote  # the highlight is exactly the cited sentence
    assert marked in " ".join(_seed_text().split()) or marked in _seed_text()
    passage = card.locator(".nd-passage").inner_text()
    assert len(passage) > len(marked)  # shown in its context
    if "prudent" not in turn.locator(".nd-answer").inner_text():
        warnings.warn(f"answer quality: the seed question was answered with {marked!r}, not "
                      f"{SEED_ANSWER_SENTENCE!r}", stacklevel=1)

    follow_up = chat.ask("and what did Xi say?")  # a follow-up in the same conversation
    assert chat.turns.count() == 2
    assert follow_up.locator(".nd-answer button.nd-cite, .nd-abstain").count() >= 1

    page.locator("#nd-clear").click()
    page.locator("#nd-transcript .nd-welcome").wait_for()
    assert chat.turns.count() == 0
    assert page.locator("#nd-sources .nd-card").count() == 0
    chat.assert_clean()


def test_generated_answer_streams_a_draft_then_shows_the_checked_answer(chat):
    page = chat.page
    chat.set_mode("Generated")
    # Record every draft the page shows while the model writes.
    page.evaluate("""() => {
        window.__drafts = [];
        new MutationObserver(() => {
            const draft = document.querySelector('#nd-transcript .nd-draft');
            if (draft && window.__drafts.at(-1) !== draft.innerText)
                window.__drafts.push(draft.innerText);
        }).observe(document.querySelector('#nd-transcript'),
                   {childList: true, subtree: true, characterData: true});
    }""")
    turn = chat.ask("What did Xi say about trade with the EU?", timeout=GENERATE_TIMEOUT_MS)
    drafts = page.evaluate("window.__drafts")
    assert len(drafts) >= 2, f"the draft did not stream: {drafts}"
    assert any(len(b) > len(a) for a, b in zip(drafts, drafts[1:], strict=False))
    assert turn.locator(".nd-draft").count() == 0  # replaced by the checked answer
    assert turn.locator(".nd-answer button.nd-cite").count() >= 1
    meta = turn.locator(".nd-meta").inner_text()
    assert "local model" in meta or "draft could not be supported" in meta
    card = chat.open_citation(turn, 1)
    assert card.locator("mark.nd-quote").is_visible()

    # "New conversation" stops an answer being written, and the next question is answered.
    # Repeated, stopping at different moments: whether the next question gets through depends
    # on how the stopped answer's end races with it, so one round can pass by luck.
    stopped = 0
    for round_ in range(STOP_THEN_ASK_ROUNDS):
        stop_when = STOP_POINTS[round_ % len(STOP_POINTS)]
        page.locator("#nd-question textarea").fill("What did von der Leyen say about Taiwan?")
        page.locator("#nd-question textarea").press("Enter")
        # The model may finish before the page has shown the stop point (seen once under
        # load: done in 1.3 s, no draft ever rendered); the round then clears a finished
        # answer, and at least one round must have stopped one being written.
        done = "#nd-transcript .nd-turn[data-state=done]"
        try:
            page.locator(stop_when).or_(page.locator(done)).first.wait_for(
                timeout=GENERATE_TIMEOUT_MS)
        except PlaywrightTimeoutError as error:
            raise AssertionError(f"round {round_ + 1}: neither {stop_when!r} nor a finished "
                                 f"answer showed; {_page_state(page)}") from error
        stopped += int(page.locator(done).count() == 0)
        page.locator("#nd-clear").click()
        try:
            page.locator("#nd-transcript .nd-welcome").wait_for()
        except PlaywrightTimeoutError as error:
            raise AssertionError(f"round {round_ + 1}: 'New conversation' did not empty the "
                                 f"conversation; {_page_state(page)}") from error
        page.locator("#nd-question textarea").fill("What did Xi say about the Taiwan Strait?")
        page.locator("#nd-question textarea").press("Enter")
        # The question is taken at once (a question typed while the stopped answer is still
        # winding down must not be dropped), and then answered.
        chat.turns.first.wait_for(timeout=30_000)
        turn = chat.wait_for_turn(1, timeout=GENERATE_TIMEOUT_MS)
        assert chat.turns.count() == 1, f"round {round_ + 1}: the cleared turn came back"
        assert turn.locator(".nd-answer, .nd-abstain").count() == 1
        assert "von der Leyen" not in page.locator("#nd-transcript").inner_text()
        page.locator("#nd-clear").click()
        page.locator("#nd-transcript .nd-welcome").wait_for()
    assert stopped >= 1, "no round stopped an answer while it was being written"
    chat.assert_clean()


def _page_state(page) -> str:
    """What the conversation showed, for a failure message: a question not taken, an answer
    stuck pending, a cleared turn come back."""
    states = page.locator("#nd-transcript .nd-turn").evaluate_all(
        "turns => turns.map(t => t.dataset.state)")
    return f"turns {states}, transcript {page.locator('#nd-transcript').inner_text()[:400]!r}"


def test_uploaded_article_is_indexed_in_place_and_cited(chat, tmp_path):
    article = tmp_path / "zorblax-festival.md"
    article.write_text(
        "---\ntitle: \"Zorblax Lantern Festival draws record crowds to Quillmere\"\n"
        "date: 2024-05-04\nsource: Invented Gazette\n"
        "url: https://example.org/zorblax-lantern-festival\n---\n"
        "The Zorblax Lantern Festival drew a record 48,000 visitors to the river town of "
        "Quillmere on Saturday.\n\n"
        "The Zorblax Lantern Festival is organised by the Quillmere Guild of Lamplighters, "
        "which has run it every spring since 1987.\n\n"
        "Mayor Odile Fenwark said the town would build a second footbridge before next year.\n",
        encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{ this is not json", encoding="utf-8")
    clash = tmp_path / "upload" / "eu-china-summit-2023-12-07.md"  # the seed article's id
    clash.parent.mkdir()
    clash.write_text("---\ntitle: Harbour notes\n---\nNotes about the Quillmere harbour.\n",
                     encoding="utf-8")
    before = chat.status_articles()
    summary = chat.upload(article, broken, clash)
    assert "2 added" in summary and "0 replaced" in summary and "1 failed" in summary
    assert "Zorblax Lantern Festival draws record crowds" in summary
    failure = chat.page.locator("#nd-update .nd-update-failed").inner_text()
    assert failure.startswith("Failed broken.json") and len(failure) > len("Failed broken.json: ")
    assert str(chat.server.store) not in summary  # file names only, not server folders
    chat.page.wait_for_function(
        f"() => document.querySelector('#nd-status').innerText.includes('{before + 2} article')")
    assert (chat.server.store / "uploads" / "zorblax-festival.md").is_file()
    assert (chat.server.store / "uploads" / "eu-china-summit-2023-12-07-2.md").is_file()

    turn = chat.ask("Who organises the Zorblax Lantern Festival?")
    card = chat.open_citation(turn, 1)
    assert "Zorblax Lantern Festival" in card.locator(".nd-card-title").inner_text()
    assert "Invented Gazette" in card.locator(".nd-card-byline").inner_text()
    assert "Zorblax" in card.locator("mark.nd-quote").inner_text()
    link = card.locator("a.nd-link")
    assert link.get_attribute("href") == "https://example.org/zorblax-lantern-festival"
    assert link.get_attribute("target") == "_blank"
    assert link.get_attribute("rel") == "noopener noreferrer"
    chat.assert_clean()


def test_article_with_markup_is_shown_as_text_and_runs_nothing(chat):
    page = chat.page
    hostile = (
        "---\ntitle: \"<script>window.__pwned = 1; alert(1)</script> Glimmerwick harbour "
        "reopens\"\ndate: 2024-06-01\nsource: \"<img src=x onerror=alert(3)> Harbour Bulletin\"\n"
        "url: \"javascript:alert(4)\"\n---\n"
        "The Glimmerwick harbour reopened on Monday after the storm "
        "<script>window.__pwned = 2; alert(2)</script> damaged its seawall.\n\n"
        "Harbour master Tamsin Brack said the Glimmerwick seawall repairs cost 3 million crowns "
        "<img src=x onerror=\"window.__pwned = 3; alert(5)\"> and took eleven weeks.\n")
    # A hostile file name too: it must land inside the store's uploads folder.
    summary = chat.upload({"name": "../../glimmerwick \"harbour\".md",
                           "mimeType": "text/markdown", "buffer": hostile.encode()})
    assert "1 added" in summary
    assert "<script>window.__pwned = 1" in summary  # the title, as text
    uploads = chat.server.store / "uploads"
    landed = list(chat.server.store.parent.rglob("*glimmerwick*"))
    assert len(landed) == 1 and landed[0].parent == uploads, landed

    turn = chat.ask("What did the Glimmerwick harbour master say about the seawall repairs?")
    card = chat.open_citation(turn, 1)
    assert card.locator(".nd-card-title").inner_text().startswith("<script>window.__pwned = 1")
    assert "<img src=x onerror=alert(3)>" in card.locator(".nd-card-byline").inner_text()
    assert page.get_by_text("<script>window.__pwned = 1", exact=False).first.is_visible()
    card.locator(".nd-passage").get_by_text("<img src=x", exact=False).wait_for()

    assert page.evaluate("window.__pwned") is None
    for area in ("#nd-transcript", "#nd-sources", "#nd-update"):
        assert page.locator(f"{area} img, {area} script, {area} iframe").count() == 0
    assert page.locator("a[href^='javascript:' i]").count() == 0
    assert card.locator("a.nd-link").count() == 0  # the javascript: URL is not a link
    chat.assert_clean()


def test_filters_narrow_the_sources(chat, tmp_path):
    # A second source, added through the API; the page reads the sources when it loads.
    other = tmp_path / "northwind.md"
    other.write_text(
        "---\ntitle: \"Northwind ferry timetable changes\"\ndate: 2024-02-10\n"
        "source: Northwind Courier\n---\n"
        "The Northwind ferry will leave the harbour at seven instead of eight from March.\n",
        encoding="utf-8")
    chat.server.assistant.add([other])
    page = chat.page
    page.reload()
    page.locator("#nd-transcript .nd-welcome").wait_for()

    page.locator("#nd-until input").fill("2020-01-01")
    page.locator("#nd-until input").press("Tab")
    turn = chat.ask(SEED_QUESTION)
    assert turn.locator(".nd-abstain").is_visible()  # nothing that old: it says so
    assert turn.locator("button.nd-cite").count() == 0
    assert "until 2020-01-01" in turn.locator(".nd-meta").inner_text()

    reset_filters(page)
    page.locator("#nd-source-filter input").click()
    page.locator("#nd-source-filter input").fill("Northwind")
    page.get_by_role("option", name="Northwind Courier").click()
    page.keyboard.press("Escape")
    turn = chat.ask(SEED_QUESTION)
    bylines = page.locator("#nd-sources .nd-group:not([hidden]) .nd-card-byline")
    if turn.locator(".nd-abstain").count() == 0:
        assert bylines.count() >= 1
        assert all("Northwind Courier" in text for text in bylines.all_inner_texts())
    assert SEED_TITLE not in page.locator("#nd-sources .nd-group:not([hidden])").inner_text()
    assert "source: Northwind Courier" in turn.locator(".nd-meta").inner_text()

    reset_filters(page)
    page.locator("#nd-since input").fill("2023-12-01")
    page.locator("#nd-until input").fill("2023-12-31")
    page.locator("#nd-until input").press("Tab")
    turn = chat.ask(SEED_QUESTION)
    card = chat.open_citation(turn, 1)
    assert SEED_TITLE in card.locator(".nd-card-title").inner_text()
    chat.assert_clean()


def test_two_tabs_keep_separate_conversations(chat, browser, ui_server):
    other = browser.new_page()
    try:
        other.goto(ui_server.url)
        other.locator("#nd-transcript .nd-welcome").wait_for()
        chat.ask(SEED_QUESTION)
        assert other.locator("#nd-transcript .nd-turn").count() == 0
        other.locator("#nd-question textarea").fill("What did von der Leyen say about Taiwan?")
        other.locator("#nd-question textarea").press("Enter")
        other.locator("#nd-transcript .nd-turn[data-state=done]").wait_for(timeout=90_000)
        assert chat.turns.count() == 1
        assert "Taiwan" not in chat.page.locator("#nd-transcript").inner_text()
    finally:
        other.close()
    chat.assert_clean()


def test_page_loads_nothing_from_outside(chat):
    """Fonts, scripts and styles all come from this server (offline machines, privacy)."""
    chat.page.wait_for_load_state("load")
    chat.page.wait_for_timeout(1500)  # late requests (fonts, icons) included
    chat.assert_clean()
    stylesheets = chat.page.evaluate("[...document.styleSheets].map(s => s.href).filter(Boolean)")
    assert all(href.startswith(chat.server.url) for href in stylesheets), stylesheets
