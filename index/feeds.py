"""RSS and Atom feeds: telling a feed from a page, reading its items, finding a page's feed.

feedparser does the parsing (RSS 0.9x/1.0/2.0, Atom, and the many broken feeds in the wild).
It is only ever given bytes: given a string it would fetch URLs and open files itself.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import urljoin

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml",
                        "application/x-rss+xml"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_XML_TYPES = frozenset({"application/xml", "text/xml"})
_UNTYPED = frozenset({"", "text/plain", "application/octet-stream", "binary/octet-stream"})
_FEED_ROOTS = (b"<rss", b"<feed", b"<rdf:rdf")


class NotAFeed(Exception):
    """The body is not a feed Newsdesk can read; the message says why."""


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed: the article it links to, and what the feed says about it."""

    link: str
    title: str | None = None
    published: str | None = None  # ISO timestamp, when the feed gives one
    stamp: str = ""  # what changes when the entry is updated (its updated/published date)


@dataclass(frozen=True)
class Feed:
    """A parsed feed: its title and its items, newest first as the feed lists them."""

    url: str
    title: str | None
    items: list[FeedItem] = field(default_factory=list)
    # Entries that cannot be indexed (no link), described for the summary.
    problems: list[str] = field(default_factory=list)


def looks_like_feed(content_type: str, body: bytes) -> bool:
    """Whether a response is a feed: by its content type, or by its first element when the
    type is generic XML, missing, or (as some servers send) text/html."""
    if content_type in FEED_TYPES:
        return True
    if content_type not in _XML_TYPES | _UNTYPED | HTML_TYPES and \
            not content_type.endswith("+xml"):
        return False
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml"):
        head = head[head.find(b"?>") + 2:] if b"?>" in head else b""
    # Comments, stylesheets and doctype may come before the root element.
    while head.lstrip().startswith((b"<!--", b"<?", b"<!doctype")):
        head = head.lstrip()
        end = head.find(b"-->") + 3 if head.startswith(b"<!--") else head.find(b">") + 1
        if end <= 0:
            return False
        head = head[end:]
    head = head.lstrip()
    if head.startswith(_FEED_ROOTS):
        return True
    return False


def parse_feed(body: bytes, url: str, max_items: int = 100) -> Feed:
    """The items of a feed (at most `max_items`), with links made absolute against `url`.

    Raises NotAFeed when feedparser finds no feed, or a feed so broken that no item has a link.
    """
    import feedparser  # imported here: only feeds need it

    parsed = feedparser.parse(bytes(body), response_headers={"content-location": url},
                              sanitize_html=True, resolve_relative_uris=True)
    complaint = None
    if parsed.get("bozo"):
        error = parsed.get("bozo_exception")
        complaint = " ".join(str(error).split())[:200] if error else "broken markup"
    if not parsed.get("version") and not parsed.entries:
        raise NotAFeed(f"not a feed{f' ({complaint})' if complaint else ''}; give the link of "
                       "an RSS or Atom feed, or of an article page")
    items: list[FeedItem] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, entry in enumerate(parsed.entries, start=1):
        title = _text(entry.get("title"))
        link = _entry_link(entry)
        if not link:
            problems.append(f"item {number}{f' ({title!r})' if title else ''} has no link")
            continue
        link = urljoin(url, link)
        if link in seen:
            continue
        seen.add(link)
        published = _timestamp(entry.get("published_parsed") or entry.get("updated_parsed"))
        stamp = _text(entry.get("updated") or entry.get("published")) or ""
        items.append(FeedItem(link, title, published, stamp))
    if not items and complaint:
        raise NotAFeed(f"the feed is malformed ({complaint}) and no item in it has a link")
    if len(items) > max_items:
        problems.append(f"the feed lists {len(items)} items; only the first {max_items} are "
                        "read (feed_max_items)")
        items = items[:max_items]
    return Feed(url, _text(parsed.feed.get("title")), items, problems)


def _entry_link(entry) -> str | None:
    link = entry.get("link")
    if isinstance(link, str) and link.strip():
        return link.strip()
    for candidate in entry.get("links") or []:
        href = candidate.get("href") if hasattr(candidate, "get") else None
        if href and candidate.get("rel", "alternate") == "alternate":
            return str(href).strip()
    return None


def _text(value) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _timestamp(parsed) -> str | None:
    """feedparser's UTC struct_time as an ISO timestamp."""
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC).isoformat()
    except (TypeError, ValueError, OverflowError):
        return None


class _FeedLinks(HTMLParser):
    """Collects <link rel="alternate" type="application/rss+xml" href="..."> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link":
            return
        values = {name.lower(): (value or "") for name, value in attrs}
        rel = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().strip()
        if "alternate" in rel and kind in FEED_TYPES and values.get("href", "").strip():
            self.found.append(values["href"].strip())


def announced_feeds(html: str, base_url: str) -> list[str]:
    """The feeds a page announces in its <head>, as absolute links, in page order."""
    parser = _FeedLinks()
    try:
        parser.feed(html[:512 * 1024])  # feed links sit in the head; a huge page is cut off
        parser.close()
    except Exception:  # noqa: BLE001 - a broken page simply announces nothing
        pass
    return list(dict.fromkeys(urljoin(base_url, href) for href in parser.found))
