"""`qa eval`: run a query file through the assistant and print a table of metrics."""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from .evaluation import (
    answer_matches,
    evidence_ranks,
    load_queries,
    markers_in_range,
    quotes_verbatim,
)


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run_evaluation(queries_path: Path, store: Path | None, mode: str, limit: int | None,
                   output: Path | None, console: Console) -> dict:
    """Retrieval and answer metrics for every query; returns (and optionally writes) them."""
    from .assistant import Assistant

    queries = load_queries(queries_path)[:limit] if limit else load_queries(queries_path)
    assistant = Assistant.open(store)
    hits4, hits10, reciprocal, latencies = [], [], [], []
    correct: dict[str, list[bool]] = defaultdict(list)
    abstained_null, abstained_other = [], []
    markers_ok, quotes_ok = [], []
    text_of = lambda article_id: (assistant.store.article(article_id) or None) and \
        assistant.store.article(article_id).text  # noqa: E731
    with Progress(TextColumn("Evaluating"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console) as progress:
        task = progress.add_task("eval", total=len(queries))
        for query in queries:
            if not query.is_null:
                passages = assistant.retrieve(query.query, k=10)
                ranks = evidence_ranks([p.text for p in passages], query.facts)
                hits4.append(sum(1 for r in ranks if r and r <= 4) / len(ranks))
                hits10.append(sum(1 for r in ranks if r and r <= 10) / len(ranks))
                found = [r for r in ranks if r]
                reciprocal.append(1 / min(found) if found else 0.0)
            answer = assistant.ask(query.query, mode=mode)
            latencies.append(answer.timings.get("total", 0.0))
            markers_ok.append(markers_in_range(answer))
            quotes_ok.append(quotes_verbatim(answer, text_of))
            if query.is_null:
                abstained_null.append(answer.abstained)
            else:
                abstained_other.append(answer.abstained)
                correct[query.question_type or "all"].append(
                    answer_matches(query.answer, answer.text))
            progress.advance(task)
    mean = lambda values: statistics.fmean(values) if values else 0.0  # noqa: E731
    results = {
        "queries": len(queries), "mode": mode,
        "retrieval": {"hits@4": mean(hits4), "hits@10": mean(hits10), "mrr@10": mean(reciprocal),
                      "queries": len(hits10)},
        "answers": {kind: mean(values) for kind, values in sorted(correct.items())},
        "abstention_on_null": mean(abstained_null) if abstained_null else None,
        "false_abstention": mean(abstained_other),
        "markers_in_range": mean(markers_ok), "quotes_verbatim": mean(quotes_ok),
        "latency_s": {"p50": _quantile(latencies, 0.5), "p95": _quantile(latencies, 0.95)},
    }
    table = Table(title=f"{queries_path.name}: {len(queries)} queries, {mode} answers")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, value in results["retrieval"].items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        table.add_row(f"retrieval {key}", shown)
    for kind, value in results["answers"].items():
        table.add_row(f"answer accuracy: {kind}", f"{value:.3f}")
    if results["abstention_on_null"] is not None:
        table.add_row("abstained on null queries", f"{results['abstention_on_null']:.3f}")
    table.add_row("abstained on answerable queries", f"{results['false_abstention']:.3f}")
    table.add_row("citation markers in range", f"{results['markers_in_range']:.3f}")
    table.add_row("quotes verbatim at their span", f"{results['quotes_verbatim']:.3f}")
    table.add_row("latency p50 / p95", f"{results['latency_s']['p50']:.2f} s / "
                  f"{results['latency_s']['p95']:.2f} s")
    console.print(table)
    if output:
        output.write_text(json.dumps(results, indent=2))
    return results
