"""Build bench/faithfulness/claims.jsonl: faithful and corrupted claims made from real sentences.

Why: the citation check must reject a sentence that recombines a source's own words (another
number, the opposite direction, a dropped negation, another speaker, two sentences crossed) and
accept one that only restates it. This script makes such claims from the seed article in
corpus/ and a fixed sample of BBC articles, with edits that are about English (a lexicon of
opposite words, negation of auxiliaries, number slots, "X said" slots), not about these articles.

Every generated candidate was read by a person; the decisions (keep, drop with a reason, or a
hand fix) live in review.json beside this file and are applied here, so the output is
reproducible: `python bench/faithfulness/make_claims.py` rewrites claims.jsonl byte for byte.
`--candidates` writes candidates.jsonl (everything before review) for a new reading.
The model paraphrases (make_paraphrases.py, labelled by hand in paraphrases.jsonl) and one
hand-written record (the Cairn example of issue 15) are appended as they are.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from shared_data import DATA  # noqa: E402

REPO = HERE.parents[1]
CORPUS = REPO / "corpus"
BBC = DATA / "bbc-news" / "articles.jsonl"
SEED = 15
PER_CATEGORY = 60
QUOTA = {  # candidates per kind, read and then kept or dropped
    "crossed": 60,
    "actor": 70,
    "negation": 50,
    "direction": 50,
    "number": 50,
    "clause": 55,
    "sentence": 50,
}
PER_ARTICLE = {"crossed": 2}  # candidates of one kind from one BBC article (default 1)
SEED_ARTICLE_CAP = 4  # candidates of one kind taken from the seed article first
LABEL = {
    "sentence": "faithful",
    "clause": "faithful",
    "paraphrase": "faithful",
    "number": "unfaithful",
    "direction": "unfaithful",
    "negation": "unfaithful",
    "actor": "unfaithful",
    "crossed": "unfaithful",
    "model_unfaithful": "unfaithful",
}

# ---------------------------------------------------------------- articles and sentences


def load_articles() -> list[dict]:
    """The seed article(s) of corpus/ and PER_CATEGORY BBC articles of each category."""
    articles = []
    for path in sorted(CORPUS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        title = path.stem
        if text.startswith("---"):
            front, _, text = text[3:].partition("\n---")
            found = re.search(r'^title:\s*"?(.*?)"?\s*$', front, re.M)
            if found:
                title = found.group(1)
        articles.append({"article": path.name, "title": title, "body": text.strip()})
    by_category: dict[str, list[dict]] = {}
    with BBC.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            by_category.setdefault(record["category"], []).append(record)
    rng = random.Random(SEED)
    seen_bodies: set[str] = set()
    for category in sorted(by_category):
        records = []
        for record in sorted(by_category[category], key=lambda r: r["id"]):
            if record["body"] not in seen_bodies:  # the BBC set repeats some articles
                seen_bodies.add(record["body"])
                records.append(record)
        for record in sorted(rng.sample(records, PER_CATEGORY), key=lambda r: r["id"]):
            articles.append(
                {"article": record["id"], "title": record["title"], "body": record["body"]}
            )
    return articles


ABBREVIATIONS = {
    "Mr", "Mrs", "Ms", "Dr", "St", "No", "Jr", "Sr", "Inc", "Co", "Ltd", "vs", "v", "Gen",
    "Prof", "Rev", "Sen", "Gov", "Lt", "Col", "Jan", "Feb", "Aug", "Sept", "Oct", "Nov", "Dec",
    "e.g", "i.e", "etc", "Corp",
}
BOUNDARY = re.compile(r"""[.!?]['"\u201d\u2019)]*\s+(?=['"\u201c\u2018(]?[A-Z0-9])""")


def split_sentences(body: str) -> list[str]:
    """Sentences of a body: paragraphs split at end punctuation followed by a capital or digit,
    except after a known abbreviation or an initialism such as U.N."""
    sentences = []
    for paragraph in re.split(r"\n\s*\n|\n", body):
        paragraph = " ".join(paragraph.split())
        start = 0
        for match in BOUNDARY.finditer(paragraph):
            before = paragraph[start : match.start() + 1]
            last_word = re.search(r"([\w.]+)\.$", before)
            if last_word and (
                last_word.group(1) in ABBREVIATIONS
                or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]?", last_word.group(1))
            ):
                continue
            sentences.append(paragraph[start : match.end()].strip())
            start = match.end()
        if paragraph[start:].strip():
            sentences.append(paragraph[start:].strip())
    return sentences


def quotes_balanced(sentence: str) -> bool:
    return sentence.count('"') % 2 == 0 and sentence.count("\u201c") == sentence.count("\u201d")


def usable(sentence: str) -> bool:
    """A whole, declarative sentence of a sensible length."""
    words = sentence.split()
    return (
        8 <= len(words) <= 45
        and quotes_balanced(sentence)
        and sentence[-1] in '."\u201d'
        and "?" not in sentence
        and sentence[0].isupper()
    )


# ---------------------------------------------------------------- small English helpers

SAY_VERBS = r"(?:said|says|told|added|announced|warned|insisted|claimed|argued|stressed|noted)"


def cap_like(original: str, replacement: str) -> str:
    """The replacement with the original word's leading capital."""
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


IRREGULAR_PAST = {
    "rose": "rise", "fell": "fall", "won": "win", "lost": "lose", "said": "say", "made": "make",
    "took": "take", "gave": "give", "saw": "see", "came": "come", "went": "go",
    "became": "become", "held": "hold", "left": "leave", "told": "tell", "grew": "grow",
    "found": "find", "kept": "keep", "brought": "bring", "bought": "buy", "sold": "sell",
    "paid": "pay", "met": "meet", "led": "lead", "ran": "run", "began": "begin",
    "wrote": "write", "spent": "spend", "built": "build", "thought": "think", "knew": "know",
    "got": "get", "chose": "choose", "drew": "draw", "threw": "throw", "struck": "strike",
    "felt": "feel", "heard": "hear", "meant": "mean", "sent": "send", "stood": "stand",
    "understood": "understand", "won't": "will", "shut": "shut", "beat": "beat", "hit": "hit",
    "set": "set", "cut": "cut", "put": "put", "quit": "quit", "let": "let", "fought": "fight",
    "sought": "seek", "taught": "teach", "caught": "catch", "rang": "ring", "sang": "sing",
    "swam": "swim", "drove": "drive", "rode": "ride", "spoke": "speak", "broke": "break",
    "froze": "freeze", "stole": "steal", "wore": "wear", "tore": "tear", "flew": "fly",
    "forgot": "forget", "forgave": "forgive", "hid": "hide", "bit": "bite", "shot": "shoot",
    "slid": "slide", "spun": "spin", "stuck": "stick", "swung": "swing", "dealt": "deal",
    "lent": "lend", "bent": "bend", "fed": "feed", "fled": "flee", "laid": "lay",
}
BASE_TO_PAST = {base: past for past, base in IRREGULAR_PAST.items()}
BASE_TO_PAST.update({"be": "was", "have": "had", "do": "did"})


E_FINAL = {"announced", "agreed", "decided", "approved", "received", "raised", "completed",
           "increased", "decreased", "reported", "continued", "hoped", "faced", "argued",
           "believed", "closed", "cited", "declined", "estimated", "forced",
           "hired", "lodged", "managed", "merged", "noted", "placed", "promised", "refused",
           "released", "retired", "secured", "served", "used", "urged", "voted"}


def regular_base(past: str) -> str | None:
    """The base form of a regular past tense (confirmed -> confirm, agreed -> agree)."""
    if not past.endswith("ed"):
        return None
    if past in E_FINAL:
        return past[:-1]
    if past.endswith("ied"):
        return past[:-3] + "y"
    stem = past[:-2]
    if len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in "lsfz":
        return stem[:-1]  # stopped -> stop (but called -> call, passed -> pass)
    return stem


def third_person(base: str) -> str:
    if base in ("be",):
        return "is"
    if base == "have":
        return "has"
    if re.search(r"(?:s|sh|ch|x|z|o)$", base):
        return base + "es"
    if re.search(r"[^aeiou]y$", base):
        return base[:-1] + "ies"
    return base + "s"


def past_of(base: str) -> str:
    if base in BASE_TO_PAST:
        return BASE_TO_PAST[base]
    if base.endswith("e"):
        return base + "d"
    if re.search(r"[^aeiou]y$", base):
        return base[:-1] + "ied"
    return base + "ed"


# ---------------------------------------------------------------- numbers and dates

NUMBER = re.compile(
    r"(?<![\w.,$£€])(?P<cur>[$£€])?(?P<val>\d{1,3}(?:,\d{3})+|\d+)(?P<dec>\.\d+)?"
    r"(?P<unit>%| per cent|bn|m|p\b| pence| billion| million| trillion| points?| years?"
    r"| months?| weeks?| days?| goals?| seats?| jobs| people)?(?![\w])"
)
MONTHS = ("January February March April May June July August September October November "
          "December").split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
DATE_WORD = re.compile(r"\b(?:" + "|".join(MONTHS + WEEKDAYS) + r")\b")


def number_slots(sentence: str) -> list[tuple[int, int, str, str]]:
    """(start, end, text, type) for each number, month or weekday in a sentence; numbers that
    are part of a name, a time of day, an age, a score or a compound (24-hour) are left out."""
    slots = []
    for match in NUMBER.finditer(sentence):
        before, after = sentence[: match.start()], sentence[match.end() :]
        if re.search(r"-$", before) or re.match(r"-|th\b|st\b|nd\b|rd\b| ?(?:GMT|BST|am|pm)\b",
                                                 after):
            continue
        previous = re.search(r"([A-Za-z]+)\W*$", before)
        if previous and previous.group(1)[0].isupper() and previous.group(1) not in MONTHS:
            continue  # Radio 4, Euro 2004, Tuesday 9
        if re.search(r"[A-Z]\w+, $", before) and after.startswith(","):
            continue  # "Burger, 21, was": an age
        cur, val, unit = match.group("cur") or "", match.group("val"), match.group("unit") or ""
        unit = unit.strip()
        if unit in ("%", "per cent"):
            kind = "percent"
        elif cur:
            kind = "money" + cur + (unit if unit in ("bn", "m", "billion", "million") else "")
        elif unit in ("p", "pence"):
            kind = "pence"
        elif unit:
            kind = "count " + unit.rstrip("s")
        elif len(val) == 4 and 1900 <= int(val) <= 2030 and not match.group("dec"):
            kind = "year"
        else:
            kind = "count"
        slots.append((match.start(), match.end(), match.group(0), kind))
    for match in DATE_WORD.finditer(sentence):
        if match.group(0) == "May" and not re.match(r"May \d|in May|of May", sentence[match.start()
                                                    - 3 : match.end() + 2].strip()):
            continue  # the verb may
        kind = "month" if match.group(0) in MONTHS else "weekday"
        slots.append((match.start(), match.end(), match.group(0), kind))
    return sorted(slots)


def plausible(kind: str, old: str, new: str) -> bool:
    """A replacement a writer could have meant: plain counts within a factor of 1.5 to 30."""
    if kind != "count":
        return True
    a, b = float(numeric_value(old)), float(numeric_value(new))
    if min(a, b) == 0:
        return False
    return 1.5 <= max(a, b) / min(a, b) <= 30


def numeric_value(text: str) -> str:
    return re.sub(r"[^\d.]", "", text)


def same_value(a: str, b: str) -> bool:
    return a == b or (numeric_value(a) != "" and numeric_value(a) == numeric_value(b))


def replace_span(sentence: str, start: int, end: int, new: str) -> str:
    return sentence[:start] + new + sentence[end:]


def make_number(article: dict, index: int, sentence: str, rng: random.Random):
    slots = number_slots(sentence)
    if not slots:
        return None
    # the sentence's own numbers swapped between their slots
    for i, first in enumerate(slots):
        for second in slots[i + 1 :]:
            between = sentence[first[1] : second[0]]
            if first[3] == second[3] and not same_value(first[2], second[2]) and (
                first[3] not in ("count", "year")
            ) and not (between.strip() in ("and", "-", "to", "or")
                       and re.search(r"between $|from $", sentence[: first[0]])):
                swapped = (
                    sentence[: first[0]] + second[2] + sentence[first[1] : second[0]]
                    + first[2] + sentence[second[1] :]
                )
                return swapped, f'swapped "{first[2]}" and "{second[2]}" between their slots'
    # another number or date of the same type from the same article
    pool = []
    for other_index, other in enumerate(article["sentences"]):
        if other_index != index:
            pool.extend(number_slots(other))
    for start, end, text, kind in slots:
        choices = sorted({s[2] for s in pool if s[3] == kind and plausible(kind, text, s[2])
                          and not any(same_value(s[2], t[2]) for t in slots)})
        if choices:
            new = rng.choice(choices)
            return (
                replace_span(sentence, start, end, new),
                f'"{text}" replaced by "{new}" from another sentence of the article',
            )
    return None


# ---------------------------------------------------------------- direction

MOVE = r"(?= (?:by |to |from |about |around |nearly |almost |more than |over |\$|£|€|\d)| \d)"
MOVE_VERBS = {
    "rose": "fell", "fell": "rose", "risen": "fallen", "fallen": "risen", "rising": "falling",
    "falling": "rising", "rises": "falls", "falls": "rises", "jumped": "slumped",
    "slumped": "jumped", "soared": "plunged", "plunged": "soared", "surged": "slumped",
    "climbed": "fell", "dropped": "rose", "increased": "decreased", "decreased": "increased",
    "grew": "shrank", "shrank": "grew", "gained": "lost", "slipped": "rose", "dipped": "rose",
    "tumbled": "soared", "edged up": "edged down",
    "edged down": "edged up",
}
CONTEST = (r"(?= (?:the |their |his |her |its |a |an |both |all |every |\d+ |two |three "
           r"|four |five |six )?(?:\w+ )?(?:match|matches|game|games|final|finals|race|seat|seats"
           r"|election|elections|vote|tie|ties|set|sets|battle|case|appeal|contest|title|titles"
           r"|championship|cup|bout|fight|points?|frames?|by-election|series|[0-9]+-[0-9]+))")
SWAPS: list[tuple[re.Pattern, dict[str, str]]] = [
    (re.compile(r"\b(closed|ended|finished|is|was|are|were|been|shares|stocks) (?P<w>up|down)"
                r"(?= \d| \$| £| by | on | from | sharply| slightly|\.|,)"),
     {"up": "down", "down": "up"}),
    (re.compile(r"\b(?P<w>up|down) (?=\d+(?:\.\d+)?%)"), {"up": "down", "down": "up"}),
    (re.compile(r"\b(?P<w>" + "|".join(sorted(MOVE_VERBS, key=len, reverse=True)) + r")\b"
                + MOVE), MOVE_VERBS),
    (re.compile(r"\b(?P<w>more) than (?=(?:\$|£|€|\d+(?:\.\d+)?(?:%|bn|m)\b))"), {"more": "less"}),
    (re.compile(r"\b(?P<w>more|fewer|less) than (?=\d)"),
     {"more": "fewer", "fewer": "more", "less": "more"}),
    (re.compile(r"\b(?P<w>victory over|win over|defeat by|defeat to|defeat against|loss to"
                r"|win against)\b"),
     {"victory over": "defeat by", "win over": "defeat by", "defeat by": "victory over",
      "defeat to": "victory over", "defeat against": "victory against",
      "loss to": "win over", "win against": "defeat against"}),
    (re.compile(r"\b(?P<w>won|lost|beat|win|lose|wins|loses|winning|losing)\b" + CONTEST),
     {"won": "lost", "lost": "won", "beat": "lost to", "win": "lose", "lose": "win",
      "wins": "loses", "loses": "wins", "winning": "losing", "losing": "winning"}),
    (re.compile(r"\b(?P<w>beat|defeated)\b(?= [A-Z])"), {"beat": "lost to", "defeated": "lost to"}),
    (re.compile(r"\b(?P<w>lost)\b(?= (?:about |almost |nearly |around |over |some )?\d)"),
     {"lost": "gained"}),
    (re.compile(r"\b(?P<w>increase|decrease|increases|decreases|rise|fall|rises|falls|growth"
                r"|decline|increasing|decreasing)\b(?= (?:of|in|to|by) )"),
     {"increase": "decrease", "decrease": "increase", "increases": "decreases",
      "decreases": "increases", "rise": "fall", "fall": "rise", "rises": "falls",
      "falls": "rises", "growth": "decline", "decline": "growth",
      "increasing": "decreasing", "decreasing": "increasing"}),
    (re.compile(r"\b(?P<w>pay rise|pay cut|price rise|price cut|tax rise|tax cut|rate rise"
                r"|rate cut)s?\b"),
     {"pay rise": "pay cut", "pay cut": "pay rise", "price rise": "price cut",
      "price cut": "price rise", "tax rise": "tax cut", "tax cut": "tax rise",
      "rate rise": "rate cut", "rate cut": "rate rise"}),
    (re.compile(r"\b(?P<w>profits?|losses|loss)\b(?= (?:of|rose|fell|jumped|slumped|to|at|were"
                r"|was|before|after) )"),
     {"profit": "loss", "profits": "losses", "loss": "profit", "losses": "profits"}),
    (re.compile(r"\b(?P<w>raised|lowered|cut|increased|reduced)\b(?= (?:its |their |the |his "
                r"|her )?(?:\w+ )?(?:rates?|targets?|forecasts?|prices?|estimates?|outlook"
                r"|guidance|fees?|charges?|tax(?:es)?|spending|duty|output|production)\b)"),
     {"raised": "lowered", "lowered": "raised", "cut": "raised", "increased": "reduced",
      "reduced": "increased"}),
    (re.compile(r"\b(?P<w>higher|lower|stronger|weaker|faster|slower|highest|lowest)\b"
                r"(?! (?:house|chamber|education|league|division|court))"),
     {"higher": "lower", "lower": "higher", "stronger": "weaker", "weaker": "stronger",
      "faster": "slower", "slower": "faster", "highest": "lowest", "lowest": "highest"}),
    (re.compile(r"\b(?P<w>above|below)\b(?= (?:the |its |their |\$|£|€|\d|expectations|average"
                r"|forecasts|target|inflation))"),
     {"above": "below", "below": "above"}),
    (re.compile(r"(?:\d\S*|points|seconds|secs|minutes|goals|shots|strokes|place|lead|way)"
                r" (?:\w+ )?(?P<w>ahead of|behind)\b"),
     {"ahead of": "behind", "behind": "ahead of"}),
    (re.compile(r"\b(?P<w>better off|worse off|boosted by|hit by|increased|decreased)\b"),
     {"better off": "worse off", "worse off": "better off", "boosted by": "hurt by",
      "hit by": "boosted by", "increased": "decreased", "decreased": "increased"}),
]


def fix_article(sentence: str) -> str:
    """a/an before the replaced word (an increase -> a decrease)."""
    sentence = re.sub(r"\b([Aa])n (?=(?:decrease|fall|decline|defeat|loss|lower|slower|weaker)"
                      r"\b)", r"\1 ", sentence)
    return re.sub(r"\b([Aa]) (?=(?:increase|upturn|ahead)\b)", r"\1n ", sentence)


def make_direction(article: dict, index: int, sentence: str, rng: random.Random):
    for pattern, opposite in SWAPS:
        found = pattern.search(sentence)
        if not found:
            continue
        word = found.group("w")
        new = cap_like(word, opposite[word.lower()])
        claim = fix_article(replace_span(sentence, found.start("w"), found.end("w"), new))
        return claim, f'"{word}" -> "{new}"'
    return None


# ---------------------------------------------------------------- negation

AUXILIARIES = r"(?:is|are|was|were|has|have|had|will|would|could|can|should|may|might|must)"
NEGATED_DO = re.compile(r"\b(do|does|did) not (\w+)|\b(don't|doesn't|didn't) (\w+)", re.I)
NEGATED_AUX = re.compile(r"\b(" + AUXILIARIES + r") not\b(?! only| just| least)", re.I)
CONTRACTED = re.compile(r"\b(isn't|aren't|wasn't|weren't|hasn't|haven't|hadn't|won't|wouldn't"
                        r"|couldn't|can't|cannot|shouldn't)\b", re.I)
NEVER = re.compile(r"\b(?:has|have|had|is|was|will) never\b|\bnever (?=\w+ed\b)")
AUX_FOR_ADDING = re.compile(
    r"\b(is|are|was|were|will|would|should|must)\b (?!not\b|to\b|also\b|expected\b|still\b"
    r"|due\b|likely\b|set\b|thought\b|believed\b|understood\b|said\b|reported\b)"
    r"|\b(has|have|had) (?=been\b|\w+ed\b|won\b|lost\b|made\b|taken\b|given\b|seen\b"
    r"|become\b|held\b|told\b|grown\b|found\b|kept\b|brought\b|bought\b|sold\b|paid\b"
    r"|met\b|led\b|begun\b|spent\b|built\b|got\b|gone\b|come\b|risen\b|fallen\b|shown\b)"
)
PAST_VERBS_FOR_ADDING = re.compile(
    r"\b(rose|fell|won|lost|made|took|gave|became|held|grew|found|kept|bought|sold|paid|met"
    r"|led|began|spent|built|beat|confirmed|agreed|announced|reported|wanted|decided|warned"
    r"|approved|accepted|rejected|received|reached|signed|scored|increased|decreased|jumped"
    r"|raised|cut|backed|joined|launched|passed|completed|admitted|denied|expected|showed"
    r"|helped|wants|expects|believes|supports|agrees|hopes|owns)\b"
)
SPEECH = re.compile(r"\b" + SAY_VERBS + r"\b(?: (?:that|on \w+|at \w+|in \w+))?")
REMOVE_NEGATED_CONTRACTION = {
    "isn't": "is", "aren't": "are", "wasn't": "was", "weren't": "were", "hasn't": "has",
    "haven't": "have", "hadn't": "had", "won't": "will", "wouldn't": "would",
    "couldn't": "could", "can't": "can", "cannot": "can", "shouldn't": "should",
}
ADD_NEGATION = {"can": "cannot"}


def make_negation(article: dict, index: int, sentence: str, rng: random.Random):
    # remove a negation when the sentence has one
    found = NEGATED_DO.search(sentence)
    if found:
        aux = (found.group(1) or found.group(3)).lower()
        verb = found.group(2) or found.group(4)
        if aux.startswith("did"):
            new = past_of(verb)
        elif aux.startswith("does"):
            new = third_person(verb)
        else:
            new = verb
        return (replace_span(sentence, found.start(), found.end(), cap_like(found.group(0), new)),
                f'negation removed: "{found.group(0)}" -> "{new}"')
    found = NEGATED_AUX.search(sentence)
    if found:
        return (replace_span(sentence, found.start(), found.end(), found.group(1)),
                f'negation removed: "{found.group(0)}" -> "{found.group(1)}"')
    found = CONTRACTED.search(sentence)
    if found:
        new = cap_like(found.group(0), REMOVE_NEGATED_CONTRACTION[found.group(0).lower()])
        return (replace_span(sentence, found.start(), found.end(), new),
                f'negation removed: "{found.group(0)}" -> "{new}"')
    found = NEVER.search(sentence)
    if found:
        text = found.group(0)
        new = text.replace(" never", "").replace("never ", "")
        return (replace_span(sentence, found.start(), found.end(), new),
                f'negation removed: "{text.strip()}" -> "{new.strip()}"')
    if re.search(r"\b(?:not|no|never|nobody|nothing|none|n't)\b", sentence, re.I):
        return None  # some other negation: leave it alone
    # add one: prefer the verb of a reported clause ("X said that profits rose")
    speech = SPEECH.search(sentence)
    after = speech.end() if speech else 0
    for start_at in ((after, 0) if after else (0,)):
        found = AUX_FOR_ADDING.search(sentence, start_at)
        if found:
            aux = found.group(1) or found.group(2)
            new = ADD_NEGATION.get(aux.lower(), aux + " not")
            start = found.start(1) if found.group(1) else found.start(2)
            return (replace_span(sentence, start, start + len(aux), cap_like(aux, new)),
                    f'negation added: "{aux}" -> "{new}"')
        found = PAST_VERBS_FOR_ADDING.search(sentence, start_at)
        if found:
            verb = found.group(1)
            if verb.endswith("s") and not verb.endswith("ss"):
                base = verb[:-1] if not verb.endswith("es") or verb in ("hopes", "faces") \
                    else verb[:-2]
                if verb in ("hopes", "faces"):
                    base = verb[:-1]
                new = "does not " + base
            else:
                base = IRREGULAR_PAST.get(verb) or regular_base(verb) or verb
                new = "did not " + base
            return (replace_span(sentence, found.start(1), found.end(1), new),
                    f'negation added: "{verb}" -> "{new}"')
    return None


# ---------------------------------------------------------------- actors

TITLES = {"Mr", "Mrs", "Ms", "Dr", "Sir", "Lord", "Lady"}
ROLE_CAPS = {"President", "Prime", "Minister", "Chancellor", "Premier", "Chief", "Secretary",
             "Professor", "Prof", "Coach", "Manager", "Captain", "Chairman", "Director",
             "Senator", "Governor", "General", "Leader", "Mayor", "Judge", "Farmer", "Commissioner"}
ADJECTIVE_CAPS = {"American", "British", "French", "German", "Spanish", "Italian", "Scottish",
                  "Welsh", "Irish", "English", "Australian", "Russian", "Chinese", "Japanese",
                  "Indian", "European", "Liberal", "Democrat", "Labour", "Tory", "Conservative",
                  "Republican", "Democratic", "Shadow", "Foreign", "Home", "Deputy", "Vice",
                  "Science", "Health", "Culture", "Education", "Trade", "Industry", "Defence",
                  "Council", "Commission", "England", "Scotland", "Wales", "Ireland"}
ROLE_WORDS = (r"(?:chief executive|executive|analyst|economist|spokesman|spokeswoman|coach"
              r"|manager|captain|chairman|chairwoman|director|president|minister|secretary"
              r"|leader|head|founder|boss|striker|midfielder|defender|winger|player|singer"
              r"|actor|actress|star|author|writer|producer|presenter|partner|peer|MP|MEP"
              r"|chancellor|professor|expert|researcher|editor|commissioner|governor"
              r"|spokesperson|officer|official|lawyer|judge|champion|rival|colleague|partner"
              r"|co-founder|founder|designer|director-general|secretary-general|premier)")
NOT_NAMES = set(MONTHS + WEEKDAYS) | {
    "The", "A", "An", "But", "And", "However", "In", "On", "At", "For", "It", "He", "She", "They",
    "This", "That", "There", "We", "I", "If", "As", "After", "Before", "When", "While", "Its",
    "His", "Her", "Their", "Our", "Meanwhile", "Last", "Next", "Earlier", "Now", "Also", "So",
    "Some", "Many", "Other", "One", "Two", "Three", "Asked", "Speaking", "Fifty", "BBC",
    "News", "Sport", "Online", "Radio", "TV", "GMT", "Both", "Each", "Most", "All", "Only",
    "Such", "What", "Which", "Who", "Why", "How", "Under", "Over", "Despite", "With", "From",
    "By", "Since", "Until", "Though", "Although", "Yet", "Still", "Even", "Just", "Not", "No",
}
NAME = (r"(?:(?:Mr|Mrs|Ms|Dr|Sir|Lord) )?[A-Z][\w'&-]*[\w](?: (?:of |de |der |van |von |& )?"
        r"[A-Z][\w'&-]*[\w]){0,4}")
ACTOR_BEFORE = re.compile(r"(?<![\w'])(?<!of )(?<!for )(?<!to )(?<!by )(?<!with )(" + NAME
                          + r")(?:,[^,]{3,60},)? " + SAY_VERBS + r"\b")
SAID_AFTER = r"(?:said|says|added|warned|insisted|argued|stressed|noted)"
ACTOR_AFTER = re.compile(r"\b" + SAID_AFTER + r" (?:(?:[a-z][\w-]* ){0,3}" + ROLE_WORDS
                         + r" )?(" + NAME + r")(?=[,.]|$)")
ACTOR_DID = re.compile(r"^(?!The )(" + NAME + r") (?:has |have |had |will )?(?:[a-z]+ed|won|lost"
                       r"|made|beat|took|gave|became|held|grew|led|sold|bought|paid|set|hit|saw)\b")
ORG_WORDS = re.compile(r"\b(?:Ltd|plc|Inc|Corp|Corporation|Group|Bank|Council|Ministry"
                       r"|Commission|Party|Union|Association|Office|Agency|Board|Authority"
                       r"|Federation|Committee|Court|Department|Foundation|Institute|Police"
                       r"|Organisation|Organization|Club|Airways|Motors|Energy|Records|Studios"
                       r"|Research|Aid|Concern|Network|Networks|Times|Telegraph|Guardian|FC"
                       r"|United|City|Rovers|Athletic|Microsoft|Google|Apple|Sony|Nintendo"
                       r"|Labour|Tories|Conservatives|Liberal Democrats)\b|^[A-Z]{2,6}$")


def clean_name(name: str) -> str:
    """The name itself: no leading sentence words, titles of office, nationalities or party
    names before a personal name, no possessive."""
    name = re.sub(r"'s?$", "", name.strip(" .,"))
    words = name.split()
    while words and words[0] in NOT_NAMES:
        words = words[1:]
    possessive = [i for i, w in enumerate(words[:-1]) if w.endswith("'s")]
    if possessive:
        words = words[possessive[-1] + 1 :]
    roles = [i for i, w in enumerate(words) if w in ROLE_CAPS]
    if roles and roles[-1] < len(words) - 1:
        words = words[roles[-1] + 1 :]
    while len(words) > 2 and words[0] in ADJECTIVE_CAPS:
        words = words[1:]
    while words and words[-1] in NOT_NAMES:
        words = words[:-1]
    if any("-" in w and w.split("-")[-1].islower() for w in words):
        return ""
    return " ".join(words)


def name_tokens(name: str) -> set[str]:
    return {re.sub(r"'s?$", "", w).lower() for w in name.split() if w not in TITLES and len(w) > 1}


def is_org(name: str) -> bool:
    return bool(ORG_WORDS.search(name))


def is_person_name(name: str) -> bool:
    words = name.split()
    if not words or is_org(name):
        return False
    if words[0] in TITLES:
        return len(words) >= 2
    return 2 <= len(words) <= 3 and not any(
        w in NOT_NAMES or w in ADJECTIVE_CAPS or w in ROLE_CAPS for w in words
    )


def article_actors(article: dict) -> dict[str, list[str]]:
    """Who speaks or acts in the article, by kind: "titled" (Mr Brown), "full" (Gordon
    Brown), "surname" (Brown, from either) and "org" (speakers or openers that look like an
    organisation: Fed, Christian Aid, BRC)."""
    speakers: list[str] = []
    persons: list[str] = []
    for sentence in article["sentences"]:
        for pattern in (ACTOR_BEFORE, ACTOR_AFTER, ACTOR_DID):
            for match in pattern.finditer(sentence):
                speakers.append(clean_name(match.group(1)))
        for match in re.finditer(r"\b(?:Mr|Mrs|Ms|Dr|Sir) [A-Z][\w'-]*\w(?: [A-Z][\w'-]*\w)?",
                                 sentence):
            persons.append(clean_name(match.group(0)))
        for match in re.finditer(r"\b" + ROLE_WORDS + r" ([A-Z][a-z]+ [A-Z][\w'-]*\w)", sentence):
            persons.append(clean_name(match.group(1)))
    persons += [n for n in speakers if is_person_name(n)]
    out: dict[str, list[str]] = {"titled": [], "full": [], "surname": [], "org": []}
    for name in persons:
        if not is_person_name(name):
            continue
        form = "titled" if name.split()[0] in TITLES else "full"
        out[form].append(name)
        out["surname"].append(name.split()[-1])
    for name in speakers:
        if name and (is_org(name) or re.fullmatch(r"[A-Z]{2,6}", name)) and \
                name not in NOT_NAMES:
            out["org"].append(name)
    return {form: sorted(set(names)) for form, names in out.items()}


def slot_form(name: str, actors: dict[str, list[str]]) -> str | None:
    """Which kind of name fills the slot, or None when it cannot be told."""
    words = name.split()
    if words[0] in TITLES:
        return "titled"
    if is_org(name) or re.fullmatch(r"[A-Z]{2,6}", name) or name in actors["org"]:
        return "org"
    if len(words) == 1:
        return "surname" if name in actors["surname"] else None
    return "full" if is_person_name(name) else None


def make_actor(article: dict, index: int, sentence: str, rng: random.Random):
    matches = []
    for priority, pattern in enumerate((ACTOR_BEFORE, ACTOR_AFTER, ACTOR_DID)):
        for match in pattern.finditer(sentence):
            name = clean_name(match.group(1))
            if name and name not in NOT_NAMES and name in sentence:
                matches.append((priority, sentence.index(name, match.start(1)), name))
    for _, start, name in sorted(matches):
        actors = article["actors"]
        form = slot_form(name, actors)
        if not form:
            continue
        taken = name_tokens(sentence) | name_tokens(name)
        choices = [a for a in actors[form] if not (name_tokens(a) & taken)]
        if not choices:
            continue
        new = rng.choice(choices)
        return (replace_span(sentence, start, start + len(name), new),
                f'actor "{name}" replaced by "{new}", also named in the article')
    return None


# ---------------------------------------------------------------- crossed

FINITE = re.compile(
    r"\b(?:(?:also|still|now|then|later|recently|already|previously) )?"
    r"(?P<verb>has|have|had|is|are|was|were|will|would|could|should|can|may|might|must|did"
    r"|does|do|" + "|".join(sorted(IRREGULAR_PAST, key=len, reverse=True)) + r"|[a-z]+ed)\b"
)
AGREEMENT_FREE = re.compile(r"(?:had|will|would|could|should|can|may|might|must|did|"
                            + "|".join(IRREGULAR_PAST) + r"|[a-z]+ed)$")
MEASURES = re.compile(r"\b(?:sales|profits?|shares|prices|revenues?|income|output|growth"
                      r"|unemployment|inflation|earnings|exports|imports|spending|borrowing"
                      r"|turnover|figures|rates?|costs|deficit|surplus|losses|production"
                      r"|demand|investment|stock|index|market|economy|value|debt|price)$", re.I)
GENERIC_SUBJECT = re.compile(
    r"^(?:The (?:company|firm|group|government|country|bank|club|team|side|report|move|deal"
    r"|film|show|game|player|band|star|singer|actor|minister|party)|It|He|She|They|This|That"
    r"|These|Those|There|We|I|You|His|Her|Its|Their|Our|But|And|However|Although|While|If"
    r"|When|As|After|Before|In|On|At|For|Last|Next|Earlier|Now)\b"
)
PERSONAL = re.compile(r"\b(?:he|she|his|her|him|they|their|them|it|its|this|these|those)\b",
                      re.I)


def subject_and_predicate(sentence: str, article: dict) -> tuple[str, str, str] | None:
    """(subject, predicate, type) for a plain "SUBJECT VERB ..." sentence whose subject is a
    short name of a person (Jamie Noon, Mr Blair) or of something else (Boeing, Sony), or a
    measure (Sales, UK house prices); a one-word name must be capitalised mid-sentence
    somewhere in the article, so that "Speculation" is not taken for a name."""
    found = FINITE.search(sentence)
    if not found:
        return None
    subject, predicate = sentence[: found.start()].strip(), sentence[found.start() :].strip()
    words = subject.split()
    if not (1 <= len(words) <= 6) or re.search(r"[,;:\"()\-]", subject) or \
            GENERIC_SUBJECT.match(subject) or not quotes_balanced(predicate) or \
            re.search(r"\b(?:said|says|that|who|which|when|if|as)\b", subject):
        return None
    if re.match(r"(?:said|says|told|added)\b", found.group("verb")):
        return None
    if MEASURES.search(subject):
        kind = "measure"
    elif words[0][0].isupper() and words[0] not in NOT_NAMES and all(
        w[0].isupper() or w in ("of", "de", "der", "van", "von", "and", "&") for w in words
    ):
        if len(words) == 1 and not re.search(r"[a-z,;] " + re.escape(subject) + r"\b",
                                             article["body"]):
            return None
        persons = set(article["actors"]["titled"] + article["actors"]["full"]
                      + article["actors"]["surname"])
        kind = "person" if clean_name(subject) in persons or words[0] in TITLES else "name"
    else:
        return None
    return subject, predicate, kind


def agrees(subject: str, predicate: str, kind: str) -> bool:
    verb = FINITE.match(predicate).group("verb")
    if AGREEMENT_FREE.match(verb):
        return True
    if kind != "measure":
        return verb not in ("have", "are", "were", "do") or " and " in subject
    plural = bool(re.search(r"(?<!s)s$| and ", subject)) and not re.search(
        r"\b(?:News|Sports|Times|Airways|Motors|Records|Studios|Networks|United States)$",
        subject)
    return (verb in ("have", "are", "were", "do")) == plural


PAST_MOVES = [v for v in MOVE_VERBS if re.fullmatch(r"\w+ed|rose|fell|grew|shrank", v)]
MOVE_WITH_NUMBER = re.compile(
    r"\b(?P<verb>" + "|".join(sorted(PAST_MOVES, key=len, reverse=True)) + r") (?:by )?"
    r"(?:about |around |nearly |almost |more than )?(?P<num>(?:[$£€])?\d[\d,.]*(?:%|bn|m\b))"
)


def cross_movement(article: dict, index: int, sentence: str):
    """The movement and number of another sentence ("slumped 27%") put in place of this
    sentence's own ("rose 2%")."""
    own = MOVE_WITH_NUMBER.search(sentence)
    if not own:
        return None
    kind = re.sub(r"[\d,.]", "", own.group("num"))
    others = []
    for other_index, other in enumerate(article["sentences"]):
        if other_index == index:
            continue
        for found in MOVE_WITH_NUMBER.finditer(other):
            if re.sub(r"[\d,.]", "", found.group("num")) == kind and not same_value(
                found.group("num"), own.group("num")
            ) and found.group("num") not in sentence:
                others.append((abs(other_index - index), other_index, found))
    if not others:
        return None
    _, other_index, found = min(others, key=lambda o: (o[0], o[1]))
    claim = replace_span(sentence, own.start(), own.end(), found.group(0))
    return claim, (f'"{own.group(0)}" replaced by "{found.group(0)}" from another sentence of '
                   f'the article: "{article["sentences"][other_index]}"')


def make_crossed(article: dict, index: int, sentence: str, rng: random.Random):
    own = subject_and_predicate(sentence, article)
    if not own:
        return cross_movement(article, index, sentence)
    subject, _, kind = own
    others = []
    for other_index, other in enumerate(article["sentences"]):
        if other_index == index or not usable(other):
            continue
        split = subject_and_predicate(other, article)
        if not split:
            continue
        other_subject, predicate, other_kind = split
        if other_kind != kind or name_tokens(other_subject) & name_tokens(subject) or \
                len(predicate.split()) > 30 or PERSONAL.search(predicate) or \
                name_tokens(subject) & name_tokens(predicate) or \
                not agrees(subject, predicate, kind) or not (
                    re.search(r"\d", predicate) or re.search(r"\b[A-Z][a-z]+", predicate)):
            continue
        others.append((abs(other_index - index), other_index, other_subject, predicate))
    if not others:
        return cross_movement(article, index, sentence)
    _, other_index, other_subject, predicate = min(others)
    claim = subject + " " + predicate
    return claim, (f'subject "{subject}" of this sentence with the predicate of another sentence '
                   f'of the article (whose subject is "{other_subject}"): '
                   f'"{article["sentences"][other_index]}"')


# ---------------------------------------------------------------- clause

CLAUSE_CUTS = [
    (re.compile(r", but (?!also)"), "kept the clause before \", but\""),
    (re.compile(r"; "), "kept the clause before \";\""),
    (re.compile(r" - "), "kept the part before the dash"),
    (re.compile(r", (?:while|whereas|although|though) "), "kept the main clause, dropped the "
                                                          "concessive clause"),
    (re.compile(r", which "), "dropped the trailing \", which\" clause"),
    (re.compile(r" (?:after|following) (?=[a-z])"),
     "dropped the trailing \"after/following\" phrase"),
    (re.compile(r", as (?=[a-z])"), "dropped the trailing \", as\" clause"),
    (re.compile(r" because "),
     "dropped the \"because\" clause"),
    (re.compile(r", (?:including|with) "), "dropped the trailing \"including/with\" phrase"),
]
PARENTHESIS = re.compile(r" \([^()]{1,60}\)")
PAIRED_DASHES = re.compile(r" - [^-]{3,80} - ")
RUNS_TO_END = (", which", ", while", ", whereas", ", although", ", though", ", as", ", including",
               ", with")


def make_clause(article: dict, index: int, sentence: str, rng: random.Random):
    found = PAIRED_DASHES.search(sentence)
    if found:
        return replace_span(sentence, found.start(), found.end(), " "), \
            f'dropped the aside between dashes "{found.group(0).strip()}"'
    for pattern, edit in CLAUSE_CUTS:
        found = pattern.search(sentence)
        if not found:
            continue
        head, tail = sentence[: found.start()].rstrip(" ,"), sentence[found.end() :]
        if re.search(r"\b(?:is|are|was|were|be|been|day|week|year|days|weeks|hours|months"
                     r"|shortly|soon|just|long|straight|month|partly|mainly|only|largely)$", head):
            continue  # "are following", "the day after", "partly because": not a clause edge
        if found.group(0).startswith(RUNS_TO_END) and ", " in tail:
            continue  # the clause does not run to the end: cutting would drop the main clause
        if head.count("(") != head.count(")"):
            continue
        if len(head.split()) < 6 or not quotes_balanced(head) or \
                re.search(r"\b(?:if|unless|until|whether|not only|not just)\b", head):
            continue
        return head + ".", edit
    found = PARENTHESIS.search(sentence)
    if found:
        return replace_span(sentence, found.start(), found.end(), ""), \
            f'dropped the parenthesis "{found.group(0).strip()}"'
    return None


def make_sentence(article: dict, index: int, sentence: str, rng: random.Random):
    return sentence, "none: the source sentence itself"


GENERATORS = {
    "actor": make_actor,
    "crossed": make_crossed,
    "negation": make_negation,
    "direction": make_direction,
    "number": make_number,
    "clause": make_clause,
    "sentence": make_sentence,
}


def has_fact(sentence: str) -> bool:
    """A clear fact: a number, a direction word, a named actor or a "said" clause."""
    return bool(
        re.search(r"\d", sentence)
        or any(pattern.search(sentence) for pattern, _ in SWAPS)
        or re.search(r"\b" + SAY_VERBS + r"\b", sentence)
        or re.search(r"(?<!^)(?<![.!?] )\b[A-Z][a-z]+ [A-Z][a-z]+", sentence)
    )


# ---------------------------------------------------------------- assembling


def candidates(articles: list[dict]) -> list[dict]:
    """Candidates of every kind, each source sentence used once, kinds spread over articles."""
    rng = random.Random(SEED)
    for article in articles:
        article["sentences"] = split_sentences(article["body"])
        article["actors"] = article_actors(article)
    seed_names = {a["article"] for a in articles if not a["article"].startswith("bbc-")}
    slots = [
        (article, index, sentence)
        for article in articles
        for index, sentence in enumerate(article["sentences"])
        if usable(sentence) and has_fact(sentence)
    ]
    seed_slots = [s for s in slots if s[0]["article"] in seed_names]
    bbc_slots = [s for s in slots if s[0]["article"] not in seed_names]
    rng.shuffle(bbc_slots)
    used: set[tuple[str, int]] = set()
    out = []
    for kind, quota in QUOTA.items():
        per_article: Counter = Counter()
        taken = 0
        ordered = seed_slots + bbc_slots
        for article, index, sentence in ordered:
            if taken >= quota:
                break
            key = (article["article"], index)
            is_seed = article["article"] in seed_names
            if key in used or per_article[article["article"]] >= (
                SEED_ARTICLE_CAP if is_seed else PER_ARTICLE.get(kind, 1)
            ):
                continue
            made = GENERATORS[kind](article, index, sentence, rng)
            if not made:
                continue
            claim, edit = made
            if claim == sentence and kind != "sentence":
                continue
            used.add(key)
            per_article[article["article"]] += 1
            taken += 1
            out.append({
                "id": f"{kind}-{article['article'].removesuffix('.md')}-s{index}",
                "kind": kind,
                "label": LABEL[kind],
                "claim": claim,
                "source": {"article": article["article"], "title": article["title"],
                           "sentence": sentence},
                "edit": edit,
            })
    return out


def apply_review(found: list[dict], review: dict) -> list[dict]:
    """Keep, drop or replace each candidate as decided when it was read; a candidate nobody
    read, or one whose text changed since it was read, is an error."""
    kept = []
    missing = [c["id"] for c in found if c["id"] not in review]
    if missing:
        raise SystemExit(f"review.json has no decision for {len(missing)} candidates, e.g. "
                         f"{missing[:5]}: run with --candidates, read them and add decisions")
    for candidate in found:
        decision = review[candidate["id"]]
        if decision.get("claim_was", candidate["claim"]) != candidate["claim"]:
            raise SystemExit(f"{candidate['id']}: the generated claim changed since it was "
                             f"read; read it again and update review.json")
        if decision["action"] == "drop":
            continue
        if decision["action"] == "fix":
            candidate = dict(candidate, claim=decision["claim"],
                             edit=decision.get("edit", candidate["edit"]) + " (fixed by hand: "
                             + decision["why"] + ")")
            if "kind" in decision:
                candidate["kind"] = decision["kind"]
                candidate["label"] = LABEL[decision["kind"]]
        kept.append(candidate)
    return kept


def paraphrase_claims() -> list[dict]:
    """The model's paraphrases (paraphrases_raw.jsonl) with the verdict a person gave each
    (paraphrase_labels.json): "paraphrase" (faithful), "model_unfaithful", or "skip" (a
    verbatim copy, an explanation instead of a sentence, ...), which is left out."""
    labels_path = HERE / "paraphrase_labels.json"
    if not labels_path.exists():
        return []
    labels = json.loads(labels_path.read_text(encoding="utf-8"))
    rows = []
    for raw in load_jsonl(HERE / "paraphrases_raw.jsonl"):
        verdict = labels.get(raw["id"])
        if verdict is None:
            raise SystemExit(f"paraphrase_labels.json has no verdict for {raw['id']}")
        if verdict["kind"] == "skip":
            continue
        rows.append({
            "id": raw["id"] if verdict["kind"] == "paraphrase"
            else raw["id"].replace("paraphrase-", "model_unfaithful-", 1),
            "kind": verdict["kind"],
            "label": LABEL[verdict["kind"]],
            "claim": verdict.get("claim", raw["model_output"]),
            "source": raw["source"],
            "edit": "paraphrase written by SmolLM2-135M-Instruct (make_paraphrases.py), checked "
                    "by hand: " + verdict["note"],
        })
    return rows


def load_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", action="store_true",
                        help="write candidates.jsonl (before review) instead of claims.jsonl")
    args = parser.parse_args()
    found = candidates(load_articles())
    if args.candidates:
        path = HERE / "candidates.jsonl"
        rows = found
    else:
        review = json.loads((HERE / "review.json").read_text(encoding="utf-8"))
        rows = apply_review(found, review)
        rows += paraphrase_claims()
        rows += load_jsonl(HERE / "hand_written.jsonl")
        path = HERE / "claims.jsonl"
    ids = Counter(r["id"] for r in rows)
    if any(n > 1 for n in ids.values()):
        raise SystemExit(f"duplicate ids: {[i for i, n in ids.items() if n > 1]}")
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts = Counter((r["kind"], r["label"]) for r in rows)
    for (kind, label), n in sorted(counts.items()):
        print(f"{kind:18} {label:11} {n}")
    print(f"{'total':30} {len(rows)} -> {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()
