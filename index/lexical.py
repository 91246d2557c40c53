"""The lexical half of the store: BM25 over chunk texts, searched with bm25s.

bm25s keeps precomputed scores in a sparse matrix that depends on the whole corpus (IDF, mean
length), so every update needs new scores for every chunk. bm25s computes them in Python loops
over every token (minutes at a million chunks, bench/scale_bench.py), so the store also keeps
each chunk's term counts (a sparse chunks x terms matrix) beside the bm25s files. An update
drops the rows of removed chunks, appends rows for new ones (only their tokens are counted) and
recomputes the scores from the counts with array operations: the same scores bm25s computes
("lucene" BM25, k1 1.5, b 0.75), in seconds at a million chunks. A store written before the
counts were kept (or a damaged one) is rebuilt from the tokens kept in SQLite once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import bm25s
import numpy as np
import scipy.sparse as sp
import Stemmer

_STEMMER = Stemmer.Stemmer("english")
_IDS_FILE = "row_ids.npy"
_COUNTS_FILES = ("counts_indptr.npy", "counts_terms.npy", "counts_tf.npy", "counts_len.npy")
_TERMS_FILE = "counts_vocabulary.json"
_EMPTY = "\u2400"  # stands in for a chunk without tokens (bm25s cannot index an empty one)
K1, B = 1.5, 0.75  # bm25s's defaults, which every store so far was built with


# bm25s's own pattern (words of two characters or more) and, before it, a score or a range
# written with a hyphen: "the 2-0 win over Fulham" names the match, and its 2 and 0 alone are
# one character each, which the pattern drops.
_TOKEN_PATTERN = r"(?u)\b\d+-\d+\b|\b\w\w+\b"


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """Lower-cased, stop-word-free, stemmed tokens; the same for chunks and queries."""
    if not texts:
        return []
    return bm25s.tokenize(list(texts), stopwords="en", stemmer=_STEMMER, return_ids=False,
                          show_progress=False, token_pattern=_TOKEN_PATTERN)


class TermCounts:
    """Term counts of the indexed chunks: CSR rows in chunk order (indptr, terms, tf), each
    chunk's length in tokens, and the vocabulary (term id -> token)."""

    def __init__(self, indptr: np.ndarray, terms: np.ndarray, tf: np.ndarray,
                 lengths: np.ndarray, vocabulary: list[str]) -> None:
        self.indptr = indptr
        self.terms = terms
        self.tf = tf
        self.lengths = lengths
        self.vocabulary = vocabulary

    @classmethod
    def count(cls, token_lists: Iterable[Sequence[str]],
              vocabulary: list[str] | None = None) -> TermCounts:
        """Count tokens per chunk, extending `vocabulary` (copied) with new tokens."""
        vocabulary = list(vocabulary or [])
        position = {token: i for i, token in enumerate(vocabulary)}
        indptr, terms, tf, lengths = [0], [], [], []
        for tokens in token_lists:
            tokens = list(tokens) or [_EMPTY]
            counted: dict[int, int] = {}
            for token in tokens:
                term = position.get(token)
                if term is None:
                    term = position[token] = len(vocabulary)
                    vocabulary.append(token)
                counted[term] = counted.get(term, 0) + 1
            ordered = sorted(counted)
            terms.extend(ordered)
            tf.extend(counted[t] for t in ordered)
            indptr.append(len(terms))
            lengths.append(len(tokens))
        return cls(np.asarray(indptr, np.int64), np.asarray(terms, np.int32),
                   np.asarray(tf, np.int32), np.asarray(lengths, np.int32), vocabulary)

    def without_rows(self, drop: np.ndarray) -> TermCounts:
        """These counts less the rows where `drop` is true."""
        sizes = np.diff(self.indptr)
        keep_entries = np.repeat(~drop, sizes)
        indptr = np.concatenate([[0], np.cumsum(sizes[~drop])]).astype(np.int64)
        return TermCounts(indptr, self.terms[keep_entries], self.tf[keep_entries],
                          self.lengths[~drop], self.vocabulary)

    def plus(self, other: TermCounts) -> TermCounts:
        """These rows, then `other`'s (whose vocabulary extends this one's)."""
        return TermCounts(np.concatenate([self.indptr, other.indptr[1:] + self.indptr[-1]]),
                          np.concatenate([self.terms, other.terms]),
                          np.concatenate([self.tf, other.tf]),
                          np.concatenate([self.lengths, other.lengths]), other.vocabulary)

    def compacted(self) -> TermCounts:
        """Terms no chunk uses any more are dropped from the vocabulary."""
        used = np.bincount(self.terms, minlength=len(self.vocabulary)) > 0
        if used.all():
            return self
        renumber = (np.cumsum(used) - 1).astype(np.int32)
        vocabulary = [token for token, keep in zip(self.vocabulary, used.tolist(), strict=True)
                      if keep]
        return TermCounts(self.indptr, renumber[self.terms], self.tf, self.lengths, vocabulary)

    def bm25(self) -> bm25s.BM25:
        """A bm25s model with the scores bm25s itself computes for these chunks."""
        docs, terms = len(self.lengths), len(self.vocabulary)
        frequency = np.bincount(self.terms, minlength=terms)
        idf = np.zeros(terms, dtype=np.float32)
        present = frequency > 0
        idf[present] = np.log(1 + (docs - frequency[present] + 0.5) /
                              (frequency[present] + 0.5))
        rows = np.repeat(np.arange(docs), np.diff(self.indptr))
        average = self.lengths.mean(dtype=np.float64)
        tf = self.tf.astype(np.float32)
        tfc = tf / (K1 * ((1 - B) + B * self.lengths[rows] / average) + tf)
        data = (idf[self.terms] * tfc).astype(np.float32)
        # CSR (chunks x terms) to CSC: scipy's linear-time conversion.
        matrix = sp.csr_matrix((data, self.terms, self.indptr), shape=(docs, terms)).tocsc()
        model = bm25s.BM25(k1=K1, b=B)
        model.scores = {"data": matrix.data.astype(np.float32),
                        "indices": matrix.indices.astype(np.int32),
                        "indptr": matrix.indptr.astype(np.int64), "num_docs": docs}
        model.vocab_dict = {token: i for i, token in enumerate(self.vocabulary)}
        model.vocab_dict.setdefault("", terms)  # as bm25s.index adds it
        model.unique_token_ids_set = set(model.vocab_dict.values())
        model.nonoccurrence_array = None  # "lucene" BM25 has none
        return model

    def save(self, folder: Path) -> None:
        arrays = (self.indptr, self.terms, self.tf, self.lengths)
        for name, array in zip(_COUNTS_FILES, arrays, strict=True):
            np.save(folder / name, array, allow_pickle=False)
        (folder / _TERMS_FILE).write_text(json.dumps(self.vocabulary, ensure_ascii=False),
                                          encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> TermCounts | None:
        """The counts kept in a lexical folder; None when it has none (an older store)."""
        if not all((folder / name).exists() for name in (*_COUNTS_FILES, _TERMS_FILE)):
            return None
        arrays = [np.load(folder / name, allow_pickle=False) for name in _COUNTS_FILES]
        vocabulary = json.loads((folder / _TERMS_FILE).read_text(encoding="utf-8"))
        return cls(*arrays, vocabulary)


class LexicalIndex:
    """BM25 scores for chunk ids."""

    def __init__(self, model: bm25s.BM25 | None, row_ids: np.ndarray,
                 counts: TermCounts | None = None) -> None:
        self._model = model
        self._row_ids = row_ids
        self._counts = counts

    @classmethod
    def build(cls, ids: Sequence[int], token_lists: Sequence[Sequence[str]]) -> LexicalIndex:
        """From scratch: every chunk's tokens counted."""
        row_ids = np.asarray(ids, dtype=np.int64)
        if not len(row_ids):
            return cls(None, row_ids)
        counts = TermCounts.count(token_lists)
        return cls(counts.bm25(), row_ids, counts)

    @staticmethod
    def load_counts(folder: Path) -> tuple[np.ndarray, TermCounts] | None:
        """(row ids, term counts) of a saved index, without its scores; None if it kept no
        counts (then the caller rebuilds from the tokens in SQLite)."""
        try:
            row_ids = np.load(folder / _IDS_FILE, allow_pickle=False)
            counts = TermCounts.load(folder) if len(row_ids) else None
        except (OSError, ValueError):
            return None
        if counts is None or len(counts.lengths) != len(row_ids):
            return None
        return row_ids, counts

    @classmethod
    def updated(cls, row_ids: np.ndarray, counts: TermCounts, removed: Iterable[int],
                added_ids: Sequence[int],
                added_tokens: Sequence[Sequence[str]]) -> LexicalIndex:
        """The index after an update, from the previous one's counts: removed chunks' rows
        dropped, added chunks (ids larger than every old one) appended, scores recomputed."""
        drop = np.isin(row_ids, np.fromiter(removed, dtype=np.int64))
        added_ids = np.asarray(added_ids, dtype=np.int64)
        counts = counts.without_rows(drop).plus(
            TermCounts.count(added_tokens, counts.vocabulary)).compacted()
        row_ids = np.concatenate([row_ids[~drop], added_ids])
        if not len(row_ids):
            return cls(None, row_ids)
        return cls(counts.bm25(), row_ids, counts)

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
            if self._counts is not None:
                self._counts.save(folder)
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

    def document_frequency(self, tokens: Sequence[str]) -> dict[str, int]:
        """How many chunks contain each token (0: the store has never seen it)."""
        if self._model is None:
            return {token: 0 for token in tokens}
        indptr = self._model.scores["indptr"]
        vocab = self._model.vocab_dict
        counts = {}
        for token in tokens:
            position = vocab.get(token)
            counts[token] = 0 if position is None else int(indptr[position + 1] - indptr[position])
        return counts

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
