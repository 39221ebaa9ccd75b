"""The rules that turn canon into frames (canon-format.md), on small canons.

Each omission case has a defined outcome: the row or line is absent, the rest of the
frame is unchanged, and the frame carries a note saying what was left out and why.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.canon.model import Family, Level
from bot.canon.repository import CanonRepository
from bot.frames.build import build_frame
from bot.frames.frameworks import ALL_FRAMEWORKS, Framework
from bot.frames.model import Fixed, Frame, Placeholder, PlaceholderKind, Verbatim
from bot.frames.text import render_frame


def make(responsibilities: int = 3, dimensions: int = 3, complexity: bool = True,
         knowledge: bool = True, dimension_names: list[str] | None = None) -> tuple[Family, Level]:
    names = dimension_names or [f"Dim {i}" for i in range(1, dimensions + 1)]
    level = Level(code="L1", title="Level One",
                  dimensions=[{"name": n, "text": f"{n} bar text"} for n in names])
    rubrics: dict[str, Any] = {}
    if complexity:
        rubrics["complexity"] = "Complexity rubric text."
    if knowledge:
        rubrics["knowledge_application"] = "Knowledge rubric text."
    family = Family(slug="widgets", name="Widgets", function="Making", levels={
        "L1": {"responsibilities": [f"Responsibility {i}" for i in range(1, responsibilities + 1)],
               "rubrics": rubrics},
    })
    return family, level


def labels(frame: Frame) -> list[list[str]]:
    return [[line.label for line in row.lines] for row in frame.rows]


# SMART ---------------------------------------------------------------------------------

def test_smart_has_one_goal_per_responsibility_with_all_five_lines() -> None:
    frame = build_frame(Framework.SMART, *make(responsibilities=3))
    assert [row.heading for row in frame.rows] == [
        (Verbatim(f"Responsibility {i}"),) for i in (1, 2, 3)]
    assert labels(frame) == [["Specific", "Measurable", "Achievable", "Relevant", "Time-bound"]] * 3
    assert frame.notes == ()


def test_smart_without_complexity_rubric_leaves_out_achievable_only() -> None:
    frame = build_frame(Framework.SMART, *make(complexity=False))
    assert labels(frame) == [["Specific", "Measurable", "Relevant", "Time-bound"]] * 3
    assert "Achievable:" not in render_frame(frame)
    assert len(frame.notes) == 1 and "Achievable is left out" in frame.notes[0]


# OKRs ----------------------------------------------------------------------------------

def test_okr_kr2_of_objective_i_is_backed_by_the_ith_dimension() -> None:
    frame = build_frame(Framework.OKR, *make(responsibilities=3, dimensions=3))
    kr2_texts = [row.lines[1].parts for row in frame.rows]
    for index, parts in enumerate(kr2_texts, start=1):
        verbatim = [p.text for p in parts if isinstance(p, Verbatim)]
        assert verbatim == [f"dim {index}", f"Dim {index} bar text"]  # name lowercased


def test_okr_with_fewer_dimensions_has_kr1_alone_past_the_last_dimension() -> None:
    frame = build_frame(Framework.OKR, *make(responsibilities=4, dimensions=2))
    assert labels(frame) == [["KR1", "KR2"], ["KR1", "KR2"], ["KR1"], ["KR1"]]
    assert frame.notes and "objectives 3–4" in frame.notes[0]
    text = render_frame(frame)
    assert text.count("KR2.") == 2 and text.count("KR1.") == 4


def test_okr_with_more_dimensions_than_responsibilities_uses_the_first_ones() -> None:
    frame = build_frame(Framework.OKR, *make(responsibilities=2, dimensions=6))
    assert labels(frame) == [["KR1", "KR2"], ["KR1", "KR2"]]
    assert frame.notes == ()


def test_okr_for_a_level_with_no_dimensions_has_only_kr1() -> None:
    frame = build_frame(Framework.OKR, *make(responsibilities=2, dimensions=0))
    assert labels(frame) == [["KR1"], ["KR1"]]
    assert "objectives 1–2" in frame.notes[0]


# MBO -----------------------------------------------------------------------------------

def test_mbo_areas_are_marked_reused_and_carry_the_knowledge_rubric() -> None:
    frame = build_frame(Framework.MBO, *make(responsibilities=2))
    assert labels(frame) == [["Standard", "Target", "Due"]] * 2
    assert all(str(row.source) == "JFM responsibility (L1) — reused, no distinct responsibility content"
               for row in frame.rows)


def test_mbo_without_knowledge_rubric_leaves_out_the_standard_line_only() -> None:
    frame = build_frame(Framework.MBO, *make(responsibilities=2, knowledge=False))
    assert labels(frame) == [["Target", "Due"]] * 2
    text = render_frame(frame)
    assert "Standard" not in text.split("\n\n")[0]
    assert "   Target:   ⟨target⟩   Due: ⟨date⟩" in text
    assert "Standard is left out" in frame.notes[0]


# Scorecard -----------------------------------------------------------------------------

def test_scorecard_lists_responsibilities_then_every_dimension() -> None:
    frame = build_frame(Framework.SCORECARD, *make(responsibilities=2, dimensions=5))
    assert [s.title for s in frame.sections] == ["Internal process", "Role calibration"]
    assert [len(s.rows) for s in frame.sections] == [2, 5]
    assert "Financial" not in render_frame(frame) and "Customer" not in render_frame(frame)


def test_scorecard_leaves_out_a_perspective_with_no_rows() -> None:
    no_dims = build_frame(Framework.SCORECARD, *make(responsibilities=2, dimensions=0))
    assert [s.title for s in no_dims.sections] == ["Internal process"]
    assert "Role calibration" not in render_frame(no_dims).split("\n\n")[0]
    no_resps = build_frame(Framework.SCORECARD, *make(responsibilities=0, dimensions=2))
    assert [s.title for s in no_resps.sections] == ["Role calibration"]


def test_dimension_names_are_lowercased_in_sentences_and_kept_in_source_tags() -> None:
    frame = build_frame(Framework.SCORECARD,
                        *make(responsibilities=0, dimension_names=["Decision rights"]))
    (row,) = frame.rows
    assert str(row.source) == "level dimension (Decision rights)"
    assert render_frame(frame).startswith(
        'Role calibration\n  - Meets the decision rights bar: "Decision rights bar text"')


# A family level with no responsibilities -------------------------------------------------

def test_no_responsibilities_gives_rowless_frames_that_say_why() -> None:
    family, level = make(responsibilities=0, dimensions=0)
    for framework in ALL_FRAMEWORKS:
        frame = build_frame(framework, family, level)
        assert frame.rows == ()
        assert frame.notes, framework
        # The text is the notes alone: no heading, number or placeholder with nothing behind it.
        assert render_frame(frame) == "\n".join(frame.notes)
        assert "⟨" not in render_frame(frame)


def test_level_the_family_has_no_canon_for_builds_like_no_responsibilities() -> None:
    family, _ = make()
    other = Level(code="L9", title="Level Nine", dimensions=[{"name": "Scope", "text": "Big"}])
    frame = build_frame(Framework.SMART, family, other)
    assert frame.rows == () and "no responsibilities" in frame.notes[0]


# Keys and verbatim text ------------------------------------------------------------------

def test_placeholder_keys_are_unique_and_survive_reordering_of_the_canon() -> None:
    family, level = make(responsibilities=3)
    frame = build_frame(Framework.SMART, family, level)
    keys = [p.key for p in frame.placeholders()]
    assert len(keys) == len(set(keys)) == 3 * 4  # baseline, target, date; and the time-bound date
    reordered = family.model_copy(update={"levels": {"L1": family.levels["L1"].model_copy(
        update={"responsibilities": tuple(reversed(family.levels["L1"].responsibilities))})}})
    again = build_frame(Framework.SMART, reordered, level)
    assert sorted(p.key for p in again.placeholders()) == sorted(keys)
    assert again.canon_fingerprint != frame.canon_fingerprint


def test_markup_and_unicode_in_canon_stay_verbatim() -> None:
    text = "Leads <!channel> & <@U123> *bold* _it_ <https://x|y> — naïve 🚀  twice-spaced"
    family = Family(slug="w", name="W", function="F",
                    levels={"L1": {"responsibilities": [text]}})
    level = Level(code="L1", title="T")
    rendered = render_frame(build_frame(Framework.SMART, family, level))
    assert rendered.startswith(f"1. {text}  [source: JFM responsibility (L1)]")
    assert f'Deliver: "{text}"' in rendered


def _canon_strings(family: Family, level: Level) -> set[str]:
    strings = {family.name, family.function, level.code, level.title}
    for dimension in level.dimensions:
        strings |= {dimension.name.lower(), dimension.text}
    canon = family.levels.get(level.code)
    if canon:
        strings |= set(canon.responsibilities)
        strings |= {r for r in (canon.rubrics.complexity, canon.rubrics.knowledge_application) if r}
    return strings


def _assert_nothing_invented(frame: Frame, family: Family, level: Level) -> None:
    allowed = _canon_strings(family, level)
    for row in frame.rows:
        for parts in (row.heading, *(line.parts for line in row.lines)):
            for part in parts:
                assert isinstance(part, Fixed | Verbatim | Placeholder)
                if isinstance(part, Verbatim):
                    assert part.text in allowed, part.text


def test_every_verbatim_part_of_the_shipped_frames_is_canon(repository: CanonRepository) -> None:
    for family in repository.families():
        for code in family.levels:
            level = repository.level(code)
            assert level is not None
            for framework in ALL_FRAMEWORKS:
                _assert_nothing_invented(build_frame(framework, family, level), family, level)


@settings(max_examples=150, deadline=None)
@given(responsibilities=st.integers(0, 8), dimensions=st.integers(0, 8),
       complexity=st.booleans(), knowledge=st.booleans())
def test_row_counts_follow_the_rules_for_any_canon_shape(
        responsibilities: int, dimensions: int, complexity: bool, knowledge: bool) -> None:
    family, level = make(responsibilities, dimensions, complexity, knowledge)
    frames = {fw: build_frame(fw, family, level) for fw in ALL_FRAMEWORKS}
    assert len(frames[Framework.SMART].rows) == responsibilities
    assert all(len(r.lines) == 4 + complexity for r in frames[Framework.SMART].rows)
    kr2 = sum(len(r.lines) == 2 for r in frames[Framework.OKR].rows)
    assert kr2 == min(responsibilities, dimensions)
    assert all(len(r.lines) == 2 + knowledge for r in frames[Framework.MBO].rows)
    assert len(frames[Framework.SCORECARD].rows) == responsibilities + dimensions
    for framework, frame in frames.items():
        _assert_nothing_invented(frame, family, level)
        keys = [p.key for p in frame.placeholders()]
        assert len(keys) == len(set(keys)), framework
        # Every placeholder shows as its glyph, and nothing else looks like one.
        text = render_frame(frame)
        glyphs = sum(text.count(g) for g in ("⟨baseline⟩", "⟨target⟩", "⟨date⟩"))
        assert glyphs == len(keys)
        assert all(p.kind in PlaceholderKind for p in frame.placeholders())
