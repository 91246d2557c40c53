"""Multi-turn conversations: a follow-up is read in the light of the turns before it.

What a conversation carries is bounded: the names and the telling words of the last few turns
(FollowUpPolicy), never the whole chain of earlier questions. "he" / "she" is replaced by the
person last named; a question that names its own subject is a fresh question, even when it
starts with "Why" or says "his".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from index import lexical_tokens

from .compose import people_named
from .query import QUESTION_WORDS, question_names
from .types import Answer, AnswerStream

if TYPE_CHECKING:
    from .assistant import Assistant

_CONTINUATION = re.compile(r"^(?:and|but|also|so|then|plus|what about|how about|and what|"
                           r"what else|anything else|tell me more|more on)\b", re.I)
_PERSON_PRONOUN = re.compile(r"\b(he|she|him|her|his|hers)\b", re.I)
_GROUP_PRONOUN = re.compile(r"\b(they|them|their|theirs)\b", re.I)
_POINTER = re.compile(r"\b(it|its|this|that|these|those|there|the same|the deal|the plan|"
                      r"the company|the report|the decision|the move)\b", re.I)
_SHORT = 4  # a question of at most this many words ("Why?", "How much?") leans on the last
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")
_SPEECH = r"(?:say|said|says|ask|asked|asks|tell|told|think|thought|want|wanted|mean|meant|" \
          r"claim|claimed|announce|announced|warn|warned|propose|proposed|argue|argued)"
_TITLES = r"(?:Mr|Mrs|Ms|Dr|Sir|President|Premier|Prime Minister|Chancellor|Minister|" \
          r"Secretary|chief executive|Chairman|chairman|boss|coach|manager|captain|King|Queen|" \
          r"Pope|Senator|Governor|Mayor|spokesman|spokeswoman|leader)"


@dataclass(frozen=True)
class FollowUp:
    """How a follow-up is read: the question with its pronouns resolved, and the topic
    carried from the conversation for searching."""

    resolved: str
    topic: str  # names and telling words, for searching
    names: str = ""  # the names alone, for scoring evidence
    said: tuple[tuple[str, int], ...] = ()  # (article id, start) of the last answer's quotes
    person: str | None = None  # whom its "he"/"she" was read as


def names_own_subject(question: str) -> bool:
    """The question names someone or something of its own (a capitalised name)."""
    return bool(question_names(question))


def is_follow_up(question: str) -> bool:
    """A question that leans on the conversation: it starts like a continuation; or it speaks
    of someone as "he" / "they" before naming anyone it could mean ("What did he say about
    Taiwan?", but not "Why did Tony Blair change his mind?"); or it points back ("that", "it")
    and names nothing of its own; or it is too short to stand alone ("Why?")."""
    text = question.strip()
    if _CONTINUATION.search(text):
        return True
    pronoun = _PERSON_PRONOUN.search(text) or _GROUP_PRONOUN.search(text)
    if pronoun:
        names = [m.start() for m in _NAME.finditer(text) if question_names(m.group(0))]
        return not any(start < pronoun.start() for start in names)
    if names_own_subject(text):
        return False
    if _POINTER.search(text):
        return True
    return len(re.findall(r"[\w'’-]+", text)) <= _SHORT


def people_in(text: str) -> list[str]:
    """Names used as people: the subject of a speech verb ("what did Xi say", "Xi said") or
    after a title ("Premier Li Qiang"), in order of appearance."""
    name = r"([A-Z][\w'’-]+(?:\s+(?:von\s+der\s+|de\s+|van\s+)?[A-Z][\w'’-]+)*)"
    found: list[tuple[int, str]] = []
    for pattern in (rf"\b(?:did|does|do|will|would|has|had|could)\s+{name}\s+{_SPEECH}\b",
                    rf"{name}\s+(?:also\s+)?{_SPEECH}\b",
                    rf"\b{_TITLES}\s+{name}"):
        for match in re.finditer(pattern, text):
            candidate = match.group(1)
            words = candidate.split()
            while words and words[0].lower() in QUESTION_WORDS:
                words = words[1:]
            if words:
                found.append((match.start(1), " ".join(words)))
    return [n for _, n in sorted(found)]


@dataclass
class Turn:
    question: str
    answer: Answer
    asked: str = ""  # the question with its pronouns resolved (a follow-up's own reading)
    person: str | None = None  # whom its "he"/"she" meant, when it had one


@dataclass
class Chat:
    """A conversation with the assistant; `ask` and `stream` remember earlier turns."""

    assistant: Assistant
    turns: list[Turn] = field(default_factory=list)

    def context_for(self, question: str) -> FollowUp | None:
        """How a follow-up is read, or None for a fresh question."""
        if not self.turns:
            return None
        policy = self.assistant.policy.follow_up
        recent = self.turns[-policy.turns:]
        if not is_follow_up(question) and _resolve_demonstratives(question, recent) == question:
            return None
        person = self._last_person(recent)
        if person and _other_sex(question, person, recent):
            # "And who is she married to?" -> "... husband ... Nomar Garciaparra"; then "Which
            # team does he play for?": not her, whom the thread calls "she".
            person = _someone_else(person, recent[-1]) or person
        question = _quantity_ellipsis(question, recent[-1], self.assistant)
        resolved = _resolve_years(_resolve_titles(_resolve_pronouns(question, person), recent),
                                  recent)
        resolved = _resolve_it(_resolve_demonstratives(resolved, recent), recent, person)
        names: list[str] = []
        for turn in reversed(recent):
            for name in question_names(_asked(turn)):
                if name not in names and name.lower() not in resolved.lower():
                    names.append(name)
        own = question_names(resolved)
        # "What was he referring to?", "What does that mean?": nothing of its own to ask
        # about but what the last answer said, so its words are the topic, and they score the
        # evidence (with the last answer's own sentences put last, something new comes first).
        about_answer = not _own_content(question)
        source = " ".join(c.quote for c in recent[-1].answer.citations) if about_answer \
            else _asked(recent[-1])
        if about_answer:
            # "he" stays unnamed: the name would score the sentence that named him first above
            # the one the last answer pointed to.
            resolved = _resolve_years(question, recent)
        words = _telling_words(source, self.assistant, policy.topic_words,
                               exclude=" ".join([resolved] + names))
        topic = " ".join(names + words)
        # The carried names help score the evidence only when the follow-up names no one of
        # its own ("and what about the deficit?"); "and what did Xi say?" is about Xi.
        said = tuple((c.article_id, c.span[0]) for c in recent[-1].answer.citations)
        meant = person if _PERSON_PRONOUN.search(question) else None
        # A follow-up whose only name is the person its pronoun stood for ("How much is she
        # trying to get back?") asks within the earlier question's topic: its words score too.
        pronoun_only = own and not question_names(question) and bool(meant)
        scoring = " ".join(words) if about_answer or pronoun_only \
            else "" if own else " ".join(names)
        return FollowUp(resolved=resolved, topic=topic, names=scoring, said=said, person=meant)

    def _last_person(self, turns: Sequence[Turn]) -> str | None:
        """The person most recently named: in the last turn's question first (the person its
        own "he" meant counts: the user's thread, not a name in a quote), then its answer's
        quotes, then earlier turns."""
        for turn in reversed(turns):
            people = people_in(_asked(turn))
            if people:
                return people[-1]
            if turn.person:
                return turn.person
            # "Who has made a new offer?" -> "Malcolm Glazer. ...": the name it answered with
            # ("The novel Airport - who wrote it?": a topic first, then who)
            asked_who = re.search(r"(?:^\s*|\s[-–—]\s+|[,:;]\s+)(?:and\s+)?who\b", _asked(turn),
                                  re.I)
            lead = _WHO_ANSWER.match(turn.answer.text)
            if lead and asked_who:
                return lead.group(1)
            if asked_who:
                # "The person who made a new offer for Manchester United is Malcolm Glazer [1].":
                # the full name of the answer's first sentence that the question did not use
                first = re.split(r"(?<=[.!?])\s", turn.answer.text, maxsplit=1)[0]
                # "Jay-Z, who said he would ..., will become the company's president": the
                # name the sentence opens with, before a comma or its verb, is its subject
                opening = _OPENING_NAME.match(first)
                if opening and opening.group(1).split()[0].lower() not in _NOT_OPENING and \
                        opening.group(1).lower() not in _asked(turn).lower():
                    return opening.group(1)
                new = [name for name in _NAME.findall(first) if len(name.split()) > 1
                       and name.lower() not in _asked(turn).lower()]
                if new:
                    return new[0]
                # "Airport (1968) remains Hailey's best-loved work", from a story headed
                # "Arthur Hailey: King of the bestsellers": a surname the answer gives alone,
                # in the full form its story's headline writes
                titles = " ".join(c.title for c in turn.answer.citations[:1])
                for name in _NAME.findall(first):
                    surname = re.sub(r"['’]s?$", "", name)
                    full = re.search(rf"\b[A-Z][a-z]+ {re.escape(surname)}\b", titles)
                    if " " not in surname and full and surname.lower() not in \
                            _asked(turn).lower():
                        return full.group(0)
            for citation in turn.answer.citations:
                quoted = people_in(citation.quote)
                if quoted:
                    return quoted[0]
            # "Paul Tellier, who was also Bombardier's president, left ...": a full name whose
            # surname its story also uses alone or after a title ("Mr Tellier") is a person;
            # failing one, such a surname the quote gives alone ("Scoggins came out of
            # retirement"), in the full form its story writes.
            texts = [p.text for p in turn.answer.passages]
            surnames = people_named(texts)
            quoted = [re.sub(r"['’]s?$", "", name).split() for citation in turn.answer.citations
                      for name in _NAME.findall(citation.quote)]  # ("Hailey's best-loved work")
            for words in quoted:
                if len(words) > 1 and words[-1] in surnames:
                    return " ".join(words)
            for words in quoted:
                if len(words) == 1 and words[0] in surnames:
                    full = re.search(rf"\b[A-Z][a-z]+ {re.escape(words[0])}\b", " ".join(texts))
                    return full.group(0) if full else words[0]
        return None

    def ask(self, question: str, **options) -> Answer:
        stream = self.stream(question, **options)
        for _ in stream:
            pass
        assert stream.answer is not None
        return stream.answer

    def stream(self, question: str, **options) -> AnswerStream:
        context = self.context_for(question)
        inner = self.assistant.stream(question, context=context, **options)

        def pieces(outer: AnswerStream):
            yield from inner
            outer.answer = inner.answer
            if inner.answer is not None:
                asked = context.resolved if context else question
                self.turns.append(Turn(question, inner.answer, asked,
                                       context.person if context else None))

        return AnswerStream(pieces)

    def clear(self) -> None:
        self.turns.clear()

    @property
    def history(self) -> Sequence[Turn]:
        return tuple(self.turns)


# Verbs a question about what was said uses without adding a subject of its own.
_REFERRING = frozenset("""refer referring referred mean meant means talk talking talked say
    said saying speak speaking spoke point pointing pointed""".split())


def _own_content(question: str) -> bool:
    """Whether a follow-up, as the user typed it, asks about something of its own: a word
    that is not a question word, a pronoun or a verb of saying or meaning ("What was he
    referring to?" has none; "And what was it the year before?" has "year")."""
    words = [w.lower() for w in re.findall(r"[A-Za-z0-9][\w'’-]*", question)]
    return any(w not in QUESTION_WORDS and w not in _REFERRING
               and not _PERSON_PRONOUN.fullmatch(w) and not _GROUP_PRONOUN.fullmatch(w)
               and not _POINTER.fullmatch(w) for w in words)


_OPENING_NAME = re.compile(r"([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})(?:,|\s+(?:said|says|is|was|"
                           r"will|has|had|who|would))\s")
_NOT_OPENING = frozenset("the a an in on at this that it he she they we i there but and as "
                         "after before when while if".split())
_WHO_ANSWER = re.compile(r"([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})\.\s")


_MALE = frozenset({"he", "him", "his"})
_FEMALE = frozenset({"she", "her", "hers"})


def _sex_of(text: str) -> frozenset[str] | None:
    """The set of pronouns ("he" or "she") the text uses for a person, or None."""
    words = {m.group(0).lower() for m in _PERSON_PRONOUN.finditer(text)}
    if words & _MALE and not words & _FEMALE:
        return _MALE
    if words & _FEMALE and not words & _MALE:
        return _FEMALE
    return None


def _other_sex(question: str, person: str, turns: Sequence[Turn]) -> bool:
    """The thread called `person` by the other pronoun than the question's ("she", then
    "he")."""
    asked = _sex_of(question)
    return asked is not None and any(
        turn.person == person and _sex_of(turn.question) not in (None, asked)
        for turn in turns)


_FUNCTION_WORDS = frozenset("the and for from with into onto over than that this when where "
                            "while after before under about against between".split())


def _someone_else(person: str, turn: Turn) -> str | None:
    """The first full name the turn's answer quotes as a person's that is not `person`: one
    a role goes before ("shortstop Nomar Garciaparra", "midfielder Graham Stuart") or that
    "who" or a speech verb follows ("Chicago Cubs" is neither)."""
    known = {w.lower() for w in person.split()}
    for citation in turn.answer.citations:
        quote = citation.quote
        for match in _NAME.finditer(quote):
            words = match.group(0).split()
            if len(words) < 2 or {w.lower() for w in words} & known or any(
                    w.lower() in QUESTION_WORDS for w in words):
                continue
            before = re.search(r"([a-z]+) $", quote[:match.start()])
            role = before is not None and len(before.group(1)) > 2 \
                and before.group(1) not in _FUNCTION_WORDS
            after = re.match(rf",? (?:who|{_SPEECH})\b", quote[match.end():])
            if role or after:
                return match.group(0)
    return None


# "And jobs?", "and serious injuries?": a thing named alone, no verb, after a question of how
# much or how many
_ELLIPSIS = re.compile(r"^(?:and|also|plus|what about|how about)\s+(?:the\s+)?"
                       r"((?:[a-z][\w'’-]*\s+){0,3}[a-z][\w'’-]*)\s*\??$", re.I)


def _quantity_ellipsis(question: str, last: Turn, assistant: Assistant) -> str:
    """After "How much did BMW say it would invest?", "And jobs?" asks how many jobs: the
    question the thing named alone stands for. Other questions are returned as they are."""
    match = _ELLIPSIS.match(question.strip())
    if not match or assistant.analyse(_asked(last)).expects not in ("figure", "money"):
        return question
    thing = match.group(1)
    if any(w.lower() in QUESTION_WORDS for w in thing.split()):
        return question  # "and when?", "and who else?": not a thing to count
    many = thing.lower().endswith("s") and not thing.lower().endswith("ss")
    return f"And how {'many' if many else 'much'} {thing}?"


def _asked(turn: Turn) -> str:
    """What a turn asked, with its own pronouns resolved (not the topic it carried)."""
    return turn.asked or turn.question


def _resolve_pronouns(question: str, person: str | None) -> str:
    if not person:
        return question

    def replace(match: re.Match[str]) -> str:
        word = match.group(0).lower()
        return f"{person}'s" if word in ("his", "hers") or (
            word == "her" and _possessive_her(question, match.end())) else person

    return _PERSON_PRONOUN.sub(replace, question)


_TITLE_REFERENCE = re.compile(r"\bthe\s+(premier|president|prime minister|chancellor|minister|"
                              r"secretary|chairman|chief executive|boss|coach|manager|captain|"
                              r"leader|spokesman|spokeswoman|judge|mayor|governor|senator)\b",
                              re.I)


def _resolve_titles(question: str, turns: Sequence[Turn]) -> str:
    """"the premier" -> "Premier Li Qiang" when the conversation named one ("Chinese Premier
    Li Qiang" in an earlier question or quote)."""
    def replace(match: re.Match[str]) -> str:
        title = match.group(1)
        name = r"([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)"
        for turn in reversed(turns):
            texts = [_asked(turn)] + [c.quote for c in turn.answer.citations]
            for text in texts:
                found = re.search(rf"\b(?i:{re.escape(title)})\s+{name}", text)
                if found:
                    return f"{title} {found.group(1)}"
        return match.group(0)

    return _TITLE_REFERENCE.sub(replace, question)


# "that school", "this festival", "the same firm": a thing the conversation named
_DEMONSTRATIVE = re.compile(r"\b(?:that|this|the same)\s+([a-z]{3,})\b(?!\s+(?:of|[A-Z]))", re.I)
_TIME_NOUNS = frozenset("time year years month week day season night morning evening "
                        "afternoon decade century era period stage point moment".split())
_NAME_PART = r"[A-Z][\w'’&.-]*"
_NAME_JOINT = r"(?:(?:of|for|the|and|on|de)\s+)*"


def _resolve_demonstratives(question: str, turns: Sequence[Turn]) -> str:
    """"How is Ray Charles connected with that school?" -> "... with the Florida School for
    the Deaf and the Blind?" when the last answer (or a question before) named a school: a
    name holding the noun, capitalised, with more words than the noun. A noun no name holds
    ("that year", "said that sales") stays."""
    def replace(match: re.Match[str]) -> str:
        noun = match.group(1).lower()
        if noun in _TIME_NOUNS:
            return match.group(0)  # "that year" is a time, not the "Player of the Year"
        pattern = re.compile(rf"(?:{_NAME_PART}\s+{_NAME_JOINT})*{noun.capitalize()}s?"
                             rf"(?:\s+{_NAME_JOINT}{_NAME_PART})*")
        for turn in reversed(turns):
            for text in [c.quote for c in turn.answer.citations] + [_asked(turn)]:
                for found in pattern.finditer(text):
                    name = re.sub(r"^(?:The|A|An)\s+", "", found.group(0))
                    if len(name.split()) > 1:
                        return f"the {name}"
        return match.group(0)

    return _DEMONSTRATIVE.sub(replace, question)


# "it" as the subject of a question ("how much had it lost") or "its" (its profits); not
# "for it to succeed", where "it" is more often the deal than the company.
_IT = re.compile(r"\b((?:did|does|do|had|has|have|was|is|will|would|could|can)\s+)it\b|"
                 r"\b(its)\b", re.I)
# "Who created it?", "and who owns it": a thing made, owned or run by whom is asked for
_WHO_DID_IT = re.compile(r"(\s*(?:and\s+)?who\s+(?:[a-z]+\s+){1,2})it\b(?!['’])", re.I)


def _resolve_it(question: str, turns: Sequence[Turn], person: str | None = None) -> str:
    """"How much had it lost?" -> "How much had Lufthansa lost?" when the last question named
    one thing and no person ("How did Lufthansa do in 2004?"), and this one names nothing.
    "Who created it?" -> "Who created Jeremiah?" also when the last question named more, and
    the last answer told of one of them ("Jeremiah is a virtual face ..."). The person the
    thread is about (`person`, whom "he" stood for) is no "it"."""
    made = _WHO_DID_IT.match(question)
    if not (_IT.search(question) or made) or question_names(question) or not turns:
        return question
    last = _asked(turns[-1])
    names = question_names(last)
    if len(names) > 1 and made:
        told = turns[-1].answer.text.lstrip("\"“‘' ")
        names = [n for n in names if told.startswith(re.sub(r"['’]s$", "", n))][:1]
    if len(names) != 1 or people_in(last) or person and names[0] == person:
        return question
    name = re.sub(r"['’]s$", "", names[0])
    if made:
        return f"{made.group(1)}{name}{question[made.end():]}"
    # "it" only where it is the one counting or earning ("how much had it lost"); "why did
    # it happen" is about an event
    counting = bool(re.match(r"\s*(?:and\s+)?how\s+(?:much|many)\b", question, re.I))

    def replace(match: re.Match[str]) -> str:
        if match.group(2):  # "its"
            return f"{name}'s"
        return match.group(1) + name if counting else match.group(0)

    return _IT.sub(replace, question)


_RELATIVE_YEAR = re.compile(r"\b(?:(?:in|during|for|over)\s+)?(?:(the|a)\s+)?(year before|year "
                            r"earlier|previous year|prior year|year after|year later|following "
                            r"year|same year)\b|\bthat year\b", re.I)
_YEAR_IN_TEXT = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def _resolve_years(question: str, turns: Sequence[Turn]) -> str:
    """"the year before" -> "in 2003" when the conversation last asked about 2004; "the
    following year" -> 2005; "that year" -> 2004. A year the question gives itself stays."""
    if _YEAR_IN_TEXT.search(question):
        return question
    year = next((int(found[-1]) for turn in reversed(turns)
                 if (found := _YEAR_IN_TEXT.findall(_asked(turn)))), None)
    if year is None:
        return question

    def replace(match: re.Match[str]) -> str:
        words = (match.group(2) or match.group(0)).lower()
        if any(w in words for w in ("before", "earlier", "previous", "prior")):
            return f"in {year - 1}"
        if any(w in words for w in ("after", "later", "following")):
            return f"in {year + 1}"
        return f"in {year}"

    return _RELATIVE_YEAR.sub(replace, question)


def _possessive_her(text: str, end: int) -> bool:
    """"her" followed by a noun is possessive ("her plan"); before a stop or a verb it is not."""
    rest = text[end:].lstrip()
    return bool(rest) and rest[0].isalpha() and not re.match(
        r"(?:to|about|that|and|or|in|on|at|for|with|from|by)\b", rest)


def _telling_words(text: str, assistant: Assistant, limit: int, exclude: str) -> list[str]:
    """The rarest words of the earlier question in this store: its topic."""
    if limit <= 0:
        return []
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]+", text)
             if w.lower() not in QUESTION_WORDS and w.lower() not in exclude.lower()]
    tokens = {w: lexical_tokens([w])[0] for w in words}
    wanted = sorted({t for ts in tokens.values() for t in ts})
    if not wanted:
        return []
    weights = assistant._term_weights(wanted)
    scored = sorted((max(weights.get(t, 0.0) for t in ts), w) for w, ts in tokens.items() if ts)
    chosen = [w for _, w in sorted(scored, reverse=True)[:limit]]
    return [w for w in words if w in chosen]
