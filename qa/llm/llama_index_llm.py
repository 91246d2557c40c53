"""Any llama-index LLM object as the assistant's model: Ollama, OpenAILike, vLLM, a cloud
model the user chose, ... prompted through its own chat interface.

The object is used as it is: its own prompt format, sampling settings and stop words. The
assistant's citation check and abstention do not depend on the model, so they work the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .base import LocalModel, one_line


class LlamaIndexModel(LocalModel):
    """A llama-index LLM streamed through `stream_chat` (chat and completion models alike:
    llama-index turns the messages into a prompt for a completion model itself)."""

    kind = "llama-index"

    def __init__(self, llm: Any, name: str | None = None, url: str | None = None,
                 kind: str | None = None, advice: str | None = None) -> None:
        super().__init__(llm, name or describe(llm), url or server_of(llm))
        if kind:
            self.kind = kind
        self.advice = advice or "check that it is running and reachable"

    def _pieces(self, system: str, user: str) -> Iterator[str]:
        from llama_index.core.llms import ChatMessage

        messages = [ChatMessage(role="system", content=system),
                    ChatMessage(role="user", content=user)]
        try:
            responses = self.llm.stream_chat(messages)
        except NotImplementedError:  # a model that cannot stream answers in one piece
            yield self.llm.chat(messages).message.content or ""
            return
        for response in responses:
            if response.delta:
                yield response.delta

    def _failure(self, error: BaseException) -> str:
        if self.url:
            return (f"the {self.kind} server at {self.url} (model {self.name}) failed: "
                    f"{one_line(error)}; {self.advice}")
        return f"the language model ({self.kind} {self.name}) failed: {one_line(error)}"


def describe(llm: Any) -> str:
    """'OpenAILike qwen2.5-7b': the class and the model name it reports."""
    try:
        model_name = llm.metadata.model_name
    except Exception:  # a model whose metadata needs a server round trip or is broken
        model_name = None
    kind = type(llm).__name__
    return f"{kind} {model_name}" if model_name and model_name != "unknown" else kind


def server_of(llm: Any) -> str | None:
    """The address of the server behind an LLM object, when it has one."""
    for attribute in ("api_base", "base_url"):
        value = getattr(llm, attribute, None)
        if isinstance(value, str) and value:
            return value.rstrip("/")
    return None
