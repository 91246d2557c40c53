"""A damaged store is refused on open with advice to rebuild; two writers never interleave."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest
from index_helpers import assert_consistent, markdown, python_subprocess

from index import (
    StoreCorruptError,
    StoreLockedError,
    StoreNotFoundError,
    StoreVersionError,
    open_store,
    update_store,
)
from index.vectors import VectorIndex
from index.versions import LOCK_FILE, write_manifest, writer_lock


def live_folder(store: Path) -> Path:
    return store / (store / "CURRENT").read_text().strip()


def refused(store: Path, *words: str, verify: str = "full") -> str:
    with pytest.raises(StoreCorruptError) as raised:
        open_store(store, verify=verify)
    message = str(raised.value)
    assert "rebuild" in message
    for word in words:
        assert word in message
    return message


# --- Damage -------------------------------------------------------------------------------

def test_truncated_vectors_are_detected(seed_store_copy):
    path = live_folder(seed_store_copy) / "vectors.faiss"
    os.truncate(path, path.stat().st_size // 2)
    refused(seed_store_copy, "vectors.faiss")
    refused(seed_store_copy, "vectors.faiss", verify="size")  # sizes alone catch this


def test_one_changed_byte_in_the_database_is_detected(seed_store_copy):
    path = live_folder(seed_store_copy) / "meta.sqlite"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    refused(seed_store_copy, "meta.sqlite", "checksum")
    open_store(seed_store_copy, verify="size").close()  # same size: only the hash sees it


def test_a_missing_manifest_is_detected(seed_store_copy):
    (live_folder(seed_store_copy) / "manifest.json").unlink()
    refused(seed_store_copy, "no manifest")


def test_a_missing_lexical_file_is_detected(seed_store_copy):
    lexical = live_folder(seed_store_copy) / "lexical"
    victim = sorted(p for p in lexical.iterdir() if p.is_file())[0]
    victim.unlink()
    refused(seed_store_copy, "missing")


def test_a_current_file_that_names_nothing_is_detected(seed_store_copy):
    (seed_store_copy / "CURRENT").write_text("garbage\n")
    refused(seed_store_copy, "CURRENT")


def test_parts_that_disagree_are_detected_even_with_a_valid_manifest(seed_store_copy):
    folder = live_folder(seed_store_copy)
    VectorIndex.create(384).save(folder / "vectors.faiss")
    manifest = json.loads((folder / "manifest.json").read_text())
    write_manifest(folder, manifest["version"], {"embed_model": manifest["embed_model"]})
    refused(seed_store_copy, "inconsistent")


def test_a_store_from_another_format_version_is_refused(seed_store_copy):
    folder = live_folder(seed_store_copy)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["format"] = 99
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(StoreVersionError, match="rebuild"):
        open_store(seed_store_copy)


def test_no_store_says_how_to_build_one(tmp_path):
    with pytest.raises(StoreNotFoundError, match="qa index"):
        open_store(tmp_path / "nothing")


def test_an_update_refuses_a_damaged_store_and_a_rebuild_repairs_it(seed_store_copy, embedder):
    corpus = Path(__file__).resolve().parents[2] / "corpus"
    path = live_folder(seed_store_copy) / "vectors.faiss"
    os.truncate(path, path.stat().st_size - 10)
    with pytest.raises(StoreCorruptError, match="rebuild"):
        update_store(seed_store_copy, [corpus], embedder=embedder)
    summary = update_store(seed_store_copy, [corpus], embedder=embedder, rebuild=True)
    assert summary.added == ["eu-china-summit-2023-12-07.md"]
    assert_consistent(seed_store_copy)


# --- Two writers --------------------------------------------------------------------------

HOLD_LOCK = """
import sys, time
from pathlib import Path
from index.versions import writer_lock
with writer_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
print("released", flush=True)
"""


def hold_lock(store: Path, seconds: float):
    process = python_subprocess(HOLD_LOCK, str(store), str(seconds))
    assert process.stdout.readline().strip() == "locked", process.stderr.read()
    return process


@pytest.fixture
def small_folder(tmp_path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "kites.md").write_text(markdown("Kite festival", "Kites filled the sky."),
                                     encoding="utf-8")
    return folder


def test_a_second_writer_is_refused_while_the_lock_is_held(tmp_path, small_folder, embedder):
    store = tmp_path / "store"
    update_store(store, [small_folder], embedder=embedder)
    holder = hold_lock(store, 120)
    try:
        calls = embedder.calls
        started = time.monotonic()
        with pytest.raises(StoreLockedError) as raised:
            update_store(store, [small_folder], embedder=embedder, lock_wait=0)
        assert time.monotonic() - started < 5
        assert f"pid {holder.pid}" in str(raised.value) and "--wait" in str(raised.value)
        assert embedder.calls == calls
        with pytest.raises(StoreLockedError):
            with writer_lock(store):
                pass
        # Readers take no lock.
        with open_store(store) as opened:
            assert opened.article_ids() == ["kites.md"]
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
        holder.stderr.close()


def test_a_lock_held_by_a_killed_process_does_not_block(tmp_path, small_folder, embedder):
    store = tmp_path / "store"
    holder = hold_lock(store, 120)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    holder.stdout.close()
    holder.stderr.close()
    assert (store / LOCK_FILE).exists()  # the file stays; the flock died with its process
    summary = update_store(store, [small_folder], embedder=embedder, lock_wait=0)
    assert summary.added == ["kites.md"]


def test_a_writer_can_wait_for_the_lock(tmp_path, small_folder, embedder):
    store = tmp_path / "store"
    holder = hold_lock(store, 3)
    try:
        started = time.monotonic()
        summary = update_store(store, [small_folder], embedder=embedder, lock_wait=60)
        assert summary.added == ["kites.md"]
        assert time.monotonic() - started >= 1  # it waited for the holder (3 s)
        assert holder.stdout.readline().strip() == "released"
    finally:
        holder.wait(timeout=30)
        holder.stdout.close()
        holder.stderr.close()
