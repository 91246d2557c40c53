"""The dense half of the store in Milvus: the same interface as `VectorIndex`, for stores that
outgrow one machine (a Milvus cluster by URI) or for tests (Milvus Lite, a local folder).

With FAISS each store version carries its own copy of the vectors. Milvus holds one collection
for all versions, so versions are told apart inside it: every row is

    id     our chunk id (the primary key; chunk ids are never reused)
    born   the store version that added it
    died   the version that removed it (ALIVE while no version has)
    vector the unit vector

and version v sees exactly the rows with `born <= v < died`. An update writes version n+1 by
inserting rows with born = n+1 and marking removed rows died = n+1; readers of version n see
neither change (n < n+1), so what a reader sees still switches in one step, when CURRENT is
replaced. Changes of an update that never published (a crash, an error) are undone by the next
writer before it starts (`rollback`); rows no kept version can see are deleted after a publish
(`collect`). The SQLite database of the version stays the source of truth for which chunks
exist; Milvus only answers "which of them are nearest".
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from .errors import StoreCorruptError, VectorBackendError

ALIVE = 2**62  # `died` of a row no version has removed
LITE_FILE = "milvus.db"  # Milvus Lite's folder inside the store when no URI is given
DESCRIPTOR_FILE = "vectors.milvus.json"
_BATCH = 2000  # rows per insert/upsert/get call
_ID_LIST_MAX = 16384  # Milvus's largest top-k

_clients: dict[tuple[str, str], object] = {}
_clients_lock = threading.Lock()


def is_lite(uri: str) -> bool:
    """Milvus Lite is a local path ending in `.db`; a server is http(s):// or tcp://."""
    return "://" not in uri


def client(uri: str, token: str | None = None):
    """A MilvusClient for `uri`, one per process and URI (Milvus Lite serves a file to one
    process at a time, so every part of this process must share it)."""
    key = (uri, token or "")
    with _clients_lock:
        found = _clients.get(key)
        if found is not None:
            return found
        try:
            from pymilvus import MilvusClient
        except ImportError as error:
            raise VectorBackendError(
                "vector_backend = 'milvus' needs pymilvus (and milvus-lite for a local file): "
                "pip install 'newsdesk[milvus]'") from error
        if is_lite(uri):
            if not uri.endswith(".db"):
                raise VectorBackendError(
                    f"milvus_uri {uri!r} is neither a server address (http://host:19530) nor a "
                    "Milvus Lite file (a path ending in .db)")
            Path(uri).parent.mkdir(parents=True, exist_ok=True)
        try:
            made = MilvusClient(uri=uri, token=token or "")
        except Exception as error:  # pymilvus raises several types for one cause
            if is_lite(uri):
                raise VectorBackendError(
                    f"Milvus Lite could not open {uri} ({_short(error)}). Milvus Lite serves a "
                    "file to one process at a time: stop the other process that has it open "
                    "(a running `qa serve`), or use a Milvus server (milvus_uri = "
                    "'http://host:19530')") from error
            raise VectorBackendError(
                f"cannot reach the Milvus server at {uri} ({_short(error)}); check milvus_uri "
                "and milvus_token, and that the server is running") from error
        _clients[key] = made
        return made


def clear_clients() -> None:
    """Close every cached client and stop this process's Milvus Lite servers, so another
    process can open their files (tests; a long-lived process that changes URIs)."""
    with _clients_lock:
        for (uri, _), made in _clients.items():
            try:
                made.close()
            except Exception:
                pass
            if is_lite(uri):
                try:
                    from milvus_lite.server_manager import server_manager_instance

                    server_manager_instance.release_server(uri)
                except Exception:
                    pass
        _clients.clear()


def _short(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:300]


def collection_name(prefix: str, store_key: str, dim: int) -> str:
    """`<prefix>_<store key>_d<dim>`: one store's collection for one vector size."""
    clean = re.sub(r"[^A-Za-z0-9_]", "_", prefix or "newsdesk")
    if not re.match(r"[A-Za-z_]", clean):
        clean = f"n_{clean}"
    return f"{clean}_{store_key}_d{dim}"


def ensure_collection(milvus, name: str, dim: int, lite: bool) -> None:
    """Create the collection (id, born, died, vector) if it does not exist, and load it."""
    from pymilvus import DataType

    if not milvus.has_collection(name):
        schema = milvus.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("id", DataType.INT64, is_primary=True)
        schema.add_field("born", DataType.INT64)
        schema.add_field("died", DataType.INT64)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
        index = milvus.prepare_index_params()
        # Milvus Lite searches exactly (FLAT); a server picks its own (AUTOINDEX: HNSW), which
        # handles deletes itself.
        index.add_index(field_name="vector", index_type="FLAT" if lite else "AUTOINDEX",
                        metric_type="IP")
        milvus.create_collection(name, schema=schema, index_params=index,
                                 consistency_level="Strong")
    milvus.load_collection(name)


def _visible(version: int) -> str:
    return f"born <= {int(version)} and died > {int(version)}"


def _id_list(ids: Iterable[int]) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


class MilvusVectors:
    """One store version's vectors in a Milvus collection, with VectorIndex's interface."""

    kind = "milvus"

    def __init__(self, milvus, collection: str, version: int, dim: int) -> None:
        self._milvus = milvus
        self.collection = collection
        self.version = int(version)
        self._dim = int(dim)
        self._count: int | None = None

    @property
    def dim(self) -> int:
        return self._dim

    def __len__(self) -> int:
        if self._count is None:
            rows = self._milvus.query(self.collection, filter=_visible(self.version),
                                      output_fields=["count(*)"])
            self._count = int(rows[0]["count(*)"]) if rows else 0
        return self._count

    def _iterate(self, expression: str, fields: list[str]) -> Iterator[list[dict]]:
        iterator = self._milvus.query_iterator(self.collection, batch_size=_BATCH * 4,
                                               filter=expression, output_fields=fields)
        try:
            while True:
                batch = iterator.next()
                if not batch:
                    return
                yield batch
        finally:
            iterator.close()

    def ids(self) -> np.ndarray:
        found = [row["id"] for batch in self._iterate(_visible(self.version), ["id"])
                 for row in batch]
        return np.sort(np.array(found, dtype=np.int64))

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Insert rows born in this version (the version being written)."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        for start in range(0, len(ids), _BATCH):
            self._milvus.insert(self.collection, [
                {"id": int(i), "born": self.version, "died": ALIVE, "vector": v.tolist()}
                for i, v in zip(ids[start:start + _BATCH], vectors[start:start + _BATCH],
                                strict=True)])
        self._count = None

    def remove(self, ids: Iterable[int]) -> int:
        """Mark rows as removed by this version; earlier versions still see them."""
        wanted = sorted({int(i) for i in ids})
        removed = 0
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start:start + _BATCH]
            rows = self._milvus.query(
                self.collection, filter=f"id in {_id_list(batch)} and {_visible(self.version)}",
                output_fields=["id"])
            live = [row["id"] for row in rows]
            if live:
                self._milvus.upsert(self.collection,
                                    [{"id": i, "died": self.version} for i in live],
                                    partial_update=True)
                removed += len(live)
        self._count = None
        return removed

    def reconstruct(self, chunk_id: int) -> np.ndarray:
        rows = self._milvus.query(
            self.collection, filter=f"id == {int(chunk_id)} and {_visible(self.version)}",
            output_fields=["vector"])
        if not rows:
            raise KeyError(f"chunk {chunk_id} has no vector in {self.collection}")
        return np.asarray(rows[0]["vector"], dtype=np.float32)

    def vectors_of(self, chunk_ids: Iterable[int]) -> dict[int, np.ndarray]:
        wanted = [int(i) for i in chunk_ids]
        found: dict[int, np.ndarray] = {}
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start:start + _BATCH]
            for row in self._milvus.query(
                    self.collection, filter=f"id in {_id_list(batch)} and "
                    f"{_visible(self.version)}", output_fields=["id", "vector"]):
                found[int(row["id"])] = np.asarray(row["vector"], dtype=np.float32)
        return found

    def search(self, queries: np.ndarray, k: int,
               allowed_ids: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, ids) per query row, padded with id -1, like VectorIndex.search.

        `allowed_ids` becomes `id in [...]` in Milvus's filter, applied before the top-k."""
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        rows = len(queries)
        empty = (np.zeros((rows, 0), np.float32), np.zeros((rows, 0), np.int64))
        if k <= 0 or len(self) == 0:
            return empty
        expression = _visible(self.version)
        limit = min(k, len(self), _ID_LIST_MAX)
        if allowed_ids is not None:
            allowed = np.unique(np.asarray(allowed_ids, dtype=np.int64))
            if not len(allowed):
                return empty
            expression = f"id in {_id_list(allowed)} and {expression}"
            limit = min(limit, len(allowed))
        hits = self._milvus.search(self.collection, data=[q.tolist() for q in queries],
                                   limit=limit, filter=expression, output_fields=[],
                                   search_params={"metric_type": "IP"})
        scores = np.full((rows, limit), -np.finfo(np.float32).max, dtype=np.float32)
        found = np.full((rows, limit), -1, dtype=np.int64)
        for row, row_hits in enumerate(hits):
            for column, hit in enumerate(row_hits[:limit]):
                found[row, column] = int(hit["id"])
                scores[row, column] = float(hit["distance"])
        return scores, found

    # --- keeping the collection in step with the published versions ----------------------

    def rollback(self, live: int) -> None:
        """Undo what unpublished versions (newer than `live`) wrote: a crashed or failed
        writer's rows are deleted and its removals are cancelled."""
        self._milvus.delete(self.collection, filter=f"born > {int(live)}")
        stale = [row["id"] for batch in self._iterate(
            f"died > {int(live)} and died < {ALIVE}", ["id"]) for row in batch]
        for start in range(0, len(stale), _BATCH):
            self._milvus.upsert(self.collection, [{"id": i, "died": ALIVE}
                                                  for i in stale[start:start + _BATCH]],
                                partial_update=True)
        self._count = None

    def remove_all_visible(self) -> int:
        """Mark every row the previous version saw as removed (a rebuild)."""
        previous = self.version - 1
        ids = [row["id"] for batch in self._iterate(_visible(previous), ["id"])
               for row in batch]
        return self.remove(ids)

    def collect(self, oldest_kept: int) -> None:
        """Delete rows that no kept version (>= oldest_kept) can see any more."""
        self._milvus.delete(self.collection, filter=f"died <= {int(oldest_kept)}")


def write_descriptor(folder: Path, collection: str, version: int, dim: int, count: int,
                     uri: str | None) -> None:
    """What a version needs to find its vectors; covered by the manifest like every file.

    `uri` is None for the default Milvus Lite folder inside the store (so the store can move);
    a server's credentials are never written."""
    import os

    target = folder / DESCRIPTOR_FILE
    with open(target, "w", encoding="utf-8") as handle:
        json.dump({"backend": "milvus", "collection": collection, "version": int(version),
                   "dim": int(dim), "count": int(count), "uri": uri}, handle, indent=1)
        handle.flush()
        os.fsync(handle.fileno())


def read_descriptor(folder: Path) -> dict:
    try:
        data = json.loads((folder / DESCRIPTOR_FILE).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("backend") != "milvus":
            raise ValueError("not a Milvus descriptor")
        int(data["version"]), int(data["dim"]), str(data["collection"])
        return data
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise StoreCorruptError(
            f"{folder / DESCRIPTOR_FILE} cannot be read ({error}); rebuild the store with "
            "`qa index --rebuild PATHS`") from error


def resolve_uri(root: Path, recorded: str | None, override: str | None) -> str:
    """The Milvus URI to use: the settings' milvus_uri, else the one the store recorded, else
    Milvus Lite inside the store folder."""
    uri = override or recorded
    if not uri:
        return str(root / LITE_FILE)
    if is_lite(uri):
        return str(Path(uri).expanduser().resolve())  # relative to the working folder
    return uri
