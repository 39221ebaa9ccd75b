"""Comparing two levels: every line is canon text or a fixed template, rows omitted, never invented.

Covers `bot.frames.comparison` (pairs, notes, sides in the canon's order), the stretch frame it carries
(`bot.frames.build.stretch_frame`), the plain-text form (`text_render.render_comparison`), the Block
Kit form (`bot.slack.compare.blocks`: pages, buttons, shared copies, Slack's limits and escaping)
and the `compare` words of the grammar.

The shipped canon is read here with the `json` module, not through the project's loader, so the
word-for-word checks do not trust the code under test to read the canon. Small canons written
inside the tests (`write_canon`) make sure the rules do not hold only by accident of the shipped
data: a level order where the first-listed code sorts last, gaps on either side, names that
differ only by case, text too long for a field, and enough dimensions to need several pages.
"""

from __future__ import annotations

import itertools
import json
import re
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from bot.canon.repository import CanonRepository, Vocabulary
from bot.frames import templates as t
from bot.frames.build import build_frame
from bot.frames.comparison import Comparison, Pair, RoleLevel, Side, compare, comparison_of
from bot.frames.frameworks import ALL_FRAMEWORKS, Framework
from bot.frames.model import Fixed, Placeholder, Stretch, Verbatim
from bot.frames.text import render_comparison, render_frame, render_labelled_frame
from bot.grammar.parse import parse
from bot.grammar.requests import CompareRequest, GrammarError
from bot.slack.compare.blocks import (
    ABSENT,
    comparison_message,
    comparison_pages,
    shared_comparison_messages,
    stretch_button,
)
from bot.slack.shared.ids import COMPARE_COPY_ACTION as COPY_ACTION
from bot.slack.shared.ids import COMPARE_PAGE_ACTION as PAGE_ACTION
from bot.slack.shared.ids import COMPARE_SHARE_ACTION as SHARE_ACTION
from bot.slack.shared.ids import COMPARE_STRETCH_ACTION as STRETCH_ACTION
from bot.slack.shared.layout import Message
from bot.slack.shared.limits import (
    BUTTON_VALUE_MAX,
    CONTEXT_ELEMENTS_MAX,
    FIELD_TEXT_MAX,
    FIELDS_MAX,
    HEADER_TEXT_MAX,
    SECTION_TEXT_MAX,
)
from bot.slack.shared.limits import MESSAGE_BLOCKS_MAX as MAX_BLOCKS
from bot.slack.shared.text import escaped_length
from bot.slack.shared.values import CompareRef
from support.block_texts import text_objects, unescape
from support.canon_files import family_doc, level_doc
from support.paths import SHIPPED_CANON

JSON = dict[str, Any]
WriteCanon = Callable[..., Path]
SLACK_ACTIONS_MAX = 25  # elements in one actions block


# The shipped canon, read straight from its files ----------------------------------------------

def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


RAW_LEVELS: dict[str, JSON] = {lv["code"]: lv for lv in _read_json(SHIPPED_CANON / "levels.json")["levels"]}
RAW_FAMILIES: dict[str, JSON] = {
    doc["slug"]: doc for doc in map(_read_json, sorted((SHIPPED_CANON / "families").glob("*.json")))}
LEVEL_ORDER = list(RAW_LEVELS)  # levels.json order is seniority, lowest first


@dataclass(frozen=True)
class RawSide:
    """One family at one level, as the canon files spell it."""

    slug: str
    code: str

    @property
    def family(self) -> JSON:
        return RAW_FAMILIES[self.slug]

    @property
    def level(self) -> JSON:
        return RAW_LEVELS[self.code]

    @property
    def canon(self) -> JSON:
        return self.family["levels"][self.code]

    @property
    def name(self) -> str:
        return str(self.family["name"])

    @property
    def title(self) -> str:
        return str(self.level["title"])

    @property
    def dimensions(self) -> list[tuple[str, str]]:
        return [(d["name"], d["text"]) for d in self.level.get("dimensions", [])]

    @property
    def responsibilities(self) -> list[str]:
        return list(self.canon.get("responsibilities", []))

    def rubric(self, field: str) -> str | None:
        return self.canon.get("rubrics", {}).get(field)

    @property
    def role(self) -> RoleLevel:
        return RoleLevel(self.slug, self.code)

    def __str__(self) -> str:
        return f"{self.slug}-{self.code}"


SHIPPED_SIDES = [RawSide(slug, code) for slug, doc in RAW_FAMILIES.items() for code in doc["levels"]]
# Every pair of shipped sides that can be compared (two different levels), lower level first.
COMPARABLE = [tuple(sorted(pair, key=lambda side: LEVEL_ORDER.index(side.code)))
              for pair in itertools.combinations(SHIPPED_SIDES, 2) if pair[0].code != pair[1].code]
PAIR_IDS = [f"{lower}-vs-{higher}" for lower, higher in COMPARABLE]


def canon_strings(*sides: RawSide) -> set[str]:
    """Every piece of canon text the sides hold, names included."""
    found: set[str] = set()
    for side in sides:
        found |= {side.name, side.family["function"], side.code, side.title, *side.responsibilities}
        found |= {rubric for field in t.RUBRIC_LABELS if (rubric := side.rubric(field))}
        for name, text in side.dimensions:
            found |= {name, name.lower(), text}  # frames lowercase a dimension's name in sentences
    return found


# Fixed template text --------------------------------------------------------------------------

def _template_strings() -> list[str]:
    found: list[str] = []
    for name, value in vars(t).items():
        if name.startswith("_"):
            continue
        values = value.values() if isinstance(value, dict) else value if isinstance(value, tuple) else [value]
        found += [v for v in values if isinstance(v, str)]
    return found


TEMPLATE_STRINGS = _template_strings()
TEMPLATE_FRAGMENTS = {literal for template in TEMPLATE_STRINGS
                      for literal, *_ in string.Formatter().parse(template) if literal.strip()}
# What text_render adds around the frames' own parts: numbering, "Area:", "[source: ...]".
LAYOUT_RESIDUE = re.compile(r"(?:[\s\d.:\-\[\]]|Objective|Area|source)*")


def unexplained(line: str, canon: Iterable[str]) -> str:
    """What is left of a line once canon text and fixed template text are taken out."""
    for piece in sorted({*canon, *TEMPLATE_FRAGMENTS}, key=len, reverse=True):
        line = line.replace(piece, "")
    return line


def comparison_lines(lower: RawSide, higher: RawSide, framework: Framework) -> set[str]:
    """Every line the comparison part (before the stretch frame) may hold, built from the canon
    files and the templates alone."""
    lines = {t.COMPARE_DISCLAIMER, t.COMPARE_DIMENSIONS, t.COMPARE_RUBRICS, *t.RUBRIC_LABELS.values(),
             t.STRETCH_TITLE.format(title=t.FRAMEWORK_TITLES[framework]), t.FRAMEWORK_INTROS[framework],
             stretch_label(lower, higher),
             t.COMPARE_INTRO.format(lower=lower.code, lower_title=lower.title, higher=higher.code,
                                    higher_title=higher.title)}
    if lower.slug == higher.slug:
        lines.add(t.COMPARE_TITLE_SAME_FAMILY.format(family=lower.name, lower=lower.code, higher=higher.code))
    else:
        lines.add(t.COMPARE_TITLE_CROSS_FAMILY.format(lower_family=lower.name, lower=lower.code,
                                                      higher_family=higher.name, higher=higher.code))
    for side in (lower, higher):
        lines.add(t.IDENTITY_LINE.format(function=side.family["function"], family=side.name, level=side.code,
                                         title=side.title))
        lines.add(t.COMPARE_RESPONSIBILITIES.format(family=side.name, level=side.code, title=side.title))
        lines.add(t.NOTE_COMPARE_NO_RESPONSIBILITIES.format(family=side.name, level=side.code))
        lines |= {f"  - {text}" for text in side.responsibilities}
        lines |= {name for name, _ in side.dimensions}
        lines |= {f"  {side.code}: {text}" for _, text in side.dimensions}
        lines |= {f"  {side.code}: {rubric}" for field in t.RUBRIC_LABELS if (rubric := side.rubric(field))}
    lines.add(t.NOTE_COMPARE_NO_DIMENSIONS.format(lower=lower.code, higher=higher.code))
    lines |= {t.NOTE_COMPARE_NO_RUBRIC.format(rubric=label.lower(), lower_family=lower.name, lower=lower.code,
                                              higher_family=higher.name, higher=higher.code)
              for label in t.RUBRIC_LABELS.values()}
    return lines


def stretch_label(lower: RawSide, higher: RawSide) -> str:
    return t.STRETCH_LABEL.format(family=higher.name, level=higher.code, title=higher.title,
                                  for_family=lower.name, for_level=lower.code, for_title=lower.title)


# Comparisons and their parts ------------------------------------------------------------------

def comparison(repository: CanonRepository, lower: RawSide | RoleLevel, higher: RawSide | RoleLevel,
               framework: Framework = Framework.OKR) -> Comparison:
    first = lower.role if isinstance(lower, RawSide) else lower
    second = higher.role if isinstance(higher, RawSide) else higher
    found = comparison_of(first, second, framework, repository)
    assert found is not None
    return found


def side(repository: CanonRepository, family: str, level: str) -> Side:
    found = repository.family_level(family, level)
    assert found is not None
    return Side(found[0], found[1])


def text_parts(text: str) -> list[str]:
    """The blank-line separated parts of a plain-text comparison."""
    return text.split("\n\n")


def comparison_part(compared: Comparison) -> str:
    """The plain text before the stretch frame's own rows."""
    text, frame = render_comparison(compared), render_frame(compared.stretch)
    assert text.endswith(f"\n\n{frame}")
    return text[: len(text) - len(frame)]


def responsibilities_part(compared: Comparison, which: Side) -> list[str]:
    head = compared.responsibilities_head(which)
    found = [part.split("\n") for part in text_parts(comparison_part(compared)) if part.startswith(head + "\n")]
    assert len(found) == 1, f"one responsibilities part for {which.level.code}"
    return found[0][1:]


def pairs_part(compared: Comparison, title: str) -> str | None:
    found = [part for part in text_parts(comparison_part(compared)) if part.split("\n", 1)[0] == title]
    assert len(found) <= 1
    return found[0] if found else None


def as_tuples(pairs: Iterable[Pair]) -> list[tuple[str, str | None, str | None]]:
    return [(pair.label, pair.lower, pair.higher) for pair in pairs]


# Block Kit ------------------------------------------------------------------------------------

def all_messages(compared: Comparison) -> list[Message]:
    pages = len(comparison_pages(compared))
    return [comparison_message(compared, page) for page in range(pages)] + shared_comparison_messages(
        compared, "U0SHARER")


def block_dicts(message: Message) -> list[JSON]:
    return message.as_kwargs()["blocks"]  # slack_sdk validates every block on the way


def plain_texts(messages: Iterable[Message]) -> list[str]:
    """Every plain_text object's text, unescaped, in order."""
    return [unescape(obj["text"]) for message in messages for obj in text_objects(block_dicts(message))
            if obj["type"] == "plain_text"]


def buttons(message: Message) -> list[JSON]:
    return [element for block in block_dicts(message) if block["type"] == "actions"
            for element in block["elements"]]


def action_ids(message: Message) -> list[str]:
    return [element["action_id"] for element in buttons(message)]


def ref_of(element: JSON) -> CompareRef:
    ref = CompareRef.parse(element["value"])
    assert ref is not None
    return ref


def section_with_label(message_blocks: list[JSON], label: str) -> JSON:
    found = [b for b in message_blocks if b["type"] == "section" and b.get("text", {}).get("type") == "plain_text"
             and unescape(b["text"]["text"]) == label]
    assert len(found) == 1, f"one section labelled {label!r}"
    return found[0]


def field_texts(block: JSON) -> list[str]:
    return [unescape(field["text"]) for field in block.get("fields", [])]


def assert_within_slack_limits(message: Message) -> None:
    blocks = block_dicts(message)
    assert len(blocks) <= MAX_BLOCKS
    for block in blocks:
        kind = block["type"]
        assert kind in {"header", "section", "context", "actions"}
        if kind == "header":
            assert len(block["text"]["text"]) <= HEADER_TEXT_MAX
        elif kind == "section":
            assert "text" in block or "fields" in block
            if "text" in block:
                assert 0 < len(block["text"]["text"]) <= SECTION_TEXT_MAX
            assert len(block.get("fields", [])) <= FIELDS_MAX
            assert all(0 < len(field["text"]) <= FIELD_TEXT_MAX for field in block.get("fields", []))
        elif kind == "context":
            assert 0 < len(block["elements"]) <= CONTEXT_ELEMENTS_MAX
            assert all(len(element["text"]) <= SECTION_TEXT_MAX for element in block["elements"])
        else:
            assert 0 < len(block["elements"]) <= SLACK_ACTIONS_MAX
            assert all(len(element["value"]) <= BUTTON_VALUE_MAX for element in block["elements"])


# 1. Word for word against the canon (shipped) ---------------------------------------------------

def test_the_shipped_canon_gives_the_comparable_pairs_these_tests_expect() -> None:
    assert [(str(lower), str(higher)) for lower, higher in COMPARABLE] == [
        ("clinical-trials-ops-M2", "clinical-project-management-M4"),
        ("clinical-trials-ops-M2", "clinical-trials-ops-M4"),
    ]


@pytest.mark.parametrize(("lower", "higher"), COMPARABLE, ids=PAIR_IDS)
def test_dimension_pairs_hold_each_levels_text_word_for_word(
        repository: CanonRepository, lower: RawSide, higher: RawSide) -> None:
    compared = comparison(repository, lower, higher)
    pairs = {pair.label.lower(): pair for pair in compared.dimensions}
    assert len(pairs) == len(compared.dimensions)
    assert set(pairs) == {name.lower() for name, _ in (*lower.dimensions, *higher.dimensions)}
    for name, text in lower.dimensions:
        assert pairs[name.lower()].lower == text
    for name, text in higher.dimensions:
        assert pairs[name.lower()].higher == text
    # The lower level's order first (the shipped levels share every dimension name).
    assert [pair.label for pair in compared.dimensions][: len(lower.dimensions)] == [n for n, _ in lower.dimensions]


@pytest.mark.parametrize(("lower", "higher"), COMPARABLE, ids=PAIR_IDS)
def test_rubric_pairs_hold_each_sides_rubric_word_for_word(
        repository: CanonRepository, lower: RawSide, higher: RawSide) -> None:
    compared = comparison(repository, lower, higher)
    assert as_tuples(compared.rubrics) == [
        (label, lower.rubric(field), higher.rubric(field)) for field, label in t.RUBRIC_LABELS.items()]
    assert all(pair.lower and pair.higher for pair in compared.rubrics)  # the shipped canon has both
    assert compared.notes == ()


@pytest.mark.parametrize(("lower", "higher"), COMPARABLE, ids=PAIR_IDS)
def test_text_lists_each_sides_responsibilities_verbatim_in_canon_order_once(
        repository: CanonRepository, lower: RawSide, higher: RawSide) -> None:
    compared = comparison(repository, lower, higher)
    before_stretch = comparison_part(compared)
    for raw, which in ((lower, compared.lower), (higher, compared.higher)):
        assert raw.responsibilities
        assert responsibilities_part(compared, which) == [f"  - {text}" for text in raw.responsibilities]
        for text in raw.responsibilities:
            assert before_stretch.count(text) == 1


@pytest.mark.parametrize(("lower", "higher"), COMPARABLE, ids=PAIR_IDS)
def test_text_shows_every_dimension_and_rubric_text_on_its_levels_line(
        repository: CanonRepository, lower: RawSide, higher: RawSide) -> None:
    compared = comparison(repository, lower, higher)
    lines = comparison_part(compared).split("\n")
    for raw in (lower, higher):
        for _, text in raw.dimensions:
            assert f"  {raw.code}: {text}" in lines
        for field in t.RUBRIC_LABELS:
            assert f"  {raw.code}: {raw.rubric(field)}" in lines
    dimensions = pairs_part(compared, t.COMPARE_DIMENSIONS)
    assert dimensions is not None
    for (name, lower_text), (_, higher_text) in zip(lower.dimensions, higher.dimensions, strict=True):
        assert f"\n{name}\n  {lower.code}: {lower_text}\n  {higher.code}: {higher_text}" in dimensions


@pytest.mark.parametrize("framework", ALL_FRAMEWORKS)
@pytest.mark.parametrize(("lower", "higher"), COMPARABLE, ids=PAIR_IDS)
def test_every_line_before_the_stretch_frame_is_canon_or_a_fixed_template(
        repository: CanonRepository, lower: RawSide, higher: RawSide, framework: Framework) -> None:
    compared = comparison(repository, lower, higher, framework)
    allowed = comparison_lines(lower, higher, framework)
    lines = [line for line in comparison_part(compared).split("\n") if line]
    assert [line for line in lines if line not in allowed] == []
    assert lines[0] == compared.title and lines[-2:] == [stretch_label(lower, higher), t.FRAMEWORK_INTROS[framework]]


@pytest.mark.parametrize("framework", ALL_FRAMEWORKS)
@pytest.mark.parametrize(("lower", "higher"), COMPARABLE, ids=PAIR_IDS)
def test_nothing_in_the_whole_text_is_unexplained(
        repository: CanonRepository, lower: RawSide, higher: RawSide, framework: Framework) -> None:
    compared = comparison(repository, lower, higher, framework)
    canon = canon_strings(lower, higher)
    leftovers = {line: rest for line in render_comparison(compared).split("\n")
                 if not LAYOUT_RESIDUE.fullmatch(rest := unexplained(line, canon))}
    assert leftovers == {}
    # The stretch frame's own parts: canon of the higher side, or fixed template text.
    for row in compared.stretch.rows:
        for part in (*row.heading, *(p for line in row.lines for p in line.parts)):
            if isinstance(part, Verbatim):
                assert part.text in canon_strings(higher)
            elif isinstance(part, Fixed):
                assert any(part.text in template for template in TEMPLATE_STRINGS)
            else:
                assert isinstance(part, Placeholder)


def test_an_invented_line_would_be_caught_by_the_checks_above() -> None:
    lower, higher = COMPARABLE[0]
    canon = canon_strings(lower, higher)
    assert not LAYOUT_RESIDUE.fullmatch(unexplained("  M2: Talk to your manager about it", canon))
    assert LAYOUT_RESIDUE.fullmatch(unexplained(f"  {lower.code}: {lower.dimensions[0][1]}", canon))


@pytest.mark.parametrize(("lower", "higher"), COMPARABLE, ids=PAIR_IDS)
def test_blocks_carry_every_canon_text_of_both_sides(
        repository: CanonRepository, lower: RawSide, higher: RawSide) -> None:
    compared = comparison(repository, lower, higher)
    texts = plain_texts(comparison_message(compared, page) for page in range(len(comparison_pages(compared))))
    shown = "\n".join(texts)
    for raw in (lower, higher):
        assert all(text in texts for _, text in raw.dimensions)  # each a field of its own
        assert all(raw.rubric(field) in texts for field in t.RUBRIC_LABELS)
        assert all(f"• {text}" in shown.split("\n") for text in raw.responsibilities)


def test_the_grammar_refuses_a_level_the_family_has_no_canon_for(repository: CanonRepository) -> None:
    vocabulary = repository.vocabulary()
    assert "M2" not in RAW_FAMILIES["clinical-project-management"]["levels"]
    error = parse("compare M2 M4 cpm", vocabulary)
    assert isinstance(error, GrammarError)
    assert error.message == "Clinical Project Management has no canon for M2; it has M4."
    assert comparison_of(RoleLevel("cpm", "M2"), RoleLevel("cpm", "M4"), Framework.OKR, repository) is None


# 2. The stretch frame is a frame ---------------------------------------------------------------

@pytest.mark.parametrize("framework", ALL_FRAMEWORKS)
@pytest.mark.parametrize(("lower", "higher"), COMPARABLE, ids=PAIR_IDS)
def test_the_stretch_frame_is_the_higher_levels_frame_labelled_for_the_lower(
        repository: CanonRepository, lower: RawSide, higher: RawSide, framework: Framework) -> None:
    compared = comparison(repository, lower, higher, framework)
    stretch = compared.stretch
    expected = build_frame(framework, compared.higher.family, compared.higher.level)
    assert (stretch.sections, stretch.rows, stretch.notes, stretch.canon_fingerprint) == (
        expected.sections, expected.rows, expected.notes, expected.canon_fingerprint)
    assert (stretch.framework, stretch.family_slug, stretch.level_code) == (framework, higher.slug, higher.code)
    assert stretch.stretch == Stretch(lower.slug, lower.name, lower.code, lower.title)
    assert stretch == replace(expected, stretch=stretch.stretch)
    assert expected.stretch is None and expected.stretch_label is None


@pytest.mark.parametrize("framework", ALL_FRAMEWORKS)
@pytest.mark.parametrize(("lower", "higher"), COMPARABLE, ids=PAIR_IDS)
def test_the_stretch_frame_names_both_levels_and_closes_the_text(
        repository: CanonRepository, lower: RawSide, higher: RawSide, framework: Framework) -> None:
    compared = comparison(repository, lower, higher, framework)
    stretch = compared.stretch
    assert stretch.heading == t.STRETCH_TITLE.format(title=t.FRAMEWORK_TITLES[framework])
    assert stretch.stretch_label == stretch_label(lower, higher)
    for raw in (lower, higher):
        assert f"{raw.name} · {raw.code} — {raw.title}" in stretch.stretch_label
    text = render_comparison(compared)
    assert text.endswith("\n\n" + render_frame(stretch))
    assert f"\n\n{stretch.heading}\n\n{stretch.stretch_label}\n{stretch.intro}\n\n{render_frame(stretch)}" in text
    assert render_labelled_frame(stretch) == f"{stretch.stretch_label}\n\n{render_frame(stretch)}"


# 3. Which side is lower ------------------------------------------------------------------------

@pytest.mark.parametrize("framework", ALL_FRAMEWORKS)
@pytest.mark.parametrize(("lower", "higher"), COMPARABLE, ids=PAIR_IDS)
def test_sides_given_higher_first_give_the_same_comparison(
        repository: CanonRepository, lower: RawSide, higher: RawSide, framework: Framework) -> None:
    forward = comparison(repository, lower, higher, framework)
    backward = comparison(repository, higher, lower, framework)
    assert backward == forward
    assert (forward.lower.level.code, forward.higher.level.code) == (lower.code, higher.code)
    assert render_comparison(backward) == render_comparison(forward)


@pytest.mark.parametrize(("words", "same_as"), [
    ("compare M4 M2 cto", "compare M2 M4 cto"),
    ("CTO m4 COMPARE m2", "compare M2 M4 cto"),
    ("compare M2 M4 clinical-trials-ops okr", "compare M2 M4 cto"),
    ("compare M2 cto M4 cpm", "cpm M4 compare cto M2"),
    ("compare M4 cpm M2 cto", "compare M2 cto M4 cpm"),
    ("compare cto M2 M4 cpm", "compare M2 cto M4 cpm"),
])
def test_the_order_of_the_words_does_not_change_the_request(
        repository: CanonRepository, words: str, same_as: str) -> None:
    vocabulary = repository.vocabulary()
    request = parse(words, vocabulary)
    assert isinstance(request, CompareRequest)
    assert request == parse(same_as, vocabulary)


def test_two_families_pair_with_the_levels_in_the_order_typed(repository: CanonRepository) -> None:
    vocabulary = repository.vocabulary()
    expected = CompareRequest(RoleLevel("clinical-trials-ops", "M2"),
                              RoleLevel("clinical-project-management", "M4"), Framework.OKR)
    assert parse("compare M2 cto M4 cpm", vocabulary) == expected
    assert parse("cpm M4 compare cto M2", vocabulary) == expected


@pytest.mark.parametrize(("word", "framework"), [("", Framework.OKR), ("okrs", Framework.OKR),
                                                 ("SMART", Framework.SMART), ("mbo", Framework.MBO),
                                                 ("scorecard", Framework.SCORECARD)])
def test_the_framework_of_the_stretch_frame_defaults_to_okr(
        repository: CanonRepository, word: str, framework: Framework) -> None:
    request = parse(f"compare M2 M4 cto {word}", repository.vocabulary())
    assert request == CompareRequest(RoleLevel("clinical-trials-ops", "M2"),
                                     RoleLevel("clinical-trials-ops", "M4"), framework)


def assert_refused(words: str, vocabulary: Vocabulary, says: str) -> GrammarError:
    error = parse(words, vocabulary)
    assert isinstance(error, GrammarError), f"{words!r} gave {error!r}"
    assert says in error.message
    assert isinstance(parse(error.example, vocabulary), CompareRequest), error.example
    return error


@pytest.mark.parametrize(("words", "says"), [
    ("compare M2 M2 cto", "compare needs two different levels, but both are M2."),
    ("compare M2 m2 cto", "compare needs two different levels, but both are M2."),
    ("compare M4 cto M4 cpm", "compare needs two different levels, but both are M4."),
    ("compare M2 cto", 'compare takes two levels, lower and higher in either order: got "M2".'),
    ("compare cto", "compare takes two levels, lower and higher in either order: got none."),
    ("compare", "got none"),
    ("compare M2 M4", "Which job family? Families: clinical-project-management (cpm), clinical-trials-ops (cto)."),
    ("compare M2 cpm M4 cpm", "Clinical Project Management has no canon for M2; it has M4."),
    ("compare M2 M4 cpm", "Clinical Project Management has no canon for M2; it has M4."),
    ("compare M2 M4 cto all", "compare shows one stretch frame"),
    ("compare M2 M4 cto smart mbo", "compare shows one stretch frame"),
    ("compare M2 M4 cto bananas", '"bananas"'),
    ("compare M2 M9 cto", 'Unknown level "M9"'),
])
def test_compare_errors_say_what_is_wrong_and_give_a_comparison_that_works(
        repository: CanonRepository, words: str, says: str) -> None:
    error = assert_refused(words, repository.vocabulary(), says)
    assert error.example == "compare M2 M4 clinical-trials-ops"


def test_an_unknown_word_in_compare_offers_only_words_compare_accepts(repository: CanonRepository) -> None:
    vocabulary = repository.vocabulary()
    error = parse("compare M2 M4 cto bananas", vocabulary)
    assert isinstance(error, GrammarError)
    offered = re.search(r"\(([^()]*)\)\.?$", error.message)
    words = re.split(r", | or ", offered.group(1)) if offered else []
    assert [word for word in words
            if not isinstance(parse(f"compare M2 M4 cto {word}", vocabulary), CompareRequest)] == []


@pytest.mark.parametrize("words", ["compare M2 M4 cto list", "M2 cto list"])
def test_a_word_of_ours_in_the_wrong_place_is_not_suggested_as_itself(repository: CanonRepository,
                                                                     words: str) -> None:
    error = parse(words, repository.vocabulary())
    assert isinstance(error, GrammarError)
    assert 'I don\'t understand "list".' in error.message
    assert "Did you mean" not in error.message


@pytest.mark.parametrize("words", ["compare M2 M4 cpm cto", "compare M2 cpm M4 cto", "cto cpm compare M4 M2"])
def test_two_families_pair_the_only_way_that_has_canon(repository: CanonRepository, words: str) -> None:
    assert parse(words, repository.vocabulary()) == CompareRequest(
        RoleLevel("clinical-trials-ops", "M2"), RoleLevel("clinical-project-management", "M4"), Framework.OKR)


def levels_z9_a1(write_canon: WriteCanon) -> CanonRepository:
    """A canon whose first-listed (lower) level has the code that sorts last, and three families."""
    levels = [level_doc("Z9", "Junior", dimensions=2), level_doc("A1", "Senior", dimensions=3),
              level_doc("K5", "Principal", dimensions=1)]
    families = [family_doc("widgets", aliases=["wdg"], levels={
                    code: {"responsibilities": [f"Widget work at {code}"]} for code in ("A1", "Z9", "K5")}),
                family_doc("gadgets", levels={"A1": {"responsibilities": ["Gadget work at A1"]}}),
                family_doc("gizmos", levels={"Z9": {"responsibilities": ["Gizmo work at Z9"]}})]
    return CanonRepository.open(write_canon(levels=levels, families=families))


@pytest.mark.parametrize("words", ["compare Z9 A1 widgets", "compare A1 Z9 wdg", "widgets a1 compare z9"])
def test_the_order_of_levels_in_levels_json_says_which_is_higher(write_canon: WriteCanon, words: str) -> None:
    repository = levels_z9_a1(write_canon)
    request = parse(words, repository.vocabulary())
    assert request == CompareRequest(RoleLevel("widgets", "Z9"), RoleLevel("widgets", "A1"), Framework.OKR)
    compared = comparison(repository, request.higher, request.lower)
    assert (compared.lower.level.code, compared.higher.level.code) == ("Z9", "A1")
    assert compared.title == "Widgets Family: Z9 → A1"
    assert compared.stretch.level_code == "A1" and compared.stretch.stretch is not None
    assert compared.stretch.stretch.level_code == "Z9"


def test_cross_family_sides_are_ordered_by_level_not_by_family(write_canon: WriteCanon) -> None:
    repository = levels_z9_a1(write_canon)
    vocabulary = repository.vocabulary()
    expected = CompareRequest(RoleLevel("gizmos", "Z9"), RoleLevel("gadgets", "A1"), Framework.MBO)
    assert parse("compare A1 gadgets Z9 gizmos mbo", vocabulary) == expected
    assert parse("compare gizmos Z9 mbo gadgets A1", vocabulary) == expected
    compared = comparison(repository, expected.higher, expected.lower, Framework.MBO)
    assert compared.title == "Gizmos Family · Z9 → Gadgets Family · A1"
    assert compared.stretch.family_slug == "gadgets"


@pytest.mark.parametrize(("words", "says"), [
    ("compare Z9 A1 K5 widgets", 'lower and higher in either order: got "Z9", "A1" and "K5".'),
    ("compare Z9 A1 widgets gadgets gizmos", 'got "widgets", "gadgets" and "gizmos"'),
    ("compare Z9 gadgets A1 gadgets", "Gadgets Family has no canon for Z9; it has A1."),
    ("compare Z9 Z9 widgets", "both are Z9"),
    ("compare Z9 A1 widgets all", "compare shows one stretch frame"),
    ("compare Z9 A1 widgets gizmo", '"gizmo"'),
])
def test_compare_errors_on_a_canon_of_our_own(write_canon: WriteCanon, words: str, says: str) -> None:
    vocabulary = levels_z9_a1(write_canon).vocabulary()
    assert_refused(words, vocabulary, says)


def test_the_error_example_works_when_no_family_has_two_levels(write_canon: WriteCanon) -> None:
    levels = [level_doc("L1", dimensions=1), level_doc("L2", "Two", dimensions=1)]
    families = [family_doc("aaa", levels={"L1": {}}), family_doc("bbb", levels={"L2": {}})]
    vocabulary = CanonRepository.open(write_canon(levels=levels, families=families)).vocabulary()
    error = assert_refused("compare L1 L2 aaa", vocabulary, "Aaa Family has no canon for L2; it has L1.")
    assert parse(error.example, vocabulary) == CompareRequest(RoleLevel("aaa", "L1"), RoleLevel("bbb", "L2"),
                                                              Framework.OKR)


def test_the_error_example_is_at_least_a_request_when_nothing_can_be_compared(write_canon: WriteCanon) -> None:
    levels = [level_doc("L1", dimensions=1), level_doc("L2", "Two", dimensions=1)]
    families = [family_doc("aaa", levels={"L1": {}}), family_doc("bbb", levels={"L1": {}})]
    vocabulary = CanonRepository.open(write_canon(levels=levels, families=families)).vocabulary()
    error = parse("compare L1 L2 aaa", vocabulary)
    assert isinstance(error, GrammarError)
    assert not isinstance(parse(error.example, vocabulary), GrammarError)


@pytest.mark.parametrize(("first", "second"), [
    (RoleLevel("cpm", "M2"), RoleLevel("cto", "M4")),  # cpm has no canon for M2
    (RoleLevel("cto", "M2"), RoleLevel("nobody", "M4")),  # no such family
    (RoleLevel("cto", "M2"), RoleLevel("cto", "M7")),  # no such level
    (RoleLevel("cto", "M4"), RoleLevel("cpm", "M4")),  # one level twice
    (RoleLevel("cto", "M2"), RoleLevel("clinical-trials-ops", "m2")),
])
def test_comparison_of_is_none_for_a_missing_side_or_one_level_twice(
        repository: CanonRepository, first: RoleLevel, second: RoleLevel) -> None:
    assert comparison_of(first, second, Framework.OKR, repository) is None
    assert comparison_of(second, first, Framework.OKR, repository) is None


def test_compare_and_side_refuse_what_cannot_be_compared(repository: CanonRepository) -> None:
    m4 = side(repository, "cto", "M4")
    with pytest.raises(ValueError, match="two different levels"):
        compare(m4, side(repository, "cpm", "M4"), Framework.OKR)
    cpm = repository.family("cpm")
    m2 = repository.level("M2")
    assert cpm is not None and m2 is not None
    with pytest.raises(ValueError, match="no canon for M2"):
        Side(cpm, m2)


# 4. Gaps on either side (a canon of our own) -----------------------------------------------------

GAPPY_LEVELS = [
    {"code": "L1", "title": "Junior", "dimensions": [
        {"name": "Scope", "text": "A task"},
        {"name": "Only lower", "text": "Lower-only bar"},
        {"name": "Craft", "text": "Learns the craft"}]},
    {"code": "L2", "title": "Senior", "dimensions": [
        {"name": "craft", "text": "Teaches the craft"},
        {"name": "SCOPE", "text": "A product"},
        {"name": "Only higher", "text": "Higher-only bar"}]},
]
GAPPY_FAMILY = family_doc("widgets", levels={
    "L1": {"responsibilities": ["Builds widgets", "Tests widgets"], "rubrics": {"complexity": "Solves widget bugs."}},
    "L2": {"responsibilities": []},
})


@pytest.fixture
def gappy(write_canon: WriteCanon) -> Comparison:
    repository = CanonRepository.open(write_canon(levels=GAPPY_LEVELS, families=[GAPPY_FAMILY]))
    return comparison(repository, RoleLevel("widgets", "L2"), RoleLevel("widgets", "L1"), Framework.SMART)


def test_dimensions_pair_by_name_in_any_case_and_keep_one_sided_ones_on_their_side(gappy: Comparison) -> None:
    assert as_tuples(gappy.dimensions) == [
        ("Scope", "A task", "A product"),
        ("Only lower", "Lower-only bar", None),
        ("Craft", "Learns the craft", "Teaches the craft"),
        ("Only higher", None, "Higher-only bar"),
    ]


def test_a_rubric_only_one_side_has_stays_on_that_side_and_one_neither_has_is_a_note(gappy: Comparison) -> None:
    assert as_tuples(gappy.rubrics) == [("Complexity / problem-solving", "Solves widget bugs.", None)]
    assert gappy.notes == (
        "The knowledge application rubric is left out: the canon has none for Widgets Family at L1 nor "
        "for Widgets Family at L2.",
        "The canon lists no responsibilities for Widgets Family at L2.",
    )


def test_text_shows_a_one_sided_row_on_its_side_only(gappy: Comparison) -> None:
    dimensions = pairs_part(gappy, t.COMPARE_DIMENSIONS)
    assert dimensions == "\n".join([
        "Level dimensions",
        "Scope", "  L1: A task", "  L2: A product",
        "Only lower", "  L1: Lower-only bar",
        "Craft", "  L1: Learns the craft", "  L2: Teaches the craft",
        "Only higher", "  L2: Higher-only bar",
    ])
    assert pairs_part(gappy, t.COMPARE_RUBRICS) == "\n".join([
        "Leveling rubrics", "Complexity / problem-solving", "  L1: Solves widget bugs."])


def test_a_side_without_responsibilities_has_a_note_and_no_list(gappy: Comparison) -> None:
    assert responsibilities_part(gappy, gappy.lower) == ["  - Builds widgets", "  - Tests widgets"]
    head = gappy.responsibilities_head(gappy.higher)
    text = render_comparison(gappy)
    assert head not in text
    assert "\n\n" + "\n".join(gappy.notes) + "\n\n" in comparison_part(gappy)
    shown = plain_texts(all_messages(gappy))
    assert not any(head in text for text in shown)
    assert any(text.startswith(gappy.responsibilities_head(gappy.lower) + "\n• Builds widgets") for text in shown)
    assert "\n".join(gappy.notes) in shown


def test_blocks_show_a_dash_where_a_side_has_nothing(gappy: Comparison) -> None:
    blocks = block_dicts(comparison_message(gappy))
    assert field_texts(section_with_label(blocks, "Only lower")) == ["Lower-only bar", ABSENT]
    assert field_texts(section_with_label(blocks, "Only higher")) == [ABSENT, "Higher-only bar"]
    assert field_texts(section_with_label(blocks, "Complexity / problem-solving")) == ["Solves widget bugs.", ABSENT]
    assert field_texts(section_with_label(blocks, "Scope")) == ["A task", "A product"]
    heads = [b for b in blocks if b["type"] == "section" and b.get("text", {}).get("type") == "mrkdwn"]
    assert [(b["text"]["text"], field_texts(b)) for b in heads] == [
        ("*Level dimensions*", []), ("*Leveling rubrics*", [])]
    columns = [b for b in blocks if b["type"] == "section" and "text" not in b]
    assert [field_texts(b) for b in columns] == [["L1 — Junior", "L2 — Senior"]]
    assert not any(text == "Knowledge application" for text in plain_texts([comparison_message(gappy)]))


def test_the_stretch_frame_of_a_gappy_canon_is_still_build_frame(gappy: Comparison) -> None:
    expected = build_frame(Framework.SMART, gappy.higher.family, gappy.higher.level)
    assert gappy.stretch == replace(expected, stretch=Stretch("widgets", "Widgets Family", "L1", "Junior"))
    assert render_comparison(gappy).endswith("\n\n" + render_frame(expected))
    assert expected.rows == ()  # L2 lists no responsibilities: the frame says so instead of inventing rows


def test_no_dimensions_on_either_level_is_a_note(write_canon: WriteCanon) -> None:
    root = write_canon(levels=[level_doc("L1", dimensions=0), level_doc("L2", "Two", dimensions=0)],
                       families=[family_doc(levels={"L1": {"responsibilities": ["a"]},
                                                    "L2": {"responsibilities": ["b"]}})])
    compared = comparison(CanonRepository.open(root), RoleLevel("widgets", "L1"), RoleLevel("widgets", "L2"))
    assert compared.dimensions == ()
    assert compared.notes == (
        "Level dimensions are left out: neither L1 nor L2 has any in the canon.",
        "The complexity / problem-solving rubric is left out: the canon has none for Widgets Family at L1 nor "
        "for Widgets Family at L2.",
        "The knowledge application rubric is left out: the canon has none for Widgets Family at L1 nor "
        "for Widgets Family at L2.",
    )
    text = render_comparison(compared)
    assert pairs_part(compared, t.COMPARE_DIMENSIONS) is None and pairs_part(compared, t.COMPARE_RUBRICS) is None
    assert "\n".join(compared.notes) in text
    mrkdwn = [obj["text"] for obj in text_objects(block_dicts(comparison_message(compared)))
              if obj["type"] == "mrkdwn"]
    assert mrkdwn == []


def test_dimensions_on_the_higher_level_only_show_on_its_side(write_canon: WriteCanon) -> None:
    root = write_canon(levels=[level_doc("L1", dimensions=0), level_doc("L2", "Two", dimensions=2)],
                       families=[family_doc(levels={"L1": {"responsibilities": ["a"]},
                                                    "L2": {"responsibilities": ["b"]}})])
    compared = comparison(CanonRepository.open(root), RoleLevel("widgets", "L1"), RoleLevel("widgets", "L2"))
    assert as_tuples(compared.dimensions) == [("Dimension 1", None, "Bar 1 of L2"),
                                              ("Dimension 2", None, "Bar 2 of L2")]
    assert not any(note.startswith("Level dimensions") for note in compared.notes)
    assert "  L1:" not in (pairs_part(compared, t.COMPARE_DIMENSIONS) or "")


# Long canon text and many dimensions -------------------------------------------------------------

def long_text_comparison(write_canon: WriteCanon, lower_text: str, higher_text: str) -> Comparison:
    levels = [{"code": "L1", "title": "One", "dimensions": [{"name": "Scope", "text": lower_text}]},
              {"code": "L2", "title": "Two", "dimensions": [{"name": "Scope", "text": higher_text}]}]
    root = write_canon(levels=levels, families=[family_doc(levels={
        "L1": {"responsibilities": ["a"], "rubrics": {"complexity": "c1"}},
        "L2": {"responsibilities": ["b"], "rubrics": {"complexity": "c2"}}})])
    return comparison(CanonRepository.open(root), RoleLevel("widgets", "L1"), RoleLevel("widgets", "L2"))


def scope_blocks(message: Message) -> list[JSON]:
    """The blocks of the Scope pair: its label section and whatever follows up to the rubrics."""
    blocks = block_dicts(message)
    start = blocks.index(section_with_label(blocks, "Scope"))
    end = next(i for i, b in enumerate(blocks) if b.get("text", {}).get("text") == "*Leveling rubrics*")
    return blocks[start:end]


@pytest.mark.parametrize("lower_text", [
    "x" * 2001,
    "x" * 1997 + "&",  # 1998 characters, 2001 once escaped
    "word " * 500,
    ("Long canon text & more <!channel>. " * 200).strip(),  # over 3000: several sections
])
def test_text_too_long_for_a_field_falls_back_to_sections_one_side_after_the_other(
        write_canon: WriteCanon, lower_text: str) -> None:
    compared = long_text_comparison(write_canon, lower_text, "Short higher text")
    message = comparison_message(compared)
    assert_within_slack_limits(message)
    blocks = scope_blocks(message)
    assert all("fields" not in block for block in blocks)
    texts = [unescape(block["text"]["text"]) for block in blocks[1:]]
    assert texts[-1] == "L2: Short higher text"
    assert "".join(texts[:-1]) == f"L1: {lower_text}"
    assert render_comparison(compared).count(f"  L1: {lower_text}\n  L2: Short higher text") == 1


@pytest.mark.parametrize("length", [1, 1999, 2000])
def test_text_that_fits_a_field_stays_side_by_side(write_canon: WriteCanon, length: int) -> None:
    lower_text = "y" * length
    compared = long_text_comparison(write_canon, lower_text, "Short higher text")
    (block,) = scope_blocks(comparison_message(compared))
    assert field_texts(block) == [lower_text, "Short higher text"]


def test_long_text_on_the_higher_side_only_keeps_the_lower_side_absent(write_canon: WriteCanon) -> None:
    levels = [{"code": "L1", "title": "One", "dimensions": [{"name": "Other", "text": "o"}]},
              {"code": "L2", "title": "Two", "dimensions": [{"name": "Scope", "text": "z" * 2500}]}]
    root = write_canon(levels=levels, families=[family_doc(levels={"L1": {}, "L2": {}})])
    compared = comparison(CanonRepository.open(root), RoleLevel("widgets", "L1"), RoleLevel("widgets", "L2"))
    assert as_tuples(compared.dimensions) == [("Other", "o", None), ("Scope", None, "z" * 2500)]
    message = comparison_message(compared)
    assert_within_slack_limits(message)
    blocks = block_dicts(message)
    start = blocks.index(section_with_label(blocks, "Scope"))
    assert "fields" not in blocks[start] and "fields" not in blocks[start + 1]
    assert unescape(blocks[start + 1]["text"]["text"]) == "L2: " + "z" * 2500
    assert blocks[start + 2]["type"] == "context"  # the notes: no "L1:" section and no dash for the absent side


def many_dimensions(write_canon: WriteCanon, count: int) -> Comparison:
    root = write_canon(levels=[level_doc("L1", dimensions=count), level_doc("L2", "Two", dimensions=count)],
                       families=[family_doc(levels={"L1": {"responsibilities": ["Builds"]},
                                                    "L2": {"responsibilities": ["Leads"]}})])
    return comparison(CanonRepository.open(root), RoleLevel("widgets", "L2"), RoleLevel("widgets", "L1"))


@pytest.mark.parametrize(("count", "pages"), [(60, 2), (120, 3)])
def test_many_dimensions_fill_several_pages_each_within_slack_limits(
        write_canon: WriteCanon, count: int, pages: int) -> None:
    compared = many_dimensions(write_canon, count)
    assert len(comparison_pages(compared)) == pages
    messages = [comparison_message(compared, page) for page in range(pages)]
    for page, message in enumerate(messages):
        assert_within_slack_limits(message)
        ids = action_ids(message)
        assert (f"{PAGE_ACTION}prev" in ids) is (page > 0)
        assert (f"{PAGE_ACTION}next" in ids) is (page < pages - 1)
        for element in buttons(message):
            if element["action_id"].startswith(PAGE_ACTION):
                step = 1 if element["action_id"].endswith("next") else -1
                assert ref_of(element).page == page + step
        assert f"Page {page + 1} of {pages}. {t.COMPARE_DISCLAIMER}" in plain_texts([message])
        assert message.text.endswith(f"(page {page + 1} of {pages})")
        # Every page says which column is which level.
        columns = [b for b in block_dicts(message) if b["type"] == "section" and "text" not in b]
        assert [field_texts(b) for b in columns] == [[compared.lower.head, compared.higher.head]]
    texts = plain_texts(messages)
    for code in ("L1", "L2"):
        for i in range(1, count + 1):
            assert texts.count(f"Bar {i} of {code}") == 1, f"Bar {i} of {code}"
    assert comparison_message(compared, 999) == messages[-1]


@pytest.mark.parametrize(("count", "pages"), [(60, 2), (120, 3)])
def test_shared_copies_of_a_long_comparison_hold_every_page(write_canon: WriteCanon, count: int, pages: int) -> None:
    compared = many_dimensions(write_canon, count)
    shared = shared_comparison_messages(compared, "U123")
    assert len(shared) == pages
    for message in shared:
        assert_within_slack_limits(message)
    texts = plain_texts(shared)
    assert all(texts.count(f"Bar {i} of L2") == 1 for i in range(1, count + 1))


# 5. Slack safety -------------------------------------------------------------------------------

NASTY = "<!channel> <@U123> *bold* _it_ ~gone~ `code` :smile: & <https://example.com|click>"


@pytest.fixture
def nasty(write_canon: WriteCanon) -> Comparison:
    levels = [{"code": "L1", "title": f"Junior {NASTY}", "dimensions": [
                  {"name": f"Scope {NASTY}", "text": f"Lower {NASTY}"},
                  {"name": "Lower only", "text": f"L {NASTY}"}]},
              {"code": "L2", "title": "Senior &", "dimensions": [
                  {"name": f"SCOPE {NASTY}", "text": f"Higher {NASTY}"}]}]
    family = family_doc("widgets", name=f"Widgets {NASTY}", function=f"Making {NASTY}", levels={
        "L1": {"responsibilities": [f"Builds {NASTY}"], "rubrics": {"complexity": f"Complex {NASTY}"}},
        "L2": {"responsibilities": [f"Leads {NASTY}"], "rubrics": {"knowledge_application": f"Knows {NASTY}"}}})
    root = write_canon(levels=levels, families=[family])
    return comparison(CanonRepository.open(root), RoleLevel("widgets", "L1"), RoleLevel("widgets", "L2"))


def test_canon_markup_reaches_blocks_only_as_escaped_plain_text(nasty: Comparison) -> None:
    messages = all_messages(nasty)
    objects = [obj for message in messages for obj in text_objects(block_dicts(message))]
    mrkdwn = {obj["text"] for obj in objects if obj["type"] == "mrkdwn"}
    assert mrkdwn == {"*Level dimensions*", "*Leveling rubrics*", "*Shared by*", "<@U0SHARER>"}
    for obj in objects:
        if obj["type"] == "plain_text":
            assert "<" not in obj["text"] and ">" not in obj["text"]
            assert not re.search(r"&(?!amp;|lt;|gt;)", obj["text"])
    raw = [obj["text"] for obj in objects if obj["type"] == "plain_text"]
    assert any("&lt;!channel&gt; &lt;@U123&gt; *bold*" in text for text in raw)
    shown = plain_texts(messages)
    for text in (f"Lower {NASTY}", f"Higher {NASTY}", f"L {NASTY}", f"Complex {NASTY}", f"Knows {NASTY}",
                 f"Scope {NASTY}"):
        assert text in shown
    assert any(f"• Builds {NASTY}" in text for text in shown)
    assert all(obj.get("emoji") is False for obj in objects
               if obj["type"] == "plain_text" and NASTY in unescape(obj["text"]))
    for message in messages:
        assert "<" not in message.text and ">" not in message.text


def test_canon_markup_is_kept_as_written_in_the_text(nasty: Comparison) -> None:
    text = render_comparison(nasty)
    assert f"  L1: Lower {NASTY}\n  L2: Higher {NASTY}" in text
    assert f"  - Builds {NASTY}" in text
    assert "&lt;" not in text and "&amp;" not in text


@pytest.mark.parametrize("framework", ALL_FRAMEWORKS)
@pytest.mark.parametrize(("lower", "higher"), COMPARABLE, ids=PAIR_IDS)
def test_shipped_comparisons_stay_within_slack_limits(
        repository: CanonRepository, lower: RawSide, higher: RawSide, framework: Framework) -> None:
    for message in all_messages(comparison(repository, lower, higher, framework)):
        assert_within_slack_limits(message)


def test_long_names_shrink_the_pages_instead_of_overflowing_them(write_canon: WriteCanon) -> None:
    long = "N" * 199 + "&"
    levels = [level_doc("L1", long, dimensions=70), level_doc("L2", long, dimensions=70)]
    root = write_canon(levels=levels, families=[
        family_doc(name=long, function=long, levels={"L1": {"responsibilities": ["x " * 900]},
                                                     "L2": {"responsibilities": ["y " * 900]}})])
    compared = comparison(CanonRepository.open(root), RoleLevel("widgets", "L1"), RoleLevel("widgets", "L2"))
    assert len(compared.title) > HEADER_TEXT_MAX
    for message in all_messages(compared):
        assert_within_slack_limits(message)
    assert all(escaped_length(text) <= SECTION_TEXT_MAX for text in plain_texts(all_messages(compared)))


# 6. CompareRef --------------------------------------------------------------------------------

REF = CompareRef(lower_family="clinical-trials-ops", lower_level="M2", higher_family="clinical-project-management",
                 higher_level="M4", framework=Framework.SCORECARD, page=3)
GOOD: JSON = {"lf": "a", "ll": "L1", "hf": "b", "hl": "L2", "w": "okr", "p": 1}
GOOD_JSON = json.dumps(GOOD)


@pytest.mark.parametrize("ref", [REF, REF.model_copy(update={"page": 0}),
                                 *(REF.model_copy(update={"framework": fw}) for fw in ALL_FRAMEWORKS)])
def test_compare_ref_round_trips(ref: CompareRef) -> None:
    value = ref.value()
    assert len(value) <= BUTTON_VALUE_MAX
    assert CompareRef.parse(value) == ref
    assert CompareRef.parse(GOOD_JSON) == CompareRef(lower_family="a", lower_level="L1", higher_family="b",
                                                    higher_level="L2", framework=Framework.OKR, page=1)



@pytest.mark.parametrize("value", [
    json.dumps({**GOOD, "x": 1}),  # an extra key
    json.dumps({**GOOD, "p": -1}),  # a negative page
    json.dumps({**GOOD, "p": 1001}),
    json.dumps({**GOOD, "p": "1"}),  # wrong types
    json.dumps({**GOOD, "p": True}),
    json.dumps({**GOOD, "p": 1.5}),
    json.dumps({**GOOD, "lf": 5}),
    json.dumps({**GOOD, "hl": None}),
    json.dumps({**GOOD, "w": "all"}),
    json.dumps({**GOOD, "w": "OKR"}),
    json.dumps({**GOOD, "lf": ""}),
    *(json.dumps({k: v for k, v in GOOD.items() if k != key}) for key in ("lf", "ll", "hf", "hl", "w")),
    json.dumps([GOOD]),
    "not json",
    "",
    None,
    7,
    GOOD,  # a dict, not its JSON
])
def test_compare_ref_refuses_anything_but_its_own_json(value: object) -> None:
    assert CompareRef.parse(value) is None


def test_a_missing_page_means_page_zero() -> None:
    ref = CompareRef.parse(json.dumps({k: v for k, v in GOOD.items() if k != "p"}))
    assert ref is not None and ref.page == 0


def test_compare_ref_of_a_comparison_points_at_its_sides(repository: CanonRepository) -> None:
    lower, higher = next((lo, hi) for lo, hi in COMPARABLE if lo.slug != hi.slug)
    compared = comparison(repository, higher, lower, Framework.MBO)
    assert CompareRef.of(compared, 2) == CompareRef(lower_family=lower.slug, lower_level=lower.code,
                                                    higher_family=higher.slug, higher_level=higher.code,
                                                    framework=Framework.MBO, page=2)


@pytest.mark.parametrize("chosen", ALL_FRAMEWORKS)
def test_the_stretch_button_shows_the_chosen_stretch_frame_unstyled(chosen: Framework) -> None:
    # One button, not one per framework: the stretch frame's own menu switches it in place.
    ref = REF.model_copy(update={"framework": chosen, "page": 3})
    found = stretch_button(ref).to_dict()
    assert found["action_id"] == f"{STRETCH_ACTION}{chosen.value}"
    assert "style" not in found
    assert ref_of(found) == ref.model_copy(update={"page": 0})


# 7. Shared copies -----------------------------------------------------------------------------

@pytest.mark.parametrize("framework", ALL_FRAMEWORKS)
def test_a_shared_copy_names_the_sharer_and_offers_only_copy_and_stretch(
        write_canon: WriteCanon, framework: Framework) -> None:
    sixty = many_dimensions(write_canon, 60)
    compared = compare(sixty.lower, sixty.higher, framework)
    shared = shared_comparison_messages(compared, "U123<!channel>")
    assert len(shared) == 2
    private = [comparison_message(compared, page) for page in range(len(shared))]
    for page, (message, own) in enumerate(zip(shared, private, strict=True)):
        blocks = block_dicts(message)
        assert blocks[0] == {"type": "context", "elements": [
            {"type": "mrkdwn", "text": "*Shared by*", "verbatim": True}, {"type": "mrkdwn", "text": "<@U123channel>"}]}
        assert blocks[1:-1] == block_dicts(own)[:-1]
        assert action_ids(message) == [f"{STRETCH_ACTION}{framework.value}", COPY_ACTION]
        assert SHARE_ACTION in action_ids(own)
        assert ref_of(buttons(message)[0]).framework is framework
        assert not any(e.get("style") for e in buttons(message))
        assert ref_of(buttons(message)[-1]).page == page


def test_the_private_message_has_copy_and_share(repository: CanonRepository) -> None:
    # The stretch frame is the message after it, with its own menu: no stretch buttons here.
    compared = comparison(repository, *COMPARABLE[0])
    message = comparison_message(compared)
    assert action_ids(message) == [COPY_ACTION, SHARE_ACTION]
    assert block_dicts(message)[0]["type"] == "header"
    assert message.text == f"Compare {compared.title}"
