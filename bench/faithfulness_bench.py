"""Faithfulness benchmark: does the check accept what sources say and reject what they don't?

Data (bench/faithfulness/, labelled by hand before any checker ran on it; see its README):
- claims.jsonl: claims built from real sentences of corpus/ and the BBC articles: faithful ones
  (the sentence, a clause, a paraphrase by the local model checked by hand) and unfaithful ones
  made by general edits (another number, the opposite direction, a negation, another actor,
  two sentences crossed) or written wrong by the model;
- drafts.jsonl: drafts the local model wrote for questions, each sentence labelled by hand.

Each claim is checked by `Assistant.check` restricted to its source article (the check as
`qa check` runs it: retrieval, evidence selection, the claim check) and, separately, against the
whole store. Each draft sentence is checked by the claim checker against the evidence sentences
the model was shown, as the answer pipeline does. A claim counts as accepted when supported,
rejected when contradicted or not found.

    python bench/faithfulness_bench.py --store /work/evalstores/full
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import numpy as np  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from shared_data import DATA  # noqa: E402

from index import update_store  # noqa: E402
from qa import Assistant, load_settings  # noqa: E402

FOLDER = REPO / "bench" / "faithfulness"
INPUTS = [DATA / "bbc-news" / "articles.jsonl", REPO / "corpus"]
DEFAULT_STORE = REPO / "bench" / "results" / "faithfulness-store"
DEFAULT_OUT = REPO / "bench" / "results" / "faithfulness_bench.json"
GOALS = {"unfaithful_rejected": 0.95, "faithful_accepted": 0.90}


@dataclass
class Source:
    """An evidence sentence as the checker reads it."""

    text: str
    vector: np.ndarray
    header: str
    context: str = ""
    passage_text: str = ""


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def share(values: list[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def run_claims(assistant: Assistant, claims: list[dict[str, Any]], console: Console,
               whole_store: bool) -> dict[str, Any]:
    rows = []
    started = time.perf_counter()
    for number, claim in enumerate(claims, start=1):
        article = claim["source"]["article"]
        report = assistant.check(claim["claim"]) if whole_store else \
            assistant.check(claim["claim"], article_ids=[article])
        statuses = [c.status for c in report.claims]
        accepted = bool(statuses) and all(s == "supported" for s in statuses)
        rows.append({"id": claim["id"], "kind": claim["kind"], "label": claim["label"],
                     "accepted": accepted, "statuses": statuses,
                     "reasons": [c.reason for c in report.claims]})
        if number % 100 == 0:
            console.log(f"claims ({'store' if whole_store else 'article'}): {number}/"
                        f"{len(claims)}, {time.perf_counter() - started:.0f} s")
    by_kind: dict[str, dict[str, Any]] = {}
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["kind"]].append(row)
    for kind, group in sorted(grouped.items()):
        faithful = group[0]["label"] == "faithful"
        by_kind[kind] = {
            "label": group[0]["label"], "claims": len(group),
            "right": share([r["accepted"] == faithful for r in group]),
            "contradicted": share(["contradicted" in r["statuses"] for r in group]),
            "not_found": share(["not_found" in r["statuses"] for r in group]),
        }
    faithful = [r for r in rows if r["label"] == "faithful"]
    unfaithful = [r for r in rows if r["label"] == "unfaithful"]
    # The goal is on claims made by general edits; the model's own mistakes are reported apart
    # (mostly garbled text, easy to reject, and many).
    edits = [r for r in unfaithful if r["kind"] != "model_unfaithful"]
    return {"faithful_accepted": share([r["accepted"] for r in faithful]),
            "unfaithful_rejected": share([not r["accepted"] for r in edits]),
            "unfaithful_rejected_all": share([not r["accepted"] for r in unfaithful]),
            "faithful": len(faithful), "unfaithful": len(edits),
            "model_unfaithful": len(unfaithful) - len(edits), "by_kind": by_kind,
            "seconds": time.perf_counter() - started, "rows": rows}


def run_drafts(assistant: Assistant, drafts: list[dict[str, Any]]) -> dict[str, Any]:
    """Each hand-labelled draft sentence against the evidence the model was shown."""
    rows = []
    for draft in drafts:
        texts = [e["sentence"] for e in draft["evidence"]]
        vectors = assistant.embedder.encode(texts)
        sources = [Source(t, v, "") for t, v in zip(texts, vectors, strict=True)]
        sentences = [s for s in draft["sentences"] if s["text"].strip()]
        checks = assistant.claims.check([s["text"] for s in sentences], sources)
        for sentence, check in zip(sentences, checks, strict=True):
            rows.append({"draft": draft["id"], "text": sentence["text"],
                         "label": sentence["label"], "status": check.status,
                         "reason": check.reason})
    faithful = [r for r in rows if r["label"] == "faithful"]
    unfaithful = [r for r in rows if r["label"] == "unfaithful"]
    return {"drafts": len(drafts), "sentences": len(rows),
            "faithful_sentences": len(faithful), "unfaithful_sentences": len(unfaithful),
            "unfaithful_accepted": sum(r["status"] == "supported" for r in unfaithful),
            "faithful_accepted": share([r["status"] == "supported" for r in faithful]),
            "rows": rows}


def show(results: dict[str, Any], console: Console) -> None:
    for scope in ("article", "store"):
        data = results["claims"].get(scope)
        if not data:
            continue
        against = "their own article" if scope == "article" else "the whole store"
        table = Table(title=f"Claims checked against {against}: {data['faithful']} faithful, "
                            f"{data['unfaithful']} made unfaithful by an edit, "
                            f"{data['model_unfaithful']} written wrong by the model")
        for column in ("kind", "label", "claims", "right", "contradicted", "not found"):
            table.add_column(column, justify="left" if column in ("kind", "label") else "right")
        for kind, row in data["by_kind"].items():
            table.add_row(kind, row["label"], str(row["claims"]), f"{row['right']:.3f}",
                          f"{row['contradicted']:.3f}", f"{row['not_found']:.3f}")
        console.print(table)
        for key, goal in GOALS.items():
            value = data[key]
            met = value is not None and value >= goal
            label = {"unfaithful_rejected": "edited claims rejected",
                     "faithful_accepted": "faithful claims accepted"}[key]
            console.print(f"  {label}: {value:.3f} (goal >= {goal}) "
                          f"{'[green]met[/]' if met else '[red]not met[/]'}")
        console.print(f"  all unfaithful claims rejected (with the model's own): "
                      f"{data['unfaithful_rejected_all']:.3f}")
    drafts = results["drafts"]
    console.print(f"Hand-labelled model drafts: {drafts['drafts']} drafts, "
                  f"{drafts['sentences']} sentences ({drafts['unfaithful_sentences']} "
                  f"unfaithful): unfaithful sentences accepted {drafts['unfaithful_accepted']} "
                  f"(goal 0); faithful sentences accepted {drafts['faithful_accepted']:.3f}")
    console.print(f"JSON written to {results['out']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE,
                        help="a store holding corpus/ and the BBC articles (built if missing)")
    parser.add_argument("--whole-store", action="store_true",
                        help="also check every claim against the whole store (slower)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 150)
    store = args.store.resolve()
    if not (store / "CURRENT").exists():
        console.log(f"building the store at {store} (corpus/ and the BBC articles)")
        settings = load_settings(store=store)
        from index import Embedder

        update_store(store, INPUTS, embedder=Embedder(settings.embed_model,
                                                      backend=settings.embed_backend,
                                                      cache_dir=store))
    assistant = Assistant.open(store, mode="extractive")
    claims = load(FOLDER / "claims.jsonl")
    drafts = load(FOLDER / "drafts.jsonl")
    results: dict[str, Any] = {"store": str(store), "claims": {}, "out": str(args.out),
                               "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    results["claims"]["article"] = run_claims(assistant, claims, console, whole_store=False)
    if args.whole_store:
        results["claims"]["store"] = run_claims(assistant, claims, console, whole_store=True)
    results["drafts"] = run_drafts(assistant, drafts)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    show(results, console)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
