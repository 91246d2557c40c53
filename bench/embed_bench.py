"""Embedding benchmark: the ONNX Runtime backend (int8 and fp32) against PyTorch.

Machines here are shared and noisy, so every goal is a ratio measured in the same run:

1. speed     the BBC chunk texts (header + chunk, exactly what a build embeds), encoded by
             each backend in turn, in rounds with the order rotated, so load drift hits all
             alike: chunks/s in wall time and in CPU time (less disturbed by other work);
             goal: int8 >= 2x torch.
2. accuracy  cosine of each backend's vectors with torch's, and retrieval on the MultiHop-RAG
             dev queries (Hits@4, Hits@10, MRR@10; qa.evaluation.score_retrieval) from a store
             built with each backend over BBC + the MultiHop-RAG evidence corpus + corpus/;
             goal: Hits@10 of int8 within 1 point of torch.
3. cold start `qa ask "..." --mode extractive` in a fresh process, per backend, and where its
             time goes (imports, store open, model load, the answer).

    python bench/embed_bench.py                                  # everything (~1 h on 2 cores)
    python bench/embed_bench.py --store-torch /work/evalstores/full   # reuse a torch store
    python bench/embed_bench.py --chunks 400 --limit 300         # a quick run
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from shared_data import DATA  # noqa: E402

from index import Embedder, chunk_article, onnx_backend, read_paths, update_store  # noqa: E402

BBC = DATA / "bbc-news" / "articles.jsonl"
MULTIHOP = DATA / "multihop-rag" / "evidence_corpus.jsonl"
QUERIES = DATA / "multihop-rag" / "dev_queries.jsonl"
SEED = REPO / "corpus"
QUESTION = "What did Li Qiang ask of Brussels?"
DEFAULT_OUT = REPO / "bench" / "results" / "embed_bench.json"
BACKENDS = ("torch", "onnx-fp32", "onnx-int8")
BATCH_SIZE = 32
GOALS = {"speedup": 2.0, "hits10_drop_points": 1.0}

# What a fresh `qa ask` process does, stage by stage (run with the backend in QA_EMBED_BACKEND).
COLD_SCRIPT = r"""
import json, os, sys, time
t0 = time.perf_counter()
import qa.cli  # noqa: F401  (what the console script imports first)
from qa import Assistant
t1 = time.perf_counter()
assistant = Assistant.open(sys.argv[1], mode="extractive")
t2 = time.perf_counter()
_ = assistant.embedder.model
t3 = time.perf_counter()
answer = assistant.ask(sys.argv[2], mode="extractive")
t4 = time.perf_counter()
heavy = ["torch", "transformers", "sentence_transformers", "llama_index.core", "llama_cpp",
         "onnxruntime", "gradio", "trafilatura", "pypdf"]
print(json.dumps({"import_s": t1 - t0, "open_s": t2 - t1, "model_load_s": t3 - t2,
                  "answer_s": t4 - t3, "total_s": t4 - t0, "cited": len(answer.citations),
                  "abstained": answer.abstained,
                  "loaded": [m for m in heavy if m in sys.modules]}))
"""

IMPORT_SCRIPT = r"""
import json, sys, time
t = time.perf_counter(); import torch  # noqa
a = time.perf_counter(); import sentence_transformers  # noqa
b = time.perf_counter(); import onnxruntime, tokenizers  # noqa
c = time.perf_counter(); import llama_index.core  # noqa
d = time.perf_counter()
print(json.dumps({"torch": a - t, "sentence_transformers (after torch)": b - a,
                  "onnxruntime + tokenizers": c - b, "llama_index.core": d - c}))
"""


def bbc_chunks(embedder: Embedder, articles: int | None) -> list[str]:
    """What a build of the BBC corpus embeds, chunked as update_store chunks it."""
    texts = []
    read = read_paths([BBC]).articles
    for article in read[:articles] if articles else read:
        texts += [d.embed_text for d in
                  chunk_article(article, embedder.count_tokens, embedder.max_tokens)]
    return texts


def timed_encode(embedder: Embedder, texts: list[str]) -> tuple[np.ndarray, float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    vectors = embedder.encode(texts)
    return vectors, time.perf_counter() - wall, time.process_time() - cpu


def speed(embedders: dict[str, Embedder], texts: list[str], rounds: int,
          console: Console) -> dict[str, Any]:
    """Each backend encodes the same texts once per round; the order rotates every round."""
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in embedders}
    vectors: dict[str, np.ndarray] = {}
    names = list(embedders)
    for number in range(rounds):
        order = names[number % len(names):] + names[:number % len(names)]
        for name in order:
            result, wall, cpu = timed_encode(embedders[name], texts)
            vectors[name] = result
            runs[name].append((wall, cpu))
            console.log(f"round {number + 1}: {name:10s} {len(texts) / wall:6.1f} chunks/s "
                        f"(wall {wall:.1f} s, CPU {cpu:.1f} s)")
    out: dict[str, Any] = {"texts": len(texts), "rounds": rounds, "backends": {}}
    base_wall = sum(w for w, _ in runs["torch"])
    base_cpu = sum(c for _, c in runs["torch"])
    reference = vectors["torch"]
    for name in names:
        wall = sum(w for w, _ in runs[name])
        cpu = sum(c for _, c in runs[name])
        cosines = np.sum(vectors[name] * reference, axis=1)
        out["backends"][name] = {
            "wall_s": [w for w, _ in runs[name]], "cpu_s": [c for _, c in runs[name]],
            "chunks_per_s": len(texts) * rounds / wall,
            "chunks_per_cpu_s": len(texts) * rounds / cpu,
            "speedup_wall": base_wall / wall, "speedup_cpu": base_cpu / cpu,
            # Per round, so a round where the machine was busier does not decide alone.
            "speedup_wall_per_round": [tw / w for (tw, _), (w, _) in
                                       zip(runs["torch"], runs[name], strict=True)],
            "cosine_vs_torch_min": float(cosines.min()),
            "cosine_vs_torch_mean": float(cosines.mean()),
        }
    return out


def build_store(path: Path, embedder: Embedder, inputs: list[Path], console: Console
                ) -> dict[str, Any]:
    console.log(f"building {path} with {embedder.name} ...")
    cpu, wall = time.process_time(), time.perf_counter()
    summary = update_store(path, inputs, embedder=embedder)
    seconds, cpu = time.perf_counter() - wall, time.process_time() - cpu
    console.log(f"  {summary.chunks_added} chunks in {seconds:.0f} s")
    return {"path": str(path), "articles": len(summary.added) + summary.unchanged,
            "chunks_embedded": summary.chunks_embedded, "build_s": seconds, "build_cpu_s": cpu,
            "chunks_per_s": summary.chunks_embedded / seconds if seconds else None}


def retrieval(store: Path, backend: str, query_limit: int | None) -> dict[str, Any]:
    from qa import Assistant
    from qa.evaluation import load_queries, score_retrieval

    queries = load_queries(QUERIES)[:query_limit] if query_limit else load_queries(QUERIES)
    # onnx-fp32 is not a setting of its own: the model name with its suffix selects it.
    chosen = {"torch": {"embed_backend": "torch"}, "onnx-int8": {"embed_backend": "onnx"},
              "onnx-fp32": {"embed_model": "all-MiniLM-L6-v2+onnx-fp32"}}[backend]
    assistant = Assistant.open(store, mode="extractive", **chosen)
    try:
        scores = score_retrieval(queries, lambda q: [p.text for p in
                                                     assistant.retrieve(q, k=10)])
        stats = assistant.stats()
    finally:
        assistant.close()
    return {"store": str(store), "embed_model": stats.embed_model, "chunks": stats.chunks,
            "queries": scores.queries, "hits4": scores.hits[4], "hits10": scores.hits[10],
            "mrr10": scores.mrr10,
            "latency_ms_median": statistics.median(scores.latency_ms) if scores.latency_ms
            else None}


def cold_start(stores: dict[str, Path], runs: int, console: Console) -> dict[str, Any]:
    """`qa ask` in fresh processes, and the same path timed stage by stage."""
    qa = shutil.which("qa", path=str(Path(sys.executable).parent)) or "qa"
    out: dict[str, Any] = {"question": QUESTION, "runs": runs, "backends": {}}
    for backend, store in stores.items():
        env = {**os.environ, "QA_EMBED_BACKEND": backend.split("-")[0]}
        walls, stages = [], []
        for _ in range(runs):
            started = time.perf_counter()
            done = subprocess.run([qa, "ask", QUESTION, "--mode", "extractive", "--store",
                                   str(store)], env=env, capture_output=True, text=True,
                                  cwd=REPO, timeout=600)
            walls.append(time.perf_counter() - started)
            if done.returncode != 0:
                raise SystemExit(f"qa ask failed with {backend}: {done.stderr[-2000:]}")
            staged = subprocess.run([sys.executable, "-c", COLD_SCRIPT, str(store), QUESTION],
                                    env=env, capture_output=True, text=True, cwd=REPO,
                                    timeout=600)
            if staged.returncode != 0:
                raise SystemExit(f"the staged cold start failed: {staged.stderr[-2000:]}")
            stages.append(json.loads(staged.stdout.strip().splitlines()[-1]))
        median = {key: statistics.median(s[key] for s in stages)
                  for key in ("import_s", "open_s", "model_load_s", "answer_s", "total_s")}
        out["backends"][backend] = {"qa_ask_s": walls, "qa_ask_median_s": statistics.median(walls),
                                    "stages_median_s": median, "loaded": stages[-1]["loaded"],
                                    "answer_cited": stages[-1]["cited"]}
        console.log(f"cold start {backend}: qa ask {statistics.median(walls):.1f} s")
    imports = subprocess.run([sys.executable, "-c", IMPORT_SCRIPT], capture_output=True,
                             text=True, cwd=REPO, timeout=600)
    out["import_costs_s"] = json.loads(imports.stdout.strip().splitlines()[-1]) \
        if imports.returncode == 0 else {"error": imports.stderr[-500:]}
    base = out["backends"]["torch"]["qa_ask_median_s"]
    for data in out["backends"].values():
        data["vs_torch"] = data["qa_ask_median_s"] / base
    return out


def run(args: argparse.Namespace, console: Console) -> dict[str, Any]:
    import onnxruntime
    import torch

    results: dict[str, Any] = {
        "python": platform.python_version(), "torch": torch.__version__,
        "onnxruntime": onnxruntime.__version__, "cpus": os.cpu_count(),
        "torch_threads": torch.get_num_threads(), "batch_size": BATCH_SIZE,
        "onnx_run_batch": onnx_backend.RUN_BATCH,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    work = Path(tempfile.mkdtemp(prefix="embed-bench-"))
    try:
        cache = args.cache or work  # the exported models live in <cache>/models
        embedders: dict[str, Embedder] = {}
        for backend in BACKENDS:
            embedder = Embedder(backend=backend, batch_size=BATCH_SIZE, cache_dir=cache)
            started = time.perf_counter()
            model = embedder.model
            results.setdefault("load_s", {})[backend] = time.perf_counter() - started
            if backend != "torch":
                results.setdefault("export", {})[backend] = {
                    "exported_now": model.exported, "seconds": model.info["export_seconds"],
                    "model_mb": model.info["model_bytes"] / 1e6,
                    "probe_min_cosine": model.info.get(f"probe_min_cosine_{backend[5:]}")}
            embedder.encode(["warm up"] * 4)
            embedders[backend] = embedder

        # 1. speed (and vector agreement) on BBC chunks
        texts = bbc_chunks(embedders["torch"], None)
        results["bbc_chunks_total"] = len(texts)
        if args.chunks and args.chunks < len(texts):
            texts = random.Random(7).sample(texts, args.chunks)
        results["speed"] = speed(embedders, texts, args.rounds, console)

        # 2. retrieval from a store built with each backend
        if not args.skip_retrieval:
            inputs = [MULTIHOP, SEED]
            if args.limit:
                bbc = work / f"bbc-first-{args.limit}.jsonl"
                with open(BBC, encoding="utf-8") as source:
                    bbc.write_text("".join(line for _, line in zip(range(args.limit), source,
                                                                    strict=False)))
                inputs.insert(0, bbc)
            else:
                inputs.insert(0, BBC)
            results["retrieval"] = {"inputs": [str(p) for p in inputs], "backends": {}}
            for backend in ("torch", "onnx-int8") + (("onnx-fp32",) if args.fp32_store else ()):
                if backend == "torch" and args.store_torch:
                    store, built = args.store_torch, {"path": str(args.store_torch),
                                                      "reused": True}
                else:
                    store = work / f"store-{backend}"
                    if backend != "torch":
                        shutil.copytree(cache / "models", store / "models")
                    built = build_store(store, Embedder(backend=backend, cache_dir=store),
                                        inputs, console)
                scored = retrieval(store, backend, args.queries)
                results["retrieval"]["backends"][backend] = {"build": built, **scored}
                console.log(f"{backend}: Hits@10 {scored['hits10']:.3f}, "
                            f"MRR@10 {scored['mrr10']:.3f}")

        # 3. cold start of `qa ask`, on a store of corpus/ built with each backend
        if not args.skip_cold:
            stores = {}
            for backend in ("torch", "onnx-int8"):
                store = work / f"seed-{backend}"
                if backend != "torch":
                    shutil.copytree(cache / "models", store / "models")
                update_store(store, [SEED], embedder=Embedder(backend=backend, cache_dir=store))
                stores[backend] = store
            results["cold_start"] = cold_start(stores, args.cold_runs, console)
        results["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return results


def show(results: dict[str, Any], out: Path, console: Console) -> None:
    s = results["speed"]
    table = Table(title=f"Embedding speed: {s['texts']:,} BBC chunks x {s['rounds']} rounds "
                        f"(of {results['bbc_chunks_total']:,}); torch batch "
                        f"{results['batch_size']}, onnx {results.get('onnx_run_batch', '?')} "
                        "per run, a run per core")
    for column in ("backend", "chunks/s", "x torch (wall)", "per round", "chunks/CPU-s",
                   "x torch (CPU)", "cosine vs torch (min / mean)", "goal"):
        table.add_column(column, justify="left" if column == "backend" else "right")
    for name, data in s["backends"].items():
        goal = ""
        if name == "onnx-int8":
            ok = data["speedup_wall"] >= GOALS["speedup"]
            goal = f">= {GOALS['speedup']}x " + ("[green]ok[/]" if ok else "[red]under[/]")
        table.add_row(name, f"{data['chunks_per_s']:.1f}", f"{data['speedup_wall']:.2f}",
                      ", ".join(f"{x:.2f}" for x in data["speedup_wall_per_round"]),
                      f"{data['chunks_per_cpu_s']:.1f}", f"{data['speedup_cpu']:.2f}",
                      f"{data['cosine_vs_torch_min']:.4f} / {data['cosine_vs_torch_mean']:.4f}",
                      goal)
    console.print(table)

    if "retrieval" in results:
        r = results["retrieval"]["backends"]
        table = Table(title="Retrieval on the MultiHop-RAG dev queries (hybrid, k=10)")
        for column in ("backend", "store chunks", "Hits@4", "Hits@10", "MRR@10",
                       "Hits@10 vs torch", "build chunks/s", "goal"):
            table.add_column(column, justify="left" if column == "backend" else "right")
        for name, data in r.items():
            drop = 100 * (data["hits10"] - r["torch"]["hits10"])
            goal = ""
            if name == "onnx-int8":
                ok = -drop <= GOALS["hits10_drop_points"]
                goal = "within 1 pt " + ("[green]ok[/]" if ok else "[red]no[/]")
            rate = data["build"].get("chunks_per_s")
            table.add_row(name, f"{data['chunks']:,}", f"{data['hits4']:.3f}",
                          f"{data['hits10']:.3f}", f"{data['mrr10']:.3f}",
                          f"{drop:+.1f} pt", f"{rate:.1f}" if rate else "reused", goal)
        console.print(table)

    if "cold_start" in results:
        c = results["cold_start"]
        table = Table(title=f"Cold start: qa ask --mode extractive (median of {c['runs']})")
        for column in ("backend", "qa ask", "x torch", "imports", "store open",
                       "model load", "answer", "heavy modules loaded"):
            table.add_column(column, justify="left" if column in ("backend",
                             "heavy modules loaded") else "right")
        for name, data in c["backends"].items():
            st = data["stages_median_s"]
            table.add_row(name, f"{data['qa_ask_median_s']:.1f} s", f"{data['vs_torch']:.2f}",
                          f"{st['import_s']:.1f} s", f"{st['open_s']:.1f} s",
                          f"{st['model_load_s']:.1f} s", f"{st['answer_s']:.1f} s",
                          ", ".join(data["loaded"]))
        console.print(table)
        console.print("import costs in a fresh process: " + ", ".join(
            f"{k} {v:.1f} s" for k, v in c["import_costs_s"].items()
            if isinstance(v, (int, float))))
    console.print(f"{results['cpus']} CPUs, torch threads {results['torch_threads']}, "
                  f"onnxruntime {results['onnxruntime']}; JSON written to {out}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chunks", type=int, default=None,
                        help="time a random sample of N BBC chunks (default: all)")
    parser.add_argument("--rounds", type=int, default=2, help="timing rounds per backend")
    parser.add_argument("--limit", type=int, default=None,
                        help="retrieval stores hold only the first N BBC articles (plus all "
                             "MultiHop-RAG evidence and corpus/)")
    parser.add_argument("--queries", type=int, default=None, help="only the first N queries")
    parser.add_argument("--store-torch", type=Path, default=None,
                        help="reuse this store (built with torch from the same inputs)")
    parser.add_argument("--fp32-store", action="store_true",
                        help="also build and score a store with onnx-fp32")
    parser.add_argument("--cache", type=Path, default=None,
                        help="keep the exported models here (<cache>/models) between runs")
    parser.add_argument("--skip-retrieval", action="store_true")
    parser.add_argument("--skip-cold", action="store_true")
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    for path in (BBC, MULTIHOP, QUERIES):
        if not path.exists():
            parser.error(f"missing evaluation data: {path}")
    console = Console()
    results = run(args, console)
    show(results, args.out, console)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
