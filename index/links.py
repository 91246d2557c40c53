"""Articles from links: article pages, RSS/Atom feeds, and pages that announce a feed.

`read_links` turns the links a user gave into `Article`s (their id is the link) and
`ReadFailure`s (the link and why), the same two things reading files produces, so fetched
articles go through the same update as files. It fetches only what may have changed:

- a link fetched before is asked for conditionally (ETag / Last-Modified) and costs nothing
  more when the server answers 304;
- a feed's items that are already in the store, and whose date stamp in the feed did not
  change, are not fetched again; neither are items that failed for good (a 404, not an
  article) while the feed lists them unchanged;
- a feed with an item that failed for a passing reason (a timeout, a server error) is not
  asked for conditionally next time, so that item is tried again.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from .articles import Article, ReadFailure
from .database import connect_readonly
from .errors import ArticleError, NewsdeskError
from .feeds import (
    HTML_TYPES,
    Feed,
    FeedItem,
    NotAFeed,
    announced_feeds,
    looks_like_feed,
    parse_feed,
)
from .readers import ReaderLimits, read_web_page
from .store import DB_FILE
from .versions import current_version_name
from .web import Fetched, Fetcher, FetchError, FetchPolicy, normalise_link
from .web_state import STATE_FILE, FeedState, PageState, WebState, load_state, save_state

MAX_WORKERS = 8  # requests in flight at once, over all hosts (per host: FetchPolicy.per_host)

_UNASKED_304 = ("the server answered 304 Not Modified to a request that was not "
                "conditional; try again later")

# progress(done, total) as links are fetched; total grows as feeds reveal their items.
LinkProgress = Callable[[int, int], None]


@dataclass
class LinkRead:
    """What reading some links produced."""

    articles: list[Article] = field(default_factory=list)
    failures: list[ReadFailure] = field(default_factory=list)
    unchanged: int = 0  # articles not fetched again (304, or a known feed item)
    state: WebState = field(default_factory=WebState)  # entries for the links read now
    feeds: list[str] = field(default_factory=list)  # feeds read (by their own link)


@dataclass
class _Outcome:
    """What one given link turned out to be."""

    article: Article | None = None
    page: PageState | None = None
    feed: Feed | None = None
    feed_response: Fetched | None = None
    feed_unchanged: str | None = None  # a feed that answered 304: its link
    unchanged: bool = False
    failure: ReadFailure | None = None


class _LinkReader:
    def __init__(self, fetcher: Fetcher, state: WebState, limits: ReaderLimits,
                 follow_feeds: bool, max_items: int) -> None:
        self.fetcher = fetcher
        self.state = state
        self.limits = limits
        self.follow_feeds = follow_feeds
        self.max_items = max_items

    # --- a given link ---------------------------------------------------------------

    def read_link(self, url: str, stored: bool) -> _Outcome:
        feed_state = self.state.feeds.get(url)
        page_state = self.state.pages.get(url) if stored else None
        known = feed_state or page_state
        try:
            fetched = self.fetcher.get(url, etag=known.etag if known else None,
                                       last_modified=known.last_modified if known else None)
        except FetchError as error:
            return _Outcome(failure=ReadFailure(url, error.reason))
        if fetched.not_modified:
            if known is None:
                return _Outcome(failure=ReadFailure(url, _UNASKED_304))
            if feed_state is not None:
                return _Outcome(feed_unchanged=url)
            return _Outcome(unchanged=True)
        if looks_like_feed(fetched.content_type, fetched.body):
            return self._feed(url, fetched)
        if not _is_html(fetched):
            return _Outcome(failure=ReadFailure(url, _not_html(fetched)))
        html = fetched.text()
        announced = announced_feeds(html, fetched.final_url)
        if self.follow_feeds and announced:
            return self._follow(url, announced[0])
        try:
            article = read_web_page(html, url, self.limits)
        except ArticleError as error:
            if announced:  # an index page without an article: its feed is what was meant
                return self._follow(url, announced[0])
            return _Outcome(failure=ReadFailure(url, str(error)))
        return _Outcome(article=article, page=PageState(fetched.etag, fetched.last_modified))

    def _feed(self, url: str, fetched: Fetched) -> _Outcome:
        try:
            feed = parse_feed(fetched.body, fetched.final_url, self.max_items)
        except NotAFeed as error:
            return _Outcome(failure=ReadFailure(url, str(error)))
        return _Outcome(feed=Feed(url, feed.title, feed.items, feed.problems),
                        feed_response=fetched)

    def _follow(self, page: str, feed_link: str) -> _Outcome:
        """Read the feed a page announces instead of the page."""
        try:
            feed_url = normalise_link(feed_link)
            known = self.state.feeds.get(feed_url)
            fetched = self.fetcher.get(feed_url, etag=known.etag if known else None,
                                       last_modified=known.last_modified if known else None)
        except FetchError as error:
            return _Outcome(failure=ReadFailure(
                page, f"the page announces the feed {feed_link}, which could not be read: "
                      f"{error.reason}"))
        if fetched.not_modified:
            if known is None:
                return _Outcome(failure=ReadFailure(page, f"{feed_url}: {_UNASKED_304}"))
            return _Outcome(feed_unchanged=feed_url)
        if not looks_like_feed(fetched.content_type, fetched.body):
            return _Outcome(failure=ReadFailure(
                page, f"the page announces the feed {feed_url}, but that is not a feed "
                      f"({fetched.content_type or 'no content type'})"))
        return self._feed(feed_url, fetched)

    # --- a feed's item --------------------------------------------------------------

    def read_item(self, link: str, item: FeedItem, feed_url: str) -> Article | FetchError:
        try:
            fetched = self.fetcher.get(link)
            if looks_like_feed(fetched.content_type, fetched.body) or not _is_html(fetched):
                return FetchError(link, _not_html(fetched))
            return read_web_page(fetched.text(), link, self.limits, title=item.title,
                                 published=item.published)
        except FetchError as error:
            return error
        except ArticleError as error:
            return FetchError(link, str(error))


def read_links(links: Sequence[str], *, state: WebState,
               known: Callable[[Iterable[str]], set[str]],
               policy: FetchPolicy | None = None, limits: ReaderLimits | None = None,
               follow_feeds: bool = False, max_items: int = 100,
               progress: LinkProgress | None = None) -> LinkRead:
    """Fetch the given links (pages or feeds) and the new items of the feeds.

    `state` is what the store remembers from earlier runs; `known(links)` says which of these
    links are articles in the store already. The result's `state` holds new entries for the
    links read now, to be merged into the store's once the articles are indexed.
    """
    result = LinkRead()
    report = progress or (lambda done, total: None)
    targets: list[str] = []
    for raw in links:
        try:
            url = normalise_link(raw)
        except FetchError as error:
            result.failures.append(ReadFailure(error.url, error.reason))
            continue
        if url not in targets:
            targets.append(url)
    if not targets:
        return result
    limits = limits or ReaderLimits()
    stored = known(targets)
    done, total = 0, len(targets)
    report(done, total)
    with Fetcher(policy) as fetcher, ThreadPoolExecutor(MAX_WORKERS) as pool:
        reader = _LinkReader(fetcher, state, limits, follow_feeds, max_items)
        futures = {url: pool.submit(reader.read_link, url, url in stored) for url in targets}
        for _ in as_completed(futures.values()):
            done += 1
            report(done, total)
        outcomes = {url: future.result() for url, future in futures.items()}

        feeds: list[tuple[Feed, Fetched]] = []
        for url in targets:
            outcome = outcomes[url]
            if outcome.failure is not None:
                result.failures.append(outcome.failure)
            elif outcome.article is not None:
                result.articles.append(outcome.article)
                if outcome.page is not None and (outcome.page.etag or
                                                 outcome.page.last_modified):
                    result.state.pages[url] = outcome.page
            elif outcome.unchanged:
                result.unchanged += 1
            elif outcome.feed_unchanged is not None:
                old = state.feeds[outcome.feed_unchanged]
                result.unchanged += len(set(old.items) - set(old.failed))
                result.state.feeds[outcome.feed_unchanged] = FeedState(
                    old.etag, old.last_modified, old.title, time.time(), dict(old.items),
                    dict(old.failed))
                if outcome.feed_unchanged not in result.feeds:
                    result.feeds.append(outcome.feed_unchanged)
            elif outcome.feed is not None and outcome.feed_response is not None:
                feeds.append((outcome.feed, outcome.feed_response))

        taken = set(targets)
        item_links = {feed.url: _item_links(feed, result) for feed, _ in feeds}
        stored_items = known({link for links_ in item_links.values() for link, _ in links_})
        jobs: dict[str, tuple[Future, FeedItem, str]] = {}
        plans: list[tuple[Feed, Fetched, FeedState, list[str]]] = []
        for feed, response in feeds:
            old = state.feeds.get(feed.url) or FeedState()
            new = FeedState(title=feed.title, checked_at=time.time())
            fetching: list[str] = []
            for link, item in item_links[feed.url]:
                new.items[link] = item.stamp
                remembered = old.items.get(link)
                unchanged_entry = remembered is None or remembered == item.stamp
                if link in taken:
                    continue  # given directly, or listed by another feed too
                taken.add(link)
                if link in stored_items and unchanged_entry:
                    result.unchanged += 1
                elif link in old.failed and remembered == item.stamp:
                    new.failed[link] = old.failed[link]
                else:
                    jobs[link] = (pool.submit(reader.read_item, link, item, feed.url), item,
                                  feed.url)
                    fetching.append(link)
            plans.append((feed, response, new, fetching))
            if feed.url not in result.feeds:
                result.feeds.append(feed.url)
        total += len(jobs)
        report(done, total)
        for _ in as_completed(job[0] for job in jobs.values()):
            done += 1
            report(done, total)

    for feed, response, new, fetching in plans:
        passing = False
        for link in fetching:
            outcome = jobs[link][0].result()
            if isinstance(outcome, Article):
                result.articles.append(outcome)
                continue
            result.failures.append(ReadFailure(
                link, f"{outcome.reason} (an item of the feed {feed.url})"))
            if outcome.transient:
                passing = True
            else:
                new.failed[link] = outcome.reason
        if not passing:  # else ask unconditionally next time, so the item is tried again
            new.etag, new.last_modified = response.etag, response.last_modified
        result.state.feeds[feed.url] = new
    return result


def _item_links(feed: Feed, result: LinkRead) -> list[tuple[str, FeedItem]]:
    """The feed's items by their normalised link; unusable ones are reported."""
    for problem in feed.problems:
        result.failures.append(ReadFailure(feed.url, problem))
    found: list[tuple[str, FeedItem]] = []
    for item in feed.items:
        try:
            found.append((normalise_link(item.link), item))
        except FetchError as error:
            result.failures.append(ReadFailure(
                error.url, f"{error.reason} (an item of the feed {feed.url})"))
    return list({link: (link, item) for link, item in found}.values())


def _is_html(fetched: Fetched) -> bool:
    if fetched.content_type in HTML_TYPES:
        return True
    if fetched.content_type in ("", "text/plain", "application/octet-stream"):
        head = fetched.body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        return head.startswith((b"<!doctype html", b"<html"))
    return False


def _not_html(fetched: Fetched) -> str:
    kind = fetched.content_type or "no content type"
    return (f"not HTML or a feed ({kind}); Newsdesk reads article pages and RSS/Atom feeds "
            "(save other files and add them as files)")


# --- with a store -------------------------------------------------------------------------

def fetch_links(root: Path, links: Sequence[str], policy: FetchPolicy | None,
                limits: ReaderLimits | None, follow_feeds: bool, max_items: int,
                progress: LinkProgress | None, rebuild: bool) -> LinkRead:
    """read_links for the store at `root`, with what it remembers (nothing for a rebuild).
    Called before the store is locked: fetching is slow, and needs no lock."""
    state, warning = (WebState(), None) if rebuild else load_state(root)
    web = read_links(links, state=state, known=(lambda ids: set()) if rebuild
                     else (lambda ids: _stored_ids(root, ids)), policy=policy, limits=limits,
                     follow_feeds=follow_feeds, max_items=max_items, progress=progress)
    if warning:
        web.failures.append(ReadFailure(str(root / STATE_FILE), warning))
    return web


def remember_links(root: Path, web: LinkRead | None, rebuild: bool) -> list[ReadFailure]:
    """Keep what was learnt about the links; called by the store's writer, under its lock,
    after the articles are published (a crash can only make the next run fetch a little
    more). A rebuild forgets earlier links. Returns a failure if the state cannot be saved."""
    if web is None and not (rebuild and (root / STATE_FILE).exists()):
        return []
    state = WebState() if rebuild else load_state(root)[0]
    try:
        save_state(root, state.merged(web.state) if web is not None else state)
    except OSError as error:
        return [ReadFailure(str(root / STATE_FILE), f"could not be saved "
                            f"({error.strerror or error}); the links will be fetched again "
                            "next time")]
    return []


def remembered_feeds(root: Path) -> list[str]:
    """The feeds the store at `root` has read (what `qa watch` polls when given nothing)."""
    return sorted(load_state(Path(root))[0].feeds)


def _stored_ids(root: Path, article_ids: Iterable[str]) -> set[str]:
    """Which of these articles the live version holds (read without the lock: a writer
    publishing meanwhile only makes this a little out of date)."""
    wanted = list(article_ids)
    try:
        name = current_version_name(root) if root.exists() else None
        if not wanted or name is None:
            return set()
        connection = connect_readonly(root / name / DB_FILE)
    except (NewsdeskError, sqlite3.Error):
        return set()
    found: set[str] = set()
    try:
        for start in range(0, len(wanted), 900):
            batch = wanted[start:start + 900]
            found.update(row[0] for row in connection.execute(
                f"SELECT article_id FROM articles WHERE article_id IN "
                f"({','.join('?' * len(batch))})", batch))
    except sqlite3.Error:
        return set()
    finally:
        connection.close()
    return found
