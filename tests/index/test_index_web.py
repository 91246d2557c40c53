"""Articles from the web: pages and feeds fetched from a local news site into a real store.

The site (tests/news_site.py) runs on 127.0.0.1, so these tests allow private addresses in the
fetch policy, except the ones that check that such addresses are refused by default.
"""

from __future__ import annotations

import json

import pytest
from index_helpers import assert_consistent
from news_site import CHANGING, STORIES

from index import FetchPolicy, open_store, update_store
from index.web import Fetcher, FetchError, address_refusal, normalise_link
from index.web_state import STATE_FILE

HARBOUR_FEED = "/feeds/harbour.rss"
VALLEY_FEED = "/feeds/valley.atom"
VALLEY_ITEMS = ["/valley/orchard-harvest", "/valley/bridge-repairs", "/valley/choir-prize"]
LOCAL = FetchPolicy(allow_private=True, timeout=1.0, max_bytes=1024 * 1024)


def fetch(store, embedder, site, paths, policy=LOCAL, **options):
    return update_store(store, [], embedder=embedder, links=[site.url(p) for p in paths],
                        fetch=policy, **options)


def reasons(summary) -> dict[str, str]:
    return {failure.path: failure.reason for failure in summary.failed}


def test_feeds_and_article_pages_are_indexed_and_every_bad_link_is_reported(
        store_dir, embedder, news_site):
    site = news_site
    good = [HARBOUR_FEED, VALLEY_FEED, CHANGING]
    bad = ["/missing", "/slow", "/huge", "/huge-stream", "/report.pdf", "/feeds/broken.rss",
           "/loop", "/to-file"]
    summary = fetch(store_dir, embedder, site, good + bad)

    expected = {site.url(p) for p in site.harbour_items + VALLEY_ITEMS + [CHANGING]}
    assert set(summary.added) == expected
    failed = reasons(summary)
    assert set(failed) == {site.url(p) for p in bad}  # every bad link, by its URL
    assert failed[site.url("/missing")].startswith("HTTP 404")
    assert "timed out after 1 s" in failed[site.url("/slow")]
    assert "too large" in failed[site.url("/huge")] and "2.1 MB" in failed[site.url("/huge")]
    assert "too large" in failed[site.url("/huge-stream")]  # no Content-Length: counted
    assert "not HTML or a feed (application/pdf)" in failed[site.url("/report.pdf")]
    assert "malformed" in failed[site.url("/feeds/broken.rss")]
    assert "too many redirects" in failed[site.url("/loop")]
    assert "only http and https" in failed[site.url("/to-file")]
    assert site.hits["/loop"] == LOCAL.max_redirects + 1  # the cap, then it stops
    assert all("Newsdesk/" in agent for agent in site.user_agents)

    with open_store(store_dir) as store:
        lanterns = store.article(site.url("/news/lantern-festival"))
        assert lanterns.url == lanterns.article_id == site.url("/news/lantern-festival")
        assert lanterns.title == STORIES["/news/lantern-festival"]["title"]
        assert lanterns.date == "2024-05-04" and lanterns.source == "The Harbour Herald"
        assert lanterns.metadata.get("author") == "Odile Fenwark"
        body = STORIES["/news/lantern-festival"]["body"]
        assert lanterns.text.startswith(body[0])  # the headline is the title, not body text
        for sentence in body:
            assert sentence in lanterns.text
        for clutter in ("ADVERTISEMENT", "Glimmerfoam", "seagull42", "car park", "Most read",
                        "Crumbleton", "Subscribe", "All rights reserved"):
            assert clutter not in lanterns.text, f"{clutter!r} was taken for article text"
        choir = store.article(site.url("/valley/choir-prize"))
        assert choir.source == "Brindle Valley Gazette"
        # Found by meaning like any article.
        vector = embedder.encode_query("Which choir won the national prize in Carrowmere?")
        (top, _), *_ = store.search_dense(vector, 3)
        assert store.chunks([top])[0].article_id == site.url("/valley/choir-prize")
    assert_consistent(store_dir)


def test_a_rerun_fetches_only_what_changed(store_dir, embedder, news_site):
    site = news_site
    links = [HARBOUR_FEED, VALLEY_FEED, CHANGING]
    first = fetch(store_dir, embedder, site, links)
    assert len(first.added) == 6 and not first.failed

    # Nothing changed: each link is asked once, conditionally, and answered 304.
    site.reset_counts()
    calls = embedder.calls
    again = fetch(store_dir, embedder, site, links)
    assert again.version is None and not again.changed and not again.failed
    assert again.unchanged == 6
    assert site.hits == {HARBOUR_FEED: 1, VALLEY_FEED: 1, CHANGING: 1}
    assert site.conditional_hits == site.hits  # all answered 304 Not Modified
    assert embedder.calls == calls

    # A new item in the feed and a new text on the page: only those two are fetched.
    site.set_harbour_items(site.harbour_items + ["/news/library-reopens"])
    site.set_changing(1)
    site.reset_counts()
    third = fetch(store_dir, embedder, site, links)
    assert third.added == [site.url("/news/library-reopens")]
    assert third.replaced == [site.url(CHANGING)]
    assert third.unchanged == 5
    assert site.fetched("/news/library-reopens") == 1 and site.fetched(CHANGING) == 1
    for path in ["/news/lantern-festival", "/news/ferry-timetable", *VALLEY_ITEMS]:
        assert site.hits.get(path, 0) == 0, f"{path} was fetched again"
    with open_store(store_dir) as store:
        assert "postponed until June" in store.article(site.url(CHANGING)).text
    assert_consistent(store_dir)


def test_a_page_whose_surroundings_change_is_not_replaced(store_dir, embedder, news_site):
    site = news_site
    fetch(store_dir, embedder, site, [CHANGING])
    site.set_changing(0, surroundings=" New comment: the ferry was late again today!")
    site.reset_counts()
    summary = fetch(store_dir, embedder, site, [CHANGING])
    assert site.fetched(CHANGING) == 1  # a new ETag: fetched in full
    assert summary.unchanged == 1 and not summary.changed  # but the story is the same


def test_a_page_that_announces_its_feed_can_be_followed(store_dir, embedder, news_site):
    site = news_site
    # A section page holds no article: its feed is what was meant.
    summary = fetch(store_dir, embedder, site, ["/section/harbour"])
    assert set(summary.added) == {site.url(p) for p in site.harbour_items}
    assert not summary.failed
    # An article page is an article, unless the feed it announces is asked for.
    summary = fetch(store_dir, embedder, site, [CHANGING])
    assert summary.added == [site.url(CHANGING)]
    site.set_harbour_items(site.harbour_items + ["/news/library-reopens"])
    summary = fetch(store_dir, embedder, site, ["/news/lantern-festival"], follow_feeds=True)
    assert summary.added == [site.url("/news/library-reopens")]


def test_feed_items_that_fail_for_good_are_not_fetched_again(store_dir, embedder, news_site):
    site = news_site
    site.set_harbour_items(["/news/lantern-festival", "/news/gone", "/report.pdf"])
    first = fetch(store_dir, embedder, site, [HARBOUR_FEED])
    assert first.added == [site.url("/news/lantern-festival")]
    failed = reasons(first)
    assert failed[site.url("/news/gone")].startswith("HTTP 404")
    assert f"an item of the feed {site.url(HARBOUR_FEED)}" in failed[site.url("/news/gone")]
    assert "not HTML" in failed[site.url("/report.pdf")]

    # The feed changes (a new item): the failed items are not asked for again.
    site.set_harbour_items(site.harbour_items + ["/news/ferry-timetable"])
    site.reset_counts()
    second = fetch(store_dir, embedder, site, [HARBOUR_FEED])
    assert second.added == [site.url("/news/ferry-timetable")] and not second.failed
    assert "/news/gone" not in site.hits and "/report.pdf" not in site.hits


def test_an_item_that_timed_out_is_tried_again(store_dir, embedder, news_site):
    site = news_site
    site.set_harbour_items(["/news/lantern-festival"])
    site.routes["/news/lantern-festival"].delay = 3.0  # slower than the 1 s limit
    first = fetch(store_dir, embedder, site, [HARBOUR_FEED])
    assert not first.added and "timed out" in reasons(first)[site.url("/news/lantern-festival")]
    site.routes["/news/lantern-festival"].delay = 0.0
    site.reset_counts()
    second = fetch(store_dir, embedder, site, [HARBOUR_FEED])
    assert second.added == [site.url("/news/lantern-festival")]
    assert site.conditional_hits.get(HARBOUR_FEED, 0) == 0  # asked unconditionally


def test_private_addresses_are_refused_by_default(store_dir, embedder, news_site):
    site = news_site
    localhost = f"http://localhost:{site.port}/news/lantern-festival"
    summary = update_store(store_dir, [], embedder=embedder,
                           links=[site.url("/news/lantern-festival"), localhost],
                           fetch=FetchPolicy())
    failed = reasons(summary)
    assert "127.0.0.1 is a loopback address" in failed[site.url("/news/lantern-festival")]
    # A name is judged by the address it resolves to.
    assert "localhost resolves to 127.0.0.1" in failed[localhost]
    assert all("fetch_allow_private" in reason for reason in failed.values())
    assert site.hits == {} and not summary.added  # refused before connecting

    # Allowing one network allows only that one; a redirect's target is checked again.
    only_this = FetchPolicy(allowed_networks=("127.0.0.1/32",), timeout=2)
    with Fetcher(only_this) as fetcher:
        assert fetcher.get(site.url("/news/lantern-festival")).status == 200
        with pytest.raises(FetchError, match=r"redirected to http://127\.0\.0\.2:\d+/news/"
                                             r"lantern-festival, which failed: refused"):
            fetcher.get(site.url("/to-other-loopback"))


@pytest.mark.parametrize("address, refused", [
    ("93.184.215.14", None), ("2606:4700::1111", None),
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"),
    ("10.1.2.3", "private"), ("192.168.0.10", "private"), ("172.16.5.4", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"), ("0.0.0.0", "unspecified"),
    ("100.64.0.1", "not a public"), ("224.0.0.1", "multicast"), ("fd00::1", "private"),
])
def test_addresses_are_judged_by_kind(address, refused):
    why = address_refusal(address, FetchPolicy())
    assert (why is None) if refused is None else (refused in why)
    if refused not in (None, "multicast"):
        assert address_refusal(address, FetchPolicy(allow_private=True)) is None


@pytest.mark.parametrize("link, problem", [
    ("file:///etc/passwd", "only http and https"), ("ftp://example.org/a", "only http"),
    ("gopher://x", "only http"), ("http://user:secret@example.org/", "user name or password"),
    ("http:///nohost", "no host name"), ("http://example.org:99999/", "not a valid link"),
    ("http://exa mple.org/", "spaces"),
])
def test_only_plain_http_links_are_accepted(link, problem):
    with pytest.raises(FetchError, match=problem):
        normalise_link(link)


def test_links_are_kept_in_one_form():
    assert normalise_link(" HTTPS://News.Example.ORG:443/a/b?x=1#comments ") == \
        "https://news.example.org/a/b?x=1"
    assert normalise_link("http://example.org") == "http://example.org/"
    assert normalise_link("http://example.org:8080/x") == "http://example.org:8080/x"


def test_requests_to_one_host_are_limited(store_dir, embedder, news_site):
    site = news_site
    site.set_harbour_items(["/news/lantern-festival", "/news/ferry-timetable",
                            "/news/library-reopens"])
    fetch(store_dir, embedder, site, [HARBOUR_FEED, VALLEY_FEED],
          policy=FetchPolicy(allow_private=True, per_host=2))
    assert site.most_in_flight == 2  # six slow pages, fetched two at a time


def test_the_state_is_json_and_a_damaged_one_only_costs_fetches(store_dir, embedder,
                                                                 news_site):
    site = news_site
    fetch(store_dir, embedder, site, [HARBOUR_FEED, CHANGING])
    state = json.loads((store_dir / STATE_FILE).read_text(encoding="utf-8"))
    feed = state["feeds"][site.url(HARBOUR_FEED)]
    assert feed["etag"] and set(feed["items"]) == {site.url(p) for p in site.harbour_items}
    assert state["pages"][site.url(CHANGING)]["etag"]

    (store_dir / STATE_FILE).write_bytes(b"\x80\x04garbage that is not JSON")
    site.reset_counts()
    summary = fetch(store_dir, embedder, site, [HARBOUR_FEED, CHANGING])
    assert "damaged" in reasons(summary)[str(store_dir / STATE_FILE)]
    assert not summary.changed and summary.unchanged == 3  # refetched, and nothing lost
    assert site.fetched(HARBOUR_FEED) == 1 and site.fetched(CHANGING) == 1
    json.loads((store_dir / STATE_FILE).read_text(encoding="utf-8"))  # rewritten whole
    assert not list(store_dir.glob(".tmp-*"))


def test_a_rebuild_forgets_what_was_fetched(store_dir, embedder, news_site):
    site = news_site
    fetch(store_dir, embedder, site, [HARBOUR_FEED])
    site.reset_counts()
    summary = fetch(store_dir, embedder, site, [HARBOUR_FEED], rebuild=True)
    assert len(summary.added) == 2  # the new store has them again
    assert site.conditional_hits == {} and site.fetched("/news/lantern-festival") == 1
