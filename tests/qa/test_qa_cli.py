"""The `qa` command, run as a user runs it: a real process, real store, real models."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

QA = str(Path(sys.executable).parent / "qa")
SEED_QUESTION = "What did Li Qiang ask of Brussels?"


def run(*args: str, env: dict | None = None, stdin: str | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1",
                   "COLUMNS": "200", **(env or {})}
    return subprocess.run([QA, *args], capture_output=True, text=True, env=environment,
                          input=stdin, timeout=600, cwd=cwd)


def test_ask_prints_answer_and_sources(seed_store):
    result = run("ask", SEED_QUESTION, "--store", str(seed_store), "--mode", "extractive")
    assert result.returncode == 0, result.stderr
    first_line = result.stdout.splitlines()[0]
    assert first_line.startswith("Chinese Premier Li told the EU leaders that Beijing hopes "
                                 "Brussels will be prudent when introducing restrictive")
    assert first_line.endswith("[1].")
    assert "Sources:" in result.stdout
    assert "EU urges China to engage in Ukraine peace process" in result.stdout


def test_ask_generate_json(seed_store):
    result = run("ask", SEED_QUESTION, "--store", str(seed_store), "--json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["abstained"] is False
    assert answer["citations"] and answer["citations"][0]["quote"].startswith(
        "Chinese Premier Li told the EU leaders")
    assert "prudent" in answer["text"]


def test_ask_abstains(seed_store):
    result = run("ask", "What did Olaf Scholz say at the summit?", "--store", str(seed_store),
                 "--mode", "extractive")
    assert result.returncode == 0, result.stderr
    assert "don't say" in result.stdout
    assert "Closest passages" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["ask", "anything", "--store", "/nonexistent/store"], "qa index"),
    (["ask", "   ", "--store", "{store}"], "question is empty"),
    (["ask", SEED_QUESTION, "--store", "{store}", "--since", "last week"], "YYYY-MM-DD"),
    (["stats", "--store", "/nonexistent/store"], "qa index"),
])
def test_user_errors_are_one_line_without_traceback(seed_store, args, message):
    result = run(*[a.replace("{store}", str(seed_store)) for a in args])
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_model_file_that_will_not_load(seed_store, tmp_path):
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\0" * 64)
    result = run("ask", SEED_QUESTION, "--store", str(seed_store), "--mode", "generate",
                 env={"QA_LLM": "gguf", "QA_LLM_MODEL": str(bad)})
    assert result.returncode != 0
    assert "could not load" in result.stderr and "broken.gguf" in result.stderr
    assert "Traceback" not in result.stderr
    missing = run("ask", SEED_QUESTION, "--store", str(seed_store), "--mode", "generate",
                  env={"QA_LLM": "gguf", "QA_LLM_MODEL": str(tmp_path / "none.gguf")})
    assert missing.returncode != 0 and "does not exist" in missing.stderr


def test_index_then_stats(tmp_path, mixed_corpus):
    store = tmp_path / "store"
    result = run("index", str(mixed_corpus), "--store", str(store), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert len(summary["added"]) == 61 and summary["failed"] == []
    again = run("index", str(mixed_corpus), "--store", str(store), "--json")
    assert json.loads(again.stdout)["unchanged"] == 61
    assert json.loads(again.stdout)["chunks_embedded"] == 0
    stats = run("stats", "--store", str(store))
    assert stats.returncode == 0, stats.stderr
    assert "articles" in stats.stdout and "61" in stats.stdout
    assert "all-MiniLM-L6-v2" in stats.stdout


def test_index_reports_bad_files_by_name(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good.md").write_text("---\ntitle: Good\n---\nA fine article about harbours.\n")
    (folder / "bad.json").write_text("{not json")
    result = run("index", str(folder), "--store", str(tmp_path / "store"))
    assert result.returncode == 0, result.stderr
    assert "bad.json" in result.stdout and "malformed JSON" in result.stdout


def test_chat_follow_up(seed_store):
    result = run("chat", "--store", str(seed_store), "--mode", "extractive",
                 stdin=f"{SEED_QUESTION}\nand what did Xi say?\n\n")
    assert result.returncode == 0, result.stderr
    assert "prudent" in result.stdout
    assert "Xi said" in result.stdout or "Xi also said" in result.stdout


def test_eval_on_a_query_file(seed_store, tmp_path):
    queries = tmp_path / "queries.jsonl"
    queries.write_text("\n".join(json.dumps(q) for q in [
        {"query": SEED_QUESTION, "answer": "prudent", "question_type": "inference_query",
         "evidence_list": [{"fact": "Beijing hopes Brussels will be prudent"}]},
        {"query": "What did Olaf Scholz say at the summit?",
         "answer": "Insufficient information.", "question_type": "null_query",
         "evidence_list": []},
    ]) + "\n")
    out = tmp_path / "results.json"
    result = run("eval", str(queries), "--store", str(seed_store), "--json", str(out))
    assert result.returncode == 0, result.stderr
    results = json.loads(out.read_text())
    assert results["retrieval"]["hits@10"] == 1.0
    assert results["abstention_on_null"] == 1.0
    assert results["markers_in_range"] == 1.0 and results["quotes_verbatim"] == 1.0
    assert "retrieval hits@10" in result.stdout


def test_check_reports_each_sentence_and_fails_unless_all_is_supported(seed_store):
    text = ("The EU's trade deficit with China shrank to about 400 billion euros in 2022. "
            "Wang Wenbin did not confirm whether Rome had notified Beijing.")
    result = run("check", text, "--store", str(seed_store), "--json")
    assert result.returncode == 1, result.stderr  # not everything is supported
    report = json.loads(result.stdout)
    statuses = [claim["status"] for claim in report["claims"]]
    assert statuses == ["contradicted", "supported"]
    contradicting = report["claims"][0]["contradicting"][0]
    assert "swelled to about 400 billion euros" in contradicting["quote"]
    plain = run("check", "Wang Wenbin did not confirm whether Rome had notified Beijing.",
                "--store", str(seed_store))
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.startswith("supported:")
