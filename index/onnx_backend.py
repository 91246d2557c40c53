"""The embedder on ONNX Runtime: the sentence-transformers model exported once, int8-quantised,
cached next to the store, and run without torch.

Why not sentence-transformers' own `backend="onnx"`: it needs `optimum.onnxruntime`, whose only
release (optimum-onnx 0.1.0) requires transformers<5, while sentence-transformers 6 requires
transformers>=5; pip cannot install both. So we do the same steps ourselves with the libraries
we already have:

1. export   the transformer (`model[0].auto_model`, eager attention) with torch.onnx.export
            (the TorchScript exporter, dynamic batch and sequence axes);
2. fuse     onnxruntime's BERT optimizer fuses attention, GELU and layer norms (BERT-like
            models only; others keep the plain graph);
3. quantise `quantize_dynamic`: QInt8 weights per channel, activations quantised at run time
            (measured on BBC chunks: per channel is more accurate than per tensor at about
            the same speed; reduce_range made per tensor worse and per channel no better, so
            it is off);
4. check    the float graph against `SentenceTransformer.encode` on probe texts (cosine must be
            above 0.9999) and the int8 one loosely, before anything is cached.

Encoding then does what `SentenceTransformer.encode` does for a Transformer + mean (or CLS)
pooling model: the model's own fast tokenizer (truncated to max_seq_length, padded to the
batch's longest), batches of similar length, pooling over the attention mask, L2 norm.

The cache is a folder `<cache_dir>/models/<model>-onnx-<precision>/` holding `model.onnx`,
`tokenizer.json` and `export.json` (source model, versions, options, SHA-256 of the source files
and of the exported model). A changed source model, another export recipe, or a damaged file is
exported again; loading only parses the ONNX protobuf and the tokenizer JSON: nothing is
unpickled. Loading imports onnxruntime and tokenizers only; torch is imported to export.

A fresh export is also left in the machine's cache (`default_cache_dir()`), and a store whose
cache is empty copies it from there instead of exporting again: one export per machine.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import EmbedderError

log = logging.getLogger(__name__)

# Bump when the export recipe changes: caches written by an older recipe are exported again.
EXPORT_FORMAT = 1
OPSET = 17
PRECISIONS = ("int8", "fp32")
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
INFO_FILE = "export.json"
# Texts per run: with one single-threaded run per core, 8 measured faster than 16 or 32 (less
# padding, activations that stay in cache).
RUN_BATCH = 8
# Texts the export is checked on: the graph must reproduce SentenceTransformer.encode.
PROBES = (
    "Chinese Premier Li told the EU leaders that Beijing hopes Brussels will be prudent.",
    "short",
    "The harbour reopened on Saturday after a storm closed it for three days. " * 40,
    "Shares in the company rose 5% after it reported record profits for the quarter.",
)
FP32_MIN_COSINE = 0.9999
INT8_MIN_COSINE = 0.95  # a broken quantisation gives far less; measured: about 0.99


@dataclass(frozen=True)
class QuantOptions:
    """How the int8 model is made (recorded in export.json; a change re-exports)."""

    per_channel: bool = True
    reduce_range: bool = False


QUANT = QuantOptions()


def default_cache_dir() -> Path:
    """Where exported models go when no store folder is given."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsdesk"


def cache_folder(cache_dir: Path | str | None, name: str, precision: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    root = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    return root / "models" / f"{safe}-onnx-{precision}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _source_files(location: Path) -> list[Path]:
    """The files that make up the source model (weights, configs, tokenizer)."""
    if not location.is_dir():
        raise EmbedderError(f"could not load the embedding model '{location}': it is not a "
                            "local model folder (the ONNX backend exports one from its files). "
                            "Give a local sentence-transformers folder or an installed model "
                            "name (embed_model in newsdesk.toml or QA_EMBED_MODEL), or use "
                            "embed_backend = \"torch\" for a model in the Hugging Face cache")
    return sorted(p for p in location.rglob("*")
                  if p.is_file() and not p.name.lower().startswith("readme")
                  and "__pycache__" not in p.parts)


def source_fingerprint(location: Path) -> dict[str, list[int]]:
    """Size and modification time of each source file: cheap to compare at every load."""
    return {str(p.relative_to(location)): [p.stat().st_size, p.stat().st_mtime_ns]
            for p in _source_files(location)}


def source_checksum(location: Path) -> str:
    """SHA-256 over the source model's files (names and contents)."""
    digest = hashlib.sha256()
    for path in _source_files(location):
        digest.update(str(path.relative_to(location)).encode())
        digest.update(_sha256(path).encode())
    return digest.hexdigest()


class OnnxModel:
    """A loaded exported model: an onnxruntime session and the model's fast tokenizer."""

    def __init__(self, folder: Path, info: dict, exported: bool, threads: int | None = None
                 ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.folder = folder
        self.info = info
        self.exported = exported  # True when this load had to export (a fresh cache)
        self.max_seq_length = int(info["max_seq_length"])
        self.dim = int(info["dim"])
        self.pooling = info["pooling"]
        self.input_names = list(info["input_names"])
        self.pad_id = int(info["pad_id"])
        # Data parallel: one single-threaded run per core, each on its own batch, instead of
        # one run whose every op is split across the cores. Measured on 2 cores (BBC chunks,
        # int8): 28.5 chunks/s against 25.1 with two intra-op threads, because the many small
        # ops (attention per head, layer norms, activation quantisation) no longer wait for
        # each other's threads. onnxruntime's run() is safe to call from several threads.
        self.workers = max(1, threads or _cores())
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        try:
            self.session = ort.InferenceSession(str(folder / MODEL_FILE), options,
                                                providers=["CPUExecutionProvider"])
        except Exception as error:
            raise EmbedderError(f"onnxruntime could not load {folder / MODEL_FILE}: {error}. "
                                f"Delete {folder} to export it again") from error
        self._threads: ThreadPoolExecutor | None = None
        self._threads_pid = os.getpid()
        self._threads_lock = threading.Lock()
        self.output_name = self.session.get_outputs()[0].name
        text = (folder / TOKENIZER_FILE).read_text(encoding="utf-8")
        # Two tokenizers: one counts word pieces of whole texts (no special tokens, no
        # truncation), one prepares model input (special tokens, cut at max_seq_length).
        self.counter = Tokenizer.from_str(text)
        self.counter.no_truncation()
        self.counter.no_padding()
        self.tokenizer = Tokenizer.from_str(text)
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=self.max_seq_length)

    def get_embedding_dimension(self) -> int:
        return self.dim

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(e.ids) for e in self.counter.encode_batch(list(texts),
                                                              add_special_tokens=False)]

    def encode(self, texts: Sequence[str], batch_size: int = RUN_BATCH) -> np.ndarray:
        """Unit-length float32 rows, in the order of `texts`."""
        strings = [str(t) for t in texts]
        encodings = self.tokenizer.encode_batch(strings)
        lengths = [len(e.ids) for e in encodings]
        # Longest first, in batches of similar length (as SentenceTransformer.encode does), so
        # little of each batch is padding; a few texts are still spread over every worker.
        size = max(1, min(batch_size, RUN_BATCH, -(-len(texts) // self.workers)))
        # Ties broken by the text, not its position: int8 activations are quantised per
        # batch, so a text's vector must not depend on where the caller put it.
        order = np.array(sorted(range(len(strings)), key=lambda i: (-lengths[i], strings[i])),
                         dtype=np.int64)
        batches = [order[start:start + size] for start in range(0, len(order), size)]
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)

        def run(rows: np.ndarray) -> None:
            vectors[rows] = self._run_batch([encodings[row] for row in rows])

        if len(batches) == 1 or self.workers == 1:
            for rows in batches:
                run(rows)
        else:
            list(self._executor().map(run, batches))  # list(): re-raises a worker's error
        return vectors

    def _run_batch(self, encodings: list[Any]) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.full((len(encodings), width), self.pad_id, dtype=np.int64)
        types = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for line, encoding in enumerate(encodings):
            size = len(encoding.ids)
            ids[line, :size] = encoding.ids
            types[line, :size] = encoding.type_ids
            mask[line, :size] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        hidden = self.session.run([self.output_name],
                                  {name: feeds[name] for name in self.input_names})[0]
        return _pool(hidden, mask, self.pooling)

    def _executor(self) -> ThreadPoolExecutor:
        with self._threads_lock:
            # A forked child inherits the pool object but not its threads: make its own.
            if self._threads is None or self._threads_pid != os.getpid():
                self._threads = ThreadPoolExecutor(self.workers, thread_name_prefix="onnx-embed")
                self._threads_pid = os.getpid()
            return self._threads


def _pool(hidden: np.ndarray, mask: np.ndarray, pooling: str) -> np.ndarray:
    """sentence-transformers' Pooling then Normalize, in numpy."""
    if pooling == "cls":
        pooled = hidden[:, 0, :]
    else:  # mean over the real tokens
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


# --- the cache ----------------------------------------------------------------------------


def load(name: str, location: str, precision: str = "int8",
         cache_dir: Path | str | None = None, threads: int | None = None,
         notice: Callable[[str], None] | None = None) -> OnnxModel:
    """The exported model for `location` from the cache, exporting it first when the cache has
    none, an outdated one, or a damaged one.

    A store's cache (`cache_dir`) is filled from the machine's cache (`default_cache_dir()`)
    when that holds an intact export of the same source model by the same recipe, so the
    export (torch, a minute on 2 cores) runs once per machine; each store still keeps its own
    copy and works without the machine's. `notice` hears a line before and after an export."""
    if precision not in PRECISIONS:
        raise EmbedderError(f"unknown ONNX precision {precision!r}; use int8 or fp32")
    folder = cache_folder(cache_dir, name, precision)
    source = Path(location)
    problem = _check_cache(folder, source, precision)
    if problem is None:
        return OnnxModel(folder, _read_info(folder), exported=False, threads=threads)
    shared = cache_folder(None, name, precision)
    shared_ok = shared != folder and _check_cache(shared, source, precision) is None
    with ExitStack() as held:
        try:
            # Someone else filling this cache (a `qa index`, perhaps stopped mid-update) must
            # not hold up a reader that can use the machine's copy as it is.
            held.enter_context(_export_lock(folder, wait=not shared_ok))
        except (EmbedderError, BlockingIOError):
            if shared_ok:  # a store the user may only read, or one being filled: use the
                return OnnxModel(shared, _read_info(shared), exported=False, threads=threads)
            raise
        # Another process may have exported it while we waited for the lock.
        problem = _check_cache(folder, source, precision)
        if problem is None:
            return OnnxModel(folder, _read_info(folder), exported=False, threads=threads)
        if shared_ok:
            try:
                _copy_export(shared, folder)
            except OSError as error:  # a read-only store, a full disk: read the machine's
                log.info("using the ONNX model in %s as it is (%s)", shared, error)
                return OnnxModel(shared, _read_info(shared), exported=False, threads=threads)
            if _check_cache(folder, source, precision) is None:
                return OnnxModel(folder, _read_info(folder), exported=False, threads=threads)
        if folder.exists():
            log.warning("re-exporting the ONNX model in %s: %s", folder, problem)
        say = notice or (lambda line: None)
        say(f"Exporting the embedding model {name} to ONNX {precision}: once, for this "
            "machine and this store (about a minute)")
        started = time.perf_counter()
        _export(name, source, precision, folder)
        say(f"Exported in {time.perf_counter() - started:.0f} s to {folder}")
        if shared != folder:
            _share(folder, shared, source, precision)
    return OnnxModel(folder, _read_info(folder), exported=True, threads=threads)


def _copy_export(origin: Path, folder: Path) -> None:
    """Copy an intact export into `folder` (a temp folder first, then one rename)."""
    work = Path(tempfile.mkdtemp(prefix=f".tmp-{folder.name}-", dir=folder.parent))
    try:
        for file in (MODEL_FILE, TOKENIZER_FILE, INFO_FILE):
            shutil.copyfile(origin / file, work / file)
            with open(work / file, "rb+") as handle:
                os.fsync(handle.fileno())
        _put_in_place(work, folder)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def _share(folder: Path, shared: Path, source: Path, precision: str) -> None:
    """Leave a copy of a fresh export in the machine's cache for the next store (best effort:
    a read-only home folder only means the next store exports again)."""
    try:
        with _export_lock(shared):
            if _check_cache(shared, source, precision) is not None:
                _copy_export(folder, shared)
    except (OSError, EmbedderError) as error:
        log.debug("could not share the ONNX export in %s: %s", shared, error)


def _put_in_place(work: Path, folder: Path) -> None:
    """Move a complete export folder to `folder`, replacing an old or damaged one: the old is
    moved aside first, so readers see the old or the new, never a mix."""
    if folder.exists():
        old = folder.parent / f".old-{folder.name}-{os.getpid()}"
        os.replace(folder, old)
        shutil.rmtree(old, ignore_errors=True)
    os.replace(work, folder)


def _read_info(folder: Path) -> dict:
    return json.loads((folder / INFO_FILE).read_text(encoding="utf-8"))


def _check_cache(folder: Path, source: Path, precision: str) -> str | None:
    """None when the cached export is complete, intact and made from this source model by
    this recipe; else why not."""
    if not (folder / INFO_FILE).is_file():
        return "no export yet" if not folder.exists() else "its export.json is missing"
    try:
        info = _read_info(folder)
        recipe_ok = (info.get("export_format") == EXPORT_FORMAT
                     and info.get("precision") == precision
                     and info.get("quantization") == (_quant_record() if precision == "int8"
                                                      else None))
        if not recipe_ok:
            return "it was made by another export recipe"
        if info.get("source_fingerprint") != source_fingerprint(source):
            # Sizes or times differ: compare contents (a copied venv keeps the same bytes).
            if info.get("source_sha256") != source_checksum(source):
                return "the source model has changed"
        for file, key in ((MODEL_FILE, "model_sha256"), (TOKENIZER_FILE, "tokenizer_sha256")):
            path = folder / file
            if not path.is_file():
                return f"{file} is missing"
            if path.stat().st_size != info.get(f"{key[:-7]}_bytes") or \
                    _sha256(path) != info.get(key):
                return f"{file} is damaged (its checksum does not match export.json)"
    except (OSError, ValueError, TypeError, AttributeError) as error:
        return f"its export.json cannot be read ({error})"
    return None


def _quant_record() -> dict:
    return {"weight_type": "QInt8", "per_channel": QUANT.per_channel,
            "reduce_range": QUANT.reduce_range}


@contextmanager
def _export_lock(folder: Path, wait: bool = True):
    """One exporter per cache folder at a time (the web chat and `qa index` may both start);
    `wait=False` raises BlockingIOError at once when another process holds it."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        handle = open(folder.parent / f".{folder.name}.lock", "a+")
    except OSError as error:
        raise EmbedderError(f"cannot write the ONNX model cache in {folder.parent} ({error}); "
                            "make the store folder writable, or use embed_backend = \"torch\"") \
            from error
    try:
        fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield
    finally:
        handle.close()


def _export(name: str, source: Path, precision: str, folder: Path) -> None:
    """Export, fuse, quantise and check the model into a temp folder, then move it into place."""
    started = time.perf_counter()
    fingerprint = source_fingerprint(source)
    checksum = source_checksum(source)
    try:
        work = Path(tempfile.mkdtemp(prefix=f".tmp-{folder.name}-", dir=folder.parent))
    except OSError as error:
        raise EmbedderError(f"cannot write the ONNX model cache in {folder.parent} ({error}); "
                            "make the store folder writable, or use embed_backend = \"torch\"") \
            from error
    try:
        details = _build(source, precision, work)
        info = {
            "export_format": EXPORT_FORMAT,
            "source_model": name,
            "source_location": str(source),
            "source_sha256": checksum,
            "source_fingerprint": fingerprint,
            "precision": precision,
            "quantization": _quant_record() if precision == "int8" else None,
            "opset": OPSET,
            **details,
            "model_sha256": _sha256(work / MODEL_FILE),
            "model_bytes": (work / MODEL_FILE).stat().st_size,
            "tokenizer_sha256": _sha256(work / TOKENIZER_FILE),
            "tokenizer_bytes": (work / TOKENIZER_FILE).stat().st_size,
            "export_seconds": round(time.perf_counter() - started, 1),
            "exported_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        (work / INFO_FILE).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        for file in (MODEL_FILE, TOKENIZER_FILE, INFO_FILE):
            with open(work / file, "rb+") as handle:
                os.fsync(handle.fileno())
        _put_in_place(work, folder)
    except BaseException as error:
        shutil.rmtree(work, ignore_errors=True)
        if isinstance(error, EmbedderError):
            raise
        if isinstance(error, OSError):
            raise EmbedderError(f"cannot write the ONNX model cache in {folder.parent} "
                                f"({error}); make the store folder writable, or use "
                                "embed_backend = \"torch\"") from error
        if isinstance(error, Exception):
            raise EmbedderError(f"exporting '{name}' to ONNX failed: {error}. Use "
                                "embed_backend = \"torch\" for this model") from error
        raise


def _build(source: Path, precision: str, work: Path) -> dict:
    """Write model.onnx and tokenizer.json into `work`; return what export.json records."""
    import onnx
    import onnxruntime
    import sentence_transformers
    import torch
    import transformers
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # no "Loading weights" bar in `qa index`
    # Eager attention: its graph is the pattern onnxruntime's optimizer fuses into one
    # Attention node (the SDPA graph is not fused). Both compute the same vectors.
    try:
        model = SentenceTransformer(str(source), device="cpu",
                                    model_kwargs={"attn_implementation": "eager"})
    except Exception as error:  # missing or damaged files, a bad config
        raise EmbedderError(f"could not load the embedding model from {source} to export it: "
                            f"{error}. Give a local sentence-transformers folder or an "
                            "installed model name (embed_model in newsdesk.toml or "
                            "QA_EMBED_MODEL)") from error
    modules = [type(m).__name__ for m in model]
    pooling_module = model[1] if len(model) > 1 else None
    pooling = getattr(pooling_module, "pooling_mode", None)
    if isinstance(pooling, (tuple, list)) and len(pooling) == 1:
        pooling = pooling[0]
    if (len(model) < 2 or modules[0] != "Transformer" or modules[1] != "Pooling"
            or pooling not in ("mean", "cls") or any(m != "Normalize" for m in modules[2:])):
        raise EmbedderError(f"the ONNX backend handles Transformer + mean or CLS pooling "
                            f"models; this one is {' + '.join(modules)} (pooling {pooling}). "
                            "Use embed_backend = \"torch\" for it")
    transformer = model[0].auto_model.eval()
    tokenizer = model.tokenizer
    config = transformer.config
    input_names = [n for n in ("input_ids", "attention_mask", "token_type_ids")
                   if n in tokenizer.model_input_names]

    class LastHidden(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            return self.inner(**dict(zip(input_names, inputs, strict=True))).last_hidden_state

    # A padded example, so no "every token is real" shortcut gets traced into the graph.
    example = tokenizer(["a short one", "a somewhat longer example sentence for tracing"],
                        padding=True, return_tensors="pt")
    plain = work / "plain.onnx"
    axes = {name: {0: "batch", 1: "sequence"} for name in input_names + ["last_hidden_state"]}
    # The tracer's warnings (legacy exporter, traced Python booleans, advanced indexing) are
    # about graphs unlike this one; the export is checked against the model below instead.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(LastHidden(transformer), tuple(example[n] for n in input_names),
                          str(plain), input_names=input_names,
                          output_names=["last_hidden_state"], dynamic_axes=axes,
                          opset_version=OPSET, do_constant_folding=True, dynamo=False)

    fused = work / "fused.onnx"
    fusion = _fuse(plain, fused, config)
    graph = fused if fusion else plain

    # The tokenizer exactly as transformers configured it, without its padding/truncation
    # (set at load time from max_seq_length).
    backend_tokenizer = tokenizer.backend_tokenizer
    backend_tokenizer.no_padding()
    backend_tokenizer.no_truncation()
    backend_tokenizer.save(str(work / TOKENIZER_FILE))

    details = {
        "modules": modules, "pooling": pooling, "max_seq_length": int(model.max_seq_length),
        "dim": int((getattr(model, "get_embedding_dimension", None)
                    or model.get_sentence_embedding_dimension)()), "input_names": input_names,
        "pad_id": int(tokenizer.pad_token_id or 0), "fused": fusion,
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__,
                     "sentence_transformers": sentence_transformers.__version__,
                     "onnx": onnx.__version__, "onnxruntime": onnxruntime.__version__},
    }
    reference = model.encode(list(PROBES), normalize_embeddings=True, convert_to_numpy=True)
    os.replace(graph, work / MODEL_FILE)
    fp32 = OnnxModel(work, {**details}, exported=True).encode(list(PROBES))
    details["probe_min_cosine_fp32"] = float(np.min(np.sum(fp32 * reference, axis=1)))
    if details["probe_min_cosine_fp32"] < FP32_MIN_COSINE:
        raise EmbedderError(f"the ONNX export does not reproduce the model (cosine "
                            f"{details['probe_min_cosine_fp32']:.5f}); use embed_backend = "
                            "\"torch\" for it")
    if precision == "int8":
        _quantize(work / MODEL_FILE, work / "int8.onnx")
        os.replace(work / "int8.onnx", work / MODEL_FILE)
        int8 = OnnxModel(work, {**details}, exported=True).encode(list(PROBES))
        details["probe_min_cosine_int8"] = float(np.min(np.sum(int8 * reference, axis=1)))
        if details["probe_min_cosine_int8"] < INT8_MIN_COSINE:
            raise EmbedderError(f"the int8 model is too far from the original (cosine "
                                f"{details['probe_min_cosine_int8']:.3f}); use embed_backend "
                                "= \"torch\" for this model")
    for leftover in (plain, fused, work / "int8.onnx"):
        leftover.unlink(missing_ok=True)
    return details


def _fuse(plain: Path, fused: Path, config: Any) -> bool:
    """onnxruntime's transformer fusions for BERT-like models; False when not applicable."""
    if getattr(config, "model_type", None) not in ("bert", "roberta", "distilbert", "xlm-roberta",
                                                   "mpnet", "electra"):
        return False
    from onnxruntime.transformers import optimizer

    try:
        optimized = optimizer.optimize_model(
            str(plain), model_type="bert", num_heads=int(config.num_attention_heads),
            hidden_size=int(config.hidden_size), opt_level=1)
        optimized.save_model_to_file(str(fused))
    except Exception as error:  # fusion is an optimisation: the plain graph still works
        log.warning("onnxruntime's fusions failed (%s); using the plain graph", error)
        return False
    return True


def _quantize(source: Path, target: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # quantize_dynamic logs a suggestion to pre-process the model (for static quantisation)
    # on the root logger; it is not for us, and users of `qa index` should not see it.
    def not_the_hint(record: logging.LogRecord) -> bool:
        return "pre-processing before quantization" not in record.getMessage()

    root = logging.getLogger()
    root.addFilter(not_the_hint)
    try:
        # Every op with weights, the embedding table too: keeping it in float was measured
        # no more accurate (mean cosine +0.0003) and makes the file 58 MB instead of 22 MB.
        quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8,
                         per_channel=QUANT.per_channel, reduce_range=QUANT.reduce_range,
                         # Fused nodes are in Microsoft's domain, whose outputs shape
                         # inference cannot type: they are float.
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    finally:
        root.removeFilter(not_the_hint)
