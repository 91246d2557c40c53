"""The ONNX Runtime embedding backend (the default): exported once, cached next to the store
and in the machine's cache, vectors that match the PyTorch model, stores built with it, refusal
to mix backends, damaged caches, and PyTorch stores that keep working.

The export itself (torch.onnx.export, fusion, int8 quantisation, checks) is done once for the
whole session by the `onnx_cache` fixture, through `qa index` on an empty machine cache; it
takes 20-60 s on 2 cores, so the tests that use it are marked slow (`make test-fast` runs only
those that need no export)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from index_helpers import REPO, TOPICS, assert_consistent, write_topic
from shared_data import DATA

from index import (
    Embedder,
    EmbedderError,
    ModelMismatchError,
    onnx_backend,
    open_store,
    read_paths,
    update_store,
)
from index.chunking import chunk_article

SEED = REPO / "corpus"
MULTIHOP = DATA / "multihop-rag" / "evidence_corpus.jsonl"


def _qa(*args: str, machine: Path) -> subprocess.CompletedProcess:
    """The `qa` command with no embedding setting, on a machine whose cache is `machine`."""
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("QA_EMBED_BACKEND", "QA_EMBED_MODEL", "QA_CONFIG")}
    return subprocess.run([str(Path(sys.executable).with_name("qa")), *args],
                          capture_output=True, text=True, timeout=900, cwd=REPO,
                          env={**environment, "XDG_CACHE_HOME": str(machine), "COLUMNS": "200"})


@pytest.fixture(scope="session")
def onnx_export(tmp_path_factory) -> tuple[Path, Path, subprocess.CompletedProcess]:
    """A store built by `qa index` with the default settings on a machine whose cache is
    empty: that run exports the model (and says so), into the store's models/."""
    folder = tmp_path_factory.mktemp("onnx-cache")
    machine = tmp_path_factory.mktemp("machine-cache")
    corpus = tmp_path_factory.mktemp("onnx-corpus")
    write_topic(corpus, "harbour", sentences=3, variant=0)
    done = _qa("index", str(corpus), "--store", str(folder), machine=machine)
    assert done.returncode == 0, done.stderr
    return folder, machine, done


@pytest.fixture(scope="session")
def onnx_cache(onnx_export) -> Path:
    """A store folder whose models/ holds the int8 export of the packaged MiniLM."""
    return onnx_export[0]


@pytest.mark.slow
def test_qa_index_builds_with_onnx_and_exports_once_per_machine(onnx_export, tmp_path):
    store, machine, done = onnx_export
    assert "Exporting the embedding model all-MiniLM-L6-v2 to ONNX int8" in done.stderr
    assert "Exported in" in done.stderr
    with open_store(store) as opened:
        assert opened.embed_model == "all-MiniLM-L6-v2+onnx-int8"
    exported = store / "models" / "all-MiniLM-L6-v2-onnx-int8" / "model.onnx"
    shared = machine / "newsdesk" / "models" / "all-MiniLM-L6-v2-onnx-int8" / "model.onnx"
    assert onnx_backend._sha256(shared) == onnx_backend._sha256(exported)

    # A second store on the same machine takes the machine's copy: no second export.
    corpus = tmp_path / "articles"
    corpus.mkdir()
    write_topic(corpus, "orchard", sentences=3, variant=0)
    second = _qa("index", str(corpus), "--store", str(tmp_path / "second"), machine=machine)
    assert second.returncode == 0, second.stderr
    assert "Exporting" not in second.stderr
    copied = tmp_path / "second" / "models" / "all-MiniLM-L6-v2-onnx-int8" / "model.onnx"
    assert onnx_backend._sha256(copied) == onnx_backend._sha256(exported)

    stats = _qa("stats", "--store", str(store), machine=machine)
    assert stats.returncode == 0 and "ONNX int8 (onnxruntime)" in stats.stdout, stats.stdout


@pytest.fixture(scope="session")
def onnx_embedder(onnx_cache) -> Embedder:
    return Embedder(backend="onnx", cache_dir=onnx_cache)


@pytest.fixture(scope="session")
def real_texts(embedder, tmp_path_factory) -> list[str]:
    """What a build embeds: chunks (header + text) of the seed article and 40 news records,
    and a few odd ones (empty, one character, far longer than the window)."""
    lines = MULTIHOP.read_text(encoding="utf-8").splitlines()[:40]
    news = tmp_path_factory.mktemp("onnx-texts") / "news.jsonl"
    news.write_text("\n".join(lines) + "\n", encoding="utf-8")
    texts = []
    for article in read_paths([SEED, news]).articles:
        texts += [d.embed_text for d in
                  chunk_article(article, embedder.count_tokens, embedder.max_tokens)]
    return texts + ["", "x", "word " * 700]


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1)


@pytest.mark.slow
def test_export_is_cached_and_loading_needs_no_torch(onnx_cache, onnx_embedder):
    folder = onnx_cache / "models" / "all-MiniLM-L6-v2-onnx-int8"
    info = json.loads((folder / "export.json").read_text())
    assert info["source_model"] == "all-MiniLM-L6-v2" and info["precision"] == "int8"
    assert info["quantization"]["weight_type"] == "QInt8"
    assert info["versions"]["onnxruntime"] and len(info["source_sha256"]) == 64
    assert info["probe_min_cosine_fp32"] > 0.9999
    stamp = (folder / "model.onnx").stat().st_mtime_ns

    assert onnx_embedder.model.exported is False  # second load: read from the cache
    assert onnx_embedder.name == "all-MiniLM-L6-v2+onnx-int8"
    assert onnx_embedder.dim == 384 and onnx_embedder.max_tokens == 254
    assert (folder / "model.onnx").stat().st_mtime_ns == stamp

    # A fresh process loads and embeds with onnxruntime alone: torch is never imported.
    script = (
        "import sys\n"
        "from index import Embedder\n"
        f"e = Embedder(backend='onnx', cache_dir={str(onnx_cache)!r})\n"
        "v = e.encode(['What did Li Qiang ask of Brussels?'])\n"
        "print(e.model.exported, v.shape, round(float((v[0] ** 2).sum()), 4),\n"
        "      'torch' in sys.modules, 'transformers' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-6:] == ["False", "(1,", "384)", "1.0", "False", "False"]
    assert (folder / "model.onnx").stat().st_mtime_ns == stamp


@pytest.mark.slow
def test_int8_vectors_match_torch(torch_embedder, onnx_embedder, real_texts):
    assert onnx_embedder.count_tokens(real_texts) == torch_embedder.count_tokens(real_texts)
    torch_vectors = torch_embedder.encode(real_texts)
    int8 = onnx_embedder.encode(real_texts)
    assert int8.dtype == np.float32 and int8.shape == torch_vectors.shape
    assert np.allclose(np.linalg.norm(int8, axis=1), 1.0, atol=1e-5)
    cosines = _cosines(int8, torch_vectors)
    # Measured: mean 0.990, lowest 0.966 (on news chunks; int8 weights and activations).
    assert cosines.mean() > 0.985 and cosines.min() > 0.95, (cosines.mean(), cosines.min())
    # The order of the texts does not change a vector (batches are formed by length).
    reverse = onnx_embedder.encode(real_texts[::-1])[::-1]
    assert np.allclose(reverse, int8, atol=1e-5)
    # Activations are quantised per batch, so a text alone comes out a little different from
    # the same text among others: still the same vector for every purpose.
    alone = onnx_embedder.encode_query(real_texts[0])
    assert float(alone @ int8[0]) > 0.98 and float(alone @ torch_vectors[0]) > 0.97



@pytest.mark.slow
def test_parallel_runs_give_the_vectors_of_one_worker(onnx_cache, onnx_embedder, real_texts):
    """Batches run on one worker per core; several callers at once (the web chat answering two
    questions) share those workers and each gets its own texts' vectors back, the same as a
    single worker computes them."""
    from concurrent.futures import ThreadPoolExecutor

    model = onnx_embedder.model
    assert model.workers >= 1
    single = onnx_backend.load(onnx_embedder.base_name, onnx_embedder._location,
                               cache_dir=onnx_cache, threads=1)
    assert single.workers == 1
    expected = single.encode(real_texts)
    assert np.allclose(model.encode(real_texts), expected, atol=1e-5)
    halves = [real_texts[::2], real_texts[1::2], real_texts[::-1]]
    with ThreadPoolExecutor(3) as callers:
        results = list(callers.map(model.encode, halves * 2))
    for texts, vectors in zip(halves * 2, results, strict=True):
        assert np.allclose(vectors, single.encode(texts), atol=1e-5)
@pytest.mark.slow
def test_fp32_export_matches_torch_exactly(torch_embedder, tmp_path, real_texts):
    fp32 = Embedder(backend="onnx-fp32", cache_dir=tmp_path)  # exported, or from the machine
    assert fp32.name == "all-MiniLM-L6-v2+onnx-fp32"
    vectors = fp32.encode(real_texts)
    assert _cosines(vectors, torch_embedder.encode(real_texts)).min() > 0.9999
    assert (tmp_path / "models" / "all-MiniLM-L6-v2-onnx-fp32" / "model.onnx").is_file()


@pytest.mark.slow
def test_store_built_with_onnx_answers_searches(onnx_cache, onnx_embedder, corpus_dir,
                                                tmp_path):
    store_dir = tmp_path / "store"
    shutil.copytree(onnx_cache / "models", store_dir / "models")  # the export, next to it
    embedder = Embedder(backend="onnx", cache_dir=store_dir)
    summary = update_store(store_dir, [corpus_dir, SEED], embedder=embedder)
    assert not embedder.model.exported
    assert len(summary.added) == len(TOPICS) + 1 and summary.chunks_embedded > len(TOPICS)
    assert_consistent(store_dir)
    with open_store(store_dir) as store:
        assert store.embed_model == "all-MiniLM-L6-v2+onnx-int8"
        for question, expected in [
                ("What did Li Qiang ask of Brussels?", "eu-china-summit-2023-12-07.md"),
                ("Which comet did the astronomers see through the telescope?",
                 "observatory.md"),
                ("Why are bakers angry about the price of flour?", "bakery.md")]:
            hits = store.search_dense(embedder.encode_query(question), 3)
            assert store.chunks([hits[0][0]])[0].article_id == expected, question
    # Updates go on with the same backend: only the new article is embedded.
    before = embedder.texts_embedded
    (corpus_dir / "orchard.md").unlink()
    write_topic(corpus_dir, "orchard", sentences=3, variant=1)
    summary = update_store(store_dir, [corpus_dir, SEED], embedder=embedder)
    assert summary.replaced == ["orchard.md"] and embedder.texts_embedded > before


@pytest.mark.slow
def test_backends_cannot_be_mixed_in_one_store(torch_embedder, onnx_cache, corpus_dir,
                                                tmp_path):
    store_dir = tmp_path / "store"
    shutil.copytree(onnx_cache / "models", store_dir / "models")
    onnx = Embedder(backend="onnx", cache_dir=store_dir)
    update_store(store_dir, [corpus_dir], embedder=onnx)
    write_topic(corpus_dir, "harbour", sentences=4, variant=2)  # a change to index
    with pytest.raises(ModelMismatchError) as raised:
        update_store(store_dir, [corpus_dir], embedder=torch_embedder)
    message = str(raised.value)
    assert "all-MiniLM-L6-v2+onnx-int8" in message and "--rebuild" in message
    with open_store(store_dir) as store:
        assert store.version == 1

    # The name a store records selects its backend, so it can be given back as embed_model.
    again = Embedder("all-MiniLM-L6-v2+onnx-int8", cache_dir=store_dir)
    assert again.backend == "onnx-int8" and again.name == onnx.name
    assert update_store(store_dir, [corpus_dir], embedder=again).replaced == ["harbour.md"]

    # And a torch store refuses ONNX vectors.
    torch_store = tmp_path / "torch-store"
    update_store(torch_store, [corpus_dir], embedder=torch_embedder)
    write_topic(corpus_dir, "library", sentences=4, variant=3)
    with pytest.raises(ModelMismatchError, match="rebuild"):
        update_store(torch_store, [corpus_dir], embedder=onnx)


def test_unknown_backend_is_refused():
    with pytest.raises(EmbedderError, match="unknown embedding backend 'tensorflow'"):
        Embedder(backend="tensorflow")


@pytest.mark.slow
def test_changed_source_model_is_noticed(onnx_cache, tmp_path):
    """The cache records a checksum of the source model's files: a copy with the same bytes
    (other times) is still valid, an edited one is exported again."""
    folder = onnx_cache / "models" / "all-MiniLM-L6-v2-onnx-int8"
    source = Path(json.loads((folder / "export.json").read_text())["source_location"])
    copy = tmp_path / "model"
    shutil.copytree(source, copy)
    assert onnx_backend._check_cache(folder, source, "int8") is None
    assert onnx_backend._check_cache(folder, copy, "int8") is None
    config = copy / "config_sentence_transformers.json"
    config.write_text(config.read_text().replace("{", '{"edited": true,', 1))
    assert onnx_backend._check_cache(folder, copy, "int8") == "the source model has changed"
    assert "another export recipe" in onnx_backend._check_cache(folder, source, "fp32")


@pytest.mark.slow
def test_damaged_cached_model_is_replaced(onnx_cache, torch_embedder, tmp_path, real_texts):
    shutil.copytree(onnx_cache / "models", tmp_path / "models")
    model_file = tmp_path / "models" / "all-MiniLM-L6-v2-onnx-int8" / "model.onnx"
    data = bytearray(model_file.read_bytes())
    data[len(data) // 2:len(data) // 2 + 64] = b"\0" * 64  # bytes flipped on disk
    model_file.write_bytes(bytes(data))
    damaged = Embedder(backend="onnx", cache_dir=tmp_path)
    # Noticed by its checksum, and replaced by an intact export (the machine's, or a new one).
    info = json.loads(model_file.with_name("export.json").read_text())
    assert damaged.model.folder == model_file.parent
    assert onnx_backend._sha256(model_file) == info["model_sha256"]
    vectors = damaged.encode(real_texts[:8])
    assert _cosines(vectors, torch_embedder.encode(real_texts[:8])).min() > 0.95
    assert not list((tmp_path / "models").glob(".tmp-*"))  # no leftovers


@pytest.mark.slow
def test_unloadable_cached_model_is_refused_with_advice(onnx_cache, tmp_path):
    """A model file that matches its export.json but is not ONNX (rewritten by hand, say)."""
    shutil.copytree(onnx_cache / "models", tmp_path / "models")
    folder = tmp_path / "models" / "all-MiniLM-L6-v2-onnx-int8"
    (folder / "model.onnx").write_bytes(b"not an onnx model")
    info = json.loads((folder / "export.json").read_text())
    info.update(model_sha256=onnx_backend._sha256(folder / "model.onnx"), model_bytes=17)
    (folder / "export.json").write_text(json.dumps(info))
    with pytest.raises(EmbedderError) as raised:
        Embedder(backend="onnx", cache_dir=tmp_path).encode(["anything"])
    assert "could not load" in str(raised.value) and f"Delete {folder}" in str(raised.value)


def test_unwritable_cache_is_refused_with_advice(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "machine"))  # no copy there either
    (tmp_path / "models").write_text("a file where the cache folder should be")
    with pytest.raises(EmbedderError) as raised:
        Embedder(backend="onnx", cache_dir=tmp_path).encode(["anything"])
    message = str(raised.value)
    assert "cannot write the ONNX model cache" in message and 'embed_backend = "torch"' in message


@pytest.mark.slow
def test_a_forked_child_can_still_embed(onnx_embedder, real_texts):
    """A child forked after the workers started (a server forking helpers) gets its own."""
    import os
    import signal
    import time

    expected = onnx_embedder.encode(real_texts[:12])  # the parent's workers exist now
    pid = os.fork()
    if pid == 0:  # the child: exit 0 only if it embeds the same vectors
        same = False
        try:
            same = np.allclose(onnx_embedder.encode(real_texts[:12]), expected, atol=1e-5)
        finally:
            os._exit(0 if same else 1)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.waitstatus_to_exitcode(status) == 0
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    pytest.fail("the forked child hung waiting for embedding workers it does not have")


@pytest.mark.slow
def test_a_store_that_cannot_be_written_reads_the_machines_copy(onnx_export, tmp_path,
                                                               monkeypatch, real_texts):
    store, machine, _ = onnx_export
    monkeypatch.setenv("XDG_CACHE_HOME", str(machine))
    (tmp_path / "models").write_text("a file where the cache folder should be")
    embedder = Embedder(backend="onnx", cache_dir=tmp_path)
    vectors = embedder.encode(real_texts[:4])
    assert embedder.model.folder == machine / "newsdesk" / "models" / \
        "all-MiniLM-L6-v2-onnx-int8"
    assert np.allclose(vectors, Embedder(backend="onnx", cache_dir=store).encode(
        real_texts[:4]), atol=1e-5)


def test_a_reader_never_waits_for_someone_filling_the_stores_cache(onnx_export, tmp_path,
                                                                   monkeypatch, real_texts):
    """A `qa index` stopped while it copies the model into a store (holding that cache's lock)
    must not hold up a question: the reader uses the machine's copy as it is."""
    import fcntl
    import threading

    from index.onnx_backend import cache_folder

    _, machine, _ = onnx_export
    monkeypatch.setenv("XDG_CACHE_HOME", str(machine))
    folder = cache_folder(tmp_path, "all-MiniLM-L6-v2", "int8")
    folder.parent.mkdir(parents=True)
    with open(folder.parent / f".{folder.name}.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another process filling this store's cache
        result: dict = {}
        reader = threading.Thread(target=lambda: result.update(
            vectors=Embedder(backend="onnx", cache_dir=tmp_path).encode(real_texts[:2])),
            daemon=True)
        reader.start()
        reader.join(60)
        assert not reader.is_alive(), "the reader waited for the cache's lock"
    assert result["vectors"].shape == (2, 384)
    assert not folder.exists()  # it read the machine's copy; the store's is left to its filler
