"""The same storage tests on every place vectors can live: FAISS exact (the default), FAISS
approximate (IVF, forced on by a threshold of one chunk) and Milvus (Milvus Lite, a real local
Milvus in a folder of the store).

Each test builds small real stores with the real embedder; add, replace, delete and filtered
search must behave the same on all three, and a reader of an older version must keep seeing
that version while an update writes the next.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from index_helpers import TOPICS, assert_consistent, chunk_table, markdown, topic_body, write_topic

from index import VectorSettings, open_store, update_store

BACKENDS = {
    "faiss": VectorSettings(backend="faiss"),
    "faiss-ivf": VectorSettings(backend="faiss", ann_threshold=1, ann_nprobe=1),
    "milvus": VectorSettings(backend="milvus"),
}
KIND = {"faiss": "flat", "faiss-ivf": "ivf", "milvus": "milvus"}


@pytest.fixture(params=list(BACKENDS))
def backend(request) -> str:
    return request.param


def build(store: Path, paths, embedder, backend: str, **options):
    return update_store(store, [paths] if isinstance(paths, Path) else paths,
                        embedder=embedder, vectors=BACKENDS[backend], **options)


def opened(store: Path, backend: str):
    return open_store(store, vectors=BACKENDS[backend])


def sentence_of(topic: str, number: int = 1) -> str:
    return topic_body(topic).split(". ")[number]


def dense_articles(store, embedder, text: str, k: int = 3, allowed=None) -> list[str]:
    hits = store.search_dense(embedder.encode_query(text), k, allowed)
    chunks = {c.chunk_id: c for c in store.chunks([i for i, _ in hits])}
    return [chunks[i].article_id for i, _ in hits]


def test_add_then_search(corpus_dir, store_dir, embedder, backend):
    summary = build(store_dir, corpus_dir, embedder, backend)
    assert summary.chunks_added > len(TOPICS)
    with opened(store_dir, backend) as store:
        assert store.vector_kind == KIND[backend]
        assert store.stats().vector_kind == KIND[backend]
        assert len(store.vectors) == summary.chunks_added == len(store.all_chunk_ids())
        for topic in TOPICS:
            assert dense_articles(store, embedder, sentence_of(topic))[0] == f"{topic}.md"
    assert_consistent(store_dir)


def test_replace_swaps_exactly_the_article_s_vectors(corpus_dir, store_dir, embedder, backend):
    build(store_dir, corpus_dir, embedder, backend)
    before = chunk_table(store_dir)
    title, date, source, _ = TOPICS["orchard"]
    added = "A beekeeper named Ottoline counted seventeen hives beside the greenhouse."
    (corpus_dir / "orchard.md").write_text(
        markdown(title, f"{topic_body('orchard')}\n\n{added}", date, source), encoding="utf-8")
    summary = build(store_dir, corpus_dir, embedder, backend)
    assert summary.replaced == ["orchard.md"] and summary.version == 2
    after = chunk_table(store_dir)
    old_ids, new_ids = set(before["orchard.md"]), set(after["orchard.md"])
    assert not old_ids & new_ids
    assert min(new_ids) > max(i for ids in before.values() for i in ids)  # never reused
    for topic in TOPICS:
        if topic != "orchard":
            assert after[f"{topic}.md"] == before[f"{topic}.md"]
    with opened(store_dir, backend) as store:
        held = set(store.vectors.ids().tolist())
        assert new_ids <= held and not old_ids & held
        hits = store.search_dense(embedder.encode_query(added), 3)
        assert hits[0][0] in new_ids
        assert not {i for i, _ in store.search_dense(embedder.encode_query(added), 50)} & old_ids
    assert_consistent(store_dir)


def test_delete_removes_the_article_s_vectors(corpus_dir, store_dir, embedder, backend):
    build(store_dir, corpus_dir, embedder, backend)
    gone = set(chunk_table(store_dir)["bakery.md"])
    (corpus_dir / "bakery.md").unlink()
    summary = build(store_dir, corpus_dir, embedder, backend)
    assert summary.deleted == ["bakery.md"]
    with opened(store_dir, backend) as store:
        assert not gone & set(store.vectors.ids().tolist())
        everything = store.search_dense(embedder.encode_query(sentence_of("bakery")),
                                        len(store.vectors))
        assert len(everything) == len(store.vectors)
        assert not gone & {i for i, _ in everything}
        assert "bakery.md" not in dense_articles(store, embedder, sentence_of("bakery"), 5)
    assert_consistent(store_dir)


def test_filtered_search_returns_only_allowed_chunks(corpus_dir, store_dir, embedder, backend):
    build(store_dir, corpus_dir, embedder, backend)
    with opened(store_dir, backend) as store:
        port = store.chunk_ids_matching(sources=["Port Gazette"])
        articles = {c.article_id for c in store.chunks(port)}
        assert articles == {"harbour.md", "bakery.md"}
        # A question about comets, restricted to the Port Gazette: only its chunks come back,
        # all of them when k is larger than the allowed set, best first.
        query = embedder.encode_query(sentence_of("observatory"))
        hits = store.search_dense(query, 50, port)
        assert {i for i, _ in hits} == set(port.tolist())
        scores = [s for _, s in hits]
        assert scores == sorted(scores, reverse=True)
        # The filtered top-1 is the allowed chunk an unfiltered search ranks highest.
        unfiltered = [i for i, _ in store.search_dense(query, len(store.vectors))]
        assert hits[0][0] == next(i for i in unfiltered if i in set(port.tolist()))
        # One article of several chunks, by id, with k smaller than its chunks.
        own = np.array(store.chunk_ids_of("observatory.md"), dtype=np.int64)
        assert len(own) >= 3
        top = store.search_dense(query, 2, own)
        assert len(top) == 2 and {i for i, _ in top} <= set(own.tolist())
        assert store.search_dense(query, 5, np.array([], dtype=np.int64)) == []
        # Through the lexical half as well (the same allowed ids).
        lexical = store.search_lexical(sentence_of("observatory"), 10, port)
        assert {i for i, _ in lexical} <= set(port.tolist())


def test_an_open_reader_keeps_its_version_while_the_next_is_written(
        corpus_dir, store_dir, embedder, backend):
    build(store_dir, corpus_dir, embedder, backend)
    reader = opened(store_dir, backend)
    try:
        gone = reader.chunk_ids_of("library.md")
        (corpus_dir / "library.md").unlink()
        write_topic(corpus_dir, "velodrome", sentences=9, variant=3)  # replaced
        summary = build(store_dir, corpus_dir, embedder, backend)
        assert summary.deleted == ["library.md"] and summary.replaced == ["velodrome.md"]
        # The old reader still sees version 1 exactly: the deleted article's vectors, the old
        # velodrome chunks, and none of the new ones.
        assert reader.version == 1 and reader.is_stale()
        query = embedder.encode_query(sentence_of("library"))
        assert reader.search_dense(query, 1)[0][0] in gone
        assert set(reader.vectors.ids().tolist()) == set(reader.all_chunk_ids().tolist())
        with opened(store_dir, backend) as fresh:
            assert fresh.version == 2
            assert not set(gone) & {i for i, _ in fresh.search_dense(query, len(fresh.vectors))}
            assert set(fresh.vectors.ids().tolist()) == set(fresh.all_chunk_ids().tolist())
    finally:
        reader.close()
    assert_consistent(store_dir)


def test_rebuild_starts_afresh_without_reusing_ids(corpus_dir, store_dir, embedder, backend):
    build(store_dir, corpus_dir, embedder, backend)
    first = {i for ids in chunk_table(store_dir).values() for i in ids}
    summary = build(store_dir, corpus_dir, embedder, backend, rebuild=True)
    assert sorted(summary.added) == sorted(f"{t}.md" for t in TOPICS)
    second = {i for ids in chunk_table(store_dir).values() for i in ids}
    assert min(second) > max(first)
    with opened(store_dir, backend) as store:
        assert set(store.vectors.ids().tolist()) == second
    assert_consistent(store_dir)
