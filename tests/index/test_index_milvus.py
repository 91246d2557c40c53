"""What atomicity a store keeps when its vectors live in Milvus (Milvus Lite, real, in the store
folder): versions are told apart inside the collection (born/died per row), an update that never
published is undone, rows no kept version can see are deleted, and a store keeps its backend.
"""

from __future__ import annotations

import errno
import signal
from pathlib import Path

import pytest
from index_helpers import TOPICS, assert_consistent, chunk_table, python_subprocess, write_topic

import index.versions as versions
from index import StoreWriteError, VectorBackendError, VectorSettings, open_store, update_store
from index import milvus as mv

MILVUS = VectorSettings(backend="milvus")


def build(store: Path, folder: Path, embedder, **options):
    return update_store(store, [folder], embedder=embedder, vectors=MILVUS, **options)


def raw_rows(store: Path) -> list[dict]:
    """Every row of the store's collection, whatever version sees it."""
    with open_store(store, vectors=MILVUS) as opened:
        collection = opened.vectors.collection
    milvus = mv.client(str(store / mv.LITE_FILE))
    rows = milvus.query(collection, filter="id >= 0", output_fields=["id", "born", "died"],
                        limit=16384)
    return sorted(rows, key=lambda row: row["id"])


def live_ids(store: Path) -> set[int]:
    return {i for ids in chunk_table(store).values() for i in ids}


def test_a_failed_publish_leaves_milvus_as_the_live_version_sees_it(
        corpus_dir, store_dir, embedder, monkeypatch):
    build(store_dir, corpus_dir, embedder)
    before = raw_rows(store_dir)
    assert {row["born"] for row in before} == {1} and {row["died"] for row in before} == {mv.ALIVE}
    (corpus_dir / "harbour.md").unlink()
    write_topic(corpus_dir, "orchard", sentences=8, variant=2)

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(versions, "publish", full_disk)
    with pytest.raises(StoreWriteError, match="disk is full"):
        build(store_dir, corpus_dir, embedder)
    monkeypatch.undo()
    # The failed writer's rows are gone and its removals undone, right away.
    assert raw_rows(store_dir) == before
    with open_store(store_dir, vectors=MILVUS) as store:
        assert store.version == 1 and "harbour.md" in store.article_ids()
    assert_consistent(store_dir)
    summary = build(store_dir, corpus_dir, embedder)
    assert summary.deleted == ["harbour.md"] and summary.replaced == ["orchard.md"]
    assert_consistent(store_dir)


CRASHING_UPDATE = """
import os, signal, sys
from pathlib import Path
import index.versions as versions
from index import Embedder, VectorSettings, update_store

def crash(*args, **kwargs):
    print("crashing", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)

versions.publish = crash
update_store(Path(sys.argv[1]), [Path(sys.argv[2])], embedder=Embedder(),
             vectors=VectorSettings(backend="milvus"))
"""


@pytest.mark.slow
def test_a_writer_killed_before_publishing_is_rolled_back_by_the_next(
        corpus_dir, store_dir, embedder):
    build(store_dir, corpus_dir, embedder)
    kept = live_ids(store_dir)
    mv.clear_clients()  # Milvus Lite serves a folder to one process at a time
    (corpus_dir / "library.md").unlink()
    write_topic(corpus_dir, "bakery", sentences=7, variant=1)
    process = python_subprocess(CRASHING_UPDATE, str(store_dir), str(corpus_dir))
    out, err = process.communicate(timeout=600)
    assert process.returncode == -signal.SIGKILL, err[-2000:]
    assert "crashing" in out
    # The killed writer wrote rows for version 2 and marked the library's rows died = 2,
    # but never published: readers still see version 1 exactly.
    rows = raw_rows(store_dir)
    assert any(row["born"] == 2 for row in rows)
    assert any(row["died"] == 2 for row in rows)
    with open_store(store_dir, vectors=MILVUS) as store:
        assert store.version == 1
        assert set(store.vectors.ids().tolist()) == kept
    assert_consistent(store_dir)
    # The next writer undoes the dead one's changes before making its own.
    summary = build(store_dir, corpus_dir, embedder)
    assert summary.version == 2
    assert summary.deleted == ["library.md"] and summary.replaced == ["bakery.md"]
    assert_consistent(store_dir)
    now = live_ids(store_dir)
    rows = raw_rows(store_dir)
    visible = {row["id"] for row in rows if row["born"] <= 2 < row["died"]}
    assert visible == now
    # Besides the live rows, only those version 1 (still kept) sees: the ones removed by 2.
    assert {row["id"] for row in rows} == now | kept
    assert {row["died"] for row in rows if row["id"] not in now} == {2}


def test_rows_no_kept_version_sees_are_deleted(corpus_dir, store_dir, embedder):
    build(store_dir, corpus_dir, embedder)
    first = live_ids(store_dir)
    (corpus_dir / "velodrome.md").unlink()
    build(store_dir, corpus_dir, embedder)
    velodrome = first - live_ids(store_dir)
    assert velodrome and {row["id"] for row in raw_rows(store_dir)} == first  # v1 still kept
    write_topic(corpus_dir, "velodrome")  # back again, under new ids
    build(store_dir, corpus_dir, embedder)
    rows = raw_rows(store_dir)
    assert not velodrome & {row["id"] for row in rows}
    assert {row["id"] for row in rows if row["born"] <= 3 < row["died"]} == live_ids(store_dir)
    assert_consistent(store_dir)


def test_a_store_keeps_its_backend_unless_rebuilt(corpus_dir, store_dir, embedder):
    update_store(store_dir, [corpus_dir], embedder=embedder)  # FAISS, the default
    write_topic(corpus_dir, "orchard", sentences=9, variant=4)
    with pytest.raises(VectorBackendError, match="keeps its vectors in faiss"):
        build(store_dir, corpus_dir, embedder)
    summary = build(store_dir, corpus_dir, embedder, rebuild=True)
    assert len(summary.added) == len(TOPICS)
    with open_store(store_dir) as store:
        assert store.vector_kind == "milvus"
        assert (store.folder / mv.DESCRIPTOR_FILE).exists()
        assert not (store.folder / "vectors.faiss").exists()
    # Without a backend in the settings, updates follow the store.
    write_topic(corpus_dir, "orchard", sentences=5, variant=5)
    summary = update_store(store_dir, [corpus_dir], embedder=embedder)
    assert summary.replaced == ["orchard.md"]
    with open_store(store_dir) as store:
        assert store.vector_kind == "milvus"
    assert_consistent(store_dir)


LITE_HOLDER = """
import sys, time
from index import VectorSettings, open_store
store = open_store(sys.argv[1], vectors=VectorSettings(backend="milvus"))
print("open", flush=True)
time.sleep(120)
"""


@pytest.mark.slow
def test_milvus_lite_in_use_by_another_process_is_a_clear_error(corpus_dir, store_dir,
                                                                 embedder):
    build(store_dir, corpus_dir, embedder)
    mv.clear_clients()
    holder = python_subprocess(LITE_HOLDER, str(store_dir))
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(VectorBackendError, match="one process at a time"):
            open_store(store_dir, vectors=MILVUS)
    finally:
        holder.kill()
        holder.communicate()
    mv.clear_clients()
    with open_store(store_dir, vectors=MILVUS) as store:
        assert store.version == 1


def test_a_missing_collection_is_reported_with_advice(corpus_dir, store_dir, embedder):
    build(store_dir, corpus_dir, embedder)
    with open_store(store_dir, vectors=MILVUS) as store:
        collection = store.vectors.collection
    mv.client(str(store_dir / mv.LITE_FILE)).drop_collection(collection)
    with pytest.raises(Exception, match="does not exist; check milvus_uri or rebuild"):
        open_store(store_dir, vectors=MILVUS)
