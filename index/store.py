"""Reading a store: one checked, immutable version of articles, chunks, vectors and BM25."""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .database import (
    ARTICLE_COLUMNS,
    CHUNK_COLUMNS,
    ArticleRecord,
    ChunkRecord,
    article_from_row,
    chunk_from_row,
    connect_readonly,
    read_meta,
)
from .dense import VECTORS_FILE, open_vectors
from .errors import NewsdeskError, StoreCorruptError
from .lexical import LexicalIndex
from .vectors import VectorSettings
from .versions import current_version_name, resolve_current

DB_FILE = "meta.sqlite"
LEXICAL_DIR = "lexical"
_OPEN_ATTEMPTS = 5


def _follow_current(open_version):
    """Retry opening when the version being opened was replaced meanwhile.

    While a reader checks a version (hashing a large store takes a while), writers may
    publish two newer ones and remove it (only the last two are kept). That is no damage:
    the reader opens the version that is live now. Real damage leaves CURRENT where it was,
    and its error is raised.
    """
    @functools.wraps(open_version)
    def open_live(cls, root, *args, **kwargs):
        path = Path(root).expanduser().resolve()
        for attempt in range(_OPEN_ATTEMPTS):
            seen = current_version_name(path) if path.exists() else None
            try:
                return open_version(cls, root, *args, **kwargs)
            except StoreCorruptError:
                if seen is None or attempt == _OPEN_ATTEMPTS - 1 or \
                        current_version_name(path) == seen:
                    raise
        raise AssertionError("unreachable")
    return open_live
__all__ = ["DB_FILE", "LEXICAL_DIR", "VECTORS_FILE", "Store", "StoreStats"]


@dataclass(frozen=True)
class StoreStats:
    """What `qa stats` and the web chat's status line show."""

    path: str
    version: int
    articles: int
    chunks: int
    embed_model: str
    dim: int
    size_bytes: int
    updated_at: float
    sources: int
    vector_kind: str = "flat"  # flat (exact), ivf (approximate) or milvus


class Store:
    """A read-only view of the live version of a store.

    It holds everything it needs in memory (or open file handles), so a writer publishing a
    new version never disturbs it; `is_stale()` tells when a newer version exists.
    """

    def __init__(self, root: Path, folder: Path, version: int, connection, vectors,
                 lexical: LexicalIndex, meta: dict[str, str]) -> None:
        self.root = root
        self.folder = folder
        self.version = version
        self._db = connection
        self._db_lock = threading.Lock()
        self.vectors = vectors
        self.lexical = lexical
        self.meta = meta
        self._all_ids: np.ndarray | None = None
        self._crowding: dict[tuple[int, int], float] = {}

    @classmethod
    @_follow_current
    def open(cls, root: Path | str, verify: str = "full",
             vectors: VectorSettings | None = None) -> Store:
        """Open the live version after checking every file against its manifest.

        `vectors` matters only for a store whose vectors are in Milvus: its milvus_uri (when
        set) replaces the recorded one, and its milvus_token is the server's credentials."""
        root = Path(root).expanduser().resolve()
        info = resolve_current(root, verify)
        connection = connect_readonly(info.folder / DB_FILE)
        try:
            meta = read_meta(connection)
            dense = open_vectors(root, info.folder, info.number, vectors)
            lexical = LexicalIndex.load(info.folder / LEXICAL_DIR)
            (chunks,) = connection.execute("SELECT COUNT(*) FROM chunks").fetchone()
            dense_count = len(dense)
        except NewsdeskError:
            connection.close()
            raise
        except Exception as error:  # FAISS, numpy and SQLite each raise their own types
            connection.close()
            raise StoreCorruptError(
                f"the store at {root} could not be loaded ({error}); rebuild it with "
                "`qa index --rebuild PATHS`") from error
        if not (chunks == dense_count == len(lexical)):
            connection.close()
            raise StoreCorruptError(
                f"the store at {root} is inconsistent ({chunks} chunks, {dense_count} vectors, "
                f"{len(lexical)} lexical rows); rebuild it with `qa index --rebuild PATHS`")
        return cls(root, info.folder, info.number, connection, dense, lexical, meta)

    def close(self) -> None:
        with self._db_lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def is_stale(self) -> bool:
        """True when another version has been published since this one was opened."""
        try:
            return current_version_name(self.root) != self.folder.name
        except Exception:
            return False

    # --- settings --------------------------------------------------------------------

    @property
    def embed_model(self) -> str:
        return self.meta.get("embed_model", "")

    @property
    def dim(self) -> int:
        return self.vectors.dim

    # --- search ----------------------------------------------------------------------

    def search_dense(self, vector: np.ndarray, k: int,
                     allowed_ids: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Chunk ids and cosine similarity of the k nearest chunks."""
        scores, ids = self.vectors.search(vector, k, allowed_ids)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=False) if i >= 0]

    def search_dense_many(self, vectors: np.ndarray, k: int,
                          allowed_ids: np.ndarray | None = None) -> list[list[tuple[int, float]]]:
        scores, ids = self.vectors.search(vectors, k, allowed_ids)
        return [[(int(i), float(s)) for i, s in zip(row_ids, row_scores, strict=False) if i >= 0]
                for row_ids, row_scores in zip(ids, scores, strict=False)]

    def crowding(self, chunk_ids: Sequence[int], neighbours: int) -> dict[int, float]:
        """Each chunk's mean cosine to its `neighbours` nearest other chunks.

        A roundup or a boilerplate paragraph sits close to many chunks, and so close to many
        questions; the retriever subtracts part of this (qa/retrieval.py). Worked out on first
        use and kept for this version of the store: a published update opens a new Store.
        """
        missing = [int(i) for i in dict.fromkeys(chunk_ids)
                   if (int(i), neighbours) not in self._crowding]
        if missing and neighbours > 0:
            if hasattr(self.vectors, "vectors_of"):  # Milvus: one query for them all
                held = self.vectors.vectors_of(missing)
                missing = [i for i in missing if i in held]
                rows = [held[i] for i in missing]
            else:
                rows = [self.vectors.reconstruct(i) for i in missing]
            if rows:
                scores, ids = self.vectors.search(np.vstack(rows), neighbours + 1)
                for chunk_id, row_scores, row_ids in zip(missing, scores, ids, strict=True):
                    others = [float(score) for score, other in zip(row_scores, row_ids,
                                                                   strict=True)
                              if other >= 0 and other != chunk_id][:neighbours]
                    self._crowding[(chunk_id, neighbours)] = (sum(others) / len(others)
                                                              if others else 0.0)
        return {int(i): self._crowding.get((int(i), neighbours), 0.0) for i in chunk_ids}

    def search_lexical(self, text: str, k: int,
                       allowed_ids: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Chunk ids and BM25 score of the k best lexical matches."""
        return self.lexical.search(text, k, allowed_ids)

    def term_weights(self, tokens: Sequence[str]) -> dict[str, float]:
        """IDF of lexical tokens over this store's chunks: how telling a word is here."""
        return self.lexical.idf(tokens)

    def document_frequency(self, tokens: Sequence[str]) -> dict[str, int]:
        """How many chunks hold each lexical token; 0 for a word no article uses."""
        return self.lexical.document_frequency(tokens)

    @property
    def vector_kind(self) -> str:
        """How dense search runs: "flat" (exact), "ivf" (approximate) or "milvus"."""
        return getattr(self.vectors, "kind", "flat")

    def vector(self, chunk_id: int) -> np.ndarray:
        return self.vectors.reconstruct(chunk_id)

    # --- records ---------------------------------------------------------------------

    def _query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with self._db_lock:
            return self._db.execute(sql, params).fetchall()

    def chunks(self, chunk_ids: Iterable[int]) -> list[ChunkRecord]:
        """Chunks in the order asked for; unknown ids are left out."""
        wanted = [int(i) for i in chunk_ids]
        found: dict[int, ChunkRecord] = {}
        for batch in _batches(wanted, 900):
            marks = ",".join("?" * len(batch))
            for row in self._query(
                    f"SELECT {CHUNK_COLUMNS} FROM chunks WHERE chunk_id IN ({marks})", batch):
                found[row[0]] = chunk_from_row(row)
        return [found[i] for i in wanted if i in found]

    def article(self, article_id: str) -> ArticleRecord | None:
        rows = self._query(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE article_id = ?",
                           (article_id,))
        return article_from_row(rows[0]) if rows else None

    def articles(self, article_ids: Iterable[str]) -> dict[str, ArticleRecord]:
        wanted = list(dict.fromkeys(article_ids))
        found: dict[str, ArticleRecord] = {}
        for batch in _batches(wanted, 900):
            marks = ",".join("?" * len(batch))
            for row in self._query(
                    f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE article_id IN ({marks})",
                    batch):
                found[row[0]] = article_from_row(row)
        return found

    def undated_texts(self) -> list[str]:
        """The title and text of each article without a date."""
        return [f"{title}\n{text}" for title, text in self._query(
            "SELECT title, text FROM articles WHERE date IS NULL OR date = ''")]

    def article_ids(self) -> list[str]:
        return [row[0] for row in self._query("SELECT article_id FROM articles ORDER BY rowid")]

    def chunk_ids_of(self, article_id: str) -> list[int]:
        return [row[0] for row in self._query(
            "SELECT chunk_id FROM chunks WHERE article_id = ? ORDER BY position", (article_id,))]

    def all_chunk_ids(self) -> np.ndarray:
        if self._all_ids is None:
            self._all_ids = np.array(
                [row[0] for row in self._query("SELECT chunk_id FROM chunks ORDER BY chunk_id")],
                dtype=np.int64)
        return self._all_ids

    def chunk_ids_matching(self, since: str | None = None, until: str | None = None,
                           sources: Sequence[str] | None = None,
                           article_ids: Sequence[str] | None = None) -> np.ndarray | None:
        """Ids of the chunks whose article passes the filters; None when nothing filters.

        Dates are ISO days compared as text; an article without a date fails any date filter.
        """
        clauses, params = [], []
        if since:
            clauses.append("a.date >= ?")
            params.append(since)
        if until:
            clauses.append("a.date <= ?")
            params.append(until)
        if sources:
            clauses.append(f"lower(a.source) IN ({','.join('?' * len(sources))})")
            params.extend(s.lower() for s in sources)
        if article_ids:
            clauses.append(f"a.article_id IN ({','.join('?' * len(article_ids))})")
            params.extend(article_ids)
        if not clauses:
            return None
        rows = self._query(
            "SELECT c.chunk_id FROM chunks c JOIN articles a ON a.article_id = c.article_id "
            f"WHERE {' AND '.join(clauses)}", params)
        return np.array([row[0] for row in rows], dtype=np.int64)

    def sources(self) -> list[str]:
        return [row[0] for row in self._query(
            "SELECT DISTINCT source FROM articles WHERE source IS NOT NULL AND source != '' "
            "ORDER BY source COLLATE NOCASE")]

    def date_range(self) -> tuple[str | None, str | None]:
        (low, high), = self._query("SELECT MIN(date), MAX(date) FROM articles")
        return low, high

    def stats(self) -> StoreStats:
        (articles,), = self._query("SELECT COUNT(*) FROM articles")
        (chunks,), = self._query("SELECT COUNT(*) FROM chunks")
        (sources,), = self._query(
            "SELECT COUNT(DISTINCT source) FROM articles WHERE source IS NOT NULL")
        size = sum(p.stat().st_size for p in self.folder.rglob("*") if p.is_file())
        return StoreStats(
            path=str(self.root), version=self.version, articles=articles, chunks=chunks,
            embed_model=self.embed_model, dim=self.dim, size_bytes=size,
            updated_at=float(self.meta.get("updated_at", "0") or 0), sources=sources,
            vector_kind=self.vector_kind)

    def last_summary(self) -> dict:
        raw = self.meta.get("last_update")
        return json.loads(raw) if raw else {}


def _batches(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]
