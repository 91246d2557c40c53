"""Where a version's vectors live (FAISS files in the version folder, or a Milvus collection)
and how an update writes them. `Store` and `update_store` only see the common interface:
add(ids, vectors), remove(ids), search(queries, k, allowed_ids), reconstruct(id), ids(), len.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import numpy as np

from . import milvus as mv
from .errors import StoreCorruptError, VectorBackendError
from .vectors import FLAT, VectorIndex, VectorSettings, maintained

FAISS = "faiss"
MILVUS = "milvus"
BACKENDS = (FAISS, MILVUS)
VECTORS_FILE = "vectors.faiss"


def open_vectors(root: Path, folder: Path, version: int,
                 settings: VectorSettings | None = None):
    """The vectors of one published (or being written) version folder."""
    if (folder / mv.DESCRIPTOR_FILE).exists():
        descriptor = mv.read_descriptor(folder)
        if int(descriptor["version"]) != int(version):
            raise StoreCorruptError(
                f"{folder / mv.DESCRIPTOR_FILE} belongs to version {descriptor['version']}, not "
                f"{version}; rebuild the store with `qa index --rebuild PATHS`")
        settings = settings or VectorSettings()
        uri = mv.resolve_uri(root, descriptor.get("uri"), settings.milvus_uri)
        milvus = mv.client(uri, settings.milvus_token)
        try:
            present = milvus.has_collection(descriptor["collection"])
            if present:
                milvus.load_collection(descriptor["collection"])
        except Exception as error:
            raise VectorBackendError(f"Milvus at {uri} failed: {mv._short(error)}") from error
        if not present:
            raise StoreCorruptError(
                f"the store at {root} keeps its vectors in the Milvus collection "
                f"'{descriptor['collection']}' at {uri}, which does not exist; check milvus_uri "
                "or rebuild the store with `qa index --rebuild PATHS`")
        return mv.MilvusVectors(milvus, descriptor["collection"], version, descriptor["dim"])
    return VectorIndex.load(folder / VECTORS_FILE)


def stored_vectors(index, chunk_ids: list[int]) -> dict[int, np.ndarray]:
    """{chunk id: vector} for ids the index holds."""
    if isinstance(index, mv.MilvusVectors):
        return index.vectors_of(chunk_ids)
    return {chunk_id: index.reconstruct(chunk_id) for chunk_id in chunk_ids}


def choose_backend(root: Path, old_meta: dict[str, str], has_live: bool,
                   settings: VectorSettings, rebuild: bool) -> str:
    """The store's recorded backend; the settings choose only for a new store or a rebuild,
    and a backend set explicitly against the store's is refused with advice."""
    wanted = settings.backend
    if wanted is not None and wanted not in BACKENDS:
        raise VectorBackendError(f"unknown vector_backend {wanted!r}; use faiss or milvus")
    recorded = old_meta.get("vector_backend") or (FAISS if has_live else None)
    if recorded and not rebuild and wanted and wanted != recorded:
        raise VectorBackendError(
            f"the store at {root} keeps its vectors in {recorded}, but vector_backend is "
            f"{wanted}; set vector_backend = '{recorded}', or move the store with "
            "`qa index --rebuild PATHS`")
    return (recorded if not rebuild else wanted or recorded) or wanted or FAISS


class FaissWriter:
    """The next version's FAISS index: the live one loaded, changed, maybe switched between
    exact and approximate search, and saved into the new version folder."""

    backend = FAISS

    def __init__(self, root: Path, live: Path | None, old_meta: dict[str, str],
                 settings: VectorSettings, dim: int) -> None:
        self.settings = settings
        self.old_meta = old_meta
        self.index = VectorIndex.load(live / VECTORS_FILE) if live is not None \
            else VectorIndex.create(dim)

    def begin(self, version: int) -> None:
        pass

    def remove(self, ids) -> int:
        return self.index.remove(ids)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        self.index.add(ids, vectors)

    def finish(self, temp: Path) -> dict[str, str]:
        trained_on = int(self.old_meta.get("ann_trained_on", "0") or 0)
        self.index, trained_on, change = maintained(self.index, self.settings, trained_on)
        self.index.save(temp / VECTORS_FILE)
        meta = {"vector_backend": FAISS, "vector_kind": self.index.kind,
                "ann_trained_on": str(trained_on), "ann_nlist": str(self.index.nlist)}
        if change:
            meta["vector_change"] = change
        return meta

    def abort(self) -> None:
        pass

    def published(self, root: Path, version: int) -> None:
        pass


class MilvusWriter:
    """The next version's rows in the store's Milvus collection (see milvus.py for how
    versions are told apart there)."""

    backend = MILVUS

    def __init__(self, root: Path, live_number: int, old_meta: dict[str, str],
                 settings: VectorSettings, dim: int, rebuild: bool) -> None:
        self.root = root
        self.live_number = live_number
        self.settings = settings
        self.dim = dim
        self.rebuild = rebuild
        recorded = old_meta.get("milvus_uri") or None
        # Record what the user gave (made absolute for a Lite file); None for the default
        # Lite folder inside the store, so the store can be moved.
        given = settings.milvus_uri or recorded
        self.recorded_uri = (mv.resolve_uri(root, given, None) if given else None)
        self.uri = mv.resolve_uri(root, self.recorded_uri, None)
        self.store_key = old_meta.get("vector_store_key") or secrets.token_hex(4)
        self.collection = mv.collection_name(settings.milvus_collection, self.store_key, dim)
        self.previous_collection = old_meta.get("vector_collection")
        self.view: mv.MilvusVectors | None = None

    def begin(self, version: int) -> None:
        try:
            milvus = mv.client(self.uri, self.settings.milvus_token)
            mv.ensure_collection(milvus, self.collection, self.dim, mv.is_lite(self.uri))
            self.view = mv.MilvusVectors(milvus, self.collection, version, self.dim)
            # Whatever writers that never published left behind is undone first.
            self.view.rollback(self.live_number)
            if self.rebuild and self.previous_collection == self.collection:
                # A rebuild starts empty: every row the live version sees dies with it.
                live_ids = mv.MilvusVectors(milvus, self.collection, self.live_number,
                                            self.dim).ids()
                self.view.remove(live_ids.tolist())
        except VectorBackendError:
            raise
        except Exception as error:
            raise VectorBackendError(
                f"Milvus at {self.uri} failed while preparing the update: {mv._short(error)}. "
                "The previous version is intact; run the command again") from error

    def remove(self, ids) -> int:
        return self.view.remove(ids)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        self.view.add(ids, vectors)

    def finish(self, temp: Path) -> dict[str, str]:
        mv.write_descriptor(temp, self.collection, self.view.version, self.dim, len(self.view),
                            self.recorded_uri)
        meta = {"vector_backend": MILVUS, "vector_kind": "milvus",
                "vector_store_key": self.store_key, "vector_collection": self.collection}
        if self.recorded_uri:
            meta["milvus_uri"] = self.recorded_uri
        return meta

    def abort(self) -> None:
        if self.view is not None:
            try:
                self.view.rollback(self.live_number)
            except Exception:
                pass  # the next writer rolls back before it starts

    def published(self, root: Path, version: int) -> None:
        """Delete rows no kept version sees, and collections of this store no kept version
        uses (after a rebuild with another embedding size)."""
        from .versions import KEEP_VERSIONS, version_name

        oldest_kept = version - KEEP_VERSIONS + 1
        try:
            self.view.collect(oldest_kept)
            referenced = {self.collection}
            for number in range(oldest_kept, version + 1):
                folder = root / version_name(number)
                if (folder / mv.DESCRIPTOR_FILE).exists():
                    referenced.add(mv.read_descriptor(folder)["collection"])
            prefix = mv.collection_name(self.settings.milvus_collection, self.store_key, 0)[:-1]
            milvus = mv.client(self.uri, self.settings.milvus_token)
            for name in milvus.list_collections():
                if name.startswith(prefix) and name not in referenced:
                    milvus.drop_collection(name)
        except Exception:
            pass  # garbage only: the next update collects it


def writer_for(root: Path, live: Path | None, live_number: int, old_meta: dict[str, str],
               settings: VectorSettings, dim: int, rebuild: bool):
    backend = choose_backend(root, old_meta, live is not None, settings, rebuild)
    if backend == MILVUS:
        return MilvusWriter(root, live_number, old_meta, settings, dim, rebuild)
    return FaissWriter(root, None if rebuild else live, old_meta, settings, dim)


def describe(index) -> str:
    """A short name of the index kind for stats: flat, ivf, milvus."""
    return getattr(index, "kind", FLAT)
