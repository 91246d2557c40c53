"""The model's turn-taking: a reader that stops reading, however it stops, frees the model.

These drive `GenerationSlot` with a counting stand-in for the model (the real model's part is
in test_qa_stream_stops.py): what is checked is who holds the turn, and in which thread the
model's stream is finished.
"""

from __future__ import annotations

import threading
import time

import pytest

from qa.generation_slot import GenerationSlot

WAIT = 10.0  # seconds; a hang detector, the events here take milliseconds


class Source:
    """A model stream that records where it ran and where it was finished."""

    def __init__(self, count: int = 10_000, fail_at: int | None = None) -> None:
        self.count, self.fail_at = count, fail_at
        self.produced = 0
        self.threads: set[int] = set()
        self.finished_in: int | None = None
        self.started = threading.Event()

    def __call__(self):
        self.started.set()
        try:
            for i in range(self.count):
                self.threads.add(threading.get_ident())
                if i == self.fail_at:
                    raise RuntimeError("the model failed")
                self.produced += 1
                time.sleep(0.001)
                yield str(i)
        finally:
            self.finished_in = threading.get_ident()


def _until(condition, seconds: float = WAIT) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    return condition()


def test_pieces_come_in_order_and_the_slot_is_free_after():
    slot, source = GenerationSlot(), Source(count=50)
    assert list(slot.stream(source)) == [str(i) for i in range(50)]
    assert _until(lambda: not slot.busy)


def test_closing_in_another_thread_stops_the_model_in_its_own_thread():
    slot, source = GenerationSlot(), Source()
    reader = slot.stream(source)
    assert next(reader) == "0"
    closer = threading.Thread(target=reader.close)
    closer.start()
    closer.join(WAIT)
    assert _until(lambda: not slot.busy and source.finished_in is not None)
    assert source.produced < source.count
    assert source.finished_in in source.threads  # finished where it ran
    assert source.finished_in not in (threading.get_ident(), closer.ident)


def test_a_reader_that_walks_away_frees_the_model_when_its_stream_ends():
    slot, source = GenerationSlot(), Source(count=200)
    reader = slot.stream(source)
    assert next(reader) == "0"
    # Never read again, never closed, never collected (an answer's stream sits in a reference
    # cycle, which only a full garbage collection frees): the model still runs to its end.
    assert _until(lambda: not slot.busy)
    assert source.produced == source.count and source.finished_in is not None
    later = Source(count=3)
    assert list(slot.stream(later)) == ["0", "1", "2"]
    reader.close()


def test_a_reader_dropped_unclosed_stops_the_model_early():
    slot, source = GenerationSlot(), Source()
    reader = slot.stream(source)
    assert next(reader) == "0"
    del reader  # collected at once: that closes it
    assert _until(lambda: not slot.busy and source.finished_in is not None)
    assert source.produced < source.count


def test_the_next_stream_waits_for_its_turn_and_gets_it():
    slot, first, second = GenerationSlot(), Source(), Source(count=5)
    reader = slot.stream(first)
    assert next(reader) == "0"
    waiting = slot.stream(second)
    got: list[str] = []
    taker = threading.Thread(target=lambda: got.extend(waiting))
    taker.start()
    time.sleep(0.2)
    assert not second.started.is_set()  # one generation at a time
    reader.close()
    taker.join(WAIT)
    assert got == ["0", "1", "2", "3", "4"]


def test_the_models_error_reaches_the_reader_and_frees_the_slot():
    slot, source = GenerationSlot(), Source(count=10, fail_at=3)
    reader = slot.stream(source)
    assert [next(reader) for _ in range(3)] == ["0", "1", "2"]
    with pytest.raises(RuntimeError, match="the model failed"):
        next(reader)
    assert _until(lambda: not slot.busy)

