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


def test_pronouns_and_fresh_subjects():
    from qa.chat import is_follow_up

    assert is_follow_up("How big was the deficit he was talking about?")
    assert is_follow_up("Why?")
    assert is_follow_up("Why did they do that?")
    # Questions that name their own subject are fresh, even with "Why" or "his".
    assert not is_follow_up("Why did Sony cut the price of the PlayStation?")
    assert not is_follow_up("Why did Tony Blair change his mind about the election date?")


def test_a_three_turn_chain_keeps_the_thread(assistant):
    chat = assistant.chat()
    chat.ask("What did Li Qiang ask of Brussels?", mode="extractive")
    second = chat.ask("and what did Xi say about trade?", mode="extractive")
    assert any("Xi" in c.quote for c in second.citations)
    third = chat.ask("How big was the deficit he was talking about?", mode="extractive")
    assert not third.abstained
    assert "Xi" in chat.history[-1].asked  # "he" is the person last named
    assert any("400 billion euros" in c.quote for c in third.citations), third.citations
    assert {c.article_id for c in third.citations} == {"eu-china-summit-2023-12-07.md"}


def test_what_a_conversation_carries_is_bounded(assistant):
    chat = assistant.chat()
    for question in ("What did Li Qiang ask of Brussels?",
                     "What did von der Leyen say about the Taiwan Strait?",
                     "What did Michel say about the U.N. Security Council?",
                     "What did Wang Wenbin say about Italy and the Belt and Road scheme?"):
        chat.ask(question, mode="extractive")
    context = chat.context_for("and what else did he say?")
    assert context is not None
    policy = assistant.policy.follow_up
    # names of the last `turns` turns and at most `topic_words` words: never the whole chain
    assert "Li Qiang" not in context.topic
    assert len(context.topic.split()) <= 4 * policy.turns + policy.topic_words


def test_a_title_is_resolved_to_the_person_named_before(assistant):
    chat = assistant.chat()
    chat.ask("Who did the EU leaders hold talks with in Beijing?", mode="extractive")
    context = chat.context_for("What did the premier tell them?")
    assert context is not None
    assert "Li Qiang" in context.resolved


def test_a_relative_year_and_it_are_read_from_the_conversation(assistant):
    """"the year before" is the year before the one last asked about; in "how much ... it",
    "it" is the one thing (not a person) the last question named; a year or a name of the
    follow-up's own stays."""
    chat = assistant.chat()
    chat.ask("How big was the EU's trade deficit in 2022?", mode="extractive")
    before = chat.context_for("And how much was it the year before?")
    assert before is not None and "2021" in before.resolved and "the year before" not in \
        before.resolved
    assert "EU" in before.resolved  # "it": the one thing the last question named
    assert "2019" in chat.context_for("And how much was it in 2019?").resolved
    # "it" in a question about an event is not the EU
    assert "EU" not in chat.context_for("Why did it happen that year?").resolved
    chat.ask("What did Xi say in 2023?", mode="extractive")
    # Xi is a person: "it" is not him
    assert "Xi" not in chat.context_for("and what did it cost?").resolved


def test_what_was_he_referring_to_asks_about_the_last_answer(assistant):
    """A follow-up with nothing of its own ("What was he referring to?") is about what the last
    answer said: its words are searched and scored, so the answer is the sentence the last
    one pointed to (the anti-subsidy probe: electric vehicles), not the one that first named
    the person."""
    chat = assistant.chat()
    chat.ask("Who did the EU leaders meet in Beijing?", mode="extractive")
    chat.ask("What did the premier tell them?", mode="extractive")
    answer = chat.ask("What was he referring to?", mode="extractive")
    assert "electric vehicles" in answer.citations[0].quote, answer.text
    # a follow-up with a subject of its own is not read this way
    context = chat.context_for("And what did Xi say about trade?")
    assert context is not None and "trade" in context.resolved


def test_a_follow_up_is_answered_with_something_new(assistant):
    """The seed chain a user would type: who they met, then what the premier told them. The
    second answer does not repeat the first one's sentence; it quotes what Li said."""
    chat = assistant.chat()
    first = chat.ask("Who did the EU leaders meet in Beijing?", mode="extractive")
    assert not first.abstained
    second = chat.ask("What did the premier tell them?", mode="extractive")
    assert not second.abstained
    first_quotes = {c.quote for c in first.citations}
    assert second.citations[0].quote not in first_quotes, (first.text, second.text)
    assert any("prudent" in c.quote for c in second.citations), second.text


def test_he_stays_the_person_the_user_has_been_asking_about(assistant):
    """The user asked about Kilroy-Silk, then about "him" (Kilroy-Silk); the answer quoted a
    Mr Hockney. The next "he" is still Kilroy-Silk: the thread the user follows, not the
    last name a quote happened to hold."""
    from qa.chat import Turn
    from qa.types import Answer, Citation

    def answered(question: str, quote: str) -> Answer:
        return Answer(question=question, text=quote + " [1]", citations=[Citation(
            1, "a", "Kilroy-Silk quits", None, None, None, quote, (0, len(quote)), 1.0, 0)])

    chat = assistant.chat()
    chat.turns = [
        Turn("Why did Robert Kilroy-Silk quit UKIP?",
             answered("Why did Robert Kilroy-Silk quit UKIP?",
                      "Mr Kilroy-Silk quit UKIP last week after months of tension.")),
        Turn("What did the party's leader say about him leaving?",
             answered("What did the party's leader say about him leaving?",
                      "Mr Hockney also left UKIP saying the party had lost its way."),
             "What did the party's leader say about Kilroy-Silk leaving?", "Kilroy-Silk"),
    ]
    context = chat.context_for("And what is the new party he launched called?")
    assert context is not None
    assert "Kilroy-Silk launched" in context.resolved, context.resolved
    assert context.person == "Kilroy-Silk"


def test_he_after_a_who_question_is_the_person_it_answered_with(written):
    """"Who has made an offer?" answered "Sam Ortega. ..." (no speech verb or title names
    him): the next "he" is Sam Ortega."""
    from tests.qa.conftest import article

    assistant = written({
        "rovers.md": article(
            "Tycoon makes fresh approach for Valley Rovers", "2024-10-04", "Valley Herald",
            "Valley Rovers confirmed it had received a fresh takeover approach from US "
            "business tycoon Sam Ortega. The offer values the club at about £80m. To succeed, "
            "Sam Ortega will still need the approval of major shareholders Ann Lee and Bo "
            "Park, who own 29% of the club."),
        "rovers-fans.md": article(
            "Fans protest at Rovers bid", "2024-10-05", "Coast Gazette",
            "Valley Rovers fans marched against the new offer for the club made by Sam Ortega "
            "on Saturday."),
    })
    chat = assistant.chat()
    first = chat.ask("Who has made a new offer for Valley Rovers?", mode="extractive")
    assert first.text.startswith("Sam Ortega."), first.text
    context = chat.context_for("Whose support does he need for it to succeed?")
    assert context is not None and "Sam Ortega" in context.resolved, context
    answer = chat.ask("Whose support does he need for it to succeed?", mode="extractive")
    assert "Ann Lee" in answer.text, answer.text


def test_he_is_the_name_the_answer_opens_with(written):
    """"Who's the new president of the label?" answered with "Jay-Q, who said he would
    record no more after The Last Album, will become the company's president ...": the next
    "his" is Jay-Q (the sentence's subject), not the album it also names."""
    from tests.qa.conftest import article

    assistant = written({
        "label.md": article(
            "Rapper Jay-Q becomes label boss", "2024-10-04", "Valley Herald",
            "Rap star Jay-Q is to become a record company executive at Stone Jam. Jay-Q, who "
            "said he would record no more after The Last Album, will become the company's "
            "president from January. Stone Jam's parent company made the appointment. "
            "Jay-Q, real name Sean Carver, said he was proud."),
    })
    chat = assistant.chat()
    first = chat.ask("Who's the new president of Stone Jam?", mode="extractive")
    assert first.citations and "will become the company's president" in \
        first.citations[0].quote, first.text
    context = chat.context_for("What's his real name?")
    assert context is not None and "Jay-Q" in context.resolved, context


def test_what_was_the_score_reads_on_from_the_last_answer(written):
    """"What was the score?" after an answer about a final: the score is told in the report's
    next sentence, in its written form ("2-6 6-3 6-0"), not in a sentence that says "score";
    sentences closer to the words of the question but lacking a score do not join it."""
    from tests.qa.conftest import article

    assistant = written({
        "final.md": article(
            "Okafor battles to the Valley Open title", "2024-01-28", "Valley Herald",
            "Ruth Okafor staged a remarkable recovery to beat Dana Price and win her second "
            "Valley Open title. The 2022 champion claimed her seventh title, and her first since "
            "the spring, 2-6 6-3 6-0. Okafor had looked close to quitting with a rib injury."),
        "draw.md": article(
            "Okafor drawn against a qualifier", "2024-01-12", "Coast Gazette",
            "Ruth Okafor, who won the Valley Open final in 2022, was drawn in the bottom half "
            "of the draw. Her sister, who lost the Valley Open final two years ago, opens "
            "against a qualifier."),
    })
    chat = assistant.chat()
    chat.ask("Who did Ruth Okafor beat in the Valley Open final?", mode="extractive")
    answer = chat.ask("What was the score?", mode="extractive")
    assert "2-6 6-3 6-0" in answer.citations[0].quote, answer.text
    assert len(answer.citations) == 1, answer.text


def test_who_takes_over_from_him_reads_on_from_the_one_who_left(written):
    """"Who quit as chief executive?" answered with "Anna Pike, who was also Harbour Rail's
    president, left ..." (no speech verb or title names her): the next "her" is Anna Pike, her
    successor is named in the story's next sentence, and the answer is that sentence, not the
    one already given again (or another about her tenure)."""
    from tests.qa.conftest import article

    assistant = written({"rail.md": article(
        "Harbour Rail chief to leave", "2024-11-02", "Valley Herald",
        "Shares in Harbour Rail have fallen to a ten-year low after the departure of its chief "
        "executive. "
        "Anna Pike, who was also Harbour Rail's president, left the company amid a "
        "restructuring. "
        "Tom Reyes, part of the family that controls the firm, will take on the role of chief "
        "executive under a new structure. "
        "Under Ms Pike's tenure, which began in January 2021, plans to cut a third of the "
        "workforce were announced. "
        "Ms Pike had said she wanted to stay until the restructuring was complete.")})
    chat = assistant.chat()
    first = chat.ask("Who has just quit as chief executive of Harbour Rail?", mode="extractive")
    assert "Anna Pike" in first.text, first.text
    context = chat.context_for("Who is taking over from her?")
    assert context is not None and "Anna Pike" in context.resolved, context
    answer = chat.ask("Who is taking over from her?", mode="extractive")
    assert "Tom Reyes" in answer.citations[0].quote, answer.text


def test_he_is_the_surname_the_last_answer_quoted_in_its_full_form(written):
    """"Who sang the theme tune?" answered with "... Scoggins came out of retirement to
    perform the theme tune": the next "he" is Jerry Scoggins, as his story names him in full
    (no speech verb or title named him, so "How old was he" had been abstained on)."""
    from tests.qa.conftest import article

    assistant = written({"singer.md": article(
        "Hillbillies singer dies", "2004-06-09", "Valley Herald",
        "Country musician Jerry Scoggins has died in Los Angeles at the age of 93, his family "
        "has said. When a film version of the show was made in 1993, Scoggins came out of "
        "retirement to perform the theme tune. Scoggins had sung on radio since the 1930s.")})
    chat = assistant.chat()
    first = chat.ask("Who sang the theme tune to the show's film version?", mode="extractive")
    assert "Scoggins" in first.text, first.text
    context = chat.context_for("How old was he when he died?")
    assert context is not None and "Jerry Scoggins" in context.resolved, context
    answer = chat.ask("How old was he when he died?", mode="extractive")
    assert "93" in answer.text, (answer.text, answer.notes)


def test_he_after_a_topic_first_who_question_is_the_headlines_full_name(written):
    """"The novel Runway - who wrote it?" answered "Runway (1968) remains Dale's best-loved
    work": the who comes after a topic, and the answer gives a possessive surname alone; the
    next "he" is Ian Dale, as the story's headline names him in full."""
    from tests.qa.conftest import article

    assistant = written({"novelist.md": article(
        "Ian Dale, king of the bestsellers", "2004-11-25", "Valley Herald",
        "Runway (1968) remains Dale's best-loved work and started the disaster film craze. "
        "Born in Westmark on 5 April 1920, Dale was the only child of a baker. Dale later "
        "moved to Harbour City, where he wrote his last book.")})
    chat = assistant.chat()
    first = chat.ask("The novel Runway, the one that started the disaster film craze - who "
                     "wrote it?", mode="extractive")
    assert "Dale" in first.text, first.text
    context = chat.context_for("Where was he born?")
    assert context is not None and "Ian Dale" in context.resolved, context


def test_how_much_is_she_after_is_answered_within_the_thread(written):
    """"How much is she trying to get back?" after "Who is she suing over her cancelled
    tour?": an amount asked for ("get back" is money, as "cost" is), answered from the same
    story, and the sentences the last answer quoted (one with "eight insurance companies" in
    it) are not the closest ones that must hold it, so it is no abstention."""
    from tests.qa.conftest import article

    assistant = written({"tour.md": article(
        "Singer seeks aborted tour payment", "2005-01-20", "Valley Herald",
        "Singer Carla Vance is suing eight insurance companies that have refused to reimburse "
        "her for cancelling her 2004 world tour. The pop star cancelled her Sapphire tour last "
        "June after a knee injury during a video shoot. She is now seeking to be reimbursed "
        "for the tour's £5m ($9.3m) costs in a claim filed in New York. The legal submission "
        "described Vance as \"one of the most recognised performers in her industry\"."),
        "other.md": article(
            "Band plans comeback tour", "2005-01-21", "Coast Gazette",
            "The Lanterns will tour Europe in the spring, their first dates since 2001. The "
            "band said tickets would go on sale in March.")})
    chat = assistant.chat()
    first = chat.ask("Who is Carla Vance taking to court over her cancelled world tour?",
                     mode="extractive")
    assert "insurance" in first.text, first.text
    answer = chat.ask("How much is she trying to get back?", mode="extractive")
    assert not answer.abstained, answer.notes
    assert "9.3m" in answer.text and "9.3m" in answer.citations[0].quote, answer.text


def test_he_after_a_written_who_answer_is_the_new_name_it_gives(assistant):
    """A generated answer to "Who has made a new offer for Valley United?" reads "The person
    who made a new offer for Valley United is Malcolm Reed [1].": the next "he" is Malcolm
    Reed, the full name the question did not use, not the club it named."""
    from qa.chat import Chat, Turn
    from qa.types import Answer

    chat = Chat(assistant)
    chat.turns.append(Turn("Who has made a new offer for Valley United?", Answer(
        question="Who has made a new offer for Valley United?",
        text="The person who made a new offer for Valley United is Malcolm Reed [1].")))
    context = chat.context_for("Whose support does he need for it to succeed?")
    assert context is not None and context.person == "Malcolm Reed", context


def test_he_after_she_is_the_other_person_the_last_answer_named(written):
    """"And who is she married to?" (she: the footballer), then "Which team does he play
    for?": "he" is the husband the answer named, not the woman the thread calls "she"; and
    the sentence the last answer quoted, which names his team, answers again."""
    from tests.qa.conftest import article

    assistant = written({
        "ruiz.md": article(
            "Ruiz bows out for Harbour", "2004-12-09", "Valley Herald",
            "Football legend Ana Ruiz has played her final game for Harbour. Ruiz ends her "
            "career with 158 goals in 276 games. Ruiz, who is married to Valley Cubs shortstop "
            "Marco Dellapina, will now start a new life in Chicago. He was in the stands to "
            "watch her final game, and has just agreed a new deal with the Cubs."),
        "cup.md": article(
            "Rovers reach the cup final", "2004-12-10", "Coast Gazette",
            "Rovers beat United 2-0 to reach the cup final. The team will play in Spain next "
            "month, and the manager said the team was full of confidence."),
    })
    chat = assistant.chat()
    chat.ask("How many goals did Ana Ruiz score for Harbour?", mode="extractive")
    married = chat.ask("And who is she married to?", mode="extractive")
    assert "Marco Dellapina" in married.text, married.text
    context = chat.context_for("Which team does he play for?")
    assert context is not None and "Marco Dellapina" in context.resolved, context
    team = chat.ask("Which team does he play for?", mode="extractive")
    assert "Valley Cubs" in team.text, team.text


def test_how_old_is_he_is_answered_by_the_age_the_story_gives(written):
    """"How old is he?" asks an age: "the 34-year-old told the club's website" answers it,
    not a sentence with other figures (appearances, goals) about him."""
    from tests.qa.conftest import article

    assistant = written({"stuart.md": article(
        "Lane joins Harbour from Rovers", "2005-01-20", "Valley Herald",
        "Harbour have signed Rovers midfielder Tom Lane until the end of the season. \"It was "
        "a very easy decision to make,\" the 34-year-old told the club's website. Lane spent "
        "four years at Valley Park, making 125 appearances and scoring 25 goals for Rovers.")})
    chat = assistant.chat()
    chat.ask("Who have Harbour signed from Rovers?", mode="extractive")
    answer = chat.ask("How old is he?", mode="extractive")
    assert "34-year-old" in answer.text, answer.text


def test_a_thing_named_alone_after_how_much_asks_how_many_of_it(written):
    """"And jobs?" after "How much will Valley Motors invest ...?" asks how many jobs: the
    sentence counting jobs answers it, not the one counting cars; "And when?" is no thing to
    count and is read as before."""
    from tests.qa.conftest import article

    assistant = written({"plant.md": article(
        "Valley Motors cash to fuel car production", "2005-02-10", "Valley Herald",
        "Valley Motors has announced £100m of new investment at its Oxford plant. Some 200 new "
        "jobs are to be created at the plant, including a new body shop. Initially the firm "
        "said it would build 100,000 cars a year at the plant, but the target was quickly "
        "reached. The investment will be made by 2007.")})
    chat = assistant.chat()
    first = chat.ask("How much will Valley Motors invest at its Oxford plant?",
                     mode="extractive")
    assert "£100m" in first.text, first.text
    jobs = chat.ask("And jobs?", mode="extractive")
    assert jobs.resolved_question.startswith("And how many jobs?"), jobs.resolved_question
    assert "200 new jobs" in jobs.citations[0].quote, jobs.text
    when = chat.ask("And when?", mode="extractive")
    assert "how many" not in when.resolved_question.lower()


def test_that_school_is_the_school_the_last_answer_named(written):
    """"How is Otis Crane connected with that school?" names a person of its own, yet "that
    school" points back: to the Harbour School for the Deaf the last answer named, and the
    answer cites the sentence telling how. "that year" stays a time."""
    from tests.qa.conftest import article

    assistant = written({
        "anthem.md": article(
            "Mara Vell to open Harbour Cup final", "2024-12-02", "Valley Herald",
            "Soul singer Mara Vell is to open the Harbour Cup final, singing a song only "
            "previously performed there by Otis Crane. Vell will be joined by 150 pupils from "
            "the Harbour School for the Deaf. Crane, who died last year, attended the school "
            "as a boy in 1941. The final is watched by millions."),
        "crane.md": article(
            "Crane museum opens", "2024-12-03", "Coast Gazette",
            "A museum dedicated to the late singer Otis Crane has opened in his old studio in "
            "Valley City. Otis Crane recorded 40 albums."),
    })
    chat = assistant.chat()
    first = chat.ask("How many pupils will join Mara Vell when she sings at the Harbour Cup "
                     "final?", mode="extractive")
    assert "Harbour School for the Deaf" in first.text, first.text
    context = chat.context_for("How is Otis Crane connected with that school, then?")
    assert context is not None and "the Harbour School for the Deaf" in context.resolved, \
        context
    assert chat.context_for("What did Otis Crane record that year?") is None
    answer = chat.ask("How is Otis Crane connected with that school, then?", mode="extractive")
    assert any("1941" in c.quote for c in answer.citations), answer.text


def test_its_is_never_the_person_the_thread_calls_him(written):
    """After "what gave him the idea for it" ("him": Tom Reyes), "its stunts" are the film's,
    not "Tom Reyes's"."""
    from tests.qa.conftest import article

    assistant = written({
        "film.md": article(
            "Reyes set for Valley adventure", "2024-12-02", "Valley Herald",
            "Actor Tom Reyes is to star in an adventure film about a gold robbery set in the "
            "Valley hills. Reyes said it had been inspired by a newspaper article about gold "
            "couriers. Most of the stunts will be on a steam train, the producer said."),
    })
    chat = assistant.chat()
    chat.ask("Tom Reyes announced an adventure film set in the Valley hills - what's its "
             "title?", mode="extractive")
    chat.ask("what gave him the idea for it", mode="extractive")
    assert chat.turns[-1].person == "Tom Reyes"
    context = chat.context_for("And where will most of its stunts happen?")
    assert context is not None and "Reyes's" not in context.resolved, context


def test_who_made_it_is_asked_of_what_the_last_answer_told_of(written):
    """"Tell me about Milo, the avatar at the Valley Museum's Face Show. What is it?" names
    three things; the answer tells of Milo ("Milo is a virtual face ..."), so "Who created
    it?" asks who created Milo, and is answered by the sentence naming his creator."""
    from tests.qa.conftest import article

    assistant = written({
        "milo.md": article(
            "Putting a face on gadgets", "2024-12-02", "Valley Herald",
            "Putting a face on technology could change how we use gadgets. Some of these "
            "ideas are on show at the Valley Museum, as part of its Face Show. One such avatar "
            "is Milo. Milo is a virtual face on show at the museum that copies the way people "
            "respond. His creator, Ada Lenn, teaches at Harbour College. The Face Show runs "
            "until May."),
        "mill.md": article(
            "Old mill reopens", "2024-12-05", "Coast Gazette",
            "The Valley mill, closed since 1990, reopens as a museum run by Ada Marsh."),
    })
    chat = assistant.chat()
    first = chat.ask("Tell me about Milo, the avatar on show at the Valley Museum's Face Show. "
                     "What is it?", mode="extractive")
    assert first.text.startswith("Milo is a virtual face"), first.text
    context = chat.context_for("Who created it?")
    assert context is not None and context.resolved.startswith("Who created Milo?"), context
    answer = chat.ask("Who created it?", mode="extractive")
    assert "Ada Lenn" in answer.citations[0].quote, answer.text
