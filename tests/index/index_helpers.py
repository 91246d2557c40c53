"""Helpers for the index tests: small article folders written by the tests, a tiny PDF writer,
and a check that a store's SQLite, FAISS and BM25 parts agree with each other.

A plain module (not conftest) so test files can import it by name."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from index import open_store

REPO = Path(__file__).resolve().parents[2]

# Each article has its own vocabulary, so a lexical search for one of its sentences finds it
# and nothing else. Written for these tests (no evaluation data).
TOPICS = {
    "harbour": ("Harbour strike halts container traffic", "2024-01-10", "Port Gazette",
                ["dockers", "cranes", "containers", "quay", "tugboats", "freight"]),
    "orchard": ("Late frost damages apple orchards", "2024-02-14", "Farm Weekly",
                ["blossoms", "growers", "cider", "frost", "pruning", "harvest"]),
    "observatory": ("Observatory spots a new comet", "2024-03-03", "Sky Journal",
                    ["telescope", "astronomers", "comet", "nebula", "orbit", "spectrograph"]),
    "library": ("City library extends opening hours", "2024-04-21", "Town Crier",
                ["librarians", "archives", "manuscripts", "readers", "catalogue", "reading"]),
    "velodrome": ("Velodrome hosts national track finals", "2024-05-30", "Sport Daily",
                  ["cyclists", "sprint", "pursuit", "peloton", "velodrome", "keirin"]),
    "bakery": ("Bakers protest rising flour prices", "2024-06-18", "Port Gazette",
               ["bakers", "flour", "sourdough", "ovens", "loaves", "wheat"]),
}


def topic_body(topic: str, sentences: int = 6, variant: int = 0) -> str:
    """A made-up article body of `sentences` sentences using the topic's own words."""
    words = TOPICS[topic][3]
    lines = []
    for i in range(sentences):
        a, b, c = words[i % 6], words[(i + 2) % 6], words[(i + 4) % 6]
        lines.append(f"Report {i + 1} on the {topic} says the {a} met the {b} near the {c} "
                     f"for the {_ordinal(i + variant)} time this season.")
    # Paragraphs of three sentences, like a news story.
    return "\n\n".join(" ".join(lines[i:i + 3]) for i in range(0, len(lines), 3))


def _ordinal(n: int) -> str:
    names = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth", "eleventh", "twelfth"]
    return names[n % len(names)] if n < len(names) else f"{n + 1}th"


def markdown(title: str, body: str, date: str | None = None, source: str | None = None,
             url: str | None = None, **extra: str) -> str:
    """A Markdown article with YAML front matter."""
    fields = {"title": title, "date": date, "source": source, "url": url, **extra}
    head = "\n".join(f'{key}: "{value}"' if key != "date" else f"{key}: {value}"
                     for key, value in fields.items() if value is not None)
    return f"---\n{head}\n---\n{body}\n"


def write_topic(folder: Path, topic: str, sentences: int = 6, variant: int = 0) -> Path:
    """Write one topic article as `<topic>.md`; its article id is the file name."""
    title, date, source, _ = TOPICS[topic]
    path = folder / f"{topic}.md"
    path.write_text(markdown(title, topic_body(topic, sentences, variant), date, source),
                    encoding="utf-8")
    return path


def make_pdf(lines: Iterable[str], title: str | None = None) -> bytes:
    """A minimal, valid one-page PDF that draws `lines` in Helvetica (text pypdf can extract)."""
    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
    ops += [f"({escape(line)}) Tj T*" for line in lines]
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    if title:
        objects.append(b"<< /Title (" + escape(title).encode("latin-1") + b") >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objects) + 1)
    if title:
        trailer += b" /Info %d 0 R" % len(objects)
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def chunk_table(store_path: Path) -> dict[str, list[int]]:
    """{article id: its chunk ids in order} of the live version."""
    with open_store(store_path) as store:
        return {article_id: store.chunk_ids_of(article_id) for article_id in store.article_ids()}


def assert_consistent(store_path: Path) -> None:
    """The three parts of the live version describe the same chunks, and every stored vector
    finds its own chunk first (or ties with an identical text)."""
    with open_store(store_path) as store:
        ids = store.all_chunk_ids()
        assert len(ids) == len(store.vectors) == len(store.lexical)
        assert set(store.vectors.ids().tolist()) == set(ids.tolist())
        chunks = {c.chunk_id: c for c in store.chunks(ids)}
        articles = store.articles(store.article_ids())
        assert set(articles) == {c.article_id for c in chunks.values()}, \
            "an article without chunks or a chunk without its article"
        for chunk in chunks.values():
            assert articles[chunk.article_id].text[chunk.start:chunk.end] == chunk.text
        for chunk_id in ids.tolist():
            vector = store.vector(chunk_id)
            assert abs(float(np.dot(vector, vector)) - 1.0) < 1e-4
            hits = store.search_dense(vector, k=len(ids))
            scores = dict(hits)
            assert chunk_id in scores
            best = hits[0][1]
            assert best - scores[chunk_id] < 1e-5, \
                f"chunk {chunk_id} is not first for its own vector"
            for other, score in hits:
                if other != chunk_id and best - score < 1e-5:
                    # A tie is only allowed for the same text (embedded with the same header).
                    assert chunks[other].text == chunks[chunk_id].text


def tmp_folders(store_path: Path) -> list[str]:
    return sorted(p.name for p in store_path.iterdir() if p.name.startswith(".tmp-"))


def python_subprocess(code: str, *args: str) -> subprocess.Popen:
    """Start `python -c code args...` in the repository with the offline model settings."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "TOKENIZERS_PARALLELISM": "false", "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], cwd=REPO,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
