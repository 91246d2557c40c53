"""Cold start: how long a fresh `qa ask --mode extractive` takes, ONNX int8 (the default)
against PyTorch, measured in the same run.

Two stores of corpus/ are built, one with each backend; then `qa ask` runs in fresh processes,
alternating between the stores, with no embedding setting at all (each store's recorded
backend decides, as for a user who upgraded with an older PyTorch store). Per backend: the
median wall time of the command, the same path timed stage by stage in another fresh process
(imports, store open, embedder load, the answer), and the time until a fresh `qa serve` answers
HTTP. Goal: the ONNX median under 3 s (on a quiet machine); the ratio to PyTorch is printed
because these machines are shared and noisy.

    python bench/coldstart_bench.py              # 7 runs per backend (~3 min on 2 cores)
    python bench/coldstart_bench.py --runs 3 --serve-runs 0
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from index import Embedder, update_store  # noqa: E402

SEED = REPO / "corpus"
QUESTION = "What did Li Qiang ask of Brussels?"
DEFAULT_OUT = REPO / "bench" / "results" / "coldstart_bench.json"
BACKENDS = ("torch", "onnx-int8")
GOAL_S = 3.0

# What a fresh `qa ask` process does, stage by stage.
STAGED = r"""
import json, sys, time
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
         "onnxruntime", "gradio"]
print(json.dumps({"import_s": t1 - t0, "open_s": t2 - t1, "model_load_s": t3 - t2,
                  "answer_s": t4 - t3, "total_s": t4 - t0, "backend": assistant.embedder.backend,
                  "cited": len(answer.citations),
                  "loaded": [m for m in heavy if m in sys.modules]}))
"""


def environment() -> dict[str, str]:
    """The user's environment without any embedding choice: the store decides."""
    return {k: v for k, v in os.environ.items() if k not in ("QA_EMBED_BACKEND",
                                                             "QA_EMBED_MODEL", "QA_CONFIG")}


def build(work: Path, console: Console) -> dict[str, Path]:
    stores = {}
    for backend in BACKENDS:
        store = work / f"seed-{backend}"
        embedder = Embedder(backend=backend, cache_dir=store, notice=console.log)
        update_store(store, [SEED], embedder=embedder)
        stores[backend] = store
    return stores


def ask_once(qa: str, store: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run([qa, "ask", QUESTION, "--mode", "extractive", "--store", str(store)],
                          env=environment(), capture_output=True, text=True, cwd=REPO,
                          timeout=600)
    seconds = time.perf_counter() - started
    if done.returncode != 0 or "[1]" not in done.stdout:
        raise SystemExit(f"qa ask failed on {store}: {done.stderr[-2000:]}")
    return seconds


def staged_once(store: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", STAGED, str(store), QUESTION],
                          env=environment(), capture_output=True, text=True, cwd=REPO,
                          timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"the staged cold start failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def serve_once(qa: str, store: Path) -> float:
    """Seconds from starting `qa serve` until its page answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.perf_counter()
    server = subprocess.Popen([qa, "serve", "--store", str(store), "--port", str(port)],
                              env=environment(), cwd=REPO, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = started + 300
        while time.perf_counter() < deadline:
            if server.poll() is not None:
                raise SystemExit(f"qa serve exited with {server.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                    if page.status == 200:
                        return time.perf_counter() - started
            except OSError:
                time.sleep(0.1)
        raise SystemExit("qa serve did not answer within 300 s")
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def run(args: argparse.Namespace, console: Console) -> dict[str, Any]:
    qa = shutil.which("qa", path=str(Path(sys.executable).parent)) or "qa"
    results: dict[str, Any] = {"python": platform.python_version(), "cpus": os.cpu_count(),
                               "question": QUESTION, "runs": args.runs,
                               "serve_runs": args.serve_runs,
                               "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                               "backends": {}}
    work = Path(tempfile.mkdtemp(prefix="coldstart-bench-"))
    try:
        stores = build(work, console)
        asks: dict[str, list[float]] = {b: [] for b in BACKENDS}
        stages: dict[str, list[dict]] = {b: [] for b in BACKENDS}
        serves: dict[str, list[float]] = {b: [] for b in BACKENDS}
        # The first process of each pays for cold file caches: not counted.
        for backend in BACKENDS:
            ask_once(qa, stores[backend])
        for number in range(args.runs):
            order = BACKENDS if number % 2 == 0 else BACKENDS[::-1]  # load drift hits both
            for backend in order:
                asks[backend].append(ask_once(qa, stores[backend]))
                stages[backend].append(staged_once(stores[backend]))
                console.log(f"run {number + 1}: {backend:9s} qa ask {asks[backend][-1]:.2f} s")
        for number in range(args.serve_runs):
            for backend in BACKENDS if number % 2 == 0 else BACKENDS[::-1]:
                serves[backend].append(serve_once(qa, stores[backend]))
                console.log(f"serve {number + 1}: {backend:9s} {serves[backend][-1]:.1f} s")
        for backend in BACKENDS:
            median = {key: statistics.median(s[key] for s in stages[backend])
                      for key in ("import_s", "open_s", "model_load_s", "answer_s", "total_s")}
            results["backends"][backend] = {
                "qa_ask_s": asks[backend], "qa_ask_median_s": statistics.median(asks[backend]),
                "stages_median_s": median, "backend_used": stages[backend][-1]["backend"],
                "loaded": stages[backend][-1]["loaded"],
                "serve_ready_s": serves[backend],
                "serve_ready_median_s": statistics.median(serves[backend])
                if serves[backend] else None}
        base = results["backends"]["torch"]["qa_ask_median_s"]
        for data in results["backends"].values():
            data["vs_torch"] = data["qa_ask_median_s"] / base
        onnx = results["backends"]["onnx-int8"]["qa_ask_median_s"]
        results["goal"] = {"onnx_median_under_s": GOAL_S, "met": onnx < GOAL_S}
        results["load_average_after"] = os.getloadavg()
        results["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return results


def show(results: dict[str, Any], out: Path, console: Console) -> None:
    table = Table(title=f"Cold start of `qa ask --mode extractive` in a fresh process (median of "
                        f"{results['runs']}, the two backends alternating)")
    for column in ("store built with", "qa ask", "x torch", "runs", "imports", "store open",
                   "embedder load", "answer", "qa serve ready", "goal"):
        table.add_column(column, justify="left" if column == "store built with" else "right")
    for name, data in results["backends"].items():
        st = data["stages_median_s"]
        goal = ""
        if name == "onnx-int8":
            goal = f"< {GOAL_S:.0f} s " + ("[green]met[/]" if results["goal"]["met"]
                                           else "[red]not met[/]")
        ready = data["serve_ready_median_s"]
        table.add_row(name, f"{data['qa_ask_median_s']:.2f} s", f"{data['vs_torch']:.2f}",
                      ", ".join(f"{x:.1f}" for x in data["qa_ask_s"]),
                      f"{st['import_s']:.2f} s", f"{st['open_s']:.2f} s",
                      f"{st['model_load_s']:.2f} s", f"{st['answer_s']:.2f} s",
                      f"{ready:.1f} s" if ready is not None else "-", goal)
    console.print(table)
    for name, data in results["backends"].items():
        console.print(f"{name}: embedder used {data['backend_used']}; heavy modules loaded: "
                      f"{', '.join(data['loaded']) or 'none'}")
    load = results["load_average_after"]
    console.print(f"{results['cpus']} CPUs, load average after the run {load[0]:.1f}; JSON "
                  f"written to {out}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh `qa ask` runs per backend")
    parser.add_argument("--serve-runs", type=int, default=3,
                        help="fresh `qa serve` starts per backend (0: skip)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    console = Console(width=150)
    results = run(args, console)
    show(results, args.out, console)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
