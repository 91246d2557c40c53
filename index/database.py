"""The SQLite half of the store: articles, chunks with their spans, and the store's settings."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import StoreCorruptError

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles (
    article_id   TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    date         TEXT,
    published_at TEXT,
    source       TEXT,
    url          TEXT,
    path         TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    text         TEXT NOT NULL,
    metadata     TEXT NOT NULL,
    indexed_at   REAL NOT NULL
);
CREATE INDEX articles_path ON articles(path);
CREATE INDEX articles_date ON articles(date);
CREATE INDEX articles_source ON articles(source);
CREATE TABLE chunks (
    chunk_id   INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(article_id),
    position   INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    text       TEXT NOT NULL,
    embed_hash TEXT NOT NULL,
    tokens     TEXT NOT NULL
);
CREATE INDEX chunks_article ON chunks(article_id);
CREATE INDEX chunks_embed_hash ON chunks(embed_hash);
"""

REQUIRED_TABLES = {"meta", "articles", "chunks"}
REQUIRED_COLUMNS = {
    "meta": {"key", "value"},
    "articles": {"article_id", "title", "date", "published_at", "source", "url", "path",
                 "content_hash", "text", "metadata", "indexed_at"},
    "chunks": {"chunk_id", "article_id", "position", "start", "end", "text", "embed_hash",
               "tokens"},
}


@dataclass(frozen=True)
class ArticleRecord:
    """An article as stored; `text` is what citation spans index into."""

    article_id: str
    title: str
    date: str | None
    published_at: str | None
    source: str | None
    url: str | None
    path: str
    content_hash: str
    text: str
    metadata: dict[str, Any]


@dataclass(frozen=True)
class ChunkRecord:
    """A stored chunk: `text == article.text[start:end]`."""

    chunk_id: int
    article_id: str
    position: int
    start: int
    end: int
    text: str


ARTICLE_COLUMNS = ("article_id, title, date, published_at, source, url, path, content_hash, "
                   "text, metadata")
CHUNK_COLUMNS = "chunk_id, article_id, position, start, end, text"


def article_from_row(row: tuple) -> ArticleRecord:
    return ArticleRecord(*row[:9], metadata=json.loads(row[9]) if row[9] else {})


def chunk_from_row(row: tuple) -> ChunkRecord:
    return ChunkRecord(*row)


def connect_readonly(path: Path) -> sqlite3.Connection:
    """Open a published version: it never changes, so no locks and no journal are needed."""
    connection = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True,
                                 check_same_thread=False)
    check_schema(connection, path)
    return connection


def connect_for_writing(path: Path, create: bool) -> sqlite3.Connection:
    """Open a private copy in a temp folder; a crash discards the folder, so no journal."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=OFF")
    connection.execute("PRAGMA synchronous=OFF")
    if create:
        connection.executescript(SCHEMA)
    else:
        check_schema(connection, path)
    return connection


def check_schema(connection: sqlite3.Connection, path: Path) -> None:
    try:
        tables = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as error:
        raise StoreCorruptError(
            f"{path} is not a readable SQLite database ({error}); rebuild the store with "
            "`qa index --rebuild PATHS`") from error
    missing = REQUIRED_TABLES - tables
    if missing:
        raise StoreCorruptError(
            f"{path} lacks the table(s) {', '.join(sorted(missing))}: the store is damaged; "
            "rebuild it with `qa index --rebuild PATHS`")
    for table, columns in REQUIRED_COLUMNS.items():
        present = {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
        if columns - present:
            raise StoreCorruptError(
                f"{path}: the table {table} lacks the column(s) "
                f"{', '.join(sorted(columns - present))}: the store is damaged or was written "
                "by another version of Newsdesk; rebuild it with `qa index --rebuild PATHS`")


def read_meta(connection: sqlite3.Connection) -> dict[str, str]:
    return dict(connection.execute("SELECT key, value FROM meta"))


def write_meta(connection: sqlite3.Connection, values: dict[str, Any]) -> None:
    connection.executemany(
        "INSERT INTO meta(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [(key, value if isinstance(value, str) else json.dumps(value))
         for key, value in values.items()])
