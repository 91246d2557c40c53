"""Answers of the question's kind: verdicts, options, before/after, summaries, explanations."""

from __future__ import annotations

import re

import pytest

from tests.qa.conftest import article
from tests.qa.test_qa_answers import assert_citations_sound

# Other stories beside a test's own, so that the store's word weights are those of a news
# collection rather than of one article (where every word is as rare as every other).
OTHER_NEWS = {
    "cup.md": article(
        "Mill Rovers win cup", "2005-01-04", "Valley Herald",
        "Mill Rovers won the Coast Cup on Saturday with a late goal. The club's manager "
        "praised his players. Fans celebrated in the town centre."),
    "fares.md": article(
        "Rail fares rise", "2005-01-05", "Coast Gazette",
        "Rail fares in the valley will rise by 4% in March, the operator said. Commuters "
        "said the service had not improved. The operator blamed higher fuel costs."),
}


@pytest.mark.parametrize("question, verdict, quoted", [
    ("Did Italy withdraw from the Belt and Road initiative?", "Yes", "withdrawal"),
    ("Did Xi say the EU and China should uphold a comprehensive strategic partnership?", "Yes",
     "comprehensive strategic partnership"),
    # the source says the deficit swelled
    ("Did the EU's trade deficit with China shrink in 2022?", "No", "swelled"),
    # the spokesman "did not confirm"
    ("Did Wang Wenbin confirm that Rome had notified Beijing it was pulling out?", "No",
     "did not confirm"),
    ("Does the EU want to decouple from China?", "No", "does not want to decouple"),
])
def test_yes_no_questions_get_a_verdict_and_the_deciding_sentence(assistant, question,
                                                                  verdict, quoted):
    for mode in ("extractive", "generate"):
        answer = assistant.ask(question, mode=mode)
        assert not answer.abstained
        assert answer.verdict == verdict
        assert answer.text.startswith(verdict + "."), answer.text
        assert any(quoted in c.quote for c in answer.citations), answer.citations
        assert_citations_sound(answer, assistant)


def test_either_or_questions_get_the_option(assistant):
    answer = assistant.ask("Was it von der Leyen or Michel who said China has a special "
                           "responsibility?", mode="extractive")
    assert answer.verdict == "Michel"
    assert answer.text.startswith("Michel.")
    assert "special responsibility" in answer.citations[0].quote


def test_before_or_after_is_decided_by_the_articles_dates(assistant):
    # Nike's results were reported on 2023-09-28, Hamas's attack on Israel on 2023-10-07.
    answer = assistant.ask("Did Nike miss revenue expectations before or after Hamas attacked "
                           "Israel?", mode="extractive")
    assert answer.verdict == "before"
    assert answer.text.startswith("Before.")
    dates = sorted(c.date for c in answer.citations)
    assert dates[0] < dates[-1]


@pytest.mark.parametrize("question, verdict", [
    ("Did Nike miss revenue expectations before Hamas attacked Israel?", "Yes"),
    ("Did Nike miss revenue expectations after Hamas attacked Israel?", "No"),
    ("Did Hamas attack Israel before Nike missed revenue expectations?", "No"),
])
def test_did_a_happen_before_b_is_answered_by_the_articles_dates(assistant, question,
                                                                  verdict):
    """Either side of "before"/"after" found and dated: the order decides Yes or No, with
    both events' sentences cited."""
    answer = assistant.ask(question, mode="extractive")
    assert answer.verdict == verdict, (answer.text, answer.notes)
    assert answer.text.startswith(verdict + ".")
    assert len({c.date for c in answer.citations}) == 2
    assert_citations_sound(answer, assistant)


def test_a_summary_gets_several_cited_sentences_in_reading_order(assistant):
    answer = assistant.ask("Summarise what happened at the EU-China summit in Beijing.",
                           mode="generate")
    assert answer.kind == "summary"
    assert_citations_sound(answer, assistant)
    assert len(answer.citations) >= 3
    quotes = [c.quote for c in answer.citations]
    assert len(set(quotes)) == len(quotes), "no sentence twice"
    same_article = [c for c in answer.citations if c.article_id == answer.citations[0].article_id]
    spans = [c.span[0] for c in same_article]
    assert spans == sorted(spans), "sentences of one article keep the article's order"


def test_why_questions_prefer_the_sentence_that_gives_the_reason(assistant):
    answer = assistant.ask("Why did the EU launch a probe into China?", mode="extractive")
    assert answer.kind == "explain"
    assert not answer.abstained
    assert any("subsid" in c.quote for c in answer.citations)


def test_a_why_answer_finds_the_cause_told_of_the_person_by_description(written):
    """The story names the agent later; its first sentence tells why he was arrested without
    naming him ("A well-known football agent ... on suspicion of ..."). It is that sentence a
    "why" question gets first, over sentences that name him and tell something else."""
    assistant = written({"agent.md": article(
        "Football agent held", "2024-05-02", "Valley Herald",
        "A well-known football agent was arrested on Wednesday on suspicion of laundering "
        "transfer fees through a shell company in Malta. Pim Vos, 54, has represented players "
        "at a dozen Premier League clubs. Pim Vos was once the most powerful man in the "
        "transfer market. Mr Vos was arrested at his home in Manchester and taken to a police "
        "station. Pim Vos has denied wrongdoing in the past.")})

    answer = assistant.ask("Why was Pim Vos arrested?", mode="extractive")
    assert answer.kind == "explain"
    assert "laundering" in answer.citations[0].quote, answer.text


def test_a_why_answer_gives_a_cause_not_only_what_it_restates(written):
    """The sentences closest to a why question restate what it asks about; the cause is told
    in others: the one right after the best ("It blamed ..."), else the best that says why
    ("... easier to attract investment by having a single owner")."""
    assistant = written({
        "harbour.md": article(
            "Harbour Foods slides into the red", "2024-08-01", "Valley Herald",
            "Harbour Foods posted a £40m loss for the six months to June, against a £12m "
            "profit a year earlier. It blamed a £55m fine for breaking competition rules. The "
            "firm's chief executive said the first half of the year had been the most "
            "difficult in its history. Harbour Foods employs 3,000 people at six bakeries."),
        "rovers.md": article(
            "Reed bids for Millbrook Rovers", "2024-08-02", "Valley Herald",
            "Tom Reed, chairman of Millbrook Rovers, has bid £2m for the club after buying a "
            "bank's stake in it. Mr Reed already owns 40% of Millbrook Rovers and now hopes to "
            "take full control of the club. A lifelong fan, Mr Reed has sat on the board "
            "since 1990. Mr Reed said the club would find it easier to attract new investment "
            "by having a single owner. The new stand is due to be finished in May."),
    })
    loss = assistant.ask("Why did Harbour Foods make a loss in the first half?",
                         mode="extractive")
    assert "fine" in loss.text, loss.text
    control = assistant.ask("Why does Tom Reed want to take full control of Millbrook Rovers?",
                            mode="extractive")
    assert "investment" in control.text, control.text


def test_what_led_to_it_brings_the_sentence_that_points_back_at_it(written):
    """"Officials halted work on the river in April. What led to that?": the story's next
    sentence ("That move reportedly followed a protest ...") tells why, though it shares few
    of the question's words; "What excuse did he give ...?" asks for a reason too."""
    assistant = written({
        "river.md": article(
            "Valley halts 12 building projects", "2024-08-03", "Valley Herald",
            "The valley council has halted work on 12 building projects, including two at the "
            "harbour, on environmental grounds. The council is struggling to build enough "
            "homes for its growing towns. In April, council officials ordered a halt to work "
            "on the nearby Mill River, which runs through a nature reserve. That move "
            "reportedly followed a protest from fishermen about the damage to the bay, and a "
            "critical film made by local students. Building work in the valley has risen "
            "for three years."),
        **OTHER_NEWS,
    })
    answer = assistant.ask("In April council officials halted work on the Mill River. What led "
                           "to that?", mode="extractive")
    assert "protest from fishermen" in answer.text, answer.text
    assert_citations_sound(answer, assistant)
    from qa.analysis import analyse

    assert analyse("What excuse did the manager give for talking to the striker?").kind == \
        "explain"


def test_what_states_a_cause():
    from qa.evidence import states_cause

    assert states_cause("The delay was due to heavy snow.")
    assert states_cause("It blamed a £55m fine for breaking competition rules.")
    assert states_cause("It will save money by closing two plants.")
    # what came first, or a schedule, is no cause
    assert states_cause("Good rains and better seeds contributed to the rise in production.")
    assert states_cause("The rally was fuelled by strong demand from China.")
    assert states_cause("Sales stemmed from a surge in exports.")
    # a purpose is a reason too
    assert states_cause("He says he is heading for Rovers in search of 'tranquillity'.")
    assert states_cause("The bank cut rates in a bid to revive lending.")
    assert not states_cause("He is heading for Rovers next season.")
    assert not states_cause("He has bid £2m for the club after buying a bank's stake.")
    assert not states_cause("The software is due to be shipped in early 2005.")


def test_a_list_question_gets_several_sentences(assistant):
    answer = assistant.ask("What concerns did the EU leaders raise with China?",
                           mode="extractive")
    assert answer.kind == "list"
    assert len(re.findall(r"\[\d+\]", answer.text)) >= 2


def test_is_a_more_than_b_is_answered_the_right_way_round(written):
    """A comparison asked in either order: the sentence that makes it decides which way round
    it holds, though both orders share every word with it."""
    assistant = written({"bridges.md": article(
        "New crossing opens", "2024-04-02", "Valley Herald",
        "The new Harbour Bridge is 40m longer than the old Mill Bridge, the council said. It "
        "took three years to build and opens to traffic on Monday.")})

    right = assistant.ask("Is the Harbour Bridge longer than the Mill Bridge?",
                          mode="extractive")
    wrong = assistant.ask("Is the Mill Bridge longer than the Harbour Bridge?",
                          mode="extractive")
    assert right.verdict == "Yes", right.text
    assert wrong.verdict == "No", wrong.text
    assert "40m longer" in wrong.citations[0].quote
    assert_citations_sound(wrong, assistant)


def test_which_had_the_bigger_figure_reads_each_options_own_sentence(written):
    """"Which brewer saw the bigger drop in profits, A or B?": each option's figure comes
    from a sentence naming it alone, the one nearest the words measured ("profits drop 33%",
    "a 3% fall in profits"), not from one naming both ("B is more optimistic than A, with a
    15% rise") or a dividend's 25% (no verdict had been given: the first sentence naming each
    held figures of unlike kinds)."""
    assistant = written({"brewers.md": article(
        "Brewers' profits fall flat", "2024-03-09", "Valley Herald",
        "Alderbrau and Bexhall, two large brewers, have reported falling profits. "
        "Bexhall, the fifth-largest brewer, saw annual profits fall to 3.4bn kroner. "
        "Bexhall is more optimistic than Alderbrau, projecting a 15% rise in profits next "
        "year. "
        "Bexhall suffered a 3% fall in profits due to waning demand. "
        "Dutch firm Alderbrau saw its annual profits drop 33% and warned of more to come. "
        "Alderbrau increased its dividend payment by 25% to 40 cents.")})

    answer = assistant.ask("Which brewer saw the bigger drop in profits, Alderbrau or "
                           "Bexhall?", mode="extractive")
    assert answer.verdict == "Alderbrau", (answer.text, answer.notes)
    assert any("33%" in c.quote for c in answer.citations), answer.text
    assert_citations_sound(answer, assistant)


def test_more_than_a_figure_is_answered_from_the_figure_given(written):
    """"Did the economy grow by more than 10% in 2004?": No, citing "grew by 8.1% in 2004"
    (the No had rested on a sentence about this year's growth halving); more than 5%: Yes."""
    assistant = written({"economy.md": article(
        "Harbour economy grows", "2005-01-03", "Valley Herald",
        "Harbour's economy grew by 8.1% in 2004, its best performance since 2000, figures "
        "from the trade ministry show. Economic growth is set to halve in Harbour this year "
        "to between 3% and 5%. The economy had contracted over the summer."), **OTHER_NEWS})

    above = assistant.ask("Did Harbour's economy grow by more than 10% in 2004?",
                          mode="extractive")
    assert above.verdict == "No", above.text
    assert "8.1%" in above.citations[0].quote, above.text
    below = assistant.ask("Did Harbour's economy grow by more than 5% in 2004?",
                          mode="extractive")
    assert below.verdict == "Yes", (below.text, below.notes)
    assert_citations_sound(above, assistant)


def test_a_while_clause_led_by_a_pronoun_stays_with_its_statement(written):
    """"Can the box tape two channels while you watch a third?": "while you watch a third" is
    no statement of its own to find in the articles (it had made the answer No, against the
    sentence that says exactly this)."""
    assistant = written({"box.md": article(
        "Harbourvision unveils recorder box", "2004-09-01", "Valley Herald",
        "Cable firm Harbourvision is to offer a personal video recorder in a set-top box. The "
        "new recorder box has three tuners, which means viewers can tape two channels "
        "simultaneously while watching a third channel. Pricing has not been revealed."),
        **OTHER_NEWS})

    answer = assistant.ask("Can Harbourvision's new recorder box tape two channels while you "
                           "watch a third?", mode="extractive")
    assert answer.verdict == "Yes", (answer.text, answer.notes)
    assert "three tuners" in answer.citations[0].quote


def test_breaking_a_record_is_an_act_the_sources_must_tell(written):
    """"Did he break the 60m world record?" is not held by "enjoyed a double 60m success" (it
    had been a Yes, beside a sentence saying his times were well short of the record)."""
    assistant = written({"athletics.md": article(
        "Gardner storms to double", "2005-01-30", "Valley Herald",
        "Britain's Jon Gardner enjoyed a double 60m success in Harbourtown in his first "
        "outing since the Olympics. His times of 6.61 and 6.62 seconds were well short of the "
        "60m world record of 6.39 seconds. Gardner said he was pleased with his form."),
        "record.md": article(
            "Sprinter sets new mark", "2005-02-06", "Coast Gazette",
            "Ida Brook broke the 200m indoor world record in Coastville on Sunday, running "
            "21.87 seconds."), **OTHER_NEWS})

    answer = assistant.ask("Did Jon Gardner break the 60m world record in Harbourtown?",
                           mode="extractive")
    assert answer.verdict == "No", (answer.text, answer.notes)
    other = assistant.ask("Did Ida Brook break the 200m indoor world record in Coastville?",
                          mode="extractive")
    assert other.verdict == "Yes", (other.text, other.notes)


def test_what_a_report_says_must_give_the_figure_asked_about(written):
    """A question on what a report said may be answered by the report in other words, but a
    figure it gives must be the report's: "did the report say the ferry already had 90,000
    passengers" is not held by a report of passengers passing 40,000 by 2008."""
    assistant = written({"survey.md": article(
        "Ferry use climbs", "2005-03-02", "Valley Herald",
        "A report by the harbour board predicts that ferry passengers will exceed the 40,000 "
        "people who use the bridge buses by 2008. The board expects numbers to keep rising as "
        "fares fall."), **OTHER_NEWS})

    wrong = assistant.ask("Did the harbour board's report say the ferry already had around "
                          "90,000 passengers?", mode="extractive")
    assert wrong.verdict == "No", (wrong.text, wrong.notes)
    right = assistant.ask("Did the harbour board's report say ferry passengers will exceed "
                          "the 40,000 who use the bridge buses?", mode="extractive")
    assert right.verdict == "Yes", (right.text, right.notes)


def test_options_written_out_after_a_colon_are_read_whole():
    from qa.analysis import analyse, choice_options

    question = ("Which took more money in North America: Hide and Seek or Are We There Yet?")
    assert choice_options(question) == ("Hide and Seek", "Are We There Yet")
    assert analyse(question, None, 4).kind == "choice"
    assert choice_options("Which is taller: the Harbour Tower or the Mill Tower?") == (
        "Harbour Tower", "Mill Tower")
    assert choice_options("Note: is it true or not?") == ()
    # the noun said once, after the first option
    assert choice_options("Were they fined in the Spanish market or the French?") == (
        "Spanish", "French")
    assert choice_options("Were they fined in the Spanish market or the French one?") == (
        "Spanish", "French")
    assert choice_options("Did she buy the red car or the blue?") == ()
    assert choice_options("Did the ferry cross in two hours or three") == ("two hours",
                                                                           "three hours")
    # an option with its own article
    assert choice_options("Which club has more fans, Rovers or the Wanderers?") == (
        "Rovers", "Wanderers")


def test_options_each_after_its_own_preposition_are_answered_with_the_one_held(written):
    """"on a lorry or by drone", "in cash or with shares": each option has a preposition of
    its own; the answer is the option the article holds, not "Yes"."""
    from qa.analysis import analyse, choice_options

    assert choice_options("Did they pay in cash or with shares?") == ("cash", "shares")
    assert choice_options("Was it sold on the web or in a shop") == ("web", "shop")
    # (not options: what comes before the preposition asks)
    assert choice_options("Did he sell it on, or in some way keep it?") == ()
    assistant = written({
        "parcels.md": article(
            "Valley post plans parcel network", "2024-12-02", "Valley Herald",
            "The Valley post office is to set up a network for parcels across 40 towns. Shops "
            "will be sent their parcels on a refrigerated lorry and will then sort them "
            "themselves. The network will cost £2m."),
    })
    question = ("Under the Valley parcel network plan, were parcels to reach shops on a lorry "
                "or by drone?")
    assert analyse(question, None, 4).kind == "choice"
    answer = assistant.ask(question, mode="extractive")
    assert answer.verdict == "lorry", (answer.text, answer.notes)
    assert_citations_sound(answer, assistant)


def test_options_paired_respectively_are_told_apart_by_their_places(written):
    """"beat Valley United and Harbour Town into second and third place respectively": the
    option named first came second, the other third."""
    assistant = written({
        "league.md": article(
            "Ostia Rovers take the Valley title", "2024-12-02", "Valley Herald",
            "Ostia Rovers have won the Valley league for the third year running. The club beat "
            "Valley United and Harbour Town into second and third place respectively. Their "
            "manager said the title was the best yet."),
    })
    second = assistant.ask("Ostia Rovers won the Valley league. Did Valley United or Harbour "
                           "Town come second?", mode="extractive")
    assert second.verdict == "Valley United", (second.text, second.notes)
    third = assistant.ask("Did Valley United or Harbour Town come third in the Valley "
                          "league?", mode="extractive")
    assert third.verdict == "Harbour Town", (third.text, third.notes)
    assert_citations_sound(third, assistant)


def test_a_number_in_a_name_is_no_value_to_compare():
    """"Symbian's Series 60 software" gives Samsung no figure of 60 sales."""
    from types import SimpleNamespace

    from qa.verdict import _values_near

    item = SimpleNamespace(text="Samsung phones run Symbian's Series 60 software, and Samsung "
                                "sold 12 million of them.", passage=SimpleNamespace(date=None))
    assert [value for _, value, _ in _values_near(item, "Samsung", False, ["sold"])] == [12.0]


def test_a_day_without_a_year_is_read_in_its_articles_year(written):
    """"on 14 March" in an article of February 2024 is 14 March 2024: the events' own days
    decide, not the days the articles came out (the museum's was published first)."""
    assistant = written({
        "museum.md": article("Museum repairs near the end", "2024-02-01", "Valley Herald",
                             "The town museum will reopen on 14 March after a year of roof "
                             "repairs."),
        "bridge.md": article("Bridge works finish early", "2024-02-09", "Valley Herald",
                             "The old stone bridge will reopen on 2 March, the council said."),
    })

    answer = assistant.ask("Does the town museum reopen before or after the old stone bridge "
                           "reopens?", mode="extractive")
    assert answer.verdict == "after", (answer.text, answer.notes)
    assert_citations_sound(answer, assistant)


def test_a_summary_tells_the_story_the_passages_return_to(written):
    """A short preview repeats the question's words best; the match report is what several
    of the passages found come from, and the summary is of the match report."""
    report = [
        "United beat Rovers 3-2 after extra time to win the cup final at Valley Park on Sunday.",
        "Rovers led after a minute when Dan Price volleyed in from the edge of the area.",
        "United levelled through a late own goal and went ahead in extra time through Omar "
        "Kasim.",
        "Kasim then set up a third for Leo Grant before Rovers pulled one back.",
        "United manager Ruth Okafor was sent to the stands after the first goal.",
        "She said afterwards that winning the cup was the proudest day of her career.",
    ]
    filler = ("The crowd of 40,000 was the biggest at Valley Park for twenty years, and fans of "
              "both clubs sang long after the whistle. ")
    assistant = written({
        "preview.md": article(
            "Rovers hope for cup final upset against United", "2024-03-01", "Valley Herald",
            "An overview of the cup final between Rovers and United: Rovers captain Dan Price "
            "says his side can upset United on Sunday."),
        "report.md": article("United win the cup in extra time", "2024-03-04", "Valley Herald",
                             " ".join(sentence + " " + filler * 3 for sentence in report)),
    })

    answer = assistant.ask("Give me an overview of the cup final between Rovers and United.",
                           mode="extractive")
    assert {c.title for c in answer.citations} == {"United win the cup in extra time"}, \
        answer.text
    assert "3-2" in answer.text


@pytest.mark.parametrize("question, verdict", [
    ("Between the Valley Herald report of 2 April 2024 and the Coast Gazette report of "
     "9 April 2024, was the portrayal of the ferry company's fares consistent?", "Yes"),
    ("Between the Valley Herald report of 2 April 2024 and the Coast Gazette report of "
     "9 April 2024, was there inconsistency in the portrayal of the ferry company's fares?",
     "No"),
    # "maintain" describes the company, it is not what the question asks about
    ("After the Valley Herald reported on 2 April 2024 on the ferry company's plan to maintain "
     "its routes, and the Coast Gazette on 9 April 2024, was there a change in the portrayal "
     "of the ferry company's fares?", "No"),
    ("Was there no change in the portrayal of the ferry company's fares between the Valley "
     "Herald report of 2 April 2024 and the Coast Gazette report of 9 April 2024?", "Yes"),
    # which report came "before" is not what is asked: whether they differ is
    ("Between the Valley Herald report on the ferry company's fares before and the Coast "
     "Gazette report after, was there a change in the portrayal of the fares?", "No"),
    # the same asked in other words: an adverb, dates written short, "stay the same",
    # "conflict with"
    ("The Valley Herald wrote on Apr 2, 2024 and the Coast Gazette on 9 Apr 2024. Did they "
     "portray the ferry company's fares consistently?", "Yes"),
    ("did the valley herald (apr 2, 2024) and the coast gazette (apr 9, 2024) portray the "
     "ferry company's fares inconsistently", "No"),
    ("Did the picture of the ferry company's fares stay the same from the Valley Herald's "
     "April 2, 2024 piece to the Coast Gazette's April 9, 2024 one?", "Yes"),
    ("Does what the Coast Gazette wrote on 9 April 2024 about the ferry company's fares "
     "conflict with the Valley Herald's report of 2 April 2024?", "No"),
    # "the same emphasis", "the same way both times", "the same across both"
    ("The Valley Herald wrote on 2 April 2024 and the Coast Gazette on 9 April 2024. Did both "
     "put the same emphasis on the ferry company's fares going up?", "Yes"),
    ("Did the Valley Herald (2 April 2024) and the Coast Gazette (9 April 2024) paint the ferry "
     "company's fares the same way both times?", "Yes"),
])
def test_whether_reports_agree_reads_the_word_the_question_asks_about(written, question,
                                                                      verdict):
    """Two reports that say the same: "consistent?" is Yes, "inconsistency?" and "a change?"
    are No, whatever else the question's description of the reports says."""
    assistant = written({
        "herald.md": article(
            "Ferry fares to rise", "2024-04-02", "Valley Herald",
            "The ferry company will raise its fares by 10% in May to pay for two new boats. It "
            "plans to maintain all its routes through the winter."),
        "gazette.md": article(
            "Ferry passengers face dearer crossings", "2024-04-09", "Coast Gazette",
            "Passengers will pay 10% more for ferry crossings from May, as the ferry company "
            "raises its fares to pay for new boats."),
    })

    answer = assistant.ask(question, mode="extractive")
    assert answer.verdict == verdict, (answer.text, answer.notes)
    assert_citations_sound(answer, assistant)


@pytest.mark.parametrize("question, verdict", [
    ("Between the Valley Herald report of 2 April 2024 and the Coast Gazette report of "
     "9 April 2024, was there a change in the reporting on the ferry company's fares?", "Yes"),
    ("Did the reporting on the ferry company's fares remain the same between the Valley Herald "
     "report of 2 April 2024 and the Coast Gazette report of 9 April 2024?", "No"),
    # nothing one says contradicts the other: consistent, though the story moved on
    ("Between the Valley Herald report of 2 April 2024 and the Coast Gazette report of "
     "9 April 2024, was the reporting on the ferry company's fares consistent?", "Yes"),
])
def test_a_later_report_telling_something_else_is_a_change(written, question, verdict):
    """A change over time needs no contradiction: the later report tells something other than
    the earlier one (a rise planned, then a freeze for pensioners). Whether they are
    consistent still asks whether one contradicts the other."""
    assistant = written({
        "herald.md": article(
            "Ferry fares to rise", "2024-04-02", "Valley Herald",
            "The ferry company will raise its fares by 10% in May to pay for two new boats."),
        "gazette.md": article(
            "Pensioners spared ferry fare rise", "2024-04-09", "Coast Gazette",
            "Pensioners will keep their old ferry fares for another year, the ferry company "
            "said after a petition signed by 3,000 islanders."),
    })

    answer = assistant.ask(question, mode="extractive")
    assert answer.verdict == verdict, (answer.text, answer.notes)
    assert {c.source for c in answer.citations} == {"Valley Herald", "Coast Gazette"}
    assert_citations_sound(answer, assistant)


@pytest.mark.parametrize("gazette, verdict", [
    ("Pensioners will keep their old ferry fares for another year, the ferry company said "
     "after a petition signed by 3,000 islanders.", "Yes"),
    ("Passengers will pay 10% more for ferry crossings from May, as the ferry company raises "
     "its fares to pay for new boats.", "No"),
])
def test_a_different_view_than_another_report_compares_the_reports(written, gazette, verdict):
    """"Does A suggest a different X than the one B reported" is Yes when B tells something
    else, No when B says what A says; "a different X than last year's, while B ..." compares
    inside one report and is checked as that report's statement."""
    assistant = written({
        "herald.md": article(
            "Ferry fares to rise", "2024-04-02", "Valley Herald",
            "The ferry company will raise its fares by 10% in May to pay for two new boats."),
        "gazette.md": article("Ferry fares", "2024-04-09", "Coast Gazette", gazette),
    })

    answer = assistant.ask("Does the Valley Herald suggest a different outlook for ferry fares "
                           "than the one reported by the Coast Gazette?", mode="extractive")
    assert answer.verdict == verdict, (answer.text, answer.notes)
    assert {c.source for c in answer.citations} == {"Valley Herald", "Coast Gazette"}
    # the other report's account in the present tense, and "differently"
    reworded = assistant.ask("Does the Valley Herald see ferry fares differently from how the "
                             "Coast Gazette portrays them?", mode="extractive")
    assert reworded.verdict == verdict, (reworded.text, reworded.notes)
    inside = assistant.ask("Does the Valley Herald suggest a different fare for ferry crossings "
                           "than last year's, while the Coast Gazette reports on ferry fares?",
                           mode="extractive")
    assert not any("the reports" in note for note in inside.notes), inside.notes


def test_a_report_telling_of_a_change_is_not_a_question_about_agreement(written):
    """"X has changed its fares" is what one report tells, checked against that report;
    "was there a change between the reports" compares them."""
    assistant = written({
        "herald.md": article(
            "Ferry fares to rise", "2024-04-02", "Valley Herald",
            "The ferry company will raise its fares by 10% in May to pay for two new boats."),
        "gazette.md": article(
            "Ferry timetable cut", "2024-04-09", "Coast Gazette",
            "The ferry company has changed its timetable, cutting the late evening crossings."),
    })

    answer = assistant.ask("Does the Valley Herald say the ferry company will raise its fares, "
                           "while the Coast Gazette reports that the ferry company has changed "
                           "its timetable?", mode="extractive")
    assert answer.verdict == "Yes", (answer.text, answer.notes)
    assert "the reports agree" not in " ".join(answer.notes)
    assert {c.source for c in answer.citations} == {"Valley Herald", "Coast Gazette"}


def test_which_outlet_reported_first_is_read_from_the_dates_of_their_reports(written):
    """"Did A report X before B reported Y" asks when each outlet wrote about its subject:
    B's sentence about Y dates B's report even when it words Y otherwise ("her performance"
    for "her big weekend")."""
    assistant = written({
        "herald.md": article(
            "Harbour ferry fares to rise", "2024-04-02", "Valley Herald",
            "The harbour ferry company will raise its fares by 10% in May to pay for two new "
            "boats. Its chief executive said the boats were overdue."),
        "gazette.md": article(
            "Festival diary, the weekend in pictures", "2024-06-20", "Coast Gazette",
            "It even landed her a headline slot at the summer festival, where thousands sang "
            "along to every song. Fans queued for hours to meet Quell after her performance."),
    })

    first = assistant.ask("Did the Valley Herald report on the ferry fare rise before the Coast "
                          "Gazette reported on Mara Quell's big weekend?", mode="extractive")
    second = assistant.ask("Did the Coast Gazette report on Mara Quell's big weekend before the "
                           "Valley Herald reported on the ferry fare rise?", mode="extractive")
    assert first.verdict == "Yes", (first.text, first.notes)
    assert second.verdict == "No", (second.text, second.notes)
    assert {c.source for c in first.citations} == {"Valley Herald", "Coast Gazette"}
    assert_citations_sound(first, assistant)


@pytest.mark.parametrize("question, verdict", [
    ("Does the Valley Herald suggest that the ferry company will raise its fares in May, "
     "while the same source indicates that two new boats will serve the harbour route?", "Yes"),
    # the second statement is the outlet's too, and no sentence of it holds it
    ("Does the Valley Herald suggest that the ferry company will raise its fares in May, "
     "while the same source indicates that the ferry company will close the harbour route "
     "in winter?", "No"),
])
def test_two_statements_of_one_outlet_are_checked_each(written, question, verdict):
    """"A suggests X, while the same source indicates Y": Y is the outlet's statement too,
    and is checked on its own, not swallowed by the sentence that holds X."""
    assistant = written({
        "herald.md": article(
            "Harbour ferry fares to rise", "2024-04-02", "Valley Herald",
            "The ferry company will raise its fares by 10% in May. Two new boats will serve "
            "the harbour route from the summer, its chief executive said."),
        "gazette.md": article(
            "Coastal path reopens", "2024-04-09", "Coast Gazette",
            "The coastal path between the two harbours has reopened after repairs."),
    })

    answer = assistant.ask(question, mode="extractive")
    assert answer.verdict == verdict, (answer.text, answer.notes)
    assert_citations_sound(answer, assistant)


def test_a_no_cites_the_sentence_that_says_otherwise(written):
    """Sentences that share the question's words without its act ("said the offer was
    opportunistic") do not decide "Did Valley Brewers accept the offer?"; the one that says
    it rejected the offer does, and is the one cited."""
    assistant = written({"brewers.md": article(
        "Valley Brewers turns down Coast Drinks", "2024-01-17", "Valley Herald",
        "Valley Brewers said the takeover offer from Coast Drinks was \"opportunistic\". "
        "The board of Valley Brewers said the takeover offer from Coast Drinks undervalued it. "
        "Valley Brewers has rejected a takeover offer worth £3bn from Coast Drinks, the brewer "
        "said on Monday.")})

    answer = assistant.ask("Did Valley Brewers accept the takeover offer from Coast Drinks?",
                           mode="extractive")
    assert answer.verdict == "No", (answer.text, answer.notes)
    assert "rejected" in answer.citations[0].quote, answer.text
    assert_citations_sound(answer, assistant)


def test_a_name_that_opens_the_headline_counts_for_the_verdict(written):
    """"Italy 8-38 Wales" names Italy, though the word opens the headline: the report's
    "six-try victory in Rome" holds "Wales beat Italy in Rome". A story filed twice gives its
    deciding sentence once."""
    body = ("Wales secured their first away win in the Six Nations for nearly four years with "
            "a six-try victory in Rome. The visitors scored three tries before half-time.")
    assistant = written({
        "rome.md": article("Italy 8-38 Wales", "2005-02-12", "Valley Herald", body),
        "rome-again.md": article("Wales win in Rome", "2005-02-12", "Coast Gazette", body),
    })

    answer = assistant.ask("Did Wales beat Italy in Rome in the Six Nations?",
                           mode="extractive")
    assert answer.verdict == "Yes", (answer.text, answer.notes)
    quotes = [c.quote for c in answer.citations]
    assert len(quotes) == len(set(quotes)), answer.text
    assert_citations_sound(answer, assistant)


def test_before_or_after_between_undated_stories_reads_their_days_in_one_year(written):
    """Two stories without a date, each giving its event's day without a year: "before or
    after" is read from 11 March against 24 March, as a reader of both would."""
    assistant = written({
        "ds.md": "# Handheld console due in Europe\n\nThe Nintendo DS will go on sale in Europe "
                 "on 11 March, the company said.\n",
        "psp.md": "# Rival console due in the US\n\nThe Sony PSP will go on sale in the US on "
                  "24 March, its maker said.\n",
    })

    first = assistant.ask("Does the Nintendo DS go on sale in Europe before or after the Sony "
                          "PSP goes on sale in the US?", mode="extractive")
    second = assistant.ask("Does the Sony PSP go on sale in the US before or after the Nintendo "
                           "DS goes on sale in Europe?", mode="extractive")
    assert first.text.startswith("Before."), (first.text, first.notes)
    assert second.text.startswith("After."), (second.text, second.notes)
    assert "verdict: 11 March against 24 March" in first.notes
    assert_citations_sound(first, assistant)


def test_before_or_after_reads_each_event_from_a_sentence_about_it(written):
    """Stories that tell each other's events: "the Pocket went on sale on 11 March" dates the
    Pocket, not the Vista; a year one sentence gives both ("since it appeared in 2004") dates
    neither apart. The sentences that give the two days are the ones cited."""
    assistant = written({
        "pocket.md": "# Pocket console arrives in Europe\n\nThe Tano Pocket handheld went on "
                     "sale in Europe on 11 March. More than two million Pockets have been sold "
                     "since it first appeared in Japan in 2004, ahead of the Vista.\n",
        "vista.md": "# Vista console to reach the US in March\n\nUS gamers will be able to "
                    "buy the Vista from 24 March, but there is no news of a Europe debut. The "
                    "Vista goes on sale in the US with a film disc.\n",
    })
    answer = assistant.ask("Does the Tano Pocket go on sale in Europe before or after the "
                           "Vista goes on sale in the US?", mode="extractive")
    assert answer.text.startswith("Before."), (answer.text, answer.notes)
    assert "verdict: 11 March against 24 March" in answer.notes
    assert any("24 March" in c.quote for c in answer.citations), answer.text
    assert_citations_sound(answer, assistant)


def test_before_or_after_from_one_sentence_that_orders_the_two_events(written):
    """An undated story that says "will face the Rovers on 29 March - just three days after
    the cup tie against Eastfield" orders the two events itself: the Rovers game comes
    after, the cup tie before, also when the question writes "before X or after it"."""
    assistant = written({
        "friendly.md": "# Harbour arrange spring friendly\n\nHarbour City have arranged a "
                       "friendly against Mill Rovers at the Valley Stadium. Manager Ann Lee's "
                       "side will face the Rovers on 29 March - just three days after the cup "
                       "tie against Eastfield in Westmark.\n",
    })
    later = assistant.ask("Does Harbour's Mill Rovers friendly come before the Eastfield cup "
                          "tie or after it?", mode="extractive")
    assert later.text.startswith("After."), (later.text, later.notes)
    assert any("three days after" in c.quote for c in later.citations), later.text
    earlier = assistant.ask("Does the Eastfield cup tie come before or after the Mill Rovers "
                            "friendly?", mode="extractive")
    assert earlier.text.startswith("Before."), (earlier.text, earlier.notes)
    assert_citations_sound(later, assistant)


def test_no_cites_the_sentence_giving_its_subject_another_ordinal(written):
    """"Was it his first Valley Bowl show?" is answered No by "booking Sir Tom for his second
    Valley Bowl show", however unlike the question it is worded; another subject's ordinal
    ("Mill Rovers' second title") says nothing of Harbour City's."""
    assistant = written({
        "bowl.md": article(
            "Reyes plays it safe at the Valley Bowl", "2024-02-06", "Valley Herald",
            "Sir Tom Reyes will provide the half-time entertainment in the slot filled by Ann "
            "Lee last year. This time, he started off the show at the Valley Stadium with two "
            "old hits. Three years ago, he was invited to perform at the first Valley Bowl "
            "after the floods. Organisers were widely considered to be playing it safe this "
            "year by booking 62-year-old Sir Tom for his second Valley Bowl show."),
        "cup.md": article(
            "Harbour City lift the Coast Cup", "2024-03-02", "Valley Herald",
            "Harbour City won the Coast Cup on Saturday, beating Mill Rovers 2-1. Mill Rovers "
            "won their second Coast Cup title last year."),
    })
    answer = assistant.ask("Was Tom Reyes' half-time show at the Valley Stadium his first Valley "
                           "Bowl performance?", mode="extractive")
    assert answer.text.startswith("No."), (answer.text, answer.notes)
    assert "second" in answer.citations[0].quote
    cup = assistant.ask("Was Harbour City's win their first Coast Cup title?",
                        mode="extractive")
    assert all("Mill Rovers won their second" not in c.quote for c in cup.citations), cup.text


def test_a_speaker_counts_only_for_what_was_said_and_a_synonym_is_the_same_word(written):
    """"Analysts say Valley Grocers had not kept up ..." quotes no one on whether its stores
    stay open, so it does not make "Did Valley Grocers say ...?" a No; "It said its 120 stores
    would remain open" holds it ("stay" is "remain")."""
    assistant = written({
        "grocer.md": article(
            "Valley Grocers files for bankruptcy", "2024-02-22", "Valley Herald",
            "Supermarket group Valley Grocers has filed for bankruptcy protection after "
            "succumbing to stiff competition in a market dominated by Hill Foods. Analysts say "
            "Valley Grocers had not kept up with shoppers' demands and had also been burdened "
            "by a number of stores in need of upgrading. It said its 120 stores would remain "
            "open, but analysts said it would most likely sell a number of sites."),
        "ferry.md": article("Ferry fares to rise", "2024-04-02", "Coast Gazette",
                            "The ferry company will raise its fares by 10% in May."),
    })

    answer = assistant.ask("Did Valley Grocers say its stores would stay open?",
                           mode="extractive")
    assert answer.verdict == "Yes", (answer.text, answer.notes)
    assert "remain open" in answer.citations[0].quote



@pytest.mark.parametrize("question, verdict", [
    # the opponent is named further on in the story, the sentence names no one else
    ("Did Rovers beat United at Valley Park?", "Yes"),
    # the sentence names another network than the one asked about, which the story names too
    ("Was the first call made on the Cellway network?", "No"),
])
def test_a_fact_is_read_with_the_names_of_its_story(written, question, verdict):
    """A question is answered by the story, not one sentence: "Rovers secured their first
    home win ... at Valley Park" tells of beating United, whom the story names later. A
    sentence naming someone else in the asked one's place ("across the Telnet network") is
    not helped by the story naming the asked one elsewhere."""
    assistant = written({
        "match.md": article(
            "Rovers win at Valley Park", "2024-03-04", "Valley Herald",
            "Rovers secured their first home win of the season with a four-goal victory at "
            "Valley Park on Saturday. The crowd of 9,000 sang long after the whistle. United "
            "had led at half-time through a penalty, but fell away after the break."),
        "phones.md": article(
            "Mobile phones at twenty", "2024-01-02", "Coast Gazette",
            "The first call was made across the Telnet network on 1 January 1985 by a "
            "comedian. Cellway launched its own network a week later. Both networks now carry "
            "millions of calls a day."),
    })

    answer = assistant.ask(question, mode="extractive")
    assert answer.verdict == verdict, (answer.text, answer.notes)


@pytest.mark.parametrize("question, verdict", [
    ("Was the painter Nerys Ann Prosser born in Wales?", "No"),
    ("Was Nerys Ann Prosser born in Adelaide?", "Yes"),
])
def test_born_is_an_act_and_ms_surname_is_the_full_name(written, question, verdict):
    """"born in Wales" is not held by a sentence that names Wales without telling a birth;
    the story's "Ms Prosser ... was born in Adelaide" decides, read as the Nerys Ann Prosser
    it named in full before (news names someone in full once, then by title and surname)."""
    assistant = written({
        "arts.md": article(
            "Row over Welsh arts money", "2005-02-03", "Valley Herald",
            "The painter Nerys Ann Prosser is worried that the Arts Council of Wales may be "
            "taken over by the Welsh Assembly Government. She has exhibited across Europe. "
            "Ms Prosser, whose mother was Welsh, was born in Adelaide where her parents ran "
            "a bakery. She moved to Cardiff in 1990."),
        **OTHER_NEWS})

    answer = assistant.ask(question, mode="extractive")
    assert answer.verdict == verdict, (answer.text, answer.notes)
    assert "born in Adelaide" in answer.citations[0].quote, answer.text


@pytest.mark.parametrize("question, option", [
    ("Airline shares after the record profit: up or down?", "down"),
    ("Did Ostland's trade deficit with Westmark grow or shrink in March?", "shrink"),
    ("Did the airline's fuel bill go up or down?", "up"),
])
def test_up_or_down_is_read_from_the_movement_told_of_the_subject(written, question, option):
    """The option is the movement the best sentence tells of the words asked about ("shares
    fell"; the deficit "down from" its earlier figure), not a movement said of something
    else in it ("Westmark's surplus is expanding") and not whichever option a sentence about
    the subject happens to sit beside."""
    assistant = written({
        "airline.md": article(
            "Skyway sees profits fly to a record", "2005-02-17", "Valley Herald",
            "Skyway Airlines has posted a record half-year profit of 350m dollars. Airline "
            "shares fell almost 3%, however, after it warned that earnings growth would slow. "
            "Its fuel bill rose by 40% to 1.1bn dollars."),
        "trade.md": article(
            "Ostland trade gap with Westmark", "2005-04-12", "Coast Gazette",
            "Although Westmark's overall trade surplus is expanding, figures showed Ostland's "
            "deficit with Westmark was $9.6bn in March, down from $9.7bn the month before. "
            "Exports of machinery led the change."),
        **OTHER_NEWS})

    answer = assistant.ask(question, mode="extractive")
    assert answer.verdict == option, (answer.text, answer.notes)


def test_a_comparison_offered_both_ways_is_read_as_options():
    """"more or fewer", "higher or lower ... than", and "more ... than B, or fewer" offer two
    options; "more or less the same" offers none."""
    from qa.analysis import analyse

    assert analyse("Did the firm pay more or less than the 3bn euros expected?").options == (
        "more", "less")
    assert analyse("Does Ostland have more ports than Westmark, or fewer?").options == (
        "more", "fewer")
    assert analyse("Is its valuation higher or lower than what Harbour offers?").options == (
        "higher", "lower")
    assert analyse("Is the new fare more or less the same?").kind == "yesno"


@pytest.mark.parametrize("question, option", [
    ("At the Valley awards, did Long Road end up with more or fewer prizes than The Choir?",
     "more"),
    ("Per 100 people, does Ostland have more broadband lines than Westmark, or fewer?", "more"),
    ("Harbour Capital's valuation of Mill shares - is it higher or lower than what Tarn is "
     "offering?", "higher"),
    ("Did Carco end up paying Motorfirm more or less than the 3bn euros some had predicted?",
     "less"),
])
def test_more_or_fewer_compares_the_figures_each_side_is_given(written, question, option):
    """Each side's figure: written as words ("five" against "two"), in a sentence setting one
    against the other ("7.5 ... per 100 people, compared to 6.7 in Westmark"; "per 100" is no
    value), or the figure the story gives against the question's own ("2.55bn euros" against
    "the 3bn euros")."""
    assistant = written({
        "awards.md": article(
            "Low-budget film wins Valley awards", "2005-02-27", "Valley Herald",
            "Long Road, a war drama, won five Valley prizes on Saturday. The Choir, a film "
            "about a school choir, won two prizes - for best music and best sound."),
        "broadband.md": article(
            "Broadband in Ostland growing fast", "2005-03-01", "Coast Gazette",
            "The 600,000 new lines take the number of people in Ostland with broadband to "
            "almost 3.3 million. The Ostland total translates into 7.5 lines per 100 people, "
            "compared to 6.7 in Westmark and 15.8 in Norland."),
        "bid.md": article(
            "Mill says Tarn bid is too low", "2005-03-02", "Valley Herald",
            "A report from Harbour Capital values Mill shares at $7.17 to $8.24, against "
            "Tarn's bid of $6.35 a share."),
        "cars.md": article(
            "Carco pays to end Motorfirm deal", "2005-02-14", "Coast Gazette",
            "Carco had to pay former partner Motorfirm 2.55bn euros to get out of the deal. "
            "Analysts said some predictions had expected a 3bn euro pay-off."),
        **OTHER_NEWS})

    answer = assistant.ask(question, mode="extractive")
    assert answer.verdict == option, (answer.text, answer.notes)
    assert_citations_sound(answer, assistant)


def test_which_of_two_things_written_with_the_is_a_choice_decided_by_the_story(written):
    """"Which got axed first, the Home Cup or the Valley derby?" offers the two things after
    its comma; "Which is taller, the Harbour 101 Tower or the Mill Spire?" is decided by the
    sentence that makes that comparison, not by a figure in a name ("101")."""
    from qa.analysis import analyse

    assert analyse("Which got axed first, the Home Cup or the Valley derby?").options == (
        "Home Cup", "Valley derby")
    assistant = written({
        "home-cup.md": article(
            "Smith keen on Home Cup return", "2005-01-20", "Valley Herald",
            "The Home Cup series was done away with in 1984, with the traditional Valley derby "
            "continuing until 1989. Smith wants both back."),
        "tower.md": article(
            "Fast lifts in record tower", "2004-11-26", "Coast Gazette",
            "The lifts take 30 seconds to reach the top of the 508m Harbour 101 Tower. The "
            "Harbour 101 Tower is more than 50m taller than the Mill Spire, formerly the "
            "tallest."),
        **OTHER_NEWS})
    first = assistant.ask("Which got axed first, the Home Cup or the Valley derby?",
                          mode="extractive")
    assert first.verdict == "Home Cup", (first.text, first.notes)
    taller = assistant.ask("Which is taller, the Harbour 101 Tower or the Mill Spire?",
                           mode="extractive")
    assert taller.verdict == "Harbour 101 Tower", (taller.text, taller.notes)
    assert "50m taller" in taller.citations[0].quote, taller.text


def test_more_than_a_figure_is_a_bound_not_the_comparison_asked_about(written):
    """"Tellar sold more than 5 million phones, while Mobix sold 7 million": "more than"
    stands before a figure, so it does not say Tellar sold more than Mobix; the figures do."""
    assistant = written({"phones.md": article(
        "Phone makers post sales", "2005-02-10", "Valley Herald",
        "Tellar sold more than 5 million phones last year, while Mobix sold 7 million phones. "
        "Both firms expect growth."), **OTHER_NEWS})
    answer = assistant.ask("Which firm sold more phones last year, Tellar or Mobix?",
                           mode="extractive")
    assert answer.verdict == "Mobix", (answer.text, answer.notes)


def test_whether_growth_sped_up_is_read_from_its_change_not_from_grew(written):
    """"Has growth in Ostland's output sped up or slowed down?" offers two phrasal options;
    "output grew 15.7% in the year to October, down from 23% in February" tells the growth
    itself ("grew") and its change ("down"): the change answers."""
    from qa.analysis import analyse

    assert analyse("Has growth sped up or slowed down since February?").options == (
        "sped up", "slowed down")
    assistant = written({"output.md": article(
        "Ostland growth cools", "2005-11-14", "Valley Herald",
        "Industrial output in Ostland grew 15.7% in the year to October, down from 23% in "
        "February, while retail sales are still booming."), **OTHER_NEWS})
    answer = assistant.ask("Has growth in Ostland's industrial output sped up or slowed down "
                           "since February?", mode="extractive")
    assert answer.verdict == "slowed down", (answer.text, answer.notes)


def test_by_one_year_or_by_another_is_decided_by_the_year_the_story_gives(written):
    """"by 2013 or by 2015?": each year put in place of the pair (the preposition said again
    is part of it), and the sentence giving the year asked about is cited, not one that only
    names the country."""
    assistant = written({
        "aid.md": article(
            "Ministers told to double overseas aid", "2005-01-20", "Valley Herald",
            "Rich countries have said they want to raise the aid they give to 0.7% of their "
            "national income by 2015. A spokeswoman for the Department for International "
            "Development said: \"The government has made a clear commitment to reaching 0.7% "
            "of national income in aid by 2013.\" UK aid to Africa will reach £1.25bn a year "
            "by 2008."),
        **OTHER_NEWS})

    answer = assistant.ask("Is the government aiming to give 0.7% of national income in aid "
                           "by 2013 or by 2015?", mode="extractive")
    assert answer.verdict == "2013", (answer.text, answer.notes)
    assert "by 2013" in answer.citations[0].quote, answer.text


def test_a_no_for_want_of_a_name_cites_what_the_story_says_of_that_name(written):
    """"Did Mary Okafor back keeping rates on hold?": the closest sentence (the decision to
    hold) never names her; the one nearly as close that does ("Mary Okafor voted for a
    rise") is the one a reader needs, and is cited under the No, on every run (the name
    reported missing is the claim's first, not whichever a set gives first)."""
    assistant = written({
        "rates.md": article(
            "Bank voted 8-1 for no rate change", "2005-01-19", "Valley Herald",
            "The decision to keep interest rates on hold at 4.75% earlier this month was "
            "passed 8-1 by the Bank's rate-setting committee, minutes have shown. However, "
            "committee member Mary Okafor voted for a quarter point rise in interest rates to "
            "5%. The committee meets again next month."),
        **OTHER_NEWS})

    answer = assistant.ask("Did Mary Okafor back keeping interest rates on hold at 4.75% this "
                           "month?",
                           mode="extractive")
    assert answer.verdict == "No", (answer.text, answer.notes)
    assert "Okafor voted" in answer.citations[0].quote, answer.text


@pytest.mark.parametrize("question, verdict", [
    ("Is Wexham's chief constable against the move to 24-hour drinking?", "No"),
    ("Does Wexham's chief constable back the move to 24-hour drinking?", "Yes"),
])
def test_against_and_backed_are_one_stance_read_both_ways(written, question, verdict):
    """"against the move" is the opposite stance to "has backed the introduction": the
    sentence that backs it answers No to "is he against it" and Yes to "does he back it"."""
    assistant = written({
        "drink.md": article(
            "Police chief backs late drinking", "2005-01-20", "Valley Herald",
            "Wexham's chief constable has backed the move to 24-hour drinking, saying police "
            "had a responsibility to make the law change work. Some other forces fear more "
            "late-night disorder."),
        **OTHER_NEWS})

    answer = assistant.ask(question, mode="extractive")
    assert answer.verdict == verdict, (answer.text, answer.notes)


def test_a_no_for_want_of_a_sum_cites_the_sum_the_story_gives(written):
    """"Is she asking for $50m?" when the story says she seeks $25m: the No cites the
    sentence with the sum the story gives, not the closer one that only tells of the suit."""
    assistant = written({"suit.md": article(
        "Sprinter sues coach over drugs claims", "2004-12-16", "Valley Herald",
        "Sprinter Ana Ruiz is asking for damages from coach Victor Lane in a defamation "
        "lawsuit over his allegations that he gave her banned drugs. Ruiz says Lane damaged her "
        "reputation and she is seeking $25m (£13m) in the suit. Lane has denied wrongdoing "
        "and says he will fight the case.")})
    answer = assistant.ask("Is Ana Ruiz asking for $50m in damages from Victor Lane?",
                           mode="extractive")
    assert answer.verdict == "No", (answer.text, answer.notes)
    assert "$25m" in answer.citations[0].quote, answer.text


def test_the_option_is_answered_as_it_was_asked():
    """"... at home or at Jessops?" is answered "At home.", not "Home.": the preposition the
    question repeats before each option is part of how it asked."""
    from qa.analysis import choice_options, option_as_asked

    asked = "Is a photo cheaper to print at home or at Jessops?"
    assert choice_options(asked) == ("home", "Jessops")
    assert option_as_asked(asked, "home") == "at home"
    assert option_as_asked(asked, "Jessops") == "at Jessops"
    assert option_as_asked("Did Arsenal or Chelsea win?", "Arsenal") == "Arsenal"


def test_either_or_is_decided_by_the_option_written_nearer_the_claim(written):
    """One sentence holds the statement with either option in it; the option written next to
    the claim's own word ("mostly") is the one it says, and the option inside the film's own
    name ("Harbour Rwanda") is no mention of it."""
    assistant = written({"film.md": article(
        "Genocide films screened in Berlin", "2005-02-14", "Valley Herald",
        "Two films about the genocide were shown in Berlin on Saturday. Shooting Dogs was made "
        "exclusively in Rwanda whereas Harbour Rwanda was shot mostly in South Africa, with "
        "some scenes made in Kigali. Harbour Rwanda tells the story of a hotel manager.")})
    answer = assistant.ask("Was Harbour Rwanda mostly filmed in Rwanda or South Africa?",
                           mode="extractive")
    assert answer.verdict == "South Africa", answer.notes
    assert_citations_sound(answer, assistant)


def test_an_option_inside_a_longer_name_and_a_name_inside_an_option():
    from qa.verdict import _longer_name

    assert _longer_name("Hotel Rwanda", "Rwanda")
    assert not _longer_name("Return", "The Return")  # the option's own name, shorter
    assert not _longer_name("Rwanda", "Rwanda")


@pytest.mark.parametrize("question, verdict", [
    ("Was the Valley Herald's report of a fare rise (for the harbour ferry) earlier than the "
     "Coast Gazette's report of the coastal path reopening?", "Yes"),
    ("Was the Coast Gazette's report of the coastal path reopening earlier than the Valley "
     "Herald's report of a fare rise (for the harbour ferry)?", "No"),
    # an explainer is a report too, and asking about one is no request for a summary
    ("Did the Coast Gazette's story on the coastal path come out after the Valley Herald's "
     "explainer on the ferry fare rise, or not?", "Yes"),
])
def test_which_report_came_first_is_read_from_the_reports_dates(written, question, verdict):
    """"Was X's report of A earlier than Y's report of B?" asks when each outlet published:
    each side is an outlet's report, which needs no verb of its own to be dated, and a
    parenthesis before "earlier than" does not hide the joint."""
    assistant = written({
        "herald.md": article(
            "Harbour ferry fares to rise", "2024-04-02", "Valley Herald",
            "The ferry company will raise its fares by 10% in May, its chief executive said."),
        "gazette.md": article(
            "Coastal path reopens", "2024-04-09", "Coast Gazette",
            "The coastal path between the two harbours has reopened after repairs."),
        **OTHER_NEWS,
    })
    answer = assistant.ask(question, mode="extractive")
    assert answer.verdict == verdict, (answer.text, answer.notes)
    assert "verdict: 2024-04-0" in " ".join(answer.notes), answer.notes
    assert {c.source for c in answer.citations} == {"Valley Herald", "Coast Gazette"}
    assert_citations_sound(answer, assistant)


def test_what_an_outlets_possessive_introduces_is_checked_without_its_s(written):
    """"Is the Valley Herald's take (that fares will rise in May) like the Coast Gazette's
    report that the path has reopened?": each outlet's part is what follows its name, not
    "s take ..." with the possessive's letter left on."""
    from qa.verdict import _statement

    assert _statement("'s report say that the ferry fares will rise") == \
        "the ferry fares will rise"
    assert _statement("s take (that fares will rise in May)") == \
        "take (that fares will rise in May)"
    assert _statement("suggest that sales rose") == "sales rose"


def test_one_outlets_two_reports_told_apart_by_their_days(written):
    """"the valley herald covered the fares on 2 april 2024 and again on 9 april 2024. did it
    portray them the same way both times": one outlet, so its reports are told apart by their
    days, each read on its own; typed in lower case without a question mark, the last
    sentence still asks."""
    assistant = written({
        "first.md": article(
            "Ferry fares to rise", "2024-04-02", "Valley Herald",
            "The ferry company will raise its fares by 10% in May to pay for two new boats."),
        "second.md": article(
            "Ferry passengers face dearer crossings", "2024-04-09", "Valley Herald",
            "Passengers will pay 10% more for ferry crossings from May, as the ferry company "
            "raises its fares to pay for new boats."),
        **OTHER_NEWS,
    })
    answer = assistant.ask("the valley herald covered the ferry company's fares on 2 april 2024 "
                           "and again on 9 april 2024. did it portray the fares the same way "
                           "both times", mode="extractive")
    assert answer.verdict == "Yes", (answer.text, answer.notes)
    assert "verdict: the reports agree" in answer.notes, answer.notes
    assert {c.article_id for c in answer.citations} == {"first.md", "second.md"}
    assert_citations_sound(answer, assistant)


# Stories that make "films", "made" and "few" common words of the store, as they are in a
# news collection, so that a question's claim is weighed as it is there.
FILM_NEWS = {
    "cinema.md": article(
        "Cinemas show new films", "2005-01-06", "Coast Gazette",
        "Cinemas in the valley showed a few new films this week. Most were made in Europe, "
        "and critics had already seen them."),
    "studio.md": article(
        "Studio makes more films", "2005-01-07", "Valley Herald",
        "The studio made a few films last year and will make more. It has already hired "
        "actors for two of them."),
}


def test_yes_no_needs_more_than_the_names_and_reads_none_of_and_a_bare_surname(written):
    """Three ways a verdict went wrong on questions nobody tuned on:
    - "Had Ana Ruiz made a few films before Blue Harbour?" against "Ana Ruiz won best actress
      for Blue Harbour": the names match and nothing asked of them does: not Yes;
    - "none of the 18 former trustees will admit any wrongdoing" answers "did the trustees
      admit wrongdoing?" No, for that reason;
    - "Did Tom Reyes rap his skipper for his comments?" against "Reyes has rapped skipper
      Ben Mills for his comments", the story naming him in full four sentences before: the
      story's bare surname is the question's full name."""
    assistant = written({
        "ruiz.md": article(
            "Ruiz wins best actress", "2005-02-01", "Valley Herald",
            "Other winners included Ana Ruiz, who took best actress for her role as a nurse in "
            "the drama Blue Harbour. The ceremony was held in Berlin."),
        "trustees.md": article(
            "Trustees settle fund lawsuit", "2005-02-02", "Valley Herald",
            "The 18 former trustees of the Harbour Fund have agreed a $40m settlement. Under "
            "the settlement, none of the 18 former trustees will admit any wrongdoing."),
        "reyes.md": article(
            "Reyes agrees new contract", "2005-02-03", "Valley Herald",
            "Valley Rovers manager Tom Reyes has signed a new three-year contract. The club's "
            "chairman said he was delighted. Reyes said he wanted to win the Coast Cup. The "
            "deal was agreed on Thursday. Meanwhile, Reyes has rapped skipper Ben Mills for his "
            "comments before Sunday's derby with Mill Rovers."),
        **OTHER_NEWS, **FILM_NEWS,
    })
    for question, wanted, reason in (
            ("Had Ana Ruiz already made a few films before Blue Harbour?", "No", "not held"),
            ("Did Ana Ruiz take best actress for Blue Harbour?", "Yes", "holds every part"),
            ("In the $40m settlement, did the 18 former trustees admit wrongdoing?", "No",
             "denies what the claim states ('admit')"),
            ("In the $40m settlement, did the 18 ex-trustees own up to any wrongdoing?", "No",
             "denies 'admit' where the question says 'own'"),
            ("Did Tom Reyes rap his skipper for his comments before the derby?", "Yes",
             "holds every part")):
        answer = assistant.ask(question, mode="extractive")
        assert answer.verdict == wanted, (question, answer.text, answer.notes)
        assert reason in " ".join(answer.notes), (question, answer.notes)
        assert_citations_sound(answer, assistant)


def test_who_did_it_a_or_b_puts_each_option_where_who_stands_and_reads_initials(written):
    """"Who warned that as many as 2 million jobs could be lost, the Dock Union or the Harbour
    Trade Board?": each option is put in place of "who" ("the Harbour Trade Board warned ..."), not
    after the question, and the story's "HTB" (spelt out once) is the board it names."""
    assistant = written({
        "jobs.md": article(
            "Millions of dock jobs at risk", "2005-02-04", "Valley Herald",
            "Dock workers in the valley will lose their jobs under new trade rules. The "
            "Harbour Trade Board (HTB) is to end its quota deal on 31 December. The Dock Union "
            "condemned the move, saying it would see almost 9,000 jobs in Port Vale alone being "
            "axed. The HTB itself has warned that as many as 2 million jobs could be lost as a "
            "result of the change."),
        **OTHER_NEWS,
    })
    answer = assistant.ask("Who warned that as many as 2 million jobs could be lost, the Dock "
                           "Union or the Harbour Trade Board?", mode="extractive")
    assert answer.verdict == "Harbour Trade Board", (answer.text, answer.notes)
    assert "2 million" in answer.citations[0].quote, answer.text
    assert_citations_sound(answer, assistant)
    from qa.verdict import _option_asked_for

    assert _option_asked_for("Who did Rovers beat", "Mill Rovers") == "Rovers beat Mill Rovers"
    assert _option_asked_for("Who won the cup", "Mill Rovers") == "Mill Rovers won the cup"


def test_a_count_asked_with_its_noun_once_is_decided_by_where_it_is_written(written):
    """"Did he say the board had made two U-turns or three?": the noun the options share is
    said once; the sentence writing "two U-turns" decides it, though "three" is there too
    ("three positions in three months"), and is the one cited."""
    assistant = written({
        "board.md": article(
            "Reyes attacks board 'U-turns'", "2005-02-05", "Valley Herald",
            "Rovers manager Tom Reyes has accused the Valley board of U-turns over the new "
            "stand. On Thursday Mr Reyes told the Valley Herald the board had first refused "
            "the plan, then backed it, and was now backing away again. He said: \"We've had "
            "three positions in three months and two U-turns.\" The board said it had kept its "
            "word."),
        **OTHER_NEWS,
    })
    answer = assistant.ask("Tom Reyes spoke to the Valley Herald about the new stand. Did he "
                           "say the board had made two U-turns or three?", mode="extractive")
    assert answer.verdict and answer.verdict.lower().startswith("two"), (answer.text,
                                                                         answer.notes)
    assert "two U-turns" in answer.citations[0].quote, answer.text
    assert_citations_sound(answer, assistant)
