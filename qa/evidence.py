"""Evidence first: the sentences of the retrieved passages that best answer the question.

Each sentence keeps its exact character span in its article, so whatever cites it can quote
and highlight it verbatim. Sentences are scored by meaning (embedding similarity to the
question) and by words (how much of the question's telling vocabulary they contain).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from index import Embedder, lexical_tokens, split_sentences

from .injection import addressed_to_the_model
from .query import QUESTION_WORDS, question_names
from .types import Passage


@dataclass(frozen=True)
class Evidence:
    """One candidate sentence: verbatim text, its span in the article, and its scores."""

    passage: Passage
    text: str
    start: int  # in the article's text
    end: int
    score: float
    dense: float
    lexical: float
    rank: int  # the rank of its passage in retrieval, 0-based
    vector: np.ndarray = field(compare=False, repr=False)

    @property
    def tokens(self) -> set[str]:
        return set(lexical_tokens([self.text])[0])


@dataclass(frozen=True)
class QuestionTerms:
    """The question's lexical tokens and how telling each is in this store."""

    tokens: tuple[str, ...]
    weights: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.weights[t] for t in set(self.tokens)) or 1.0

    def coverage(self, present: set[str]) -> float:
        """IDF-weighted share of the question's tokens found in `present`."""
        return sum(self.weights[t] for t in set(self.tokens) if t in present) / self.total


_QUESTION_STEMS: frozenset[str] | None = None


def _question_stems() -> frozenset[str]:
    """Stems of the words that shape a question ("what did ... say about") rather than say
    what it is about; they must not count as evidence."""
    global _QUESTION_STEMS
    if _QUESTION_STEMS is None:
        words = sorted(QUESTION_WORDS | {"about", "say", "says", "tell", "know", "happen",
                                         "happened", "happens"})
        _QUESTION_STEMS = frozenset(t for tokens in lexical_tokens(words) for t in tokens)
    return _QUESTION_STEMS


def question_terms(question: str, weights_of) -> QuestionTerms:
    """The question's telling tokens, weighted by how rare they are in the store."""
    tokens = tuple(t for t in lexical_tokens([question])[0] if t not in _question_stems())
    return QuestionTerms(tokens, weights_of(list(set(tokens))) if tokens else {})


def passage_header(passage: Passage) -> str:
    return " ".join(part for part in (passage.title, passage.source, passage.date) if part)


def split_passages(passages: Sequence[Passage], limit: int = 6
                   ) -> list[tuple[Passage, int, int, str]]:
    """(passage, article start, article end, text) for each sentence of the top passages,
    without repeating a sentence that two overlapping chunks share, and without sentences
    that address an AI model instead of reporting something (qa.injection)."""
    seen: set[tuple[str, int]] = set()
    sentences = []
    for passage in passages[:limit]:
        for span in split_sentences(passage.text):
            start, end = passage.start + span.start, passage.start + span.end
            if (passage.article_id, start) in seen:
                continue
            seen.add((passage.article_id, start))
            text = passage.text[span.start:span.end]
            if addressed_to_the_model(text):
                continue
            sentences.append((passage, start, end, text))
    return sentences


def select_evidence(question: str, passages: Sequence[Passage], embedder: Embedder,
                    terms: QuestionTerms, question_vector: np.ndarray | None = None,
                    passages_used: int = 6) -> list[Evidence]:
    """All sentences of the top passages, best first."""
    sentences = split_passages(passages, passages_used)
    if not sentences:
        return []
    texts = [text for _, _, _, text in sentences]
    if question_vector is None:  # one embedding call for the question and its sentences
        vectors = embedder.encode([question, *texts])
        question_vector, vectors = vectors[0], vectors[1:]
    else:
        vectors = embedder.encode(texts)
    dense = vectors @ question_vector
    rank_of = {p.chunk_id: i for i, p in enumerate(passages)}
    header_tokens = {p.chunk_id: set(lexical_tokens([passage_header(p)])[0])
                     for p in passages[:passages_used]}
    article_tokens: dict[str, set[str]] = {}
    for passage in passages[:passages_used]:
        article_tokens.setdefault(passage.article_id, set()).update(
            lexical_tokens([passage.text])[0])
    names = [set(lexical_tokens([name])[0]) for name in question_names(question)]
    token_lists = lexical_tokens([text for _, _, _, text in sentences])
    evidence = []
    for (passage, start, end, text), tokens, similarity, vector in zip(
            sentences, token_lists, dense, vectors, strict=True):
        tokens = _with_name_references(set(tokens), names, article_tokens[passage.article_id])
        own = terms.coverage(tokens)
        with_header = terms.coverage(tokens | header_tokens[passage.chunk_id])
        lexical = 0.75 * own + 0.25 * with_header
        rank = rank_of[passage.chunk_id]
        score = 0.55 * float(similarity) + 0.45 * lexical + 0.05 / (1 + rank)
        evidence.append(Evidence(passage, text, start, end, score, float(similarity), lexical,
                                 rank, vector))
    evidence.sort(key=lambda e: -e.score)
    return evidence


def _with_name_references(tokens: set[str], names: list[set[str]],
                          article: set[str]) -> set[str]:
    """Count a sentence that says "Premier Li" as mentioning "Li Qiang" when its article
    names him in full: news writing gives a full name once and a short form after."""
    for name in names:
        if len(name) > 1 and tokens & name and name <= article:
            tokens = tokens | name
    return tokens


def diverse_top(evidence: Sequence[Evidence], limit: int,
                per_article: int = 2) -> list[Evidence]:
    """The best `limit` sentences, at most `per_article` from one article, so a question
    about several articles sees all of them."""
    chosen: list[Evidence] = []
    counts: dict[str, int] = {}
    for item in evidence:
        if counts.get(item.passage.article_id, 0) >= per_article:
            continue
        chosen.append(item)
        counts[item.passage.article_id] = counts.get(item.passage.article_id, 0) + 1
        if len(chosen) == limit:
            break
    return chosen
