"""Listening to llama-index's instrumentation in tests: the events a block of code emits."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def captured_events() -> Iterator[list[Any]]:
    """Every llama-index instrumentation event emitted inside the block, in order."""
    import llama_index.core.instrumentation as instrument
    from llama_index.core.instrumentation.event_handlers import BaseEventHandler

    seen: list[Any] = []

    class Recorder(BaseEventHandler):
        @classmethod
        def class_name(cls) -> str:
            return "TestRecorder"

        def handle(self, event: Any, **kwargs: Any) -> None:
            seen.append(event)

    root = instrument.get_dispatcher()
    recorder = Recorder()
    root.add_event_handler(recorder)
    try:
        yield seen
    finally:
        root.event_handlers = [h for h in root.event_handlers if h is not recorder]


def of_type(events: list[Any], name: str) -> list[Any]:
    return [event for event in events if type(event).__name__ == name]
