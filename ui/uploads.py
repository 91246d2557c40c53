"""Safe handling of uploaded article files, and of links typed into the page.

An upload is copied into one folder of the store (`<store>/uploads/`) under a file name made
from the uploaded name by keeping only plain characters: no folders, no `..`, no absolute paths,
no NUL or control characters, no hidden files. Whatever name arrives, the copy lands inside that
folder. Sizes are checked while copying, whatever the web framework already checked.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

from qa import SUPPORTED_SUFFIXES, NewsdeskError

UPLOADS_FOLDER = "uploads"
MAX_LINKS = 20  # links added at once from the page
MAX_NAME_CHARS = 100  # of the stem; the suffix is kept whole
_COPY_CHUNK = 1 << 20
_ALLOWED_PUNCTUATION = "-_."


class UploadRejected(NewsdeskError):
    """An uploaded file that is not copied into the store (wrong type, too big, unreadable)."""


def uploads_folder(store: str | Path) -> Path:
    """The folder of the store that holds uploaded article files."""
    return Path(store).expanduser().resolve() / UPLOADS_FOLDER


def display_name(name: str) -> str:
    """The last part of an uploaded name, printable, for messages (never used as a path)."""
    last = re.split(r"[\\/]", str(name))[-1]
    printable = "".join(ch if ch.isprintable() else "?" for ch in last)
    return printable[:120] or "(no name)"


def sanitize_filename(name: str) -> str:
    """A plain file name made from an uploaded file's name.

    Keeps letters, digits, `-`, `_` and `.` of the last path component; everything else
    (separators, NUL and control characters, spaces, quotes) becomes `_`. The result never
    starts with a dot, is never `.` or `..`, and its stem is at most MAX_NAME_CHARS long.
    The suffix is lower-cased so that `.MD` reads like `.md`.
    """
    text = unicodedata.normalize("NFKC", str(name)).replace("\x00", "")
    text = re.split(r"[\\/]", text)[-1]
    text = "".join(ch if ch.isalnum() or ch in _ALLOWED_PUNCTUATION else "_" for ch in text)
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r"_{2,}", "_", text).strip("._-")
    stem, dot, suffix = text.rpartition(".")
    if not dot:
        stem, suffix = text, ""
    stem = stem.strip("._-")[:MAX_NAME_CHARS].rstrip("._-") or "upload"
    return f"{stem}.{suffix.lower()}" if suffix else stem


def save_upload(source: str | Path, original_name: str, folder: str | Path,
                max_bytes: int, taken: Callable[[str], bool] | None = None) -> Path:
    """Copy an uploaded file into `folder` under a sanitized name; return the copy's path.

    Raises UploadRejected when the file type is not one the index reads, the file is empty or
    bigger than `max_bytes`, or it cannot be read. An earlier upload of the same name is
    replaced (so an edited article uploaded again replaces the old one in the index); a name
    for which `taken(name)` is true (an article stored from elsewhere under that id) gets a
    number instead: `notes-2.md`.
    """
    shown = display_name(original_name)
    name = sanitize_filename(original_name)
    if taken is not None and taken(name):
        stem, suffix = name[: len(name) - len(Path(name).suffix)], Path(name).suffix
        name = next(f"{stem}-{n}{suffix}" for n in range(2, 10_000)
                    if not taken(f"{stem}-{n}{suffix}"))
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UploadRejected(f"{shown}: unsupported file type '{suffix or '(none)'}'; use one "
                             f"of {', '.join(SUPPORTED_SUFFIXES)}")
    source = Path(source)
    try:
        size = source.stat().st_size
    except OSError as error:
        raise UploadRejected(f"{shown}: the upload cannot be read ({error.strerror})") from None
    if size > max_bytes:
        raise UploadRejected(f"{shown}: the file is {_megabytes(size)}, over the "
                             f"{_megabytes(max_bytes)} upload limit")
    if size == 0:
        raise UploadRejected(f"{shown}: the file is empty")

    root = Path(os.path.abspath(Path(folder).expanduser()))
    root.mkdir(parents=True, exist_ok=True)
    target = root / name
    if target.parent != root:  # cannot happen after sanitizing; checked all the same
        raise UploadRejected(f"{shown}: not a valid file name")
    _copy_limited(source, target, max_bytes, shown)
    return target


def _copy_limited(source: Path, target: Path, max_bytes: int, shown: str) -> None:
    """Copy through a hidden temporary file in the target folder, then rename into place."""
    handle, temporary = tempfile.mkstemp(prefix=".upload-", dir=target.parent)
    try:
        copied = 0
        with os.fdopen(handle, "wb") as out, open(source, "rb") as data:
            while chunk := data.read(_COPY_CHUNK):
                copied += len(chunk)
                if copied > max_bytes:
                    raise UploadRejected(f"{shown}: the file is over the "
                                         f"{_megabytes(max_bytes)} upload limit")
                out.write(chunk)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as error:
        raise UploadRejected(f"{shown}: the upload could not be stored "
                             f"({error.strerror or error})") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def split_links(text: str | None, max_links: int = MAX_LINKS) -> tuple[list[str], list[str]]:
    """The http(s) links in what was typed into the link box (one per line, or separated by
    spaces), and a message for everything else.

    Only web links get through: the box must never become a way to name a file on the
    server (the Assistant reads any other string as a path).
    """
    links: list[str] = []
    rejected: list[str] = []
    for word in str(text or "").split():
        shown = "".join(ch if ch.isprintable() else "?" for ch in word)
        shown = shown if len(shown) <= 120 else shown[:117] + "..."
        if not re.match(r"(?i)^https?://", word):
            rejected.append(f"{shown}: not a web link; give an address that starts with "
                            "http:// or https://")
        elif len(links) >= max_links:
            rejected.append(f"{shown}: only {max_links} links are added at a time; add it "
                            "again afterwards")
        elif word not in links:
            links.append(word)
    return links, rejected
