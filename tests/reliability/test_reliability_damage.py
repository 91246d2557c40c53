"""A damaged store is found on open, before anything is loaded from it, with a message that
says to rebuild; a running chat keeps answering from the version it has.

tests/index/test_index_damage_and_locks.py covers a truncated FAISS file, a changed byte, a
missing manifest or lexical file and a bad CURRENT; here: SQLite with a missing table or
column, files of two versions mixed, files the manifest does not list, and proof that no
loader touched a file before the check refused it.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import bm25s
import faiss
import numpy as np
import pytest
from rel_helpers import (
    SEED_QUESTION,
    assert_consistent,
    live,
    markdown,
    one_line_error,
    run_qa,
    stored_state,
    topic_body,
)

from index import StoreCorruptError, open_store, update_store
from index.versions import write_manifest
from qa import Assistant, load_settings


def rewrite_manifest(folder: Path) -> None:
    """Make the manifest vouch for the damaged files (as if the damage came with it)."""
    manifest = json.loads((folder / "manifest.json").read_text())
    write_manifest(folder, manifest["version"], {"embed_model": manifest["embed_model"]})


@pytest.fixture
def two_versions(tmp_path, embedder) -> Path:
    """A store with version 1 (two articles) and version 2 (one more, one changed)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("harbour", "orchard"):
        (folder / f"{name}.md").write_text(markdown(name.title(), topic_body(name, 5)),
                                           encoding="utf-8")
    store = tmp_path / "store"
    update_store(store, [folder], embedder=embedder)
    (folder / "library.md").write_text(markdown("Library", topic_body("library", 7)),
                                       encoding="utf-8")
    (folder / "orchard.md").write_text(markdown("Orchard", topic_body("orchard", 6, 2)),
                                       encoding="utf-8")
    update_store(store, [folder], embedder=embedder)
    assert (store / "v000000001").is_dir() and live(store).name == "v000000002"
    return store


def drop_table(folder: Path) -> None:
    with sqlite3.connect(folder / "meta.sqlite") as db:
        db.execute("DROP TABLE chunks")


def drop_column(folder: Path) -> None:
    with sqlite3.connect(folder / "meta.sqlite") as db:
        db.execute("ALTER TABLE articles DROP COLUMN url")


def old_vectors(folder: Path) -> None:
    shutil.copyfile(folder.parent / "v000000001" / "vectors.faiss", folder / "vectors.faiss")


def old_lexical(folder: Path) -> None:
    shutil.rmtree(folder / "lexical")
    shutil.copytree(folder.parent / "v000000001" / "lexical", folder / "lexical")


def old_database(folder: Path) -> None:
    shutil.copyfile(folder.parent / "v000000001" / "meta.sqlite", folder / "meta.sqlite")


def old_manifest(folder: Path) -> None:
    shutil.copyfile(folder.parent / "v000000001" / "manifest.json", folder / "manifest.json")


def whole_old_version(folder: Path) -> None:
    """Every file of version 1 copied over version 2 (a restore from a backup gone wrong)."""
    shutil.rmtree(folder)
    shutil.copytree(folder.parent / "v000000001", folder)


def extra_file(folder: Path) -> None:
    shutil.copyfile(folder.parent / "v000000001" / "vectors.faiss",
                    folder / "lexical" / "vectors.faiss")


def truncated_vectors(folder: Path) -> None:
    path = folder / "vectors.faiss"
    path.write_bytes(path.read_bytes()[:-100])


# name -> (damage, the manifest is rewritten to match, words of the message)
DAMAGE = {
    "missing table": (drop_table, True, "lacks the table(s) chunks"),
    "missing table, manifest not updated": (drop_table, False, "meta.sqlite"),
    "missing column": (drop_column, True, "lacks the column(s) url"),
    "vectors of the older version": (old_vectors, False, "vectors.faiss"),
    "lexical index of the older version": (old_lexical, False, "lexical"),
    "database of the older version": (old_database, False, "meta.sqlite"),
    "manifest of the older version": (old_manifest, False, "files of two versions are mixed"),
    "whole older version in the newer folder": (whole_old_version, False,
                                                "files of two versions are mixed"),
    "a file the manifest does not list": (extra_file, False, "not part of this version"),
    "older database vouched for by the manifest": (old_database, True, "inconsistent"),
    "truncated vectors vouched for by the manifest": (truncated_vectors, True,
                                                      "could not be loaded"),
}


@pytest.fixture
def loads(monkeypatch) -> list[str]:
    """Every file a loader opens: FAISS, SQLite, numpy and bm25s, spied on (they still run)."""
    opened: list[str] = []

    def spy(owner, name, describe):
        real = getattr(owner, name)

        def wrapper(*args, **kwargs):
            opened.append(describe(*args, **kwargs))
            return real(*args, **kwargs)
        monkeypatch.setattr(owner, name, wrapper)

    spy(faiss, "read_index", lambda path, *a, **k: str(path))
    spy(sqlite3, "connect", lambda path, *a, **k: str(path))
    spy(np, "load", lambda path, *a, **k: str(path))
    spy(bm25s.BM25, "load", lambda *a, **k: str(a[-1] if a else k.get("save_dir")))
    return opened


@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_damage_is_found_before_anything_is_loaded(two_versions, loads, case):
    damage, vouched, words = DAMAGE[case]
    folder = live(two_versions)
    damage(folder)
    if vouched:
        rewrite_manifest(folder)
    loads.clear()
    with pytest.raises(StoreCorruptError) as raised:
        open_store(two_versions)
    message = str(raised.value)
    assert words in message and "rebuild" in message, message
    if not vouched:
        # The manifest check refused it: no loader opened any file of the version.
        assert loads == [], loads


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_an_update_refuses_mixed_versions_and_a_rebuild_repairs_them(two_versions, tmp_path):
    folder = live(two_versions)
    old_vectors(folder)
    asked = run_qa("ask", SEED_QUESTION, "--store", str(two_versions), "--mode", "extractive")
    one_line_error(asked, "vectors.faiss", "qa index --rebuild")
    articles = tmp_path / "articles"
    refused = run_qa("index", str(articles), "--store", str(two_versions))
    one_line_error(refused, "vectors.faiss", "rebuild")
    assert (folder / "vectors.faiss").read_bytes() == \
        (two_versions / "v000000001" / "vectors.faiss").read_bytes()  # nothing was touched
    rebuilt = run_qa("index", str(articles), "--store", str(two_versions), "--rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    version, articles_stored = stored_state(two_versions)
    assert version == 3 and sorted(articles_stored) == ["harbour.md", "library.md", "orchard.md"]
    assert_consistent(two_versions)


def test_a_chat_keeps_its_version_when_a_damaged_one_is_published(two_versions, embedder):
    """CURRENT switched to a damaged version (a copy gone wrong): the running assistant does
    not load it and goes on answering from the version it has; a new one refuses to start."""
    assistant = Assistant(load_settings(store=two_versions, mode="extractive"),
                          embedder=embedder)
    before = assistant.ask("What did the librarians find in the archives?")
    assert not before.abstained and assistant.store.version == 2
    broken = two_versions / "v000000003"
    shutil.copytree(live(two_versions), broken)
    manifest = json.loads((broken / "manifest.json").read_text())
    manifest["version"] = 3
    (broken / "manifest.json").write_text(json.dumps(manifest))
    truncated_vectors(broken)
    (two_versions / "CURRENT").write_text("v000000003\n")

    after = assistant.ask("What did the librarians find in the archives?")
    assert after.text == before.text and after.citations == before.citations
    assert assistant.store.version == 2
    with pytest.raises(StoreCorruptError, match="rebuild"):
        Assistant(load_settings(store=two_versions), embedder=embedder)
    assistant.close()
