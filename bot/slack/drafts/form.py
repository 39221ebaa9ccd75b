"""The form that fills a draft's placeholders, as modal views: one step at a time (a row, or a
scorecard perspective, per step; never more than STEP_INPUTS_MAX inputs), each step saved
as the person moves on (Next, Back, or closing the form), and notices in place of a form."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TypeVar

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    PlainTextInputElement,
    PlainTextObject,
)
from slack_sdk.models.views import View

from bot.frames import templates as t
from bot.frames.model import Frame, PlaceholderKind, Row
from bot.frames.text import render_parts, row_title
from bot.goals.checks import MAX_VALUE_CHARS, NAME_MAX_CHARS
from bot.goals.drafts.drafting import (
    NAME_KEY,
    PERIOD_END_KEY,
)
from bot.goals.drafts.view import DraftView
from bot.goals.fields import FormInput, form_inputs
from bot.goals.model import Draft
from bot.slack.shared import notices
from bot.slack.shared.ids import DRAFT_BACK_ACTION, DRAFT_FORM_CALLBACK, VALUE_ACTION
from bot.slack.shared.layout import context, sections
from bot.slack.shared.limits import MODAL_TITLE_MAX
from bot.slack.shared.text import plain, shortened
from bot.slack.shared.values import FormState

STEP_INPUTS_MAX = 8  # inputs in one step of the form, the draft's name and period end included
_FIRST_STEP_OWN = 2  # the first step also holds the draft's name and period end
NAME_LABEL = "Draft name"
PERIOD_END_LABEL = "Period end"
BACK_BLOCK = "goals_draft_back"
Item = TypeVar("Item")


# Steps -------------------------------------------------------------------------------------


def form_steps(frame: Frame) -> list[list[FormInput]]:
    """The frame's inputs, step by step: a row per step (a scorecard's perspective, whose
    rows are one line each); a row or perspective with more inputs than a step holds is
    split over steps of whole rows where it can be, evenly."""
    inputs = form_inputs(frame)
    by_row: dict[int, list[FormInput]] = {}
    for item in inputs:
        by_row.setdefault(item.row, []).append(item)
    units: list[list[list[FormInput]]] = []
    number = 0
    for section in frame.sections:
        rows = [by_row[index] for index in range(number, number + len(section.rows)) if index in by_row]
        number += len(section.rows)
        units += ([rows] if rows else []) if section.title else [[row] for row in rows]
    steps: list[list[FormInput]] = []
    for unit in units:
        budget = STEP_INPUTS_MAX - (_FIRST_STEP_OWN if not steps else 0)
        steps += split_evenly(unit, budget)
    return steps or [[]]


def split_evenly(groups: Sequence[Sequence[Item]], budget: int) -> list[list[Item]]:
    """Items in steps of at most `budget`, as even as whole items allow, a group (a row's
    inputs, a row's targets) kept whole in one step where it fits. The check-in form's steps
    follow the same rule."""
    total = sum(len(group) for group in groups)
    if not total:
        return []
    pieces = -(-total // budget)
    cap = -(-total // pieces)  # as even as whole items allow, never over the budget
    chunks: list[list[Item]] = [[]]
    for group in groups:
        if chunks[-1] and len(chunks[-1]) + len(group) > cap:
            chunks.append([])
        for item in group:
            if len(chunks[-1]) >= cap:
                chunks.append([])
            chunks[-1].append(item)
    return chunks


def current_step(frame: Frame, state: FormState) -> tuple[int, list[list[FormInput]]]:
    steps = form_steps(frame)
    return min(state.part, len(steps) - 1), steps


def step_inputs(frame: Frame, state: FormState) -> list[FormInput]:
    """The inputs of the step of the form `state` was showing."""
    number, steps = current_step(frame, state)
    return steps[number]


def block_ids(frame: Frame, state: FormState) -> list[str]:
    number, steps = current_step(frame, state)
    own = [NAME_KEY, PERIOD_END_KEY] if number == 0 else []
    return own + [item.key for item in steps[number]]


# The form ----------------------------------------------------------------------------------


def _input(item: FormInput, value: str | None) -> InputBlock:
    if item.kind is PlaceholderKind.DATE:
        element: DatePickerElement | PlainTextInputElement = DatePickerElement(
            action_id=VALUE_ACTION, initial_date=value or None, placeholder="Pick a date")
    else:
        example = "e.g. 72%" if item.kind is PlaceholderKind.BASELINE else "e.g. 12 sites activated"
        element = PlainTextInputElement(action_id=VALUE_ACTION, initial_value=value or None,
                                        max_length=MAX_VALUE_CHARS, placeholder=example)
    # Optional: a draft may be partly filled. Slack marks optional inputs itself.
    return InputBlock(block_id=item.key, label=item.label, element=element, optional=True)


def _error(errors: Mapping[str, str], block_id: str) -> list[Block]:
    return context(f"Not saved: {errors[block_id]}") if block_id in errors else []


def _own_inputs(view: DraftView | None, draft: Draft, shown: Mapping[str, str],
                errors: Mapping[str, str]) -> list[Block]:
    """The first step's own inputs: the draft's name, and a period end for every empty date."""
    default = view.default_name if view else draft.framework.value
    name = shown.get(NAME_KEY, draft.name or "")
    blocks: list[Block] = [InputBlock(
        block_id=NAME_KEY, label=NAME_LABEL, optional=True,
        element=PlainTextInputElement(action_id=VALUE_ACTION, initial_value=name or None,
                                      max_length=NAME_MAX_CHARS, placeholder=shortened(default, 150)))]
    blocks += _error(errors, NAME_KEY)
    blocks.append(InputBlock(
        block_id=PERIOD_END_KEY, label=PERIOD_END_LABEL, optional=True,
        element=DatePickerElement(action_id=VALUE_ACTION, initial_date=shown.get(PERIOD_END_KEY) or None,
                                  placeholder="Pick a date"),
        hint=PlainTextObject(text="Fills every empty date of this draft at once, on every step.", emoji=False)))
    return blocks + _error(errors, PERIOD_END_KEY)


def _row_blocks(frame: Frame, row: int, items: list[FormInput], values: Mapping[str, str],
                shown: Mapping[str, str], errors: Mapping[str, str]) -> list[Block]:
    """A row's heading, then each of its lines (the template sentence, placeholders as
    glyphs) above the inputs that fill it; an input several lines share comes under the
    last of them."""
    current: Row = frame.rows[row]
    blocks = sections(row_title(frame, row + 1, current))
    wanted = {line for item in items for line in item.lines}
    for line in current.lines:
        line_key = f"{current.key}.{line.key}"
        if line_key not in wanted:
            continue
        blocks += context(f"{line.label}: {render_parts(line.parts)}")
        for item in items:
            if item.lines[-1] == line_key:
                blocks.append(_input(item, shown.get(item.key, values.get(item.key))))
                blocks += _error(errors, item.key)
    return blocks


def draft_form(frame: Frame, draft: Draft, state: FormState, *, canon_changed: bool, leftover_count: int,
               view: DraftView | None = None, shown: Mapping[str, str] | None = None,
               errors: Mapping[str, str] | None = None) -> dict[str, object]:
    """One step of the form that fills `draft`'s placeholders, as a modal view. `shown`: values
    by block id to show instead of the saved ones (typed, then refused: `errors`, by block id)."""
    shown, errors = shown or {}, errors or {}
    number, steps = current_step(frame, state)
    blocks: list[Block] = []
    if frame.stretch_label:
        blocks += context(frame.stretch_label)
    blocks.append(ContextBlock(elements=[plain(t.IDENTITY_LINE.format(**frame.names))]))
    notes = []
    if canon_changed:
        notes.append(t.CANON_CHANGED.format(**frame.names))
    if leftover_count:
        notes.append(f"{leftover_count} value{'s' * (leftover_count != 1)} no longer in the canon "
                     "are kept and shown in your draft's message.")
    notes.append(notices.FORM_NOTE)
    if len(steps) > 1:
        notes.append(notices.STEP_NOTE.format(step=number + 1, steps=len(steps)))
    blocks += context(" ".join(notes))
    if number == 0:
        blocks += _own_inputs(view, draft, shown, errors)
    items = steps[number]
    for row in dict.fromkeys(item.row for item in items):
        blocks += _row_blocks(frame, row, [item for item in items if item.row == row], draft.values, shown, errors)
    if number > 0:
        blocks.append(ActionsBlock(block_id=BACK_BLOCK, elements=[
            ButtonElement(text="Back", action_id=DRAFT_BACK_ACTION, value=str(number))]))
    title = "Draft targets" if len(steps) == 1 else f"Draft · step {number + 1} of {len(steps)}"
    last = number + 1 == len(steps)
    modal = View(
        type="modal",
        callback_id=DRAFT_FORM_CALLBACK,
        title=title[:MODAL_TITLE_MAX],
        submit="Save" if last else "Next",
        close="Close",
        notify_on_close=True,  # closing keeps what was typed: see `save_on_close`
        # Values shown as typed, not saved, are saved with the step even if left as they are.
        private_metadata=state.model_copy(update={"part": number, "typed": list(shown)}).value(),
        blocks=blocks,
    )
    return modal.to_dict()


_CHANNEL = re.compile(r"[CG][A-Z0-9]{1,30}")  # a channel to confirm a save in; not a DM (D…)


def _state(draft: Draft, tz: str | None, new: bool = False, channel: str | None = None,
           propose_to: str | None = None) -> FormState:
    # A new draft's preset name ("… (2)") is what it is named when first saved, unless the
    # person changed it; closed with nothing typed, it still stores nothing.
    return FormState(draft=draft.id, new=new, family=draft.family, level=draft.level, framework=draft.framework,
                     tz=tz, for_family=draft.for_family, for_level=draft.for_level,
                     preset=draft.name if new else None, propose_to=propose_to,
                     channel=channel if channel and _CHANNEL.fullmatch(channel) else None)


def new_draft_form(started: DraftView, tz: str | None = None, channel: str | None = None,
                   propose_to: str | None = None) -> dict[str, object]:
    """The form for a draft not stored yet (`Drafting.start`): its first save creates it.
    `propose_to`: a person it is proposed to once saved (`/goals draft … for @them`)."""
    assert started.frame is not None
    state = _state(started.draft, tz, new=True, channel=channel, propose_to=propose_to)
    return draft_form(started.frame, started.draft, state,
                      canon_changed=False,
                      leftover_count=0, view=started)


def edit_form(view: DraftView, tz: str | None = None, channel: str | None = None) -> dict[str, object] | None:
    """The form for a stored draft; None if the canon no longer has its frame."""
    if view.frame is None:
        return None
    return draft_form(view.frame, view.draft, _state(view.draft, tz, channel=channel),
                      canon_changed=view.canon_changed,
                      leftover_count=len(view.leftovers), view=view)
