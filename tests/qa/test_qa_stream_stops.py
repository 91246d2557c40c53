"""A generated answer stopped at any point, in any way, never keeps the next one from finishing.

The real store, embedder and SmolLM2 through llama.cpp. Readers stop a stream the ways the web
chat and API users do: close it in their thread, close it from another thread, take each piece
in a different thread (as Gradio does) and close it from yet another, or walk away without
closing it at all, after a random number of pieces. The next answer must then complete, and
every thread must read the live store version afterwards.
"""

from __future__ import annotations

import gc
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

pytestmark = pytest.mark.slow

# One question throughout: llama.cpp then reuses the evaluated prompt from one generation to
# the next (also after a stopped one, which is worth exercising), so a round costs seconds.
QUESTION = "What did Xi say about the partnership between China and the EU?"
WAYS = ["close", "close from another thread", "steps in many threads", "abandon",
        "abandon in another thread", "never read"]
STALL_SECONDS = 150  # a hang, not a speed limit: a round takes a few seconds


@pytest.fixture
def stoppable(mixed_store, embedder, tmp_path):
    """An Assistant of its own (short answers keep the rounds quick) on a private store."""
    import shutil

    from qa import Assistant, load_settings

    store = tmp_path / "store"
    shutil.copytree(mixed_store, store)
    assistant = Assistant(load_settings(store=store, mode="generate", llm_max_tokens=32),
                          embedder=embedder)
    yield assistant
    assistant.close()


def _stop_after(assistant, question: str, way: str, pieces: int, pool: ThreadPoolExecutor
                ) -> int:
    """Start a generated answer, read `pieces` of it, then stop reading in the given way;
    return how many pieces were read."""
    stream = assistant.stream(question, mode="generate")
    iterator = iter(stream)
    taken = 0
    if way == "never read":
        del stream, iterator
        return 0
    if way == "abandon in another thread":
        def read_some():
            nonlocal taken
            for _ in iterator:
                taken += 1
                if taken == pieces:
                    gc.collect(1)  # it lives long enough to reach the oldest generation
                    return
        pool.submit(read_some).result()
        del stream, iterator
        return taken
    for _ in range(pieces):
        step = pool.submit(next, iterator, None) if way == "steps in many threads" \
            else None
        piece = step.result() if step is not None else next(iterator, None)
        if piece is None:
            break
        taken += 1
    if way == "close":
        iterator.close()
    elif way in ("close from another thread", "steps in many threads"):
        pool.submit(iterator.close).result()
    elif way == "abandon":
        gc.collect(1)  # as above: only a full collection would free it now
        del stream, iterator
    return taken


def test_a_stopped_stream_never_blocks_the_next_answer(stoppable, tmp_path):
    rng = random.Random(14)
    ways = WAYS + rng.sample(WAYS, 2)
    rng.shuffle(ways)
    log: list[str] = []
    result: dict = {}

    def rounds() -> None:
        with ThreadPoolExecutor(max_workers=4) as pool:
            for number, way in enumerate(ways, start=1):
                if number == len(ways) // 2 + 1:  # a new version, after some stopped streams
                    article = tmp_path / "harbour.md"
                    article.write_text("---\ntitle: Quillmere harbour reopens\n---\nThe "
                                       "Quillmere harbour reopened on Monday.\n",
                                       encoding="utf-8")
                    result["published"] = stoppable.add([article]).version
                question = QUESTION
                pieces = rng.randint(1, 12)
                taken = _stop_after(stoppable, question, way, pieces, pool)
                log.append(f"round {number}: {way} after {taken} pieces")
                answer = stoppable.ask(question, mode="generate")
                assert answer.text and answer.timings.get("total"), answer
                log.append(f"round {number}: next answer done ({answer.mode})")
                if "published" in result:
                    result.setdefault("read", []).append(answer.store_version)
        result["done"] = True

    def run() -> None:
        try:
            rounds()
        except BaseException as error:  # noqa: BLE001 - reported by the test's thread
            result["error"] = error

    reader = threading.Thread(target=run, daemon=True)
    reader.start()
    _wait_while_it_progresses(reader, log)
    if "error" in result:
        raise result["error"]
    assert result.get("done"), log
    # The thread that stopped those streams reads the version published meanwhile.
    assert result["read"] and set(result["read"]) == {result["published"]}, (result, log)


def _wait_while_it_progresses(reader: threading.Thread, log: list[str]) -> None:
    """Wait for the reader; fail when nothing has happened for STALL_SECONDS."""
    seen, since = 0, time.monotonic()
    while reader.is_alive():
        reader.join(1.0)
        if len(log) != seen:
            seen, since = len(log), time.monotonic()
        elif time.monotonic() - since > STALL_SECONDS:
            pytest.fail(f"an answer never finished (nothing for {STALL_SECONDS} s); so far: "
                        f"{log}")
