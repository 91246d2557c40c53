"""The language model: a base class, one backend per file, and a factory that picks one.

    load_model(settings)   the backend `settings.llm` names (smollm2, gguf, ollama, openai)
    as_model(llm)          any llama-index LLM object, used as it is

Every model offers `stream(system, user) -> Iterator[str]`; the assistant needs nothing else.
"""

from .base import LocalModel
from .chat_template import ChatTemplate, chatml
from .factory import BACKENDS, as_model, load_model
from .llama_cpp import SMOLLM2_FILE, LlamaCppModel, packaged_model_path
from .llama_index_llm import LlamaIndexModel
from .openai_server import served_model

__all__ = [
    "BACKENDS", "ChatTemplate", "LlamaCppModel", "LlamaIndexModel", "LocalModel",
    "SMOLLM2_FILE", "as_model", "chatml", "load_model", "packaged_model_path", "served_model",
]
