"""Checking a model's answer against its evidence, sentence by sentence.

A small local model writes fluent text that is not always in its sources, and it rarely cites
by itself. So every sentence of its answer is compared with every evidence sentence, by words
(what share of the sentence's telling words the evidence holds) and by meaning (embedding
similarity). A sentence keeps the citations that support it, gets the citation of the evidence
that does when it cited the wrong one or none, and is dropped when nothing supports it. Numbers
and names the evidence does not contain are never let through.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index import Embedder, lexical_tokens, split_sentences

from .evidence import Evidence, QuestionTerms, passage_header

MARKER = re.compile(r"\s*\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z'’-]+")

# Thresholds for "this evidence sentence supports that answer sentence".
MIN_WORD_SUPPORT = 0.6  # IDF-weighted share of the sentence's tokens found in the evidence
MIN_MEANING_SUPPORT = 0.5  # cosine similarity of the two sentences
STRONG_WORD_SUPPORT = 0.85  # enough on its own (a near copy)
STRONG_MEANING_SUPPORT = 0.8  # a close paraphrase, with at least PARAPHRASE_WORD_SUPPORT
PARAPHRASE_WORD_SUPPORT = 0.4


@dataclass(frozen=True)
class CheckedSentence:
    """An answer sentence that survived the check, with the evidence rows that support it."""

    text: str
    supports: tuple[int, ...]  # indexes into the evidence list, best first


@dataclass(frozen=True)
class CheckResult:
    sentences: list[CheckedSentence]
    dropped: list[str]
    moved: int


def parse_markers(sentence: str) -> tuple[str, list[int]]:
    """The sentence without its [n] markers, and the numbers they held (1-based)."""
    numbers: list[int] = []
    for match in MARKER.finditer(sentence):
        numbers.extend(int(n) for n in re.split(r"[,;]", match.group(1)))
    return MARKER.sub("", sentence).strip(), numbers


def answer_sentences(text: str) -> list[str]:
    """Split model output into sentences, keeping any [n] markers with their sentence."""
    text = re.sub(r"\s+", " ", text).strip()
    pieces = [text[s.start:s.end] for s in split_sentences(text)]
    # A marker written after the full stop ("... policies. [1]") belongs to the sentence before.
    merged: list[str] = []
    for piece in pieces:
        if merged and MARKER.fullmatch(" " + piece.split(" ")[0]) and piece.startswith("["):
            leading = MARKER.match(piece)
            merged[-1] += " " + piece[:leading.end()].strip()
            piece = piece[leading.end():].strip()
            if not piece:
                continue
        merged.append(piece)
    return merged


class CitationChecker:
    """Scores answer sentences against evidence sentences."""

    def __init__(self, embedder: Embedder, weights_of) -> None:
        self.embedder = embedder
        self.weights_of = weights_of

    def check(self, answer: str, evidence: Sequence[Evidence], question: str,
              terms: QuestionTerms, numbering: Sequence[int] | None = None) -> CheckResult:
        """Check each sentence of `answer` against `evidence`.

        `numbering[n - 1]` is the evidence row the prompt showed as [n] (default: row n - 1).
        """
        sentences = [parse_markers(s) for s in answer_sentences(answer)]
        sentences = [(text, cited) for text, cited in sentences if _has_words(text)]
        if not sentences or not evidence:
            return CheckResult([], [s for s, _ in sentences], 0)
        vectors = self.embedder.encode([text for text, _ in sentences])
        evidence_vectors = np.stack([e.vector for e in evidence])
        meaning = vectors @ evidence_vectors.T
        question_tokens = set(terms.tokens)
        allowed_names = _names_in(question) | {n for e in evidence for n in
                                               _names_in(e.text + " " + passage_header(e.passage))}
        kept: list[CheckedSentence] = []
        dropped: list[str] = []
        moved = 0
        for row, (text, cited) in enumerate(sentences):
            if _invents(text, evidence, question, allowed_names):
                dropped.append(text)
                continue
            words = self._word_support(text, evidence, question_tokens)
            supported = [i for i in range(len(evidence))
                         if words[i] >= STRONG_WORD_SUPPORT
                         or (words[i] >= MIN_WORD_SUPPORT
                             and meaning[row, i] >= MIN_MEANING_SUPPORT)
                         or (words[i] >= PARAPHRASE_WORD_SUPPORT
                             and meaning[row, i] >= STRONG_MEANING_SUPPORT)]
            if not supported:
                dropped.append(text)
                continue
            supported.sort(key=lambda i: -(words[i] + meaning[row, i]))
            rows = [numbering[n - 1] if numbering is not None and 0 < n <= len(numbering)
                    else (n - 1 if numbering is None else -1) for n in cited]
            valid_cited = [row for row in rows if 0 <= row < len(evidence) and row in supported]
            if valid_cited:
                supports = tuple(dict.fromkeys(valid_cited))
            else:
                supports = (supported[0],)
                moved += 1
            kept.append(CheckedSentence(text, supports))
        return CheckResult(kept, dropped, moved)

    def _word_support(self, sentence: str, evidence: Sequence[Evidence],
                      question_tokens: set[str]) -> list[float]:
        """IDF-weighted share of the sentence's own tokens (not merely echoed from the
        question) that each evidence sentence contains."""
        tokens = set(lexical_tokens([sentence])[0])
        own = tokens - question_tokens or tokens
        if not own:
            return [0.0] * len(evidence)
        weights = self.weights_of(list(own))
        total = sum(weights.values()) or 1.0
        scores = []
        for item in evidence:
            present = item.tokens | set(lexical_tokens([passage_header(item.passage)])[0])
            scores.append(sum(w for t, w in weights.items() if t in present) / total)
        return scores


def _has_words(text: str) -> bool:
    return bool(re.search(r"[A-Za-z]{2,}", text))


def _names_in(text: str) -> set[str]:
    return {m.group(0).lower().strip("'’") for m in _NAME.finditer(text)}


def _invents(sentence: str, evidence: Sequence[Evidence], question: str,
             allowed_names: set[str]) -> bool:
    """True when the sentence has a number or a name found neither in the evidence nor in the
    question: the commonest way a small model makes things up."""
    haystack = " ".join([question] + [e.text + " " + passage_header(e.passage) for e in evidence])
    numbers = set(_NUMBER.findall(haystack))
    if any(n not in numbers for n in _NUMBER.findall(sentence)):
        return True
    names = _names_in(sentence)
    return any(name not in allowed_names and name not in haystack.lower() for name in names)
