"""The article record: what every reader produces and the store keeps."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class Article:
    """One news article, as read from a file or a record in a file.

    `text` is the body exactly as it will be quoted: citation spans are offsets into it.
    """

    article_id: str
    title: str
    text: str
    date: str | None = None  # ISO day, "YYYY-MM-DD"; used by date filters
    published_at: str | None = None  # the timestamp as the source gave it
    source: str | None = None
    url: str | None = None
    path: str = ""  # absolute path of the file it came from
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """Hash of everything that ends up in the index; a change means re-indexing."""
        payload = json.dumps(
            [self.title, self.text, self.date, self.published_at, self.source, self.url,
             self.metadata],
            sort_keys=True, ensure_ascii=False, default=str,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ReadFailure:
    """A file, or one record in a file, that could not be read, and why."""

    path: str
    reason: str
    record: int | None = None  # 1-based record or line number inside a multi-record file

    def __str__(self) -> str:
        where = f"{self.path} (record {self.record})" if self.record else self.path
        return f"{where}: {self.reason}"


def normalise_date(value: Any) -> tuple[str | None, str | None]:
    """Return (ISO day, original timestamp text) for a date given in any common form.

    A date that cannot be understood is kept as text but gets no ISO day, so date filters
    skip it rather than guess.
    """
    if value is None or value == "":
        return None, None
    if isinstance(value, datetime):
        return value.date().isoformat(), value.isoformat()
    if isinstance(value, date):
        return value.isoformat(), value.isoformat()
    text = str(value).strip()
    if not text:
        return None, None
    candidate = text.replace("Z", "+00:00") if text.endswith("Z") else text
    try:
        return datetime.fromisoformat(candidate).date().isoformat(), text
    except ValueError:
        pass
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y",
                "%a, %d %b %Y %H:%M:%S %z", "%a, %d %b %Y %H:%M:%S %Z"):
        try:
            return datetime.strptime(text, fmt).date().isoformat(), text
        except ValueError:
            continue
    return None, text
