"""Helpers for the reliability tests: running `qa` and Python as separate processes (with
limits or without file privileges), and checking that a store holds only whole articles.

A plain module (not conftest) so test files can import it by name.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import socket
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "index"))

from index_helpers import (  # noqa: E402,F401
    TOPICS,
    assert_consistent,
    make_pdf,
    markdown,
    tmp_folders,
    topic_body,
    write_topic,
)

from index import Article, open_store  # noqa: E402

QA = str(Path(sys.executable).parent / "qa")
CORPUS = REPO / "corpus"
SEED_QUESTION = "What did Li Qiang ask of Brussels?"
SEED_SENTENCE_START = "Chinese Premier Li told the EU leaders that Beijing hopes Brussels"

# What the long tests measured, printed at the end of the run (see conftest.py).
REPORTS: dict[str, dict] = {}


def environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a child process: offline models, one thread for BLAS (the machine
    is shared), no QA_* settings of the caller's shell."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("QA_")}
    # Children import this checkout's packages (also when it is not the editable install).
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env.update({"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "OMP_NUM_THREADS": "1",
                "TOKENIZERS_PARALLELISM": "false", "PYTHONUNBUFFERED": "1", "COLUMNS": "200",
                "NO_COLOR": "1"})
    env.update(extra or {})
    return env


def run_qa(*args: str, env: Mapping[str, str] | None = None, timeout: float = 600,
           preexec_fn: Callable[[], None] | None = None,
           cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the `qa` command as a user does and wait for it."""
    return subprocess.run([QA, *args], capture_output=True, text=True, env=environment(env),
                          timeout=timeout, preexec_fn=preexec_fn, cwd=cwd or REPO)


def start_qa(*args: str, env: Mapping[str, str] | None = None,
             preexec_fn: Callable[[], None] | None = None) -> subprocess.Popen:
    return subprocess.Popen([QA, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=environment(env), cwd=REPO, preexec_fn=preexec_fn)


def start_python(code: str, *args: str, env: Mapping[str, str] | None = None,
                 preexec_fn: Callable[[], None] | None = None) -> subprocess.Popen:
    """`python -c code args...` in the repository, its output readable line by line."""
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], cwd=REPO,
                            env=environment(env), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=preexec_fn)


def stop(process: subprocess.Popen, sig: int = signal.SIGKILL) -> tuple[str, str]:
    """End a child process (if it still runs) and return what it wrote."""
    if process.poll() is None:
        process.send_signal(sig)
    out, err = process.communicate(timeout=120)
    return out, err


def one_line_error(result: subprocess.CompletedProcess, *words: str) -> str:
    """The command failed with a message on stderr, without a traceback; return it."""
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and lines[-1].startswith("error:"), result.stderr  # after any progress bar
    assert [line for line in lines if line.startswith("error:")] == lines[-1:]
    message = lines[-1]
    for word in words:
        assert word in message, (word, message)
    return message


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- limits on a child process -----------------------------------------------------------

_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH, _CAP_FOWNER = 1, 2, 3


def without_file_privileges() -> None:
    """preexec_fn: make file permissions apply to this child even when the tests run as root
    (root ignores them through CAP_DAC_OVERRIDE; dropping it from the bounding set removes it
    at exec). Does nothing for an ordinary user, who is bound by permissions anyway."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH, _CAP_FOWNER):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop file capabilities")


def file_size_limit(max_bytes: int) -> Callable[[], None]:
    """preexec_fn: no file of this process may grow past `max_bytes` (RLIMIT_FSIZE); a write
    beyond it fails with EFBIG instead of killing the process with SIGXFSZ. It stands in for
    a full disk: the write fails half way, as it does when the disk fills up."""
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
    return limit


# --- stores ------------------------------------------------------------------------------

def live(store: Path) -> Path:
    """The version folder CURRENT names."""
    return store / (store / "CURRENT").read_text().strip()


def stored_state(store: Path) -> tuple[int, dict[str, str]]:
    """(version, {article id: content hash}) of the live version."""
    with open_store(store) as opened:
        rows = opened._query("SELECT article_id, content_hash FROM articles")
        return opened.version, dict(rows)


def assert_whole_articles(store: Path, expected: Iterable[Article]) -> None:
    """The store holds exactly these articles, each whole: its text as read, and chunks that
    cover every sentence of it (no article is stored in part)."""
    from index import split_sentences

    wanted = {article.article_id: article for article in expected}
    with open_store(store) as opened:
        ids = opened.article_ids()
        assert sorted(ids) == sorted(wanted), (sorted(ids), sorted(wanted))
        for article_id in ids:
            record = opened.article(article_id)
            article = wanted[article_id]
            assert record.text == article.text and record.title == article.title
            assert record.content_hash == article.content_hash
            chunks = opened.chunks(opened.chunk_ids_of(article_id))
            assert chunks, f"{article_id} has no chunks"
            covered = [False] * len(record.text)
            for chunk in chunks:
                assert record.text[chunk.start:chunk.end] == chunk.text
                for i in range(chunk.start, chunk.end):
                    covered[i] = True
            for span in split_sentences(record.text):
                assert all(covered[span.start:span.end]), \
                    f"{article_id}: a sentence at {span.start} is in no chunk"
    assert_consistent(store)
