"""Deciding questions that ask for a verdict: "Yes", "No", or one of the options offered.

The question's own statement is checked against the evidence with the claim checker
(qa/claims.py), part by part when it names several outlets ("Does the Fortune article say A,
while The Verge says B?": both parts must hold for "Yes"):

- a part the evidence holds (related, no conflict) is supported; one a source about it
  contradicts (a flipped direction, a negation, another figure, another speaker) is
  contradicted; one nothing about it holds is unsupported. "Yes" needs every part supported.
- a question about whether reports agree ("consistent", "differ") compares the reports with
  each other: they agree unless the checker finds one contradicting the other. A question
  about a change over time ("was there a change", "remained the same") also counts a later
  report that tells something else as a change: only a restatement is no change.
- "A or B" questions: the option whose version of the statement the evidence supports (or does
  not contradict) wins; "before or after" is decided by the reports' dates.

Reads: analysis.kind, .claim, .options, .cased; the evidence's passages (source, date).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from index import lexical_tokens

from .analysis import MORE_WORDS, QuestionAnalysis, comparative_pair
from .claims import (
    CALENDAR_WORDS,
    MISSING_FIGURE,
    MISSING_NAME,
    MOVEMENT,
    NATIONALITY,
    PAST_FORMS,
    ClaimChecker,
    Frame,
    states_the_act,
)
from .evidence import Evidence, without_name_numbers
from .policy import VerdictPolicy
from .query import FRAMING_WORDS, Mention, find_dates, find_day_month, question_names

# Whether reports agree: words that ask about sameness, and words that ask about difference.
_SAME = re.compile(r"\b(consisten(?:t|cy|tly)|unchanged|same|similar(?:ly|ity)?|"
                   r"agree(?:d|s|ment)?|align(?:ed|s)?|"
                   r"maintain(?:ed|s)?|remain(?:ed|s)?|alike|in line|echo(?:ed|es)?)\b", re.I)
_DIFFERENT = re.compile(r"\b(inconsisten(?:t|cy|tly)|conflict(?:s|ed|ing)?|chang(?:e|ed|es)|"
                        r"shift(?:ed|s)?|differ(?:ed|s|ent|ence|ently)?|discrepanc(?:y|ies)|disagree(?:d|s|ment)?|contradict(?:s|ed|"
                        r"ion)?|contrast(?:s|ed)?|diverge(?:d|s|nt)?|opposite|unlike)\b", re.I)
_NEGATED_QUESTION = re.compile(r"\b(?:no|not|n't|never)\s+(?:\w+\s+)?(?:change|shift|differ|"
                               r"discrepanc|inconsisten|consisten|same|similar)", re.I)
_REPORT_PART = re.compile(r"^(?:the\s+)?(?:article|report|piece|story|coverage|review)s?\b", re.I)


@dataclass(frozen=True)
class PartCheck:
    """One part of the question's statement and what the evidence makes of it."""

    text: str
    status: str  # "supported", "contradicted", "unsupported"
    evidence: tuple[Evidence, ...] = ()  # the deciding sentences, best first
    reason: str = ""
    support: float = 0.0  # how well the best source holds it (words and meaning, 0..1)


@dataclass(frozen=True)
class Decision:
    """The verdict, or none (label None: answer as usual)."""

    label: str | None
    deciding: tuple[Evidence, ...] = ()
    reason: str = ""
    parts: tuple[PartCheck, ...] = field(default=())


class VerdictMaker:
    """Turns the evidence into a verdict for yes/no and either-or questions."""

    def __init__(self, checker: ClaimChecker, policy: VerdictPolicy | None = None) -> None:
        self.checker = checker
        self.policy = policy or VerdictPolicy()

    def decide(self, analysis: QuestionAnalysis, evidence: Sequence[Evidence],
               mentions: Sequence[Mention] = ()) -> Decision:
        """`evidence`: scored sentences, best first; `mentions`: outlets the question names."""
        if not analysis.wants_verdict or not evidence:
            return Decision(None)
        if analysis.is_before_after:
            return self._before_after(analysis, evidence, mentions)
        if analysis.kind == "yesno" and not _asks_about_agreement(analysis):
            # (a question whether reports changed may say which came "before": it still
            # compares what they say)
            ordered = self._in_order(analysis, evidence, mentions) or \
                self._more_than(analysis, evidence, mentions)
            if ordered is not None:
                return ordered
        parts = self._parts(analysis, evidence, mentions)
        if _asks_about_agreement(analysis) and len(parts) < 2 and len(mentions) >= 2:
            # The reports are named before the question ("X wrote on 2 April and Y on 9
            # April. Did they portray the fares consistently?"): each is read from the whole.
            parts = self._parts(analysis, evidence, mentions, whole=True)
        if _asks_about_agreement(analysis) and len(parts) < 2:
            # One outlet's two reports, told apart by their days ("TechCrunch covered the
            # trial on 1 October 2023 and the charges on 7 October 2023. Were they portrayed
            # consistently?"): each day's report is read on its own.
            parts = self._parts_by_day(analysis, evidence, mentions) or parts
        if _asks_about_agreement(analysis) and len(parts) >= 2:
            return self._agreement(analysis, parts)
        if analysis.kind == "choice":
            return self._choice(analysis, evidence)
        strict = not _interpretive(analysis, mentions)
        checks = [self._check_part(text, pool, strict, predicate=True) for text, pool in parts]
        deciding = _deciding(checks, self.policy.deciding_sentences)
        failed = [c for c in checks if c.status != "supported"]
        if not failed:
            return Decision("Yes", deciding, "the evidence holds every part", tuple(checks))
        worst = next((c for c in failed if c.status == "contradicted"), failed[0])
        reason = (f"contradicted: {worst.reason}" if worst.status == "contradicted"
                  else f"not held: {worst.text}")
        return Decision("No", _deciding([worst], self.policy.deciding_sentences) or deciding,
                        reason, tuple(checks))

    # --- parts -----------------------------------------------------------------------------

    def _parts(self, analysis: QuestionAnalysis, evidence: Sequence[Evidence],
               mentions: Sequence[Mention], whole: bool = False
               ) -> list[tuple[str, list[Evidence]]]:
        """(statement, the evidence it is checked against) per part of the question (`whole`:
        of all its sentences, not only the one that asks)."""
        claim = analysis.cased if whole else analysis.claim or analysis.cased
        if mentions:
            parts = []
            for text, sources in _statements_by_outlet(claim, _shifted(mentions,
                                                                     analysis.cased, claim)):
                pool = [e for e in evidence if e.passage.source in sources]
                days = {d.isoformat() for d in find_dates(text)}
                if days:
                    pool = [e for e in pool if e.passage.date in days] or pool
                # "X suggests A, while the same source indicates B": two statements of one
                # outlet, each checked on its own.
                for piece in _pieces(text):
                    parts.append((_statement(piece), pool or list(evidence)))
            merged: dict[tuple[int, ...], tuple[str, list[Evidence]]] = {}
            for text, pool in parts:  # one outlet named twice with one statement: one part
                key = tuple(sorted(id(e) for e in pool))
                if key in merged and merged[key][0] == text:
                    continue
                merged[key + (len(merged),)] = (text, pool)
            if merged:
                return list(merged.values())
        return [(_statement(p), list(evidence)) for p in _pieces(claim)]

    @staticmethod
    def _parts_by_day(analysis: QuestionAnalysis, evidence: Sequence[Evidence],
                      mentions: Sequence[Mention]) -> list[tuple[str, list[Evidence]]]:
        """(the question, the evidence published that day) for each day the question gives,
        from the outlets it names; none unless two days each have some."""
        sources = {source for mention in mentions for source in mention.sources}
        parts = []
        for day in find_dates(analysis.cased):
            pool = [e for e in evidence if e.passage.date == day.isoformat()
                    and (not sources or e.passage.source in sources)]
            if pool:
                parts.append((_statement(analysis.claim or analysis.cased), pool))
        return parts if len(parts) >= 2 else []

    def _check_part(self, text: str, pool: Sequence[Evidence], strict: bool = False,
                    predicate: bool = False) -> PartCheck:
        """A part is supported when its best related source holds it, contradicted when a
        source about it says otherwise.

        `strict`: a statement of fact ("Did sales rise in December?") must pass the answer
        check itself (qa/claims.py); a reading of what a report suggests ("Does the article
        suggest that ...") is a paraphrase, held to the verdict policy's lower bar."""
        if not pool or not text:
            return PartCheck(text, "unsupported", (), "no evidence for this part")
        frames = self._frames(text, pool, predicate)
        order = sorted(range(len(pool)), key=lambda i: -frames[i].strength)
        if strict:
            check = self.checker.decide(text, frames)
            # A fact asked about must be stated, act and all: "Did Southcorp accept the
            # offer?" is not held by "Southcorp said the offer was opportunistic".
            stating = [i for i in check.supports if states_the_act(text, pool[i].text)]
            if check.status == "supported" and stating:
                return PartCheck(text, "supported", tuple(pool[i] for i in stating), "",
                                 self._support(frames[stating[0]]))
            if check.status == "supported":
                # Sources share the claim's words without stating its act; one of them that
                # says otherwise ("has rejected" for "accept") decides, and is cited.
                against = [i for i in order if frames[i].conflict and frames[i].related]
                if against:
                    return PartCheck(text, "contradicted", (pool[against[0]],),
                                     frames[against[0]].conflict)
                # The story telling the act of the same subject is what decides ("Ms James
                # ... was born in Melbourne" for "born in Wales"), not the sentence that only
                # shares the claim's words.
                telling = self._telling_the_act(text, pool, order,
                                                pool[check.supports[0]].passage.article_id)
                return PartCheck(text, "unsupported", (telling or pool[check.supports[0]],),
                                 "the articles do not say this happened")
            if check.status == "contradicted":
                return PartCheck(text, "contradicted", (pool[check.contradicts[0]],),
                                 check.reason)
            # Not held for want of its figure: a sentence giving its subject another one by
            # the same words says otherwise ("his second Super Bowl show" for "his first").
            for i in order:
                other = self.checker.other_figure(text, pool[i].text)
                if other:
                    return PartCheck(text, "contradicted", (pool[i],), other)
            telling = self._telling_the_act(text, pool, order, pool[order[0]].passage.article_id)
            return PartCheck(text, "unsupported", (
                telling or self._naming_the_missing(pool, frames, order)
                or _giving_another_figure(text, pool, frames, order) or pool[order[0]],),
                check.reason)
        best = order[0]
        support = self._support(frames[best])
        conflicts = [i for i in order if frames[i].conflict and self._about(frames[i])]
        if conflicts and (support < self.policy.part_support
                          or frames[conflicts[0]].strength >= frames[best].strength):
            worst = conflicts[0]
            return PartCheck(text, "contradicted", (pool[worst],), frames[worst].conflict)
        # A reading may be put in other words, but an amount it states must be there ("did the
        # report say China already had 200m people online?" is not held by its 137 million;
        # "who gets paid first" is an order, said in other words as often as not).
        holding = [pool[i] for i in order if not frames[i].conflict
                   and not _missing_amount(frames[i].missing)
                   and self._support(frames[i]) >= self.policy.part_support]
        if holding:
            return PartCheck(text, "supported", tuple(holding), "", support)
        return PartCheck(text, "unsupported", (pool[best],),
                         frames[best].missing or "the evidence does not say this", support)

    @staticmethod
    def _telling_the_act(text: str, pool: Sequence[Evidence], order: Sequence[int],
                         article_id: str) -> Evidence | None:
        """A sentence of the same story that states the claim's act about someone the claim
        names (by any word of the name: "Ms James" for "Shani Rhys James")."""
        if states_the_act(text, ""):
            return None  # the claim tells no act ("aiming to give 0.7% of income in aid")
        names = {word.lower() for name in question_names(text) for word in name.split()}
        for i in order:
            item = pool[i]
            if item.passage.article_id != article_id:
                continue
            capitals = {w.lower() for w in re.findall(r"\b[A-Z][\w'’-]+", item.text)}
            if names & capitals and states_the_act(text, item.text):
                return item
        return None

    def _naming_the_missing(self, pool: Sequence[Evidence], frames: Sequence[Frame],
                            order: Sequence[int]) -> Evidence | None:
        """When the closest sentence lacks a name the claim gives, a sentence nearly as close
        that has it shows what the articles do say of it ("Did Paul Tucker back keeping
        rates on hold?" -> "... Paul Tucker voted for a quarter point rise ...", not the
        sentence about the decision that never names him)."""
        top = order[0]
        missing = frames[top].missing or ""
        if not missing.startswith(MISSING_NAME):
            return None
        name = missing[len(MISSING_NAME):]
        for i in order[1:]:
            if frames[i].strength < self.policy.naming_ratio * frames[top].strength:
                break
            if name in {w.lower() for w in re.findall(r"[\w'’-]+", pool[i].text)}:
                return pool[i]
        return None

    def _frames(self, text: str, pool: Sequence[Evidence], predicate: bool = False
                ) -> list[Frame]:
        checker = self.checker
        from .claims import read_sentence  # local: the reading helpers live with the checker

        vector = checker.encode([text])[0]
        readings = [read_sentence(e.text) for e in pool]
        contexts = [read_sentence(_story_context(e, text)) for e in pool]
        sentence_tokens = [set(lexical_tokens([e.text])[0]) for e in pool]
        header_tokens = [set(lexical_tokens([e.header])[0]) for e in pool]
        meaning = [float(e.vector @ vector) for e in pool]
        return checker.frames(text, pool, readings, contexts, sentence_tokens, header_tokens,
                              meaning, _framing_tokens(), asked=True, predicate=predicate)

    @staticmethod
    def _support(frame: Frame) -> float:
        """How well a source holds a question's statement: the mean of word share and
        meaning (each 0..1)."""
        return (frame.words + frame.meaning) / 2

    def _about(self, frame: Frame) -> bool:
        return self._is_about(self._support(frame))

    def _is_about(self, support: float) -> bool:
        """Close enough to be about the statement, though short of holding it."""
        return support >= self.policy.part_support * 0.8

    # --- kinds -----------------------------------------------------------------------------

    def _agreement(self, analysis: QuestionAnalysis,
                   parts: list[tuple[str, list[Evidence]]]) -> Decision:
        """Do the reports agree? They do unless one's best sentence on the topic contradicts
        another's; the question may ask about sameness or about change."""
        bests = []
        for text, pool in parts[:3]:
            check = self._check_part(text, pool)
            bests.append(check)
        sentences = [c.evidence[0] for c in bests if c.evidence]
        conflict = ""
        for i, first in enumerate(sentences):
            for second in sentences[i + 1:]:
                frames = self.checker.frames(
                    first.text, [second], *_readings([second]),
                    [float(first.vector @ second.vector)], set())
                if frames[0].conflict:
                    conflict = frames[0].conflict
                    break
            if conflict:
                break
        agree = not conflict
        reason = "the reports agree" if agree else f"the reports differ: {conflict}"
        if agree and _asks_about_change(analysis) and len(sentences) >= 2:
            # A change needs no contradiction: a later report that tells something else
            # than the earlier one is a change; only one that restates it is none.
            # Each report's sentence on what the question says changed ("a change in the
            # portrayal of the fares"), not on how the question describes that report.
            topic = _changed_topic(analysis)
            on_topic = [self._best_on(topic or text, pool) for text, pool in parts[:3]]
            on_topic = [e for e in on_topic if e is not None]
            if len(on_topic) >= 2:
                sentences = on_topic
            agree = all(self._restates(first, second)
                        for first, second in zip(sentences, sentences[1:], strict=False))
            reason = "the reports say the same" if agree else \
                "the reports tell different things"
        asks_same = _asks_sameness(analysis)
        deciding = tuple(sentences)
        if analysis.kind == "choice":
            same, different = _agreement_options(analysis.options)
            if same is not None:
                label = same if agree else different
                return Decision(label, deciding, reason, tuple(bests))
        yes = agree if asks_same else not agree
        return Decision("Yes" if yes else "No", deciding, reason, tuple(bests))

    def _best_on(self, text: str, pool: Sequence[Evidence]) -> Evidence | None:
        if not pool:
            return None
        frames = self._frames(text, pool)
        return pool[max(range(len(pool)), key=lambda i: frames[i].strength)]

    def _restates(self, first: Evidence, second: Evidence) -> bool:
        """Whether either sentence holds the other, read as a report is (the verdict's
        paraphrase bar, not the answer check's word-for-word one)."""
        return any(self._check_part(a.text, [b]).status == "supported"
                   for a, b in ((first, second), (second, first)))

    def _choice(self, analysis: QuestionAnalysis, evidence: Sequence[Evidence]) -> Decision:
        """Each option put into the statement in place of "A or B"; the one the evidence
        holds best wins, a contradicted one loses. "Which came first" / "which is higher"
        compares the dates or figures the evidence gives each option."""
        first, second = analysis.options
        claim = analysis.claim or analysis.cased
        statements = _both_ways(claim, first, second)
        if statements:
            # "more or fewer awards than The Chorus": the figures each side is given, as "Did
            # A win more awards than B?" reads them; failing those, each way put to the claim
            # check ("paid less than the 2bn euros" against "paid 1.55bn euros").
            decided = self._more_than(replace(analysis, claim=statements[0]), evidence, ())
            if decided is not None and decided.label in ("Yes", "No"):
                option = first if decided.label == "Yes" else second
                return Decision(option, decided.deciding, decided.reason)
            against = _against_figure(statements[0], first, second, evidence)
            if against is not None:
                return against
        else:
            compared = self._compared(analysis, evidence)
            if compared is not None:
                return compared
        # ("by 2013 or by 2015": a preposition said again before the second option)
        # ("two U-turns or three": the noun the options share said once, after the first)
        shared = first.split()[-1] if len(first.split()) > 1 and len(second.split()) > 1 and \
            first.split()[-1].lower() == second.split()[-1].lower() else ""
        said = re.escape(second) if not shared else \
            rf"{re.escape(second[:-len(shared)].strip())}(?:\s+{re.escape(shared)})?"
        pattern = re.compile(rf"{re.escape(first)}\s*,?\s+or\s+(?:\w+\s+)?{said}\b", re.I)
        signs = (_movement_sign(first), _movement_sign(second))
        if None not in signs and signs[0] != signs[1]:
            told = self._movement(pattern.sub(" ", claim), evidence)
            if told is not None:
                sign, item = told
                option = first if sign == signs[0] else second
                return Decision(option, (item,), f"the evidence tells it went '{option}'")
        own = _own_words(claim, (first, second), analysis.names)
        for item in evidence[:self.policy.direction_sentences]:
            paired = _respective(_without_longer_names(item.text, (first, second),
                                                       analysis.names), (first, second), own)
            if paired is not None:
                return Decision(paired, (item,), f"the evidence pairs '{paired}' with what is "
                                "asked")
        pool = list(evidence)
        strict = not _interpretive(analysis, ())
        scored = []
        for number, option in enumerate((first, second)):
            # ("Who issued the warning, A or B?": the options set off after what is asked
            # stand where its question word does)
            set_off = re.search(rf"\s*[,:;–—-]\s*(?:(?:the|a|an)\s+)?{pattern.pattern}\W*$",
                                claim, re.I)
            statement = statements[number] if statements else \
                _option_asked_for(claim[:set_off.start()], option) if set_off else \
                pattern.sub(option, claim, count=1) if pattern.search(claim) else \
                _option_asked_for(claim, option)
            check = self._check_part(_statement(statement), pool, strict)
            mentioned = [e for e in pool if _mentions_apart(e.text + " " + e.header, option,
                                                            analysis.names)]
            rank = {"supported": 2, "unsupported": 1, "contradicted": 0}[check.status]
            # an option written as asked ("two U-turns") over one whose words are only there
            # apart ("three policy positions ... U-turns")
            written = any(_writes(e.text, option) for e in mentioned)
            scored.append((rank, len(mentioned) > 0, written, round(check.support, 3),
                           -_first_index(pool, mentioned), option, check))
        scored.sort(key=lambda row: row[:5], reverse=True)
        closer = _closer_option(scored[0][6], scored[1][6], claim, (first, second),
                                analysis.names)
        if closer is not None and closer != scored[0][5]:
            scored.reverse()
        rank, _, written, _, _, option, check = scored[0]
        if scored[0][:5] == scored[1][:5]:
            return Decision(None, (), "the evidence does not decide between the options")
        writing = tuple(e for e in pool if _writes(e.text, option))[:1]
        if check.status != "supported" and written and not scored[1][2]:
            deciding = writing  # decided by where it is written as asked
        else:
            deciding = check.evidence[:self.policy.deciding_sentences] or tuple(
                e for e in pool if _mentions_apart(e.text, option, analysis.names))[:1]
        return Decision(option, deciding, f"the evidence holds '{option}'",
                        tuple(row[6] for row in scored))

    def _movement(self, subject: str, evidence: Sequence[Evidence]
                  ) -> tuple[int, Evidence] | None:
        """(+1 or -1, sentence) for "up or down?" / "grow or shrink?": the movement word of
        the best sentences with the subject's words closest around it ("Qantas shares
        fell almost 3%"; "the US's deficit with China was $19.6bn in November, down from
        $19.7bn", not the "expanding" said of China's surplus), weighted as telling words.
        Putting each option into the claim instead reads "shares ... up" as held by any
        sentence about the shares."""
        wanted = set(lexical_tokens([subject])[0]) - _framing_tokens()
        subject_words = set(re.findall(r"[a-z]+", subject.lower()))
        weights = self.checker.weights_of(sorted(wanted)) if wanted else {}
        window = self.policy.direction_window
        for item in list(evidence)[:self.policy.direction_sentences]:
            found = list(re.finditer(r"[\w'’$.%-]+", item.text))
            words = [m.group(0) for m in found]
            # a comma, colon or dash between a word and the one before it
            breaks = [i > 0 and bool(re.search(r"[,;:–—]", item.text[found[i - 1].end():
                                                                     m.start()]))
                      for i, m in enumerate(found)]
            tokens = [set(lexical_tokens([w])[0]) for w in words]
            best = None
            for at, word in enumerate(words):
                sign = MOVEMENT.get(word.lower())
                if sign is None or self._told_of_another(words, breaks, tokens, at, wanted):
                    continue
                if _CHANGE_NOUN.get(word.lower()) in subject_words:
                    # "Has growth sped up or slowed down?": "output grew 15.7%, down from
                    # 23%" grows; the growth's own change is the "down"
                    continue
                # each asked word counts by its weight over its distance: the words a
                # movement is told of stand next to it
                nearest: dict[str, int] = {}
                for other in range(max(0, at - window), min(len(words), at + window + 1)):
                    for token in tokens[other] & wanted:
                        distance = abs(other - at)
                        nearest[token] = min(nearest.get(token, distance), distance)
                weight = sum(weights.get(t, 0.0) / max(1, d) for t, d in nearest.items())
                if weight and (best is None or weight > best[0]):
                    best = (weight, sign)
            if best is not None:
                return best[1], item
        return None

    @staticmethod
    def _told_of_another(words: Sequence[str], breaks: Sequence[bool],
                         tokens: Sequence[set[str]], at: int, wanted: set[str]) -> bool:
        """Whether the movement word at `at` is told of a thing not asked about: the word it
        follows ("surplus is expanding", "growth would slow") is not one of the question's.
        A movement after a comma ("..., down from $19.7bn") is told of its clause's figure."""
        before = at - 1
        while before >= 0 and not breaks[before + 1] and \
                words[before].lower() in _BETWEEN_SUBJECT_AND_MOVEMENT:
            before -= 1
        if before < 0 or breaks[before + 1]:
            return False
        return bool(tokens[before]) and not tokens[before] & wanted

    def _compared(self, analysis: QuestionAnalysis, evidence: Sequence[Evidence]
                  ) -> Decision | None:
        """For "which ... first / higher / more ..., A or B": each option's date or figure,
        compared in the direction the question asks. A date comes from the best evidence
        sentence naming the option; a figure from the sentences naming only that option, the
        one nearest the words the question measures. None when the question compares nothing
        or an option has no value."""
        question = analysis.cased.lower()
        match = _COMPARATIVE.search(question)
        if not match:
            return None
        word = match.group(0)
        by_date = word in _EARLY or word in _LATE
        want_largest = word in _LATE or word in _MORE
        measured = _measured_words(analysis)
        first, second = analysis.options
        # A sentence making the same comparison says which way round it goes: "Taipei's TFC
        # 101 Tower is more than 50m taller than the Petronas Towers".
        same = re.compile(rf"\b{re.escape(word)}\s+than\b", re.I)
        for item in evidence[:12]:
            said = same.search(item.text)
            if said is None:
                continue
            before, after = item.text[:said.start()], item.text[said.end():]
            if re.match(r"\s*(?:[A-Z]{1,3})?[$£€¥]?\s?\d", after):
                continue  # "sold more than 5m phones": a bound, not the comparison
            for ahead, behind in ((first, second), (second, first)):
                if _mentions(before, ahead) and _mentions(after, behind) and \
                        not _mentions(before, behind):
                    return Decision(ahead, (item,), f"the source has {ahead} {word} than "
                                    f"{behind}")
        if by_date:
            # "The Home Internationals were done away with in 1984, with the Scotland-England
            # fixture continuing until 1989": in one sentence, each option's year follows it
            for item in evidence[:12]:
                lowered = item.text.lower()
                at = [lowered.find(first.lower()), lowered.find(second.lower())]
                if min(at) < 0:
                    continue
                cut = max(at)
                spans = [(at[0], cut if at[0] < cut else len(item.text)),
                         (at[1], cut if at[1] < cut else len(item.text))]
                years = [[v for v in _values_near(item, option, True, (), span)
                          if item.text.find(str(int(v[1])), span[0]) >= 0]
                         for option, span in zip((first, second), spans, strict=True)]
                if years[0] and years[1] and years[0][0][1] != years[1][0][1]:
                    pick_first = (years[0][0][1] > years[1][0][1]) == want_largest
                    label = first if pick_first else second
                    return Decision(label, (item,), f"'{word}': {first} {years[0][0][1]:g}, "
                                    f"{second} {years[1][0][1]:g}")
        if not by_date:
            for item in evidence[:12]:
                halves = _sides(item.text, first, second)
                if halves is None:
                    continue
                values = [_values_near(item, option, False, measured, halves[option],
                                       (first, second)) for option in (first, second)]
                kinds = [(a, b) for a in values[0] for b in values[1] if a[2] == b[2]]
                if kinds:
                    a, b = min(kinds, key=lambda pair: pair[0][0] + pair[1][0])
                    if a[1] != b[1]:
                        label = first if (a[1] > b[1]) == want_largest else second
                        return Decision(label, (item,), f"'{word}': {first} {a[1]:g}, "
                                        f"{second} {b[1]:g}")
        sides = []
        for option, other in ((first, second), (second, first)):
            naming = [(rank, e, _values_near(e, option, by_date, measured, None, (other,)))
                      for rank, e in enumerate(evidence[:12])]
            naming = [row for row in naming if row[2]]
            # A sentence naming both ("Carlsberg is more optimistic than Heineken ..., a 15%
            # rise") says little of either alone: the option's own sentences first.
            own = [row for row in naming if not _mentions(row[1].text, other)]
            if not naming:
                return None
            sides.append(naming[:1] if by_date else own or naming)
        # The two values must be of one kind (both percentages, or neither): of the pairs of
        # one kind, the one standing nearest the measured words ("profits drop 33%" and "a 3%
        # fall in profits", not a dividend's 25%), the closer sentences on a tie.
        pairs = [(a_value[0] + b_value[0], a_rank + b_rank, a_value[1], b_value[1], a_item, b_item)
                 for a_rank, a_item, a_values in sides[0]
                 for b_rank, b_item, b_values in sides[1]
                 for a_value in a_values for b_value in b_values if a_value[2] == b_value[2]]
        if not pairs:
            return None
        _, _, first_value, second_value, first_item, second_item = min(
            pairs, key=lambda row: row[:2])
        if first_value == second_value:
            return None
        pick_first = (first_value > second_value) == want_largest
        label = first if pick_first else second
        deciding = (first_item, second_item) if first_item is not second_item else (first_item,)
        return Decision(label, deciding, f"'{word}': {first} {first_value}, {second} "
                        f"{second_value}")

    def _before_after(self, analysis: QuestionAnalysis, evidence: Sequence[Evidence],
                      mentions: Sequence[Mention]) -> Decision:
        """Which came first: the two events on either side of "before"/"after", each found in
        the evidence and dated by its article (or a date its sentence gives)."""
        text = analysis.cased
        split = re.split(r"\b(?:before\s+or\s+after|after\s+or\s+before|earlier\s+or\s+later|"
                         r"later\s+or\s+earlier)\b", text, maxsplit=1, flags=re.I)
        if len(split) != 2:
            # "Does the China friendly come before the Israel qualifier or after it?"
            apart = re.match(r"(.*?)\b(?:before|after|earlier than|later than)\s+(.+?)\s+or\s+"
                             r"(?:before|after|earlier|later)\b", text, re.I)
            if not apart:
                return Decision(None)
            split = [apart.group(1), apart.group(2)]
        ordered = _said_in_order(split, evidence[:self.policy.order_sentences], analysis,
                                 self.policy.direction_window)
        if ordered is not None:
            return ordered
        dated = []
        for side in split:
            check = self._check_part(_statement(side), evidence)
            ranked = list(check.evidence) + [e for e in _about(side, evidence)
                                             if all(e is not c for c in check.evidence)]
            when = next((d for e in ranked if (d := _date_of(e)) is not None), None)
            dated.append((when, check, ranked))
        (first_day, first, first_ranked), (second_day, second, second_ranked) = dated
        shown = date.isoformat
        if first_day == second_day:
            # Undated articles that both give a day without a year ("on 11 March", "on 24
            # March"): read in one year, as a reader of the two stories would. (Both events
            # dated alike, as by one sentence's "since ... 2004", is no dating either.)
            first_names, second_names = (_side_names(side) for side in split)
            first_found = _undated_day(first_ranked, first_names - second_names,
                                       second_names - first_names)
            second_found = _undated_day(second_ranked, second_names - first_names,
                                        first_names - second_names)
            first_day = first_found[0] if first_found else None
            second_day = second_found[0] if second_found else None
            if first_found and second_found:
                # the sentences that give the two days are the ones that decide
                first = replace(first, evidence=(first_found[1],))
                second = replace(second, evidence=(second_found[1],))
            shown = _day_and_month  # (no year: none was given)
        if first_day is None or second_day is None or first_day == second_day:
            return Decision(None, (), "the evidence does not date both events")
        earlier = first_day < second_day
        label_before = next((o for o in analysis.options if o.lower() in ("before", "earlier")),
                            "before")
        label_after = next((o for o in analysis.options if o.lower() in ("after", "later")),
                           "after")
        label = label_before if earlier else label_after
        deciding = first.evidence[:1] + second.evidence[:1]
        return Decision(label, deciding,
                        f"{shown(first_day)} against {shown(second_day)}",
                        (first, second))


    def _in_order(self, analysis: QuestionAnalysis, evidence: Sequence[Evidence],
                  mentions: Sequence[Mention]) -> Decision | None:
        """"Did A happen before B?" with A and B two events: Yes when the evidence dates A
        before B, No when after. None (decided as any yes/no) when the question joins no two
        events this way or the evidence does not date both on different days."""
        claim = analysis.claim or analysis.cased
        joints = list(_SEQUENCE.finditer(claim))
        if len(joints) != 1:
            return None
        joint = joints[0]
        sides = [claim[:joint.start()], claim[joint.end():]]
        if any(len(set(lexical_tokens([side])[0]) - _framing_tokens()) < 3 for side in sides):
            return None
        if not _tells_an_event(sides[1]) and not _names_a_report(sides[1], analysis, mentions):
            return None  # "mention his inclusion after an injury": a phrase, not an event
        dated = []
        for side in sides:
            named = [m for m in mentions if _mentions(side, analysis.cased[m.start:m.end])]
            sources = {source for m in named for source in m.sources}
            pool = [e for e in evidence if e.passage.source in sources] if sources else \
                list(evidence)
            check = self._check_part(_statement(side), pool)
            # "Did Engadget report X before The Age reported Y" asks when each outlet wrote
            # about its subject: its sentence about it dates the report, whether or not it
            # words the subject as the question does.
            about = sources and check.status == "unsupported" and \
                self._is_about(check.support)
            if check.status != "supported" and not about:
                return None
            when = next((d for e in check.evidence if (d := _date_of(e)) is not None), None)
            if when is None:
                return None
            dated.append((when, check))
        (first_day, first), (second_day, second) = dated
        if first_day == second_day:
            return None
        asked_before = joint.group(1).lower() in ("before", "earlier than", "prior to")
        holds = (first_day < second_day) == asked_before
        deciding = first.evidence[:1] + second.evidence[:1]
        return Decision("Yes" if holds else "No", deciding,
                        f"{first_day.isoformat()} against {second_day.isoformat()}",
                        (first, second))


    def _more_than(self, analysis: QuestionAnalysis, evidence: Sequence[Evidence],
                   mentions: Sequence[Mention]) -> Decision | None:
        """"Did A sell more phones than B?": the figures the evidence gives A and B compared
        as a which-of question would; Yes when A comes out as the question says. None when the
        question compares no two names or the evidence gives one of them no figure."""
        claim = analysis.claim or analysis.cased
        match = _MORE_THAN.search(claim)
        if not match:
            return None
        outlets = {analysis.cased[m.start:m.end].lower() for m in mentions}
        left = [n for n in question_names(claim[:match.end(2)])
                if n.lower() not in outlets]
        right = [n for n in question_names(match.group(3)) if n.lower() not in outlets]
        if not left or not right or left[-1] == right[0]:
            return None
        if re.match(r"(?:(?:the|what)\s+)?(?:[A-Z]{1,3})?[$£€¥]?\s?\d", match.group(3).strip(),
                    re.I):
            return None  # "more than A$3bn": a bound, which the claim check reads, not a name
        first, second = left[-1], right[0]
        word = match.group(1).lower()
        # A sentence that makes the same comparison says which way round it goes: "the TFC 101
        # Tower is 50m taller than the Petronas Towers".
        same_comparison = re.compile(rf"\b({re.escape(word)})\b(.*?)\bthan\b(.*)", re.I)
        for item in evidence[:12]:
            said = same_comparison.search(item.text)
            if not said:
                continue
            before, after = item.text[:said.start(3)], said.group(3)
            if _mentions(before, first) and _mentions(after, second):
                return Decision("Yes", (item,), f"the source has {first} {word} than {second}")
            if _mentions(before, second) and _mentions(after, first):
                return Decision("No", (item,), f"the source has {second} {word} than {first}")
        decided = self._compared(replace(analysis, options=(first, second)), evidence)
        if decided is None or decided.label not in (first, second):
            return None
        holds = decided.label == first
        return Decision("Yes" if holds else "No", decided.deciding, decided.reason)


# --- helpers ---------------------------------------------------------------------------------

def _missing_amount(missing: str) -> bool:
    """Whether a frame lacks an amount the claim gives ("200m is not in the source"), not a
    place in an order ("first", "3rd")."""
    if not missing.endswith(MISSING_FIGURE):
        return False
    figure = missing[:-len(MISSING_FIGURE)].lower()
    return not re.fullmatch(r"\d*(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|"
                            r"seventh|eighth|ninth|tenth|last", figure)


def _movement_sign(option: str) -> int | None:
    """+1 or -1 for an option that names a movement ("up", "shrink", "slowed down": its
    particle), else None."""
    words = option.lower().split()
    sign = MOVEMENT.get(option.lower())
    if sign is None and len(words) == 2:
        sign = MOVEMENT.get(words[1]) or MOVEMENT.get(words[0])
    return sign


# A movement verb and the noun that names that movement: when the question asks how the
# movement itself changed ("has growth slowed?"), the verb tells the movement, not its change.
_CHANGE_NOUN = {verb: noun for noun, verbs in (
    ("growth", "grow grew grown grows growing"), ("rise", "rise rose risen rises rising"),
    ("fall", "fall fell fallen falls falling"), ("increase", "increase increased increases"),
    ("decline", "decline declined declines"), ("inflation", "inflated inflating"))
    for verb in verbs.split()}

_BETWEEN_SUBJECT_AND_MOVEMENT = frozenset("""is are was were has have had been be being will
would could may might also then later sharply slightly further steadily already still again
almost nearly""".split())


# A sum of money or a share, as a claim or a sentence writes it ("$50m", "£13m", "8.1%").
_MONEY_FIGURE = re.compile(r"[$£€]\s?\d[\d,.]*\s?(?:bn|m|k|million|billion)?\b|"
                           r"\b\d[\d,.]*\s?(?:bn|m|million|billion)?\s+(?:dollars|pounds|euros|"
                           r"yen|yuan|rupees)\b", re.I)
_SHARE_FIGURE = re.compile(r"\b\d[\d,.]*\s?(?:%|per ?cent\b)", re.I)


def _giving_another_figure(text: str, pool: Sequence[Evidence], frames: Sequence[Frame],
                           order: Sequence[int]) -> Evidence | None:
    """When the closest sentence lacks the claim's sum of money (or share), the best sentence
    of the same story giving one of that kind shows what the articles say instead ("Is she
    asking for $50m in damages?" -> "... she is seeking $25m (£13m) in the suit", not the
    closer sentence that she filed a lawsuit)."""
    top = order[0]
    missing = frames[top].missing or ""
    if not missing.endswith(MISSING_FIGURE):
        return None
    for kind in (_MONEY_FIGURE, _SHARE_FIGURE):
        asked = {re.sub(r"\s", "", m.group(0)).lower() for m in kind.finditer(text)}
        if not asked:
            continue
        for i in order[1:]:
            item = pool[i]
            if item.passage.article_id != pool[top].passage.article_id:
                continue
            given = {re.sub(r"\s", "", m.group(0)).lower() for m in kind.finditer(item.text)}
            if given - asked:
                return item
    return None


def _tells_an_event(text: str) -> bool:
    """Whether a clause has a verb in the past ("Hamas attacked Israel", "The Verge reported
    ...", "the ECB cut rates" needs its irregular past): only then is it an event to date."""
    for word in re.findall(r"[A-Za-z]+", text):
        lower = word.lower()
        if lower in ("was", "were", "had", "did") or lower in PAST_FORMS:
            return True
        if len(lower) >= 5 and lower.endswith("ed") and word[0].islower():
            return True
    return False


def _names_a_report(text: str, analysis: QuestionAnalysis, mentions: Sequence[Mention]
                    ) -> bool:
    """Whether a clause is an outlet's report ("The Verge's report of a discount"): dated by
    when that outlet published it, it needs no verb of its own."""
    for mention in mentions:
        outlet = re.escape(analysis.cased[mention.start:mention.end])
        if re.match(rf"\s*(?:the\s+)?['‘\"]?{outlet}['’\"]?(?:['’]s)?\s+(?:[\w-]+\s+)?"
                    rf"{_REPORT_NOUN}", text, re.I):
            return True
    return False


_REPORT_NOUN = (r"(?:report|article|piece|story|coverage|post|explainer|review|guide|feature|"
                r"column|interview|analysis|write-up)s?\b")


# "A before B" / "A after B" joining two events in a yes/no question (not "after" opening it).
# (A clause may end in a parenthesis or a quote: "the MacBook Air (13.6-inch) earlier than")
_SEQUENCE = re.compile(r"(?<=[\w)'’\"”])[\s,]+(before|after|earlier than|later than|prior to)"
                       r"\s+(?=\w)", re.I)

_FRAMING_TOKENS: frozenset[str] | None = None


def _framing_tokens() -> set[str]:
    """Tokens of the words that frame a question about reports ("article", "suggest"): a
    source need not contain them."""
    global _FRAMING_TOKENS
    if _FRAMING_TOKENS is None:
        _FRAMING_TOKENS = frozenset(t for tokens in lexical_tokens(sorted(FRAMING_WORDS))
                                    for t in tokens)
    return set(_FRAMING_TOKENS)


def _story_context(item: Evidence, statement: str) -> str:
    """What a sentence is read with for a verdict: its header and the sentences before it,
    and, when the sentence names no one the statement does not (nationalities aside), the
    names its passage uses. A question is answered by the story: "Wales win in Rome" tells
    of a win over Italy though Italy is named three sentences on; "made across the Vodafone
    network" names another network than the Cellnet one asked about, and the passage's
    "Cellnet" does not count for it. Only names are added, no figures."""
    lead = f"{item.header}. {item.context}"
    asked = {w.lower() for w in re.findall(r"[\w'’-]+", statement)}
    for run in _INNER_NAME_RUN.findall(item.text):
        words = [re.sub(r"['’]s?$", "", w.lower()) for w in re.findall(r"[\w'’-]+", run)]
        if not any(w in asked for w in words) and not NATIONALITY.fullmatch(run) and \
                not set(words) <= CALENDAR_WORDS:
            return lead
    names = " ".join(f"; {run}" for run in _NAME_RUN.findall(item.passage_text))
    return f"{lead} {names}"


_NAME_RUN = re.compile(r"\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")
# Not counting a sentence's first word, which is capitalised whatever it is.
_INNER_NAME_RUN = re.compile(r"(?<=[\w,;:'’\"] )[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")


def _readings(pool: Sequence[Evidence]):
    from .claims import read_sentence

    return ([read_sentence(e.text) for e in pool],
            [read_sentence(f"{e.header}. {e.context}") for e in pool],
            [set(lexical_tokens([e.text])[0]) for e in pool],
            [set(lexical_tokens([e.header])[0]) for e in pool])


def _pieces(claim: str) -> list[str]:
    """A statement joining others ("A, while B", "A, and B", "A; B") cut into them; pieces
    too short to check stay with their neighbours' statement whole."""
    pieces = [p for p in re.split(r",?\s+(?:while|whereas)\s+|,\s+and\s+(?:also\s+)?|;\s+",
                                  claim) if len(re.findall(r"[A-Za-z]{3,}", p)) >= 3]
    # "... tape two channels while you watch a third": a clause whose subject is a pronoun
    # ("you", "he", "it") goes with the statement before it, not on its own.
    if any(re.match(r"(?:you|he|she|it|they|we|i)\b", p, re.I) for p in pieces[1:]):
        return [claim]
    return pieces if len(pieces) >= 2 else [claim]


def _statement(text: str) -> str:
    """A question part as a statement: without "the article from X suggests that" framing."""
    text = " ".join(text.replace("' '", " ").split()).strip(" ,;:?'\"‘’“”")
    # What follows an outlet's possessive ("Fortune's report said ...") starts with its "s".
    text = re.sub(r"^s\s+", "", text)
    text = re.sub(r"^(?:and|but|while|whereas|or)\s+", "", text, flags=re.I)
    text = re.sub(r"^(?:does|do|did|is|are|was|were|has|have)\s+", "", text, flags=re.I)
    text = re.sub(r"^(?:the\s+)?(?:same|other|this)\s+(?:source|outlet|article|report|"
                  r"publication)\s+", "", text, flags=re.I)
    text = _REPORT_PART.sub("", text).strip()
    text = re.sub(r"^(?:from|by|in|of)\b\s*", "", text, flags=re.I)
    text = re.sub(r"^(?:(?:article|report|piece|also|both|articles|reports)\s+)*"
                  r"(?:claim|suggest|report|indicate|state|say|mention|imply|argue|discuss|"
                  r"describe|attribute|credit|highlight|note|portray|anticipate|focus(?:es)? on)"
                  r"s?(?:ed)?\s+(?:that\s+)?", "", text, flags=re.I)
    text = re.sub(r"^(?:on|about|regarding|concerning)\s+", "", text, flags=re.I)
    return text.strip(" ,;:'\"‘’") or " ".join(text.split())


_TRAILING_LINK = re.compile(
    r"(?:[,;]?\s+(?:while|whereas|and|but|or|than|as opposed to|compared to|compared with|"
    r"similar to|in contrast to|unlike|like|with|to how|as)\b)?(?:\s+(?:also|does|do|did|is|"
    r"was|has|the|a|an|another|same|other|both))*(?:\s+(?:article|report|piece|story|review|"
    r"coverage|source|outlet)s?)?(?:\s+(?:from|by|in|of))?\s*['\"‘’“”]*\s*$", re.I)


def _statements_by_outlet(claim: str, mentions: Sequence[Mention]
                          ) -> list[tuple[str, tuple[str, ...]]]:
    """What the question says each named outlet reported: the words after the outlet's name
    up to the next outlet ("The Verge suggests that X, while ..."), or, when the name comes
    after what it reported ("X, as The Verge reported"), the words before it."""
    out = []
    for index, mention in enumerate(mentions):
        left = mentions[index - 1].end if index > 0 else 0
        right = mentions[index + 1].start if index + 1 < len(mentions) else len(claim)
        after = _TRAILING_LINK.sub("", claim[mention.end:right]).strip(" ,;:'\"‘’“”")
        before = _TRAILING_LINK.sub("", claim[left:mention.start]).strip(" ,;:'\"‘’“”")
        text = after if len(re.findall(r"[A-Za-z]{3,}", after)) >= 3 else before
        if len(re.findall(r"[A-Za-z]{3,}", text)) < 3:
            text = claim
        out.append((text, mention.sources))
    return out


def _shifted(mentions: Sequence[Mention], full: str, claim: str) -> list[Mention]:
    """Mentions found in the full question, moved to their place in the claim. The claim is
    not always a piece of the question ("was" taken out of "Between A and B, was the
    portrayal consistent"), so each mention is found again, in order."""
    shifted, position = [], 0
    for mention in mentions:
        start = claim.find(full[mention.start:mention.end], position)
        if start < 0:
            continue
        end = start + mention.end - mention.start
        shifted.append(Mention(start, end, mention.sources))
        position = end
    return shifted


# A question about how reports relate, rather than about what each says.
# A verb with its subject's own object is something a report tells ("Valve has shifted its
# strategy"), not a relation between reports.
_OWN_OBJECT = r"(?!\s+(?:its|their|his|her)\b)"
# "A suggests a different X than B": a relation between reports only when what X is set
# against is another report's ("... than the excitement mentioned in Essentially Sports"), not
# a comparison inside one report ("a different trajectory than Mayweather's, while ...").
_OTHER_REPORT = (r"(?=[^,;?]*?\b(?:article|report|reported|described|discussed|mentioned|"
                 r"presented|portrayed|according)\b)")
# ("... at a different level from how Fortune portrays his role", "look different from his
# season numbers as The New York Times lays them out": set against what another report says.)
_ANOTHER_REPORTS = (r"(?=[^,;?]*?\b(?:article|report|reported|described|discussed|mentioned|"
                    r"presented|portrayed|according|describes|discusses|presents|portrays|"
                    r"lays (?:it|them) out|writes|wrote)\b)")
_RELATION = re.compile(r"\b(?:consisten(?:t|cy|tly)|inconsisten(?:t|cy|tly)|discrepanc(?:y|ies)|"
                       r"chang(?:e|ed|es)\b(?! (?:in|of) (?:the )?(?:law|rules?|policy))"
                       + _OWN_OBJECT + r"|"
                       r"shift(?:ed)?\b" + _OWN_OBJECT + r"|(?:remain|stay)(?:ed|s)? the same|"
                       r"unchanged|conflict(?:s|ed)? with|"
                       r"agree or disagree|"
                       r"(?:similar|same|different) (?:way|manner|approach) (?:to|as|from)|"
                       # "Did both put the same emphasis on ...", "paint it the same way both
                       # times", "Is the picture the same across both?"
                       r"(?:the|a) same (?:way|emphasis|picture|view|tone|stance|message|"
                       r"account|angle|focus|portrayal|narrative)\b|same across\b|"
                       r"different(?:ly)?\b[^,;?]{0,60}?\b(?:compared (?:to|with)|than|from)"
                       + _ANOTHER_REPORTS + "|"
                       r"similar\b[^,;?]{0,40}?\b(?:to|as)" + _OTHER_REPORT + "|"
                       r"differ(?:ed|s)? (?:between|from|in)|contradict(?:s|ed)?)\b", re.I)


def _asks_about_agreement(analysis: QuestionAnalysis) -> bool:
    claim = analysis.claim or analysis.cased
    return bool(_RELATION.search(claim))


def _changed_topic(analysis: QuestionAnalysis) -> str:
    """What the question says changed: the words after "a change in" ("the portrayal of the
    fares"), or "" when too few follow."""
    claim = analysis.claim or analysis.cased
    relation = _RELATION.search(claim)
    if relation is None:
        return ""
    after = re.sub(r"^\W*(?:in|of|to|regarding|about)\b", "", claim[relation.end():])
    after = re.split(r"\bbetween\b|\bfrom\b", after, maxsplit=1)[0].strip(" ?.,")
    wanted = set(lexical_tokens([after])[0]) - _framing_tokens()
    return after if len(wanted) >= 2 else ""


def _asks_about_change(analysis: QuestionAnalysis) -> bool:
    """Whether the relation asked about is a change or a difference ("was there a change",
    "has it shifted", "remained the same", "a different X than B reported"), which a report
    telling something else makes; not whether the reports conflict ("consistent",
    "discrepancy")."""
    relation = _RELATION.search(analysis.claim or analysis.cased)
    return relation is not None and bool(re.match(r"(?:chang|shift|remain|differ)",
                                                  relation.group(0), re.I))


_INTERPRETIVE = re.compile(r"\b(?:suggest|impl(?:y|ies|ied)|indicat|describ|portray|attribut|"
                           r"credit|"
                           r"claim|argu|focus|highlight|discuss|report|mention|characteri[sz]|"
                           r"anticipat|present|depict|emphasi[sz]|view|stance|narrative|"
                           r"coverage|article)\w*", re.I)


def _interpretive(analysis: QuestionAnalysis, mentions: Sequence[Mention]) -> bool:
    """Whether the question asks how reports read ("Does the Fortune article suggest ..."),
    not whether a fact holds ("Did sales rise?")."""
    return bool(mentions) or bool(_INTERPRETIVE.search(analysis.claim or analysis.cased))


def _asks_sameness(analysis: QuestionAnalysis) -> bool:
    """True when "Yes" means the reports agree; a negated question flips it ("was there no
    change")."""
    claim = analysis.claim or analysis.cased
    relation = _RELATION.search(claim)
    if relation is not None:
        # The relation word the question asks about decides, not a "maintain" or "remain"
        # in the description of a report ("Google's strategies to maintain its dominance,
        # ... was there inconsistency ...").
        asks_same = not _DIFFERENT.search(relation.group(0))
    else:
        different = _DIFFERENT.search(claim)
        same = _SAME.search(claim)
        asks_same = not different or bool(same and same.start() < different.start())
    if _NEGATED_QUESTION.search(claim):
        asks_same = not asks_same
    return asks_same


def _agreement_options(options: Sequence[str]) -> tuple[str | None, str | None]:
    """Which of two options means "they agree" (consistent / agree / similar / same)."""
    same = [o for o in options if _SAME.search(o) and not _DIFFERENT.search(o)]
    different = [o for o in options if _DIFFERENT.search(o)]
    if len(same) == 1 and len(different) == 1:
        return same[0], different[0]
    return None, None


def _mentions(text: str, option: str) -> bool:
    words = lexical_tokens([option])[0]
    present = set(lexical_tokens([text])[0])
    return bool(words) and all(w in present for w in words)


def _writes(text: str, option: str) -> bool:
    """Whether the text writes the option as asked, its words together ("two U-turns")."""
    return bool(re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text, re.I))


def _option_asked_for(claim: str, option: str) -> str:
    """The claim with the option where its question word stands: "Who issued the warning"
    -> "The WTO issued the warning", "Who did Rovers beat" -> "Rovers beat The WTO"; else
    the option after the claim."""
    asked = re.match(r"(?i:who)\s+(?:(?i:did|does|do)\s+)?", claim)
    if asked is None:
        return f"{claim} {option}"
    rest = claim[asked.end():]
    return f"{rest} {option}" if asked.group(0).strip().lower() != "who" else f"{option} {rest}"


def _closer_option(one: PartCheck, other: PartCheck, claim: str, options: Sequence[str],
                   names: Sequence[str]) -> str | None:
    """When one sentence holds the statement with either option ("The film was made
    exclusively in Rwanda whereas Hotel Rwanda was shot mostly in South Africa"), the option
    written nearer the claim's own words ("mostly") is the one it says; None when the two are
    not held by the same sentence or stand as near."""
    if one.status != "supported" or other.status != "supported" or not one.evidence \
            or not other.evidence or one.evidence[0] is not other.evidence[0]:
        return None
    text = _without_longer_names(one.evidence[0].text, options, names)
    words = [w.lower() for w in re.findall(r"[\w'’%-]+", text)]
    own = _own_words(claim, options, names)
    if not own:
        return None
    stems = [set(tokens) for tokens in lexical_tokens(words)]
    own_at = [i for i, s in enumerate(stems) if s & own]
    distance = {}
    for option in options:
        want = set(lexical_tokens([option])[0])
        at = [i for i, s in enumerate(stems) if s & want]
        if not at or not own_at:
            return None
        distance[option] = min(abs(i - j) for i in at for j in own_at)
    near = sorted(options, key=lambda o: distance[o])
    return None if distance[near[0]] == distance[near[1]] else near[0]


def _own_words(claim: str, options: Sequence[str], names: Sequence[str]) -> set[str]:
    """The claim's stems other than the options' and the names' ("come", "second")."""
    taken = {w for o in options for w in lexical_tokens([o])[0]}
    taken |= {w for n in names for w in lexical_tokens([n])[0]}
    return set(lexical_tokens([claim])[0]) - taken


# Words that may stand between the pair and "respectively" ("second and third place
# respectively"): the pair's own noun and a qualifier; by design.
_RESPECTIVE_GAP = 3


def _respective(text: str, options: Sequence[str], own: set[str]) -> str | None:
    """"The group beat Travis and Idlewild into second and third place respectively": the
    options are told in order with the words paired to them, so the option said first goes
    with the claim's "second"; None when the sentence pairs nothing so."""
    said = re.search(r"\brespectively\b", text, re.I)
    if said is None:
        return None
    # the pair nearest before "respectively" ("second and third place")
    paired = None
    for pair in re.finditer(r"\b([\w'’-]+)\s+and\s+([\w'’-]+)\b", text[:said.start()]):
        between = text[pair.end():said.start()]
        if len(between.split()) <= _RESPECTIVE_GAP and not re.search(r"[.;:,]", between):
            paired = pair
    if paired is None:
        return None
    lowered = text.lower()
    at = {option: lowered.find(option.lower()) for option in options}
    if any(position < 0 or position >= paired.start() for position in at.values()):
        return None
    first, second = sorted(options, key=lambda option: at[option])
    left, right = (set(lexical_tokens([paired.group(i)])[0]) for i in (1, 2))
    if own & left and not own & right:
        return first
    if own & right and not own & left:
        return second
    return None


def _mentions_apart(text: str, option: str, names: Sequence[str]) -> bool:
    """Whether the text mentions the option other than inside a longer name the question
    gives: "Was Hotel Rwanda filmed in Rwanda or South Africa?" is not answered "Rwanda" by
    every sentence naming the film."""
    return _mentions(_without_longer_names(text, (option,), names), option)


def _without_longer_names(text: str, options: Sequence[str], names: Sequence[str]) -> str:
    """The text with each name the question gives that holds an option and more ("Hotel
    Rwanda" for "Rwanda") blanked out: a mention of the name is no mention of the option."""
    for name in names:
        if any(_longer_name(name, option) for option in options):
            text = re.sub(re.escape(name), " ", text, flags=re.I)
    return text


def _longer_name(name: str, option: str) -> bool:
    """Whether a name holds the option's words and more ("Hotel Rwanda" for "Rwanda"; not
    "Return" for "The Return")."""
    own, asked = set(lexical_tokens([name])[0]), set(lexical_tokens([option])[0])
    return bool(asked) and asked < own


def _first_index(pool: Sequence[Evidence], chosen: Sequence[Evidence]) -> int:
    positions = [i for i, e in enumerate(pool) if any(e is c for c in chosen)]
    return min(positions) if positions else len(pool)


_EARLY = {"first", "earlier", "earliest", "sooner", "older", "oldest"}
_LATE = {"later", "latest", "last", "newer", "newest", "more recent", "most recent"}
_MORE = {"higher", "highest", "more", "most", "bigger", "biggest", "larger", "largest",
         "greater", "greatest", "faster", "fastest", "richer", "richest", "longer", "longest",
         "taller", "tallest", "heavier", "heaviest"}
_LESS = {"lower", "lowest", "less", "least", "fewer", "fewest", "smaller", "smallest", "cheaper",
         "cheapest", "slower", "slowest", "shorter", "shortest", "lighter", "lightest"}
_COMPARATIVE_WORDS = "|".join(sorted(_EARLY | _LATE | _MORE | _LESS, key=len, reverse=True))
_COMPARATIVE = re.compile(r"\b(?:" + _COMPARATIVE_WORDS + r")\b")
# "A ... more X ... than B": the comparative, what stands between, and what follows "than".
_MORE_THAN = re.compile(r"\b(" + _COMPARATIVE_WORDS + r")\b(.*?)\bthan\b(.*)", re.I)


_SCALES = {"bn": "bn", "billion": "bn", "m": "m", "million": "m", "k": "k", "thousand": "k",
           "%": "%", "per cent": "%", "percent": "%", "": ""}
_CURRENCY_WORDS = {"$": "dollar", "£": "pound", "€": "euro", "¥": "yen", "dollar": "dollar",
                   "dollars": "dollar", "pound": "pound", "pounds": "pound", "euro": "euro",
                   "euros": "euro", "yen": "yen"}
_AMOUNT = re.compile(r"([$£€¥])?\s?(\d+(?:[.,]\d+)*)\s?(bn|billion|m|million|k|thousand|%|"
                     r"per ?cent)?(?!\w)\s*(dollars?|pounds?|euros?|yen)?", re.I)


def _amounts(text: str) -> list[tuple[float, str, str | None, int]]:
    """(value, scale, currency or None, position) of each figure written in `text`."""
    found = []
    for match in _AMOUNT.finditer(text):
        symbol, digits, scale, word = match.groups()
        if re.fullmatch(r"(?:1[89]|20)\d\d", digits) and not (symbol or scale or word):
            continue  # a year
        currency = _CURRENCY_WORDS.get((symbol or word or "").lower())
        value = float(digits.replace(",", "")) if re.fullmatch(r"\d{1,3}(,\d{3})+", digits) \
            else float(digits.replace(",", "."))
        found.append((value, _SCALES[(scale or "").lower().replace("percent", "per cent")],
                      currency, match.start()))
    return found


def _against_figure(statement: str, first: str, second: str,
                    evidence: Sequence[Evidence]) -> Decision | None:
    """"Did GM pay Fiat more or less than the 2bn euros predicted?": the figure the best
    sentences about the rest of the statement give in the same units ("GM had to pay ...
    Fiat 1.55bn euros"), compared with the question's. None when the comparison is with no
    figure, or no sentence about it gives one in those units other than the question's."""
    than = re.search(rf"\b{re.escape(first)}\b(.*?)\bthan\s+(?:the\s+|what\s+)?(.*)$",
                     statement, re.I)
    if than is None:
        return None
    asked = _amounts(than.group(2))
    if not asked or asked[0][3] > 3:
        return None  # the comparison is with a name, which _more_than reads
    value, scale, currency, _ = asked[0]
    subject = statement[:than.start()] + " " + than.group(1)
    for item in _about(subject, evidence)[:6]:
        for other, other_scale, other_currency, _ in _amounts(item.text):
            if other_scale != scale or (currency and other_currency and
                                        other_currency != currency) or other == value:
                continue
            if other_scale in ("", "k") and not (currency and other_currency):
                continue  # a bare count is too often something else
            more = other > value
            option = first if more == (first.lower() in MORE_WORDS) else second
            return Decision(option, (item,), f"'{option}': the source gives {other:g}"
                            f"{other_scale} against the question's {value:g}{scale}")
    return None


def _both_ways(claim: str, first: str, second: str) -> tuple[str, str] | None:
    """The claim said each way when its options are a comparison both ways: "A paid more or
    less than B" -> ("A paid more than B", "A paid less than B"); "A has more X than B, or
    fewer" -> ("A has more X than B", "A has fewer X than B"). None for other options."""
    if not comparative_pair(f"{first} or {second} than"):
        return None
    together = re.compile(rf"\b{re.escape(first)}\s+or\s+{re.escape(second)}\b", re.I)
    if together.search(claim):
        return together.sub(first, claim, count=1), together.sub(second, claim, count=1)
    apart = re.search(rf",?\s*or\s+{re.escape(second)}\s*$", claim, re.I)
    if apart is None:
        return None
    stated = claim[:apart.start()]
    said = re.compile(rf"\b{re.escape(first)}\b", re.I)
    return stated, said.sub(second, stated, count=1)


def _measured_words(analysis: QuestionAnalysis) -> list[str]:
    """The question's own words other than its options and framing: what it compares."""
    options = {w.lower() for o in analysis.options for w in o.split()}
    return [w for w in re.findall(r"[a-z]{4,}", analysis.cased.lower())
            if w not in options and w not in FRAMING_WORDS and not _COMPARATIVE.fullmatch(w)]


_NUMBER_VALUES = {word: value for value, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_NUMBER_WORDS = "|".join(word for word in _NUMBER_VALUES if word not in ("zero", "one"))


def _values_near(item: Evidence, option: str, by_date: bool,
                 measured: Sequence[str] = (), span: tuple[int, int] | None = None,
                 names: Sequence[str] = ()) -> list[tuple[int, float, bool]]:
    """(distance, value, is a percentage) for each year (by_date) or figure of a sentence
    naming the option, nearest first; [] when it does not name the option. `span`: only that
    stretch of the sentence (the option's side of a comparison)."""
    text = item.text
    lowered = text.lower()
    start, end = span or (0, len(text))
    named = lowered.find(option.lower(), start, end)
    if named < 0:
        return []
    # The measured words wherever they stand ("Heineken saw its annual profits drop 33%"),
    # else the option's name.
    at = [m.start() for w in measured for m in re.finditer(re.escape(w[:6]), lowered)
          if start <= m.start() < end] or [named]
    # ("per 100 people" is what a rate is counted over, not a value; "won five awards" is)
    pattern = r"\b(1[89]\d\d|20\d\d)\b" if by_date else \
        r"(?<![\w.])(?<!per )(?<!every )(\d+(?:[.,]\d+)*|" + _NUMBER_WORDS + \
        r")(%| per ?cent)?(?![\d\w])"
    found = []
    # "TFC 101 Tower": 101 is its name, wherever it stands
    own_numbers = set(re.findall(r"\d+", f"{option} {' '.join(names)}"))
    if not by_date:
        text = without_name_numbers(text)  # "Symbian's Series 60 software": no figure
    for match in re.finditer(pattern, text):
        value = match.group(1)
        if not start <= match.start() < end:
            continue
        if not by_date and (re.fullmatch(r"(1[89]|20)\d\d", value) or value in own_numbers):
            continue
        percent = not by_date and bool(match.group(2))
        if value.lower() in _NUMBER_VALUES:
            number = float(_NUMBER_VALUES[value.lower()])
        elif re.fullmatch(r"\d{1,3}(,\d{3})+", value):
            number = float(value.replace(",", ""))
        else:
            number = float(value.replace(",", "."))
        found.append((min(abs(match.start() - a) for a in at), number, percent))
    if not found and by_date and item.passage.date:
        found.append((0, float(item.passage.date[:4]), False))
    return sorted(found)


_SET_AGAINST = re.compile(r",?\s+(?:compared (?:to|with)|against|versus|vs\.?|while|whereas)\s+",
                         re.I)


def _sides(text: str, first: str, second: str) -> dict[str, tuple[int, int]] | None:
    """Each option's stretch of a sentence that sets one against the other ("The UK ... 7.5
    connections per 100 people, compared to 6.7 in Germany"): the option named before the
    connecting words takes what stands before them, the other what follows. None when the
    sentence does not name both on either side of such words."""
    lowered = text.lower()
    for joint in _SET_AGAINST.finditer(text):
        before, after = lowered[:joint.start()], lowered[joint.end():]
        for left, right in ((first, second), (second, first)):
            if left.lower() in before and right.lower() in after and \
                    right.lower() not in before:
                return {left: (0, joint.start()), right: (joint.end(), len(text))}
    return None


def _about(text: str, evidence: Sequence[Evidence]) -> list[Evidence]:
    """Evidence sentences sharing the telling words of one side of a question, best first."""
    wanted = set(lexical_tokens([text])[0]) - _framing_tokens()
    scored = []
    for item in evidence:
        shared = len(wanted & set(lexical_tokens([item.text])[0]))
        if shared:
            scored.append((shared, item.score, item))
    scored.sort(key=lambda row: (-row[0], -row[1]))
    return [item for _, _, item in scored]


def _deciding(checks: Sequence[PartCheck], per_part: int) -> tuple[Evidence, ...]:
    """The sentences cited under a verdict: each part's best, a sentence once (a story filed
    twice gives the same sentence twice)."""
    out: list[Evidence] = []
    for check in checks:
        for item in check.evidence[:per_part]:
            if all(item is not seen and item.text != seen.text for seen in out):
                out.append(item)
    return tuple(out)


def _date_of(item: Evidence) -> date | None:
    """A date the sentence itself gives (a day, with its article's year when it gives none:
    "on 11 March"; else a year), else its article's date."""
    days = find_dates(item.text)
    if days:
        return days[0]
    article_day = _article_day(item)
    day_month = find_day_month(item.text)
    if day_month and article_day is not None:
        try:
            return date(article_day.year, *day_month)
        except ValueError:
            pass
    years = re.findall(r"\b(1[89]\d\d|20\d\d)\b", item.text)
    if years:
        return date(int(years[0]), 1, 1)
    return article_day


def _day_and_month(day: date) -> str:
    return f"{day.day} {day.strftime('%B')}"


def _said_in_order(sides: Sequence[str], evidence: Sequence[Evidence],
                   analysis: QuestionAnalysis, window: int) -> Decision | None:
    """Which came first, from one sentence that names both events with "before" or "after"
    between them ("will face the Chinese on 29 March - just three days after the World Cup
    qualifier against Israel": the China game comes after). The event after the word must be
    told there (half its words or more within `window` words: "the Israel qualifier"), the other
    named before it by a name only its side uses, in any derived form ("Chinese" for
    "China"). "after selling a million in the US" tells no PSP launch."""
    first_names, second_names = (_side_names(side) for side in sides)
    own = [first_names - second_names, second_names - first_names]
    if not own[0] or not own[1]:
        return None
    told = [set(lexical_tokens([_statement(side)])[0]) - _framing_tokens() for side in sides]

    def named(names: set[str], words: list[str]) -> bool:
        stems = {n[:max(4, len(n) - 2)] for n in names}
        return any(w.startswith(s) for w in words for s in stems)

    for item in evidence:
        words = [w.lower() for w in re.findall(r"[\w'’-]+", item.text)]
        for i, word in enumerate(words):
            if word not in ("before", "after"):
                continue
            said = set(lexical_tokens([" ".join(words[i + 1:i + 1 + window])])[0])
            for after_side in (1, 0):
                wanted = told[after_side]
                if not wanted or len(wanted & said) * 2 < len(wanted) or \
                        not named(own[1 - after_side], words[:i]):
                    continue
                # "A ... after B": A came after; "B ... before A" likewise
                later = (word == "after") == (after_side == 1)
                options = ("after", "later") if later else ("before", "earlier")
                label = next((o for o in analysis.options if o.lower() in options),
                             options[0])
                return Decision(label, (item,), f"one sentence puts them in order ('{word}')")
    return None


def _side_names(side: str) -> set[str]:
    """The lower-cased words of the names one side of a before/after question uses."""
    return {w.lower() for name in question_names(side) for w in re.findall(r"\w+", name)}


def _undated_day(ranked: Sequence[Evidence], own: set[str] = frozenset(),
                 other: set[str] = frozenset()) -> tuple[date, Evidence] | None:
    """The day and month the best sentence about an event that gives one (in an undated
    article) says, in a stand-in year (only ever compared with another such day), and that
    sentence. A sentence
    naming only the other event's names (`other`, none of `own`) dates that one: "the DS
    went on sale on 11 March" does not date the PSP's launch."""
    for item in ranked:
        day_month = find_day_month(item.text)
        words = {w.lower() for w in re.findall(r"\w+", item.text)}
        if other & words and not own & words:
            continue
        if day_month and _article_day(item) is None:
            try:
                return date(2000, *day_month), item
            except ValueError:
                return None
    return None


def _article_day(item: Evidence) -> date | None:
    if item.passage.date:
        try:
            return date.fromisoformat(item.passage.date[:10])
        except ValueError:
            return None
    return None
