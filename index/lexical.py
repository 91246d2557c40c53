"""The lexical half of the store: BM25 over chunk texts with bm25s.

bm25s keeps precomputed scores in a sparse matrix that depends on the whole corpus (IDF, mean
length), so it is rebuilt on each update. What makes that cheap is that every chunk's tokens are
kept in SQLite: a rebuild re-indexes stored tokens and never re-tokenizes old text.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

_STEMMER = Stemmer.Stemmer("english")
_IDS_FILE = "row_ids.npy"


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """Lower-cased, stop-word-free, stemmed tokens; the same for chunks and queries."""
    if not texts:
        return []
    return bm25s.tokenize(list(texts), stopwords="en", stemmer=_STEMMER, return_ids=False,
                          show_progress=False)


class LexicalIndex:
    """BM25 scores for chunk ids."""

    def __init__(self, model: bm25s.BM25 | None, row_ids: np.ndarray) -> None:
        self._model = model
        self._row_ids = row_ids

    @classmethod
    def build(cls, ids: Sequence[int], token_lists: Sequence[Sequence[str]]) -> LexicalIndex:
        row_ids = np.asarray(ids, dtype=np.int64)
        if not len(row_ids):
            return cls(None, row_ids)
        model = bm25s.BM25()
        # bm25s cannot index an empty document; a placeholder keeps rows aligned with ids.
        docs = [list(tokens) if tokens else ["\u2400"] for tokens in token_lists]
        model.index(docs, show_progress=False)
        return cls(model, row_ids)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        row_ids = np.load(folder / _IDS_FILE, allow_pickle=False)
        if not len(row_ids):
            return cls(None, row_ids)
        # bm25s stores numpy arrays and JSON; loading never unpickles.
        return cls(bm25s.BM25.load(str(folder), mmap=False, allow_pickle=False), row_ids)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.save(folder / _IDS_FILE, self._row_ids, allow_pickle=False)
        if self._model is not None:
            self._model.save(str(folder), show_progress=False)
        else:
            (folder / "empty.json").write_text(json.dumps({"empty": True}))
        for file in folder.iterdir():
            with open(file, "rb+") as handle:
                os.fsync(handle.fileno())

    def __len__(self) -> int:
        return len(self._row_ids)

    def search(self, query: str, k: int,
               allowed_ids: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-k (chunk id, BM25 score) with a positive score, optionally only allowed ids."""
        if self._model is None or k <= 0:
            return []
        tokens = [t for t in tokenize([query])[0] if t in self._model.vocab_dict]
        if not tokens:
            return []
        scores = self._model.get_scores(tokens)
        if allowed_ids is not None:
            scores = np.where(np.isin(self._row_ids, allowed_ids), scores, 0.0)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self._row_ids[i]), float(scores[i])) for i in top if scores[i] > 0]

    def idf(self, tokens: Sequence[str]) -> dict[str, float]:
        """Inverse document frequency of each token (unknown tokens get the rarest weight)."""
        if self._model is None:
            return {token: 1.0 for token in tokens}
        docs = int(self._model.scores["num_docs"])
        indptr = self._model.scores["indptr"]
        vocab = self._model.vocab_dict
        weights = {}
        for token in tokens:
            position = vocab.get(token)
            frequency = 0 if position is None else int(indptr[position + 1] - indptr[position])
            weights[token] = float(np.log(1 + (docs - frequency + 0.5) / (frequency + 0.5)))
        return weights
