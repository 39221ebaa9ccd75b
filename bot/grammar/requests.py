"""What a person can ask of `/goals` (or `goals`), as values: the requests the grammar reads,
its errors and their suggestions, the grammar's own words, and examples that work against
a canon."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from bot.canon.repository import Vocabulary
from bot.frames.comparison import RoleLevel
from bot.frames.frameworks import Framework

HELP_WORDS = frozenset({"help", "-h", "--help", "?"})
LIST_WORD = "list"
CANON_WORD = "canon"
DRAFT_WORD = "draft"
DRAFTS_WORD = "drafts"
FOR_WORD = "for"
REVIEWS_WORD = "reviews"
COMPARE_WORD = "compare"
FRAMEWORK_CHOICES = "smart, okr, mbo, scorecard or all"
SUGGESTIONS_MAX = 5  # an error offers at most this many
SUGGESTION_WORDS_MAX = 300  # longer words are offered as no suggestion (they ride in a button's value)


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
    for_user: str | None = None  # `for @alice`: a draft proposed to that person once saved

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
class Suggestion:
    """Something an error suggests: `words` to run after the command's name, which parse to a
    request that works; `label` says it in short (the corrected word, a level code)."""

    label: str
    words: str


@dataclass(frozen=True, slots=True)
class GrammarError:
    message: str  # what was wrong, with what would work
    example: str  # words that work, to show after the command's name
    suggestions: tuple[Suggestion, ...] = ()  # what the message suggests, at most SUGGESTIONS_MAX


@dataclass(frozen=True, slots=True)
class ReviewsRequest:
    """The drafts sent to the person for review."""


Request = HelpRequest | ListRequest | FrameRequest | DraftRequest | DraftsRequest | ReviewsRequest | CompareRequest


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
