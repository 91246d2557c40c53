"""Measuring retrieval and answers on query files in the MultiHop-RAG format.

A query record has `query`, `answer`, `question_type` and `evidence_list` (each with a `fact`).
A retrieved passage is a hit for an evidence item when it contains the item's fact after white
space is normalised. Hits@k is the share of a query's evidence items found in the top k,
averaged over queries; MRR@k is the mean reciprocal rank of the first passage that is a hit.
Null queries (no evidence; gold answer "Insufficient information.") are left out of retrieval
metrics and should be abstained on.
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import NewsdeskError

NULL_TYPE = "null_query"


@dataclass(frozen=True)
class Query:
    """One evaluation question."""

    id: str
    query: str
    answer: str
    question_type: str
    facts: tuple[str, ...]

    @property
    def is_null(self) -> bool:
        return self.question_type == NULL_TYPE or not self.facts


def load_queries(path: Path | str) -> list[Query]:
    """Read a MultiHop-RAG style JSONL file, naming the line of any bad record."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise NewsdeskError(f"cannot read the query file {path}: {error}") from None
    queries = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text = str(record["query"]).strip()
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise NewsdeskError(
                f"{path}, line {number}: not a query record ({error}); each line needs a JSON "
                "object with 'query', and 'evidence_list' with 'fact's for retrieval metrics"
            ) from None
        facts = tuple(str(e.get("fact", "")) for e in record.get("evidence_list") or []
                      if isinstance(e, dict) and e.get("fact"))
        queries.append(Query(str(record.get("id", number)), text, str(record.get("answer", "")),
                             str(record.get("question_type", "")), facts))
    if not queries:
        raise NewsdeskError(f"the query file {path} holds no queries")
    return queries


def normalise(text: str) -> str:
    return " ".join(text.split())


def evidence_ranks(passages: Sequence[str], facts: Sequence[str]) -> list[int | None]:
    """For each fact, the 1-based rank of the first passage containing it, or None."""
    normalised = [normalise(p) for p in passages]
    ranks: list[int | None] = []
    for fact in facts:
        wanted = normalise(fact)
        ranks.append(next((i for i, p in enumerate(normalised, 1) if wanted in p), None))
    return ranks


@dataclass
class RetrievalScores:
    """Retrieval metrics over the non-null queries."""

    hits: dict[int, float] = field(default_factory=dict)  # k -> Hits@k
    mrr10: float = 0.0
    queries: int = 0
    latency_ms: list[float] = field(default_factory=list)

    def p(self, quantile: float) -> float:
        if not self.latency_ms:
            return 0.0
        ordered = sorted(self.latency_ms)
        return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))]


def score_retrieval(queries: Iterable[Query], retrieve: Callable[[str], list[str]],
                    ks: Sequence[int] = (4, 10),
                    on_query: Callable[[], None] | None = None) -> RetrievalScores:
    """Run `retrieve` (question -> passage texts, best first) and score it."""
    import time

    hits: dict[int, list[float]] = {k: [] for k in ks}
    reciprocal: list[float] = []
    latencies: list[float] = []
    for query in queries:
        if query.is_null:
            continue
        started = time.perf_counter()
        passages = retrieve(query.query)
        latencies.append((time.perf_counter() - started) * 1000)
        ranks = evidence_ranks(passages[:max(max(ks), 10)], query.facts)
        for k in ks:
            hits[k].append(sum(1 for r in ranks if r is not None and r <= k) / len(ranks))
        found = [r for r in ranks if r is not None and r <= 10]
        reciprocal.append(1.0 / min(found) if found else 0.0)
        if on_query:
            on_query()
    return RetrievalScores(
        hits={k: statistics.fmean(v) if v else 0.0 for k, v in hits.items()},
        mrr10=statistics.fmean(reciprocal) if reciprocal else 0.0,
        queries=len(reciprocal), latency_ms=latencies)


_WORD = re.compile(r"[a-z0-9]+")


_VERDICT_WORDS = {"yes": "yes", "true": "yes", "no": "no", "false": "no"}


def verdict_word(gold: str) -> str | None:
    """"yes" or "no" when the gold answer is a verdict, written either way ("True" is how a
    few MultiHop-RAG queries label a yes); else None."""
    return _VERDICT_WORDS.get(gold.strip().lower().rstrip("."))


def answer_matches(gold: str, text: str) -> bool:
    """True when the gold answer appears in the answer text as whole words.

    Yes/no gold answers ("True"/"False" too) match an answer that starts with that word (or
    states it alone).
    """
    gold_words = _WORD.findall(gold.lower())
    words = _WORD.findall(text.lower())
    if not gold_words:
        return False
    verdict = verdict_word(gold)
    if verdict is not None:
        return bool(words) and words[0] == verdict
    n = len(gold_words)
    return any(words[i:i + n] == gold_words for i in range(len(words) - n + 1))


_MARKER = re.compile(r"\[(\d+)\]")


def markers_in_range(answer) -> bool:
    """Every [n] in the answer text names one of its citations."""
    numbers = {c.n for c in answer.citations}
    return all(int(n) in numbers for n in _MARKER.findall(answer.text))


def quotes_verbatim(answer, article_text) -> bool:
    """Every citation's quote is exactly the article's text at the citation's span.

    `article_text(article_id)` returns the stored text of an article (or None).
    """
    for citation in answer.citations:
        text = article_text(citation.article_id)
        start, end = citation.span
        if text is None or text[start:end] != citation.quote:
            return False
    return True
