"""A deterministic corpus of news-like articles made from the seed articles, for benchmarks.

Each article is a run of English paragraphs from one seed with other states (names, demonyms,
capitals), other leaders of those states (full names and surnames), other numbers and dates
near a new publication date swapped in. Article ``i`` depends only on ``(seed, i)``, so a
smaller corpus is always a prefix of a larger one. The method is described in ``README.md``.

>>> generator = CorpusGenerator(seed=7)
>>> generator.article(3) == CorpusGenerator(seed=7).article(3)
True
>>> generator.article(3).text != generator.article(4).text
True
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from kg.clean import clean_text
from kg.records import Article
from kg.sources import read_file

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
# The war the seeds report on stays the same war; every other state is swapped.
FIXED_STATES = frozenset({"UA", "RU"})
FIRST_DATE = date(2024, 1, 1)
DATE_SPAN_DAYS = 3 * 365
MIN_TEMPLATE_WORDS = 8
PUBLISHERS = ("Bench Wire", "Example Herald", "Sample Tribune", "Test Gazette", "Demo Post")

_PARTICLES = frozenset({"von", "van", "der", "de", "den", "di", "da", "al", "bin"})
_WITH_ARTICLE = frozenset(
    {"Netherlands", "Czech Republic", "Philippines", "Bahamas", "Gambia", "Maldives"}
)
_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_MONTH_RE = "|".join(_MONTHS)
_ABBR_RE = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_DATE_RE = (
    rf"(?P<iso>\b\d{{4}}-\d{{2}}-\d{{2}}\b)"
    rf"|(?P<dmy>\b\d{{1,2}} (?:{_MONTH_RE})(?: \d{{4}})?\b)"
    rf"|(?P<mdy>\b(?:{_MONTH_RE}|(?:{_ABBR_RE})\.?) \d{{1,2}}(?:, \d{{4}})?\b)"
)
_NUMBER_RE = r"(?P<number>(?<![\w.])\d{1,3}(?:,\d{3})+(?![\w,])|(?<![\w.])\d+(?![\w]))"


@dataclass(frozen=True)
class StateForms:
    """How a text can name one state."""

    alpha2: str
    name: str
    adjective: str
    plural: str
    capital: str


@dataclass(frozen=True)
class LeaderForms:
    """One gazetteer leader, by state and role."""

    name: str
    surname: str
    state: str | None
    role: str


@dataclass(frozen=True)
class Mention:
    """What a matched piece of text names: ``kind`` is leader, surname, state, demonym,
    plural or capital; ``key`` the leader's name or the state's alpha-2 code."""

    kind: str
    key: str


def _load(name: str) -> Any:
    return json.loads(resources.files("kg.data").joinpath(name).read_text("utf-8"))


def _surname(name: str, variants: Sequence[str] = ()) -> str:
    """How a text names the leader after the first mention: a one-word variant that is part
    of the name ("Lula", "Xi"), else the last word with its particle ("von der Leyen")."""
    parts = name.split()
    short = [v for v in variants if len(v.split()) == 1 and v in parts]
    if parts[-1] in short:
        return parts[-1]
    if short:
        return short[0]
    start = len(parts) - 1
    while start > 1 and parts[start - 1].lower() in _PARTICLES:
        start -= 1
    return " ".join(parts[start:])


class CorpusGenerator:
    """Makes article ``i`` of the corpus for a seed; see the module docstring."""

    def __init__(
        self,
        seed: int = 0,
        *,
        seeds_dir: Path = SEEDS_DIR,
        paragraphs: tuple[int, int] = (2, 3),
    ) -> None:
        self.seed = seed
        self.seeds_dir = seeds_dir
        self.paragraphs = paragraphs

    @cached_property
    def templates(self) -> list[list[str]]:
        """Per seed, its English body paragraphs as the project's cleaner keeps them."""
        found: list[list[str]] = []
        for path in sorted(self.seeds_dir.glob("*.txt")):
            articles, _ = read_file(path, 10_000_000)
            for article in articles:
                kept = [
                    p
                    for p in clean_text(article.text).paragraphs
                    if len(p.split()) >= MIN_TEMPLATE_WORDS
                ]
                if kept:
                    found.append(kept)
        if not found:
            raise ValueError(f"no English seed paragraphs under {self.seeds_dir}")
        return found

    @cached_property
    def states(self) -> dict[str, StateForms]:
        out: dict[str, StateForms] = {}
        for row in _load("states.json"):
            demonyms = [d for d in row["demonyms"] if d[:1].isupper()]
            if not demonyms or not row["capitals"]:
                continue
            adjective = demonyms[0]
            plurals = [d for d in demonyms[1:] if d.endswith("s")]
            out[row["alpha2"]] = StateForms(
                alpha2=row["alpha2"],
                name=row["name"],
                adjective=adjective,
                plural=plurals[-1] if plurals else adjective,
                capital=row["capitals"][0],
            )
        return out

    @cached_property
    def leaders(self) -> dict[str, LeaderForms]:
        out: dict[str, LeaderForms] = {}
        for row in _load("leaders.json")["leaders"]:
            if row.get("former"):
                continue
            out[row["name"]] = LeaderForms(
                name=row["name"],
                surname=_surname(row["name"], row["variants"]),
                state=row["state"],
                role=row["role"],
            )
        return out

    @cached_property
    def leaders_by_state(self) -> dict[str, list[LeaderForms]]:
        out: dict[str, list[LeaderForms]] = {}
        for leader in self.leaders.values():
            if leader.state:
                out.setdefault(leader.state, []).append(leader)
        return out

    @cached_property
    def candidate_states(self) -> list[str]:
        """States swapped in: those with a demonym, a capital and two current leaders."""
        return sorted(
            code
            for code, people in self.leaders_by_state.items()
            if code in self.states and code not in FIXED_STATES and len(people) >= 2
        )

    @cached_property
    def mentions(self) -> dict[str, Mention]:
        """Every name form the generator swaps, and what it names."""
        forms: dict[str, Mention] = {}

        def add(text: str, mention: Mention) -> None:
            if (text[:1].isupper() or text.startswith("the ")) and len(text) > 1:
                forms.setdefault(text, mention)

        for row in _load("leaders.json")["leaders"]:
            if row.get("former") or row["name"] not in self.leaders:
                continue
            add(row["name"], Mention("leader", row["name"]))
            for variant in row["variants"]:
                kind = "surname" if len(variant.split()) == 1 else "leader"
                add(variant, Mention(kind, row["name"]))
        for row in _load("states.json"):
            code = row["alpha2"]
            for name in row["names"]:
                add(name, Mention("state", code))
                if _takes_article(name):
                    add(f"the {name}", Mention("the-state", code))
            demonyms = [d for d in row["demonyms"] if d[:1].isupper()]
            for index, demonym in enumerate(demonyms):
                plural = index > 0 and demonym.endswith("s")
                add(demonym, Mention("plural" if plural else "demonym", code))
            for capital in row["capitals"]:
                add(capital, Mention("capital", code))
        return forms

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        names = "|".join(re.escape(f) for f in sorted(self.mentions, key=len, reverse=True))
        return re.compile(rf"{_DATE_RE}|{_NUMBER_RE}|(?P<name>(?<!\w)(?:{names})(?!\w))")

    def article(self, index: int) -> Article:
        """Article ``index`` of this seed's corpus."""
        rng = random.Random(f"pledgekg-bench:{self.seed}:{index}")
        published = FIRST_DATE + timedelta(days=rng.randrange(DATE_SPAN_DAYS))
        source = rng.choice(self.templates)
        count = min(rng.randint(*self.paragraphs), len(source))
        start = rng.randrange(len(source) - count + 1)
        swap = _Swap(self, rng, published)
        body = "\n\n".join(swap.paragraph(p) for p in source[start : start + count])
        return Article(
            text=body,
            origin=f"{index:06d}.txt",
            url=f"https://example.org/bench/{self.seed}/{index:06d}",
            title=_title(body),
            publisher=rng.choice(PUBLISHERS),
            published=published,
        )

    def articles(self, count: int, start: int = 0) -> Iterator[Article]:
        """Articles ``start`` to ``start + count - 1``."""
        for index in range(start, start + count):
            yield self.article(index)


class _Swap:
    """The substitutions of one article: each state, leader and date maps consistently."""

    def __init__(self, generator: CorpusGenerator, rng: random.Random, published: date) -> None:
        self.g = generator
        self.rng = rng
        self.published = published
        self.states: dict[str, str] = {code: code for code in FIXED_STATES}
        self.leaders: dict[str, LeaderForms] = {}

    def paragraph(self, text: str) -> str:
        swapped = self.g.pattern.sub(self._replace, text)
        return swapped[:1].upper() + swapped[1:]

    def _state(self, code: str) -> str:
        if code not in self.states:
            taken = set(self.states.values())
            free = [c for c in self.g.candidate_states if c not in taken]
            self.states[code] = self.rng.choice(free or self.g.candidate_states)
        return self.states[code]

    def _leader(self, name: str) -> LeaderForms:
        source = self.g.leaders[name]
        if source.state is None:
            return source
        if name not in self.leaders:
            people = self.g.leaders_by_state.get(self._state(source.state), [source])
            taken = {p.name for p in self.leaders.values()}
            same_role = [p for p in people if p.role == source.role and p.name not in taken]
            others = [p for p in people if p.name not in taken]
            self.leaders[name] = self.rng.choice(same_role or others or people)
        return self.leaders[name]

    def _replace(self, match: re.Match[str]) -> str:
        text = match.group(0)
        if match.group("iso") or match.group("dmy") or match.group("mdy"):
            return self._date(match)
        if match.group("number"):
            return self._number(text)
        mention = self.g.mentions[text]
        if mention.kind in ("leader", "surname"):
            leader = self._leader(mention.key)
            return leader.name if mention.kind == "leader" else leader.surname
        forms = (
            self.g.states.get(self._state(mention.key)) if mention.key in self.g.states else None
        )
        if forms is None:
            return text
        if mention.kind == "the-state":
            return f"the {forms.name}" if _takes_article(forms.name) else forms.name
        return {
            "state": forms.name,
            "demonym": forms.adjective,
            "plural": forms.plural,
            "capital": forms.capital,
        }[mention.kind]

    def _date(self, match: re.Match[str]) -> str:
        when = self.published - timedelta(days=self.rng.randrange(0, 10))
        text = match.group(0)
        if match.group("iso"):
            return when.isoformat()
        month = _MONTHS[when.month - 1]
        year = f" {when.year}" if re.search(r"\d{4}$", text) else ""
        if match.group("dmy"):
            return f"{when.day} {month}{year}"
        if text.split()[0].rstrip(".") in _MONTHS:
            return f"{month} {when.day}{',' if year else ''}{year}"
        # "Jan. 6", "Sept. 2", but "May 5": May has no shorter form.
        short = "Sept" if month == "September" else month if month == "May" else month[:3]
        dot = "." if "." in text.split()[0] and month != "May" else ""
        comma = "," if year else ""
        return f"{short}{dot} {when.day}{comma}{year}"

    def _number(self, text: str) -> str:
        value = int(text.replace(",", ""))
        if "," not in text and 1900 <= value <= 2100:
            return str(self.published.year - self.rng.choice((0, 0, 0, 1)))
        new = self.rng.randint(max(1, value // 2), max(2, value * 2))
        return f"{new:,}" if "," in text else str(new)


def _takes_article(name: str) -> bool:
    """True for state names read with "the" ("the United States", "the Netherlands")."""
    return name.startswith(("United ", "Republic ", "Kingdom ")) or name in _WITH_ARTICLE


def _title(body: str) -> str:
    """The first sentence of the first paragraph, at most about 90 characters."""
    first = re.split(r"(?<=[.!?])\s", body.split("\n", 1)[0], maxsplit=1)[0]
    if len(first) <= 90:
        return first.rstrip(".")
    return first[:90].rsplit(" ", 1)[0] + "…"


def render(article: Article) -> str:
    """The article as a ``.txt`` file with a header block, as ``kg ingest`` reads it."""
    header = {
        "title": article.title,
        "url": article.url,
        "publisher": article.publisher,
        "date": article.published.isoformat() if article.published else None,
    }
    lines = [f"{key}: {value}" for key, value in header.items() if value]
    return "\n".join(lines) + "\n\n" + article.text + "\n"


def write_corpus(directory: Path, count: int, seed: int = 0, start: int = 0) -> list[Path]:
    """Write articles ``start`` … ``start + count - 1`` as ``.txt`` files into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    generator = CorpusGenerator(seed)
    paths: list[Path] = []
    for article in generator.articles(count, start):
        path = directory / article.origin
        path.write_text(render(article), "utf-8")
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m bench.corpus OUT --articles N --seed S``: write a corpus to a folder."""
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__)
    parser.add_argument("out", type=Path, help="Folder to write the .txt articles into.")
    parser.add_argument("--articles", type=int, default=2000, help="How many. Default: 2000.")
    parser.add_argument("--seed", type=int, default=0, help="Random seed. Default: 0.")
    args = parser.parse_args(argv)
    paths = write_corpus(args.out, args.articles, args.seed)
    print(f"wrote {len(paths)} articles to {args.out}")


if __name__ == "__main__":
    main()
