"""The records the assistant hands out: passages, citations, answers, and streams of them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its article's details; `text == article text[start:end]`."""

    chunk_id: int
    article_id: str
    title: str
    date: str | None
    source: str | None
    url: str | None
    text: str
    start: int
    end: int
    score: float  # fused score used for ranking
    dense_score: float | None = None  # cosine similarity, when the dense search found it
    lexical_score: float | None = None  # BM25, when the lexical search found it

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Citation:
    """One numbered source of an answer: the exact sentence it quotes and where it stands.

    `quote == article.text[span[0]:span[1]]` always holds; `passage` is the chunk around it,
    starting at `passage_start` in the article, for showing the quote in context.
    """

    n: int
    article_id: str
    title: str
    date: str | None
    source: str | None
    url: str | None
    quote: str
    span: tuple[int, int]
    score: float
    chunk_id: int
    passage: str = ""
    passage_start: int = 0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["span"] = list(self.span)
        return data


@dataclass
class Answer:
    """A question's answer: text with [n] markers that all point into `citations`."""

    question: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False
    mode: str = "extractive"  # the mode that produced the text ("generate" or "extractive")
    passages: list[Passage] = field(default_factory=list)  # what retrieval returned
    resolved_question: str = ""  # the question after resolving a follow-up
    timings: dict[str, float] = field(default_factory=dict)  # seconds: retrieve, first_token, total
    notes: list[str] = field(default_factory=list)  # what the checker changed, for the curious
    store_version: int | None = None  # the index version the answer was read from
    kind: str = "factoid"  # what the question asked for (qa/analysis.py)
    verdict: str | None = None  # "Yes", "No" or the option, for questions that ask for one
    draft: str | None = None  # the model's own words, before the check (generated answers)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "resolved_question": self.resolved_question,
            "text": self.text,
            "abstained": self.abstained,
            "mode": self.mode,
            "citations": [c.to_dict() for c in self.citations],
            "passages": [p.to_dict() for p in self.passages],
            "timings": self.timings,
            "notes": self.notes,
            "store_version": self.store_version,
            "kind": self.kind,
            "verdict": self.verdict,
            "draft": self.draft,
        }


@dataclass
class ClaimResult:
    """One sentence of a checked text: supported, contradicted or not found, with the article
    sentences that decide it (quoted exactly, with their spans)."""

    sentence: str
    status: str  # "supported", "contradicted" or "not_found"
    reason: str = ""
    supporting: list[Citation] = field(default_factory=list)
    contradicting: list[Citation] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"sentence": self.sentence, "status": self.status, "reason": self.reason,
                "supporting": [c.to_dict() for c in self.supporting],
                "contradicting": [c.to_dict() for c in self.contradicting]}


@dataclass
class CheckReport:
    """What `Assistant.check` / `qa check` found for each sentence of a text."""

    text: str
    claims: list[ClaimResult]
    store_version: int | None = None
    seconds: float = 0.0

    @property
    def supported(self) -> bool:
        return bool(self.claims) and all(c.status == "supported" for c in self.claims)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "supported": self.supported,
                "claims": [c.to_dict() for c in self.claims],
                "store_version": self.store_version, "seconds": round(self.seconds, 3)}


class AnswerStream:
    """Iterate for the model's tokens as they come; `answer` holds the checked answer after.

    The streamed draft is the model's raw text; the final `answer.text` is what survived the
    citation check (sentences moved to the right source or dropped), so a UI should replace
    the draft with it when the stream ends.
    """

    def __init__(self, produce: Callable[[AnswerStream], Iterator[str]]) -> None:
        """`produce(stream)` yields the pieces and sets `stream.answer` before it ends."""
        self.answer: Answer | None = None
        self._pieces = produce(self)

    def __iter__(self) -> Iterator[str]:
        return self._pieces
