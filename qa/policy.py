"""Every threshold and weight of answering, in one place.

Each stage of the pipeline (retrieve, select evidence, decide, compose, check) receives its own
frozen part of `AnswerPolicy`. Defaults live in the signatures below, each with a note on where
it comes from; `tests/qa/test_qa_policy.py` pins the whole default dictionary, so a changed
number is a visible, reviewed change. Settings a user is meant to touch (`top_k`,
`evidence_sentences`, `summary_sentences`) are mapped onto the policy by `policy_from_settings`.

"Calibrated" below means measured with bench/qa_bench.py on one half of the MultiHop-RAG dev
queries and confirmed on the other half and on bench/natural_questions.jsonl; "by design" means
the number follows from what the rule is for, not from a measurement.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


def _between(name: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, not {value}")


def _at_least(name: str, value: float, low: float) -> None:
    if value < low:
        raise ValueError(f"{name} must be at least {low}, not {value}")


@dataclass(frozen=True)
class RetrievalPolicy:
    """How passages are found (qa/retrieval.py)."""

    top_k: int = 8  # passages per question; by design: the evidence reads the top 6
    candidates: int = 50  # per search before fusion; calibrated (more adds noise, not hits)
    rrf_k: int = 60  # reciprocal rank fusion constant, the usual value
    dense_weight: float = 0.5  # calibrated: BM25 is the stronger retriever on news questions
    lexical_weight: float = 1.0
    part_weight: float = 1.0  # a per-outlet ranking, when the question names outlets
    unnamed_weight: float = 0.25  # whole-question rankings beside per-outlet ones; calibrated
    part_slots: int = 2  # each named outlet's best passages always kept; by design
    clause_slots: int = 1  # a question joining several facts: each clause's best passage kept
    # Dense ranking by CSLS (Conneau et al. 2018, "Word translation without parallel data"):
    # cosine less `hub_penalty` times a chunk's mean cosine to its `hub_neighbours` nearest
    # chunks. Both are the method's own values (2cos - r_q - r_d ranks as cos - r_d / 2, k=10),
    # not tuned here; hub_penalty 0 turns it off.
    hub_neighbours: int = 10
    hub_penalty: float = 0.5
    # The story a summary or list reads: its passages' reciprocal ranks summed, this added to
    # each rank. Calibrated on the natural sets (60, the fusion constant, let two passages far
    # down outweigh the first; 0 let the first outweigh the second and fourth; 1: +3 turns of
    # sets 1-8 against 60, none lost).
    story_rrf_k: int = 1

    def __post_init__(self) -> None:
        _at_least("top_k", self.top_k, 1)
        _at_least("candidates", self.candidates, self.top_k)
        _at_least("rrf_k", self.rrf_k, 1)
        for name in ("dense_weight", "lexical_weight", "part_weight", "unnamed_weight"):
            _between(name, getattr(self, name), 0.0, 10.0)
        _at_least("part_slots", self.part_slots, 0)
        _at_least("clause_slots", self.clause_slots, 0)
        _at_least("hub_neighbours", self.hub_neighbours, 1)
        _at_least("story_rrf_k", self.story_rrf_k, 0)
        _between("hub_penalty", self.hub_penalty, 0.0, 1.0)


@dataclass(frozen=True)
class EvidencePolicy:
    """How the sentences an answer rests on are scored and chosen (qa/evidence.py)."""

    passages_used: int = 6  # top passages whose sentences are candidates; calibrated
    meaning_weight: float = 0.55  # embedding similarity to the question; calibrated
    words_weight: float = 0.45  # IDF-weighted share of the question's words; calibrated
    own_words_share: float = 0.75  # words in the sentence itself vs. in its article's header
    rank_bonus: float = 0.05  # a little for the passage's retrieval rank (ties)
    sentences: int = 5  # evidence sentences kept for composing (setting evidence_sentences)
    per_article: int = 2  # so a question about several reports sees all of them; by design
    reason_bonus: float = 0.08  # why/how questions: a sentence that states a cause or means

    def __post_init__(self) -> None:
        _at_least("passages_used", self.passages_used, 1)
        for name in ("meaning_weight", "words_weight", "own_words_share", "rank_bonus",
                     "reason_bonus"):
            _between(name, getattr(self, name), 0.0, 1.0)
        _at_least("sentences", self.sentences, 1)
        _at_least("per_article", self.per_article, 1)


@dataclass(frozen=True)
class AbstainPolicy:
    """When the articles do not answer (qa/abstain.py). Each rule can be switched off, so its
    share of the abstentions can be measured (bench/qa_bench.py --without-rule)."""

    min_evidence_score: float = 0.20  # best evidence below this is not about the question
    max_missing_names: int = 0  # names the question uses that no article mentions
    names: bool = True  # a name (or a rare word) the store has never seen
    years: bool = True  # a year the question fixes that no retrieved passage mentions
    outlets: bool = True  # an outlet the question names that is none of the store's sources
    weak_evidence: bool = True
    # "How much ..." with no figure in the best evidence sentences: the articles don't give it.
    answer_type: bool = True
    answer_type_sentences: int = 3  # best evidence sentences that must hold the figure or date
    # "how much profit": a sentence further down with the profit's figure counts among them
    # (and leads the answer) when it scores at least this share of the best; by design, as
    # ComposePolicy.min_summary_ratio
    measured_ratio: float = 0.6
    # A word counts as rare when it is no whole word of the embedder's vocabulary (about the
    # 25,000 commonest English word pieces) and at least this long; by design.
    rare_word_length: int = 4
    # A lower-case word no article uses is read as the common word one slip away (swapped,
    # dropped or added letter); from this length also one typed for another ("explenation"),
    # which in shorter words turns names into words ("bauer" -> "bayer"); by design.
    slip_length: int = 8

    def __post_init__(self) -> None:
        _between("min_evidence_score", self.min_evidence_score, -1.0, 1.0)
        _at_least("max_missing_names", self.max_missing_names, 0)
        _at_least("rare_word_length", self.rare_word_length, 1)
        _at_least("slip_length", self.slip_length, 1)
        _at_least("answer_type_sentences", self.answer_type_sentences, 1)
        _between("measured_ratio", self.measured_ratio, 0.0, 1.0)



@dataclass(frozen=True)
class CheckPolicy:
    """When an article sentence supports or contradicts a claim (qa/claims.py)."""

    # Relatedness: a source sentence is about the claim when it holds enough of the claim's
    # telling words (IDF-weighted) and means something close.
    min_word_support: float = 0.6  # calibrated on bench/faithfulness (faithful clauses)
    min_meaning_support: float = 0.5
    strong_word_support: float = 0.85  # a near copy, whatever the embedding says
    strong_meaning_support: float = 0.8  # a close paraphrase ...
    paraphrase_word_support: float = 0.4  # ... that still shares this many words
    # How close a number, direction word or negation must stand to the words it belongs to.
    attach_window: int = 4  # words either side; by design (a clause in news English)
    # A claim word the source's sentence, header and passage all lack, this telling or more
    # (IDF over the store's chunks; 5: in fewer than about 1 chunk in 150), is a detail the
    # source does not give.
    novel_word_idf: float = 5.0

    def __post_init__(self) -> None:
        for name in ("min_word_support", "min_meaning_support", "strong_word_support",
                     "strong_meaning_support", "paraphrase_word_support"):
            _between(name, getattr(self, name), 0.0, 1.0)
        _at_least("attach_window", self.attach_window, 1)
        _at_least("novel_word_idf", self.novel_word_idf, 0.0)


@dataclass(frozen=True)
class VerdictPolicy:
    """Yes / No / the option, for questions that ask for one (qa/verdict.py)."""

    # A question's claim (or one part of it) is held up by the evidence when the checker's
    # relatedness reaches this; questions paraphrase more freely than answers do, so it is
    # lower than the answer check's.
    part_support: float = 0.45  # calibrated
    # Two reports are "consistent" unless the checker finds a contradiction between them.
    deciding_sentences: int = 2  # cited under the verdict, per part; by design
    # "Up or down?": a movement word is read as said of the words asked about that stand
    # within this many words of it (a clause and its subject); by design, twice attach_window.
    # Also how far after "before" / "after" the event it orders must be told.
    direction_window: int = 8
    direction_sentences: int = 3  # best evidence sentences read for it; by design
    # "Before X or after it?": the best sentences read for one that names both events with
    # "before" / "after" between them; by design, the evidence kept (EvidencePolicy.sentences).
    order_sentences: int = 5
    # A No for want of a name cites a sentence that has the name when it is this close to the
    # closest one; by design, as ComposePolicy.extra_sentence_ratio.
    naming_ratio: float = 0.85

    def __post_init__(self) -> None:
        _between("part_support", self.part_support, 0.0, 1.0)
        _at_least("deciding_sentences", self.deciding_sentences, 1)
        _at_least("direction_window", self.direction_window, 1)
        _at_least("direction_sentences", self.direction_sentences, 1)
        _at_least("order_sentences", self.order_sentences, 1)
        _between("naming_ratio", self.naming_ratio, 0.0, 1.0)


@dataclass(frozen=True)
class ComposePolicy:
    """How many sentences an answer shows (qa/compose.py)."""

    extra_sentence_ratio: float = 0.85  # a factoid adds a sentence scoring this close; calibrated
    # by design: a short answer. Also what the local model is shown: with one or two of them
    # its drafts survived the check less (0.40 against 0.44 on the first natural set, stop 22).
    max_factoid_sentences: int = 3
    name_lookahead: int = 2  # "who" answers: sentences after the best one searched for the name
    name_sentences: int = 8  # "who" answers: best evidence sentences whose names are counted
    summary_sentences: int = 5  # summaries, lists, explanations (setting summary_sentences)
    # A summary opens with its story's first sentences: news puts the gist in its lead, and
    # the second sentence usually gives what the first only names ("... a manifesto for
    # women." then what it pledges); by design, the lead-sentences baseline of summarising.
    summary_lead: int = 2
    list_name_bonus: float = 0.05  # a list answer: per name a sentence adds; by design
    list_names_counted: int = 3  # names counted per sentence at most; by design
    list_run: int = 3  # a list answer: next sentences naming more items brought along
    subject_mentions: int = 3  # a summary names whom the story's sentences name this often
    min_summary_ratio: float = 0.6  # a summary sentence scores at least this share of the best
    duplicate_similarity: float = 0.9  # sentences this alike say the same thing; by design

    def __post_init__(self) -> None:
        for name in ("extra_sentence_ratio", "min_summary_ratio", "duplicate_similarity",
                     "list_name_bonus"):
            _between(name, getattr(self, name), 0.0, 1.0)
        for name in ("max_factoid_sentences", "summary_sentences",
                     "name_lookahead", "name_sentences", "list_names_counted", "list_run",
                     "subject_mentions", "summary_lead"):
            _at_least(name, getattr(self, name), 1)


@dataclass(frozen=True)
class FollowUpPolicy:
    """What a conversation carries from one turn to the next (qa/chat.py)."""

    turns: int = 2  # earlier turns whose names and topic are carried; by design (bounded)
    topic_words: int = 6  # telling words of the earlier question carried; by design
    # "What was the score?" after an answer about a final: the sentences just after the last
    # answer's quotes are searched for the thing measured (the score is told next); by design
    read_on: int = 2

    def __post_init__(self) -> None:
        _at_least("turns", self.turns, 1)
        _at_least("topic_words", self.topic_words, 0)
        _at_least("read_on", self.read_on, 0)


@dataclass(frozen=True)
class AnswerPolicy:
    """The whole answering policy: one part per stage."""

    retrieval: RetrievalPolicy = field(default_factory=RetrievalPolicy)
    evidence: EvidencePolicy = field(default_factory=EvidencePolicy)
    abstain: AbstainPolicy = field(default_factory=AbstainPolicy)
    check: CheckPolicy = field(default_factory=CheckPolicy)
    verdict: VerdictPolicy = field(default_factory=VerdictPolicy)
    compose: ComposePolicy = field(default_factory=ComposePolicy)
    follow_up: FollowUpPolicy = field(default_factory=FollowUpPolicy)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, dict[str, Any]]) -> AnswerPolicy:
        """Build from a (partial) dict; unknown stages or keys are refused by name."""
        parts: dict[str, Any] = {}
        known = {f.name: f for f in fields(cls)}
        for stage, values in data.items():
            if stage not in known:
                raise ValueError(f"unknown policy stage {stage!r}; expected one of "
                                 f"{', '.join(known)}")
            part_type = type(getattr(cls(), stage))
            names = {f.name for f in fields(part_type)}
            unknown = set(values) - names
            if unknown:
                raise ValueError(f"unknown {stage} policy field(s): {', '.join(sorted(unknown))}")
            parts[stage] = part_type(**values)
        return cls(**parts)

    def replace(self, **stages: Any) -> AnswerPolicy:
        """A copy with some stages' fields changed: replace(abstain={"outlets": False})."""
        data = self.to_dict()
        for stage, values in stages.items():
            if stage not in data:
                raise ValueError(f"unknown policy stage {stage!r}")
            data[stage].update(values)
        return AnswerPolicy.from_dict(data)


def policy_from_settings(settings: Any) -> AnswerPolicy:
    """The user-facing settings mapped onto the policy (see qa/config.py)."""
    return AnswerPolicy().replace(
        retrieval={"top_k": settings.top_k},
        evidence={"sentences": settings.evidence_sentences},
        compose={"summary_sentences": settings.summary_sentences},
    )
