"""Cleaning: page furniture, other-language passages, trailing sections and reference dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from kg.clean import clean_text, detect_language, infer_reference_date, paragraph_language
from kg.pipeline import prepare
from kg.records import Article, Extraction
from kg.sources import SourceError, read_file

ExtractText = Callable[[str], Extraction]

BODY = [
    "Spanish Prime Minister Pedro Sánchez raised the possibility of Spanish troops in Ukraine.",
    "Italy would not send troops to Ukraine, its prime minister said.",
    "Germany would decide later once the details of the mission are clearer.",
]


def test_furniture_lines_are_dropped_and_counted() -> None:
    text = "\n".join(
        [
            BODY[0],
            "Subscribe to the Weekly Newsletter from Spain in English.",
            "Click here to get your business activity listed on our DIRECTORY.",
            "3 min read",
            BODY[1],
            "pic.twitter.com/dImjjTk0HB",
            "Advertisement",
            BODY[2],
        ]
    )
    cleaned = clean_text(text)
    assert cleaned.paragraphs == tuple(BODY)
    assert cleaned.furniture_dropped == 5
    assert cleaned.language == "en"


def test_other_language_passages_are_left_out_and_counted() -> None:
    spanish = (
        "La Coalición de Voluntarios hemos debatido hoy en París el plan de garantías de "
        "seguridad para Ucrania."
    )
    cleaned = clean_text("\n".join([BODY[0], spanish, BODY[1]]))
    assert cleaned.paragraphs == (BODY[0], BODY[1])
    assert cleaned.passages_skipped == 1


def test_trailing_section_is_cut_after_enough_body() -> None:
    tail = ["Related articles", "Russia strikes Kyiv overnight as talks stall in Geneva."]
    cleaned = clean_text("\n".join([*BODY, *tail]))
    assert cleaned.paragraphs == tuple(BODY)


def test_trailing_heading_before_enough_body_is_not_a_cut() -> None:
    text = "\n".join([BODY[0], "Related articles", BODY[1]])
    assert BODY[1] in clean_text(text).paragraphs


def test_headings_stay_verbatim_and_whitespace_is_folded() -> None:
    cleaned = clean_text("Coalition   signs the declaration in Paris\r\n\r\n" + BODY[0])
    assert cleaned.paragraphs[0] == "Coalition signs the declaration in Paris"
    assert cleaned.text == "\n".join(cleaned.paragraphs)


def test_hard_wrapped_lines_join_into_their_paragraph() -> None:
    wrapped = (
        "Greece will send two frigates to the Aegean mission once a\n"
        "ceasefire holds, its defence minister told reporters on a visit to\n"
        "Athens on Monday, adding that a decision on submarines would come\n"
        "later in the year.\n\n"
        "Short line\n"
    )
    cleaned = clean_text(wrapped)
    assert cleaned.paragraphs[0].startswith("Greece will send two frigates")
    assert cleaned.paragraphs[0].endswith("later in the year.")
    assert cleaned.paragraphs[1] == "Short line"


def test_a_signature_list_keeps_a_line_for_each_name() -> None:
    signed = (
        "Karl Huber, Minister of Defence of Austria\n"
        "Anna Berg, Minister of Defence of Sweden\n"
        "Jan Peeters, Minister for Defence of Belgium\n"
    )
    assert list(clean_text(signed).paragraphs) == [
        "Karl Huber, Minister of Defence of Austria",
        "Anna Berg, Minister of Defence of Sweden",
        "Jan Peeters, Minister for Defence of Belgium",
    ]


def test_header_lines_down_to_the_date_stay_apart() -> None:
    text = (
        "Statement on the call between the Prime Ministers of Norway and Iceland\n"
        "Office of the Prime Minister\n"
        "Published 4 May 2026\n\n"
        "The prime ministers spoke by phone on Monday.\n"
    )
    cleaned = clean_text(text)
    assert list(cleaned.paragraphs[:3]) == [
        "Statement on the call between the Prime Ministers of Norway and Iceland",
        "Office of the Prime Minister",
        "Published 4 May 2026",
    ]


def test_a_body_line_with_a_date_is_no_header() -> None:
    wrapped = (
        "Greece will send two frigates to the Aegean mission once a\n"
        "ceasefire holds, its defence minister told reporters on\n"
        "September 4, 2026, adding that a decision would come later.\n"
    )
    (paragraph,) = clean_text(wrapped).paragraphs
    assert paragraph.endswith("would come later.")


def test_markdown_marks_are_read_as_plain_text() -> None:
    text = (
        "# Allies meet\n\n"
        "**Norway** will send [two ships](https://example.org/ships) to the mission."
    )
    assert clean_text(text).paragraphs == (
        "Allies meet",
        "Norway will send two ships to the mission.",
    )


def test_language_detection() -> None:
    assert (
        detect_language("The ministers met in Brussels on Thursday to discuss troops.")[0] == "en"
    )
    german = "Der Bundeskanzler sagte, Deutschland werde später über die Truppen entscheiden."
    assert detect_language(german)[0] == "de"
    assert paragraph_language(german) != "en"
    assert paragraph_language(BODY[2]) == "en"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Talks on Jan. 6, 2026 followed the 2025-12-28 meeting.", date(2026, 1, 6)),
        ("Signed on 6 January 2026 in Paris.", date(2026, 1, 6)),
        ("The summit of September 4, 2025 and the call of 2025-03-02.", date(2025, 9, 4)),
        ("The plan for 2031-01-01 and the meeting of 2025-05-05.", date(2025, 5, 5)),
        ("On Monday the ministers met in Paris.", None),
    ],
)
def test_reference_date_is_the_latest_full_date_not_after_today(
    text: str, expected: date | None
) -> None:
    assert infer_reference_date(text, today=date(2026, 2, 1)) == expected


def test_prepare_uses_the_header_date_before_dates_in_the_text() -> None:
    article = Article(text=BODY[0] + " The talks of 2025-03-02 came first.", origin="a.txt")
    assert prepare(article).reference_date == date(2025, 3, 2)
    dated = Article(text=article.text, origin="a.txt", published=date(2026, 1, 7))
    assert prepare(dated).reference_date == date(2026, 1, 7)


def test_article_in_another_language_is_a_clear_error() -> None:
    text = "\n".join(
        [
            "Le président français a annoncé que plusieurs milliers de soldats seraient déployés.",
            "La Coalition des volontaires s'est réunie à Paris pour discuter des garanties.",
        ]
    )
    with pytest.raises(SourceError) as caught:
        prepare(Article(text=text, origin="fr.txt"))
    assert str(caught.value).startswith("fr.txt: ")
    assert "English" in str(caught.value)


def test_article_of_only_furniture_is_a_clear_error() -> None:
    with pytest.raises(SourceError, match="no article text left"):
        prepare(Article(text="Click here to subscribe.\nAdvertisement\n3 min read", origin="x"))


def test_seed_with_a_spanish_tweet_keeps_its_english_body(seeds_dir: Path) -> None:
    [path] = seeds_dir.glob("000_*.txt")
    [article], _ = read_file(path, 1_000_000)
    prepared = prepare(article)
    assert prepared.language == "en"
    assert prepared.passages_skipped >= 1
    assert "Coalición" not in prepared.text
    assert "Subscribe to the Weekly Newsletter" not in prepared.text
    assert "Sánchez" in prepared.text


def test_other_language_passages_are_left_out(extract_text: ExtractText) -> None:
    found = extract_text(
        "date: 2026-01-10\n\n"
        "Denmark will send two frigates to the mission, the government said.\n"
        "Tysk kansler Friedrich Merz har signaleret involvering af tyske soldater i Ukraine.\n"
    )
    assert found.passages_skipped == 1
    assert "Tysk" not in found.clean_text
    assert {p.actor.key for p in found.pledges} == {"DK"}
