"""Choosing the model: a backend named by the settings, or an LLM object given as it is.

llama-index falls back to OpenAI when no LLM is given; we always build one explicitly, and
every configured backend runs on the user's machine or a server they name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..config import Settings
from ..errors import ConfigError, ModelLoadError
from .base import LocalModel
from .llama_cpp import LlamaCppModel
from .llama_index_llm import LlamaIndexModel
from .ollama import load_ollama
from .openai_server import load_openai_server

# Settings.llm -> the function that builds that backend from the settings.
BACKENDS: dict[str, Callable[[Settings], LocalModel]] = {
    "smollm2": LlamaCppModel.from_settings,
    "gguf": LlamaCppModel.from_settings,
    "ollama": load_ollama,
    "openai": load_openai_server,
}


def load_model(settings: Settings) -> LocalModel:
    """Build the configured model; raise ModelLoadError with advice when it cannot load."""
    build = BACKENDS.get(settings.llm)
    if build is None:
        raise ModelLoadError(f"unknown llm backend {settings.llm!r}; use "
                             f"{', '.join(BACKENDS)}")
    return build(settings)


def as_model(model: Any) -> LocalModel:
    """A model given to the assistant as an object: a LocalModel as it is, any llama-index
    LLM wrapped (a LlamaCPP prompted in its GGUF's own template)."""
    if isinstance(model, LocalModel):
        return model
    from llama_index.core.base.llms.base import BaseLLM

    if LlamaCppModel.accepts(model):
        return LlamaCppModel.from_llm(model)
    if isinstance(model, BaseLLM):
        return LlamaIndexModel(model)
    raise ConfigError(f"the model must be a llama-index LLM (Ollama, OpenAILike, LlamaCPP, "
                      f"...) or a qa.llm.LocalModel, not {type(model).__name__}; to choose a "
                      "configured backend, pass its name as llm= (smollm2, gguf, ollama, "
                      "openai)")
