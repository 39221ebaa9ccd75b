"""The words people type after `/goals` (or `goals`), turned into a request.

Pure: it knows the canon only through a `Vocabulary` value. It never raises on any input;
everything it cannot understand comes back as a `GrammarError` that says which word was
wrong and gives an example that works, and the suggestions it makes ("Did you mean ...?",
the levels a family has) as words to run, each checked to parse.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.canon.repository import FamilyEntry, Vocabulary
from bot.frames.comparison import RoleLevel
from bot.frames.frameworks import ALL_FRAMEWORKS, ALL_WORD, FRAMEWORK_WORDS, Framework

HELP_WORDS = frozenset({"help", "-h", "--help", "?"})
LIST_WORD = "list"
CANON_WORD = "canon"
DRAFT_WORD = "draft"
DRAFTS_WORD = "drafts"
FOR_WORD = "for"
REVIEWS_WORD = "reviews"
COMPARE_WORD = "compare"
FRAMEWORK_CHOICES = "smart, okr, mbo, scorecard or all"
_LEVEL_SHAPE = re.compile(r"[A-Za-z]{1,4}[0-9]{1,3}")
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


def parse(words: Sequence[str] | str, vocabulary: Vocabulary) -> Request | GrammarError:
    """Parse the words of one request; words may come in any order and any case."""
    return _parse(words, vocabulary, suggest=True)


def _parse(words: Sequence[str] | str, vocabulary: Vocabulary, suggest: bool) -> Request | GrammarError:
    # `suggest` False: only whether the words work matters (checking a suggestion), so an
    # error comes without suggestions of its own.
    tokens = _phrases((words if isinstance(words, str) else " ".join(words)).split(), vocabulary)
    lowered = [token.lower() for token in tokens]
    example = example_words(vocabulary)
    kinds = _Kinds(vocabulary)

    def error(message: str, candidates: Iterable[tuple[str, Sequence[str]]] = ()) -> GrammarError:
        return GrammarError(message, example, _offered(candidates, vocabulary) if suggest else ())

    if not tokens or any(token in HELP_WORDS for token in lowered):
        return HelpRequest()
    if lowered[0] == LIST_WORD:
        if len(tokens) > 1:
            return error(f"{LIST_WORD} takes no other words, but got {_quoted(tokens[1:])}.",
                         [(LIST_WORD, [LIST_WORD])])
        return ListRequest()
    if lowered[0] == CANON_WORD:
        return error("The canon commands (canon check) run in the terminal, with the goals CLI.")
    if lowered[0] == DRAFTS_WORD:
        if len(tokens) > 1:
            return GrammarError(f"{DRAFTS_WORD} takes no other words, but got {_quoted(tokens[1:])}; "
                                f"to start a draft, type {DRAFT_WORD} with a level, a family and "
                                "a framework.", DRAFTS_WORD,
                                (Suggestion(DRAFTS_WORD, DRAFTS_WORD),) if suggest else ())
        return DraftsRequest()
    if lowered[0] == REVIEWS_WORD:
        if len(tokens) > 1:
            return GrammarError(f"{REVIEWS_WORD} takes no other words, but got {_quoted(tokens[1:])}.",
                                REVIEWS_WORD, (Suggestion(REVIEWS_WORD, REVIEWS_WORD),) if suggest else ())
        return ReviewsRequest()
    if DRAFT_WORD in lowered:
        kept = [token for token, word in zip(tokens, lowered, strict=True) if word != DRAFT_WORD]
        kept, for_user = _for_whom(kept)
        if for_user == "":
            return GrammarError(f"To draft for someone, mention them after {FOR_WORD}: type @ and pick them "
                                "from the list.", f"{DRAFT_WORD} {example}")
        request = _draft_request(_parse(kept, vocabulary, suggest) if kept else None, kept, vocabulary, suggest)
        return DraftRequest(request.frame, for_user) if isinstance(request, DraftRequest) and for_user else request

    if COMPARE_WORD in lowered:
        kept = [token for token, word in zip(tokens, lowered, strict=True) if word != COMPARE_WORD]
        return _compare_request(kept, vocabulary, suggest)

    read = _Words.read(tokens, vocabulary)
    levels, families, choices = read.levels, read.families, read.choices
    if read.unknown:
        message = _unknown_message(read.unknown, vocabulary, family_known=bool(families))
        corrected = _corrected(tokens, read.unknown, vocabulary)
        return GrammarError(message, corrected[1] if corrected and corrected[2] else example,
                            _correction(corrected, vocabulary, suggest))
    if len(choices) > 1:
        return error(
            f"Give one framework or {ALL_WORD}: {_quoted(list(choices.values()))} "
            "name different ones.",
            ((word, kinds.keeping(tokens, kinds.choice, kinds.choice(word))) for word in choices.values()),
        )
    if len(levels) > 1:
        return error(f"Give one level at a time: got {_quoted(levels)}.",
                     ((code, kinds.keeping(tokens, kinds.level, code)) for code in levels))
    if len(families) > 1:
        return error(f"Give one job family at a time: got {_quoted([f.slug for f in families])}.",
                     ((f.slug, kinds.keeping(tokens, kinds.family, f.slug)) for f in families))
    if not families:
        return error(f"Which job family? Families: {families_listing(vocabulary)}.",
                     ((f.slug, [*tokens, f.slug]) if levels else (f"{f.level_codes[0]} {f.slug}",
                                                                   [*tokens, f.level_codes[0], f.slug])
                      for f in vocabulary.families if f.level_codes))
    family = families[0]
    if not levels:
        return error(
            f"Which level? {family.name} has canon for {', '.join(family.level_codes) or 'no level'}.",
            ((code, [code, *tokens]) for code in family.level_codes),
        )
    if levels[0] not in family.level_codes:
        has = ", ".join(family.level_codes) or "no level yet"
        return error(f"{family.name} has no canon for {levels[0]}; it has {has}.",
                     ((code, kinds.replacing(tokens, kinds.level, code)) for code in family.level_codes))
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


def _compare_request(tokens: list[str], vocabulary: Vocabulary, suggest: bool) -> CompareRequest | GrammarError:
    example = compare_example(vocabulary)
    kinds = _Kinds(vocabulary)

    def error(message: str, candidates: Iterable[tuple[str, Sequence[str]]] = ()) -> GrammarError:
        offered = (_offered(((label, [COMPARE_WORD, *words]) for label, words in candidates), vocabulary)
                   if suggest else ())
        return GrammarError(message, example, offered)

    read = _Words.read(tokens, vocabulary)
    if read.unknown:
        corrected = _corrected(tokens, read.unknown, vocabulary, COMPARE_WORD)
        return GrammarError(_unknown_message(read.unknown, vocabulary, bool(read.families), _COMPARE_WORDS),
                            example, _correction(corrected, vocabulary, suggest))
    if len(read.choices) > 1 or ALL_FRAMEWORKS in read.choices:
        others = [token for token in tokens if kinds.choice(token) is None]
        return error(f"{COMPARE_WORD} shows one stretch frame: give one framework of smart, okr, mbo "
                     "or scorecard (okr if none).",
                     ((framework.value, [*others, framework.value]) for framework in Framework))
    if len(read.levels) == 1 and read.level_mentions > 1:
        return error(f"{COMPARE_WORD} needs two different levels, but both are {read.levels[0]}.",
                     ((code, [*tokens, code]) for code in vocabulary.level_codes if code not in read.levels))
    if len(read.levels) != 2:
        got = f"got {_quoted(read.levels)}" if read.levels else "got none"
        return error(f"{COMPARE_WORD} takes two levels, lower and higher in either order: {got}.",
                     ((code, [*tokens, code]) for code in vocabulary.level_codes if len(read.levels) == 1
                      and code not in read.levels))
    if not read.families:
        return error(f"Which job family? Families: {families_listing(vocabulary)}.",
                     ((f.slug, [*tokens, f.slug]) for f in vocabulary.families if f.level_codes))
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
        return error(f"{family.name} has no canon for {level}; it has {has}.",
                     ((code, kinds.replacing(tokens, kinds.level, code, only=level))
                      for code in family.level_codes if code not in read.levels))
    sides = [RoleLevel(family.slug, level) for family, level in usable[0]]
    order = vocabulary.level_codes
    lower, higher = sorted(sides, key=lambda side: order.index(side.level))
    (framework,) = next(iter(read.choices), (Framework.OKR,))
    return CompareRequest(lower, higher, framework)


# How Slack sends a mention picked from its list, with the command's should_escape on.
_MENTION = re.compile(r"<@([UW][A-Z0-9]{1,30})(?:\|[^<>]*)?>")


def _for_whom(tokens: list[str]) -> tuple[list[str], str | None]:
    """The words without `for <@U…>`, and that user id; None without `for`, '' for a `for`
    not followed by a mention Slack made."""
    lowered = [token.lower() for token in tokens]
    if FOR_WORD not in lowered:
        return tokens, None
    at = lowered.index(FOR_WORD)
    found = _MENTION.fullmatch(tokens[at + 1]) if at + 1 < len(tokens) else None
    if found is None:
        return tokens, ""
    return tokens[:at] + tokens[at + 2:], found.group(1)


def _draft_request(request: Request | GrammarError | None, tokens: Sequence[str], vocabulary: Vocabulary,
                   suggest: bool) -> DraftRequest | GrammarError:
    works = example_words(vocabulary)
    example = works if works == LIST_WORD else f"{DRAFT_WORD} {works}"

    def drafting(candidates: Iterable[tuple[str, Sequence[str]]]) -> tuple[Suggestion, ...]:
        return _offered(((label, [DRAFT_WORD, *words]) for label, words in candidates), vocabulary) if suggest else ()

    if isinstance(request, GrammarError):
        return GrammarError(request.message, example,
                            drafting((s.label, s.words.split()) for s in request.suggestions))
    if isinstance(request, FrameRequest) and request.framework_given and len(request.frameworks) == 1:
        return DraftRequest(request)
    if isinstance(request, CompareRequest):
        stretch = request.higher
        words = f"{DRAFT_WORD} {stretch.level} {stretch.family} {request.framework.value}"
        return GrammarError("A draft is of one frame: to draft a stretch frame, click Draft targets "
                            "under it, or draft the higher level's frame.", words,
                            _offered([(words, words.split())], vocabulary) if suggest else ())
    if isinstance(request, FrameRequest):
        kinds = _Kinds(vocabulary)
        others = [token for token in tokens if kinds.choice(token) is None]
        return GrammarError("A draft is of one framework: add smart, okr, mbo or scorecard.",
                            f"{DRAFT_WORD} {request.level} {request.family} okr",
                            drafting((framework.value, [*others, framework.value]) for framework in Framework))
    return GrammarError(f"{DRAFT_WORD} needs a level, a job family and one framework.", example,
                        _offered([(example, example.split())], vocabulary) if suggest else ())


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
                                    REVIEWS_WORD, "help")}}
    close = difflib.get_close_matches(word.lower(), list(everything), n=1, cutoff=0.6)
    return everything[close[0]] if close else None


def _corrected(tokens: Sequence[str], unknown: Sequence[str], vocabulary: Vocabulary,
               *before: str) -> tuple[str, str, bool] | None:
    """What the person typed (after `before`, the subcommand) with its unknown words corrected,
    each to its closest word: the corrections, those words, and whether they make the example
    an error offers (theirs, not another family's): only for one unknown word, the one the
    message names, and only where the words are a request that works."""
    matches = {word: _closest(word, vocabulary) for word in unknown[:_MAX_QUOTED_WORDS]}
    if len(unknown) > _MAX_QUOTED_WORDS or any(m is None or m.lower() == w.lower() for w, m in matches.items()):
        return None
    words = " ".join([*before, *(matches.get(token) or token for token in tokens)])
    label = ", ".join(dict.fromkeys(m for m in matches.values() if m))
    return label, words, len(unknown) == 1 and _works(_parse(words, vocabulary, suggest=False))


def _correction(corrected: tuple[str, str, bool] | None, vocabulary: Vocabulary,
                suggest: bool) -> tuple[Suggestion, ...]:
    """The correction as a suggestion; where the corrected words are still wrong (a family
    without the level typed), what that error suggests, named with the correction too."""
    if corrected is None or not suggest:
        return ()
    match, words, _ = corrected
    then = _parse(words, vocabulary, suggest=True)  # no unknown word left: it corrects nothing more
    if not isinstance(then, GrammarError):
        return _offered([(match, words.split())], vocabulary)  # help too: "hlep" is a fine typo of it
    return tuple(Suggestion(s.label if match in s.label.split() else f"{match} {s.label}", s.words)
                 for s in then.suggestions)


def _works(result: Request | GrammarError) -> bool:
    # Help is no example of a request, nor a fix for one.
    return not isinstance(result, GrammarError | HelpRequest)


def _offered(candidates: Iterable[tuple[str, Sequence[str]]], vocabulary: Vocabulary) -> tuple[Suggestion, ...]:
    """The candidates (a label, the words to run) whose words parse (help included), each once,
    as many as an error offers."""
    found: list[Suggestion] = []
    for label, tokens in candidates:
        words = " ".join(tokens)
        if len(found) == SUGGESTIONS_MAX:
            break
        if (len(words) > SUGGESTION_WORDS_MAX or any(words == s.words for s in found)
                or isinstance(_parse(words, vocabulary, suggest=False), GrammarError)):
            continue
        found.append(Suggestion(_shortened(label), words))
    return tuple(found)


@dataclass(frozen=True)
class _Kinds:
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
