"""The dense half of the store: a FAISS index keyed by our own chunk ids.

llama-index's FAISS stores cannot delete (or reuse ids after a delete), so we keep our own
index: our int64 chunk ids go in, the same ids come out, and removing ids deletes exactly one
article's chunks. Two kinds, one interface (`VectorIndex`):

- "flat": an `IndexIDMap2` over an exact inner-product index. Exact, and the default: every
  store below `ann_threshold` chunks is searched exhaustively, as before.
- "ivf": an inverted-file index (`IVF<nlist>,Flat`) that holds our ids itself
  (`add_with_ids`, `remove_ids`), with a hash-table direct map so a vector can be read back by
  id. It is trained on the store's own vectors when the store grows past `ann_threshold`, and
  trained again when the store has doubled (or halved) since, so its lists stay balanced and a
  query scans a steady share of the store. HNSW was measured too (bench/scale_bench.py) but
  FAISS's HNSW cannot remove ids, and building it costs far more at a million chunks.

Filters stay inside the index (an `IDSelectorBatch`), so a filter never empties a top-k that was
cut before filtering; for "ivf", `nprobe` is raised in proportion to how much of the store the
filter excludes, so a small allowed set is searched in every list, exactly.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

FLAT = "flat"
IVF = "ivf"


@dataclass(frozen=True)
class VectorSettings:
    """How a store keeps its vectors: the part of the settings the index package reads.

    backend        "faiss" (files in each version folder) or "milvus" (a Milvus collection).
    ann_threshold  chunks from which the FAISS layer switches to an approximate IVF index;
                   0 keeps exact search at any size. It switches back to exact search below
                   half the threshold, so a store near the line does not flip on every update.
    ann_nprobe     IVF lists probed per query (measured: see docs/scaling.md).
    milvus_uri     a Milvus server ("http://host:19530") or a Milvus Lite file; None: Milvus
                   Lite in `<store>/milvus.db`.
    milvus_token   credentials for a Milvus server ("user:password" or an API key); never
                   written into the store.
    milvus_collection  prefix of the store's collection names.
    """

    backend: str = "faiss"
    ann_threshold: int = 200_000
    ann_nprobe: int = 32
    milvus_uri: str | None = None
    milvus_token: str | None = None
    milvus_collection: str = "newsdesk"


def ivf_nlist(chunks: int) -> int:
    """Lists for an IVF index of `chunks` vectors: about sqrt(n), a power of two, at most
    16384, and never fewer than 39 vectors a list (k-means needs them to place a centroid).

    Measured (bench/scale_bench.py): at 1M chunks 1024 lists keep training to seconds and a
    query at nprobe 32 scans about 3% of the store."""
    lists = 2 ** round(math.log2(max(1.0, math.sqrt(chunks))))
    return int(max(1, min(16384, lists, chunks // 39)))


class VectorIndex:
    """Unit vectors searchable by inner product, addressed by chunk id."""

    def __init__(self, index: faiss.Index) -> None:
        # read_index and index_factory already return the most derived type; downcasting
        # again would make a second proxy that does not keep the index alive.
        self._index = index
        self._ivf = self._index if isinstance(self._index, faiss.IndexIVF) else None

    @classmethod
    def create(cls, dim: int) -> VectorIndex:
        return cls(faiss.IndexIDMap2(faiss.IndexFlatIP(dim)))

    @classmethod
    def build_ivf(cls, ids: np.ndarray, vectors: np.ndarray, nprobe: int = 32,
                  nlist: int | None = None, seed: int = 1234) -> VectorIndex:
        """An IVF index trained on (a sample of) `vectors`, holding all of them."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        count, dim = vectors.shape
        nlist = max(1, min(nlist or ivf_nlist(count), count))
        ivf = faiss.index_factory(dim, f"IVF{nlist},Flat", faiss.METRIC_INNER_PRODUCT)
        # k-means on at most 64 points per list: measured to give the same recall as FAISS's
        # default of 256 at a quarter of the training time.
        ivf.cp.max_points_per_centroid = 64
        ivf.cp.seed = seed
        sample = min(count, 64 * nlist)
        rows = np.random.default_rng(seed).choice(count, sample, replace=False) \
            if sample < count else slice(None)
        ivf.train(vectors[rows])
        ivf.set_direct_map_type(faiss.DirectMap.Hashtable)
        ivf.nprobe = max(1, min(nprobe, nlist))
        built = cls(ivf)
        built.add(ids, vectors)
        return built

    @classmethod
    def load(cls, path: Path) -> VectorIndex:
        # faiss.read_index parses FAISS's own binary format; nothing is unpickled.
        return cls(faiss.read_index(str(path)))

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))
        with open(path, "rb+") as handle:
            os.fsync(handle.fileno())

    @property
    def kind(self) -> str:
        return IVF if self._ivf is not None else FLAT

    @property
    def nlist(self) -> int:
        return int(self._ivf.nlist) if self._ivf is not None else 0

    @property
    def nprobe(self) -> int:
        return int(self._ivf.nprobe) if self._ivf is not None else 0

    @property
    def dim(self) -> int:
        return int(self._index.d)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def ids(self) -> np.ndarray:
        if self._ivf is None:
            return faiss.vector_to_array(self._index.id_map).astype(np.int64)
        return self.contents(vectors=False)[0]

    def contents(self, vectors: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
        """All (ids, vectors) held, in no particular order (for retraining or conversion)."""
        if self._ivf is None:
            ids = faiss.vector_to_array(self._index.id_map).astype(np.int64)
            flat = faiss.downcast_index(self._index.index)
            data = flat.reconstruct_n(0, len(ids)) if vectors and len(ids) else \
                np.zeros((len(ids), self.dim), np.float32) if vectors else None
            return ids, data
        invlists = self._ivf.invlists
        id_parts, vector_parts = [], []
        for number in range(self._ivf.nlist):
            size = invlists.list_size(number)
            if not size:
                continue
            id_parts.append(faiss.rev_swig_ptr(invlists.get_ids(number), size).copy())
            if vectors:
                codes = faiss.rev_swig_ptr(invlists.get_codes(number), size * invlists.code_size)
                vector_parts.append(np.frombuffer(codes.copy(), dtype=np.float32)
                                    .reshape(size, self.dim))
        ids = np.concatenate(id_parts).astype(np.int64) if id_parts else np.zeros(0, np.int64)
        if not vectors:
            return ids, None
        data = np.vstack(vector_parts) if vector_parts else np.zeros((0, self.dim), np.float32)
        return ids, data

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                                     np.ascontiguousarray(ids, dtype=np.int64))

    def remove(self, ids: Iterable[int]) -> int:
        wanted = np.fromiter(ids, dtype=np.int64)
        if not len(wanted):
            return 0
        if self._ivf is not None:
            # The hash-table direct map removes by looking each id up (IDSelectorArray only);
            # ids it does not hold are skipped.
            return int(self._index.remove_ids(faiss.IDSelectorArray(np.unique(wanted))))
        return int(self._index.remove_ids(faiss.IDSelectorBatch(wanted)))

    def reconstruct(self, chunk_id: int) -> np.ndarray:
        return self._index.reconstruct(int(chunk_id))

    def search(self, queries: np.ndarray, k: int,
               allowed_ids: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, ids) per query row; ids are -1 where fewer than k match.

        `allowed_ids` restricts the search inside FAISS (IDSelectorBatch), so a filter never
        empties a top-k that was cut before filtering.
        """
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        if len(self) == 0 or k <= 0:
            return (np.zeros((len(queries), 0), np.float32), np.zeros((len(queries), 0), np.int64))
        k = min(k, len(self))
        if allowed_ids is None:
            return self._index.search(queries, k)  # for "ivf": at the index's own nprobe
        allowed = np.ascontiguousarray(allowed_ids, dtype=np.int64)
        if not len(allowed):
            return (np.zeros((len(queries), 0), np.float32), np.zeros((len(queries), 0), np.int64))
        k = min(k, len(allowed))
        if self._ivf is None:
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed))
            return self._index.search(queries, k, params=params)
        # A filter that keeps a share f of the store: probe nprobe / f lists, so about as many
        # allowed vectors are scanned as an unfiltered query scans. A small allowed set ends up
        # probing every list: exact, at the cost of a cheap membership test per stored id.
        share = len(allowed) / max(1, len(self))
        nprobe = min(self.nlist, max(self.nprobe, math.ceil(self.nprobe / share)))
        params = faiss.SearchParametersIVF(sel=faiss.IDSelectorBatch(allowed), nprobe=nprobe)
        return self._index.search(queries, k, params=params)


def maintained(index: VectorIndex, settings: VectorSettings,
               trained_on: int) -> tuple[VectorIndex, int, str | None]:
    """The index this store should hold at its new size: (index, trained_on, what changed).

    flat -> ivf   when the store reaches `ann_threshold` chunks (trained on its vectors);
    ivf -> ivf    retrained when the store has doubled or halved since it was trained: the
                  lists were sized for the old count (a query at the same nprobe would scan
                  twice as many vectors) and their centroids fit the articles of that time;
    ivf -> flat   below half the threshold (or with the threshold off), where exact search
                  is fast enough and cheaper to keep up to date.
    """
    count = len(index)
    threshold = settings.ann_threshold
    if index.kind == FLAT:
        if threshold and count >= threshold:
            ids, vectors = index.contents()
            return (VectorIndex.build_ivf(ids, vectors, settings.ann_nprobe), count,
                    f"switched to an approximate IVF index at {count} chunks")
        return index, 0, None
    if not threshold or count < threshold // 2:
        ids, vectors = index.contents()
        flat = VectorIndex.create(index.dim)
        flat.add(ids, vectors)
        return flat, 0, f"switched back to exact search at {count} chunks"
    if trained_on <= 0 or count > 2 * trained_on or count < trained_on // 2:
        ids, vectors = index.contents()
        return (VectorIndex.build_ivf(ids, vectors, settings.ann_nprobe), count,
                f"retrained the IVF index at {count} chunks (trained at {trained_on})")
    if index.nprobe != min(settings.ann_nprobe, index.nlist):
        index._ivf.nprobe = max(1, min(settings.ann_nprobe, index.nlist))
    return index, trained_on, None
