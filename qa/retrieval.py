"""Finding the passages that answer a question: dense + BM25, fused by reciprocal rank.

Filters (date range, sources, article ids) become an allowed-id set that both searches apply
inside the index, so a filter never leaves an empty result because the top-k was cut first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from index import Embedder, Store

from .policy import RetrievalPolicy
from .query import (
    SubQuery,
    find_source_mentions,
    search_text,
    source_aliases,
    split_by_mentions,
    split_clauses,
)
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

    def __init__(self, store: Callable[[], Store], embedder: Embedder,
                 policy: RetrievalPolicy | None = None) -> None:
        self._store = store
        self.embedder = embedder
        self.policy = policy = policy or RetrievalPolicy()
        self.candidates = policy.candidates
        self.rrf_k = policy.rrf_k
        self.dense_weight = policy.dense_weight
        self.lexical_weight = policy.lexical_weight
        self.part_weight = policy.part_weight
        self.unnamed_weight = policy.unnamed_weight
        self.part_slots = policy.part_slots
        self.clause_slots = policy.clause_slots
        self.hub_neighbours = policy.hub_neighbours
        self.hub_penalty = policy.hub_penalty

    def retrieve(self, question: str, k: int = 8, filters: Filters | None = None,
                 mode: str = "hybrid") -> list[Passage]:
        """The k best passages; mode is "hybrid", "dense" or "lexical".

        In hybrid mode a question that names outlets of the store is also searched part by
        part, each part within the outlet it names (see query.py), and all rankings fused; a
        question that joins several facts is also searched clause by clause. Each part's and
        clause's best passage is kept among the k and put first.
        """
        store = self._store()
        allowed = self._allowed(store, filters)
        if allowed is not None and not len(allowed):
            return []
        scoped_parts = self._scoped_parts(store, question, allowed) if mode == "hybrid" else []
        clauses = split_clauses(question) if mode == "hybrid" and self.clause_slots else []
        # One embedding call for the question, its parts and its clauses: a batch of a few
        # short texts costs about what one does.
        texts = [question] + [part.text for part, _ in scoped_parts] + clauses
        vectors = self._query_vectors(texts) if mode in ("hybrid", "dense") \
            else [None] * len(texts)
        rankings, weights, dense, lexical = self._search(store, question, allowed, mode,
                                                         vectors[0])
        if mode == "hybrid":
            part_vectors = vectors[1:1 + len(scoped_parts)]
            parts = [self._part_ranking(store, part, scope, vector)
                     for (part, scope), vector in zip(scoped_parts, part_vectors, strict=True)]
            if parts:
                # The question names outlets: what it asks about was reported there.
                weights = [w * self.unnamed_weight for w in weights]
            for ranking in parts:
                rankings.append(ranking)
                weights.append(self.part_weight)
            # A clause is looked for where the question says it was reported: in the outlets
            # it names, all together, since a list of outlets rarely says which said what.
            clause_scope = self._named_scope(scoped_parts, allowed)
            clause_rankings = [self._part_ranking(store, SubQuery(text, (), ()), clause_scope,
                                                  vector)
                               for text, vector in zip(clauses,
                                                       vectors[1 + len(scoped_parts):],
                                                       strict=True)]
        fused = fuse_rankings(rankings, self.rrf_k, weights)
        copies = _copies(store, fused[:3 * k])
        fused = _without(fused, copies)
        if mode == "hybrid":
            # Clause rankings only keep their best passage among the results: fused in, they
            # blurred the whole question's ranking (Hits@4 0.80 -> 0.74 on MultiHop-RAG dev).
            fused = keep_best_of_each(
                fused, [(_without(r, copies), self.part_slots) for r in parts]
                + [(_without(r, copies), self.clause_slots) for r in clause_rankings], k)
        return self._passages(store, fused[:k], dense, lexical)

    # Fusion weights come from RetrievalPolicy (qa/policy.py): BM25 is the stronger retriever
    # on news questions, so dense counts half; when the question names outlets, whole-question
    # rankings count a quarter beside the per-outlet ones, and each outlet's best two passages
    # are always kept.
    part_sides = "both"
    strip_framing = "dense"  # drop "Does the article suggest..." words from: dense/lexical/both

    def _query_vectors(self, texts: list[str]) -> np.ndarray:
        if self.strip_framing in ("dense", "both"):
            texts = [search_text(text) for text in texts]
        return self.embedder.encode(texts)

    def _search(self, store: Store, text: str, allowed: np.ndarray | None, mode: str,
                vector: np.ndarray | None = None):
        rankings: list[list[tuple[int, float]]] = []
        weights: list[float] = []
        dense: list[tuple[int, float]] = []
        lexical: list[tuple[int, float]] = []
        if mode in ("hybrid", "dense"):
            if vector is None:
                vector = self._query_vectors([text])[0]
            dense = self._dense_ranking(store, vector, allowed)
            rankings.append(dense)
            weights.append(self.dense_weight)
        if mode in ("hybrid", "lexical"):
            lexical_text = search_text(text) if self.strip_framing in ("lexical", "both") else text
            lexical = store.search_lexical(lexical_text, self.candidates, allowed)
            rankings.append(lexical)
            weights.append(self.lexical_weight)
        return rankings, weights, dict(dense), dict(lexical)

    def _dense_ranking(self, store: Store, vector: np.ndarray, allowed: np.ndarray | None
                       ) -> list[tuple[int, float]]:
        """The `candidates` nearest chunks, ordered by cosine less `hub_penalty` times how
        close each sits to its own nearest chunks (CSLS; see RetrievalPolicy).

        Why: a roundup ("Sam Altman backs teens' startup, Google unveils new hardware ...")
        or a boilerplate paragraph is near every question on any of its topics and took top
        places from the one article a question is about (MultiHop-RAG dev MRR@10 0.944 ->
        0.953, Hits@4 0.832 -> 0.838, both halves). The pairs keep their plain cosine: what
        reads dense scores later (evidence, abstention) reads similarity, not this order.
        """
        if not self.hub_penalty:
            return store.search_dense(vector, self.candidates, allowed)
        pool = store.search_dense(vector, 2 * self.candidates, allowed)
        crowding = store.crowding([chunk for chunk, _ in pool], self.hub_neighbours)
        pool.sort(key=lambda pair: -(pair[1] - self.hub_penalty * crowding[pair[0]]))
        return pool[:self.candidates]

    def _scoped_parts(self, store: Store, question: str, allowed: np.ndarray | None
                      ) -> list[tuple[SubQuery, np.ndarray | None]]:
        """The parts of a question that name outlets of the store, each with the chunk ids of
        its outlets (within the filters); parts whose outlets hold nothing allowed are left
        out."""
        mentions = find_source_mentions(question, self._aliases(store))
        scoped = []
        for part in split_by_mentions(question, mentions, self.part_sides):
            scope = store.chunk_ids_matching(sources=list(part.sources))
            if allowed is not None and scope is not None:
                scope = np.intersect1d(scope, allowed)
            if scope is not None and not len(scope):
                continue
            scoped.append((part, scope))
        return scoped

    @staticmethod
    def _named_scope(scoped_parts: Sequence[tuple[SubQuery, np.ndarray | None]],
                     allowed: np.ndarray | None) -> np.ndarray | None:
        """The chunks of every outlet the question names (within the filters), or `allowed`
        when it names none."""
        scopes = [scope for _, scope in scoped_parts if scope is not None]
        if not scopes:
            return allowed
        return np.unique(np.concatenate(scopes))

    def _part_ranking(self, store: Store, part: SubQuery, scope: np.ndarray | None,
                      vector: np.ndarray) -> list[tuple[int, float]]:
        """One outlet's ranking for its part of the question, searched only in that outlet,
        with passages from a day the part mentions first."""
        ranked, _, _, _ = self._search(store, part.text, scope, "hybrid", vector)
        fused = fuse_rankings(ranked, self.rrf_k, [self.dense_weight, self.lexical_weight])
        if part.days:
            days = {d.isoformat() for d in part.days}
            on_day = self._chunks_on_days(store, [i for i, _ in fused], days)
            fused = sorted(fused, key=lambda pair: pair[0] not in on_day)
        return fused[:self.candidates]

    @staticmethod
    def _chunks_on_days(store: Store, chunk_ids: list[int], days: set[str]) -> set[int]:
        chunks = store.chunks(chunk_ids)
        articles = store.articles(c.article_id for c in chunks)
        return {c.chunk_id for c in chunks if articles[c.article_id].date in days}

    def article_texts(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Each article's whole text, its chunks joined in order (overlaps repeat)."""
        store = self._store()
        texts: dict[str, str] = {}
        for article_id in dict.fromkeys(article_ids):
            chunks = sorted(store.chunks(store.chunk_ids_of(article_id)), key=lambda c: c.start)
            texts[article_id] = " ".join(c.text for c in chunks)
        return texts

    def whole_article(self, passages: Sequence[Passage]) -> list[Passage]:
        """The story's passages first, then the others, then the story's other chunks in
        article order: a summary or a list reads the whole story, not only the chunks that
        matched. The story is the article the passages found return to most (reciprocal rank
        summed over its passages, `story_rrf_k` added to each rank): one preview that matches
        the question's words best is not the match report whose passages come second and
        fourth, yet two passages of another story far down (fifth, eighth) do not outweigh the
        story ranked first, as they would with the fusion constant."""
        if not passages:
            return list(passages)
        store = self._store()
        weight: dict[str, float] = {}
        for rank, passage in enumerate(passages, start=1):
            weight[passage.article_id] = weight.get(passage.article_id, 0.0) + 1 / (
                self.policy.story_rrf_k + rank)
        top = max(weight, key=lambda article: (weight[article], -next(
            i for i, p in enumerate(passages) if p.article_id == article)))
        have = {p.chunk_id for p in passages}
        extra = [(i, 0.0) for i in store.chunk_ids_of(top) if i not in have]
        more = self._passages(store, extra, {}, {})
        story = [p for p in passages if p.article_id == top]
        return story + [p for p in passages if p.article_id != top] + sorted(
            more, key=lambda p: p.start)

    def source_aliases(self) -> dict[str, set[str]]:
        """Names a question may use for the live store's sources (see query.py)."""
        return self._aliases(self._store())

    def _aliases(self, store: Store) -> dict[str, set[str]]:
        cached = getattr(self, "_alias_cache", None)
        if cached is None or cached[0] is not store:
            cached = (store, source_aliases(store.sources()))
            self._alias_cache = cached
        return cached[1]

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


def _without(ranking: Sequence[tuple[int, float]], left_out: set[int]
             ) -> list[tuple[int, float]]:
    return [pair for pair in ranking if pair[0] not in left_out]


def _copies(store: Store, ranked: Sequence[tuple[int, float]]) -> set[int]:
    """Passages whose text an earlier one already has: a story filed twice (syndicated, or
    saved under two names) would otherwise take two of the k places with one passage."""
    seen: set[str] = set()
    copies = set()
    for chunk in store.chunks(i for i, _ in ranked):
        text = " ".join(chunk.text.split())
        if text in seen:
            copies.add(chunk.chunk_id)
        seen.add(text)
    return copies


def keep_best_of_each(fused: Sequence[tuple[int, float]],
                      parts: Sequence[tuple[Sequence[tuple[int, float]], int]],
                      k: int) -> list[tuple[int, float]]:
    """The top k of `fused`, but with the best `slots` results of every (ranking, slots)
    part among them, and each part's very best first.

    A question about three reports needs all three in the answer's evidence; plain fusion
    lets passages that match the whole question crowd out the one report that matches only
    its own part.
    """
    guaranteed: list[int] = []
    for depth in range(max((slots for _, slots in parts), default=0)):
        for ranking, slots in parts:
            if depth < min(slots, len(ranking)) and ranking[depth][0] not in guaranteed:
                guaranteed.append(ranking[depth][0])
    guaranteed_set = set(guaranteed[:k])
    room = k - len(guaranteed_set)
    chosen = []
    for item, score in fused:
        if item in guaranteed_set:
            chosen.append((item, score))
        elif room > 0:
            chosen.append((item, score))
            room -= 1
    # Each part's best passage leads, so an answer that reads the top few passages sees every
    # report the question names.
    leaders = {ranking[0][0] for ranking, slots in parts if slots and ranking}
    chosen = ([pair for pair in chosen if pair[0] in leaders]
              + [pair for pair in chosen if pair[0] not in leaders])
    return chosen[:k]
