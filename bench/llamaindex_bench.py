"""llama-index integration benchmark: Newsdesk used through llama-index against Newsdesk used
directly, on the same store and the MultiHop-RAG dev queries.

Retrieval: `NewsdeskRetriever.retrieve` (llama-index's `retrieve()` with its span, events and
callback manager, nodes built from passages) against `Assistant.retrieve`, in each mode. The
two must rank the same passages (same Hits@10 / MRR@10, query by query); what llama-index
costs is the time it adds per query, measured as paired differences, the two calls of a query
made back to back in alternating order (shared machines drift; pairs cancel most of it).
Answers: `NewsdeskQueryEngine.query` against `Assistant.ask` in extractive mode (no language
model, so the difference is not drowned in generation time), same answer text expected.

    python bench/llamaindex_bench.py --store /work/evalstores/full   # reuse a built store
    python bench/llamaindex_bench.py                 # builds bench/results/store (~10 min)
    python bench/llamaindex_bench.py --limit 20      # a quick check

Store and query helpers come from bench/qa_bench.py.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qa_bench import (
    DEFAULT_QUERIES,
    DEFAULT_STORE,
    REPO,
    WARM_UP_QUESTION,
    K,
    Ticker,
    code_state,
    fmt,
    mean,
    ms,
    pick_queries,
    prepare_store,
    score_ranks,
    spread,
)
from rich.console import Console
from rich.table import Table

from index import Embedder
from qa.assistant import Assistant
from qa.config import load_settings
from qa.evaluation import Query, evidence_ranks, load_queries

DEFAULT_OUT = REPO / "bench" / "results" / "llamaindex_bench.json"
MODES = {"hybrid": "hybrid", "dense": "dense", "bm25": "lexical"}  # llama-index -> ours
ANSWER_MODE = "extractive"


def paired(first: Callable[[], Any], second: Callable[[], Any], swap: bool
           ) -> tuple[Any, float, Any, float]:
    """Run both, in swapped order when asked; (result, ms) of each."""
    def timed(call: Callable[[], Any]) -> tuple[Any, float]:
        started = time.perf_counter()
        result = call()
        return result, (time.perf_counter() - started) * 1000

    if swap:
        b, b_ms = timed(second)
        a, a_ms = timed(first)
    else:
        a, a_ms = timed(first)
        b, b_ms = timed(second)
    return a, a_ms, b, b_ms


def run_retrieval(assistant: Assistant, queries: list[Query], console: Console
                  ) -> dict[str, Any]:
    """Each answerable query through both paths, in each mode."""
    from qa.integrations.llama_index import NewsdeskRetriever

    retrievers = {mode: NewsdeskRetriever(assistant, similarity_top_k=K, mode=mode)
                  for mode in MODES}
    for mode, retriever in retrievers.items():  # models and indexes loaded outside timings
        retriever.retrieve(WARM_UP_QUESTION)
        assistant.retrieve(WARM_UP_QUESTION, k=K, mode=MODES[mode])
    answerable = [q for q in queries if not q.is_null]
    rows: dict[str, dict[str, list[Any]]] = {
        mode: {"direct": [], "llama_index": [], "direct_ms": [], "llama_index_ms": [],
               "added_ms": [], "same_ranking": []} for mode in MODES}
    ticker = Ticker(console, "retrieval", len(answerable), every=25)
    for number, query in enumerate(answerable):
        for mode, retriever in retrievers.items():
            passages, direct_ms, nodes, li_ms = paired(
                lambda m=mode, q=query.query: assistant.retrieve(q, k=K, mode=MODES[m]),
                lambda r=retriever, q=query.query: r.retrieve(q), swap=bool(number % 2))
            row = rows[mode]
            row["direct"].append(evidence_ranks([p.text for p in passages], query.facts))
            row["llama_index"].append(evidence_ranks([n.node.text for n in nodes], query.facts))
            row["direct_ms"].append(direct_ms)
            row["llama_index_ms"].append(li_ms)
            row["added_ms"].append(li_ms - direct_ms)
            row["same_ranking"].append([p.chunk_id for p in passages] ==
                                       [n.node.metadata["chunk_id"] for n in nodes])
        ticker.advance()
    results = {}
    for mode, row in rows.items():
        direct, through = score_ranks(row["direct"]), score_ranks(row["llama_index"])
        results[mode] = {
            "queries": len(row["direct"]), "direct": direct, "llama_index": through,
            "same_metrics": direct == through,
            "same_ranking_share": mean([float(s) for s in row["same_ranking"]]),
            "latency_ms": {"direct": spread(row["direct_ms"]),
                           "llama_index": spread(row["llama_index_ms"]),
                           "added": spread(row["added_ms"])},
            "p50_ratio": _ratio(spread(row["llama_index_ms"])["p50"],
                                spread(row["direct_ms"])["p50"])}
    return results


def run_answers(assistant: Assistant, queries: list[Query], console: Console) -> dict[str, Any]:
    """Every query answered extractively by the query engine and by Assistant.ask."""
    from qa.integrations.llama_index import NewsdeskQueryEngine

    engine = NewsdeskQueryEngine.from_assistant(assistant, mode=ANSWER_MODE)
    engine.query(WARM_UP_QUESTION)
    assistant.ask(WARM_UP_QUESTION, mode=ANSWER_MODE)
    direct_ms, engine_ms, added, same = [], [], [], []
    ticker = Ticker(console, "answers", len(queries), every=25)
    for number, query in enumerate(queries):
        answer, a_ms, response, r_ms = paired(
            lambda q=query: assistant.ask(q.query, mode=ANSWER_MODE),
            lambda q=query: engine.query(q.query), swap=bool(number % 2))
        direct_ms.append(a_ms)
        engine_ms.append(r_ms)
        added.append(r_ms - a_ms)
        same.append(response.response == answer.text and
                    response.metadata["abstained"] == answer.abstained and
                    response.metadata["citations"] == [c.to_dict() for c in answer.citations])
        ticker.advance()
    return {"queries": len(queries), "mode": ANSWER_MODE,
            "same_answer_share": mean([float(s) for s in same]),
            "latency_ms": {"direct": spread(direct_ms), "llama_index": spread(engine_ms),
                           "added": spread(added)},
            "p50_ratio": _ratio(spread(engine_ms)["p50"], spread(direct_ms)["p50"])}


def _ratio(value: float | None, base: float | None) -> float | None:
    return value / base if value is not None and base else None


def show(results: dict[str, Any], console: Console) -> None:
    table = Table(title=f"Retrieval through llama-index vs Assistant.retrieve: "
                        f"{results['queries']['answerable']} answerable dev queries, top {K}")
    for column in ("mode", "Hits@10 direct", "Hits@10 llama-index", "MRR@10 direct",
                   "MRR@10 llama-index", "same ranking", "p50 direct", "p50 llama-index",
                   "added p50", "added mean", "p50 ×direct"):
        table.add_column(column, justify="left" if column == "mode" else "right")
    for mode, row in results["retrieval"].items():
        latency = row["latency_ms"]
        table.add_row(mode, fmt(row["direct"]["hits@10"]), fmt(row["llama_index"]["hits@10"]),
                      fmt(row["direct"]["mrr@10"]), fmt(row["llama_index"]["mrr@10"]),
                      f"{row['same_ranking_share']:.0%}", ms(latency["direct"]["p50"]),
                      ms(latency["llama_index"]["p50"]), ms(latency["added"]["p50"]),
                      ms(latency["added"]["mean"]), fmt(row["p50_ratio"], 3))
    console.print(table)
    answers = results.get("answers")
    if answers:
        latency = answers["latency_ms"]
        table = Table(title=f"Answers ({answers['mode']}): NewsdeskQueryEngine.query vs "
                            f"Assistant.ask, {answers['queries']} dev queries")
        for column in ("same answer", "p50 ask", "p50 engine", "added p50", "added mean",
                       "p50 ×ask"):
            table.add_column(column, justify="right")
        table.add_row(f"{answers['same_answer_share']:.0%}", ms(latency["direct"]["p50"]),
                      ms(latency["llama_index"]["p50"]), ms(latency["added"]["p50"]),
                      ms(latency["added"]["mean"]), fmt(answers["p50_ratio"], 3))
        console.print(table)
    console.print("added = llama-index's time minus the direct call's, per query (paired, "
                  "alternating order); same ranking = identical chunk ids in identical order")
    checks = results["checks"]
    console.print(f"same Hits@10 and MRR@10 in every mode: "
                  f"{'yes' if checks['same_metrics'] else 'NO'}; identical rankings: "
                  f"{'yes' if checks['identical_rankings'] else 'NO'}; load average "
                  f"{results['loadavg_start']} at start, {results['loadavg_end']} at end; JSON "
                  f"written to {results['out']}")


def run(args: argparse.Namespace, console: Console) -> dict[str, Any]:
    import llama_index.core

    results: dict[str, Any] = {
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count(),
        "python": platform.python_version(), "llama_index_core": llama_index.core.__version__,
        "queries_file": str(args.queries), "limit": args.limit, "k": K, "code": code_state()}
    settings = load_settings(store=args.store.resolve())
    embedder = Embedder(settings.embed_model, batch_size=settings.embed_batch_size,
                        backend=settings.embed_backend)
    results["store"] = prepare_store(args.store.resolve(), embedder, settings.chunk_tokens,
                                     console)
    assistant = Assistant(settings, embedder=embedder)
    queries = pick_queries(load_queries(args.queries), args.limit)
    results["queries"] = {"total": len(queries), "null": sum(q.is_null for q in queries),
                          "answerable": sum(not q.is_null for q in queries)}
    console.log("retrieval: " + ", ".join(MODES) + ", each directly and through llama-index")
    results["retrieval"] = run_retrieval(assistant, queries, console)
    if not args.skip_answers:
        console.log(f"answers ({ANSWER_MODE}): Assistant.ask and NewsdeskQueryEngine.query")
        results["answers"] = run_answers(assistant, queries, console)
    results["checks"] = {
        "same_metrics": all(r["same_metrics"] for r in results["retrieval"].values()),
        "identical_rankings": all(r["same_ranking_share"] == 1.0
                                  for r in results["retrieval"].values()),
        "same_answers": results.get("answers", {}).get("same_answer_share") in (None, 1.0)}
    results["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    results["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    results["out"] = str(args.out)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    assistant.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE,
                        help="store folder: reused (and brought up to date) when it holds a "
                             f"store, built otherwise (default: {DEFAULT_STORE.relative_to(REPO)})")
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES,
                        help="MultiHop-RAG style query file (default: the dev queries)")
    parser.add_argument("--limit", type=int, default=None,
                        help="only N queries, taken round-robin over question types")
    parser.add_argument("--skip-answers", action="store_true",
                        help="retrieval only (no query engine against Assistant.ask)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the JSON")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    if not args.queries.exists():
        parser.error(f"no query file at {args.queries}")
    console = Console(width=None if sys.stdout.isatty() else 170)
    results = run(args, console)
    show(results, console)
    return 0 if all(results["checks"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
