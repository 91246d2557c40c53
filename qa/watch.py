"""Keeping a store up to date: folders re-indexed when their files change, feeds read on a timer.

`qa watch` runs a `Watcher` until its stop event is set (the CLI sets it on Ctrl-C). Updates run
one at a time in the watcher's thread and are never cut short by a stop: the watcher stops
between updates. Each update publishes a new store version the usual way, so a running web chat
switches to it before its next answer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from index import SUPPORTED_SUFFIXES, Embedder, NewsdeskError, UpdateSummary, update_store

from .assistant import _limits
from .config import Settings, fetch_policy, vector_settings

STEP_SECONDS = 1.0  # how often the watcher looks at its clock and its stop event
DEBOUNCE_MS = 800  # file changes closer together than this are one update


@dataclass(frozen=True)
class WatchUpdate:
    """One update the watcher ran: what started it, what it did, or why it failed."""

    trigger: str  # "start", "files" or "feeds"
    summary: UpdateSummary | None
    error: str | None = None


class Watcher:
    """Watches folders (and files) with watchfiles and polls links every `poll_minutes`."""

    def __init__(self, settings: Settings, paths: Sequence[Path], links: Sequence[str], *,
                 embedder: Embedder | None = None, poll_minutes: float | None = None,
                 follow_feeds: bool = False, lock_wait: float = 60.0,
                 on_update: Callable[[WatchUpdate], None] | None = None) -> None:
        self.settings = settings
        self.store = Path(settings.store).expanduser().resolve()
        self.paths = [Path(p).expanduser().resolve() for p in paths]
        for path in self.paths:
            if not path.exists():
                raise NewsdeskError(f"cannot watch {path}: no such file or folder")
        self.links = list(links)
        self.interval = 60.0 * (poll_minutes or settings.feed_poll_minutes)
        self.follow_feeds = follow_feeds
        self.lock_wait = lock_wait
        self.on_update = on_update or (lambda update: None)
        self.embedder = embedder or Embedder(settings.embed_model,
                                             batch_size=settings.embed_batch_size,
                                             backend=settings.embed_backend,
                                             cache_dir=settings.store)

    def run(self, stop: threading.Event) -> None:
        """Update everything once, then keep watching until `stop` is set."""
        changes = self._changes(stop)
        next(changes, None)  # watching from now on: a file saved during the first update counts
        files_pending = not self._update("start", self.paths, self.links)
        links_due = time.monotonic() + self.interval
        for changed in changes:
            if stop.is_set():
                return
            if (changed or files_pending) and self.paths:
                files_pending = not self._update("files", self.paths, [])
            if self.links and time.monotonic() >= links_due and not stop.is_set():
                self._update("feeds", [], self.links)
                links_due = time.monotonic() + self.interval

    def _changes(self, stop: threading.Event):
        """Yields True after files changed, False every STEP_SECONDS otherwise."""
        if not self.paths:
            while not stop.wait(STEP_SECONDS):
                yield False
            return
        import watchfiles  # imported here: only `qa watch` needs it

        for changes in watchfiles.watch(
                *self.paths, watch_filter=self._relevant, stop_event=stop,
                debounce=DEBOUNCE_MS, rust_timeout=int(STEP_SECONDS * 1000),
                yield_on_timeout=True, raise_interrupt=False):
            yield bool(changes)

    def _relevant(self, change, path: str) -> bool:
        """Article files only; never the store itself (writing it would start another update)."""
        candidate = Path(path)
        if candidate == self.store or self.store in candidate.parents:
            return False
        for root in self.paths:
            if root in candidate.parents and any(
                    part.startswith(".") for part in candidate.relative_to(root).parts):
                return False  # hidden files and folders are not read either
        return candidate.suffix.lower() in SUPPORTED_SUFFIXES

    def _update(self, trigger: str, paths: Sequence[Path], links: Sequence[str]) -> bool:
        """Run one update; report it; False when it failed (to be tried again)."""
        if not paths and not links:
            return True
        try:
            summary = update_store(
                self.store, paths, embedder=self.embedder, limits=_limits(self.settings),
                lock_wait=self.lock_wait, chunk_tokens=self.settings.chunk_tokens,
                vectors=vector_settings(self.settings), links=links,
                fetch=fetch_policy(self.settings), follow_feeds=self.follow_feeds,
                feed_max_items=self.settings.feed_max_items)
        except NewsdeskError as error:
            self.on_update(WatchUpdate(trigger, None, str(error)))
            return False
        self.on_update(WatchUpdate(trigger, summary))
        return True
