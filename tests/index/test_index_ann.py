"""The approximate (IVF) kind of the FAISS layer: our own ids, deletes, filters, read-back and
saving work as with exact search; recall against exact search stays high on clustered
vectors; a store switches kind at the threshold and retrains when it has doubled.

Vector-level tests use generated clustered unit vectors (real FAISS, no embedder); the store
test uses the real embedder on small article folders.
"""

from __future__ import annotations

import numpy as np
import pytest
from index_helpers import TOPICS, assert_consistent, chunk_table, write_topic

from index import VectorSettings, open_store, update_store
from index.vectors import FLAT, IVF, VectorIndex, ivf_nlist, maintained

DIM = 64


def clustered(count: int, seed: int = 0, centers: int = 300) -> np.ndarray:
    """Unit vectors around random centres, like embeddings of many topics."""
    rng = np.random.default_rng(seed)
    middle = rng.standard_normal((centers, DIM)).astype(np.float32)
    rows = middle[rng.integers(0, centers, count)] + \
        0.6 * rng.standard_normal((count, DIM)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def exact(ids: np.ndarray, vectors: np.ndarray) -> VectorIndex:
    index = VectorIndex.create(DIM)
    index.add(ids, vectors)
    return index


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(t)) / len(t)
                          for f, t in zip(found, truth, strict=True)]))


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    count = 30_000
    # Sparse, large, shuffled ids: nothing may assume ids are positions.
    ids = rng.choice(10**12, count, replace=False).astype(np.int64) + 10**9
    rows = clustered(count + 200)  # the last 200 (same topics, not stored) are the queries
    return ids, rows[:count], rows[count:]


def test_ivf_keeps_our_ids_and_finds_what_exact_search_finds(data, tmp_path):
    ids, vectors, queries = data
    ivf = VectorIndex.build_ivf(ids, vectors, nprobe=16)
    assert ivf.kind == IVF and len(ivf) == len(ids)
    assert ivf.nlist == ivf_nlist(len(ids)) and ivf.nprobe == 16
    assert set(ivf.ids().tolist()) == set(ids.tolist())
    for row in (0, 17, 29_999):
        assert np.array_equal(ivf.reconstruct(ids[row]), vectors[row])  # exact read-back
    truth = exact(ids, vectors).search(queries, 10)[1]
    found = ivf.search(queries, 10)[1]
    assert set(found.ravel().tolist()) <= set(ids.tolist())
    assert recall(found, truth) >= 0.95
    # Saved and loaded, it is the same index (kind, nprobe, ids, answers).
    ivf.save(tmp_path / "v.faiss")
    again = VectorIndex.load(tmp_path / "v.faiss")
    assert again.kind == IVF and again.nprobe == 16 and len(again) == len(ivf)
    assert np.array_equal(again.search(queries, 10)[1], found)
    contents_ids, contents = again.contents()
    order = np.argsort(contents_ids)
    expected = np.argsort(ids)
    assert np.array_equal(contents_ids[order], ids[expected])
    assert np.array_equal(contents[order], vectors[expected])


def test_ivf_removes_exactly_the_ids_asked_for(data):
    ids, vectors, queries = data
    ivf = VectorIndex.build_ivf(ids, vectors, nprobe=16)
    gone = ids[::7]
    assert ivf.remove(np.concatenate([gone, [5, 6]])) == len(gone)  # unknown ids: skipped
    kept = np.setdiff1d(ids, gone)
    assert len(ivf) == len(kept) and set(ivf.ids().tolist()) == set(kept.tolist())
    found = ivf.search(vectors[::7][:50], 10)[1]
    assert not set(found.ravel().tolist()) & set(gone.tolist())
    with pytest.raises(RuntimeError):
        ivf.reconstruct(gone[0])
    # Added back under new ids, they are found again under those.
    fresh = np.arange(1, len(gone) + 1, dtype=np.int64)
    ivf.add(fresh, vectors[::7])
    assert ivf.search(vectors[:1], 1)[1][0][0] == 1


def test_filtered_ivf_search_stays_inside_the_allowed_ids(data):
    ids, vectors, queries = data
    ivf = VectorIndex.build_ivf(ids, vectors, nprobe=16)
    flat = exact(ids, vectors)
    rng = np.random.default_rng(3)
    # A small allowed set is searched in every list: the same answers as exact search.
    small = rng.choice(ids, 500, replace=False)
    scores, found = ivf.search(queries, 10, small)
    flat_scores, flat_found = flat.search(queries, 10, small)
    assert np.array_equal(found, flat_found)
    assert np.allclose(scores, flat_scores, atol=1e-5)
    # Fewer allowed than k: all of them, padded with -1.
    few = ids[:3]
    _, found = ivf.search(queries[:2], 10, few)
    assert found.shape == (2, 3) and set(found[0].tolist()) == set(few.tolist())
    # A large allowed set probes a few more lists than nprobe and keeps recall high.
    large = rng.choice(ids, 25_000, replace=False)
    _, found = ivf.search(queries, 10, large)
    allowed = set(large.tolist())
    assert all(i in allowed for i in found.ravel().tolist() if i >= 0)
    assert recall(found, flat.search(queries, 10, large)[1]) >= 0.95


def test_the_index_kind_follows_the_store_size():
    settings = VectorSettings(ann_threshold=4_000, ann_nprobe=8)
    vectors = clustered(9_000, seed=5)
    ids = np.arange(100, 100 + len(vectors), dtype=np.int64)
    index = exact(ids[:3_000], vectors[:3_000])
    index, trained, change = maintained(index, settings, 0)
    assert index.kind == FLAT and trained == 0 and change is None
    index.add(ids[3_000:4_000], vectors[3_000:4_000])
    index, trained, change = maintained(index, settings, 0)
    assert index.kind == IVF and trained == 4_000 and "approximate" in change
    assert index.nprobe == 8 and set(index.ids().tolist()) == set(ids[:4_000].tolist())
    index.add(ids[4_000:7_000], vectors[4_000:7_000])  # 7,000: not yet twice 4,000
    index, trained, change = maintained(index, settings, trained)
    assert change is None and trained == 4_000 and index.nlist == ivf_nlist(4_000)
    index.add(ids[7_000:], vectors[7_000:])  # 9,000: more than doubled
    index, trained, change = maintained(index, settings, trained)
    assert "retrained" in change and trained == 9_000 and index.nlist == ivf_nlist(9_000)
    assert np.array_equal(index.reconstruct(ids[8_500]), vectors[8_500])
    index.remove(ids[:7_500])  # 1,500 left: under half the threshold
    index, trained, change = maintained(index, settings, trained)
    assert index.kind == FLAT and trained == 0 and "exact" in change
    assert set(index.ids().tolist()) == set(ids[7_500:].tolist())
    assert index.search(vectors[8_000], 1)[1][0][0] == ids[8_000]


def test_a_store_switches_to_ivf_at_the_threshold_and_back(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_topic(corpus, "harbour")
    store = tmp_path / "store"
    update_store(store, [corpus], embedder=embedder)
    small = sum(len(ids) for ids in chunk_table(store).values())
    settings = VectorSettings(ann_threshold=small + 3, ann_nprobe=2)
    for topic in TOPICS:
        write_topic(corpus, topic, sentences=60 if topic == "observatory" else 6)
    update_store(store, [corpus], embedder=embedder, vectors=settings)
    with open_store(store) as opened:
        assert opened.vector_kind == IVF
        assert opened.meta["vector_kind"] == IVF
        assert int(opened.meta["ann_trained_on"]) == len(opened.vectors) >= small + 3
        assert "approximate" in opened.meta["vector_change"]
        port = opened.chunk_ids_matching(sources=["Port Gazette"])
        query = embedder.encode_query("dockers and cranes at the quay")
        hits = opened.search_dense(query, 5, port)
        assert hits and {i for i, _ in hits} <= set(port.tolist())
    assert_consistent(store)
    for topic in TOPICS:
        if topic != "harbour":
            (corpus / f"{topic}.md").unlink()
    update_store(store, [corpus], embedder=embedder, vectors=settings)
    with open_store(store) as opened:
        assert opened.vector_kind == FLAT and len(opened.vectors) == small
    assert_consistent(store)
