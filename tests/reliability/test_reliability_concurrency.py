"""One writer at a time, and readers that never wait for it.

Two `qa index` runs on one store: the second refuses with a clear message, or waits with
--wait; a writer that dies does not hold the lock. While `qa index` replaces half the corpus, a
process asking questions in a loop gets no error, and every answer cites passages exactly as
they are in the version it read.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest
from rel_helpers import (
    REPORTS,
    assert_consistent,
    markdown,
    one_line_error,
    run_qa,
    start_python,
    start_qa,
    stop,
    stored_state,
)

import index.versions
from index import open_store, read_paths, update_store
from index.versions import LOCK_FILE

SUBJECTS = ["lighthouse", "drawbridge", "museum", "stadium", "reservoir", "tramway",
            "aquarium", "planetarium", "ferry terminal", "botanic garden"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


def fact(subject: str, variant: int) -> str:
    n = SUBJECTS.index(subject)
    return (f"The {subject} will reopen on {DAYS[(n + variant) % 6]} after repairs costing "
            f"{n + 3 + 10 * variant} million crowns.")


def write_news(folder: Path, variant_of) -> None:
    """One article per subject; `variant_of(subject)` picks the version of its facts."""
    folder.mkdir(parents=True, exist_ok=True)
    for subject in SUBJECTS:
        variant = variant_of(subject)
        body = (f"Engineers inspected the {subject} for weeks. {fact(subject, variant)} "
                f"Visitors to the {subject} were told to expect queues.\n\n"
                f"The city council discussed the {subject} budget on Friday. Council members "
                f"said the {subject} is one of the most visited places in town.")
        (folder / f"{subject.replace(' ', '-')}.md").write_text(
            markdown(f"The {subject} reopens", body, "2024-05-0" + str(1 + variant)),
            encoding="utf-8")


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def holds_lock_file(pid: int, store: Path) -> bool:
    """Whether the process has the store's lock file open (it is at the lock)."""
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(store / LOCK_FILE)
                   for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return False


# --- one writer at a time -----------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.timeout(900)
def test_two_qa_index_runs_on_one_store(tmp_path, embedder):
    """A `qa index` holds the lock (stopped there, like a laptop closed mid-update): a second
    run refuses with the holder's pid and --wait; a reader answers meanwhile; a run with --wait
    waits; when the holder is killed the waiting run takes over and completes."""
    store = tmp_path / "store"
    base = tmp_path / "base"
    write_news(base, lambda subject: 0)
    update_store(store, [base], embedder=embedder)
    first, second = tmp_path / "first", tmp_path / "second"
    write_news(first, lambda subject: 1)
    write_news(second, lambda subject: 2)
    before = stored_state(store)

    holder = start_qa("index", str(first), "--store", str(store))
    waiter = None
    try:
        wait_for(lambda: (store / LOCK_FILE).read_text().strip() == str(holder.pid), 300,
                 "the first qa index to take the lock")
        os.kill(holder.pid, signal.SIGSTOP)
        refused = run_qa("index", str(second), "--store", str(store))
        one_line_error(refused, f"another process (pid {holder.pid}) is updating the store",
                       "--wait SECONDS")
        asked = run_qa("ask", "When will the lighthouse reopen?", "--store", str(store),
                       "--mode", "extractive")
        assert asked.returncode == 0, asked.stderr
        assert asked.stdout.startswith(fact("lighthouse", 0)[:-1]), asked.stdout
        assert stored_state(store) == before

        waiter = start_qa("index", str(second), "--store", str(store), "--wait", "600",
                          "--json")
        wait_for(lambda: holds_lock_file(waiter.pid, store), 300, "the waiting run at the lock")
        time.sleep(2)
        assert waiter.poll() is None, "the run with --wait did not wait"
        os.kill(holder.pid, signal.SIGKILL)  # dies holding the lock
        out, err = waiter.communicate(timeout=600)
        assert waiter.returncode == 0, err
        summary = json.loads(out)
    finally:
        if holder.poll() is None:
            os.kill(holder.pid, signal.SIGCONT)
        stop(holder)
        if waiter is not None:
            stop(waiter)
    assert summary["version"] > before[0]
    assert_consistent(store)
    with open_store(store) as opened:
        quotes = {opened.article(i).text.split(". ")[1] + "." for i in opened.article_ids()}
    assert fact("museum", 2) in quotes and fact("museum", 0) not in quotes


# --- readers during a write ---------------------------------------------------------------

def test_a_reader_whose_version_is_collected_while_it_opens_reads_the_new_one(
        tmp_path, embedder, monkeypatch):
    """While a reader checks a big version, writers publish two more and collect it (the last
    two are kept): the reader opens the live version, it does not report damage."""
    folder = tmp_path / "news"
    write_news(folder, lambda subject: 0)
    store = tmp_path / "store"
    update_store(store, [folder], embedder=embedder)
    real_check = index.versions.check_manifest
    calls = []

    def check_while_writers_publish(version_folder, verify="full"):
        calls.append(version_folder.name)
        if len(calls) == 1:
            for variant in (1, 2):
                write_news(folder, lambda subject, v=variant: v)
                update_store(store, [folder], embedder=embedder)
            assert not version_folder.exists()  # collected under the reader's feet
        return real_check(version_folder, verify)

    monkeypatch.setattr(index.versions, "check_manifest", check_while_writers_publish)
    with open_store(store) as opened:
        assert opened.version == 3
    assert calls[0] == "v000000001" and calls[-1] == "v000000003"


ASKER = """
import json, sys, time
from pathlib import Path
from index import open_store
from qa import Assistant, load_settings

store, stop_file = sys.argv[1], Path(sys.argv[2])
subjects = json.loads(sys.argv[3])
assistant = Assistant(load_settings(store=store, mode="extractive"))
print(json.dumps({"ready": True}), flush=True)
n = 0
while not stop_file.exists() or n < 2 * len(subjects):
    subject = subjects[n % len(subjects)]
    mode = "generate" if n % 7 == 3 else "extractive"
    answer = assistant.ask(f"When will the {subject} reopen?", mode=mode)
    print(json.dumps({"kind": "answer", "subject": subject, "mode": mode,
                      "version": answer.store_version, "abstained": answer.abstained,
                      "citations": [[c.article_id, c.chunk_id, c.quote, list(c.span),
                                     c.passage, c.passage_start] for c in answer.citations],
                      "passages": [[p.article_id, p.chunk_id, p.text, p.start, p.end]
                                   for p in answer.passages]}), flush=True)
    if n % 3 == 0:  # a fresh reader, as each `qa ask` is
        with open_store(store) as fresh:
            chunks = fresh.chunks(fresh.all_chunk_ids())
            print(json.dumps({"kind": "open", "version": fresh.version,
                              "chunks": [[c.article_id, c.chunk_id, c.text, c.start, c.end]
                                         for c in chunks]}), flush=True)
    n += 1
"""


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_questions_in_a_loop_while_qa_index_replaces_half_the_corpus(tmp_path, embedder):
    """A process asks questions in a loop (extractive, and now and then through the local
    model) while `qa index` replaces half the corpus and then changes it back: no error, no
    abstention, and every citation and passage is exactly the text of the version it was
    read from."""
    store = tmp_path / "store"
    texts: dict[int, dict[str, str]] = {}  # version -> article id -> text
    states = [("a", lambda s: 0), ("b", lambda s: 1 if SUBJECTS.index(s) % 2 else 0),
              ("c", lambda s: 2 if SUBJECTS.index(s) % 2 else 0)]
    for name, variant_of in states:
        write_news(tmp_path / name, variant_of)
    for version, (name, _) in enumerate(states, start=1):
        texts[version] = {a.article_id: a.text for a in read_paths([tmp_path / name]).articles}
    assert texts[1] != texts[2] != texts[3]
    update_store(store, [tmp_path / "a"], embedder=embedder)

    stop_file = tmp_path / "stop"
    asker = start_python(ASKER, str(store), str(stop_file), json.dumps(SUBJECTS))
    records: list[dict] = []
    try:
        assert json.loads(asker.stdout.readline()) == {"ready": True}, asker.stderr.read()
        started = time.monotonic()
        for name in ("b", "c"):
            result = run_qa("index", str(tmp_path / name), "--store", str(store))
            assert result.returncode == 0, result.stderr
        indexing = time.monotonic() - started
        stop_file.touch()
        out, err = asker.communicate(timeout=600)
        assert asker.returncode == 0, err
    finally:
        stop(asker)
    records = [json.loads(line) for line in out.splitlines() if line.strip()]
    answers = [r for r in records if r["kind"] == "answer"]
    versions_seen = sorted({r["version"] for r in records})
    REPORTS["questions during qa index"] = {
        "answers": len(answers), "indexing_seconds": round(indexing, 1),
        "versions_seen": versions_seen}
    assert versions_seen[-1] == 3 and len(versions_seen) >= 2, versions_seen

    for record in answers:
        text = texts[record["version"]]
        article_id = f"{record['subject'].replace(' ', '-')}.md"
        assert not record["abstained"], record
        assert record["citations"], record
        assert record["citations"][0][0] == article_id, record
        if record["mode"] == "extractive":  # the model may word (and cite) it otherwise
            variant = {1: 0, 2: 1, 3: 2}[record["version"]] if SUBJECTS.index(
                record["subject"]) % 2 else 0
            assert fact(record["subject"], variant) in {c[2] for c in record["citations"]}
        for cited, _, quote, (start, end), passage, passage_start in record["citations"]:
            assert text[cited][start:end] == quote, (record["version"], quote)
            assert text[cited][passage_start:passage_start + len(passage)] == passage
        for passage_article, _, passage, start, end in record["passages"]:
            assert text[passage_article][start:end] == passage
    for record in (r for r in records if r["kind"] == "open"):
        text = texts[record["version"]]
        assert {c[0] for c in record["chunks"]} == set(text)
        for article_id, _, chunk, start, end in record["chunks"]:
            assert text[article_id][start:end] == chunk
    assert_consistent(store)
