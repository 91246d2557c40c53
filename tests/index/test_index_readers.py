"""Readers: every supported format, the evaluation corpora as they are, and failures that name
the file and the reason while the other files are still read."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdf
import pytest
from index_helpers import make_pdf, markdown
from shared_data import SHARED

from index import read_file, read_paths

REPO = Path(__file__).resolve().parents[2]
SEED_MD = REPO / "corpus" / "eu-china-summit-2023-12-07.md"
SEED_TXT = SHARED / "corpus-seed" / "eu-china-summit-2023-12-07.txt"

BODY = ("The council approved the new tram line on Monday. Work on the first section starts in "
        "spring.\n\nResidents along the route will be consulted in March.")


def only_article(path: Path):
    result = read_file(path)
    assert result.failures == []
    assert len(result.articles) == 1
    return result.articles[0]


# --- Markdown and text ------------------------------------------------------------------

def test_markdown_with_front_matter(tmp_path):
    path = tmp_path / "tram.md"
    path.write_text(markdown("Tram line approved", BODY, date="2024-02-05",
                             source="City News", url="https://example.org/tram",
                             author="A. Writer"), encoding="utf-8")
    article = only_article(path)
    assert article.title == "Tram line approved"
    assert article.text == BODY
    assert article.date == "2024-02-05"
    assert article.source == "City News"
    assert article.url == "https://example.org/tram"
    assert article.article_id == "https://example.org/tram"  # a url is a stable id
    assert article.metadata == {"author": "A. Writer"}
    assert article.path == str(path.resolve())


def test_markdown_without_front_matter_takes_the_heading_as_title(tmp_path):
    path = tmp_path / "tram.md"
    path.write_text(f"# Tram line approved\n\n{BODY}\n", encoding="utf-8")
    article = only_article(path)
    assert article.title == "Tram line approved"
    assert article.text == BODY
    assert article.date is None
    assert article.article_id == "tram.md"


def test_text_without_front_matter_takes_the_file_name_as_title(tmp_path):
    path = tmp_path / "tram-line_approved.txt"
    path.write_text(BODY + "\n", encoding="utf-8")
    article = only_article(path)
    assert article.title == "tram line approved"
    assert article.text == BODY


def test_text_with_front_matter_and_windows_line_ends(tmp_path):
    path = tmp_path / "tram.txt"
    path.write_bytes(markdown("Tram", BODY, date="5 February 2024").replace("\n", "\r\n")
                     .encode("utf-8"))
    article = only_article(path)
    assert article.title == "Tram"
    assert article.text == BODY
    assert article.date == "2024-02-05"
    assert "\r" not in article.text


def test_seed_article_reads_like_the_original(tmp_path):
    article = only_article(SEED_MD)
    assert article.title == "EU urges China to engage in Ukraine peace process"
    assert article.date == "2023-12-07"
    original = SEED_TXT.read_text(encoding="utf-8")
    body = original[:original.index("Related coverage")].strip()
    assert article.text.split() == body.split()
    assert article.text == body
    assert "Related coverage" not in article.text
    assert "Albanese" not in article.text  # a related-coverage headline, not article text
    assert "related" not in article.metadata


# --- HTML -------------------------------------------------------------------------------

HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Glacier retreat speeds up in the Alps | Mountain Herald</title>
<meta property="og:title" content="Glacier retreat speeds up in the Alps">
<meta property="og:site_name" content="Mountain Herald">
<meta name="date" content="2024-03-05">
<script>var tracking = "SCRIPTTEXT";</script></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a> | NAVTEXT</nav>
<article><h1>Glacier retreat speeds up in the Alps</h1>
<p>Swiss glaciologists reported on Tuesday that the Rhone glacier lost four percent of its
volume last summer, the steepest decline since measurements began.</p>
<p>The researchers said warm spells in June and a lack of winter snow left the ice exposed for
weeks longer than usual, accelerating the melt across the range.</p>
<p>Local authorities in the Valais canton are now planning new barriers to protect villages
from falling rock and sudden meltwater floods.</p>
</article><footer>Copyright FOOTERTEXT</footer></body></html>
"""


def test_html_main_text_is_extracted(tmp_path):
    path = tmp_path / "glacier.html"
    path.write_text(HTML, encoding="utf-8")
    article = only_article(path)
    assert article.title == "Glacier retreat speeds up in the Alps"
    assert article.date == "2024-03-05"
    assert article.source == "Mountain Herald"
    text = " ".join(article.text.split())
    # the <h1> headline is the title, not the first line of the body
    assert text.startswith("Swiss glaciologists reported"), text[:80]
    assert "the Rhone glacier lost four percent of its volume last summer" in text
    assert "sudden meltwater floods." in text
    for boilerplate in ("SCRIPTTEXT", "NAVTEXT", "<p>", "var tracking"):
        assert boilerplate not in article.text


# --- JSON and JSONL ---------------------------------------------------------------------

RECORDS = [
    {"id": "r1", "title": "Dam opens", "body": "The new dam opened on Friday.",
     "published_at": "2024-03-01T09:30:00+00:00", "source": "Wire", "category": "energy"},
    {"title": "Bridge closes", "text": "The old bridge closed for repairs.", "date": "2024-03-02",
     "url": "https://example.org/bridge"},
    {"title": "Ferry delayed", "content": "The morning ferry was delayed by fog."},
]


def check_records(articles, ids):
    assert [a.article_id for a in articles] == ids
    assert [a.title for a in articles] == ["Dam opens", "Bridge closes", "Ferry delayed"]
    assert articles[0].text == "The new dam opened on Friday."
    assert articles[0].date == "2024-03-01"
    assert articles[0].published_at == "2024-03-01T09:30:00+00:00"
    assert articles[0].source == "Wire"
    assert articles[0].metadata == {"category": "energy"}
    assert articles[1].text == "The old bridge closed for repairs."
    assert articles[1].url == "https://example.org/bridge"
    assert articles[2].text == "The morning ferry was delayed by fog."


def test_json_single_record(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps(RECORDS[0]), encoding="utf-8")
    article = only_article(path)
    assert article.article_id == "r1"
    assert article.text == "The new dam opened on Friday."


def test_json_single_record_without_id_is_named_after_the_file(tmp_path):
    path = tmp_path / "ferry.json"
    path.write_text(json.dumps(RECORDS[2]), encoding="utf-8")
    assert only_article(path).article_id == "ferry.json"


def test_json_list(tmp_path):
    path = tmp_path / "list.json"
    path.write_text(json.dumps(RECORDS), encoding="utf-8")
    result = read_file(path)
    assert result.failures == []
    check_records(result.articles, ["r1", "https://example.org/bridge", "list.json#3"])


def test_json_articles_object(tmp_path):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps({"feed": "x", "articles": RECORDS}), encoding="utf-8")
    result = read_file(path)
    assert result.failures == []
    check_records(result.articles, ["r1", "https://example.org/bridge", "feed.json#3"])


def test_jsonl(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n", encoding="utf-8")
    result = read_file(path)
    assert result.failures == []
    check_records(result.articles, ["r1", "https://example.org/bridge", "feed.jsonl#3"])


# --- PDF --------------------------------------------------------------------------------

PDF_LINES = ["Harbour cranes stood idle on Monday.",
             "Dock workers in Rotterdam walked out over pay."]


def test_pdf(tmp_path):
    data = make_pdf(PDF_LINES, title="Port strike")
    # The test file itself must be a real PDF: pypdf reads its text back.
    extracted = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Dock workers in Rotterdam" in extracted
    path = tmp_path / "strike.pdf"
    path.write_bytes(data)
    article = only_article(path)
    assert article.title == "Port strike"
    assert article.text.split() == " ".join(PDF_LINES).split()
    assert article.article_id == "strike.pdf"


# --- Failures ---------------------------------------------------------------------------

def write_bad_files(folder: Path) -> dict[str, str]:
    """One file per kind of failure; returns {file name: words its reason must contain}."""
    (folder / "latin1.md").write_bytes("Caf\xe9 opens on the square.".encode("latin-1"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.json").write_text('{"title": "x", "body": "y"', encoding="utf-8")
    (folder / "notext.json").write_text(json.dumps({"title": "No body here"}), encoding="utf-8")
    (folder / "fake.pdf").write_text("This is plain text with a .pdf name.", encoding="utf-8")
    (folder / "onlyfront.md").write_text("---\ntitle: Nothing follows\n---\n\n  \n",
                                         encoding="utf-8")
    return {
        "latin1.md": "UTF-8",
        "empty.txt": "empty",
        "broken.json": "malformed JSON",
        "notext.json": "no text",
        "fake.pdf": "not a PDF",
        "onlyfront.md": "no text after its front matter",
    }


def test_bad_files_are_reported_by_name_and_the_rest_is_read(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    expected = write_bad_files(folder)
    (folder / "good.md").write_text(markdown("Good one", BODY), encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "sub" / "good2.txt").write_text("Another fine article.", encoding="utf-8")
    unsupported = tmp_path / "notes.docx"
    unsupported.write_bytes(b"PK\x03\x04 not really a docx")

    result = read_paths([folder, unsupported])

    assert sorted(a.article_id for a in result.articles) == ["good.md", "sub/good2.txt"]
    reasons = {Path(f.path).name: f.reason for f in result.failures}
    assert set(reasons) == set(expected) | {"notes.docx"}
    for name, words in expected.items():
        assert words in reasons[name], (name, reasons[name])
    assert "unsupported file type '.docx'" in reasons["notes.docx"]
    for failure in result.failures:
        assert Path(failure.path).is_absolute()
        assert Path(failure.path).name in str(failure)  # printed with its file name
    # Files that failed as a whole are known, so their old articles are kept on update (a
    # JSON file whose only record failed was read, but it has a failure, which keeps it too).
    assert {Path(p).name for p in result.files_failed} == \
        set(expected) - {"notext.json"} | {"notes.docx"}


def test_jsonl_bad_lines_are_reported_and_other_lines_read(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [json.dumps(RECORDS[0]), '{"title": "cut off", "body": "x"', "",
             json.dumps({"title": "no body"}), "[1, 2]", json.dumps(RECORDS[2])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_file(path)
    assert [a.title for a in result.articles] == ["Dam opens", "Ferry delayed"]
    # Ids made from positions use the line number, so they do not shift when a line breaks.
    assert result.articles[1].article_id == "feed.jsonl#6"
    failures = {f.record: f.reason for f in result.failures}
    assert set(failures) == {2, 4, 5}
    assert "malformed JSON" in failures[2]
    assert "no text" in failures[4]
    assert "JSON object" in failures[5]
    assert all(f.path == str(path.resolve()) for f in result.failures)
    assert "(record 2)" in str(result.failures[0])


def test_missing_path_is_reported(tmp_path):
    result = read_paths([tmp_path / "nowhere"])
    assert result.articles == []
    assert [f.reason for f in result.failures] == ["no such file or folder"]


def test_hidden_and_unsupported_files_in_a_folder_are_not_read(tmp_path):
    (tmp_path / ".draft.md").write_text("Hidden draft.", encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "a.md").write_text("Visible article.", encoding="utf-8")
    result = read_paths([tmp_path])
    assert [a.article_id for a in result.articles] == ["a.md"]
    assert result.failures == []


# --- Evaluation corpora -----------------------------------------------------------------

def test_bbc_corpus_loads_as_it_is(bbc_path):
    result = read_paths([bbc_path])
    assert result.failures == []
    assert len(result.articles) == 2225
    assert len({a.article_id for a in result.articles}) == 2225
    first = result.articles[0]
    assert first.article_id == "bbc-business-001"
    assert first.title == "Ad sales boost Time Warner profit"
    assert first.text.startswith("Quarterly profits at US media giant TimeWarner jumped 76%")
    assert all(a.text.strip() and a.title for a in result.articles)


def test_multihop_corpus_loads_as_it_is(multihop_path):
    result = read_paths([multihop_path])
    assert result.failures == []
    assert len(result.articles) == 326
    assert len({a.article_id for a in result.articles}) == 326
    assert all(a.url and a.article_id == a.url for a in result.articles)
    assert all(a.date and a.source for a in result.articles)
    swift = next(a for a in result.articles if "Taylor Swift" in a.title)
    assert swift.date == "2023-09-26"
    assert swift.source == "The Age"


# --- Ids and hashes ---------------------------------------------------------------------

def test_article_ids_are_stable_across_reads(tmp_path, multihop_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text("Alpha article text.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Beta article text.", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(
        "\n".join(json.dumps({"title": f"T{i}", "body": f"Body {i}."}) for i in range(3)),
        encoding="utf-8")
    first = read_paths([tmp_path])
    second = read_paths([tmp_path])
    ids = [a.article_id for a in first.articles]
    assert ids == [a.article_id for a in second.articles]
    assert ids == ["b.txt", "c.jsonl#1", "c.jsonl#2", "c.jsonl#3", "sub/a.md"]
    assert [a.content_hash for a in first.articles] == [a.content_hash for a in second.articles]
    again = read_paths([multihop_path])
    assert [a.article_id for a in again.articles] == \
        [a.article_id for a in read_paths([multihop_path]).articles]


def test_content_hash_follows_the_content(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(markdown("Title", "First version of the text."), encoding="utf-8")
    before = only_article(path)
    path.write_text(markdown("Title", "First version of the text."), encoding="utf-8")
    assert only_article(path).content_hash == before.content_hash
    path.write_text(markdown("Title", "Second version of the text."), encoding="utf-8")
    changed = only_article(path)
    assert changed.article_id == before.article_id
    assert changed.content_hash != before.content_hash
    path.write_text(markdown("Other title", "First version of the text."), encoding="utf-8")
    assert only_article(path).content_hash != before.content_hash
    path.write_text(markdown("Title", "First version of the text.", date="2024-01-01"),
                    encoding="utf-8")
    assert only_article(path).content_hash != before.content_hash


@pytest.mark.parametrize("value, day", [
    ("2024-03-01", "2024-03-01"),
    ("2024-03-01T23:30:00Z", "2024-03-01"),
    ("1 March 2024", "2024-03-01"),
    ("March 1, 2024", "2024-03-01"),
    ("Fri, 01 Mar 2024 10:00:00 +0000", "2024-03-01"),
    ("sometime last spring", None),
])
def test_dates_in_common_forms(tmp_path, value, day):
    path = tmp_path / "d.json"
    path.write_text(json.dumps({"title": "t", "body": "b.", "date": value}), encoding="utf-8")
    article = only_article(path)
    assert article.date == day
    assert article.published_at == value
