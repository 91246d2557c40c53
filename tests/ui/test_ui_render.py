"""The web chat's HTML: everything from articles and the model is escaped; highlights are exact."""

from __future__ import annotations

import re

import pytest

from qa import Answer, Citation, Passage
from ui import render
from ui.session import Filters, Turn

SCRIPT = "<script>window.__pwned = 1; alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'


def citation(**changes) -> Citation:
    passage = "First sentence here. The quoted sentence sits in the middle. A last one."
    start = passage.index("The quoted")
    end = passage.index(" A last")
    fields = dict(n=1, article_id="a1", title="A title", date="2023-12-07", source="Wire",
                  url="https://example.org/a1", quote=passage[start:end],
                  span=(1000 + start, 1000 + end), score=0.5, chunk_id=7, passage=passage,
                  passage_start=1000)
    fields.update(changes)
    return Citation(**fields)


def passage(**changes) -> Passage:
    fields = dict(chunk_id=3, article_id="p1", title="Closest", date="2024-01-02",
                  source="Wire", url=None, text="Some nearby text.", start=0, end=17,
                  score=0.1)
    fields.update(changes)
    return Passage(**fields)


def live_tags(markup: str) -> set[str]:
    """The element names that would be created from this HTML."""
    return {name.lower() for name in re.findall(r"<\s*([a-zA-Z][a-zA-Z0-9-]*)", markup)}


def test_highlight_marks_exactly_the_quoted_span():
    text = "Alpha one. Beta <two> & three. Gamma four."
    start, end = text.index("Beta"), text.index(" Gamma")
    html = render.highlight(text, 500, (500 + start, 500 + end), text[start:end])
    assert html == ("Alpha one. <mark class=\"nd-quote\">Beta &lt;two&gt; &amp; three.</mark>"
                    " Gamma four.")


def test_highlight_uses_the_span_even_when_the_quote_occurs_earlier():
    text = "Same words. Other. Same words."
    second = text.rindex("Same words.")
    html = render.highlight(text, 0, (second, second + len("Same words.")), "Same words.")
    assert html == 'Same words. Other. <mark class="nd-quote">Same words.</mark>'


def test_highlight_falls_back_to_the_quote_when_the_span_is_outside_the_passage():
    html = render.highlight("One. Two. Three.", 0, (900, 904), "Two.")
    assert html == 'One. <mark class="nd-quote">Two.</mark> Three.'
    assert (render.highlight("One.", 0, (900, 904), "<b>x")
            == '<mark class="nd-quote">&lt;b&gt;x</mark>')


@pytest.mark.parametrize("field", ["title", "quote", "source", "passage", "date"])
def test_citation_card_escapes_every_article_field(field):
    hostile = f"{SCRIPT} {IMG}"
    if field == "quote":
        card = render.citation_card(citation(quote=hostile, span=(0, 1), passage=""), 3)
    elif field == "passage":
        base = citation()
        card = render.citation_card(citation(passage=f"{hostile} {base.passage}",
                                             passage_start=1000 - len(hostile) - 1), 3)
        assert '<mark class="nd-quote">The quoted sentence sits in the middle.</mark>' in card
    else:
        card = render.citation_card(citation(**{field: hostile}), 3)
    assert "<script" not in card and "<img" not in card
    assert live_tags(card) <= {"details", "summary", "span", "div", "mark", "a"}
    assert "&lt;script&gt;window.__pwned = 1; alert(1)&lt;/script&gt;" in card
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in card


def test_citation_card_shows_title_date_source_link_and_highlight():
    card = render.citation_card(citation(), 4, open_=True)
    assert card.startswith('<details class="nd-card" id="nd-cite-4-1" data-turn="4" '
                           'data-n="1" open>')
    assert "A title" in card and "7 Dec 2023 · Wire" in card
    assert ('<a class="nd-link" href="https://example.org/a1" target="_blank" '
            'rel="noopener noreferrer">') in card
    assert '<mark class="nd-quote">The quoted sentence sits in the middle.</mark>' in card


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)",
                                 "data:text/html,<script>alert(1)</script>", "/relative/path",
                                 "ftp://example.org/x", "https://", "http://exa mple.org",
                                 "https://example.org/\u0000x", None, ""])
def test_unsafe_urls_are_not_linked(url):
    assert render.safe_url(url) is None
    assert "<a " not in render.citation_card(citation(url=url), 1)


def test_safe_urls_are_linked_with_their_quotes_escaped():
    url = 'https://example.org/a?x=1&y="2"'
    assert render.safe_url(url) == url
    card = render.citation_card(citation(url=url), 1)
    assert 'href="https://example.org/a?x=1&amp;y=&quot;2&quot;"' in card


def test_answer_markers_become_buttons_and_text_is_escaped():
    html = render.answer_html(f"Beijing hopes {SCRIPT} [1]. Unknown [7].\n\nNext {IMG} [1]",
                              [citation()], turn_id=5)
    assert html.count('<button type="button" class="nd-cite" data-turn="5" data-n="1"') == 2
    assert "[7]" in html and 'data-n="7"' not in html
    assert "<script" not in html and "<img" not in html
    assert html.count("<p>") == 2
    assert live_tags(html) <= {"p", "button", "br"}


def test_abstention_looks_different_and_offers_the_closest_passages():
    answer = Answer(question="q", text="The articles don't say.", abstained=True,
                    passages=[passage(title=SCRIPT), passage(article_id="p2", title="Second")])
    html = render.render_turn(Turn(1, "What <b>now</b>?", Filters(), answer=answer))
    assert 'class="nd-abstain"' in html and "nd-answer" not in html
    assert "nd-cite" not in html
    assert "Closest passages" in html and "Second" in html
    assert "<script" not in html and "What &lt;b&gt;now&lt;/b&gt;?" in html


def test_abstention_without_passages_names_the_filters():
    answer = Answer(question="q", text="The articles don't say. Nothing; listed below.",
                    abstained=True)
    turn = Turn(2, "q", Filters(until="2020-01-01", sources=("Wire",)), answer=answer)
    html = render.render_turn(turn)
    assert "listed below" not in html
    assert "until 2020-01-01 · source: Wire" in html


def test_streaming_draft_and_errors_are_text():
    pending = Turn(1, "q", draft=f"partial {SCRIPT}")
    html = render.render_turn(pending)
    assert 'class="nd-draft"' in html and "<script" not in html
    assert 'data-state="pending"' in html
    failed = Turn(2, "q", error=f"bad {IMG}")
    assert "<img" not in render.render_turn(failed)


def test_sources_panel_shows_the_latest_answer_and_keeps_earlier_ones_hidden():
    first = Turn(1, "first", answer=Answer(question="first", text="A [1].",
                                           citations=[citation()]))
    second = Turn(2, "second", answer=Answer(question="second", text="B [1] [2].",
                                             citations=[citation(), citation(n=2)]))
    html = render.render_sources([first, second])
    assert '<section class="nd-group" data-turn="1" hidden>' in html
    assert '<section class="nd-group" data-turn="2">' in html
    assert 'id="nd-cite-2-1" data-turn="2" data-n="1" open>' in html
    assert 'id="nd-cite-2-2" data-turn="2" data-n="2">' in html


def test_update_summary_lists_failures_by_file_name_escaped():
    class Failure:
        path = "/srv/store/uploads/<img src=x onerror=alert(1)>.md"
        reason = "the file is empty"
        record = None

    class Summary:
        added = ["a1"]
        replaced: list = []
        unchanged = 0
        failed = [Failure()]
        changed = True

    html = render.render_update(Summary(), rejected=["big.pdf: over the 1.0 MB upload limit"],
                                titles={"a1": SCRIPT})
    assert "1 added, 0 replaced, 0 unchanged, 2 failed" in html
    assert "/srv/store" not in html
    assert "<script" not in html and "<img" not in html
    assert "big.pdf: over the 1.0 MB upload limit" in html


def test_status_line_counts():
    class Stats:
        articles, chunks, sources, updated_at = 1, 4, 0, 1_700_000_000.0

    html = render.render_status(Stats())
    assert "1 article<" in html and "4 chunks" in html and "0 sources" in html
    assert "updated 2023-11-" in html


def test_a_failing_link_is_named_by_its_whole_url():
    class Failure:
        path = "https://news.example.org/2024/05/story?id=7"
        reason = "HTTP 404 Not Found"
        record = None

    class Summary:
        added: list = []
        replaced: list = []
        unchanged = 0
        failed = [Failure()]
        changed = False

    html = render.render_update(Summary(), rejected=["notes.txt: not a web link"], noun="link")
    assert "https://news.example.org/2024/05/story?id=7: HTTP 404 Not Found" in html
    assert "notes.txt: not a web link" in html
    assert "0 added, 0 replaced, 0 unchanged, 2 failed" in html
    assert "2 links not added" in render.render_update(None, ["a: x", "b: y"], noun="link")


def test_a_checked_claim_is_shown_as_text_with_its_outcome_and_quote():
    from qa.types import CheckReport, Citation, ClaimResult
    from ui.render import render_check

    hostile = '<img src=x onerror="alert(1)">'
    quote = Citation(n=1, article_id="a", title=f"Title {hostile}", date="2023-12-07",
                     source="Wire", url=None, quote=f"It swelled {hostile}.", span=(0, 10),
                     score=1.0, chunk_id=1)
    report = CheckReport(text="x", claims=[
        ClaimResult(sentence=f"The deficit shrank {hostile}.", status="contradicted",
                    reason="the source goes the other way", contradicting=[quote]),
        ClaimResult(sentence="Something else.", status="not_found")])
    html = render_check(report)
    assert "<img" not in html and "&lt;img" in html
    assert 'data-status="contradicted"' in html and 'data-status="not_found"' in html
    assert "Contradicted" in html and "Not found" in html
    assert "the source goes the other way" in html
    assert render_check(None, "the store <b>is</b> gone").count("&lt;b&gt;") == 1
