"""Retrieval and filters on the real store."""

from __future__ import annotations

from collections import Counter


def test_hybrid_finds_the_seed_article(assistant):
    passages = assistant.retrieve("What did Li Qiang ask of Brussels?")
    assert passages[0].article_id == "eu-china-summit-2023-12-07.md"
    assert all(p.text for p in passages)
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)


def test_passages_carry_exact_spans(assistant):
    for passage in assistant.retrieve("Google antitrust search deal", k=10):
        article = assistant.article(passage.article_id)
        assert article.text[passage.start:passage.end] == passage.text


def test_source_filter_keeps_only_that_source(assistant, mixed_records):
    source = Counter(r["source"] for r in mixed_records).most_common(1)[0][0]
    passages = assistant.retrieve("What happened?", k=10, sources=[source])
    assert passages and {p.source for p in passages} == {source}


def test_date_filter_applies_inside_the_search(assistant, mixed_records):
    """A filter that allows only one day still fills the results from that day, even when
    the best matches overall are from other days (the filter is not applied after a cut)."""
    day = mixed_records[-1]["published_at"][:10]
    expected = sum(1 for r in mixed_records if r["published_at"][:10] == day)
    passages = assistant.retrieve("Li Qiang Brussels EU China summit", k=10, since=day,
                                  until=day)
    assert passages and all(p.date == day for p in passages)
    assert len({p.article_id for p in passages}) >= min(expected, 5)


def test_filter_excludes_the_seed_article(assistant):
    passages = assistant.retrieve("What did Li Qiang ask of Brussels?", k=10,
                                  until="2023-11-30")
    assert passages
    assert all(p.article_id != "eu-china-summit-2023-12-07.md" for p in passages)
    answer = assistant.ask("What did Li Qiang ask of Brussels?", until="2023-11-30",
                           mode="extractive")
    assert all(c.article_id != "eu-china-summit-2023-12-07.md" for c in answer.citations)


def test_article_filter(assistant, mixed_records):
    wanted = mixed_records[3]["url"]
    passages = assistant.retrieve("news", k=5, article_ids=[wanted])
    assert passages and {p.article_id for p in passages} == {wanted}


def test_outlet_named_in_the_question_is_searched(assistant, mixed_records):
    record = next(r for r in mixed_records if r["source"] == "The Verge")
    passages = assistant.retrieve(f"What did The Verge report about {record['title']}?", k=4)
    assert record["url"] in {p.article_id for p in passages}
