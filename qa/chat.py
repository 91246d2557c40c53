"""Multi-turn conversations: a follow-up is read in the light of the questions before it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .query import question_names
from .types import Answer, AnswerStream

if TYPE_CHECKING:
    from .assistant import Assistant

_FOLLOW_UP_START = re.compile(
    r"^(and|but|also|so|then|what about|how about|and what|what else|why|how come)\b", re.I)
_PERSON = re.compile(r"\b(he|she|they|him|her|them|his|hers|their)\b", re.I)
_POINTER = re.compile(r"\b(it|its|this|that|these|those|there|the same)\b", re.I)


def is_follow_up(question: str) -> bool:
    """A question that leans on the conversation: it starts like a continuation, speaks of
    someone as "he" or "they", or points back ("that", "it") and names nothing of its own."""
    if _FOLLOW_UP_START.search(question.strip()) or _PERSON.search(question):
        return True
    return bool(_POINTER.search(question)) and not question_names(question)


@dataclass
class Turn:
    question: str
    answer: Answer


@dataclass
class Chat:
    """A conversation with the assistant; `ask` and `stream` remember earlier turns."""

    assistant: Assistant
    turns: list[Turn] = field(default_factory=list)

    def context_for(self, question: str) -> str | None:
        """The earlier question a follow-up refers to, or None for a fresh question."""
        if not self.turns or not is_follow_up(question):
            return None
        return self.turns[-1].answer.resolved_question or self.turns[-1].question

    def ask(self, question: str, **options) -> Answer:
        stream = self.stream(question, **options)
        for _ in stream:
            pass
        assert stream.answer is not None
        return stream.answer

    def stream(self, question: str, **options) -> AnswerStream:
        inner = self.assistant.stream(question, context=self.context_for(question), **options)

        def pieces(outer: AnswerStream):
            yield from inner
            outer.answer = inner.answer
            if inner.answer is not None:
                self.turns.append(Turn(question, inner.answer))

        return AnswerStream(pieces)

    def clear(self) -> None:
        self.turns.clear()

    @property
    def history(self) -> Sequence[Turn]:
        return tuple(self.turns)
