"""The draft form: its parts, inputs and notes; what a submitted form says was typed; the timezone added.

Slack's limits are checked on the dicts we send and by slack_sdk's own models; typed values
must arrive escaped (no pings, mentions or links), and a draft is only ever its owner's.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.canon.repository import CanonRepository
from bot.frames.frameworks import Framework
from bot.frames.templates import CANON_CHANGED
from bot.slack.drafts.form import draft_form
from bot.slack.shared.payloads import form_entries
from bot.slack.shared.surfaces import with_tz
from bot.slack.shared.text import escape
from bot.slack.shared.values import FormState
from support.draft_helpers import (
    all_text,
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


# Steps, inputs and labels: tests/slack/drafts/test_form_steps.py.


def test_the_form_shows_saved_values_and_the_canon_notes(repository: CanonRepository) -> None:
    frame = shipped_frame(repository, Framework.OKR)
    values = some_values(frame, every=1)
    view = draft_form(frame, new_draft(frame, values), state_for(frame), canon_changed=True, leftover_count=1)
    check_modal(view)
    for block in input_blocks(view)[2:]:  # after the draft's name and period end
        element = block["element"]
        shown = element.get("initial_date") if element["type"] == "datepicker" else element.get("initial_value")
        assert shown == values[block["block_id"]]
    text = all_text(view)
    assert escape(CANON_CHANGED.format(**frame.names)) in text
    assert "1 value no longer in the canon" in text
    quiet: JSONDict = draft_form(frame, new_draft(frame), state_for(frame), canon_changed=False, leftover_count=0)
    # The identity line, the one note on filling and steps, and each line's sentence.
    assert [b["type"] for b in quiet["blocks"]].count("context") == 2 + len(
        {line for item in input_blocks(quiet)[2:] for line in [item["block_id"].rsplit(".", 1)[0]]})


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


