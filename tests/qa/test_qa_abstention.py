"""Abstaining from general signals: each rule with ordinary questions that must and must not
abstain, and the same questions with the rule switched off."""

from __future__ import annotations

import pytest

from qa import Assistant, load_settings
from tests.qa.conftest import article


@pytest.fixture(scope="module")
def without(mixed_store, embedder):
    """Assistants with one abstention rule switched off (one per rule, built once)."""
    made = {}

    def assistant_without(rules: tuple[str, ...]) -> Assistant:
        if rules not in made:
            base = Assistant(load_settings(store=mixed_store), embedder=embedder)
            made[rules] = Assistant(load_settings(store=mixed_store), embedder=embedder,
                                    policy=base.policy.replace(
                                        abstain={rule: False for rule in rules}))
        return made[rules]

    yield assistant_without
    for assistant in made.values():
        assistant.close()


# (question, the rules that make it abstain: an outlet no article comes from is also a name
# no article mentions)
ABSTAIN = [
    ("What did Olaf Scholz say at the summit in Beijing?", ("names",)),
    ("what did olaf scholz say at the summit in beijing?", ("names",)),
    ("What did the Bloomberg article say about the EU-China summit?", ("outlets", "names")),
    ("What did Al Jazeera report about the EU-China summit?", ("outlets", "names")),
    ("How large was the EU's trade deficit with China in 2015?", ("years",)),
    ("How many journalists attended the press conference in Beijing?", ("answer_type",)),
    ("What was the cost of the EU leaders' visit to Beijing?", ("answer_type",)),
]
ANSWER = [
    "What did Li Qiang ask of Brussels?",
    "what did li qiang ask of brussels?",
    "How large was the EU's trade deficit with China in 2022?",
    "How large was the EU's trade deficit with China?",
    "What did The Verge report about Apple and Google search?",
    "When will the memorandum for Italy's participation expire?",
    "What was the value of the EU's trade deficit with China?",
]


@pytest.mark.parametrize("question, rules", ABSTAIN)
def test_abstains_and_says_why(assistant, without, question, rules):
    answer = assistant.ask(question, mode="extractive")
    assert answer.abstained, answer.text
    assert answer.text.startswith("The articles don't say")
    assert answer.notes and answer.citations == []
    # It is these rules that abstain: without them, the question is answered.
    assert not without(rules).ask(question, mode="extractive").abstained


@pytest.mark.parametrize("question", ANSWER)
def test_answers_what_the_articles_hold(assistant, question):
    answer = assistant.ask(question, mode="extractive")
    assert not answer.abstained, answer.notes
    assert answer.citations


def test_an_english_word_typed_in_lower_case_is_no_name():
    """"scrutinized" (the articles write "scrutinised") and "missteps" (mis + steps) are
    words no article uses, but English: typed in lower case they are no names to look for,
    as "scholz" is."""
    from qa.analysis import StoreWords, english_form, restore_case

    seen = {"scrutinised", "steps", "firm"}
    store = StoreWords(texts_with=lambda words: [],
                       unseen=lambda words: {w for w in words if w not in seen},
                       is_common_word=lambda word: word in {"steps", "firm", "wood"})
    assert english_form("scrutinized", store)
    assert english_form("missteps", store)
    assert not english_form("scholz", store)
    assert not english_form("underwood", store)  # a common word, but too short to count
    asked = "which firm was scrutinized for its missteps?"
    assert restore_case(asked, store) == asked
    assert restore_case("what did olaf scholz say?", store) == "what did Olaf Scholz say?"


def test_an_outlet_typed_in_lower_case_is_read_as_the_store_writes_it():
    """"a bloomberg article" (the store writes "Bloomberg"), "presented by cnn" (no article
    uses it at all): names of outlets, asked about as such; "a report from the government"
    (written in lower case) names none."""
    from qa.analysis import StoreWords, restore_case
    from qa.query import unknown_outlets

    texts = ["Shares rose, Bloomberg reported on Monday.", "A Bloomberg survey found more.",
             "The government said taxes would rise.", "Critics said the government was wrong."]
    store = StoreWords(
        texts_with=lambda words: [t for t in texts if set(words.lower().split()) & set(
            t.lower().replace(",", " ").replace(".", " ").split())],
        unseen=lambda words: {w for w in words if w == "cnn"},  # no article uses "cnn"
        is_common_word=lambda word: word in {"cnn", "government", "report", "article"})
    cased = restore_case("how do a bloomberg article and the forecast presented by cnn, "
                         "differ?", store)
    assert cased == ("how do a Bloomberg article and the forecast presented by Cnn, differ?")
    assert unknown_outlets(cased, {}) == ["Bloomberg", "Cnn"]
    plain = "what did a report from the government say about taxes?"
    assert restore_case(plain, store) == plain
    quoted = restore_case("does 'bloomberg' article say shares rose?", store)
    assert quoted == "does 'Bloomberg' article say shares rose?"
    assert unknown_outlets(quoted, {}) == ["Bloomberg"]
    after = restore_case("after bloomberg reported on the deal, did shares rise?", store)
    assert unknown_outlets(after, {}) == ["Bloomberg"]
    # a quoted name after "report from" too
    from_quoted = restore_case("did the report from 'bloomberg' on 2 may say shares rose?", store)
    assert from_quoted == "did the report from 'Bloomberg' on 2 may say shares rose?"
    assert unknown_outlets(from_quoted, {}) == ["Bloomberg"]


@pytest.mark.parametrize("question, outlets", [
    ("Bloomberg ran a piece on the ferry strike. What did it say?", ["Bloomberg"]),
    ("On 2 May 2024, Bloomberg reported the strike. Was it over by June?", ["Bloomberg"]),
    ("Bloomberg wrote on May 2nd, 2024 about the strike. Why did it start?", ["Bloomberg"]),
    ("Did Bloomberg and the Valley Herald both report the strike?", ["Bloomberg"]),
    ("In Bloomberg and the Coast Gazette, who led the strike?", ["Bloomberg"]),
    ("According to Bloomberg, did the strike end, and does the Valley Herald say why?",
     ["Bloomberg"]),
    ("Is Bloomberg's take on the strike similar to the Coast Gazette's?", ["Bloomberg"]),
    ("Bloomberg says the strike ended; does the Valley Herald agree?", ["Bloomberg"]),
    # a person, a subject, a place before a clause
    ("Ann Lee wrote a Valley Herald piece on the strike. What did she argue?", []),
    ("According to Ann Lee, did the strike end, and does the Valley Herald say why?", []),
    ("Did the Valley Herald report on Ann Lee published on 2 May 2024 say she led it?", []),
    ("Did the strike reach Harbourtown, and the Coast Gazette cover it?", []),
    # without one of the store's outlets, who says something is no outlet
    ("According to Bloomberg, did the strike end?", []),
])
def test_an_outlet_named_the_way_people_write_it(question, outlets):
    """Outlets the store lacks, named as people write them: running a piece, writing on a day,
    listed with one of the store's outlets, or saying something beside one of them. A person
    in the same place ("Ann Lee wrote a Valley Herald piece", "according to Ann Lee") and a
    story's subject ("a report on Ann Lee published on 2 May") are no outlets."""
    from qa.query import unknown_outlets

    store = {"valley herald": {"Valley Herald"}, "coast gazette": {"Coast Gazette"}}
    assert unknown_outlets(question, store) == outlets


def test_lower_case_and_capitalised_questions_behave_the_same(assistant):
    for asked in ("What did Li Qiang ask of Brussels?",
                  "What did Xi say about the Taiwan Strait?",
                  "What did Olaf Scholz say in Beijing?"):
        upper = assistant.ask(asked, mode="extractive")
        lower = assistant.ask(asked.lower(), mode="extractive")
        assert upper.abstained == lower.abstained
        assert [c.quote for c in upper.citations] == [c.quote for c in lower.citations]
        assert assistant.analyse(asked.lower()).names == assistant.analyse(asked).names


def test_a_rare_word_the_store_never_saw_is_named(assistant):
    answer = assistant.ask("What did Zorblatt Industries announce in Beijing?",
                           mode="extractive")
    assert answer.abstained
    assert any("zorblatt" in note.lower() for note in answer.notes)
    # An ordinary word no article happens to use is no reason to abstain.
    assert not assistant.ask("What did Li Qiang ask of Brussels, in a nutshell?",
                             mode="extractive").abstained


def test_what_word_or_name_asks_for_a_term():
    from qa.analysis import expected_answer

    assert expected_answer("What word did Merriam-Webster pick?", "factoid") == "term"
    assert expected_answer("And what is the new party he launched called?", "factoid") == "term"
    assert expected_answer("What did the minister say?", "factoid") is None


def test_a_length_is_not_money():
    from qa.analysis import expected_answer
    from qa.evidence import holds_answer_type

    assert expected_answer("What was Winn-Dixie's revenue last year?", "factoid") == "money"
    assert expected_answer("What was the attendance at the final?", "factoid") == "figure"
    assert not holds_answer_type("The tower is more than 50m taller than the old one.", "money")
    assert holds_answer_type("The tower cost £50m to build.", "money")
    assert holds_answer_type("A 50m euros deal.", "money")
    # a count of people in millions is no sum of money either; millions of a currency are
    assert not holds_answer_type("It has more than 5.1 million subscribers.", "money")
    assert not holds_answer_type("It sold 10 million shares.", "money")
    assert holds_answer_type("It raised 3 million in cash.", "money")
    # metres with their feet beside them
    assert not holds_answer_type("Hitachi said the 1.3m (4.2ft) robot was the quickest yet.",
                                 "money")
    assert holds_answer_type("The deal is worth 2 billion euros.", "money")
    assert holds_answer_type("The repairs cost 1.4 million crowns.", "money")
    # the thing counted may come after a few words that describe it
    assert not holds_answer_type("There will be 100 million Visual Radio-enabled mobile phones "
                                 "in circulation.", "money")
    assert not holds_answer_type("It hopes to create 50 million new jobs.", "money")
    assert holds_answer_type("It made 2 billion euros in sales.", "money")
    # a verb or a word such as "this" ending in s is no plural thing counted
    assert holds_answer_type("A further 3 million was spent on repairs.", "money")
    assert holds_answer_type("It expects to earn 3 million this year.", "money")


def test_a_quantity_typed_as_a_search_asks_for_a_figure():
    """"size of the accounting fraud Scrushy is on trial for": no question word, no verb, yet
    it asks for a figure as "How big was ...?" does; "cost of ..." for a sum of money."""
    from qa.analysis import expected_answer

    assert expected_answer("size of the accounting fraud scrushy is on trial for",
                           "factoid") == "figure"
    assert expected_answer("Number of jobs cut at the bank", "factoid") == "figure"
    assert expected_answer("cost of the new stadium", "factoid") == "money"
    assert expected_answer("The value of the bid", "factoid") == "money"
    assert expected_answer("Sizes of shoe the shop sells", "factoid") is None


def test_what_something_costs_asks_for_money():
    from qa.analysis import expected_answer

    assert expected_answer("The deer-hunting site - what does a session cost", "factoid") == \
        "money"
    assert expected_answer("What will the new stadium cost?", "factoid") == "money"
    assert expected_answer("What did the minister say about costs?", "factoid") is None


def test_a_word_said_before_asking_is_no_part_of_the_question():
    from qa.analysis import analyse

    asked = analyse("Wait, does MSN Spaces carry banner ads?")
    assert (asked.kind, asked.claim, asked.names) == ("yesno", "MSN Spaces carry banner ads",
                                                      ("MSN Spaces",))
    assert analyse("Hmm, who chairs Wigan?").names == ("Wigan",)
    assert analyse("Well-known bands: who played?").kind == "factoid"


def test_the_one_outlet_asked_about_must_have_written_on_the_subject():
    """"What was the Guardian's take on Argonaut Games ...?" in a store where the Guardian's
    articles are about football: nothing it wrote is on the subject; a question naming two
    outlets is not judged so (each may be asked about its own part)."""
    from dataclasses import replace

    from qa.abstain import off_subject_outlet
    from qa.analysis import analyse
    from qa.types import Passage

    def passage(source: str, text: str) -> Passage:
        return Passage(chunk_id=1, article_id=text[:10], title="A story", date=None,
                       source=source, url=None, text=text, start=0, end=len(text), score=1.0)

    football = passage("The Guardian", "Chelsea were booed off after a second home defeat, "
                                       "and the games ahead look no easier.")
    games = passage("BBC News", "Argonaut Games has gone into administration, with the loss "
                                "of 100 jobs.")
    aliases = {"the guardian": {"The Guardian"}, "guardian": {"The Guardian"},
               "bbc news": {"BBC News"}}
    asked = analyse("What was the Guardian's take on Argonaut Games going into administration?")
    assert off_subject_outlet(asked, [football, games], aliases) == "The Guardian"
    on_topic = analyse("What did the Guardian say about Chelsea's home defeat?")
    assert off_subject_outlet(on_topic, [football, games], aliases) is None
    both = analyse("Did the Guardian and BBC News both report on Argonaut Games?")
    assert off_subject_outlet(both, [football, games], aliases) is None

    # Typed in lower case, an outlet whose name is also a common word ("wired") may be the
    # second one asked about: no question about one outlet alone.
    aliases["wired"] = {"Wired"}
    # (names as a store restores them: "argonaut games" is written with capitals there)
    two = replace(analyse("did the guardian and wired both report on argonaut games going "
                          "into administration?"), names=("Argonaut Games",))
    assert two.lower_case
    assert off_subject_outlet(two, [football, games], aliases) is None
    one = replace(analyse("what was the guardian's take on argonaut games going into "
                          "administration?"), names=("Argonaut Games",))
    assert off_subject_outlet(one, [football, games], aliases) == "The Guardian"
    cased = analyse("Did the Guardian and wired both report on Argonaut Games going into "
                    "administration?")
    assert off_subject_outlet(cased, [football, games], aliases) == "The Guardian"


def test_money_handed_over_and_how_much_extra():
    """"how much extra does Apple hand over to the charity?" asks for a sum of money, and
    "extra" is no thing measured (it had abstained: "no extra figure")."""
    from qa.analysis import analyse

    extra = analyse("For every download, how much extra does Apple hand over to the charity?")
    assert (extra.expects, extra.measured) == ("money", None)
    assert analyse("How much did the firm donate to the appeal?").expects == "money"
    assert analyse("How much extra time was played?").expects == "figure"


def test_what_s_asks_as_what_is_does():
    """"What's the price ..." is typed as often as "What is the price ...": both ask for a
    sum of money, so a sentence with none does not answer it."""
    from qa.analysis import expected_answer

    for asked in ("What's the price of the Zephyr GT?", "What’s Winn-Dixie's revenue?",
                  "what's the price of the zephyr gt"):
        assert expected_answer(asked, "factoid") == "money", asked
    assert expected_answer("What's the name of the band?", "factoid") != "money"


def test_an_outlet_quoted_on_another_subject_holds_nothing_it_wrote_on_this_one():
    """The store's stories may quote an outlet that is none of its sources: that holds what
    the outlet wrote about the story's subject, not about the one asked about."""
    from qa.abstain import missing_names
    from qa.analysis import analyse
    from qa.query import unknown_outlets
    from qa.types import Passage

    def passage(text: str, title: str) -> Passage:
        return Passage(chunk_id=1, article_id=title, title=title, date=None, source="BBC News",
                       url=None, text=text, start=0, end=len(text), score=1.0)

    quoting = passage('"None of the directors took part in the fraud," the Wall Street '
                      "Journal reported of the Harbour Telecom case.", "Harbour bosses pay up")
    other = passage("Shares in Quillon Doughnuts fell after it said it would restate its "
                    "accounts.", "Quillon shares hit")
    aliases = {"BBC News": {"bbc news", "bbc"}}
    asked = "How did the Wall Street Journal cover Quillon Doughnuts' accounting troubles?"
    assert unknown_outlets(asked, aliases) == ["Wall Street Journal"]
    assert "Wall Street Journal" in missing_names(analyse(asked), [quoting, other],
                                                   aliases=aliases, names=False)
    on_topic = "What did the Wall Street Journal report about Harbour Telecom's directors?"
    assert missing_names(analyse(on_topic), [quoting, other], aliases=aliases,
                         names=False) == []


def test_what_a_how_much_question_measures():
    from qa.analysis import measured_thing
    from qa.evidence import holds_answer_type

    assert measured_thing("How much profit did Time Warner make?") == "profit"
    assert measured_thing("What was Winn-Dixie's total revenue for the year?") == "revenue"
    # no noun after "how much": the verb that measures, if any
    assert measured_thing("How much did it cost?") == "cost"
    assert measured_thing("How much was Foster's offer for Southcorp worth?") == "worth"
    assert measured_thing("How much did he say about it?") is None
    assert measured_thing("How much had Lufthansa lost in 2003?") == "loss"  # "a loss of"
    assert not holds_answer_type("Profits were buoyed by one-off gains.", "figure")
    assert holds_answer_type("He scored one goal.", "figure")


def test_what_a_how_many_question_counts():
    from qa.analysis import counted_thing

    assert counted_thing("How many of his Davis Cup matches did Tim Henman win?") == "matches"
    assert counted_thing("How many visa applications does each officer handle?") == \
        "applications"
    assert counted_thing("How many customers' details did he take?") == "customers"
    assert counted_thing("How many people watched the final?") == "people"
    assert counted_thing("How many were killed?") is None
    # the people counted by what they are: "about 3,000 Caribs live on the island"
    from qa.evidence import holds_answer_type

    carib = counted_thing("how many carib people actually live on the island")
    assert carib == "carib people"
    assert holds_answer_type("About 3,000 Caribs live on the island.", "figure", carib)
    assert not holds_answer_type("The island has 12 beaches.", "figure", carib)


def test_a_year_ending_a_sentence_is_not_a_figure():
    from qa.evidence import holds_answer_type

    assert not holds_answer_type("It returned to profit in 2004 after losses in 2003.", "figure")
    assert holds_answer_type("It posted a loss of 984m euros in 2003.", "figure")


@pytest.mark.parametrize("question, kind", [
    ("Who scored Wales' tries in their win over Italy?", "list"),
    ("who scored wales' tries in their win over italy?", "list"),
    ("Who wrote the songs on the album?", "list"),
    ("Who leads the Tories?", "factoid"),  # one party, written as a name
    ("Who scored the winning goal?", "factoid"),
    ("Who is the deputy leader of Veritas?", "factoid"),
])
def test_who_did_a_plural_thing_asks_for_several(question, kind):
    from qa.analysis import analyse

    assert analyse(question).kind == kind


@pytest.mark.parametrize("question, kind", [
    ("Fill me in on the Yukos auction", "summary"),
    ("Quick rundown of the new Iranian budget please", "summary"),
    ("Give me the lowdown on the Glazer bid", "summary"),
    ("what's the latest on the Kilroy-Silk party", "summary"),
    ("Who owns the rundown warehouse?", "factoid"),  # a building run down, no summary asked
    ("Besides the new phone, what else did T-Mobile show at 3GSM?", "list"),
    ("Who else was arrested at the compound?", "list"),
    ("What did Li Qiang ask of Brussels?", "factoid"),
    # asked for by the answer's form
    ("Where is the leader touring this week? Bullet points are fine.", "list"),
    ("What does the new phone do, as a list?", "list"),
    ("I've no idea what Visual Radio is - could you sum it up for me?", "summary"),
    # a clause of its own asks which things, or why
    ("The review was glowing, but which flaws did it still pick out?", "list"),
    ("Councils got a 6% rise, so why are the opposition warning of steep tax rises?", "explain"),
    ("Lord Dubs' bill on the succession - why did critics think it would fail?", "explain"),
    ("Shares fell sharply on Monday. Why?", "explain"),
    # a plural thing asked about asks for several; a name's adjective may come before it
    ("Which websites does the new toolbar link people to?", "list"),
    ("Which Asian airlines saw their shares drop?", "list"),
    ("What news does the BBC lead with?", "factoid"),
    ("Which company makes the iPod?", "factoid"),
    ("What Blair says about pensions?", "factoid"),
    ("Which Aussie was the two-time defending winner?", "factoid"),
    ("What was the cardinal's message about the war? A couple of sentences would do.",
     "summary"),
    ("Muslim groups met to debate the election. What was that meeting about, briefly?",
     "summary"),
    ("What did the agency boss say was holding jobs back?", "explain"),
    ("What's behind the rise in house prices?", "explain"),
    ("What is the name of the band's back catalogue label?", "factoid"),
    ("Why did the shares fall?", "explain"),
    ("Which firm, the review says, has the best phone?", "factoid"),
    # words that describe the plural noun may come first; a singular head before "of" asks
    # for one thing, and a clause of its own ("what did the ...") is no plural noun
    ("Which local councils did the minister visit?", "list"),
    ("What new rules did the regulator bring in?", "list"),
    ("Which of the bands are on the bill?", "list"),
    ("Which type of engines does the plane use?", "factoid"),
    ("What share of voters backed the plan?", "factoid"),
    ("What did the results show?", "factoid"),
    ("What team was relegated?", "factoid"),
    ("Which club has the most fans?", "factoid"),
    # the source of an idea is its cause
    ("what gave the director the idea for it", "explain"),
    ("Where did the idea for the festival come from?", "explain"),
    ("What inspired the new album?", "explain"),
    ("What gave the show its name?", "factoid"),
    # the grounds of a complaint or a worry
    ("The union's leader spoke out. Briefly, what was he unhappy about", "explain"),
    ("What are the fans angry about?", "explain"),
    ("What was the fans' chant about?", "factoid"),
    # each of several asked for in other words
    ("Run through who won what at the Valley music awards.", "list"),
    ("What did the three parties spend? Give the figures for all of them", "list"),
    ("Who won the Valley music award?", "factoid"),
    ("What's in the council's 5m package for farmers? Break down the main parts", "list"),
    ("How much of each library will be scanned? Go through them one by one", "list"),
    ("Why did the talks break down?", "explain"),
])
def test_everyday_ways_of_asking_for_a_summary_or_for_more(question, kind):
    from qa.analysis import analyse

    assert analyse(question).kind == kind


@pytest.mark.parametrize("question, expects", [
    ("The old letters turned up among whose papers?", "name"),
    ("The band won best live act. In which Devon town did they first meet?", "name"),
    ("At which stadium will the final be played?", "name"),
    ("Which town did they meet in?", "name"),
    ("The band won best live act. In which year did they first meet?", "date"),
    ("Whose turn is it to host the summit?", None),
])
def test_a_name_is_wanted_wherever_the_question_asks_for_it(question, expects):
    from qa.analysis import analyse

    assert analyse(question).expects == expects


@pytest.mark.parametrize("question, claim", [
    # a phrase typed before the auxiliary, with or without its comma, stays before the claim
    ("Under the new plan could pensioners swap their fuel payments?",
     "Under the new plan, pensioners swap their fuel payments"),
    ("Under the new plan, could pensioners swap their fuel payments?",
     "Under the new plan, pensioners swap their fuel payments"),
    ("In 2004 did Arsenal win the league?", "In 2004, Arsenal win the league"),
    ("Did Arsenal win the league in 2004?", "Arsenal win the league in 2004"),
    # a tag that only asks whether it is so adds nothing to the claim; one that adds does
    ("Tindall missed the 2001 tour with a knee injury - is that how it went?",
     "Tindall missed the 2001 tour with a knee injury"),
    ("Slovakia are in the final again - is that two years running for them?",
     "Slovakia are in the final again two years running for them"),
])
def test_the_claim_a_yes_no_question_asks_about(question, claim):
    from qa.analysis import analyse

    assert analyse(question).kind == "yesno"
    assert analyse(question).claim == claim


@pytest.mark.parametrize("question, kind", [
    ("Give me the short version of the robot etiquette research", "summary"),
    ("In a nutshell, what is the government planning for the railways?", "summary"),
    ("tl;dr of the Glazer bid?", "summary"),
    ("What did the minister say in brief remarks to reporters?", "factoid"),
])
def test_more_everyday_ways_of_asking_for_a_summary(question, kind):
    from qa.analysis import analyse

    assert analyse(question).kind == kind


def test_a_question_written_in_several_sentences_is_read_from_the_one_that_asks():
    """What comes before the question is context: its kind, what it expects and its claim
    come from the sentence that asks; "Is that true?" asks about the sentence before it,
    without whoever passed it on; "I'm" is no name."""
    from qa.analysis import analyse

    rate = analyse("I'm thinking about fostering. What weekly rate does the charity say "
                   "carers should get?")
    assert (rate.kind, rate.expects) == ("factoid", "figure")
    assert rate.names == ()
    assert analyse("Who is turning It's A Wonderful Life into a musical?").names == (
        "It's A Wonderful Life",)
    told = analyse("A mate told me the club lost a third of its fans last year. Is that true?")
    assert (told.kind, told.claim) == ("yesno", "the club lost a third of its fans last year")
    heard = analyse("i heard apple shares fell. is that right")
    assert (heard.kind, heard.claim) == ("yesno", "apple shares fell")
    assert analyse("Harbour cut jobs. Why?").kind == "explain"
    # an abbreviation's full stop ends no sentence
    assert analyse("What did Mr. Smith say about the bid?").wh == "what"
    assert analyse("Did the U.S. Senate pass the bill?").claim == "the U.S. Senate pass the bill"
    assert analyse("Did the band turn up for the Mamma Mia! premiere?").claim == \
        "the band turn up for the Mamma Mia! premiere"
    # nor does one inside a quotation; and two questions in one are read as a whole
    from qa.analysis import asking_sentence

    quoted = ("After the Post wrote that 'the levels in Hills Plus. Two collapse,' did the "
              "Herald agree or disagree?")
    assert asking_sentence(quoted) == (quoted, "")
    assert asking_sentence("Did sales rise?\n\nDid profits fall?") == (
        "Did sales rise?\n\nDid profits fall?", "")


def test_ways_of_asking_to_check_a_claim_and_to_be_told_why():
    """"Have I got that figure right?" after a claim or as its tag, "Is that what the
    figures showed?" after one; "what's his reasoning", "what is being blamed for" ask a
    reason; "talk me through", "quick explainer" ask for several sentences; "Who's" and
    "What's" are no names anywhere in a question."""
    from qa.analysis import analyse
    from qa.query import question_names

    tagged = analyse("So the club has to cut $30m by March - have I got that figure right?")
    assert (tagged.kind, tagged.claim) == ("yesno", "the club has to cut $30m by March")
    read = analyse("I read that fares rose 4% in May. Is that what the figures showed?")
    assert (read.kind, read.claim) == ("yesno", "fares rose 4% in May")
    assert analyse("He thinks runners lack ambition - what's his reasoning?").kind == "explain"
    assert analyse("What's being blamed for the rise in prices?").kind == "explain"
    assert analyse("What is the best way to get there?").kind == "factoid"
    assert analyse("Is the game any good? Talk me through what the reviewer said.").kind == \
        "summary"
    assert analyse("Quick explainer please: what is the Harbour Grid?").kind == "summary"
    assert question_names("Who's the MSP behind the bill?") == ["MSP"]
    assert question_names("Gallas says it is a two-horse race. Who's the other?") == ["Gallas"]
    assert question_names("What's being blamed for German job losses?") == ["German"]


def test_more_everyday_ways_of_asking():
    """A polite opening ("Any idea who ...", "Do you know what ...") is read away; "..., yeah?"
    tags a statement; "So BA blamed fuel ...?" asks a statement back; "Can you break down
    ... for me?" and "What's the deal with ...?" ask for a summary; "more or fewer people in
    the US than ..." offers two options though several words stand before "than"."""
    from qa.analysis import analyse
    from qa.query import question_names

    polite = analyse("Any idea who chairs the Harbour Society?")
    assert (polite.kind, polite.expects, polite.cased) == ("factoid", "name",
                                                           "Who chairs the Harbour Society?")
    assert analyse("do you know when the bridge opens?").wh == "when"
    # a request to be told, and a question word after a preposition, are read away too
    minded = analyse("Would you mind telling me which hotel the dinner was held at?")
    assert (minded.kind, minded.wh) == ("factoid", "which")
    assert analyse("Do you know at which ground the final is played?").kind == "factoid"
    assert analyse("I was wondering why the ferry fares went up.").kind == "explain"
    assert analyse("could you let me know how many jobs are going").expects == "figure"
    assert analyse("Do you know if the ferry strike went ahead?").kind == "yesno"
    tagged = analyse("The firm is cutting its order from 90 to 60 planes, yeah?")
    assert (tagged.kind, tagged.claim) == ("yesno", "The firm is cutting its order from 90 to "
                                                    "60 planes")
    back = analyse("So Skyway blamed fuel for its profits dropping by 60%?")
    assert (back.kind, back.claim) == ("yesno", "Skyway blamed fuel for its profits dropping "
                                                "by 60%")
    assert question_names("So Skyway blamed fuel for its profits dropping?") == ["Skyway"]
    assert analyse("And Westmark?").kind == "factoid"
    assert analyse("Can you break down the singer's exit from the show for me?").kind == \
        "summary"
    assert analyse("What's the deal with the court case?").kind == "summary"
    assert analyse("The ferry strike - tell me what went on.").kind == "summary"
    assert analyse("Have the films been seen by more or fewer people in the US than the 1984 "
                   "lot?").options == ("more", "fewer")
    # after a story of one's own, "Do you know how much ...?" asks how much; "paying" measures
    # money, and a name after "how much" is whom it is about
    told = analyse("My brother works in freight. Do you know how much Skyway is actually "
                   "paying for its new planes?")
    assert (told.kind, told.expects, told.measured) == ("factoid", "money", "pay")


def test_a_question_asked_after_who_says_it_or_as_a_request_to_name():
    """"According to X, who ...?" asks who; "Name the person who ..." asks for one name (the
    firms, plural, for a list); a question opening with its question word is no tagged
    statement ("Which company, ..., is this?"); a last sentence typed without its question
    mark is still what is asked; "what's the name of ..." wants a name or term."""
    from qa.analysis import analyse

    said = analyse("According to the Valley Herald and the Coast Gazette, who backs the ferry "
                   "plan?")
    assert (said.kind, said.expects) == ("factoid", "name")
    assert "Valley Herald" in said.cased  # still searched for what that outlet wrote
    named = analyse("Name the person who chairs the Harbour Society.")
    assert (named.kind, named.expects) == ("factoid", "name")
    assert analyse("Name the company that runs the ferry.").expects == "name"
    assert analyse("Name the firms that bid for the ferry contract.").kind == "list"
    which = analyse("The Herald covers its fares and the Gazette its boats. Which company, "
                    "criticised on all sides, is this?")
    assert (which.kind, which.expects) == ("factoid", "name")
    told = analyse("the herald and the gazette both write about a man at the heart of a court "
                   "case in which jurors have to weigh two accounts. who is it")
    assert (told.kind, told.expects) == ("factoid", "name")
    assert analyse("What was the ferry's name?").expects == "term"
    # "Did he say that?" asks whether the sentence before holds
    checked = analyse("The harbour master said the ferry would run all winter. Did he say that?")
    assert (checked.kind, checked.claim) == ("yesno", "The harbour master said the ferry would "
                                                      "run all winter")
    assert analyse("whats the name of the new ferry").expects == "term"
    # also after a statement, and for "its title"
    assert analyse("The Valley Players announced a new comedy - whats its title?").expects == \
        "term"
    assert analyse("The band split in 1990. What was it called?").expects == "term"
    assert analyse("What did the minister say about the names?").expects is None
    # an amount inside the question is not what it asks for
    assert analyse("What did the council say about how much the ferry cost?").expects is None
    assert analyse("How much did the ferry cost?").expects == "money"


def test_a_date_written_short_is_no_name():
    """"Nov 13", "Sept. 5" and "9 Apr 2024" are dates, not names the articles must use;
    "The Sun" and "Jan" alone may be names."""
    from qa.abstain import name_words

    assert name_words("Nov 13") == name_words("Sept") == name_words("9 Apr 2024") == []
    assert name_words("Sun 4") == []
    assert name_words("The Sun") == ["sun"] and name_words("Jan") == ["jan"]


def test_a_statement_asked_back_with_the_askers_doubt_is_a_yes_no_question():
    """The eighth set's forms: "..., or am I misremembering?", "Correct me if I'm wrong, but
    ...?", "Just to double-check: ...?" and a bare statement with a question mark ask whether
    it holds; a clause opening with a question word still asks that ("The PSP - which price
    ...?"); "Could you list ...?" is a request; "before X or after it" offers two options."""
    from qa.analysis import analyse

    for question, claim in [
            ("Hale signed a four-year deal when he joined Rovers in 2003, or am I "
             "misremembering?", "Hale signed a four-year deal when he joined Rovers in 2003"),
            ("Correct me if I'm wrong, but Jo Vance is leading the singer's legal team?",
             "Jo Vance is leading the singer's legal team"),
            ("Just to double-check: Howard said the plans meant borrowing £168bn?",
             "Howard said the plans meant borrowing £168bn"),
            ("the harbour bridge opened in 2004?", "the harbour bridge opened in 2004")]:
        read = analyse(question)
        assert (read.kind, read.claim) == ("yesno", claim), question
    assert analyse("Skyway's dropping its Gulf routes - which cities lose their flights?"
                   ).kind == "list"
    assert analyse("The film made how much?").kind == "factoid"
    assert analyse("Quick question: who chairs Wigan?").wh == "who"
    assert analyse("Could you list the acts in the top 10, please? Not the winners.").kind == \
        "list"
    assert analyse("Could you list the acts in the top 10, please? Not the winners.").names == ()
    assert analyse("Can you believe Blair said that?").kind == "yesno"
    timing = analyse("Does the China friendly come before the Israel qualifier or after it?")
    assert (timing.kind, timing.options) == ("choice", ("before", "after"))
    settle = analyse("Settle something for me: did Skyway go for the 7E7 or the A350?")
    assert (settle.kind, settle.options, settle.claim) == (
        "choice", ("7E7", "A350"), "Skyway go for the 7E7 or the A350")
    # a question word after a preposition still asks ("from when", "since when")
    assert analyse("And from when does that apply?").wh == "when"
    assert analyse("And from when does that apply?").kind == "factoid"
    # other readings the set showed: "key points", "what's actually going on", "what reason"
    assert analyse("Need the key points on the leaflet row in Swansea").kind == "summary"
    assert analyse("My son is upset. What's actually going on with the games?").kind == \
        "summary"
    assert analyse("What reason did the authorities give for stopping the play?").kind == \
        "explain"
    assert analyse("Faith schools: which kinds did he single out, and about how many of each "
                   "are there?").counted is None
    # and the ninth set's: "- yes or no?", "Pretty sure ...", "Heard that ... Any truth in
    # that?", "Am I right in thinking ...?", "what's it about?", "explanation", a topic then
    # "- who got the goals?"
    for question, claim in [
            ("Pretty sure Skyway showed off a plane with a motor in the wing - yes or no?",
             "Skyway showed off a plane with a motor in the wing"),
            ("Heard that more than 70% of people would give away their password. Any truth in "
             "that?", "more than 70% of people would give away their password"),
            ("Am I right in thinking Ann Lee has walked away from her job at Mill Foods?",
             "Ann Lee has walked away from her job at Mill Foods")]:
        read = analyse(question)
        assert (read.kind, read.options, read.claim) == ("yesno", (), claim), question
    assert analyse("Bit confused about the row over the votes - what's it about?").kind == \
        "summary"
    assert analyse("They left him at home. What's the club's explanation?").kind == "explain"
    assert analyse("Rovers won 3-0 in the cup - who got the goals?").kind == "list"
    # an acronym before a plural noun: "Which TV shows won ...?"
    assert analyse("Which TV shows won at the Valley Awards?").kind == "list"
    assert analyse("Which UK firm wrote the software?").kind == "factoid"


def test_a_slip_of_the_keyboard_is_read_as_the_word_meant(assistant):
    """"shorter traning", "how much they rasied": a lower-case word that is no English word
    and no article's, one slip from exactly one common word the articles use, is read as that
    word instead of a name no article mentions; a lower-case name beside another ("michael
    buble") stays a name, and a letter typed for another is no slip ("bauer" is no "bayer")."""
    read = assistant.analyse("What did the EU leaders ask for at the sumit in Beijing?")
    assert "at the summit in" in read.cased, read.cased
    lower = assistant.analyse("what did the eu leaders ask for at the sumit in beijing?")
    assert "at the summit in Beijing" in lower.cased and lower.rare_unseen == (), lower.cased
    assert "Zorblatt" in assistant.analyse("what did zorblatt industries say?").cased
    from qa.analysis import _slips_of

    assert "raised" in _slips_of("rasied") and "training" in _slips_of("traning")
    assert "bayer" not in _slips_of("bauer")
    assert "explanation" in _slips_of("explenation")  # a long word: a letter typed for another


def test_a_hedge_on_a_figure_is_not_part_of_the_claim():
    """"something like a third", "roughly 2,500": the asker's doubt; "nearly 5%" is a bound
    the claim check reads, and "about" before a noun is no hedge."""
    from qa.analysis import analyse

    assert analyse("Has the club lost something like a third of its fans?").claim == \
        "the club lost a third of its fans"
    assert analyse("Did roughly 2,500 jobs go?").claim == "2,500 jobs go"
    assert analyse("Did sales rise nearly 5%?").claim == "sales rise nearly 5%"
    assert analyse("Did they talk about a deal?").claim == "they talk about a deal"


def test_the_word_opening_a_request_names_nothing():
    from qa.analysis import analyse

    assert analyse("Fill me in on the deal to stop homophobic reggae songs").names == ()
    assert analyse("Quick rundown of the budget for Iran please").names == ("Iran",)


@pytest.mark.parametrize("question, options", [
    ("Was it Arsenal or Chelsea that won the cup?", ("Arsenal", "Chelsea")),
    ("Who won the cup, Arsenal or Chelsea?", ("Arsenal", "Chelsea")),
    # "whether A or B" and "either A or B" offer no choice between them
    ("Which team kept winning, regardless of whether Dan Price or Tom Grant played?", ()),
    ("Did either Arsenal or Chelsea win the cup?", ()),
    # an "or" inside what a report is said to suggest belongs to that statement
    ("Does the article suggest that fans can find tickets or deals online, while the other "
     "reports a sell-out?", ()),
    ("Does the article suggest Arsenal or Chelsea won the cup?", ("Arsenal", "Chelsea")),
])
def test_a_choice_is_offered_only_between_options(question, options):
    from qa.analysis import analyse

    assert analyse(question).options == options


def test_a_person_named_only_in_an_articles_address_is_not_unknown(written):
    """An outlet's address may be the one place that names whom its story calls "he"; a
    given name no article holds still marks an unknown person, whatever surname follows it
    ("Indrani Roy" is no one the articles know because one of them names a Roy)."""
    assistant = written({
        "leipzig.md": "---\ntitle: Mitchell's summer at Old Trafford\ndate: 2023-12-01\n"
                      "source: Sports Desk\n---\n\nMitchell remains good friends with Rangnick "
                      "from their time together at Leipzig. The two still speak every week "
                      "about scouting young players.\n",
        "bills.md": "---\ntitle: The quiet leader of a defence\ndate: 2023-12-14\n"
                    "source: Sports Desk\nurl: https://example.com/2023/12/14/"
                    "buffalo-bills-jordan-poyer-leadership/\n---\n\nWhat he has done, "
                    "according to the former defensive coordinator, is lift the players around "
                    "him through versatility, sacrifice and toughness. The safety has started "
                    "every game this season for Buffalo.\n",
    })
    assert not assistant.ask("What has Jordan Poyer done for the Buffalo defence?",
                             mode="extractive").abstained
    for unknown in ("Is Paul Mitchell still friends with Zoltanek Rangnick?",
                    "What has Jordan Kwiatkowski done for the Buffalo defence?"):
        answer = assistant.ask(unknown, mode="extractive")
        assert answer.abstained, answer.text


def test_which_team_abstains_when_the_closest_sentences_name_none(written):
    """"Which team won ...?" asks for a team: sentences that name only people and the event
    asked about do not answer it; one that names a side does."""
    assistant = written({
        "show.md": "---\ntitle: Star sings at the Valley Bowl\ndate: 2024-02-05\n"
                   "source: Sports Desk\n---\n\nSir Tom Reyes wowed fans with a live "
                   "mini-concert at American football's Valley Bowl, and avoided any Ann "
                   "Lee-style controversies. Sir Tom said: \"There's nothing bigger than "
                   "being asked to sing at the Valley Bowl.\" Mr Reyes played for 12 minutes. "
                   "Lee's show last year drew 500 complaints.\n",
        "cup.md": "---\ntitle: Harbour City lift the Coast Cup\ndate: 2024-03-02\n"
                  "source: Sports Desk\n---\n\nHarbour City beat Mill Rovers 3-1 to win the "
                  "Coast Cup at a sold-out stadium. Ann Lee scored twice for the winners.\n",
    })
    answer = assistant.ask("Which team won the Valley Bowl where Tom Reyes sang at half-time?",
                           mode="extractive")
    assert answer.abstained, answer.text
    assert "name no team" in answer.notes[0]
    assert not assistant.ask("Which team won the Coast Cup?", mode="extractive").abstained


def test_which_country_is_answered_by_a_name_opening_its_sentence(written):
    """"China overtook the US ..." names a country though its first word has a capital
    anyway: the story writes "China" with one elsewhere ("... trade with China")."""
    assistant = written({"trade.md": article(
        "New top trader", "2024-01-26", "Valley Herald",
        "China overtook the US to become Japan's biggest trading partner in 2004, according "
        "to figures released on Wednesday.\n\nChina accounted for 20.1% of Japan's trade. "
        "Japanese trade with China grew for the sixth year running.")})
    answer = assistant.ask("Which country overtook the US as Japan's biggest trading partner?",
                           mode="extractive")
    assert not answer.abstained, answer.notes
    assert "China" in answer.text


def test_one_of_a_kind_is_no_figure_and_getting_money_back_asks_for_money():
    from qa.analysis import analyse
    from qa.evidence import holds_answer_type

    assert not holds_answer_type('It called her "one of the most recognised performers".',
                                 "figure")
    assert holds_answer_type("She won one race and lost two.", "figure")
    assert analyse("How much is she trying to get back?").expects == "money"
    assert analyse("How much compensation did the families receive?").expects == "money"
    assert analyse("How much did the shares fall?").expects == "figure"


@pytest.mark.parametrize("question, kind, options, claim", [
    ("Will it be played in Paris or in Rome?", "choice", ("Paris", "Rome"), None),
    ("Is the aid target to be met by 2013 or by 2015?", "choice", ("2013", "2015"), None),
    # the last option may be two words, running to the question's end
    ("Do more homes get their broadband by cable or by phone line?", "choice",
     ("cable", "phone line"), None),
    ("The deficit grew in November, didn't it?", "yesno", (), "The deficit grew in November"),
    ("Slovakia are in the final again - is that two years running for them?", "yesno", (),
     "Slovakia are in the final again two years running for them"),
    ("Jay-Z runs Def Jam now, right?", "yesno", (), "Jay-Z runs Def Jam now"),
    ("What did he say, and when did he say it?", "factoid", (), None),
])
def test_options_after_a_repeated_preposition_and_questions_tagged_on(question, kind, options,
                                                                      claim):
    from qa.analysis import analyse

    analysis = analyse(question)
    assert (analysis.kind, analysis.options) == (kind, options)
    if claim is not None:
        assert analysis.claim == claim


@pytest.mark.parametrize("question, measured", [
    ("What is the top speed of the Zephyr GT?", "speed"),
    ("What is the height of the harbour tower?", "height"),
    ("What was the turnout in the by-election?", "turnout"),
    ("How fast can the Zephyr GT go?", None),
    ("How tall is the harbour tower?", None),
])
def test_a_speed_a_height_a_turnout_are_figures_asked_for(question, measured):
    from qa.analysis import analyse

    analysis = analyse(question)
    assert (analysis.expects, analysis.measured) == ("figure", measured)


def test_the_top_speed_is_answered_by_the_speed_not_the_price(written):
    """"What is the top speed of the Zephyr GT?": of the closest sentences, the one giving
    the speed's figure leads, not the one that names the car and gives its price."""
    from tests.qa.conftest import article
    from tests.qa.test_qa_verdicts import OTHER_NEWS

    assistant = written({"car.md": article(
        "Zephyr unveils its GT sports car", "2005-01-10", "Valley Herald",
        "With a price tag under £80,000, the Zephyr GT is far cheaper than the firm's other "
        "models. The Zephyr GT has a top speed of 175mph and reaches 60mph in 4.8 seconds. "
        "Deliveries begin in the spring."), **OTHER_NEWS})
    answer = assistant.ask("What is the top speed of the Zephyr GT?", mode="extractive")
    assert "175mph" in answer.citations[0].quote, answer.text


def test_a_figure_of_another_thing_is_no_answer_to_what_is_measured(written):
    """"What is the top speed of the Zephyr GT?" where its story gives only its price: a
    figure, but not a speed, so the articles don't say; a follow-up "What was the score?" is
    not held to this, as it reads on in the story its last answer quoted."""
    from tests.qa.conftest import article
    from tests.qa.test_qa_verdicts import OTHER_NEWS

    assistant = written({"car.md": article(
        "Zephyr unveils its GT sports car", "2005-01-10", "Valley Herald",
        "With a price tag under £80,000, the Zephyr GT is far cheaper than the firm's other "
        "models. Deliveries of the Zephyr GT begin in the spring."), **OTHER_NEWS})
    answer = assistant.ask("What is the top speed of the Zephyr GT?", mode="extractive")
    assert answer.abstained, answer.text
    assert "speed" in " ".join(answer.notes)
    priced = assistant.ask("What is the price of the Zephyr GT?", mode="extractive")
    assert not priced.abstained and "80,000" in priced.text, priced.notes


def test_how_old_asks_an_age_which_a_sentence_gives_in_its_own_words():
    from types import SimpleNamespace

    from qa.analysis import analyse
    from qa.evidence import gives_measured

    asked = analyse("How old is Tom Lane?")
    assert asked.measured == "age"
    for text in ("The 34-year-old told the club's website.", "Lord Lane has died aged 93.",
                 "Lane, 32, retired after the Olympics.", "He left school at the age of 16."):
        assert gives_measured(SimpleNamespace(text=text, tokens=set()), asked), text
    assert not gives_measured(SimpleNamespace(
        text="Lane made 125 appearances and scored 25 goals.", tokens=set()), asked)


def test_what_the_asker_already_knows_is_left_out_of_the_question():
    from qa.analysis import without_exclusion

    assert without_exclusion("Apart from learning to run, what else has Honda improved on "
                             "Asimo?") == "what else has Honda improved on Asimo?"
    assert without_exclusion("What else did they announce, other than the phone?") == \
        "What else did they announce?"
    assert without_exclusion("What did the minister say about the budget?") == \
        "What did the minister say about the budget?"


@pytest.mark.parametrize("question, kind, expects", [
    # a contraction typed without its apostrophe is the contraction, not a name or a claim
    ("whats the latest with the Rover sale?", "summary", None),
    ("I read the mine had closed. Whats going on with that?", "summary", None),
    ("didnt the council approve the plan?", "yesno", None),
    ("How big is its budget?", "factoid", "figure"),  # "its" stays the possessive
    # a request made after the question, or a bare fragment naming what to list
    ("What did the report recommend? List them.", "list", None),
    ("What's in the new tax plan? The main changes", "list", None),
    ("Which airline is it? The biggest one", "factoid", "name"),
    # something that "sent", "triggered" or "sparked" a change asks for the cause
    ("What sent the pound to a two-year low?", "explain", None),
    ("What sparked the strike at the plant?", "explain", None),
    ("What did the inquiry send to ministers?", "factoid", None),
    # what someone paid or charged, and a prize or wage, is a sum of money
    ("What did the club pay for the striker?", "factoid", "money"),
    ("What was Lee Westwood's prize money in Dubai?", "factoid", "money"),
    ("What did fans pay tribute to?", "factoid", None),
    ("what is the council paying the contractor for the bridge", "factoid", "money"),
    ("What is the crowd paying attention to?", "factoid", None),
    # typed as a search, the quantity its head: a figure or a sum; a topic is no quantity
    ("average petrol price in the latest survey", "factoid", "money"),
    ("turnout at the welsh assembly poll", "factoid", "figure"),
    ("gordon brown budget plans", "factoid", None),
])
def test_everyday_typing_of_kinds_and_answer_types(question, kind, expects):
    from qa.analysis import analyse

    asked = analyse(question)
    assert (asked.kind, asked.expects) == (kind, expects), asked


@pytest.mark.parametrize("question, outlets", [
    ("How did the Financial Times react to the Quillon takeover?", ["Financial Times"]),
    ("What did the Daily Mail say about the royal wedding?", ["Daily Mail"]),
    ("How did the New York Times describe the merger?", ["New York Times"]),
    ("Has the Wall Street Journal covered the merger?", ["Wall Street Journal"]),
    ("Does Reuters report that oil prices rose?", ["Reuters"]),
    ("Has Gordon Brown reported a surplus?", []),
    # a person reacts and says things too: only a newspaper's or agency's name is an outlet
    ("How did Tony Blair react to the vote?", []),
    ("What did Gordon Brown say about pensions?", []),
    # the store's own outlet is no unknown one
    ("What did the Guardian say about Chelsea's defeat?", []),
    # "both", a quoted name, "in X articles", "after X reported on"
    ("Was the merger covered by both the Harbour Times and the Guardian?", ["Harbour Times"]),
    ("Does 'Valley Wire' article say the merger failed?", ["Valley Wire"]),
    ("Has the tone in Valley Wire articles changed since March?", ["Valley Wire"]),
    ("After Valley Wire reported on the merger, what did the Guardian say?", ["Valley Wire"]),
    ("When Blair reported to MPs on the talks, what did he promise?", []),
    ("After Gordon Brown left the Treasury, who replaced him?", []),
])
def test_an_outlet_that_reacts_or_says_is_asked_about_as_a_source(question, outlets):
    from qa.query import unknown_outlets

    aliases = {"the guardian": {"The Guardian"}, "guardian": {"The Guardian"},
               "bbc news": {"BBC News"}}
    assert unknown_outlets(question, aliases) == outlets


def test_a_possessive_that_opens_a_sentence_names_nothing():
    """"My dad has shares ..." had made "My" a name the question fixes."""
    from qa.query import question_names

    assert question_names("My sister works in Leeds. Why did the mill close?") == ["Leeds"]
    assert question_names("Their new album is out. Who produced it?") == []
    assert question_names("What did Her Majesty say at the launch?") == ["Her Majesty"]


def test_another_outlets_story_telling_what_the_outlet_wrote_holds_it():
    """"Gordon Brown wrote a Guardian piece ...": the store's Guardian articles are about
    football, but a BBC story says what he wrote there ("Writing in the Guardian newspaper,
    Mr Brown ..."): that story holds it, and the question is not off the outlet's subject."""
    from qa.abstain import off_subject_outlet
    from qa.analysis import analyse
    from qa.types import Passage

    def passage(source: str, text: str) -> Passage:
        return Passage(chunk_id=1, article_id=text[:10], title="A story", date=None,
                       source=source, url=None, text=text, start=0, end=len(text), score=1.0)

    football = passage("The Guardian", "Chelsea were booed off after a second home defeat.")
    telling = passage("BBC News", "Writing in the Guardian newspaper, Mr Brown outlined his "
                                  "view of where Labour should go.")
    other = passage("BBC News", "Mr Brown will have a key role in Labour's campaign.")
    aliases = {"the guardian": {"The Guardian"}, "guardian": {"The Guardian"},
               "bbc news": {"BBC News"}}
    asked = analyse("Gordon Brown wrote a Guardian piece on Labour's third term. What did he "
                    "argue?")
    assert off_subject_outlet(asked, [football, telling], aliases) is None
    assert off_subject_outlet(asked, [football, other], aliases) == "The Guardian"


def test_an_acronym_written_out_in_a_passage_is_mentioned():
    """"by UCL's reckoning" where the story says "University College London" once."""
    from qa.abstain import missing_names
    from qa.analysis import analyse
    from qa.types import Passage

    text = ("Researchers at University College London said a lower limit would save lives. "
            "The study was paid for by the road safety trust.")
    story = Passage(chunk_id=1, article_id="a", title="Lower limit would save lives", date=None,
                    source="BBC News", url=None, text=text, start=0, end=len(text), score=1.0)
    assert missing_names(analyse("How many lives would it save by UCL's reckoning?"),
                         [story]) == []
    assert missing_names(analyse("How many lives would it save by LSE's reckoning?"),
                         [story]) == ["LSE's"]


@pytest.mark.parametrize("question, kind, options, claim", [
    # an option with its own article each side of "or"
    ("Was most of the profit coming from the US or from its UK tracks?", "choice",
     ("US", "UK tracks"), None),
    # a phrase set before the auxiliary with a comma: "Under ..., are ...?"
    ("Under the new plan, are creditors in line for shares?", "yesno", (),
     "Under the new plan, creditors in line for shares"),
    ("At the awards, did the musical win?", "yesno", (), "At the awards, the musical win"),
    # something said, then asked: only what follows the auxiliary is asked, and "its" is the
    # subject said first
    ("Harbour Bank's revenue fell but did its profit go up 12%?", "yesno", (),
     "Harbour Bank's profit go up 12%"),
    ("Wages rose, but did prices rise too?", "yesno", (), "prices rise too"),
    ("Reuters sales fell, and did its profit rise?", "yesno", (), "Reuters' profit rise"),
])
def test_options_with_articles_fronted_phrases_and_a_statement_then_a_question(
        question, kind, options, claim):
    from qa.analysis import analyse

    analysis = analyse(question)
    assert (analysis.kind, analysis.options) == (kind, options)
    if claim is not None:
        assert analysis.claim == claim


def test_a_question_asked_after_a_statement_is_read_for_what_it_asks():
    """"X happened. Which players ...?" asks for several, as the same question alone would;
    "X resigned - who is replacing her?" wants a name; a "who" inside what a question says
    ("What did Blair - who was in Brussels - say?") does not; a preposition opening the
    question names nothing ("Under Parmalat's plan")."""
    from qa.analysis import analyse
    from qa.query import question_names

    assert analyse("Rovers drew 2-2 with United. Which Rovers players scored?").kind == "list"
    assert analyse("Rovers drew 2-2 with United. Which player was sent off?").kind == "factoid"
    assert analyse("The chief executive has resigned - who is replacing her?").expects == "name"
    assert analyse("Fulham snatched a late draw. Who hit their goal?").expects == "name"
    assert analyse("What did Blair - who was in Brussels - say?").expects is None
    assert question_names("Under Parmalat's relisting plan, are creditors owed?") == \
        ["Parmalat's"]


def test_a_name_typed_with_two_letters_swapped_is_read_as_the_name(assistant):
    """"Charles Mihcel": a capitalised word no article holds, one swap of two letters from
    exactly one word the articles do hold, is that word; a name no swap makes into an article's
    word stays as typed, and is still no one the articles know."""
    read = assistant.analyse("What did Charles Mihcel say in Beijing?")
    assert "Charles Michel" in read.cased and read.rare_unseen == (), read
    unknown = assistant.analyse("What did Charles Zorblatt say in Beijing?")
    assert "Zorblatt" in unknown.cased and unknown.rare_unseen == ("zorblatt",), unknown


def test_a_names_plural_is_the_name(written):
    """"the Brits" are the Brit Awards: a name the articles hold only in the singular is not
    a name they never mention."""
    assistant = written({"brits.md": article(
        "Franz Ferdinand win two Brit awards", "2005-02-10", "Valley Herald",
        "Franz Ferdinand won two Brit awards in London on Wednesday night. The Scottish band "
        "took best British group and best British rock act. Joss Stone won two Brit awards "
        "too, for best British female and best urban act.")})
    answer = assistant.ask("How many awards did Franz Ferdinand win at the Brits?",
                           mode="extractive")
    assert not answer.abstained, answer.notes
    assert "two" in answer.text


def test_a_title_with_the_is_an_option_whole_and_words_around_a_question_name_nothing():
    """"did The Producers or Mary Poppins ...": a capitalised "The" inside a question opens a
    title, which is the option as written; "Just the main points.", "Briefly," and "Thanks!"
    open what is said around a question, and are no names for the articles to mention."""
    from qa.analysis import analyse
    from qa.query import question_names

    assert analyse("At the Oliviers did The Producers or Mary Poppins take home more awards?"
                   ).options == ("The Producers", "Mary Poppins")
    assert analyse("Did Mary Poppins or The Producers win more?").options == \
        ("Mary Poppins", "The Producers")
    assert analyse("Did Arsenal or Chelsea win?").options == ("Arsenal", "Chelsea")
    assert question_names("Summarise the Valley Cup final. Just the main points.") == \
        ["Valley Cup"]
    assert question_names("Briefly, who won the Valley Cup? Thanks!") == ["Valley Cup"]


def test_a_year_the_question_fixes_is_looked_for_in_the_whole_article(written):
    """"in January 2005": the figure is in a sentence that says only "in January", and its
    story names 2005 a paragraph on; a story that names another year is still no evidence."""
    assistant = written({
        "output.md": article(
            "Industrial revival hope for Valley", "", "Valley Herald",
            "Valley industrial output rose 2.1% in January from a month earlier, figures "
            "showed.\n\n" + " ".join(["Factories reported more orders for cars and chemicals "
                                      "from overseas buyers."] * 30)
            + "\n\nThe picture for exports in early 2005 could also be one of sustained "
            "demand, officials said."),
        "old.md": article(
            "Valley output falls", "", "Valley Herald",
            "Valley industrial output fell 0.4% in January 2003, figures showed.")})
    answer = assistant.ask("How much did Valley industrial output grow in January 2005?",
                           mode="extractive")
    assert not answer.abstained, answer.notes
    assert "2.1%" in answer.citations[0].quote, answer.text


def test_a_story_of_the_year_asked_must_be_about_what_the_question_names(written):
    """"Who was the Harbour League's player of the year in 2006?": the awards story is of
    2004, and the one story naming 2006 is a runner "retiring in 2006", which names nothing
    the question does; asked about 2004, the awards story answers."""
    assistant = written({
        "awards.md": article(
            "Harbour League awards", "2004-11-20", "Valley Herald",
            "Tom Reyes was named the Harbour League's player of the year on Saturday. The "
            "Valley winger scored 14 tries in the season."),
        "runner.md": article(
            "Miles to decide on cross country", "2004-11-21", "Valley Herald",
            "The Valley runner, who has not raced cross country for 15 years, will decide two "
            "weeks before the event. The 30-year-old is retiring in 2006."),
    })
    later = assistant.ask("Who was the Harbour League's player of the year in 2006?",
                          mode="extractive")
    assert later.abstained, later.text
    then = assistant.ask("Who was the Harbour League's player of the year in 2004?",
                         mode="extractive")
    assert not then.abstained and "Tom Reyes" in then.text, (then.text, then.notes)



def test_a_story_from_the_outlet_named_or_naming_a_name_without_its_apostrophe_counts():
    """"the valley herald" typed in lower case is no name, yet its story counts; "Harbour
    Leagues" (its apostrophe dropped) is the "Harbour League" a story names."""
    from qa.abstain import names_some
    from qa.analysis import analyse
    from qa.types import Passage

    story = Passage(chunk_id=1, article_id="a", title="Cup draw", date="2006-01-02",
                    source="Valley Herald", url=None, text="The cup draw was made on Monday.",
                    start=0, end=32, score=1.0)
    aliases = {"Valley Herald": {"valley herald"}}
    assert names_some(analyse("what did the valley herald say about the cup draw in 2006"),
                      [story], aliases)
    assert not names_some(analyse("What did Tom Reyes say about the cup draw in 2006?"),
                          [story], aliases)
    league = Passage(chunk_id=2, article_id="b", title="Awards", date="2006-01-02",
                     source="Valley Herald", url=None,
                     text="The Harbour League named its player of the year.", start=0, end=48,
                     score=1.0)
    assert names_some(analyse("Who was the Harbour Leagues player of the year in 2006?"),
                      [league])


def test_a_report_of_a_day_is_an_article_of_that_year(written):
    """"the Valley Herald report on 12 March 2019" asks for a report of that day: an article
    dated 2023 that names 2019 in passing ("as in 2019") is no such report, though it would
    answer the same question asked of 12 March 2023."""
    assistant = written({"derby.md": article(
        "Rovers win the derby", "2023-03-12", "Valley Herald",
        "Rovers beat United 2-0 in the derby on Sunday, as they had in 2019. Both goals came "
        "from Sam Hale in the second half.")})
    asked = "Who scored for Rovers in the derby, according to the Valley Herald report on {}?"
    answered = assistant.ask(asked.format("March 12, 2023"), mode="extractive")
    assert not answered.abstained, answered.notes
    assert answered.citations and answered.citations[0].title == "Rovers win the derby"
    other = assistant.ask(asked.format("March 12, 2019"), mode="extractive")
    assert other.abstained, other.text


def test_a_reason_asked_as_a_second_question_makes_it_an_explanation():
    from qa.analysis import analyse

    assert analyse("The rules changed. What did they change and why were the airlines so "
                   "cross about it?").kind == "explain"
    assert analyse("Who did it and why?").kind == "explain"
    assert analyse("What did Arsenal and Chelsea do?").kind == "factoid"


def test_a_sum_written_in_words_is_a_sum(written):
    """"Tickets for the phone gig cost five pounds": a sum of money written in words answers
    "how much"; "five races" is no sum."""
    from qa.evidence import holds_answer_type

    assert holds_answer_type("Tickets cost five pounds each.", "money")
    assert not holds_answer_type("He won five races.", "money")
    # a unit written short counts what "how many pounds / kilometres" asks for
    assert holds_answer_type("The diet cost him a 25lb weight gain.", "figure", "pounds")
    assert holds_answer_type("She ran 10km before breakfast.", "figure", "kilometres")
    assert not holds_answer_type("She ran 10 laps before breakfast.", "figure", "kilometres")
    assistant = written({"gig.md": article(
        "Band plays to phones", "2005-02-01", "Valley Herald",
        "Rock band Rooster will play the first concert streamed to 3G phones on Tuesday. "
        "Tickets for the phone gig cost five pounds.")})
    ticket = assistant.ask("How much was a ticket for the Rooster phone gig?",
                           mode="extractive")
    assert not ticket.abstained, ticket.notes
    assert "five pounds" in ticket.text


def test_which_left_in_place_and_after_a_phrase_asks_for_several():
    """"Rinus Michels managed which club sides", "After the defeat, which England players ...":
    the plural asked for is a list wherever "which" stands; "which company" is one, and a
    "which" clause ("which means prices rise") or a verb ("which costs more") asks for no list."""
    from qa.analysis import analyse

    assert analyse("Rinus Michels managed which club sides").kind == "list"
    assert analyse("After the defeat in Madrid, which England players got a kicking from the "
                   "papers?").kind == "list"
    assert analyse("The firm bought which company?").kind == "factoid"
    assert analyse("He said which means prices rise").kind == "factoid"
    assert analyse("Of the two, which costs more?").kind == "factoid"
    assert analyse("In 2004, what profits did BA make?").kind == "factoid"


def test_an_undated_story_is_of_the_year_it_names_most(written):
    """A story with no date written in February 2005 says "in January" and names 2004 for
    comparison: it may tell of January 2005 (its year or the one after it), not of 2009."""
    from qa.abstain import story_year

    assert story_year("Sales rose in 2004, after 2003's fall; 2004 was a record.") == 2004
    assert story_year("No year here.") is None
    assistant = written({"lending.md": article(
        "Mortgage lending slows", "", "Valley Herald",
        "Gross mortgage lending stood at £17.9bn in January, compared with £21.8bn in "
        "January 2004, the lenders' council said. Lending in 2004 as a whole was a record.")})
    answer = assistant.ask("What was gross mortgage lending in January 2005?",
                           mode="extractive")
    assert not answer.abstained, answer.notes
    assert "£17.9bn" in answer.text
    assert assistant.ask("What was gross mortgage lending in January 2009?",
                         mode="extractive").abstained


def test_an_undated_story_naming_no_year_is_of_the_stores_usual_year(written):
    """"This year's festival" in a store of undated 2005 news: a question on the 2005 festival
    is answered from it; one on the 2011 festival is not."""
    assistant = written({
        "festival.md": article(
            "Harbour festival opens", "", "Valley Herald",
            "Organisers say this year's Harbour Film Festival will open on Thursday with a "
            "record 300 films. Few Hollywood stars will attend because of a clash with the "
            "Oscars, the festival director said."),
        "budget.md": article("Budget set for 2005", "", "Valley Herald",
                             "The council set its 2005 budget, up on 2004's. The 2005 plan "
                             "adds two ferries."),
        "roads.md": article("Roads plan for 2005", "", "Coast Gazette",
                            "Road repairs in 2005 will cost more than planned in 2005's "
                            "first estimate.")})
    answer = assistant.ask("Why were few Hollywood stars coming to the Harbour Film Festival "
                           "in 2005?", mode="extractive")
    assert not answer.abstained, answer.notes
    assert "Oscars" in answer.text
    assert assistant.ask("Why were few Hollywood stars coming to the Harbour Film Festival in "
                         "2011?", mode="extractive").abstained


def test_someone_the_story_only_describes_is_no_one_it_names(written):
    """"Who was the Brazilian programmer who posted the code?": a story that says only "posted
    ... by a Brazilian programmer" does not know who; one that names him answers."""
    assistant = written({"virus.md": article(
        "Phone virus code posted online", "2004-12-29", "Valley Herald",
        "Anti-virus firm Sophos said the source code for the Cabir phone virus had been posted "
        "on the net by a Brazilian programmer. Sophos said new strains of Cabir could follow. "
        "Cabir spreads between phones by Bluetooth.")})
    answer = assistant.ask("Who was the Brazilian programmer who posted the Cabir source "
                           "code on the net?", mode="extractive")
    assert answer.abstained and "do not name" in answer.notes[0], answer.text
    named = written({"virus.md": article(
        "Phone virus code posted online", "2004-12-29", "Valley Herald",
        "Anti-virus firm Sophos said the source code for the Cabir phone virus had been posted "
        "on the net by Brazilian programmer Marco Silva. Sophos said new strains of Cabir "
        "could follow.")})
    answer = named.ask("Who was the Brazilian programmer who posted the Cabir source code on "
                       "the net?", mode="extractive")
    assert not answer.abstained and "Marco Silva" in answer.text, answer.notes


def test_a_cause_asked_by_the_verb_that_brings_it_about_and_a_purpose():
    from qa.analysis import analyse

    assert analyse("What made David Moyes change his mind about the red card?").kind == "explain"
    assert analyse("What got Gordon Brown so interested in Africa?").kind == "explain"
    assert analyse("What made him quit?").kind == "explain"
    assert analyse("Whats the point of Madagascar ditching the franc").kind == "explain"
    boiled = analyse("Boil down what Gref told Kommersant about the Yukos sale.")
    assert boiled.kind == "summary" and "Boil" not in boiled.names
    assert analyse("Why would they stage the game in June or July rather than March?"
                   ).kind == "explain"
    assert analyse("What made the top ten?").kind == "factoid"
    assert analyse("What got the most votes?").kind == "factoid"
    assert analyse("Did it open in June or July?").kind == "choice"


def test_a_terse_which_after_a_statement_wants_a_name_and_a_time_adverb_is_no_name():
    """"... a phone virus whose first version had a bug. Which virus?" and "... her first
    starring role in 1948. In what?" are answered by a name; "Late in 2004" and "Long before"
    open a sentence without naming anything."""
    from qa.analysis import analyse
    from qa.query import question_names

    assert analyse("There were warnings about a new phone virus. Which virus?").expects == "term"
    assert analyse("She had her first starring role in 1948. In what?").expects == "term"
    assert analyse("Which virus spread fastest last year?").expects is None
    assert question_names("Late in 2004 there were warnings. Which virus?") == []
    assert question_names("Long before Mary Poppins, Julie Andrews starred.") == \
        ["Mary Poppins", "Julie Andrews"]


def test_a_name_starts_a_word_and_may_open_in_lower_case():
    """"eBay" and "iTunes" are names whole: a capital inside a word starts no name of its own
    ("Bay", "Tunes" are no names the question uses)."""
    from qa.query import question_names

    assert question_names("Which toys were shoppers hunting for on eBay at Christmas?") == \
        ["eBay", "Christmas"]
    assert question_names("How much does Apple pay per iTunes download?") == \
        ["Apple", "iTunes"]
    assert question_names("Did the McDonald's chief resign?") == ["McDonald's"]


def test_a_name_joined_to_a_lower_case_word_is_the_name_and_no_1_is_none():
    """"Pokémon-loving kids", "a London-based firm": the name is the part with the capital
    (the store need not write "Pokémon-loving" anywhere); "No. 1" is a place in a chart."""
    from qa.query import question_names

    assert question_names("Are Pokémon-loving kids the target?") == ["Pokémon"]
    assert question_names("Did the London-based insurers pay?") == ["London"]
    assert question_names("Did the song reach No. 1 in Spain?") == ["Spain"]
    assert question_names("Did Sam Bankman-Fried testify?") == ["Sam Bankman-Fried"]
    # a verb opening a request names nothing; a name opening a question stays one
    assert question_names("Run through who won what at the Valley awards.") == ["Valley"]
    assert question_names("Check whether the Valley deal closed.") == ["Valley"]
    assert question_names("Run DMC split in 1990?") == ["Run DMC"]


def test_plural_noun_described_by_a_hyphenated_word_asks_for_several():
    """"Which hard-to-find toys were ...": words that describe the plural noun may be
    hyphenated; the question still asks for several things."""
    from qa.analysis import analyse

    assert analyse("Which hard-to-find toys were shoppers buying online?").kind == "list"
    assert analyse("Which long-serving ministers have stepped down?").kind == "list"
    assert analyse("Which hard-to-find toy sold out first?").kind == "factoid"



def test_two_amounts_either_side_of_or_are_the_options():
    """"Does Shell own 30% of the project or 70%?": the share is said once with what it is
    of; the options are the two figures, not "project" and "70%"."""
    from qa.analysis import analyse, choice_options

    assert choice_options("Does Tellar own 30% of the venture or 70%?") == ("30%", "70%")
    assert choice_options("Did the council spend £2m of its budget or £3m?") == ("£2m", "£3m")
    assert analyse("Does Tellar own 30% of the venture or 70%?").kind == "choice"
    assert choice_options("Was it two sets or three?") == ("two sets", "three sets")


def test_do_we_know_opens_the_question_it_asks():
    """"Do we know how many ...?" asks how many, as "Do you know how many ...?" does: it is no
    yes/no question about what the asker knows."""
    from qa.analysis import analyse

    for question in ("Do we know how many people bought the game online?",
                     "Is it known who painted the harbour mural?"):
        assert analyse(question).kind == "factoid", question
    assert analyse("Do we know how many people bought the game online?").expects == "figure"


def test_a_story_of_another_edition_is_no_evidence_about_the_one_asked(written):
    """"Which film won at the 2006 Valley Film Festival?" is not answered from a story of the
    2005 festival, though the store's stories are of 2005 (news is often written the year
    after what it reports); the same question about 2005 is answered from it."""
    from tests.qa.test_qa_verdicts import OTHER_NEWS

    assistant = written({
        "festival.md": "# Harbour film wins festival prize\n\nHarbour Lights, a study of a "
                       "fishing town, has won the main award at the 2005 Valley Film "
                       "Festival. The festival's jury praised its director, Ann Lee.\n",
        **OTHER_NEWS,
    })
    other = assistant.ask("Which film won the main award at the 2006 Valley Film Festival?",
                          mode="extractive")
    assert other.abstained, other.text
    asked = assistant.ask("Which film won the main award at the 2005 Valley Film Festival?",
                          mode="extractive")
    assert not asked.abstained and "Harbour Lights" in asked.text, asked.notes


@pytest.mark.parametrize("question, claim", [
    ("The Valley Herald says fares will rise in May, and the Coast Gazette says the path has "
     "reopened. Is that an accurate read of both articles?",
     "The Valley Herald says fares will rise in May, and the Coast Gazette says the path has "
     "reopened"),
    ("The Valley Herald says fares will rise in May. Is that really what the article says?",
     "The Valley Herald says fares will rise in May"),
    ("the herald says fares will rise. the gazette says the path reopened. are both of those "
     "correct", "the herald says fares will rise. the gazette says the path reopened"),
])
def test_a_sentence_asking_whether_the_ones_before_hold_checks_them(question, claim):
    """"Is that an accurate read of both articles?", "Is that really what the article says?",
    "Are both of those correct?": the statements before are what is asked about."""
    from qa.analysis import analyse

    analysis = analyse(question)
    assert analysis.kind == "yesno"
    assert analysis.claim == claim


def test_a_figure_the_articles_say_was_not_made_public_is_not_given(written):
    """"How much did Harbour City pay for Ann Lee?" -> "... for an undisclosed fee": the
    articles say the sum was never made public, so the answer is that they don't say (the
    other figures of the story, her age and goals, are no answer); the fee of another
    transfer the story gives is answered."""
    from tests.qa.test_qa_verdicts import OTHER_NEWS

    assistant = written({
        "transfer.md": article(
            "Harbour City sign Ann Lee", "2005-01-20", "Valley Herald",
            "Harbour City have signed Mill Rovers striker Ann Lee, 24, for an undisclosed fee. "
            "Lee scored 15 goals for Mill Rovers last season. Harbour City also paid £2m for "
            "Coast United defender Tom Reyes."),
        **OTHER_NEWS,
    })
    withheld = assistant.ask("How much did Harbour City pay Mill Rovers for Ann Lee?",
                             mode="extractive")
    assert withheld.abstained, withheld.text
    assert "not made public" in " ".join(withheld.notes), withheld.notes
    given = assistant.ask("How much did Harbour City pay for Tom Reyes?", mode="extractive")
    assert not given.abstained and "£2m" in given.text, given.notes


def test_a_last_sentence_opening_with_an_auxiliary_asks_without_its_question_mark():
    """"... on 9 April. did it portray the fares the same way both times": typed without a
    question mark, the last sentence still asks, yes or no."""
    from qa.analysis import analyse

    analysis = analyse("the valley herald covered the ferry fares on 2 april 2024 and again on "
                       "9 april 2024. did it portray the fares the same way both times")
    assert analysis.kind == "yesno"
    assert analysis.claim.startswith("it portray the fares"), analysis.claim


def test_a_cause_or_a_story_asked_in_other_words():
    """"What lay behind the jump?" asks a cause; "Tell me what had happened at the club"
    asks for the story."""
    from qa.analysis import analyse

    assert analyse("What lay behind the 6% jump in Tellar's shares?").kind == "explain"
    assert analyse("What's behind the fall in ferry fares?").kind == "explain"
    assert analyse("Tell me what had happened at the SRU and what he feared.").kind == \
        "summary"



def test_what_year_wants_a_year_not_a_weekday():
    """"What year was she born?" is answered by a sentence giving a year, not by one that only
    says "on Wednesday" (which "When did she pay?" takes)."""
    from qa.analysis import analyse
    from qa.evidence import holds_answer
    from tests.qa.conftest import sentence

    weekday = sentence("Teacher Ann Lee made the record payment on Wednesday.")
    year = sentence("Ann Lee was born in 1966, the year the first cards appeared.")
    asked = analyse("What year was Ann Lee born?")
    assert asked.expects == "date"
    assert not holds_answer(weekday, asked) and holds_answer(year, asked)
    assert holds_answer(weekday, analyse("When did Ann Lee make the payment?"))


def test_options_inside_a_description_offer_no_choice_and_name_the_team_asks_one():
    """"Which team ... has scored freely with Tom Reyes or Ben Mills up front?" asks for the
    team (the options are set off from the question only when offered: "Which is taller, A
    or B?"); "... with Reyes or Mills up front. Name the team." asks the same."""
    from qa.analysis import analyse

    described = analyse("Which Valley team, covered by the Herald, might have two clubs "
                        "right behind it and has scored freely with Tom Reyes or Ben Mills up "
                        "front?")
    assert (described.kind, described.expects, described.options) == ("factoid", "name", ())
    offered = analyse("Which club scored more, Valley Rovers or Harbour Town?")
    assert offered.kind == "choice" and offered.options == ("Valley Rovers", "Harbour Town")
    named = analyse("One Valley team has scored freely with Tom Reyes or Ben Mills up front. "
                    "Name the team.")
    assert (named.kind, named.expects, named.options) == ("factoid", "name", ())
    assert analyse("Name the players who scored.").kind == "list"
