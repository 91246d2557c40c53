"""A model behind an OpenAI-compatible server (llm = "openai"): vLLM, llama.cpp's server,
through llama-index's `OpenAILike` class. Nothing is sent anywhere but `llm_base_url`."""

from __future__ import annotations

import json
import urllib.request

from ..config import Settings
from ..errors import ModelLoadError
from .base import one_line
from .llama_index_llm import LlamaIndexModel

# The same stop as the local llama.cpp path: one paragraph.
PARAGRAPH_STOP = "\n\n"


def load_openai_server(settings: Settings) -> LlamaIndexModel:
    """The model at `llm_base_url`; its name is asked of the server when none is set."""
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
                     additional_kwargs={"stop": [PARAGRAPH_STOP]})
    return LlamaIndexModel(llm, name, base_url, kind="openai",
                           advice="check that it is running and that llm_base_url points at it")


def served_model(base_url: str, api_key: str | None, timeout: float) -> str:
    """The first model an OpenAI-compatible server lists at /models."""
    request = urllib.request.Request(f"{base_url}/models", headers={
        "Authorization": f"Bearer {api_key or 'none'}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            models = json.load(response).get("data") or []
    except Exception as error:  # refused, timed out, not JSON, HTTP errors
        raise ModelLoadError(
            f"cannot reach the OpenAI-compatible server at {base_url} ({one_line(error)}); "
            "start it (vLLM, llama.cpp's server) or fix llm_base_url, or set llm_model to "
            "the name it serves") from error
    if not models or not isinstance(models[0], dict) or not models[0].get("id"):
        raise ModelLoadError(f"the server at {base_url} lists no model; set llm_model to the "
                             "name it serves")
    return str(models[0]["id"])
