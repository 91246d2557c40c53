"""Does this article sentence say what the claim says? Supported, contradicted or not found.

Sharing words is not enough: "Cairn Energy shares plummeted 6%" shares nearly every word with
"Cairn Energy shares jumped 6%", and says the opposite. So a source sentence that is *about* a
claim (enough of the claim's telling words, close in meaning: the relatedness test) is then
read frame by frame, with rules about English rather than about any articles:

- numbers and dates: each figure of the claim must be the source's, standing by the same words
  ("6%" by "shares", not by "ending up"); another figure in the same slot contradicts;
- direction: a figure or a thing that rose in the source must not fall in the claim (rose,
  jumped, higher, won ... against fell, plunged, lower, lost ...);
- polarity: "did not confirm" is not "confirmed", "insignificant" is not "significant";
- the speaker or actor: "Michel said" is not "von der Leyen said"; the actor of a claim must
  not be another person the source's passage names while the source gives the act to someone
  else;
- names: a name the claim uses must be in the source sentence or the passage around it.

A claim that one related source contradicts and none supports is "contradicted" (with that
sentence); one that no source supports is "not found". A claim made of clauses ("X said A, and
Y said B") may be supported clause by clause by different sentences. spaCy's parser would
attach words to heads more exactly; it was measured and not adopted (docs/answers.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import Stemmer

from index import lexical_tokens

from .policy import CheckPolicy

Status = Literal["supported", "contradicted", "not_found"]

_STEMMER = Stemmer.Stemmer("english")
# ("V8", "MP3", "A380": letters then digits are a name, one word, no figure)
# A number word hyphened to a span of time is a figure of its own, as a digit is ("an
# eight-week ban" reads as 8 weeks, as "a 10-year-old" reads 10); not "one" ("a one-day
# strike"), nor a word such as "four-set" (a match won in four sets is not its first set).
_HYPHENED_NUMBER = (r"(?i:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|"
                    r"thirty|forty|fifty|sixty|seventy|eighty|ninety)"
                    r"(?=-(?i:year|month|week|day|hour|minute)s?\b)")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*(?:\s?(?:%|per\s?cent|percent))?|[A-Za-z]+\d[A-Za-z\d]*|"
                    r"\b" + _HYPHENED_NUMBER + r"|[A-Za-z][A-Za-z'’-]*|n't")
_UNIT_SUFFIX = re.compile(r"^(\d+(?:[.,]\d+)*)(bn|m|k|s|st|nd|rd|th|pc)?$", re.I)
_STOP = frozenset("""
a an and are as at be been being but by for from had has have he her his i if in into is it its
of on or our she so such than that the their them then there these they this those to was we were
what when where which who whom will with would could should can may might must shall do does did
also just only even still yet very much more most some any all each both about over after before
up down out off again further once here how why whose while during until against between through
per via said says say told tell tells added adds according reported reports
""".split())
# Words that only carry a figure's unit: "6 per cent", "400 billion euros".
_UNITS = frozenset("""
per cent percent percentage point points billion million thousand bn m k euros euro dollars
dollar pounds pound yen yuan us $ £ € year years month months week weeks day days
""".split())
_NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_NUMBER_WORDS.update({"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60",
                      "seventy": "70", "eighty": "80", "ninety": "90", "hundred": "100",
                      "dozen": "12", "half": "0.5",
                      # a group of so many: "the quartet" is four of them
                      "duo": "2", "pair": "2", "trio": "3", "quartet": "4", "quintet": "5",
                      "sextet": "6", "twins": "2", "triplets": "3",
                      # so many times: "scoring twice" is two goals
                      "twice": "2", "thrice": "3"})
# Ordinals are figures of their own kind ("his second Super Bowl show" is not his first).
_ORDINALS = {w: f"{i}th" for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth".split(), start=1)}
# "at first", "a second", "per second", "split-second": not a place in a sequence.
_NOT_ORDINAL_AFTER = frozenset("at a per every one split few".split())
_CALENDAR = {w: "month" for w in """january february march april may june july august september
october november december""".split()} | {w: "weekday" for w in """monday tuesday wednesday
thursday friday saturday sunday""".split()}
CALENDAR_WORDS = frozenset(_CALENDAR)  # month and weekday names

# Direction: +1 for up / more / winning, -1 for down / less / losing (general English).
_UP = """rise rises rising rose risen increase increased increases increasing jump jumped jumps
jumping climb climbed climbs climbing gain gained gains gaining grow grew grown grows growing
growth soar soared soars soaring surge surged surges surging rally rallied rallies rebound
rebounded rebounds swell swelled swollen swells expand expanded expands expanding boost boosted
boosts up higher high highest improve improved improves improving recover recovered recovers
strengthen strengthened accelerate accelerated more most ahead above exceed exceeded exceeds
raise raised raises raising won win wins winning beat beats defeated victory record peak peaked
double profit profits profitable stronger strong strengthens better best
doubled doubling triple tripled upgrade upgraded rocket rocketed leap leapt leaped widen widened
widens widening""".split()
_DOWN = """fall falls falling fell fallen drop dropped drops dropping decline declined declines
declining decrease decreased decreases decreasing plunge plunged plunges plunging plummet
plummeted plummets plummeting slump slumped slumps slide slid slides sliding sink sank sunk
sinks shrink shrank shrunk shrinks shrinking tumble tumbled tumbles dip dipped dips cut cuts
cutting reduce reduced reduces reducing lower lowest low lose loses losing lost loss losses
slow slowed slows slowing weaken weakened weakens down fewer less least behind below worse
worst worsen worsened slash slashed halve halved downgrade downgraded defeat weaker weak
weakens unprofitable
collapse collapsed crash crashed narrowed narrows narrowing""".split()
DIRECTION = {w: 1 for w in _UP} | {w: -1 for w in _DOWN}
# Polarity: a negator turns the next content word around; some verbs are a negated other.
_NEGATORS = frozenset("not n't no never without nor neither none nobody nothing cannot "
                      "unable fail failed fails failing".split()) | frozenset(
    # "isn't", "didn't" (either apostrophe): a word as the tokenizer keeps it
    f"{verb}{mark}t" for verb in "isn aren wasn weren doesn don didn hasn haven hadn won wouldn "
    "can couldn shouldn mustn".split() for mark in "'’")
_AUXILIARIES = frozenset("be been being is are was were has have had will would".split())
_NEGATED_AS = {"deny": "confirm", "denied": "confirm", "denies": "confirm", "denying": "confirm",
               "reject": "accept", "rejected": "accept", "rejects": "accept",
               "refuse": "agree", "refused": "agree", "refuses": "agree",
               "disagree": "agree", "disagreed": "agree", "disagrees": "agree",
               "absent": "present", "false": "true", "illegal": "legal",
               "unlikely": "likely", "impossible": "possible", "insignificant": "significant",
               "inconsistent": "consistent", "unrelated": "related", "lack": "have",
               "lacks": "have", "lacked": "have"}
_ABSENCE = frozenset("absence absences".split())
_ARTICLES = frozenset("the a an his her their its our this that".split())
_NEGATIVE_BEFORE_TO = frozenset("decline declined declines declining refuse refused refuses "
                                "fail failed fails failing".split())
# "with Burrow out", "with Kane sidelined": said after a name, it is away
_ABSENT_AFTER = frozenset("out sidelined injured absent suspended missing unavailable".split())
# "decided against punishing him", "voted against renewing it": a choice made not to do it
_CHOOSING = frozenset("decide decided decides deciding opt opted opts opting vote voted votes "
                      "voting choose chose chooses choosing".split())
_NEGATION_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non")
# A negating prefix is read only on words shaped like adjectives or participles
# ("insignificant", "unrelated", "illegal"), not on "discover" or "disease".
_ADJECTIVE_ENDING = re.compile(r"(?:able|ible|ful|ant|ent|al|ive|ed|ic|ous|ary|ory|ly|ar)$")
_SKIP_AFTER_NEGATOR = frozenset("be been being is are was were have has had do does did to a an "
                                "the any even ever yet also really officially so too very "
                                "always in on at of for with from by into about".split())
_SPEECH = frozenset("""said says say told tells tell added adds warned warns stressed stresses
noted notes argued argues claimed claims announced announces insisted insists explained
explains asked asks urged urges stated states wrote writes believes believed thinks thought
cautioned cautions admitted admits confirmed confirms denied denies""".split())
_PRONOUNS = frozenset("he she they it we i you his her their its".split())
_NEVER_SEEN = "\u2401"  # no text yields this token: its weight is a word the store lacks


def _verb_forms(verb: str) -> set[str]:
    """A regular verb's forms: "note" -> note, notes, noted, noting."""
    if verb.endswith("y"):
        return {verb, f"{verb[:-1]}ies", f"{verb[:-1]}ied", f"{verb}ing"}
    stem = verb[:-1] if verb.endswith("e") else verb
    return {verb, f"{verb}s", f"{stem}ed", f"{stem}ing"}


# Verbs that report speech, stemmed as lexical tokens are: one in a claim paraphrases another
# in its source.
_REPORTING = frozenset(_STEMMER.stemWord(form) for verb in """say tell add warn stress note argue
claim announce insist explain ask urge state write emphasise emphasize specify mention remark
comment describe suggest indicate report reveal point acknowledge assert declare""".split()
                       for form in _verb_forms(verb) | {"said", "told", "wrote", "written"})
# Words that say how exact a figure is, not what it is.
_APPROXIMATE = frozenset(_STEMMER.stemWord(w) for w in """approximately approximate roughly
around about nearly almost circa estimated some""".split())
_NAME_RUN = re.compile(r"(?:[A-Z][\w'’.&-]*)(?:\s+(?:(?:of|de|von|der|van|la|le|bin|al)\s+)*"
                       r"[A-Z][\w'’.&-]*)*")


# Past forms whose stem is not their present's ("held" / "hold"): a negation or a polarity is
# compared on the verb itself.
_IRREGULAR = dict(pair.split(":") for pair in """held:hold took:take made:make gave:give
went:go came:come won:win lost:lose told:tell got:get saw:see knew:know thought:think
found:find left:leave brought:bring bought:buy sold:sell paid:pay met:meet ran:run
began:begin wrote:write spoke:speak became:become kept:keep felt:feel led:lead stood:stand
sent:send built:build fell:fall rose:rise struck:strike drew:draw grew:grow chose:choose
broke:break drove:drive fought:fight caught:catch taught:teach sought:seek shot:shoot
threw:throw understood:understand meant:mean spent:spend hung:hang swore:swear said:say
says:say""".split())


# Irregular past forms, for telling a clause that reports an event ("the ECB cut rates").
PAST_FORMS = frozenset(_IRREGULAR) - {"says"} | frozenset(
    "cut put set hit let quit shut spread cost".split())


_MOTION_VERBS = frozenset("go goes going went gone come comes came move moves moved moving shot "
                          "shoots edge edged edges inch inched tick ticked head headed".split())


@dataclass(frozen=True)
class Word:
    """One word of a sentence: as written, lower-cased, stemmed, and its position."""

    text: str
    lower: str
    stem: str
    index: int
    start: int
    number: str | None = None  # normalised figure ("6%", "430", "1000")
    in_name: bool = False  # a number word inside a name ("the Six Nations"): no figure


@dataclass(frozen=True)
class Reading:
    """What the frame rules read from one sentence."""

    text: str
    words: tuple[Word, ...]
    names: frozenset[str]  # lower-cased words of capitalised names (not sentence-initial)
    speaker: frozenset[str]  # the speaker's name words; {"<pronoun>"} for "he said"
    actor: frozenset[str]  # the leading name run (subject) of the sentence
    runs: frozenset[frozenset[str]] = frozenset()  # a context's name runs (whole passage)

    @property
    def numbers(self) -> list[Word]:
        """The figures it states (not "Six" in "the Six Nations")."""
        return [w for w in self.words if w.number is not None and not w.in_name]

    @property
    def written_numbers(self) -> set[str]:
        """Every figure it writes, names' too ("Forty Shades of Blue" writes 40)."""
        return {w.number for w in self.words if w.number is not None}


def _number(token: str) -> str | None:
    """The figure a token states, normalised; None when it is not a figure."""
    lower = token.lower()
    percent = bool(re.search(r"%|per\s?cent|percent", lower))
    digits = re.match(r"\d+(?:[.,]\d+)*", lower)
    if digits:
        value = digits.group(0)
        value = value.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+", value) else \
            value.replace(",", ".")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        return value + ("%" if percent else "")
    if lower in _NUMBER_WORDS:
        return _NUMBER_WORDS[lower]
    return None


_RATIO_AFTER = frozenset("as what the that its their his her a an this those these".split())


def read_sentence(text: str) -> Reading:
    """Words with stems and figures, names, speaker and actor of a sentence."""
    words: list[Word] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        lower = token.lower().replace("’", "'")
        if lower.endswith("'s"):
            lower = lower[:-2]
        unit = _UNIT_SUFFIX.match(lower)
        number = _number(token) if (token[0].isdigit() or lower in _NUMBER_WORDS) else None
        if lower in _ORDINALS and not (words and words[-1].lower in _NOT_ORDINAL_AFTER):
            number = _ORDINALS[lower]
        if unit and number is not None and unit.group(2) and not number.endswith("%"):
            number = _number(unit.group(1))
        if lower in ("up", "down") and words and words[-1].lower in _MOTION_VERBS:
            lower = "rose" if lower == "up" else "fell"  # "went up": a direction, not "set up"
        stem = _STEMMER.stemWord(_IRREGULAR.get(lower, lower)) if lower.isalpha() else lower
        words.append(Word(token, lower, stem, len(words), match.start(), number))
    # "one of America's most decorated athletes": a partitive, no amount (it had contradicted
    # "asking for $50m").
    for i, word in enumerate(words[:-1]):
        if word.lower == "one" and words[i + 1].lower == "of":
            words[i] = Word(word.text, word.lower, word.stem, word.index, word.start)
        # "twice what's typical", "twice as much", "twice the size": a ratio, no count
        if word.lower in ("twice", "thrice") and words[i + 1].lower in _RATIO_AFTER:
            words[i] = Word(word.text, word.lower, word.stem, word.index, word.start)
    # A number word with a capital inside a run of them is part of a name, not a figure:
    # "the Six Nations", "Formula One", "the First World War".
    for i, word in enumerate(words):
        if word.number is not None and i > 0 and word.text[:1].isupper() and \
                not word.text[:1].isdigit() and any(
                    0 <= j < len(words) and words[j].text[:1].isupper()
                    and words[j].lower not in _CALENDAR for j in (i - 1, i + 1)):
            words[i] = Word(word.text, word.lower, word.stem, word.index, word.start,
                            word.number, in_name=True)
    names = set()
    for match in _NAME_RUN.finditer(text):
        if match.start() == 0 or text[:match.start()].rstrip()[-1:] in (".", "!", "?", '"', "“"):
            continue
        names.update(w.lower().strip("'’.") for w in match.group(0).split()
                     if w.lower() not in ("of", "de", "von", "der", "van", "la", "le", "bin",
                                          "al"))
    names = {re.sub(r"['’]s$", "", n) for n in names if n}
    return Reading(text, tuple(words), frozenset(names), _speaker(text), _actor(text))


def _speaker(text: str) -> frozenset[str]:
    """Who a "said" sentence quotes ("X said", "said X", "according to X"): the words of every
    such name; {"<pronoun>"} for "he said" with no name."""
    name = r"[A-Z][\w'’.&-]*(?:\s+(?:[A-Z][\w'’.&-]*|von|der|de|van))*"
    verbs = "|".join(sorted(_SPEECH))
    patterns = [
        rf"(?P<name>{name})(?:,[^,]{{1,80}},)?\s+(?:also\s+|has\s+|had\s+|later\s+|then\s+)?"
        rf"(?:{verbs})\b",
        rf"according to (?:the\s+)?(?P<name>{name})",
        rf"\b(?:said|says|added|warned|stressed)\s+(?P<name>{name})\s*[.,]?$",
    ]
    words: set[str] = set()
    for pattern in patterns:
        for match in re.finditer(pattern, text):
            found = {w.lower().strip("'’.") for w in match.group("name").split()}
            words |= found - _TITLE_WORDS - _PRONOUNS - _STOP
    if words:
        return frozenset(re.sub(r"['’]s$", "", w) for w in words)
    if re.search(rf"\b(he|she|they|we|i)\s+(?:also\s+)?(?:{verbs})\b", text, re.I):
        return frozenset({"<pronoun>"})
    return frozenset()


_TITLE_WORDS = frozenset("the mr mrs ms dr sir von der de van".split())


_PREPOSITIONS = frozenset(
    "about above across after against along amid among around at before behind below beneath "
    "beside besides between beyond by despite down during except for from inside into like near "
    "of off onto out outside over past since through throughout till to toward towards under "
    "underneath unlike until up upon via with within without according following".split())


def _actor(text: str) -> frozenset[str]:
    """The name a sentence opens with (its subject in news English), if it opens with one."""
    match = re.match(r"(?:The\s+)?(?P<name>[A-Z][\w'’.&-]*(?:\s+(?:[A-Z][\w'’.&-]*|von|der|de"
                     r"|van))*)", text.strip())
    if not match:
        return frozenset()
    words = {w.lower().strip("'’.") for w in match.group("name").split()}
    words -= {"the", "mr", "mrs", "ms", "dr", "sir", "von", "der", "de", "van", "but", "and",
              "as", "in", "on", "at", "for", "after", "before", "while", "when", "if", "it",
              "this", "that", "there", "they", "he", "she", "we", "a", "an", "its", "his",
              "her", "their", "our", "meanwhile", "however", "also", "yet", "so", "each",
              "every", "all", "some", "any", "both", "either", "neither", "no", "these",
              "those", "such", "many", "most", "few", "several", "another", "other"}
    words -= _PREPOSITIONS  # "Under the Lib Dem plan, pensioners ...": no one is called Under
    return frozenset(re.sub(r"['’]s$", "", w) for w in words if w)


def _content(word: Word) -> bool:
    return word.lower not in _STOP and word.number is None and word.lower.isalpha() \
        and word.lower not in _UNITS


def _anchors(reading: Reading, index: int, window: int, units: bool = False) -> set[str]:
    """Content stems within `window` words of position `index` (the words a figure, direction
    or negation belongs to), without direction words and figures; `units`: with the words that
    say what a figure counts ("years", "points")."""
    out = set()
    for word in reading.words[max(0, index - window):index + window + 1]:
        if word.index == index or word.lower in DIRECTION:
            continue
        if _content(word) or (units and word.lower in _COUNTING_UNITS):
            out.add(word.stem)
    return out


_COUNTING_UNITS = frozenset("year years month months week weeks day days point points".split())


# How a frame reports a name or a figure of the claim its source lacks (the verdict reads
# them back).
MISSING_NAME = "the source does not name "
# Words of a country's formal name that the short name and its people's name leave out: "the
# Czech Republic" is what "Roma Czechs" and "the Czech government" are about.
_STATE_WORDS = frozenset({"republic", "kingdom", "federation", "emirates", "principality"})


# "The deputy leader of Veritas is Peter Hulme-Cross", "Peter Hulme-Cross is Veritas' deputy
# leader": who holds a role, said with "is"/"was".
_HOLDER_NAME = r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)+"
_ROLE = r"(?:new\s+)?([a-z][\w-]*(?:\s+[a-z][\w-]*){0,2})"
_ROLE_IS_NAME = re.compile(rf"^(?:[Tt]he\s+|[Ii]ts\s+|[Tt]heir\s+){_ROLE}(?:\s+of\s+[^,]+?)?"
                           rf"\s+(?:is|was|will be|has been)\s+(?:now\s+)?({_HOLDER_NAME})\W*$")
_NAME_IS_ROLE = re.compile(rf"^({_HOLDER_NAME})\s+(?:is|was|will be|has been|became)\s+"
                           r"(?:now\s+)?(?:the\s+|its\s+|their\s+|[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*['’]s?"
                           rf"\s+){_ROLE}(?:\s+of\s+.+?)?\W*$")


def _other_holder(claim: str, source: str) -> str:
    """Why a claim naming who holds a role is wrong when the source gives the role to
    someone else by apposition: "Damian Hockney, now Veritas deputy leader, and Peter
    Hulme-Cross were elected" does not make Peter Hulme-Cross the deputy leader. "" when the
    claim names no holder, or the source none, or the same person."""
    found = _ROLE_IS_NAME.match(claim.strip())
    if found:
        role, name = found.group(1), found.group(2)
    else:
        found = _NAME_IS_ROLE.match(claim.strip())
        if not found:
            return ""
        name, role = found.group(1), found.group(2)
    role = role.lower()
    if re.search(r"(?:ed|ing)$", role.split()[-1]):
        return ""  # "was charged with ...": a deed, not a role
    words = {w.lower() for w in name.split()}
    said = rf"(?i:{re.escape(role)})"
    held = re.compile(rf"({_HOLDER_NAME}),\s+(?:now\s+|the\s+|who\s+is\s+now\s+)?"
                      rf"(?:[\w'’-]+\s+){{0,3}}?{said}\b|\b{said}\s+({_HOLDER_NAME})")
    holders = [m.group(1) or m.group(2) for m in held.finditer(source)]
    holders = [h for h in holders if not re.match(r"(?:The|A|An)\s", h)]
    if not holders or any(words & {w.lower() for w in h.split()} for h in holders):
        return ""
    return f"the source gives the {role} as {holders[0]}, not {name}"


# Words that make a role another one: a deputy leader is not the leader.
_RANK_WORDS = frozenset("deputy vice assistant acting former interim shadow co junior "
                        "honorary ex".split())


def _own_role_differs(claim: str, source: str) -> str:
    """Why "Damien Hockney is now the leader of UKIP" is wrong where the source has "Damien
    Hockney who is now Veritas' deputy leader": the source gives that person the role with a
    rank word the claim drops ("deputy"), or of another body ("Veritas'"). "" when the claim
    names no holder and role, or the source gives that person no such role."""
    found = _NAME_IS_ROLE.match(claim.strip())
    if not found:
        return ""
    name, role = found.group(1), found.group(2).lower()
    core = role.split()[-1]
    if re.search(r"(?:ed|ing)$", core):
        return ""
    body = re.search(r"\bof\s+(?:the\s+)?([A-Z][\w'’-]*)", claim[found.end(2):]) or \
        re.search(r"([A-Z][\w'’-]*?)['’]s?\s+(?:[a-z][\w-]*\s+){0,2}$", claim[:found.start(2)])
    surname = re.escape(name.split()[-1])
    given = re.compile(rf"\b{surname},?\s+(?:who\s+is\s+now\s+|who\s+is\s+|now\s+)"
                       rf"((?:[\w'’-]+\s+){{0,3}}?){re.escape(core)}\b", re.I)
    for seen in given.finditer(source):
        before = seen.group(1).split()
        ranks = {w.lower() for w in before} & _RANK_WORDS
        if ranks - set(role.split()):
            return (f"the source calls {name} {' '.join(before + [core])}, not "
                    f"{role}")
        bodies = [re.sub(r"['’]s?$", "", w) for w in before if w[:1].isupper()]
        if body and bodies and body.group(1).lower() not in {b.lower() for b in bodies}:
            return (f"the source calls {name} {' '.join(before + [core])}, not {core} of "
                    f"{body.group(1)}")
    return ""


def _initials_of(names: frozenset[str], text: str) -> bool:
    """Whether one of `names` is written in `text` by its initials, or is the initials of a
    name there: "BA" and "British Airways" are one actor."""
    runs = [[w for w in m.group(0).split() if w[:1].isupper()] for m in _NAME_RUN.finditer(text)]
    initials = {"".join(w[0] for w in run).lower() for run in runs if len(run) > 1}
    return any(2 <= len(name) <= 5 and name.lower() in initials for name in names)


def _state_word_of_known(name: str, claim: str, known: set[str]) -> bool:
    """Whether `name` is such a word in a name of the claim whose other words the source has
    ("republic" of "Czech Republic" where the source says "Czechs")."""
    if name not in _STATE_WORDS:
        return False
    stems = {k.rstrip("s") for k in known}
    for run in _NAME_RUN.finditer(claim):
        words = [w.lower().strip("'’.") for w in run.group(0).split()]
        if name in words and any(w != name and w not in _TITLE_WORDS and w.rstrip("s") in stems
                                 for w in words):
            return True
    return False

MISSING_FIGURE = " is not in the source"


# Taking a side: words that support a thing and words that stand against it, read as one
# stance ("backed the introduction" against "is against the move"). "back" counts only with
# what it backs after it ("back the plan", not "came back").
_SUPPORT = "support"
_SUPPORTING = frozenset("support supports supported supporting backs backed backing endorse "
                        "endorses endorsed endorsing favour favours favoured favor favors "
                        "favored".split())
_OPPOSING = frozenset("oppose opposes opposed opposing against object objects objected "
                      "objecting".split())
_BACKED_THING = frozenset("the a an his her their its this that these those plans plan calls "
                          "moves move proposals".split())


def _stance(word: str, following: str, following_text: str = "") -> bool | None:
    """True for a word standing against something, False for one supporting it, else None.
    "against" before a name is whom one plays, no side taken ("help France against England",
    "their game against Italy"); before anything else it is ("against the move")."""
    if word == "against" and following_text[:1].isupper():
        return None
    if word in _OPPOSING:
        return True
    if word in _SUPPORTING or (word == "back" and following in _BACKED_THING):
        return False
    return None


def _polarity(reading: Reading) -> list[tuple[str, int, bool]]:
    """(stem, position, negated) for every word, a negator ("not", "never", "failed to") or a
    negative verb ("denied" = confirm, negated) governing the word after it."""
    governed: dict[int, bool] = {}
    implied: list[tuple[str, int]] = []
    stances: list[tuple[str, int, bool]] = []
    unsaid: set[int] = set()
    words = reading.words
    for position, word in enumerate(words):
        following = words[position + 1].lower if position + 1 < len(words) else ""
        if word.lower in _NEGATORS and following in ("as", "so") and position + 3 < len(words) \
                and words[position + 3].lower == "as":
            # "not as addictive as drugs" compares; it neither states nor denies "addictive".
            unsaid.add(words[position + 2].index)
            continue
        if word.lower in _ABSENCE:
            # "Burrow's absence", "the absence of Burrow": said of Burrow as "without" is.
            before = words[position - 1] if position else None
            if before is not None and not re.search(r"['’]s?$", before.text):
                before = None  # "an injury absence" is no absence of injury
            after = words[position + 2] if following == "of" and position + 2 < len(words) \
                else None
            for other in (before, after):
                if other is not None and _content(other) and other.lower not in _ARTICLES:
                    governed[other.index] = True
            continue
        if word.lower in _NEGATIVE_BEFORE_TO and following == "to":
            for follower in words[position + 2:position + 4]:
                if _content(follower):
                    governed[follower.index] = True
                    break
            continue
        if word.lower == "with" and following:
            # "with Joe Burrow out", "with Burrow sidelined": the name is absent, as "without
            # Burrow" says
            run = words[position + 1:position + 5]
            end = next((i for i, w in enumerate(run) if not w.text[:1].isupper()), len(run))
            if end and end < len(run) and run[end].lower in _ABSENT_AFTER:
                for named in run[:end]:
                    governed[named.index] = True
                continue
        if word.lower == "against" and position and words[position - 1].lower in _CHOOSING \
                and following.endswith("ing"):
            governed[words[position + 1].index] = True
            continue
        if word.lower in ("none", "neither") and following == "of":
            # "none of the 18 former directors will admit any wrongdoing": what the sentence
            # says of the group (its verb) is denied, not the group
            denied = _denied_of_group(words, position + 2)
            if denied:
                for follower in denied:
                    governed[follower.index] = True
                continue
        if word.lower in _NEGATED_AS:
            implied.append((_STEMMER.stemWord(_NEGATED_AS[word.lower]), word.index))
            continue
        stance = _stance(word.lower, following,
                         words[position + 1].text if position + 1 < len(words) else "")
        if stance is not None:
            # "has backed the introduction" supports it; "is against the move" does not
            stances.append((_SUPPORT, word.index, stance))
        if word.lower not in _NEGATORS:
            continue
        if word.text == "No" and position and _in_a_name(reading, position):
            continue  # "Si No Estás": a title's word, no negator
        if word.lower == "no" and following not in ("doubt", "matter"):
            # "No formal offer has been made yet": "no" denies its noun phrase and, passive
            # after it, what was done to it ("made"); "took no further part in the final"
            # denies the part, not the final.
            rest = words[position + 1:position + 5]
            end = next((i for i, w in enumerate(rest) if not _content(w)
                        or w.lower in _AUXILIARIES), len(rest))
            for follower in rest[:end]:
                governed[follower.index] = True
            after = words[position + 1 + end:position + 4 + end]
            chain = 0
            while chain < len(after) and after[chain].lower in _AUXILIARIES:
                chain += 1
            if chain and chain < len(after) and after[chain].lower.endswith(("ed", "en")):
                governed[after[chain].index] = True
            continue
        for follower in words[position + 1:position + 4]:
            if follower.lower in _SKIP_AFTER_NEGATOR:
                continue
            if re.fullmatch(r"[a-z][a-z'’-]*", follower.lower):
                governed[follower.index] = True
            break
    marks = [(w.stem, w.index, governed.get(w.index, False)) for w in words
             if re.fullmatch(r"[a-z][a-z'’-]*", w.lower) and w.index not in unsaid]
    return marks + [(stem, index, True) for stem, index in implied] + [
        (stem, index, governed.get(index, False) != against) for stem, index, against in stances]


_MODALS = frozenset("will would can could shall should may might must did does do".split())
_GROUP_LENGTH = 8  # words a group may run to ("the nine former trustees of ..."); by design


def _denied_of_group(words: Sequence[Word], start: int) -> list[Word]:
    """After "none of": the verb that follows the group's words ("the 18 former directors |
    will | admit any wrongdoing"), denied as "not" denies the word after it; [] when no verb
    is found within `_GROUP_LENGTH` words. The verb is the first word after an auxiliary, or
    one in the past tense ("none of them admitted it")."""
    window = range(start + 1, min(start + 1 + _GROUP_LENGTH, len(words)))
    helper = next((at for at in window if words[at].lower in _AUXILIARIES | _MODALS), None)
    if helper is not None:
        rest = list(words[helper + 1:])
        while rest and rest[0].lower in _AUXILIARIES | _MODALS | {"not", "be", "have"}:
            rest = rest[1:]
    else:
        past = next((at for at in window if words[at].lower.endswith("ed")
                     and _content(words[at])), None)
        if past is None:
            return []
        rest = list(words[past:])
    return [w for w in rest[:2] if _content(w)][:1]


# Words without one of which a sentence denies nothing (_polarity's triggers)
_DENYING = _NEGATORS | _ABSENCE | _NEGATIVE_BEFORE_TO | _ABSENT_AFTER | {"against"}


def _denied_in_its_place(claim: Reading, source: Reading, window: int) -> str:
    """A question's act said in other words and denied: "Would the amnesty have covered money
    made from drug trafficking?" against "The amnesty will not extend to people who made
    money through drugs trafficking": the claim's word the source lacks ("covered") and the
    source's denied word the claim lacks ("extend") stand among the same words (two or more
    within `window`). Not when the claim denies anything itself, nor for direction words
    ("did not lose a set" is said of a win), which the direction rules read."""
    # (most sources deny nothing: read no further than their words)
    if not {w.lower for w in source.words} & _DENYING or \
            any(negated for _, _, negated in _polarity(claim)):
        return ""
    claim_stems = {w.stem for w in claim.words}
    source_stems = {w.stem for w in source.words}
    # (a word itself denied: not a stance "against" stands for, nor what "denied" implies)
    denied = [source.words[index] for stem, index, negated in _polarity(source)
              if negated and stem not in claim_stems and index < len(source.words)
              and source.words[index].stem == stem
              and source.words[index].lower not in DIRECTION]
    if not denied:
        return ""
    for word in claim.words:
        if not _content(word) or word.text[:1].isupper() or word.stem in source_stems \
                or word.lower in DIRECTION:
            continue
        mine = _part_anchors(claim, word.index, window)
        for other in denied:
            if len(mine & _part_anchors(source, other.index, window)) >= 2:
                return (f"the source denies '{other.text}' where the question says "
                        f"'{word.text}'")
    return ""


def _part_anchors(reading: Reading, index: int, window: int) -> set[str]:
    """_anchors with a hyphened word's parts ("ex-directors": ex, director)."""
    return {stem for word in reading.words[max(0, index - window):index + window + 1]
            if word.index != index and word.lower not in DIRECTION
            for stem in _part_stems(word)}


def _polarity_conflict(claim: Reading, source: Reading) -> str:
    """A word the claim states and the source denies, or the other way round. Where the source
    both states and denies it ("got hold of some data ... failed to get card numbers"), the
    occurrence whose following words match the claim's decides."""
    mine: dict[str, list[tuple[int, bool]]] = {}
    theirs: dict[str, list[tuple[int, bool]]] = {}
    for stem, index, negated in _polarity(claim):
        mine.setdefault(stem, []).append((index, negated))
    for stem, index, negated in _polarity(source):
        theirs.setdefault(stem, []).append((index, negated))
    for stem in mine.keys() & theirs.keys():
        states = {negated for _, negated in mine[stem]}
        if len(states) > 1:
            continue
        claim_negated = states.pop()
        found = {negated for _, negated in theirs[stem]}
        if len(found) > 1:
            wanted = _object_of(claim, mine[stem][0][0])
            scored = sorted(((len(wanted & _object_of(source, index)), negated)
                             for index, negated in theirs[stem]), reverse=True)
            if not scored[0][0] or (len(scored) > 1 and scored[0][0] == scored[1][0]
                                    and scored[0][1] != scored[1][1]):
                continue
            source_negated = scored[0][1]
        else:
            source_negated = found.pop()
        if claim_negated != source_negated:
            return (f"the source {'denies' if source_negated else 'states'} what the claim "
                    f"{'denies' if claim_negated else 'states'} ('{stem}')")
    return ""


# "The new party he launched is the UK Independence Party": a claim that something is a name.
_IDENTITY = re.compile(r"^(?P<what>.+?)\s+(?:is|was|are|were)\s+(?:called\s+|named\s+)?(?:the\s+)?"
                       r"[\"“‘']?(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)[\"”’']?\s*[.!]?$")


def _named_as(claim: Reading, source: Reading, window: int) -> str:
    """A claim that something is a name ("The new party he launched is the UK Independence
    Party") needs a source sentence that puts the name beside what it is said to be ("his new
    party, Veritas"), not one that names both far apart ("The UK Independence Party has lost
    ... to Kilroy-Silk's new political party") or leaves the name to the sentences before it.
    "" when it does, or the claim is of another form."""
    match = _IDENTITY.match(claim.text.strip())
    if not match:
        return ""
    name = [w.lower() for w in re.findall(r"[\w'’-]+", match.group("name"))]
    what = {w.stem for w in read_sentence(match.group("what")).words if _content(w)
            and w.lower not in name and not w.text[:1].isupper()}
    words = source.words
    spans = [i for i in range(len(words))
             if [w.lower for w in words[i:i + len(name)]] == name]
    if not what:
        return ""
    for start in spans:
        end = start + len(name) - 1
        near = words[max(0, start - window):start] + words[end + 1:end + 1 + window]
        if {w.stem for w in near} & what:
            return ""
    what_text = match.group("what")
    return (f"the source does not say that {match.group('name')} is "
            f"{what_text[:1].lower() + what_text[1:]}")


def _says_the_same(claim: Reading, source: Reading, share: float) -> bool:
    """Whether at least `share` of what the claim has said (its content words, the speakers
    and the verbs of saying aside) is in the source."""
    said = {w.stem for w in claim.words if _content(w) and w.lower not in _SPEECH
            and w.lower not in claim.speaker} - {_STEMMER.stemWord(s) for s in claim.speaker}
    if not said:
        return True
    theirs = {w.stem for w in source.words}
    return len(said & theirs) / len(said) >= share


def _object_of(reading: Reading, index: int) -> set[str]:
    """The content stems of the few words after a word: what it is done to."""
    return {w.stem for w in reading.words[index + 1:index + 6] if _content(w)}


@dataclass(frozen=True)
class Frame:
    """How one source sentence stands to a claim."""

    related: bool
    words: float  # IDF-weighted share of the claim's telling words in the source
    meaning: float  # cosine similarity
    conflict: str = ""  # why the source contradicts the claim ("" when it does not)
    missing: str = ""  # why the source, though related, does not hold the claim

    @property
    def strength(self) -> float:
        return self.words + self.meaning


@dataclass(frozen=True)
class ClaimCheck:
    """The verdict on one claim sentence: its status and the sources that decide it."""

    sentence: str
    status: Status
    supports: tuple[int, ...] = ()  # indexes into the sources, best first
    contradicts: tuple[int, ...] = ()
    reason: str = ""  # why contradicted or not found, for the answer's notes and `qa check`
    score: float = 0.0  # relatedness of the deciding source (words + meaning)
    clauses: tuple[str, ...] = field(default=())  # when supported clause by clause

    def to_dict(self) -> dict:
        return {"sentence": self.sentence, "status": self.status, "supports": list(self.supports),
                "contradicts": list(self.contradicts), "reason": self.reason,
                "score": round(self.score, 4)}


class SourceLike:
    """What the checker reads of a source sentence (qa.evidence.Evidence has all of it)."""

    text: str
    vector: np.ndarray
    header: str  # the article's title, source and date
    context: str  # the passage text before the sentence (who "he" is)
    passage_text: str  # the whole passage around it (who else it names)


class ClaimChecker:
    """Checks claims against source sentences, claim by claim, frame by frame."""

    def __init__(self, encode: Callable[[Sequence[str]], np.ndarray],
                 weights_of: Callable[[list[str]], dict[str, float]],
                 policy: CheckPolicy | None = None) -> None:
        self.encode = encode
        self.weights_of = weights_of
        self.policy = policy or CheckPolicy()

    def check(self, claims: Sequence[str], sources: Sequence[SourceLike],
              echo: Sequence[str] = (), vectors: np.ndarray | None = None
              ) -> list[ClaimCheck]:
        """One ClaimCheck per claim. `echo`: tokens of the question, which a claim may repeat
        without that counting as support (an answer that only restates the question)."""
        if not claims:
            return []
        if not sources:
            return [ClaimCheck(c, "not_found", reason="no source sentence") for c in claims]
        claim_vectors = vectors if vectors is not None else self.encode(list(claims))
        source_vectors = np.stack([s.vector for s in sources])
        meaning = claim_vectors @ source_vectors.T
        readings = [read_sentence(s.text) for s in sources]
        contexts = [_context_reading(s) for s in sources]
        sentence_tokens = [set(lexical_tokens([s.text])[0]) for s in sources]
        header_tokens = [set(lexical_tokens([s.header])[0]) for s in sources]
        checks = []
        for row, claim in enumerate(claims):
            # A claim joining facts ("X said A, and Y said B") holds only if each does: one
            # source sharing most of its words must not carry the other fact along.
            check = self._by_clauses(claim, sources, readings, contexts, sentence_tokens,
                                     header_tokens, set(echo))
            if check is None:
                check = self._check_one(claim, sources, readings, contexts, sentence_tokens,
                                        header_tokens, meaning[row], set(echo))
            checks.append(check)
        return checks

    # --- one claim -----------------------------------------------------------------------

    def _check_one(self, claim: str, sources, readings, contexts, sentence_tokens,
                   header_tokens, meaning_row, echo: set[str]) -> ClaimCheck:
        frames = self.frames(claim, sources, readings, contexts, sentence_tokens,
                             header_tokens, meaning_row, echo)
        return self.decide(claim, frames)

    def frames(self, claim: str, sources, readings, contexts, sentence_tokens, header_tokens,
               meaning_row, echo: set[str], asked: bool = False, predicate: bool = False
               ) -> list[Frame]:
        """How each source stands to the claim. `asked`: the claim is a question's, whose
        "after it filed for bankruptcy" sets the time asked about rather than telling an
        order the source must state. `predicate`: a yes/no question's, which a source naming
        its names must also share a word of what it asks of them ("made films before")."""
        reading = read_sentence(claim)
        tokens = set(lexical_tokens([claim])[0])
        own = tokens - echo or tokens
        weights = self.weights_of(sorted(own)) if own else {}
        total = sum(weights.values()) or 1.0
        frames = []
        for i, _source in enumerate(sources):
            present = sentence_tokens[i] | header_tokens[i]
            present = present | _same_direction(present, tokens) | _same_sense(present, tokens)
            if asked:
                present = present | ((_surnamed_full_names(claim, readings[i].text)
                                      | _initialled_names(claim, readings[i].text)) & tokens)
            words = sum(w for t, w in weights.items() if t in present) / total
            similarity = float(meaning_row[i])
            frame = self._frame(reading, readings[i], contexts[i], words, similarity,
                                present, asked, predicate)
            if not asked and frame.related and not frame.conflict and not frame.missing:
                novel = self._novel_word(claim, weights, present, sources[i])
                if novel:
                    frame = Frame(frame.related, words, similarity,
                                  missing=f"the source does not say '{novel}'")
            frames.append(frame)
        return frames

    def _novel_word(self, claim: str, weights: dict[str, float], present: set[str],
                    source: SourceLike) -> str:
        """A telling word of the claim that neither the source sentence, its header nor the
        passage around it holds, else "".

        Why: the word-share test lets a claim carry up to a share of words of its own, and a
        draft spends it on a detail from nowhere ("harm its internal investigations" for "harm
        key probes like the Hutton Inquiry"). A rare word is a detail; a common one is
        paraphrase ("said", "announced"), so only words at least `novel_word_idf` count.
        """
        # In a small store no word reaches the bar; one it has never seen still counts.
        limit = min(self.policy.novel_word_idf,
                    self.weights_of([_NEVER_SEEN]).get(_NEVER_SEEN, float("inf")))
        rare = {t for t, w in weights.items() if w >= limit and t not in present}
        if not rare:
            return ""
        # The passage around the sentence, also with its hyphens closed up ("line-up" is the
        # claim's "lineup").
        passage = f"{source.context} {getattr(source, 'passage_text', '')} {source.text}"
        closed = re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", "", passage)
        around = set(lexical_tokens([f"{passage} {closed}"])[0])
        rare -= around
        if rare and _REPORTING & around:
            rare -= _REPORTING  # "emphasised" for "said": how it was said, not what
        rare -= _APPROXIMATE  # "approximately 2,500" for "about 2,500": the figure decides
        if not rare:
            return ""
        for word in re.findall(r"[\w'’-]+", claim):
            if set(lexical_tokens([word])[0]) & rare:
                return word
        return sorted(rare)[0]

    def related(self, words: float, meaning: float) -> bool:
        p = self.policy
        return (words >= p.strong_word_support
                or (words >= p.min_word_support and meaning >= p.min_meaning_support)
                or (words >= p.paraphrase_word_support and meaning >= p.strong_meaning_support))

    def _frame(self, claim: Reading, source: Reading, context: Reading, words: float,
               meaning: float, present: set[str], asked: bool = False,
               predicate: bool = False) -> Frame:
        related = self.related(words, meaning)
        # Contradictions are looked for in any source about the same thing, even one the
        # claim's wrong details keep below the relatedness bar (a flipped direction or a
        # swapped figure costs the claim the very words that would make it related).
        about = related or (words >= self.policy.paraphrase_word_support
                            and meaning >= self.policy.min_meaning_support)
        if not about:
            return Frame(False, words, meaning)
        conflict = self._conflict(claim, source, context) or (
            asked and _denied_in_its_place(claim, source, self.policy.attach_window))
        if conflict:
            return Frame(related, words, meaning, conflict=conflict)
        missing = self._missing(claim, source, context, asked, predicate)
        return Frame(related, words, meaning, missing=missing)

    def other_figure(self, claim: str, source: str) -> str:
        """Why `source` gives its own subject another figure than `claim` does, by the same
        words ("for his second Super Bowl show" against "his first Super Bowl performance"),
        else "". Read for any sentence naming the claim's subject, however unlike the claim
        it is worded: a verdict cites it as the sentence that says otherwise."""
        mine, theirs = read_sentence(claim), read_sentence(source)
        subject = {w for w in mine.actor if len(w) > 2}
        if not subject or not subject & ({w.lower for w in theirs.words} | theirs.names):
            return ""
        window = self.policy.attach_window
        for number in mine.numbers:
            if any(n.number == number.number for n in theirs.numbers):
                continue
            other = _figure_by_same_words(mine, theirs, number, window)
            if other:
                return other
        return ""

    def _conflict(self, claim: Reading, source: Reading, context: Reading) -> str:
        holder = _other_holder(claim.text, source.text) or _own_role_differs(claim.text,
                                                                             source.text)
        if holder:
            return holder
        window = self.policy.attach_window
        # Figures: the same figure must stand by the same words and go the same way.
        source_numbers = source.numbers
        for number in claim.numbers:
            anchors = _anchors(claim, number.index, window)
            same = [n for n in source_numbers if n.number == number.number]
            if same:
                direction = _direction_near(claim, number.index, window)
                for other in same:
                    theirs = _direction_near(source, other.index, window)
                    if direction and theirs and direction != theirs:
                        return (f"the source has {other.text} going "
                                f"{'up' if theirs > 0 else 'down'}, not "
                                f"{'up' if direction > 0 else 'down'}")
                swapped = _swapped_figure(claim, source, number, same, window)
                if swapped:
                    return swapped
                # "817 points in England's triumph" against "817 points in 52
                # internationals": the same figure, counted over something else.
                mine = _counted_over(claim, number.index)
                if mine and all(_counted_over(source, other.index) not in (None, mine)
                                and mine not in _anchors(source, other.index, 2 * window)
                                for other in same):
                    theirs = _counted_over(source, same[0].index)
                    return (f"the source gives {number.text} for '{theirs}', not for "
                            f"'{mine}'")
                continue
            # Not in the source: another figure standing by the same words contradicts it,
            # when the source speaks of the claim's subject ("Mill Rovers won their second
            # Coast Cup title" says nothing of Harbour City's first).
            if _of_someone_else(claim, source):
                continue
            bounded = _bounded_figure(claim, source, number, window)
            if bounded is not None:
                if bounded[1]:
                    continue
                side = "above" if _bound(claim, number) > 0 else "below"
                return f"{bounded[0].text} is not {side} {number.text}"
            other = _figure_by_same_words(claim, source, number, window)
            if other:
                return other
        # A day and its month: "16 February" against "16 January ... 27 February".
        pairs = _day_months(source)
        for day, month in _day_months(claim):
            if day in {d for d, _ in pairs} and (day, month) not in pairs:
                theirs = next(m for d, m in pairs if d == day)
                return f"the source has {day} {theirs}, not {day} {month}"
        # Calendar words: "on Friday" against "on Thursday".
        for word in claim.words:
            kind = _CALENDAR.get(word.lower)
            if kind and _in_a_name(claim, word.index):
                continue  # "Sunday Night Football", "Black Friday": names, not days
            if kind and word.lower not in {w.lower for w in source.words}:
                theirs = [w.text for w in source.words if _CALENDAR.get(w.lower) == kind]
                if theirs:
                    return f"the source says {theirs[0]}, not {word.text}"
        # Direction of things, with or without figures.
        for word in claim.words:
            sign = DIRECTION.get(word.lower)
            if not sign or word.lower in _SOFT_DIRECTION:
                continue
            anchors = _anchors(claim, word.index, window)
            if not anchors:
                continue
            # The source's direction word standing by most of the same words decides.
            best_overlap, best_signs = 0, set()
            for other in source.words:
                theirs = DIRECTION.get(other.lower)
                if not theirs or other.lower in _SOFT_DIRECTION:
                    continue
                overlap = len(anchors & _anchors(source, other.index, window))
                if overlap > best_overlap:
                    best_overlap, best_signs = overlap, {theirs}
                elif overlap and overlap == best_overlap:
                    best_signs.add(theirs)
            if best_signs == {-sign}:
                return f"the source goes the other way from '{word.text}'"
        # Polarity: negation and negative verbs or prefixes.
        polarity = _polarity_conflict(claim, source)
        if polarity:
            return polarity
        # "unsuitable" against "suitable", unless the other says "not suitable" ("isn't
        # suitable for under-sevens" is what "was unsuitable for children under seven" says)
        denied_in_claim = {stem for stem, _, negated in _polarity(claim) if negated}
        denied_in_source = {stem for stem, _, negated in _polarity(source) if negated}
        for word in claim.words:
            base = _unprefixed(word.lower, {w.lower for w in source.words})
            if base and word.lower not in {w.lower for w in source.words} and \
                    _STEMMER.stemWord(base) not in denied_in_source:
                return f"the claim says '{word.text}', the source '{base}'"
        for word in source.words:
            base = _unprefixed(word.lower, {w.lower for w in claim.words})
            if base and word.lower not in {w.lower for w in claim.words} and \
                    _STEMMER.stemWord(base) not in denied_in_claim:
                return f"the source says '{word.text}', the claim '{base}'"
        # What caused it: "X caused Y" against "Z caused Y".
        (mine, my_effect), (theirs, their_effect) = _cause(claim), _cause(source)
        if mine and theirs and not mine & theirs and my_effect & their_effect:
            return "the source gives another cause"
        # Which way round a comparison goes: "B is taller than A" against "A is taller than B".
        swapped = _swapped_comparison(claim.text, source.text)
        if swapped:
            return swapped
        # Who said it, who did it: only when the source says what the claim has said ("Analysts
        # say Winn-Dixie had not kept up ..." quotes no one on whether its stores stay open).
        if claim.speaker and source.speaker and "<pronoun>" not in claim.speaker | source.speaker \
                and _says_the_same(claim, source, self.policy.min_word_support):
            extra = claim.speaker - source.speaker - _ROLE_WORDS
            if not claim.speaker & source.speaker or (
                    extra and _someone_else(extra, source.speaker, context.runs)):
                return (f"the source quotes {' '.join(sorted(source.speaker - _ROLE_WORDS))}"
                        f", not {' '.join(sorted(claim.speaker - _ROLE_WORDS))}")
        if claim.speaker and source.speaker == {"<pronoun>"} and \
                "<pronoun>" not in claim.speaker:
            last = _last_named_person(context)
            if last and not claim.speaker & last:
                return (f"the source quotes {' '.join(sorted(last))} (\"he/she said\"), not "
                        f"{' '.join(sorted(claim.speaker))}")
        doer = _doer_of_act(claim, source)
        if claim.actor and doer and not claim.actor & doer and not (
                _initials_of(claim.actor, source.text) or _initials_of(doer, claim.text)):
            source_words = {w.lower for w in source.words}
            claim_words = {w.lower for w in claim.words}
            swapped = claim.actor <= source_words and doer <= claim_words
            someone_else = not claim.actor & source_words and (
                claim.actor <= context.names
                or _someone_else(claim.actor - doer, doer, context.runs))
            if swapped or someone_else:
                return (f"the source has {' '.join(sorted(doer))} do it, not "
                        f"{' '.join(sorted(claim.actor))}")
        return ""

    def _missing(self, claim: Reading, source: Reading, context: Reading,
                 asked: bool = False, predicate: bool = False) -> str:
        """Why a related source still does not hold the claim: a figure or a name of the
        claim that it lacks, a direction the claim adds."""
        source_figures = {w.number for w in source.numbers + context.numbers}
        for number in claim.numbers:
            # A figure inside a name counts only as that name ("six weeks" is not in "the
            # Six Nations", "Forty Shades of Blue" writes 40 for "forty shades").
            following = _next_word(claim, number.index)
            named = {w.number for reading in (source, context) for w in reading.words
                     if w.in_name and _next_word(reading, w.index) == following}
            # An ordinal places its own noun ("his first Super Bowl show"): one in the story
            # around ("the first Super Bowl after the attacks") is said of something else.
            if number.number.endswith("th") and number.number not in source.written_numbers:
                return f"{number.text}{MISSING_FIGURE}"
            bounded = _bounded_figure(claim, source, number, self.policy.attach_window)
            if bounded is not None and bounded[1]:
                continue  # "more than 5%" held by "grew by 8.1%"
            if number.number not in source_figures | named:
                return f"{number.text}{MISSING_FIGURE}"
            if asked:
                other = _counting_other(claim, source, number)
                if other:
                    return other
        # A context's capitalised words count wherever they stand: a headline's first word is
        # a name as often as not ("Italy 8-38 Wales").
        known = source.names | context.names | {w.lower for w in source.words} | {
            word for run in context.runs for word in run} | {
            w.lower for w in context.words if w.text[:1].isupper()}
        if asked:
            # a question's full name for the story's "Ms James"; a draft's full name must be
            # one it was shown (the model adds first names from nowhere)
            known |= _surnamed_full_names(claim.text, source.text) | _initialled_names(
                claim.text, source.text)
        order = {word.lower: at for at, word in reversed(list(enumerate(claim.words)))}
        # in the claim's own order, so the reason (which names it gives) is the same each run
        for name in sorted(claim.names | claim.actor, key=lambda n: (order.get(n, 1 << 20), n)):
            # (a name's plural is the name: "the Lib Dem plan", "the Lib Dems would ...")
            if name not in known and f"{name}s" not in known and not (
                    name.endswith("s") and name[:-1] in known) \
                    and not any(name in k or k in name for k in known
                                if len(k) > 3 and len(name) > 3) \
                    and not _state_word_of_known(name, claim.text, known) \
                    and not _initials_of(frozenset({name}), f"{source.text} {context.text}"):
                return f"{MISSING_NAME}{name}"
        if predicate and not _tells_of_its_names(claim, source):
            return "the source names what the question does and says nothing it asks of them"
        if not states_the_act(claim.text, source.text):
            return "the source does not tell the act the claim does"
        if not asked and _ORDERING.search(claim.text) and not _ORDERING.search(source.text) \
                and len(_dates_in(source)) < 2:
            return "the source does not say which came first"
        said_to_be = _said_to_be(claim, source)
        if said_to_be:
            return said_to_be
        named = _named_as(claim, source, self.policy.attach_window)
        if named:
            return named
        window = self.policy.attach_window
        source_signs = {DIRECTION.get(w.lower) for w in source.words} - {None}
        for word in claim.words:
            sign = DIRECTION.get(word.lower)
            if sign and word.lower not in _SOFT_DIRECTION and sign not in source_signs \
                    and _anchors(claim, word.index, window):
                return f"the source does not say '{word.text}'"
        return ""

    def decide(self, claim: str, frames: Sequence[Frame]) -> ClaimCheck:
        """Supported when a related source holds it without conflict (and no more closely
        related source contradicts it); contradicted when a source about it says otherwise and
        none supports it; else not found."""
        supports = sorted((i for i, f in enumerate(frames)
                           if f.related and not f.conflict and not f.missing),
                          key=lambda i: -frames[i].strength)
        # A conflict about the claim's own figure or wording says more than another figure
        # standing in the same place: show that one first.
        contradicts = sorted((i for i, f in enumerate(frames) if f.conflict),
                             key=lambda i: (frames[i].conflict.startswith("the source gives"),
                                            -frames[i].strength))
        if supports and (not contradicts
                         or frames[supports[0]].strength >= frames[contradicts[0]].strength):
            return ClaimCheck(claim, "supported", tuple(supports), tuple(contradicts), "",
                              frames[supports[0]].strength)
        if contradicts:
            best = contradicts[0]
            return ClaimCheck(claim, "contradicted", (), tuple(contradicts),
                              frames[best].conflict, frames[best].strength)
        related = [f for f in frames if f.related and f.missing]
        reason = related[0].missing if related else "no source sentence says this"
        best = max((f.strength for f in frames), default=0.0)
        return ClaimCheck(claim, "not_found", (), (), reason, best)

    def _by_clauses(self, claim: str, sources, readings, contexts, sentence_tokens,
                    header_tokens, echo: set[str]) -> ClaimCheck | None:
        """A claim joining two facts ("X rose, and Y fell"), checked clause by clause; None
        when it is one clause."""
        clauses = split_clauses(claim)
        if len(clauses) < 2:
            return None
        vectors = self.encode(clauses)
        meaning = vectors @ np.stack([s.vector for s in sources]).T
        supports: list[int] = []
        missing = ""
        for row, clause in enumerate(clauses):
            result = self._check_one(clause, sources, readings, contexts, sentence_tokens,
                                     header_tokens, meaning[row], echo)
            if result.status == "contradicted":
                return ClaimCheck(claim, "contradicted", (), result.contradicts,
                                  result.reason, result.score, tuple(clauses))
            if result.status != "supported":
                missing = missing or f"not found: {clause} ({result.reason})"
                continue
            supports.extend(i for i in result.supports[:1] if i not in supports)
        if missing:
            return ClaimCheck(claim, "not_found", (), (), missing, 0.0, tuple(clauses))
        return ClaimCheck(claim, "supported", tuple(supports), (), "", 0.0, tuple(clauses))


# Words that mark a direction only right beside a figure ("up 6%"), not in "set up" or "more
# people".
# Direction words that tell a movement (not a standing: "record", "strong", "victory").
_STANDING = frozenset("""record peak peaked profit profits profitable unprofitable won win wins
winning beat beats defeated victory defeat strong stronger weak weaker better best worse worst
high highest low lowest most least more less fewer ahead behind above below""".split())
MOVEMENT = {word: sign for word, sign in DIRECTION.items() if word not in _STANDING}
_SOFT_DIRECTION = frozenset("more most less least high low up down record peak above below "
                            "ahead behind".split())


# A people's name, which names no one in particular ("American football").
NATIONALITY = re.compile(r"(?:British|English|Scottish|Welsh|Irish|American|Canadian|Mexican|"
                         r"Brazilian|Argentine|French|German|Italian|Spanish|Portuguese|Dutch|"
                         r"Belgian|Swiss|Austrian|Swedish|Norwegian|Danish|Finnish|Polish|"
                         r"Russian|Ukrainian|Greek|Turkish|Israeli|Palestinian|Arab|Iranian|"
                         r"Iraqi|Egyptian|African|Nigerian|Kenyan|Indian|Pakistani|Chinese|"
                         r"Japanese|Korean|Asian|Australian|European|Western)")


# Verbs of news events in their base form (what "Did X ...?" asks): a yes/no claim whose act is
# one of these must find it in the source, by stem or by a word of the same direction.
# "born" and "married" stand for their acts as asked ("Was she born in Wales?").
_EVENT_VERBS = frozenset("""accept reject refuse agree deny confirm admit approve block ban back
beat win lose lead trail draw score miss withdraw join leave quit resign retire sign buy sell
acquire merge close open launch cut raise lower increase reduce rise fall drop grow shrink
attend visit meet announce launch release sue charge arrest convict jail fine kill die survive
return reunite cancel delay postpone boycott strike invade attack support oppose endorse elect
appoint sack fire hire name nominate award overtake double halve offer bid pay owe spend invest
borrow lend default collapse recover rebound succeed fail break go come turn born marry married
divorce help harm hurt damage benefit""".split())


# (not "announced", said of any statement, nor "was awarded", which is to have received)
_EVENT_STEMS = frozenset(_STEMMER.stemWords(sorted(_EVENT_VERBS - {"announce", "award"})))


def _is_event_verb(word: Word, before: Word | None = None) -> bool:
    """An event verb, also in -ed and -ing when it tells what someone did or had done to them:
    after an auxiliary, a pronoun or a name ("was convicted", "he resigned", "Robert Blake
    convicted"), not as a noun's modifier ("the man charged with hacking ... was Jacobsen").
    A form in -s is as often a plural noun ("charges", "offers"); an irregular past ("won") is
    left to the direction words, which know its other words ("picked up the award")."""
    lower = word.lower
    if lower in _EVENT_VERBS:
        return True
    if not (lower.endswith(("ed", "ing")) and word.stem in _EVENT_STEMS) or before is None:
        return False
    return before.lower in _AUXILIARY | _BE_FORMS | _PRONOUNS or (
        before.text[:1].isupper() and before.index > 0)


# "was", "been", "got": before a participle that tells an act done ("was convicted")
_BE_FORMS = frozenset("am is are was were be been being get gets got getting".split())


_DIRECTION_NOUNS = frozenset("profit profits loss losses growth record peak gain gains".split())


_COMPARISON = re.compile(r"\b((?:more|less|fewer)\s+\w+|\w{3,}er)\s+than\b", re.I)
_CAPITALISED = re.compile(r"\b[A-Z0-9][\w-]*")


def _compared_sides(text: str) -> tuple[str, set[str], set[str]] | None:
    """(comparative, names before it, names after "than") of a sentence's first comparison:
    "Taipei's TFC 101 Tower is more than 50m taller than the Petronas Towers" -> taller,
    {taipei, tfc, 101, tower}, {petronas, towers, ...}."""
    match = _COMPARISON.search(text)
    if match is None or match.group(1).lower() in ("other", "rather", "later", "earlier"):
        return None

    def names(piece: str) -> set[str]:
        return {re.sub(r"['’]s$", "", w).lower() for w in _CAPITALISED.findall(piece)}

    before = names(" ".join(text[:match.start()].split()[-8:]))
    after = names(" ".join(text[match.end():].split()[:8]))
    return match.group(1).lower(), before, after


def _swapped_comparison(claim: str, source: str) -> str:
    """Why the source makes the claim's comparison the other way round ("" when it does
    not): the same comparative, with the claim's two sides on the source's opposite sides."""
    mine, theirs = _compared_sides(claim), _compared_sides(source)
    if mine is None or theirs is None or mine[0] != theirs[0]:
        return ""
    (word, left, right), (_, their_left, their_right) = mine, theirs
    if len(left & their_right) > len(left & their_left) and \
            len(right & their_left) > len(right & their_right):
        return f"the source has it the other way round ('{word} than')"
    return ""


_TITLES = frozenset("mr mrs ms miss dr sir dame lord lady prof professor".split())
_FULL_NAME = re.compile(r"\b[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)+")


def _surnamed_full_names(claim: str, source: str) -> set[str]:
    """The words of the claim's full names that the source calls by surname, alone or after a
    title: news names someone in full once, then "Ms James" or "O'Leary", so "Ms James ...
    was born in Melbourne" is about the "Shani Rhys James" a claim names. Not when the source
    puts another first name before the surname ("Venus Williams" is no "Serena Williams")."""
    def bare(word: str) -> str:
        return re.sub(r"['’]s?$", "", word.lower())

    found: set[str] = set()
    for run in _FULL_NAME.findall(claim):
        words = run.split()
        own = {bare(w) for w in words}
        surname = re.escape(re.sub(r"['’]s?$", "", words[-1]))
        before = [bare(m.group(1) or "") for m in re.finditer(
            rf"(?:\b([A-Z][\w'’-]*)\.?\s+)?\b{surname}(?![\w-])", source)]
        if before and all(not b or b in _TITLES or b in own for b in before):
            found |= own
    return found


_SPELT_NAME = re.compile(r"\b[A-Z][\w'’-]+(?:\s+(?:(?:of|and|for|the|&)\s+)*[A-Z][\w'’-]+)+")


def _initialled_names(claim: str, source: str) -> set[str]:
    """The words of the claim's names that the source writes by their initials: "WTO" for
    the "World Trade Organisation" a question names (news spells a name out once, then uses
    its initials)."""
    capitals = set(re.findall(r"\b[A-Z]{2,6}\b", source))
    found: set[str] = set()
    for run in _SPELT_NAME.findall(claim):
        words = run.split()
        if "".join(w[0] for w in words if w[:1].isupper()) in capitals:
            found |= {w.lower() for w in words}
    return found


_ARTICLES = ("the", "a", "an")


def states_the_act(claim: str, source: str) -> bool:
    """Whether the source states the claim's act: an event verb of the claim ("beat" in
    "Liverpool beat Chelsea", "accept" in "Southcorp accept the offer") found in the source by
    its stem or, for a direction word, by any word of the same sense ("beat" / "won" /
    "victory"). True when the claim names no such act."""
    source_words = read_sentence(source).words
    stems = {w.stem for w in source_words}
    words = read_sentence(claim).words
    for position, word in enumerate(words):
        if not _is_event_verb(word, words[position - 1] if position else None) or \
                word.stem in stems:
            continue
        before = words[position - 1].lower if position else ""
        after = words[position + 1].lower if position + 1 < len(words) else ""
        possessed = position and re.search(r"['’]s?$", words[position - 1].text)
        # "the Pattaya win", "a Wimbledon win": a name between the article and the word
        named_noun = position >= 2 and words[position - 1].text[:1].isupper() and \
            words[position - 2].lower in _ARTICLES
        if before in _ARTICLES + ("to", "his", "her", "its", "their") or possessed or \
                named_noun or (
                word.lower in ("lead", "led") and after == "to"):
            continue  # "was due to join", "may lead to tariffs", "the name", "Glazer's offer":
            # a noun, no act told
        sign = DIRECTION.get(word.lower) or DIRECTION.get(
            _IRREGULAR.get(word.lower, word.lower))
        if sign and any(DIRECTION.get(w.lower) == sign and w.lower not in _SOFT_DIRECTION
                        and w.lower not in _DIRECTION_NOUNS for w in source_words):
            continue
        if _IRREGULAR.get(word.lower, word.stem) in ("go", "come", "turn"):
            continue  # only a direction with them ("go up") says what happened
        return False
    return True


_CAUSE_BEFORE = frozenset("caused causes cause causing prompted triggered".split())
_CAUSE_AFTER = frozenset("because thanks blamed".split())


def _cause(reading: Reading) -> tuple[set[str], set[str]]:
    """(cause, effect): the content stems a sentence gives as a cause and as what it caused:
    "X caused Y" / "X led to Y", or "Y because (of) X" / "Y, thanks to X" / "Y, blamed on X"."""
    words = reading.words

    def stems(part) -> set[str]:
        return {w.stem for w in part if _content(w)}

    for position, word in enumerate(words):
        lower = word.lower
        if lower in _CAUSE_BEFORE or (lower == "led" and position + 1 < len(words)
                                      and words[position + 1].lower == "to"):
            return (stems(words[max(0, position - 6):position]),
                    stems(words[position + 1:position + 7]))
        if lower in _CAUSE_AFTER:
            return (stems(words[position + 1:position + 7]),
                    stems(words[max(0, position - 6):position]))
    return set(), set()


# "A before B": an order in time, which a source must tell in words or by two dates ("The DS
# goes on sale in Europe before the PSP ..." is not held by a sentence on what each costs).
_ORDERING = re.compile(r"\b(?:before|after|earlier|later|ahead of|prior to|preceded|"
                       r"followed|following)\b", re.I)


def _dates_in(reading: Reading) -> set[str]:
    """The days, months and years a sentence writes."""
    found = {f"{day} {month}" for day, month in _day_months(reading)}
    found |= {w.lower for w in reading.words if _CALENDAR.get(w.lower) == "month"}
    return found | {w.number for w in reading.words if w.number and _looks_like_year(w.number)}


def _figure_by_same_words(claim: Reading, source: Reading, number: Word, window: int) -> str:
    """A figure of the source's of the same kind (ordinal, percentage, year or count) that
    stands by two or more of the words `number` stands by in the claim, as a reason; else ""."""
    mine = _anchors(claim, number.index, window, units=True)
    for other in source.numbers:
        if other.number.endswith("%") != number.number.endswith("%") or \
                other.number.endswith("th") != number.number.endswith("th") or \
                _looks_like_year(other.number) != _looks_like_year(number.number):
            continue
        if len(mine & _anchors(source, other.index, window, units=True)) >= 2:
            return f"the source gives {other.text} where the claim has {number.text}"
    return ""


def _of_someone_else(claim: Reading, source: Reading) -> bool:
    """Whether the source's subject is another than the claim's, which it never names."""
    mine = {w for w in claim.actor if len(w) > 2}
    theirs = {w for w in source.actor if len(w) > 2}
    said = {w.lower for w in source.words} | source.names
    return bool(mine and theirs and not mine & theirs and not mine & said)


# "X will be a director", "X is the new chairman": what a claim says something is.
_PREDICATE = re.compile(r"\b(?:is|was|are|were|will be|would be|has been|had been)\s+"
                        r"(?:a|an|the)\s+([^,.;:]+?)(?=\s+(?:of|in|on|at|for|from|to|with|by|"
                        r"since|after|before|who|which|that)\s|[,.;:]|$)", re.I)


def _said_to_be(claim: Reading, source: Reading) -> str:
    """A claim that something is a thing ("The new head of comedy in Glasgow will be a
    director") needs that thing's words in the source sentence itself: "a head of comedy
    commissioning based in Glasgow" says nothing of a director, whoever the story before it
    calls one."""
    known = {w.stem for w in source.words}
    for match in _PREDICATE.finditer(claim.text):
        thing = [w for w in read_sentence(match.group(1)).words if _content(w)]
        lacking = [w.text for w in thing if w.stem not in known]
        if lacking:
            return f"the source does not say it is {' '.join(lacking)}"
    return ""


def _day_months(reading: Reading) -> set[tuple[str, str]]:
    """(day, month) pairs written next to each other: "16 January", "January 16"."""
    pairs = set()
    words = reading.words
    for position, word in enumerate(words):
        if _CALENDAR.get(word.lower) != "month":
            continue
        for neighbour in (position - 1, position + 1):
            if 0 <= neighbour < len(words) and words[neighbour].number and \
                    re.fullmatch(r"\d{1,2}", words[neighbour].number):
                pairs.add((words[neighbour].number, word.lower))
    return pairs


def _doer_of_act(claim: Reading, source: Reading) -> frozenset[str]:
    """Who does the claim's act in the source: the name standing just before the source's
    word for the claim's first verb ("Italy officially informed China" -> the name before
    "informed" in the source)."""
    if not claim.actor:
        return frozenset()
    verb = None
    started = after_auxiliary = False
    for word in claim.words:
        if word.text[0].isupper() and not started:
            continue  # the leading name run
        started = True
        if word.lower in _AUXILIARY or word.lower in _BE or word.lower.endswith("ly"):
            after_auxiliary = after_auxiliary or word.lower in _AUXILIARY | _BE
            continue
        # After "will", "has", "might" the next word is the verb ("will have a scan");
        # otherwise it must look like one ("informed"), not be a noun ("shares").
        if word.text[0].isalpha() and word.text[0].islower() and word.lower not in _SPEECH \
                and (after_auxiliary or _looks_like_verb(word.lower)):
            verb = word
        break
    if verb is None:
        return frozenset()
    words = source.words
    for position, word in enumerate(words):
        if word.stem != verb.stem:
            continue
        run: list[str] = []
        for before in reversed(words[max(0, position - 5):position]):
            if before.text[0].isupper():
                run.append(before.lower)
            elif run or not (before.lower.endswith("ly") or before.lower in _AUXILIARY
                             or before.lower in _BE):
                break
        names = {re.sub(r"['’]s$", "", w) for w in run} - _TITLE_WORDS - _STOP - _PRONOUNS
        if names:
            return frozenset(names)
    return frozenset()


_VERBS = frozenset("""won beat beats lost signed bought sold told met said says launched announced
informed urged agreed made took gave sent paid hit led left joined quit cut raised set won
warned claimed denied confirmed rejected accepted approved blocked backed named appointed
fired hired sued charged arrested killed attacked invaded visited called asked offered
bid acquired merged opened closed""".split())


def _looks_like_verb(word: str) -> bool:
    """A past-tense or known news verb ("informed", "won"), not a noun such as "shares"."""
    return word in _VERBS or word in DIRECTION or (word.endswith("ed") and len(word) >= 4)


_AUXILIARY = frozenset("has had have is are was were will would did does do also then later "
                       "not n't could might may must can shall should".split())


_DIRECTION_STEMS = {_STEMMER.stemWord(w): sign for w, sign in DIRECTION.items()
                    if w not in _SOFT_DIRECTION}


# Everyday words of one sense: a claim saying "stay open" for "remain open" uses the source's
# word in another form. Plain synonyms only, each word in one group, none with a common second
# sense ("fire", "end"); a word of the opposite sense is the frame rules' job.
_SENSES = [group.split() for group in """stay remain | quit resign | buy purchase acquire |
start begin | sack dismiss | choose pick select | help assist |
reveal disclose | try attempt | need require | ask request | allow permit |
halt stop | keep retain | big large | rich wealthy | fast quick rapid | talk negotiation
""".replace("\n", " ").split("|")]
_SENSE_OF = {_STEMMER.stemWord(word): n for n, group in enumerate(_SENSES) for word in group}


def _tells_of_its_names(claim: Reading, source: Reading) -> bool:
    """Whether the source shares a word of what the claim says beyond its names (by stem,
    sense or direction). "Had Ana Ruiz made films before Blue Harbour?" is not held by "Ana
    Ruiz won best actress for Blue Harbour": the names match and nothing asked of them does.
    True when the claim says nothing beyond its names."""
    told = {stem for w in claim.words if not w.text[:1].isupper() and w.number is None
            and w.lower not in _SPEECH | _OPINION for stem in _part_stems(w)
            if stem not in _REPORTING}
    if not told:
        return True
    present = {stem for w in source.words for stem in _part_stems(w)}
    return bool(told & present or _same_sense(present, told) or _same_direction(present, told))


# Verbs that frame what someone thinks ("Sella reckons X should be Y"): said in other words
# as often as not, so no word of what a claim tells.
_OPINION = frozenset("""reckon reckons reckoned think thinks thought believe believes believed
feel feels felt consider considers considered expect expects expected""".split())


def _part_stems(word: Word) -> set[str]:
    """A content word's stems, a hyphened word's parts each ("vice-chairman": vice, chairman)."""
    parts = [p for p in re.split(r"[-‐]", word.lower) if p]
    return {_STEMMER.stemWord(p) for p in parts
            if p.isalpha() and p not in _STOP and p not in _UNITS}


def _same_sense(present: set[str], claim_tokens: set[str]) -> set[str]:
    """Claim tokens with a same-sense word in the source ("stay" where it has "remain")."""
    senses = {_SENSE_OF[t] for t in present if t in _SENSE_OF}
    return {t for t in claim_tokens if _SENSE_OF.get(t) in senses}


def _same_direction(present: set[str], claim_tokens: set[str]) -> set[str]:
    """Claim tokens that are direction words of the same sense as one the source uses ("rose"
    for "jumped"): a paraphrase, not a missing word. Opposite senses are the frame rules' job."""
    signs = {_DIRECTION_STEMS[t] for t in present if t in _DIRECTION_STEMS}
    return {t for t in claim_tokens if _DIRECTION_STEMS.get(t) in signs}


def _swapped_figure(claim: Reading, source: Reading, number: Word, same: list[Word],
                    window: int) -> str:
    """Two figures of the claim that trade places in the source ("offered £1.4bn ... fund a
    £1.3bn bid" against "offered £1.3bn ... fund a £1.4bn bid")."""
    mine = _anchors(claim, number.index, window)
    if not mine or any(mine & _anchors(source, o.index, window) for o in same):
        return ""
    for other in source.numbers:
        if other.number == number.number:
            continue
        # A year and a count are not one figure in two places ("seven wins in 2021"), nor
        # a place in a sequence and a count.
        if _looks_like_year(other.number) != _looks_like_year(number.number) or \
                other.number.endswith("th") != number.number.endswith("th"):
            continue
        if len(mine & _anchors(source, other.index, window)) < 2:
            continue
        # A swap changes the order of the two figures. When the claim gives both in the
        # source's order, each is in its place and the claim only words them closer together
        # ("ten of the 22 ... the 33-5 hammering" for "Ten of the 22 on duty ... trounced
        # 33-5"; "gets to 65 live to 81" for "at age 65 ... will live to 81").
        own = [n for n in claim.numbers if n.number == other.number]
        if own and all((n.index > number.index) == (other.index > o.index)
                       for n in own for o in same):
            continue
        return f"the source gives {other.text} where the claim has {number.text}"
    return ""


_OVER = frozenset("in over across during from of for since within".split())
_REFERRING = frozenset("them us these those it this that".split())


def _counting_other(claim: Reading, source: Reading, number: Word) -> str:
    """Why a question's figure is not the source's though both write it: "in two sets"
    against "had to save two match points", where the source's every "two" counts something
    else, else "". Only a figure the question gives its noun ("two sets") and the sentence
    gives one too; "two of them", "two in May" count nothing here."""
    mine = _next_word(claim, number.index)
    # a count of things: a cardinal before a plural noun ("two sets"; not "the second
    # tournament", "gets to 65 live to 81")
    if number.number.endswith("th") or not re.fullmatch(r"[a-z]+s", mine) or \
            mine in _STOP or mine in _UNITS:
        return ""
    stem = _STEMMER.stemWord(mine)
    after = [[w for w in source.words[w.index + 1:w.index + 4]]
             for w in source.numbers if w.number == number.number]
    # the source's figure before lower-case words none of which is the noun ("two match
    # points before"); one before a name ("four Abba members") or a bare one, its noun said
    # before ("1000 web links or 5000 if they sign up"), is left alone
    if not after or any(not words or not words[0].text.islower() or words[0].lower in _STOP
                        for words in after):
        return ""
    if all(stem not in {w.stem for w in words} for words in after):
        return f"the source's {number.text} counts '{after[0][0].text}', not '{mine}'"
    return ""


def _next_word(reading: Reading, index: int) -> str:
    return reading.words[index + 1].lower if index + 1 < len(reading.words) else ""


def _counted_over(reading: Reading, index: int) -> str | None:
    """What a figure is counted over: the first content word of the phrase after it that
    starts with "in", "over", "during" ... ("817 points in 52 internationals" -> the stem of
    "internationals"; a figure there counts too: "52")."""
    words = reading.words
    position = index + 1
    while position < len(words) and (words[position].lower in _UNITS
                                     or (words[position].lower.isalpha() and _content(
                                         words[position]) and position <= index + 2
                                         and words[position].lower not in _OVER)):
        position += 1  # the unit and the counted noun: "points", "per cent", "billion euros"
    if position >= len(words) or words[position].lower not in _OVER:
        return None
    for word in words[position + 1:position + 4]:
        if word.lower in _REFERRING:
            return None  # "12% of them": a share of what was named before, not of what follows
        if word.number is not None and not word.in_name and not _looks_like_year(word.number):
            # "won 36 of his 50 matches" is a share of the 50, not 36 counted over them:
            # "won 36 matches in his career" says the same.
            return None if words[position].lower == "of" else word.number
        if _content(word):
            return word.stem
    return None


def _context_reading(source: SourceLike) -> Reading:
    """The header and the passage before the sentence, read as one text; the whole passage's
    name runs ride along in `actor` so the frame rules can ask who else it names."""
    reading = read_sentence(f"{source.header}. {source.context}")
    runs = frozenset(frozenset(w.lower().strip("'’.") for w in m.group(0).split())
                     - _TITLE_WORDS for m in _NAME_RUN.finditer(
                         f"{source.header}. {getattr(source, 'passage_text', '') or ''}"))
    return Reading(reading.text, reading.words, reading.names, reading.speaker,
                   reading.actor, runs)


_ROLE_WORDS = frozenset("""president premier prime minister chancellor secretary chief executive
chairman chairwoman director leader spokesman spokeswoman manager coach captain council
commission foreign ministry general head boss senator governor mayor deputy vice shadow home
state party labour conservative tory liberal democrat republican european chinese british
american french german russian lord lady king queen prince princess sir mr mrs ms dr professor
judge justice analyst economist official officials""".split())


def _someone_else(extra: frozenset[str], mine: frozenset[str], runs) -> bool:
    """Whether `extra` (name words of the claim's speaker or actor that the source's lacks)
    belong to a name the passage gives someone other than `mine` (the source's)."""
    theirs = mine - _ROLE_WORDS
    for run in runs:
        if run & extra and not run & theirs:
            return True
    return False


_BE = frozenset("be been being to set due going about".split())


def _in_a_name(reading: Reading, index: int) -> bool:
    """Whether a word stands in a run of capitalised words that is not a date."""
    words = reading.words
    for position in (index - 1, index + 1):
        if 0 <= position < len(words):
            text = words[position].text
            if text[:1].isupper() and words[position].lower not in _CALENDAR and not (
                    position == 0 and index == 1):
                return True
    return False


# "more than 10%", "at least 1,000", "under 5%": a bound, not the figure itself.
_ABOVE = ("more than", "over", "above", "at least", "exceeding", "upwards of")
_BELOW = ("less than", "fewer than", "under", "below", "at most", "up to")


def _bound(reading: Reading, number: Word) -> int:
    """+1 when the claim puts its figure as a floor ("more than 10%"), -1 as a ceiling
    ("under 5%"), 0 when it states the figure itself."""
    words = list(reading.words[max(0, number.index - 3):number.index])
    # "more than A$3bn", "over US$5m": the currency's letters stand between
    if words and words[-1].text.isupper() and len(words[-1].text) <= 3 and \
            reading.text[words[-1].start + len(words[-1].text):][:1] in "$£€¥":
        words = words[:-1]
    before = " ".join(w.lower for w in words[-2:])
    if before.endswith(_ABOVE):
        return 1
    if before.endswith(_BELOW):
        return -1
    return 0


def _bounded_figure(claim: Reading, source: Reading, number: Word, window: int
                    ) -> tuple[Word, bool] | None:
    """For a claim's bounded figure ("grow by more than 10%"), the source's figure of the same
    kind standing by a word of the claim's figure ("grew by 8.1%"), and whether it keeps the
    bound; None when the figure is no bound or the source gives none such."""
    side = _bound(claim, number)
    value = _value(number.number)
    if not side or value is None:
        return None
    # ("by more than" stands between the figure and its noun: twice the window on the claim)
    mine = _anchors(claim, number.index, 2 * window, units=True)
    for other in source.numbers:
        theirs = _value(other.number)
        if theirs is None or other.number.endswith("%") != number.number.endswith("%") or \
                _looks_like_year(other.number) != _looks_like_year(number.number) or \
                _scale(source, other) != _scale(claim, number):
            continue  # (a share price is no bound on "more than A$3bn")
        if mine & _anchors(source, other.index, window, units=True):
            return other, theirs > value if side > 0 else theirs < value
    return None


def _scale(reading: Reading, number: Word) -> str:
    """"bn" or "m" when the word after a figure scales it ("3.1bn", "5 million"), else ""."""
    after = reading.words[number.index + 1].lower if number.index + 1 < len(reading.words) \
        else ""
    return {"bn": "bn", "billion": "bn", "m": "m", "million": "m"}.get(after, "")


def _value(number: str) -> float | None:
    try:
        return float(number.rstrip("%"))
    except ValueError:
        return None


def _looks_like_year(value: str) -> bool:
    return bool(re.fullmatch(r"(1[89]|20)\d\d", value))


def _direction_near(reading: Reading, index: int, window: int) -> int:
    """The direction word nearest a figure, looking first before it ("rose 6%"), then after
    ("6% higher"); 0 when none."""
    words = reading.words
    for distance in range(1, window + 1):
        for position in (index - distance, index + distance):
            if 0 <= position < len(words):
                word = words[position].lower
                sign = DIRECTION.get(word)
                if sign and (word not in _SOFT_DIRECTION or distance <= 2):
                    return sign
    return 0


def _unprefixed(word: str, others: set[str]) -> str:
    """The word without a negating prefix when that base word is in `others`
    ("insignificant" -> "significant")."""
    for prefix in _NEGATION_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 4:
            base = word[len(prefix):].lstrip("-")
            if base in others and _ADJECTIVE_ENDING.search(base):
                return base
    return ""


def _last_named_person(context: Reading) -> frozenset[str]:
    """The last speaker or actor named in the passage before a "he said" sentence."""
    for text in reversed(re.split(r"(?<=[.!?])\s+", context.text)):
        reading = read_sentence(text)
        if reading.speaker and "<pronoun>" not in reading.speaker:
            return reading.speaker
    return frozenset()


_CLAUSE_BREAK = re.compile(r",\s+(?:and|but|while|whereas)\s+(?=[A-Za-z])|\s+(?:while|whereas)\s+"
                           r"|;\s+")


def split_clauses(sentence: str) -> list[str]:
    """Clauses joined by "and", "but", "while" or ";", when each side can stand alone (has a
    few words of its own); otherwise the sentence itself."""
    parts = [p.strip(" ,") for p in _CLAUSE_BREAK.split(sentence)]
    parts = [p for p in parts if p]
    if len(parts) < 2 or any(len(re.findall(r"[A-Za-z]{3,}", p)) < 3 for p in parts):
        return [sentence]
    return parts
