"""One browser session's conversation: the qa Chat plus what the page shows of each turn."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from qa import Answer, Chat


@dataclass
class Filters:
    """The answer options a question was asked with."""

    mode: str = "extractive"
    since: str | None = None
    until: str | None = None
    sources: tuple[str, ...] = ()

    def describe(self) -> str:
        """A short line such as "from 2023-01-01 · source: Reuters" ("" when none apply)."""
        parts = []
        if self.since:
            parts.append(f"from {self.since}")
        if self.until:
            parts.append(f"until {self.until}")
        if self.sources:
            label = "source" if len(self.sources) == 1 else "sources"
            parts.append(f"{label}: {', '.join(self.sources)}")
        return " · ".join(parts)

    @property
    def active(self) -> bool:
        return bool(self.since or self.until or self.sources)


@dataclass
class Turn:
    """A question and, once it is done, its checked answer (or the error it ran into)."""

    id: int
    question: str
    filters: Filters = field(default_factory=Filters)
    draft: str = ""  # the model's raw text while it streams
    answer: Answer | None = None
    error: str | None = None

    @property
    def pending(self) -> bool:
        return self.answer is None and self.error is None


@dataclass
class ChatSession:
    """The conversation of one page: follow-ups are resolved by `chat`."""

    chat: Chat
    turns: list[Turn] = field(default_factory=list)
    next_id: int = 1
    stop: threading.Event = field(default_factory=threading.Event)  # set: stop answering

    def start(self, question: str, filters: Filters) -> Turn:
        """Add a pending turn for a new question and return it."""
        self.stop = threading.Event()
        turn = Turn(self.next_id, question, filters)
        self.next_id += 1
        self.turns.append(turn)
        return turn

    def clear(self) -> None:
        """Forget the conversation (turn ids keep counting, so old links never match) and stop
        an answer still being written. The next question starts a new `Chat`: an answer that
        was already complete when it was stopped still lands in the old one, not in this."""
        self.stop.set()
        self.chat = self.chat.assistant.chat()
        self.turns.clear()

    @property
    def latest_answered(self) -> Turn | None:
        for turn in reversed(self.turns):
            if turn.answer is not None:
                return turn
        return None
