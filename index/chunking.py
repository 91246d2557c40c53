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
    boundaries (a word longer than the window, by characters) so no text is silently
    truncated by the embedder.
    """
    header = chunk_header(article)
    spans = split_sentences(article.text)
    # One tokenizer call counts the header and every sentence; tokenizing is most of the cost
    # of chunking, so no text is counted twice.
    header_tokens, *sentence_counts = count_tokens(
        [header] + [article.text[s.start:s.end] for s in spans])
    budget = max(16, max_tokens - header_tokens)
    sentences, counts = _fit_sentences(article.text, spans, sentence_counts, count_tokens, budget)
    if not sentences:
        return []

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


def _fit_sentences(text: str, spans: list[Span], counts: list[int],
                   count_tokens: Callable[[Sequence[str]], list[int]],
                   budget: int) -> tuple[list[Span], list[int]]:
    """Cut any sentence longer than `budget` tokens into pieces that fit, at word boundaries
    (inside a word only when one word alone is too long); returns the pieces and their counts."""
    fitted: list[Span] = []
    fitted_counts: list[int] = []
    for span, count in zip(spans, counts, strict=False):
        if count <= budget:
            fitted.append(span)
            fitted_counts.append(count)
            continue
        words = [Span(span.start + m.start(), span.start + m.end())
                 for m in re.finditer(r"\S+", text[span.start:span.end])]
        for piece, piece_count in _pack(text, words, count, count_tokens, budget):
            if piece_count > budget:
                # One word longer than a chunk (a long URL, say): cut it by characters. Each
                # part is booked as a full chunk: parts of one word counted apart do not add
                # up to the word's count, so no part may share a chunk with its neighbour.
                letters = [Span(i, i + 1) for i in range(piece.start, piece.end)]
                pieces = [(part, budget) for part, _ in
                          _pack(text, letters, piece_count, count_tokens, budget)]
            else:
                pieces = [(piece, piece_count)]
            for part, part_count in pieces:
                fitted.append(part)
                fitted_counts.append(part_count)
    return fitted, fitted_counts


def _pack(text: str, units: list[Span], count: int,
          count_tokens: Callable[[Sequence[str]], list[int]],
          budget: int) -> list[tuple[Span, int]]:
    """Consecutive runs of `units` (words or characters) of at most `budget` tokens each; a
    single unit that is longer stays whole. `count` is the tokens of all units together."""
    # Tokens per unit vary; aim for a piece of roughly budget tokens and re-check.
    per_piece = max(1, int(len(units) * budget / count * 0.9))
    pieces: list[tuple[Span, int]] = []
    index = 0
    while index < len(units):
        stop = min(len(units), index + per_piece)
        while True:
            piece = Span(units[index].start, units[stop - 1].end)
            piece_count = count_tokens([text[piece.start:piece.end]])[0]
            if piece_count <= budget or stop - index == 1:
                break
            stop = index + max(1, (stop - index) * 3 // 4)
        pieces.append((piece, piece_count))
        index = stop
    return pieces
