"""Clear errors for what users run into: a store made by another version of Newsdesk (with an
offer to rebuild), a missing or unreadable model file, a full disk or a read-only store folder
during an update (the old version stays intact and the next update completes).

Every message is checked as the user sees it: one line from `qa`, no traceback.
"""

from __future__ import annotations

import json
import resource
import shutil
import signal
import stat
from pathlib import Path

import pytest
from rel_helpers import (
    SEED_QUESTION,
    SEED_SENTENCE_START,
    assert_consistent,
    file_size_limit,
    live,
    markdown,
    one_line_error,
    run_qa,
    stored_state,
    tmp_folders,
    topic_body,
    without_file_privileges,
)
from typer.testing import CliRunner

from index import (
    Embedder,
    EmbedderError,
    StoreVersionError,
    StoreWriteError,
    open_store,
    update_store,
)
from index.embedder import resolve_model
from qa import Assistant, ModelLoadError, load_settings
from qa.cli import app
from qa.llm import load_model, packaged_model_path

# --- a store of another version -----------------------------------------------------------

@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a_store_of_another_format_version_is_refused_everywhere_and_rebuilt(
        seed_store_copy, embedder):
    manifest_path = live(seed_store_copy) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["format"] = 2  # what a later release would write
    manifest_path.write_text(json.dumps(manifest))
    words = ("written by another version of Newsdesk", "store format 2", "this version reads 1",
             "qa index --rebuild")

    one_line_error(run_qa("ask", SEED_QUESTION, "--store", str(seed_store_copy)), *words)
    corpus = Path(__file__).resolve().parents[2] / "corpus"
    one_line_error(run_qa("index", str(corpus), "--store", str(seed_store_copy)), *words)
    assert json.loads(manifest_path.read_text())["format"] == 2  # left as it was
    for command in (["stats"], ["serve", "--port", "1"]):  # the same error, in-process
        result = CliRunner().invoke(app, [*command, "--store", str(seed_store_copy)])
        assert isinstance(result.exception, StoreVersionError), result.output
        assert all(word in str(result.exception) for word in words)
    with pytest.raises(StoreVersionError):
        Assistant(load_settings(store=seed_store_copy), embedder=embedder)

    summary = update_store(seed_store_copy, [corpus], embedder=embedder, rebuild=True)
    assert summary.added == ["eu-china-summit-2023-12-07.md"]
    answer = Assistant(load_settings(store=seed_store_copy), embedder=embedder).ask(
        SEED_QUESTION, mode="extractive")
    assert answer.text.startswith(SEED_SENTENCE_START)


# --- the model files ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def gguf_copy(tmp_path_factory) -> Path:
    """A private copy of the packaged SmolLM2 GGUF (its permissions may be changed)."""
    folder = tmp_path_factory.mktemp("models")
    folder.chmod(0o755)
    target = folder / "smollm2.gguf"
    shutil.copyfile(packaged_model_path(), target)
    return target


def model_error(path: Path) -> str:
    with pytest.raises(ModelLoadError) as raised:
        load_model(load_settings(llm="gguf", llm_model=str(path)))
    return str(raised.value)


def test_model_files_that_cannot_be_used_are_named_with_what_to_do(gguf_copy, tmp_path):
    assert "does not exist; set llm_model" in model_error(tmp_path / "missing.gguf")
    assert "is a folder; set llm_model" in model_error(tmp_path)
    empty = tmp_path / "empty.gguf"
    empty.write_bytes(b"")
    assert "is not a GGUF model file" in model_error(empty)
    truncated = tmp_path / "truncated.gguf"
    with open(gguf_copy, "rb") as whole:
        truncated.write_bytes(whole.read(2 * 1024 * 1024))
    message = model_error(truncated)
    assert "llama.cpp could not load" in message and "truncated.gguf" in message


def test_a_bad_model_fails_the_question_not_the_assistant(seed_store, embedder, tmp_path):
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + bytes(100))
    assistant = Assistant(load_settings(store=seed_store, llm="gguf", llm_model=str(bad)),
                          embedder=embedder)
    with pytest.raises(ModelLoadError, match="could not load"):
        assistant.ask(SEED_QUESTION, mode="generate")
    # The store and the embedder are fine: extractive answers still work, and the model lock
    # was released (a second generate question fails the same way instead of hanging).
    assert assistant.ask(SEED_QUESTION, mode="extractive").text.startswith(SEED_SENTENCE_START)
    with pytest.raises(ModelLoadError):
        assistant.ask(SEED_QUESTION, mode="generate")
    assistant.close()


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_an_unreadable_model_file(seed_store, gguf_copy, rel_tmp):
    """A model file the user may not read (as root the test drops the privilege to ignore
    file permissions, so it applies to everyone)."""
    store = rel_tmp / "store"
    shutil.copytree(seed_store, store)
    gguf_copy.chmod(0)
    try:
        result = run_qa("ask", SEED_QUESTION, "--store", str(store), "--mode", "generate",
                        env={"QA_LLM": "gguf", "QA_LLM_MODEL": str(gguf_copy)},
                        preexec_fn=without_file_privileges)
    finally:
        gguf_copy.chmod(0o644)
    one_line_error(result, "cannot be read (Permission denied)", "check its permissions",
                   "smollm2.gguf")


@pytest.fixture(scope="module")
def minilm_copy(tmp_path_factory) -> Path:
    """A private copy of the packaged MiniLM folder, to damage."""
    folder = tmp_path_factory.mktemp("embedder") / "minilm"
    shutil.copytree(resolve_model(None)[1], folder)
    return folder


def test_a_damaged_or_missing_embedding_model(minilm_copy, tmp_path):
    weights = next(p for p in minilm_copy.rglob("*") if p.name in (
        "model.safetensors", "pytorch_model.bin"))
    weights.write_bytes(weights.read_bytes()[:1000])
    for model in (str(minilm_copy), str(tmp_path / "no-such-model")):
        with pytest.raises(EmbedderError) as raised:
            Embedder(model).encode(["A sentence."])
        assert "could not load the embedding model" in str(raised.value)
        assert "embed_model" in str(raised.value)  # where to change it


@pytest.mark.timeout(600)
def test_asking_with_another_embedding_model_than_the_store_was_built_with(seed_store,
                                                                            minilm_copy):
    """Vectors of two models cannot be compared: the store's model is named, not a crash or
    silently wrong passages."""
    result = run_qa("ask", SEED_QUESTION, "--store", str(seed_store),
                    env={"QA_EMBED_MODEL": str(minilm_copy)})
    one_line_error(result, "built with the embedding model 'all-MiniLM-L6-v2",
                   "remove embed_model and embed_backend", "qa index --rebuild")


# --- a full disk --------------------------------------------------------------------------

@pytest.fixture
def grown(tmp_path, embedder) -> tuple[Path, Path, dict[str, int]]:
    """A live store of 60 short articles and a folder with 120 more: the update to fail.
    Also the sizes of the files that update writes (measured on a copy)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for n in range(60):
        (folder / f"brief-{n:03d}.md").write_text(
            markdown(f"Brief {n}", f"Harbour brief number {n} was filed today."),
            encoding="utf-8")
    store = tmp_path / "store"
    update_store(store, [folder], embedder=embedder)
    for n in range(60, 180):
        (folder / f"brief-{n:03d}.md").write_text(
            markdown(f"Brief {n}", f"Orchard brief number {n} was filed today."),
            encoding="utf-8")
    trial = tmp_path / "trial"
    shutil.copytree(store, trial)
    update_store(trial, [folder], embedder=embedder)
    sizes = {"old database": (live(store) / "meta.sqlite").stat().st_size,
             "new database": (live(trial) / "meta.sqlite").stat().st_size,
             "new vectors": (live(trial) / "vectors.faiss").stat().st_size}
    return store, folder, sizes


class _FileSizeLimit:
    """RLIMIT_FSIZE on this process for a moment (only the soft limit, so it can be lifted)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes

    def __enter__(self):
        self.saved = resource.getrlimit(resource.RLIMIT_FSIZE)
        self.handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.max_bytes, self.saved[1]))

    def __exit__(self, *exc):
        resource.setrlimit(resource.RLIMIT_FSIZE, self.saved)
        signal.signal(signal.SIGXFSZ, self.handler)


@pytest.mark.parametrize("limit", ["half the old database", "the old database and 1 KB",
                                   "between the new database and the new vectors"])
def test_a_full_disk_during_an_update_leaves_the_old_version(grown, embedder, limit):
    """The disk fills up at different moments of writing the new version (a file size limit
    makes a write fail half way, as a full disk does): copying the database, writing the
    first new file, writing the vectors. A clear error, the old version as it was, no
    leftovers, and the next update completes."""
    store, folder, sizes = grown
    assert sizes["old database"] < sizes["new database"] < sizes["new vectors"], sizes
    max_bytes = {
        "half the old database": sizes["old database"] // 2,
        "the old database and 1 KB": sizes["old database"] + 1024,
        "between the new database and the new vectors":
            (sizes["new database"] + sizes["new vectors"]) // 2}[limit]
    before = stored_state(store)
    with pytest.raises(StoreWriteError) as raised:
        with _FileSizeLimit(max_bytes):
            update_store(store, [folder], embedder=embedder)
    message = str(raised.value)
    assert "could not be written" in message and "The previous version is intact" in message
    assert "the disk is full (File too large)" in message or \
        "the disk may be full" in message, message
    assert stored_state(store) == before
    assert tmp_folders(store) == []
    assert_consistent(store)
    summary = update_store(store, [folder], embedder=embedder)
    assert len(summary.added) == 120 and summary.version == before[0] + 1
    assert_consistent(store)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_qa_index_on_a_full_disk_says_so_in_one_line(grown):
    store, folder, sizes = grown
    before = stored_state(store)
    result = run_qa("index", str(folder), "--store", str(store),
                    preexec_fn=file_size_limit((sizes["new database"] + sizes["new vectors"])
                                               // 2))
    one_line_error(result, "could not be written: the disk is full", "free some space",
                   "previous version is intact")
    assert stored_state(store) == before and tmp_folders(store) == []


# --- a read-only store folder -------------------------------------------------------------

def read_only(path: Path) -> None:
    for item in [path, *path.rglob("*")]:
        mode = item.stat().st_mode
        item.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def writable(path: Path) -> None:
    for item in [path, *path.rglob("*")]:
        item.chmod(item.stat().st_mode | stat.S_IWUSR)


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a_read_only_store_folder(rel_tmp, embedder):
    """`qa index` on a store the user may not write: a clear error whether the lock file is
    writable or not, nothing changed; questions still work (readers need no write access);
    once writable again the update completes."""
    folder = rel_tmp / "articles"
    folder.mkdir()
    for name in ("harbour", "orchard"):
        (folder / f"{name}.md").write_text(markdown(name.title(), topic_body(name, 5)),
                                           encoding="utf-8")
    store = rel_tmp / "store"
    update_store(store, [folder], embedder=embedder)
    (folder / "library.md").write_text(markdown("Library", topic_body("library", 5)),
                                       encoding="utf-8")
    before = stored_state(store)
    read_only(store)
    try:
        everything = run_qa("index", str(folder), "--store", str(store),
                            preexec_fn=without_file_privileges)
        one_line_error(everything, "cannot write to the store folder", "Permission denied",
                       "check its permissions")
        (store / ".writer.lock").chmod(0o644)  # only the folder is read-only now
        folder_only = run_qa("index", str(folder), "--store", str(store),
                             preexec_fn=without_file_privileges)
        one_line_error(folder_only, "could not be written: the store folder cannot be written",
                       "Permission denied", "previous version is intact")
        asked = run_qa("ask", "What did the dockers meet near the quay?", "--store",
                       str(store), "--mode", "extractive", preexec_fn=without_file_privileges)
        assert asked.returncode == 0 and "[1]" in asked.stdout, asked.stderr
    finally:
        writable(store)
    assert stored_state(store) == before and tmp_folders(store) == []
    summary = update_store(store, [folder], embedder=embedder)
    assert summary.added == ["library.md"]
    with open_store(store) as opened:
        assert opened.version == before[0] + 1
