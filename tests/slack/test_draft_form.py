"""The draft form: its parts, inputs and notes; what a submitted form says was typed; the timezone added.

Slack's limits are checked on the dicts we send and by slack_sdk's own models; typed values
must arrive escaped (no pings, mentions or links), and a draft is only ever its owner's.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.canon.repository import CanonRepository
from bot.drafts.checks import MAX_VALUE_CHARS
from bot.drafts.fields import placeholder_fields
from bot.frames.build import build_frame
from bot.frames.frameworks import ALL_FRAMEWORKS, Framework
from bot.frames.model import PlaceholderKind
from bot.frames.templates import CANON_CHANGED
from bot.frames.text import row_title
from bot.slack.draft_form import draft_form, form_parts, with_tz
from bot.slack.ids import DRAFT_FORM_CALLBACK as FORM_CALLBACK
from bot.slack.payloads import form_entries
from bot.slack.text import escape
from bot.slack.values import FormState
from support.canon_files import shipped_frames
from support.draft_helpers import (
    all_text,
    big,
    check_modal,
    input_blocks,
    new_draft,
    shipped_frame,
    shown_input,
    some_values,
    state_for,
)

JSONDict = dict[str, Any]


# form_parts and the form ----------------------------------------------------------------


def test_every_shipped_frame_fits_one_part(repository: CanonRepository) -> None:
    frames = list(shipped_frames(repository))
    assert frames
    for frame in frames:
        parts = form_parts(frame)
        assert len(parts) == 1
        assert parts[0] == placeholder_fields(frame)


@pytest.mark.parametrize("framework", ALL_FRAMEWORKS)
def test_a_long_frame_is_split_into_parts_by_whole_rows_in_frame_order(framework: Framework) -> None:
    frame = build_frame(framework, *big())
    parts = form_parts(frame)
    assert len(parts) > 1
    assert all(parts)
    assert [f for part in parts for f in part] == placeholder_fields(frame)  # each once, in order
    part_of_row: dict[int, int] = {}
    for number, part in enumerate(parts):
        for field in part:
            assert part_of_row.setdefault(field.row, number) == number, f"row {field.row} split"


@pytest.mark.parametrize("framework", [Framework.OKR, Framework.SMART])
def test_every_part_of_a_long_frame_is_a_modal_slack_accepts(framework: Framework) -> None:
    frame = build_frame(framework, *big())
    parts = form_parts(frame)
    assert len(parts) > 1
    draft = new_draft(frame)
    state = state_for(frame, new=True, tz="Pacific/Auckland")
    for number, part in enumerate(parts):
        view: JSONDict = draft_form(frame, draft, state.model_copy(update={"part": number}),
                          canon_changed=True, leftover_count=3)
        check_modal(view)
        assert [b["block_id"] for b in input_blocks(view)] == [f.key for f in part]
        last = number == len(parts) - 1
        assert view["submit"]["text"] == ("Save" if last else "Save & next")
        assert view["close"]["text"] == ("Cancel" if number == 0 else "Close")
        assert view["callback_id"] == FORM_CALLBACK
        assert f"part {number + 1} of {len(parts)}" in view["title"]["text"]
        assert f"Part {number + 1} of {len(parts)}" in all_text(view)
        parsed = FormState.parse(view["private_metadata"])
        assert parsed == state.model_copy(update={"part": number})
        # Each row's heading comes before its inputs.
        heading = row_title(frame, part[0].row + 1, frame.rows[part[0].row])
        assert escape(heading) in all_text(view["blocks"][:4])


def test_a_part_number_past_the_end_shows_the_last_part() -> None:
    frame = build_frame(Framework.OKR, *big())
    parts = form_parts(frame)
    view: JSONDict = draft_form(frame, new_draft(frame), state_for(frame, part=len(parts) + 5),
                                canon_changed=False, leftover_count=0)
    assert [b["block_id"] for b in input_blocks(view)] == [f.key for f in parts[-1]]
    assert view["submit"]["text"] == "Save"
    parsed = FormState.parse(view["private_metadata"])
    assert isinstance(parsed, FormState) and parsed.part == len(parts) - 1


def test_every_shipped_form_has_one_optional_input_per_placeholder(repository: CanonRepository) -> None:
    for frame in shipped_frames(repository):
        fields = placeholder_fields(frame)
        view: JSONDict = draft_form(frame, new_draft(frame), state_for(frame, new=True),
                                    canon_changed=False, leftover_count=0)
        check_modal(view)
        assert view["title"]["text"] == "Draft targets"
        assert view["submit"]["text"] == "Save"
        inputs = input_blocks(view)
        assert [b["block_id"] for b in inputs] == [f.key for f in fields]
        for block, field in zip(inputs, fields, strict=True):
            element = block["element"]
            assert block["optional"] is True
            assert element["action_id"] == "value"
            assert block["label"]["text"] == field.label
            if field.kind is PlaceholderKind.DATE:
                assert element["type"] == "datepicker"
                assert "initial_date" not in element
            else:
                assert element["type"] == "plain_text_input"
                assert element["max_length"] == MAX_VALUE_CHARS == 200
                assert "initial_value" not in element
        # A line's sentence is the hint of its first field only.
        hinted = [b["block_id"].rsplit(".", 1)[0] for b in inputs if "hint" in b]
        assert len(hinted) == len(set(hinted)) == len({f.key.rsplit(".", 1)[0] for f in fields})


def test_the_form_shows_saved_values_and_the_canon_notes(repository: CanonRepository) -> None:
    frame = shipped_frame(repository, Framework.OKR)
    values = some_values(frame, every=1)
    view = draft_form(frame, new_draft(frame, values), state_for(frame), canon_changed=True, leftover_count=1)
    check_modal(view)
    for block in input_blocks(view):
        element = block["element"]
        shown = element.get("initial_date") if element["type"] == "datepicker" else element.get("initial_value")
        assert shown == values[block["block_id"]]
    text = all_text(view)
    assert escape(CANON_CHANGED.format(**frame.names)) in text
    assert "1 value no longer in the canon" in text
    quiet: JSONDict = draft_form(frame, new_draft(frame), state_for(frame), canon_changed=False, leftover_count=0)
    assert [b["type"] for b in quiet["blocks"]].count("context") == 1  # only the identity line


# form_entries and with_tz --------------------------------------------------------------


def test_form_entries_reads_only_the_fields_the_person_changed_trimmed() -> None:
    view: JSONDict = {
        "blocks": [shown_input("a.target", initial="old"), shown_input("a.date", "datepicker"),
                   shown_input("b.target", initial="keep"), shown_input("b.date", "datepicker", "2027-01-01"),
                   shown_input("c.target"), shown_input("d.target", initial="x"), shown_input("e.target")],
        "state": {"values": {
            "a.target": {"value": {"type": "plain_text_input", "value": "  72%  "}},
            "a.date": {"value": {"type": "datepicker", "selected_date": "2027-06-30"}},
            "b.target": {"value": {"type": "plain_text_input", "value": "keep"}},  # as shown: not written back
            "b.date": {"value": {"type": "datepicker", "selected_date": None}},  # emptied: cleared
            "c.target": {"value": {"type": "plain_text_input", "value": None}},  # empty before and after
            "d.target": {"other": {"type": "plain_text_input", "value": "wrong action"}},  # reads as emptied
            "e.target": {"value": {"type": "plain_text_input", "value": 72}},  # not text: empty as shown
            "extra": {"value": {"type": "plain_text_input", "value": "not asked for"}},
            "missing.baseline": {"value": {"type": "plain_text_input", "value": "not in the form"}},
        }},
    }
    keys = ["a.target", "a.date", "b.target", "b.date", "c.target", "d.target", "e.target", "missing.baseline"]
    assert form_entries(view, keys) == {"a.target": "72%", "a.date": "2027-06-30", "b.date": "", "d.target": ""}


@pytest.mark.parametrize("view", [{}, {"state": None}, {"state": "x"}, {"state": {"values": None}},
                                  {"state": {"values": ["a.target"]}}, {"state": {}}, {"blocks": "x"},
                                  {"blocks": [None, {"type": "input"}], "state": {"values": {}}}])
def test_form_entries_of_a_garbled_view_are_empty(view: JSONDict) -> None:
    assert form_entries(view, ["a.target", "a.date"]) == {}


def test_with_tz_changes_only_the_timezone(repository: CanonRepository) -> None:
    frame = shipped_frame(repository)
    state = state_for(frame, new=True)
    form = draft_form(frame, new_draft(frame, some_values(frame)), state, canon_changed=False, leftover_count=0)
    before = json.dumps(form, sort_keys=True)
    updated = with_tz(form, "Pacific/Auckland")
    assert updated is not None
    assert json.dumps(form, sort_keys=True) == before  # the original is untouched
    assert updated["blocks"] == form["blocks"]
    assert {k: v for k, v in updated.items() if k != "private_metadata"} == \
        {k: v for k, v in form.items() if k != "private_metadata"}
    assert FormState.parse(updated["private_metadata"]) == state.model_copy(update={"tz": "Pacific/Auckland"})
    check_modal(updated)


def test_with_tz_refuses_a_form_it_cannot_read_or_a_long_tz(repository: CanonRepository) -> None:
    frame = shipped_frame(repository)
    form = draft_form(frame, new_draft(frame), state_for(frame), canon_changed=False, leftover_count=0)
    assert with_tz(form, "x" * 65) is None
    assert with_tz({**form, "private_metadata": "garbage"}, "UTC") is None
    assert with_tz({k: v for k, v in form.items() if k != "private_metadata"}, "UTC") is None


