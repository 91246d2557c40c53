"""The web chat under load, and picking up a new index version without a restart.

The server is `qa serve` itself, in its own process on 127.0.0.1, on a copy of the seed store;
the only addition is a counter around the Assistant's answer generator (the real one runs), so
the test can see how many answers were being computed at once. Clients are gradio_client
sessions, one per simulated user, each with its own conversation.
"""

from __future__ import annotations

import json
import shutil
import statistics
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from rel_helpers import REPORTS, SEED_QUESTION, free_port, markdown, run_qa, start_python, stop

SESSIONS = 20
QUESTIONS_PER_SESSION = 10
CONCURRENCY = 2

# Questions about the seed article and what each answer must contain (as HTML-escaped text).
QUESTIONS = [
    (SEED_QUESTION, "prudent when introducing restrictive economic and trade policies"),
    ("What is the EU probing?", "subsidies for electric vehicles"),
    ("How big was the EU's trade deficit with China?",
     "trade deficit with China swelled to about 400 billion euros"),
    ("What did Xi say about the partnership with the EU?", "comprehensive strategic partnership"),
    ("What did Olaf Scholz say at the summit?", "nd-abstain"),  # the articles don't say
]

SERVER = """
import json, os, sys, threading, time
import qa.assistant

# Count answers in progress around the real answer generator.
real = qa.assistant.Assistant._answer
state = {"active": 0, "peak": 0, "answers": 0}
lock = threading.Lock()

def counted(self, *args, **kwargs):
    with lock:
        state["active"] += 1
        state["peak"] = max(state["peak"], state["active"])
    try:
        yield from real(self, *args, **kwargs)
    finally:
        with lock:
            state["active"] -= 1
            state["answers"] += 1

qa.assistant.Assistant._answer = counted

def report(path):
    while True:
        with lock:
            data = dict(state)
        with open(path + ".tmp", "w") as handle:
            json.dump(data, handle)
        os.replace(path + ".tmp", path)
        time.sleep(0.2)

threading.Thread(target=report, args=(sys.argv[1],), daemon=True).start()
from qa.cli import main
sys.argv = ["qa", "serve", *sys.argv[2:]]
main()
"""


@dataclass
class Served:
    url: str
    pid: int
    store: Path
    stats: Path

    def counters(self) -> dict:
        return json.loads(self.stats.read_text())


@pytest.fixture
def served(seed_store, tmp_path):
    """`qa serve` (extractive answers, two at a time) on a private copy of the seed store."""
    store = tmp_path / "store"
    shutil.copytree(seed_store, store)
    stats = tmp_path / "counters.json"
    server = start_python(SERVER, str(stats), "--store", str(store), "--port",
                          str(free_port()),
                          env={"QA_MODE": "extractive", "QA_CONCURRENCY": str(CONCURRENCY)})
    try:
        line = server.stdout.readline()
        assert line.startswith("Newsdesk web chat: http://127.0.0.1:"), \
            line + server.stderr.read()
        url = line.split()[3]
        deadline = time.monotonic() + 60
        while not stats.exists():
            assert time.monotonic() < deadline
            time.sleep(0.1)
        yield Served(url, server.pid, store, stats)
    finally:
        stop(server)


def client(url: str):
    from gradio_client import Client

    return Client(url, verbose=False, download_files=False)


def last_turn(transcript: str) -> str:
    assert '<div class="nd-turn"' in transcript, transcript[:300]
    return transcript.rsplit('<div class="nd-turn"', 1)[1]


def ask(session, question: str) -> tuple[str, str]:
    """Ask through the page's /ask endpoint; return (the last turn's HTML, the status line)."""
    transcript, _, _, status = session.predict(question, "extractive", None, None, [],
                                               api_name="/ask")
    return last_turn(transcript), status


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_twenty_concurrent_chat_sessions(served):
    """20 sessions ask 10 questions each (200), all at once: no failed request, every answer
    right, never more than `concurrency` answers computed at once, and the server's memory
    levels off. Throughput and p95 latency go to the run's summary."""
    process = psutil.Process(served.pid)
    latencies: list[float] = []
    failures: list[str] = []
    wrong: list[str] = []
    memory: list[tuple[int, int]] = []  # (answers done, RSS bytes)
    done = threading.Event()
    lock = threading.Lock()
    start = threading.Barrier(SESSIONS)

    def user(number: int) -> None:
        try:
            session = client(served.url)
            start.wait(timeout=300)
            for turn in range(QUESTIONS_PER_SESSION):
                question, expected = QUESTIONS[(number + turn) % len(QUESTIONS)]
                began = time.monotonic()
                html, _ = ask(session, question)
                took = time.monotonic() - began
                with lock:
                    latencies.append(took)
                    if 'data-state="done"' not in html or expected not in html:
                        wrong.append(f"{question!r}: {html[:400]}")
        except Exception as error:  # noqa: BLE001 - every failure is reported below
            with lock:
                failures.append(f"session {number}: {type(error).__name__}: {error}")

    def watch() -> None:
        while not done.is_set():
            memory.append((len(latencies), process.memory_info().rss))
            time.sleep(0.5)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    began = time.monotonic()
    users = [threading.Thread(target=user, args=(n,)) for n in range(SESSIONS)]
    for thread in users:
        thread.start()
    for thread in users:
        thread.join(timeout=1500)
    elapsed = time.monotonic() - began
    done.set()
    watcher.join()
    memory.append((len(latencies), process.memory_info().rss))

    assert not any(thread.is_alive() for thread in users), "sessions still running"
    assert failures == [], failures[:5]
    assert wrong == [], wrong[:3]
    total = SESSIONS * QUESTIONS_PER_SESSION
    assert len(latencies) == total
    # The counters file is rewritten every 0.2 s, and a generator's last step can end just
    # after its client got the final update: let the count catch up before comparing it.
    deadline = time.monotonic() + 10
    counters = served.counters()
    while (counters["answers"] < total or counters["active"]) and time.monotonic() < deadline:
        time.sleep(0.2)
        counters = served.counters()
    assert counters["answers"] == total
    assert counters["peak"] == CONCURRENCY, counters  # the queue bounds concurrency

    # Memory levels off: after the first quarter of the questions it grows by little.
    settled = next(rss for count, rss in memory if count >= total // 4)
    final = memory[-1][1]
    growth_mb = (final - settled) / 2**20
    p95 = statistics.quantiles(latencies, n=20)[-1]
    REPORTS["web chat load"] = {
        "sessions": SESSIONS, "questions": total, "seconds": round(elapsed, 1),
        "throughput_per_s": round(total / elapsed, 2),
        "latency_p50_s": round(statistics.median(latencies), 2),
        "latency_p95_s": round(p95, 2), "max_latency_s": round(max(latencies), 2),
        "concurrency_peak": counters["peak"],
        "rss_mb_after_quarter": round(settled / 2**20), "rss_mb_end": round(final / 2**20)}
    assert growth_mb < 100, REPORTS["web chat load"]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_web_chat_picks_up_a_new_version_without_a_restart(served, tmp_path):
    question = "What did harbour master Tamsin Brack say about the Glimmerwick seawall?"
    session = client(served.url)
    html, status = ask(session, question)
    assert "nd-abstain" in html and ">1 article<" in status
    folder = tmp_path / "new"
    folder.mkdir()
    (folder / "glimmerwick.md").write_text(markdown(
        "Glimmerwick harbour reopens",
        "The Glimmerwick harbour reopened on Monday after the storm damaged its seawall.\n\n"
        "Harbour master Tamsin Brack said the Glimmerwick seawall repairs cost 3 million "
        "crowns and took eleven weeks.", "2024-06-01", "Harbour Bulletin"), encoding="utf-8")
    indexed = run_qa("index", str(folder), "--store", str(served.store))
    assert indexed.returncode == 0, indexed.stderr

    html, status = ask(session, question)  # the same session, the same server process
    assert "Glimmerwick seawall repairs cost 3 million crowns" in html, html[:500]
    assert "nd-abstain" not in html and ">2 articles<" in status
    fresh_html, _ = ask(client(served.url), question)  # and a new visitor
    assert "Glimmerwick seawall repairs cost 3 million crowns" in fresh_html
