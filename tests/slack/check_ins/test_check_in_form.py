"""The check-in form in steps, the latest check-ins under their rows in the draft's message,
and the history modal: layouts within Slack's limits, block ids that map back to
"<target key>.<field>", typed words shown as typed, and saving a step."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.canon.repository import CanonRepository
from bot.frames.build import build_frame
from bot.frames.frameworks import ALL_FRAMEWORKS
from bot.frames.model import Frame, PlaceholderKind
from bot.goals.check_ins.rules import NO_STATUS, STATUS, VALUE, Typed, target_fields
from bot.goals.drafts.drafting import CheckedIn, Drafting
from bot.goals.drafts.view import DraftView
from bot.goals.fields import placeholder_fields, progress
from bot.goals.model import CheckIn, CheckStatus, Draft, TargetCheck
from bot.slack.check_ins.blocks import history_view
from bot.slack.check_ins.form import (
    FIELDS,
    STEP_TARGETS_MAX,
    block_id,
    check_in_form,
    check_in_steps,
    entries_of,
    new_check_in_form,
    parse_block,
    save_on_close,
    save_submission,
    typed_blocks,
)
from bot.slack.drafts.blocks import draft_message, drafts_blocks
from bot.slack.drafts.form import STEP_INPUTS_MAX
from bot.slack.shared.ids import CHECK_IN_ACTION, CHECK_IN_BACK_ACTION, CHECK_IN_CALLBACK, CHECK_IN_HISTORY_ACTION
from bot.slack.shared.values import CheckInState
from bot.store.draft_files import DraftFiles
from support.block_texts import shown
from support.canon_files import shipped_frames
from support.draft_flow import okr_m2
from support.draft_helpers import NOW, PAT, big, buttons, check_message, check_modal, input_blocks, new_draft

JSON = dict[str, Any]
CHECK = "c" * 32


def every_frame(repository: CanonRepository) -> list[Frame]:
    return [*shipped_frames(repository), *(build_frame(w, *big()) for w in ALL_FRAMEWORKS)]


def targets_filled(frame: Frame, value: str = "12 sites") -> dict[str, str]:
    return {f.key: value for f in placeholder_fields(frame) if f.kind is PlaceholderKind.TARGET}


def walk(frame: Frame, draft: Draft) -> list[JSON]:
    views = [new_check_in_form(frame, draft, CHECK)]
    while views[-1]["submit"]["text"] == "Next":
        assert len(views) < 100
        state = CheckInState.parse(views[-1]["private_metadata"])
        assert state is not None
        views.append(check_in_form(frame, draft, state.model_copy(update={"part": state.part + 1})))
    return views


def test_every_step_of_every_frame_holds_whole_targets_evenly_within_eight_inputs(
        repository: CanonRepository) -> None:
    for frame in every_frame(repository):
        draft = new_draft(frame, targets_filled(frame))
        targets = target_fields(frame, draft.values)
        steps = check_in_steps(frame, targets)
        views = walk(frame, draft)
        assert len(views) == len(steps)
        seen: list[str] = []
        for view in views:
            check_modal(view)
            ids = [block["block_id"] for block in input_blocks(view)]
            assert len(ids) <= STEP_INPUTS_MAX and len(ids) % len(FIELDS) == 0
            assert all(len(found) <= 255 and parse_block(found) for found in ids)
            keys = list(dict.fromkeys(key for key, _ in map(parse_block, ids) if key))  # type: ignore[misc]
            assert ids == [block_id(key, field) for key in keys for field in FIELDS]  # whole targets
            seen += keys
        assert seen == [target.key for target in targets]  # each once, in reading order
        sizes = [len(step) for step in steps]
        assert max(sizes) <= STEP_TARGETS_MAX and max(sizes) - min(sizes) <= 1, (frame.framework, sizes)


def test_an_okr_draft_is_checked_in_an_objective_a_step(repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    steps = check_in_steps(frame, target_fields(frame, targets_filled(frame)))
    assert [[target.row for target in step] for step in steps] == [[row, row] for row in range(len(frame.rows))]


def test_each_target_shows_its_label_sentence_and_the_persons_target_as_typed(repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    draft = new_draft(frame, targets_filled(frame, "<!here> 12 *sites* & more"))
    view = new_check_in_form(frame, draft, CHECK)
    first = target_fields(frame, draft.values)[0]
    text = shown(view)
    assert f"{first.label}: {first.sentence}" in text
    assert "Your target: <!here> 12 *sites* & more" in text
    assert "<!here>" not in json.dumps(view)  # escaped: shown, never a ping
    assert [b["label"]["text"] for b in input_blocks(view)][:3] == ["Where it stands now", "Status", "Note"]
    value, status, note = input_blocks(view)[:3]
    assert value["element"]["max_length"] == 200 and not value["element"].get("multiline")
    assert [o["value"] for o in status["element"]["options"]] == [*(s.value for s in CheckStatus), NO_STATUS]
    assert note["element"]["multiline"] and note["element"]["max_length"] == 500
    assert all(block["optional"] for block in input_blocks(view))
    assert view["callback_id"] == CHECK_IN_CALLBACK and view["notify_on_close"] is True
    assert view["submit"]["text"] == "Next" and CHECK_IN_BACK_ACTION not in json.dumps(view)
    second = check_in_form(frame, draft, CheckInState(draft=draft.id, check_in=CHECK, part=1))
    assert CHECK_IN_BACK_ACTION in json.dumps(second)


def test_what_was_typed_reads_back_by_target_and_field(repository: CanonRepository) -> None:
    frame = next(shipped_frames(repository))
    draft = new_draft(frame, targets_filled(frame))
    view = new_check_in_form(frame, draft, CHECK)
    key = target_fields(frame, draft.values)[0].key
    state = {"values": {
        block_id(key, VALUE): {"value": {"type": "plain_text_input", "value": " 8 sites "}},
        block_id(key, STATUS): {"value": {"type": "static_select", "selected_option": {"value": "at_risk"}}},
        "forged.value": {"value": {"type": "plain_text_input", "value": "not in the form"}},
    }}
    typed = typed_blocks({**view, "state": state})
    assert typed == {block_id(key, VALUE): "8 sites", block_id(key, STATUS): "at_risk"}
    assert entries_of(typed) == {key: Typed(value="8 sites", status="at_risk")}


def submission(view: JSON, entries: dict[str, str]) -> JSON:
    values: JSON = {}
    for block in input_blocks(view):
        entry = entries.get(block["block_id"], "")
        kind = block["element"]["type"]
        state = ({"type": kind, "selected_option": {"value": entry} if entry else None} if kind == "static_select"
                 else {"type": kind, "value": entry or None})
        values[block["block_id"]] = {"value": state}
    return {**view, "state": {"values": values}}


def test_steps_save_into_one_check_in_and_a_refused_value_goes_back_beside_its_field(
        repository: CanonRepository, tmp_path: Path) -> None:
    frame = okr_m2(repository)
    drafting = Drafting(repository, DraftFiles(tmp_path / "data"))
    draft = drafting.store.save(new_draft(frame, targets_filled(frame)))
    targets = target_fields(frame, draft.values)
    form = new_check_in_form(frame, draft, CHECK)
    state = CheckInState.parse(form["private_metadata"])
    assert state is not None
    too_long = {block_id(targets[0].key, VALUE): "x" * 201, block_id(targets[1].key, STATUS): "on_track"}
    result, answer = save_submission(drafting, PAT, state, submission(form, too_long), NOW)
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == [block_id(targets[0].key, VALUE)]
    assert "At most 200 characters" in answer["errors"][block_id(targets[0].key, VALUE)]
    assert drafting.store.get(PAT, draft.id).check_ins == []  # type: ignore[union-attr]

    result, answer = save_submission(drafting, PAT, state, submission(form, {
        block_id(targets[0].key, VALUE): "8 sites", block_id(targets[1].key, STATUS): "on_track"}), NOW)
    assert isinstance(result, CheckedIn) and answer["response_action"] == "update"
    step2 = answer["view"]
    assert CheckInState.parse(step2["private_metadata"]) == state.model_copy(update={"part": 1})
    later = NOW + timedelta(minutes=1)
    closed, refused = save_on_close(drafting, PAT, state.model_copy(update={"part": 1}), submission(step2, {
        block_id(targets[2].key, VALUE): "3 of 5", block_id(targets[3].key, VALUE): "y" * 201}), later)
    assert isinstance(closed, CheckedIn) and [item.typed for item in refused] == ["y" * 201]
    stored = drafting.store.get(PAT, draft.id)
    assert stored is not None and stored.values == draft.values
    (check_in,) = stored.check_ins
    assert check_in.id == CHECK and check_in.at == NOW
    assert {key: entry.value for key, entry in check_in.entries.items()} == {
        targets[0].key: "8 sites", targets[1].key: None, targets[2].key: "3 of 5"}
    assert check_in.entries[targets[1].key].status is CheckStatus.ON_TRACK


def checked_in(frame: Frame, count: int = 1) -> DraftView:
    values = targets_filled(frame)
    keys = [target.key for target in target_fields(frame, values)]
    check_ins = [CheckIn(id=f"{index:032x}", at=NOW + timedelta(days=index), changed_at=NOW + timedelta(days=index),
                         entries={key: TargetCheck(value=f"<b>{index} done</b>", status=CheckStatus.AT_RISK,
                                                   note=f"note {index} " + "n" * 480) for key in keys},
                         targets=dict.fromkeys(keys, "12 sites"))
                 for index in range(count)]
    draft = new_draft(frame, values).model_copy(update={"check_ins": check_ins})
    return DraftView(draft=draft, frame=frame, progress=progress(frame, draft.values), leftovers=[])


def test_the_message_shows_each_targets_latest_check_in_under_its_row(repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    view = checked_in(frame, count=2)
    message = draft_message(view)
    check_message(message)
    blocks = message.as_kwargs()["blocks"]
    at = [i for i, b in enumerate(blocks) if b["type"] == "context" and "Latest check-in" in json.dumps(b)]
    lines = [blocks[i] for i in at]
    assert len(lines) == len(target_fields(frame, view.draft.values))
    first = shown({"blocks": lines[:1]})
    assert "Latest check-in · KR1: “<b>1 done</b>” · at risk ·" in first  # the newer one
    stamp = int((NOW + timedelta(days=1)).timestamp())
    assert f"<!date^{stamp}^" in json.dumps(lines[0])
    assert "&lt;b&gt;" in json.dumps(lines[0])  # their words, escaped
    heading = next(i for i, b in enumerate(blocks) if "Objective 2" in json.dumps(b))
    assert at[1] < heading < at[2]  # under its own row
    found = buttons(message)
    assert {CHECK_IN_ACTION, CHECK_IN_HISTORY_ACTION} <= set(found)
    assert [e for e in found.values() if e.get("style") == "primary"] == [found["goals_draft_edit"]]


def test_every_frame_with_every_target_checked_in_still_pages_within_a_message(repository: CanonRepository) -> None:
    for frame in every_frame(repository):
        view = checked_in(frame)
        pages = len(target_fields(frame, view.draft.values))
        shown_lines = 0
        for page in range(pages + 1):
            message = draft_message(view, page)
            check_message(message)
            shown_lines += json.dumps(message.as_kwargs()).count("Latest check-in")
            if "goals_draft_page_next" not in buttons(message):
                break
        assert shown_lines == len(target_fields(frame, view.draft.values))


def test_lists_offer_check_in_only_with_a_filled_target_and_no_history(repository: CanonRepository) -> None:
    frame = next(shipped_frames(repository))
    with_targets = checked_in(frame)
    without = DraftView(draft=new_draft(frame, {}), frame=frame, progress=progress(frame, {}), leftovers=[])
    blocks = json.dumps([b.to_dict() for b in drafts_blocks([with_targets, without], 10)])
    assert blocks.count(CHECK_IN_ACTION + '"') == 1 and CHECK_IN_HISTORY_ACTION not in blocks
    assert CHECK_IN_ACTION not in json.dumps(draft_message(without).as_kwargs())


def test_history_lists_every_check_in_newest_first_within_a_modal(repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    history = history_view(checked_in(frame, count=2))
    check_modal(history)
    text = shown(history)
    assert text.index("“<b>1 done</b>”") < text.index("“<b>0 done</b>”")
    assert "Objective 1 · KR1: “<b>1 done</b>” · at risk" in text and "Note: “note 1 " in text
    assert "Target then: 12 sites" in text and "not shown" not in text
    many = history_view(checked_in(frame, count=60))
    check_modal(many)
    assert len(json.dumps(many)) < 250_000
    hidden = 60 - shown(many).count("Check-in of")
    assert hidden > 0 and f"{hidden} older check-ins are not shown here." in shown(many)


def test_a_status_can_be_taken_back_with_no_status(repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    draft = new_draft(frame, targets_filled(frame))
    first = new_check_in_form(frame, draft, CHECK)
    select = next(block["element"] for block in input_blocks(first)
                  if (parse_block(block["block_id"]) or ("", ""))[1] == STATUS)
    assert [option["text"]["text"] for option in select["options"]] == [
        "On track", "At risk", "Off track", "No status"]
