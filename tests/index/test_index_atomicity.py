"""An update that fails or is killed half-way never damages the live version."""

from __future__ import annotations

import errno
import os
import signal
import time
from pathlib import Path

import pytest
from index_helpers import (
    TOPICS,
    assert_consistent,
    markdown,
    python_subprocess,
    tmp_folders,
    topic_body,
    write_topic,
)

import index.lexical
import index.vectors
import index.versions
from index import StoreWriteError, open_store, update_store

QUERY = "astronomers telescope comet orbit"


def snapshot(store: Path, embedder) -> tuple:
    """What a reader sees: version, articles, and the results of both searches."""
    with open_store(store) as opened:
        return (opened.version, sorted(opened.article_ids()),
                opened.search_dense(embedder.encode_query(QUERY), 5),
                opened.search_lexical(QUERY, 5))


def change_corpus(folder: Path) -> None:
    write_topic(folder, "orchard", sentences=9, variant=3)
    (folder / "bakery.md").unlink()
    (folder / "newcomer.md").write_text(markdown("A newcomer", "Brand new article text."),
                                        encoding="utf-8")


def fail_lexical_save(self, folder):
    raise RuntimeError("simulated crash while writing the BM25 index")


def fail_vectors_save(self, path):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("target, replacement, error", [
    (index.lexical.LexicalIndex, fail_lexical_save, RuntimeError),
    (index.vectors.VectorIndex, fail_vectors_save, StoreWriteError),
])
def test_an_update_that_fails_while_writing_leaves_the_old_version(
        corpus_dir, store_dir, embedder, monkeypatch, target, replacement, error):
    update_store(store_dir, [corpus_dir], embedder=embedder)
    before = snapshot(store_dir, embedder)
    change_corpus(corpus_dir)

    with monkeypatch.context() as patch:
        patch.setattr(target, "save", replacement)
        with pytest.raises(error) as raised:
            update_store(store_dir, [corpus_dir], embedder=embedder)
    if error is StoreWriteError:
        assert "disk is full" in str(raised.value)
        assert "previous version is intact" in str(raised.value)

    assert snapshot(store_dir, embedder) == before
    assert_consistent(store_dir)
    summary = update_store(store_dir, [corpus_dir], embedder=embedder)
    assert summary.version == before[0] + 1
    assert sorted(summary.replaced) == ["orchard.md"] and summary.deleted == ["bakery.md"]
    assert tmp_folders(store_dir) == []
    with open_store(store_dir) as opened:
        assert "newcomer.md" in opened.article_ids()
    assert_consistent(store_dir)


def test_a_writer_that_died_after_renaming_but_before_switching(
        corpus_dir, store_dir, embedder, monkeypatch):
    """The new folder exists but CURRENT still names the old one: readers keep the old one,
    and the next update clears the orphan and publishes normally."""
    update_store(store_dir, [corpus_dir], embedder=embedder)
    before = snapshot(store_dir, embedder)
    change_corpus(corpus_dir)

    def half_publish(store, temp, number):
        os.rename(temp, store / index.versions.version_name(number))
        raise OSError(errno.EIO, "Input/output error")

    with monkeypatch.context() as patch:
        patch.setattr(index.versions, "publish", half_publish)
        with pytest.raises(StoreWriteError):
            update_store(store_dir, [corpus_dir], embedder=embedder)
    assert (store_dir / "v000000002").is_dir()
    assert snapshot(store_dir, embedder) == before

    summary = update_store(store_dir, [corpus_dir], embedder=embedder)
    assert summary.version == 2 and summary.deleted == ["bakery.md"]
    assert_consistent(store_dir)


def test_leftovers_of_a_dead_writer_are_removed(corpus_dir, store_dir, embedder):
    update_store(store_dir, [corpus_dir], embedder=embedder)
    (store_dir / ".tmp-999999-1").mkdir()
    (store_dir / ".tmp-999999-1" / "meta.sqlite").write_bytes(b"half written")
    (store_dir / "CURRENT.999999.tmp").write_text("v000000009\n")
    before = snapshot(store_dir, embedder)
    assert before[0] == 1  # leftovers do not disturb readers
    write_topic(corpus_dir, "library", sentences=4, variant=5)
    summary = update_store(store_dir, [corpus_dir], embedder=embedder)
    assert summary.version == 2
    assert tmp_folders(store_dir) == []
    assert not (store_dir / "CURRENT.999999.tmp").exists()


def test_old_versions_are_collected_but_the_previous_one_is_kept(corpus_dir, store_dir,
                                                                 embedder):
    for variant in range(4):
        write_topic(corpus_dir, "harbour", variant=variant + 1)
        update_store(store_dir, [corpus_dir], embedder=embedder)
    versions = sorted(p.name for p in store_dir.iterdir() if p.name.startswith("v"))
    # The live version and the one before it (a reader may still be opening it).
    assert versions == ["v000000003", "v000000004"]
    assert (store_dir / "CURRENT").read_text().strip() == "v000000004"


# --- A real kill --------------------------------------------------------------------------

KILL_SCRIPT = """
import sys
from pathlib import Path
from index import Embedder, update_store

def progress(stage, done, total):
    print(stage, done, total, flush=True)

embedder = Embedder()
embedder.model  # load before the update starts, so the kill lands inside it
print("loaded", flush=True)
update_store(Path(sys.argv[1]), [Path(sys.argv[2])], embedder=embedder, progress=progress)
print("finished", flush=True)
"""


def many_articles(folder: Path, count: int, variant: int) -> None:
    topics = list(TOPICS)
    for n in range(count):
        topic = topics[n % len(topics)]
        title, date, source, _ = TOPICS[topic]
        (folder / f"{topic}-{n:02d}.md").write_text(
            markdown(f"{title} ({n})", topic_body(topic, 4 + n % 5, variant + n), date, source),
            encoding="utf-8")


def kill_during_update(store: Path, folder: Path, stage: str, delay: float) -> str:
    """Run an update in another process and SIGKILL it `delay` s after it reports `stage`."""
    process = python_subprocess(KILL_SCRIPT, str(store), str(folder))
    last = ""
    try:
        deadline = time.monotonic() + 240
        for line in process.stdout:
            last = line.split()[0] if line.strip() else last
            if last == stage or last == "finished":
                break
            assert time.monotonic() < deadline, "the update never reached " + stage
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=60)
        process.stdout.close()
        process.stderr.close()
    assert process.returncode in (-signal.SIGKILL, 0), process.returncode
    return last


def kill_and_check(tmp_path: Path, embedder, stage: str, delay: float) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    store = tmp_path / "store"
    many_articles(folder, 30, variant=0)
    update_store(store, [folder], embedder=embedder)
    old = snapshot(store, embedder)
    # The update to kill: 10 edited articles, 5 deleted, 15 new.
    many_articles(folder, 10, variant=7)
    for path in sorted(folder.glob("*.md"))[-5:]:
        path.unlink()
    for n in range(15):
        (folder / f"new-{n:02d}.md").write_text(
            markdown(f"New story {n}", topic_body("velodrome", 5, n)), encoding="utf-8")
    expected_new = sorted(p.name for p in folder.glob("*.md"))

    kill_during_update(store, folder, stage, delay)

    with open_store(store) as opened:  # opens, checked against the manifest
        version, ids = opened.version, sorted(opened.article_ids())
    assert (version, ids) in ((old[0], old[1]), (old[0] + 1, expected_new))
    if version == old[0]:
        assert snapshot(store, embedder) == old
    assert_consistent(store)

    summary = update_store(store, [folder], embedder=embedder)  # the next update completes
    assert summary.failed == []
    with open_store(store) as opened:
        assert sorted(opened.article_ids()) == expected_new
    assert tmp_folders(store) == []
    assert_consistent(store)


@pytest.mark.timeout(600)
def test_killed_while_writing(tmp_path, embedder):
    """Killed as the write starts: a half-written temp folder is left behind (seen here)."""
    kill_and_check(tmp_path, embedder, "write", 0.0)


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("stage, delay", [
    ("read", 0.0), ("embed", 0.2), ("write", 0.01), ("write", 0.02), ("write", 0.05),
    ("write", 0.1), ("write", 0.3)])
def test_killed_at_other_moments(tmp_path, embedder, stage, delay):
    """Before any write, mid-write, and (from about 0.1 s after the write starts, here) after
    the new version was published."""
    kill_and_check(tmp_path, embedder, stage, delay)
