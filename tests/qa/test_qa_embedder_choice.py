"""Which embedder a store is read and updated with: what the user set, else what the store was
built with, else the default (ONNX int8). A store built with PyTorch before ONNX became the
default keeps working without any setting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qa import Assistant, load_settings
from qa.cli import app
from qa.config import make_embedder
from qa.errors import ModelMismatchError

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SEED_QUESTION = "What did Li Qiang ask of Brussels?"


@pytest.fixture
def no_embed_settings(monkeypatch, tmp_path):
    """No newsdesk.toml and no QA_EMBED_* variables: nothing chosen by the user."""
    monkeypatch.chdir(tmp_path)
    for name in ("QA_CONFIG", "QA_EMBED_MODEL", "QA_EMBED_BACKEND"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def torch_store(tmp_path, torch_embedder) -> Path:
    """A store built with PyTorch, as every store was before ONNX became the default."""
    from index import update_store

    store = tmp_path / "torch-store"
    update_store(store, [CORPUS], embedder=torch_embedder)
    return store


def test_a_new_store_gets_onnx_and_what_the_user_sets_wins(no_embed_settings, tmp_path,
                                                             monkeypatch):
    store = tmp_path / "new-store"
    chosen = make_embedder(load_settings(store=store))
    assert (chosen.backend, chosen.name) == ("onnx-int8", "all-MiniLM-L6-v2+onnx-int8")
    assert chosen.cache_dir == store  # the export is kept with the store
    assert make_embedder(load_settings(store=store, embed_backend="torch")).backend == "torch"
    monkeypatch.setenv("QA_EMBED_BACKEND", "torch")
    assert make_embedder(load_settings(store=store)).backend == "torch"
    monkeypatch.delenv("QA_EMBED_BACKEND")
    (tmp_path / "newsdesk.toml").write_text('embed_backend = "torch"\n')
    assert make_embedder(load_settings(store=store)).backend == "torch"


@pytest.mark.slow
def test_a_store_built_with_pytorch_keeps_working(no_embed_settings, torch_store):
    settings = load_settings(store=torch_store, mode="extractive")
    assistant = Assistant(settings)  # no embedder given, no setting: the store decides
    assert assistant.embedder.backend == "torch"
    answer = assistant.ask(SEED_QUESTION)
    assert not answer.abstained and "prudent" in answer.text
    # Updates go on with PyTorch too (no mixing, no error) ...
    extra = torch_store.parent / "more"
    extra.mkdir()
    (extra / "harbour.md").write_text("---\ntitle: Quillmere harbour reopens\n---\nThe "
                                      "Quillmere harbour reopened on Monday.\n")
    assert assistant.add([extra / "harbour.md"]).added == ["harbour.md"]
    assert make_embedder(settings).backend == "torch"
    # ... and `qa stats` says which backend the store uses.
    shown = CliRunner().invoke(app, ["stats", "--store", str(torch_store)])
    assert shown.exit_code == 0, shown.output
    assert "PyTorch (sentence-transformers)" in shown.output
    data = CliRunner().invoke(app, ["stats", "--store", str(torch_store), "--json"])
    assert json.loads(data.output)["embed_backend"] == "torch"
    # A rebuild is the moment to switch: it takes the default.
    assert make_embedder(settings, rebuild=True).backend == "onnx-int8"


@pytest.mark.slow
def test_asking_explicitly_for_another_backend_is_refused_with_advice(no_embed_settings,
                                                                      torch_store):
    with pytest.raises(ModelMismatchError) as raised:
        Assistant(load_settings(store=torch_store, embed_backend="onnx"))
    message = str(raised.value)
    assert "'all-MiniLM-L6-v2' (torch)" in message
    assert "remove embed_model and embed_backend" in message and "--rebuild" in message
