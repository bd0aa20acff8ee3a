"""The resolve stage, one mechanism at a time, on texts written for these tests: leaders from
the forms of their titles, references back to them, the speakers of quotations and
transcripts, and what "we", "it", "they" and "the government" stand for."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import FrozenInstanceError
from datetime import date

import pytest
from spacy.tokens import Doc

from kg.records import Actor, Extraction
from kg.resolve import Resolution

from .conftest import Resolve

ExtractText = Callable[[str], Extraction]


def leaders(res: Resolution) -> dict[str, str | None]:
    return {name: r.actor.key if r.actor else None for name, r in res.leaders.items()}


def at(doc: Doc, res: Resolution, word: str, nth: int = 0) -> int:
    """The index of the nth token with this text."""
    return [t.i for t in doc if t.text == word][nth]


@pytest.mark.parametrize(
    ("text", "name", "state"),
    [
        ("Spanish Defence Minister Margarita Robles spoke first.", "Margarita Robles", "ES"),
        ("Prime Minister of Estonia Kristen Michal spoke first.", "Kristen Michal", "EE"),
        ("Kristen Michal, the prime minister of Estonia, spoke first.", "Kristen Michal", "EE"),
        ("Italy's Giorgia Meloni spoke first.", "Giorgia Meloni", "IT"),
        (
            "Member of the Georgian delegation Nino Beridze spoke first.",
            "Nino Beridze",
            "GE",
        ),
        ("President Alexander Stubb of Finland spoke first.", "Alexander Stubb", "FI"),
        ("The Dutch ambassador to Poland, Anna Visser, spoke first.", "Anna Visser", "NL"),
    ],
)
def test_titles_before_and_after_the_name(
    resolve_text: Resolve, text: str, name: str, state: str
) -> None:
    _, res = resolve_text(text)
    assert leaders(res).get(name) == state


def test_a_list_of_titled_names_gives_each_its_own_title(resolve_text: Resolve) -> None:
    _, res = resolve_text(
        "The President of Finland, Alexander Stubb, and the Prime Minister of Sweden, Ulf "
        "Kristersson, spoke first."
    )
    assert leaders(res).get("Alexander Stubb") == "FI"
    assert leaders(res).get("Ulf Kristersson") == "SE"


def test_a_capitalised_plural_title_shares_out_over_names_the_text_pairs(
    resolve_text: Resolve,
) -> None:
    """The pairing the text makes wins over a role the gazetteer knows from another time."""
    _, res = resolve_text(
        "The Foreign Ministers of Germany and Austria, Annalena Baerbock and Alexander "
        "Schallenberg, met in Vienna."
    )
    assert leaders(res).get("Annalena Baerbock") == "DE"
    assert leaders(res).get("Alexander Schallenberg") == "AT"


def test_a_titled_counterpart_met_does_not_serve_the_publisher(extract_text: ExtractText) -> None:
    found = extract_text(
        "publisher: Ministry of Foreign Affairs of Japan\ndate: 2026-02-10\n\n"
        "Ministry of Foreign Affairs of Japan\n\n"
        "Prime Minister Fumio Kishida will travel to Poland, where he will hold a summit meeting "
        "with Prime Minister Jan Novak in Warsaw."
    )
    states = {r.name: r.actor.key for r in found.leaders if r.actor}
    assert states.get("Fumio Kishida") == "JP"
    assert "Jan Novak" not in states


def test_a_title_before_the_next_name_of_a_list_is_that_name_s(resolve_text: Resolve) -> None:
    _, res = resolve_text(
        "The talks brought together Keir Starmer, Finnish President Alexander Stubb and "
        "Mette Frederiksen."
    )
    assert leaders(res).get("Keir Starmer") == "GB"
    assert leaders(res).get("Alexander Stubb") == "FI"


@pytest.mark.parametrize(
    "text",
    [
        "The defence ministers of Croatia and Slovenia, Ivan Babic and Mojca Zupan, spoke first.",
        "Ivan Babic and Mojca Zupan, the defence ministers of Croatia and Slovenia, spoke first.",
        "The Croatian and Slovenian defence ministers, Ivan Babic and Mojca Zupan, spoke first.",
        "Ivan Babic and Mojca Zupan, the Croatian and Slovenian defence ministers, spoke first.",
    ],
)
def test_one_plural_title_shares_out_over_a_list_of_names(resolve_text: Resolve, text: str) -> None:
    _, res = resolve_text(text)
    assert leaders(res) == {"Ivan Babic": "HR", "Mojca Zupan": "SI"}
    assert {r.role for r in res.leaders.values()} == {"Defence Minister"}


def test_a_plural_title_over_lists_that_do_not_pair_off_names_nobody(resolve_text: Resolve) -> None:
    _, res = resolve_text(
        "The defence ministers of Croatia and Slovenia, Ivan Babic, Mojca Zupan and Ana Kos, "
        "spoke first."
    )
    assert leaders(res) == {}


def test_a_first_name_the_recogniser_left_out_joins_the_surname(resolve_text: Resolve) -> None:
    _, res = resolve_text(
        "Deputy Head of the Office of the President of Croatia Ivo Kralj said it went well."
    )
    assert leaders(res) == {"Ivo Kralj": "HR"}
    assert res.leaders["Ivo Kralj"].role == "Deputy Head of the Office of the President of Croatia"


def test_a_title_names_the_state_it_serves_not_where_it_serves(resolve_text: Resolve) -> None:
    _, res = resolve_text("Jan Kowalski, the Polish Ambassador to Ireland, spoke first.")
    assert leaders(res) == {"Jan Kowalski": "PL"}


def test_middle_initials_and_suffixes_do_not_make_another_person(resolve_text: Resolve) -> None:
    _, res = resolve_text(
        "Secretary of State Antony J. Blinken met Kuleba. Later, Antony Blinken left."
    )
    assert (
        "Antony Blinken" in leaders(res) and len([n for n in leaders(res) if "Blinken" in n]) == 1
    )


def test_name_variants_resolve_to_one_leader(extract_text: ExtractText) -> None:
    found = extract_text(
        "date: 2026-01-10\n\n"
        "Ukrainian President Volodymyr Zelenskyy met Belgian Prime Minister Bart DeWever in "
        "Brussels on Friday. Zelensky thanked De Wever."
    )
    names = {leader.name for leader in found.leaders}
    assert names == {"Volodymyr Zelensky", "Bart De Wever"}


def test_reporters_and_analysts_are_not_leaders(resolve_text: Resolve) -> None:
    _, res = resolve_text(
        "Peter Novak, a defence analyst at a Prague think tank, and reporter Anna Berg disagreed."
    )
    assert leaders(res) == {}


def test_a_known_person_holds_the_office_of_the_article_s_day(resolve_text: Resolve) -> None:
    # the gazetteer's people keep the offices they held before: an article of 2023 knows
    # the Dutch prime minister, one of 2025 the NATO Secretary General
    _, earlier = resolve_text("Prime Minister Mark Rutte spoke.", published=date(2023, 1, 26))
    _, later = resolve_text("Secretary General Mark Rutte spoke.", published=date(2025, 6, 1))
    assert leaders(earlier) == {"Mark Rutte": "NL"}
    assert earlier.leaders["Mark Rutte"].role == "Prime Minister"
    assert later.leaders["Mark Rutte"].actor == Actor("org", "nato")


@pytest.mark.parametrize(
    "text",
    [
        "Spain will help. Austria's Defence Minister Karl Huber spoke first.",
        "Spain will help. Defence Minister Karl Huber of Austria spoke first.",
    ],
)
def test_the_state_of_a_title_with_its_owner_before_or_after_the_name(
    resolve_text: Resolve, text: str
) -> None:
    _, res = resolve_text(text)
    assert leaders(res) == {"Karl Huber": "AT"}
    assert res.leaders["Karl Huber"].role == "Defence Minister"


def test_a_named_speaker_a_state_owns_acts_for_it(resolve_text: Resolve) -> None:
    _, res = resolve_text(
        "Austria's Helga Brunner told the meeting that more help would come. Austria's Karl "
        "Huber, an analyst, said the help was late."
    )
    assert leaders(res) == {"Helga Brunner": "AT"}
    assert res.leaders["Helga Brunner"].role is None


def test_a_spokesperson_of_a_ministry_acts_for_the_publishing_state(resolve_text: Resolve) -> None:
    _, res = resolve_text(
        "The following is attributable to Spokesperson Jane Smith: the talks went well.",
        publisher="U.S. Department of State",
    )
    assert leaders(res) == {"Jane Smith": "US"}


def test_a_definite_title_refers_back_to_its_holder(resolve_text: Resolve) -> None:
    doc, res = resolve_text(
        "Danish Prime Minister Mette Frederiksen arrived in Kyiv. "
        "The Prime Minister of Denmark then visited a hospital."
    )
    assert res.leader_at.get(at(doc, res, "Prime", 1)) == "Mette Frederiksen"


def test_a_bare_surname_after_the_full_name(resolve_text: Resolve) -> None:
    doc, res = resolve_text("Norwegian Prime Minister Jonas Gahr Støre arrived. Støre said no.")
    assert res.leader_at.get(at(doc, res, "Støre", 1)) == "Jonas Gahr Støre"


def test_he_is_the_leader_who_was_the_subject(resolve_text: Resolve) -> None:
    doc, res = resolve_text(
        "French President Emmanuel Macron received Polish President Karol Nawrocki. "
        "He said the talks were useful."
    )
    assert res.person_at.get(at(doc, res, "He")) == "Emmanuel Macron"


def test_it_is_the_state_that_was_the_subject(resolve_text: Resolve) -> None:
    doc, res = resolve_text("Sweden said it would decide in May.")
    assert res.refers_to.get(at(doc, res, "it")) == (Actor("state", "SE"),)


def test_they_are_the_states_named_together(resolve_text: Resolve) -> None:
    doc, res = resolve_text("Greece and Cyprus said they would decide in May.")
    assert set(res.refers_to.get(at(doc, res, "they"), ())) == {
        Actor("state", "GR"),
        Actor("state", "CY"),
    }


def test_a_quotation_belongs_to_its_attributed_speaker(resolve_text: Resolve) -> None:
    doc, res = resolve_text(
        '"We are ready. We will decide soon," Czech Prime Minister Andrej Babiš said.'
    )
    first_we = at(doc, res, "We", 0)
    assert res.speakers[first_we].leader == "Andrej Babiš"
    assert res.refers_to[first_we] == (Actor("state", "CZ"),)


def test_a_group_of_speakers_speaks_for_its_states(resolve_text: Resolve) -> None:
    doc, res = resolve_text(
        'The foreign ministers of Latvia and Estonia said: "We will keep our promises."'
    )
    assert set(res.refers_to[at(doc, res, "We")]) == {Actor("state", "LV"), Actor("state", "EE")}


def test_transcript_labels_give_the_speaker_of_each_turn(resolve_text: Resolve) -> None:
    doc, res = resolve_text(
        "Foreign Minister Elina Valtonen of Finland took questions.\n"
        "QUESTION: What will you send?\n"
        "MINISTER VALTONEN: We will send more ammunition.\n"
        "MODERATOR (off microphone): Next question."
    )
    assert res.speakers[at(doc, res, "We")].leader == "Elina Valtonen"
    assert res.speakers[at(doc, res, "What")].acts_for_nobody
    assert res.speakers[at(doc, res, "Next")].acts_for_nobody


def test_answers_of_an_interview_are_the_interviewee_s(resolve_text: Resolve) -> None:
    doc, res = resolve_text(
        "An interview with Lithuanian President Gitanas Nausėda\n"
        "Q: Will Lithuania send soldiers?\n"
        "A: We are ready to send a company."
    )
    assert res.refers_to[at(doc, res, "We")] == (Actor("state", "LT"),)


def test_an_interview_title_without_a_name_takes_the_leader_its_opening_names(
    resolve_text: Resolve,
) -> None:
    doc, res = resolve_text(
        "Interview with the President of Lithuania\n"
        "President Gitanas Nausėda received us in Vilnius.\n"
        "Q: Will Lithuania send soldiers?\n"
        "A: We are ready to send a company."
    )
    assert res.refers_to[at(doc, res, "We")] == (Actor("state", "LT"),)


def test_an_interview_without_labels_answers_after_each_question(resolve_text: Resolve) -> None:
    doc, res = resolve_text(
        "An interview with the Slovenian prime minister\n\n"
        "The prime minister received us in Ljubljana.\n\n"
        "Will Slovenia send engineers?\n\n"
        "We are ready to send a demining team.\n\n"
        "And money?\n\n"
        "We have given enough."
    )
    slovenia = (Actor("state", "SI"),)
    answers = [t for t in doc if t.text == "We"]
    assert [res.refers_to.get(t.i) for t in answers] == [slovenia, slovenia]
    assert not any(t.i in res.speakers for t in doc if t.text == "received")


def test_one_question_in_a_report_makes_no_interview(resolve_text: Resolve) -> None:
    doc, res = resolve_text(
        "In an interview, the Slovenian prime minister asked: is Europe ready?\n\n"
        "We will see, said a Croatian diplomat."
    )
    assert at(doc, res, "We") not in res.speakers


def test_the_country_in_narration_is_the_state_of_the_subject_before(
    resolve_text: Resolve,
) -> None:
    doc, res = resolve_text(
        "Latvia's parliament passed the budget on Monday. The country will also buy radars."
    )
    assert res.refers_to[at(doc, res, "country")] == (Actor("state", "LV"),)


def test_we_of_a_joint_statement_is_every_signatory(resolve_text: Resolve) -> None:
    doc, res = resolve_text(
        "Joint statement of Norway and Iceland\nWe support a just peace.",
        title="Joint statement of Norway and Iceland",
    )
    assert set(res.refers_to[at(doc, res, "We")]) == {Actor("state", "NO"), Actor("state", "IS")}


def test_we_of_an_official_release_is_the_publishing_state(resolve_text: Resolve) -> None:
    doc, res = resolve_text(
        "We will continue our support.", publisher="Office of the President of Ukraine"
    )
    assert res.refers_to[at(doc, res, "We")] == (Actor("state", "UA"),)


def test_her_government_is_her_state(resolve_text: Resolve) -> None:
    doc, res = resolve_text(
        "Latvian Prime Minister Evika Siliņa said her government would decide in May."
    )
    assert res.refers_to[at(doc, res, "government")] == (Actor("state", "LV"),)


def test_the_resolution_cannot_be_changed(resolve_text: Resolve) -> None:
    _, res = resolve_text("Sweden said it would decide in May.")
    with pytest.raises(FrozenInstanceError):
        res.author = "someone"  # type: ignore[misc]
    with pytest.raises(TypeError):
        res.refers_to[0] = ()  # type: ignore[index]
