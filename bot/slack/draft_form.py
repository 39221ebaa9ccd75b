"""The form that fills a draft's placeholders, as modal views: one step at a time (a row, or a
scorecard perspective, per step; never more than STEP_INPUTS_MAX inputs), each step saved
as the person moves on (Next, Back, or closing the form), and notices in place of a form."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

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

from bot.drafts.checks import MAX_VALUE_CHARS, NAME_MAX_CHARS
from bot.drafts.fields import FormInput, form_inputs, leftovers
from bot.drafts.model import Draft, Owner
from bot.drafts.service import (
    NAME_KEY,
    PERIOD_END_KEY,
    Drafting,
    Gone,
    NoFrame,
    Refused,
    Saved,
    SaveResult,
    StoreFailed,
    Target,
)
from bot.drafts.view import DraftView
from bot.frames import templates as t
from bot.frames.model import Frame, PlaceholderKind, Row
from bot.frames.text import render_parts, row_title
from bot.slack import notices
from bot.slack.ids import DRAFT_BACK_ACTION, DRAFT_FORM_CALLBACK, VALUE_ACTION
from bot.slack.layout import context, sections
from bot.slack.limits import MODAL_TITLE_MAX
from bot.slack.payloads import form_entries, form_values
from bot.slack.text import plain, shortened
from bot.slack.values import FormState

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


def _step(frame: Frame, state: FormState) -> tuple[int, list[list[FormInput]]]:
    steps = form_steps(frame)
    return min(state.part, len(steps) - 1), steps


def step_inputs(frame: Frame, state: FormState) -> list[FormInput]:
    """The inputs of the step of the form `state` was showing."""
    number, steps = _step(frame, state)
    return steps[number]


def _block_ids(frame: Frame, state: FormState) -> list[str]:
    number, steps = _step(frame, state)
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
    number, steps = _step(frame, state)
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


def with_tz(form: dict[str, object], tz: str) -> dict[str, object] | None:
    """The same form, now knowing the person's timezone; same blocks, so typing is kept."""
    state = FormState.parse(form.get("private_metadata"))
    if state is None or len(tz) > 64:
        return None
    return {**form, "private_metadata": state.model_copy(update={"tz": tz}).value()}


def notice_view(title: str, text: str) -> dict[str, object]:
    """A modal that only says something (a stale form, a draft that is gone)."""
    view = View(type="modal", title=title[:MODAL_TITLE_MAX], close="Close", blocks=sections(text))
    return view.to_dict()


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


# What a step of the form says was typed, and saving it -----------------------------------


@dataclass(frozen=True)
class StepEntries:
    """What the person typed in one step: changes by placeholder key (an input that stands
    for several placeholders, under each), the draft's name (None: unchanged) and period end."""

    entries: dict[str, str]
    name: str | None
    period_end: str
    typed: dict[str, str]  # every input's value as typed, by block id
    changed: tuple[str, ...]  # the block ids whose value is to be saved

    @property
    def nothing(self) -> bool:
        return not self.entries and self.name is None and not self.period_end


def read_step(frame: Frame, state: FormState, view: dict[str, Any]) -> StepEntries:
    inputs = step_inputs(frame, state)
    blocks = _block_ids(frame, state)
    changed = form_entries(view, blocks, always=state.typed)
    entries = {key: changed[item.key] for item in inputs if item.key in changed for key in item.keys}
    return StepEntries(entries=entries, name=changed.get(NAME_KEY), period_end=changed.get(PERIOD_END_KEY, ""),
                       typed=form_values(view, blocks), changed=tuple(changed))


def _target(state: FormState) -> Target:
    return Target(draft=state.draft, family=state.family, level=state.level, framework=state.framework,
                  new=state.new, for_family=state.for_family, for_level=state.for_level, name=state.preset)


def _frame(drafting: Drafting, state: FormState) -> Frame | None:
    return drafting.frame(state.family, state.level, state.framework, state.for_family, state.for_level)


def _save(drafting: Drafting, owner: Owner, state: FormState, step: StepEntries, now: datetime) -> SaveResult:
    return drafting.save(owner, _target(state), step.entries, state.tz, now, name=step.name,
                         period_end=step.period_end)


def block_errors(frame: Frame, state: FormState, errors: Mapping[str, str]) -> dict[str, str]:
    """Errors by placeholder key (or the name's, the period end's) as errors by block id."""
    blocks = _block_ids(frame, state)
    holder = {key: item.key for item in step_inputs(frame, state) for key in item.keys}
    found: dict[str, str] = {}
    for key, error in errors.items():
        block = key if key in (NAME_KEY, PERIOD_END_KEY) else holder.get(key, blocks[0] if blocks else key)
        found.setdefault(block, error)
    return found


def save_submission(drafting: Drafting, owner: Owner, state: FormState, view: dict[str, Any],
                    now: datetime) -> tuple[SaveResult, dict[str, Any]]:
    """Save what the person changed in the step of the form `view` showed (Next or Save);
    the result, and the form's ack answer for it."""
    frame = _frame(drafting, state)
    if frame is None:
        result: SaveResult = NoFrame(state.family, state.level)
        return result, submission_answer(result, None, state)
    result = _save(drafting, owner, state, read_step(frame, state, view), now)
    return result, submission_answer(result, frame, state)


def submission_answer(result: SaveResult, frame: Frame | None, state: FormState) -> dict[str, Any]:
    """What the form's ack says after a save: errors beside their fields, the next step, a
    notice in place of the form, or nothing (the form closes)."""
    if isinstance(result, NoFrame) or frame is None:
        notice = notices.NO_FRAME.format(family=state.family, level=state.level)
        return {"response_action": "update", "view": notice_view(notices.NOT_SAVED_TITLE, notice)}
    if isinstance(result, Refused):
        return {"response_action": "errors", "errors": block_errors(frame, state, result.errors)}
    if isinstance(result, StoreFailed):
        failed = notices.SAVE_FAILED.format(error_id=result.error_id)
        return {"response_action": "errors", "errors": {_block_ids(frame, state)[0]: failed}}
    if isinstance(result, Gone):
        return {"response_action": "update", "view": notice_view(notices.NOT_SAVED_TITLE, notices.DELETED_WHILE_OPEN)}
    number, steps = _step(frame, state)
    if number + 1 == len(steps):
        return {}
    return {"response_action": "update", "view": step_view(result, state, number + 1)}


def step_view(saved: Saved, state: FormState, number: int) -> dict[str, object]:
    """The form at step `number` of a draft just saved."""
    frame, draft = saved.frame, saved.draft
    following = state.model_copy(update={"part": number, "new": False, "typed": []})
    found = leftovers(frame, draft.values, draft.labels)
    view = DraftView(draft=draft, frame=frame, progress=None, leftovers=found)
    return draft_form(frame, draft, following, canon_changed=False, leftover_count=len(found), view=view)


def save_back(drafting: Drafting, owner: Owner, state: FormState, view: dict[str, Any],
              now: datetime) -> tuple[SaveResult, dict[str, object]]:
    """Back: save the step as Next does, then the view to show: the step before, or the same
    step again with why a value was refused beside it, everything typed still there."""
    frame = _frame(drafting, state)
    if frame is None:
        notice = notices.NO_FRAME.format(family=state.family, level=state.level)
        return NoFrame(state.family, state.level), notice_view(notices.NOT_SAVED_TITLE, notice)
    step = read_step(frame, state, view)
    result = _save(drafting, owner, state, step, now)
    if isinstance(result, Saved):
        return result, step_view(result, state, max(0, min(state.part, len(form_steps(frame)) - 1) - 1))
    if isinstance(result, Gone):
        return result, notice_view(notices.NOT_SAVED_TITLE, notices.DELETED_WHILE_OPEN)
    if isinstance(result, NoFrame):
        notice = notices.NO_FRAME.format(family=state.family, level=state.level)
        return result, notice_view(notices.NOT_SAVED_TITLE, notice)
    if isinstance(result, Refused):
        errors = block_errors(frame, state, result.errors)
    else:
        errors = {_block_ids(frame, state)[0]: notices.SAVE_FAILED.format(error_id=result.error_id)}
    return result, again_view(drafting, owner, frame, state, step, errors)


def again_view(drafting: Drafting, owner: Owner, frame: Frame, state: FormState, step: StepEntries,
               errors: Mapping[str, str]) -> dict[str, object]:
    """The same step, showing what was typed (not saved) and why beside each refused value."""
    stored = None if state.new else drafting.get(owner, state.draft)
    draft = stored.draft if stored else Draft(id=state.draft, owner=owner, family=state.family, level=state.level,
                                              framework=state.framework, for_family=state.for_family,
                                              for_level=state.for_level, canon_fingerprint=frame.canon_fingerprint)
    shown = {block: step.typed.get(block, "") for block in step.changed}
    view = DraftView(draft=draft, frame=frame, progress=None, leftovers=stored.leftovers if stored else [])
    return draft_form(frame, draft, state, canon_changed=stored.canon_changed if stored else False,
                      leftover_count=len(view.leftovers), view=view, shown=shown, errors=errors)


@dataclass(frozen=True)
class NotSaved:
    """A value typed into a closed form that could not be saved, and why."""

    label: str
    typed: str
    why: str


def save_on_close(drafting: Drafting, owner: Owner, state: FormState, view: dict[str, Any],
                  now: datetime) -> tuple[SaveResult | None, list[NotSaved]]:
    """The form was closed: save what was typed in its step, except values that break a rule
    (those are returned, with what was typed and why, to tell the person). None: nothing to
    save (nothing typed; a new draft so closed is never stored)."""
    frame = _frame(drafting, state)
    if frame is None:
        return NoFrame(state.family, state.level), []
    step = read_step(frame, state, view)
    if step.nothing:
        return None, []
    result = _save(drafting, owner, state, step, now)
    if not isinstance(result, Refused):
        return result, []
    errors = block_errors(frame, state, result.errors)
    labels = {item.key: item for item in step_inputs(frame, state)}
    refused = [NotSaved(_label(block, labels), step.typed.get(block, ""), why) for block, why in errors.items()]
    dropped = {key for block in errors for key in (labels[block].keys if block in labels else (block,))}
    kept = StepEntries(entries={k: v for k, v in step.entries.items() if k not in dropped},
                       name=None if NAME_KEY in dropped else step.name,
                       period_end="" if PERIOD_END_KEY in dropped else step.period_end,
                       typed=step.typed, changed=())
    return (None if kept.nothing else _save(drafting, owner, state, kept, now)), refused


def typed_values(frame: Frame, state: FormState, view: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) of every input of the step with something in it: to quote back to a
    person whose typing could not be saved at all."""
    labels = {item.key: item for item in step_inputs(frame, state)}
    return [(_label(block, labels), value) for block, value in read_step(frame, state, view).typed.items() if value]


def _label(block: str, inputs: Mapping[str, FormInput]) -> str:
    if block == NAME_KEY:
        return NAME_LABEL
    if block == PERIOD_END_KEY:
        return PERIOD_END_LABEL
    return inputs[block].label if block in inputs else block

