"""Typed words, one at a time: what kind of word each is (framework, level, family), the
grammar's or the canon's word closest to a typo, and what an error says of a word it does
not know, quoting what was typed without echoing a flood of it back."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.canon.repository import Vocabulary
from bot.frames.frameworks import ALL_WORD, FRAMEWORK_WORDS
from bot.grammar.requests import (
    COMPARE_WORD,
    DRAFT_WORD,
    DRAFTS_WORD,
    FRAMEWORK_CHOICES,
    LIST_WORD,
    REVIEWS_WORD,
    families_listing,
)

LEVEL_SHAPE = re.compile(r"[A-Za-z]{1,4}[0-9]{1,3}")


MAX_QUOTED_WORDS = 3
_MAX_QUOTED_CHARS = 40


def shortened(word: str) -> str:
    # An answer quotes what was typed, but never echoes a flood of it back.
    return word if len(word) <= _MAX_QUOTED_CHARS else word[:_MAX_QUOTED_CHARS] + "…"


def quoted(words: Sequence[str]) -> str:
    quoted = [f'"{shortened(word)}"' for word in words[:MAX_QUOTED_WORDS]]
    if len(words) > MAX_QUOTED_WORDS:
        quoted.append(f"{len(words) - MAX_QUOTED_WORDS} more")
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


FRAME_WORDS = f"Give a level, a job family and optionally a framework ({FRAMEWORK_CHOICES})."
COMPARE_WORDS = (f"{COMPARE_WORD} takes two levels, one job family or two, and optionally a framework "
                  "(smart, okr, mbo or scorecard).")


def closest(word: str, vocabulary: Vocabulary) -> str | None:
    """The word of the grammar or the canon closest to `word`, as it is spelt; None if none is close."""
    everything = {**{c.lower(): c for c in vocabulary.level_codes}, **{f.lower(): f for f in vocabulary.family_names()},
                  **{w: w for w in (*FRAMEWORK_WORDS, ALL_WORD, LIST_WORD, COMPARE_WORD, DRAFT_WORD, DRAFTS_WORD,
                                    REVIEWS_WORD, "help")}}
    close = difflib.get_close_matches(word.lower(), list(everything), n=1, cutoff=0.6)
    return everything[close[0]] if close else None



@dataclass(frozen=True)
class Kinds:
    """What kind of word each typed word is, as `_Words.read` sorts them: its framework word,
    level code or family slug; None where it is not of that kind."""

    vocabulary: Vocabulary

    def choice(self, token: str) -> str | None:
        word = token.lower()
        return word if word == ALL_WORD else FRAMEWORK_WORDS[word].value if word in FRAMEWORK_WORDS else None

    def level(self, token: str) -> str | None:
        level = self.vocabulary.level(token.lower())
        return level.code if level is not None and self.choice(token) is None else None

    def family(self, token: str) -> str | None:
        family = self.vocabulary.family(token.lower())
        return family.slug if family is not None and self.level(token) is None and self.choice(token) is None else None

    @staticmethod
    def keeping(tokens: Sequence[str], kind: Callable[[str], str | None], keep: str | None) -> list[str]:
        """The words typed without those of `kind` other than `keep`."""
        return [token for token in tokens if kind(token) in (None, keep)]

    @staticmethod
    def replacing(tokens: Sequence[str], kind: Callable[[str], str | None], new: str,
                  only: str | None = None) -> list[str]:
        """The words typed with those of `kind` (only those saying `only`, if given) as `new`."""
        return [new if kind(token) is not None and only in (None, kind(token)) else token for token in tokens]


def unknown_message(unknown: list[str], vocabulary: Vocabulary, family_known: bool,
                     what_works: str = FRAME_WORDS) -> str:
    word = shortened(unknown[0])
    others = f" (nor {quoted(unknown[1:])})" if len(unknown) > 1 else ""
    level_codes = list(vocabulary.level_codes)
    families = vocabulary.family_names()
    match = closest(word, vocabulary)
    # A word of ours in the wrong place ("list" after a frame) is no typo to correct.
    hint = f' Did you mean "{match}"?' if match and match.lower() != word.lower() else ""
    # Codes are short, so "M3" is too far from "M2" for difflib; its shape gives it away.
    if match in level_codes or (match is None and LEVEL_SHAPE.fullmatch(word)):
        return f'Unknown level "{word}"{others}.{hint} Levels: {", ".join(level_codes)}.'
    if not family_known and (match is None or match in families):
        return (f'Unknown job family "{word}"{others}.{hint} '
                f"Families: {families_listing(vocabulary)}.")
    return f'I don\'t understand "{word}"{others}.{hint} {what_works}'
