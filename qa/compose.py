"""Turning evidence and checked sentences into answer text with [n] markers and citations."""

from __future__ import annotations

from collections.abc import Sequence

from .citations import CheckedSentence
from .evidence import Evidence
from .types import Citation


def abstain_text(with_passages: bool) -> str:
    """What the assistant says when the articles do not answer the question."""
    if with_passages:
        return ("The articles don't say. Nothing in them answers this question; the closest "
                "passages are listed below.")
    return "The articles don't say. No article matches this question (and its filters)."

# A 135M-parameter model follows a short, concrete instruction over one to three sentences
# far better than a long one over many (measured on the seed article's questions): it then
# rephrases its source instead of inventing around it.
SYSTEM_ONE = ("Answer the question in one short sentence, using only the numbered source and "
              "its words. End the sentence with [1].")
SYSTEM_MANY = ("Answer the question in one or two short sentences, using only the numbered "
               "sources and their words. End each sentence with the number of its source in "
               "brackets, like [1].")

# Extractive answers add a further sentence only when it scores close to the best one.
EXTRA_SENTENCE_RATIO = 0.85
MAX_EXTRACTIVE_SENTENCES = 3


def evidence_prompt(question: str, evidence: Sequence[Evidence]) -> tuple[str, str]:
    """(system, user) prompt: the numbered evidence sentences and the question."""
    system = SYSTEM_ONE if len(evidence) == 1 else SYSTEM_MANY
    lines = []
    for n, item in enumerate(evidence, start=1):
        details = ", ".join(p for p in (item.passage.source, item.passage.date) if p)
        lines.append(f"[{n}] ({details}) {item.text}" if details else f"[{n}] {item.text}")
    return system, "Sources:\n" + "\n".join(lines) + f"\n\nQuestion: {question}"


def citation_for(n: int, item: Evidence) -> Citation:
    passage = item.passage
    return Citation(n=n, article_id=passage.article_id, title=passage.title, date=passage.date,
                    source=passage.source, url=passage.url, quote=item.text,
                    span=(item.start, item.end), score=round(item.score, 4),
                    chunk_id=passage.chunk_id, passage=passage.text,
                    passage_start=passage.start)


def with_marker(sentence: str, numbers: Sequence[int]) -> str:
    """'... policies.' -> '... policies [1].' (the marker sits before the final stop)."""
    markers = "".join(f"[{n}]" for n in numbers)
    sentence = sentence.rstrip()
    if sentence and sentence[-1] in ".!?":
        return f"{sentence[:-1].rstrip()} {markers}{sentence[-1]}"
    return f"{sentence} {markers}."


def answer_evidence(evidence: Sequence[Evidence]) -> list[Evidence]:
    """The sentences an answer rests on: the best one, plus runners-up from other articles
    that score close to it (a question about two reports needs both)."""
    if not evidence:
        return []
    best = evidence[0].score
    chosen = [evidence[0]]
    for item in evidence[1:]:
        if len(chosen) == MAX_EXTRACTIVE_SENTENCES:
            break
        if item.score >= EXTRA_SENTENCE_RATIO * best and all(
                item.passage.article_id != c.passage.article_id for c in chosen):
            chosen.append(item)
    return chosen


def compose_extractive(question: str, evidence: Sequence[Evidence]
                       ) -> tuple[str, list[Citation]]:
    """The answer's evidence sentences (see answer_evidence), each cited."""
    chosen = answer_evidence(evidence)
    citations = [citation_for(n, item) for n, item in enumerate(chosen, start=1)]
    text = " ".join(with_marker(item.text, [n]) for n, item in enumerate(chosen, start=1))
    return text, citations


def compose_checked(sentences: Sequence[CheckedSentence], evidence: Sequence[Evidence]
                    ) -> tuple[str, list[Citation]]:
    """Renumber the supporting evidence in order of first use and mark each sentence."""
    number_of: dict[int, int] = {}
    parts = []
    for sentence in sentences:
        numbers = []
        for row in sentence.supports:
            if row not in number_of:
                number_of[row] = len(number_of) + 1
            numbers.append(number_of[row])
        parts.append(with_marker(sentence.text, numbers))
    citations = [citation_for(n, evidence[row]) for row, n in number_of.items()]
    return " ".join(parts), citations
