"""Answering with the real embedder, store and the packaged SmolLM2 through llama.cpp."""

from __future__ import annotations

import re

import pytest

from tests.qa.conftest import article

SEED_QUESTION = "What did Li Qiang ask of Brussels?"
SEED_SENTENCE = ("Chinese Premier Li told the EU leaders that Beijing hopes Brussels will be "
                 "prudent when introducing restrictive economic and trade policies, according to "
                 "Chinese state media, in reference to the anti-subsidy probe.")
QUESTIONS = [
    SEED_QUESTION,
    "What did Xi say about the partnership between China and the EU?",
    "How large was the EU's trade deficit with China in 2022?",
    "Which country told China it was leaving the Belt and Road initiative?",
    "What did von der Leyen say about the Taiwan Strait?",
    "Who called Alameda Research's business practices legal?",
    "What did The Verge report about Apple and Google search?",
]
UNANSWERABLE = [
    "What did Olaf Scholz say at the summit?",
    "What did the Bloomberg article say about Independence Pet Holdings' credit rating?",
]


def assert_citations_sound(answer, assistant) -> None:
    """Every [n] names a citation; every quote is the article's text at its span."""
    numbers = {c.n for c in answer.citations}
    markers = [int(n) for n in re.findall(r"\[(\d+)\]", answer.text)]
    assert all(n in numbers for n in markers), (answer.text, numbers)
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
    for citation in answer.citations:
        article = assistant.article(citation.article_id)
        assert article is not None, citation.article_id
        start, end = citation.span
        assert article.text[start:end] == citation.quote
        assert citation.passage and article.text[citation.passage_start:citation.passage_start
                                                 + len(citation.passage)] == citation.passage
        assert citation.passage_start <= start and end <= citation.passage_start + len(
            citation.passage)
    if not answer.abstained:
        assert markers, f"an answer without a citation: {answer.text}"


@pytest.mark.parametrize("mode", ["extractive", "generate"])
def test_seed_question_is_answered_from_the_right_sentence(assistant, mode):
    answer = assistant.ask(SEED_QUESTION, mode=mode)
    assert not answer.abstained
    assert_citations_sound(answer, assistant)
    assert any(c.quote == SEED_SENTENCE for c in answer.citations), answer.citations
    assert "prudent" in answer.text
    if mode == "extractive":
        assert answer.text.startswith(SEED_SENTENCE[:-1])


@pytest.mark.parametrize("mode", ["extractive", "generate"])
@pytest.mark.parametrize("question", QUESTIONS)
def test_markers_in_range_and_quotes_verbatim(assistant, question, mode):
    answer = assistant.ask(question, mode=mode)
    assert_citations_sound(answer, assistant)
    assert answer.timings["total"] > 0


@pytest.mark.parametrize("mode", ["extractive", "generate"])
@pytest.mark.parametrize("question", UNANSWERABLE)
def test_abstains_when_the_articles_do_not_say(assistant, question, mode):
    answer = assistant.ask(question, mode=mode)
    assert answer.abstained, answer.text
    assert answer.citations == []
    assert "don't say" in answer.text
    assert answer.passages, "an abstention still offers the closest passages"


def test_stream_yields_tokens_then_a_checked_answer(assistant):
    stream = assistant.stream(SEED_QUESTION, mode="generate")
    pieces = list(stream)
    assert len(pieces) > 1, "generated answers stream in pieces"
    assert stream.answer is not None and not stream.answer.abstained
    assert "first_token" in stream.answer.timings
    assert_citations_sound(stream.answer, assistant)


def test_generated_sentences_are_checked_against_their_sources(assistant):
    """Whatever the model writes, what survives is supported: each kept sentence shares most
    of its words with the sentence it cites."""
    for question in QUESTIONS[:4]:
        answer = assistant.ask(question, mode="generate")
        for sentence in re.split(r"(?<=\])[.!?]\s*", answer.text):
            cited = [int(n) for n in re.findall(r"\[(\d+)\]", sentence)]
            if not cited:
                continue
            words = set(re.findall(r"[a-z]{4,}", sentence.lower()))
            quotes = " ".join(answer.citations[n - 1].quote.lower() for n in cited)
            shared = {w for w in words if w[:5] in quotes}
            assert len(shared) >= 0.5 * len(words), (sentence, quotes)


def test_one_model_load_is_reused(assistant):
    assistant.ask(SEED_QUESTION, mode="generate")
    model = assistant.model
    assistant.ask("What did Xi say about trade?", mode="generate")
    assert assistant.model is model


def test_empty_question_is_refused(assistant):
    from qa import EmptyQuestionError

    with pytest.raises(EmptyQuestionError):
        assistant.ask("   ")


def test_check_gives_each_sentence_an_outcome_with_exact_quotes(assistant):
    report = assistant.check("Brussels wants to decouple from China. The EU launched a probe "
                             "into China's subsidies for electric vehicles. Olaf Scholz "
                             "visited Beijing.")
    assert [c.status for c in report.claims] == ["contradicted", "supported", "not_found"]
    assert not report.supported
    for claim in report.claims:
        for citation in claim.supporting + claim.contradicting:
            article = assistant.article(citation.article_id)
            assert article.text[citation.span[0]:citation.span[1]] == citation.quote
    assert "does not want to decouple" in report.claims[0].contradicting[0].quote


def test_a_contradicted_model_sentence_is_never_shown(assistant):
    """Whatever the model drafts, no sentence of the answer is contradicted by its source."""
    for question in QUESTIONS[1:3]:
        answer = assistant.ask(question, mode="generate")
        if answer.abstained:
            continue
        report = assistant.check(re.sub(r"\s*\[\d+\]", "", answer.text))
        assert all(c.status != "contradicted" for c in report.claims), report


def test_a_who_answer_brings_the_sentence_that_names_the_person(written):
    """News introduces a person as "a man" and names him a sentence later: the answer to
    "who" carries the naming sentence too, cited, and a sentence that already names someone
    is answered alone."""
    assistant = written({
        "gallery-theft.md": article(
            "Man charged over gallery paintings", "2024-05-03", "Testshire Post",
            "A man is facing charges of stealing three paintings from the city's art gallery. "
            "The retired teacher, Arthur Pemberton, was arrested on Tuesday at his home near "
            "the harbour. Police said the paintings were found undamaged in a garage. The "
            "gallery's director, Helen Mortimer, thanked the public for their help."),
        "harbour-bridge.md": article(
            "Harbour bridge to close for repairs", "2024-05-04", "Testshire Post",
            "The harbour bridge will close for six weeks of repairs, the council said. "
            "Engineers found rust in two of the main supports."),
    })

    answer = assistant.ask("Who was charged with stealing paintings from the art gallery?",
                           mode="extractive")
    assert "Arthur Pemberton" in answer.text, answer.text
    assert "Helen Mortimer" not in answer.text
    assert_citations_sound(answer, assistant)
    assert len(answer.citations) == 2

    named = assistant.ask("Who thanked the public for their help with the paintings?",
                          mode="extractive")
    assert "Helen Mortimer" in named.text and len(named.citations) == 1, named.text

    # Named first, then described: "the entrepreneur" is the woman the sentence before names.
    written({"harbour-foods.md": article(
        "Offer for Harbour Foods", "2024-05-06", "Testshire Post",
        "Shares in Harbour Foods rose after an approach from businesswoman Alice Brennan. The "
        "board confirmed on Sunday that it had received a detailed takeover proposal from the "
        "entrepreneur. Analysts expect a formal bid within weeks.")})
    described = assistant.ask("Who sent the board of Harbour Foods a detailed takeover "
                              "proposal?", mode="extractive")
    assert "Alice Brennan" in described.text, described.text

    # Asked after a statement, or with "whose" left where the answer goes, it is still a name
    # that is wanted.
    stated = assistant.ask("Three paintings went missing from the art gallery. Who was "
                           "charged with stealing them?", mode="extractive")
    assert "Arthur Pemberton" in stated.text, stated.text
    assert_citations_sound(stated, assistant)
    assert_citations_sound(described, assistant)


def test_a_who_answer_names_whom_the_reports_share_in_full(written):
    """Two reports describe one person, mostly by surname: "who" is answered with the name
    they share, written as the reports write it in full, before the cited sentences."""
    assistant = written({
        "trial-opens.md": article(
            "Banker's fraud trial opens", "2024-03-04", "Testshire Post",
            "The fraud trial of former banker Margaret Okonkwo-Reyes opened on Monday. "
            "Okonkwo-Reyes denies moving client money into a private account. The trial is "
            "expected to last six weeks."),
        "trial-evidence.md": article(
            "Accounts shown to fraud jury", "2024-03-06", "Valley Herald",
            "Prosecutors said Okonkwo-Reyes moved four million pounds of client money into a "
            "private account over two years."),
    })

    answer = assistant.ask("Who is the former banker on trial whom prosecutors accuse of "
                           "moving client money into a private account?", mode="extractive")
    assert answer.text.startswith("Margaret Okonkwo-Reyes."), answer.text
    assert_citations_sound(answer, assistant)


def test_a_who_answer_takes_the_full_name_from_a_headline(written):
    """The sentences say "Okonkwo-Reyes" only; one headline gives her full name, and a
    headline in title case ("Banker Trial Opens In City") is not read for names."""
    assistant = written({
        "trial-opens.md": article(
            "Why Margaret Okonkwo-Reyes faces a jury", "2024-03-04", "Testshire Post",
            "The fraud trial of former banker Okonkwo-Reyes opened on Monday. Okonkwo-Reyes "
            "denies moving client money into a private account."),
        "trial-evidence.md": article(
            "Banker Trial Hears From Accountant Jo Okonkwo-Reyes", "2024-03-06", "Valley Herald",
            "Prosecutors said Okonkwo-Reyes moved four million pounds of client money into a "
            "private account over two years."),
    })

    answer = assistant.ask("Who is the former banker on trial whom prosecutors accuse of "
                           "moving client money into a private account?", mode="extractive")
    assert answer.text.startswith("Margaret Okonkwo-Reyes."), answer.text


def test_what_it_is_called_is_answered_with_the_name_its_headline_quotes(written):
    """The sentences close to "what is the new party called" never name it; the story's
    headline quotes it ('Forward'), and a sentence of the story that writes it is cited. A
    quoted phrase of speech ("deliver better") is no name."""
    assistant = written({"party.md": article(
        "Quell launches 'Forward' party", "2024-02-02", "Valley Herald",
        "Former presenter Mara Quell said she wanted to change the face of Valley politics as "
        "she launched her new party. Her deputy said Quell would \"deliver better\" as the "
        "leader of a new party. He said Quell had made him deputy leader of Forward, which "
        "will stand in every Valley seat.")})

    answer = assistant.ask("What is the new party Mara Quell launched called?",
                           mode="extractive")
    assert answer.text.startswith("Forward."), answer.text
    assert "Forward" in answer.citations[0].quote
    assert_citations_sound(answer, assistant)


def test_which_team_is_never_answered_with_a_person(written):
    """Two reports of a final's half-time show name last year's singer, never the winner:
    "which team won" gets no name first rather than hers."""
    assistant = written({
        "show.md": article(
            "Star rocks cup final crowd", "2024-02-07", "Valley Herald",
            "Singer Mara Quell wowed fans at the Valley Cup final with a half-time set and "
            "avoided any Jo Lark-style controversies. Last year Lark was booed off."),
        "preview.md": article(
            "Quell to play cup final", "2024-02-01", "Coast Gazette",
            "Mara Quell will provide the half-time entertainment at the Valley Cup final, in the "
            "slot filled by Jo Lark last year. Quell said she was thrilled to be asked."),
    })

    answer = assistant.ask("Which team won the Valley Cup final where Mara Quell played at "
                           "half-time?", mode="extractive")
    assert not answer.text.startswith("Jo Lark."), answer.text


def test_a_company_lead_is_one_name_and_never_a_nationality(written):
    """"... the Pocket Advance SP. Tano is ..." names Tano, not "Pocket Advance SP. Tano"; an
    adjective of nationality ("the European election") is no party."""
    assistant = written({
        "vista.md": article(
            "Tano's two-screen handheld", "2024-03-01", "Valley Herald",
            "The Vista plays every game made for the Pocket Advance SP. Tano is also planning a "
            "media adapter for the Vista handheld."),
        "launch.md": article(
            "Vista handheld launches in Europe", "2024-03-11", "Coast Gazette",
            "Tano's new handheld, the Vista, went on sale in Europe on Friday. Tano hopes to "
            "sell two million Vista handhelds by the end of the year."),
        "party.md": article(
            "Reyes quits party", "2024-02-01", "Valley Herald",
            "After the European election it became clear that Tom Reyes was more interested in "
            "a party of his own, the party's leader said."),
        "party2.md": article(
            "Reyes looks beyond Europe", "2024-02-03", "Coast Gazette",
            "Tom Reyes said the European vote showed voters wanted a new party."),
    })
    maker = assistant.ask("which company makes the Vista handheld?", mode="extractive")
    assert maker.text.startswith("Tano."), maker.text
    party = assistant.ask("Which party did Tom Reyes launch?", mode="extractive")
    assert not party.text.startswith("European."), party.text


def test_which_city_is_answered_by_a_sentence_naming_one(written):
    """The closest sentence to "Which city is the Harbour Tower in?" tells when it opens; one
    of the next closest names the city, and it is the one quoted first."""
    assistant = written({"tower.md": article(
        "Fast lifts in record tower", "2024-11-26", "Valley Herald",
        "Port Elin's Harbour Tower is more than 50m taller than the Mill Spire, formerly the "
        "tallest. Two lifts at the building have been recognised as the world's fastest. They "
        "travel at 17m per second. Engineers spent two years testing them. The Harbour Tower "
        "in the city is due to be officially opened on 31 December.")})
    answer = assistant.ask("Which city is the Harbour Tower in?", mode="extractive")
    assert "Port Elin" in answer.citations[0].quote, answer.text


def test_a_who_answer_is_the_name_written_next_to_what_was_asked(written):
    """Both reports name a body in passing before the person: "who is the deputy leader" is
    answered with the name beside "deputy leader", and "Friday" is never a who."""
    assistant = written({
        "party-joins.md": article(
            "Assembly member joins new party", "2024-02-02", "Testshire Post",
            "On Friday Mara Quell was joined in the new party by one of the Valley Assembly's "
            "two members, Tom Reyes, who is now the party's deputy leader."),
        "party-launch.md": article(
            "Forward party launched", "2024-02-04", "Valley Herald",
            "Mara Quell's new party, Forward, has won over a Valley Assembly member on Friday: "
            "Tom Reyes is now its deputy leader."),
    })

    answer = assistant.ask("Who is the deputy leader of Forward?", mode="extractive")
    assert answer.text.startswith("Tom Reyes."), answer.text
    assert_citations_sound(answer, assistant)


def test_who_is_the_role_is_answered_by_the_sentence_naming_someone_in_it(written):
    """The closest sentences to "Who's the MSP behind the bill?" quote a union leader (a name,
    but not the MSP's); the one naming someone as the MSP answers, wherever it stands in the
    story. Another body's holder of the role ("Harbour Bank chief executive ...") is none."""
    assistant = written({
        "holidays.md": article(
            "Drive to keep shops shut on holidays", "2024-12-01", "Valley Herald",
            "Support is being sought for a bill which would keep large shops in Valley closed "
            "on New Year's Day. The shop workers' union said staff should be able to enjoy a "
            "break with their families. MSP Nora Quill wants to ensure only essential staff "
            "work over the holiday. Union leader Tam Brock added: \"New Year's Day is special "
            "for everyone in Valley and shops being shut on New Year's Day is part of it.\""),
        "awards.md": article(
            "Mill Foods boss wins award", "2024-12-02", "Valley Herald",
            "Mill Foods' chief executive has won the Valley business award. Previous winners "
            "include Harbour Bank chief executive Ola Penn. The firm's shares rose 5% this "
            "year."),
    })
    answer = assistant.ask("Who's the MSP pushing to keep big shops in Valley shut on New "
                           "Year's Day?", mode="extractive")
    assert "Nora Quill" in answer.citations[0].quote, answer.text
    boss = assistant.ask("Who is the chief executive of Mill Foods?", mode="extractive")
    assert "Ola Penn" not in boss.text, boss.text
    assert_citations_sound(answer, assistant)


def test_who_chairs_is_answered_by_the_sentence_naming_the_chairman(written):
    """"Who chairs Harbour Rovers?": the verb names the role ("Harbour Rovers chairman Ian
    Dale says ..."), in whichever story names it; a sentence sharing only the verb ("was
    chaired off the pitch") answers nothing, nor does another club's chairman."""
    assistant = written({
        "farewell.md": article(
            "Rovers captain bows out", "2024-03-01", "Valley Herald",
            "Rovers captain Amy Stone was chaired off the pitch by her team-mates after her "
            "last game. She scored twice in the 3-1 win over Mill Town."),
        "saga.md": article(
            "Transfer saga to drag on", "2024-03-02", "Valley Herald",
            "Harbour Rovers chairman Ian Dale says he does not expect a quick end to the saga "
            "over the captain's move. Mill Town chairman Joe Marsh has made an offer. The "
            "club said talks would go on next week."),
    })
    answer = assistant.ask("Who chairs Harbour Rovers?", mode="extractive")
    assert "Ian Dale" in answer.citations[0].quote, answer.text
    other = assistant.ask("Who chairs Mill Town?", mode="extractive")
    assert "Joe Marsh" in other.citations[0].quote, other.text
    # the verb in the passive, said of the story's subject: "is being produced by"
    written({"film.md": article(
        "Director signs up for Harbour Saga", "2024-03-03", "Valley Herald",
        "The creator of Valley Nights is to write and direct the Harbour Saga movie. The film "
        "is being produced by Rita Moss, producer of the Westmark trilogy.")})
    film = assistant.ask("Who's producing Harbour Saga?", mode="extractive")
    assert "Rita Moss" in film.text, film.text
    assert_citations_sound(answer, assistant)


def test_a_list_answer_takes_the_sentences_that_enumerate_things(written):
    """The items of "what are the ingredients" are no names ("a reference to Santa, sleigh
    bells, a children's choir and a charity element"): the sentences enumerating them are
    quoted, though sentences repeating the question's source score closer."""
    from qa.compose import enumerated

    assert enumerated("It has sleigh bells, a children's choir and a charity element.") == 3
    assert enumerated("He said, after a long pause in which nothing was said at all, that "
                      "he would go.") == 0
    assistant = written({"song.md": article(
        "Festive song formula unveiled", "2024-12-01", "Valley Herald",
        "A formula for the ultimate festive single has been revealed by the chart book Valley "
        "Hits and Albums. Valley Hits and Albums editors spent a year on it. The recipe has "
        "a reference to Santa, sleigh bells, a children's choir and a charity element. Valley "
        "Hits and Albums sells well. The song should also have snow in the title, wishes for "
        "peace and lots of airplay at office parties. Valley Hits and Albums is on sale now. "
        "Valley Hits and Albums has 900 pages.")})
    answer = assistant.ask("What are the ingredients of the perfect festive single, according "
                           "to the people behind Valley Hits and Albums?", mode="extractive")
    assert "sleigh bells" in answer.text and "peace" in answer.text, answer.text
    assert_citations_sound(answer, assistant)


def test_which_magazine_is_answered_from_the_story_sentence_that_names_it(written):
    """The story's lead says "a leading business magazine"; a later sentence names it: the
    answer quotes that one first, and nothing from another story rides in with it."""
    assistant = written({
        "award.md": article(
            "Mill Foods boss bags top award", "2024-12-02", "Valley Herald",
            "Mill Foods' chief executive has been named Valley Businessman of the Year by a "
            "leading business magazine. The firm runs more than 40 factories. Ian Ferris was "
            "given the title by the weekly publication Tradewind for turning the firm around."),
        "mill.md": article(
            "Old mill reopens", "2024-12-03", "Coast Gazette",
            "The Valley mill, closed since 1990, reopens as a museum run by Ada Marsh."),
    })
    answer = assistant.ask("Which magazine named Mill Foods' boss Valley Businessman of the "
                           "Year?", mode="extractive")
    assert "Tradewind" in answer.citations[0].quote, answer.text
    assert all("mill.md" not in c.article_id and "museum" not in c.quote
               for c in answer.citations), answer.text
    assert_citations_sound(answer, assistant)


def test_which_song_is_answered_by_the_sentence_naming_it_not_the_lead_saying_a_song(written):
    """The lead restates the question and says "a song"; it names other people, not the
    song. The sentence naming the song answers "Which song ...?"."""
    assistant = written({
        "anthem.md": article(
            "Mara Vell to open Harbour Cup final", "2024-12-02", "Valley Herald",
            "Soul singer Mara Vell is to open the Harbour Cup final singing a song only "
            "previously performed there by Otis Crane and Lena Hart. Vell, who will sing "
            "Over The Grey Hills, will be joined by a choir of 80 children. The final is "
            "watched by millions."),
        "mill.md": article(
            "Old mill reopens", "2024-12-03", "Coast Gazette",
            "The Valley mill, closed since 1990, reopens as a museum run by Ada Marsh."),
    })
    answer = assistant.ask("Which song was Mara Vell picked to sing at the start of the "
                           "Harbour Cup final?", mode="extractive")
    assert "Over The Grey Hills" in answer.citations[0].quote, answer.text
    assert_citations_sound(answer, assistant)


def test_which_college_is_answered_by_the_name_carrying_the_noun(written):
    """"Tell me which college ... when he told students ...": the question asks which (the
    later "when" ties a clause on), and the sentence naming "Harbour College" answers it,
    not closer ones that name other things ("Afro-Caribbean") or say "his old university".
    A college the question names itself is no answer."""
    assistant = written({
        "lee.md": article(
            "Director backs student film-makers", "2024-12-02", "Valley Herald",
            "Film-maker Ada Lenn says the true power in film lies with its gatekeepers. "
            "But when it comes time to make a movie, you have to go to one of those "
            "gatekeepers, Lenn said. Returning to her old university, which teaches only "
            "Afro-Caribbean students, Lenn spoke about the film industry. The Blue Lanes "
            "director urged students at her old university, Harbour College, to seek "
            "gatekeeper jobs."),
        "mill.md": article(
            "Old mill reopens", "2024-12-03", "Coast Gazette",
            "The Valley mill, closed since 1990, reopens as a museum run by Ada Marsh."),
    })
    answer = assistant.ask("Tell me which college Ada Lenn went back to when she told "
                           "students to go after gatekeeper jobs.", mode="extractive")
    assert "Harbour College" in answer.citations[0].quote, answer.text
    assert_citations_sound(answer, assistant)
    from qa.analysis import analyse
    from qa.evidence import names_as_asked

    assert analyse("Tell me which college Ada Lenn went back to when she spoke.").wh == \
        "which"
    assert analyse("How old was Ada Lenn when she died?").wh == "how"
    assert analyse("When did Ada Lenn go back to Harbour College?").wh == "when"
    beat = names_as_asked(analyse("Which college beat Harbour College?"))
    assert not beat("Harbour College lost."), "the question's own college"
    assert beat("Mill College beat Harbour College.")
    # nor one sharing a word with a name it gives: "Man City" is "Manchester City ... Club"
    club = names_as_asked(analyse("Which club was Ben Mills at before he signed for Man City?"))
    assert not club("He wanted to play for Manchester City Football Club.")
    assert club("Mills joined City from Harbour Football Club in 2003.")


def test_what_is_it_which_guitarist_and_a_sentence_opening_with_she(written):
    """Three answers told in the story's own way:
    - "What is it?" after naming Milo: "Milo is a virtual face ...", not the closer "One such
      avatar is Milo", which uses the name without saying what it is;
    - "which guitarist": the sentence naming "guitarist Pat Wade", not the lead's "his
      band's guitarist";
    - a sentence opening "She ..." is told of whom its story names: "She faces Ines Roth in the
      first round" is among the closest for "Ana Ruiz's first opponent"."""
    assistant = written({
        "milo.md": article(
            "Putting a face on gadgets", "2024-12-02", "Valley Herald",
            "Putting a face on technology could change how we use gadgets. Some of these "
            "ideas are on show at the Valley Museum. One such avatar is Milo. Milo is a "
            "virtual face on show at the museum that copies the way people respond."),
        "fight.md": article(
            "Singer in on-stage fight", "2024-12-03", "Coast Gazette",
            "Rock singer Tom Vane has been involved in a fight with his band's guitarist at "
            "their biggest gig. The band played for 5,000 fans at the Harbour Hall. The "
            "former Greys singer traded blows with guitarist Pat Wade."),
        "ruiz.md": article(
            "Ruiz to make unexpected return", "2024-12-04", "Valley Herald",
            "Ana Ruiz makes her return to tennis after two years out at the Coast Open in "
            "Harbour Bay on Tuesday. She faces Ines Roth in the first round. Ruiz said she "
            "missed playing."),
        "mill.md": article(
            "Old mill reopens", "2024-12-05", "Coast Gazette",
            "The Valley mill, closed since 1990, reopens as a museum run by Ada Marsh."),
    })
    defined = assistant.ask("Tell me about Milo, the avatar on show at the Valley Museum. "
                            "What is it?", mode="extractive")
    assert "virtual face" in defined.citations[0].quote, defined.text
    guitarist = assistant.ask("Which guitarist did Tom Vane get into a fight with at the "
                              "Harbour Hall?", mode="extractive")
    assert "Pat Wade" in guitarist.citations[0].quote, (guitarist.text, guitarist.notes)
    from qa.analysis import analyse

    question = analyse("Who did Ana Ruiz face first when she returned in Harbour Bay?")
    evidence = assistant.selector.select(question, assistant.retriever.retrieve(
        question.cased, 5))
    top = [e.text for e in evidence[:3]]
    assert any("Ines Roth" in text for text in top), top
    told = next(e for e in evidence if "Ines Roth" in e.text)
    # her name counts for it: without it, it holds under half of the question's words (0.43)
    assert told.lexical > 0.6, told.lexical
    from qa.evidence import _OPENS_WITH_PRONOUN

    # "they" speaks of things as often as of people ("They are usually called reports")
    assert not _OPENS_WITH_PRONOUN.match("They are usually called sustainability reports.")
    for answer in (defined, guitarist):
        assert_citations_sound(answer, assistant)


def test_which_film_studio_is_named_by_a_later_sentence_not_abstained_on(written):
    """The closest sentences say "Japan's oldest film studio"; a later one names it,
    "Shochiku film studios": the question is answered from it, not abstained on, and a
    sentence with "films" and a name ("Akira Kurosawa have had films") is no studio."""
    assistant = written({
        "berlin.md": article(
            "Day-Lewis set for Berlin honour", "2024-12-02", "Valley Herald",
            "Actor Tom Reyes is to be given an award for his career at the Harbour Film "
            "Festival. Japan's oldest film studio will also be honoured along with Reyes. "
            "Famous Japanese directors including Akira Kurosawa have had films made at the "
            "studio. Shochiku film studios, which was founded 110 years ago, will be the "
            "first studio to receive the festival's Golden Camera award."),
        "mill.md": article(
            "Old mill reopens", "2024-12-05", "Coast Gazette",
            "The Valley mill, closed since 1990, reopens as a museum run by Ada Marsh."),
    })
    answer = assistant.ask("Which Japanese film studio is being honoured at the Harbour Film "
                           "Festival along with Tom Reyes?", mode="extractive")
    assert not answer.abstained, answer.notes
    assert "Shochiku" in answer.citations[0].quote, answer.text
    assert_citations_sound(answer, assistant)


def test_what_something_was_called_back_then_asks_for_a_name():
    """"What was the unit called back when the bank bought it" asks for the name it had;
    "What was the meeting called for?" does not."""
    from qa.analysis import analyse

    assert analyse("What was Mill Advisers called back when Harbour Bank bought it").expects \
        == "term"
    assert analyse("What was the meeting called for?").expects is None


def test_which_version_and_which_number_are_answered_with_the_figure_said_of_them(written):
    """"Which version ...?" wants the sentence giving the version's figure, though closer
    ones describe the threat; "which number star" the figure written before "star", not a
    sentence giving other figures beside a star."""
    assistant = written({
        "player.md": article(
            "Hacker threat to the Tunebox player", "2024-12-01", "Valley Herald",
            "Users of the Tunebox music player need to update it to avoid a security threat. "
            "Hackers can build playlist files which could crash the player and seize control "
            "of the computer. The security firm says users should avoid playlist files from "
            "unknown sources. The firm recommended that users upgrade to Tunebox version "
            "5.2.1."),
        "star.md": article(
            "Robot monster gets fame star", "2024-12-02", "Coast Gazette",
            "Robot monster Clank has received a star on the Valley Walk of Fame, marking his "
            "40th birthday and his 12th film. Clank received the 1,904th star on the walk on "
            "Monday."),
    })
    version = assistant.ask("Which version of Tunebox do I need to be safe from the playlist "
                            "hack?", mode="extractive")
    assert "5.2.1" in version.citations[0].quote, version.text
    star = assistant.ask("Clank got a star on the Valley Walk of Fame - which number star was "
                         "it", mode="extractive")
    assert "1,904th" in star.citations[0].quote, star.text
    assert_citations_sound(star, assistant)


def test_a_how_much_answer_finds_the_figure_told_of_the_company_by_description(written):
    """The loss is in a sentence that calls the company "the company"; the sentences naming
    it give no loss. The story names it, so that sentence counts as about it."""
    assistant = written({
        "ferries.md": article(
            "Valley Ferries back in profit", "2025-02-03", "Valley Herald",
            "Valley Ferries has returned to profit in 2024 after heavy losses in 2023. In a "
            "preliminary report, the company said it had lost 31m euros in 2023, after a loss "
            "of 12m euros in 2022. Valley Ferries was hit in 2023 by a rise in fuel prices and "
            "a strike by its crews."),
        "licence.md": article(
            "Valley Ferries may lose harbour licence", "2025-03-01", "Coast Gazette",
            "Valley Ferries may lose its licence to use the harbour, the council warned on "
            "Monday. Valley Ferries said it would appeal against any decision. The council said "
            "Valley Ferries had ignored safety warnings in 2023."),
    })

    answer = assistant.ask("How much did Valley Ferries lose in 2023?", mode="extractive")
    assert not answer.abstained, answer.notes
    assert "31m euros" in answer.citations[0].quote, answer.text


def test_a_list_told_over_consecutive_sentences_is_answered_whole(written):
    """The scorers are named in two sentences in a row, among sentences naming the crowd, the
    manager and the parade: the sentence after one naming items comes along when it names
    more."""
    assistant = written({"final.md": article(
        "Rovers win the cup", "2024-03-04", "Valley Herald",
        "Rovers beat United 4-2 in the Valley Cup final at Valley Park on Sunday. Goals from "
        "Dan Price and Lee Okafor gave Rovers a 2-0 lead at half-time. United's Tom Grant "
        "pulled one back before late strikes from Sam Reyes and Ali Hassan settled it. Rovers "
        "manager Ruth Moss said it was the proudest day of her career. Chairman Bill Stokes "
        "thanked supporters from Valley Town and Hill End. Former Rovers captain Joe Lamb and "
        "United legend Pat Burke presented the trophy. Mayor Jane Oduya will host a reception "
        "at Valley Town Hall on Monday, before a parade along Castle Street and Mill Lane.")})

    answer = assistant.ask("Which Rovers players scored in the Valley Cup final?",
                           mode="extractive")
    assert answer.kind == "list"
    for scorer in ("Price", "Okafor", "Reyes", "Hassan"):
        assert scorer in answer.text, answer.text
    assert_citations_sound(answer, assistant)


def test_a_summary_names_whom_the_story_is_about(written):
    """The opening only describes her ("A retired nurse ..."), and the sentences closest to the
    question do too; the story names her in three sentences, so the summary brings the first
    of them."""
    assistant = written({"walk.md": article(
        "Retired nurse completes charity walk", "2024-06-02", "Valley Herald",
        "A retired nurse who walked the length of Britain for charity has finished her "
        "journey in Valley Town. Mary Quinn, 71, set off from Land's End in March with a "
        "rucksack and a tent. The retired nurse walked more than 1,000 miles for the charity "
        "walk, raising money for a hospice. The walk along the length of Britain took the "
        "retired nurse through storms and a heatwave. Walking the length of Britain for "
        "charity had been the retired nurse's dream for years. The charity said the retired "
        "nurse's walk had raised more than £40,000. Friends met the retired nurse at the end of "
        "her walk across Britain. Mrs Quinn said the kindness of strangers had kept her going. "
        "Mrs Quinn plans to rest before writing a book about the journey.")})

    answer = assistant.ask("Summarise the story of the retired nurse who walked the length "
                           "of Britain for charity.", mode="extractive")
    assert answer.kind == "summary"
    assert "Quinn" in answer.text, answer.text
    assert_citations_sound(answer, assistant)


def test_a_list_answer_prefers_the_sentences_that_name_the_items(written):
    """"Who were the winners?": the sentences naming winners come before sentences that only
    talk about the winners, however many of the question's words those repeat."""
    assistant = written({"awards.md": article(
        "Valley music awards handed out", "2024-06-01", "Valley Herald",
        "The winners of the Valley music awards were announced on Friday night. "
        "The awards night for the winners was held at the town hall. "
        "All the winners of the Valley music awards will play at a concert in July. "
        "Tickets for the concert of award winners go on sale next week. "
        "The best album prize went to Priya Natarajan, with Tomasz Wolak and Femi Adeyemi "
        "sharing the songwriting prize. "
        "Organisers said the music awards would return next year. "
        "Each winner receives a glass trophy made by a local artist. "
        "The Valley music awards began in 1998.")})

    answer = assistant.ask("Who were the winners at the Valley music awards?",
                           mode="extractive")
    assert "Priya Natarajan" in answer.text and "Femi Adeyemi" in answer.text, answer.text
    assert_citations_sound(answer, assistant)


def test_a_name_with_the_or_of_in_it_is_new_to_a_question_saying_the_and_of():
    """"List the winners of the Whitbread prizes": "John Guy's The Life of Mary Queen of
    Scots" names someone the question does not, though the question too says "the" and "of"
    (those words had made it a name the question already used, so a list answer gave no
    credit to the sentence naming the biography winner)."""
    from qa.analysis import analyse
    from qa.compose import _asked_words, _new_names

    asked = _asked_words(analyse("List the winners of the Whitbread prizes.", None, 4))
    sentence = ("In the biography category it was John Guy's The Life of Mary Queen of Scots "
                "that was picked as winner.")
    assert _new_names(sentence, asked), asked
    # A name the question does use still is not new.
    assert not _new_names("The Whitbread judges met on Tuesday.", asked)


def test_a_possessive_typed_without_its_apostrophe_uses_the_name():
    """"who got the job of englands first childrens commissioner": in a lower-case question
    "englands" uses "England", which is then no one the answer names (it had led "England.");
    a capitalised question writes its apostrophes, and its plurals stay whole ("Awards")."""
    from qa.analysis import analyse
    from qa.compose import _asked_words

    assert "england" in _asked_words(analyse("who got the job of englands first childrens "
                                             "commissioner"))
    assert "award" not in _asked_words(analyse("Who were the winners at the Valley Awards?"))


def test_a_body_named_with_for_is_one_name_and_no_one_who_chairs_it():
    """"Who chairs the Hansard Society?" had been answered "Education and Skills.", the tail
    of "the Department for Education and Skills": "for" after a body's head word goes on
    with its name, and a department is nobody a "who" question asks for."""
    from qa.compose import _names

    sentence = ("The Hansard Society, the Electoral Commission and the Department for "
                "Education and Skills are running the programme.")
    assert "Department for Education and Skills" in _names(sentence)
    assert "Education and Skills" not in _names(sentence)
    # "for" after any other word is no part of a name
    assert _names("Voters chose Labour for Tony Blair's sake.") == ["Voters", "Labour",
                                                                     "Tony Blair"]


def test_a_bare_figure_counts_what_its_clause_names(written):
    """"How many cycle lanes": "Harbourtown leads the county's cycle lanes league, with more
    than 40." gives the count, though the figure stands five words after "lanes" (it had been
    abstained on: "the closest sentences give no number of lanes")."""
    assistant = written({"lanes.md": article(
        "Harbourtown tops cycling table", "2024-04-03", "Valley Herald",
        "Harbourtown leads the county's cycle lanes league, with more than 40. "
        "Cycle lanes in the county were first painted in 1995. "
        "Riders say cycle lanes in Harbourtown are safer than in the city. "
        "The council will publish a map of the lanes in May.")})

    answer = assistant.ask("How many cycle lanes does Harbourtown have?", mode="extractive")
    assert not answer.abstained, answer.notes
    assert "more than 40" in answer.citations[0].quote, answer.text
    assert_citations_sound(answer, assistant)


def test_how_many_reads_on_to_the_sentence_counting_them(written):
    """"How many buyers": the closest sentences talk about buyers without a count; one further
    down gives "over 400,000 home-buyers", as "how much profit" reads on to the profits'
    figure (it had been abstained on)."""
    assistant = written({"duty.md": article(
        "Party targets stamp duty", "2024-05-06", "Valley Herald",
        "The party's plan would raise the stamp duty threshold to help first-time buyers. "
        "First-time buyers are being squeezed out of the market by stamp duty, it said. "
        "Stamp duty has hit buyers on low incomes the hardest, the party said. "
        "Under the plan, buyers of cheaper homes would pay less stamp duty. "
        "Buyers would stop paying stamp duty on cheaper homes, the party promised. "
        "Fewer buyers would pay stamp duty under the plan, it said. "
        "The stamp duty plan for buyers is part of a wider housing policy. "
        "Its spokesman said the plan would stop over 400,000 home-buyers from paying the tax. "
        "The plan will be costed before the election.")})

    answer = assistant.ask("How many buyers would stop paying stamp duty under the plan?",
                           mode="extractive")
    assert not answer.abstained, answer.notes
    assert "400,000" in answer.text, answer.text
    assert_citations_sound(answer, assistant)


def test_a_number_in_a_name_is_no_figure(written):
    """"How much did the film take": "... displacing Ocean's 12" names a film, it gives no
    figure, so the sentence giving "$30.2m" comes first (the answer had been the chart
    sentence alone)."""
    assistant = written({"boxoffice.md": article(
        "Pirate film tops box office", "2024-07-08", "Valley Herald",
        "In its opening weekend Salt Road took the top of the box office chart, "
        "displacing Ocean's 12. "
        "Salt Road, starring Ana Reyes, took $30.2m in its debut weekend. "
        "Critics were divided over the film's ending.")})

    answer = assistant.ask("How much did Salt Road take in its opening weekend?",
                           mode="extractive")
    assert "$30.2m" in answer.citations[0].quote, answer.text
    assert_citations_sound(answer, assistant)


def test_numbers_in_names_are_told_from_scores_ages_and_amounts():
    from qa.evidence import holds_answer_type, without_name_numbers

    assert "12" not in without_name_numbers("It topped the chart, displacing Ocean's 12.")
    assert "11" not in without_name_numbers("The airline filed for Chapter 11 protection.")
    for kept in ("Wales beat Italy 38-8 in Rome.", "Mr Boateng, 53, is to become envoy.",
                 "Sales in Japan 12% higher.", "Profits at Harbour 30m up.",
                 "In 12 months sales doubled."):
        assert without_name_numbers(kept) == kept
    assert not holds_answer_type("It topped the chart, displacing Ocean's 12.", "figure")
    assert holds_answer_type("It took $30.2m, displacing Ocean's 12.", "figure")


def test_what_a_figure_question_asks_for():
    from qa.analysis import analyse

    clocked = analyse("What time did Ana Reyes clock in the indoor 400m?", None, 4)
    assert clocked.expects == "figure"  # a race's time, not a date
    assert analyse("What time does the shop open?", None, 4).expects == "date"
    drop = analyse("How much did Harbour's share price drop after the warning?", None, 4)
    assert (drop.expects, drop.change) == ("figure", -1)  # "lost 70%" answers it
    assert analyse("How much did the film cost?", None, 4).expects == "money"


def test_a_figure_question_is_answered_by_a_figure_it_does_not_give_going_its_way(written):
    """"What time did she clock in the indoor 400m?" is not answered by the sentence that
    repeats "400m"; "How much did the share price drop?" not by one telling a rise (each had
    led its answer, or been abstained on for want of a sum of money)."""
    assistant = written({
        "race.md": article(
            "Reyes close to indoor 400m mark", "2024-02-10", "Valley Herald",
            "Teenager Ana Reyes ran the third fastest indoor 400m of all time at the Harbour "
            "Invitational meeting. The world junior champion clocked 44.93 seconds to finish "
            "well clear of the field. Her coach said she would rest before the indoor season "
            "ends."),
        "shares.md": article(
            "Shares hit by drug suspension", "2024-03-01", "Valley Herald",
            "Shares in Harbour Pharma plunged on Monday as the firm suspended sales of its new "
            "drug after a patient died. The firm has been rebuilding itself since 2002, with its "
            "share price increasing by almost four-fold last year. On the stock exchange, "
            "shares in Harbour Pharma lost 70% by the close.")})

    race = assistant.ask("What time did Ana Reyes clock in the indoor 400m at the Harbour "
                         "meeting?", mode="extractive")
    assert "44.93" in race.citations[0].quote, race.text
    shares = assistant.ask("How much did Harbour Pharma's share price drop when sales of the "
                           "drug were halted?", mode="extractive")
    assert not shares.abstained, shares.notes
    assert "70%" in shares.citations[0].quote, shares.text
    assert_citations_sound(shares, assistant)


def test_how_many_counts_what_its_clause_names_in_other_words(written):
    """"How many campaigners were arrested?": "Earlier on Friday 15 protesters from the Fair
    Play campaign group were arrested" counts them (the clause names the campaign), and the 15
    after "Friday" is no number of a name (it had been abstained on)."""
    assistant = written({"protest.md": article(
        "Campaigners held at studio", "2024-05-04", "Valley Herald",
        "Earlier on Friday 15 protesters from the Fair Play campaign group were arrested after "
        "entering the studio compound. The show's producers said security would be reviewed. "
        "Campaigners from the group have staged protests at other studios.")})

    answer = assistant.ask("How many Fair Play campaigners were arrested after getting into "
                           "the studio compound?", mode="extractive")
    assert not answer.abstained, answer.notes
    assert "15 protesters" in answer.citations[0].quote, answer.text


def test_how_much_profit_leads_with_the_profits_figure(written):
    """The sentences closest to "how much profit" talk about profits without a figure, or
    give the sales' figure; the answer is the one a little further down giving the profits'
    figure (and the question is not abstained on for want of a figure near the top)."""
    assistant = written({"results.md": article(
        "Ad sales lift Harbour Media", "2024-02-09", "Valley Herald",
        "Harbour Media's fourth quarter profits were slightly better than analysts expected. "
        "Harbour Media said fourth quarter sales rose 2% to $11.1bn from $10.9bn. "
        "Harbour Media's fourth quarter profits were lifted by advertising. "
        "Harbour Media's fourth quarter profits beat its own forecast. "
        "Profits at Harbour Media jumped 76% to $1.13bn over the three months to December. "
        "The company also said it would hire 300 engineers this year.")})

    answer = assistant.ask("How much profit did Harbour Media make in the fourth quarter?",
                           mode="extractive")
    assert not answer.abstained, answer.notes
    assert "$1.13bn" in answer.citations[0].quote, answer.text
    assert_citations_sound(answer, assistant)


def test_another_companys_profits_figure_is_no_answer(written):
    """A figure for the same word further down, from another company's story, does not
    answer "how much profit did Harbour Media make": the question is abstained on."""
    assistant = written({
        "harbour.md": article(
            "Harbour Media profits beat forecasts", "2024-02-09", "Valley Herald",
            "Harbour Media's fourth quarter profits were slightly better than analysts "
            "expected. Harbour Media's fourth quarter profits were lifted by advertising. "
            "Harbour Media's fourth quarter profits beat its own forecast."),
        "coast.md": article(
            "Coast Radio expands", "2024-02-10", "Valley Herald",
            "Coast Radio opened two stations in the north this winter. Coast Radio's fourth "
            "quarter profits rose 12% to $2.1m, helped by advertising."),
    })

    answer = assistant.ask("How much profit did Harbour Media make in the fourth quarter?",
                           mode="extractive")
    assert answer.abstained, answer.text


@pytest.mark.parametrize("question", [
    "What word did the Valley Dictionary pick as its word of the year?",
    "what word did the valley dictionary pick as its word of the year",
    "What is the word of the year the Valley Dictionary picked called?",
])
def test_what_word_is_answered_with_the_word(written, question):
    """"What word ...", "what is it called": the answer is a word or name the question does
    not use, in quotes or capitals; the dictionary's own name is not it."""
    assistant = written({"words.md": article(
        "Dictionary picks its word of the year", "2004-12-01", "Valley Herald",
        "The word will now appear in the 2005 edition of the Valley Dictionary. The Valley "
        "Dictionary said \"blog\" was the word people looked up most often this year. Its "
        "editors said the list is drawn up every December.")})

    answer = assistant.ask(question, mode="extractive")
    assert "blog" in answer.citations[0].quote, answer.text
    assert_citations_sound(answer, assistant)


def test_a_draft_that_only_restates_the_question_is_dropped(assistant):
    """"Bristol City scored their win" for "Who scored Bristol City's goals in their win?"
    repeats the question and answers nothing: with the question asking for something it is
    dropped; the same words answering a yes/no or either-or question are kept."""
    from index import lexical_tokens

    question = "Who did the EU leaders hold talks with in Beijing?"
    evidence = assistant.selector.select(assistant.analyse(question),
                                         assistant.retrieve(question))
    echo = lexical_tokens([question])[0]
    draft = "The EU leaders hold talks in Beijing [1]."
    dropped = assistant.checker.check(draft, evidence[:3], echo, wants_new=True)
    assert not dropped.sentences
    assert "restates the question" in dropped.claims[0].reason
    kept = assistant.checker.check(draft, evidence[:3], echo, wants_new=False)
    assert kept.sentences, kept.claims
    # a figure of its own is something said ("The score was 2-6 3-1")
    figured = assistant.checker.check("The EU leaders hold 2 talks in Beijing [1].",
                                      evidence[:3], echo, wants_new=True)
    assert "restates" not in figured.claims[0].reason


def test_a_draft_that_copies_its_sources_back_keeps_each_sentence_once(assistant):
    """SmolLM2 sometimes writes its sources back with their wrapping, twice over: "BBC News:
    He was joined ... [1] (BBC News) He was joined ...". Each sentence loses its wrapping and
    the repeat is dropped; the sentence is checked like any other."""
    question = "Who did the EU leaders hold talks with in Beijing?"
    evidence = assistant.selector.select(assistant.analyse(question),
                                         assistant.retrieve(question))
    best, other = evidence[0].text, evidence[1].text
    twice = assistant.checker.check(f"{best} [1]\n{best} [1]", evidence[:3])
    assert [s.text for s in twice.sentences] == [best], twice.claims
    wrapped = assistant.checker.check(f"{best}\n[2] The answer is: {other}", evidence[:3])
    assert [s.text for s in wrapped.sentences] == [best, other], wrapped.claims
    # a sentence the model made up is still dropped, wrapped or not
    made_up = assistant.checker.check("The answer is: The leaders met Vladimir Putin.",
                                      evidence[:3])
    assert not made_up.sentences


def test_a_draft_repeats_only_the_question_words_its_stories_use_for_free(assistant):
    """A draft may restate the question ("The EU leaders sit down with Xi ...") without those
    words counting as its own claim. Words no story shown uses are free only when the rest of
    the sentence is its source's: "Who stepped into Li Qiang's shoes?" had let "... putting Li
    Qiang's shoes on the table" pass (every question word free), though no article says
    "shoes" or "table"."""
    from index import lexical_tokens
    from qa.citations import echo_in_story

    def check(question, draft):
        evidence = assistant.selector.select(assistant.analyse(question),
                                             assistant.retrieve(question))[:3]
        asked = lexical_tokens([question])[0]
        echo = echo_in_story(asked, evidence)
        return (bool(assistant.checker.check(draft, evidence, asked, asked=asked).sentences),
                bool(assistant.checker.check(draft, evidence, echo, asked=asked).sentences),
                asked, echo)

    every_word, story_words, asked, echo = check(
        "Who stepped into Li Qiang's shoes at the summit in Beijing?",
        "The EU leaders held separate talks, putting Li Qiang's shoes on the table.")
    assert "shoe" in asked and "shoe" not in echo, echo
    # With every question word free the draft is caught all the same now: "table", a word of
    # its own that no source holds, is a detail from nowhere (claims.py, novel words).
    assert not every_word and not story_words
    # the question restated in its own words ("hosting", "touched down"), the answer from its
    # source, passes; with something of its own besides, it does not
    question = "Who was hosting the EU leaders when they touched down in Beijing for the summit?"
    assert check(question, "Xi was hosting the EU leaders when they touched down in Beijing.")[1]
    assert not any(check(question, "Xi was hosting the EU leaders on the moon.")[:2])


SHOWN = ["More than 14 million people saw Den killed off on Friday, marking EastEnders' 20th "
         "anniversary.",
         "He was joined by one of the two Assembly members, Tom Reyes, now its deputy leader."]


@pytest.mark.parametrize("draft, expects, counted, asked, answer", [
    # a bare figure the model gave, as the sentence writes it, units and all
    ("The answer is: 14.", "figure", "people", set(), ("14 million", 0)),
    # "20" is in the sentence only as "20th", and is no count of people
    ("20", "figure", "people", set(), None),
    ("1,000", "figure", "people", set(), None),  # written nowhere
    ("Tom Reyes", "name", None, {"who", "is", "the", "deputy", "leader"}, ("Tom Reyes", 1)),
    ("Tom Reyes", "name", None, {"tom", "reyes"}, None),  # a name the question already uses
    # a sentence is for the claim check, not this
    ("Tom Reyes is the deputy leader of the party founded by the Assembly members.", "name",
     None, set(), None),
    ("14", None, None, set(), None),  # the question asks for no figure
    # a conversion in brackets is the model's own arithmetic: the figure before it counts
    ("The answer is: 14 million (about 25m dollars)\nExplanation: the source says so.",
     "figure", "people", set(), ("14 million", 0)),
])
def test_a_bare_figure_or_name_from_the_model_is_taken_only_as_a_source_writes_it(
        draft, expects, counted, asked, answer):
    from qa.citations import short_answer

    assert short_answer(draft, SHOWN, expects, counted, asked) == answer


def test_a_bare_figure_must_be_the_one_said_of_what_is_measured():
    """"How much had it lost the year before?": 400m stands by "profits", 984m by "a loss"."""
    from qa.citations import short_answer

    shown = ["The airline announced net profits of 400m euros, compared with a loss of 984m "
             "euros in 2003."]
    assert short_answer("400m euros", shown, "money", None, set(), "loss") is None
    assert short_answer("The answer is: 984m", shown, "money", None, set(), "loss") == \
        ("984m", 0)
    assert short_answer("400m euros", shown, "money", None, set(), "profit") == ("400m", 0)
    # an age is written as one ("the 34-year-old"), without the word "age"
    told = ['"It was a very easy decision to make," the 34-year-old told the club website.']
    assert short_answer("The answer is: 34.", told, "figure", None, set(), "age") == ("34", 0)
    assert short_answer("34", ["He scored 34 goals for his 29th club."], "figure", None, set(),
                        "age") is None


@pytest.mark.parametrize("draft, kept", [
    ("The answer is: 14.", "14."),
    ("BBC News: Henman leaves Davis Cup tennis.", "Henman leaves Davis Cup tennis."),
    # the prompt's own wrapping, copied back around a source sentence
    ('The source sentence is: "Sources: (BBC News) The title carries a £25,000 prize."',
     "The title carries a £25,000 prize."),
    ("The source sentence is:\n[1] (BBC News) Mr Reyes took 400 names.",
     "Mr Reyes took 400 names."),
    # quotes and words that are the answer's own stay
    ('"Blog" was the word of the year.', '"Blog" was the word of the year.'),
    ("Sources say the deal is off.", "Sources say the deal is off."),
])
def test_what_a_small_model_puts_before_its_answer_is_taken_off(draft, kept):
    from qa.citations import without_preamble

    assert without_preamble(draft) == kept


def test_a_checked_sentence_answers_how_many_only_with_a_figure_of_what_was_counted():
    from qa.citations import gives_what_was_asked

    draft = ["Each officer is expected to deal with 40 a day or one every 11 minutes."]
    assert not gives_what_was_asked(draft, "figure", "applications")
    assert gives_what_was_asked(["Each officer has a target of 8,000 applications a year."],
                                "figure", "applications")
    assert gives_what_was_asked(draft, None, None)  # not a how-many question


def test_a_checked_sentence_answers_who_only_with_a_name_the_question_does_not_use():
    from qa.citations import gives_what_was_asked

    asked = {"who", "is", "the", "individual", "on", "trial", "for", "fraud"}
    assert not gives_what_was_asked(["The individual on trial for fraud [1]."], "name", None,
                                    asked)
    assert gives_what_was_asked(["The individual on trial is Sam Bankman-Fried [1]."], "name",
                                None, asked)
    assert gives_what_was_asked(["Glazer made a new offer [1]."], "name", None, asked)


def test_what_else_besides_leaves_out_what_the_asker_knows(written):
    """"Besides the Pocket 5, what else did Tellar show?": the list is scored without the
    thing the asker already knows of, so the sentence only about the Pocket 5 does not
    take a place from the other products."""
    assistant = written({"tellar.md": article(
        "Tellar shows new phones at trade fair", "2005-02-14", "Testshire Post",
        "Tellar has launched its Pocket 5 phone at the trade fair in Cannes. The Pocket 5 "
        "is an upgrade of the Pocket 4, with a bigger screen and a faster chip. The Pocket 5 "
        "goes on sale in the summer at a price Tellar did not give. Tellar sold 100,000 of "
        "the Pocket 4 in Europe last year. Tellar also showed a folding tablet called the "
        "Leaf. The firm said it would add a music player, the Tune, to its range in May. "
        "Thousands of visitors are at the fair, which runs until Thursday. Tellar's stand "
        "drew large crowds on the first day. Rival makers showed cheaper phones.")})
    answer = assistant.ask("Besides the Pocket 5, what else did Tellar show at the fair?",
                           mode="extractive")
    assert "Leaf" in answer.text and "Tune" in answer.text, answer.text
    assert "upgrade of the Pocket 4" not in answer.text, answer.text
    assert "Pocket 5 goes on sale" not in answer.text, answer.text


def test_a_what_question_is_answered_by_a_sentence_of_the_story_that_names_its_subject(written):
    """"In Moonpaw 2 what do the dogs get to control?": the answer tells of the game without
    naming it ("this time the dogs get to control space"); in a story that names Moonpaw 2,
    the name counts for it, as it does for why and how-much questions."""
    assistant = written({"game.md": article(
        "Moonpaw 2 review", "2005-01-10", "Testshire Post",
        "Moonpaw 2 is the sequel to last year's hit platform game. This time around you do not "
        "play as Moonpaw but instead you create two cat characters and two dog characters in "
        "Moonpaw 2. As in the original, your cat can control time, but this time the dogs get "
        "to control space. The game goes on sale next month."),
        **{f"other{n}.md": article(
            f"Harbour news {n}", "2005-01-1{n}", "Coast Gazette",
            f"The council met on day {n} to talk about the new bridge. Traffic on the ring road "
            "was heavy again, and the dogs' home asked for more volunteers to help at weekends. "
            "Residents will get to vote on the plan in the spring.") for n in range(5)}})
    answer = assistant.ask("in moonpaw 2 what do the dogs get to control", mode="extractive")
    assert "control space" in answer.citations[0].quote, answer.text
    # the setting only: whom a "what" question asks about, or of, a sentence must name
    from qa.evidence import _setting_names

    seed = assistant.analyse("What did Li Qiang ask of Brussels in Beijing?")
    assert [seed.names[i] for i in _setting_names(seed.cased, seed)] == ["Beijing"]


def test_a_summary_opens_with_its_storys_lead_sentences(written):
    """News gives the gist in its first two sentences: the second says what the first only
    names (the manifesto's pledges), though later sentences repeat more of the question's
    words."""
    assistant = written({"manifesto.md": article(
        "Greens unveil manifesto for farmers", "2005-04-12", "Valley Herald",
        "The Green Party is trying to win over rural voters with a manifesto for farmers. "
        "Leader Ann Lee is pledging a minimum milk price and grants for hedgerows. "
        "Ms Lee says the manifesto for farmers answers what rural voters ask of the party. "
        "Party strategists believe rural voters and farmers decide many seats. "
        "The manifesto for farmers was launched at a farm near Valley Town. "
        "Rival parties said the manifesto's sums did not add up.")})
    answer = assistant.ask("What's in the Green manifesto aimed at farmers? Just the main "
                           "points.", mode="extractive")
    assert answer.kind == "summary"
    assert "milk price" in answer.text, answer.text
    assert_citations_sound(answer, assistant)


def test_who_does_an_act_is_answered_by_the_sentence_telling_that_act(written):
    """"... resigned - who is replacing her?": the sentences closest to the question retell the
    resignation and name her; the one saying who replaces her names the answer. A verb too
    light to tell an act alone ("who took her job") is not looked for."""
    assistant = written({"shop.md": article(
        "Valley Stores chief stepping down", "2005-01-13", "Valley Herald",
        "Valley Stores is parting company with its chief executive Mary Quinn. The retailer "
        "said Ms Quinn had resigned for personal reasons. Her departure follows that of "
        "finance director Tom Grant. Ms Quinn is to be replaced by Priya Natarajan, a "
        "director of the company. Shares in Valley Stores fell 3% on the news.")})
    answer = assistant.ask("Valley Stores' chief executive has resigned for personal reasons "
                           "- who is replacing her?", mode="extractive")
    assert "Priya Natarajan" in answer.text, answer.text
    assert_citations_sound(answer, assistant)


def test_how_far_a_level_fell_is_answered_by_the_amount_it_moved(written):
    """"How far did the shares fall?": a span said of the level ("a 10-year low") and a count of
    things ("two members of the board") are no amount it moved by; the sentence giving one
    ("lost 65 cents or 25%") answers, though the closest sentences retell the departure."""
    from qa.analysis import analyse

    assert analyse("How far did the shares fall?").change == -1
    assert analyse("How sharply did prices rise last year?").change == 1
    assistant = written({"train.md": article(
        "Valley Rail chief to leave company", "2004-12-14", "Valley Herald",
        "Paul Tell, who was also Valley Rail's president, left the company amid an ongoing "
        "restructuring. Shares in train maker Valley Rail have fallen to a 10-year low following "
        "the departure of its chief executive and two members of the board. Mr Tell had said he "
        "wanted to stay at the train maker. Shares in Valley Rail lost 65 cents or 25% on the "
        "news to 1.90 dollars before rallying to 2.20 dollars.")})
    answer = assistant.ask("How far did Valley Rail shares fall when Paul Tell left?",
                           mode="extractive")
    assert not answer.abstained, answer.notes
    assert "25%" in answer.citations[0].quote, answer.text
    assert_citations_sound(answer, assistant)


def test_what_someone_does_is_answered_by_the_sentence_telling_that_act(written):
    """"What game does Ann Lee play with her husband?": the closest sentence retells the
    documentary the question sets it in; the one saying what she plays answers it. A light verb
    ("What does she have ...?") is not looked for."""
    assistant = written({"film.md": article(
        "Film shows Lee at home", "2005-02-10", "Valley Herald",
        "Documentary maker Tom Grant was given behind-the-scenes access to Ann Lee for his "
        "documentary portrait of the party leader at home. The film shows the private side of "
        "the party leader watching television at home or playing table tennis with her "
        "husband, a retired teacher. The documentary portrait will be shown on Saturday.")})
    answer = assistant.ask("What game does Ann Lee play with her husband at home in the "
                           "documentary about her?", mode="extractive")
    assert "table tennis" in answer.citations[0].quote, answer.text
    assert_citations_sound(answer, assistant)



def test_which_player_is_answered_by_a_person(written):
    """"Which Mill Rovers player did Tom Reyes bring down?" wants a person: the club the two
    stories share ("Harbour City") is no answer to put first."""
    assistant = written({
        "herald.md": article(
            "Reyes to miss cup final", "2005-02-21", "Valley Herald",
            "Harbour City goalkeeper Tom Reyes will miss the cup final after the club dropped "
            "its appeal against his red card. Reyes was sent off for bringing down Dan Price "
            "in the last minute. Price was not hurt."),
        "gazette.md": article(
            "Harbour City lose keeper", "2005-02-22", "Coast Gazette",
            "Harbour City will be without goalkeeper Tom Reyes for the final after his red "
            "card against Mill Rovers."),
    })
    player = assistant.ask("Which Mill Rovers player did Tom Reyes bring down to earn his red "
                           "card?", mode="extractive")
    assert not player.text.startswith("Harbour City."), player.text
    assert "Dan Price" in player.text


def test_uk_said_in_passing_is_no_name_to_put_first():
    """"Which school does she teach at?": "UK", shared by two stories ("UK shoppers", "UK
    card fraud"), is a country said in passing, not the answer; to "which country" it is."""
    from qa.analysis import analyse
    from qa.compose import Composer
    from tests.qa.conftest import sentence

    chosen = [sentence("The switch took place as she paid in a UK supermarket.", "a.md"),
              sentence("Card fraud on UK cards rose last year.", "b.md")]
    composer = Composer()
    assert composer.name_asked_for(analyse("Which school does she teach at?"), chosen,
                                   chosen) is None
    assert composer.name_asked_for(analyse("Which country did she pay in?"), chosen,
                                   chosen) == "UK"


def test_the_story_stating_the_questions_figure_answers_it(written):
    """"What lay behind the 6% jump in Tellar's shares?": of two stories on Tellar's shares,
    the one that states the 6% rise is about it; the other ("closed down 18% after a
    disappointing drilling update"), though it shares more of the question's words, is
    about another day."""
    assistant = written({
        "slump.md": article(
            "Tellar shares slump on drilling update", "2005-01-10", "Valley Herald",
            "Shares in Tellar Energy closed down 18% after its latest update on drilling in "
            "the North Sea. The latest drilling update disappointed investors, and Tellar's "
            "shares fell sharply on the update."),
        "jump.md": article(
            "Tellar shares up on new find", "2005-02-14", "Coast Gazette",
            "Tellar Energy's shares jumped 6% after the firm said its new oilfield was larger "
            "than first thought. Analysts said the find looked very strong."),
    })
    answer = assistant.ask("What lay behind the 6% jump in Tellar Energy's shares after its "
                           "latest update on drilling?", mode="extractive")
    assert answer.kind == "explain"
    assert answer.citations[0].article_id == "jump.md", answer.text
    assert "larger than first thought" in answer.text


def test_a_who_answer_quoting_him_brings_the_sentence_that_names_him(written):
    """"Who was the youngest captain the club ever had?" is answered best by a quote that
    says only "he"; the name two stories share ("Tom Reyes") is put first, and the sentence
    that gives it is cited with the quote."""
    filler = ("The club's supporters have packed the ground all season. The stand will be "
              "rebuilt next summer. Tickets for the final sold out in a day. ")
    assistant = written({
        "herald.md": article(
            "Harbour City captain banned", "2005-03-01", "Valley Herald",
            "\"He was the youngest captain the club ever had, and he was going to win "
            "everything,\" the coach said. " + filler + "Tom Reyes, 29, was banned for six "
            "matches on Monday."),
        "gazette.md": article(
            "Reyes ban confirmed", "2005-03-02", "Coast Gazette",
            "Tom Reyes will miss six matches after the league upheld his ban. " + filler),
    })
    answer = assistant.ask("Who was the youngest captain the club ever had, and was going to "
                           "win everything?", mode="extractive")
    assert answer.text.startswith("Tom Reyes."), answer.text
    assert any("Tom Reyes" in c.quote for c in answer.citations), answer.citations
    assert_citations_sound(answer, assistant)


def test_a_figure_in_money_is_stated_by_the_story_that_gives_that_sum():
    """"Why did Tellar pay £5m ...?" fixes the sum: the story giving "£5m" is read first, and
    one giving "£15m" does not state it."""
    from qa.analysis import analyse
    from qa.evidence import stating_the_figures
    from tests.qa.conftest import sentence

    asked = analyse("Why did Tellar pay £5m for the stake?")
    evidence = [sentence("Tellar paid £15m for the mill.", "mill.md"),
                sentence("Tellar paid £5m for a stake in the harbour firm.", "stake.md")]
    assert [e.passage.article_id for e in stating_the_figures(asked, evidence)] == \
        ["stake.md", "mill.md"]
    # a verdict reads every report it names, whatever figures it states
    assert stating_the_figures(analyse("Did Tellar pay £5m for the stake?"), evidence) == \
        evidence
