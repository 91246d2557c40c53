"""Finding the passages that answer a question: dense + BM25, fused by reciprocal rank.

Filters (date range, sources, article ids) become an allowed-id set that both searches apply
inside the index, so a filter never leaves an empty result because the top-k was cut first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from index import Embedder, Store

from .types import Passage


@dataclass(frozen=True)
class Filters:
    """Restrictions on which articles may answer."""

    since: str | None = None  # ISO day, inclusive
    until: str | None = None  # ISO day, inclusive
    sources: tuple[str, ...] = ()
    article_ids: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.since or self.until or self.sources or self.article_ids)


class Retriever:
    """Hybrid retrieval over a store.

    `store` is a callable so the web chat can swap in a newly published version between
    questions without rebuilding the retriever.
    """

    def __init__(self, store: Callable[[], Store], embedder: Embedder, candidates: int = 50,
                 rrf_k: int = 60) -> None:
        self._store = store
        self.embedder = embedder
        self.candidates = candidates
        self.rrf_k = rrf_k

    def retrieve(self, question: str, k: int = 8, filters: Filters | None = None,
                 mode: str = "hybrid") -> list[Passage]:
        """The k best passages; mode is "hybrid", "dense" or "lexical"."""
        store = self._store()
        allowed = self._allowed(store, filters)
        if allowed is not None and not len(allowed):
            return []
        dense: list[tuple[int, float]] = []
        lexical: list[tuple[int, float]] = []
        if mode in ("hybrid", "dense"):
            dense = store.search_dense(self.embedder.encode_query(question),
                                       self.candidates, allowed)
        if mode in ("hybrid", "lexical"):
            lexical = store.search_lexical(question, self.candidates, allowed)
        fused = fuse_rankings([dense, lexical], self.rrf_k)[:k]
        return self._passages(store, fused, dict(dense), dict(lexical))

    @staticmethod
    def _allowed(store: Store, filters: Filters | None) -> np.ndarray | None:
        if filters is None or not filters.active:
            return None
        return store.chunk_ids_matching(filters.since, filters.until, list(filters.sources),
                                        list(filters.article_ids))

    @staticmethod
    def _passages(store: Store, ranked: Sequence[tuple[int, float]], dense: dict[int, float],
                  lexical: dict[int, float]) -> list[Passage]:
        chunks = {c.chunk_id: c for c in store.chunks(i for i, _ in ranked)}
        articles = store.articles(c.article_id for c in chunks.values())
        passages = []
        for chunk_id, score in ranked:
            chunk = chunks.get(chunk_id)
            if chunk is None:
                continue
            article = articles[chunk.article_id]
            passages.append(Passage(
                chunk_id=chunk_id, article_id=article.article_id, title=article.title,
                date=article.date, source=article.source, url=article.url, text=chunk.text,
                start=chunk.start, end=chunk.end, score=score, dense_score=dense.get(chunk_id),
                lexical_score=lexical.get(chunk_id)))
        return passages


def fuse_rankings(rankings: Sequence[Sequence[tuple[int, float]]], rrf_k: int = 60,
                  weights: Sequence[float] | None = None) -> list[tuple[int, float]]:
    """Reciprocal rank fusion: sum of weight / (rrf_k + rank) over the rankings."""
    scores: dict[int, float] = {}
    for position, ranking in enumerate(rankings):
        weight = weights[position] if weights else 1.0
        for rank, (item, _) in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (rrf_k + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])
