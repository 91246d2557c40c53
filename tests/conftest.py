"""Fixtures shared by all tests: the real embedder and small real stores."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# llama.cpp in one thread in the tests (and the `qa` processes they start). Its threads wait
# for each other by spinning, so when the cores are shared (the embedder's workers, a browser, a
# server, other work on the machine) two of them stall each other: measured at a load average
# of 9 on 2 cores, a 32-token answer took 3.1-9.1 s with two threads and 0.7 s with one.
os.environ.setdefault("QA_LLM_THREADS", "1")

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))  # shared_data: where the evaluation data is

from shared_data import DATA as SHARED_DATA  # noqa: E402

CORPUS = REPO / "corpus"
BBC = SHARED_DATA / "bbc-news" / "articles.jsonl"
MULTIHOP = SHARED_DATA / "multihop-rag" / "evidence_corpus.jsonl"
MULTIHOP_QUERIES = SHARED_DATA / "multihop-rag" / "dev_queries.jsonl"
SEED_QUESTION = "What did Li Qiang ask of Brussels?"
SEED_ANSWER_SENTENCE = ("Chinese Premier Li told the EU leaders that Beijing hopes Brussels will "
                        "be prudent when introducing restrictive economic and trade policies, "
                        "according to Chinese state media, in reference to the anti-subsidy "
                        "probe.")


def _require(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"evaluation data missing: {path} (expected ../shared/data beside the "
                    "repo, or set NEWSDESK_SHARED to the folder holding data/)")
    return path


@pytest.fixture(scope="session")
def embedder():
    """The real packaged MiniLM on the default backend (ONNX int8; exported once per machine
    into its cache, ~/.cache/newsdesk), loaded once for the whole run."""
    from index import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def torch_embedder():
    """The same model on PyTorch (sentence-transformers), for the tests about that backend."""
    from index import Embedder

    return Embedder(backend="torch")


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory, embedder) -> Path:
    """A store built from the shipped corpus/ (the seed article). Do not modify it."""
    from index import update_store

    store = tmp_path_factory.mktemp("seed") / "store"
    update_store(store, [CORPUS], embedder=embedder)
    return store


@pytest.fixture
def seed_store_copy(seed_store, tmp_path) -> Path:
    """A private copy of the seed store that a test may change."""
    target = tmp_path / "store"
    shutil.copytree(seed_store, target)
    return target


@pytest.fixture(scope="session")
def multihop_path() -> Path:
    return _require(MULTIHOP)


@pytest.fixture(scope="session")
def bbc_path() -> Path:
    return _require(BBC)


@pytest.fixture
def news_site():
    """A small news site on 127.0.0.1 (tests/news_site.py) that counts what it serves."""
    from news_site import NewsSite

    site = NewsSite().start()
    yield site
    site.stop()
