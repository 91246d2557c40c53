"""What every language model backend offers the assistant: text pieces for a (system, user)
prompt pair, and errors that say which model failed and what to do."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import Any

from ..errors import ModelLoadError


class LocalModel(ABC):
    """A language model that streams text for a (system, user) prompt pair.

    Subclasses implement `_pieces` only; `stream` turns whatever the library raises into a
    `ModelLoadError` naming the model, so a failing model fails the question, not the caller.
    `llm` is the llama-index LLM object behind it (usable directly in llama-index pipelines).
    """

    kind: str = "model"  # "llama.cpp", "ollama", "openai" or "llama-index"

    def __init__(self, llm: Any, name: str, url: str | None = None) -> None:
        self.llm = llm
        self.name = name
        self.url = url  # the server, for models behind one

    @abstractmethod
    def _pieces(self, system: str, user: str) -> Iterator[str]:
        """The model's text for the prompt, piece by piece, as the library delivers it."""

    def stream(self, system: str, user: str) -> Iterator[str]:
        """Yield text pieces as the model writes them."""
        try:
            for piece in self._pieces(system, user):
                if piece:
                    yield piece
        except ModelLoadError:
            raise
        except Exception as error:  # network errors, server errors, llama.cpp errors
            raise ModelLoadError(self._failure(error)) from error

    def complete(self, system: str, user: str) -> str:
        return "".join(self.stream(system, user))

    def _failure(self, error: BaseException) -> str:
        """The one-line message for a failed generation."""
        if self.url:
            return (f"the {self.kind} server at {self.url} (model {self.name}) failed: "
                    f"{one_line(error)}; check that it is running and reachable")
        return f"the language model ({self.kind} {self.name}) failed: {one_line(error)}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kind={self.kind!r}, name={self.name!r})"


def one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:300]
