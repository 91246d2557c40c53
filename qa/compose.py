"""Turning evidence, verdicts and checked sentences into answer text with [n] markers.

The shape follows the question's kind (qa/analysis.py): a factoid gets its best sentence or
two (and, for "who" / "which company" questions, the name asked for first); a verdict gets
"Yes", "No" or the option, then the sentences that decide it; a summary, list or explanation
gets several sentences from the articles, without repeats, in the order the articles tell them.
Every sentence carries the citation of the article sentence it rests on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .analysis import PERSON_NOUNS, QuestionAnalysis
from .citations import CheckedSentence
from .claims import CALENDAR_WORDS, NATIONALITY
from .evidence import Evidence, states_cause
from .policy import ComposePolicy
from .query import QUESTION_WORDS
from .types import Citation


def abstain_text(with_passages: bool) -> str:
    """What the assistant says when the articles do not answer the question."""
    if with_passages:
        return ("The articles don't say. Nothing in them answers this question; the closest "
                "passages are listed below.")
    return "The articles don't say. No article matches this question (and its filters)."


# A 135M-parameter model follows a short, concrete instruction over one to three sentences
# far better than a long one over many (measured on the seed article's questions): it then
# rephrases its source instead of inventing around it.
# "Rewrite the source as an answer" was measured against "answer the question using the
# source": the model copies and trims instead of inventing, and twice as many of its drafts
# pass the check (bench/qa_bench.py, "model drafts surviving the check").
SYSTEM_ONE = ("Rewrite the source sentence as a short answer to the question. Keep its words, "
              "names and numbers exactly. Do not add anything.")
SYSTEM_MANY = ("Rewrite the numbered source sentences as a short answer to the question, one "
               "sentence for each source that answers it. Keep their words, names and numbers "
               "exactly. Do not add anything. End each sentence with its source's number in "
               "brackets, like [1].")
# Who / which company / what team ...: the answer is a name.
_ASKS_FOR_NAME = re.compile(
    r"^(?:and\s+)?(?:who|whom|which\s+(?:\w+\s+){0,2}?(?:company|firm|person|player|team|club|"
    r"country|city|organi[sz]ation|group|individual|band|singer|actor|minister|leader|"
    r"executive|manager|coach|brand|site|network|league|nation|author|star|athlete|"
    r"business|bank|party|state|agency|channel|studio|film|game|device|product|app)|"
    r"what\s+(?:\w+\s+){0,2}?(?:company|firm|organi[sz]ation|team|club|country|city|brand|"
    r"group|name|network|agency|studio|product|device|app))\b", re.I)
_QUOTED = re.compile(r"[\"“‘']([^\"”’']{2,40})[\"”’']")
# Which team / company / country ...: a body or a place, never a person.
_ASKS_FOR_BODY = re.compile(
    r"^(?:and\s+)?(?:which|what)\s+(?:\w+\s+){0,2}?(company|firm|team|club|country|city|"
    r"organi[sz]ation|group|band|brand|network|league|nation|business|bank|party|state|"
    r"agency|channel|studio)\b", re.I)
_NAME_RUN = re.compile(r"[A-Z][\w'’&.-]*(?:\s+(?:(?:of|de|von|der|van|and|&)\s+)?[A-Z][\w'’&.-]*)*")
_NOT_NAMES = frozenset("the a an in on at for but and as it this that he she they we i his her "
                       "their its after before while when if so yet meanwhile however also mr "
                       "mrs ms dr there here these those our you your what now then".split())
# Words inside a name that name nothing by themselves ("Bank of England", "The Life of ...").
_FUNCTION_WORDS = _NOT_NAMES | {"of", "de", "von", "der", "van", "&"}


def evidence_prompt(question: str, evidence: Sequence[Evidence]) -> tuple[str, str]:
    """(system, user) prompt: the numbered evidence sentences and the question."""
    system = SYSTEM_ONE if len(evidence) == 1 else SYSTEM_MANY
    lines = []
    for n, item in enumerate(evidence, start=1):
        details = ", ".join(p for p in (item.passage.source, item.passage.date) if p)
        lines.append(f"[{n}] ({details}) {item.text}" if details else f"[{n}] {item.text}")
    return system, "Sources:\n" + "\n".join(lines) + f"\n\nQuestion: {question}"


def citation_for(n: int, item: Evidence) -> Citation:
    passage = item.passage
    return Citation(n=n, article_id=passage.article_id, title=passage.title, date=passage.date,
                    source=passage.source, url=passage.url, quote=item.text,
                    span=(item.start, item.end), score=round(item.score, 4),
                    chunk_id=passage.chunk_id, passage=passage.text,
                    passage_start=passage.start)


def with_marker(sentence: str, numbers: Sequence[int]) -> str:
    """'... policies.' -> '... policies [1].' (the marker sits before the final stop)."""
    markers = "".join(f"[{n}]" for n in numbers)
    sentence = sentence.rstrip()
    if sentence and sentence[-1] in ".!?":
        return f"{sentence[:-1].rstrip()} {markers}{sentence[-1]}"
    return f"{sentence} {markers}."


class Composer:
    """Writes the answer's text and citations from what the earlier stages decided.

    Reads: analysis.kind, .wh, .cased, .names."""

    def __init__(self, policy: ComposePolicy | None = None) -> None:
        self.policy = policy or ComposePolicy()

    # --- which sentences -------------------------------------------------------------------

    def answer_evidence(self, evidence: Sequence[Evidence]) -> list[Evidence]:
        """A factoid rests on the best sentence, plus runners-up from other articles that
        score close to it (a question about two reports needs both)."""
        if not evidence:
            return []
        best = evidence[0].score
        chosen = [evidence[0]]
        for item in evidence[1:]:
            if len(chosen) == self.policy.max_factoid_sentences:
                break
            # (one scoring above the lead was put after it for lacking what was asked for:
            # a figure, a name; it does not come back as a runner-up)
            if self.policy.extra_sentence_ratio * best <= item.score <= best and all(
                    item.passage.article_id != c.passage.article_id for c in chosen) \
                    and not self._repeats(item, chosen):  # the same story filed twice
                chosen.append(item)
        return chosen

    def several(self, analysis: QuestionAnalysis, evidence: Sequence[Evidence]
                ) -> list[Evidence]:
        """Summaries, lists, explanations: several sentences, none repeating another, in the
        order the articles tell them.

        A summary or a list is the story of the best-matching article: its opening sentence
        (news puts the gist first) and its sentences that score best, up to
        `summary_sentences`; an explanation is up to three sentences close to the best one,
        from any article."""
        if not evidence:
            return []
        policy = self.policy
        if analysis.kind in ("summary", "list"):
            # The story retrieval chose (its passages come first), not the article of the one
            # sentence that matched best.
            top = min(evidence, key=lambda e: e.rank).passage.article_id
            pool = [e for e in evidence if e.passage.article_id == top]
            if analysis.kind == "list":
                # The items of a list are mostly names ("Tries from Thomas, Shanklin and
                # Williams"): a sentence naming more of them, new to the question, goes
                # first; for "who were ..." one naming nobody new does not answer at all.
                # Things that are not names are listed too ("a reference to Father
                # Christmas, sleigh bells, a children's choir and a charity element"): a
                # sentence counts the items it enumerates as it counts names.
                asked = _asked_words(analysis)
                named = {id(e): min(len(set(_new_names(e.text, asked))),
                                    policy.list_names_counted) for e in pool}
                items = {id(e): max(named[id(e)], min(enumerated(e.text),
                                                      policy.list_names_counted))
                         for e in pool}
                who = analysis.expects == "name"
                pool.sort(key=lambda e: (who and not named[id(e)],
                                         -(e.score + policy.list_name_bonus * items[id(e)])))
            chosen: list[Evidence] = []
            if analysis.kind == "summary":
                lead = min(policy.summary_lead, policy.summary_sentences)
                for item in sorted(pool, key=lambda e: e.start)[:lead]:
                    if not self._repeats(item, chosen):
                        chosen.append(item)
            for item in pool:
                if len(chosen) == policy.summary_sentences:
                    break
                if not self._repeats(item, chosen):
                    chosen.append(item)
            # A sentence that introduces a list ("... include:") brings its items along.
            by_start = sorted(pool, key=lambda e: e.start)
            if analysis.kind == "list":
                # News tells a list over consecutive sentences ("Tries from Thomas, Shanklin
                # and Williams ..." then "... second-half efforts from Cockbain, Shane Williams
                # and Sidoli"): the sentence after one naming items comes along when it names
                # new ones too.
                added = 0
                for item, after in zip(by_start, by_start[1:], strict=False):
                    if added == policy.list_run:
                        break
                    if any(item is c for c in chosen) and named[id(item)] and \
                            named[id(after)] and not self._repeats(after, chosen):
                        chosen.append(after)
                        added += 1
            for item in list(chosen):
                if item.text.rstrip().endswith(":"):
                    following = [e for e in by_start if e.start > item.start][:6]
                    chosen.extend(e for e in following if not self._repeats(e, chosen))
            if analysis.kind == "summary":
                chosen = self._naming_the_subject(chosen, pool)
            return sorted(chosen, key=lambda e: e.start)
        limit = min(3, policy.summary_sentences)
        floor = policy.min_summary_ratio * evidence[0].score
        chosen = []
        for item in evidence:
            if len(chosen) == limit or item.score < floor:
                break
            if not self._repeats(item, chosen):
                chosen.append(item)
        if analysis.asks_cause:
            chosen = self._with_a_cause(chosen, evidence, floor)
            chosen = self._with_what_follows(chosen, evidence)
        first_seen: dict[str, int] = {}
        for position, item in enumerate(chosen):
            first_seen.setdefault(item.passage.article_id, position)
        return sorted(chosen, key=lambda e: (first_seen[e.passage.article_id], e.start))

    def _with_a_cause(self, chosen: list[Evidence], evidence: Sequence[Evidence],
                      floor: float) -> list[Evidence]:
        """An explanation whose sentences only restate what is asked about ("Marsh posted a
        $676m loss ...", "now hopes to take full control") takes a sentence of the best one's
        story that states a cause or a means in place of its weakest: the one right after the
        best ("It blamed an $850m payout ..."), else the best-scored ("... easier to attract
        more investment by having a single majority owner"). The question's own words pull
        restating sentences up; the cause is told in others."""
        if not chosen or any(states_cause(c.text) for c in chosen):
            return chosen
        best = evidence[0]
        story = [e for e in evidence if e.passage.article_id == best.passage.article_id
                 and not self._repeats(e, chosen)]
        # News gives a cause right after what it explains ("Marsh posted a $676m loss ..." then
        # "It blamed an $850m payout ..."): the next sentence needs no score of its own.
        following = min((e for e in story if e.start >= best.end), key=lambda e: e.start,
                        default=None)
        cause = following if following is not None and states_cause(following.text) else next(
            (e for e in story if e.score >= floor and states_cause(e.text)), None)
        if cause is None:
            return chosen
        if len(chosen) >= min(3, self.policy.summary_sentences):
            chosen = chosen[:-1]
        return [*chosen, cause]

    def _with_what_follows(self, chosen: list[Evidence], evidence: Sequence[Evidence]
                           ) -> list[Evidence]:
        """The sentence right after the best one, when it opens by pointing back at it ("In
        April officials halted work on the river." then "That move reportedly followed a
        protest ..."): news tells why something happened in the sentence after it, which
        shares few of the question's words. It takes the weakest one's place."""
        best = evidence[0]
        following = min((e for e in evidence if e.passage.article_id == best.passage.article_id
                         and e.start >= best.end), key=lambda e: e.start, default=None)
        if following is None or not _POINTS_BACK.match(following.text) or any(
                c is following or self._repeats(following, [c]) for c in chosen):
            return chosen
        if len(chosen) >= min(3, self.policy.summary_sentences):
            chosen = chosen[:-1]
        return [*chosen, following]

    def with_the_name(self, analysis: QuestionAnalysis, chosen: Sequence[Evidence],
                      evidence: Sequence[Evidence]) -> list[Evidence]:
        """A "who" answer whose best sentence only describes the person ("A man is facing
        charges ...", "... from the US entrepreneur") brings the sentence of its article
        that names them: the one just before ("... from US tycoon Malcolm Glazer." then "the
        US entrepreneur") or one of the next ("A man ..." then "The Californian man, Nicholas
        Lee Jacobsen, ..."), the nearest first; the two are shown in the article's order."""
        chosen = list(chosen)
        if (analysis.kind != "factoid" or not chosen
                or not (analysis.expects == "name" or _ASKS_FOR_NAME.search(analysis.cased))):
            return chosen
        asked = _asked_words(analysis)
        first = chosen[0]
        if _new_names(first.text, asked):
            return chosen
        article = sorted((e for e in evidence if e.passage.article_id ==
                          first.passage.article_id), key=lambda e: e.start)
        earlier = [e for e in article if e.end <= first.start][-1:]
        later = [e for e in article if e.start > first.start][:self.policy.name_lookahead]
        # Nearest first: the sentence just before, the one just after, then further after.
        for item in [*later[:1], *earlier, *later[1:]]:
            if _new_names(item.text, asked) and not self._repeats(item, chosen):
                rest = [c for c in chosen[1:] if c is not item]
                pair = sorted([first, item], key=lambda e: e.start)
                return pair + rest[:max(0, self.policy.max_factoid_sentences - 2)]
        return chosen

    def with_a_shared_name(self, analysis: QuestionAnalysis, chosen: Sequence[Evidence],
                           evidence: Sequence[Evidence]) -> tuple[list[Evidence], str | None]:
        """A "who" answer whose sentences name no one ("He was the richest person in the
        world under 30 ...", a quote of him) and so no lead: the first of the closest
        sentences naming someone whom `name_asked_for` then puts first (a name the closest
        sentences of at least two articles share, "Sam Bankman-Fried") joins the answer, so
        the name is cited where it is said. Unchanged when a chosen sentence names anyone new."""
        chosen = list(chosen)
        if analysis.kind != "factoid" or not chosen or not (
                analysis.expects == "name" or _ASKS_FOR_NAME.search(analysis.cased)):
            return chosen, None
        asked = _asked_words(analysis)
        if any(_new_names(c.text, asked) for c in chosen):
            return chosen, self.name_asked_for(analysis, chosen, evidence)
        for item in evidence[:self.policy.name_sentences]:
            if any(item is c for c in chosen) or not _new_names(item.text, asked):
                continue
            lead = self.name_asked_for(analysis, [*chosen, item], evidence)
            if lead is not None and lead.split()[-1] in item.text:
                return [*chosen, item][:max(2, self.policy.max_factoid_sentences)], lead
        return chosen, None

    def _naming_the_subject(self, chosen: list[Evidence], pool: Sequence[Evidence]
                            ) -> list[Evidence]:
        """A summary names whom the story is about: the name its sentences use most (at least
        `subject_mentions` of them, "Viktor Makarov" then "Mr Makarov"). When the chosen
        sentences only describe them ("An ex-Russian intelligence officer ..."), the first
        sentence naming them takes the place of the lowest-scored one after the opening."""
        people = people_named([item.text for item in pool])
        counts: dict[str, int] = {}
        for item in pool:
            for word in _names_in(item.text) & people:
                counts[word] = counts.get(word, 0) + 1
        if not counts:
            return chosen
        subject = max(counts, key=lambda w: counts[w])
        if counts[subject] < self.policy.subject_mentions or any(
                subject in _names_in(c.text) for c in chosen):
            return chosen
        naming = min((e for e in pool if subject in _names_in(e.text)
                      and not self._repeats(e, chosen)), key=lambda e: e.start, default=None)
        if naming is None:
            return chosen
        if len(chosen) >= self.policy.summary_sentences:
            opening = min(chosen, key=lambda e: e.start)
            weakest = min((c for c in chosen if c is not opening), key=lambda e: e.score,
                          default=None)
            chosen = [c for c in chosen if c is not weakest]
        return [*chosen, naming]

    def _repeats(self, item: Evidence, chosen: Sequence[Evidence]) -> bool:
        return any(item.text == c.text or (item.passage.article_id, item.start) == (
            c.passage.article_id, c.start) or float(item.vector @ c.vector)
            >= self.policy.duplicate_similarity for c in chosen)

    # --- answers ---------------------------------------------------------------------------

    def extractive(self, analysis: QuestionAnalysis, evidence: Sequence[Evidence]
                   ) -> tuple[str, list[Citation]]:
        """The evidence sentences an answer of this kind rests on, each cited."""
        chosen = self.several(analysis, evidence) if analysis.wants_several \
            else self.answer_evidence(evidence)
        lead = self.name_asked_for(analysis, chosen, evidence)
        return self.cited(chosen, lead=lead)

    def verdict(self, label: str, deciding: Sequence[Evidence]) -> tuple[str, list[Citation]]:
        """"Yes." / "No." / "After." then the sentences that decide it."""
        return self.cited(deciding, lead=label)

    def cited(self, chosen: Sequence[Evidence], lead: str | None = None
              ) -> tuple[str, list[Citation]]:
        citations = [citation_for(n, item) for n, item in enumerate(chosen, start=1)]
        parts = [with_marker(item.text, [n]) for n, item in enumerate(chosen, start=1)]
        if lead:
            # The verdict or name comes first, plain; the cited sentences after it carry it.
            parts.insert(0, _sentence_case(lead) + ".")
        return " ".join(parts), citations

    def checked(self, sentences: Sequence[CheckedSentence], evidence: Sequence[Evidence]
                ) -> tuple[str, list[Citation]]:
        """Renumber the supporting evidence in order of first use and mark each sentence."""
        number_of: dict[int, int] = {}
        parts = []
        for sentence in sentences:
            numbers = []
            for row in sentence.supports:
                if row not in number_of:
                    number_of[row] = len(number_of) + 1
                numbers.append(number_of[row])
            parts.append(with_marker(sentence.text, numbers))
        citations = [citation_for(n, evidence[row]) for row, n in number_of.items()]
        return " ".join(parts), citations

    # --- the word a "what is it called" question asks for ------------------------------------

    def term_asked_for(self, analysis: QuestionAnalysis, chosen: Sequence[Evidence],
                       evidence: Sequence[Evidence]) -> tuple[str, Evidence] | None:
        """For "what is the new party called" / "what word did they pick": a quoted word or
        name the question does not use, from a chosen sentence, else from the headline of a
        chosen sentence's story ("Kilroy launches 'Veritas' party"), with the sentence of the
        evidence that writes it (to cite)."""
        if analysis.expects != "term" or not chosen:
            return None
        asked = _asked_words(analysis)

        # A name is written with a capital ("Veritas"); a word asked for may not be ("blog").
        a_word = re.search(r"\bwords?\b", analysis.cased, re.I) is not None

        def quoted(text: str) -> list[str]:
            return [q for q in _QUOTED.findall(text)
                    if len(q.split()) <= 4 and not set(_name_words(q)) - _FUNCTION_WORDS <= asked
                    and (a_word or q[:1].isupper())]

        for item in chosen:
            for term in quoted(item.text):
                return term, item
        for item in chosen:
            for term in quoted(item.passage.title or ""):
                writes = re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])")
                holder = next((e for e in [*chosen, *evidence] if writes.search(e.text)), None)
                if holder is not None:
                    return term, holder
        return None

    # --- the name a "who" question asks for -------------------------------------------------

    def name_asked_for(self, analysis: QuestionAnalysis, chosen: Sequence[Evidence],
                       evidence: Sequence[Evidence] = ()) -> str | None:
        """For "who ..." / "which company ...": the name that the best evidence sentences of
        at least two articles share and the question does not already use, said in a chosen
        (cited) sentence, in its fullest form in the passages.

        A question that describes someone across several reports is answered by whom those
        reports have in common; a short form ("Bankman-Fried") counts for its full one."""
        if analysis.kind != "factoid" or not (analysis.expects == "name"
                                              or _ASKS_FOR_NAME.search(analysis.cased)):
            return None  # (a "who" asked after a statement: "... Who is he?")
        asked = _asked_words(analysis)
        pool = [*chosen, *[e for e in evidence[:self.policy.name_sentences]
                           if all(e is not c for c in chosen)]]
        articles: dict[str, set[str]] = {}
        order: dict[str, int] = {}
        cited: set[str] = set()
        for position, item in enumerate(pool):
            for name in _names(item.text):
                words = {w.lower() for w in re.findall(r"[\w'’-]+", name)}
                if words & asked or words <= CALENDAR_WORDS:
                    continue  # ("Friday" is when, not who)
                # One story filed twice (the same title from the same outlet) is one report.
                articles.setdefault(name, set()).add(
                    f"{item.passage.source}|{item.passage.title}" if item.passage.title
                    else item.passage.article_id)
                order.setdefault(name, position)
                if position < len(chosen):
                    cited.add(name)
        # A short form counts where a longer one ending with it is used ("Bankman-Fried" in
        # "Sam Bankman-Fried"), so every way a report writes the name adds up.
        for name in list(articles):
            for longer in articles:
                if longer != name and longer.endswith(" " + name):
                    articles[name] |= articles[longer]
        candidates = [n for n in articles if n in cited or any(
            n.endswith(" " + c) or c.endswith(" " + n) for c in cited)]
        if not candidates:
            return None
        person = re.match(r"^(?:and\s+)?(?:who|whom)\b|.*\bwhich (?:individual|person)\b",
                          analysis.cased, re.I) is not None or (
            analysis.expects == "name" and analysis.wh in ("who", "whom"))
        if person:
            # "who": an event, a body or a place loses to any other name ("Australian
            # Hardcourt Championships", "London Assembly").
            candidates = [n for n in candidates
                          if _name_words(n)[-1] not in _NOT_PERSON_ENDINGS
                          and _name_words(n)[0] not in _BODY_HEADS] or candidates
        elif _WHICH_PERSON.search(analysis.cased):
            # "Which Newcastle player did he bring down?": a person the stories name, not
            # the club ("Chelsea") their sentences share; none, no name is put first.
            people = people_named([item.passage.text for item in pool])
            candidates = [n for n in candidates if n.split()[-1] in people]
            if not candidates:
                return None
        elif _ASKS_FOR_BODY.search(analysis.cased):
            # "which team won": a person the stories name is no answer ("Janet Jackson").
            people = people_named([item.passage.text for item in pool])
            candidates = [n for n in candidates if n.split()[-1] not in people
                          and not NATIONALITY.fullmatch(n)]
            if not candidates:
                return None
        if not re.search(r"\b(?:which|what)\s+(?:[\w-]+\s+)?(?:country|countries|nation|state)\b",
                         analysis.cased, re.I):
            # "UK" or "US" alone is a country said in passing ("UK shoppers"), no answer to
            # "which school" (as in _new_names)
            candidates = [n for n in candidates if not (n.isupper() and len(n) <= 2)]
            if not candidates:
                return None
        near = _nearness(candidates, chosen, analysis)
        best = max(candidates, key=lambda n: (not (person and n.isupper()), len(articles[n]),
                                              near[n], -order[n], len(n)))
        # One article naming it is no answer by itself (its sentence is): a name is put first
        # only when two articles share it.
        if len(articles[best]) < 2:
            return None
        texts = {item.passage.text: None for item in [*chosen, *evidence]}
        # A headline often gives the full name the story's sentences shorten ("The FTX trial
        # is bigger than Sam Bankman-Fried"); one in title case names nothing reliably.
        texts.update({_headline_names(item.passage.title): None for item in [*chosen, *evidence]
                      if item.passage.title})
        return _fullest(best, list(texts))


# "Which Newcastle player ...", "which Labour minister ...": a person asked for by their role
_WHICH_PERSON = re.compile(
    r"\bwhich\s+(?:[\w'’-]+\s+){0,2}?(?:" + "|".join(sorted(PERSON_NOUNS | {
        "footballer", "striker", "goalkeeper", "defender", "midfielder", "teacher", "star",
        "mp", "senator", "candidate", "presenter", "comedian", "novelist", "artist",
        "rapper", "musician", "chef", "designer"})) + r")s?\b", re.I)


def _nearness(candidates: Sequence[str], chosen: Sequence[Evidence],
              analysis: QuestionAnalysis) -> dict[str, float]:
    """How close each name stands to the words the question asks with, its names aside, in
    the cited sentences ("Damien Hockney who is now Veritas' deputy leader" for "who is the
    deputy leader"): the answer is written next to them, a name said in passing ("London
    Assembly") is not."""
    named = {w for name in analysis.names for w in _name_words(name)}
    wanted = {w for w in _name_words(analysis.cased) if len(w) > 3} - _QUESTION_WORDS - named
    near = {name: 0.0 for name in candidates}
    for item in chosen:
        words = _name_words(item.text)
        spots = [i for i, w in enumerate(words) if w in wanted]
        if not spots:
            continue
        for name in candidates:
            first = _name_words(name)
            at = [i for i in range(len(words)) if words[i:i + len(first)] == first]
            if at:
                gap = min(abs(i - j) for i in at for j in spots)
                near[name] = max(near[name], 1.0 / (1 + gap))
    return near


_NOT_PERSON_ENDINGS = frozenset("""championship championships cup open league assembly party
council committee commission association union club stadium tower towers award awards prize
festival games ministry court office house street bank group company corporation inc ltd plc
university school college hospital airport station bridge museum theatre theater parliament
senate congress agency department service services network channel trophy tournament series
""".split())
# The question's own words (query.py's list) and the pronouns and determiners around them.
_QUESTION_WORDS = frozenset(QUESTION_WORDS) | frozenset(
    "about that this there their they them into".split())


def _name_words(text: str) -> list[str]:
    """Lower-cased words, possessives cut ("T-Mobile's" -> "t-mobile")."""
    return [re.sub(r"['’]s$", "", w.lower()) for w in re.findall(r"[\w'’-]+", text)]


def _asked_words(analysis: QuestionAnalysis) -> set[str]:
    """The question's words that could be part of a name it uses. Its "the", "of" are not:
    counted, they made "John Guy's The Life of Mary Queen of Scots" a name the question
    "List the Whitbread category winners" already used."""
    asked = {w for name in analysis.names for w in _name_words(name)}
    asked |= set(_name_words(analysis.cased))
    if analysis.lower_case:
        # typed without apostrophes, a possessive uses the name: "englands first children's
        # commissioner" is no answer "England"
        asked |= {w[:-1] for w in asked if len(w) > 3 and w.endswith("s")
                  and not w.endswith("ss")}
    return asked - _FUNCTION_WORDS


# "A, B and C", "A, B, or C": items joined by commas and a last "and"/"or", each of at
# most six words (a clause between commas is no item).
_ITEM = r"[^,;:.!?\"“”]{1,60}?"
_ENUMERATION = re.compile(rf"(?:{_ITEM},\s+)+{_ITEM},?\s+(?:and|or)\s+{_ITEM}(?=[,.;:!?\"”]|$)")


def enumerated(text: str) -> int:
    """How many items the longest enumeration of a sentence lists (0 when it lists none)."""
    best = 0
    for match in _ENUMERATION.finditer(text):
        items = re.split(r",\s+(?:and\s+|or\s+)?|\s+(?:and|or)\s+(?!.*\s(?:and|or)\s)",
                         match.group(0))
        if all(1 <= len(item.split()) <= 6 for item in items[1:]):
            best = max(best, len(items))
    return best


def _new_names(text: str, asked: set[str]) -> list[str]:
    """Names in the sentence that the question does not use; "US" or "UK" alone is a place
    said in passing, not the name a "who" question wants."""
    found = []
    for name in _names(text):
        words = _name_words(name)
        rest = list(words)
        while rest and rest[0] in asked:
            rest.pop(0)  # a role the question names before a full name: "MSP Karen Whitefield"
        if len(rest) >= 2 and len(rest) < len(words) and not set(rest) & asked:
            found.append(" ".join(name.split()[len(words) - len(rest):]))
            continue
        if set(words) & asked or all(w in CALENDAR_WORDS for w in words):
            continue
        if len(words) == 1 and name.isupper() and len(name) <= 2:
            continue
        if len(words) == 1 and re.match(rf"[\"“‘']?{re.escape(name)}\b", text):
            continue  # "No formal offer ...", "Reports have put ...": a capital, not a name
        found.append(name)
    return found


def names_someone_new(text: str, analysis: QuestionAnalysis) -> bool:
    """Whether a sentence gives a full name ("Laurent Beaudoin") the question does not use:
    what a "who" follow-up asks for, where a capital alone ("January", "Mr Tellier's") is
    not."""
    return any(len(_name_words(name)) > 1 and not NATIONALITY.fullmatch(name)
               for name in _new_names(text, _asked_words(analysis)))


def asks_for_body(analysis: QuestionAnalysis) -> str:
    """"Which team / company / country ...": the kind of body or place the answer names;
    empty when the question asks for none, or offers its options ("Which firm sold more,
    Tellar or Mobix?": the answer is one of the names it gives)."""
    if analysis.options:
        return ""
    match = _ASKS_FOR_BODY.search(analysis.cased)
    return match.group(1).lower() if match else ""


def bodies_named(texts: Sequence[str], analysis: QuestionAnalysis,
                 story: Sequence[str], passages: Sequence[str] = ()) -> list[str]:
    """The names in `texts` that could answer a "which team / company" question: new to the
    question, and neither a person the `story` texts name ("Janet Jackson") nor a
    nationality ("American football"). `passages`: more of what was retrieved, to tell a
    name that opens a sentence by its capital elsewhere."""
    asked = _asked_words(analysis)
    people = people_named(story)
    names = [name for text in texts for name in _new_names(text, asked)]
    # A sentence's first word is a name when the story writes it with a capital elsewhere
    # too ("China overtook the US ...", "... trade with China").
    inner = set()
    for text in [*story, *passages]:
        for match in re.finditer(r"[A-Z][\w'’-]+", text):
            before = text[:match.start()].rstrip()
            if before and before[-1] not in ".!?\"“‘':":
                inner.add(match.group(0))
    for text in texts:
        first = _NAME_RUN.match(text.lstrip("\"“‘'"))
        words = first.group(0).split() if first else []
        while words and words[0].lower() in _TITLES:
            words = words[1:]
        if words and words[0] in inner and not {w.lower() for w in words} & asked:
            names.append(" ".join(words))
    return [name for name in names
            if name.split()[-1] not in people and not NATIONALITY.fullmatch(name)]


_TITLES = frozenset("sir lord lady dame mr mrs ms dr president prime minister".split())
# A sentence opening with a demonstrative tells of what the one before it said ("That move
# ...", "This came after ...").
_POINTS_BACK = re.compile(r"[\"“‘']?(?:That|This|These|Those)\s")


# Heads of a body's or office's name that "for" continues: "Department for Education and
# Skills" is one name, not the name "Education and Skills".
_FOR_HEADS = frozenset("department ministry minister secretary office commissioner institute "
                       "centre center council campaign committee commission society".split())
# Of those, the ones that head a body's name, not a person's title ("Minister for Sport ...").
_BODY_HEADS = _FOR_HEADS - {"minister", "secretary", "commissioner"}


def _runs(text: str) -> list[str]:
    """The name runs of a text, a run after "<head> for" joined to it."""
    runs: list[tuple[int, int]] = []
    for match in _NAME_RUN.finditer(text):
        if runs and re.fullmatch(r"\s+for\s+", text[runs[-1][1]:match.start()]) and \
                text[:runs[-1][1]].split()[-1].lower() in _FOR_HEADS:
            runs[-1] = (runs[-1][0], match.end())
        else:
            runs.append((match.start(), match.end()))
    return [text[start:end] for start, end in runs]


def _names(text: str) -> list[str]:
    """Capitalised runs of a sentence, not counting its first word unless the run goes on."""
    found = []
    for run in _runs(text):
        words = run.split()
        # ("There's" is "there is": no name)
        while words and re.sub(r"['’]s$", "", words[0].lower()) in _NOT_NAMES:
            words = words[1:]
        if not words:
            continue
        name = " ".join(words).rstrip(".,;:'’")
        name = re.sub(r"['’]s$", "", name)
        # "Janet Jackson-style", "London-based": the name is what comes before the suffix.
        name = re.sub(r"-[a-z]+$", "", name)
        if len(name) >= 2 and not name.isdigit():
            found.append(name)
    return found


def _headline_names(title: str) -> str:
    """A headline's names, each on its own ("Is Sam Bankman-Fried a bad 'man'?" -> "Sam
    Bankman-Fried"); nothing from a headline in title case, where every word has a capital."""
    words = title.split()
    if sum(w[:1].isupper() for w in words) > 0.6 * len(words):
        return ""
    runs = []
    for run in _NAME_RUN.findall(title):
        parts = run.split()
        while parts and parts[0].lower() in _HEADLINE_OPENERS:
            parts = parts[1:]
        if parts:
            runs.append(" ".join(parts))
    return " ; ".join(runs)


_HEADLINE_OPENERS = frozenset("is was are were why how what who when where did does do can will "
                              "the a an in on at as after before".split())


def people_named(texts: Sequence[str]) -> set[str]:
    """Surnames of the people the texts name: a full name ("Viktor Makarov") whose last word
    they also use alone or after a title ("Mr Makarov", "Jackson exposed ..."); a place
    ("Britain") or a body ("London Assembly") is not one."""
    full = {name.split()[-1] for text in _sentences(texts) for name in _names(text)
            if len(name.split()) > 1 and name.split()[-1].lower() not in _NOT_PERSON_ENDINGS}
    alone: set[str] = set()
    for text in texts:
        alone |= {m.group(1) for m in re.finditer(
            r"\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Lady|Lord)\.?\s+([A-Z][\w'’-]+)", text)}
        alone |= {name for name in _names(text) if " " not in name and _used_alone(name, text)}
    return full & alone


def _used_alone(name: str, text: str) -> bool:
    """`name` stands by itself somewhere in the text, not inside a longer name and not after
    "the" ("with the Cubs", "for the US": a team or a country, not a surname)."""
    for match in re.finditer(rf"\b{re.escape(name)}\b", text):
        before = text[:match.start()].split()
        after = text[match.end():].split()
        previous = before[-1] if before else ""
        if previous.lower() == "the" or previous[:1].isupper() and not previous.endswith(
                (".", ",", ":", ";")) or after and after[0][:1].isupper():
            continue
        return True
    return False


def _names_in(text: str) -> set[str]:
    """The last words of a sentence's names ("Makarov" for "Viktor Makarov", "Mr Makarov")."""
    return {name.split()[-1] for name in _names(text)}


def _sentences(texts: Sequence[str]) -> list[str]:
    """The texts cut where a sentence ends, so no name runs over one ("... on Wednesday.
    China overtook ...", "... the GameBoy Advance SP. Nintendo is ...")."""
    return [part for text in texts for part in re.split(r"(?<=\w\w[.!?])\s+|\n+", text)]


def _fullest(name: str, texts: Sequence[str]) -> str:
    """"Bankman-Fried" -> "Sam Bankman-Fried" when the passages write it in full: the fuller
    form they use most often (not the longest: "CEO Sam Bankman-Fried" is said once)."""
    seen: dict[str, int] = {}
    for text in _sentences(texts):
        for match in _NAME_RUN.finditer(text):
            run = match.group(0).rstrip(".,;:'’")
            run = re.sub(r"['’]s$", "", run)
            words = run.split()
            if run == name or not run.endswith(" " + name) or len(words) > 4:
                continue
            # "Monday. Okonkwo-Reyes" runs over a sentence's end; "J. Smith" does not.
            if any(w.endswith(".") and len(w) > 3 for w in words[:-1]):
                continue
            if words[0].lower() not in _NOT_NAMES:
                seen[run] = seen.get(run, 0) + 1
    if not seen:
        return name
    return max(seen, key=lambda run: (seen[run], -len(run)))


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]
