"""Building and updating the search index: articles -> chunks -> vectors + lexical index.

This is the public API that `qa` uses; nothing here imports `qa` or `ui`.
"""

from .articles import Article, ReadFailure
from .chunking import ChunkDraft, chunk_article, split_sentences
from .database import ArticleRecord, ChunkRecord
from .embedder import DEFAULT_MODEL, Embedder, backend_of, embedder_for_store
from .errors import (
    ArticleError,
    EmbedderError,
    ModelMismatchError,
    NewsdeskError,
    StoreCorruptError,
    StoreLockedError,
    StoreNotFoundError,
    StoreVersionError,
    StoreWriteError,
    VectorBackendError,
)
from .lexical import tokenize as lexical_tokens
from .links import remembered_feeds
from .readers import SUPPORTED_SUFFIXES, ReaderLimits, ReadResult, read_file, read_paths
from .store import Store, StoreStats
from .update import UpdateSummary, update_store
from .vectors import VectorSettings
from .web import FetchPolicy, is_link


def open_store(path, verify: str = "full", vectors: VectorSettings | None = None) -> Store:
    """Open the live version of the store at `path`, checked against its manifest."""
    return Store.open(path, verify, vectors)


__all__ = [
    "Article", "ArticleError", "ArticleRecord", "ChunkDraft", "ChunkRecord", "DEFAULT_MODEL",
    "Embedder", "EmbedderError", "FetchPolicy", "ModelMismatchError", "NewsdeskError",
    "ReadFailure", "ReadResult", "ReaderLimits", "SUPPORTED_SUFFIXES", "Store", "StoreCorruptError",
    "StoreLockedError", "StoreNotFoundError", "StoreStats", "StoreVersionError",
    "StoreWriteError", "UpdateSummary", "VectorBackendError", "VectorSettings", "chunk_article",
    "backend_of", "embedder_for_store", "is_link", "lexical_tokens", "open_store", "read_file",
    "read_paths", "remembered_feeds", "split_sentences", "update_store",
]
