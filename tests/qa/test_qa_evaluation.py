"""How the benchmark scores an answer against a gold answer (qa/evaluation.py)."""

import pytest

from qa.evaluation import answer_matches, verdict_word


@pytest.mark.parametrize("gold, text, right", [
    ("Yes", "Yes. The Herald says so [1].", True),
    ("no", "No. The Herald says otherwise [1].", True),
    ("Yes", "No. Yes, some would say [1].", False),  # the verdict is the first word
    ("True", "Yes. Both reports say so [1].", True),  # a verdict labelled either way
    ("False", "Yes. Both reports say so [1].", False),
    ("Sam Bankman-Fried", "Sam Bankman-Fried, the founder of FTX [1].", True),
    ("Sam Bankman-Fried", "Sam Altman [1].", False),
])
def test_an_answer_matches_its_gold_answer_by_whole_words(gold, text, right):
    assert answer_matches(gold, text) is right


def test_only_yes_no_and_true_false_are_verdicts():
    assert [verdict_word(g) for g in ("Yes", "no.", "True", "FALSE", "Google", "")] == \
        ["yes", "no", "yes", "no", None, None]
