"""Checking a model's answer against its evidence, sentence by sentence.

A small local model writes fluent text that is not always in its sources, and it rarely cites
by itself. So every sentence of its answer is checked as a claim against every evidence sentence
(qa/claims.py: related by words and meaning, then figures, direction, negation and speaker
compared). A supported sentence keeps the citations that support it, or gets the citation of
the evidence that does when it cited the wrong one or none; a contradicted or unsupported one is
dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index import lexical_tokens, split_sentences

from .claims import ClaimCheck, ClaimChecker
from .evidence import Evidence

MARKER = re.compile(r"\s*\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")

@dataclass(frozen=True)
class CheckedSentence:
    """An answer sentence that survived the check, with the evidence rows that support it."""

    text: str
    supports: tuple[int, ...]  # indexes into the evidence list, best first


@dataclass(frozen=True)
class CheckResult:
    """Each sentence of a draft with its outcome; `sentences` are those that survived."""

    sentences: list[CheckedSentence]
    claims: list[ClaimCheck]
    moved: int

    @property
    def dropped(self) -> list[str]:
        return [c.sentence for c in self.claims if c.status != "supported"]

    @property
    def contradicted(self) -> list[ClaimCheck]:
        return [c for c in self.claims if c.status == "contradicted"]


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
    """Checks a model's draft, sentence by sentence, against the evidence it was shown."""

    def __init__(self, claims: ClaimChecker) -> None:
        self.claims = claims

    def check(self, answer: str, evidence: Sequence[Evidence], echo: Sequence[str] = (),
              numbering: Sequence[int] | None = None, wants_new: bool = False) -> CheckResult:
        """Check each sentence of `answer` against `evidence`.

        A supported sentence keeps the citations it gave that support it, or gets the best
        supporting one ("moved"); a contradicted or unsupported sentence is dropped.
        `numbering[n - 1]` is the evidence row the prompt showed as [n] (default: row n - 1);
        `echo`: the question's tokens, which a sentence may repeat without that counting;
        `wants_new`: the question asks for something ("Who scored ...?"), so a sentence of
        nothing but its words ("Bristol City scored their win") is no answer and is dropped."""
        sentences = [parse_markers(s) for s in answer_sentences(without_preamble(answer))]
        sentences = [(text, cited) for text, cited in sentences if _has_words(text)]
        if not sentences:
            return CheckResult([], [], 0)
        checks = self.claims.check([text for text, _ in sentences], evidence, echo)
        asked = set(echo)
        for i, (text, _) in enumerate(sentences):
            # (its figures count as its own: "The score was 2-6 3-1" says something)
            tokens = set(lexical_tokens([text])[0]) | set(re.findall(r"\d+", text))
            if wants_new and asked and tokens and tokens <= asked:
                checks[i] = ClaimCheck(text, "not_found", reason="it only restates the question")
        # A sentence that fails only because of a clause the model tacked on (", which is
        # not ..."): its main clause is kept when that alone is supported.
        failed = [i for i, c in enumerate(checks) if c.status != "supported"
                  and main_clause(sentences[i][0]) != sentences[i][0]]
        if failed:
            heads = [main_clause(sentences[i][0]) for i in failed]
            for i, head, check in zip(failed, heads, self.claims.check(heads, evidence, echo),
                                      strict=True):
                if check.status == "supported":
                    sentences[i] = (head, sentences[i][1])
                    checks[i] = check
        kept: list[CheckedSentence] = []
        moved = 0
        for (text, cited), check in zip(sentences, checks, strict=True):
            if check.status != "supported":
                continue
            rows = [numbering[n - 1] if numbering is not None and 0 < n <= len(numbering)
                    else (n - 1 if numbering is None else -1) for n in cited]
            valid = [row for row in rows if row in check.supports]
            if valid:
                supports = tuple(dict.fromkeys(valid))
            else:
                supports = check.supports[:1]
                moved += 1
            kept.append(CheckedSentence(text, supports))
        return CheckResult(kept, checks, moved)


_PREAMBLE = re.compile(r"^\s*(?:(?:the\s+)?answer(?:\s+to\s+(?:the|this|your)\s+question)?\s+is\s*"
                       r":?|according to the (?:source|sources|article)s?,?|based on the "
                       r"sources?,?|(?:[A-Z][\w.&-]*\s){0,4}[A-Z][\w.&-]*\s*:(?!\d))\s*",
                       re.I)
_TRAILER = re.compile(r",\s+(?:which|who|while|but|and this|and that|meaning|indicating|"
                      r"suggesting)\b.*$", re.I)


def without_preamble(draft: str) -> str:
    """The draft without words a small model puts before its answer ("The answer is:",
    "BBC News:"), which say nothing to check."""
    text = draft.strip()
    for _ in range(2):
        text = _PREAMBLE.sub("", text, count=1)
    return text[:1].upper() + text[1:] if text else text


def main_clause(sentence: str) -> str:
    """The sentence without a trailing ", which ..." / ", but ..." clause."""
    head = _TRAILER.sub("", sentence).strip()
    if head == sentence or len(re.findall(r"[A-Za-z]{3,}", head)) < 4:
        return sentence
    return head + "."


def _has_words(text: str) -> bool:
    return bool(re.search(r"[A-Za-z]{2,}", text))
