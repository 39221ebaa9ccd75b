"""The rules on check-ins, without Slack: which targets a check-in asks about, what may be
typed, how steps are recorded into one dated check-in, and which entry is a target's latest."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.canon.repository import CanonRepository
from bot.frames.model import Frame, PlaceholderKind
from bot.goals.check_ins.rules import (
    NO_STATUS,
    NOTE_MAX_CHARS,
    Typed,
    entry_errors,
    last_check_in,
    latest,
    recorded,
    target_fields,
)
from bot.goals.fields import placeholder_fields
from bot.goals.model import CheckStatus, Draft
from support.draft_flow import okr_m2
from support.draft_helpers import NOW, new_draft

CHECK = "c" * 32


def filled(frame: Frame) -> Draft:
    """A draft with its first two targets filled (and a baseline, which is no target)."""
    targets = [field.key for field in placeholder_fields(frame) if field.kind is PlaceholderKind.TARGET]
    baseline = next(field.key for field in placeholder_fields(frame) if field.kind is PlaceholderKind.BASELINE)
    return new_draft(frame, {targets[0]: "12 sites", targets[1]: "90%", baseline: "3 sites"})


def test_a_check_in_asks_only_about_filled_targets_in_reading_order(repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    draft = filled(frame)
    fields = target_fields(frame, draft.values)
    assert [(field.target, field.label.endswith("target")) for field in fields] == [("12 sites", True),
                                                                                     ("90%", True)]
    assert target_fields(frame, {}) == []


@pytest.mark.parametrize(("typed", "field", "said"), [
    (Typed(value="x" * 201), "value", "At most 200 characters"),
    (Typed(value="8 sites\nand more"), "value", "One line only"),
    (Typed(status="great"), "status", "on track, at risk, off track or No status"),
    (Typed(note="n" * (NOTE_MAX_CHARS + 1)), "note", f"At most {NOTE_MAX_CHARS} characters"),
    (Typed(note="a\x07b"), "note", "invisible control character (U+0007) at position 2"),
])
def test_what_cannot_be_saved_is_named_by_target_and_field(typed: Typed, field: str, said: str) -> None:
    errors = entry_errors("r-1.kr1.target", typed)
    assert list(errors) == [f"r-1.kr1.target.{field}"] and said in errors[f"r-1.kr1.target.{field}"]
    assert entry_errors("r-1.kr1.target", Typed(value="8 sites", status="at_risk", note="two\nlines")) == {}


def test_steps_record_into_one_dated_check_in_never_touching_the_drafts_values(repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    draft = filled(frame)
    fields = target_fields(frame, draft.values)
    first, second = (field.key for field in fields)

    step_one = recorded(draft, CHECK, {first: Typed(value="8 sites", status="on_track")}, fields, NOW)
    assert step_one is not None and step_one.message_due
    later = NOW + timedelta(minutes=2)
    step_two = recorded(step_one, CHECK, {second: Typed(value="70%", status="at_risk", note="late")}, fields, later)
    assert step_two is not None
    (check_in,) = step_two.check_ins
    assert (check_in.at, check_in.changed_at) == (NOW, later)  # dated by its first step
    assert check_in.entries[first].value == "8 sites" and check_in.entries[second].note == "late"
    assert check_in.targets == {first: "12 sites", second: "90%"}  # what each was measured against
    assert step_two.values == draft.values and step_two.agreed == draft.agreed


def test_an_emptied_entry_is_dropped_and_a_check_in_with_nothing_is_not_stored(repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    draft = filled(frame)
    fields = target_fields(frame, draft.values)
    key = fields[0].key
    assert recorded(draft, CHECK, {key: Typed()}, fields, NOW) is None  # nothing typed: nothing stored
    assert recorded(draft, CHECK, {"r-not-a-target.target": Typed(value="x")}, fields, NOW) is None
    once = recorded(draft, CHECK, {key: Typed(value="8 sites")}, fields, NOW)
    assert once is not None
    emptied = recorded(once, CHECK, {key: Typed(value="  ")}, fields, NOW)
    assert emptied is not None and emptied.check_ins == []


def test_no_status_takes_a_status_back(repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    draft = filled(frame)
    fields = target_fields(frame, draft.values)
    key = fields[0].key
    with_status = recorded(draft, CHECK, {key: Typed(value="8 sites", status="off_track")}, fields, NOW)
    assert with_status is not None and with_status.check_ins[0].entries[key].status is CheckStatus.OFF_TRACK
    taken_back = recorded(with_status, CHECK, {key: Typed(value="8 sites", status=NO_STATUS)}, fields, NOW)
    assert taken_back is not None and taken_back.check_ins[0].entries[key].status is None
    only_that = recorded(draft, CHECK, {key: Typed(status=NO_STATUS)}, fields, NOW)
    assert only_that is None  # "no status" and nothing else is nothing to record


def test_a_targets_latest_entry_is_from_its_newest_check_in(repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    draft = filled(frame)
    fields = target_fields(frame, draft.values)
    first, second = (field.key for field in fields)
    one = recorded(draft, "a" * 32, {first: Typed(value="5"), second: Typed(value="60%")}, fields, NOW)
    assert one is not None
    week = NOW + timedelta(days=7)
    two = recorded(one, "b" * 32, {first: Typed(value="8")}, fields, week)
    assert two is not None
    found = latest(two)
    assert (found[first].entry.value, found[first].at) == ("8", week)
    assert (found[second].entry.value, found[second].at) == ("60%", NOW)  # not checked in since: still shown
    assert last_check_in(two) == week and last_check_in(draft) is None
