"""The word lists (``kg.lexicon``): each one serves a mechanism the README names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
LEXICON = Path(__file__).resolve().parents[1] / "src" / "kg" / "data" / "lexicon.json"


def _word_list_section() -> str:
    text = README.read_text("utf-8")
    start = text.index("### Word lists and their mechanisms")
    return text[start : text.index("\n### ", start + 1)]


@pytest.mark.skipif(not README.is_file(), reason="no README.md beside the package")
def test_every_word_list_is_named_with_its_mechanism() -> None:
    section = _word_list_section()
    lists = [key for key in json.loads(LEXICON.read_text("utf-8")) if key != "about"]
    unnamed = [key for key in lists if f"`{key}`" not in section]
    assert unnamed == [], f"README's word-list table does not name {unnamed}"
