"""One plural title over a list of names: "the prime ministers of Latvia and Lithuania, A and
B", "A and B, the Latvian and Lithuanian foreign ministers": the n-th name holds the title for
the n-th state, when the two lists are as long as each other.
"""

from __future__ import annotations

from collections.abc import Mapping

from spacy.tokens import Doc, Span, Token

from kg.lexicon import Lexicon
from kg.records import Actor
from kg.resolve.model import ActorMention

_SEPARATORS = frozenset({",", "and", "&"})
# Words a list of states holds besides the states: "of Latvia, Lithuania and the Czech Republic".
_STATE_LIST_WORDS = _SEPARATORS | {"the"}
_LONGEST_TITLE = 4
# Entity types no name carries (the recogniser often takes a foreign name for an
# organization or a place, but never for a number or a date).
_NOT_NAME_ENTITIES = frozenset(
    {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "QUANTITY", "PERCENT"}
)


class TitleLists:
    """Names that a plural title shares out (see the module docstring)."""

    def __init__(self, doc: Doc, lex: Lexicon, actor_at: Mapping[int, ActorMention]) -> None:
        self.doc = doc
        self.lex = lex
        self.actor_at = actor_at

    def titled_names(self) -> dict[tuple[int, int], tuple[str, Actor]]:
        """(start, end) of each name a plural title covers -> the title and the name's state."""
        found: dict[tuple[int, int], tuple[str, Actor]] = {}
        doc = self.doc
        for token in doc:
            if not self._plural_title(token):
                continue
            phrase = self._title_ending_at(token)
            if phrase is None:
                continue
            title, first = phrase
            states, after = self._of_states(token.i + 1)
            if not states:
                before = self._state_words_before(first)
                states = self._states(before)
                after = token.i + 1
                first = before[0].i if before else first
            if len(states) < 2:
                continue
            names = self._names_after(after) or self._names_before(first)
            if len(names) != len(states):
                continue  # the lists do not pair off
            for name, state in zip(names, states, strict=True):
                found[(name.start, name.end)] = (title, state)
        return found

    # --- the title and its states ---------------------------------------------------------

    def _plural_title(self, token: Token) -> bool:
        """A title in the plural ("ministers"; "Foreign Ministers", which the tagger may read
        as one proper noun)."""
        if token.tag_ in ("NNS", "NNPS"):
            return self._title_word(token)
        return token.tag_ == "NNP" and _base(token) != token.lower_ and self._title_word(token)

    def _title_word(self, token: Token) -> bool:
        words = self.lex.title_words
        return _base(token) in words or token.lower_ in words

    def _title_ending_at(self, last: Token) -> tuple[str, int] | None:
        """The longest title phrase whose plural ends at ``last``, and where it starts."""
        doc = self.doc
        start = max(last.sent.start, last.i - _LONGEST_TITLE + 1)
        for first in range(start, last.i + 1):
            lemmas = tuple(_base(t) for t in doc[first : last.i + 1])
            found = self.lex.titles_by_words.get(lemmas)
            if found is not None:
                return found[1], first
        return None

    def _of_states(self, at: int) -> tuple[list[Actor], int]:
        """ "... of A and B": the states, and where the phrase ends."""
        doc = self.doc
        if at >= len(doc) or doc[at].lower_ != "of":
            return [], at
        end = at + 1
        sent_end = doc[at].sent.end
        while end < sent_end:
            token = doc[end]
            joined = (
                token.lower_ in _SEPARATORS
                and end + 1 < sent_end
                and (doc[end + 1].i in self.actor_at or doc[end + 1].lower_ in ("the", "and"))
            )
            if not (joined or token.i in self.actor_at or token.lower_ == "the"):
                break  # the comma before the names, or the end of the phrase
            end += 1
        return self._states(list(doc[at + 1 : end])), end

    def _state_words_before(self, first: int) -> list[Token]:
        """ "the Latvian and Lithuanian": the words of a demonym list before a title."""
        doc = self.doc
        start = first
        sent_start = doc[first].sent.start
        while start > sent_start and (
            doc[start - 1].i in self.actor_at or doc[start - 1].lower_ in _SEPARATORS
        ):
            start -= 1
        return list(doc[start:first])

    def _states(self, words: list[Token]) -> list[Actor]:
        """The states a list names, in order; empty when it holds anything else."""
        states: list[Actor] = []
        last: ActorMention | None = None
        for token in words:
            mention = self.actor_at.get(token.i)
            if mention is None:
                if token.lower_ not in _STATE_LIST_WORDS:
                    return []
                continue
            if last is not None and mention.start == last.start:
                continue
            last = mention
            if mention.label not in ("STATE", "DEMONYM"):
                return []
            states.append(mention.actor)
        return states

    # --- the names --------------------------------------------------------------------------

    def _name_token(self, token: Token) -> bool:
        return (
            token.pos_ == "PROPN"
            and token.text[:1].isupper()
            and token.i not in self.actor_at
            and token.ent_type_ not in _NOT_NAME_ENTITIES
            and not self._title_word(token)
        )

    def _names_after(self, at: int) -> list[Span]:
        """ ", A, B and C": the names after the comma at ``at``."""
        doc = self.doc
        if at >= len(doc) or doc[at].text != ",":
            return []
        sent_end = doc[at].sent.end
        names: list[Span] = []
        i = at + 1
        while i < sent_end and self._name_token(doc[i]):
            start = i
            while i < sent_end and self._name_token(doc[i]):
                i += 1
            names.append(doc[start:i])
            gap = i
            while gap < sent_end and doc[gap].lower_ in _SEPARATORS:
                gap += 1
            if gap == i or gap >= sent_end or not self._name_token(doc[gap]):
                break
            i = gap
        return names

    def _names_before(self, first: int) -> list[Span]:
        """ "A, B and C, the": the names before the comma that opens a title at ``first``."""
        doc = self.doc
        at = first - 1
        if at >= 0 and doc[at].lower_ == "the":
            at -= 1
        if at < 1 or doc[at].text != ",":
            return []
        sent_start = doc[at].sent.start
        names: list[Span] = []
        i = at - 1
        while i >= sent_start and self._name_token(doc[i]):
            end = i + 1
            while i >= sent_start and self._name_token(doc[i]):
                i -= 1
            names.insert(0, doc[i + 1 : end])
            gap = i
            while gap >= sent_start and doc[gap].lower_ in _SEPARATORS:
                gap -= 1
            if gap == i or gap < sent_start or not self._name_token(doc[gap]):
                break
            i = gap
        return names


def _base(token: Token) -> str:
    """The lower-case lemma; a capitalised plural ("Foreign Ministers", read as a proper
    noun whose lemma keeps its "s") in the singular."""
    lemma = token.lemma_.lower()
    if token.tag_ in ("NNP", "NNPS") and lemma == token.lower_ and lemma.endswith("s"):
        return lemma[:-1]
    return lemma
