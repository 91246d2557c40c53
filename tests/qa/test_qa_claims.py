"""The claim check: supported, contradicted or not found, judged claim by claim.

Sources are real article sentences (the seed article and a BBC article), embedded by the real
model; each corrupted claim is one general edit of a true one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pytest

from index import split_sentences
from qa.claims import _NEVER_SEEN, ClaimChecker, _in_a_name, read_sentence, split_clauses


@dataclass
class Source:
    text: str
    vector: np.ndarray
    header: str
    context: str = ""
    passage_text: str = ""


def _sources(embedder, title: str, text: str) -> list[Source]:
    sentences = [text[s.start:s.end] for s in split_sentences(text)]
    vectors = embedder.encode(sentences)
    # Each sentence with the three before it (who "he" is) and around it (who else is named),
    # as a retrieved chunk would give them.
    return [Source(t, v, title, " ".join(sentences[max(0, i - 3):i]),
                   " ".join(sentences[max(0, i - 3):i + 4]))
            for i, (t, v) in enumerate(zip(sentences, vectors, strict=True))]


def flat_weights(tokens: list[str]) -> dict[str, float]:
    """Every word equally telling (1.0); a word the store has never seen, more (10.0), as
    IDF would have it."""
    return {t: 10.0 if t == _NEVER_SEEN else 1.0 for t in tokens}


@pytest.fixture(scope="session")
def checker(embedder):
    return ClaimChecker(embedder.encode, flat_weights)


@pytest.fixture(scope="session")
def seed_sources(embedder):
    from tests.conftest import CORPUS

    text = (CORPUS / "eu-china-summit-2023-12-07.md").read_text().split("---", 2)[2].strip()
    return _sources(embedder, "EU urges China to engage in Ukraine peace process", text)


@pytest.fixture(scope="session")
def cairn_sources(embedder, bbc_path):
    for line in bbc_path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["title"] == "Cairn shares up on new oil find":
            return _sources(embedder, record["title"], record["body"])
    pytest.fail("the Cairn article is missing from the BBC data")


def status(checker, sources, claim: str):
    return checker.check([claim], sources)[0]


def test_the_cairn_draft_is_rejected_and_its_true_form_accepted(checker, cairn_sources):
    draft = ("Cairn Energy shares plummeted 6% after a disappointing drilling update and a "
             "warning over potential tax demands, ending up with 18%.")
    result = status(checker, cairn_sources, draft)
    assert result.status == "contradicted", result
    assert result.contradicts
    true = ("Cairn Energy shares jumped 6% after the firm said an Indian oilfield was larger "
            "than previously thought.")
    assert status(checker, cairn_sources, true).status == "supported"
    flipped = true.replace("jumped", "plummeted")
    result = status(checker, cairn_sources, flipped)
    assert result.status == "contradicted" and "up" in result.reason


@pytest.mark.parametrize("claim", [
    # the sentence itself, a clause of it, a paraphrase
    "Chinese Premier Li told the EU leaders that Beijing hopes Brussels will be prudent when "
    "introducing restrictive economic and trade policies.",
    "The EU's trade deficit with China swelled to about 400 billion euros in 2022.",
    "Wang Wenbin did not confirm whether Rome had notified Beijing it was pulling out of the "
    "initiative.",
    "Ursula von der Leyen said that Russia's war against Ukraine poses a serious threat to "
    "European security.",
    "Italy officially informed China of its withdrawal from the Belt and Road initiative.",
    "Brussels does not want to decouple from China.",
    "The memorandum for Italy's participation will reportedly expire in March.",
    "The EU launched a probe into China's subsidies for electric vehicles.",
])
def test_faithful_claims_are_supported(checker, seed_sources, claim):
    result = status(checker, seed_sources, claim)
    assert result.status == "supported", result
    assert result.supports


@pytest.mark.parametrize("claim, edit", [
    ("The EU's trade deficit with China shrank to about 400 billion euros in 2022.",
     "direction"),
    ("The EU's trade deficit with China swelled to about 300 billion euros in 2022.", "number"),
    ("The EU's trade deficit with China swelled to about 400 billion euros in 2019.", "date"),
    ("The memorandum for Italy's participation will reportedly expire in June.", "date"),
    ("Wang Wenbin confirmed that Rome had officially notified Beijing it was pulling out of "
     "the initiative.", "negation removed"),
    ("Brussels wants to decouple from China.", "negation removed"),
    ("Charles Michel said that Russia's war against Ukraine poses a serious threat to European "
     "security.", "speaker"),
    ("Xi told the EU leaders that Beijing hopes Brussels will be prudent when introducing "
     "restrictive economic and trade policies.", "speaker"),
    ("China officially informed Italy of its withdrawal from the Belt and Road initiative.",
     "actor"),
    ("The regional bloc has launched a probe into China's subsidies for electric vehicles, "
     "which may result in a trade deficit of 400 billion euros.", "crossed"),
])
def test_corrupted_claims_are_rejected(checker, seed_sources, claim, edit):
    result = status(checker, seed_sources, claim)
    assert result.status in ("contradicted", "not_found"), (edit, result)


@pytest.mark.parametrize("claim", [
    "Brussels wants to decouple from China.",
    "Charles Michel said that Russia's war against Ukraine poses a serious threat to European "
    "security.",
    "The EU's trade deficit with China shrank to about 400 billion euros in 2022.",
])
def test_a_contradiction_names_the_sentence_that_says_otherwise(checker, seed_sources, claim):
    result = status(checker, seed_sources, claim)
    assert result.status == "contradicted"
    assert result.reason
    shown = seed_sources[result.contradicts[0]].text
    assert set(read_sentence(claim).names) & set(read_sentence(shown).names) or \
        "deficit" in shown


def test_unrelated_claims_are_not_found(checker, seed_sources):
    result = status(checker, seed_sources, "The weather in Beijing was cold all week.")
    assert result.status == "not_found"
    assert not result.supports and not result.contradicts


def test_a_claim_of_two_clauses_is_supported_clause_by_clause(checker, seed_sources):
    claim = ("Xi said China and the EU should uphold a comprehensive strategic partnership, "
             "and von der Leyen said the EU's trade deficit with China reached unsustainable "
             "levels.")
    assert len(split_clauses(claim)) == 2
    result = status(checker, seed_sources, claim)
    assert result.status == "supported"
    assert len(result.supports) == 2


def test_reading_a_sentence():
    reading = read_sentence("Shares in Cairn Energy have jumped 6% after the firm said so, "
                            "Dr Mike Watts said.")
    assert [w.number for w in reading.numbers] == ["6%"]
    assert {"cairn", "energy"} <= reading.names
    assert read_sentence("Figures rose 6 per cent to 1,000 units.").numbers[0].number == "6%"
    assert read_sentence("It sold 1,000 units.").numbers[0].number == "1000"
    assert read_sentence("He said it was fine.").speaker == {"<pronoun>"}


def test_a_year_is_not_a_count_and_a_day_in_a_name_is_not_a_day(checker, embedder):
    """The source's year far from the words the claim puts around it does not make its
    count ("seven") a figure the claim changed; "Sunday Night Football" names a broadcast,
    not a day to hold against a "Thursday"."""
    sources = _sources(embedder, "Beavers coach leaves", (
        "In 2021, after years of rebuilding under new owners and a fresh staff, Smith led "
        "Oregon State to seven victories in the season. The Cowboys beat the Seahawks on "
        "Thursday."))
    assert status(checker, sources, "Smith led Oregon State to victories in the 2021 "
                                    "season.").status != "contradicted"
    assert status(checker, sources, "Smith led Oregon State to nine victories in the "
                                    "season.").status == "contradicted"
    assert status(checker, sources, "The Cowboys beat the Seahawks on Friday.").status == \
        "contradicted"
    claim = read_sentence("The Cowboys beat the Seahawks before Sunday Night Football.")
    sunday = next(w.index for w in claim.words if w.lower == "sunday")
    friday = read_sentence("The Cowboys beat the Seahawks on Friday.")
    assert _in_a_name(claim, sunday)
    assert not _in_a_name(friday, next(w.index for w in friday.words if w.lower == "friday"))


def test_an_ordinal_is_a_figure(checker, embedder):
    """"for the third time" is not "for the first time"; "at first" and "a second" are not
    places in a sequence."""
    sources = _sources(embedder, "Whitbread winners", (
        "Geraldine McCaughrean has picked up the children's fiction award for the third time "
        "for Not the End of the World. At first the judges could not agree."))
    third = status(checker, sources, "Geraldine McCaughrean won the children's fiction "
                                     "award for the third time.")
    first = status(checker, sources, "Geraldine McCaughrean won the children's fiction "
                                     "award for the first time.")
    assert third.status == "supported"
    assert first.status == "contradicted" and "third" in first.reason
    assert [w.number for w in read_sentence("At first it took a second.").words
            if w.number] == []
    assert [w.number for w in read_sentence("He scored twice.").numbers] == ["2"]
    assert [w.number for w in read_sentence("Its debt is twice the usual.").numbers] == []


def test_a_comparison_the_other_way_round_and_an_act_not_told(checker, embedder):
    """"B is taller than A" against "A is 50m taller than B" is contradicted; a claim that
    someone beat someone is not held by a sentence that only says who lost to whom; a plan
    ("was due to join") or a cause ("may lead to") is not an act the source must tell."""
    sources = _sources(embedder, "Record towers", (
        "The Harbour Tower is more than 50m taller than the Mill Spire in Valley Town. "
        "Ann Lee, who lost to her sister in the Valley Open final last year, opens against "
        "Bo Park. The ferry company will raise fares, which may result in fewer passengers. "
        "She was due to play in the Coast Cup this week."))
    swapped = status(checker, sources, "The Mill Spire is taller than the Harbour Tower.")
    assert swapped.status == "contradicted" and "other way round" in swapped.reason
    assert status(checker, sources, "The Harbour Tower is taller than the Mill Spire.").status \
        == "supported"
    assert status(checker, sources, "Bo Park beat Ann Lee in the Valley Open final.").status \
        != "supported"
    assert status(checker, sources, "The ferry company will raise fares, which may lead to "
                                    "fewer passengers.").status == "supported"


def test_two_figures_in_the_sources_order_are_no_swap(checker, embedder):
    """A claim that gives both figures of a sentence in its order, worded closer together
    ("the 15 ... the 40-3 loss" for "the 15 who started ... beaten 40-3"), holds; the same
    figures traded ("offered 2m ... a 3m fee" against "offered 3m ... a 2m fee"), or a
    share moved onto the other figure's words does not."""
    sources = _sources(embedder, "Valley Town line-up", (
        "Eight of the 15 who started on Sunday were also playing when Valley Town were beaten "
        "40-3 at the Harbour ground last year. Mill Rovers offered 3m for the striker in the "
        "summer, and the club will pay a 2m fee for the young keeper. "
        "Fans will spend 9m on tickets this season, a rise of 12% on last year."))
    assert status(checker, sources, "Eight of the Valley Town 15 were also playing when "
                                     "they were beaten 40-3 at the Harbour ground last year."
                  ).status == "supported"
    assert status(checker, sources, "Mill Rovers offered 2m for the striker in the summer, "
                                     "and the club will pay a 3m fee for the young keeper."
                  ).status == "contradicted"
    assert status(checker, sources, "12% of fans will spend 9m on tickets this season."
                  ).status == "contradicted"


def test_an_act_in_the_past_tense_must_be_told(checker, embedder):
    """"was convicted of killing" asks for a conviction: a sentence on the trial that only
    tells of the killing does not hold it; one that tells of the conviction does."""
    trial = _sources(embedder, "Driver on trial", (
        "The cyclist was killed on the coast road in May, the driver's trial at Valley Town "
        "court was told on Monday."))
    verdict = _sources(embedder, "Driver convicted", (
        "The driver was convicted of killing the cyclist on the coast road in May."))
    claim = "The driver was convicted of killing the cyclist on the coast road."
    assert status(checker, trial, claim).status != "supported"
    assert status(checker, verdict, claim).status == "supported"


def test_success_or_failure_is_an_act_the_source_must_tell(checker, embedder):
    """Backing a group is not helping it succeed: a small model that copies the question's
    "for it to succeed" onto the names of its source adds an outcome no one reported."""
    sources = _sources(embedder, "Fans' group gains backers", (
        "Former players Ann Lee and Bo Park have lent their backing to the supporters' group, "
        "Fans United. The group opposes the takeover of the club."))
    assert status(checker, sources, "Ann Lee and Bo Park are the supporters who help Fans "
                                    "United succeed.").status != "supported"
    assert status(checker, sources, "Ann Lee and Bo Park have lent their backing to Fans "
                                    "United.").status == "supported"


def test_an_order_in_time_must_be_told(checker, embedder):
    """"A before B" is held by a sentence that says which came first, in words or by two
    dates, not by one that only says both happened."""
    sources = _sources(embedder, "Consoles on sale", (
        "The Pocket console sells in Japan and the US for $150, while the Vista handheld "
        "sells in Japan for $188. The Vista handheld went on sale in the US a month after the "
        "Pocket console."))
    assert status(checker, sources[:1], "The Pocket console went on sale in Japan before the "
                                        "Vista handheld.").status != "supported"
    assert status(checker, sources, "The Vista handheld went on sale in the US after the "
                                    "Pocket console.").status == "supported"


def test_a_number_word_in_a_name_is_no_figure(checker, embedder):
    """"The Six Nations" asks no one to write 6; "Forty Shades of Blue" still writes 40."""
    assert read_sentence("Wales beat Italy in the Six Nations.").numbers == []
    assert read_sentence("Six people died.").numbers[0].number == "6"
    sources = _sources(embedder, "Wales win in Rome", (
        "Wales secured their first away win in the championship with a six-try victory over "
        "Italy in Rome. Forty Shades of Blue was named the winner of the drama prize."))
    six_nations = status(checker, sources, "Wales beat Italy in Rome in the Six Nations.")
    assert "Six" not in six_nations.reason and "6" not in six_nations.reason
    assert status(checker, sources, "40 Shades of Blue was named the winner of the drama "
                                    "prize.").status == "supported"


def test_letters_and_digits_written_together_are_a_name():
    """"the new V8 Vantage", "an Airbus A380": no figure 8 or 380 for a source to lack (a
    draft naming the car had been dropped: "8 is not in the source")."""
    assert read_sentence("Aston Martin will build the new V8 Vantage at Gaydon.").numbers == []
    assert read_sentence("The Airbus A380 seats 555 people.").numbers[0].number == "555"


def test_a_bound_in_a_currency_is_read_with_its_scale(checker, embedder):
    """"more than A$3bn" is a bound though "A" stands between "than" and 3, and it is read
    against a figure of the same scale ("3.1bn"), not a share price ("A$4.17")."""
    sources = _sources(embedder, "Winemaker rejects brewer's bid", (
        "Brewing giant Harbour Group made an offer of 3.1bn Australian dollars for Coastcorp. "
        "Coastcorp said Harbour's A$4.17-a-share proposal undervalued the company."))
    assert status(checker, sources, "Harbour Group made an offer of more than A$3bn for "
                                    "Coastcorp.").status == "supported"
    above = status(checker, sources, "Harbour Group made an offer of more than A$5bn for "
                                     "Coastcorp.")
    assert above.status == "contradicted" and "3.1" in above.reason, above


def test_breaking_a_record_is_an_act(checker, embedder):
    """"Did he break the 60m world record?" (the verdict checks "Jon Gardner break the 60m
    world record") is not held by "enjoyed a double 60m success": the words around it are the
    source's, the act is not."""
    sources = _sources(embedder, "Gardner storms to double", (
        "Britain's Jon Gardner enjoyed a double 60m world title success in Harbourtown in his "
        "first outing since the Olympics. Ida Brook broke the 200m indoor world record."))
    result = status(checker, sources, "Jon Gardner break the 60m world record in Harbourtown")
    assert result.status != "supported", result
    assert status(checker, sources, "Ida Brook break the 200m indoor world record"
                  ).status == "supported"


def test_one_of_many_is_no_amount(checker, embedder):
    """"Jones is one of America's most decorated athletes" gives no figure to set against
    "asking for $50m" (it had been read as 1 where the claim has 50, and decided a No)."""
    assert read_sentence("Jones is one of America's most decorated athletes.").numbers == []
    assert read_sentence("Only one athlete was banned.").numbers[0].number == "1"
    sources = _sources(embedder, "Jones sues Conte", (
        '"Conte is a man facing a 42-count federal indictment, while Marion Jones is one of '
        "America's most decorated female athletes,\" her lawyer said."))
    result = status(checker, sources, "Marion Jones is asking for $50m in damages from Conte.")
    assert result.status != "contradicted", result.reason


def test_a_bound_is_held_or_broken_by_the_figure_the_source_gives(checker, embedder):
    """"grew by more than 5%" is held by "grew by 8.1%", "more than 10%" and "less than 5%"
    are broken by it (each had been "not in the source"), and the reason names both."""
    sources = _sources(embedder, "Harbour economy grows", (
        "Harbour's economy grew by 8.1% in 2004, its best performance since 2000. "
        "Economic growth is set to halve in Harbour this year."))
    assert status(checker, sources,
                  "Harbour's economy grew by more than 5% in 2004.").status == "supported"
    above = status(checker, sources, "Harbour's economy grew by more than 10% in 2004.")
    assert above.status == "contradicted" and "8.1%" in above.reason, above.reason
    below = status(checker, sources, "Harbour's economy grew by less than 5% in 2004.")
    assert below.status == "contradicted" and "8.1%" in below.reason, below.reason


def test_no_denies_its_noun_and_what_was_done_to_it(checker, embedder):
    """"No formal offer has been made yet" denies that an offer was made; "took no further
    part in the final" denies the part, not the final; "Si No Estás" is a song's name."""
    sources = _sources(embedder, "Tycoon's approach", (
        "No formal offer has been made yet, but the club has confirmed it received a detailed "
        "proposal from US tycoon Tom Reyes. Ann Lee, who took no further part in the final "
        "after a knock, praised her team. Si No Estas reached the top of the Spanish chart."))
    made = status(checker, sources, "A new offer for the club has been made by US tycoon Tom "
                                    "Reyes.")
    assert made.status == "contradicted" and "offer" in made.reason
    assert status(checker, sources, "Ann Lee praised her team after the final.").status != \
        "contradicted"
    assert status(checker, sources, "Si No Estas reached the top of the Spanish "
                                    "chart.").status == "supported"


def test_an_ordinal_must_stand_in_the_sentence_itself(checker, embedder):
    """"The first festival after the war" earlier in the story does not make this year's show
    his first: an ordinal places the noun beside it."""
    sources = _sources(embedder, "Reyes to headline Valley Park", (
        "Three years ago, Sir Tom Reyes played at the first Valley Park festival after the "
        "floods. Sir Tom Reyes will headline the festival show in Valley Park this year."))
    assert status(checker, sources[1:], "Sir Tom Reyes will headline his first festival "
                                        "show in Valley Park.").status != "supported"
    assert status(checker, sources[:1], "Sir Tom Reyes played at the first Valley Park "
                                        "festival after the floods.").status == "supported"


def test_a_possessed_word_is_a_noun_not_an_act():
    """"Glazer's offer values the club at £800m" tells no act of offering; "Southcorp
    accept the offer" tells one of accepting."""
    from qa.claims import states_the_act

    source = "Glazer has made a fresh approach, which could lead to a bid valuing the club."
    assert states_the_act("Glazer's offer values the club.", source)
    assert not states_the_act("Glazer will offer to buy the club.", source)
    assert not states_the_act("Southcorp accept the offer.",
                              "Southcorp said the offer was opportunistic.")


def test_what_a_claim_says_something_is_must_be_in_the_source(checker, embedder):
    """"The new head of comedy in Glasgow will be a director": a head of comedy based in
    Glasgow is no director; "the first in-person summit since 2019" is what the source says."""
    sources = _sources(embedder, "Comedy moves north", (
        "New roles are being created in each department, including a head of comedy "
        "commissioning based in Glasgow. The Beijing meeting was the first in-person summit "
        "since 2019."))
    director = status(checker, sources, "The new head of comedy in Glasgow will be a director.")
    assert director.status != "supported" and "director" in director.reason
    assert status(checker, sources, "The Beijing meeting was the first in-person summit since "
                                    "2019.").status == "supported"


def test_a_direction_needs_one_of_its_own_sense(checker, embedder):
    """"The airline made a profit in 2004" is not held by "was hit in 2004 by a dip in
    demand": a fall in demand is no word for a profit, though it is a direction word."""
    sources = _sources(embedder, "Airline results", (
        "Valley Air was hit in 2004 by tough competition and a dip in demand. Valley Air "
        "returned to profit in 2005."))
    assert status(checker, sources[:1], "Valley Air made a profit in 2004.").status != \
        "supported"
    assert status(checker, sources[1:], "Valley Air made a profit in 2005.").status == \
        "supported"


def test_a_determiner_opening_a_claim_is_not_a_name(checker, embedder):
    """"Each entry clearance officer ..." opens with "Each", which names no one."""
    sources = _sources(embedder, "Visa officers stretched", (
        "Entry clearance officers are expected to deal with 40 applications a day, or one "
        "every 11 minutes."))
    assert status(checker, sources, "Each entry clearance officer is expected to deal with 40 "
                                    "applications a day.").status == "supported"


def test_a_comparison_with_not_as_and_an_absence_are_read_as_the_source_says_them(checker,
                                                                                  embedder):
    """"not as addictive as drugs" compares, so "is not addictive in the way cocaine is" does
    not deny it; "Burrow's absence" is "without Burrow", and "played with Burrow" is not; an
    "injury absence" is no absence of injury."""
    sources = _sources(embedder, "Sugar and the Bengals", (
        "Sugar itself is not addictive in the way cocaine or another drug may be, she said. "
        "Mixon has been forced to step up without Burrow under center, doubling as a runner "
        "and receiver for Cincinnati. The only injury absence for Canada is striker Lucas "
        "Cavallini, who withdrew from the squad."))
    compared = status(checker, sources, "Sugar is not as addictive as cocaine, she said.")
    assert compared.status != "contradicted", compared.reason
    absent = status(checker, sources, "Mixon has stepped up in Burrow's absence, doubling as a "
                                      "runner and receiver for Cincinnati.")
    assert absent.status != "contradicted", absent.reason
    present = status(checker, sources, "Mixon has stepped up with Burrow under center, doubling "
                                       "as a runner and receiver for Cincinnati.")
    assert present.status == "contradicted" and "burrow" in present.reason
    injured = status(checker, sources, "Lucas Cavallini withdrew from the Canada squad with an "
                                       "injury.")
    assert injured.status != "contradicted", injured.reason  # an injury absence: injured



def test_a_group_word_is_its_number(checker, embedder):
    """"the quartet" is four of them: "all four members" is no figure the source lacks."""
    sources = _sources(embedder, "Band reunites", (
        "The Swedish pop quartet Skarv have reunited for the premiere of a musical based on "
        "their songs."))
    four = status(checker, sources, "All four members of Skarv have reunited for the "
                                    "premiere of a musical based on their songs.")
    assert four.status == "supported", four.reason
    five = status(checker, sources, "All five members of Skarv have reunited for the "
                                    "premiere of a musical based on their songs.")
    assert five.status != "supported"


def test_a_claim_that_something_is_a_name_needs_the_name_beside_it(checker, embedder):
    """"The new party she launched is the Valley Independence Party" is not held by a
    sentence naming that party far from "her new party"; "... is Forward" is held by "her
    new party, Forward"."""
    sources = _sources(embedder, "Quell launches new party", (
        "The Valley Independence Party has lost one of its two councillors to Mara Quell's new "
        "political party, expected to launch on Wednesday. Mara Quell launched her new party, "
        "Forward, in Valley Town on Wednesday."))
    wrong = status(checker, sources, "The new party Mara Quell launched is the Valley "
                                     "Independence Party.")
    assert wrong.status != "supported", wrong.reason
    right = status(checker, sources, "The new party Mara Quell launched is Forward.")
    assert right.status == "supported", right.reason
    quoted = status(checker, sources, 'The new party Mara Quell launched is "Forward".')
    assert quoted.status == "supported", quoted.reason
    # the outlet's name, which the model reads beside each source in its prompt (and the
    # checker in the header), is no name of what the claim is about
    headed = _sources(embedder, "Quell launches new party. Valley Herald",
                      "Mara Quell launched her new party, Forward, in Valley Town on Wednesday.")
    outlet = status(checker, headed, 'The new party Mara Quell launched is "Valley Herald".')
    assert outlet.status != "supported", outlet.reason


def test_a_draft_gives_no_first_name_it_was_not_shown(checker, embedder):
    """The model writes "Carl Ghent" where its sentence says "Mr Ghent": a first name it was
    not shown is not held (a question's full name is read as the story's "Mr Ghent" by the
    verdict, tests/qa/test_qa_verdicts.py, not by the answer check)."""
    sources = _sources(embedder, "Carmaker boss cuts costs", (
        "Dubbed 'le cost killer' for huge cuts in previous jobs, Mr Ghent reduced Vantor's "
        "overheads by 20% after taking charge in 1999."))
    added = status(checker, sources, "Carl Ghent reduced Vantor's overheads by 20% after "
                                     "taking charge in 1999.")
    assert added.status != "supported", added.reason
    shown = status(checker, sources, "Mr Ghent reduced Vantor's overheads by 20% after taking "
                                     "charge in 1999.")
    assert shown.status == "supported", shown.reason


def test_helping_or_harming_is_an_act_the_source_must_tell(checker, embedder):
    """A draft that has the party leader say Quell "would help the party" is not held by his
    saying she has remarkable ability but was more interested in her own party."""
    sources = _sources(embedder, "Quell quits the Valley Party", (
        "\"She has remarkable ability to influence people but it became clear that she was "
        "more interested in the Mara Quell Party than the Valley Party,\" the leader said. "
        "Her old ally said she would help the campaign for lower fares."))
    invented = status(checker, sources, "The leader said Quell was remarkable and would help "
                                        "the Valley Party.")
    assert invented.status != "supported", invented.reason
    told = status(checker, sources, "Her old ally said she would help the campaign for lower "
                                    "fares.")
    assert told.status == "supported", told.reason


def test_a_share_of_a_whole_is_not_counted_over_it(checker, embedder):
    """"won 36 of his 50 matches" says he won 36 matches: "won 36 matches in his career" is
    true to it (it had been "the source gives 36 for '50'"), while 36 counted over another
    number of matches is not."""
    sources = _sources(embedder, "Marsh retires from Davis Cup tennis", (
        "Dan Marsh leaves Davis Cup tennis with an impressive record, having won 36 of his 50 "
        "matches."))
    assert status(checker, sources,
                  "Dan Marsh won 36 matches in his Davis Cup career.").status == "supported"
    assert status(checker, sources,
                  "Dan Marsh won 36 of his 60 matches.").status != "supported"


def test_a_number_word_before_a_hyphen_is_a_figure_and_one_in_a_name_is_not(checker, embedder):
    """"an eight-week ban" gives 8 weeks, as "a 10-year-old" gives 10 ("The ban was eight
    weeks" had been "eight is not in the source"); "six weeks" is not held by "the Six
    Nations" (it had been supported by the name's number)."""
    sources = _sources(embedder, "Rovers prop back from ban", (
        "Dan Marsh has been named in the Rovers squad after an eight-week ban, ahead of "
        "Saturday's Six Nations match with Ireland."))
    assert status(checker, sources, "Dan Marsh's ban was eight weeks.").status == "supported"
    six = status(checker, sources, "Dan Marsh's ban was six weeks.")
    assert six.status != "supported", six
    assert read_sentence("a one-day strike").numbers == []
    assert read_sentence("a four-set win").numbers == []


def test_a_country_s_formal_name_is_held_by_its_short_name(checker, embedder):
    """"Roma from the Czech Republic" is what "Roma Czechs" says; "the Dominican Republic"
    is not."""
    sources = _sources(embedder, "Roma stopped at airport",
                       "Statistics suggested Roma Czechs were 400 times more likely to be "
                       "stopped at Prague airport than non-Roma Czechs.")
    held = status(checker, sources, "Roma from the Czech Republic were 400 times more likely "
                                    "to be stopped at Prague airport.")
    assert held.status == "supported", held
    other = status(checker, sources, "Roma from the Dominican Republic were 400 times more "
                                     "likely to be stopped at Prague airport.")
    assert other.status != "supported", other


def test_a_contracted_negation_denies_and_matches_a_negating_prefix(checker, embedder):
    """"isn't suitable" is what "was unsuitable" says; "wasn't a success" denies "was a
    success", and "is suitable" is still contradicted by "unsuitable"."""
    sources = _sources(embedder, "Stage show opens",
                       "The director warned that the show was unsuitable for children under "
                       "seven. The opening night was a success.")
    held = status(checker, sources, "The director warned the show isn't suitable for children "
                                    "under seven.")
    assert held.status != "contradicted", held
    flipped = status(checker, sources, "The director warned the show is suitable for children "
                                       "under seven.")
    assert flipped.status == "contradicted", flipped
    denied = status(checker, sources, "The opening night wasn't a success.")
    assert denied.status == "contradicted", denied


def test_deciding_against_doing_it_denies_it(checker, embedder):
    """"The board decided against fining the club" says what "will not be fined" says;
    "decided to fine" is contradicted by it. "A game against Italy" takes no side."""
    sources = _sources(embedder, "Club escapes fine",
                       "Valley Rovers will not be fined by the league board for the pitch "
                       "invasion after their game against Italy's Ostia.")
    held = status(checker, sources, "The league board decided against fining Valley Rovers "
                                    "for the pitch invasion.")
    assert held.status != "contradicted", held
    flipped = status(checker, sources, "The league board decided to fine Valley Rovers for the "
                                       "pitch invasion.")
    assert flipped.status == "contradicted", flipped


def test_with_a_name_out_says_what_without_the_name_says(checker, embedder):
    """"with Tom Reyes out" is "without Reyes": no contradiction; "with Tom Reyes back" still
    meets the source's "without"."""
    sources = _sources(embedder, "Mills steps up",
                       "Ben Mills has been forced to step up without Reyes in the side, playing "
                       "as a forward and a midfielder for Valley Rovers.")
    held = status(checker, sources, "Ben Mills is doing more for Valley Rovers with Tom Reyes "
                                    "out.")
    assert held.status != "contradicted", held
    back = status(checker, sources, "Ben Mills is doing more for Valley Rovers with Tom Reyes "
                                    "in the side.")
    assert back.status == "contradicted", back


def test_a_role_given_to_someone_else_by_apposition_is_contradicted(checker, embedder):
    """"Ada Quell, now Forward's deputy leader, and Tom Reyes were elected" makes Ada Quell
    the deputy leader: a draft giving the role to Tom Reyes is contradicted, one giving it
    to her is held, and a deed ("was charged with") is no role."""
    sources = _sources(embedder, "Members join new party",
                       "Ada Quell, now Forward deputy leader, and Tom Reyes were elected in "
                       "2004 on the list system.")
    for wrong in ("The deputy leader of Forward is Tom Reyes.",
                  "Tom Reyes is Forward's deputy leader."):
        result = status(checker, sources, wrong)
        assert result.status == "contradicted", (wrong, result)
    right = status(checker, sources, "The deputy leader of Forward is Ada Quell.")
    assert right.status != "contradicted", right


def test_a_name_and_its_initials_are_one_actor(checker, embedder):
    """"BA" is "British Airways" (its initials): the claim is held, or contradicted by its
    figure, never refused for naming someone else; "Lufthansa" is someone else."""
    sources = _sources(embedder, "Fuel costs hit airline",
                       "British Airways has blamed high fuel prices for a 40% drop in profits.")
    held = status(checker, sources, "BA blamed fuel prices for a 40% drop in profits.")
    assert held.status == "supported", held
    other = status(checker, sources, "Lufthansa blamed fuel prices for a 40% drop in profits.")
    assert other.status != "supported", other


def test_a_name_the_model_misspells_is_checked_as_the_source_spells_it(checker, embedder,
                                                                       bbc_path):
    """SmolLM2 wrote "Damian Hockney" for the source's "Damien Hockney": a name a letter
    away from the sources' one name that close is respelt before the check, which then judges
    it as strictly as any claim."""
    from qa.citations import in_source_spelling

    for line in bbc_path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["title"] == "Kilroy launches 'Veritas' party":
            break
    else:
        pytest.fail("the Veritas article is missing from the BBC data")
    sources = _sources(embedder, record["title"], record["body"])
    texts = [s.text for s in sources]
    draft = "Damian Hockney is now Veritas' deputy leader."
    assert status(checker, sources, draft).status != "supported"
    respelt, changes = in_source_spelling(draft, texts)
    assert changes == [("Damian", "Damien")]
    assert status(checker, sources, respelt).status == "supported"
    # respelt, a false claim is still false: the source makes him Veritas' deputy leader,
    # which is neither UKIP's nor the leader
    for false in ("Damian Hockney is now the leader of UKIP.",
                  "Damian Hockney is now the deputy leader of UKIP.",
                  "Damian Hockney is now the leader of Veritas."):
        wrong, _ = in_source_spelling(false, texts)
        assert wrong.startswith("Damien")
        assert status(checker, sources, wrong).status != "supported", wrong
    assert status(checker, sources,
                  "Damien Hockney is now the deputy leader of Veritas.").status == "supported"
    # another article's spelling does not stop it: the sentence the draft copies decides
    copied = ("He was joined in the new venture by one of UKIP's two London Assembly members, "
              "Damian Hockney who is now Veritas' deputy leader.")
    elsewhere = "Damian Hockney, now Veritas deputy leader, and Peter Hulme-Cross were elected."
    respelt, _ = in_source_spelling(copied, [*texts, elsewhere])
    assert "Damien Hockney who" in respelt
    assert status(checker, sources, respelt).status == "supported"
    # a name the sources write, or one with no single close name there, is left alone
    assert in_source_spelling("Robert Kilroy-Silk leads Veritas.", texts)[1] == []
    assert in_source_spelling("Their leader is Damian.", ["Theirs is Damien, or Damion."])[1] == []
    # a letter more or less at the end makes another word, not a misspelling
    assert in_source_spelling("Growth in Germany slowed.", ["He said German growth slowed."]
                              )[1] == []
    assert in_source_spelling("Nomar Garciapara plays for the Cubs.",
                              ["She is married to shortstop Nomar Garciaparra."]
                              )[1] == [("Garciapara", "Garciaparra")]


def test_against_before_a_name_is_whom_one_plays_not_a_side_taken(checker, embedder):
    """"being scared will help France against England" had been contradicted by "claims it
    will work in their favour" (against / favour read as opposing and supporting); "against
    the new road" still takes a side."""
    match = _sources(embedder, "Laporte happy to be scared",
                     "France coach Bernard Laporte believes his team will be scared going into "
                     "their game with England on Sunday, but claims it will work in their "
                     "favour.")
    result = status(checker, match, "Laporte thinks being scared will help France against "
                                    "England.")
    assert result.status != "contradicted", result
    road = _sources(embedder, "Council vote", "The council backed the new road on Monday.")
    assert status(checker, road, "The council is against the new road.").status == \
        "contradicted"


def test_a_phrase_before_the_claim_and_a_plural_name_are_no_names_missing(checker, embedder):
    """"Under the Wessex Party plan, pensioners swap ..." (a question's fronted phrase kept
    before its claim): nobody is called "Under", and "the Wessex Party" is the party whose
    members the source calls "the Wessexes"; a name the source lacks still fails."""
    text = ("The Wessex Dems would let pensioners swap their winter fuel payments for discounts "
            "on home insulation. The party says the plan could save each pensioner £100 a year.")
    sources = _sources(embedder, "Wessex Dems unveil pensions plan", text)
    held = status(checker, sources, "Under the Wessex Dem plan, pensioners swap their winter "
                                    "fuel payments for discounts on home insulation.")
    assert held.status == "supported", held.reason
    other = status(checker, sources, "Under the Mercia Dem plan, pensioners swap their winter "
                                     "fuel payments for discounts on home insulation.")
    assert other.status != "supported", other.reason


@pytest.fixture(scope="session")
def every_word_telling(embedder):
    """A checker for which every word is telling enough to be a detail of its own (weights
    of 1.0 and a novel-word bar of 1.0), so the rule is seen without a store's IDF."""
    from qa.policy import CheckPolicy

    return ClaimChecker(embedder.encode, flat_weights, CheckPolicy(novel_word_idf=1.0))


def test_a_detail_no_source_gives_is_not_found(every_word_telling, checker, seed_sources):
    claim = ("Ursula von der Leyen said that Russia's war against Ukraine poses a serious threat "
             "to European energy security.")
    result = status(every_word_telling, seed_sources, claim)
    assert result.status == "not_found", result
    assert "'energy'" in result.reason
    # Below the bar the same word is paraphrase room, as before.
    assert status(checker, seed_sources, claim).status == "supported"


@pytest.mark.parametrize("claim", [
    # how it was said is not what was said
    "Ursula von der Leyen stressed that Russia's war against Ukraine poses a serious threat to "
    "European security.",
    # how exact a figure is ("approximately" for "about") is not what it is
    "The EU's trade deficit with China swelled to approximately 400 billion euros in 2022.",
    # the source's own sentence
    "Ursula von der Leyen said that Russia's war against Ukraine poses a serious threat to "
    "European security.",
])
def test_how_it_was_said_or_how_exact_a_figure_is_is_no_new_detail(every_word_telling,
                                                                    seed_sources, claim):
    assert status(every_word_telling, seed_sources, claim).status == "supported"


def test_a_hyphened_word_closed_up_is_the_same_word(every_word_telling, embedder):
    text = ("Rock veterans New Order have joined the T in the Park line-up alongside Athlete and "
            "Green Day. The festival takes place in July.")
    sources = _sources(embedder, "New Order join T in the Park", text)
    claim = "New Order have joined the T in the Park lineup alongside Athlete and Green Day."
    assert status(every_word_telling, sources, claim).status == "supported"


def test_in_a_small_store_a_word_it_never_saw_is_still_a_detail(embedder, seed_sources):
    # A store of a few dozen chunks weighs no word 5 or more; "energy", which it has never
    # seen, weighs as much as a word can there (2.0 here) and is still a detail of its own.
    def small_store(tokens: list[str]) -> dict[str, float]:
        return {t: 2.0 if t in (_NEVER_SEEN, "energi") else 1.0 for t in tokens}

    checker = ClaimChecker(embedder.encode, small_store)
    claim = ("Ursula von der Leyen said that Russia's war against Ukraine poses a serious threat "
             "to European energy security.")
    result = status(checker, seed_sources, claim)
    assert result.status == "not_found" and "'energy'" in result.reason, result


def test_a_share_of_them_and_an_act_named_as_a_noun(checker, embedder):
    """"12% of them" is a share of what was named before, not a figure counted over the words
    after it; "the Pattaya win" names a win, it does not tell one the source must."""
    from qa.claims import states_the_act

    sources = _sources(embedder, "Voters lost from the register", (
        "The report said 12% of voters disappeared from the electoral roll in Northern "
        "Ireland when individual registration came in."))
    assert status(checker, sources, "In Northern Ireland 12% of them disappeared from the "
                                    "electoral roll.").status != "contradicted"
    assert status(checker, sources, "In Northern Ireland 15% of them disappeared from the "
                                    "electoral roll.").status != "supported"
    assert states_the_act("the Pattaya win was her first title since 2000",
                          "She came through for her first title since 2000.")
    assert not states_the_act("Southcorp accept the offer", "Southcorp said the offer was low.")


def test_none_of_a_group_denies_what_is_said_of_it(checker, embedder):
    """"none of the nine former trustees will admit any wrongdoing" denies that they admit
    it: a claim that they admitted wrongdoing is contradicted, one that they did not is
    not, and the group itself is not denied."""
    sources = _sources(embedder, "Trustees settle lawsuit",
                       "Under the settlement, none of the nine former trustees of the Harbour "
                       "Fund will admit any wrongdoing.")
    admitted = status(checker, sources, "The nine former trustees of the Harbour Fund will "
                                        "admit wrongdoing under the settlement.")
    assert admitted.status == "contradicted", admitted
    denied = status(checker, sources, "The nine former trustees of the Harbour Fund will not "
                                      "admit wrongdoing under the settlement.")
    assert denied.status != "contradicted", denied
    past = status(checker, _sources(embedder, "Trustees settle lawsuit",
                                    "None of the trustees admitted wrongdoing."),
                  "The trustees admitted wrongdoing.")
    assert past.status == "contradicted", past


def _asked_frames(checker, sources, claim: str, predicate: bool = True):
    """How each source stands to a question's claim (the verdict's reading; `predicate`: a
    yes/no question's)."""
    from index import lexical_tokens

    readings = [read_sentence(s.text) for s in sources]
    contexts = [read_sentence(f"{s.header}. {s.context}") for s in sources]
    meaning = np.stack([s.vector for s in sources]) @ checker.encode([claim])[0]
    return checker.frames(claim, sources, readings, contexts,
                          [set(lexical_tokens([s.text])[0]) for s in sources],
                          [set(lexical_tokens([s.header])[0]) for s in sources],
                          meaning, set(), asked=True, predicate=predicate)


def test_a_question_held_by_its_names_alone_is_missing_what_it_asks(embedder):
    """Weighed as a news store weighs them, names outweigh the rest: "Ana Ruiz ... Blue
    Harbour" shares most of "Had Ana Ruiz made a few films before Blue Harbour?" by weight and
    nothing it asks of them. The same sentence holds what it does say of them."""
    names = {"ana", "ruiz", "blue", "harbour"}
    checker = ClaimChecker(embedder.encode, lambda tokens: {
        t: 10.0 if t == _NEVER_SEEN else 5.0 if t in names else 0.5 for t in tokens})
    sources = _sources(embedder, "Ruiz wins best actress",
                       "Other winners included Ana Ruiz, who took best actress for her role as "
                       "a nurse in the drama Blue Harbour.")
    [frame] = _asked_frames(checker, sources, "Ana Ruiz already made a few films before Blue "
                                              "Harbour")
    assert frame.missing.startswith("the source names what the question does"), frame
    [frame] = _asked_frames(checker, sources, "Ana Ruiz took best actress for Blue Harbour")
    assert not frame.missing and not frame.conflict, frame
    # an option's statement is no yes/no claim: the option decides it, not the predicate
    [frame] = _asked_frames(checker, sources, "Ana Ruiz already made a few films before Blue "
                                              "Harbour", predicate=False)
    assert not frame.missing.startswith("the source names what the question does"), frame
    # a hyphened word's parts count, and an opinion verb ("reckons") is no word of it
    names |= {"tom", "reyes", "harbour", "fund"}
    board = _sources(embedder, "Reyes quits fund",
                     "Tom Reyes has stepped down as vice-chairman of the Harbour Fund.")
    for claim in ("Tom Reyes walked away from his vice-chairman job at the Harbour Fund",
                  "Ann Lee reckons Tom Reyes is the vice-chairman of the Harbour Fund"):
        [frame] = _asked_frames(checker, board, claim)
        assert not frame.missing.startswith("the source names what the question does"), \
            (claim, frame)


def test_a_story_calling_someone_by_surname_names_the_questions_full_name(checker, embedder):
    """"Meanwhile, Reyes has rapped skipper Ben Mills" is about the "Tom Reyes" a question
    names (news gives the full name once, sentences before); "Venus Reyes won" is not, and
    neither is a sentence that puts another first name before the surname."""
    sources = _sources(embedder, "Reyes agrees new contract",
                       "Meanwhile, Reyes has rapped skipper Ben Mills for his comments before "
                       "the derby.")
    [frame] = _asked_frames(checker, sources, "Tom Reyes rapped his skipper for his comments "
                                              "before the derby")
    assert not frame.missing.startswith("the source does not name"), frame
    other = _sources(embedder, "Reyes agrees new contract",
                     "Meanwhile, Ana Reyes has rapped skipper Ben Mills for his comments before "
                     "the derby.")
    [frame] = _asked_frames(checker, other, "Tom Reyes rapped his skipper for his comments "
                                            "before the derby")
    assert frame.missing.startswith("the source does not name"), frame


def test_a_questions_act_denied_in_other_words_is_contradicted(checker, embedder):
    """"Would the amnesty have covered money made from smuggling?" against "The amnesty will
    not extend to people who made money through smuggling": the question's word the source
    lacks and the source's denied word stand among the same words, so the source says no.
    A question that denies something itself, and a denied direction word ("did not lose a
    set" of a win), are left to the other rules."""
    sources = _sources(embedder, "Tax amnesty for Valley",
                       "The amnesty will not extend to people who made money through "
                       "smuggling or fraud.")
    [frame] = _asked_frames(checker, sources, "The one-off tax amnesty covered money made "
                                              "from smuggling")
    assert "denies 'extend'" in frame.conflict, frame
    [frame] = _asked_frames(checker, sources, "The amnesty did not cover money made from "
                                              "smuggling")
    assert "denies 'extend'" not in frame.conflict, frame
    final = _sources(embedder, "Reyes takes title",
                     "Tom Reyes did not lose a set in the Valley Open final.")
    [frame] = _asked_frames(checker, final, "Tom Reyes won the Valley Open final")
    assert "where the question says" not in frame.conflict, frame
    # "against" takes a side; it denies no word
    order = _sources(embedder, "Ruiz wins order", "Ana Ruiz has won a restraining order "
                                                  "against two photographers in Valley City.")
    [frame] = _asked_frames(checker, order, "Ana Ruiz and the two photographers in Valley "
                                            "City: the court gave her the restraining order "
                                            "she was after")
    assert "where the question says" not in frame.conflict, frame


def test_a_questions_figure_must_count_what_it_counts(checker, embedder):
    """"Did Reyes beat Lee in two sets?" is not held by "Reyes had to save two match points
    before beating Lee": that "two" counts match points. "beat Lee in two sets" is held by
    "beat Lee in two sets", and a figure the question gives no noun is left alone."""
    points = _sources(embedder, "Reyes edges past Lee",
                      "Reyes had to save two match points before beating Lee at the Valley "
                      "Open.")
    [frame] = _asked_frames(checker, points, "Reyes beat Lee at the Valley Open in two sets")
    assert frame.missing == "the source's two counts 'match', not 'sets'", frame
    sets = _sources(embedder, "Reyes beats Lee", "Reyes beat Lee in two sets at the Valley "
                                                 "Open.")
    [frame] = _asked_frames(checker, sets, "Reyes beat Lee at the Valley Open in two sets")
    assert not frame.missing and not frame.conflict, frame
    [frame] = _asked_frames(checker, points, "Reyes saved two of them at the Valley Open")
    assert "counts" not in frame.missing, frame
    # an ordinal places, it does not count; a figure before a name counts what follows it
    title = _sources(embedder, "Reyes wins", "Second seed Tom Reyes won his second career "
                                             "title at the Valley Open.")
    [frame] = _asked_frames(checker, title, "The Valley Open was only the second tournament "
                                            "Tom Reyes has won")
    assert "counts" not in frame.missing, frame
    links = _sources(embedder, "Valley Search saves links", "The service lets people store up "
                                                          "to 1000 web links or 5000 if they "
                                                          "sign up.")
    [frame] = _asked_frames(checker, links, "If you sign up, the service lets you save as many "
                                            "as 5000 links")
    assert "counts" not in frame.missing, frame
    band = _sources(embedder, "Greys reunite", "All four Greys members were at the premiere.")
    [frame] = _asked_frames(checker, band, "All four members of the Greys were at the "
                                           "premiere")
    assert "counts" not in frame.missing, frame
