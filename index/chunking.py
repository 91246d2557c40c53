"""Sentence-aware chunking that remembers where every chunk came from.

We split sentences ourselves instead of using llama-index's `SentenceSplitter` because a
citation must quote and highlight the exact characters of the article: we need each sentence's
character span, and `SentenceSplitter` only gives chunk texts (re-finding them with `str.find`
goes wrong when a sentence repeats). Chunks are packed from whole sentences up to the embedder's
window, counted with the embedder's own tokenizer, with one sentence of overlap.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .articles import Article

# Abbreviations after which a full stop does not end a sentence (lower-cased, without the dot).
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt gen col lt sgt capt cmdr gov sen rep pres rev hon "
    "inc ltd co corp plc bros no vs etc approx dept est fig jan feb mar apr jun jul aug sep "
    "sept oct nov dec e.g i.e u.s u.k u.n e.u a.m p.m".split())

# A sentence ends at ., ! or ? (plus closing quotes/brackets) followed by white space and
# something that can start a sentence; a paragraph break always ends one.
_BOUNDARY = re.compile(r"""[.!?…]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])|\n\s*\n""")


@dataclass(frozen=True)
class Span:
    """Half-open character range [start, end) in an article's text."""

    start: int
    end: int


@dataclass(frozen=True)
class ChunkDraft:
    """A chunk before it gets an id: its place in the article and what gets embedded."""

    article_id: str
    position: int
    start: int
    end: int
    text: str  # == article.text[start:end]
    embed_text: str  # header (title, source, date) + text: what the embedder reads


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of `text`, each stripped of surrounding white space."""
    spans: list[Span] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if match.group(0).strip() and _is_abbreviation(text, match.start()):
            continue
        _append_stripped(spans, text, start, end)
        start = end
    _append_stripped(spans, text, start, len(text))
    return spans


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at `dot` closes an abbreviation or an initial ("J. Smith")."""
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > 0 and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot].lower()
    if not word:
        return False
    if word in _ABBREVIATIONS:
        return True
    # A single capital letter is an initial; "U.S" style words are abbreviations.
    return (len(word) == 1 and text[dot - 1].isupper()) or ("." in word and len(word) <= 5)


def _append_stripped(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(start, end))


def chunk_header(article: Article) -> str:
    """The line that is embedded (and lexically indexed) with every chunk of the article."""
    details = ", ".join(part for part in (article.source, article.date) if part)
    return f"{article.title} ({details})\n" if details else f"{article.title}\n"


def chunk_article(article: Article, count_tokens: Callable[[Sequence[str]], list[int]],
                  max_tokens: int, overlap_sentences: int = 1) -> list[ChunkDraft]:
    """Pack the article's sentences into chunks of at most `max_tokens` (header included).

    `count_tokens` counts word pieces without special tokens; `max_tokens` is the embedder's
    window less its special tokens. A sentence longer than the window is cut at word
    boundaries so no text is silently truncated by the embedder.
    """
    header = chunk_header(article)
    header_tokens = count_tokens([header])[0]
    budget = max(16, max_tokens - header_tokens)
    sentences = _fit_sentences(article.text, split_sentences(article.text), count_tokens, budget)
    if not sentences:
        return []
    counts = count_tokens([article.text[s.start:s.end] for s in sentences])

    groups: list[tuple[int, int]] = []  # [first, last) sentence indexes
    first = 0
    while first < len(sentences):
        last, used = first, 0
        while last < len(sentences) and (last == first or used + counts[last] <= budget):
            used += counts[last]
            last += 1
        groups.append((first, last))
        if last >= len(sentences):
            break
        # Start the next chunk `overlap_sentences` back, but always move forward, and overlap
        # only as far as still leaves room for the next new sentence: a chunk holding nothing
        # but the previous chunk's tail would be a redundant copy of it.
        first = max(first + 1, last - overlap_sentences)
        while first < last and sum(counts[first:last]) + counts[last] > budget:
            first += 1

    drafts = []
    for position, (first, last) in enumerate(groups):
        start, end = sentences[first].start, sentences[last - 1].end
        text = article.text[start:end]
        drafts.append(ChunkDraft(article.article_id, position, start, end, text, header + text))
    return drafts


def _fit_sentences(text: str, spans: list[Span], count_tokens: Callable[[Sequence[str]], list[int]],
                   budget: int) -> list[Span]:
    """Cut any sentence longer than `budget` tokens into word-boundary pieces that fit."""
    counts = count_tokens([text[s.start:s.end] for s in spans]) if spans else []
    fitted: list[Span] = []
    for span, count in zip(spans, counts):
        if count <= budget:
            fitted.append(span)
            continue
        words = [m.span() for m in re.finditer(r"\S+", text[span.start:span.end])]
        # Word pieces per word vary; aim for a piece of roughly budget tokens and re-check.
        per_piece = max(1, int(len(words) * budget / count * 0.9))
        index = 0
        while index < len(words):
            stop = min(len(words), index + per_piece)
            while True:
                piece = Span(span.start + words[index][0], span.start + words[stop - 1][1])
                if stop - index == 1 or count_tokens([text[piece.start:piece.end]])[0] <= budget:
                    break
                stop = index + max(1, (stop - index) * 3 // 4)
            fitted.append(piece)
            index = stop
    return fitted
