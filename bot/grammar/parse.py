"""The words people type after `/goals` (or `goals`), turned into a request.

Pure: it knows the canon only through a `Vocabulary` value. It never raises on any input;
everything it cannot understand comes back as a `GrammarError` that says which word was
wrong and gives an example that works, and the suggestions it makes ("Did you mean ...?",
the levels a family has) as words to run, each checked to parse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.canon.repository import FamilyEntry, Vocabulary
from bot.frames.comparison import RoleLevel
from bot.frames.frameworks import ALL_FRAMEWORKS, ALL_WORD, FRAMEWORK_WORDS, Framework
from bot.grammar.requests import (
    CANON_WORD,
    COMPARE_WORD,
    DRAFT_WORD,
    DRAFTS_WORD,
    FOR_WORD,
    HELP_WORDS,
    LIST_WORD,
    REVIEWS_WORD,
    SUGGESTION_WORDS_MAX,
    SUGGESTIONS_MAX,
    CompareRequest,
    DraftRequest,
    DraftsRequest,
    FrameRequest,
    GrammarError,
    HelpRequest,
    ListRequest,
    Request,
    ReviewsRequest,
    Suggestion,
    compare_example,
    example_words,
    families_listing,
)
from bot.grammar.words import (
    COMPARE_WORDS,
    MAX_QUOTED_WORDS,
    Kinds,
    closest,
    quoted,
    shortened,
    unknown_message,
)


def parse(words: Sequence[str] | str, vocabulary: Vocabulary) -> Request | GrammarError:
    """Parse the words of one request; words may come in any order and any case."""
    return _parse(words, vocabulary, suggest=True)


def _parse(words: Sequence[str] | str, vocabulary: Vocabulary, suggest: bool) -> Request | GrammarError:
    # `suggest` False: only whether the words work matters (checking a suggestion), so an
    # error comes without suggestions of its own.
    tokens = _phrases((words if isinstance(words, str) else " ".join(words)).split(), vocabulary)
    lowered = [token.lower() for token in tokens]
    example = example_words(vocabulary)
    kinds = Kinds(vocabulary)

    def error(message: str, candidates: Iterable[tuple[str, Sequence[str]]] = ()) -> GrammarError:
        return GrammarError(message, example, _offered(candidates, vocabulary) if suggest else ())

    if not tokens or any(token in HELP_WORDS for token in lowered):
        return HelpRequest()
    if lowered[0] == LIST_WORD:
        if len(tokens) > 1:
            return error(f"{LIST_WORD} takes no other words, but got {quoted(tokens[1:])}.",
                         [(LIST_WORD, [LIST_WORD])])
        return ListRequest()
    if lowered[0] == CANON_WORD:
        return error("The canon commands (canon check) run in the terminal, with the goals CLI.")
    if lowered[0] == DRAFTS_WORD:
        if len(tokens) > 1:
            return GrammarError(f"{DRAFTS_WORD} takes no other words, but got {quoted(tokens[1:])}; "
                                f"to start a draft, type {DRAFT_WORD} with a level, a family and "
                                "a framework.", DRAFTS_WORD,
                                (Suggestion(DRAFTS_WORD, DRAFTS_WORD),) if suggest else ())
        return DraftsRequest()
    if lowered[0] == REVIEWS_WORD:
        if len(tokens) > 1:
            return GrammarError(f"{REVIEWS_WORD} takes no other words, but got {quoted(tokens[1:])}.",
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
        message = unknown_message(read.unknown, vocabulary, family_known=bool(families))
        corrected = _corrected(tokens, read.unknown, vocabulary)
        return GrammarError(message, corrected[1] if corrected and corrected[2] else example,
                            _correction(corrected, vocabulary, suggest))
    if len(choices) > 1:
        return error(
            f"Give one framework or {ALL_WORD}: {quoted(list(choices.values()))} "
            "name different ones.",
            ((word, kinds.keeping(tokens, kinds.choice, kinds.choice(word))) for word in choices.values()),
        )
    if len(levels) > 1:
        return error(f"Give one level at a time: got {quoted(levels)}.",
                     ((code, kinds.keeping(tokens, kinds.level, code)) for code in levels))
    if len(families) > 1:
        return error(f"Give one job family at a time: got {quoted([f.slug for f in families])}.",
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
    kinds = Kinds(vocabulary)

    def error(message: str, candidates: Iterable[tuple[str, Sequence[str]]] = ()) -> GrammarError:
        offered = (_offered(((label, [COMPARE_WORD, *words]) for label, words in candidates), vocabulary)
                   if suggest else ())
        return GrammarError(message, example, offered)

    read = _Words.read(tokens, vocabulary)
    if read.unknown:
        corrected = _corrected(tokens, read.unknown, vocabulary, COMPARE_WORD)
        return GrammarError(unknown_message(read.unknown, vocabulary, bool(read.families), COMPARE_WORDS),
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
        got = f"got {quoted(read.levels)}" if read.levels else "got none"
        return error(f"{COMPARE_WORD} takes two levels, lower and higher in either order: {got}.",
                     ((code, [*tokens, code]) for code in vocabulary.level_codes if len(read.levels) == 1
                      and code not in read.levels))
    if not read.families:
        return error(f"Which job family? Families: {families_listing(vocabulary)}.",
                     ((f.slug, [*tokens, f.slug]) for f in vocabulary.families if f.level_codes))
    if len(read.families) > 2:
        return error(f"{COMPARE_WORD} takes one job family, or two (one per level): got "
                     f"{quoted([f.slug for f in read.families])}.")
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
        kinds = Kinds(vocabulary)
        others = [token for token in tokens if kinds.choice(token) is None]
        return GrammarError("A draft is of one framework: add smart, okr, mbo or scorecard.",
                            f"{DRAFT_WORD} {request.level} {request.family} okr",
                            drafting((framework.value, [*others, framework.value]) for framework in Framework))
    return GrammarError(f"{DRAFT_WORD} needs a level, a job family and one framework.", example,
                        _offered([(example, example.split())], vocabulary) if suggest else ())


def _corrected(tokens: Sequence[str], unknown: Sequence[str], vocabulary: Vocabulary,
               *before: str) -> tuple[str, str, bool] | None:
    """What the person typed (after `before`, the subcommand) with its unknown words corrected,
    each to its closest word: the corrections, those words, and whether they make the example
    an error offers (theirs, not another family's): only for one unknown word, the one the
    message names, and only where the words are a request that works."""
    matches = {word: closest(word, vocabulary) for word in unknown[:MAX_QUOTED_WORDS]}
    if len(unknown) > MAX_QUOTED_WORDS or any(m is None or m.lower() == w.lower() for w, m in matches.items()):
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
        found.append(Suggestion(shortened(label), words))
    return tuple(found)
