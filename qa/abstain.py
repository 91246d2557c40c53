"""Deciding that the articles do not answer a question, before anything is written.

Two signals, both about the evidence rather than the model: the names the question asks about
must occur in what was retrieved, and the best evidence sentence must be close enough to the
question. The thresholds were calibrated on the MultiHop-RAG dev queries (null queries must
abstain, the others must not); see bench/qa_bench.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .evidence import Evidence, passage_header
from .query import QUESTION_WORDS, question_names, unknown_outlets
from .types import Passage

# Below this evidence score nothing retrieved is about the question.
MIN_EVIDENCE_SCORE = 0.20
# Names of the question that may be missing from the evidence before we abstain.
MAX_MISSING_NAMES = 0

@dataclass(frozen=True)
class Verdict:
    abstain: bool
    reason: str
    missing: tuple[str, ...] = ()


_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


_MONTH_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december", "monday", "tuesday",
                "wednesday", "thursday", "friday", "saturday", "sunday"}


def name_words(name: str) -> list[str]:
    """The words that must occur for a name to count as mentioned ("Alex Verdugo's" ->
    alex, verdugo); empty for dates and numbers, which are not names."""
    words = [w for w in _WORD.findall(re.sub(r"['’]s\b", "", name.lower()))
             if w not in QUESTION_WORDS]
    if (not words or name[:1].isdigit() or any(w in _MONTH_WORDS for w in words)
            or all(w.isdigit() for w in words)):
        return []
    return words


def missing_names(question: str, passages: Sequence[Passage],
                  mentioned_anywhere: Callable[[list[str]], bool] | None = None,
                  aliases: dict[str, set[str]] | None = None) -> list[str]:
    """What the question names that the articles never mention.

    A name counts as mentioned when a retrieved passage (text, title, source, date) holds all
    its words, or, with `mentioned_anywhere`, some stored chunk does, or holds its last word
    (news writing calls Alex Verdugo "Verdugo" after the first mention). With `aliases` (the
    store's sources), an outlet the question attributes an article to ("a Bloomberg report")
    that is not one of the store's sources is missing too: the store holds nothing it wrote.
    """
    seen: set[str] = set()
    for passage in passages:
        seen |= _words(passage.text + " " + passage_header(passage))

    def mentioned(words: list[str]) -> bool:
        if all(w in seen for w in words):
            return True
        if mentioned_anywhere is None:
            return False
        if mentioned_anywhere(words):
            return True
        last = [w for w in words if w.isalpha() and len(w) >= 3]
        return len(words) > 1 and bool(last) and mentioned_anywhere([last[-1]])

    missing = []
    for name in question_names(question):
        words = name_words(name)
        if words and not mentioned(words):
            missing.append(name)
    if aliases is not None:
        for outlet in unknown_outlets(question, aliases):
            words = name_words(outlet)
            if words and not all(w in seen for w in words) and outlet not in missing:
                missing.append(outlet)
    return missing


def judge(question: str, passages: Sequence[Passage], evidence: Sequence[Evidence],
          mentioned_anywhere: Callable[[list[str]], bool] | None = None,
          aliases: dict[str, set[str]] | None = None) -> Verdict:
    """Whether to abstain, and why (for the answer's notes)."""
    if not passages or not evidence:
        return Verdict(True, "nothing relevant was retrieved")
    missing = missing_names(question, passages, mentioned_anywhere, aliases)
    if len(missing) > MAX_MISSING_NAMES:
        return Verdict(True, "the articles never mention " + ", ".join(missing), tuple(missing))
    best = max(e.score for e in evidence)
    if best < MIN_EVIDENCE_SCORE:
        return Verdict(True, f"no passage is close to the question (best {best:.2f})")
    return Verdict(False, "")
