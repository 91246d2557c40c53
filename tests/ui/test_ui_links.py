"""Adding articles by link in the web chat, driven in headless Chromium against a real server,
the real embedder and the local news site (tests/news_site.py)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_an_article_added_by_link_is_indexed_and_cited_by_its_url(web_chat, news_site):
    chat = web_chat
    article = news_site.url("/news/library-reopens")
    missing = news_site.url("/missing")
    before = chat.status_articles()
    summary = chat.add_links(article, missing, "/etc/passwd")
    assert "1 added, 0 replaced, 0 unchanged, 2 failed" in summary
    assert "Quillmere library reopens after roof repairs" in summary
    failures = chat.page.locator("#nd-update .nd-update-failed").all_inner_texts()
    assert f"Failed {missing}: HTTP 404 Not Found" in "\n".join(failures)
    assert any("/etc/passwd: not a web link" in text for text in failures)
    assert chat.page.locator("#nd-link textarea").input_value() == ""
    chat.page.wait_for_function(
        f"() => document.querySelector('#nd-status').innerText.includes('{before + 1} article')")

    turn = chat.ask("How long did the Quillmere library roof repairs take?")
    card = chat.open_citation(turn, 1)
    assert "Quillmere library reopens" in card.locator(".nd-card-title").inner_text()
    assert "The Harbour Herald" in card.locator(".nd-card-byline").inner_text()
    link = card.locator("a.nd-link")
    assert link.get_attribute("href") == article  # the citation opens the article's page
    assert link.get_attribute("rel") == "noopener noreferrer"
    chat.assert_clean()  # the page itself never fetched the article: the server did


def test_a_link_to_this_machine_is_refused_by_default(chat, news_site):
    url = news_site.url("/news/lantern-festival")
    summary = chat.add_links(url)
    assert "0 added" in summary
    failure = chat.page.locator("#nd-update .nd-update-failed").inner_text()
    assert failure.startswith(f"Failed {url}: refused: 127.0.0.1 is a loopback address")
    assert news_site.hits == {}
    chat.assert_clean()
