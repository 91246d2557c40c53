"""BM25 kept up to date from term counts: the scores equal what bm25s computes from scratch,
after any sequence of adds and deletes, and an update counts only the new chunks' tokens.
"""

from __future__ import annotations

import json
import random

import bm25s
import numpy as np
import pytest
from index_helpers import assert_consistent, topic_body, write_topic

import index.lexical as lexical_module
from index import open_store, update_store, versions
from index.lexical import LexicalIndex, TermCounts
from index.store import DB_FILE, LEXICAL_DIR

WORDS = [f"t{i}" for i in range(300)]


def documents(count: int, seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    docs = []
    for _ in range(count):
        size = rng.choice([0, 1, 3, 8, 20, 40])
        docs.append([WORDS[min(int(rng.paretovariate(1.2)) - 1, 299)] for _ in range(size)])
    return docs


def scores_by_id(index: LexicalIndex, query: list[str]) -> dict[int, float]:
    model = index._model
    known = [t for t in query if t in model.vocab_dict]
    if not known:
        return {}
    scores = model.get_scores(known)
    return {int(i): float(s) for i, s in zip(index._row_ids, scores, strict=False) if s > 0}


QUERIES = [["t0"], ["t1", "t5"], ["t2", "t40", "t77"], ["t150", "t0", "t3"], ["t299"]]


def test_counted_scores_are_bm25s_scores():
    docs = documents(500, seed=1)
    ours = LexicalIndex.build(range(100, 600), docs)
    reference = bm25s.BM25()
    reference.index([d or ["\u2400"] for d in docs], show_progress=False)
    for query in QUERIES:
        known = [t for t in query if t in reference.vocab_dict]
        expected = reference.get_scores(known)
        got = ours._model.get_scores(known)
        assert np.allclose(got, expected, rtol=1e-6, atol=1e-7)
    assert ours.idf(["t0", "t7", "never"]) == pytest.approx(
        LexicalIndex(reference, ours._row_ids).idf(["t0", "t7", "never"]))


def test_updates_from_counts_equal_a_build_from_scratch(tmp_path):
    docs = documents(400, seed=2)
    ids = list(range(1, 401))
    current = LexicalIndex.build(ids, docs)
    live = dict(zip(ids, docs, strict=False))
    rng = random.Random(3)
    next_id = 401
    for step in range(4):
        current.save(tmp_path / f"v{step}")
        row_ids, counts = LexicalIndex.load_counts(tmp_path / f"v{step}")
        removed = rng.sample(sorted(live), 60)
        added = documents(50, seed=10 + step)
        added_ids = list(range(next_id, next_id + len(added)))
        next_id += len(added)
        current = LexicalIndex.updated(row_ids, counts, removed, added_ids, added)
        for chunk_id in removed:
            del live[chunk_id]
        live.update(zip(added_ids, added, strict=False))
        scratch = LexicalIndex.build(sorted(live), [live[i] for i in sorted(live)])
        assert current._row_ids.tolist() == sorted(live)
        for query in QUERIES:
            ours, theirs = scores_by_id(current, query), scores_by_id(scratch, query)
            assert ours.keys() == theirs.keys()
            assert all(abs(ours[i] - theirs[i]) <= 1e-5 * max(1.0, theirs[i]) for i in ours)
        # Terms that no chunk uses any more leave the vocabulary.
        assert set(current._counts.vocabulary) == {t for d in live.values() for t in d} | (
            {"\u2400"} if any(not d for d in live.values()) else set())
    # Removing everything leaves an empty index.
    row_ids, counts = current._row_ids, current._counts
    empty = LexicalIndex.updated(row_ids, counts, row_ids.tolist(), [], [])
    assert len(empty) == 0 and empty.search("t0", 5) == []


def test_an_update_counts_only_the_new_chunks(corpus_dir, store_dir, embedder, monkeypatch):
    update_store(store_dir, [corpus_dir], embedder=embedder)
    counted: list[int] = []
    original = TermCounts.count.__func__

    def counting(cls, token_lists, vocabulary=None):
        token_lists = list(token_lists)
        counted.append(len(token_lists))
        return original(cls, token_lists, vocabulary)

    monkeypatch.setattr(TermCounts, "count", classmethod(counting))
    (corpus_dir / "library.md").unlink()
    write_topic(corpus_dir, "harbour", sentences=7, variant=2)
    summary = update_store(store_dir, [corpus_dir], embedder=embedder)
    assert summary.replaced == ["harbour.md"] and summary.deleted == ["library.md"]
    assert counted == [summary.chunks_added]  # not the whole store
    assert_consistent(store_dir)
    with open_store(store_dir) as store:
        rows = store._query("SELECT chunk_id, tokens FROM chunks ORDER BY chunk_id")
        scratch = LexicalIndex.build([r[0] for r in rows], [r[1].split() for r in rows])
        for text in (topic_body("harbour", 7, 2).split(". ")[2], "comet telescope orbit",
                     "flour bakers sourdough"):
            ours, theirs = dict(store.search_lexical(text, 20)), dict(scratch.search(text, 20))
            assert ours.keys() == theirs.keys() and ours
            assert all(ours[i] == pytest.approx(theirs[i], rel=1e-5) for i in ours)


def test_a_store_without_counts_is_rebuilt_from_its_stored_tokens(corpus_dir, store_dir,
                                                                  embedder):
    update_store(store_dir, [corpus_dir], embedder=embedder)
    # Make the live version look like one written before counts were kept.
    folder = store_dir / versions.current_version_name(store_dir)
    for name in (*lexical_module._COUNTS_FILES, lexical_module._TERMS_FILE):
        (folder / LEXICAL_DIR / name).unlink()
    manifest = json.loads((folder / versions.MANIFEST_FILE).read_text())
    versions.write_manifest(folder, manifest["version"], {"embed_model": embedder.name})
    assert LexicalIndex.load_counts(folder / LEXICAL_DIR) is None
    write_topic(corpus_dir, "bakery", sentences=8, variant=1)
    summary = update_store(store_dir, [corpus_dir], embedder=embedder)
    assert summary.replaced == ["bakery.md"]
    with open_store(store_dir) as store:
        assert LexicalIndex.load_counts(store.folder / LEXICAL_DIR) is not None
        hits = store.search_lexical("flour sourdough ovens", 3)
        assert store.chunks([hits[0][0]])[0].article_id == "bakery.md"
    assert (store_dir / versions.current_version_name(store_dir) / DB_FILE).exists()
    assert_consistent(store_dir)


def test_a_score_is_one_token_and_single_characters_are_none():
    """"the 2-0 win over Fulham": the score names the match, so it is kept whole for chunks
    and questions alike; a lone "2" stays dropped, as bm25s drops every one-character word."""
    from index import lexical_tokens

    chunk, question = lexical_tokens(["Henry and Pires scored in the 2-0 win over Fulham.",
                                      "Who scored in the 2-0 win?"])
    assert "2-0" in chunk and "2-0" in question
    assert "2" not in lexical_tokens(["He scored 2 goals"])[0]
    assert "33-5" in lexical_tokens(["Wales were trounced 33-5 in Paris"])[0]
