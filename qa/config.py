"""Settings: defaults, then `newsdesk.toml`, then `QA_*` environment variables, then CLI flags."""

from __future__ import annotations

import ipaddress
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

from index.web import DEFAULT_USER_AGENT

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

    # Articles from the web (docs/web.md): fetched only from links and feeds the user gives.
    fetch_timeout: float = Field(20.0, gt=0, le=600,
                                 description="seconds a request may take, body included")
    fetch_max_mb: float = Field(10, gt=0, description="largest page or feed fetched")
    fetch_per_host: int = Field(2, ge=1, le=16, description="requests at once to one host")
    fetch_max_redirects: int = Field(5, ge=0, le=20, description="redirects followed per link")
    fetch_allow_private: bool = Field(
        False, description="allow links to this machine and private networks (loopback, "
                           "10.x, 192.168.x, link-local, ...); off: refused")
    fetch_allow_networks: list[str] = Field(
        default_factory=list, description="private networks allowed although "
                                          "fetch_allow_private is off, e.g. [\"10.1.0.0/16\"]")
    fetch_user_agent: str = Field(DEFAULT_USER_AGENT, min_length=1,
                                  description="the User-Agent sent with every request")
    feed_max_items: int = Field(100, ge=1, le=10_000, description="items read per feed")
    feed_poll_minutes: float = Field(30, gt=0, description="how often `qa watch` reads feeds")

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
    evidence_sentences: int = Field(5, ge=1, le=20, description="evidence sentences an answer "
                                    "is composed from")
    summary_sentences: int = Field(5, ge=1, le=20, description="most sentences in a summary, "
                                   "list or explanation")

    # Web chat.
    host: str = "127.0.0.1"
    port: int = Field(7860, ge=1, le=65535)
    max_upload_mb: float = Field(20, gt=0)
    concurrency: int = Field(2, ge=1, le=64, description="answers computed at once")

    @field_validator("fetch_allow_networks", mode="after")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for network in value:
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError:
                raise ValueError(f"{network!r} is not a network; write it as 10.1.0.0/16 or "
                                 "an address") from None
        return value

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


def fetch_policy(settings: Settings):
    """The part of the settings the index package's fetching reads (index.FetchPolicy)."""
    from index import FetchPolicy

    return FetchPolicy(user_agent=settings.fetch_user_agent, timeout=settings.fetch_timeout,
                       max_bytes=int(settings.fetch_max_mb * 1024 * 1024),
                       per_host=settings.fetch_per_host,
                       max_redirects=settings.fetch_max_redirects,
                       allow_private=settings.fetch_allow_private,
                       allowed_networks=tuple(settings.fetch_allow_networks))


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
