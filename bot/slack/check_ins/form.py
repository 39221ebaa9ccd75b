"""The check-in form, as modal views: how each filled ⟨target⟩ of a draft stands now, in the
person's own words (where it stands, a status, a note). In steps like the draft form (never
more than STEP_INPUTS_MAX inputs, whole targets per step, split evenly), every step saved
into the same check-in as the person moves on (Next, Back, or closing the form).

Each input's block id is "<target key>.<field>", the same key the domain's errors come back
under, so a refused value goes back beside its own field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.frames.model import Frame
from bot.frames.text import row_title
from bot.goals.check_ins.rules import (
    NO_STATUS,
    NOTE,
    NOTE_MAX_CHARS,
    STATUS,
    VALUE,
    TargetField,
    Typed,
    target_fields,
)
from bot.goals.checks import MAX_VALUE_CHARS
from bot.goals.drafts.drafting import CheckedIn, CheckInResult, Drafting, Gone, NoFrame, NoTargets, Refused, StoreFailed
from bot.goals.model import CheckIn, CheckStatus, Draft, Owner, TargetCheck
from bot.slack.drafts.form import STEP_INPUTS_MAX, split_evenly
from bot.slack.frames.blocks import labelled, pieced, strong
from bot.slack.shared import notices
from bot.slack.shared.ids import CHECK_IN_BACK_ACTION, CHECK_IN_CALLBACK, VALUE_ACTION
from bot.slack.shared.layout import context, notice_view
from bot.slack.shared.limits import MODAL_TITLE_MAX
from bot.slack.shared.payloads import form_values
from bot.slack.shared.values import CheckInState

FIELDS = (VALUE, STATUS, NOTE)
STEP_TARGETS_MAX = STEP_INPUTS_MAX // len(FIELDS)
BACK_BLOCK = "goals_check_in_back"
FIELD_LABELS = {VALUE: "Where it stands now", STATUS: "Status", NOTE: "Note"}
# Our own words for the statuses (the stored value is the enum's).
STATUS_LABELS = {status: status.label.capitalize() for status in CheckStatus}


def block_id(key: str, field: str) -> str:
    return f"{key}.{field}"


def parse_block(block: str) -> tuple[str, str] | None:
    """A block id's target key and field; None for a block that is no check-in input."""
    key, _, field = block.rpartition(".")
    return (key, field) if key and field in FIELDS else None


def short_label(target: TargetField) -> str:
    """"Objective 1 · KR1" for "Objective 1 · KR1 · target": every field here is a target."""
    return target.label.removesuffix(" · target") or target.label


# Steps -------------------------------------------------------------------------------------

def check_in_steps(frame: Frame, targets: Sequence[TargetField]) -> list[list[TargetField]]:
    """The targets, step by step: each section's (a scorecard's perspective, or the frame's
    rows) split evenly into steps of at most STEP_TARGETS_MAX targets, a row's targets
    together where they fit. A step never holds more than STEP_INPUTS_MAX inputs."""
    steps: list[list[TargetField]] = []
    number = 0
    for section in frame.sections:
        rows = range(number, number + len(section.rows))
        number += len(section.rows)
        groups = [[target for target in targets if target.row == row] for row in rows]
        steps += split_evenly([group for group in groups if group], STEP_TARGETS_MAX)
    return steps


def _step(frame: Frame, targets: Sequence[TargetField], state: CheckInState) -> tuple[int, list[list[TargetField]]]:
    steps = check_in_steps(frame, targets) or [[]]
    return min(state.part, len(steps) - 1), steps


# The form ----------------------------------------------------------------------------------


def _entry(draft: Draft, check_in: str, key: str) -> TargetCheck | None:
    found = next((item for item in draft.check_ins if item.id == check_in), None)
    return found.entries.get(key) if found else None


def _saved(entry: TargetCheck | None, field: str) -> str:
    if entry is None:
        return ""
    if field == STATUS:
        return entry.status.value if entry.status else ""
    return (entry.value if field == VALUE else entry.note) or ""


def _status_select(initial: str) -> StaticSelectElement:
    options = [*(Option(text=label, value=status.value) for status, label in STATUS_LABELS.items()),
               Option(text="No status", value=NO_STATUS)]
    chosen = next((option for option in options if option.value == initial), None)
    return StaticSelectElement(action_id=VALUE_ACTION, options=options, initial_option=chosen,
                               placeholder="Pick a status")


def _inputs(target: TargetField, values: Mapping[str, str], errors: Mapping[str, str]) -> list[Block]:
    blocks: list[Block] = []
    for field in FIELDS:
        block = block_id(target.key, field)
        value = values.get(block, "")
        element: PlainTextInputElement | StaticSelectElement
        if field == STATUS:
            element = _status_select(value)
        else:
            note = field == NOTE
            element = PlainTextInputElement(
                action_id=VALUE_ACTION, initial_value=value or None, multiline=note,
                max_length=NOTE_MAX_CHARS if note else MAX_VALUE_CHARS,
                placeholder="What helped, what is in the way" if note else "e.g. 8 sites activated")
        # Every field optional: a check-in may say only how one target stands.
        blocks.append(InputBlock(block_id=block, label=FIELD_LABELS[field], element=element, optional=True))
        if block in errors:
            blocks += context(f"Not saved: {errors[block]}")
    return blocks


def check_in_form(frame: Frame, draft: Draft, state: CheckInState, *, shown: Mapping[str, str] | None = None,
                  errors: Mapping[str, str] | None = None) -> dict[str, object]:
    """One step of the check-in form, as a modal view. `shown`: values by block id to show
    instead of the saved ones (typed, then refused: `errors`, by block id)."""
    shown, errors = shown or {}, errors or {}
    targets = target_fields(frame, draft.values)
    number, steps = _step(frame, targets, state)
    notes = [notices.CHECK_IN_NOTE]
    if len(steps) > 1:
        notes.append(notices.STEP_NOTE.format(step=number + 1, steps=len(steps)))
    blocks: list[Block] = context(" ".join(notes))
    items = steps[number]
    for row in dict.fromkeys(target.row for target in items):
        heading = row_title(frame, row + 1, frame.rows[row], draft.values)
        blocks += pieced([(strong(heading), heading)])
        for index, target in enumerate(target for target in items if target.row == row):
            if index:
                blocks.append(DividerBlock())  # where one target's inputs end and the next begin
            saved = {block_id(target.key, field): _saved(_entry(draft, state.check_in, target.key), field)
                     for field in FIELDS}
            blocks += context(f"{target.label}: {target.sentence}")
            # The person's own target, in sight as they say where it stands: a line of its own.
            blocks += pieced([(labelled("Your target:", target.target), f"Your target: {target.target}")])
            blocks += _inputs(target, {**saved, **shown}, errors)
    if number > 0:
        blocks.append(ActionsBlock(block_id=BACK_BLOCK, elements=[
            ButtonElement(text="Back", action_id=CHECK_IN_BACK_ACTION, value=str(number))]))
    title = "Check in" if len(steps) == 1 else f"Check in · {number + 1} of {len(steps)}"
    modal = View(
        type="modal",
        callback_id=CHECK_IN_CALLBACK,
        title=title[:MODAL_TITLE_MAX],
        submit="Save" if number + 1 == len(steps) else "Next",
        close="Close",
        notify_on_close=True,  # closing keeps what was typed: see `save_on_close`
        private_metadata=state.model_copy(update={"part": number}).value(),
        blocks=blocks,
    )
    return modal.to_dict()


def new_check_in_form(frame: Frame, draft: Draft, check_in: str) -> dict[str, object]:
    """The first step of a new check-in of `draft` (`check_in`: the id its steps save into)."""
    return check_in_form(frame, draft, CheckInState(draft=draft.id, check_in=check_in))


# What a step says was typed, and saving it ------------------------------------------------


def typed_blocks(view: dict[str, Any]) -> dict[str, str]:
    """What each check-in input the form showed holds, by block id ('' for an empty one).
    Only the form's own inputs: a block in a crafted state that the form never had is ignored."""
    blocks = view.get("blocks")
    own = [block["block_id"] for block in blocks if isinstance(block, dict) and block.get("type") == "input"
           and isinstance(block.get("block_id"), str) and parse_block(block["block_id"])] \
        if isinstance(blocks, list) else []
    return form_values(view, own)


def entries_of(typed: Mapping[str, str]) -> dict[str, Typed]:
    """What was typed, as each target's entry; a field the state lacks reads as empty."""
    by_key: dict[str, dict[str, str]] = {}
    for block, value in typed.items():
        if parsed := parse_block(block):
            by_key.setdefault(parsed[0], {})[parsed[1]] = value
    return {key: Typed(value=fields.get(VALUE, ""), status=fields.get(STATUS, ""), note=fields.get(NOTE, ""))
            for key, fields in by_key.items()}


def _first_block(view: dict[str, Any]) -> str:
    blocks = view.get("blocks")
    for block in blocks if isinstance(blocks, list) else []:
        if isinstance(block, dict) and block.get("type") == "input" and isinstance(block.get("block_id"), str):
            return str(block["block_id"])
    return block_id("none", VALUE)


def _notice(result: Gone | NoFrame | NoTargets) -> dict[str, object]:
    if isinstance(result, NoFrame):
        text = notices.NO_FRAME.format(family=result.family, level=result.level)
    elif isinstance(result, NoTargets):
        text = notices.NO_TARGETS
    else:
        text = notices.CHECK_IN_GONE
    return notice_view(notices.CHECK_IN_NOT_SAVED_TITLE, text)


def _save(drafting: Drafting, owner: Owner, state: CheckInState, typed: Mapping[str, str],
          now: datetime) -> CheckInResult:
    return drafting.check_in(owner, state.draft, state.check_in, entries_of(typed), now)


def _errors(result: Refused | StoreFailed, view: dict[str, Any]) -> dict[str, str]:
    if isinstance(result, StoreFailed):
        return {_first_block(view): notices.CHECK_IN_SAVE_FAILED.format(error_id=result.error_id)}
    return dict(result.errors)


def save_submission(drafting: Drafting, owner: Owner, state: CheckInState, view: dict[str, Any],
                    now: datetime) -> tuple[CheckInResult, dict[str, Any]]:
    """Save the step the form showed (Next or Save) into the check-in; the result, and the
    form's ack answer: errors beside their fields, the next step, a notice, or nothing (the
    form closes)."""
    result = _save(drafting, owner, state, typed_blocks(view), now)
    if isinstance(result, Refused | StoreFailed):
        return result, {"response_action": "errors", "errors": _errors(result, view)}
    if not isinstance(result, CheckedIn):
        return result, {"response_action": "update", "view": _notice(result)}
    number, steps = _step(result.frame, target_fields(result.frame, result.draft.values), state)
    if number + 1 == len(steps):
        return result, {}
    following = state.model_copy(update={"part": number + 1})
    return result, {"response_action": "update", "view": check_in_form(result.frame, result.draft, following)}


def save_back(drafting: Drafting, owner: Owner, state: CheckInState, view: dict[str, Any],
              now: datetime) -> tuple[CheckInResult, dict[str, object]]:
    """Back: save the step as Next does, then the view to show: the step before, or the same
    step again with why a value was refused beside it, everything typed still there."""
    typed = typed_blocks(view)
    result = _save(drafting, owner, state, typed, now)
    if isinstance(result, CheckedIn):
        before = state.model_copy(update={"part": max(0, state.part - 1)})
        return result, check_in_form(result.frame, result.draft, before)
    if not isinstance(result, Refused | StoreFailed):
        return result, _notice(result)
    stored = drafting.get(owner, state.draft)
    if stored is None or stored.frame is None:
        return result, _notice(Gone())
    return result, check_in_form(stored.frame, stored.draft, state, shown=typed, errors=_errors(result, view))


@dataclass(frozen=True)
class NotSaved:
    """A value typed into a closed check-in form that could not be saved, and why."""

    label: str
    typed: str
    why: str


def field_labels(drafting: Drafting, owner: Owner, state: CheckInState) -> dict[str, str]:
    """Each check-in input's label as the person read it, by block id: to quote them back."""
    stored = drafting.get(owner, state.draft)
    if stored is None or stored.frame is None:
        return {}
    return {block_id(target.key, field): f"{short_label(target)} · {FIELD_LABELS[field].lower()}"
            for target in target_fields(stored.frame, stored.draft.values) for field in FIELDS}


def save_on_close(drafting: Drafting, owner: Owner, state: CheckInState, view: dict[str, Any],
                  now: datetime) -> tuple[CheckInResult | None, list[NotSaved]]:
    """The form was closed: save what was typed in its step, except values that break a rule
    (those are returned, with what was typed and why, to tell the person). None: nothing was
    typed (a new check-in so closed is never stored)."""
    typed = typed_blocks(view)
    if not any(typed.values()) and not any(item.id == state.check_in for item in _check_ins(drafting, owner, state)):
        return None, []
    result = _save(drafting, owner, state, typed, now)
    if not isinstance(result, Refused):
        return result, []
    labels = field_labels(drafting, owner, state)
    refused = [NotSaved(labels.get(block, block), typed.get(block, ""), why) for block, why in result.errors.items()]
    kept = {block: ("" if block in result.errors else value) for block, value in typed.items()}
    return _save(drafting, owner, state, kept, now), refused


def _check_ins(drafting: Drafting, owner: Owner, state: CheckInState) -> list[CheckIn]:
    stored = drafting.get(owner, state.draft)
    return list(stored.draft.check_ins) if stored else []


def typed_values(drafting: Drafting, owner: Owner, state: CheckInState,
                 view: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) of every input of the step with something in it: to quote back to a
    person whose typing could not be saved at all."""
    labels = field_labels(drafting, owner, state)
    return [(labels.get(block, block), value) for block, value in typed_blocks(view).items() if value]


def closed_note(drafting: Drafting, owner: Owner, state: CheckInState, view: dict[str, Any],
                result: CheckInResult | None, refused: list[NotSaved]) -> str:
    """What to tell the person in their DM after they closed the form; '' for nothing."""
    if isinstance(result, StoreFailed | Gone | NoFrame | NoTargets):
        # Nothing saved at all: quote back everything typed, so nothing is lost.
        typed = [notices.CLOSED_NOT_SAVED_ITEM.format(label=label, typed=value, why="not saved")
                 for label, value in typed_values(drafting, owner, state, view)]
        if isinstance(result, StoreFailed):
            head = notices.CHECK_IN_CLOSED_SAVE_FAILED.format(error_id=result.error_id)
        elif isinstance(result, NoFrame):
            head = notices.NO_FRAME.format(family=result.family, level=result.level)
        elif isinstance(result, NoTargets):
            head = notices.CHECK_IN_CLOSED_NO_TARGETS
        else:
            head = notices.CHECK_IN_CLOSED_GONE
        return "\n".join([head, *typed])
    if not refused:
        return ""
    items = [notices.CLOSED_NOT_SAVED_ITEM.format(label=item.label, typed=item.typed, why=item.why)
             for item in refused]
    return "\n".join([notices.CHECK_IN_CLOSED_NOT_SAVED, *items, notices.CHECK_IN_CLOSED_FIX])
