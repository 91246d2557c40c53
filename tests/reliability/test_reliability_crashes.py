"""kill -9 at random points of updates, many times: the store always opens, holds exactly the
old or the new version, and the next update completes.

A writer process loads the embedder and then updates the store over and over, switching between
two states of the corpus that differ in half of the articles; it is killed at a random moment
(a random stage of an update plus a random delay, or a random time), the store is checked, and
the next writer starts where the last one died. tests/index/test_index_atomicity.py kills at a
few fixed moments; this test draws the moments at random (the seed is printed).
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest
from rel_helpers import (
    REPORTS,
    assert_consistent,
    markdown,
    start_python,
    stop,
    stored_state,
    tmp_folders,
    topic_body,
)

from index import read_paths, update_store

KILLS = 10

WRITER = """
import sys, time
from pathlib import Path
from index import Embedder, update_store

store, folders = Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]]
embedder = Embedder()
embedder.model  # loaded before the first update, so the kills land inside updates
print("ready", flush=True)

def progress(stage, done, total):
    if done == 0:
        print(stage, flush=True)

n = 0
while True:
    summary = update_store(store, [folders[n % 2]], embedder=embedder, progress=progress)
    print("published", summary.version, flush=True)
    n += 1
"""


def write_state(folder: Path, variant: int) -> None:
    """24 articles; the odd ones differ between the two states (new text, so new chunks)."""
    folder.mkdir()
    topics = ["harbour", "orchard", "observatory", "library", "velodrome", "bakery"]
    for n in range(24):
        topic = topics[n % 6]
        changed = variant if n % 2 else 0
        (folder / f"{topic}-{n:02d}.md").write_text(
            markdown(f"{topic.title()} report {n}", topic_body(topic, 4 + n % 4, changed * 5 + n)),
            encoding="utf-8")


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_kill_9_at_random_points_of_updates(tmp_path, embedder):
    seed = int(os.environ.get("RELIABILITY_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    print(f"kill test seed: {seed} (RELIABILITY_SEED={seed} repeats it)")
    folders = [tmp_path / "state-a", tmp_path / "state-b"]
    write_state(folders[0], 0)
    write_state(folders[1], 1)
    # What the store may hold: exactly one of the two states (ids -> content hashes).
    states = [{a.article_id: a.content_hash for a in read_paths([f]).articles} for f in folders]
    assert states[0] != states[1] and states[0].keys() == states[1].keys()
    store = tmp_path / "store"
    update_store(store, [folders[0]], embedder=embedder)

    killed_in: list[str] = []
    for kill in range(KILLS):
        version_before = stored_state(store)[0]
        writer = start_python(WRITER, str(store), *map(str, folders))
        try:
            assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
            if rng.random() < 0.3:
                target, delay = "any time", rng.uniform(0, 4.0)
            else:
                target = rng.choice(["read", "embed", "write", "write", "published"])
                delay = rng.uniform(0, 0.3)
            last = "ready"
            deadline = time.monotonic() + 300
            while target != "any time" and last != target:
                line = writer.stdout.readline().split()
                assert line and time.monotonic() < deadline, f"no {target}: {writer.stderr.read()}"
                last = line[0]
            time.sleep(delay)
            writer.send_signal(signal.SIGKILL)
        finally:
            _, err = stop(writer)
        assert writer.returncode == -signal.SIGKILL, err
        killed_in.append(f"{target}+{delay:.2f}s")

        # The store opens, checked against its manifest, and holds one whole state.
        version, held = stored_state(store)
        assert held in states, f"kill {kill} ({target} + {delay:.2f} s): a mixed store"
        assert version >= version_before
        assert_consistent(store)

    # The next update completes, and cleans up after the dead writers.
    last_state = states.index(stored_state(store)[1])
    summary = update_store(store, [folders[1 - last_state]], embedder=embedder)
    assert summary.failed == [] and summary.version is not None
    assert stored_state(store)[1] == states[1 - last_state]
    assert tmp_folders(store) == []
    assert sorted(p.name for p in store.iterdir() if p.name.startswith("v"))[-1] == \
        f"v{summary.version:09d}"
    assert_consistent(store)
    REPORTS["kill -9 during updates"] = {"seed": seed, "kills": killed_in,
                                        "versions_published": summary.version}
