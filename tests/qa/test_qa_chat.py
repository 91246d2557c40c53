"""Conversations: follow-ups are read in the light of earlier questions."""

from __future__ import annotations

from qa.chat import is_follow_up


def test_follow_up_detection():
    assert is_follow_up("and what did Xi say?")
    assert is_follow_up("What did he say about Taiwan?")
    assert not is_follow_up("What did Li Qiang ask of Brussels?")
    assert not is_follow_up("Which company did The Verge say pays Apple?")


def test_follow_up_retrieves_the_conversation_article(assistant):
    chat = assistant.chat()
    first = chat.ask("What did Li Qiang ask of Brussels?", mode="extractive")
    assert not first.abstained
    follow = chat.ask("And what did Xi say?", mode="extractive")
    assert not follow.abstained
    assert follow.resolved_question != follow.question
    assert follow.citations
    assert {c.article_id for c in follow.citations} == {"eu-china-summit-2023-12-07.md"}
    assert any("Xi" in c.quote for c in follow.citations)
    assert len(chat.history) == 2


def test_fresh_question_is_not_rewritten(assistant):
    chat = assistant.chat()
    chat.ask("What did Li Qiang ask of Brussels?", mode="extractive")
    answer = chat.ask("Which company pays Apple to be the default search engine?",
                      mode="extractive")
    assert answer.resolved_question == answer.question
    chat.clear()
    assert chat.history == ()
