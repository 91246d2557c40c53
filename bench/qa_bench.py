"""Answering benchmark: retrieval quality, answer accuracy, abstention, citations and latency.

One store holds the BBC articles, the MultiHop-RAG evidence corpus and the seed article; the
MultiHop-RAG dev queries are asked of it. Machines here are shared and noisy, so retrieval is
compared with a baseline measured in the same run, query by query in turn with our retrievers
(so load drift hits all of them alike): llama-index's plain `VectorStoreIndex` (default
`SentenceSplitter` chunking, 1024 tokens; in-memory `SimpleVectorStore`) over the same articles
with the same MiniLM model.

    python bench/qa_bench.py --store /work/evalstores/full     # reuse a built store
    python bench/qa_bench.py                          # builds bench/results/store (~10 min)
    python bench/qa_bench.py --limit 20 --skip-generate        # a quick check

A hit is counted as in ../shared/data/README.md: a retrieved passage contains the evidence
fact after white space is normalised (qa.evaluation.evidence_ranks).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from natural import (  # noqa: E402
    NATURAL,
    NATURAL_EIGHTEENTH,
    NATURAL_EIGHTH,
    NATURAL_ELEVENTH,
    NATURAL_FIFTEENTH,
    NATURAL_FIFTH,
    NATURAL_FOURTEENTH,
    NATURAL_FOURTH,
    NATURAL_NINETEENTH,
    NATURAL_NINTH,
    NATURAL_SECOND,
    NATURAL_SEVENTEENTH,
    NATURAL_SEVENTH,
    NATURAL_SIXTEENTH,
    NATURAL_SIXTH,
    NATURAL_TENTH,
    NATURAL_THIRD,
    NATURAL_THIRTEENTH,
    NATURAL_TWELFTH,
    NATURAL_TWENTIETH,
    NATURAL_TWENTY_FIRST,
    load_natural,
    run_natural,
)
from rich.console import Console  # noqa: E402
from rich.markup import escape  # noqa: E402
from rich.table import Table  # noqa: E402
from shared_data import DATA  # noqa: E402

from index import Embedder, open_store, read_paths, update_store  # noqa: E402
from qa.assistant import Assistant  # noqa: E402
from qa.config import load_settings, make_embedder  # noqa: E402
from qa.evaluation import (  # noqa: E402
    Query,
    answer_matches,
    evidence_ranks,
    load_queries,
    markers_in_range,
    quotes_verbatim,
    verdict_word,
)
from qa.query import find_source_mentions  # noqa: E402
from qa.types import Answer  # noqa: E402

INPUTS = [DATA / "bbc-news" / "articles.jsonl",
          DATA / "multihop-rag" / "evidence_corpus.jsonl",
          REPO / "corpus"]
DEFAULT_QUERIES = DATA / "multihop-rag" / "dev_queries.jsonl"
DEFAULT_STORE = REPO / "bench" / "results" / "store"
DEFAULT_OUT = REPO / "bench" / "results" / "qa_bench.json"

K = 10
RETRIEVERS = {"dense": "dense only", "lexical": "BM25 only", "hybrid": "fused (product)"}
BASELINE = "llama-index"
ANSWER_MODES = ("extractive", "generate")
NATURAL_SETS = (("natural", NATURAL), ("natural_second", NATURAL_SECOND),
                ("natural_third", NATURAL_THIRD), ("natural_fourth", NATURAL_FOURTH),
                ("natural_fifth", NATURAL_FIFTH), ("natural_sixth", NATURAL_SIXTH),
                ("natural_seventh", NATURAL_SEVENTH), ("natural_eighth", NATURAL_EIGHTH),
                ("natural_ninth", NATURAL_NINTH), ("natural_tenth", NATURAL_TENTH),
                ("natural_eleventh", NATURAL_ELEVENTH), ("natural_twelfth", NATURAL_TWELFTH),
                ("natural_thirteenth", NATURAL_THIRTEENTH),
                ("natural_fourteenth", NATURAL_FOURTEENTH),
                ("natural_fifteenth", NATURAL_FIFTEENTH),
                ("natural_sixteenth", NATURAL_SIXTEENTH),
                ("natural_seventeenth", NATURAL_SEVENTEENTH),
                ("natural_eighteenth", NATURAL_EIGHTEENTH),
                ("natural_nineteenth", NATURAL_NINETEENTH),
                ("natural_twentieth", NATURAL_TWENTIETH),
                ("natural_twenty_first", NATURAL_TWENTY_FIRST))

TARGETS = {  # name -> (goal, what it measures)
    "fused_hits@10": (0.95, "fused retrieval Hits@10"),
    "fused_mrr@10": (0.95, "fused retrieval MRR@10"),
    "fused_hits@4": (0.90, "fused retrieval Hits@4"),
    "null_abstention": (0.90, "null queries abstained on (each mode)"),
    "markers_in_range": (1.0, "answers whose every [n] is in range (each mode)"),
    "quotes_verbatim": (1.0, "answers whose every quote is verbatim at its span (each mode)"),
    "type_accuracy": (0.60, "accuracy in each question type (each mode)"),
    "verdict_yes": (0.60, "verdict questions whose answer is Yes, answered Yes (each mode)"),
    "verdict_no": (0.60, "verdict questions whose answer is No, answered No (each mode)"),
    "natural": (0.90, "natural questions right (each mode)"),
}
# At most this share of answerable queries abstained on.
MAX_FALSE_ABSTENTION = 0.05
WARM_UP_QUESTION = "What did Li Qiang ask of Brussels?"  # the seed article; not a dev query


# --- small helpers ---------------------------------------------------------------------

def code_state() -> dict[str, Any]:
    """The commit measured and any uncommitted changes to the code under test: others work
    in the same checkout, so a figure is only meaningful with the code it came from."""
    import subprocess

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True,
                                  timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            return ""

    dirty = git("status", "--porcelain", "--", "qa", "index")
    return {"commit": git("rev-parse", "HEAD").strip(),
            "uncommitted": [line[3:] for line in dirty.splitlines() if line.strip()]}


def quantile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated quantile; None for no values (so JSON shows 'not measured')."""
    if not values:
        return None
    if len(values) == 1:
        return float(values[0])
    return float(statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1])


def mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


def spread(values: Sequence[float]) -> dict[str, float | None]:
    return {"p50": quantile(values, 0.5), "p95": quantile(values, 0.95), "mean": mean(values),
            "n": len(values)}


def pick_queries(queries: list[Query], limit: int | None) -> list[Query]:
    """All queries, or `limit` of them taken round-robin over question types, so a quick run
    still holds null queries (the file is grouped by type)."""
    if not limit or limit >= len(queries):
        return queries
    groups: dict[str, list[Query]] = defaultdict(list)
    for query in queries:
        groups[query.question_type].append(query)
    chosen: list[Query] = []
    depth = 0
    while len(chosen) < limit:
        for group in groups.values():
            if depth < len(group) and len(chosen) < limit:
                chosen.append(group[depth])
        depth += 1
    return chosen


class Ticker:
    """A line every few items with the rate and an ETA: readable in a nohup log, where a
    live progress bar is not."""

    def __init__(self, console: Console, label: str, total: int, every: int = 10) -> None:
        self.console, self.label, self.total, self.every = console, label, total, every
        self.started = time.perf_counter()
        self.done = 0

    def advance(self) -> None:
        self.done += 1
        if self.done % self.every and self.done != self.total:
            return
        elapsed = time.perf_counter() - self.started
        left = elapsed / self.done * (self.total - self.done)
        self.console.log(f"{self.label}: {self.done}/{self.total}, {elapsed:.0f} s, "
                         f"about {left:.0f} s left")


# --- the store -------------------------------------------------------------------------

def prepare_store(store: Path, embedder: Embedder, chunk_tokens: int | None,
                  console: Console) -> dict[str, Any]:
    """Make the store match the three inputs. On a store already built from them this is a
    no-op; calling it anyway guarantees the store measured is the one described."""
    missing = [str(p) for p in INPUTS if not p.exists()]
    if missing:
        raise SystemExit(f"missing inputs: {', '.join(missing)}")
    reused = (store / "CURRENT").exists()
    console.log(f"{'updating' if reused else 'building'} the store at {store} "
                f"({'a no-op when unchanged' if reused else 'about 10 minutes'})")
    last = {"stage": None}

    def progress(stage: str, done: int, total: int) -> None:
        if stage != last["stage"] or done == total:
            console.log(f"  {stage}: {done}/{total}")
            last["stage"] = stage

    summary = update_store(store, INPUTS, embedder=embedder, progress=progress,
                           chunk_tokens=chunk_tokens)
    if summary.failed:
        raise SystemExit(f"the store could not read {len(summary.failed)} records, e.g. "
                         f"{summary.failed[0]}")
    with open_store(store) as opened:
        stats = opened.stats()
    return {"path": str(store), "reused": reused, "articles": stats.articles,
            "chunks": stats.chunks, "version": stats.version, "embed_model": stats.embed_model,
            "update": {"added": len(summary.added), "replaced": len(summary.replaced),
                       "deleted": len(summary.deleted), "moved": len(summary.moved),
                       "unchanged": summary.unchanged, "chunks_embedded": summary.chunks_embedded,
                       "seconds": summary.seconds}}


# --- the llama-index baseline ----------------------------------------------------------

def build_baseline(model: Any, console: Console) -> tuple[Callable[[str], list[str]],
                                                         dict[str, Any]]:
    """llama-index as a plain user sets it up: Documents, `VectorStoreIndex` with its default
    chunking and in-memory vector store, our MiniLM (the store's embedder, on its backend) as
    the embedding model, no LLM.

    Each Document's text is the article's title, a blank line, then its body (as read by our
    readers, so both sides index exactly the same article text), with no metadata.
    """
    from llama_index.core import Document, Settings, VectorStoreIndex
    from llama_index.core.embeddings import BaseEmbedding
    from llama_index.core.node_parser import SentenceSplitter
    from pydantic import PrivateAttr

    class MiniLMEmbedding(BaseEmbedding):
        """The same embedder the assistant uses, behind llama-index's embedding interface
        (what llama-index-embeddings-huggingface would do)."""

        _model: Any = PrivateAttr()

        def __init__(self, embedder: Any, **kwargs: Any) -> None:
            super().__init__(model_name="all-MiniLM-L6-v2", **kwargs)
            self._model = embedder

        def _encode(self, texts: list[str]) -> list[list[float]]:
            return self._model.encode(texts).tolist()  # unit length, batches of 32

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._encode([query])[0]

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._encode([text])[0]

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return self._encode(texts)

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

    # Without these llama-index reaches for OpenAI; there is no network here, and a user's
    # offline setup must never try.
    embedding = MiniLMEmbedding(model, embed_batch_size=32)
    Settings.llm = None
    Settings.embed_model = embedding

    read = read_paths(INPUTS)
    documents = [Document(text=f"{a.title}\n\n{a.text}" if a.title else a.text,
                          doc_id=a.article_id) for a in read.articles]
    console.log(f"baseline: building llama-index VectorStoreIndex over {len(documents):,} "
                "articles (default chunking)")
    splitter = SentenceSplitter()  # the defaults: 1024 tokens, 200 overlap
    started = time.perf_counter()
    index = VectorStoreIndex.from_documents(documents, embed_model=embedding,
                                            transformations=[splitter])
    build_s = time.perf_counter() - started
    nodes = list(index.docstore.docs.values())
    texts = [n.get_content() for n in nodes]
    pieces = model.count_tokens(texts)
    window = model.max_tokens
    retriever = index.as_retriever(similarity_top_k=K)

    def retrieve(question: str) -> list[str]:
        return [hit.node.get_content() for hit in retriever.retrieve(question)]

    info = {"documents": len(documents), "chunks": len(nodes), "build_s": build_s,
            "chunks_per_s": len(nodes) / build_s, "chunk_size": splitter.chunk_size,
            "chunk_overlap": splitter.chunk_overlap,
            "chunks_longer_than_window": sum(p > window for p in pieces),
            "median_chunk_word_pieces": statistics.median(pieces),
            "document_text": "title + blank line + body, no metadata",
            "vector_store": "SimpleVectorStore (in memory)"}
    return retrieve, info


# --- retrieval -------------------------------------------------------------------------

def score_ranks(rows: list[list[int | None]]) -> dict[str, float | None]:
    """Hits@4, Hits@10 and MRR@10 from each query's evidence ranks (as qa.evaluation does)."""
    hits = {k: [sum(1 for r in ranks if r is not None and r <= k) / len(ranks) for ranks in rows]
            for k in (4, 10)}
    reciprocal = []
    for ranks in rows:
        found = [r for r in ranks if r is not None and r <= 10]
        reciprocal.append(1.0 / min(found) if found else 0.0)
    return {"hits@4": mean(hits[4]), "hits@10": mean(hits[10]), "mrr@10": mean(reciprocal)}


def run_retrieval(assistant: Assistant, queries: list[Query],
                  baseline: Callable[[str], list[str]] | None,
                  console: Console) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Each non-null query through every retriever in turn; metrics overall and by type."""
    retrievers: dict[str, Callable[[str], list[str]]] = {
        mode: (lambda q, m=mode: [p.text for p in assistant.retrieve(q, k=K, mode=m)])
        for mode in RETRIEVERS}
    if baseline is not None:
        retrievers[BASELINE] = baseline
    for retrieve in retrievers.values():  # load models and indexes outside the timings
        retrieve(WARM_UP_QUESTION)
    answerable = [q for q in queries if not q.is_null]
    ranks: dict[str, list[list[int | None]]] = {name: [] for name in retrievers}
    latency: dict[str, list[float]] = {name: [] for name in retrievers}
    per_query: dict[str, dict[str, Any]] = {}
    ticker = Ticker(console, "retrieval", len(answerable), every=20)
    for query in answerable:
        record: dict[str, Any] = {}
        for name, retrieve in retrievers.items():
            started = time.perf_counter()
            texts = retrieve(query.query)
            latency[name].append((time.perf_counter() - started) * 1000)
            found = evidence_ranks(texts[:K], query.facts)
            ranks[name].append(found)
            record[name] = found
        per_query[query.id] = {"retrieval_ranks": record}
        ticker.advance()
    results: dict[str, Any] = {}
    for name in retrievers:
        by_type: dict[str, list[list[int | None]]] = defaultdict(list)
        for query, found in zip(answerable, ranks[name], strict=False):
            by_type[query.question_type].append(found)
        results[name] = {**score_ranks(ranks[name]), "queries": len(ranks[name]),
                         "latency_ms": spread(latency[name]),
                         "by_type": {t: score_ranks(rows) for t, rows in sorted(by_type.items())}}
    if BASELINE in results:
        base = results[BASELINE]
        for name in RETRIEVERS:
            ours = results[name]
            ours["vs_baseline"] = {
                key: (ours[key] / base[key]) if base[key] else None
                for key in ("hits@4", "hits@10", "mrr@10")}
            ours["vs_baseline"]["latency_p50"] = (
                ours["latency_ms"]["p50"] / base["latency_ms"]["p50"]
                if base["latency_ms"]["p50"] else None)
    return results, per_query


# --- answers ---------------------------------------------------------------------------

# Citation support is measured here independently of the product's CitationChecker (which
# uses IDF weights and embeddings). The rule, deliberately plain:
#   an answer's text is cut into sentences at its marker groups ("... [1][2]." ends one);
#   a sentence is supported when, after removing markers, lower-casing and collapsing white
#   space, it contains one of its cited quotes or is contained in one, or else when at least
#   60 % of its content words (runs of [a-z0-9], stop words removed, a plural "s" ignored)
#   occur in the union of the quotes it cites. A sentence with no marker, or whose marker
#   names no citation, is unsupported. Abstentions have no sentences.
SUPPORT_COVERAGE = 0.6
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it
its itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself yourselves
said says say according article articles report reported reports
""".split())
_MARKER_GROUP = re.compile(r"((?:\s*\[\d+\])+)\s*([.!?]?)")
_WORD = re.compile(r"[a-z0-9]+")


def split_cited(text: str) -> list[tuple[str, list[int]]]:
    """(sentence without markers, its marker numbers), cutting after each marker group."""
    pieces: list[tuple[str, list[int]]] = []
    position = 0
    for match in _MARKER_GROUP.finditer(text):
        sentence = (text[position:match.start()] + match.group(2)).strip()
        numbers = [int(n) for n in re.findall(r"\d+", match.group(1))]
        if sentence:
            pieces.append((sentence, numbers))
        position = match.end()
    rest = text[position:].strip()
    if rest:
        pieces.append((rest, []))
    return pieces


def content_words(text: str) -> set[str]:
    words = set()
    for word in _WORD.findall(text.lower()):
        if word in STOP_WORDS:
            continue
        words.add(word[:-1] if len(word) > 3 and word.endswith("s") else word)
    return words


def _flat(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(".!?")


def sentence_supported(sentence: str, quotes: Sequence[str]) -> bool:
    """The independent support rule described above."""
    if not quotes:
        return False
    flat = _flat(sentence)
    if any(_flat(q) in flat or flat in _flat(q) for q in quotes):
        return True
    wanted = content_words(sentence)
    if not wanted:
        return False
    given: set[str] = set()
    for quote in quotes:
        given |= content_words(quote)
    return len(wanted & given) / len(wanted) >= SUPPORT_COVERAGE


def citation_support(answer: Answer) -> tuple[int, int]:
    """(supported sentences, sentences) of a non-abstained answer."""
    if answer.abstained:
        return 0, 0
    quotes = {c.n: c.quote for c in answer.citations}
    pieces = split_cited(answer.text)
    supported = sum(sentence_supported(s, [quotes[n] for n in numbers if n in quotes])
                    for s, numbers in pieces)
    return supported, len(pieces)


def run_answers(assistant: Assistant, queries: list[Query], modes: Sequence[str],
                console: Console) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Every query answered in each mode; accuracy by type, abstention, citations, latency."""
    article_text: dict[str, str | None] = {}

    def text_of(article_id: str) -> str | None:
        if article_id not in article_text:
            record = assistant.article(article_id)
            article_text[article_id] = record.text if record else None
        return article_text[article_id]

    for mode in modes:  # load the language model outside the timings
        assistant.ask(WARM_UP_QUESTION, mode=mode)
    rows: dict[str, list[dict[str, Any]]] = {mode: [] for mode in modes}
    per_query: dict[str, dict[str, Any]] = {}
    ticker = Ticker(console, f"answers ({', '.join(modes)})", len(queries))
    for query in queries:
        per_query[query.id] = {}
        for mode in modes:
            started = time.perf_counter()
            stream = assistant.stream(query.query, mode=mode)  # what ask() does, keeping
            draft = "".join(stream)  # the model's own words before the citation check
            wall = time.perf_counter() - started
            answer = stream.answer
            assert answer is not None
            supported, sentences = citation_support(answer)
            row = {
                "verdict_gold": verdict_word(query.answer),
                "kind": answer.kind, "verdict": answer.verdict,
                "contradicted": sum(n.startswith("contradicted, dropped") for n in answer.notes),
                "model_asked": answer.draft is not None,
                "id": query.id, "type": query.question_type, "null": query.is_null,
                "abstained": answer.abstained, "answered_by": answer.mode,
                "correct": None if query.is_null else answer_matches(query.answer, answer.text),
                "markers_in_range": markers_in_range(answer),
                "quotes_verbatim": quotes_verbatim(answer, text_of),
                "sentences": sentences, "supported": supported,
                "wall_s": wall, "timings": dict(answer.timings),
                "gold": query.answer, "text": answer.text, "notes": list(answer.notes),
            }
            if mode == "generate":
                row["draft"] = draft
                row["draft_correct"] = (None if query.is_null or answer.abstained
                                        else answer_matches(query.answer, draft))
            rows[mode].append(row)
            per_query[query.id][mode] = {key: row[key] for key in row
                                         if key not in ("id", "type", "null", "gold")}
        ticker.advance()
    return {mode: summarise_answers(mode, rows[mode]) for mode in modes}, per_query


def summarise_answers(mode: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Aggregate one mode's answers."""
    answerable = [r for r in rows if not r["null"]]
    nulls = [r for r in rows if r["null"]]
    by_type: dict[str, list[bool]] = defaultdict(list)
    for row in answerable:
        by_type[row["type"]].append(row["correct"])
    answered = [r for r in rows if not r["abstained"]]
    sentences = sum(r["sentences"] for r in answered)
    yes = [r for r in answerable if r.get("verdict_gold") == "yes"]
    no = [r for r in answerable if r.get("verdict_gold") == "no"]
    asked = [r for r in answered if r.get("model_asked")]
    first_token = [r["timings"]["first_token"] for r in answered if "first_token" in r["timings"]]
    return {
        "queries": len(rows),
        "accuracy": {"all": mean([r["correct"] for r in answerable]),
                     **{t: mean(v) for t, v in sorted(by_type.items())}},
        "accuracy_when_answered": mean([r["correct"] for r in answerable if not r["abstained"]]),
        # The model's own words before the product's citation check kept or dropped them.
        "draft_accuracy": mean([r["draft_correct"] for r in answerable
                                if r.get("draft_correct") is not None]),
        # Verdicts scored on "yes" and "no" questions apart: leaning to "Yes" is no gain.
        "verdict_yes": mean([r["correct"] for r in yes]), "verdict_yes_n": len(yes),
        "verdict_no": mean([r["correct"] for r in no]), "verdict_no_n": len(no),
        "null_abstention": mean([r["abstained"] for r in nulls]),
        "false_abstention": mean([r["abstained"] for r in answerable]),
        "markers_in_range": mean([r["markers_in_range"] for r in rows]),
        "quotes_verbatim": mean([r["quotes_verbatim"] for r in rows]),
        "citation_support": (sum(r["supported"] for r in answered) / sentences
                             if sentences else None),
        "answer_sentences": sentences,
        # A model answer none of whose sentences the product's checker kept is replaced by
        # the extractive one; how often that happens says how much the model contributes.
        "fell_back_to_extractive": mean([r["answered_by"] != "generate" for r in answered])
        if mode == "generate" else None,
        # Of the answers the model wrote a draft for, how many kept some of it after the check;
        # and how many of its sentences the check found contradicted by their source.
        "draft_survived": mean([r["answered_by"] == "generate" for r in asked])
        if mode == "generate" else None,
        "model_sentences_contradicted": sum(r["contradicted"] for r in rows)
        if mode == "generate" else None,
        # Latency over the questions it answered (an abstention stops before composing).
        "latency_s": {"total": spread([r["timings"].get("total", r["wall_s"]) for r in answered]),
                      "first_token": spread(first_token),
                      "total_all_queries": spread([r["wall_s"] for r in rows])},
    }


# --- reporting -------------------------------------------------------------------------

def fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def ms(value: float | None) -> str:
    return "-" if value is None else (f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms")


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


def check_targets(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each target with its measured value(s) and whether it is met."""
    checks: dict[str, dict[str, Any]] = {}
    fused = results["retrieval"].get("hybrid", {})
    for key, metric in (("fused_hits@10", "hits@10"), ("fused_mrr@10", "mrr@10")):
        goal, what = TARGETS[key]
        value = fused.get(metric)
        checks[key] = {"what": what, "goal": goal, "value": value,
                       "met": value is not None and value >= goal}
    goal, what = TARGETS["fused_hits@4"]
    value = fused.get("hits@4")
    checks["fused_hits@4"] = {"what": what, "goal": goal, "value": value,
                              "met": value is not None and value >= goal}
    answers = results["answers"]
    for key in ("null_abstention", "markers_in_range", "quotes_verbatim", "verdict_yes",
                "verdict_no"):
        goal, what = TARGETS[key]
        values = {mode: summary[key] for mode, summary in answers.items()}
        measured = [v for v in values.values() if v is not None]
        checks[key] = {"what": what, "goal": goal, "value": values,
                       "met": bool(measured) and all(v >= goal for v in measured)}
    goal, what = TARGETS["type_accuracy"]
    values = {mode: min((v for k, v in summary["accuracy"].items() if k != "all"
                         and v is not None), default=None) for mode, summary in answers.items()}
    measured = [v for v in values.values() if v is not None]
    checks["type_accuracy"] = {"what": what + " (the lowest type)", "goal": goal,
                               "value": values,
                               "met": bool(measured) and all(v >= goal for v in measured)}
    values = {mode: summary["false_abstention"] for mode, summary in answers.items()}
    measured = [v for v in values.values() if v is not None]
    checks["false_abstention"] = {"what": "answerable queries abstained on (each mode)",
                                  "goal": MAX_FALSE_ABSTENTION, "value": values, "at_most": True,
                                  "met": bool(measured)
                                  and all(v <= MAX_FALSE_ABSTENTION for v in measured)}
    natural = results.get("natural") or {}
    if natural:
        goal, what = TARGETS["natural"]
        values = {mode: row["accuracy"] for mode, row in natural.items()}
        checks["natural"] = {"what": what, "goal": goal, "value": values,
                             "met": all(v is not None and v >= goal for v in values.values())}
    return checks


def show(results: dict[str, Any], console: Console) -> None:
    store = results["store"]
    retrieval = results["retrieval"]
    if retrieval:
        table = Table(title=f"Retrieval: {results['queries']['answerable']} answerable dev "
                            "queries, "
                            f"top {K}, one store of {store['articles']:,} articles / "
                            f"{store['chunks']:,} chunks")
        for column in ("retriever", "Hits@4", "Hits@10", "MRR@10", "p50", "p95",
                       "Hits@4 ×base", "Hits@10 ×base", "MRR@10 ×base", "p50 ×base"):
            table.add_column(column, justify="left" if column == "retriever" else "right")
        for name, label in [*RETRIEVERS.items(), (BASELINE, "llama-index VectorStoreIndex "
                                                  "(baseline)")]:
            row = retrieval.get(name)
            if row is None:
                continue
            ratio = row.get("vs_baseline", {})
            table.add_row(label, fmt(row["hits@4"]), fmt(row["hits@10"]), fmt(row["mrr@10"]),
                          ms(row["latency_ms"]["p50"]), ms(row["latency_ms"]["p95"]),
                          fmt(ratio.get("hits@4"), 2), fmt(ratio.get("hits@10"), 2),
                          fmt(ratio.get("mrr@10"), 2), fmt(ratio.get("latency_p50"), 2))
        console.print(table)
        console.print("×base = ours / the llama-index baseline, same queries in the same run "
                      "(for latency, lower is better)")
        if "baseline" in results:
            base = results["baseline"]
            console.print(f"baseline build: {base['chunks']:,} chunks of {base['chunk_size']} "
                          "tokens "
                          f"in {base['build_s']:.0f} s ({base['chunks_per_s']:.1f} chunks/s); "
                          f"{base['chunks_longer_than_window']:,} of them longer than MiniLM's "
                          f"window, cut off when embedded")
        by_type = Table(title="Fused retrieval by question type")
        for column in ("type", "Hits@4", "Hits@10", "MRR@10", "baseline Hits@10",
                       "baseline MRR@10"):
            by_type.add_column(column, justify="left" if column == "type" else "right")
        for kind, row in retrieval.get("hybrid", {}).get("by_type", {}).items():
            base = retrieval.get(BASELINE, {}).get("by_type", {}).get(kind, {})
            by_type.add_row(kind, fmt(row["hits@4"]), fmt(row["hits@10"]), fmt(row["mrr@10"]),
                            fmt(base.get("hits@10")), fmt(base.get("mrr@10")))
        console.print(by_type)

    answers = results["answers"]
    if answers:
        modes = list(answers)
        table = Table(title=f"Answers: {results['queries']['total']} dev queries "
                            f"({results['queries']['null']} null)")
        table.add_column("measure")
        for mode in modes:
            table.add_column(mode, justify="right")

        def row(label: str, get: Callable[[dict[str, Any]], str]) -> None:
            table.add_row(label, *[get(answers[m]) for m in modes])

        kinds = sorted({k for a in answers.values() for k in a["accuracy"] if k != "all"})
        row("accuracy, all answerable", lambda a: fmt(a["accuracy"]["all"]))
        for kind in kinds:
            row(f"  accuracy, {kind}", lambda a, k=kind: fmt(a["accuracy"].get(k)))
        row("  accuracy when it answered", lambda a: fmt(a["accuracy_when_answered"]))
        row("  model's unchecked draft, when answered", lambda a: fmt(a["draft_accuracy"]))
        row("abstained on null queries", lambda a: fmt(a["null_abstention"]))
        if "null_abstention_without_outlet_rule" in results:
            row("  ... with the unknown-outlet rule off",
                lambda a: fmt(results["null_abstention_without_outlet_rule"]))
        if "null_abstention_lower_case" in results:
            row("  ... the queries typed in lower case (extractive)",
                lambda a: fmt(results["null_abstention_lower_case"]))
        for key, label in (("year_moved", "answerable with their year moved 4 back"),
                           ("outlet_swapped", f"answerable with an outlet swapped for "
                                              f"{ABSENT_OUTLET}"),
                           ("outlet_swapped_lower_case", "the same, typed in lower case")):
            moved = results.get("moved_nulls", {}).get(key)
            if moved:
                row(f"  abstained on {label} (extractive)",
                    lambda a, m=moved: f"{fmt(m['abstained'])} (of {m['queries']})")
        row("abstained on answerable (false)", lambda a: fmt(a["false_abstention"]))
        if "false_abstention_lower_case" in results:
            row("  ... the queries typed in lower case (extractive)",
                lambda a: fmt(results["false_abstention_lower_case"]))
        row(escape("answers with every [n] in range"), lambda a: fmt(a["markers_in_range"]))
        row("answers with every quote verbatim", lambda a: fmt(a["quotes_verbatim"]))
        row("answer sentences supported by citation",
            lambda a: f"{fmt(a['citation_support'])} (of {a['answer_sentences']})")
        row("  verdicts, Yes questions answered Yes",
            lambda a: f"{fmt(a['verdict_yes'])} (of {a['verdict_yes_n']})")
        row("  verdicts, No questions answered No",
            lambda a: f"{fmt(a['verdict_no'])} (of {a['verdict_no_n']})")
        row("model answer fell back to extractive",
            lambda a: fmt(a["fell_back_to_extractive"]))
        row("model drafts surviving the check", lambda a: fmt(a.get("draft_survived")))
        row("model sentences rejected as contradicted",
            lambda a: "-" if a.get("model_sentences_contradicted") is None
            else str(a["model_sentences_contradicted"]))
        row("first token p50 / p95", lambda a: f"{seconds(a['latency_s']['first_token']['p50'])}"
            f" / {seconds(a['latency_s']['first_token']['p95'])}")
        row("total p50 / p95", lambda a: f"{seconds(a['latency_s']['total']['p50'])} / "
            f"{seconds(a['latency_s']['total']['p95'])}")
        console.print(table)
        console.print("latencies are over answered queries; citation support uses the "
                      "script's own word-coverage rule, not the product's checker")

    for key, path in NATURAL_SETS:
        natural = results.get(key) or {}
        if not natural:
            continue
        modes = list(natural)
        table = Table(title=f"Natural questions (bench/{path.name}): "
                            f"{next(iter(natural.values()))['turns']} turns")
        table.add_column("kind")
        for mode in modes:
            table.add_column(mode, justify="right")
        kinds = sorted({k for row in natural.values() for k in row["by_kind"]})
        table.add_row("all", *[fmt(natural[m]["accuracy"]) for m in modes])
        for kind in kinds:
            table.add_row(f"  {kind}", *[fmt(natural[m]["by_kind"].get(kind)) for m in modes])
        table.add_row("model drafts surviving the check",
                      *[fmt(natural[m].get("draft_survived")) for m in modes])
        console.print(table)

    targets = Table(title="Targets")
    for column in ("target", "goal", "measured", ""):
        targets.add_column(column, justify="left" if column == "target" else "right")
    for check in results["targets"].values():
        value = check["value"]
        shown = (", ".join(f"{m} {fmt(v)}" for m, v in value.items()) if isinstance(value, dict)
                 else fmt(value))
        sign = "<=" if check.get("at_most") else ">="
        targets.add_row(escape(check["what"]), f"{sign} {check['goal']}", shown or "-",
                        "[green]met[/green]" if check["met"] else "[red]not met[/red]")
    console.print(targets)
    console.print(f"load average {results['loadavg_start']} at start, {results['loadavg_end']} "
                  f"at end ({results['cpus']} CPUs); JSON written to {results['out']}")


# --- main ------------------------------------------------------------------------------

def run(args: argparse.Namespace, console: Console) -> dict[str, Any]:
    import llama_index.core
    import torch

    results: dict[str, Any] = {
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(), "torch_threads": torch.get_num_threads(),
        "python": platform.python_version(), "llama_index_core": llama_index.core.__version__,
        "queries_file": str(args.queries), "limit": args.limit, "k": K,
        "reworded": str(args.reworded) if args.reworded else None,
        "code": code_state(),
    }
    settings = load_settings(store=args.store.resolve())
    embedder = make_embedder(settings)  # a store keeps the model and backend it was built with
    results["store"] = prepare_store(args.store.resolve(), embedder, settings.chunk_tokens,
                                     console)
    assistant = Assistant(settings, embedder=embedder)
    queries = load_queries(args.queries)
    if args.reworded:
        queries = reworded(queries, args.reworded)
    queries = pick_queries(queries, args.limit)
    if args.half:
        # Calibrate on one half, confirm on the other: a threshold that only helps one half
        # is fitted to its questions.
        queries = [q for i, q in enumerate(queries) if i % 2 == (args.half == "odd")]
    results["half"] = args.half
    results["queries"] = {"total": len(queries), "null": sum(q.is_null for q in queries),
                          "answerable": sum(not q.is_null for q in queries),
                          "by_type": dict(sorted(
                              {t: sum(q.question_type == t for q in queries)
                               for t in {q.question_type for q in queries}}.items()))}

    baseline = None
    if not args.skip_baseline and not args.skip_retrieval:
        baseline, results["baseline"] = build_baseline(embedder, console)
    per_query: dict[str, dict[str, Any]] = {}
    results["retrieval"] = {}
    if not args.skip_retrieval:
        console.log("retrieval: dense, BM25, fused" + ("" if baseline is None else ", baseline"))
        results["retrieval"], per_query = run_retrieval(assistant, queries, baseline, console)

    modes = [m for m in ANSWER_MODES if not (args.skip_generate and m == "generate")]
    console.log(f"answers: {', '.join(modes)}")
    results["answers"], answer_rows = run_answers(assistant, queries, modes, console)
    nulls = [q for q in queries if q.is_null]
    if nulls:
        # The same null queries with the unknown-outlet rule off: how much abstention rests
        # on the other, more general signals.
        without = Assistant(settings, embedder=embedder,
                            policy=assistant.policy.replace(abstain={"outlets": False}))
        results["null_abstention_without_outlet_rule"] = mean(
            [without.ask(q.query, mode="extractive").abstained for q in nulls])
        without.close()
    # The same queries typed in lower case, as people type into a search box: abstention
    # should not depend on the capitals (extractive; reported beside the cased figures).
    lowered = {q.id: assistant.ask(q.query.lower(), mode="extractive").abstained
               for q in queries}
    if nulls:
        results["null_abstention_lower_case"] = mean([lowered[q.id] for q in nulls])
    answerable = [q for q in queries if not q.is_null]
    if answerable:
        results["false_abstention_lower_case"] = mean([lowered[q.id] for q in answerable])
        results["moved_nulls"] = moved_nulls(assistant, answerable)
    if not args.skip_natural:
        # The first set is the target's; the later ones (see natural_questions_2.md, _3.md, _4.md)
        # are reported beside it, as a check on how general the answers are.
        for key, path in NATURAL_SETS:
            records = load_natural(path)
            results[key] = {}
            for mode in modes:
                ticker = Ticker(console, f"{path.name} ({mode})", len(records), every=20)
                results[key][mode] = run_natural(assistant, records, mode, ticker.advance)
    for query_id, by_mode in answer_rows.items():
        per_query.setdefault(query_id, {})["answers"] = by_mode
    for query in queries:
        per_query.setdefault(query.id, {}).update(
            question=query.query, type=query.question_type, gold=query.answer)
    results["targets"] = check_targets(results)
    if "fused_hits@10" in results["targets"] and not results["retrieval"]:
        for key in ("fused_hits@10", "fused_mrr@10", "fused_hits@4"):
            results["targets"].pop(key, None)
    results["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    results["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    results["out"] = str(args.out)
    results["per_query"] = per_query
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    assistant.close()
    return results


# An outlet no store of ours holds (checked against the store's sources before use).
ABSENT_OUTLET = "Reuters"


def moved_nulls(assistant: Assistant, answerable: list[Query]) -> dict[str, Any]:
    """Answerable queries made unanswerable in the two ways a user's question most often is:
    the year it names moved four years back ("on October 20, 2023" -> "2019"), and the first
    outlet it names swapped for one the store lacks (also typed in lower case). Each should be
    answered "the articles don't say"; the share that is, extractive."""
    aliases = assistant.retriever.source_aliases()
    out: dict[str, Any] = {}
    moved = []
    for query in answerable:
        years = re.findall(r"\b(?:19|20)\d\d\b", query.query)
        if years:
            year = max(set(years), key=years.count)
            moved.append(query.query.replace(year, str(int(year) - 4)))
    swapped = []
    if ABSENT_OUTLET.lower() not in aliases:
        for query in answerable:
            mentions = find_source_mentions(query.query, aliases)
            if mentions:
                first = mentions[0]
                swapped.append(query.query[:first.start] + ABSENT_OUTLET
                               + query.query[first.end:])
    for key, questions in (("year_moved", moved), ("outlet_swapped", swapped),
                           ("outlet_swapped_lower_case", [q.lower() for q in swapped])):
        if questions:
            out[key] = {"abstained": mean([assistant.ask(q, mode="extractive").abstained
                                           for q in questions]), "queries": len(questions)}
    return out


def reworded(queries: list[Query], path: Path) -> list[Query]:
    """The queries asked in other words: each one's text replaced by the rewording of the
    same id in `path` (JSONL of {"id", "query"}); the gold answers and evidence stay the
    dev file's, so the rewordings carry no copy of them."""
    texts = {str(q.id): q.query for q in load_queries(path)}
    missing = [q.id for q in queries if q.id not in texts]
    if missing:
        raise SystemExit(f"{path} has no rewording of {', '.join(missing[:5])}")
    return [dataclasses.replace(q, query=texts[q.id]) for q in queries]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE,
                        help="store folder: reused (and brought up to date) when it holds a "
                             f"store, built otherwise (default: {DEFAULT_STORE.relative_to(REPO)})")
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES,
                        help="MultiHop-RAG style query file (default: the dev queries)")
    parser.add_argument("--limit", type=int, default=None,
                        help="only N queries, taken round-robin over question types")
    parser.add_argument("--skip-generate", action="store_true",
                        help="extractive answers only (no language model)")
    parser.add_argument("--skip-baseline", action="store_true",
                        help="no llama-index baseline (saves its ~2 minute build)")
    parser.add_argument("--skip-retrieval", action="store_true",
                        help="answers only (no retrieval metrics, no baseline)")
    parser.add_argument("--skip-natural", action="store_true",
                        help="no natural-question sets (bench/natural_questions*.jsonl)")
    parser.add_argument("--half", choices=("odd", "even"), default=None,
                        help="only every other query: calibrate on one half, confirm on the "
                             "other")
    parser.add_argument("--reworded", type=Path, default=None,
                        help="ask the queries in other words: a JSONL of {id, query} by the "
                             "same ids (bench/dev_reworded.jsonl: the dev queries rewritten "
                             "by a helper who had not seen the code)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the JSON")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    if not args.queries.exists():
        parser.error(f"no query file at {args.queries}")
    # A log (nohup) gets wide tables rather than rich's 80-column default.
    console = Console(width=None if sys.stdout.isatty() else 150)
    show(run(args, console), console)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
