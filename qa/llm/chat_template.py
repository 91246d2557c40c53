"""Writing a conversation the way a GGUF model was trained to read it.

A GGUF file usually carries its chat template (Jinja, under `tokenizer.chat_template`); a
Llama 3, Mistral, Gemma or Phi model prompted in another format answers worse or not at all.
The template is rendered with llama-cpp-python's own Jinja2 formatter, the one its chat
completion uses, so the prompt is what llama.cpp itself would build. ChatML (SmolLM2's and
Qwen's format) is used only for a file without a template.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import ModelLoadError

TEMPLATE_KEY = "tokenizer.chat_template"
CHATML_STOPS = ("<|im_end|>", "<|im_start|>")


def chatml(system: str, user: str) -> str:
    """A ChatML prompt, for a model file that names no template of its own."""
    return (f"<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n"
            "<|im_start|>assistant\n")


class ChatTemplate:
    """A model's prompt format: its own Jinja template, or ChatML when it has none.

    `source` says which ("gguf" or "chatml"); `stops` are the strings that end a turn.
    """

    def __init__(self, template: str | None, bos_token: str = "", eos_token: str = "",
                 adds_bos: bool = False, model_name: str = "the model") -> None:
        self.template = template or None
        self.source = "gguf" if self.template else "chatml"
        self.bos_token = bos_token
        self.eos_token = eos_token
        self.adds_bos = adds_bos  # llama.cpp puts a BOS token before every prompt itself
        self.model_name = model_name
        self._formatter = None
        if self.template:
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter

            try:
                self._formatter = Jinja2ChatFormatter(template=self.template,
                                                      eos_token=eos_token, bos_token=bos_token,
                                                      add_generation_prompt=True)
            except Exception as error:  # a template Jinja cannot parse
                raise self.broken(model_name, error) from error
            self.render("You answer questions.", "Is this template usable?")  # fail at load

    @classmethod
    def of(cls, llama: Any, model_name: str | None = None) -> ChatTemplate:
        """The template of a loaded `llama_cpp.Llama` (read from its GGUF metadata)."""
        metadata = getattr(llama, "metadata", None) or {}

        def token_text(token_id: int) -> str:
            return llama._model.token_get_text(token_id) if token_id >= 0 else ""

        return cls(metadata.get(TEMPLATE_KEY), bos_token=token_text(llama.token_bos()),
                   eos_token=token_text(llama.token_eos()),
                   adds_bos=bool(llama._model.add_bos_token()),
                   model_name=model_name or str(getattr(llama, "model_path", "the model")))

    @property
    def stops(self) -> list[str]:
        """Strings that end the model's turn (llama.cpp also stops at end-of-generation
        tokens by itself)."""
        if self.source == "chatml":
            return list(CHATML_STOPS)
        # The end of the model's turn, or the start of another one.
        return [token for token in (self.eos_token, self.bos_token) if token]

    def render(self, system: str, user: str) -> str:
        """The prompt for one system message and one user message, ready for completion."""
        if self._formatter is None:
            return chatml(system, user)
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        try:
            prompt = self._format(messages)
        except Exception:
            # Some templates (Gemma's, Mistral's) refuse a system turn: the instruction then
            # goes first in the user's turn, as those models are meant to be prompted.
            try:
                prompt = self._format([{"role": "user", "content": f"{system}\n\n{user}"}])
            except Exception as error:
                raise self.broken(self.model_name, error) from error
        return prompt

    def messages_to_prompt(self, messages: Sequence[Any]) -> str:
        """llama-index's `messages_to_prompt` for this model: any sequence of ChatMessages."""
        turns = [{"role": _role(m), "content": m.content or ""} for m in messages]
        if self._formatter is None:
            return "".join(f"<|im_start|>{t['role']}\n{t['content']}<|im_end|>\n"
                           for t in turns) + "<|im_start|>assistant\n"
        try:
            return self._format(turns)
        except Exception:
            if turns and turns[0]["role"] == "system" and len(turns) > 1:
                first = turns[1]
                merged = {"role": first["role"],
                          "content": f"{turns[0]['content']}\n\n{first['content']}"}
                return self._format([merged, *turns[2:]])
            raise

    def completion_to_prompt(self, completion: str) -> str:
        """llama-index's `completion_to_prompt`: a bare prompt as the user's turn."""
        return self.messages_to_prompt([_Message("user", completion)])

    def _format(self, messages: list[dict[str, str]]) -> str:
        assert self._formatter is not None
        prompt = self._formatter(messages=messages).prompt
        # A template that writes the BOS token itself, for a model whose tokenizer adds one
        # too, would start the prompt with two.
        if self.adds_bos and self.bos_token and prompt.startswith(self.bos_token):
            prompt = prompt[len(self.bos_token):]
        return prompt

    @staticmethod
    def broken(model_name: str, error: BaseException) -> ModelLoadError:
        """The error for a model file whose chat template cannot be rendered."""
        message = " ".join(str(error).split())[:200] or type(error).__name__
        return ModelLoadError(
            f"the chat template in {model_name} cannot be used ({message}); fix or "
            "remove it (gguf-new-metadata --chat-template / --remove-metadata "
            f"{TEMPLATE_KEY}); without one the model is prompted in ChatML")

    def __repr__(self) -> str:
        return f"ChatTemplate(source={self.source!r}, model={self.model_name!r})"


class _Message:
    def __init__(self, role: str, content: str) -> None:
        self.role = role
        self.content = content


def _role(message: Any) -> str:
    role = getattr(message, "role", "user")
    return str(getattr(role, "value", role))
