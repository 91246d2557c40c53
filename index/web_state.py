"""What a store remembers about the links it fetched, so a re-run fetches only what is new.

Per feed: its ETag / Last-Modified (for a conditional request that can come back 304), the
items it listed with the date stamp each had, and the items that failed for good (a 404, not
an article) so they are not fetched again while the feed lists them unchanged. Per article
link: its ETag / Last-Modified.

The state is one JSON file in the store folder (`web.json`), read and written only by the
store's writer (under its lock), replaced atomically (written beside, fsynced, renamed), and
never unpickled. Which articles are indexed is not kept here but read from the store itself,
so the two can never disagree about that: at worst a lost or stale state file costs a few
fetches, never an article.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

STATE_FILE = "web.json"
STATE_FORMAT = 1
_TEMP_PREFIX = ".tmp-web-"  # collected by versions.collect_garbage if a writer dies


@dataclass
class FeedState:
    """What was learnt the last time a feed was read."""

    etag: str | None = None
    last_modified: str | None = None
    title: str | None = None
    checked_at: float = 0.0
    items: dict[str, str] = field(default_factory=dict)  # item link -> its date stamp
    failed: dict[str, str] = field(default_factory=dict)  # item link -> why, for good


@dataclass
class PageState:
    """Validators of an article page fetched by its own link."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass
class WebState:
    """Everything a store remembers about fetched links."""

    feeds: dict[str, FeedState] = field(default_factory=dict)
    pages: dict[str, PageState] = field(default_factory=dict)

    def merged(self, newer: WebState) -> WebState:
        """This state with `newer`'s entries replacing the ones for the same links."""
        return WebState({**self.feeds, **newer.feeds}, {**self.pages, **newer.pages})

    def to_json(self) -> dict[str, Any]:
        return {"format": STATE_FORMAT,
                "feeds": {url: asdict(feed) for url, feed in sorted(self.feeds.items())},
                "pages": {url: asdict(page) for url, page in sorted(self.pages.items())}}

    @classmethod
    def from_json(cls, data: Any) -> WebState:
        """The state in `data`; ValueError when it is not what `to_json` writes."""
        if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
            raise ValueError("not a Newsdesk web state of this version")
        feeds = {url: FeedState(
            etag=_optional(entry.get("etag")), last_modified=_optional(entry.get("last_modified")),
            title=_optional(entry.get("title")), checked_at=float(entry.get("checked_at") or 0),
            items=_strings(entry.get("items")), failed=_strings(entry.get("failed")))
            for url, entry in _mapping(data.get("feeds")).items()}
        pages = {url: PageState(etag=_optional(entry.get("etag")),
                                last_modified=_optional(entry.get("last_modified")))
                 for url, entry in _mapping(data.get("pages")).items()}
        return cls(feeds, pages)


def _mapping(value: Any) -> dict[str, dict]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, dict) for k, v in value.items()):
        raise ValueError("malformed entries")
    return value


def _strings(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ValueError("malformed item list")
    return dict(value)


def _optional(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("malformed value")
    return value


def load_state(store: Path) -> tuple[WebState, str | None]:
    """The store's web state, and a warning when the file was unreadable (then the state is
    empty: everything is fetched again, nothing is lost)."""
    path = Path(store) / STATE_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return WebState(), None
    except OSError as error:
        return WebState(), f"{path} could not be read ({error.strerror}); every link is " \
                           "fetched again"
    try:
        return WebState.from_json(json.loads(data.decode("utf-8"))), None
    except (ValueError, TypeError) as error:
        return WebState(), f"{path} is damaged ({error}); every link is fetched again and " \
                           "the file rewritten"


def save_state(store: Path, state: WebState) -> None:
    """Replace the state file atomically: readers and a crash see the old file or the new."""
    folder = Path(store)
    temp = folder / f"{_TEMP_PREFIX}{os.getpid()}-{time.monotonic_ns()}.json"
    try:
        with open(temp, "w", encoding="utf-8") as handle:
            json.dump(state.to_json(), handle, ensure_ascii=False, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, folder / STATE_FILE)
    finally:
        if temp.exists():
            temp.unlink()
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
