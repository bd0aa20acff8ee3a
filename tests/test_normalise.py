"""Text normalised for comparing and hashing: the keys stored hashes and IRIs are made of stay
what they were, and each normaliser folds exactly what its purpose needs."""

from __future__ import annotations

import pytest

from kg.identity import content_hash, source_id
from kg.normalise import fold, fold_words, normalise_text, slugify, words
from kg.records import Article
from kg.similarity import text_hash

TEXT = "Spain  will send\u00a0troops to Ukraine,\nthe prime minister said."


def test_stored_hashes_do_not_move() -> None:
    """Hashes already in stores: a change here makes every stored source read as changed."""
    assert text_hash(TEXT) == "105bc81edbcf0a97c9a044f7a376ae1bf837e1fe72fb60883df9a549b4236f3c"
    by_text = Article(TEXT, "a.txt")
    assert source_id(by_text) == "382a1bd785d118f5"
    assert content_hash(by_text) == (
        "5e22754f6e9aee66e379271e55cc0d05d6089379157e7138dc8cdb986484d4c4"
    )
    by_url = Article(TEXT, "a.txt", url="https://example.org/a")
    assert source_id(by_url) == "b5b10dd0429e69ac"
    assert content_hash(by_url) == (
        "6d30d9ca83167e4991572e383acdf9de671edce51572507a022d158997b205ca"
    )


def test_identity_text_keeps_case_and_punctuation() -> None:
    assert normalise_text(" Pe\u0301rez\u2003said:\n\n“No.” ") == "Pérez said: “No.”"
    assert normalise_text("Spain") != normalise_text("spain")


def test_copy_words_ignore_case_punctuation_and_spacing() -> None:
    assert words("SPAIN will send—troops.") == words("Spain will\nsend troops")
    assert text_hash("Spain will send troops.") == text_hash("spain  WILL send troops")
    assert text_hash("Spain will send troops.") != text_hash("Spain will not send troops.")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Bart DeWever", "Bart De Wever"),
        ("Pedro Sánchez", "PEDRO SANCHEZ"),
        ("Jonas Gahr Støre", "Jonas Gahr Store"),
        ("Łukasz", "Lukasz"),
        ("Zelensky's", "Zelenskys"),
    ],
)
def test_name_keys_fold_spelling_away(a: str, b: str) -> None:
    assert fold(a) == fold(b)


def test_name_words_and_slugs_keep_word_breaks() -> None:
    assert fold_words("Bart DeWever") != fold_words("Bart De Wever")
    assert fold_words("Pedro  Sánchez, Jr.") == "pedro sanchez jr"
    assert slugify("Pedro  Sánchez, Jr.") == "pedro-sanchez-jr"
    # slugs of IRIs already minted: undecomposed letters break words, as they always have
    assert slugify("Jonas Gahr Støre") == "jonas-gahr-st-re"
    assert slugify("") == slugify("?!") == "unnamed"
