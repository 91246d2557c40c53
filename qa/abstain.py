"""Deciding that the articles do not answer a question, before anything is written.

Two signals, both about the evidence rather than the model: the names the question asks about
must occur in what was retrieved, and the best evidence sentence must be close enough to the
question. The thresholds were calibrated on the MultiHop-RAG dev queries (null queries must
abstain, the others must not); see bench/qa_bench.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .evidence import Evidence, passage_header
from .query import QUESTION_WORDS, question_names
from .types import Passage

# Below this evidence score nothing retrieved is about the question.
MIN_EVIDENCE_SCORE = 0.30
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


def missing_names(question: str, passages: Sequence[Passage]) -> list[str]:
    """Names of the question that no retrieved passage (text, title, source, date) contains."""
    seen: set[str] = set()
    for passage in passages:
        seen |= _words(passage.text + " " + passage_header(passage))
    missing = []
    for name in question_names(question):
        words = [w for w in _WORD.findall(name.lower()) if w not in QUESTION_WORDS]
        if words and not all(w in seen for w in words):
            missing.append(name)
    return missing


def judge(question: str, passages: Sequence[Passage], evidence: Sequence[Evidence]) -> Verdict:
    """Whether to abstain, and why (for the answer's notes)."""
    if not passages or not evidence:
        return Verdict(True, "nothing relevant was retrieved")
    missing = missing_names(question, passages)
    if len(missing) > MAX_MISSING_NAMES:
        return Verdict(True, "the articles never mention " + ", ".join(missing), tuple(missing))
    best = max(e.score for e in evidence)
    if best < MIN_EVIDENCE_SCORE:
        return Verdict(True, f"no passage is close to the question (best {best:.2f})")
    return Verdict(False, "")
