"""Store versions on disk: written beside the old one, checked, and switched in one step.

Layout of a store folder:

    CURRENT            the name of the live version, replaced atomically (os.replace)
    v000000012/        one complete version, never modified once CURRENT names it
        manifest.json  written last: format, version number, and size + SHA-256 of every file
        meta.sqlite    articles, chunks, spans, settings
        vectors.faiss  FAISS index of chunk vectors
        lexical/       bm25s arrays and JSON
    .writer.lock       held (flock) by the one process that may write
    .tmp-*/            a version being written; removed if its writer died

A reader resolves CURRENT once and reads only that folder, so it never sees a half-written
version and never blocks on a writer. A crash at any point leaves CURRENT naming a complete,
checked version.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import (
    StoreCorruptError,
    StoreLockedError,
    StoreNotFoundError,
    StoreVersionError,
    StoreWriteError,
)

FORMAT_VERSION = 1
CURRENT_FILE = "CURRENT"
MANIFEST_FILE = "manifest.json"
LOCK_FILE = ".writer.lock"
TMP_PREFIX = ".tmp-"
KEEP_VERSIONS = 2  # the live one and the one before, which readers may still be opening


@dataclass(frozen=True)
class VersionInfo:
    """A checked version folder."""

    folder: Path
    number: int
    manifest: dict


def version_name(number: int) -> str:
    return f"v{number:09d}"


def _version_number(name: str) -> int | None:
    if name.startswith("v") and name[1:].isdigit():
        return int(name[1:])
    return None


def current_version_name(store: Path) -> str | None:
    """The name CURRENT points at, or None when the store has never been written."""
    try:
        name = (store / CURRENT_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StoreCorruptError(f"cannot read {store / CURRENT_FILE}: {error}") from error
    if _version_number(name) is None:
        raise StoreCorruptError(
            f"{store / CURRENT_FILE} does not name a version ({name[:40]!r}); "
            f"rebuild the store with `qa index --rebuild` or delete {store}")
    return name


def recorded_embed_model(store: Path) -> str | None:
    """The embedding model (and backend) the live version was built with, from its manifest,
    or None for no store. Read without checking the version: it only chooses the embedder,
    and opening the store checks everything."""
    try:
        name = current_version_name(Path(store).expanduser())
        if name is None:
            return None
        manifest = json.loads((Path(store).expanduser() / name / MANIFEST_FILE)
                              .read_text(encoding="utf-8"))
        value = manifest.get("embed_model")
    except (StoreCorruptError, OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) and value else None


def resolve_current(store: Path, verify: str = "full") -> VersionInfo:
    """Find and check the live version; raise with advice when there is none or it is damaged."""
    if not store.exists():
        raise StoreNotFoundError(
            f"there is no store at {store}; build one with `qa index corpus/ --store {store}`")
    name = current_version_name(store)
    if name is None:
        raise StoreNotFoundError(
            f"{store} holds no index yet; build one with `qa index corpus/ --store {store}`")
    folder = store / name
    return VersionInfo(folder, _version_number(name) or 0, check_manifest(folder, verify))


def check_manifest(folder: Path, verify: str = "full") -> dict:
    """Check every file of a version against its manifest before anything is loaded from it.

    verify="full" hashes every file; "size" only compares sizes (for very large stores).
    """
    advice = "rebuild it with `qa index --rebuild PATHS`"
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreCorruptError(
            f"{folder} has no manifest: the store is damaged; {advice}") from None
    except (OSError, ValueError) as error:
        raise StoreCorruptError(
            f"the manifest in {folder} cannot be read ({error}); {advice}") from error
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise StoreCorruptError(f"the manifest in {folder} is malformed; {advice}")
    if manifest.get("format") != FORMAT_VERSION:
        raise StoreVersionError(
            f"the store at {folder.parent} was written by another version of Newsdesk "
            f"(store format {manifest.get('format')!r}, this version reads {FORMAT_VERSION}); "
            f"{advice}")
    number = _version_number(folder.name)
    if number is not None and manifest.get("version") != number:
        raise StoreCorruptError(
            f"the manifest in {folder} is the one of version {manifest.get('version')!r}: files "
            f"of two versions are mixed; {advice}")
    for path in folder.rglob("*"):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and relative != MANIFEST_FILE and relative not in manifest["files"]:
            # Nothing is loaded from a file the manifest does not vouch for.
            raise StoreCorruptError(
                f"{path} is not part of this version (its manifest does not list it): files "
                f"of two versions are mixed or something was added; {advice}")
    for relative, expected in manifest["files"].items():
        path = folder / relative
        try:
            size = path.stat().st_size
        except OSError:
            raise StoreCorruptError(
                f"{path} is missing: the store is damaged; {advice}") from None
        if size != expected.get("size"):
            raise StoreCorruptError(
                f"{path} has {size} bytes, the manifest says {expected.get('size')}: "
                f"the store is damaged; {advice}")
        if verify == "full" and file_digest(path) != expected.get("sha256"):
            raise StoreCorruptError(
                f"{path} does not match its checksum: the store is damaged; {advice}")
    return manifest


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(folder: Path, number: int, extra: dict) -> None:
    """Record size and checksum of every file, then fsync: the version is complete after this."""
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        if relative == MANIFEST_FILE:
            continue
        files[relative] = {"size": path.stat().st_size, "sha256": file_digest(path)}
    manifest = {"format": FORMAT_VERSION, "version": number, "created_at": time.time(),
                "files": files, **extra}
    target = folder / MANIFEST_FILE
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def new_temp_folder(store: Path) -> Path:
    store.mkdir(parents=True, exist_ok=True)
    folder = store / f"{TMP_PREFIX}{os.getpid()}-{time.monotonic_ns()}"
    folder.mkdir()
    return folder


def next_version_number(store: Path) -> int:
    """The number the next published version gets (called by the lock holder only)."""
    numbers = [n for n in (_version_number(p.name) for p in store.iterdir()) if n is not None]
    return max(numbers, default=0) + 1


def publish(store: Path, temp: Path, number: int) -> Path:
    """Turn a complete temp folder into the live version in one atomic step."""
    final = store / version_name(number)
    os.rename(temp, final)
    pointer = store / f"{CURRENT_FILE}.{os.getpid()}.tmp"
    with open(pointer, "w", encoding="utf-8") as handle:
        handle.write(version_name(number) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(pointer, store / CURRENT_FILE)  # the switch: readers see old or new, never half
    _fsync_dir(store)
    return final


def collect_garbage(store: Path) -> None:
    """Remove versions older than the last KEEP_VERSIONS and temp folders of dead writers.

    Only the lock holder calls this, so any temp folder found belongs to a writer that died.
    """
    current = current_version_name(store)
    live = _version_number(current) if current else None
    for path in store.iterdir():
        if path.name.startswith(TMP_PREFIX) or (
                path.name.startswith(f"{CURRENT_FILE}.") and path.name.endswith(".tmp")):
            _remove(path)
            continue
        number = _version_number(path.name)
        if number is None or live is None:
            continue
        # Older than the ones kept, or newer than CURRENT (published by a writer that died
        # between renaming its folder and switching CURRENT).
        if number <= live - KEEP_VERSIONS or number > live:
            _remove(path)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass  # a read-only folder: the next writer that can write removes it


@contextmanager
def writer_lock(store: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the store's single-writer lock.

    An flock dies with its process, so a crashed writer never holds the store forever.
    Readers take no lock.
    """
    try:
        store.mkdir(parents=True, exist_ok=True)
        handle = open(store / LOCK_FILE, "a+")
    except OSError as error:
        raise StoreWriteError(f"cannot write to the store folder {store}: {error.strerror}; "
                              "check its permissions and free space") from error
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    holder = _lock_holder(handle)
                    raise StoreLockedError(
                        f"another process{holder} is updating the store at {store}; wait for it "
                        "to finish (or pass --wait SECONDS) and run the command again") from None
                time.sleep(0.2)
        try:  # who holds the lock, for the message of a writer that has to wait
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
        except OSError:
            pass  # a full disk: the lock is held all the same
        yield
    finally:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        finally:
            handle.close()


def _lock_holder(handle) -> str:
    try:
        handle.seek(0)
        pid = handle.read().strip()
        return f" (pid {pid})" if pid.isdigit() else ""
    except OSError:
        return ""
