"""A small real store for the answering tests: the seed article plus real news records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shared_data import DATA

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
MULTIHOP = DATA / "multihop-rag" / "evidence_corpus.jsonl"
SEED_QUESTION = "What did Li Qiang ask of Brussels?"
SEED_SENTENCE = ("Chinese Premier Li told the EU leaders that Beijing hopes Brussels will be "
                 "prudent when introducing restrictive economic and trade policies, according to "
                 "Chinese state media, in reference to the anti-subsidy probe.")


@pytest.fixture(scope="session")
def mixed_corpus(tmp_path_factory) -> Path:
    """A folder with the seed article and 60 MultiHop-RAG evidence articles (several
    outlets and dates), so filters and abstention have something to work with."""
    folder = tmp_path_factory.mktemp("mixed-corpus")
    seed = "eu-china-summit-2023-12-07.md"
    (folder / seed).write_text((CORPUS / seed).read_text())
    lines = MULTIHOP.read_text(encoding="utf-8").splitlines()[:60]
    (folder / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def mixed_store(tmp_path_factory, mixed_corpus, embedder) -> Path:
    from index import update_store

    store = tmp_path_factory.mktemp("mixed") / "store"
    update_store(store, [mixed_corpus], embedder=embedder)
    return store


@pytest.fixture(scope="session")
def assistant(mixed_store, embedder):
    """One Assistant (one llama.cpp model load) for all answering tests."""
    from qa import Assistant, load_settings

    return Assistant(load_settings(store=mixed_store), embedder=embedder)


@pytest.fixture(scope="session")
def mixed_records() -> list[dict]:
    return [json.loads(line) for line in MULTIHOP.read_text(encoding="utf-8").splitlines()[:60]]


def article(title: str, day: str, source: str, body: str) -> str:
    """A Markdown article with front matter, as a user's folder would hold it."""
    return f"---\ntitle: {title}\ndate: {day}\nsource: {source}\n---\n\n{body}\n"


def sentence(text: str, article_id: str = "story.md", date: str | None = None):
    """One evidence sentence, a whole passage of its own, for testing a rule that reads
    sentences (no store, no embedder: its vector is zeros)."""
    import numpy as np

    from qa.evidence import Evidence
    from qa.types import Passage

    passage = Passage(chunk_id=sum(map(ord, article_id)), article_id=article_id,
                      title=article_id, date=date, source=article_id, url=None, text=text,
                      start=0, end=len(text), score=1.0)
    return Evidence(passage=passage, text=text, start=0, end=len(text), score=0.5, dense=0.5,
                    lexical=0.5, rank=0, vector=np.zeros(4, dtype=np.float32))


@pytest.fixture
def written(tmp_path, embedder):
    """An Assistant over articles the test writes: `written({"name.md": text})`. Called again,
    it adds or replaces articles and updates the same store, as `qa index` would."""
    from index import update_store
    from qa import Assistant, load_settings

    folder = tmp_path / "articles"
    folder.mkdir()
    store = tmp_path / "store"
    made: list = []

    def write(articles: dict[str, str]):
        for name, text in articles.items():
            (folder / name).write_text(text, encoding="utf-8")
        summary = update_store(store, [folder], embedder=embedder)
        # an article the test wrote that the store refused is the test's own mistake: say
        # which and why, rather than fail later on "holds no index yet"
        assert not summary.failed, [f"{f.path}: {f.reason}" for f in summary.failed]
        if not made:
            made.append(Assistant(load_settings(store=store), embedder=embedder))
        return made[0]

    yield write
    for assistant in made:
        assistant.close()
