"""Meetings, one mechanism at a time, on texts written for these tests: which words report a
meeting held, where and when it was, and who took part."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from kg.rdf import meeting_iri
from kg.records import ContributionType as T
from kg.records import Extraction, Stance

ExtractText = Callable[[str], Extraction]


def meetings(extraction: Extraction) -> set[tuple[str | None, date | None, frozenset[str]]]:
    return {
        (m.location, m.date, frozenset(a.key for a in m.participants if a.is_state))
        for m in extraction.meetings
    }


def run(extract_text: ExtractText, text: str, day: str = "2026-03-10") -> Extraction:
    return extract_text(f"date: {day}\n\n{text}")


D = date.fromisoformat

# (mechanism, article date, text, exactly the meetings expected)
CASES: list[tuple[str, str, str, set[tuple[str | None, date | None, frozenset[str]]]]] = [
    (
        "a state that owns a venue is not where it is",
        "2026-03-10",
        "The defence ministers of Latvia and Estonia met at the U.S. air base in Ramstein on "
        "Monday.",
        {("Ramstein", D("2026-03-09"), frozenset({"LV", "EE"}))},
    ),
    (
        "the dateline's town rather than a region, and the dateline is no subject",
        "2026-03-10",
        "BANFF, Alberta - The prime ministers of Latvia and Estonia met in the Canadian "
        "Rockies on Monday.",
        {("Banff", D("2026-03-09"), frozenset({"LV", "EE"}))},
    ),
    (
        "a day counted from the main clause's: the day after",
        "2026-03-13",
        "The Latvian defence minister spoke in Riga on Friday, the day after the defence "
        "ministers of Latvia and Estonia met in Tallinn.",
        {("Tallinn", D("2026-03-12"), frozenset({"LV", "EE"}))},
    ),
    (
        "a day counted from the article's: five days after",
        "2026-03-13",
        "The decision came five days after the defence ministers of Latvia and Estonia met "
        "in Tallinn.",
        {("Tallinn", D("2026-03-08"), frozenset({"LV", "EE"}))},
    ),
    (
        "that night: the day of the sentence before",
        "2026-03-13",
        "The prime ministers of Latvia and Estonia met in Tallinn on Wednesday. Late that "
        "night the Estonian prime minister was received by the Finnish president in Helsinki.",
        {
            ("Tallinn", D("2026-03-11"), frozenset({"LV", "EE"})),
            ("Helsinki", D("2026-03-11"), frozenset({"EE", "FI"})),
        },
    ),
    (
        "those present at the meeting noun",
        "2026-03-10",
        "The President of Finland, Alexander Stubb, and the Prime Minister of Sweden, Ulf "
        "Kristersson, chaired a meeting of Nordic leaders in Helsinki on Monday, in the presence "
        "of President Volodymyr Zelenskyy.",
        {("Helsinki", D("2026-03-09"), frozenset({"FI", "SE", "UA"}))},
    ),
    (
        "talks held by some with others somewhere, told inside another meeting's sentence",
        "2026-03-12",
        "President Alexander Stubb met Prime Minister Evika Silina in Helsinki today.\n\n"
        "The conversation focused on a draft revised after the consultations held by the US "
        "representatives with the Ukrainian delegation in Geneva on Sunday.\n\n"
        "Following the meeting, Silina spoke to reporters.",
        {
            ("Helsinki", D("2026-03-12"), frozenset({"FI", "LV"})),
            ("Geneva", D("2026-03-08"), frozenset({"US", "UA"})),
        },
    ),
    (
        "the leaders of a sentence that says where and when, when the parse ties nobody",
        "2026-03-12",
        "Today, President Donald J. Trump hosted President Alar Karis of Estonia for a "
        "bilateral meeting in the Oval Office.",
        {("Washington", D("2026-03-12"), frozenset({"US", "EE"}))},
    ),
    (
        "those who sat down somewhere for talks",
        "2026-03-10",
        "Latvian, Estonian and Finnish delegations sat down in Geneva on Monday for talks on "
        "air defence.",
        {("Geneva", D("2026-03-09"), frozenset({"LV", "EE", "FI"}))},
    ),
    (
        "joined by others on another day: the same place again",
        "2026-03-11",
        "The talks began on Monday in Riga, where Evika Silina spent five hours with Alar "
        "Karis.\n\nOn Tuesday evening Silina and Karis were joined by Alexander Stubb.",
        {
            ("Riga", D("2026-03-09"), frozenset({"LV", "EE"})),
            ("Riga", D("2026-03-10"), frozenset({"LV", "EE", "FI"})),
        },
    ),
    (
        "the place of a clause that says who hosted the meeting",
        "2026-03-10",
        "The conference Alexander Stubb hosted in Helsinki on Monday evening gathered some "
        "twenty leaders, among them Latvia's Evika Silina and Estonia's Kristen Michal.",
        {("Helsinki", D("2026-03-09"), frozenset({"FI", "LV", "EE"}))},
    ),
    (
        "standing beside a leader: a joint appearance where the dateline says",
        "2026-03-10",
        "AALBORG, Denmark, March 8 (Agency) - Denmark will give ten tanks to Ukraine, Danish "
        "Prime Minister Mette Frederiksen said on Sunday, standing beside President Volodymyr "
        "Zelensky at an air base.",
        {("Aalborg", D("2026-03-08"), frozenset({"DK", "UA"}))},
    ),
    (
        "this morning we were received: where the speaker is, that day",
        "2026-03-10",
        "Riga, Latvia\n\nFOREIGN MINISTER BRAZE: Good afternoon. This morning we were received "
        "by President Edgars Rinkevics, and we have just finished our talks.\n\n"
        "MODERATOR: First question.\n\nQUESTION: Will Latvia send troops?",
        {("Riga", D("2026-03-10"), frozenset({"LV"}))},
    ),
    (
        "a virtual meeting is a call",
        "2026-03-10",
        "Latvian Prime Minister Evika Silina joined a virtual meeting of Nordic and Baltic "
        "leaders today, convened by Estonian Prime Minister Kristen Michal.",
        {("virtual", D("2026-03-10"), frozenset({"LV", "EE"}))},
    ),
    (
        "a thing that arrives is a delivery, not a visit",
        "2026-03-10",
        "The first air defence system provided by Latvia arrived in Estonia this week.",
        set(),
    ),
    (
        "welcomed someone to a place",
        "2026-03-10",
        "President Alar Karis welcomed President Evika Silina of Latvia to Tallinn today.",
        {("Tallinn", D("2026-03-10"), frozenset({"EE", "LV"}))},
    ),
    (
        "a statement's authors after a meeting held somewhere, the parser hanging 'held' above",
        "2026-03-10",
        "Joint statement by the Defence Ministers of Estonia and Latvia, following the 28th "
        "meeting of the Contact Group, held today at NATO Headquarters in Brussels.",
        {("Brussels", D("2026-03-10"), frozenset({"EE", "LV"}))},
    ),
    (
        "met with",
        "2026-03-10",
        "Latvian Foreign Minister Baiba Braže met Ukrainian Foreign Minister Andrii Sybiha in "
        "Riga on 3 March.",
        {("Riga", D("2026-03-03"), frozenset({"LV", "UA"}))},
    ),
    (
        "talks on a state are about it, not held there",
        "2026-03-10",
        "Belgian Prime Minister Bart De Wever received Irish Taoiseach Micheál Martin in "
        "Brussels on 4 March for talks on Moldova.",
        {("Brussels", D("2026-03-04"), frozenset({"BE", "IE"}))},
    ),
    (
        "a meeting prepared for is still to come",
        "2026-03-10",
        "The two foreign ministers discussed preparations for the summit in Vilnius.",
        set(),
    ),
    (
        "a meeting in the run-up to another: only the one held",
        "2026-03-10",
        "In the run-up to the summit in Vilnius, Latvian Foreign Minister Baiba Braže met "
        "Lithuanian Foreign Minister Kęstutis Budrys in Riga on Monday.",
        {("Riga", D("2026-03-09"), frozenset({"LV", "LT"}))},
    ),
    (
        "'spoke with' in the body is the call of the title",
        "2026-03-10",
        "Readout of the Prime Minister's Call with the President of Finland\n\n"
        "Prime Minister Donald Tusk of Poland spoke today with President Alexander Stubb of "
        "Finland about air defence.",
        {("telephone", D("2026-03-10"), frozenset({"PL", "FI"}))},
    ),
    (
        "a guest's relative clause says where the talks were",
        "2026-03-10",
        "The Hungarian prime minister held talks with Prime Minister of Slovakia Robert Fico, "
        "who is in Hungary on a working visit, on 5 March.",
        {("Hungary", D("2026-03-05"), frozenset({"HU", "SK"}))},
    ),
    (
        "a weekday of the article's own day",
        "2026-03-10",  # a Tuesday
        "Polish Prime Minister Donald Tusk met Lithuanian President Gitanas Nausėda in Vilnius "
        "on Tuesday.",
        {("Vilnius", D("2026-03-10"), frozenset({"PL", "LT"}))},
    ),
    (
        "a weekday before the article's day",
        "2026-03-10",
        "Estonian Prime Minister Kristen Michal received the Finnish president in Tallinn on "
        "Monday.",
        {("Tallinn", D("2026-03-09"), frozenset({"EE", "FI"}))},
    ),
    (
        "a dateline gives the place",
        "2026-05-05",
        "VILNIUS, May 5 (Wire) - The Lithuanian and Polish presidents held talks on Tuesday "
        "about air defence.",
        {("Vilnius", D("2026-05-05"), frozenset({"LT", "PL"}))},
    ),
    (
        "a readout without a date is of the article's day",
        "2026-03-10",
        "Secretary of State Marco Rubio met with the Foreign Minister of Moldova in Chisinau. "
        "They discussed energy security.",
        {("Chisinau", D("2026-03-10"), frozenset({"US", "MD"}))},
    ),
    (
        "a visit, received by the host",
        "2026-03-14",
        "Swiss President Guy Parmelin arrived in Kyiv on Friday and was received by President "
        "Volodymyr Zelensky.",
        {("Kyiv", D("2026-03-13"), frozenset({"CH", "UA"}))},
    ),
    (
        "a summit with a list of states",
        "2026-06-20",
        "A summit in Madrid on 9 June was attended by the leaders of Spain, Portugal and Italy.",
        {("Madrid", D("2026-06-09"), frozenset({"ES", "PT", "IT"}))},
    ),
    (
        "a joint press conference",
        "2026-03-10",
        "At a joint press conference in Oslo on Monday, Norwegian Prime Minister Jonas Gahr "
        "Støre and Canadian Prime Minister Mark Carney spoke about Arctic security.",
        {("Oslo", D("2026-03-09"), frozenset({"NO", "CA"}))},
    ),
    (
        "one leader before the press is no meeting",
        "2026-03-10",
        "German Chancellor Friedrich Merz told a press conference in Berlin on Monday that "
        "Germany would buy more air defence systems.",
        set(),
    ),
    (
        "a call",
        "2026-03-10",
        "Polish Prime Minister Donald Tusk spoke by phone with Moldovan President Maia Sandu on "
        "Sunday.",
        {("telephone", D("2026-03-08"), frozenset({"PL", "MD"}))},
    ),
    (
        "a video call",
        "2026-03-10",
        "Belgian Prime Minister Bart De Wever and Irish Taoiseach Micheál Martin held a video call "
        "on Monday.",
        {("virtual", D("2026-03-09"), frozenset({"BE", "IE"}))},
    ),
    (
        "on the sidelines of another event",
        "2026-06-26",
        "Romanian President Nicușor Dan met Czech President Petr Pavel on the sidelines of the "
        "NATO summit in The Hague on June 24.",
        {("The Hague", D("2026-06-24"), frozenset({"RO", "CZ"}))},
    ),
    (
        "a venue resolves to its city",
        "2026-03-10",
        "French President Emmanuel Macron welcomed Austrian Chancellor Christian Stocker at the "
        "Elysee Palace on Monday.",
        {("Paris", D("2026-03-09"), frozenset({"FR", "AT"}))},
    ),
    (
        "states as the parties",
        "2026-03-10",
        "Moldova and Romania held talks on energy links in Iasi on 4 March.",
        {("Iasi", D("2026-03-04"), frozenset({"MD", "RO"}))},
    ),
    (
        "two meetings in one sentence",
        "2026-03-10",
        "Swedish Prime Minister Ulf Kristersson met Danish Prime Minister Mette Frederiksen in "
        "Copenhagen on 2 March and travelled on to Oslo, where he held talks with Norwegian Prime "
        "Minister Jonas Gahr Støre on 3 March.",
        {
            ("Copenhagen", D("2026-03-02"), frozenset({"SE", "DK"})),
            ("Oslo", D("2026-03-03"), frozenset({"SE", "NO"})),
        },
    ),
    (
        "a meeting to come is not held",
        "2026-03-10",
        "The foreign ministers of Greece and Cyprus will meet in Athens next week.",
        set(),
    ),
    (
        "a postponed meeting is not held",
        "2026-03-10",
        "A meeting of the Polish and Hungarian prime ministers in Budapest planned for Friday "
        "has been postponed.",
        set(),
    ),
    (
        "a hoped-for meeting is not held",
        "2026-03-10",
        "The Croatian president had hoped to meet the Serbian president in Zagreb, but no "
        "meeting took place.",
        set(),
    ),
    (
        "an offer to host is not a meeting",
        "2026-03-10",
        "Switzerland has offered to host talks between Armenia and Azerbaijan in Geneva.",
        set(),
    ),
    (
        "a month is not a place",
        "2026-05-20",
        "Meeting in May for their yearly consultations, the Czech and Slovak prime ministers held "
        "talks in Bratislava on May 18.",
        {("Bratislava", D("2026-05-18"), frozenset({"CZ", "SK"}))},
    ),
    (
        "those who attended, with nothing attended named",
        "2026-03-10",
        "Ministers met in Tallinn on Monday. Finland and Norway attended.",
        {("Tallinn", D("2026-03-09"), frozenset({"FI", "NO"}))},
    ),
    (
        "hosting 'here' is the meeting told before",
        "2026-03-10",
        "Ministers gathered in Vilnius on Monday. Gitanas Nauseda hosted the ministers here.",
        {("Vilnius", D("2026-03-09"), frozenset({"LT"}))},
    ),
    (
        "those present, on a verb coordinated with the meeting verb",
        "2026-03-10",
        "Ministers met in Riga on Monday and adopted a plan, with Maia Sandu in attendance.",
        {("Riga", D("2026-03-09"), frozenset({"MD"}))},
    ),
    (
        "in the presence of",
        "2026-03-10",
        "Ministers met in Riga on Monday in the presence of Maia Sandu.",
        {("Riga", D("2026-03-09"), frozenset({"MD"}))},
    ),
    (
        "what is done ahead of a meeting is no meeting held",
        "2026-03-10",
        "The ministers aligned their positions on Monday ahead of the summit in Vilnius.",
        set(),
    ),
    (
        "attending with nothing before is no meeting",
        "2026-03-10",
        "Finland and Norway attended.",
        set(),
    ),
    (
        "a meeting looked forward to is still to come",
        "2026-03-10",
        "The two presidents look forward to meeting again in Vilnius in May.",
        set(),
    ),
    (
        "sitting down with someone is meeting them",
        "2026-03-10",
        "The Estonian prime minister sat down in Riga on Monday with the Latvian prime minister.",
        {("Riga", D("2026-03-09"), frozenset({"EE", "LV"}))},
    ),
    (
        "the two men: the last two leaders named",
        "2026-03-10",
        "Prime Minister Kristen Michal told President Edgars Rinkēvičs on Monday that Estonia "
        "would help. The two men met in Riga on Monday.",
        {("Riga", D("2026-03-09"), frozenset({"EE", "LV"}))},
    ),
    (
        "the two men: named before them in their own sentence",
        "2026-03-10",
        "President Alar Karis phoned President Edgars Rinkēvičs, two days after the two men "
        "met in Riga.",
        {
            ("Riga", D("2026-03-08"), frozenset({"EE", "LV"})),
            ("telephone", D("2026-03-10"), frozenset({"EE", "LV"})),
        },
    ),
    (
        "a bare participle after a comma says where the meeting before it was held",
        "2026-03-10",
        "The Latvian prime minister took part today in the meeting of the Baltic leaders, held "
        "at the castle in Riga.",
        {("Riga", D("2026-03-10"), frozenset({"LV"}))},
    ),
    (
        "attending in person names how, not what: they were at the meeting before",
        "2026-03-10",
        "The Baltic leaders met in Riga today. Prime Minister of Estonia Kristen Michal and "
        "Prime Minister of Lithuania Inga Ruginienė attended in person.",
        {("Riga", D("2026-03-10"), frozenset({"EE", "LT"}))},
    ),
    (
        "those who emerge from a meeting were in it",
        "2026-03-10",
        "Latvian and Estonian negotiators emerged from two days of talks in Riga on Monday.",
        {("Riga", D("2026-03-09"), frozenset({"LV", "EE"}))},
    ),
    (
        "leaders of several states who sign something together somewhere met",
        "2026-03-10",
        "In Vilnius on Monday, President Gitanas Nausėda and President Alar Karis signed a "
        "defence pact. President Alar Karis signed a decree in Tallinn on Sunday.",
        {("Vilnius", D("2026-03-09"), frozenset({"LT", "EE"}))},
    ),
    (
        "a meeting days after an event keeps its own day",
        "2026-03-13",
        "Ministers meeting in Riga on Wednesday pledged more aid, two days after the storm.",
        {("Riga", D("2026-03-11"), frozenset())},
    ),
    (
        "a meeting named after 'days after' is counted back",
        "2026-03-13",
        "The decision came three days after the summit of Latvia and Estonia in Riga.",
        {("Riga", D("2026-03-10"), frozenset({"LV", "EE"}))},
    ),
    (
        "a meeting's own day wins over a count from another event",
        "2026-03-13",
        "The decision came five days after last Monday's meeting of Latvia and Estonia in Riga.",
        {("Riga", D("2026-03-09"), frozenset({"LV", "EE"}))},
    ),
    (
        "a label with a dash after the lead is no dateline",
        "2026-03-13",
        "Since Monday's meeting of Latvia and Estonia in Riga, much has changed in the "
        "region.\n\nLATVIA - The government will decide in April.",
        {("Riga", D("2026-03-09"), frozenset({"LV", "EE"}))},
    ),
    (
        "the capital a state's name is on is that state's capital",
        "2026-03-10",
        "On Monday the Estonian defence minister met Latvian officials in the Polish capital.",
        {("Warsaw", D("2026-03-09"), frozenset({"EE", "LV"}))},
    ),
    (
        "a 'with' the parser hung on the place still names who sat down together",
        "2026-03-10",
        "On Monday the Estonian delegation sat down in a Riga hotel with Latvian negotiators.",
        {("Riga", D("2026-03-09"), frozenset({"EE", "LV"}))},
    ),
    (
        "talks a speaker speaks after were where the speaker speaks",
        "2026-03-10",
        "The Estonian prime minister said in Riga on Monday after talks with the Latvian "
        "prime minister that both would help.",
        {("Riga", D("2026-03-09"), frozenset({"EE", "LV"}))},
    ),
    (
        "someone who was in a place on a day in a leader's company was on a visit",
        "2026-03-10",
        "Q: You were in Riga on Monday with President Alar Karis. What came of it? The "
        "Latvian prime minister was in Riga on Sunday.",
        {("Riga", D("2026-03-09"), frozenset({"EE", "LV"}))},
    ),
    (
        "'glad to welcome' welcomes as it says so; 'agreed to meet' is still to come",
        "2026-03-10",
        "I am pleased to welcome President Alar Karis to Riga today, the Latvian president "
        "said. The two presidents agreed to meet again in Vilnius.",
        {("Riga", D("2026-03-10"), frozenset({"EE"}))},
    ),
    (
        "a dateline's region may be abbreviated",
        "2026-03-10",
        "ALBANY, N.Y. \u2014 The prime ministers of Latvia and Estonia met in the Catskill "
        "Mountains on Monday.",
        {("Albany", D("2026-03-09"), frozenset({"LV", "EE"}))},
    ),
]


@pytest.mark.parametrize(("mechanism", "day", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_meeting_mechanism(
    extract_text: ExtractText,
    mechanism: str,
    day: str,
    text: str,
    expected: set[tuple[str | None, date | None, frozenset[str]]],
) -> None:
    assert meetings(run(extract_text, text, day)) == expected, mechanism


def test_title_and_body_are_one_meeting(extract_text: ExtractText) -> None:
    text = (
        "title: Zelensky met the Prime Minister of Portugal in Kyiv\ndate: 2026-03-10\n\n"
        "President Volodymyr Zelensky met with Portuguese Prime Minister Luís Montenegro, who "
        "is on a visit to Ukraine. The meeting focused on reconstruction."
    )
    (meeting,) = extract_text(text).meetings
    assert (meeting.location, meeting.date) == ("Kyiv", date(2026, 3, 10))
    assert {a.key for a in meeting.participants} == {"UA", "PT"}
    assert len(meeting.evidence) >= 2


def test_the_meeting_refers_back(extract_text: ExtractText) -> None:
    text = (
        "Defence ministers of the Baltic states met in Riga on 5 March. After the meeting, "
        "Estonia said it would send more ammunition."
    )
    found = run(extract_text, text)
    (meeting,) = found.meetings
    (pledge,) = found.pledges
    assert pledge.meeting_key == meeting.key and pledge.date == date(2026, 3, 5)


def test_the_venue_is_kept_and_one_meeting_node_is_shared(extract_text: ExtractText) -> None:
    at_venue = run(
        extract_text,
        "French President Emmanuel Macron welcomed Austrian Chancellor Christian Stocker at the "
        "Elysee Palace on 9 March.",
    )
    in_city = run(
        extract_text,
        "Austrian Chancellor Christian Stocker met French President Emmanuel Macron in Paris on "
        "9 March.",
    )
    (venue,), (city,) = at_venue.meetings, in_city.meetings
    assert venue.venue == "Elysee Palace" and city.venue is None
    assert meeting_iri(venue, "a") == meeting_iri(city, "b")


def test_calls_on_one_day_are_told_apart_by_their_parties(extract_text: ExtractText) -> None:
    first = run(extract_text, "Donald Tusk spoke by phone with Maia Sandu on Monday.")
    second = run(extract_text, "Donald Tusk spoke by phone with Keir Starmer on Monday.")
    (a,), (b,) = first.meetings, second.meetings
    assert a.date == b.date and meeting_iri(a, "x") != meeting_iri(b, "y")


def test_capital_is_a_place_for_meetings_and_an_actor_as_subject(
    extract_text: ExtractText,
) -> None:
    found = extract_text(
        "date: 2026-01-10\n\n"
        "Leaders met in Paris on 6 January. Rome would not send troops, officials said."
    )
    (meeting,) = found.meetings
    assert meeting.location == "Paris" and meeting.host == "FR"
    assert ("IT", Stance.DECLINED, T.GROUND_TROOPS) in {
        (p.actor.key, p.stance, t) for p in found.pledges for t in p.types
    }
    assert all(p.actor.key != "FR" for p in found.pledges)


def test_same_meeting_mentioned_twice_is_one(extract_text: ExtractText) -> None:
    found = extract_text(
        "date: 2026-01-10\n\n"
        "On 6 January, a summit was held in Paris. Spain took part in the summit. "
        "After the summit, France said it would send troops."
    )
    (meeting,) = found.meetings
    assert meeting.date == date(2026, 1, 6)
    pledge = next(p for p in found.pledges if p.actor.key == "FR")
    assert pledge.meeting_key == meeting.key and pledge.date == date(2026, 1, 6)


def test_the_day_after_read_with_after_on_the_day(extract_text: ExtractText) -> None:
    """ "on Friday, the day after the coalition met in Tallinn", parsed with "after" hanging on
    "day": the meeting was on Thursday."""
    found = run(
        extract_text,
        "Andris Spruds, Latvia's defence minister, spoke to a reporter in Riga on Friday, the day "
        "after the coalition of the willing met in Tallinn.",
        "2026-03-14",
    )
    assert {(m.location, m.date) for m in found.meetings} == {("Tallinn", D("2026-03-12"))}


def test_a_title_alone_in_a_state_office_s_readout_is_that_state(
    extract_text: ExtractText,
) -> None:
    """ "The Prime Minister welcomed ..." in the Estonian government's readout: Estonia's."""
    found = extract_text(
        "date: 2026-03-10\npublisher: Government of Estonia\n\n"
        "The Prime Minister welcomed President Evika Silina of Latvia to Tallinn this afternoon."
    )
    assert meetings(found) == {("Tallinn", D("2026-03-10"), frozenset({"EE", "LV"}))}


def test_a_dateline_after_the_title_is_no_subject(extract_text: ExtractText) -> None:
    """The dateline of an article with a title line is split off as in one without."""
    found = extract_text(
        "title: Baltic leaders meet\ndate: 2026-03-10\n\n"
        "BANFF, Alberta - The prime ministers of Latvia and Estonia met in the Canadian "
        "Rockies on Monday."
    )
    assert meetings(found) == {("Banff", D("2026-03-09"), frozenset({"LV", "EE"}))}
    [meeting] = found.meetings
    assert all(not e.startswith("BANFF") for e in meeting.evidence), meeting.evidence
