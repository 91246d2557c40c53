"""A model served by Ollama (llm = "ollama"), through llama-index's `Ollama` class."""

from __future__ import annotations

from ..config import Settings
from ..errors import ModelLoadError
from .llama_index_llm import LlamaIndexModel

DEFAULT_URL = "http://127.0.0.1:11434"


def load_ollama(settings: Settings) -> LlamaIndexModel:
    """The Ollama model `llm_model` names, at `llm_base_url` (default: the local Ollama)."""
    if not settings.llm_model:
        raise ModelLoadError("llm = 'ollama' needs llm_model (e.g. QA_LLM_MODEL=llama3.2)")
    from llama_index.llms.ollama import Ollama

    url = settings.llm_base_url or DEFAULT_URL
    llm = Ollama(model=settings.llm_model, base_url=url, temperature=settings.temperature,
                 request_timeout=settings.llm_timeout,
                 additional_kwargs={"num_predict": settings.llm_max_tokens})
    return LlamaIndexModel(llm, settings.llm_model, url, kind="ollama",
                           advice="check that it is running and that llm_base_url points at it")
