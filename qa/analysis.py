"""Reading a question once: what kind of answer it wants and what it pins down.

Every later stage reads this one record instead of parsing the question again: retrieval (the
outlets it names), evidence selection (names, kind), abstention (names, rare words, years,
outlets), the verdict (the claim and the options), composing (the kind) and the chat (names).

A question typed in lower case is first given back the capitals of its names, from how the
store's own articles write those words ("li qiang" -> "Li Qiang"), so that lower-case and
capitalised questions go through the same pipeline and behave the same. spaCy's small English
model was measured for this (see docs/answers.md): it finds no names in lower-case questions,
which is the case that matters, and costs two seconds to load.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from index import lexical_tokens

from .claims import DIRECTION
from .query import QUESTION_WORDS, find_dates, is_function_word, question_names

Kind = Literal["factoid", "yesno", "choice", "summary", "list", "explain"]

_AUXILIARIES = ("is", "are", "was", "were", "do", "does", "did", "has", "have", "had", "can",
                "could", "will", "would", "should", "may", "might", "must", "isn't", "aren't",
                "wasn't", "weren't", "don't", "doesn't", "didn't", "hasn't", "haven't",
                "hadn't", "won't", "wouldn't", "can't", "couldn't", "shouldn't")
_SUMMARY = re.compile(
    r"\b(summari[sz]e|summary|overview|sum (?:(?:it|this|that|them|things) )?up|recap|outline|"
    r"brief me|the gist|run me through|boil (?:it |this |that |them )?down|"
    r"tell me (?:about|what (?:had |has |have )?happened|what went on)|"
    r"what (?:had |has |have )?(?:happened|went on) (?:at|in|to|with|during|after|before|on)|"
    r"what(?:'s| is| was) the (?:story|news) (?:about|on|with)|what do (?:we|the articles) know "
    r"about|catch me up|fill me in|run-?down (?:of|on)|low-?down on|bring me up to speed|"
    r"update me|what(?:'s| is) the latest (?:on|with|about)|what(?:'s| is) going on (?:with|at|in)|"
    r"in a nutshell|the short version|tl;? ?dr|in brief(?=\s*(?:[,:?]|$))|"
    r"(?:talk|walk|take) me through|explainer|(?:can|could) you break down|break down .+ for me|"
    r"what(?:'s| is) the deal with|(?:key|main) (?:points|facts)|"
    r"what(?:'s| is) (?:actually |really )going on|"
    r"what(?:'s| is| was) (?:it|this|that|(?:the|that|this) \w+) (?:all )?about"
    r"(?=\s*(?:,\s*(?:briefly|quickly|roughly|basically))?\s*\??\s*$)|"
    # the answer's length asked for: "A couple of sentences would do."
    r"(?:a (?:couple|few) of|two or three|one or two|a few) (?:short )?(?:sentences|lines))"
    r"\b")
# A plural noun; one that ends in "s" yet is one thing ("news", "series", "analysis",
# "politics") is not
_PLURAL_NOUN = r"[a-z]+(?:ies|[^su'’]s)\b(?<!sis)(?<!news)(?<!series)(?<!ics)"
_LIST = re.compile(
    r"(?:^|[.?!]\s+)(?:please\s+)?(?:list|name|enumerate|give me (?:a list|the list))\b|"
    # a fragment after the question: "Where's the money going? The main areas."
    r"[.?!]\s+(?:just\s+)?the (?:main|key|big|biggest|top) [a-z]+(?:ies|[^su'’]s)\W*$|"
    # asked for by its form: "Bullet points are fine", "as a list, please"
    r"\bbullet(?:ed)?[ -]points?\b|\bin bullets\b|\bas a list\b|"
    r"\bwhat (?:are|were) (?:the|some|all the)\b|\bwhat (?:kinds?|types?|sorts?) of\b|"
    r"\bin what ways\b|\b(?:what|who) else\b|"
    # "who won what", "for all of them", "list the lot": each of several asked for
    r"\bwho\s+(?:won|got|did|does|gets|wins|said|says|plays|played)\s+what\b|"
    # "Break down the main parts", "go through them one by one": each part asked for
    r"(?:^|[.?!]\s+)(?:please\s+)?break (?:it |them |this |that )?down\b|\bone by one\b|"
    r"\b(?:go|run|walk) (?:me )?through (?:them|each|all)\b|"
    r"\b(?:for|of|from)\s+(?:them all|all of them|each of them|every one of them)\b|"
    r"\bwhich (?:\w+ ){1,3}(?:are|were|have|had)\b|\bwho (?:are|were) the\b|"
    r"\bwhat (?:\w+ ){0,4}(?:offer|include|includes|included|involve)\b|"
    # "what songs ...", "which retailers ...": a plural noun asks for several
    r"(?:^|[.!]\s+|:\s+|\s[-–—]\s+|,\s+(?:but|and|so)\s+)(?:and\s+)?(?:what|which)\s+"
    r"(?!(?:is|was|has|does|this|its|his|as|us)\b)"
    # ("Which websites does the toolbar link to?")
    r"(?:(?:(?:new|main|other|key|big|top)\s+)?" + _PLURAL_NOUN + r"(?!\s+(?:is|was|has)\b)|"
    # ("which of the games ..."; words that describe the plural noun may come first when a
    # clause asking about it follows: "which search firms did ...", "what new measures did
    # ...". Without that clause "Which company makes the iPod" is read as one company, and a
    # singular head before "of" asks for one: "What share of households ...")
    r"of\s+the\s+" + _PLURAL_NOUN + r"|"
    r"(?:(?!(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|may|"
    r"might|must|this|that|these|those|its|his|her|their|it|he|she|they|you|we|of)\b)"
    r"[a-z]+(?:-[a-z]+)*\s+){1,2}" + _PLURAL_NOUN
    + r"(?=\s+(?:did|do|does|are|were|have|had|will|would|could|can|should|might|may)\b))")
# "Who scored Wales' tries", "who won the awards": a plural thing done (written in lower case:
# "the Tories" is one party) asks for several.
_WHO_SEVERAL = re.compile(
    r"(?:^|\s[-–—]\s+|:\s+)(?:[Aa]nd\s+)?[Ww]ho\s+(?!(?:is|was|are|were|has|have|had|does|did)\b)[a-z]+\s+"
    r"(?:the|their|his|her|its|\w+(?:['’]s?|s['’]))\s+(?:[a-z]+\s+)?[a-z]+(?:ies|[^su'’]s)\b"
    r"(?!['’])")
# "What made David Moyes change his mind?", "What got Gordon Brown so interested in Africa?":
# a cause asked by the verb that brings it about, said of someone and what they did or became
# ("What made the top ten?" asks for a thing)
_CAUSATIVE = re.compile(r"^(?:[Aa]nd\s+)?[Ww]hat\s+(?:made|makes|got|gets|has made|had made)\s+"
                        r"(?:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}|him|her|them|us|you|"
                        r"people)\s+(?:so\s+|more\s+|less\s+)?[a-z]{3,}\b")
# "Rinus Michels managed which club sides": the question word left where the answer goes,
# before a plural noun that ends the question
_IN_PLACE_PLURAL = re.compile(r"^(?!(?:what|which|who|how|when|where|why)\b)[a-z].*?[a-z]\s+"
                              r"(?:which|what)\s+(?:[a-z]+\s+){0,2}[a-z]+(?:ies|[^su'’]s)\W*$")
# "Which TV shows won ...?", "What EU rules ...?": an acronym before a plural noun
# (or a name's adjective: "Which Asian airlines saw their shares drop?"; not a name and its
# verb: "What Blair says about ...")
_NAMED_PLURAL = re.compile(
    r"(?:^|[.!,]\s+)(?:[Aa]nd\s+)?(?:[Ww]hat|[Ww]hich)\s+(?:[A-Z]{2,4}|[A-Z][a-z]+)\s+"
    r"(?!(?:says|thinks|wants|means|makes|gets|needs|plans|hopes|believes|claims|does|goes|"
    r"knows|feels|expects|sees|tells|is|was|has|this|its|his|as|us)\b)"
    r"[a-z]+(?:ies|[^su'’]s)\b(?!\s+(?:is|was|has|does)\b)")
# (a clause of its own may ask it: "Councils got a 6% rise, so why are ...?", "Lord Dubs' bill
# - why did ...?", "Prices fell. Why?")
_WHY = re.compile(r"(?:^|[,;:]\s+|\s[-–—]\s+|[.!?]\s+)(?:so\s+|and\s+|but\s+)?"
                  r"(?:why|how come)\b|"
                  # "What did they change and why were the airlines so cross?": a second
                  # question joined on asks for the reason too
                  r"\b(?:and|but) (?:why|how come)\b|"
                  # "what's the point of ...?": a purpose
                  r"\bwhat(?:['’]?s| is| was) the (?:point|purpose|aim|idea) (?:of|behind)\b|"
                  r"\bwhat (?:caused|causes|led to|"
                  r"lies behind|lay behind|was behind|is behind|explains|drove|prompted|triggered|"
                  r"sparked|sent|pushed|inspired)\b|\bwhat['’]s behind\b|"
                  # "what gave him the idea for it?", "where did the idea come from?"
                  r"\bwhat (?:gave|gives|had given) (?:[\w'’-]+\s+){1,3}the idea\b|"
                  r"\bwhere did the idea\b[^?]*\bcome from\b|"
                  # "what was he unhappy about?": the grounds of a complaint or a worry
                  r"\bwhat (?:is|was|are|were|'s) (?:[\w'’-]+\s+){1,4}(?:unhappy|angry|upset|"
                  r"worried|concerned|annoyed|furious|complaining|cross) (?:about|over)\W*$|"
                  r"\b(?:the|what(?:'s| is| was) the) reasons?\b|\b(?:for )?what reasons?\b|"
                  r"\bexplain\b|\bexplanation\b|\bwhat (?:excuses?|justifications?)\b|"
                  # "what's his reasoning?", "what is being blamed for ...?"
                  r"\b(?:his|her|their|its|the) (?:reasoning|rationale)\b|"
                  # "what's behind the rise?", "what did he say was holding jobs back?"
                  r"\bwhat(?:['’]s| is| was| are| were) behind\b|"
                  r"\bwhat\b.*\b(?:holding|held|holds|hold|keeping|kept)\b(?:\s+[\w'’-]+){0,3}"
                  r"\s+back\b|"
                  r"\bwhat(?:['’]s| is| was| are| were)? (?:being |getting )?blamed (?:for|on)\b")
_HOW_MEANS = re.compile(r"^(?:so\s+|and\s+|but\s+)?how (?:did|do|does|is|are|was|were|will|"
                        r"can|could|would|has|have|had)\b")
_NUMBER_IN_TEXT = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)*)(%|bn|m|k)?(?![\w])")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
# Options such as "agree or disagree", "Arsenal or Chelsea", "before or after".
_OR = re.compile(r"\s+or\s+")
_OPTION_STOP = frozenset(QUESTION_WORDS | {"that", "this", "these", "those", "it", "its", "their",
                                           "his", "her", "than", "then", "not", "there", "some",
                                           "any", "more", "less", "first"})
_NAME_PARTICLES = frozenset("von der de van la le da di du bin al del".split())
_BEFORE_AFTER = {"before", "after", "earlier", "later", "first", "second"}
# "After X reported Y, did Z ...?", "Between A and B, is there ...?": a yes/no question behind
# an opening phrase.
_LEADING_CLAUSE = re.compile(
    r"^(?:after|before|between|according to|in|on|since|given|considering|following|based on|"
    r"during|while|when|if|as|with|from|compared|under|at|by|despite|without|within|for|"
    r"among|across|over|unlike)\b[^?]*?,\s*(?:" + "|".join(_AUXILIARIES)
    + r")\s")
# A phrase before the auxiliary that makes it a question, with or without its comma ("Under
# the Lib Dem plan could pensioners ...?"): a preposition and a few words.
_FRONTED_PHRASE = re.compile(
    r"^((?:after|before|under|in|on|at|by|during|since|despite|without|within|according to)"
    r"(?:\s+[\w'’.-]+){1,6}?),?\s+(?:" + "|".join(_AUXILIARIES) + r")\s+(?=\S)", re.I)
# A statement with a question tagged on: "Slovakia are in the final again - is that two
# years running for them?", "The deficit grew, didn't it?", "..., right?"
_TAG_QUESTION = re.compile(
    # (typed without a comma too: "... 76 rushing yards is that right")
    r"(?:\s[-–—]\s|[,;]\s+|\s+(?=is\s+(?:that|this|it)\s+(?:right|true|correct)\s*\??$))"
    r"(?:(?:is|was)\s+(?:that|this|it)\s+(?:right|true|correct)|"
    r"(?:is|was|are|were|did|does|do|has|have|had|can|will|would)"
    r"(?:n['’]t)?\s+(?:that|it|this|they|he|she|there|we|you)\b([^-–—,;]*)|right|true|"
    r"correct|yes or no|true or false|"
    r"(?:have|did)\s+i\s+(?:got|get)\s+(?:that|this|it)"
    r"(?:\s+\w+)?\s+right|am i right|yeah|yes|no|eh|ok|okay|innit)\s*\??$", re.I)
FRAMING = re.compile(
    r"^(?:(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should)\s+)"
    r"(?:it\s+true\s+that\s+)?", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d.,]*%?")


@dataclass(frozen=True)
class QuestionAnalysis:
    """What a question asks for; built once by `analyse` and read by every stage."""

    text: str  # the question as asked (white space cleaned)
    cased: str  # the same with its names' capitals restored (== text unless lower case)
    kind: Kind
    wh: str | None  # who / what / when / where / which / how much / how many / None
    names: tuple[str, ...]  # capitalised phrases: people, places, organisations, titles
    years: tuple[int, ...]
    days: tuple[date, ...]
    numbers: tuple[str, ...]  # figures the question fixes ("6%", "400")
    options: tuple[str, ...] = ()  # for "A or B" questions, in the order asked
    claim: str = ""  # for yes/no questions: the statement asked about
    lower_case: bool = False
    rare_unseen: tuple[str, ...] = ()  # rare words the store has never seen
    expects: str | None = None  # "figure", "money", "date", "name" or "term": what it holds
    counted: str | None = None  # "how many <things>": the things a figure must count
    measured: str | None = None  # "how much <thing>" / "what was its <thing>": what is measured
    change: int = 0  # "how much did it drop": the way asked about, +1 up, -1 down, 0 none
    tokens: tuple[str, ...] = field(default=(), repr=False)  # lexical tokens of `cased`

    @property
    def wants_verdict(self) -> bool:
        return self.kind in ("yesno", "choice")

    @property
    def wants_several(self) -> bool:
        return self.kind in ("summary", "list", "explain")

    @property
    def asks_cause(self) -> bool:
        """"Why ...", "what caused ...": a cause is asked for, not a means or a manner."""
        return self.kind == "explain" and bool(_WHY.search(self.cased.lower().strip()))

    @property
    def is_before_after(self) -> bool:
        return bool(self.options) and {o.lower() for o in self.options} <= _BEFORE_AFTER


@dataclass(frozen=True)
class StoreWords:
    """What the analysis may ask of the store: texts that use some words, and which words it
    has never seen. The Assistant passes the live store's; tests may pass a small one."""

    texts_with: Callable[[str], Sequence[str]]  # chunk texts that use the words
    unseen: Callable[[Sequence[str]], set[str]]  # words no stored chunk contains
    is_common_word: Callable[[str], bool]  # a whole word of the embedder's vocabulary


def is_lower_case(text: str) -> bool:
    """No capital letter after the first character: typed without names' capitals."""
    return not any(c.isupper() for c in text[1:])


_REQUEST = re.compile(r"(?:(?:could|can|would|will)\s+you\s+(?:please\s+)?|please\s+)"
                      r"(?=(?:list|name|give|summari[sz]e|explain|describe|outline|tell|show|"
                      r"recap|sum up|go through|run through)\b)", re.I)


def _set_off(text: str, option: str) -> bool:
    """Whether a question-word question offers its options apart, after a comma, colon or
    dash ("Which is taller, A or B?", "Who gets paid first - creditors or workers?"). Options
    inside what it describes ("Which team ... has gotten comparable offense with Josh Dobbs or
    Kirk Cousins at QB?") are no choice offered: the team is asked for."""
    return bool(re.search(rf"[,:;–—-]\s*(?:(?:the|a|an)\s+)?{re.escape(option)}", text,
                          re.I))


def question_kind(text: str) -> tuple[Kind, str | None]:
    """The kind of answer wanted and the question word, from the question's own wording."""
    # "Could you list ...?", "Can you give me ...?": a request, read as the imperative it is
    request = _REQUEST.match(text.strip())
    if request:
        text = text.strip()[request.end():]
    lowered = text.lower().strip()
    first = lowered.split(" ", 1)[0].strip(",")
    wh = None
    first_asking = re.search(r"\b(?:who|whom|whose|what|when|where|which|how)\b", lowered)
    for word in ("how much", "how many", "how long", "who", "whom", "whose", "what", "when",
                 "where", "which", "how"):
        # "when" and "where" after another question word tie on a clause ("Tell me which
        # college he went back to when he spoke", "how old was he when he died")
        if word in ("when", "where") and first_asking and first_asking.group(0) != word:
            continue
        if re.search(rf"\b{word}\b", lowered):
            wh = word
            break
    summary = _SUMMARY.search(lowered)
    if summary and not (first in _AUXILIARIES and re.search(
            r"(?:['’]s|\bthe|\bits|\btheir|\bhis|\bher|\bthat)\s+(?:[\w-]+\s+)?$",
            lowered[:summary.start()])):
        # ("Did The Verge's explainer on ActivityPub come out first?": a yes/no question about
        # a report that is an explainer, not a request for one)
        return "summary", wh
    # ("Which company, drawing fire from all sides, is this?" opens with its question word: no
    # statement is tagged)
    if _TAG_QUESTION.search(text.strip()) and not re.match(
            r"(?:and\s+|but\s+|so\s+)?(?:who|whom|whose|what|when|where|which|why|how)\b",
            lowered):
        return ("choice" if choice_options(text) else "yesno"), None
    if first in _AUXILIARIES or re.match(r"^(?:and|but|so)\s+(?:" + "|".join(_AUXILIARIES)
                                         + r")\b", lowered) or _LEADING_CLAUSE.search(lowered):
        return ("choice" if choice_options(text) else "yesno"), None
    options = choice_options(text)
    if options and wh in ("which", "who", "what", None) and \
            not re.match(r"(?:and\s+|but\s+|so\s+)?(?:why|how come)\b", lowered) and \
            (wh is None or _set_off(text, options[0])):
        return "choice", wh  # ("Why stage it in June or July, not March?" asks the reason)
    if _WHY.search(lowered) or _HOW_MEANS.search(lowered) or _CAUSATIVE.search(text.strip()):
        return "explain", wh
    if _LIST.search(lowered) or _WHO_SEVERAL.search(text.strip()) or \
            _NAMED_PLURAL.search(text.strip()) or _IN_PLACE_PLURAL.search(lowered):
        return "list", wh
    if is_statement_asked(re.sub(r"^(?:so|and|but)\s+", "", text.strip(), flags=re.I)):
        # "So BA blamed fuel for its profits dropping?", "Ronaldo signed a four-year deal when
        # he joined United in 2003?": a statement asked back, yes or no
        return ("choice" if choice_options(text) else "yesno"), None
    return "factoid", wh


# "by 2013 or by 2015", "at home or at Jessops": one preposition before each option
# (each option may have its own article: "from the US or from its UK tracks")
_OPTION_ARTICLE = r"(?:(?:the|a|an|its|their|his|her)\s+)?"
_REPEATED_PREPOSITION = (r"\b(by|in|on|at|to|from|for|with|until|since|under|over)\s+"
                         + _OPTION_ARTICLE + r"([\w%.'’£$€-]+)\s*,?\s+or\s+\1\s+"
                         + _OPTION_ARTICLE + r"([\w%.'’£$€-]+)")

_OPTION_PREPOSITION = r"(?:by|in|on|at|from|with|via|through|over|under|into|onto)"
_EACH_PREPOSITION = (rf"\b({_OPTION_PREPOSITION})\s+" + _OPTION_ARTICLE
                     + r"((?:[\w%.'’£$€-]+\s+){0,2}[\w%.'’£$€-]+)\s*,?\s+or\s+"
                     + rf"({_OPTION_PREPOSITION})\s+" + _OPTION_ARTICLE
                     + r"((?:[\w%.'’£$€-]+\s+){0,2}[\w%.'’£$€-]+)$")


def option_as_asked(question: str, option: str) -> str:
    """The option with the preposition the question repeats before each ("at home or at
    Jessops" -> "at home"): the answer gives the option as it was asked."""
    repeated = re.search(_REPEATED_PREPOSITION, question.rstrip(" ?.!"), re.I)
    if repeated and (option.lower() == repeated.group(2).lower()
                     or option.lower().split()[0] == repeated.group(3).lower()):
        return f"{repeated.group(1)} {option}"
    return option


_COUNT = r"\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
# A share or a sum of money written as a figure: "30%", "$6bn", "£1.5m", "20 per cent"
_AMOUNT = r"[$£€]?\d+(?:[.,]\d+)?(?:%|\s?per\s?cent|m|bn|k)?"


def choice_options(text: str) -> tuple[str, ...]:
    """The two options of an "A or B" question, or () when it offers none.

    Each option is the capitalised name next to "or" ("Arsenal or Chelsea"), else the single
    word on each side ("agree or disagree", "before or after")."""
    body = text.rstrip(" ?.!")
    # "... - yes or no?": a tag asking for a verdict, no two options
    body = re.sub(r"[\s,;:–—-]*\b(?:yes or no|true or false)$", "", body, flags=re.I)
    pair = comparative_pair(body)
    if pair:
        return pair
    # "sped up or slowed down", "scaled back or ramped up": a verb and its particle each side
    phrasal = re.search(r"\b([a-z]+\s+(?:up|down|back|off|out))\s+or\s+([a-z]+\s+"
                        r"(?:up|down|back|off|out))\b", body, re.I)
    if phrasal and phrasal.group(1).lower() != phrasal.group(2).lower():
        return phrasal.group(1), phrasal.group(2)
    # "before or after", also "before the Israel qualifier or after it"
    timing = re.search(r"\b(before|after|earlier|later)\s+(?:[^,?]{1,50}?\s+)?or\s+"
                       r"(before|after|earlier|later)\b", body, re.I)
    if timing and timing.group(1).lower() != timing.group(2).lower():
        return timing.group(1), timing.group(2)
    # "by 2013 or by 2015", "in Paris or in Rome": the word after a repeated preposition.
    repeated = re.search(_REPEATED_PREPOSITION + "$", body, re.I) or re.search(
        # the last option may run to the question's end: "by cable or by phone line"
        _REPEATED_PREPOSITION + r"((?:\s+[\w%.'’£$€-]+){1,2})$", body, re.I)
    if repeated and repeated.group(2).lower() != repeated.group(3).lower():
        last = repeated.group(3) + (repeated.group(4) if repeated.lastindex == 4 else "")
        return repeated.group(2), last
    # "on a hard drive or by satellite", "in cash or with shares": another preposition before
    # each option, the last running to the question's end
    means = re.search(_EACH_PREPOSITION, body, re.I)
    if means and means.group(1).lower() != means.group(3).lower() and not (
            {w.lower() for w in means.group(2).split()} & _OPTION_STOP):
        return means.group(2), means.group(4)
    # "in two sets or three", "by 5 points or 10": the noun said once, after the first figure
    counted = re.search(rf"\b({_COUNT})\s+([a-z][a-z'’-]*)\s+or\s+({_COUNT})$", body, re.I)
    if counted and counted.group(1).lower() != counted.group(3).lower():
        return (f"{counted.group(1)} {counted.group(2)}",
                f"{counted.group(3)} {counted.group(2)}")
    # "does Shell own 30% of the project or 70%?", "$2bn of it or $3bn": a share or a sum
    # said once with what it is of, the other figure alone: the two figures are the options
    amounts = re.search(rf"(?<![\w.,])({_AMOUNT})\s+(?:of|in|for)\s+(?:[\w'’-]+\s+){{0,3}}?"
                        rf"or\s+({_AMOUNT})$", body, re.I)
    if amounts and amounts.group(1).lower() != amounts.group(2).lower():
        return amounts.group(1), amounts.group(2)
    # "Which took more money: Hide and Seek or Are We There Yet?": after a colon the options
    # are written out whole, titles with "and" or "Are" in them too.
    listed = re.search(r":\s*([^:]+?)\s*,?\s+or\s+([^:]+)$", body) or (
        # "Which got axed first, the Home Internationals or the Scotland v England game?":
        # after a "which" question's comma, two things each written with "the"
        re.match(r"(?i:which)\b", body) and
        re.search(r",\s*((?i:the)\s+[^,]+?)\s+or\s+((?i:the)\s+[^,]+)$", body))
    if listed and " or " not in listed.group(1) and " or " not in listed.group(2) and all(
            1 <= len(side.split()) <= 6 for side in listed.groups()) and \
            listed.group(1).split()[0].lower() not in QUESTION_WORDS - {"the", "a", "an"}:
        return tuple(re.sub(r"^(?:the|a|an)\s+", "", side.strip(" ,;'\"‘’“”"), flags=re.I)
                     for side in listed.groups())
    for match in _OR.finditer(body):
        left = body[:match.start()].split()
        right = body[match.end():].split()
        if not left or not right or left[-1].lower().strip(",") in ("whether",):
            continue
        if right[0].lower() in ("not", "so", "more", "less"):
            continue
        if right[0].lower() in ("the", "a", "an") and (
                len(right) == 2 or len(right) == 3 and right[2].lower() == "one") \
                and len(left) > 2 and left[-3].lower() == right[0].lower() \
                and left[-1].islower() and left[-2][:1].isupper() and right[1][:1].isupper():
            # "in the German market or the Italian (one)": the noun said once, after the first
            return left[-2], right[1]
        if right[0].lower() in ("the", "a", "an") and len(right) > 1 and \
                len(left) > 1 and left[-2].lower() == right[0].lower():
            right = right[1:]  # "the 7E7 or the A350": the article is said again
        # "Do both suggest that consumers can find guidance or deals on tech, while ...?": an
        # "or" inside what a report is said to suggest is part of that statement.
        if re.search(r"\b(?:suggests?|says?|claims?|reports?|indicates?|states?|implies|imply|"
                     r"argues?|believes?|thinks?|shows?)\s+that\b", " ".join(left), re.I):
            continue
        a, b = _option(list(reversed(left)), reverse=True), _option(right)
        # "regardless of whether Dobbs or Cousins plays": no options offered
        before = left[-len(a.split()) - 1].lower() if a and len(left) > len(a.split()) else ""
        if before in ("whether", "either"):
            continue
        if a and b and a.lower() != b.lower():
            return a, b
    return ()


# "more or fewer", "higher or lower": one comparative of each way; also written apart ("does
# the UK have more connections than Germany, or fewer?").
MORE_WORDS = ("more", "higher", "bigger", "larger", "greater", "longer", "faster", "taller",
               "heavier", "older", "richer", "better")
LESS_WORDS = ("less", "fewer", "lower", "smaller", "shorter", "slower", "cheaper", "lighter",
               "younger", "poorer", "worse")
_COMPARATIVE_WORD = "|".join(MORE_WORDS + LESS_WORDS)
_PAIR_TOGETHER = re.compile(rf"\b({_COMPARATIVE_WORD})\s+or\s+({_COMPARATIVE_WORD})\b", re.I)
_PAIR_APART = re.compile(rf"\b({_COMPARATIVE_WORD})\b.*\bthan\b.*,\s*or\s+({_COMPARATIVE_WORD})$",
                         re.I)


def comparative_pair(text: str) -> tuple[str, ...]:
    """("more", "fewer") when a question offers a comparison both ways; else ()."""
    for pattern in (_PAIR_TOGETHER, _PAIR_APART):
        match = pattern.search(text.rstrip(" ?.!"))
        if match and pattern is _PAIR_TOGETHER and not re.match(
                r"\s*(?:\w+\s+){0,6}?than\b|\s*$", text.rstrip(" ?.!")[match.end():]):
            continue  # "more or less the same" compares nothing
        if match:
            a, b = match.group(1).lower(), match.group(2).lower()
            if (a in MORE_WORDS) != (b in MORE_WORDS):
                return match.group(1), match.group(2)
    return ()


def _option(words: list[str], reverse: bool = False) -> str:
    """A name run (capitalised words) or one plain word, from the words next to "or", given
    going away from it (`reverse`: the words before "or", nearest first)."""
    first = words[0].strip(",;:'\"‘’“”()")
    if not reverse and first in ("the", "a", "an") and len(words) > 1 and \
            words[1][:1].isupper():
        return _option(words[1:])  # "Amicus or the TGWU": the name's own article
    # "The Producers or Mary Poppins": a capitalised "The" inside a question opens a title
    titled = not reverse and first == "The" and len(words) > 1 and words[1][:1].isupper()
    if not first or first.lower() in _OPTION_STOP and not titled:
        return ""
    if not first[0].isupper():
        return first
    picked = [first]
    for position, (previous, word) in enumerate(zip(words, words[1:], strict=False), 1):
        edge = word if reverse else previous  # the side a comma would stand on
        clean = word.strip(",;:'\"‘’“”()")
        particle = clean.lower() in _NAME_PARTICLES  # "von der Leyen", "de Gaulle"
        if reverse and clean == "The" and position + 1 < len(words) \
                and not edge.endswith(","):
            picked.append(clean)  # (not the question's first word: "did The Producers")
            break
        if (edge.endswith(",") or not clean or not (clean[0].isupper() or particle)
                or (clean.lower() in _OPTION_STOP and not particle and not (
                    titled and position == 1))):
            break
        picked.append(clean)
    while not reverse and picked and picked[-1].lower() in _NAME_PARTICLES:
        picked.pop()  # "Michel de" is no name; "von der Leyen" (read backwards) is
    if reverse:
        picked.reverse()
    return " ".join(picked)


_GIVEN_THEN_ASKED = re.compile(r"^(.+?),?\s+(?:but|and|so|yet)\s+(?:" + "|".join(_AUXILIARIES)
                               + r")\s+(.+)$", re.I)


def claim_of(text: str) -> str:
    """The statement a yes/no question asks about: "Did Italy leave the scheme?" -> "Italy
    leave the scheme"; an opening phrase stays ("After X, did Y ..." -> "After X, Y ...")."""
    tag = _TAG_QUESTION.search(text.strip())
    if tag:
        statement = re.sub(r"^(?:and|but|so)\s+", "", text.strip()[:tag.start()], flags=re.I)
        # "- is that two years running for them?" adds to the statement; "- is that how it
        # went?" only asks whether it is so
        tail = tag.group(1) or ""
        if re.match(r"\s*(?:how|what|where|when|why|who|which)\b", tail, re.I):
            tail = ""
        return " ".join((statement + " " + tail).rstrip(" ?").split())
    body = text.strip().rstrip("?").strip()
    body = re.sub(r"^(?:and|but|so)\s+", "", body, flags=re.I)
    given = _GIVEN_THEN_ASKED.match(body)
    if given and given.group(1).split()[0].lower() not in _AUXILIARIES + tuple(QUESTION_WORDS):
        # "Reuters revenue dropped in 2004 but did its profit go up 52%?": what is said first
        # is given; what follows the auxiliary is asked, its "its" the subject said first
        asked = given.group(2)
        subject = question_names(given.group(1))
        owner = re.match(r"(?i)(its|their|his|her)\s+", asked)
        if owner and subject:
            owner_name = re.sub(r"['’]s?$", "", subject[0])
            mark = "'" if owner_name.endswith("s") else "'s"
            asked = f"{owner_name}{mark} {asked[owner.end():]}"
        return FRAMING.sub("", asked).strip()
    lead = _LEADING_CLAUSE.search(body.lower())
    if lead and not FRAMING.match(body):
        comma = body.lower().rfind(",", 0, lead.end())
        return (body[:comma + 1] + " " + FRAMING.sub("", body[comma + 1:].strip())).strip()
    fronted = _FRONTED_PHRASE.match(body)
    if fronted:
        # "Under the Lib Dem plan could pensioners swap ...": the phrase before the auxiliary
        # stays, the auxiliary goes, as if the comma had been typed
        return f"{fronted.group(1)}, {body[fronted.end():].strip()}"
    return FRAMING.sub("", body).strip()


_FIGURE_Q = re.compile(r"\b(?:how (?:much|many|long|far|big|large|high|old|often|fast|tall|"
                       r"heavy|deep|wide)|"
                       r"what (?:(?:weekly|monthly|annual|yearly|daily|hourly|average|"
                       r"minimum|maximum|top|basic|starting|going|current)\s+)?(?:percentage|rate|"
                       r"proportion|share|price|amount|sum|figure|number|score|margin|total)|"
                       r"at what (?:price|cost|rate)|by how much|"
                       # "which version of iTunes", "which number star was it": a figure
                       r"(?:which|what) (?:\w+ )?(?:version|number|edition|release))\b", re.I)
# Quantities that are sums of money ("what was its revenue?" wants "$2.1bn", not "10-month"),
# and quantities that may be any figure.
_MONEY_NOUNS = (r"revenues?|profits?|loss(?:es)?|turnover|costs?|price|budget|salary|fee|"
                r"value|worth|deficit|debt|bill|fine|payout|bid|offer|valuation|earnings|"
                r"money|prize|wages?")
_QUANTITY_NOUNS = (_MONEY_NOUNS + r"|sales|population|attendance|surplus|growth|rate|score|"
                   r"total|amount|speed|height|length|weight|distance|capacity|depth|width|"
                   r"temperature|turnout|majority|audience|circulation|margin")
# "What's the price ...": typed contracted as often as not
_WHAT_IS = (r"^(?:and\s+)?what(?: (?:is|was|were|are)|['’]s)\s+"
            # a possessive, of a full name too ("Conchita Martinez's prize money")
            r"(?:(?:[\w-]+\s+)?[\w-]+['’]s?\s+|the\s+){0,3}(?:\w+\s+){0,2}")
_QUANTITY_Q = re.compile(_WHAT_IS + r"(?:" + _QUANTITY_NOUNS + r")\b", re.I)
_MONEY_NOUN_Q = re.compile(_WHAT_IS + r"(?:" + _MONEY_NOUNS + r")\b(?!\s+(?:of|in)\s+"
                           r"(?:\w+\s+)?(?:votes|seats|points|goals|runs|yards|people|jobs))", re.I)
# A question typed as a search: the quantity and what it is of, no question word or verb.
_TERSE_QUANTITY = re.compile(r"^(?:and\s+)?(?:the\s+)?(size|scale|extent|number|amount|total|"
                             r"height|length|age|population|" + _MONEY_NOUNS + r")\s+of\b",
                             re.I)
# Typed as a search with the quantity as its head: "average uk house price in the february
# figures" (the quantity, then what it is of or in; not "budget plans", which names a topic).
_TERSE_HEAD = re.compile(r"^(?:and\s+)?(?:the\s+)?(?:[\w'’-]+\s+){0,4}?(" + _QUANTITY_NOUNS
                         + r")\s+(?:in|of|for|at|on|from|to|under|during)\b", re.I)
_ANY_QUESTION_WORD = re.compile(r"\b(?:who|whom|whose|what|when|where|which|why|how)\b|^\w+\s+"
                                r"(?:is|was|are|were|did|does|do|has|have|had)\b", re.I)
_DATE_Q = re.compile(r"^(?:and\s+)?(?:when|what (?:year|date|day|month|time)|"
                     r"in which (?:year|month))"
                     r"\b", re.I)


_MONEY_Q = re.compile(r"\bhow much\b.*\b(?:cost|costs|costing|pay|paid|pays|paying|price|worth|"
                      r"spend|spent|spending|earn|earning|"
                      r"earned|raise|raised|sell|sold|buy|bought|charge|charged|fine|fined|"
                      r"invest|invested|value|valued|owe|owed|get back|recover|recoup|"
                      r"reimburse|reimbursed|claim|claimed|claiming|seek|seeking|sought|demand|"
                      r"demanded|demanding|receive|received|award|awarded|compensation|damages|"
                      r"donate|donated|donates|donating|pledge|pledged|hand(?:s|ed|ing)? over)"
                      r"\b|\bhow much (?:money|cash)\b|"
                      # "what did the group pay LVMH for the label?"
                      r"\bwhat (?:did|does|do|will|would|has|have|had)\s+(?:[\w'’-]+\s+){1,6}"
                      r"(?:pay|paid|charge|charged|spend|spent)\b"
                      r"(?!\s+(?:tribute|attention|respects?|homage|off|back)\b)|"
                      # "what is the Tate paying BT for it?"
                      r"\bwhat (?:is|are|was|were)\s+(?:[\w'’-]+\s+){1,6}"
                      r"(?:paying|charging|spending)\b"
                      r"(?!\s+(?:tribute|attention|respects?|homage|off|back)\b)|"
                      # "what does a session cost?", "what will the tickets cost?"
                      r"\bwhat (?:does|did|do|will|would|could|might)\s+(?:[\w'’-]+\s+){1,8}"
                      r"cost(?:\s+(?:him|her|them|us|you|it|each|in total|per \w+))?\s*\??\s*$",
                      re.I)
_COUNTED = re.compile(r"\bhow many\s+(?:of\s+(?:the|its|their|his|her|our|your|my|these|those)"
                      r"\s+)?((?:[\w'’-]+\s+){0,3}[\w'’-]+)", re.I)
_IRREGULAR_PLURALS = frozenset("people children men women police staff".split())


def counted_thing(text: str) -> str | None:
    """What "how many ..." counts: the plural noun that heads the words after it ("how many
    of his Davis Cup matches" -> "matches", "how many visa applications" -> "applications"),
    else the first word."""
    match = _COUNTED.search(text)
    if not match:
        return None
    words = match.group(1).split()
    for position, word in enumerate(words):
        lower = word.lower()
        if lower.endswith(("s'", "s’")):
            return lower[:-1]  # "how many customers' details": the customers are counted
        if lower == "people" and position and not is_function_word(words[position - 1]):
            # "how many Carib people": the Caribs are counted ("about 3,000 Caribs")
            return f"{words[position - 1].lower()} {lower}"
        if lower in _IRREGULAR_PLURALS or (word.islower() and lower.endswith("s")
                                           and not lower.endswith("ss") and len(lower) > 3):
            return lower
    first = words[0].lower()
    # ("how many of each are there": nothing named is counted)
    return None if first in _AUXILIARIES or is_function_word(first) else first


_MEASURED = re.compile(r"\bhow much\s+([a-z][a-z'’-]+)|" + _WHAT_IS + r"(" + _QUANTITY_NOUNS
                       + r")\b", re.I)
_NOT_MEASURED = frozenset("""did does do is was were are will would can could has have had
    the a an of more less money cash extra further else exactly roughly""".split())


_MEASURING_VERB = re.compile(r"\b(worth|cost|costing|pay|paid|paying|earn|earned|earning|raise|"
                             r"raised|spend|spent|spending|"
                             r"owe|owed|sell for|sold for|fetch|fetched|lose|lost|save|saved)\b",
                             re.I)


_MEASURE_NOUN = {"lose": "loss", "lost": "loss", "sell for": "sale", "sold for": "sale",
                 "paying": "pay", "costing": "cost", "earning": "earn", "spending": "spend"}


def measured_thing(text: str) -> str | None:
    """The thing a "how much profit ..." or "what was its revenue" question measures, so a
    sentence giving that thing's figure comes before one giving another's (sales)."""
    if re.search(r"\bhow old\b", text, re.I):
        return "age"
    # "which version of iTunes": the version's figure; "which number star": the star's
    which = re.search(r"\b(?:which|what) (?:\w+ )?(version|edition|release|number)\b"
                      r"(?:\s+([a-z]+))?", text, re.I)
    if which:
        if which.group(1).lower() != "number":
            return which.group(1).lower()
        follower = (which.group(2) or "").lower()
        return None if not follower or follower in _NOT_MEASURED or follower in (
            "of", "was", "is", "did", "does", "do") else follower
    match = _MEASURED.search(text.strip())
    if not match:
        return None
    written = match.group(1) or match.group(2) or ""
    word = written.lower()
    if word in ("did", "does", "do", "is", "was", "were", "are", "will", "would", "has",
                "have", "had") or written[:1].isupper() or is_function_word(word):
        # ("how much they raised": the pronoun is who, the verb what is measured)
        # ("how much UPS is paying": a name is whom it is about, not what is measured)
        # "how much was the offer worth", "how much will it cost": the verb that measures
        verb = _MEASURING_VERB.search(text, match.end())
        if verb is None:
            return None
        # the noun a sentence gives the figure with: "lost" -> "a loss of 984m euros"
        return _MEASURE_NOUN.get(verb.group(1).lower(), verb.group(1).lower())
    return None if not word or word in _NOT_MEASURED else word


# "what word did they pick", "what is the new party called": the answer is a name or a word
# the question does not use, written in capitals or quotes.
# (also after a statement: "Douglas announced an adventure film - whats its title?")
_TERM_Q = re.compile(r"(?:^|[.!?:]\s+|\s[-–—]\s+)(?:and\s+)?(?:"
                     r"(?:what|which)\s+(?:\w+\s+)?(?:word|term|name|title|phrase|"
                     r"nickname|slogan|brand)s?\b|what\b[^.!?]*\b(?:called|named)\W*$|"
                     # "what was the unit called back when the bank bought it?"
                     r"what\s+(?:is|was|were|are)\b[^.!?]*\b(?:called|named)\s+(?:back|then|"
                     r"originally|at\s+first|before|when|until)\b|"
                     # "what's the name of ...", "what was his agent's name?", "what's its
                     # title?"
                     r"what(?:['’]?s|\s+is|\s+was|\s+are|\s+were)\s+(?:the\s+)?"
                     r"names?\s+of\b|what\b[^.!?]*['’]s?\s+(?:names?|title)\W*$|"
                     r"what(?:['’]?s|\s+is|\s+was|\s+will\s+be)\s+(?:its|their|his|her|the)\s+"
                     r"(?:\w+\s+)?(?:name|title)\W*$)", re.I)


_CHANGE_Q = re.compile(r"\bhow (?:much|far|sharply|steeply|fast) (?:did|does|do|has|have|had|"
                       r"will|would|is|are|was|were)\b.*\b(rise|rose|"
                       r"risen|fall|fell|fallen|drop|dropped|climb|climbed|jump|jumped|slump|"
                       r"slumped|grow|grew|grown|increase|increased|decrease|decreased|shrink|"
                       r"shrank|gain|gained|lose|lost|plunge|plunged|soar|soared)\b", re.I)


def change_asked(text: str) -> int:
    """+1 for "how much did it rise", -1 for "how much did it drop", else 0."""
    match = _CHANGE_Q.search(text)
    return DIRECTION.get(match.group(1).lower(), 0) if match else 0
# "What time did he clock in the 400m?": a race's time, a figure, not a date.
_CLOCKED_Q = re.compile(r"^(?:and\s+)?what (?:time|times)\b.*\b(?:clock|clocked|run|ran|"
                        r"finish|finished|record|recorded|set|swim|swam|take|took)\b", re.I)


# "Which magazine ...", "which airline ...": things known by a name, so the answer names one.
_WHICH_NAMED = re.compile(
    # (also after a statement, and after a preposition: "Muse won best live act. In which
    # Devon town did they meet?")
    r"(?:^|[.!?:]\s+|\s[-–—]\s+)(?:and\s+)?(?:(?:in|at|on|from|to|for|with|by|of)\s+)?"
    r"which\s+(?:\w+\s+)?(?:magazine|newspaper|paper|publication|website|airline|"
    r"carrier|university|college|school|court|county|province|region|town|village|stadium|"
    r"venue|festival|album|song|book|novel|label|film|movie|show|programme|company|firm|team|"
    r"club|country|city|party|band|group|bank|network|broadcaster|channel|studio|retailer|"
    r"supermarket|manufacturer|carmaker|airport|hospital|charity|union|newspapers|software|"
    r"program|browser|platform|console|operating system|person|individual|"
    # people asked for by their role: "which guitarist", "which minister"
    r"player|singer|actor|actress|guitarist|drummer|bassist|musician|rapper|striker|"
    r"goalkeeper|minister|director|manager|coach|artist|writer|author|designer|judge|"
    r"candidate|leader|captain|presenter|executive|boss)\b", re.I)


# "... a phone virus whose first version had a bug. Which virus?", "... her first starring role
# in 1948. In what?": a terse question after what it is about, answered by a name
_TERSE_WHICH = re.compile(r"^(?:and\s+)?(?:(?:in|on|at|for|with|by|from)\s+)?"
                          r"(?:which(?:\s+[a-z]+)?|what)\s*\?*$", re.I)


# "The cantata turned up among whose papers?": "whose" left where the answer goes, at the end
_WHOSE_IN_PLACE = re.compile(r"\s(?:whose|whom)\s+[a-z]+\W*$", re.I)


_EMBEDDED_HOW = re.compile(r"\b(?:on|of|about|over|at|in|to|for|by)\s+how\s+(?:much|many|long|"
                           r"far|big|often)\b[^,;?]*", re.I)


def expected_answer(text: str, kind: str) -> str | None:
    """What a factoid's answer must hold: money ("how much did it cost"), a figure ("how
    much", "how many"), a date ("when"), or None."""
    if kind not in ("factoid", "list"):
        return None
    # "what entities change betting lines depending on how much money is wagered?": an
    # amount inside the question, after a preposition, is not what it asks for
    text = _EMBEDDED_HOW.sub(" ", text) if re.match(
        r"\W*(?:and\s+)?(?:what|which|who|whom|where|when)\b", text, re.I) else text
    terse = _TERSE_QUANTITY.match(text.strip()) or (
        not _ANY_QUESTION_WORD.search(text) and _TERSE_HEAD.match(text.strip()))
    if terse:
        # "size of the accounting fraud Scrushy is on trial for": typed as a search, no verb
        return "money" if re.fullmatch(_MONEY_NOUNS, terse.group(1).lower()) else "figure"
    if _MONEY_Q.search(text) or _MONEY_NOUN_Q.search(text.strip()):
        # "How much did Elan's share price drop?": a change is told as a share as often as
        # in money ("lost 70%").
        return "figure" if _CHANGE_Q.search(text) else "money"
    if _FIGURE_Q.search(text) or _QUANTITY_Q.search(text.strip()) or _CLOCKED_Q.search(text):
        return "figure"
    if _DATE_Q.search(text.strip()):
        return "date"
    # (also asked after a statement: "Laura Ashley's chief has resigned - who is replacing
    # her?", "Fulham drew late. Who hit their goal?")
    who = re.search(r"(?:^|[.!?:]\s+|\s[-–—]\s+)(?:and\s+)?(?:who|whom)\b(?!.*[.!?]\s+\S)",
                    text.strip(), re.I)
    if who and not _ANY_QUESTION_WORD.search(text.strip()[:who.start()]) or \
            _WHICH_NAMED.search(text.strip()) or _WHOSE_IN_PLACE.search(text.strip()):
        return "name"
    if _TERM_Q.search(text.strip()) or _TERSE_WHICH.match(text.strip()):
        return "term"
    return None


def question_numbers(text: str) -> tuple[str, ...]:
    """Figures the question states, other than years and days of a date."""
    numbers = []
    for match in _NUMBER_IN_TEXT.finditer(text):
        value = match.group(1)
        if _YEAR.fullmatch(value):
            continue
        numbers.append(value + (match.group(2) or ""))
    return tuple(dict.fromkeys(numbers))


# Prefixes English makes words with ("missteps", "overpaid"); what follows must be a common
# word of five letters or more, so "Underwood" stays a name
_WORD_PREFIXES = ("mis", "un", "non", "anti", "counter", "over", "under", "out", "re", "pre")


def english_form(word: str, store: StoreWords) -> bool:
    """Whether a word no article uses is still English rather than a name: the American
    spelling of a word the articles write with "s" ("scrutinized" for "scrutinised"), or a
    prefix on a common word ("missteps"). Typed in lower case, neither is a name to look
    for."""
    if "z" in word and not store.unseen([word.replace("z", "s")]):
        return True
    if word.endswith("ly") and len(word) >= 7 and (store.is_common_word(word[:-2])
                                                   or english_form(word[:-2], store)):
        return True  # an adverb of an English word: "inconsistently"
    for prefix in _WORD_PREFIXES:
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= 5 and (
                store.is_common_word(rest) or rest.endswith("s")
                and store.is_common_word(rest[:-1])):
            return True
    # "in-", "dis-" start names too ("Indiana"): only before a longer common word
    return any(word.startswith(prefix) and len(word) - len(prefix) >= 7
               and store.is_common_word(word[len(prefix):]) for prefix in ("in", "dis"))


def restore_case(text: str, store: StoreWords | None) -> str:
    """Capitalise the words of a lower-case question that the store's articles write with a
    capital where it is not the start of a sentence (names), and rare words the store has never
    seen (most likely names too: "olaf scholz")."""
    if store is None:
        return text
    words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]
    candidates = {w.lower() for _, _, w in words
                  if w.isalpha() and len(w) >= 2 and w.lower() not in QUESTION_WORDS
                  and w.lower() not in _OPTION_STOP}
    if not candidates:
        return text
    texts = store.texts_with(" ".join(sorted(candidates)))
    # Read only passages that share two or more of the question's words: they are about what
    # it asks ("Ask Jeeves" articles say nothing about how "ask" is written in "li qiang ask").
    found = [{w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", t)} & candidates
             for t in texts]
    if len(candidates) > 1 and any(len(f) > 1 for f in found):
        texts = [t for t, f in zip(texts, found, strict=True) if len(f) > 1]
    capital: dict[str, int] = {}
    lower: dict[str, int] = {}
    for passage in texts:
        for match in re.finditer(r"[A-Za-z][A-Za-z'’-]*", passage):
            word = match.group(0)
            key = word.lower()
            if key not in candidates:
                continue
            before = passage[:match.start()].rstrip()
            if not before or before[-1] in ".!?\"“:":
                continue  # a sentence's first word says nothing about names
            if word[0].isupper():
                capital[key] = capital.get(key, 0) + 1
            else:
                lower[key] = lower.get(key, 0) + 1
    unseen = store.unseen(sorted(candidates - set(capital) - set(lower)))
    keys = [w.lower() for _, _, w in words]
    name_like = [capital.get(k, 0) > 2 * lower.get(k, 0) or (
        k in unseen and not store.is_common_word(k) and not english_form(k, store))
        for k in keys]
    # An unseen word next to a name belongs to it ("olaf scholz": "olaf" is a common word).
    for i, key in enumerate(keys):
        if key in unseen and not name_like[i] and (
                (i > 0 and name_like[i - 1]) or (i + 1 < len(keys) and name_like[i + 1])):
            name_like[i] = True
    named_outlets = _outlet_words(text, store)
    out = []
    position = 0
    for (start, end, word), capitalised in zip(words, name_like, strict=True):
        out.append(text[position:start])
        out.append(word[:1].upper() + word[1:] if capitalised or start in named_outlets
                   else word)
        position = end
    out.append(text[position:])
    return "".join(out)


# Where a question names the outlet of a report ("a bloomberg article", "presented by cnn",
# "an article by the bbc and ...")
_SLOT_WORD = r"(?!(?:a|an|the|from|by|in|of|on|and|or|to|for|with|its|their)\b)[a-z][\w.&'’-]*"
_SLOT_WORDS = r"(" + _SLOT_WORD + r"(?:\s+" + _SLOT_WORD + r"){0,2}?)"
# What a report is said to do ("does the article from reuters suggest ..."): the outlet's
# name ends where one of these follows it.
_REPORTING_VERB = (r"(?:suggest|say|report|claim|state|indicate|impl(?:y|ie)|describe|mention|"
                   r"note|argue|highlight|discuss|portray|attribute|focus|cover|credit|present)"
                   r"(?:s|es|d|ed)?")
_OUTLET_SLOT = re.compile(
    r"\b(?:article|report|piece|story|coverage|analysis|editorial|column|interview|review)s?"
    r"\s+(?:from|by|in)\s+(?:both\s+)?(?:the\s+)?['‘\"]?" + _SLOT_WORDS + r"(?=\s+(?:and|or|on|"
    r"about|that|which|who|detailing|discussing|" + _REPORTING_VERB + r")\b|[,.;:?'’\"]|$)|"
    r"(?:\b(?:a|an|the|in)\s+|['‘\"])" + _SLOT_WORDS
    + r"['’\"]?\s+(?:article|report|piece|story|review|analysis)s?\b|"
    r"\b(?:reported|published|written|covered|presented)\s+(?:by|in)\s+(?:both\s+)?"
    r"(?:the\s+)?['‘\"]?" + _SLOT_WORDS + r"(?=\s+(?:and|or|on|about|that|which|who)\b|"
    r"[,.;:?'’\"]|$)|"
    r"\b(?:after|when|before|since|once)\s+(?:the\s+)?" + _SLOT_WORDS
    + r"\s+(?:reported|published)\s+(?:on|that)\b")


def _outlet_words(text: str, store: StoreWords) -> set[int]:
    """Where the words of an outlet a lower-case question names start, when the store writes
    that name with capitals or never uses it: "bloomberg", "wall street journal", "cnn" there
    are read as the names they are, from every article that uses them, not only those on the
    question's subject (which may never mention the outlet). "the government" stays a common
    noun."""
    starts: set[int] = set()
    for match in _OUTLET_SLOT.finditer(text):
        group = next(g for g in range(1, 5) if match.group(g))
        phrase = match.group(group).rstrip("'’\"")  # "'reuters' article": the closing quote
        if not phrase or any(w in QUESTION_WORDS for w in phrase.split()):
            continue
        capital = lower = 0
        pattern = re.compile(r"(?<![\w'’-])" + r"\s+".join(map(re.escape, phrase.split()))
                             + r"(?![\w'’-])", re.I)
        for passage in store.texts_with(phrase):
            for found in pattern.finditer(passage):
                if passage[found.start():found.start() + 1].isupper():
                    capital += 1
                else:
                    lower += 1
        # (a name no article uses at all is no common noun either: "presented by cnn")
        if capital >= 2 and capital > 2 * lower or not capital + lower and \
                store.unseen(phrase.split()) == set(phrase.split()):
            base = match.start(group)
            starts |= {base + m.start() for m in re.finditer(r"\S+", phrase)}
    return starts


_TYPED_WORD = re.compile(r"(?<![\w'’-])[A-Za-z][a-z]{4,}(?![\w'’-])")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _slips_of(word: str, long_word: int = 8) -> set[str]:
    """The words one slip of the keyboard away: two letters swapped, one dropped or one
    added ("rasied" -> "raised", "traning" -> "training"), and in a long word one typed for
    another ("explenation"). In a short word that last turns too many names into words
    ("bauer" -> "bayer")."""
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)}
    dropped = {word[:i] + word[i + 1:] for i in range(len(word))}
    added = {word[:i] + c + word[i:] for i in range(len(word) + 1) for c in _LETTERS}
    typed = {word[:i] + c + word[i + 1:] for i in range(len(word)) for c in _LETTERS} \
        if len(word) >= long_word else set()
    return (swapped | dropped | added | typed) - {word}


_SWAPPED_NAME_LENGTH = 5  # shorter names swapped make other names ("Bale"/"Blae"); by design


def corrected_typos(text: str, store: StoreWords | None, restored: bool = False,
                    long_word: int = 8) -> str:
    """The question with each lower-case word that is no English word and no article's,
    but one slip away from exactly one common word the articles use, written as that word:
    "shorter traning" is read as "shorter training" instead of abstaining on a name no
    article mentions. `restored`: the text is a lower-case question whose names got their
    capitals back, and such a word got one too; one standing alone (no capitalised word
    beside it) is corrected, one beside another ("Michael Buble") is a name."""
    if store is None:
        return text
    words = list(_TYPED_WORD.finditer(text))

    def beside_a_name(match: re.Match) -> bool:
        before = text[:match.start()].split()[-1:]
        after = text[match.end():].split()[:1]
        return any(w[:1].isupper() for w in before + after)

    out, position = [], 0
    for match in words:
        word = match.group(0)
        if word[0].isupper() and not restored and len(word) >= _SWAPPED_NAME_LENGTH:
            # A name with two letters typed the wrong way round ("Theirry Henry"), when only
            # one such swap is a word the articles hold; other slips of a name too often make
            # another name.
            lower = word.lower()
            if store.unseen([lower]) and not store.is_common_word(lower):
                swaps = sorted({lower[:i] + lower[i + 1] + lower[i] + lower[i + 2:]
                                for i in range(1, len(lower) - 1)} - {lower})
                held = [v for v in swaps if v not in store.unseen(swaps)]
                if len(held) == 1:
                    out.append(text[position:match.start()] + held[0].capitalize())
                    position = match.end()
            continue
        if word[0].isupper() and not (restored and not beside_a_name(match)):
            continue
        lower = word.lower()
        if lower in QUESTION_WORDS or store.is_common_word(lower) or not store.unseen([lower]):
            continue
        common = sorted(v for v in _slips_of(lower, long_word) if store.is_common_word(v))
        known = [v for v in common if v not in store.unseen(common)] if common else []
        if len(known) == 1:
            fix = known[0].capitalize() if word[0].isupper() and not restored else known[0]
            out.append(text[position:match.start()] + fix)
            position = match.end()
    out.append(text[position:])
    return "".join(out)


def rare_unseen_words(text: str, store: StoreWords | None, min_length: int) -> tuple[str, ...]:
    """Names of the question (capitalised words, after a lower-case question got its capitals
    back) that no article contains and that are not common English: the question is about
    someone or something the store does not hold. Ordinary words are left alone: a question
    may use a word no article happens to use ("scrutinised") and still be answered."""
    if store is None:
        return ()
    words = set()
    for match in re.finditer(r"[A-Za-z][A-Za-z'’-]+", text):
        word = match.group(0)
        before = text[:match.start()].rstrip()
        if not word[0].isupper() or not before or before[-1] in ".!?":
            continue
        words.add(re.sub(r"['’]s$", "", word.strip("'’")).lower())
    candidates = sorted(w for w in words if len(w) >= min_length and w not in QUESTION_WORDS
                        and w not in _OPTION_STOP and not store.is_common_word(w))
    if not candidates:
        return ()
    unseen = store.unseen(candidates)
    # A name's plural is the name: "the Oliviers" are the Olivier awards.
    singular = {w: w[:-1] for w in unseen if w.endswith("s") and not w.endswith("ss")}
    held = set(singular.values()) - set(store.unseen(sorted(set(singular.values()))))
    # (An unseen given name counts even before a surname the store holds: "Indrani Roy" is
    # no one the articles know because some article names a Roy.)
    return tuple(w for w in candidates if w in unseen and singular.get(w) not in held)


# "A mate told me ...", "I heard that ...": who passed a claim on is not part of it.
_HEARSAY = re.compile(
    r"^(?:(?:a|my|some|one)\s+(?:\w+\s+){0,2}?(?:told|tells|said to)\s+me|someone\s+(?:told|"
    r"tells|said to)\s+me|i\s+(?:have\s+|'ve\s+|’ve\s+)?(?:heard|read|seen)|i\s+was\s+told|"
    r"i['’]m\s+told|i\s+am\s+told|i\s+think|people\s+(?:say|are\s+saying)|apparently|"
    r"(?:i['’]ve\s+|i\s+)?heard|(?:i['’]m\s+)?pretty\s+sure|"
    r"rumour\s+has\s+it|word\s+is)\s*(?:that\s+)?,?\s*", re.I)
# "Is that true?", "Right?", "Is this correct?": a sentence that asks whether the one before
# it holds.
_CHECK_THAT = re.compile(r"^(?:(?:is|was)\s+(?:that|this|it)\s+(?:really\s+)?(?:true|right|"
                         r"correct|so|the case|accurate)|(?:true|right|correct|really)|am i right"
                         r"|(?:does|did)\s+(?:that|this)\s+(?:hold|check out)"
                         r"|(?:is\s+there\s+)?any\s+truth\s+(?:in|to)\s+(?:that|this|it)"
                         # "Is that what the figures showed?", "Have I got that figure right?"
                         r"|(?:is|was)\s+(?:that|this)\s+(?:really\s+|actually\s+)?(?:what|how)"
                         r"\s+[^?]+"
                         # "Is that a fair reading of the two reports?", "Are both of those
                         # correct?"
                         r"|(?:is|was)\s+(?:that|this)\s+(?:an?\s+)?(?:accurate|fair|correct|right|"
                         r"true)\s+(?:read|reading|summary|description|account)\b[^?]*"
                         r"|(?:are|were)\s+(?:both\s+(?:of\s+)?|all\s+(?:of\s+)?)?(?:those|these|"
                         r"they|both)\s+(?:both\s+|all\s+|really\s+)?(?:true|right|correct|"
                         r"accurate)"
                         r"|(?:have|did)\s+i\s+(?:got|get)\s+(?:that|this|it)(?:\s+\w+)?\s+right"
                         # "Did he say that?", "Has the report really claimed so?"
                         r"|(?:did|does|do|has|have|had)\s+(?:he|she|they|it|the\s+\w+)\s+"
                         r"(?:really\s+|actually\s+)?(?:say|said|claim|claimed|write|written|"
                         r"wrote|report|reported|suggest|suggested|mean|meant)\s+(?:that|this|so)"
                         r")\s*\??$", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Za-z\"“‘'])")
_ABBREVIATIONS = frozenset("mr mrs ms dr st prof gen sen rep gov lt col sgt capt jr sr vs etc "
                           "inc ltd co corp bros no approx".split())


_QUOTE_OPENS = re.compile(r"(?:^|(?<=[\s(]))['\"“‘]")
_QUOTE_CLOSES = re.compile(r"['\"”’](?=[\s,.;:!?)]|$)")


def _inside_quote(text: str) -> bool:
    return len(_QUOTE_OPENS.findall(text)) > len(_QUOTE_CLOSES.findall(text))


_ASKING_WORD = re.compile(r"(?:who|whom|whose|what|when|where|which|why|how|"
                          + "|".join(_AUXILIARIES) + r")\b")


def _sentences(text: str) -> list[str]:
    """The sentences of a question; "Mr. Smith" and "the U.S. Senate" stay whole."""
    pieces: list[str] = []
    start = 0
    lower = is_lower_case(text)
    for match in _SENTENCE_END.finditer(text):
        if not lower and text[match.end()].islower() and not _ASKING_WORD.match(
                text, match.end()):
            # "Did they turn up for the Mamma Mia! premiere?" (a lower-case question whose
            # names got their capitals back still starts its next sentence with "did")
            continue
        before = text[start:match.start()]
        last = before.split()[-1] if before.split() else ""
        word = last.rstrip(".!?").lower()
        if last.endswith(".") and (word in _ABBREVIATIONS or "." in word or len(word) == 1):
            continue
        if _inside_quote(text[:match.start()]):
            continue  # "... 'Wonder Seeds cause the levels in Super Mario Bros. Wonder to ...'"
        pieces.append(before)
        start = match.end()
    pieces.append(text[start:])
    return [piece.strip() for piece in pieces if piece.strip()]


# "something like a third", "roughly 40%": a hedge on a figure is the asker's doubt, not part
# of the claim a source must say ("nearly" and "almost" are bounds, which the check reads).
_HEDGE = re.compile(r"\b(?:something like|roughly|approximately|more or less|"
                    r"(?:about|around|some)(?=\s+\d))\s+(?=(?:a|an|one|two|three|four|five|six|"
                    r"seven|eight|nine|ten|half)\b|\d)", re.I)


# "did its retail side actually see profits go down?": a word of emphasis tells no fact.
_EMPHASIS = re.compile(r"\b(?:actually|really|truly|indeed|genuinely)\s+(?=[a-z])", re.I)


def without_hedges(claim: str) -> str:
    return _EMPHASIS.sub("", _HEDGE.sub("", claim))


# "Apart from learning to run, what else ...", "Besides the MDA IV, what else ...", "What else
# did they announce, other than the phone?": what the asker already knows.
_EXCLUSION = re.compile(r"^(?:apart from|besides|other than|aside from|except for|beyond)\s+"
                        r"[^,?]+,\s*|,?\s+(?:apart from|besides|other than|aside from|"
                        r"except for)\s+[^,?]+(?=\?*$)", re.I)


def without_exclusion(question: str) -> str:
    """The question without the thing it says it already knows of."""
    return _EXCLUSION.sub("", question.strip()).strip() or question


def asking_sentence(text: str) -> tuple[str, str]:
    """(what is asked, the claim it asks about or "") of a question written in several
    sentences: "I'm thinking about fostering. What weekly rate ...?" asks its last question;
    "A mate told me the UK lost a third of its developers. Is that true?" asks whether the
    sentence before holds (without "a mate told me"). One sentence: (text, "")."""
    pieces = _sentences(text.strip())
    if len(pieces) < 2:
        return text, ""
    if _CHECK_THAT.match(pieces[-1].strip()):
        claim = _HEARSAY.sub("", " ".join(pieces[:-1]).strip().rstrip(".!"))
        return text, claim
    asked = [p for p in pieces if p.rstrip().endswith("?")]
    if not asked and re.match(r"(?:and\s+|so\s+)?(?:who|whom|whose|what|when|where|which|why|how|"
                              + "|".join(_AUXILIARIES) + r"|name|identify)\b", pieces[-1].strip(),
                              re.I):
        # typed without its question mark: "... overwhelmed him. who is it", "... on 15
        # December. did it paint google the same way both times"; asked as a request: "...
        # with Kirk Cousins or Josh Dobbs under center. Name the team."
        asked = [pieces[-1]]
    if len(asked) != 1 or asked[0] is not pieces[-1]:
        # several questions in one ("... ?\n\n ... ?") or none: read as a whole
        return text, ""
    return asked[0].strip(), ""


# "Any idea who chairs ...?", "Do you know what ...", "Remind me when ...": a polite opening
# before the question proper, which is read as if asked alone.
# The question word may follow a preposition ("Do you know at which conference ...").
_OPENING = re.compile(r"^(?:so,?\s+)?(?:(?:got\s+)?any\s+idea|"
                      r"(?:do|would)\s+(?:you|we)\s+(?:happen\s+to\s+)?know|"
                      r"does\s+any(?:one|body)\s+know|is\s+it\s+known|"
                      r"(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:tell|remind|let)\s+me"
                      r"(?:\s+know)?|(?:would|do)\s+you\s+mind\s+(?:telling|letting)\s+me(?:\s+know)?|"
                      r"remind\s+me|tell\s+me|i\s+(?:was\s+|am\s+)?wonder(?:ing)?|i['’]m\s+wondering|"
                      r"i(?:['’]d|\s+would)\s+(?:like|love)\s+to\s+know|i\s+(?:want|need)\s+to\s+know|"
                      r"quick\s+question)"
                      r"[,:]?\s+(?=(?:(?:at|in|on|from|to|by|for|with|of|about|under|after|before)\s+)?"
                      r"(?:who|whom|whose|what|when|where|which|why|how)\b)", re.I)


# "Just to double-check: ...", "Correct me if I'm wrong, but ...", "..., or am I
# misremembering?": the asker's own doubt around a statement, which is what is asked about.
_CHECK_FRAMING = re.compile(
    r"^(?:(?:[\w'’-]+\s+){0,4}[\w'’-]+\s*:\s+(?=\S+\s+\S+\s+\S+)|"
    r"[^,?]*\b(?:i|i['’]m|me|my)\b[^,?]*,\s*but\s+|"
    r"(?:am\s+i\s+right|would\s+i\s+be\s+right|is\s+it\s+(?:true|right|correct))\s+"
    r"(?:in\s+thinking|to\s+(?:say|think))?\s*(?:that\s+)?|"
    r"(?:i['’]m\s+|i\s+am\s+)?pretty\s+sure\s+(?:that\s+)?)", re.I)
_DOUBT_TAIL = re.compile(r",?\s+or\s+(?:am|was|have|did|do)\s+i\b[^?]*\?\s*$|"
                         r",?\s+or\s+(?:is|was)\s+(?:that|it)\s+(?:wrong|not so)\??\s*$|"
                         r",?\s+or\s+not\s*\?\s*$", re.I)
# A statement asked back is a yes/no question unless a clause of it opens with a question
# word ("BA's dropping its Saudi routes - which cities ...?" asks which).
_CLAUSE_QUESTION_WORD = re.compile(
    r"(?:^|[,;:]\s+|\s[-–—]\s+)(?:(?:and|but|so|from|to|by|in|on|at|for|with|since|until|"
    r"of|about)\s+)*(?:who|whom|whose|what|when|where|which|why|how)\b|"
    r"\b(?:what|which|who|whom|whose|how (?:much|many))\b", re.I)


def without_check_framing(question: str) -> str:
    """A statement asked back without the asker's doubt around it: "Correct me if I'm wrong,
    but Johnnie Cochran is leading the team?" -> "Johnnie Cochran is leading the team?"."""
    text = _DOUBT_TAIL.sub("?", question.strip())
    framing = _CHECK_FRAMING.match(text)
    if framing and not _SUMMARY.search(text[:framing.end()].lower()):
        rest = text[framing.end():]
        text = rest[:1].upper() + rest[1:] if not is_lower_case(question) else rest
    # (only a statement, or a yes/no question, is read without them: "Quick explainer
    # please: what is ...?" asks for an explainer)
    first = text.split(" ", 1)[0].lower()
    return text if is_statement_asked(text) or first in _AUXILIARIES else question


def is_statement_asked(text: str) -> bool:
    """Whether a question is a statement asked back ("Ronaldo signed a four-year deal when he
    joined United?"): four words or more, a question mark, no question word opening a clause
    and no "what" / "which" / "how much" anywhere, and not a request ("Tell me ...")."""
    body = text.strip()
    if not body.endswith("?") or len(body.split()) < 4:
        return False
    if _CLAUSE_QUESTION_WORD.search(body):
        return False
    first = body.split()[0].lower().strip(",")
    return first not in _AUXILIARIES and first not in {"tell", "give", "show", "list", "name",
                                                        "explain", "describe", "please"}


# A word said before asking, set off by its comma ("Wait, does MSN Spaces carry ads?"): English
# interjections and discourse markers, a closed class.
_INTERJECTION = re.compile(r"^(?:wait|hang on|hold on|h+m+|oh|ah|ok(?:ay)?|right|well|u+m+|e+r+|"
                           r"actually|honestly|sorry|hey|so|anyway|listen|look)\s*[,.!:;–—]+\s*"
                           r"(?=\S)", re.I)


# "whats", "didnt": a contraction typed without its apostrophe (on a phone, in a hurry)
_BARE_CONTRACTION = re.compile(r"\b(what|who|where|that|there)(s)\b|"
                               r"\b(do|does|did|is|was|are|were|has|have|had|could|would|should)"
                               r"(nt)\b", re.I)


def with_apostrophes(question: str) -> str:
    """The question with its contractions' apostrophes back ("whats the story" -> "what's
    the story"), so it is read as the question it is rather than a name ("Whats") or a
    word no article has."""
    def mend(match: re.Match) -> str:
        if match.group(1):
            return f"{match.group(1)}'{match.group(2)}"
        return f"{match.group(3)}n't"
    return _BARE_CONTRACTION.sub(mend, question)


def without_opening(question: str) -> str:
    """The question without a polite opening before its question word ("Any idea who
    chairs the Hansard Society?" -> "who chairs the Hansard Society?", capitalised) or a word
    said before asking ("Wait, does ...?")."""
    text = question.strip()
    said = _INTERJECTION.match(text)
    if said:
        text = text[said.end():]
    match = _OPENING.match(text)
    if not match and not said:
        return question
    rest = text[match.end():] if match else text
    return rest[:1].upper() + rest[1:] if not is_lower_case(question) else rest


# "According to Fortune, who ...", "Per The Age, which ...": who says it, put before the
# question word; the question proper follows.
_ATTRIBUTION = re.compile(r"^(?:according\s+to|per|as\s+reported\s+by|going\s+by)\s+"
                          r"[^,?]{1,80},\s+(?=(?:who|whom|whose|what|when|where|which|how)\b)",
                          re.I)
# "Name the person who ...", "Name the company that ...": one name asked for (a plural, "Name
# the firms that ...", is a list).
_NAME_ONE = re.compile(r"^(?:please\s+)?name\s+(?:the|a|an|one|this)\s+((?:[\w'’-]+\s+){0,4}?"
                       r"[\w'’-]*?(?:[^s\W]|ss))(?:\s+(?:who|that|which|whose)\b\s*|\W*$)", re.I)
PERSON_NOUNS = frozenset("person individual man woman figure executive player athlete "
                          "entrepreneur official minister spokesman spokeswoman boss chief "
                          "director manager coach actor actress singer author writer judge "
                          "lawyer politician leader founder investor".split())


def as_asked(asked: str) -> str:
    """The asking sentence as the question it is: an attribution before the question word
    read away ("According to Fortune, who backs ...?" -> "who backs ...?"), and "Name the
    person who ..." read as "Who ...?" ("Name the company that ..." as "Which company ...?").
    Who says it stays in the question the store is searched with."""
    attributed = _ATTRIBUTION.match(asked)
    if attributed:
        rest = asked[attributed.end():]
        return rest[:1].upper() + rest[1:] if not is_lower_case(asked) else rest
    named = _NAME_ONE.match(asked)
    if named:
        noun, rest = named.group(1), asked[named.end():]
        lead = "Who" if noun.split()[-1].lower() in PERSON_NOUNS else f"Which {noun}"
        return f"{lead} {rest}".rstrip()
    return asked


def analyse(question: str, store: StoreWords | None = None, rare_word_length: int = 4,
            slip_length: int = 8) -> QuestionAnalysis:
    """Read a (cleaned) question. With `store`, a lower-case question gets its names'
    capitals back and rare words the store has never seen are listed. A question written in
    several sentences is read for its kind from the one that asks (`asking_sentence`), and
    for its names and words from all of them."""
    lower = is_lower_case(question)
    question_read = with_apostrophes(question)
    cased = corrected_typos(restore_case(question_read, store), store, True, slip_length) \
        if lower else corrected_typos(question_read, store, False, slip_length)
    cased = without_opening(cased)
    asked, checked = asking_sentence(cased)
    asked = without_opening(asked)  # "My brother-in-law ... Do you know how much ...?"
    asked = as_asked(without_check_framing(asked))
    if checked:
        kind, wh = ("choice" if choice_options(checked) else "yesno"), None
    else:
        kind, wh = question_kind(asked)
    options = choice_options(checked or asked) if kind == "choice" else ()
    days = tuple(find_dates(cased))
    years = tuple(dict.fromkeys(int(y) for y in _YEAR.findall(cased)))
    claim = without_hedges(checked or claim_of(asked)) if kind in ("yesno", "choice") else ""
    return QuestionAnalysis(
        text=question, cased=cased, kind=kind, wh=wh, names=tuple(question_names(cased)),
        years=years, days=days, numbers=question_numbers(cased), options=options,
        claim=claim, lower_case=lower,
        rare_unseen=rare_unseen_words(cased, store, rare_word_length),
        expects=expected_answer(asked, kind), change=change_asked(asked),
        counted=counted_thing(asked),
        measured=measured_thing(asked),
        tokens=tuple(lexical_tokens([cased])[0]))
