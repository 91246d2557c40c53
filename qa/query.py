"""Reading a question for the outlets and days it names.

News questions often name where something was reported ("as The Verge reported", "in a
TechCrunch article on October 31") and compare several reports in one sentence. Matching those
names against the store's own sources lets retrieval look for each part of the question in the
outlet it names, instead of letting one long question blur into a single search.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

_SEPARATORS = re.compile(r"\s*[|:]\s+|\s+[-–—]\s+")
_MONTH_NAMES = [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
                ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
                ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
                ("december", "dec")]
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, start=1)
           for name in names}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH_FULL = "|".join(names[0] for names in _MONTH_NAMES)
_DATE_PATTERNS = [
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"),
    re.compile(rf"\b(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b",
               re.I),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH})\.?,?\s+"
               rf"(?P<y>\d{{4}})\b", re.I),
]


# Words that frame a question about news rather than say what it is about ("Does the
# article from X suggest that ..."); searching for them only finds other articles that
# happen to say "article" or "reported".
FRAMING_WORDS = frozenset("""
    article articles report reports reported reporting piece pieces story stories coverage
    covered publication published source sources outlet news according mention mentioned
    mentions suggest suggests suggested imply implies implied indicate indicates indicated
    discuss discusses discussed describe describes described claim claims claimed state states
    stated highlight highlights highlighted detail detailed details featured feature features
    considering consider information individual person entity company organization what which
    who whom whose when where why how does did do is are was were has have had the a an
""".split())


def search_text(text: str) -> str:
    """The question without its framing words, for searching."""
    words = re.findall(r"[\w'’$%.-]+", text)
    kept = [w for w in words if w.lower().strip(".") not in FRAMING_WORDS]
    return " ".join(kept) or text


@dataclass(frozen=True)
class Mention:
    """A stretch of the question that names one or more of the store's sources."""

    start: int
    end: int
    sources: tuple[str, ...]


def source_aliases(sources: Sequence[str]) -> dict[str, set[str]]:
    """Lower-cased names a question may use for each source -> the sources they mean.

    "Cnbc | World Business News Leader" is also "Cnbc"; "FOX News - Health" is also
    "FOX News" (which then means every FOX News section); "The Verge" is also "Verge".
    """
    aliases: dict[str, set[str]] = {}

    def add(alias: str, source: str) -> None:
        alias = " ".join(alias.lower().split())
        if len(alias) >= 3 and any(c.isalpha() for c in alias):
            aliases.setdefault(alias, set()).add(source)

    for source in sources:
        add(source, source)
        head = _SEPARATORS.split(source)[0]
        add(head, source)
        for name in (source, head):
            if name.lower().startswith("the ") and len(name) > 8:
                add(name[4:], source)
    return aliases


def find_source_mentions(question: str, aliases: dict[str, set[str]],
                         any_case: bool = False) -> list[Mention]:
    """Where the question names a known source; the longest name wins where two overlap.

    A one-word alias must appear capitalised as in a name ("Verge", "Polygon") so that
    ordinary words do not count as outlets; with `any_case`, every word that may be one
    counts ("wired", "fortune" in a question typed in lower case).
    """
    found: list[Mention] = []
    lowered = question.lower()
    for alias in sorted(aliases, key=len, reverse=True):
        for match in re.finditer(rf"(?<![\w]){re.escape(alias)}(?![\w])", lowered):
            start, end = match.span()
            if " " not in alias and not question[start].isupper() and not any_case:
                continue
            if any(m.start < end and start < m.end for m in found):
                continue
            found.append(Mention(start, end, tuple(sorted(aliases[alias]))))
    return sorted(found, key=lambda m: m.start)


def find_dates(text: str) -> list[date]:
    """Calendar days written in the text (ISO, "October 31, 2023", "31 October 2023")."""
    days: list[date] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            month = int(parts["m"]) if parts.get("m") else _MONTHS[parts["mon"].lower().rstrip(".")]
            try:
                days.append(date(int(parts["y"]), month, int(parts["d"])))
            except ValueError:
                continue
    return list(dict.fromkeys(days))


# "on 11 March", "March 11th" with no year after them.
_DAY_MONTH = re.compile(rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon1>{_MONTH_FULL})|"
                        rf"(?P<mon2>{_MONTH_FULL})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)\b"
                        r"(?![,\s]*\d{4})", re.I)


def find_day_month(text: str) -> tuple[int, int] | None:
    """(month, day) of the first day the text gives without a year ("on 11 March")."""
    match = _DAY_MONTH.search(text)
    if not match:
        return None
    month = _MONTHS[(match.group("mon1") or match.group("mon2")).lower()]
    return month, int(match.group("d1") or match.group("d2"))


@dataclass(frozen=True)
class SubQuery:
    """A part of the question to look for in particular sources."""

    text: str
    sources: tuple[str, ...]
    days: tuple[date, ...]


def split_by_mentions(question: str, mentions: Sequence[Mention],
                      sides: str = "both") -> list[SubQuery]:
    """Sub-queries per mentioned source from the text between the neighbouring mentions.

    Questions name the outlet before ("The Verge said X") or after ("X, as The Verge
    reported") what it said, so the text on each side is searched in that outlet: with
    sides="both" as one query, with "split" as two, with "all" as both of those.
    """
    parts = []
    for index, mention in enumerate(mentions):
        left = mentions[index - 1].end if index > 0 else 0
        right = mentions[index + 1].start if index + 1 < len(mentions) else len(question)
        texts = []
        if sides in ("both", "all"):
            texts.append(question[left:mention.start] + " " + question[mention.end:right])
        if sides in ("split", "all"):
            texts.extend([question[left:mention.start], question[mention.end:right]])
        for text in texts:
            text = " ".join(text.split())
            if len([w for w in re.findall(r"[A-Za-z]{3,}", text)
                    if w.lower() not in FRAMING_WORDS and w.lower() not in QUESTION_WORDS]) < 3:
                # A name in a list ("by Fortune, The Verge, and TechCrunch", "Who is the
                # player mentioned in articles from A and B"): the whole question is what to
                # look for in that outlet.
                text = question
            parts.append(SubQuery(text, mention.sources, tuple(find_dates(text))))
    return parts


QUESTION_WORDS = {
    "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "is", "are", "was",
    "were", "do", "does", "did", "can", "could", "should", "would", "will", "has", "have",
    "had", "and", "but", "or", "after", "before", "between", "considering", "according",
    "in", "on", "of", "the", "a", "an", "following", "based", "given", "while", "if", "as",
    "for", "from", "to", "at", "by", "with", "both", "tell", "me", "please", "i", "we", "you",
    # words that open a request rather than name anything
    "summarise", "summarize", "list", "name", "explain", "describe", "give", "show", "outline",
    "recap", "compare", "provide", "sum", "brief", "catch", "remind", "say", "any", "anything",
    "fill", "quick", "so", "boil",
}
# (A name starts a word; "eBay" and "iPod" are names whole, not "Bay" and "Pod".)
_NAME_RUN = re.compile(r"(?<![A-Za-z0-9])(?:(?:[a-z]{1,2}(?=[A-Z]))?[A-Z][\w'’.&-]*|\d[\w.-]*)"
                       r"(?:\s+(?:of|de|von|der|van|the|and|&)?\s*"
                       r"(?:(?:[a-z]{1,2}(?=[A-Z]))?[A-Z][\w'’.&-]*|\d[\w.-]*))*")


# "I'm", "We've", "It's", "Let's": a pronoun with its verb, capitalised only because it opens
# a sentence ("I'm thinking about fostering. What ..."; mid-sentence, "It's A Wonderful Life"
# is a title).
_CONTRACTED_PRONOUN = re.compile(r"(?:i|you|we|they|he|she|it|let|that|there|here)['’]"
                                 r"(?:m|ve|d|ll|re|s)", re.I)
# "Who's", "What's": a question word with its verb, anywhere ("..., who's the other horse?").
_CONTRACTED_QUESTION_WORD = re.compile(r"(?:who|what|where|when|why|how|which)['’]"
                                       r"(?:s|re|d|ll|ve)", re.I)


def is_function_word(word: str) -> bool:
    """A word the lexical index leaves out ("not", "my", "the"): no name, and no use to
    look for in the store."""
    from index import lexical_tokens

    return not lexical_tokens([word.strip(".,;:!?'’\"")])[0]


_TITLES = frozenset("mrs prof gov gen sen rev corp sgt capt".split())  # "Mrs. Smith"


def _runs(question: str) -> list[tuple[list[str], bool]]:
    """The capitalised runs of a question, each as its words and whether it opens a sentence;
    a run the regex carries over a full stop ("Leeds. Why did ...") is two."""
    runs = []
    for match in _NAME_RUN.finditer(question):
        opens = not question[:match.start()].strip() or \
            question[:match.start()].rstrip()[-1] in ".!?"
        words: list[str] = []
        for word in match.group(0).split():
            words.append(word)
            # a sentence ends here: not an initial ("J."), an abbreviation ("U.S.", "Mr.")
            if word[-1] in ".!?" and len(word) > 3 and "." not in word[:-1] \
                    and word[:-1].lower() not in _TITLES:
                runs.append((words, opens))
                words, opens = [], True
        if words:
            runs.append((words, opens))
    return runs


# "My dad has shares ...": a possessive that opens a sentence is capitalised for that alone
# (BM25's stop words leave these in).
_POSSESSIVES = frozenset("my our your his her their its".split())
# "Under Parmalat's plan, are ...": a preposition opening a sentence names nothing either
_OPENING_PREPOSITIONS = frozenset("""under after before during despite without within among
across over following since until unlike beyond behind""".split())
# "... Just the main points.", "Briefly, who won?", "Thanks!": words that open what is said
# around a question, capitalised for that alone (general English, not any store's)
_DISCOURSE = frozenset("""just only also thanks thank please ok okay anyway again sorry cheers
great yes no well sure briefly honestly basically seriously really quickly finally actually
generally personally obviously roughly simply frankly hopefully ideally lastly firstly secondly
late early long soon earlier later recently""".split())
# "Run through who won what ...", "Check whether ...": a verb opening a request
_REQUESTS = frozenset("run walk talk take check find break help look".split())


def question_names(question: str) -> list[str]:
    """Capitalised phrases of the question that name something ("Olaf Scholz", "The Verge")."""
    names = []
    for words, opens in _runs(question):
        first = words[0]
        while words and (words[0].lower().strip("'’") in QUESTION_WORDS
                         or _CONTRACTED_QUESTION_WORD.fullmatch(words[0])
                         or opens and _CONTRACTED_PRONOUN.fullmatch(words[0])
                         # "... please? Not the winners": a sentence's first word that is
                         # a function word names nothing (an acronym such as "US" may)
                         or opens and words[0] == first
                         and not words[0].isupper() and (
                             is_function_word(words[0])
                             or words[0].lower() in _POSSESSIVES
                             or words[0].lower() in _OPENING_PREPOSITIONS
                             or words[0].lower().strip(",;:!?.") in _DISCOURSE
                             or len(words) == 1 and words[0].lower() in _REQUESTS)):
            words = words[1:]
        phrase = " ".join(words).strip(".,;:'’\"")
        # "Pokémon-loving kids", "a London-based firm": the name is what the lower-case
        # word is joined to; "No. 1" is a number, not a name
        phrase = re.sub(r"(?<=[^\W\d_])-[a-z]+$", "", phrase)
        if re.fullmatch(r"No\.?\s*\d+", phrase):
            continue
        if phrase and phrase.lower() not in QUESTION_WORDS and any(c.isalpha() for c in phrase):
            names.append(phrase)
    return list(dict.fromkeys(names))


# The words newspapers' and agencies' names end with ("Financial Times", "Daily Mail").
_NEWSPAPER_WORD = (r"(?:Times|Post|Journal|Herald|Telegraph|Guardian|Tribune|Gazette|Chronicle|"
                   r"Mail|Express|Mirror|Observer|Economist|Reuters|Bloomberg|Press|News|"
                   r"Standard)")
# An outlet's name by its shape: one word ("Reuters", "CNET"), "The ..." or a newspaper's.
_OUTLET_SHAPE = re.compile(r"[A-Z][\w.&'’-]*|(?:The|the)\s+.+|(?:[A-Z][\w.&'’-]*\s+){0,3}"
                           + _NEWSPAPER_WORD + r"(?:['’]s?)?")
_OUTLET_NAME = r"['‘\"]?((?:[A-Z][\w.&'’-]*)(?:\s+(?:[A-Z][\w.&'’-]*|of|and|&|-|\|))*)['’\"]?"
_OUTLET_PATTERNS = [
    re.compile(r"\b(?:article|report|piece|story|coverage|analysis|op-ed|editorial|column|"
               r"interview|review|another|one)s?\s+(?:from|by|in|of)\s+(?:both\s+)?(?:the\s+)?"
               + _OUTLET_NAME),
    # "a Bloomberg article", "in Reuters articles", "'Reuters' article" (a quoted name needs
    # no article before it)
    re.compile(r"(?:\b(?:a|an|the|another|in)\s+|(?<![\w'’])(?=['‘\"]))" + _OUTLET_NAME +
               r"\s+(?:article|report|piece|story|review|analysis)s?\b"),
    re.compile(r"\b(?:reported|published|written|covered|presented)\s+(?:by|in)\s+"
               r"(?:both\s+)?(?:the\s+)?" + _OUTLET_NAME),
    # "After Reuters reported on ...", "when the Economist published that ..." ("When Blair
    # reported to MPs" is a person's report)
    re.compile(r"\b(?i:after|when|before|since|once)\s+(?:the\s+)?" + _OUTLET_NAME
               + r"\s+(?:reported|published)\s+(?:on|that)\b"),
    # "What did Al Jazeera report about ...", "as Politico reported", "How did the Wall Street
    # Journal cover ..."
    re.compile(r"\b(?:did|does|has|had|as)\s+(?:the\s+)?" + _OUTLET_NAME
               + r"\s+(?:report|reported|reports|publish|published|write|wrote|broadcast|cover|"
               r"covers|covered)\b"),
    # "How did the Financial Times react to ...", "What did the Daily Mail say about ...":
    # verbs said of people too, so only for a name that reads as a newspaper's or an agency's
    re.compile(r"\b(?i:did|does|has|had|as)\s+(?:the\s+)?((?:[A-Z][\w.&'’-]*\s+){0,3}"
               + _NEWSPAPER_WORD + ")"
               r"\s+(?:react|reacted|respond|responded|say|said|see|view|describe|described|"
               r"make of|think|claim|claimed|suggest|suggested|predict|predicted|report|"
               r"reported|cover|covered|write|wrote|publish|published)\b"),
]


# A day as questions write it ("2023-10-22", "22 Oct 2023", "October 22nd, 2023").
_A_DAY = (r"(?:\d{4}-\d\d-\d\d|"
          r"\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?[A-Z][a-z]{2,8}\.?(?:,?\s+\d{4})?|"
          r"[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?)")
_PUBLISHED = r"(?:ran|published|posted|wrote|reported|covered|carried)"
# What only a publication does: runs a piece, writes on a day ("Bloomberg ran a report on
# ...", "On 22 Oct 2023, Bloomberg reported", "Bloomberg's October 2, 2023 article").
_PUBLISHING_PATTERNS = [
    re.compile(_OUTLET_NAME + r"\s+(?:ran|published|posted|has|had|carried)\s+(?:a|an|one|another)"
               r"\s+(?:[\w-]+\s+){0,3}?(?:report|piece|article|story|review|feature)s?\b"),
    re.compile(_OUTLET_NAME + r"\s+" + _PUBLISHED + r"\b[^.?;]{0,40}?\b(?:on|dated)\s+"
               + _A_DAY),
    re.compile(r"\b(?i:on)\s+" + _A_DAY + r",?\s+" + _OUTLET_NAME + r"\s+" + _PUBLISHED
               + r"\b"),
    re.compile(_OUTLET_NAME + r"['’]s?\s+" + _A_DAY + r"\s+(?:report|piece|article|story|"
               r"review)\b"),
]
# Where a question that names the store's outlets names the others: who says, reports or
# writes something. People stand here too ("According to Blair, ..."), so these count only
# beside one of the store's outlets, in a question about what outlets wrote.
_SAYS = (r"(?:says|said|reports|reported|writes|wrote|covers|covered|discusses|discussed|"
         r"argues|argued|suggests|suggested|suggesting|portrays|portrayed|portraying|"
         r"describes|described|claims|claimed|expects|mentions|mentioned|calls|called|"
         r"credits|credited|blames|blamed|depicts|depicted|presents|presented|hints|"
         r"highlights|highlighted|notes|noted|indicates|indicated|concentrates|focuses|"
         r"talks|say|report|portray|suggest|describe|claim|call|credit|blame|argue|depict|"
         r"present|mention)")
_ATTRIBUTED_PATTERNS = [
    re.compile(r"(?:^|[,;:.]\s+|\b(?i:and|while|whereas|with)\s+)(?i:according\s+to|per|drawing\s+on)"
               r"\s+" + _OUTLET_NAME + r"\s*[,:]"),
    re.compile(r"\b(?i:writing|published|accused|covered|reported)\s+in\s+" + _OUTLET_NAME),
    re.compile(r"(?<![\w'’])" + _OUTLET_NAME + r"['’]s?\s+(?:own\s+)?(?:take|coverage|report|"
               r"reporting|article|piece|story|review|allegation|account)\b"),
    re.compile(r"(?:^|[,;:.]\s+|\b(?i:and|while|whereas|does|did|do|is|was)\s+)" + _OUTLET_NAME
               + r"\s+(?:(?:also|meanwhile|once|not|then|later|again)\s+)?" + _SAYS + r"\b"),
    re.compile(r"\b(?i:one|two|another|a)\s+" + _OUTLET_NAME + r"\s+(?:piece|article|report|"
               r"story)s?\b"),
]
# Names listed with one of the store's outlets, as outlets are ("Bloomberg and The Verge both
# reported", "in Bloomberg and The Age", "Bloomberg, Polygon and Fox News all have articles").
_LISTED_BEFORE = re.compile(r"\b(?i:in|from|by|according\s+to|per|across|both)\s+$")
_LISTED_AFTER = re.compile(r"^\s+(?i:both|all|each|have|has|had|wrote|write|writes|reported|"
                           r"report|reports|covered|cover|covers|discuss|discussed|discusses|"
                           r"ran|run|published|articles?|pieces?|stories|coverage)\b")


def _listed_with_sources(question: str, mentions: Sequence[Mention]) -> list[str]:
    """Capitalised names that a list joins with one of the store's outlets (`mentions`), where
    the list stands where outlets do (after "in", "according to", before "both reported",
    "articles")."""
    if not mentions:
        return []
    found = []
    item = r"(?:the\s+)?['‘\"]?[A-Z][\w.&'’-]*(?:\s+(?:[A-Z][\w.&'’-]*|of|-|\|))*['’\"]?"
    # ("in Manhattan, and The Guardian covers ...": a comma before "and" joins clauses, unless
    # it ends a list of three or more)
    listing = re.compile(rf"{item}(?:(?:\s*,\s*{item})+\s*,?|\s)\s*(?:and|or|&)\s+{item}")
    for match in listing.finditer(question):
        inside = [m for m in mentions if match.start() <= m.start and m.end <= match.end()]
        before = question[:match.start()]
        opening = re.match(r"(?:In|From|By|Per|Across|Both)\s", match.group(0))  # a capital
        if not inside or _ABOUT_BEFORE.search(before) or not (
                opening or _LISTED_BEFORE.search(before)
                or _LISTED_AFTER.match(question[match.end():])):
            continue
        found.append(match.group(0))
    return found


def unknown_outlets(question: str, aliases: dict[str, set[str]]) -> list[str]:
    """Names the question gives as the outlet of an article ("an article from Bloomberg",
    "the Yardbarker article", "as reported by The Verge", "Bloomberg ran a piece on 22 Oct
    2023", "Bloomberg and The Verge both reported") that are none of the store's sources: the
    store cannot hold what such an outlet wrote."""
    found = []
    phrases = [match.group(1) for pattern in _OUTLET_PATTERNS for match in
               pattern.finditer(question)]
    # Where people stand too, a name shaped like a person's ("Gordon Brown published a
    # report") is taken for a person: an outlet here is one word, "the ..." or a newspaper's
    # name. And a report "on Sam Bankman-Fried published on October 7" is about him.
    mentions = find_source_mentions(question, aliases)
    patterns = _PUBLISHING_PATTERNS + (_ATTRIBUTED_PATTERNS if mentions else [])
    phrases += [match.group(1) for pattern in patterns for match in pattern.finditer(question)
                if not _ABOUT_BEFORE.search(question[:match.start(1)])
                and _OUTLET_SHAPE.fullmatch(match.group(1).strip("'’\"‘ "))]
    phrases += _listed_with_sources(question, mentions)
    for phrase in phrases:
        phrase = " " + phrase + " "
        # Take out the store's own sources first: their names may contain "and" or "&".
        for alias in sorted(aliases, key=len, reverse=True):
            phrase = re.sub(rf"(?i)(?<![\w]){re.escape(alias)}(?![\w])", " , ", phrase)
        for name in re.split(r"\s*,\s*|\s+and\s+|\s+or\s+|\s+&\s+", phrase):
            name = re.sub(r"^(?:the|of|and|&|-|\|)\s+|\s+(?:of|and|&|-|\|)$", "",
                          name.strip(" -|'’\""), flags=re.I).strip(" -|'’\"")
            # ("Per The Verge's report": the word that opens the sentence is no name's)
            name = re.sub(r"^(?i:per|take|drawing|according|in|from|across|both)"
                          r"(?:\s+(?=[A-Z])|$)", "", name)
            while " " in name and name.split()[0].lower() in QUESTION_WORDS:
                name = name.split(" ", 1)[1]  # "Did Bloomberg and ...": the list's own words
            # a part of one of the store's outlets' names ("Style", "Most Interesting Articles"
            # where a colon or dash split it) is that outlet
            if name and name[0].isupper() and name.lower() not in QUESTION_WORDS \
                    and not _A_DAY_ALONE.fullmatch(name) \
                    and not any(re.search(rf"\b{re.escape(name.lower())}\b", alias)
                                for alias in aliases):
                found.append(name)
    return list(dict.fromkeys(found))


_ABOUT_BEFORE = re.compile(r"\b(?i:on|about|of|regarding|with|against|over|its|his|her|their)"
                           r"\s+(?:the\s+)?['‘\"]?$")
_A_DAY_ALONE = re.compile(_A_DAY + r"|(?:On|In)\s+.*")


# Where one long question joins several facts about the same subject ("Which company spent
# billions on default search deals, and is also accused of harming publishers' revenue?").
# These are English clause joints, not any benchmark's phrasing: a comma or semicolon before
# a coordinator or relative pronoun, or "and"/"while"/"but" followed by "also"/"is"/"was"/"has".
_CLAUSE_JOINTS = re.compile(
    r"\s*[;]\s*"
    r"|,\s+(?=(?:and|but|while|whereas|who|which|whose|that|as well as|plus|also)\b)"
    r"|\s+(?=(?:and|but|while|whereas)\s+(?:also|is|was|are|were|has|had|have|did|does|"
    r"who|which|whose|that|later|then|subsequently)\b)", re.I)


def split_clauses(question: str, min_words: int = 4) -> list[str]:
    """The clauses of a question that joins several facts, each with at least `min_words`
    words that are neither question nor framing words; [] when there are fewer than two.

    Searched one by one, each fact finds its own passage instead of the whole question
    finding the passages that match most of its words.
    """
    clauses = []
    for piece in _CLAUSE_JOINTS.split(question):
        text = " ".join(piece.split()).strip(" ,;?")
        content = [w for w in re.findall(r"[\w'’$%.-]+", text)
                   if w.lower() not in QUESTION_WORDS and w.lower() not in FRAMING_WORDS]
        if len(content) >= min_words:
            clauses.append(text)
    return clauses if len(clauses) >= 2 else []
