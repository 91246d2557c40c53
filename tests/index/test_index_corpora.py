"""Both evaluation corpora, complete, in one store (one build: it takes minutes)."""

from __future__ import annotations

import time

import numpy as np
import pytest
from index_helpers import markdown

from index import open_store, update_store
from index.chunking import chunk_header


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_both_corpora_index_completely(tmp_path, embedder, bbc_path, multihop_path):
    store_path = tmp_path / "store"
    started = time.perf_counter()
    summary = update_store(store_path, [bbc_path, multihop_path], embedder=embedder)
    build_seconds = time.perf_counter() - started
    assert summary.failed == []
    assert len(summary.added) == 2225 + 326
    assert summary.chunks_added == summary.chunks_embedded + summary.chunks_reused

    with open_store(store_path) as store:
        ids = store.all_chunk_ids()
        assert len(ids) == len(store.vectors) == len(store.lexical) == summary.chunks_added
        assert set(store.vectors.ids().tolist()) == set(ids.tolist())
        articles = store.articles(store.article_ids())
        assert len(articles) == 2551
        chunks = store.chunks(ids)
        assert {c.article_id for c in chunks} == set(articles)
        for chunk in chunks:
            assert articles[chunk.article_id].text[chunk.start:chunk.end] == chunk.text
        # What was embedded (header + text) fits the model's window, for every chunk.
        embedded = [chunk_header(articles[c.article_id]) + c.text for c in chunks]
        assert max(embedder.count_tokens(embedded)) <= embedder.max_tokens
        # Every 20th chunk finds itself first by its own vector.
        sample = ids[::20]
        vectors = np.stack([store.vector(i) for i in sample])
        hits_of_each = store.search_dense_many(vectors, 5)
        for chunk_id, hits in zip(sample.tolist(), hits_of_each, strict=True):
            assert hits[0][0] == chunk_id or hits[0][1] - dict(hits).get(chunk_id, -1) < 1e-5
        # Filters work at this size too.
        tech = store.chunk_ids_matching(article_ids=["bbc-tech-001"])
        assert set(tech.tolist()) == set(store.chunk_ids_of("bbc-tech-001"))
        since = store.chunk_ids_matching(since="2023-01-01")
        assert len(since) and {c.article_id for c in store.chunks(since)} <= \
            {a for a, r in articles.items() if r.date and r.date >= "2023-01-01"}

    # Nothing changed: nothing is embedded, and it costs a small part of the build.
    texts = embedder.texts_embedded
    started = time.perf_counter()
    again = update_store(store_path, [bbc_path, multihop_path], embedder=embedder)
    assert again.version is None and again.unchanged == 2551
    assert embedder.texts_embedded == texts
    assert time.perf_counter() - started < 0.2 * build_seconds

    # One new article costs its own chunks only.
    extra = tmp_path / "extra.md"
    extra.write_text(markdown("Late addition", "A new article arrives. It is short."),
                     encoding="utf-8")
    added = update_store(store_path, [extra], embedder=embedder)
    assert added.added == ["extra.md"] and embedder.texts_embedded == texts + 1
    with open_store(store_path) as store:
        assert store.stats().articles == 2552
