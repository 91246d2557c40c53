"""Settings: defaults, then `newsdesk.toml`, then `QA_*` environment variables, then CLI flags."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from .errors import ConfigError

CONFIG_FILE = "newsdesk.toml"

LLMBackend = Literal["smollm2", "gguf", "ollama", "openai"]


def config_file() -> Path:
    """`QA_CONFIG` names the file; otherwise `newsdesk.toml` in the working folder."""
    return Path(os.environ.get("QA_CONFIG", CONFIG_FILE)).expanduser()


class Settings(BaseSettings):
    """Every knob of Newsdesk in one place. Each field is also `QA_<NAME>` in the environment
    and `name = value` in newsdesk.toml."""

    model_config = SettingsConfigDict(env_prefix="QA_", extra="ignore",
                                      validate_default=True)

    # Where things are.
    store: Path = Field(Path("storage"), description="store folder")
    corpus: Path = Field(Path("corpus"), description="folder of articles that make serve indexes")

    # Indexing.
    embed_model: str = Field("all-MiniLM-L6-v2",
                             description="sentence-transformers model name or local folder")
    embed_backend: Literal["torch", "onnx"] = Field(
        "onnx", description="onnx (int8, exported once; the default) or torch; default for an "
                            "existing store: what it was built with")
    embed_batch_size: int = Field(32, ge=1, le=1024,
                                  description="texts per model call; the ONNX backend runs at "
                                              "most 8 at a time, one run per core")
    chunk_tokens: int | None = Field(None, ge=32,
                                     description="chunk size in word pieces; default: the "
                                                 "embedder's window")
    max_file_mb: float = Field(64, gt=0, description="largest article file accepted")
    max_article_chars: int = Field(1_000_000, gt=0, description="longest article accepted")
    max_html_mb: float = Field(20, gt=0, description="largest HTML page parsed")

    # Scaling out (docs/scaling.md): where vectors live and when search turns approximate.
    vector_backend: Literal["faiss", "milvus"] | None = Field(
        None, description="faiss (files in the store) or milvus; default: what the store "
                          "was built with (faiss for a new store)")
    ann_threshold: int = Field(200_000, ge=0,
                               description="chunks from which FAISS search is approximate "
                                           "(IVF); 0: always exact")
    ann_nprobe: int = Field(32, ge=1, le=16384, description="IVF lists searched per query")
    milvus_uri: str | None = Field(None, description="Milvus server (http://host:19530) or "
                                                     "Milvus Lite file; default "
                                                     "<store>/milvus.db")
    milvus_token: str | None = Field(None, description="Milvus credentials (user:password "
                                                       "or API key)")
    milvus_collection: str = Field("newsdesk", min_length=1,
                                   description="prefix of the store's Milvus collections")

    # The local model.
    llm: LLMBackend = Field("smollm2", description="smollm2 (packaged), gguf, ollama or openai")
    llm_model: str | None = Field(None, description="GGUF path, Ollama model or server model name")
    llm_base_url: str | None = Field(None, description="Ollama or OpenAI-compatible server URL")
    llm_api_key: str | None = Field(None, description="key for an OpenAI-compatible server")
    llm_context: int = Field(2048, ge=256)
    llm_threads: int | None = Field(None, ge=1)
    llm_max_tokens: int = Field(120, ge=8)
    llm_timeout: float = Field(120.0, gt=0)
    temperature: float = Field(0.0, ge=0, le=2)

    # Answering.
    mode: Literal["generate", "extractive"] = "generate"
    top_k: int = Field(8, ge=1, le=100, description="passages retrieved per question")
    evidence_sentences: int = Field(5, ge=1, le=20)

    # Web chat.
    host: str = "127.0.0.1"
    port: int = Field(7860, ge=1, le=65535)
    max_upload_mb: float = Field(20, gt=0)
    concurrency: int = Field(2, ge=1, le=64, description="answers computed at once")

    @field_validator("store", "corpus", mode="after")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings],
                                   init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = config_file()
        if path.is_file():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)


def vector_settings(settings: Settings):
    """The part of the settings the index package reads (index.VectorSettings)."""
    from index import VectorSettings

    return VectorSettings(backend=settings.vector_backend, ann_threshold=settings.ann_threshold,
                          ann_nprobe=settings.ann_nprobe, milvus_uri=settings.milvus_uri,
                          milvus_token=settings.milvus_token,
                          milvus_collection=settings.milvus_collection)


def make_embedder(settings: Settings, rebuild: bool = False,
                  notice: Callable[[str], None] | None = None):
    """The embedder for the settings' store (an index.Embedder). The model and backend the
    user set (newsdesk.toml, QA_EMBED_*, flags) win; what they left unset comes from what an
    existing store was built with (unless it is being rebuilt), else from the defaults."""
    from index import embedder_for_store

    chosen = settings.model_fields_set
    return embedder_for_store(
        settings.store, settings.embed_model if "embed_model" in chosen else None,
        settings.embed_backend if "embed_backend" in chosen else None,
        batch_size=settings.embed_batch_size, notice=notice, rebuild=rebuild)


def load_settings(**overrides: Any) -> Settings:
    """Settings with CLI flags (or API arguments) on top; `None` overrides are ignored."""
    given = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**given)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in item['loc']) or 'settings'}: {item['msg']}"
            for item in error.errors())
        raise ConfigError(f"invalid settings ({problems}); check {config_file()} and the "
                          "QA_* environment variables") from None
    except Exception as error:  # a malformed TOML file
        raise ConfigError(f"cannot read the settings file {config_file()}: {error}") from None
