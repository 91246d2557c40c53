"""Chunking: exact spans, chunks that fit the embedder's window (header included), one sentence
of overlap, and no sentence left out, on real articles and on awkward ones."""

from __future__ import annotations

import re

import pytest

from index import Article, chunk_article, read_paths, split_sentences
from index.chunking import Span, chunk_header


@pytest.fixture(scope="module")
def real_articles(multihop_path, bbc_path) -> list[Article]:
    """All MultiHop-RAG articles and every eighth BBC article (they are longer)."""
    multihop = read_paths([multihop_path]).articles
    bbc = read_paths([bbc_path]).articles[::8]
    assert len(multihop) == 326 and len(bbc) == 279
    return multihop + bbc


def article(text: str, title: str = "A title", date: str | None = "2024-01-02",
            source: str | None = "Test Wire") -> Article:
    return Article(article_id="a", title=title, text=text, date=date, source=source)


def containing(spans: list[Span], position: int) -> Span:
    return next(s for s in spans if s.start <= position < s.end)


def check_chunks(item: Article, drafts, embedder, max_tokens: int | None = None) -> None:
    """Every property a chunk list must have; raises AssertionError naming the article."""
    limit = max_tokens or embedder.max_tokens
    text, header = item.text, chunk_header(item)
    assert drafts, item.article_id
    assert [d.position for d in drafts] == list(range(len(drafts)))
    for draft in drafts:
        assert draft.article_id == item.article_id
        assert text[draft.start:draft.end] == draft.text
        assert draft.embed_text == header + draft.text
        assert draft.text == draft.text.strip() and draft.text
    counts = embedder.count_tokens([d.embed_text for d in drafts])
    assert max(counts) <= limit, (item.article_id, max(counts), limit)

    sentences = split_sentences(text)
    header_tokens = embedder.count_tokens([header])[0]
    # Words that may be longer than a chunk (a word piece has at least one character).
    words = [Span(m.start(), m.end()) for m in re.finditer(r"\S+", text)
             if m.end() - m.start() > limit - header_tokens]
    word_counts = embedder.count_tokens([text[w.start:w.end] for w in words])
    long_words = [w for w, n in zip(words, word_counts, strict=False) if n > limit - header_tokens]
    for before, after in zip(drafts, drafts[1:], strict=False):
        assert before.start < after.start and before.end < after.end, \
            f"{item.article_id}: chunk {after.position} does not move forward"
        if after.start < before.end:
            # The overlap is the last sentence of the chunk before (or the last piece of a
            # sentence too long for one chunk).
            sentence = containing(sentences, after.start)
            assert before.end == min(sentence.end, before.end)
            if sentence.start >= before.start and sentence.end <= before.end:
                assert (after.start, before.end) == (sentence.start, sentence.end)
        elif any(w.start < after.end and before.start < w.end for w in long_words):
            # Next to or inside a word longer than a chunk: its parts are cut by characters
            # and never share a chunk (their separate counts do not add up).
            pass
        else:
            # No overlap is only allowed when the overlap sentence and the next new one do not
            # fit in one chunk together.
            last = containing(sentences, before.end - 1)
            first = containing(sentences, after.start)
            tail = text[max(last.start, before.start):before.end]
            head = text[after.start:min(first.end, after.end)]
            together = header_tokens + sum(embedder.count_tokens([tail, head]))
            assert together > limit, f"{item.article_id}: chunks {before.position}/" \
                f"{after.position} do not overlap although they could"
    # No sentence is left out: each one is inside a chunk, or (when it is longer than a
    # chunk) covered by consecutive chunks.
    for sentence in sentences:
        whole = any(d.start <= sentence.start and sentence.end <= d.end for d in drafts)
        if not whole:
            assert embedder.count_tokens([text[sentence.start:sentence.end]])[0] > \
                limit - header_tokens
            covered = sorted((max(d.start, sentence.start), min(d.end, sentence.end))
                             for d in drafts if d.start < sentence.end and d.end > sentence.start)
            assert covered[0][0] == sentence.start and covered[-1][1] == sentence.end
            for (_, end), (start, _) in zip(covered, covered[1:], strict=False):
                assert not text[end:start].strip(), "a gap inside a long sentence"


def test_real_articles_chunk_exactly_and_fit_the_window(real_articles, embedder):
    total = 0
    for item in real_articles:
        drafts = chunk_article(item, embedder.count_tokens, embedder.max_tokens)
        check_chunks(item, drafts, embedder)
        total += len(drafts)
    assert total > len(real_articles)  # the BBC articles need more than one chunk


def test_a_smaller_chunk_budget_is_respected(real_articles, embedder):
    for item in real_articles[-40:]:
        drafts = chunk_article(item, embedder.count_tokens, 96)
        check_chunks(item, drafts, embedder, max_tokens=96)


def test_max_tokens_matches_the_model(embedder):
    assert embedder.max_tokens == embedder.model.max_seq_length - 2 == 254


def test_header_carries_title_source_and_date(embedder):
    item = article("One sentence here.", title="Flood warning", date="2024-05-06",
                   source="River News")
    (draft,) = chunk_article(item, embedder.count_tokens, embedder.max_tokens)
    assert draft.embed_text == "Flood warning (River News, 2024-05-06)\nOne sentence here."
    bare = article("One sentence here.", title="Flood warning", date=None, source=None)
    (draft,) = chunk_article(bare, embedder.count_tokens, embedder.max_tokens)
    assert draft.embed_text == "Flood warning\nOne sentence here."


def test_one_very_long_sentence_without_full_stops(embedder):
    vocabulary = ["river", "barge", "lock", "keeper", "canal", "towpath", "mooring", "sluice"]
    words = [f"{vocabulary[i % 8]}{i % 7}" for i in range(3000)]
    item = article(" ".join(words))
    assert len(split_sentences(item.text)) == 1
    drafts = chunk_article(item, embedder.count_tokens, embedder.max_tokens)
    assert len(drafts) >= 10
    check_chunks(item, drafts, embedder)
    # Cut at word boundaries: every chunk starts and ends on a whole word.
    for draft in drafts:
        assert draft.text.split()[0] in words and draft.text.split()[-1] in words


def test_long_sentence_of_rare_words_that_split_into_many_pieces(embedder):
    # Nonsense words cost several word pieces each, so a word count is a poor guide.
    words = [f"qzx{i}vrk{i * 7 % 13}plo" for i in range(800)]
    item = article("Intro sentence. " + " ".join(words) + ". Closing sentence.")
    drafts = chunk_article(item, embedder.count_tokens, embedder.max_tokens)
    check_chunks(item, drafts, embedder)


def test_no_chunk_repeats_the_tail_of_the_one_before(embedder):
    # A short sentence, then two long ones that do not fit in one chunk together. The second
    # chunk cannot start with the overlap sentence (it would hold nothing else).
    long_one = " ".join(["the harbour master reported calm weather"] * 22)
    long_two = " ".join(["the ferry captain logged heavy rain"] * 24)
    item = article(f"Short opening line. {long_one.capitalize()}. {long_two.capitalize()}.")
    counts = embedder.count_tokens([long_one, long_two])
    assert 120 < counts[0] < 200 and 120 < counts[1] < 200
    drafts = chunk_article(item, embedder.count_tokens, embedder.max_tokens)
    check_chunks(item, drafts, embedder)
    for before, after in zip(drafts, drafts[1:], strict=False):
        assert not (before.start <= after.start and after.end <= before.end), \
            "a chunk that only repeats text of the chunk before"
    assert len(drafts) == 2


def test_whitespace_only_article_has_no_chunks(embedder):
    assert chunk_article(article("   \n\n  "), embedder.count_tokens, embedder.max_tokens) == []


def test_sentence_splitting_respects_abbreviations_and_paragraphs():
    text = ('Mr. Smith met Dr. J. Brown at 9 a.m. on Monday. "We agreed," he said. '
            "U.S. officials left early!\n\nA new paragraph without a full stop\n\n"
            "Did it work? Yes.")
    sentences = [text[s.start:s.end] for s in split_sentences(text)]
    assert sentences == [
        "Mr. Smith met Dr. J. Brown at 9 a.m. on Monday.",
        '"We agreed," he said.',
        "U.S. officials left early!",
        "A new paragraph without a full stop",
        "Did it work?",
        "Yes.",
    ]


def test_sentence_spans_are_exact_even_when_a_sentence_repeats():
    text = "It rained. It rained. Then it stopped."
    spans = split_sentences(text)
    assert [(s.start, s.end) for s in spans] == [(0, 10), (11, 21), (22, 38)]


def test_a_single_word_longer_than_the_window_is_cut(embedder):
    url = "https://example.org/track?" + "&".join(f"k{i}=v{i * 31 % 97}" for i in range(150))
    item = article(f"Read more at {url} today. The next sentence is short.")
    assert embedder.count_tokens([url])[0] > 2 * embedder.max_tokens
    drafts = chunk_article(item, embedder.count_tokens, embedder.max_tokens)
    assert len(drafts) >= 3
    # Fits, and (checked there) the chunks cover the long sentence without a gap.
    check_chunks(item, drafts, embedder)
