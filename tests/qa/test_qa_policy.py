"""The answer policy: every threshold in one place, with pinned defaults."""

from __future__ import annotations

import pytest

from qa.policy import AnswerPolicy, policy_from_settings

DEFAULTS = {
    "retrieval": {"top_k": 8, "candidates": 50, "rrf_k": 60, "dense_weight": 0.5,
                  "lexical_weight": 1.0, "part_weight": 1.0, "unnamed_weight": 0.25,
                  "part_slots": 2, "clause_slots": 1, "hub_neighbours": 10,
                  "hub_penalty": 0.5, "story_rrf_k": 1},
    "evidence": {"passages_used": 6, "meaning_weight": 0.55, "words_weight": 0.45,
                 "own_words_share": 0.75, "rank_bonus": 0.05, "sentences": 5,
                 "per_article": 2, "reason_bonus": 0.08},
    "abstain": {"min_evidence_score": 0.2, "max_missing_names": 0, "names": True,
                "years": True, "outlets": True, "weak_evidence": True, "answer_type": True,
                "answer_type_sentences": 3, "measured_ratio": 0.6, "rare_word_length": 4,
                "slip_length": 8},
    "check": {"min_word_support": 0.6, "min_meaning_support": 0.5,
              "strong_word_support": 0.85, "strong_meaning_support": 0.8,
              "paraphrase_word_support": 0.4, "attach_window": 4, "novel_word_idf": 5.0},
    "verdict": {"part_support": 0.45, "deciding_sentences": 2, "direction_window": 8,
                "direction_sentences": 3, "order_sentences": 5, "naming_ratio": 0.85},
    "compose": {"extra_sentence_ratio": 0.85, "max_factoid_sentences": 3, "name_lookahead": 2,
                "name_sentences": 8,
                "summary_sentences": 5, "summary_lead": 2, "list_name_bonus": 0.05,
                "list_names_counted": 3,
                "list_run": 3, "subject_mentions": 3,
                "min_summary_ratio": 0.6,
                "duplicate_similarity": 0.9},
    "follow_up": {"turns": 2, "topic_words": 6, "read_on": 2},
}


def test_the_whole_default_policy_is_pinned():
    assert AnswerPolicy().to_dict() == DEFAULTS


def test_a_policy_survives_a_round_trip():
    policy = AnswerPolicy().replace(abstain={"outlets": False}, compose={"summary_sentences": 3})
    again = AnswerPolicy.from_dict(policy.to_dict())
    assert again == policy
    assert again.abstain.outlets is False and again.compose.summary_sentences == 3
    assert AnswerPolicy().abstain.outlets is True  # replace() leaves the original alone


@pytest.mark.parametrize("stage, values", [
    ("retrieval", {"top_k": 0}),
    ("retrieval", {"candidates": 3}),  # fewer candidates than top_k
    ("evidence", {"meaning_weight": 1.5}),
    ("abstain", {"min_evidence_score": 2.0}),
    ("check", {"min_word_support": -0.1}),
    ("check", {"attach_window": 0}),
    ("check", {"novel_word_idf": -1.0}),
    ("verdict", {"part_support": 1.2}),
    ("compose", {"summary_sentences": 0}),
    ("follow_up", {"turns": 0}),
])
def test_values_out_of_range_are_refused(stage, values):
    with pytest.raises(ValueError):
        AnswerPolicy().replace(**{stage: values})


def test_unknown_stages_and_fields_are_refused_by_name():
    with pytest.raises(ValueError, match="unknown policy stage 'abstention'"):
        AnswerPolicy.from_dict({"abstention": {}})
    with pytest.raises(ValueError, match="min_score"):
        AnswerPolicy.from_dict({"abstain": {"min_score": 0.1}})


def test_user_settings_map_onto_the_policy():
    from qa import load_settings

    settings = load_settings(top_k=12, evidence_sentences=7, summary_sentences=3)
    policy = policy_from_settings(settings)
    assert policy.retrieval.top_k == 12
    assert policy.evidence.sentences == 7
    assert policy.compose.summary_sentences == 3
