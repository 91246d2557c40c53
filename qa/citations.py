"""Checking a model's answer against its evidence, sentence by sentence.

A small local model writes fluent text that is not always in its sources, and it rarely cites
by itself. So every sentence of its answer is checked as a claim against every evidence sentence
(qa/claims.py: related by words and meaning, then figures, direction, negation and speaker
compared). A supported sentence keeps the citations that support it, or gets the citation of
the evidence that does when it cited the wrong one or none; a contradicted or unsupported one is
dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index import lexical_tokens, split_sentences

from .claims import ClaimCheck, ClaimChecker
from .evidence import Evidence, holds_answer_type, written_as_measured

MARKER = re.compile(r"\s*\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")

@dataclass(frozen=True)
class CheckedSentence:
    """An answer sentence that survived the check, with the evidence rows that support it."""

    text: str
    supports: tuple[int, ...]  # indexes into the evidence list, best first


@dataclass(frozen=True)
class CheckResult:
    """Each sentence of a draft with its outcome; `sentences` are those that survived."""

    sentences: list[CheckedSentence]
    claims: list[ClaimCheck]
    moved: int

    @property
    def dropped(self) -> list[str]:
        return [c.sentence for c in self.claims if c.status != "supported"]

    @property
    def contradicted(self) -> list[ClaimCheck]:
        return [c for c in self.claims if c.status == "contradicted"]


def parse_markers(sentence: str) -> tuple[str, list[int]]:
    """The sentence without its [n] markers, and the numbers they held (1-based)."""
    numbers: list[int] = []
    for match in MARKER.finditer(sentence):
        numbers.extend(int(n) for n in re.split(r"[,;]", match.group(1)))
    return MARKER.sub("", sentence).strip(), numbers


def answer_sentences(text: str) -> list[str]:
    """Split model output into sentences, keeping any [n] markers with their sentence."""
    text = re.sub(r"\s+", " ", text).strip()
    pieces = [text[s.start:s.end] for s in split_sentences(text)]
    # A marker written after the full stop ("... policies. [1]") belongs to the sentence before.
    merged: list[str] = []
    for piece in pieces:
        if merged and MARKER.fullmatch(" " + piece.split(" ")[0]) and piece.startswith("["):
            leading = MARKER.match(piece)
            merged[-1] += " " + piece[:leading.end()].strip()
            piece = piece[leading.end():].strip()
            if not piece:
                continue
        merged.append(piece)
    return merged


class CitationChecker:
    """Checks a model's draft, sentence by sentence, against the evidence it was shown."""

    def __init__(self, claims: ClaimChecker) -> None:
        self.claims = claims

    def check(self, answer: str, evidence: Sequence[Evidence], echo: Sequence[str] = (),
              numbering: Sequence[int] | None = None, wants_new: bool = False,
              asked: Sequence[str] | None = None) -> CheckResult:
        """Check each sentence of `answer` against `evidence`.

        A supported sentence keeps the citations it gave that support it, or gets the best
        supporting one ("moved"); a contradicted or unsupported sentence is dropped.
        `numbering[n - 1]` is the evidence row the prompt showed as [n] (default: row n - 1);
        `echo`: the question's tokens, which a sentence may repeat without that counting;
        `wants_new`: the question asks for something ("Who scored ...?"), so a sentence of
        nothing but its words ("Bristol City scored their win") is no answer and is dropped;
        `asked`: the question's tokens for that test when `echo` is narrower (default `echo`)."""
        # Each sentence loses its own preamble too: a model that copies its sources back
        # repeats their wrapping ("[1] (BBC News) He was joined ..."). A sentence said twice
        # is kept once.
        sentences = []
        for text, cited in (parse_markers(s) for s in answer_sentences(without_preamble(answer))):
            text = without_preamble(text)
            if _has_words(text) and all(text != seen for seen, _ in sentences):
                sentences.append((text, cited))
        if not sentences:
            return CheckResult([], [], 0)
        checks = self.claims.check([text for text, _ in sentences], evidence, echo)
        asked = set(echo if asked is None else asked)
        if asked - set(echo):
            # A sentence that restates the question in the question's own words ("Elan's
            # share price dropped 70% when sales of Tysabri were halted", where the story says
            # "suspended") is held when, with every question word free, it is supported and
            # says nothing else that its source sentence does not: the Camus draft's "on the
            # table" is its own, and no article says it.
            retry = [i for i, c in enumerate(checks) if c.status == "not_found"]
            again = self.claims.check([sentences[i][0] for i in retry], evidence,
                                      tuple(asked)) if retry else []
            for i, check in zip(retry, again, strict=True):
                if check.status == "supported" and check.supports and _adds_nothing(
                        sentences[i][0], asked, evidence[check.supports[0]]):
                    checks[i] = check
        for i, (text, _) in enumerate(sentences):
            # (its figures count as its own: "The score was 2-6 3-1" says something)
            tokens = set(lexical_tokens([text])[0]) | set(re.findall(r"\d+", text))
            if wants_new and asked and tokens and tokens <= asked:
                checks[i] = ClaimCheck(text, "not_found", reason="it only restates the question")
        # A sentence that fails only because of a clause the model tacked on (", which is
        # not ..."): its main clause is kept when that alone is supported.
        failed = [i for i, c in enumerate(checks) if c.status != "supported"
                  and main_clause(sentences[i][0]) != sentences[i][0]]
        if failed:
            heads = [main_clause(sentences[i][0]) for i in failed]
            for i, head, check in zip(failed, heads, self.claims.check(heads, evidence, echo),
                                      strict=True):
                if check.status == "supported":
                    sentences[i] = (head, sentences[i][1])
                    checks[i] = check
        kept: list[CheckedSentence] = []
        moved = 0
        for (text, cited), check in zip(sentences, checks, strict=True):
            if check.status != "supported":
                continue
            rows = [numbering[n - 1] if numbering is not None and 0 < n <= len(numbering)
                    else (n - 1 if numbering is None else -1) for n in cited]
            valid = [row for row in rows if row in check.supports]
            if valid:
                supports = tuple(dict.fromkeys(valid))
            else:
                supports = check.supports[:1]
                moved += 1
            kept.append(CheckedSentence(text, supports))
        return CheckResult(kept, checks, moved)


def _adds_nothing(sentence: str, asked: set[str], source: Evidence) -> bool:
    """Whether every word of a sentence is the question's or its source sentence's (or its
    article's headline)."""
    own = set(lexical_tokens([sentence])[0]) - asked
    held = set().union(*lexical_tokens([source.text, source.passage.title or ""]))
    return own <= held


def echo_in_story(question_tokens: Sequence[str], evidence: Sequence[Evidence]
                  ) -> tuple[str, ...]:
    """The question's words a draft may repeat without their counting as its own claim: those
    the stories shown use too. "put Philippe Camus's shoes on the table" had passed on the
    question's "step into Philippe Camus's shoes", though no article says "shoes"."""
    story = set().union(*lexical_tokens([e.passage.text for e in evidence]
                                        + [e.passage.title or "" for e in evidence]))
    return tuple(t for t in question_tokens if t in story)


_PREAMBLE = re.compile(r"^\s*(?:(?:the\s+)?answer(?:\s+to\s+(?:the|this|your)\s+question)?\s+is\s*"
                       r":?|according to the (?:source|sources|article)s?,?|based on the "
                       r"sources?,?|(?:the\s+)?(?:(?:rewritten|source|short)\s+)*(?:sentence|"
                       r"answer)s?\s+(?:is|are)\s*:|sources?\s*:|\[\d+\]|"
                       r"\((?:[A-Z][\w.&-]*\s?){1,5}\)|"
                       r"(?:[A-Z][\w.&-]*\s){0,4}[A-Z][\w.&-]*\s*:(?!\d))\s*",
                       re.I)
_TRAILER = re.compile(r",\s+(?:which|who|while|but|and this|and that|meaning|indicating|"
                      r"suggesting)\b.*$", re.I)


def without_preamble(draft: str) -> str:
    """The draft without words a small model puts before its answer ("The answer is:",
    "BBC News:"), which say nothing to check."""
    text = draft.strip()
    # (a source sentence copied back comes with the prompt's own wrapping: 'The source
    # sentence is: "Sources: [1] (BBC News) ...')
    for _ in range(5):
        text = _PREAMBLE.sub("", text, count=1)
        quoted = re.fullmatch(r"[\"“]([^\"“”]*)[\"”]\.?", text)
        if quoted:
            text = quoted.group(1).strip()
    return text[:1].upper() + text[1:] if text else text


_NAME_WORD = re.compile(r"(?<![\w'’-])[A-Z][a-z]{4,}(?![\w-])")


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether b is a with one letter changed, or one added or dropped inside the word; a
    letter more or less at its end makes another word ("Germany", "German"), no misspelling."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    i = next((i for i, (x, y) in enumerate(zip(short, long, strict=False))
              if x != y), len(short))
    return i < len(short) and short[i:] == long[i + 1:]


def in_source_spelling(draft: str, sources: Sequence[str]) -> tuple[str, list[tuple[str, str]]]:
    """The draft with each name its sentence's closest source sentence does not write respelt
    as the one name of that sentence a letter away ("Damian Hockney" where the source has
    "Damien Hockney"), and the changes.

    Why: the small model copies names by sound, or from another article that spells them
    otherwise, and a misspelt name fails the claim check (rightly: that source does not name
    "Damian"). The respelt draft is checked as strictly as any: "Davenpart beat Serena"
    becomes "Davenport beat Serena" and is then rejected if the source says otherwise. Only a
    name of five letters or more is respelt, to the same first letter, and only when exactly
    one name of the sentence is that close.
    """
    if not sources:
        return draft, []
    changes: list[tuple[str, str]] = []
    pieces = re.split(r"(\n+|(?<=[.!?])\s+)", draft)
    for at in range(0, len(pieces), 2):
        piece = pieces[at]
        said = set(lexical_tokens([piece])[0])
        closest = max(sources, key=lambda text: len(said & set(lexical_tokens([text])[0])))
        written = {w.lower() for w in re.findall(r"[\w'’-]+", closest)}
        capitalised = {m.group(0) for m in _NAME_WORD.finditer(closest)}
        # a capital a sentence's first word has says nothing: "Theirs" is no name
        names = {m.group(0) for m in _NAME_WORD.finditer(closest)
                 if closest[:m.start()].strip()[-1:] not in ("", ".", "!", "?", '"', "“", "'",
                                                             "‘")}
        respelt: dict[str, str] = {}
        for found in _NAME_WORD.finditer(piece):
            word = found.group(0)
            if word.lower() in written or word in respelt:
                continue
            close = {n for n in capitalised if n[0] == word[0] and _one_edit_apart(word, n)}
            if len(close) == 1 and close <= names:
                respelt[word] = close.pop()
        if respelt:
            pieces[at] = _NAME_WORD.sub(lambda m, names=respelt: names.get(m.group(0), m.group(0)),
                                        piece)
            changes += [pair for pair in respelt.items() if pair not in changes]
    return "".join(pieces), changes


def main_clause(sentence: str) -> str:
    """The sentence without a trailing ", which ..." / ", but ..." clause."""
    head = _TRAILER.sub("", sentence).strip()
    if head == sentence or len(re.findall(r"[A-Za-z]{3,}", head)) < 4:
        return sentence
    return head + "."


def _has_words(text: str) -> bool:
    return bool(re.search(r"[A-Za-z]{2,}", text))


# A small model often answers a "how many" or "who" question with the bare figure or name
# ("The answer is: 14."), which is no sentence for the claim check. It is taken when the
# question asks for that kind of thing and one of the sentences the model was shown writes it,
# word for word: the answer is then that figure or name, as the sentence writes it, followed
# by the sentence, cited.
_FIGURE_BEFORE = r"(?:[$£€]|[A-Z]{1,2}\$)?"
_FIGURE_AFTER = r"(?:\s?(?:million|billion|trillion|bn|m|%|per cent|percent)\b)?"
_SHORT_WORDS = 6


def _said_of(measured: str, sentence: str, start: int, end: int, window: int = 4) -> bool:
    """Whether the measured word stands within `window` words of the figure at start:end, or
    the figure is written as such a thing is ("the 34-year-old" for "how old")."""
    if written_as_measured(measured, sentence, start, end):
        return True
    around = " ".join(sentence[:start].split()[-window:] + sentence[end:].split()[:window])
    wanted = set(lexical_tokens([measured])[0])
    return bool(wanted & set(lexical_tokens([around])[0]))


def short_answer(draft: str, sentences: Sequence[str], expects: str | None,
                 counted: str | None, asked: set[str], measured: str | None = None
                 ) -> tuple[str, int] | None:
    """(the figure or name as the source writes it, the row of the sentence that writes it)
    when the draft is a bare answer of the kind asked for; else None. `asked`: the
    question's words, lower-cased (a name among them is no answer to "who"); `measured`:
    what a "how much" question measures, which the sentence must say of the figure ("a
    loss of 984m euros", not "net profits of 400m euros", for "how much had it lost")."""
    text = re.split(r"\n|\b(?:Explanation|Note|Source)s?:", without_preamble(draft))[0]
    # A conversion or gloss the model adds in brackets is its own, not the source's
    # ("3.1bn Australian dollars ($2.69 billion)"): the answer is what stands before it.
    text = re.sub(r"\s*\([^)]*\)", "", text).strip().rstrip(".").strip()
    if not text or len(text.split()) > _SHORT_WORDS:
        return None
    if expects in ("figure", "money"):
        numbers = re.findall(r"\d+(?:[.,]\d+)*", text)
        if len(numbers) != 1:
            return None
        pattern = re.compile(r"(?<![\w.,])" + _FIGURE_BEFORE + re.escape(numbers[0]) +
                             r"(?![\d.,]\d)" + _FIGURE_AFTER + r"(?!\w)")
        for row, sentence in enumerate(sentences):
            for found in pattern.finditer(sentence):
                # "how many people": the figure must be the one said of people
                near = " ".join(sentence[found.end():].split()[:4])
                if not holds_answer_type(f"{found.group(0)} {near}", expects, counted):
                    continue
                if measured and not _said_of(measured, sentence, found.start(), found.end()):
                    continue
                return found.group(0), row
        return None
    if expects == "name":
        words = re.findall(r"[\w'’-]+", text)
        if not words or not all(w[:1].isupper() for w in words) or \
                {w.lower() for w in words} & asked:
            return None
        pattern = re.compile(rf"(?<![\w-]){re.escape(text)}(?![\w-])")
        for row, sentence in enumerate(sentences):
            if pattern.search(sentence):
                return text, row
    return None


def gives_what_was_asked(sentences: Sequence[str], expects: str | None,
                         counted: str | None, asked: set[str] = frozenset()) -> bool:
    """Whether checked sentences answer the question at all: for "how much" / "how many" one
    gives a figure (beside the things counted): "40 a day" is true to "an annual target of
    8,000 applications - equivalent to 40 a day" and still no answer to how many applications
    a year; for "who" one gives a name the question does not use (`asked`: its words, lower
    case): "The individual facing a criminal trial on fraud" names no one. Other questions:
    True."""
    if expects in ("figure", "money"):
        return any(holds_answer_type(text, expects, counted) for text in sentences)
    if expects == "name":
        return any(re.sub(r"['’]s$", "", word).lower() not in asked | _OPENERS
                   for text in sentences
                   for word in re.findall(r"\b[A-Z][\w'’-]+", text))
    return True


# Capitalised words that open sentences without naming anyone.
_OPENERS = frozenset("the a an he she it they we i this that these those his her their its "
                     "there here in on at as after before when while but and so yet also "
                     "according".split())

