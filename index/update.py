"""Bringing a store up to date with a set of article files.

New articles are added, changed ones replaced, removed ones deleted (when pruning), unchanged
ones cost nothing. The slow part, embedding, happens before anything is written; the new
version is then written beside the live one and switched in atomically (see versions.py).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from . import versions
from .articles import Article, ReadFailure
from .chunking import ChunkDraft, chunk_article
from .database import connect_for_writing, connect_readonly, read_meta, write_meta
from .dense import open_vectors, stored_vectors, writer_for
from .embedder import Embedder, embedder_for_store
from .errors import ModelMismatchError, NewsdeskError, StoreWriteError
from .lexical import LexicalIndex, tokenize
from .links import fetch_links, remember_links
from .readers import ReaderLimits, read_paths
from .store import DB_FILE, LEXICAL_DIR
from .vectors import VectorSettings
from .web import FetchPolicy

# Settings of the previous version that a rebuild carries over: chunk ids are never reused,
# and a store keeps its place in Milvus.
_CARRIED_BY_REBUILD = ("next_chunk_id", "vector_backend", "vector_store_key",
                       "vector_collection", "milvus_uri")

# progress(stage, done, total): stage is "fetch", "read", "chunk", "embed" or "write".
ProgressCallback = Callable[[str, int, int], None]

EMBED_SLICE = 256  # texts per encode call: small enough for a smooth progress bar


@dataclass
class UpdateSummary:
    """What an update did, for the CLI, the web chat and tests."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    unchanged: int = 0
    failed: list[ReadFailure] = field(default_factory=list)
    chunks_added: int = 0
    chunks_removed: int = 0
    chunks_embedded: int = 0
    chunks_reused: int = 0
    version: int | None = None  # the version published, None when nothing changed
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.deleted or self.moved)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["failed"] = [{"path": f.path, "record": f.record, "reason": f.reason}
                          for f in self.failed]
        return data


@dataclass
class _Plan:
    add: list[Article] = field(default_factory=list)
    replace: list[Article] = field(default_factory=list)
    move: list[Article] = field(default_factory=list)
    delete: list[str] = field(default_factory=list)
    unchanged: int = 0


def update_store(store: Path | str, paths: Sequence[Path | str], *,
                 embedder: Embedder | None = None, prune: bool | None = None,
                 rebuild: bool = False, limits: ReaderLimits | None = None,
                 progress: ProgressCallback | None = None, lock_wait: float = 0.0,
                 chunk_tokens: int | None = None,
                 vectors: VectorSettings | None = None, links: Sequence[str] = (),
                 fetch: FetchPolicy | None = None, follow_feeds: bool = False,
                 feed_max_items: int = 100) -> UpdateSummary:
    """Make the store match the articles under `paths`, and add the articles of `links`.

    `prune` (default: on when a folder is given) deletes stored articles that came from the
    given folders or files and are no longer there. A file that cannot be read keeps its
    previously indexed articles. `rebuild` starts from an empty store (needed to change the
    embedding model). `vectors` says where vectors live (FAISS or Milvus) and when FAISS
    switches to approximate search; a store keeps the backend it was built with.

    `links` are article pages and RSS/Atom feeds (see links.py), fetched under `fetch` before
    the store is locked; only what changed since the last run is fetched. Their articles are
    never pruned. `follow_feeds` reads the feed a page announces instead of the page.
    """
    started = time.perf_counter()
    root = Path(store).expanduser().resolve()
    paths = [Path(p).expanduser() for p in paths]
    if prune is None:
        prune = any(p.is_dir() for p in paths)
    report = progress or (lambda stage, done, total: None)
    embedder = embedder or embedder_for_store(root)
    settings = vectors or VectorSettings(backend=None)
    web = fetch_links(root, links, fetch, limits, follow_feeds, feed_max_items,
                      lambda done, total: report("fetch", done, total), rebuild) if links else None

    with versions.writer_lock(root, lock_wait):
        versions.collect_garbage(root)
        live = None if rebuild else _live_folder(root)
        old_meta, old_articles = _load_state(live)
        live_number = _live_number(root)
        if rebuild:
            # Chunk ids are never reused, not even across a rebuild.
            previous = _previous_meta_if_readable(root)
            old_meta = {key: previous[key] for key in _CARRIED_BY_REBUILD if key in previous}
            old_meta.setdefault("next_chunk_id", "1")
        if live is not None and old_meta.get("embed_model") not in (None, embedder.name):
            raise ModelMismatchError(
                f"the store at {root} was built with the embedding model "
                f"'{old_meta['embed_model']}', not '{embedder.name}'; vectors of two models "
                "cannot be mixed. Rebuild it with `qa index --rebuild PATHS` (or use another "
                "--store)")

        if paths or not links:
            report("read", 0, len(paths))
        read = read_paths(paths, limits)
        if web is not None:
            read.articles.extend(web.articles)
            read.failures.extend(web.failures)
        if paths or not links:
            report("read", len(paths), len(paths))
        summary = UpdateSummary(failed=list(read.failures))
        articles = _unique(read.articles, summary.failed)
        plan = _plan(articles, old_articles, read, paths, prune)
        summary.unchanged = plan.unchanged + (web.unchanged if web else 0)
        if not (plan.add or plan.replace or plan.move or plan.delete):
            summary.failed.extend(remember_links(root, web, rebuild))
            summary.seconds = time.perf_counter() - started
            return summary

        dense = writer_for(root, live, live_number, old_meta, settings, embedder.dim, rebuild)
        fresh = plan.add + plan.replace
        drafts = _chunk(fresh, embedder, chunk_tokens, report)
        vectors, reused = _embed(drafts, embedder, live, report,
                                 lambda: open_vectors(root, live, live_number, settings))
        summary.chunks_embedded = len(drafts) - reused
        summary.chunks_reused = reused

        report("write", 0, 1)
        summary.added = [a.article_id for a in plan.add]
        summary.replaced = [a.article_id for a in plan.replace]
        summary.moved = [a.article_id for a in plan.move]
        summary.deleted = list(plan.delete)
        temp: Path | None = None
        try:
            temp = versions.new_temp_folder(root)
            summary.version = versions.next_version_number(root)
            dense.begin(summary.version)
            _write_version(temp, live, old_meta, plan, drafts, vectors, embedder, summary,
                           started, dense)
            versions.write_manifest(temp, summary.version, {"embed_model": embedder.name})
            versions.publish(root, temp, summary.version)
        except BaseException as error:
            if temp is not None:
                shutil.rmtree(temp, ignore_errors=True)
            if _live_number(root) != summary.version:
                dense.abort()  # not published: undo what it wrote outside the folder
            code = _failed_write(error)
            if code is not None:
                raise _write_error(root, error, code) from error
            raise
        report("write", 1, 1)
        dense.published(root, summary.version)
        summary.failed.extend(remember_links(root, web, rebuild))
        versions.collect_garbage(root)
        summary.seconds = time.perf_counter() - started
        return summary


def _previous_meta_if_readable(root: Path) -> dict[str, str]:
    try:
        live = _live_folder(root)
        return _load_state(live)[0] if live else {}
    except NewsdeskError:
        return {}  # a damaged store is a reason to rebuild: start the ids afresh


def _live_number(root: Path) -> int:
    """The number of the version CURRENT names (0 when there is none or it is unreadable)."""
    try:
        name = versions.current_version_name(root) if root.exists() else None
    except NewsdeskError:
        return 0
    return int(name[1:]) if name else 0


_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
_NOT_WRITABLE = (errno.EROFS, errno.EACCES, errno.EPERM)


def _failed_write(error: BaseException) -> int | None:
    """The errno of a write that failed, also when a library reports it in its own way
    (FAISS as RuntimeError with the C error text, SQLite as OperationalError); None when
    `error` is not a failed write."""
    if isinstance(error, OSError):
        return error.errno or errno.EIO
    if isinstance(error, sqlite3.Error):
        name = getattr(error, "sqlite_errorname", "") or ""
        if name == "SQLITE_FULL":
            return errno.ENOSPC
        if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")):
            return errno.EACCES
        if name.startswith("SQLITE_IOERR"):
            return errno.EIO
        return None
    if isinstance(error, RuntimeError) and ("write error" in str(error)
                                            or "could not open" in str(error)):
        for code in (*_FULL, *_NOT_WRITABLE):
            if f"({os.strerror(code)})" in str(error) or f": {os.strerror(code)}" in str(error):
                return code
        return errno.EIO
    return None


def _write_error(root: Path, error: BaseException, code: int) -> StoreWriteError:
    if code in _FULL:
        why = f"the disk is full ({os.strerror(code)}); free some space"
    elif code in _NOT_WRITABLE:
        why = f"the store folder cannot be written ({os.strerror(code)}); check its permissions"
    elif isinstance(error, sqlite3.Error):  # SQLite does not say why a write failed
        why = f"the database could not be written ({error}); the disk may be full or failing"
    else:
        why = f"{getattr(error, 'strerror', None) or error}"
    return StoreWriteError(f"the update of {root} could not be written: {why}. The previous "
                           "version is intact; run the command again once that is fixed")


def _live_folder(root: Path) -> Path | None:
    name = versions.current_version_name(root) if root.exists() else None
    if name is None:
        return None
    folder = root / name
    versions.check_manifest(folder, "full")
    return folder


def _load_state(live: Path | None) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """The live version's settings and {article id: (content hash, path)}."""
    if live is None:
        return {}, {}
    connection = connect_readonly(live / DB_FILE)
    try:
        meta = read_meta(connection)
        articles = {row[0]: (row[1], row[2]) for row in connection.execute(
            "SELECT article_id, content_hash, path FROM articles")}
    finally:
        connection.close()
    return meta, articles


def _unique(articles: list[Article], failures: list[ReadFailure]) -> list[Article]:
    """Keep the first article of each id; later ones are reported, not silently merged."""
    seen: dict[str, Article] = {}
    for article in articles:
        first = seen.get(article.article_id)
        if first is None:
            seen[article.article_id] = article
        else:
            failures.append(ReadFailure(
                article.path, f"duplicate article id '{article.article_id}' (also in "
                f"{first.path}); give each article its own id or url"))
    return list(seen.values())


def _plan(articles: list[Article], old: dict[str, tuple[str, str]], read,
          paths: Sequence[Path], prune: bool) -> _Plan:
    plan = _Plan()
    for article in articles:
        previous = old.get(article.article_id)
        if previous is None:
            plan.add.append(article)
        elif previous[0] != article.content_hash:
            plan.replace.append(article)
        elif previous[1] != article.path:
            plan.move.append(article)
        else:
            plan.unchanged += 1
    if prune:
        seen = {a.article_id for a in articles}
        # A file with any unreadable record keeps all its old articles: never lose data
        # because an edit broke a file.
        keep_files = read.files_failed | {f.path for f in read.failures}
        scopes = [Path(p).resolve() for p in paths]
        for article_id, (_, path) in old.items():
            if article_id in seen or path in keep_files:
                continue
            if any(_inside(Path(path), scope) for scope in scopes):
                plan.delete.append(article_id)
    return plan


def _inside(path: Path, scope: Path) -> bool:
    return path == scope or scope in path.parents


def _chunk(articles: list[Article], embedder: Embedder, chunk_tokens: int | None,
           report: ProgressCallback) -> list[ChunkDraft]:
    window = embedder.max_tokens
    budget = min(chunk_tokens, window) if chunk_tokens else window
    drafts: list[ChunkDraft] = []
    for done, article in enumerate(articles, start=1):
        drafts.extend(chunk_article(article, embedder.count_tokens, budget))
        if done % 50 == 0 or done == len(articles):
            report("chunk", done, len(articles))
    return drafts


def embed_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _embed(drafts: list[ChunkDraft], embedder: Embedder, live: Path | None,
           report: ProgressCallback, open_live) -> tuple[np.ndarray, int]:
    """Vectors for the drafts, reusing stored vectors of identical texts (moved or edited
    articles keep the vectors of their unchanged chunks)."""
    if not drafts:
        return np.zeros((0, 0), dtype=np.float32), 0
    hashes = [embed_hash(d.embed_text) for d in drafts]
    known = _stored_vectors(live, set(hashes), open_live)
    dim = embedder.dim
    vectors = np.zeros((len(drafts), dim), dtype=np.float32)
    todo = []
    for row, digest in enumerate(hashes):
        if digest in known and known[digest].shape == (dim,):
            vectors[row] = known[digest]
        else:
            todo.append(row)
    # Longest first in slices of similar length: the same batching encode() does on its own,
    # but in slices, so the progress bar moves and its ETA is honest.
    todo.sort(key=lambda row: -len(drafts[row].embed_text))
    report("embed", 0, len(todo))
    for start in range(0, len(todo), EMBED_SLICE):
        rows = todo[start:start + EMBED_SLICE]
        vectors[rows] = embedder.encode([drafts[row].embed_text for row in rows])
        report("embed", min(start + EMBED_SLICE, len(todo)), len(todo))
    return vectors, len(drafts) - len(todo)


def _stored_vectors(live: Path | None, hashes: set[str], open_live) -> dict[str, np.ndarray]:
    if live is None or not hashes:
        return {}
    connection = connect_readonly(live / DB_FILE)
    try:
        found: dict[str, int] = {}
        wanted = list(hashes)
        for start in range(0, len(wanted), 900):
            batch = wanted[start:start + 900]
            for chunk_id, digest in connection.execute(
                    f"SELECT chunk_id, embed_hash FROM chunks WHERE embed_hash IN "
                    f"({','.join('?' * len(batch))})", batch):
                found.setdefault(digest, chunk_id)
    finally:
        connection.close()
    if not found:
        return {}
    by_id = stored_vectors(open_live(), list(found.values()))
    return {digest: by_id[chunk_id] for digest, chunk_id in found.items() if chunk_id in by_id}


def _write_version(temp: Path, live: Path | None, old_meta: dict[str, str], plan: _Plan,
                   drafts: list[ChunkDraft], vectors: np.ndarray, embedder: Embedder,
                   summary: UpdateSummary, started: float, dense) -> None:
    """Write the complete next version into `temp`, fsynced, ready for its manifest."""
    if live is not None:
        shutil.copyfile(live / DB_FILE, temp / DB_FILE)
    db = connect_for_writing(temp / DB_FILE, create=live is None)
    try:
        gone_articles = plan.delete + [a.article_id for a in plan.replace]
        removed_ids = _chunk_ids_of(db, gone_articles)
        dense.remove(removed_ids)
        db.executemany("DELETE FROM chunks WHERE article_id = ?", [(i,) for i in gone_articles])
        db.executemany("DELETE FROM articles WHERE article_id = ?",
                       [(i,) for i in plan.delete])
        now = time.time()
        db.executemany(
            "INSERT OR REPLACE INTO articles(article_id, title, date, published_at, source, url, "
            "path, content_hash, text, metadata, indexed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [(a.article_id, a.title, a.date, a.published_at, a.source, a.url, a.path,
              a.content_hash, a.text, json.dumps(a.metadata, ensure_ascii=False, default=str),
              now) for a in plan.add + plan.replace])
        db.executemany("UPDATE articles SET path = ? WHERE article_id = ?",
                       [(a.path, a.article_id) for a in plan.move])

        next_id = int(old_meta.get("next_chunk_id", "1"))
        ids = np.arange(next_id, next_id + len(drafts), dtype=np.int64)
        token_lists = tokenize([d.embed_text for d in drafts])
        db.executemany(
            "INSERT INTO chunks(chunk_id, article_id, position, start, end, text, embed_hash, "
            "tokens) VALUES (?,?,?,?,?,?,?,?)",
            [(int(i), d.article_id, d.position, d.start, d.end, d.text, embed_hash(d.embed_text),
              " ".join(tokens)) for i, d, tokens in zip(ids, drafts, token_lists, strict=False)])
        if len(drafts):
            dense.add(ids, vectors)
        dense_meta = dense.finish(temp)
        summary.chunks_added, summary.chunks_removed = len(drafts), len(removed_ids)
        summary.seconds = time.perf_counter() - started
        write_meta(db, {
            "last_update": json.dumps(_summary_record(summary)),
            "format": str(versions.FORMAT_VERSION),
            "embed_model": embedder.name,
            "dim": str(embedder.dim),
            "max_tokens": str(embedder.max_tokens),
            "next_chunk_id": str(next_id + len(drafts)),
            "created_at": old_meta.get("created_at", str(now)),
            "updated_at": str(now),
            **dense_meta,
        })
        db.commit()

        previous = LexicalIndex.load_counts(live / LEXICAL_DIR) if live is not None else None
        if previous is not None:
            # Only the new chunks' tokens are counted; scores are recomputed from the counts.
            lexical = LexicalIndex.updated(*previous, removed_ids, ids, token_lists)
        else:  # a new store, or one written before term counts were kept
            rows = db.execute("SELECT chunk_id, tokens FROM chunks ORDER BY chunk_id").fetchall()
            lexical = LexicalIndex.build([r[0] for r in rows], [r[1].split() for r in rows])
    finally:
        db.close()
    with open(temp / DB_FILE, "rb+") as handle:
        os.fsync(handle.fileno())
    lexical.save(temp / LEXICAL_DIR)


def _chunk_ids_of(db, article_ids: Iterable[str]) -> list[int]:
    ids: list[int] = []
    wanted = list(article_ids)
    for start in range(0, len(wanted), 900):
        batch = wanted[start:start + 900]
        ids.extend(row[0] for row in db.execute(
            f"SELECT chunk_id FROM chunks WHERE article_id IN ({','.join('?' * len(batch))})",
            batch))
    return ids


def _summary_record(summary: UpdateSummary) -> dict:
    """The summary as kept in the store: counts, and at most 200 failures."""
    data = summary.to_dict()
    record = {key: (len(value) if isinstance(value, list) else value)
              for key, value in data.items()}
    record["failed_files"] = data["failed"][:200]
    record["finished_at"] = time.time()
    return record
