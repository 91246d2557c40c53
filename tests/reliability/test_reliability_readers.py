"""Bad articles: whatever bytes a file holds, reading it ends in whole articles or in a failure
that names the file and says why; the run goes on and the store never holds part of an article.

Property-based (hypothesis) over every format, plus the named cases users actually produce:
random bytes, invalid UTF-8, truncated JSON and JSONL, front matter without a body, a 0-byte
file, a 50 MB file, HTML with no text, a PDF that is not a PDF, deeply nested JSON.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rel_helpers import (
    assert_whole_articles,
    make_pdf,
    markdown,
    one_line_error,
    run_qa,
    stored_state,
    topic_body,
)

from index import ReaderLimits, read_file, read_paths, update_store
from qa import load_settings
from qa.assistant import _limits

SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".json", ".jsonl", ".pdf")
LIMITS = ReaderLimits(max_file_bytes=1 << 20, max_article_chars=20_000, max_json_depth=16,
                      max_html_bytes=1 << 20, max_fields=500)
PROPERTY = settings(max_examples=120, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
_names = itertools.count()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    """One folder for all generated files (hypothesis runs many examples per test)."""
    return tmp_path_factory.mktemp("bad-articles")


def write(folder: Path, suffix: str, data: bytes | str) -> Path:
    path = folder / f"case-{next(_names)}{suffix}"
    path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    return path


def check_outcome(path: Path, limits: ReaderLimits = LIMITS):
    """Read one file; it must end in whole, storable articles or in named failures, never
    in an exception, and a file that failed as a whole gives no articles at all."""
    result = read_file(path, limits=limits)
    key = str(path.resolve())
    assert result.articles or result.failures, "the file vanished without a word"
    assert (key in result.files_read) != (key in result.files_failed)
    if key in result.files_failed:
        assert result.articles == [], "articles from a file that failed as a whole"
        assert [f.path for f in result.failures] == [key] and result.failures[0].record is None
    for failure in result.failures:
        assert failure.path == key and failure.reason.strip()
        assert path.name in str(failure)
        str(failure).encode("utf-8")  # printable
    for article in result.articles:
        assert article.text.strip() and len(article.text) <= limits.max_article_chars
        assert article.title.strip() and article.article_id
        assert article.path == key
        # Everything is storable: valid Unicode, JSON-serialisable metadata.
        article.content_hash.encode("ascii")
        for value in (article.text, article.title, article.article_id, article.source or "",
                      article.url or "", article.date or "", article.published_at or ""):
            value.encode("utf-8")
        json.dumps(article.metadata, ensure_ascii=False, default=str).encode("utf-8")
        if article.date is not None:
            assert len(article.date) == 10 and article.date[4] == "-"
    return result


# --- strategies ---------------------------------------------------------------------------

FIELD_NAMES = ["title", "body", "text", "content", "date", "published_at", "source", "url",
               "id", "link", "author", "tags", "related"]
words = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
# What real exports contain: impossible dates, half of a surrogate pair (\ud800 escapes), NUL,
# markup, numbers too long for Python to convert (__BIGNUM__ becomes 5000 digits).
odd_strings = st.sampled_from(["2024-02-30", "2024-13-01", "yesterday", "1e999", "\ud800",
                               "tail \udfff", "\x00", "<b>x</b>", "", " ", "__BIGNUM__"])
texts = words | odd_strings
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | texts
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.sampled_from(FIELD_NAMES) | words, inner,
                                             max_size=4), max_leaves=20)
# Mostly records a reader accepts (a body and the usual fields), with odd values and keys.
records = st.builds(
    lambda usual, extra: {**extra, **usual},
    st.fixed_dictionaries({"body": texts | json_values},
                          optional={name: texts | json_values
                                    for name in ("title", "date", "source", "url", "id",
                                                 "author", "tags")}),
    st.dictionaries(st.sampled_from(FIELD_NAMES) | words, json_values, max_size=3))


def json_text(value) -> str:
    """JSON as exporters write it, odd values included."""
    return json.dumps(value, ensure_ascii=True, allow_nan=True).replace('"__BIGNUM__"',
                                                                        "9" * 5000)


@st.composite
def cut(draw, text: str) -> str:
    """The text, or the text cut off somewhere (a download that stopped, a full disk)."""
    if text and draw(st.booleans()):
        return text[:draw(st.integers(0, len(text) - 1))]
    return text


@st.composite
def json_files(draw) -> str:
    shape = draw(st.sampled_from(["record", "list", "articles", "value"]))
    if shape == "record":
        value = draw(records)
    elif shape == "list":
        value = draw(st.lists(records, max_size=5))
    elif shape == "articles":
        value = {"articles": draw(st.lists(records, max_size=5))}
    else:
        value = draw(json_values)
    return draw(cut(json_text(value)))


@st.composite
def jsonl_files(draw) -> str:
    lines = draw(st.lists(records.map(json_text) | json_values.map(json_text)
                          | st.sampled_from(["", "   ", "{", "[1, 2", '{"body": "x"} trailing']),
                          max_size=6))
    return draw(cut("\n".join(lines)))


yaml_values = st.sampled_from([
    "plain words", '"quoted \\ud800 escape"', "2024-02-30", "2024-01-01", "2024-01-01T99:00:00",
    "[1, 2", "{a: b", "&a [x, x]", "*undefined", "!!python/object:os.system x", "!!binary AAAA",
    "9" * 5000, "0x" + "f" * 5000, "|", ">", "'unclosed", "[" * 20 + "]" * 20,
    "- a\n- b", "null", "~", "yes", "<script>alert(1)</script>", ""]) | words


@st.composite
def markdown_files(draw) -> str:
    parts = []
    if draw(st.booleans()):
        keys = draw(st.lists(st.sampled_from(FIELD_NAMES) | words, max_size=6))
        head = "\n".join(f"{key}: {draw(yaml_values)}" for key in keys)
        if draw(st.booleans()):  # a YAML bomb: each line doubles the one before
            head += "\nl0: &l0 [x, x]\n" + "\n".join(
                f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}]" for i in range(1, 12))
        parts.append(f"---\n{head}\n" + ("---\n" if draw(st.booleans()) else ""))
    if draw(st.booleans()):
        parts.append("# " + draw(words) + "\n")
    parts.append(draw(st.text(max_size=300) | st.sampled_from(["", "\n\n", "   "])))
    return draw(cut("".join(parts)))


TAGS = ["html", "head", "body", "article", "main", "p", "div", "script", "style", "title",
        "h1", "span", "table", "td", "iframe", "svg", "noscript", "template", "meta"]


@st.composite
def html_files(draw) -> str:
    pieces = draw(st.lists(
        st.sampled_from(TAGS).map(lambda t: f"<{t}>")
        | st.sampled_from(TAGS).map(lambda t: f"</{t}>")
        | words | st.sampled_from(["<!--", "-->", "<![CDATA[", "&amp;", "&#0;", "&#xD800;",
                                   "<meta charset='utf-16'>", "<p>" + "x" * 200 + "</p>",
                                   "<?xml version='1.0' encoding='latin-1'?>", "<"]),
        max_size=40))
    return draw(cut("".join(pieces)))


@st.composite
def pdf_files(draw) -> bytes:
    lines = draw(st.lists(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126),
                                  max_size=50), max_size=5))
    data = bytearray(make_pdf(lines, title=draw(st.none() | st.text(
        alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=20))))
    for _ in range(draw(st.integers(0, 4))):  # damage it: flip, delete or insert bytes
        where = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "delete", "insert", "truncate"]))
        if action == "flip":
            data[where] ^= draw(st.integers(1, 255))
        elif action == "delete":
            del data[where:where + draw(st.integers(1, 50))]
        elif action == "insert":
            data[where:where] = draw(st.binary(min_size=1, max_size=30))
        else:
            del data[max(where, 1):]
        if not data:
            data = bytearray(b"%")
    return bytes(data)


# --- properties ---------------------------------------------------------------------------

@PROPERTY
@given(suffix=st.sampled_from(SUFFIXES), data=st.binary(max_size=2048))
def test_random_bytes_in_every_format(scratch, suffix, data):
    check_outcome(write(scratch, suffix, data))


@PROPERTY
@given(suffix=st.sampled_from(SUFFIXES), text=st.text(max_size=500),
       damage=st.lists(st.tuples(st.integers(0, 600), st.binary(min_size=1, max_size=3)),
                       max_size=3))
def test_text_with_invalid_utf8_in_every_format(scratch, suffix, text, damage):
    data = bytearray(text.encode("utf-8"))
    for where, junk in damage:  # bytes that are not UTF-8 (lone continuation bytes, 0xff)
        data[min(where, len(data)):min(where, len(data))] = bytes(b | 0x80 for b in junk)
    result = check_outcome(write(scratch, suffix, bytes(data)))
    if damage and suffix != ".pdf":
        try:
            bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            assert result.articles == []
            assert "not valid UTF-8" in result.failures[0].reason


@PROPERTY
@given(text=json_files())
def test_json_files(scratch, text):
    check_outcome(write(scratch, ".json", text))


@PROPERTY
@given(text=jsonl_files())
def test_jsonl_files(scratch, text):
    result = check_outcome(write(scratch, ".jsonl", text))
    # A bad line costs only that line: every readable record is still an article.
    numbers = {f.record for f in result.failures if f.record}
    assert len(numbers) == len([f for f in result.failures if f.record])


@PROPERTY
@given(text=markdown_files(), suffix=st.sampled_from([".md", ".markdown", ".txt"]))
def test_markdown_and_text_files(scratch, text, suffix):
    check_outcome(write(scratch, suffix, text))


@settings(PROPERTY, max_examples=60)
@given(text=html_files(), suffix=st.sampled_from([".html", ".htm"]))
def test_html_files(scratch, text, suffix):
    check_outcome(write(scratch, suffix, text))


@settings(PROPERTY, max_examples=80)
@given(data=pdf_files())
def test_damaged_pdfs(scratch, data):
    check_outcome(write(scratch, ".pdf", data))


# --- the cases users produce, by name -----------------------------------------------------

GOOD_BODY = topic_body("harbour", 4)
NESTED = "[" * 100_000 + "]" * 100_000
BOMB = "l0: &l0 [x, x, x, x, x, x, x, x, x]\n" + "\n".join(
    f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, "
    f"*l{i - 1}, *l{i - 1}]" for i in range(1, 10))

# name -> (content, words the failure reason must contain)
BAD_FILES: dict[str, tuple[bytes | str, str]] = {
    "empty.md": (b"", "the file is empty"),
    "empty.json": (b"", "the file is empty"),
    "empty.pdf": (b"", "the file is empty"),
    "empty.html": (b"", "the file is empty"),
    "latin1.md": ("Caf\u00e9 au lait, na\u00efve r\u00e9sum\u00e9.".encode("latin-1"),
                  "not valid UTF-8"),
    "latin1.json": ('{"title": "Caf\u00e9", "body": "na\u00efve"}'.encode("latin-1"),
                    "not valid UTF-8"),
    "random.txt": (bytes(random.Random(7).randrange(256) for _ in range(4096)),
                   "not valid UTF-8"),
    "binary.md": (b"\x00\x01\x02 looks like text \x00", "NUL bytes"),
    "truncated.json": (json.dumps({"title": "Cut", "body": GOOD_BODY})[:40], "malformed JSON"),
    "truncated-list.json": (json.dumps([{"title": "A", "body": GOOD_BODY}] * 3)[:-7],
                            "malformed JSON"),
    "nested.json": (NESTED, "nested"),
    "nested-record.json": (json.dumps({"title": "Deep", "body": "Text.",
                                       "extra": json.loads("[" * 200 + "]" * 200)}),
                           "nested more than"),
    "huge-number.json": ('{"title": "N", "body": "Text.", "n": ' + "9" * 5000 + "}",
                         "cannot be read"),
    "surrogate.json": ('{"title": "Half an emoji \\ud83d", "body": "Text here."}',
                       "not valid Unicode"),
    "front-matter-only.md": ("---\ntitle: Only a head\ndate: 2024-01-01\n---\n",
                             "no text after its front matter"),
    "front-matter-blank-body.md": ("---\ntitle: Blank\n---\n\n   \n\n", "no text"),
    "bad-date.md": ("---\ntitle: Leap\ndate: 2023-02-29\n---\nBody text.\n",
                    "cannot be read: day is out of range"),
    "bad-yaml.md": ("---\ntitle: [unclosed\n---\nBody text.\n", "not valid YAML"),
    "colon-title.md": ("---\ntitle: Budget: what it means\n---\nBody text.\n", "must be quoted"),
    "yaml-bomb.md": (f"---\ntitle: Bomb\n{BOMB}\n---\nBody text.\n", "more than"),
    "deep-yaml.md": ("---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\nBody text.\n",
                     "nested"),
    "surrogate.md": ('---\ntitle: "Half \\ud83d"\n---\nBody text.\n', "not valid Unicode"),
    "no-text.html": ("<html><head><title>Nothing</title><script>var a = 1;</script></head>"
                     "<body><div></div><img src='x.png'></body></html>", "no article text"),
    "only-markup.htm": ("<html><body><table><tr><td></td></tr></table></body></html>",
                        "no article text"),
    "not-a-pdf.pdf": (b"\x89PNG\r\n\x1a\n" + bytes(200), "not a PDF"),
    "text-as.pdf": ("This is a text file renamed to .pdf", "not a PDF"),
    "broken.pdf": (b"%PDF-1.7\n" + bytes(random.Random(3).randrange(256) for _ in range(3000)),
                   "PDF could not be read"),
    "cut.pdf": (make_pdf(["A line of text."])[:150], "PDF could not be read"),
    "no-records.jsonl": ("\n\n   \n", "holds no records"),
    "empty-list.json": ("[]", "holds no records"),
}


def write_bad_files(folder: Path) -> dict[str, str]:
    for name, (content, _) in BAD_FILES.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return {name: words for name, (_, words) in BAD_FILES.items()}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_each_bad_file_fails_by_name_with_its_reason(tmp_path, name):
    write_bad_files(tmp_path)
    result = check_outcome(tmp_path / name, ReaderLimits())
    assert result.articles == []
    assert len(result.failures) == 1, result.failures
    assert BAD_FILES[name][1] in result.failures[0].reason, result.failures[0].reason


def test_truncated_jsonl_keeps_its_whole_lines(tmp_path):
    lines = [json.dumps({"id": f"r{n}", "title": f"Record {n}", "body": GOOD_BODY})
             for n in range(4)]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines)[:-25], encoding="utf-8")  # the last line is cut
    result = check_outcome(path, ReaderLimits())
    assert [a.article_id for a in result.articles] == ["r0", "r1", "r2"]
    assert [(f.record, "malformed JSON" in f.reason) for f in result.failures] == [(4, True)]


def test_a_file_name_that_is_not_utf8_is_reported_and_the_rest_is_read(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good.md").write_text(markdown("Good", GOOD_BODY), encoding="utf-8")
    bad = os.fsencode(folder) + b"/caf\xe9-latin1-name.md"
    with open(bad, "wb") as handle:
        handle.write(markdown("Bad name", GOOD_BODY).encode("utf-8"))
    result = read_paths([folder])
    assert [a.article_id for a in result.articles] == ["good.md"]
    (failure,) = result.failures
    assert "caf\ufffd-latin1-name.md" in failure.path and "not valid UTF-8" in failure.reason
    str(failure).encode("utf-8")


FIFTY_MB = 50 * 1024 * 1024


def fifty_megabytes(suffix: str) -> bytes:
    """A 50 MB file of each kind, as a user might drop in by mistake (an export, a dump)."""
    sentence = "The harbour reopened on Monday after the storm damaged its seawall. "
    filler = (sentence * (FIFTY_MB // len(sentence) + 1))[:FIFTY_MB - 200]
    if suffix in (".md", ".txt"):
        return ("---\ntitle: Huge\n---\n" + filler).encode()
    if suffix == ".json":
        return json.dumps({"title": "Huge", "body": filler}).encode()
    if suffix == ".jsonl":
        return (json.dumps({"title": "Huge", "body": filler}) + "\n").encode()
    if suffix == ".html":
        return f"<html><body><article><p>{filler}</p></article></body></html>".encode()
    return b"%PDF-1.4\n" + random.Random(5).randbytes(FIFTY_MB)


@pytest.mark.timeout(600)
@pytest.mark.parametrize("suffix, reason", [
    (".md", "over the 1,000,000 limit; raise max_article_chars"),
    (".txt", "over the 1,000,000 limit; raise max_article_chars"),
    (".json", "over the 1,000,000 limit; raise max_article_chars"),
    (".jsonl", "over the 1,000,000 limit; raise max_article_chars"),
    (".html", "over the 20 MB limit for HTML"),
    (".pdf", "PDF could not be read"),
])
def test_a_50_mb_file_is_refused_with_the_limit_that_applies(tmp_path, suffix, reason):
    path = tmp_path / f"huge{suffix}"
    path.write_bytes(fifty_megabytes(suffix))
    limits = _limits(load_settings())  # the defaults a user gets
    result = check_outcome(path, limits)
    assert result.articles == [] and reason in result.failures[0].reason, result.failures
    # With a smaller file limit it is refused before it is read at all.
    small = _limits(load_settings(max_file_mb=10))
    (failure,) = read_file(path, limits=small).failures
    assert "over the 10 MB limit; split it or raise max_file_mb" in failure.reason


def test_limits_come_from_the_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_MAX_ARTICLE_CHARS", "100")
    monkeypatch.setenv("QA_MAX_HTML_MB", "0.001")
    config = tmp_path / "newsdesk.toml"
    config.write_text("max_file_mb = 0.002\n")
    monkeypatch.setenv("QA_CONFIG", str(config))
    limits = _limits(load_settings())
    assert (limits.max_article_chars, limits.max_html_bytes, limits.max_file_bytes) == (
        100, 1048, 2097)
    (tmp_path / "long.md").write_text("A sentence of text. " * 10, encoding="utf-8")
    (tmp_path / "page.html").write_text("<p>" + "x " * 600 + "</p>", encoding="utf-8")
    (tmp_path / "big.txt").write_text("y " * 1500, encoding="utf-8")
    reasons = {Path(f.path).name: f.reason for f in read_paths([tmp_path], limits).failures}
    assert "over the 100 limit" in reasons["long.md"]
    assert "limit for HTML" in reasons["page.html"] and "max_html_mb" in reasons["page.html"]
    assert "max_file_mb" in reasons["big.txt"]


# --- the whole run ------------------------------------------------------------------------

@pytest.mark.timeout(600)
def test_qa_index_goes_on_past_every_bad_file_and_stores_only_whole_articles(tmp_path):
    """`qa index` on a folder of bad files and good ones: it finishes, names every bad file
    with its reason, stores the good articles whole and nothing of the bad ones; a second
    run changes nothing."""
    folder = tmp_path / "messy"
    folder.mkdir()
    expected = write_bad_files(folder)
    (folder / "harbour.md").write_text(markdown("Harbour strike", GOOD_BODY, "2024-01-10"),
                                       encoding="utf-8")
    records = [{"id": "orchard", "title": "Frost", "body": topic_body("orchard", 5)},
               {"id": "half", "title": "Half", "body": "Half an emoji \ud83d here."},
               {"id": "library", "title": "Library", "body": topic_body("library", 8)}]
    (folder / "feed.jsonl").write_text(
        "\n".join(json.dumps(r) for r in records) + '\n{"id": "cut", "body": "tru',
        encoding="utf-8")
    store = tmp_path / "store"

    result = run_qa("index", str(folder), "--store", str(store), "--json")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    summary = json.loads(result.stdout)
    reasons = {(Path(f["path"]).name, f["record"]): f["reason"] for f in summary["failed"]}
    for name, words in expected.items():
        assert words in reasons[(name, None)], (name, reasons.get((name, None)))
    assert "not valid Unicode" in reasons[("feed.jsonl", 2)]
    assert "malformed JSON" in reasons[("feed.jsonl", 4)]
    assert len(reasons) == len(expected) + 2
    assert sorted(summary["added"]) == ["harbour.md", "library", "orchard"]

    good = read_paths([folder]).articles
    assert sorted(a.article_id for a in good) == ["harbour.md", "library", "orchard"]
    assert_whole_articles(store, good)
    version = stored_state(store)

    again = run_qa("index", str(folder), "--store", str(store))
    assert again.returncode == 0, again.stderr
    assert "nested.json" in again.stdout and "not-a-pdf.pdf" in again.stdout  # named again
    assert stored_state(store) == version  # unchanged, no new version


def test_an_update_of_only_bad_files_exits_non_zero_and_writes_nothing(tmp_path, embedder):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "a.json").write_text("{", encoding="utf-8")
    (folder / "b.md").write_bytes(b"")
    summary = update_store(tmp_path / "store", [folder], embedder=embedder)
    assert summary.version is None and len(summary.failed) == 2
    assert not (tmp_path / "store" / "CURRENT").exists()
    result = run_qa("index", str(folder), "--store", str(tmp_path / "store"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "a.json" in result.stdout and "b.md" in result.stdout
    one_line_error(run_qa("stats", "--store", str(tmp_path / "store")), "qa index")
