"""Evidence first: the sentences of the retrieved passages that best answer the question.

Each sentence keeps its exact character span in its article, so whatever cites it can quote
and highlight it verbatim. Sentences are scored by meaning (embedding similarity to the
question) and by words (how much of the question's telling vocabulary they contain).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from index import Embedder, lexical_tokens, split_sentences

from .analysis import QuestionAnalysis
from .claims import CALENDAR_WORDS, DIRECTION
from .injection import addressed_to_the_model
from .policy import EvidencePolicy
from .query import QUESTION_WORDS
from .types import Passage


@dataclass(frozen=True)
class Evidence:
    """One candidate sentence: verbatim text, its span in the article, and its scores."""

    passage: Passage
    text: str
    start: int  # in the article's text
    end: int
    score: float
    dense: float
    lexical: float
    rank: int  # the rank of its passage in retrieval, 0-based
    vector: np.ndarray = field(compare=False, repr=False)

    @property
    def tokens(self) -> set[str]:
        return set(lexical_tokens([self.text])[0])

    @property
    def header(self) -> str:
        """The article's title, source and date (what the claim checker may also read)."""
        return passage_header(self.passage)

    @property
    def passage_text(self) -> str:
        return self.passage.text

    @property
    def context(self) -> str:
        """The passage's text before this sentence: who "he" or "the bloc" is."""
        return self.passage.text[:max(0, self.start - self.passage.start)]


@dataclass(frozen=True)
class QuestionTerms:
    """The question's lexical tokens and how telling each is in this store."""

    tokens: tuple[str, ...]
    weights: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.weights[t] for t in set(self.tokens)) or 1.0

    def coverage(self, present: set[str]) -> float:
        """IDF-weighted share of the question's tokens found in `present`."""
        return sum(self.weights[t] for t in set(self.tokens) if t in present) / self.total


_QUESTION_STEMS: frozenset[str] | None = None


def _question_stems() -> frozenset[str]:
    """Stems of the words that shape a question ("what did ... say about") rather than say
    what it is about; they must not count as evidence."""
    global _QUESTION_STEMS
    if _QUESTION_STEMS is None:
        words = sorted(QUESTION_WORDS | {"about", "say", "says", "tell", "know", "happen",
                                         "happened", "happens"})
        _QUESTION_STEMS = frozenset(t for tokens in lexical_tokens(words) for t in tokens)
    return _QUESTION_STEMS


def question_terms(question: str, weights_of) -> QuestionTerms:
    """The question's telling tokens, weighted by how rare they are in the store."""
    tokens = tuple(t for t in lexical_tokens([question])[0] if t not in _question_stems())
    return QuestionTerms(tokens, weights_of(list(set(tokens))) if tokens else {})


def passage_header(passage: Passage) -> str:
    return " ".join(part for part in (passage.title, passage.source, passage.date) if part)


def split_passages(passages: Sequence[Passage], limit: int = 6
                   ) -> list[tuple[Passage, int, int, str]]:
    """(passage, article start, article end, text) for each sentence of the top passages,
    without repeating a sentence that two overlapping chunks share, and without sentences
    that address an AI model instead of reporting something (qa.injection)."""
    seen: set[tuple[str, int]] = set()
    sentences = []
    for passage in passages[:limit]:
        for span in split_sentences(passage.text):
            start, end = passage.start + span.start, passage.start + span.end
            if (passage.article_id, start) in seen:
                continue
            seen.add((passage.article_id, start))
            text = passage.text[span.start:span.end]
            if addressed_to_the_model(text):
                continue
            sentences.append((passage, start, end, text))
    return sentences


# Words that state a cause or a means: a why/how question's answer is usually the sentence
# that holds one (general English, not tied to any articles). "Due to be shipped" is a
# schedule, not a cause.
REASON = re.compile(r"\b(because|due to(?! be\b)|owing to|as a result|result(?:ed|s)? (?:from|in)|"
                    r"caused|causing|cause[sd]?|led to|leading to|after|following|since|amid|"
                    r"thanks to|so that|in order to|by \w+ing|through|reason|blamed|"
                    r"attributed|driven by|prompted|means|charges? of|charged with|accused of|"
                    r"suspicion of|convicted of|in protest (?:at|over|against)|"
                    r"contribut(?:ed|es|ing) to|fuell?ed by|boosted by|helped by|on the back of|"
                    r"stemm(?:ed|ing) from|in search of|in pursuit of|in (?:the )?hopes? of|"
                    r"in a bid to|with the aim of|inspired by)\b", re.I)

# REASON words that may only tell what came first ("after buying", "following losses").
_ONLY_TIME = frozenset({"after", "following", "since", "amid"})


def states_cause(sentence: str) -> bool:
    """Whether a sentence states a cause or a means in words that say so, not only by
    telling what came before ("after buying its stake")."""
    return any(match.group(0).lower() not in _ONLY_TIME for match in REASON.finditer(sentence))

# A figure, not a year ("in 2019" gives no amount).
# A digit that is not the start of a year ("in 2003." ends a sentence; "2003.5" is no year).
_FIGURE = re.compile(r"(?<![\d.,])(?!(?:1[89]|20)\d\d(?![\d%]|[.,]\d))\d|"
                     # "one-off gains", "one of the most recognised" count nothing
                     r"\bone(?!-(?:off|time|way|sided|of)|\s+of\b)|"
                     r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                     r"twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen|half)\b",
                     re.I)
_DATE = re.compile(r"\b(?:1[89]\d\d|20\d\d|january|february|march|april|may|june|july|august|"
                   r"september|october|november|december|monday|tuesday|wednesday|thursday|"
                   r"friday|saturday|sunday|yesterday|today|last (?:week|month|year)|"
                   r"\d{1,2}(?:st|nd|rd|th))\b", re.I)


# "£50m", "50m euros", "a $2bn deal"; "50m taller", "a 100m race" are lengths, not money,
# and "5.1 million subscribers" counts people.
_CURRENCIES = (r"pounds|dollars|euros|yen|yuan|renminbi|pence|cents|francs|rupees|crowns|"
               r"kronor|kroner|kronur|krona|rand|pesos|lira|lire|roubles|rubles|shekels|dinars|"
               r"dirhams|riyals|won|baht|ringgit|zloty|zlotys|forints|marks|guilders|escudos|"
               r"drachmas|pesetas|shillings|naira|reais|bucks|quid")
_NOT_DESCRIBING = r"in|of|for|from|on|at|by|with|to|a|an|the|and|or|this|last|next|per|each"
# words ending in "s" that are no plural noun ("3 million was spent", "10 million this year")
_ENDS_IN_S = r"is|was|has|as|its|his|this|thus|plus|less|unless|across|always|perhaps|whereas"
_MONEY = re.compile(r"[$£€¥]\s?\d|\d\s?(?:bn|m|k|p)\b(?!\s*(?:tall|taller|high|higher|long|"
                    r"longer|wide|deep|away|above|below|race|sprint|freestyle|metres|meters|"
                    # "the 1.3m (4.2ft) Emiew": metres, given in feet beside them
                    r"\([\d.,\s]+(?:ft|feet|in|inches|yards?|miles?)\b))|"
                    rf"\b\d[\d,.]*\s+(?:{_CURRENCIES})\b|"
                    # "tickets cost five pounds": a sum written in words
                    rf"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                    rf"fifteen|twenty|thirty|forty|fifty|hundred|thousand|a few)\s+"
                    rf"(?:{_CURRENCIES})\b|"
                    # "100 million Visual Radio-enabled mobile phones" counts phones too: up
                    # to three describing words may come before the plural noun
                    rf"\b\d[\d,.]*\s+(?:million|billion|trillion)\b(?!\s+(?:of\s+)?"
                    rf"(?:(?!(?:{_CURRENCIES}|{_NOT_DESCRIBING})\b)[\w-]+\s+){{0,3}}"
                    rf"(?!(?:{_CURRENCIES}|{_ENDS_IN_S})\b)[a-z]+s\b)", re.I)


def holds_answer_type(text: str, expects: str | None, counted: str | None = None,
                      dated: bool = False) -> bool:
    """Whether a sentence holds what the question asks for: money, a figure (next to the
    things counted, for "how many"), a date (or it comes from a dated article)."""
    if expects == "money":
        return bool(_MONEY.search(text))
    if expects == "figure":
        text = without_name_numbers(text)
        if counted:
            stem = set(lexical_tokens([counted])[0])
            stem |= {short for word in stem for short in _UNIT_SHORT.get(word, ())}
            # "25lb": the unit written onto the figure is a word of its own
            words = re.findall(r"[\w'’.,%$£€-]+", re.sub(r"(?<=\d)(?=[a-z]{1,3}\b)", " ", text))
            for position, word in enumerate(words):
                if _FIGURE.search(word):
                    near = " ".join(words[max(0, position - 1):position + 4])
                    if stem & set(lexical_tokens([near])[0]):
                        return True
                    # A bare figure counts what the clause before it names: "London leads
                    # the global wi-fi hotspots league, with more than 1,000."
                    following = words[position + 1] if position + 1 < len(words) else ""
                    if _bare(word, following) and stem & set(lexical_tokens(
                            [" ".join(words[max(0, position - _BACK_REFERENCE):position])])[0]):
                        return True
                    # The thing counted in other words, what is asked said further on in the
                    # same clause: "15 protesters from the Fathers 4 Justice campaign group
                    # were arrested" counts campaigners.
                    if stem & set(lexical_tokens([_rest_of_clause(words, position)])[0]):
                        return True
            return False
        return bool(_FIGURE.search(text))
    if expects == "date":
        return dated or bool(_DATE.search(text))
    return True


# Units as news writes them short ("25lb", "10km"), by the stem of the word asked with.
_UNIT_SHORT = {"pound": ("lb", "lbs"), "kilogram": ("kg",), "kilo": ("kg",),
               "kilometr": ("km",), "kilomet": ("km",), "metr": ("m",), "meter": ("m",),
               "centimetr": ("cm",), "feet": ("ft",), "foot": ("ft",), "mile": ("mph",),
               "hour": ("hr", "hrs"), "minut": ("min", "mins")}


# "Ocean's 12", "Chapter 11", "Windows 95": a number written right after a capitalised word
# (not the sentence's first, nor a weekday or month: "on Friday 15 protesters") is part of a
# name, unless a unit or a score follows it.
_CALENDAR_NAMES = "|".join(sorted(word.capitalize() for word in CALENDAR_WORDS))
_NAME_NUMBER = re.compile(rf"(?<=\S )(?!(?:{_CALENDAR_NAMES})\b)"
                          r"([A-Z][a-z]+(?:['’]s)?) (\d{1,3})\b"
                          r"(?![\d%–-]|[.,]\d|\s?(?:m|bn|k|p|million|billion|per cent|percent)\b)")


def without_name_numbers(text: str) -> str:
    """The text with the numbers that are part of names blanked out: "Lemony Snicket ...
    displacing Ocean's 12" gives no figure for "how much did the film take"."""
    return _NAME_NUMBER.sub(lambda m: f"{m.group(1)} {'#' * len(m.group(2))}", text)


# How far back a bare figure's noun may stand: a clause ("the global wi-fi hotspots league,
# with more than 1,000"); by design, twice the claim checker's attach window.
_BACK_REFERENCE = 8
_FOLLOWING_FUNCTION_WORDS = frozenset(
    "by in on at to from for last this next a an per each and or but so as over".split())


def _rest_of_clause(words: Sequence[str], position: int) -> str:
    """The words after `position` up to the end of its clause (a comma, semicolon, colon,
    full stop or dash ends it)."""
    rest = []
    for word in words[position + 1:]:
        if word in ("-", "–", "—"):
            break
        rest.append(word)
        if word.endswith((",", ";", ":", ".")):
            break
    return " ".join(rest)


def _bare(figure: str, following: str) -> bool:
    """Whether a figure stands without a noun of its own after it ("more than 1,000.",
    "reach 200,000 by 2008"), so it counts what came before."""
    if figure.endswith((".", ",")) or not following:
        return True
    return following.lower().strip(".,;:") in _FOLLOWING_FUNCTION_WORDS


def holds_answer(item: Evidence, analysis: QuestionAnalysis) -> bool:
    """holds_answer_type for an evidence sentence and the question it answers; for "who", a
    name the question does not already use."""
    if analysis.expects in ("name", "term"):
        asked = set(re.findall(r"[a-z]+", analysis.cased.lower()))
        if any(not set(re.findall(r"[a-z]+", re.sub(r"['’]s$", "", word.lower()))) <= asked
               for word in re.findall(r"(?<=[a-z,;] )[A-Z][a-z'’-]+", item.text)):
            return True  # a capitalised word the question does not use ("Merriam-Webster's" is)
        # "what word": also a short quoted word or phrase ('"blog" was the word')
        return analysis.expects == "term" and any(
            not set(re.findall(r"[a-z]+", quoted.lower())) <= asked
            for quoted in re.findall(r"[\"“‘']([^\"”’']{2,40})[\"”’']", item.text)
            if len(quoted.split()) <= 4)
    text = item.text
    if analysis.expects == "date" and _ASKS_YEAR.search(analysis.cased):
        # "What year was she born?": a year, not any day ("on Wednesday") nor the article's
        return bool(_YEAR_WRITTEN.search(text))
    if analysis.expects in ("figure", "money"):
        # A figure the question gives is no answer to it ("in the indoor 400m": the time run).
        for number in analysis.numbers:
            digits = re.match(r"[\d.,]+", number)
            if digits:
                text = re.sub(rf"(?<![\d.,]){re.escape(digits.group(0))}(?![\d]|[.,]\d)", "#",
                              text)
        # "How much did the share price drop?": a figure told as a rise is no answer, and a
        # span said of a level ("fallen to a 10-year low") is no amount it moved by.
        if analysis.change and not _goes_the_way(text, analysis.change):
            return False
        if analysis.change:
            text = _COUNT_OF_THINGS.sub("#", _SPAN_OF_A_LEVEL.sub("#", text))
    return holds_answer_type(text, analysis.expects, analysis.counted, bool(item.passage.date))


_ASKS_YEAR = re.compile(r"\b(?:what|which)\s+year\b|\bin\s+what\s+year\b", re.I)
# A year as an answer may be written: "1966", "1740", "class of '83" (wider than the years a
# question fixes, abstain._A_YEAR, which reads 1800-2099 only)
_YEAR_WRITTEN = re.compile(r"\b(?:1[6-9]|20)\d\d\b|['’]\d\d\b")

_SPAN_OF_A_LEVEL = re.compile(r"\b\d+-(?:year|month|week|day|decade)(?:s)?(?:-old)?\s+"
                              r"(?:high|low|peak|trough|record|best|worst)s?\b", re.I)


# "... following the departure of two members of the board": a figure counting things (a plural
# noun after it) is no amount a level moved by, unless the things are the steps it moved in.
_COUNT_OF_THINGS = re.compile(
    r"\b(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?!(?:per|percent|"
    r"points|pence|cents|millions|billions|places|spots|positions|notches|basis|pounds|dollars|"
    r"euros|yen|times|years|months|weeks|days|hours)\b)[a-z]+s\b", re.I)


def _goes_the_way(text: str, change: int) -> bool:
    """Whether a sentence's direction words, if it has any, include one going `change`'s way
    ("lost 70%" for a drop; "increasing by almost four-fold" is the other way)."""
    signs = {DIRECTION[w] for w in re.findall(r"[a-z]+", text.lower()) if w in DIRECTION}
    return not signs or change in signs


def answer_head(evidence: Sequence[Evidence], analysis: QuestionAnalysis, size: int,
                measured_ratio: float) -> list[Evidence]:
    """The closest sentences, which must hold what the question asks for (a figure, a date):
    the best `size`, and for "how much profit" ("how many buyers") the best sentence of their
    articles giving a figure with the word "profit" ("buyers") when it scores at least
    `measured_ratio` of the best, though it comes further down than closer ones giving the
    sales' figure. (Another article's figure for the same word is no answer: "revenue" of
    another company.)"""
    head = list(evidence[:size])
    moved = bool(analysis.change) and analysis.expects == "figure" and not analysis.measured
    if head and (analysis.measured or analysis.counted or moved):
        floor = measured_ratio * head[0].score
        articles = {e.passage.article_id for e in head}
        # ("how many buyers": holds_answer already wants the figure by the word "buyers"; "how
        # far did the shares fall": a figure going that way)
        head += [e for e in evidence[size:] if e.score >= floor
                 and (analysis.counted or moved or gives_measured(e, analysis))
                 and e.passage.article_id in articles and holds_answer(e, analysis)][:1]
    return head


# "Who's the MSP pushing ...", "who was the chief executive ...": the role the person holds,
# which news writing puts right before their name ("MSP Karen Whitefield") or after it
# ("Iain Ferguson, the chief executive,").
_ROLE_ASKED = re.compile(r"^(?:and\s+)?who(?:['’]s|\s+is|\s+was|\s+will\s+be)\s+"
                         r"(?:the|their|its|[\w&-]+(?:\s+[\w&-]+){0,2}['’]s?)\s+"
                         r"((?:[a-z]+\s+)?[A-Za-z][\w-]+)", re.I)
_PERSON = r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)+"
# "Jay-Z, who ..., will become the company's president": the role given by a verb
_MADE = (r"(?:become|becomes|became|named|appointed|elected|made|installed|take over|takes "
         r"over|took over|is|was|will be)")


def named_in_story(evidence: Sequence[Evidence], head: Sequence[Evidence],
                   analysis: QuestionAnalysis) -> Evidence | None:
    """For a "who" or "which magazine" question, the sentence of the closest story that names
    the answer when the closest sentences do not: the one naming someone in the role asked
    about ("Who's the MSP ...?" -> "MSP Karen Whitefield wants ..."), else, for "which", when
    none of `head` names anything new, the story's best sentence that does ("... awarded the
    title by US publication Forbes"). The story's lead often describes ("a leading business
    magazine") what a later sentence names."""
    if not head or analysis.expects not in ("name", "term"):
        return None
    by_verb = _role_by_verb(evidence, head, analysis) or _act_by_verb(evidence, head, analysis)
    if by_verb is not None:
        return by_verb
    story = [e for e in evidence if e.passage.article_id == head[0].passage.article_id]
    role = _ROLE_ASKED.match(analysis.cased.strip())
    if role and analysis.expects == "name":
        words = role.group(1).split()
        for noun in dict.fromkeys([" ".join(words), *words]):
            pattern = re.compile(rf"\b{re.escape(noun)}\s+{_PERSON}|{_PERSON},\s+(?:the\s+)?"
                                 rf"(?:[\w-]+\s+){{0,3}}{re.escape(noun)}\b")
            given = re.compile(rf"\b{_MADE}\s+(?:as\s+)?(?:the\s+|its\s+|their\s+)?"
                               rf"(?:[\w-]+['’]s\s+)?(?:new\s+)?{re.escape(noun)}\b", re.I)
            if any(pattern.search(e.text) for e in head):
                return None
            named = [e for e in story if any(
                not _other_body_before(e.text, found.start(), analysis, words)
                for found in pattern.finditer(e.text)) or (
                    given.search(e.text) and holds_answer(e, analysis))]
            if named:
                return _in_place_of(named[0], head[0])
        return None  # (a story's other names are no answer to whom a role asks about)
    if analysis.wh != "which":
        return None
    titled = names_as_asked(analysis)
    naming_it = next((e for e in story if titled(e.text)), None)
    if naming_it is not None:
        # "which college" -> "... his old Atlanta university, Morehouse College": the story's
        # name that carries the asked noun answers, before closer sentences naming other
        # things
        return None if naming_it is head[0] else _in_place_of(naming_it, head[0])
    described = _described_unnamed(analysis)
    naming = [e for e in head if holds_answer(e, analysis) and not described(e.text)]
    if naming and (naming[0] is head[0] or not described(head[0].text)):
        # (a "who" answer is often a description: "eight insurance companies")
        return None
    named = next((e for e in story if holds_answer(e, analysis) and not described(e.text)),
                 None)
    return None if named is None else _in_place_of(named, head[0])


def _which_nouns(analysis: QuestionAnalysis) -> list[str]:
    """The words after "which" ("which song", "which film studio"), lower-cased."""
    asked = re.search(r"\bwhich\s+([a-z]+)(?:\s+([a-z]+))?", analysis.cased, re.I)
    if asked is None:
        return []
    return [w.lower() for w in asked.groups() if w and w.lower() not in QUESTION_WORDS]


# Capitalised words that open a sentence's noun phrase without naming anything
_DETERMINERS = r"(?:The|A|An|This|That|Another|Every|Each|One|Two|Three|Some|Any|Other)"


def names_as_asked(analysis: QuestionAnalysis) -> Callable[[str], bool]:
    """Whether a sentence names a thing of the kind "which <noun>" asks for by a name that
    carries the noun: "Morehouse College" or "the University of Georgia" for "which college"
    ("which university"), "guitarist Patrick Walden" for "which guitarist"."""
    head = re.search(r"\bwhich\s+(?:[\w-]+\s+){0,2}?([\w-]+)\s+(?:is|was|are|were|did|does|do|"
                     r"has|have|had|will|would|can|could|got|gets)\b", analysis.cased, re.I)
    nouns = [head.group(1).lower()] if head else \
        [n for n in _which_nouns(analysis) if len(n) > 2][:1]
    if not nouns or nouns[0] in QUESTION_WORDS:
        return lambda text: False
    titled = "|".join(re.escape(n.capitalize()) for n in nouns)
    lower = "|".join(map(re.escape, nouns))
    pattern = re.compile(rf"\b(?!The\s)[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*\s+(?:{titled})s?\b"
                         rf"|\b(?:{titled})\s+of\s+(?:the\s+)?[A-Z][\w'’-]+"
                         # "Shochiku film studios" for "which film studio" (not "Japan's")
                         rf"|\b(?!{_DETERMINERS}\s)[A-Z][\w-]*[^\Ws'’]\s+(?:[a-z]+\s+)?"
                         rf"(?:{lower})s?\b"
                         # "guitarist Patrick Walden" for "which guitarist"
                         rf"|\b(?:{lower})\s+{_PERSON}")
    asked = {w.lower() for w in re.findall(r"[\w'’-]+", analysis.cased)}

    def new_name(found: str) -> bool:
        # (not a name the question gives, nor one sharing a word with it: "Which college beat
        # Harbour College?", "Manchester City Football Club" for "before he signed for Man
        # City")
        capitals = {w.lower() for w in re.findall(r"\b[A-Z][\w'’-]*", found)} - set(nouns)
        return bool(capitals) and not capitals & asked

    return lambda text: any(new_name(found.group(0)) for found in pattern.finditer(text))


# "What is Jeremiah?", "... exhibition. What is it?": asked what something is
_WHAT_IS_IT = re.compile(r"(?:^|[.!?]\s+)(?i:(?:and\s+|so\s+)?what\s+(?:is|was|are|were)\s+)"
                         r"(?:(?i:it|this|that|they)|(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*))"
                         r"\W*$")


def defining_first(evidence: Sequence[Evidence], analysis: QuestionAnalysis, ratio: float
                   ) -> list[Evidence]:
    """For "What is X?" (or "What is it?" after a question naming X), the sentence saying
    what X is ("Jeremiah is a virtual face ...") first, when it scores at least `ratio` of the
    best: closer ones use the name without saying what it is ("One such avatar is
    Jeremiah"). Unchanged for other questions."""
    asked = _WHAT_IS_IT.search(analysis.cased.strip())
    if not evidence or asked is None or analysis.kind != "factoid":
        return list(evidence)
    name = asked.group("name") or (analysis.names[0] if analysis.names else "")
    if not name:
        return list(evidence)
    defining = re.compile(rf"\b{re.escape(name)}\s+(?:is|was|are|were)\s+(?:a|an)\b")
    floor = ratio * evidence[0].score
    first = next((e for e in evidence if e.score >= floor and defining.search(e.text)), None)
    if first is None or first is evidence[0]:
        return list(evidence)
    return [first, *[e for e in evidence if e is not first]]


def _described_unnamed(analysis: QuestionAnalysis) -> Callable[[str], bool]:
    """Whether a sentence speaks of the thing "which <noun>" asks for as "a <noun>" ("singing
    a song only previously performed there by Ray Charles", "an adventure film about a
    diamond robbery"): the lead that the question restates, describing what a later sentence
    names ("Keys, who will sing America the Beautiful")."""
    nouns = _which_nouns(analysis)
    if not nouns:
        return lambda text: False
    pattern = re.compile(rf"\b(?:an?|another)\s+(?:[\w-]+\s+){{0,3}}?"
                         rf"(?:{'|'.join(map(re.escape, nouns))})s?\b", re.I)
    return lambda text: bool(pattern.search(text))


# "Who chairs Wigan?": the role a verb names, as news writing gives it before a name
# ("Wigan chairman Maurice Lindsay").
_ROLE_VERB = re.compile(r"^(?:and\s+)?who(?:['’]s|\s+is|\s+was|\s+will\s+be)?\s+"
                        r"(chair(?:s|ed|ing)|head(?:s|ed|ing)|coach(?:es|ed|ing)|"
                        r"manag(?:es|ed|ing)|lead(?:s|ing)|led|own(?:s|ed)|"
                        r"captain(?:s|ed|ing)|edit(?:s|ed|ing)|produc(?:es|ed|ing)|"
                        r"direct(?:s|ed|ing))\s+(.+?)\W*$", re.I)
_ROLE_OF_VERB = {"chair": ("chairman", "chairwoman", "chair"), "head": ("head", "chief"),
                 "coach": ("coach",), "manag": ("manager", "boss"), "lead": ("leader",),
                 "led": ("leader",), "own": ("owner",), "captain": ("captain", "skipper"),
                 "edit": ("editor",), "produc": ("producer",), "direct": ("director",)}


def _role_by_verb(evidence: Sequence[Evidence], head: Sequence[Evidence],
                  analysis: QuestionAnalysis) -> Evidence | None:
    """For "Who chairs Wigan?", the closest sentence of any story that names someone in that
    role of that body ("Wigan chairman Maurice Lindsay says ..."); None when the question is
    not of that form or no sentence does. ("Richelle Cranston is chaired off the ground"
    shares the verb, not the role.)"""
    asked = _ROLE_VERB.match(analysis.cased.strip())
    if not asked:
        return None
    verb = asked.group(1).lower()
    nouns = next((roles for stem, roles in _ROLE_OF_VERB.items() if verb.startswith(stem)), ())
    body = [w for w in re.findall(r"[\w'’&-]+", asked.group(2))
            if w[:1].isupper() and w.lower() not in ("the", "a", "an")]
    if not nouns or not body:
        return None
    stem = next(stem for stem in _ROLE_OF_VERB if verb.startswith(stem))
    # "The film is being produced by Joel Silver": the verb in the passive, said of the body
    # the story is about
    done = re.compile(rf"\b{re.escape(stem)}\w*\s+by\s+{_PERSON}")
    for noun in nouns:
        pattern = re.compile(rf"\b{re.escape(noun)}\s+{_PERSON}|{_PERSON},\s+(?:the\s+)?"
                             rf"(?:[\w'’&-]+\s+){{0,3}}{re.escape(noun)}\b")
        for item in evidence:
            found = pattern.search(item.text)
            if found and all(w in item.text for w in body) and not _other_body_before(
                    item.text, found.start(), analysis, [noun]):
                return _in_place_of(item, head[0])
    for item in evidence:
        if done.search(item.text) and all(w in item.passage.text or w in item.passage.title
                                          for w in body):
            return _in_place_of(item, head[0])
    return None


# "Who is going to run Nissan ...", "who is replacing her?", "and who will present it?": the
# words between "who" and the act it asks about.
_WHO_ACT = re.compile(r"\bwho\s+(?:(?:is|was|are|were|will|would|could|might|be|been|going|to|"
                      r"has|have|had|now|then|also|set|due|eventually|finally|actually)\s+)*"
                      r"([a-z]{3,})\b(\s+(?:up|down|off|out|over|back|on)\b)?", re.I)
# Verbs too light to tell an act alone ("who took Demel's job" is told as "succeeded"; "Demel
# took the helm" is no answer); with a particle they tell one ("set up", "took over").
_LIGHT_VERBS = frozenset("""take takes took taken taking get gets got getting make makes made
making have has had having give gives gave given giving go goes went gone going come comes
came coming put puts putting set sets setting do does did done doing""".split())


def _act_by_verb(evidence: Sequence[Evidence], head: Sequence[Evidence],
                 analysis: QuestionAnalysis) -> Evidence | None:
    """For "who" + a verb ("Who is going to run Nissan ...?"), when the closest sentence does
    not tell that act, the best sentence of the closest stories that does and names someone
    new ("Toshiyuki Shiga will run Nissan on a daily basis"); the closest sentence is often
    the one that restates the question's own story ("... Carlos Ghosn ... takes charge at
    Renault")."""
    if analysis.wh != "who" or analysis.expects != "name":
        return None
    asked = _WHO_ACT.search(analysis.cased)
    if asked is None or asked.group(1).lower() in QUESTION_WORDS or not asked.group(1).islower() \
            or asked.group(1).lower() in _LIGHT_VERBS and not asked.group(2):
        return None
    act = set(lexical_tokens([asked.group(1)])[0])
    if not act or act & set(lexical_tokens([head[0].text])[0]):
        return None
    articles = {e.passage.article_id for e in head}
    asked_words = set(re.findall(r"[a-z]+", analysis.cased.lower()))
    for item in evidence:
        if item.passage.article_id in articles and _doer_named(item.text, act, asked_words):
            return _in_place_of(item, head[0])
    return None


# between a doer's name and the act it does: "Toshiyuki Shiga will run", "Marchionne has replaced"
_BETWEEN_DOER_AND_ACT = frozenset("""will would has have had is was are were be been to also now
then later soon""".split())


def _doer_named(text: str, act: set[str], asked: set[str]) -> bool:
    """Whether the sentence tells the act with someone new as its doer: a name the question
    does not use right before the verb ("Toshiyuki Shiga will run Nissan"), or after "by" just
    after it ("is to be replaced by Lillian Tan", "set up in 1337 by King Edward III"); "moved
    to Harbour City, where he wrote" names a place, and "he" does the act."""
    words = re.findall(r"[\w'’.-]+", text)

    def new_name(word: str) -> bool:
        bare = re.sub(r"['’]s$", "", word.strip(".,'’"))
        return bare[:1].isupper() and bare.lower() not in asked

    for at, stems in enumerate(lexical_tokens(words)):  # one call for the whole sentence
        if not act & set(stems):
            continue
        back = at - 1
        while back >= 0 and words[back].lower() in _BETWEEN_DOER_AND_ACT:
            back -= 1
        if back >= 0 and back >= at - 4 and new_name(words[back]) and back > 0:
            return True
        ahead = [w.lower() for w in words[at + 1:at + 5]]
        if "by" in ahead:
            following = at + 2 + ahead.index("by")
            if following < len(words) and new_name(words[following]):
                return True
    return False


# "What game does Michael Howard play ...", "Which software did Santy attack": the verb after
# the named subject of a "what" / "which" question is the act whose object it asks for.
_WHAT_ACT = re.compile(r"^(?:[Aa]nd\s+)?(?:[Ww]hat|[Ww]hich)\s+(?:[\w'’-]+\s+){0,3}?"
                       r"(?:does|did|do|will|would|can|could|is|was|are|were)\s+(?:the\s+)?"
                       r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}\s+([a-z]{3,})\b")


def act_told(evidence: Sequence[Evidence], analysis: QuestionAnalysis, ratio: float
             ) -> Evidence | None:
    """For "What game does Michael Howard play with his wife ...?", when the closest sentence
    does not tell that act ("Documentary maker Michael Cockerell was given access to Mr Howard
    ..."), the best sentence of its story scoring at least `ratio` of it that does ("... or
    playing table tennis with his wife"); else None."""
    if not evidence or analysis.kind != "factoid" or analysis.wh not in ("what", "which"):
        return None
    asked = _WHAT_ACT.match(analysis.cased.strip())
    if asked is None or asked.group(1) in QUESTION_WORDS or asked.group(1) in _LIGHT_VERBS:
        return None
    act = set(lexical_tokens([asked.group(1)])[0])
    best = evidence[0]
    if not act or act & set(lexical_tokens([best.text])[0]):
        return None
    floor = ratio * best.score
    for item in evidence[1:]:
        if item.score < floor:
            break
        if item.passage.article_id == best.passage.article_id and \
                act & set(lexical_tokens([item.text])[0]):
            return _in_place_of(item, best)
    return None


def _other_body_before(text: str, at: int, analysis: QuestionAnalysis,
                       role: Sequence[str]) -> bool:
    """Whether the role found at `at` is another body's ("Royal Bank of Scotland chief
    executive Fred Goodwin" for "Who is the chief executive of Tate & Lyle?")."""
    lead = text[:at]
    while (last := re.search(r"(\S+)\s*$", lead)) and last.group(1) in role:
        lead = lead[:last.start()]  # "chief" before "executive"
    before = re.search(r"([A-Z][\w'’&.-]*)\s*$", lead)
    if before is None or not lead[:before.start()].strip():
        return False  # nothing, or the sentence's first word
    asked = analysis.cased.lower()
    return before.group(1).lower().strip("'’s") not in asked


def _in_place_of(item: Evidence, closest: Evidence) -> Evidence:
    """The sentence that names the answer takes the closest sentence's place and score, so
    what is added beside it must come as close as the closest did (no other story's weaker
    sentence rides in on its lower score)."""
    return replace(item, score=closest.score)


# A measured thing with a written form of its own: a score is "2-6 6-3 6-0" or "3-2", and the
# sentence that gives it need not say "score".
_WRITTEN_AS = {"score": re.compile(r"(?<![\d-])\d{1,3}\s?[-–]\s?\d{1,3}(?![\d-])"),
               # "the 34-year-old", "died aged 93", "at the age of 17", "Hamm, 32, ..."
               "age": re.compile(r"\b\d{1,3}[- ]years?[- ]old\b|\baged?\s+\d{1,3}\b|"
                                 r"\bage of \d{1,3}\b|[A-Z][\w'’-]+, \d{1,3}, ")}


def written_as_measured(measured: str, text: str, start: int = 0, end: int | None = None
                        ) -> bool:
    """Whether `text` writes a figure in the form of what is measured ("the 34-year-old" is
    an age, "3-2" a score) where the word itself need not stand; with `start`:`end`, a form
    that takes in the figure there."""
    written = _WRITTEN_AS.get(measured)
    end = len(text) if end is None else end
    return bool(written and any(m.start() <= start < m.end() or start <= m.start() < end
                                for m in written.finditer(text)))


def figure_of_measured(item: Evidence, analysis: QuestionAnalysis) -> bool:
    """Whether a sentence writes a figure right before what is measured ("the 2,271st star",
    "version 4.7.1" after it): the figure is then said of it, not of something beside it
    ("his 50th birthday ... a star")."""
    if not analysis.measured or analysis.measured in _WRITTEN_AS or analysis.wh not in (
            "which", "what"):
        return False  # ("how much will it cost": "£99 costs far less" is said of another)
    word = re.escape(analysis.measured)
    return bool(re.search(rf"\d[\d,.]*(?:st|nd|rd|th|%)?\s+(?:[a-z]+\s+)?{word}|"
                          rf"\b{word}\s+\d", item.text, re.I))


def gives_measured(item: Evidence, analysis: QuestionAnalysis) -> bool:
    """Whether a sentence names the thing a "how much profit" / "what was the score" question
    measures: the word, or the thing's written form."""
    if not analysis.measured:
        return False
    written = _WRITTEN_AS.get(analysis.measured)
    if written is not None and written.search(item.text):
        return True
    return bool(set(lexical_tokens([analysis.measured])[0]) & item.tokens)


class EvidenceSelector:
    """Scores every sentence of the top passages against the question and keeps the best.

    Reads: analysis.cased (the text scored against), .names (a short form such as "Premier Li"
    counts for "Li Qiang" when its article names him in full), .kind (why/how questions favour
    sentences that state a cause or a means)."""

    def __init__(self, embedder: Embedder, weights_of, policy: EvidencePolicy | None = None
                 ) -> None:
        self.embedder = embedder
        self.weights_of = weights_of
        self.policy = policy or EvidencePolicy()

    def select(self, analysis: QuestionAnalysis, passages: Sequence[Passage],
               text: str | None = None) -> list[Evidence]:
        """All sentences of the top passages, best first. `text`: score against this instead
        of the question (a follow-up read with its conversation)."""
        policy = self.policy
        question = text or analysis.cased
        terms = question_terms(question, self.weights_of)
        # A verdict checks each part of the question against its own outlet's passages, which
        # may rank below the first few: it reads all the passages retrieved.
        used = len(passages) if analysis.wants_verdict or analysis.kind in (
            "summary", "list") else policy.passages_used
        sentences = split_passages(passages, used)
        if not sentences:
            return []
        texts = [sentence for _, _, _, sentence in sentences]
        vectors = self.embedder.encode([question, *texts])  # one call for all
        question_vector, vectors = vectors[0], vectors[1:]
        dense = vectors @ question_vector
        rank_of = {p.chunk_id: i for i, p in enumerate(passages)}
        header_tokens = {p.chunk_id: set(lexical_tokens([passage_header(p)])[0])
                         for p in passages[:used]}
        article_tokens: dict[str, set[str]] = {}
        for passage in passages[:used]:
            article_tokens.setdefault(passage.article_id, set()).update(
                lexical_tokens([passage.text])[0])
        names = [set(lexical_tokens([name])[0]) for name in analysis.names]
        token_lists = lexical_tokens(texts)
        wants_reason = analysis.kind == "explain"
        # Why and how-much questions are often answered of the subject by description ("the
        # airline announced ... a loss of 984m euros"), and a "what" question of the place or
        # work it is set in without naming it ("In Blinx 2, what do the pigs get to control?"
        # -> "this time the pigs get to control space"): those names count in every sentence
        # of a story that names them in full. (Not for "who": tried, it cost the first
        # natural set 0.90 -> 0.87.)
        described = wants_reason or analysis.expects in ("figure", "money")
        setting = _setting_names(question, analysis) if not described and (
            analysis.kind == "factoid" and analysis.wh == "what") else set()
        evidence = []
        for (passage, start, end, sentence), tokens, similarity, vector in zip(
                sentences, token_lists, dense, vectors, strict=True):
            # ("She faces Marlene Weingartner in the first round": a sentence opening with a
            # singular pronoun tells of whom its story names; "They are usually called ...
            # reports" speaks of things as often as not, so "they" does not count)
            tokens = _with_name_references(set(tokens), names,
                                           article_tokens[passage.article_id],
                                           described or bool(_OPENS_WITH_PRONOUN.match(sentence)),
                                           setting)
            own = terms.coverage(tokens)
            with_header = terms.coverage(tokens | header_tokens[passage.chunk_id])
            lexical = policy.own_words_share * own + (1 - policy.own_words_share) * with_header
            rank = rank_of[passage.chunk_id]
            score = (policy.meaning_weight * float(similarity) + policy.words_weight * lexical
                     + policy.rank_bonus / (1 + rank))
            if wants_reason and REASON.search(sentence):
                score += policy.reason_bonus
            evidence.append(Evidence(passage, sentence, start, end, score, float(similarity),
                                     lexical, rank, vector))
        evidence.sort(key=lambda e: -e.score)
        return evidence

    def top(self, evidence: Sequence[Evidence], limit: int | None = None) -> list[Evidence]:
        return diverse_top(evidence, limit or self.policy.sentences, self.policy.per_article)


_OPENS_WITH_PRONOUN = re.compile(r"[\"“‘']?(?:He|She|It|His|Her|Its)\b")


def _setting_names(question: str, analysis: QuestionAnalysis) -> set[int]:
    """Which of the question's names (by position in `analysis.names`) are the setting of a
    "what" question ("in", "at", "on", "during" it), not whom it asks about: "In Blinx 2, what
    do the pigs get to control?" is set in Blinx 2; "What did Li Qiang ask of Brussels?" asks
    what Li Qiang did, of Brussels, and a sentence must name them."""
    subject = re.search(r"\b(?i:what\s+(?:did|does|do|is|was|were|are|has|have|had|will|"
                        r"would)\s+(?:the\s+)?)([\w'’.-]+(?:\s+[A-Z][\w'’.-]*)*)", question)
    head = set(subject.group(1).lower().split()) if subject else set()
    return {i for i, name in enumerate(analysis.names)
            if not set(name.lower().split()) & head and re.search(
                rf"\b(?:in|at|on|during)\s+(?:the\s+)?{re.escape(name)}\b", question, re.I)}


def _with_name_references(tokens: set[str], names: list[set[str]], article: set[str],
                          described: bool = False, setting: set[int] = frozenset()
                          ) -> set[str]:
    """Count a sentence that says "Premier Li" as mentioning "Li Qiang" when its article
    names him in full: news writing gives a full name once and a short form after.
    `described`: also a sentence that names no part of him ("One of Japan's best-known
    businessmen was arrested ... on charges of falsifying ...", "the airline announced ... a
    loss of 984m euros"): a why or how-much question's answer is often told of its subject by
    description, in the story that names it."""
    for position, name in enumerate(names):
        if ((len(name) > 1 and tokens & name) or described or position in setting) \
                and name <= article:
            tokens = tokens | name
    return tokens


def stating_the_figures(analysis: QuestionAnalysis, evidence: Sequence[Evidence]
                        ) -> list[Evidence]:
    """The evidence of stories that state a figure the question gives ("the 6% jump in
    Cairn's shares": the story of shares that "jumped 6%") first, each in its order: another
    story on the same subject with other figures ("closed down 18%") is about another event,
    as a story of another year is. A figure here is one with a unit ("6%", "£5m") or of three
    digits or more; "2 teams" fixes nothing. Unchanged when no story, or every story, states
    them."""
    figures = [n for n in analysis.numbers
               if not n[-1].isdigit() or len(re.sub(r"\D", "", n.split(".")[0])) >= 3]
    if not figures or analysis.wants_verdict:
        return list(evidence)
    # ("£5m" states "5m"; "15m" does not)
    patterns = [re.compile(rf"(?<![\w.,]){re.escape(n)}(?![\w]|[.,]\d)") for n in figures]
    stating = {e.passage.article_id for e in evidence
               if any(p.search(e.passage.text) for p in patterns)}
    if not stating or stating == {e.passage.article_id for e in evidence}:
        return list(evidence)
    return [e for e in evidence if e.passage.article_id in stating] + [
        e for e in evidence if e.passage.article_id not in stating]


def diverse_top(evidence: Sequence[Evidence], limit: int,
                per_article: int = 2) -> list[Evidence]:
    """The best `limit` sentences, at most `per_article` from one article, so a question
    about several articles sees all of them."""
    chosen: list[Evidence] = []
    counts: dict[str, int] = {}
    for item in evidence:
        if counts.get(item.passage.article_id, 0) >= per_article:
            continue
        chosen.append(item)
        counts[item.passage.article_id] = counts.get(item.passage.article_id, 0) + 1
        if len(chosen) == limit:
            break
    return chosen
