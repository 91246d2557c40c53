"""Deciding that the articles do not answer a question, before anything is written.

Signals about the question and the evidence, never about the model; see Abstainer. The
thresholds live in qa/policy.py (AbstainPolicy).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .analysis import QuestionAnalysis
from .compose import asks_for_body, bodies_named, names_someone_new
from .evidence import (
    Evidence,
    answer_head,
    gives_measured,
    holds_answer,
    names_as_asked,
    passage_header,
)
from .policy import AbstainPolicy
from .query import QUESTION_WORDS, find_source_mentions, unknown_outlets
from .types import Passage


@dataclass(frozen=True)
class Abstention:
    abstain: bool
    reason: str
    missing: tuple[str, ...] = ()
    off_subject: bool = False  # the one outlet named wrote on other things (off_subject_outlet)


_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


_MONTH_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december", "monday", "tuesday",
                "wednesday", "thursday", "friday", "saturday", "sunday"}

# Months and days as they are shortened in dates ("Nov 13, 2023", "Sept. 5"). Those that are
# names too ("Jan", "The Sun", "Mar") count as a date only beside a figure.
_SHORT_MONTHS = {"feb", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
_SHORT_CALENDAR = {"jan", "mar", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri",
                   "sat", "sun"}


def name_words(name: str) -> list[str]:
    """The words that must occur for a name to count as mentioned ("Alex Verdugo's" ->
    alex, verdugo); empty for dates and numbers, which are not names."""
    words = [w for w in _WORD.findall(re.sub(r"['’]s\b", "", name.lower()))
             if w not in QUESTION_WORDS]
    if (not words or name[:1].isdigit() or any(w in _MONTH_WORDS for w in words)
            or any(w in _SHORT_MONTHS for w in words)
            or any(w in _SHORT_CALENDAR for w in words) and any(w.isdigit() for w in words)
            or all(w.isdigit() for w in words)):
        return []
    return words


def _address_words(url: str | None) -> str:
    """The words of an article's web address after its host ("/buffalo-bills-jordan-poyer/"):
    outlets write the story's subject there, and a store of excerpts may name a person only
    there and as "he" in the text."""
    if not url:
        return ""
    path = re.sub(r"^[a-z]+://[^/]+", "", url.lower())
    return " ".join(w for w in re.split(r"[^a-z]+", path) if len(w) >= 3)


def passage_words(passages: Sequence[Passage]) -> set[str]:
    """Every word the retrieved passages show: text, title, source, date and address."""
    seen: set[str] = set()
    for passage in passages:
        seen |= _words(passage.text + " " + passage_header(passage) + " "
                       + _address_words(passage.url))
    return seen


def _singular(words: list[str]) -> list[str]:
    """A name's words without a plural "s" ("the Oliviers", "Latin Americas")."""
    return [w[:-1] if w.endswith("s") and not w.endswith("ss") else w for w in words]


def missing_names(analysis: QuestionAnalysis, passages: Sequence[Passage],
                  mentioned_anywhere: Callable[[list[str]], bool] | None = None,
                  aliases: dict[str, set[str]] | None = None, names: bool = True
                  ) -> list[str]:
    """What the question names that the articles never mention.

    A name counts as mentioned when a retrieved passage (text, title, source, date) holds all
    its words, or, with `mentioned_anywhere`, some stored chunk does, or holds its last word
    (news writing calls Alex Verdugo "Verdugo" after the first mention). With `aliases` (the
    store's sources), an outlet the question attributes an article to ("a Bloomberg report")
    that is not one of the store's sources is missing too: the store holds nothing it wrote.
    """
    seen = passage_words(passages)

    def mentioned(words: list[str]) -> bool:
        if all(w in seen for w in words):
            return True
        # a name's plural is the name: "the Oliviers" for the Olivier awards
        if any(w.endswith("s") and not w.endswith("ss") for w in words) and mentioned(
                _singular(words)):
            return True
        if mentioned_anywhere is None:
            return False
        if mentioned_anywhere(words):
            return True
        last = [w for w in words if w.isalpha() and len(w) >= 3]
        return len(words) > 1 and bool(last) and mentioned_anywhere([last[-1]])

    missing = []
    for name in analysis.names if names else ():
        words = name_words(name)
        if words and not mentioned(words) and not _spelt_out(name, passages):
            missing.append(name)
    if aliases is not None:
        for outlet in unknown_outlets(analysis.cased, aliases):
            words = name_words(outlet)
            if words and not _quoted_on_topic(outlet, words, analysis, passages) \
                    and outlet not in missing:
                missing.append(outlet)
    return missing


def names_some(analysis: QuestionAnalysis, passages: Sequence[Passage],
               aliases: dict[str, set[str]] | None = None) -> bool:
    """Whether the passages mention one of the question's names (all its words, or a longer
    name's last word, as news calls a person after the first mention; "Latin Americas" as
    "Latin America"), or come from an outlet it names (with `aliases`, the store's sources:
    "the verge" typed in lower case is no name). True for a question that names nothing."""
    outlets = {source for mention in find_source_mentions(analysis.cased, aliases, True)
               for source in mention.sources} if aliases else set()
    if any(passage.source in outlets for passage in passages):
        return True
    wanted = [words for words in (name_words(name) for name in analysis.names) if words]
    if not wanted and not outlets:
        return True
    seen = passage_words(passages)

    def held(words: list[str]) -> bool:
        return all(w in seen for w in words) or len(words) > 1 and words[-1] in seen

    return any(held(words) or held(_singular(words)) for words in wanted)


_SPELT_OUT = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:(?:of|and|for|the|&)\s+)*[A-Z][\w'’-]*)+")


def _spelt_out(name: str, passages: Sequence[Passage]) -> bool:
    """Whether an acronym the question uses ("UCL's reckoning") is written out in full in a
    retrieved passage ("University College London"): a story gives the full name once."""
    acronym = re.sub(r"['’]s$", "", name.strip())
    if not re.fullmatch(r"[A-Z]{2,6}", acronym):
        return False
    for passage in passages:
        for run in _SPELT_OUT.finditer(f"{passage.title}. {passage.text}"):
            initials = "".join(w[0] for w in run.group(0).split() if w[:1].isupper())
            if initials == acronym:
                return True
    return False


def _quoted_on_topic(outlet: str, words: list[str], analysis: QuestionAnalysis,
                     passages: Sequence[Passage]) -> bool:
    """Whether a retrieved passage cites the outlet (all its words) about what the question
    asks: one that also uses a word of the question's other names, when it has any. A story
    on WorldCom quoting the Wall Street Journal holds nothing the Journal wrote on Krispy
    Kreme."""
    others = {w for name in analysis.names if name.lower() != outlet.lower()
              for w in name_words(name) if w.isalpha() and len(w) >= 3 and w not in words}
    return any(all(w in shown for w in words) and (not others or others & shown)
               for shown in (passage_words([passage]) for passage in passages))


def off_subject_outlet(analysis: QuestionAnalysis, passages: Sequence[Passage],
                       aliases: dict[str, set[str]]) -> str | None:
    """The one outlet of the store a question names ("What was the Guardian's take on
    Argonaut Games ...?") when its retrieved passages name none of the question's other
    names in full: the store holds nothing it wrote on that. (Only for one outlet: a question
    naming several asks each about its own part.)"""
    mentions = find_source_mentions(analysis.cased, aliases)
    if len({m.sources for m in mentions}) != 1:
        return None
    if analysis.lower_case and len({m.sources for m in find_source_mentions(
            analysis.cased, aliases, any_case=True)}) > 1:
        # typed in lower case, "from 'the verge' ... and from 'wired'" may name a second
        # outlet whose name is also a common word: then it is no question about one outlet
        return None
    mention = mentions[0]
    named = analysis.cased[mention.start:mention.end].lower().split()
    others = [words for words in (
        [w for w in name_words(name) if w not in named] for name in analysis.names) if words]
    if not others:
        return None
    shown = passage_words([p for p in passages if p.source in mention.sources])
    if any(all(w in shown for w in words) for words in others):
        return None
    # Another outlet's story that tells what this one wrote ("Gordon Brown, writing in the
    # Guardian, ...") holds it too.
    if _quoted_on_topic(" ".join(named), name_words(" ".join(named)), analysis,
                        [p for p in passages if p.source not in mention.sources]):
        return None
    return ", ".join(mention.sources)


class Abstainer:
    """Decides, before anything is written, that the articles do not answer a question.

    Each rule is a general signal about the question and the store, never about how one
    benchmark words its questions, and each can be switched off in AbstainPolicy:
    - names: a name the question uses (restored from lower case too) that no article mentions,
      or a rare word (not common English) that no article contains;
    - years: a year the question fixes that none of the retrieved passages mentions (they are
      then about another year: the 2003 final is no answer about the 2023 one);
    - outlets: an outlet the question attributes a report to that is none of the store's;
    - answer type: a "how much" / "when" question whose best sentences hold no figure / date;
    - weak evidence: no sentence close enough to the question.

    Reads: analysis.names, .rare_unseen, .years, .cased."""

    def __init__(self, policy: AbstainPolicy | None = None) -> None:
        self.policy = policy or AbstainPolicy()

    def decide(self, analysis: QuestionAnalysis, passages: Sequence[Passage],
               evidence: Sequence[Evidence],
               mentioned_anywhere: Callable[[list[str]], bool] | None = None,
               aliases: dict[str, set[str]] | None = None,
               reads_on: bool = False,
               story_years: dict[str, int | None] | None = None) -> Abstention:
        """`reads_on`: a follow-up that may read on in the story its last answer quoted for
        what it measures ("What was the score?"), so the closest sentences need not give it."""
        policy = self.policy
        if not passages or not evidence:
            return Abstention(True, "nothing relevant was retrieved")
        # Rare words no chunk holds, unless a retrieved article's address names them.
        shown = passage_words(passages) if analysis.rare_unseen else set()
        rare = tuple(w for w in analysis.rare_unseen if w not in shown)
        if policy.names and rare:
            return Abstention(True, f"the articles never mention {', '.join(rare)}", rare)
        missing = missing_names(analysis, passages, mentioned_anywhere,
                                aliases if policy.outlets else None, names=policy.names)
        if len(missing) > policy.max_missing_names:
            return Abstention(True, "the articles never mention " + ", ".join(missing),
                           tuple(missing))
        alone = off_subject_outlet(analysis, passages, aliases) \
            if policy.outlets and aliases else None
        if alone:
            return Abstention(True, f"nothing found from {alone} mentions what the question "
                              "asks about", (alone,), off_subject=True)
        if policy.years and analysis.years:
            years = ", ".join(str(y) for y in analysis.years)
            kept = matching_years(analysis, evidence, story_years)
            if not kept:
                return Abstention(True, f"the passages found are about other years than "
                                  f"{years}", (years,))
            # "Who was the IRB's player of the year in 2006?": the stories of 2006 found must
            # be about something the question names, not a runner "retiring in 2006"
            of_the_year = {e.passage.article_id for e in kept}
            if not names_some(analysis, [p for p in passages if p.article_id in of_the_year],
                              aliases):
                return Abstention(True, f"the passages found about {years} are about other "
                                  "things than the question names", (years,))
        head = answer_head(evidence, analysis, policy.answer_type_sentences,
                           policy.measured_ratio)
        if policy.answer_type and analysis.expects in ("figure", "money", "date") and not any(
                holds_answer(e, analysis) for e in head):
            what = {"money": "amount of money", "figure": "figure"}.get(analysis.expects,
                                                                       analysis.expects)
            if analysis.counted:
                what = f"number of {analysis.counted}"
            return Abstention(True, f"the closest sentences give no {what} for this")
        # "How much did Ask Jeeves pay?" -> "How much Ask Jeeves paid ... was not revealed":
        # the closest sentence that speaks to the figure says it was never made public (one
        # giving it, closer, answers: "... paid £2m for Reyes"). In the dev queries and
        # natural sets, 2 of 113 figure questions had such a sentence among their closest
        # three, both with no answer in the articles.
        telling = next((e for e in head if _WITHHELD.search(e.text)
                        or holds_answer(e, analysis)), None)
        if policy.answer_type and analysis.expects in ("figure", "money") and telling \
                and _WITHHELD.search(telling.text):
            return Abstention(True, "the articles say this figure was not made public")
        if policy.answer_type and analysis.expects == "figure" and not reads_on \
                and analysis.measured and analysis.measured not in _ANY_AMOUNT and not any(
                    holds_answer(e, analysis) and gives_measured(e, analysis) for e in head):
            # "What is the top speed of ...?" answered by the car's price: a figure, but not
            # of the thing asked about. (A sum of money is told by its verb as often as by
            # its noun, "costs £80,000", and "the value of the deficit" by the deficit.)
            return Abstention(True, f"the closest sentences give no {analysis.measured} "
                              "figure for this")
        if policy.answer_type and asks_for_body(analysis):
            # "Which team won ...": the closest sentences must name a team, a company, a
            # place: a new name that is not a person's ("Janet Jackson") nor a people's.
            head = evidence[:policy.answer_type_sentences]
            # (or the story names one by a name carrying the noun: "Shochiku film studios"
            # for "which film studio", where the closest say "Japan's oldest film studio")
            titled = names_as_asked(analysis)
            if not bodies_named([e.text for e in head], analysis,
                                [e.passage.text for e in head], [p.text for p in passages]) \
                    and not any(titled(e.text) for e in evidence
                                if e.passage.article_id == head[0].passage.article_id):
                return Abstention(True, "the closest sentences name no "
                                  f"{asks_for_body(analysis)} for this")
        unnamed = _unnamed(analysis, evidence[:policy.answer_type_sentences])
        if policy.answer_type and unnamed:
            return Abstention(True, f"the articles speak of {unnamed} but do not name them")
        best = max(e.score for e in evidence)
        if policy.weak_evidence and best < policy.min_evidence_score:
            return Abstention(True, f"no passage is close to the question (best {best:.2f})")
        return Abstention(False, "")


# "who was the brazilian programmer who posted ...": the person asked about, by description
_DESCRIBED = re.compile(r"\bwho(?:['’]s|\s+is|\s+was|\s+were|\s+are)\s+the\s+"
                        r"((?:[a-z]+\s+){0,2}[a-z]+)\s+(?:who|that|whose|behind)\b", re.I)


def _unnamed(analysis: QuestionAnalysis, head: Sequence[Evidence]) -> str:
    """The description a "who" question gives of its person ("the brazilian programmer who
    posted the code") when the closest sentence speaks of them only as someone so described
    ("... posted on the net by a Brazilian programmer") and none of the closest names anyone
    new: the story does not know who it was. "" otherwise."""
    if analysis.wh != "who" or not head:
        return ""
    described = _DESCRIBED.search(analysis.cased)
    if described is None:
        return ""
    words = described.group(1).lower().split()
    if words[-1] in _ANYONE:
        return ""  # "who is the person who ...": any sentence names them so
    described_as = r"\s+".join(map(re.escape, words))
    indefinite = re.compile(rf"\b(?:a|an|one|another)\s+{described_as}\b", re.I)
    if not indefinite.search(head[0].text):
        return ""
    if any(names_someone_new(e.text, analysis) for e in head):
        return ""
    return f"a {' '.join(words)}"


_ANYONE = frozenset("person individual one man woman people someone figure".split())


# Words that ask for a figure without naming what it measures.
_ANY_AMOUNT = frozenset("value amount total sum figure number level size".split())


def story_year(text: str) -> int | None:
    """The year an undated story is most likely of: the year it names most often (the latest
    of a tie); None when it names none. News names its own year, or last year, far more often
    than any other ("in January", "compared with 2004")."""
    counts: dict[int, int] = {}
    for found in _A_YEAR.findall(text):
        counts[int(found)] = counts.get(int(found), 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda year: (counts[year], year))


_A_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


# "the 2006 Sundance Film Festival", "the 2023 Rugby World Cup": a year written before a name
# fixes which edition of it is meant.
_EDITION = re.compile(r"\b((?:19|20)\d{2})\s+([A-Z][\w'’-]+)")


def other_edition(question: str, text: str) -> bool:
    """Whether a text names another year's edition of something the question names with its
    year ("the 2005 Sundance Film Festival" for the 2006 one), and not the year asked."""
    for match in _EDITION.finditer(question):
        year, name = match.groups()
        found = re.findall(rf"\b((?:19|20)\d{{2}})\s+{re.escape(name)}\b", text)
        if found and year not in found:
            return True
    return False


# A figure that was not made public: "for an undisclosed fee", "was not revealed", "has yet to
# release figures", "declined to say how much".
_WITHHELD = re.compile(
    r"\bundisclosed\b|\b(?:not|never)\s+(?:been\s+)?(?:disclosed|revealed|released|made public|"
    r"published)\b|\b(?:did|does|would|will)\s+not\s+(?:disclose|reveal|say how (?:much|many))|"
    r"\bdeclined\s+to\s+(?:disclose|reveal|say how (?:much|many)|give (?:a |any )?figures?)|"
    r"\b(?:has|have)\s+(?:yet|not)\s+to\s+(?:release|reveal|disclose|publish)\b", re.I)


def matching_years(analysis: QuestionAnalysis, evidence: Sequence[Evidence],
                   story_years: dict[str, int | None] | None = None) -> list[Evidence]:
    """The evidence from articles that mention a year the question fixes (in a retrieved
    passage's text, or the article's title or date); all of it when the question fixes none.
    A passage about the 2003 final is no evidence about the 2023 one; a passage of an article
    that names the year in another passage is ("rose 2.1% in January", its story's "early
    2005" a paragraph on). `story_years`: for undated articles, the year each story is of
    (`story_year`); a story of the year asked, or of the year before it (news of January
    2005 written that February names 2004 most), counts too."""
    if not analysis.years:
        return list(evidence)
    years = [str(y) for y in analysis.years]
    dated = {e.passage.article_id for e in evidence
             if any(y in e.passage.text or y in passage_header(e.passage) for y in years)}
    for article_id, year in (story_years or {}).items():
        if year is not None and any(0 <= asked - year <= 1 for asked in analysis.years):
            dated.add(article_id)
    # "Which film opened the 2006 Sundance Film Festival?": a story of the 2005 festival is
    # of another edition, though news of one year is often written early in the next.
    texts: dict[str, str] = {}
    for e in evidence:
        texts[e.passage.article_id] = (texts.get(e.passage.article_id, "") + " "
                                       + passage_header(e.passage) + " " + e.passage.text)
    dated = {article for article in dated
             if not other_edition(analysis.cased, texts.get(article, ""))}
    day_years = {str(day.year) for day in analysis.days}
    if day_years:
        # "the report by The Verge on October 20, 2019" asks for a report of that day: an
        # article dated in another year that names 2019 in passing ("the spirit of 2019",
        # "around 2019 or 2020") is no such report
        dated = {e.passage.article_id for e in evidence if e.passage.article_id in dated
                 and (not e.passage.date or e.passage.date[:4] in day_years)}
    return [e for e in evidence if e.passage.article_id in dated]
