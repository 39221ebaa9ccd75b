"""The words people type after `/goals` (or `goals`), turned into a request.

Pure: it knows the canon only through a `Vocabulary` value. It never raises on any input;
everything it cannot understand comes back as a `GrammarError` that says which word was
wrong and gives an example that works.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.canon.repository import FamilyEntry, Vocabulary
from bot.frames.comparison import RoleLevel
from bot.frames.frameworks import ALL_FRAMEWORKS, ALL_WORD, FRAMEWORK_WORDS, Framework

HELP_WORDS = frozenset({"help", "-h", "--help", "?"})
LIST_WORD = "list"
CANON_WORD = "canon"
DRAFT_WORD = "draft"
DRAFTS_WORD = "drafts"
COMPARE_WORD = "compare"
FRAMEWORK_CHOICES = "smart, okr, mbo, scorecard or all"
_LEVEL_SHAPE = re.compile(r"[A-Za-z]{1,4}[0-9]{1,3}")


@dataclass(frozen=True, slots=True)
class HelpRequest:
    pass


@dataclass(frozen=True, slots=True)
class ListRequest:
    pass


@dataclass(frozen=True, slots=True)
class FrameRequest:
    family: str  # slug
    level: str  # level code as the canon spells it
    frameworks: tuple[Framework, ...]
    framework_given: bool  # False: the person named none, so all four (an overview in Slack)


@dataclass(frozen=True, slots=True)
class DraftRequest:
    """Start a draft of one frame: exactly one framework, so the form knows its placeholders."""

    frame: FrameRequest

    @property
    def framework(self) -> Framework:
        return self.frame.frameworks[0]


@dataclass(frozen=True, slots=True)
class DraftsRequest:
    """The person's own drafts."""


@dataclass(frozen=True, slots=True)
class CompareRequest:
    """Two levels side by side, lower first by the canon's order of levels, and the
    framework of the stretch frame (the higher level's canon, for the lower level)."""

    lower: RoleLevel
    higher: RoleLevel
    framework: Framework


@dataclass(frozen=True, slots=True)
class GrammarError:
    message: str  # what was wrong, with what would work
    example: str  # words that work, to show after the command's name


Request = HelpRequest | ListRequest | FrameRequest | DraftRequest | DraftsRequest | CompareRequest


def example_words(vocabulary: Vocabulary) -> str:
    """A request that works against this canon, to show in help and errors."""
    for family in vocabulary.families:
        if family.level_codes:
            return f"{family.level_codes[0]} {family.slug} okr"
    return LIST_WORD


def compare_example(vocabulary: Vocabulary) -> str:
    """A comparison that works against this canon: two levels of one family, else of two."""
    for family in vocabulary.families:
        if len(family.level_codes) >= 2:
            return f"{COMPARE_WORD} {family.level_codes[0]} {family.level_codes[1]} {family.slug}"
    for first, second in itertools.combinations(vocabulary.families, 2):
        for code, other in itertools.product(first.level_codes, second.level_codes):
            if code != other:
                return f"{COMPARE_WORD} {code} {first.slug} {other} {second.slug}"
    return example_words(vocabulary)


def families_listing(vocabulary: Vocabulary) -> str:
    names = [
        f"{f.slug} ({', '.join(f.aliases)})" if f.aliases else f.slug
        for f in vocabulary.families
    ]
    return ", ".join(names) or "none"


def parse(words: Sequence[str] | str, vocabulary: Vocabulary) -> Request | GrammarError:
    """Parse the words of one request; words may come in any order and any case."""
    tokens = _phrases((words if isinstance(words, str) else " ".join(words)).split(), vocabulary)
    lowered = [token.lower() for token in tokens]
    example = example_words(vocabulary)

    def error(message: str) -> GrammarError:
        return GrammarError(message, example)

    if not tokens or any(token in HELP_WORDS for token in lowered):
        return HelpRequest()
    if lowered[0] == LIST_WORD:
        if len(tokens) > 1:
            return error(f"{LIST_WORD} takes no other words, but got {_quoted(tokens[1:])}.")
        return ListRequest()
    if lowered[0] == CANON_WORD:
        return error("The canon commands (canon check) run in the terminal, with the goals CLI.")
    if lowered[0] == DRAFTS_WORD:
        if len(tokens) > 1:
            return GrammarError(f"{DRAFTS_WORD} takes no other words, but got {_quoted(tokens[1:])}; "
                                f"to start a draft, type {DRAFT_WORD} with a level, a family and "
                                "a framework.", DRAFTS_WORD)
        return DraftsRequest()
    if DRAFT_WORD in lowered:
        kept = [token for token, word in zip(tokens, lowered, strict=True) if word != DRAFT_WORD]
        return _draft_request(parse(kept, vocabulary) if kept else None, vocabulary)

    if COMPARE_WORD in lowered:
        kept = [token for token, word in zip(tokens, lowered, strict=True) if word != COMPARE_WORD]
        return _compare_request(kept, vocabulary)

    read = _Words.read(tokens, vocabulary)
    levels, families, choices = read.levels, read.families, read.choices
    if read.unknown:
        message = _unknown_message(read.unknown, vocabulary, family_known=bool(families))
        return GrammarError(message, _corrected(tokens, read.unknown, vocabulary) or example)
    if len(choices) > 1:
        return error(
            f"Give one framework or {ALL_WORD}: {_quoted(list(choices.values()))} "
            "name different ones."
        )
    if len(levels) > 1:
        return error(f"Give one level at a time: got {_quoted(levels)}.")
    if len(families) > 1:
        return error(f"Give one job family at a time: got {_quoted([f.slug for f in families])}.")
    if not families:
        return error(f"Which job family? Families: {families_listing(vocabulary)}.")
    family = families[0]
    if not levels:
        return error(
            f"Which level? {family.name} has canon for {', '.join(family.level_codes) or 'no level'}."
        )
    if levels[0] not in family.level_codes:
        has = ", ".join(family.level_codes) or "no level yet"
        return error(f"{family.name} has no canon for {levels[0]}; it has {has}.")
    return FrameRequest(
        family=family.slug,
        level=levels[0],
        frameworks=next(iter(choices), ALL_FRAMEWORKS),
        framework_given=bool(choices),
    )


def _phrases(tokens: list[str], vocabulary: Vocabulary) -> list[str]:
    """Words that together say a level's title or a family's name ("Manager II", "Clinical
    Trials Operations") as one word, the longest first; every other word as it came."""
    found: list[str] = []
    index = 0
    while index < len(tokens):
        for size in range(min(vocabulary.longest_phrase, len(tokens) - index), 1, -1):
            phrase = " ".join(tokens[index:index + size])
            if vocabulary.names_a_level_or_family(phrase):
                found.append(phrase)
                index += size
                break
        else:
            found.append(tokens[index])
            index += 1
    return found


@dataclass
class _Words:
    """The words of a request sorted by kind, each kind in the order typed."""

    levels: list[str]  # level codes, each once
    families: list[FamilyEntry]  # each once
    choices: dict[tuple[Framework, ...], str]  # frameworks chosen -> the first word for them
    unknown: list[str]
    level_mentions: int  # how many words named a level, repeats included

    @classmethod
    def read(cls, tokens: Sequence[str], vocabulary: Vocabulary) -> _Words:
        words = cls([], [], {}, [], 0)
        for token in tokens:
            word = token.lower()
            level = vocabulary.level(word)
            family = vocabulary.family(word)
            if word == ALL_WORD or word in FRAMEWORK_WORDS:
                chosen = ALL_FRAMEWORKS if word == ALL_WORD else (FRAMEWORK_WORDS[word],)
                words.choices.setdefault(chosen, token)
            elif level is not None:
                words.level_mentions += 1
                if level.code not in words.levels:
                    words.levels.append(level.code)
            elif family is not None:
                if family not in words.families:
                    words.families.append(family)
            else:
                words.unknown.append(token)
        return words


def _compare_request(tokens: list[str], vocabulary: Vocabulary) -> CompareRequest | GrammarError:
    example = compare_example(vocabulary)

    def error(message: str) -> GrammarError:
        return GrammarError(message, example)

    read = _Words.read(tokens, vocabulary)
    if read.unknown:
        return error(_unknown_message(read.unknown, vocabulary, bool(read.families), _COMPARE_WORDS))
    if len(read.choices) > 1 or ALL_FRAMEWORKS in read.choices:
        return error(f"{COMPARE_WORD} shows one stretch frame: give one framework of smart, okr, mbo "
                     "or scorecard (okr if none).")
    if len(read.levels) == 1 and read.level_mentions > 1:
        return error(f"{COMPARE_WORD} needs two different levels, but both are {read.levels[0]}.")
    if len(read.levels) != 2:
        got = f"got {_quoted(read.levels)}" if read.levels else "got none"
        return error(f"{COMPARE_WORD} takes two levels, lower and higher in either order: {got}.")
    if not read.families:
        return error(f"Which job family? Families: {families_listing(vocabulary)}.")
    if len(read.families) > 2:
        return error(f"{COMPARE_WORD} takes one job family, or two (one per level): got "
                     f"{_quoted([f.slug for f in read.families])}.")
    # Two families pair with the two levels in the order typed (M2 cto M4 cpm), unless only
    # the other pairing has canon for both.
    families = read.families * 2 if len(read.families) == 1 else read.families
    pairings = [list(zip(families, read.levels, strict=True)),
                list(zip(families, reversed(read.levels), strict=True))]
    usable = [p for p in pairings if all(level in family.level_codes for family, level in p)]
    if not usable:
        family, level = next((f, lv) for f, lv in pairings[0] if lv not in f.level_codes)
        has = ", ".join(family.level_codes) or "no level yet"
        return error(f"{family.name} has no canon for {level}; it has {has}.")
    sides = [RoleLevel(family.slug, level) for family, level in usable[0]]
    order = vocabulary.level_codes
    lower, higher = sorted(sides, key=lambda side: order.index(side.level))
    (framework,) = next(iter(read.choices), (Framework.OKR,))
    return CompareRequest(lower, higher, framework)


def _draft_request(request: Request | GrammarError | None, vocabulary: Vocabulary) -> DraftRequest | GrammarError:
    works = example_words(vocabulary)
    example = works if works == LIST_WORD else f"{DRAFT_WORD} {works}"
    if isinstance(request, GrammarError):
        return GrammarError(request.message, example)
    if isinstance(request, FrameRequest) and request.framework_given and len(request.frameworks) == 1:
        return DraftRequest(request)
    if isinstance(request, CompareRequest):
        stretch = request.higher
        return GrammarError("A draft is of one frame: to draft a stretch frame, click Draft targets "
                            "under it, or draft the higher level's frame.",
                            f"{DRAFT_WORD} {stretch.level} {stretch.family} {request.framework.value}")
    if isinstance(request, FrameRequest):
        return GrammarError("A draft is of one framework: add smart, okr, mbo or scorecard.",
                            f"{DRAFT_WORD} {request.level} {request.family} okr")
    return GrammarError(f"{DRAFT_WORD} needs a level, a job family and one framework.", example)


_MAX_QUOTED_WORDS = 3
_MAX_QUOTED_CHARS = 40


def _shortened(word: str) -> str:
    # An answer quotes what was typed, but never echoes a flood of it back.
    return word if len(word) <= _MAX_QUOTED_CHARS else word[:_MAX_QUOTED_CHARS] + "…"


def _quoted(words: Sequence[str]) -> str:
    quoted = [f'"{_shortened(word)}"' for word in words[:_MAX_QUOTED_WORDS]]
    if len(words) > _MAX_QUOTED_WORDS:
        quoted.append(f"{len(words) - _MAX_QUOTED_WORDS} more")
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


_FRAME_WORDS = f"Give a level, a job family and optionally a framework ({FRAMEWORK_CHOICES})."
_COMPARE_WORDS = (f"{COMPARE_WORD} takes two levels, one job family or two, and optionally a framework "
                  "(smart, okr, mbo or scorecard).")


def _closest(word: str, vocabulary: Vocabulary) -> str | None:
    """The word of the grammar or the canon closest to `word`, as it is spelt; None if none is close."""
    everything = {**{c.lower(): c for c in vocabulary.level_codes}, **{f.lower(): f for f in vocabulary.family_names()},
                  **{w: w for w in (*FRAMEWORK_WORDS, ALL_WORD, LIST_WORD, COMPARE_WORD, DRAFT_WORD, DRAFTS_WORD,
                                    "help")}}
    close = difflib.get_close_matches(word.lower(), list(everything), n=1, cutoff=0.6)
    return everything[close[0]] if close else None


def _corrected(tokens: Sequence[str], unknown: Sequence[str], vocabulary: Vocabulary) -> str | None:
    """What the person typed with its one unknown word corrected, if that is a request that
    works: the example an error offers is then theirs, not another family's."""
    match = _closest(unknown[0], vocabulary) if len(unknown) == 1 else None
    if match is None or match.lower() == unknown[0].lower():
        return None
    candidate = [match if token == unknown[0] else token for token in tokens]
    # Help is no example of a request: the canon's example stays.
    return " ".join(candidate) if not isinstance(parse(candidate, vocabulary), GrammarError | HelpRequest) else None


def _unknown_message(unknown: list[str], vocabulary: Vocabulary, family_known: bool,
                     what_works: str = _FRAME_WORDS) -> str:
    word = _shortened(unknown[0])
    others = f" (nor {_quoted(unknown[1:])})" if len(unknown) > 1 else ""
    level_codes = list(vocabulary.level_codes)
    families = vocabulary.family_names()
    match = _closest(word, vocabulary)
    # A word of ours in the wrong place ("list" after a frame) is no typo to correct.
    hint = f' Did you mean "{match}"?' if match and match.lower() != word.lower() else ""
    # Codes are short, so "M3" is too far from "M2" for difflib; its shape gives it away.
    if match in level_codes or (match is None and _LEVEL_SHAPE.fullmatch(word)):
        return f'Unknown level "{word}"{others}.{hint} Levels: {", ".join(level_codes)}.'
    if not family_known and (match is None or match in families):
        return (f'Unknown job family "{word}"{others}.{hint} '
                f"Families: {families_listing(vocabulary)}.")
    return f'I don\'t understand "{word}"{others}.{hint} {what_works}'
