"""bot/drafts.py: a draft against its frame, judged on the shipped canon and small synthetic ones.

Pure functions: today's date and the values are passed in, so nothing here touches Slack,
the store or the clock (freezegun only pins the `now` a caller would pass).
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from freezegun import freeze_time

from bot.canon.model import Family, Level
from bot.canon.repository import CanonRepository
from bot.frames.build import build_frame, expand
from bot.frames.frameworks import ALL_FRAMEWORKS, Framework
from bot.frames.model import Frame, Placeholder, PlaceholderKind, Row, Section
from bot.frames.templates import NO_LONGER_IN_CANON, PLACEHOLDER_GLYPHS
from bot.frames.text import render_parts
from bot.goals.check_ins import rules as check_ins
from bot.goals.checks import MAX_VALUE_CHARS, check, check_date, check_name, check_text, merged, today_in
from bot.goals.fields import (
    Leftover,
    PlaceholderField,
    Progress,
    leftovers,
    leftovers_text,
    placeholder_fields,
    progress,
    value_labels,
)
from bot.goals.reviews import rules as review_rules
from support.canon_files import family_doc, level_doc, shipped_frames, write_canon_dir

# Helpers -------------------------------------------------------------------------------




def first_shipped(repository: CanonRepository, framework: Framework) -> Frame:
    family = repository.families()[0]
    level = repository.level(next(iter(family.levels)))
    assert level is not None
    return build_frame(framework, family, level)


def row_placeholder_keys(row: Row) -> list[str]:
    return [part.key for parts in (row.heading, *(line.parts for line in row.lines))
            for part in parts if isinstance(part, Placeholder)]


def field_keys(frame: Frame) -> list[str]:
    return [field.key for field in placeholder_fields(frame)]


def open_frame(root: Path, responsibilities: list[str], framework: Framework) -> Frame:
    canon = write_canon_dir(root, levels=[level_doc("L1", dimensions=2)], families=[family_doc(levels={
        "L1": {"responsibilities": responsibilities,
               "rubrics": {"complexity": "Solves widget problems.",
                           "knowledge_application": "Applies widget knowledge."}},
    })])
    repo = CanonRepository.open(canon)
    found = repo.family_level("widgets", "L1")
    assert found is not None
    family, level, _ = found
    return build_frame(framework, family, level)


def single_line_frame(template: str) -> Frame:
    """A real frame cut down to one row whose only line is `template` (placeholders under "k")."""
    family = Family(slug="widgets", name="Widgets", function="Making",
                    levels={"L1": {"responsibilities": ["Builds widgets"]}})
    frame = build_frame(Framework.MBO, family, Level(code="L1", title="Level One"))
    row = frame.rows[0]
    line = dataclasses.replace(row.lines[0], parts=expand(template, "k"))
    return dataclasses.replace(frame, sections=(Section("main", None, (dataclasses.replace(row, lines=(line,)),)),))


# placeholder_fields ----------------------------------------------------------------------


def test_fields_are_the_frames_placeholders_once_each_in_reading_order(repository: CanonRepository) -> None:
    frames = list(shipped_frames(repository))
    assert len(frames) == sum(len(f.levels) for f in repository.families()) * len(ALL_FRAMEWORKS)
    for frame in frames:
        fields = placeholder_fields(frame)
        placeholders = list(frame.placeholders())
        assert fields, f"{frame.framework} {frame.family_slug} {frame.level_code} has nothing to fill"
        assert [f.key for f in fields] == list(dict.fromkeys(p.key for p in placeholders))
        kinds = {p.key: p.kind for p in placeholders}
        for field in fields:
            assert field.kind is kinds[field.key]
            assert field.key.rsplit(".", 1)[-1] == field.kind.value


def test_each_field_points_at_the_row_and_line_that_hold_it(repository: CanonRepository) -> None:
    for frame in shipped_frames(repository):
        rows = frame.rows
        previous_row = 0
        for field in placeholder_fields(frame):
            assert 0 <= field.row < len(rows)
            assert field.row >= previous_row  # reading order: rows never go back
            previous_row = field.row
            row = rows[field.row]
            assert field.key in row_placeholder_keys(row)
            assert field.key.startswith(f"{row.key}.")
            holders = [(label, parts) for label, parts in
                       [("Heading", row.heading), *((line.label, line.parts) for line in row.lines)]
                       if any(isinstance(p, Placeholder) and p.key == field.key for p in parts)]
            label, parts = holders[0]
            assert field.line_label == label
            assert field.sentence == render_parts(parts)
            assert PLACEHOLDER_GLYPHS[field.kind.value] in field.sentence
            assert field.label == f"{label} · {field.kind.value}"


def test_a_placeholder_repeated_in_a_line_is_one_field() -> None:
    frame = single_line_frame("{target} now, {target} later, by {date}")
    assert [p.key for p in frame.placeholders()] == ["k.target", "k.target", "k.date"]
    fields = placeholder_fields(frame)
    assert [(f.key, f.kind) for f in fields] == [("k.target", PlaceholderKind.TARGET),
                                                 ("k.date", PlaceholderKind.DATE)]
    assert progress(frame, {"k.target": "10"}) == Progress(1, 2)


def test_value_labels_name_the_row_heading_and_the_field(repository: CanonRepository) -> None:
    for frame in shipped_frames(repository):
        labels = value_labels(frame)
        fields = placeholder_fields(frame)
        assert list(labels) == [f.key for f in fields]
        for field in fields:
            heading = render_parts(frame.rows[field.row].heading)
            assert labels[field.key] == f"{heading} — {field.line_label} · {field.kind.value}"


# progress --------------------------------------------------------------------------------


@pytest.mark.parametrize("framework", ALL_FRAMEWORKS)
def test_progress_counts_the_filled_placeholders_of_the_frame(repository: CanonRepository,
                                                              framework: Framework) -> None:
    frame = first_shipped(repository, framework)
    keys = field_keys(frame)
    total = len(keys)
    assert total >= 2
    filled = total // 2 + 1
    values = {key: f"value {i}" for i, key in enumerate(keys[:filled])}
    found = progress(frame, values)
    assert found == Progress(filled, total)
    assert not found.complete
    assert str(found) == f"{filled} of {total} placeholders filled"


def test_values_for_other_keys_and_empty_values_do_not_count(repository: CanonRepository) -> None:
    frame = first_shipped(repository, Framework.OKR)
    keys = field_keys(frame)
    values = {keys[0]: "72%", keys[1]: "", keys[2]: "",
              "r-000000000000.kr1.target": "stale", "nonsense": "x"}
    assert progress(frame, values) == Progress(1, len(keys))
    assert progress(frame, {}) == Progress(0, len(keys))
    assert str(progress(frame, {})) == f"0 of {len(keys)} placeholders filled"


def test_a_fully_filled_frame_is_complete(repository: CanonRepository) -> None:
    frame = first_shipped(repository, Framework.SMART)
    values = {key: "done" for key in field_keys(frame)}
    found = progress(frame, values)
    assert found.complete and found.filled == found.total == len(values)
    assert not progress(frame, {**values, field_keys(frame)[-1]: ""}).complete


def test_progress_says_placeholder_for_one_and_handles_none() -> None:
    one = single_line_frame("{target}")
    assert str(progress(one, {})) == "0 of 1 placeholder filled"
    assert str(progress(one, {"k.target": "5"})) == "1 of 1 placeholder filled"
    empty = build_frame(Framework.OKR, Family(slug="widgets", name="Widgets", function="Making",
                                              levels={"L1": {}}), Level(code="L1", title="Level One"))
    assert not empty.rows
    assert progress(empty, {"anything": "x"}) == Progress(0, 0)
    assert str(progress(empty, {})) == "0 of 0 placeholders filled"


# leftovers -------------------------------------------------------------------------------


@pytest.mark.parametrize("framework", ALL_FRAMEWORKS)
def test_after_a_canon_change_only_values_of_vanished_rows_are_leftovers(
        tmp_path: Path, framework: Framework) -> None:
    kept, removed, added = "Keeps the widgets in order", "Retires old widgets", "Launches new widgets"
    before = open_frame(tmp_path / "before", [kept, removed], framework)
    after = open_frame(tmp_path / "after", [kept, added], framework)
    assert before.canon_fingerprint != after.canon_fingerprint
    labels = value_labels(before)
    values = {key: f"value {i}" for i, key in enumerate(field_keys(before))}

    removed_row = next(row for row in before.rows if removed in render_parts(row.heading))
    kept_row = next(row for row in before.rows if kept in render_parts(row.heading))
    removed_keys = [key for key in field_keys(before) if key.startswith(f"{removed_row.key}.")]
    kept_keys = [key for key in field_keys(before) if key.startswith(f"{kept_row.key}.")]
    assert removed_keys and kept_keys
    # Keys come from canon content: the kept row's values still find their placeholders.
    assert set(kept_keys) <= set(field_keys(after))

    found = leftovers(after, values, labels)
    assert found == [Leftover(labels[key], values[key]) for key in values if key not in field_keys(after)]
    assert {item.value for item in found} >= {values[key] for key in removed_keys}
    assert not {item.value for item in found} & {values[key] for key in kept_keys}
    for key in removed_keys:
        assert removed in labels[key]  # shown with what it was typed under
    # The new row's placeholders are simply empty, not leftovers.
    assert progress(after, values).filled == len([k for k in field_keys(after) if k in values])


def test_with_no_frame_every_non_empty_value_is_a_leftover(repository: CanonRepository) -> None:
    frame = first_shipped(repository, Framework.OKR)
    keys = field_keys(frame)
    labels = value_labels(frame)
    values = {keys[0]: "72%", keys[1]: "", keys[2]: "2027-06-30"}
    assert leftovers(None, values, labels) == [Leftover(labels[keys[0]], "72%"),
                                               Leftover(labels[keys[2]], "2027-06-30")]
    assert leftovers(frame, values, labels) == []


def test_a_leftover_without_a_recorded_label_is_named_by_its_kind() -> None:
    values = {"r-0123456789ab.kr1.target": "80%", "d-0123456789ab.measure.date": "2027-03-01",
              "odd": "kept", "r-0.kr1.baseline": ""}
    assert leftovers(None, values, {}) == [Leftover("target", "80%"), Leftover("date", "2027-03-01"),
                                           Leftover("odd", "kept")]
    labelled = leftovers(None, values, {"odd": "Odd one — Measure · target"})
    assert labelled[2] == Leftover("Odd one — Measure · target", "kept")


def test_leftovers_text_lists_each_value_under_the_canon_note() -> None:
    assert leftovers_text([]) == ""
    text = leftovers_text([Leftover("Row A — KR1 · target", "80%"), Leftover("date", "2027-03-01")])
    lines = text.split("\n")
    assert lines[0] == NO_LONGER_IN_CANON
    assert lines[1:] == ["  - Row A — KR1 · target: 80%", "  - date: 2027-03-01"]


# today_in --------------------------------------------------------------------------------

LATE_EVENING_UTC = datetime(2027, 1, 10, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize(("tz", "expected"), [
    ("Pacific/Auckland", date(2027, 1, 11)),  # UTC+13: already tomorrow
    ("America/Los_Angeles", date(2027, 1, 10)),
    ("UTC", date(2027, 1, 10)),
    ("Asia/Tokyo", date(2027, 1, 11)),
])
def test_today_is_the_date_in_the_persons_timezone(tz: str, expected: date) -> None:
    assert today_in(tz, LATE_EVENING_UTC) == expected


@pytest.mark.parametrize("tz", [None, "", "Not/AZone", "Mars/Olympus_Mons", "../../etc/passwd"])
def test_without_a_known_timezone_today_is_the_date_at_utc_minus_12(tz: str | None) -> None:
    # 2027-01-10 23:30 UTC is 11:30 on the 10th at UTC-12.
    assert today_in(tz, LATE_EVENING_UTC) == date(2027, 1, 10)
    # 05:00 UTC on the 11th is still 17:00 on the 10th at UTC-12: no one is refused the 10th yet.
    assert today_in(tz, datetime(2027, 1, 11, 5, 0, tzinfo=UTC)) == date(2027, 1, 10)
    assert today_in(tz, datetime(2027, 1, 11, 12, 0, tzinfo=UTC)) == date(2027, 1, 11)


def test_a_timezone_naming_a_directory_of_zones_is_unknown_too() -> None:
    assert today_in("America", LATE_EVENING_UTC) == date(2027, 1, 10)


def test_today_in_reads_the_now_it_is_given_from_a_pinned_clock() -> None:
    with freeze_time("2027-01-10 23:30:00"):
        now = datetime.now(UTC)
        assert now == LATE_EVENING_UTC
        assert today_in("Pacific/Auckland", now) == date(2027, 1, 11)
        assert today_in("America/Los_Angeles", now) == date(2027, 1, 10)
        assert today_in(None, now) == date(2027, 1, 10)
    # Pure: a different clock does not change the answer for the `now` passed in.
    with freeze_time("2031-07-01 12:00:00"):
        assert today_in("Pacific/Auckland", LATE_EVENING_UTC) == date(2027, 1, 11)


def test_today_in_respects_an_aware_now_in_another_offset() -> None:
    from zoneinfo import ZoneInfo

    now = datetime(2027, 1, 10, 15, 30, tzinfo=ZoneInfo("America/Los_Angeles"))  # 23:30 UTC
    assert today_in("Pacific/Auckland", now) == date(2027, 1, 11)
    assert today_in(None, now) == date(2027, 1, 10)


# check_text ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [
    "72%", "12 sites activated", "x" * MAX_VALUE_CHARS, "Ünïcødé ñ — 日本語 · العربية", "🎉 shipped 🚀",
    "👩\u200d🔬 family emoji with a joiner", "<!channel> *bold* _it_ & <@U1>", "  spaced  ", "",
])
def test_ordinary_text_is_accepted(value: str) -> None:
    assert check_text(value) is None


def test_too_long_text_is_refused_naming_its_length() -> None:
    problem = check_text("x" * (MAX_VALUE_CHARS + 1))
    assert problem is not None
    assert str(MAX_VALUE_CHARS + 1) in problem and str(MAX_VALUE_CHARS) in problem


@pytest.mark.parametrize(("value", "words"), [
    ("first\nsecond", ["line break"]),
    ("first\rsecond", ["line break"]),
    ("first\u2028second", ["line break"]),
    ("first\u2029second", ["line break"]),
    ("bell\x07", ["U+0007", "position 5"]),
    ("\u202eevil", ["U+202E", "position 1"]),
    ("nul\x00", ["U+0000", "position 4"]),
    ("tab\there", ["U+0009"]),
    ("a\u2066b", ["U+2066"]),
    ("a\u200fb", ["U+200F"]),
    ("\ue000private", ["U+E000"]),
])
def test_line_breaks_and_invisible_controls_are_refused_with_a_reason(value: str, words: list[str]) -> None:
    problem = check_text(value)
    assert problem is not None
    for word in words:
        assert word in problem


@pytest.mark.parametrize(("value", "code", "position"), [
    ("zero\u200bwidth", "U+200B", 5),  # zero-width space
    ("word\u2060joiner", "U+2060", 5),
    ("\ufeffbom", "U+FEFF", 1),
    ("a\u200db", "U+200D", 2),  # a joiner between letters joins nothing visible
    ("\u200d\U0001f52c", "U+200D", 1),
    ("tag\U000e0041\U000e0042", "U+E0041", 4),  # tag characters carry hidden text
    ("\U0001f3f4x\U000e0067", "U+E0067", 3),
])
def test_invisible_format_characters_are_refused_like_the_bidi_controls(value: str, code: str, position: int) -> None:
    assert check_text(value) == (f"Remove the invisible control character ({code}) at position {position}; "
                                 "letters, digits, spaces and punctuation are fine.")


@pytest.mark.parametrize("emoji", [
    "\U0001f469\u200d\U0001f52c",  # woman scientist
    "\u2764\ufe0f\u200d\U0001f525",  # heart on fire
    "\U0001f44b\U0001f3fd",  # waving hand, medium skin tone
    "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # Scotland's flag
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # family
])
def test_the_format_characters_inside_an_emoji_are_accepted(emoji: str) -> None:
    assert check_text(f"target {emoji} reached") is None


# Every character Unicode gives the Bidi_Control property can reorder what others read.
BIDI_CONTROLS = ["\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))]


@pytest.mark.parametrize("char", BIDI_CONTROLS)
def test_bidi_controls_are_refused(char: str) -> None:
    problem = check_text(f"72{char}%")
    assert problem is not None and f"U+{ord(char):04X}" in problem


# Every typed field through the one check ---------------------------------------------------

# What a person can type into a note or a comment that must never reach the other person's DM:
# a lone surrogate (cannot be serialised), bidi overrides, zero-width and byte-order marks,
# DEL and NEL (controls outside ASCII's first 32), a line or paragraph separator.
HIDDEN = {"lone surrogate": ("\ud800", "U+D800"), "right-to-left override": ("\u202e", "U+202E"),
          "zero-width space": ("\u200b", "U+200B"), "byte-order mark": ("\ufeff", "U+FEFF"),
          "DEL": ("\x7f", "U+007F"), "NEL": ("\x85", "U+0085"), "bell": ("\x07", "U+0007")}
PARAGRAPH_FIELDS = {
    "check-in note": check_ins.check_note,
    "review note": lambda text: review_rules.check_text(text, required=False),
    "reviewer's comment": lambda text: review_rules.check_text(text, required=True),
}


@pytest.mark.parametrize("field", sorted(PARAGRAPH_FIELDS))
@pytest.mark.parametrize("hidden", sorted(HIDDEN))
def test_notes_and_comments_refuse_what_values_refuse_naming_it(field: str, hidden: str) -> None:
    char, code = HIDDEN[hidden]
    problem = PARAGRAPH_FIELDS[field](f"on track{char} mostly")
    assert problem == (f"Remove the invisible control character ({code}) at position 9; "
                       "letters, digits, spaces and punctuation are fine.")
    assert check_text(f"on track{char} mostly") == problem  # as a value is told
    assert check_name(f"on track{char} mostly") == problem  # and a draft's name


@pytest.mark.parametrize("field", sorted(PARAGRAPH_FIELDS))
def test_notes_and_comments_keep_their_lines_tabs_and_emoji(field: str) -> None:
    assert PARAGRAPH_FIELDS[field]("Two sites late:\n\t- Lyon\n\t- Porto \U0001f469\u200d\U0001f52c") is None


# check_date ------------------------------------------------------------------------------

TODAY = date(2027, 1, 10)


@pytest.mark.parametrize("value", ["2027-02-30", "27-01-01", "tomorrow", "2027-1-15", "2027-01-15T00:00",
                                   " 2027-01-15", "20270115", "٢٠٢٧-٠١-١٥", ""])
def test_a_date_that_is_not_a_real_iso_date_is_refused(value: str) -> None:
    problem = check_date(value, TODAY, None)
    assert problem is not None and "not a real date" in problem


def test_a_past_date_is_refused_naming_today() -> None:
    problem = check_date("2027-01-09", TODAY, None)
    assert problem is not None
    assert TODAY.isoformat() in problem and "2027-01-09" in problem and "past" in problem
    assert check_date("2026-12-31", TODAY, "2026-11-30") is not None  # a different past date


@pytest.mark.parametrize("value", ["2027-01-10", "2027-01-11", "2030-12-31"])
def test_today_and_later_dates_are_accepted(value: str) -> None:
    assert check_date(value, TODAY, None) is None


def test_a_date_saved_before_may_stay_though_it_is_now_past() -> None:
    assert check_date("2026-12-01", TODAY, "2026-12-01") is None
    assert check_date("2026-12-02", TODAY, "2026-12-01") is not None


# check -----------------------------------------------------------------------------------


def test_check_reports_only_bad_non_empty_entries_by_key(repository: CanonRepository) -> None:
    frame = first_shipped(repository, Framework.OKR)
    fields = placeholder_fields(frame)
    kinds = {f.key: f.kind for f in fields}

    def keys_of(kind: PlaceholderKind) -> list[str]:
        return [f.key for f in fields if f.kind is kind]

    dates = keys_of(PlaceholderKind.DATE)
    targets = keys_of(PlaceholderKind.TARGET)
    baselines = keys_of(PlaceholderKind.BASELINE)
    assert len(dates) >= 3 and len(targets) >= 3 and len(baselines) >= 2
    entries = {
        targets[0]: "72%",  # fine
        targets[1]: "two\nlines",  # bad text
        targets[2]: "",  # empty: skipped
        baselines[0]: "2026-01-01",  # a past-looking date is fine as text
        baselines[1]: "x" * (MAX_VALUE_CHARS + 1),  # too long
        dates[0]: "2027-06-30",  # fine
        dates[1]: "72%",  # not a date
        dates[2]: "",  # empty: skipped
    }
    errors = check(entries, kinds, {}, TODAY)
    assert set(errors) == {targets[1], baselines[1], dates[1]}
    assert "line break" in errors[targets[1]]
    assert str(MAX_VALUE_CHARS + 1) in errors[baselines[1]]
    assert "not a real date" in errors[dates[1]]
    assert check({key: "" for key in kinds}, kinds, {}, TODAY) == {}


def test_check_lets_a_saved_past_date_stay_and_refuses_a_new_one(repository: CanonRepository) -> None:
    frame = first_shipped(repository, Framework.MBO)
    fields = placeholder_fields(frame)
    kinds = {f.key: f.kind for f in fields}
    first, second = [f.key for f in fields if f.kind is PlaceholderKind.DATE][:2]
    previous = {first: "2026-12-01", second: "2026-12-01"}
    errors = check({first: "2026-12-01", second: "2026-12-02"}, kinds, previous, TODAY)
    assert list(errors) == [second]
    assert TODAY.isoformat() in errors[second]


# merged ----------------------------------------------------------------------------------


def test_merged_replaces_typed_clears_emptied_and_keeps_the_rest() -> None:
    values = {"a.target": "1", "b.target": "2", "c.date": "2027-02-01"}
    snapshot = dict(values)
    entries = {"a.target": "10", "b.target": "", "d.baseline": "0", "e.date": ""}
    snapshot_entries = dict(entries)
    result = merged(values, entries)
    assert result == {"a.target": "10", "c.date": "2027-02-01", "d.baseline": "0"}
    assert values == snapshot and entries == snapshot_entries  # inputs untouched
    assert result is not values
    assert merged(values, {}) == values


def test_placeholder_field_label_reads_line_then_kind() -> None:
    field = PlaceholderField("r.kr1.target", PlaceholderKind.TARGET, 0, "KR1", "From a to b")
    assert field.label == "KR1 · target"


def test_emoji_newer_than_pythons_unicode_tables_are_accepted() -> None:
    # U+1FAE8 (shaking face) is Unicode 15: unassigned to Python 3.11, an emoji to Slack.
    assert check_text("on track \U0001fae8") is None


def test_a_date_more_than_a_hundred_years_ahead_is_refused_saying_by_when() -> None:
    assert check_date("2126-12-31", TODAY, None) is None
    problem = check_date("9999-12-31", TODAY, None)
    assert problem is not None and "within a hundred years" in problem and "2127-01-" in problem
    assert check_date("9999-12-31", TODAY, "9999-12-31") is None  # a value saved before may stay
