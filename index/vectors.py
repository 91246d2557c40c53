"""The dense half of the store: a FAISS index keyed by our own chunk ids.

llama-index's FAISS stores cannot delete (or reuse ids after a delete), so we keep an
`IndexIDMap2` over an exact inner-product index: our int64 chunk ids go in, the same ids come
out, and `remove_ids` deletes exactly one article's chunks.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import faiss
import numpy as np


class VectorIndex:
    """Unit vectors searchable by inner product, addressed by chunk id."""

    def __init__(self, index: faiss.Index) -> None:
        self._index = index

    @classmethod
    def create(cls, dim: int) -> VectorIndex:
        return cls(faiss.IndexIDMap2(faiss.IndexFlatIP(dim)))

    @classmethod
    def load(cls, path: Path) -> VectorIndex:
        # faiss.read_index parses FAISS's own binary format; nothing is unpickled.
        return cls(faiss.read_index(str(path)))

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))
        with open(path, "rb+") as handle:
            os.fsync(handle.fileno())

    @property
    def dim(self) -> int:
        return int(self._index.d)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def ids(self) -> np.ndarray:
        return faiss.vector_to_array(faiss.downcast_index(self._index).id_map).astype(np.int64)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                                     np.ascontiguousarray(ids, dtype=np.int64))

    def remove(self, ids: Iterable[int]) -> int:
        wanted = np.fromiter(ids, dtype=np.int64)
        if not len(wanted):
            return 0
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
            return self._index.search(queries, k)
        allowed = np.ascontiguousarray(allowed_ids, dtype=np.int64)
        if not len(allowed):
            return (np.zeros((len(queries), 0), np.float32), np.zeros((len(queries), 0), np.int64))
        params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed))
        return self._index.search(queries, min(k, len(allowed)), params=params)
