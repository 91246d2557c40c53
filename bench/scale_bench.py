"""Scale benchmark: the FAISS layer and BM25 at 100k and 1M chunks on one machine.

Generated data, measured against exact search in the same run (these machines are shared and
noisy, so the figures with goals are ratios and recalls, not absolute times):

- Real MiniLM vectors of a sample of real news chunks (BBC and MultiHop-RAG articles, chunked
  as the store chunks them) and of real questions (MultiHop-RAG dev queries).
- "embedding-like" vectors for the rest: each is a real chunk vector plus Gaussian noise shaped
  like the real vectors' own spread (a kernel density estimate of the real sample), so the
  store has the clustered structure of real embeddings; the real chunk vectors are in it too.
- "uniform" vectors: random unit vectors, the issue's literal recipe and the worst case for any
  approximate index (no structure: every neighbour is almost as far as every other).

For each size it builds the exact index the store uses below the threshold (IDMap2 + flat) and
the approximate one above it (IVF, as `VectorIndex.build_ivf` builds it), and reports build
time, bytes per chunk, single-query p50/p95 at 2 threads, and recall@10 against exact search;
also nprobe sweeps, filtered search, deletes, IVF with 8-bit codes, and HNSW (at 100k).
Then BM25 at each size: a full build from stored tokens, an incremental update (the store keeps
term counts, so only new chunks are counted), and bm25s indexing every chunk (the old way).

    python bench/scale_bench.py                         # 100k and 1M (about 15-20 min)
    python bench/scale_bench.py --sizes 20000 --real 300 --queries 50   # a quick check
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import faiss  # noqa: E402
import numpy as np  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from shared_data import DATA  # noqa: E402

from index import Embedder, chunk_article, read_paths  # noqa: E402
from index.lexical import LexicalIndex  # noqa: E402
from index.vectors import VectorIndex, ivf_nlist  # noqa: E402
from index.versions import file_digest  # noqa: E402

CORPORA = [DATA / "bbc-news" / "articles.jsonl", DATA / "multihop-rag" / "evidence_corpus.jsonl"]
QUESTIONS = DATA / "multihop-rag" / "dev_queries.jsonl"
DEFAULT_OUT = REPO / "bench" / "results" / "scale_bench.json"
GOALS = {"recall": 0.95, "p50_ms_1m": 20.0}
THREADS = 2
K = 10
NPROBE = 32  # the store's default (VectorSettings.ann_nprobe)
SWEEP = (8, 16, 32, 64, 128)
BANDWIDTH = 1.0  # noise scale of the embedding-like vectors, in units of the real spread


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def unit(rows: np.ndarray) -> np.ndarray:
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return rows


# --- data ------------------------------------------------------------------------------------

def real_sample(count: int, questions: int, seed: int, backend: str) -> dict:
    """Real MiniLM vectors: `count` chunks of real articles, and `questions` real questions."""
    embedder = Embedder(backend=backend)
    articles = read_paths(CORPORA).articles
    random.Random(seed).shuffle(articles)
    texts: list[str] = []
    for article in articles:
        texts.extend(d.embed_text for d in
                     chunk_article(article, embedder.count_tokens, embedder.max_tokens))
        if len(texts) >= count:
            break
    texts = texts[:count]
    asked = [json.loads(line)["query"] for line in
             QUESTIONS.read_text(encoding="utf-8").splitlines()][:questions]
    embedder.encode(["warm up"] * 4)
    started = time.perf_counter()
    chunks = embedder.encode(texts)
    seconds = time.perf_counter() - started
    return {"chunks": chunks, "questions": embedder.encode(asked), "embed_s": seconds,
            "chunks_per_s": len(texts) / seconds, "backend": backend}


def embedding_like(count: int, real: np.ndarray, seed: int) -> np.ndarray:
    """The real vectors first, then real vectors plus noise shaped like the real spread."""
    rng = np.random.default_rng(seed)
    centre = real.mean(axis=0)
    values, axes = np.linalg.eigh(np.cov((real - centre).T))
    shape = (axes * np.sqrt(np.clip(values, 0, None))).astype(np.float32)
    out = np.empty((count, real.shape[1]), dtype=np.float32)
    first = min(count, len(real))
    out[:first] = real[:first]
    for start in range(first, count, 100_000):
        rows = min(100_000, count - start)
        noise = rng.standard_normal((rows, real.shape[1]), dtype=np.float32) @ shape.T
        out[start:start + rows] = unit(real[rng.integers(0, len(real), rows)] +
                                       BANDWIDTH * noise)
    return out


def uniform(count: int, dim: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.empty((count, dim), dtype=np.float32)
    for start in range(0, count, 100_000):
        rows = min(100_000, count - start)
        out[start:start + rows] = unit(rng.standard_normal((rows, dim), dtype=np.float32))
    return out


# --- measuring -------------------------------------------------------------------------------

def latencies(search, queries: np.ndarray) -> dict:
    times = []
    for row in queries:
        started = time.perf_counter()
        search(row[None, :])
        times.append(time.perf_counter() - started)
    times_ms = np.array(times) * 1000
    return {"p50_ms": float(np.percentile(times_ms, 50)),
            "p95_ms": float(np.percentile(times_ms, 95)), "queries": len(queries)}


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    hits = [len(set(f[f >= 0].tolist()) & set(t[t >= 0].tolist())) / max(1, (t >= 0).sum())
            for f, t in zip(found, truth, strict=False)]
    return float(np.mean(hits))


def saved_size(index, folder: Path) -> tuple[int, float, float]:
    """Bytes on disk, seconds to save (+fsync), seconds to hash it as a manifest does."""
    path = folder / "index.faiss"
    started = time.perf_counter()
    if isinstance(index, VectorIndex):
        index.save(path)
    else:
        faiss.write_index(index, str(path))
    save_s = time.perf_counter() - started
    started = time.perf_counter()
    file_digest(path)
    hash_s = time.perf_counter() - started
    size = path.stat().st_size
    path.unlink()
    return size, save_s, hash_s


def measure_dataset(name: str, vectors: np.ndarray, query_sets: dict[str, np.ndarray],
                    exact_queries: int, work: Path, with_sq8: bool, with_hnsw: bool,
                    console: Console) -> dict:
    count, dim = vectors.shape
    ids = np.arange(1, count + 1, dtype=np.int64) * 7 + 1_000  # sparse, like real chunk ids
    result: dict = {"dataset": name, "chunks": count, "dim": dim}

    # Exact: what the store uses below the threshold (IDMap2 over a flat inner-product index).
    console.log(f"{name} {count:,}: exact index")
    before = rss_mb()
    started = time.perf_counter()
    flat = VectorIndex.create(dim)
    flat.add(ids, vectors)
    build_s = time.perf_counter() - started
    size, save_s, hash_s = saved_size(flat, work)
    result["exact"] = {"build_s": build_s, "bytes_per_chunk": size / count,
                       "rss_bytes_per_chunk": (rss_mb() - before) * 1e6 / count,
                       "save_s": save_s, "hash_s": hash_s}
    truth = {}
    for label, queries in query_sets.items():
        started = time.perf_counter()
        truth[label] = flat.search(queries, K)[1]
        result["exact"][f"batch_{label}_s"] = time.perf_counter() - started
    first_set = next(iter(query_sets.values()))
    result["exact"].update(latencies(lambda q: flat.search(q, K), first_set[:exact_queries]))

    # Filtered exact baselines: 10% and 1% of the store allowed.
    rng = np.random.default_rng(11)
    allowed = {share: np.sort(rng.choice(ids, max(K, int(count * share)), replace=False))
               for share in (0.10, 0.01)}
    filtered_truth = {share: flat.search(first_set, K, subset)[1]
                      for share, subset in allowed.items()}
    filtered_exact = {share: latencies(lambda q, s=subset: flat.search(q, K, s),
                                       first_set[:exact_queries])
                      for share, subset in allowed.items()}
    # Deleting one article (10 chunks) and adding it back under new ids.
    started = time.perf_counter()
    flat.remove(ids[5_000:5_010])
    flat.add(ids[5_000:5_010] + 3, vectors[5_000:5_010])
    result["exact"]["replace_10_ms"] = (time.perf_counter() - started) * 1000
    flat = None  # free it before the next index is built
    gc.collect()

    # Approximate: IVF as the store builds it past the threshold.
    console.log(f"{name} {count:,}: IVF index")
    before = rss_mb()
    started = time.perf_counter()
    ivf = VectorIndex.build_ivf(ids, vectors, nprobe=NPROBE)
    build_s = time.perf_counter() - started
    size, save_s, hash_s = saved_size(ivf, work)
    entry = {"nlist": ivf.nlist, "nprobe": ivf.nprobe, "build_s": build_s,
             "bytes_per_chunk": size / count,
             "rss_bytes_per_chunk": (rss_mb() - before) * 1e6 / count,
             "save_s": save_s, "hash_s": hash_s}
    for label, queries in query_sets.items():
        entry[f"recall_{label}"] = recall(ivf.search(queries, K)[1], truth[label])
    entry.update(latencies(lambda q: ivf.search(q, K), first_set))
    entry["sweep"] = []
    raw = ivf._index
    for nprobe in SWEEP:
        if nprobe > ivf.nlist:
            continue
        raw.nprobe = nprobe
        point = {"nprobe": nprobe, **latencies(lambda q: raw.search(q, K), first_set)}
        for label, queries in query_sets.items():
            point[f"recall_{label}"] = recall(raw.search(queries, K)[1], truth[label])
        entry["sweep"].append(point)
    raw.nprobe = NPROBE
    entry["filtered"] = []
    for share, subset in allowed.items():
        found = ivf.search(first_set, K, subset)[1]
        entry["filtered"].append({
            "share": share, "allowed": len(subset),
            "nprobe": min(ivf.nlist, max(NPROBE, int(np.ceil(NPROBE / share)))),
            "recall": recall(found, filtered_truth[share]),
            **latencies(lambda q, s=subset: ivf.search(q, K, s), first_set),
            "exact_p50_ms": filtered_exact[share]["p50_ms"]})
    started = time.perf_counter()
    ivf.remove(ids[5_000:5_010])
    ivf.add(ids[5_000:5_010] + 3, vectors[5_000:5_010])
    entry["replace_10_ms"] = (time.perf_counter() - started) * 1000
    result["ivf"] = entry
    ivf = raw = None
    gc.collect()

    if with_sq8:  # the same lists with 8-bit codes: a quarter of the memory
        console.log(f"{name} {count:,}: IVF + SQ8")
        nlist = ivf_nlist(count)
        started = time.perf_counter()
        sq8 = faiss.index_factory(dim, f"IVF{nlist},SQ8", faiss.METRIC_INNER_PRODUCT)
        sq8.cp.max_points_per_centroid = 64
        sample = np.random.default_rng(1234).choice(count, min(count, 64 * nlist),
                                                    replace=False)
        sq8.train(vectors[sample])
        sq8.add_with_ids(vectors, ids)
        build_s = time.perf_counter() - started
        sq8.nprobe = NPROBE
        size, _, _ = saved_size(sq8, work)
        entry = {"nlist": nlist, "nprobe": NPROBE, "build_s": build_s,
                 "bytes_per_chunk": size / count}
        for label, queries in query_sets.items():
            entry[f"recall_{label}"] = recall(sq8.search(queries, K)[1], truth[label])
        entry.update(latencies(lambda q: sq8.search(q, K), first_set))
        result["ivf_sq8"] = entry
        del sq8
        gc.collect()

    if with_hnsw:  # measured for the choice; FAISS's HNSW cannot remove ids
        console.log(f"{name} {count:,}: HNSW")
        started = time.perf_counter()
        hnsw = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = 40
        hnsw.add(vectors)
        build_s = time.perf_counter() - started
        size, _, _ = saved_size(hnsw, work)
        entry = {"M": 32, "efConstruction": 40, "build_s": build_s,
                 "bytes_per_chunk": size / count, "sweep": []}
        for ef in (32, 64, 128):
            hnsw.hnsw.efSearch = ef
            point = {"efSearch": ef, **latencies(lambda q: hnsw.search(q, K), first_set)}
            for label, queries in query_sets.items():
                point[f"recall_{label}"] = recall(ids[hnsw.search(queries, K)[1]],
                                                  truth[label])
            entry["sweep"].append(point)
        result["hnsw"] = entry
        del hnsw
        gc.collect()
    return result


# --- BM25 ------------------------------------------------------------------------------------

def generated_tokens(count: int, seed: int, vocabulary: int = 60_000) -> list[list[str]]:
    """Token lists of generated chunks: Zipf-distributed stems, 40-140 tokens a chunk (what a
    256-word-piece chunk leaves after stop words)."""
    rng = np.random.default_rng(seed)
    words = np.array([f"w{i}" for i in range(vocabulary)], dtype=object)
    ranks = np.arange(1, vocabulary + 1)
    weights = 1.0 / ranks ** 1.07
    weights /= weights.sum()
    lengths = rng.integers(40, 141, count)
    flat = words[rng.choice(vocabulary, int(lengths.sum()), p=weights)]
    out, start = [], 0
    for length in lengths:
        out.append(flat[start:start + length].tolist())
        start += length
    return out


def measure_bm25(count: int, seed: int, work: Path, console: Console,
                 bm25s_limit: int = 100_000) -> dict:
    console.log(f"BM25 {count:,}: generating tokens")
    tokens = generated_tokens(count, seed)
    ids = np.arange(1, count + 1, dtype=np.int64)
    database = work / "tokens.sqlite"
    connection = sqlite3.connect(database)
    connection.execute("CREATE TABLE chunks (chunk_id INTEGER PRIMARY KEY, tokens TEXT)")
    connection.executemany("INSERT INTO chunks VALUES (?, ?)",
                           ((int(i), " ".join(t)) for i, t in zip(ids, tokens, strict=False)))
    connection.commit()
    del tokens
    gc.collect()
    console.log(f"BM25 {count:,}: rebuild from stored tokens")
    before = rss_mb()
    started = time.perf_counter()
    rows = connection.execute("SELECT chunk_id, tokens FROM chunks ORDER BY chunk_id").fetchall()
    token_lists = [row[1].split() for row in rows]
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    lexical = LexicalIndex.build([row[0] for row in rows], token_lists)
    index_s = time.perf_counter() - started
    rss = rss_mb() - before
    started = time.perf_counter()
    lexical.save(work / "lexical")
    save_s = time.perf_counter() - started
    size = sum(p.stat().st_size for p in (work / "lexical").iterdir())
    connection.close()
    query_tokens = [" ".join(t[:4]) for t in token_lists[:50]]
    times = []
    for query in query_tokens:
        started = time.perf_counter()
        lexical._model.get_scores(query.split())
        times.append((time.perf_counter() - started) * 1000)
    # What an update does now: load the previous version's term counts, drop one article's
    # chunks (10), count only the new article's tokens, recompute the scores, save.
    console.log(f"BM25 {count:,}: incremental update (replace one article of 10 chunks)")
    started = time.perf_counter()
    row_ids, counts = LexicalIndex.load_counts(work / "lexical")
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    updated = LexicalIndex.updated(row_ids, counts, ids[5_000:5_010].tolist(),
                                   (ids[-10:] + count).tolist(), token_lists[5_000:5_010])
    update_s = time.perf_counter() - started
    started = time.perf_counter()
    updated.save(work / "lexical-next")
    update_save_s = time.perf_counter() - started
    same = np.allclose(updated._model.get_scores(query_tokens[0].split())[:5_000],
                       lexical._model.get_scores(query_tokens[0].split())[:5_000], atol=1e-4)
    del updated, counts
    # The baseline: bm25s indexing every chunk itself, as each update did before term counts
    # were kept (at 1M chunks it takes minutes, so only where asked).
    bm25s_s = None
    if count <= bm25s_limit:
        console.log(f"BM25 {count:,}: bm25s.BM25.index of every chunk (the old way)")
        import bm25s

        started = time.perf_counter()
        bm25s.BM25().index(token_lists, show_progress=False)
        bm25s_s = time.perf_counter() - started
    shutil.rmtree(work / "lexical", ignore_errors=True)
    shutil.rmtree(work / "lexical-next", ignore_errors=True)
    database.unlink()
    return {"chunks": count, "read_tokens_s": read_s, "index_s": index_s, "save_s": save_s,
            "rebuild_s": read_s + index_s + save_s, "bytes_per_chunk": size / count,
            "rss_mb": rss, "query_p50_ms": float(np.percentile(times, 50)),
            "query_p95_ms": float(np.percentile(times, 95)),
            "update_load_s": load_s, "update_s": update_s, "update_save_s": update_save_s,
            "update_total_s": load_s + update_s + update_save_s,
            "update_scores_unchanged_elsewhere": bool(same), "bm25s_index_s": bm25s_s}


# --- the run ---------------------------------------------------------------------------------

def run(args, console: Console) -> dict:
    faiss.omp_set_num_threads(THREADS)
    work = Path(tempfile.mkdtemp(prefix="scale-bench-"))
    results: dict = {"sizes": args.sizes, "threads": THREADS, "k": K, "cpus": os.cpu_count(),
                     "python": platform.python_version(), "faiss": faiss.__version__,
                     "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                     "load_avg_start": os.getloadavg(), "datasets": [], "bm25": []}
    try:
        console.log(f"embedding {args.real:,} real chunks and {args.queries} questions")
        real = real_sample(args.real + args.queries, args.queries, args.seed,
                           args.embed_backend)
        held_out = real["chunks"][args.real:]  # real chunks not in the store: queries too
        anchors = real["chunks"][:args.real]
        results["real"] = {"chunks": args.real, "questions": len(real["questions"]),
                           "embed_s": real["embed_s"], "chunks_per_s": real["chunks_per_s"],
                           "embed_backend": real["backend"]}
        for size in args.sizes:
            if args.no_dense:
                if not args.no_bm25:
                    results["bm25"].append(measure_bm25(size, args.seed, work, console,
                                                        args.bm25s_limit))
                continue
            vectors = embedding_like(size, anchors, args.seed)
            sets = {"questions": real["questions"], "chunks": held_out}
            results["datasets"].append(measure_dataset(
                "embedding-like", vectors, sets, args.exact_queries, work, not args.no_sq8,
                size in args.hnsw_sizes, console))
            del vectors
            gc.collect()
            if size in args.uniform_sizes:
                vectors = uniform(size, anchors.shape[1], args.seed + 1)
                rng = np.random.default_rng(args.seed + 2)
                sets = {"random": unit(rng.standard_normal((args.queries, anchors.shape[1]),
                                                           dtype=np.float32))}
                results["datasets"].append(measure_dataset(
                    "uniform", vectors, sets, args.exact_queries, work, False,
                    size in args.hnsw_sizes, console))
                del vectors
                gc.collect()
            if not args.no_bm25:
                results["bm25"].append(measure_bm25(size, args.seed, work, console,
                                                    args.bm25s_limit))
        results["peak_rss_mb"] = peak_rss_mb()
        results["load_avg_end"] = os.getloadavg()
        results["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return results


def show(results: dict, out: Path, console: Console) -> None:
    ok = "[green]ok[/green]"
    miss = "[red]miss[/red]"
    table = Table(title=f"Dense search: exact vs approximate (IVF), k={K}, single queries at "
                        f"{results['threads']} threads; recall@10 against exact search")
    for column in ("data", "chunks", "index", "build s", "bytes/chunk", "p50 ms", "p95 ms",
                   "speed-up p50", "recall: questions", "recall: chunks / random"):
        table.add_column(column, justify="right" if column not in ("data", "index") else "left")
    for data in results["datasets"]:
        exact = data["exact"]
        table.add_row(data["dataset"], f"{data['chunks']:,}", "exact (flat)",
                      f"{exact['build_s']:.1f}", f"{exact['bytes_per_chunk']:.0f}",
                      f"{exact['p50_ms']:.1f}", f"{exact['p95_ms']:.1f}", "1.0", "1.000",
                      "1.000")
        for key, name in (("ivf", "IVF{nlist},Flat np={nprobe}"),
                          ("ivf_sq8", "IVF{nlist},SQ8 np={nprobe}")):
            if key not in data:
                continue
            entry = data[key]
            goal = ""
            if data["dataset"] == "embedding-like" and key == "ivf":
                met = entry["recall_questions"] >= GOALS["recall"] and (
                    data["chunks"] < 1_000_000 or entry["p50_ms"] < GOALS["p50_ms_1m"])
                goal = " " + (ok if met else miss)
            recall_q = entry.get("recall_questions", entry.get("recall_random"))
            table.add_row(
                "", "", name.format(**entry), f"{entry['build_s']:.1f}",
                f"{entry['bytes_per_chunk']:.0f}", f"{entry['p50_ms']:.2f}",
                f"{entry['p95_ms']:.2f}", f"{exact['p50_ms'] / entry['p50_ms']:.0f}x",
                f"{recall_q:.3f}{goal}",
                f"{entry.get('recall_chunks', entry.get('recall_random')):.3f}")
        if "hnsw" in data:
            for point in data["hnsw"]["sweep"]:
                recall_q = point.get("recall_questions", point.get("recall_random"))
                table.add_row("", "", f"HNSW32 ef={point['efSearch']}",
                              f"{data['hnsw']['build_s']:.1f}",
                              f"{data['hnsw']['bytes_per_chunk']:.0f}",
                              f"{point['p50_ms']:.2f}", f"{point['p95_ms']:.2f}",
                              f"{exact['p50_ms'] / point['p50_ms']:.0f}x", f"{recall_q:.3f}",
                              f"{point.get('recall_chunks', recall_q):.3f}")
    console.print(table)

    sweep = Table(title="IVF nprobe sweep (recall@10 against exact search; p50 ms)")
    for column in ("data", "chunks", "nlist", "nprobe", "p50 ms", "p95 ms", "recall: questions",
                   "recall: chunks / random"):
        sweep.add_column(column, justify="right" if column != "data" else "left")
    for data in results["datasets"]:
        for point in data["ivf"]["sweep"]:
            first = point.get("recall_questions", point.get("recall_random"))
            sweep.add_row(data["dataset"], f"{data['chunks']:,}", str(data["ivf"]["nlist"]),
                          str(point["nprobe"]), f"{point['p50_ms']:.2f}",
                          f"{point['p95_ms']:.2f}", f"{first:.3f}",
                          f"{point.get('recall_chunks', first):.3f}")
    console.print(sweep)

    upkeep = Table(title="Filters, deletes and per-update costs (IVF against exact, same run)")
    for column in ("data", "chunks", "measure", "exact", "IVF"):
        upkeep.add_column(column, justify="right" if column not in ("data", "measure")
                          else "left")
    for data in results["datasets"]:
        exact, ivf = data["exact"], data["ivf"]
        name, size = data["dataset"], f"{data['chunks']:,}"
        for entry in ivf["filtered"]:
            upkeep.add_row(name, size, f"filter {entry['share']:.0%} allowed, p50 ms "
                           f"(nprobe {entry['nprobe']}; recall {entry['recall']:.3f})",
                           f"{entry['exact_p50_ms']:.1f}", f"{entry['p50_ms']:.2f}")
        upkeep.add_row(name, size, "replace one article (10 chunks), ms",
                       f"{exact['replace_10_ms']:.1f}", f"{ivf['replace_10_ms']:.1f}")
        upkeep.add_row(name, size, "save the index (+fsync), s", f"{exact['save_s']:.2f}",
                       f"{ivf['save_s']:.2f}")
        upkeep.add_row(name, size, "SHA-256 of the index file (manifest), s",
                       f"{exact['hash_s']:.2f}", f"{ivf['hash_s']:.2f}")
    console.print(upkeep)

    if results["bm25"]:
        rate = results["real"]["chunks_per_s"]
        bm25 = Table(title="BM25: a full build from stored tokens, an incremental update "
                           "(one article of 10 chunks replaced) and bm25s indexing every chunk "
                           "(the old update); % against a full build's embedding time at "
                           f"{rate:.1f} chunks/s (measured above)")
        for column in ("chunks", "full build s", "bytes/chunk", "query p50 ms",
                       "update s (load + score + save)", "update as % of full build",
                       "bm25s.index s", "scores kept"):
            bm25.add_column(column, justify="right")
        for entry in results["bm25"]:
            full = entry["chunks"] / rate
            baseline = entry.get("bm25s_index_s")
            bm25.add_row(f"{entry['chunks']:,}", f"{entry['rebuild_s']:.1f}",
                         f"{entry['bytes_per_chunk']:.0f}", f"{entry['query_p50_ms']:.1f}",
                         f"{entry['update_total_s']:.1f} ({entry['update_load_s']:.1f} + "
                         f"{entry['update_s']:.1f} + {entry['update_save_s']:.1f})",
                         f"{100 * entry['update_total_s'] / full:.3f} %",
                         "-" if baseline is None else f"{baseline:.1f}",
                         "yes" if entry["update_scores_unchanged_elsewhere"] else "NO")
        console.print(bm25)
    real = results["real"]
    console.print(f"real sample: {real['chunks']:,} chunks embedded at "
                  f"{real['chunks_per_s']:.1f} chunks/s ({real['embed_backend']}); "
                  f"load average {results['load_avg_start'][0]:.1f} at start, "
                  f"{results['load_avg_end'][0]:.1f} at end on {results['cpus']} CPUs; "
                  f"peak RSS {results['peak_rss_mb']:.0f} MB; JSON written to {out}")


def _sizes(text: str) -> list[int]:
    return [int(float(part)) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=_sizes, default=[100_000, 1_000_000],
                        help="store sizes in chunks, comma-separated (default 100000,1000000)")
    parser.add_argument("--real", type=int, default=1000,
                        help="real chunks embedded with MiniLM (default 1000)")
    parser.add_argument("--queries", type=int, default=200,
                        help="real questions, and held-out real chunks, used as queries")
    parser.add_argument("--exact-queries", type=int, default=40,
                        help="queries timed one by one on exact search (it is slow at 1M)")
    parser.add_argument("--uniform-sizes", type=_sizes, default=[100_000],
                        help="sizes also measured on uniform random vectors (default 100000)")
    parser.add_argument("--hnsw-sizes", type=_sizes, default=[100_000],
                        help="sizes at which HNSW is measured too (default 100000)")
    parser.add_argument("--no-sq8", action="store_true", help="skip IVF with 8-bit codes")
    parser.add_argument("--no-bm25", action="store_true", help="skip the BM25 measurements")
    parser.add_argument("--no-dense", action="store_true", help="only the BM25 measurements")
    parser.add_argument("--bm25s-limit", type=int, default=100_000,
                        help="largest size at which bm25s's own indexing is timed (slow)")
    parser.add_argument("--embed-backend", default="torch",
                        help="embedder backend for the real sample (default torch)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    console = Console(width=max(Console().width, 150))
    results = run(args, console)
    show(results, args.out, console)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
