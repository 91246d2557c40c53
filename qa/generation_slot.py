"""One generation at a time on a model that cannot run two, without a reader ever holding it.

llama.cpp keeps one conversation state per loaded model, so generations must take turns. The
obvious way, holding a lock inside the answer's generator while it yields tokens, leaves the
model locked whenever a reader stops reading without closing the stream: a `for` loop that
breaks, a web request that is cancelled, a stream dropped in one thread and collected much
later in another (an answer's stream is part of a reference cycle, so only the cyclic garbage
collector frees it, and it may not run for minutes). Every later answer then waits for ever.

Here the lock belongs to a thread that runs the model's stream and hands its pieces over. The
lock is held only while that thread is generating: it stops at the next piece once the reader
closes its stream (from any thread), and a reader that just walks away costs at most the rest
of one generation, which `llm_max_tokens` bounds.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator

_END = object()


class _Failure:
    """An exception raised while generating, carried over to the reader's thread."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


class GenerationSlot:
    """Runs streams one after another, each to its end or until its reader closes it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    @property
    def busy(self) -> bool:
        """Whether a generation is running now (for tests and diagnostics)."""
        return self._lock.locked()

    def stream(self, start: Callable[[], Iterator[str]]) -> Iterator[str]:
        """Yield the pieces of `start()`, called when the slot is free. Closing this iterator
        (or an exception in the reader) ends the generation at its next piece."""
        handover: queue.SimpleQueue = queue.SimpleQueue()
        closed = threading.Event()
        threading.Thread(target=self._generate, args=(start, handover, closed),
                         name="newsdesk-generate", daemon=True).start()
        try:
            while True:
                item = handover.get()
                if item is _END:
                    return
                if isinstance(item, _Failure):
                    raise item.error
                yield item
        finally:
            closed.set()

    def _generate(self, start: Callable[[], Iterator[str]], handover: queue.SimpleQueue,
                  closed: threading.Event) -> None:
        try:
            with self._lock:
                if closed.is_set():  # the reader was interrupted (Ctrl-C) meanwhile
                    return
                pieces = start()
                try:
                    for piece in pieces:
                        if closed.is_set():
                            break
                        handover.put(piece)
                finally:
                    # Closed here, in the thread that ran it: llama.cpp's generator is not
                    # safe to finish from another thread.
                    close = getattr(pieces, "close", None)
                    if close is not None:
                        close()
        except BaseException as error:  # noqa: BLE001 - raised again in the reader's thread
            handover.put(_Failure(error))
        finally:
            handover.put(_END)
