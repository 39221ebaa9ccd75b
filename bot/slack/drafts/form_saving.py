"""What a step of the draft's form says was typed, and saving it: on Next (checked in the
ack, errors beside their fields), on Back, and on closing the form (which keeps what was
typed and says what it could not keep)."""


from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.frames.model import Frame
from bot.goals.drafts.drafting import (
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
from bot.goals.drafts.view import DraftView
from bot.goals.fields import FormInput, leftovers
from bot.goals.model import Draft, Owner
from bot.slack.drafts.form import (
    NAME_LABEL,
    PERIOD_END_LABEL,
    block_ids,
    current_step,
    draft_form,
    form_steps,
    step_inputs,
)
from bot.slack.shared import notices
from bot.slack.shared.layout import notice_view
from bot.slack.shared.payloads import form_entries, form_values
from bot.slack.shared.values import FormState

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
    blocks = block_ids(frame, state)
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
    blocks = block_ids(frame, state)
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
        return {"response_action": "errors", "errors": {block_ids(frame, state)[0]: failed}}
    if isinstance(result, Gone):
        return {"response_action": "update", "view": notice_view(notices.NOT_SAVED_TITLE, notices.DELETED_WHILE_OPEN)}
    number, steps = current_step(frame, state)
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
        errors = {block_ids(frame, state)[0]: notices.SAVE_FAILED.format(error_id=result.error_id)}
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

