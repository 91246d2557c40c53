"""Ask the packaged SmolLM2 to answer hand-written questions from numbered evidence sentences,
the way the product drafts an answer: raw material for the hand-labelled drafts of the
faithfulness benchmark.

Why: the citation check must never let an unfaithful draft through, and the drafts it will
meet are the small model's own, with its own habits (recombined numbers, flipped directions,
invented detail). questions.jsonl holds the questions and the evidence sentences a person
picked for each (exact sentences of corpus/ and the BBC articles). This script writes the
model's raw drafts to drafts_raw.jsonl; a person split and labelled every draft sentence by
hand in drafts.jsonl. Temperature 0, so a rerun on the same llama.cpp build gives the same
text; the labelled file, not this script, is the benchmark.

    .venv/bin/python bench/faithfulness/make_drafts.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_paraphrases import model_path  # noqa: E402

SYSTEM = (
    "Answer the question in one or two short sentences, using only the numbered sources and "
    "their words. End each sentence with the number of its source in brackets, like [1]."
)
CORPUS_DATES = {"eu-china-summit-2023-12-07.md": "2023-12-07"}


def source_label(evidence: dict) -> str:
    """"(title, date)" for a corpus article; BBC records carry no date, so "(title, BBC News)"."""
    date = CORPUS_DATES.get(evidence["article"], "BBC News")
    return f"({evidence['title']}, {date})"


def prompt(record: dict) -> str:
    lines = ["Sources:"]
    lines += [f"[{e['n']}] {source_label(e)} {e['sentence']}" for e in record["evidence"]]
    lines += ["", f"Question: {record['question']}"]
    return "\n".join(lines)


def main() -> None:
    from llama_cpp import Llama

    llm = Llama(model_path=str(model_path()), n_ctx=1024, n_threads=2, verbose=False)
    questions = [json.loads(line) for line in (HERE / "questions.jsonl").open(encoding="utf-8")]
    with (HERE / "drafts_raw.jsonl").open("w", encoding="utf-8") as out:
        for record in questions:
            reply = llm.create_chat_completion(
                messages=[
                    {"role": "system", "content": SYSTEM},
                    {"role": "user", "content": prompt(record)},
                ],
                temperature=0,
                repeat_penalty=1.15,
                max_tokens=120,
                stop=["\n\n"],
            )
            draft = reply["choices"][0]["message"]["content"].strip()
            out.write(json.dumps(dict(record, prompt=prompt(record), draft=draft),
                                 ensure_ascii=False) + "\n")
            print(f"{record['id']}: {record['question']}\n  -> {draft}", flush=True)


if __name__ == "__main__":
    main()
