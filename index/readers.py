"""Reading articles from files: Markdown/text, HTML, JSON, JSONL and PDF.

Every reader turns one file into zero or more `Article`s plus a list of `ReadFailure`s; a bad
file or record never stops the others. Readers never raise for bad input: the reason goes into
the failure so the summary can name the file and say what to do.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from .articles import Article, ReadFailure, normalise_date
from .errors import ArticleError

# A fetched page whose main text is shorter than this is a section or index page, not an
# article (trafilatura finds a list of headlines there).
MIN_WEB_ARTICLE_CHARS = 150

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".json", ".jsonl", ".pdf")

# Field names accepted in JSON records and front matter, first match wins.
_TEXT_FIELDS = ("body", "text", "content")
_DATE_FIELDS = ("published_at", "date", "published", "pubdate")
_KNOWN_FIELDS = {"id", "title", "source", "url", "link", *_TEXT_FIELDS, *_DATE_FIELDS}


@dataclass(frozen=True)
class ReaderLimits:
    """Bounds on what a reader accepts, so one huge or hostile file cannot exhaust memory."""

    max_file_bytes: int = 64 * 1024 * 1024
    max_article_chars: int = 1_000_000
    max_json_depth: int = 64
    # HTML is parsed whole (lxml + trafilatura, about 3 s and 25 MB of memory per MB here); a
    # page bigger than this is refused before parsing. trafilatura's own download limit.
    max_html_bytes: int = 20 * 1024 * 1024
    # Values in an article's front matter (YAML aliases can make a few lines expand
    # into billions of values).
    max_fields: int = 10_000


@dataclass
class ReadResult:
    """What reading some paths produced."""

    articles: list[Article] = field(default_factory=list)
    failures: list[ReadFailure] = field(default_factory=list)
    # Files that were read completely (all their records are in `articles` or `failures`).
    files_read: set[str] = field(default_factory=set)
    # Files that could not be read at all: their previously indexed articles must be kept.
    files_failed: set[str] = field(default_factory=set)


class _Rejected(Exception):
    """Internal: a whole file or record is unusable, with a reason a user can act on."""


def discover_files(folder: Path) -> list[Path]:
    """All article files under `folder`, sorted, skipping hidden files and folders."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            if Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(Path(root) / name)
    return found


def read_paths(paths: Iterable[Path | str], limits: ReaderLimits | None = None) -> ReadResult:
    """Read every article under the given folders and files."""
    result = ReadResult()
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            root = path.resolve()
            for file in discover_files(root):
                _read_into(result, file, root, limits or ReaderLimits())
        elif path.is_file():
            _read_into(result, path.resolve(), path.resolve().parent, limits or ReaderLimits())
        else:
            result.failures.append(ReadFailure(_shown_path(path), "no such file or folder"))
            result.files_failed.add(_shown_path(path.resolve()))
    return result


def read_file(path: Path, root: Path | None = None,
              limits: ReaderLimits | None = None) -> ReadResult:
    """Read one file; article ids without an id or url are made from its path under `root`."""
    result = ReadResult()
    path = Path(path).resolve()
    _read_into(result, path, (root or path.parent).resolve(), limits or ReaderLimits())
    return result


def _read_into(result: ReadResult, path: Path, root: Path, limits: ReaderLimits) -> None:
    key = _shown_path(path)
    suffix = path.suffix.lower()
    # A file's articles are kept only when the whole file was read: a reader that fails half
    # way through a file leaves nothing of it behind.
    articles: list[Article] = []
    failures: list[ReadFailure] = []
    try:
        if key != str(path):
            raise _Rejected("the file name is not valid UTF-8; rename the file")
        if suffix not in SUPPORTED_SUFFIXES:
            raise _Rejected(
                f"unsupported file type '{suffix or '(none)'}'; "
                f"use one of {', '.join(SUPPORTED_SUFFIXES)}")
        size = path.stat().st_size
        if size == 0:
            raise _Rejected("the file is empty")
        if size > limits.max_file_bytes:
            raise _Rejected(
                f"the file is {_mb(size)} MB, over the {_mb(limits.max_file_bytes)} MB "
                "limit; split it or raise max_file_mb in the settings")
        if suffix in (".html", ".htm") and size > limits.max_html_bytes:
            raise _Rejected(
                f"the HTML page is {_mb(size)} MB, over the "
                f"{_mb(limits.max_html_bytes)} MB limit for HTML; save the article's text "
                "as .txt or .md, or raise max_html_mb in the settings")
        data = path.read_bytes()
        relative = _relative_id(path, root)
        if suffix in (".json", ".jsonl"):
            text = _decode(data)
            reader = _read_jsonl if suffix == ".jsonl" else _read_json
            for item in reader(text, path, relative, limits):
                if isinstance(item, ReadFailure):
                    failures.append(item)
                else:
                    articles.append(item)
        else:
            if suffix in (".md", ".markdown", ".txt"):
                article = _read_markdown(_decode(data), path, relative, limits)
            elif suffix in (".html", ".htm"):
                article = _read_html(_decode(data), path, relative)
            else:
                article = _read_pdf(data, path, relative)
            articles.append(_checked(article, limits))
    except _Rejected as rejected:
        result.failures.append(ReadFailure(key, str(rejected)))
        result.files_failed.add(key)
        return
    except OSError as error:
        result.failures.append(ReadFailure(key, f"cannot read the file: {error.strerror or error}"))
        result.files_failed.add(key)
        return
    except MemoryError:
        result.failures.append(ReadFailure(
            key, "the file is too big to read in the memory available; split it"))
        result.files_failed.add(key)
        return
    except Exception as error:  # a parser's own bug on hostile input must not stop the run
        result.failures.append(ReadFailure(
            key, f"the file could not be read ({type(error).__name__}: {_one_line(error)})"))
        result.files_failed.add(key)
        return
    result.articles.extend(articles)
    result.failures.extend(failures)
    result.files_read.add(key)


def _mb(size: int) -> str:
    """Megabytes as the settings count them (max_file_mb = 64 means 64 x 1024 x 1024 bytes)."""
    value = size / (1024 * 1024)
    return f"{value:.3g}" if value < 1 else f"{value:.1f}".removesuffix(".0")


def _shown_path(path: Path) -> str:
    """The path as text that can be printed and stored; a file name that is not UTF-8 (kept
    by Python as surrogate escapes) shows its bad bytes as U+FFFD."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text


def _relative_id(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _Rejected(
            f"not valid UTF-8 (byte {error.start}); save the file as UTF-8") from None
    if "\x00" in text:
        raise _Rejected("the file contains NUL bytes; it looks binary, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _checked(article: Article, limits: ReaderLimits) -> Article:
    if not article.text.strip():
        raise _Rejected("the article has no text")
    if len(article.text) > limits.max_article_chars:
        raise _Rejected(
            f"the article has {len(article.text):,} characters, over the "
            f"{limits.max_article_chars:,} limit; raise max_article_chars in the settings")
    try:
        # Everything that is stored must be valid Unicode: a JSON or YAML escape such as
        # \ud800 (half of a surrogate pair) cannot be written to the database.
        article.content_hash  # noqa: B018 - encodes every field as UTF-8
        article.article_id.encode("utf-8")
    except UnicodeEncodeError as error:
        raise _Rejected(
            f"the article holds text that is not valid Unicode ({error.reason}: "
            f"{error.object[error.start:error.end]!a}); fix the escape in the file") from None
    return article


def _clean_text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _Rejected(f"the text field holds a {type(value).__name__}, not text")
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()


def _optional_str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dict, list, set, bytes)):
        return None
    text = str(value).replace("\x00", "").strip()
    return text or None


def _first(record: dict[str, Any], names: Iterable[str]) -> Any:
    for name in names:
        if record.get(name) not in (None, ""):
            return record[name]
    return None


def _article_from_fields(fields: dict[str, Any], text: str, path: Path, fallback_id: str,
                         fallback_title: str) -> Article:
    day, published = normalise_date(_first(fields, _DATE_FIELDS))
    url = _optional_str(fields.get("url") or fields.get("link"))
    record_id = _optional_str(fields.get("id"))
    metadata = {
        key: value for key, value in fields.items()
        if key not in _KNOWN_FIELDS and isinstance(value, (str, int, float, bool, list))
        and key != "related"
    }
    title = _optional_str(fields.get("title")) or fallback_title
    return Article(
        article_id=record_id or url or fallback_id,
        title=" ".join(title.split()),
        text=text,
        date=day,
        published_at=published,
        source=_optional_str(fields.get("source")),
        url=url,
        path=str(path),
        metadata=metadata,
    )


# --- Markdown and plain text ------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"\A#[ \t]+(.+?)[ \t]*#*[ \t]*(?:\n|\Z)")


def _read_markdown(text: str, path: Path, relative: str, limits: ReaderLimits) -> Article:
    fields: dict[str, Any] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            loaded = yaml.safe_load(match.group(1) or "") or {}
        except yaml.YAMLError as error:
            raise _Rejected(f"the front matter is not valid YAML: {_one_line(error)}. A value "
                            f"holding ': ' or starting with [ {{ # & * ! | > must be quoted: "
                            f"title: \"Budget: what it means\"") from None
        except RecursionError:
            raise _Rejected("the front matter is nested too deeply") from None
        except (ValueError, TypeError, OverflowError) as error:
            # PyYAML builds dates and numbers itself: "date: 2024-02-30" raises ValueError.
            raise _Rejected(f"the front matter holds a value that cannot be read: "
                            f"{_one_line(error)}") from None
        if not isinstance(loaded, dict):
            raise _Rejected("the front matter must be 'key: value' lines between '---' lines")
        if _count_values(loaded, limits.max_fields) > limits.max_fields or \
                _depth(loaded, limits.max_json_depth) > limits.max_json_depth:
            raise _Rejected(f"the front matter holds more than {limits.max_fields:,} values or "
                            f"is nested more than {limits.max_json_depth} levels deep")
        fields = {str(key).lower(): value for key, value in loaded.items()}
        text = text[match.end():]
    body = text.strip("\n")
    title = _optional_str(fields.get("title"))
    if not title:
        heading = _HEADING.match(body.lstrip())
        if heading:
            title = heading.group(1)
            body = body.lstrip()[heading.end():].strip("\n")
    body = body.strip()
    if not body:
        raise _Rejected("the article has no text after its front matter")
    return _article_from_fields(fields, body, path, relative, title or _title_from_name(path))


def _title_from_name(path: Path) -> str:
    return re.sub(r"[-_]+", " ", path.stem).strip() or path.name


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())[:200]


# --- HTML -------------------------------------------------------------------------------

def _read_html(html: str, path: Path, relative: str) -> Article:
    text, fields = _html_fields(html, None)
    return _article_from_fields(fields, text, path, relative, _title_from_name(path))


def _html_fields(html: str, url: str | None) -> tuple[str, dict[str, Any]]:
    """The main text of a page and its title, date, site, url and author (trafilatura)."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    try:
        document = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False)
    except Exception as error:  # trafilatura raises many types on broken markup
        raise _Rejected(f"the HTML could not be parsed: {_one_line(error)}") from None
    if document is None:
        raise _Rejected("no article text was found in the HTML")
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    text = _clean_text(data.get("text"))
    if not text:
        raise _Rejected("no article text was found in the HTML")
    fields = {
        "title": data.get("title"),
        "date": data.get("date"),
        "source": data.get("sitename") or data.get("hostname"),
        "url": data.get("url"),
    }
    if data.get("author"):
        fields["author"] = data["author"]
    heading, _, rest = text.partition("\n")
    if rest.strip() and fields["title"] and \
            " ".join(heading.split()) == " ".join(str(fields["title"]).split()):
        text = rest.strip()  # the page's headline (its <h1>): already the title, not body text
    return text, fields


def read_web_page(html: str, url: str, limits: ReaderLimits | None = None,
                  title: str | None = None, published: str | None = None) -> Article:
    """The article on a fetched page. Its id, url and path are the link it was fetched by
    (not the page's own canonical link), so asking for the same link again finds it.

    `title` and `published` (from a feed's entry) fill in what the page does not say.
    Raises ArticleError with the reason when the page holds no article.
    """
    limits = limits or ReaderLimits()
    try:
        if len(html) > limits.max_html_bytes:
            raise _Rejected(f"the page is over the {_mb(limits.max_html_bytes)} MB limit for "
                            "HTML (max_html_mb)")
        text, fields = _html_fields(html, url)
        if len(text) < MIN_WEB_ARTICLE_CHARS:
            raise _Rejected(f"no article text was found on the page (only {len(text)} "
                            "characters of text outside navigation and comments)")
        fields["url"] = url
        if not fields.get("date") and published:
            fields["date"] = published
        fallback = title or url
        if not fields.get("title") and title:
            fields["title"] = title
        article = _article_from_fields(fields, text, Path(url), url, fallback)
        return _checked(replace(article, article_id=url, path=url), limits)
    except _Rejected as rejected:
        reason = str(rejected).replace("in the HTML", "on the page")
        raise ArticleError(reason) from None


# --- PDF --------------------------------------------------------------------------------

def _read_pdf(data: bytes, path: Path, relative: str) -> Article:
    from io import BytesIO

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.startswith(b"%PDF"):
        raise _Rejected("not a PDF file (it does not start with %PDF)")
    try:
        reader = PdfReader(BytesIO(data))
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        info = reader.metadata or {}
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        raise _Rejected(f"the PDF could not be read: {_one_line(error)}") from None
    text = "\n\n".join(page for page in pages if page)
    text = text.replace("\x00", "")
    if not text.strip():
        raise _Rejected("the PDF has no extractable text (a scan needs OCR first)")
    fields: dict[str, Any] = {}
    title = info.get("/Title") if hasattr(info, "get") else None
    if title:
        fields["title"] = str(title)
    return _article_from_fields(fields, text.strip(), path, relative, _title_from_name(path))


# --- JSON and JSONL ---------------------------------------------------------------------

def _read_json(text: str, path: Path, relative: str,
               limits: ReaderLimits) -> Iterator[Article | ReadFailure]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _Rejected(
            f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    except RecursionError:
        raise _Rejected("the JSON is nested too deeply") from None
    except ValueError as error:  # e.g. a number of more than 4300 digits
        raise _Rejected(f"the JSON cannot be read: {_one_line(error)}") from None
    if _depth(data, limits.max_json_depth) > limits.max_json_depth:
        raise _Rejected(f"the JSON is nested more than {limits.max_json_depth} levels deep")
    if isinstance(data, dict):
        for key in ("articles", "records", "data", "items"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
    records = data if isinstance(data, list) else [data]
    if not records:
        raise _Rejected("the JSON holds no records")
    many = len(records) > 1
    for number, record in enumerate(records, start=1):
        yield _record_article(record, path, f"{relative}#{number}" if many else relative,
                              number if many else None, limits)


def _read_jsonl(text: str, path: Path, relative: str,
                limits: ReaderLimits) -> Iterator[Article | ReadFailure]:
    seen_any = False
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        seen_any = True
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield ReadFailure(str(path), f"malformed JSON: {error.msg} (column {error.colno})",
                              number)
            continue
        except RecursionError:
            yield ReadFailure(str(path), "the JSON is nested too deeply", number)
            continue
        except ValueError as error:  # e.g. a number of more than 4300 digits
            yield ReadFailure(str(path), f"the JSON cannot be read: {_one_line(error)}", number)
            continue
        if _depth(record, limits.max_json_depth) > limits.max_json_depth:
            yield ReadFailure(str(path), "the JSON is nested too deeply", number)
            continue
        yield _record_article(record, path, f"{relative}#{number}", number, limits)
    if not seen_any:
        raise _Rejected("the file holds no records")


def _record_article(record: Any, path: Path, fallback_id: str, number: int | None,
                    limits: ReaderLimits) -> Article | ReadFailure:
    if not isinstance(record, dict):
        return ReadFailure(str(path), f"a record must be a JSON object, not {_json_type(record)}",
                           number)
    fields = {str(key).lower(): value for key, value in record.items()}
    try:
        text = _clean_text(_first(fields, _TEXT_FIELDS))
        if not text:
            raise _Rejected("the record has no text (expected a 'body' or 'text' field)")
        article = _article_from_fields(fields, text, path, fallback_id,
                                       _optional_str(fields.get("title")) or fallback_id)
        return _checked(article, limits)
    except _Rejected as rejected:
        return ReadFailure(str(path), str(rejected), number)


def _json_type(value: Any) -> str:
    return {list: "a list", str: "a string", int: "a number", float: "a number",
            bool: "true/false", type(None): "null"}.get(type(value), type(value).__name__)


def _count_values(value: Any, limit: int) -> int:
    """Values inside a structure, counting shared ones (YAML aliases) each time they appear;
    stops counting past `limit`."""
    count = 0
    stack = [value]
    while stack and count <= limit:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set)):
            stack.extend(item)
    return count


def _depth(value: Any, limit: int) -> int:
    """Nesting depth of a JSON value, counted without recursion (deep input is hostile)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        if isinstance(item, dict):
            stack.extend((child, level + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, level + 1) for child in item)
    return deepest
