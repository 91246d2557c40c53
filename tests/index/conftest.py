"""Fixtures of the index tests (helpers live in index_helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from index_helpers import TOPICS, write_topic


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    """A folder with the six topic articles; 'observatory' is long enough for several chunks."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for topic in TOPICS:
        write_topic(folder, topic, sentences=60 if topic == "observatory" else 6)
    return folder


@pytest.fixture
def store_dir(tmp_path) -> Path:
    return tmp_path / "store"
