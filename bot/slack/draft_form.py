"""The form that fills a draft's placeholders, as modal views: one part of a frame at a time
(a long frame is filled in parts that each fit a modal), and notices in place of a form."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    PlainTextInputElement,
    PlainTextObject,
)
from slack_sdk.models.views import View

from bot.drafts.checks import MAX_VALUE_CHARS
from bot.drafts.fields import PlaceholderField, leftovers, placeholder_fields
from bot.drafts.model import Draft, Owner
from bot.drafts.service import Drafting, Gone, NoFrame, Refused, SaveResult, StoreFailed, Target
from bot.drafts.view import DraftView
from bot.frames import templates as t
from bot.frames.model import Frame, PlaceholderKind
from bot.frames.text import row_title
from bot.slack import notices
from bot.slack.ids import DRAFT_FORM_CALLBACK, VALUE_ACTION
from bot.slack.layout import sections
from bot.slack.limits import HINT_MAX, MODAL_BLOCKS_MAX, MODAL_TITLE_MAX
from bot.slack.payloads import form_entries
from bot.slack.text import escape, plain
from bot.slack.values import FormState

_FORM_CHROME = 3  # identity, canon note, part note


def _heading_blocks(frame: Frame, row: int) -> list[Block]:
    return sections(row_title(frame, row + 1, frame.rows[row]))


def form_parts(frame: Frame) -> list[list[PlaceholderField]]:
    """The frame's fields grouped by row into parts that each fit one modal (100 blocks)."""
    budget = MODAL_BLOCKS_MAX - _FORM_CHROME
    parts: list[list[PlaceholderField]] = [[]]
    used = 0
    by_row: dict[int, list[PlaceholderField]] = {}
    for field in placeholder_fields(frame):
        by_row.setdefault(field.row, []).append(field)
    for row, row_fields in by_row.items():
        size = len(_heading_blocks(frame, row)) + len(row_fields)
        if parts[-1] and used + size > budget:
            parts.append([])
            used = 0
        parts[-1].extend(row_fields)
        used += size
    return parts


def _input(field: PlaceholderField, value: str | None, hinted: bool) -> InputBlock:
    if field.kind is PlaceholderKind.DATE:
        element: DatePickerElement | PlainTextInputElement = DatePickerElement(
            action_id=VALUE_ACTION, initial_date=value or None, placeholder="Pick a date")
    else:
        example = "e.g. 72%" if field.kind is PlaceholderKind.BASELINE else "e.g. 12 sites activated"
        element = PlainTextInputElement(action_id=VALUE_ACTION, initial_value=value or None,
                                        max_length=MAX_VALUE_CHARS, placeholder=example)
    # The line's sentence, under its first field only: its other fields share it.
    hint = escape(field.sentence) if hinted else ""
    return InputBlock(block_id=field.key, label=field.label, element=element, optional=True,
                      hint=PlainTextObject(text=hint, emoji=False) if 0 < len(hint) <= HINT_MAX else None)


def draft_form(frame: Frame, draft: Draft, state: FormState, *, canon_changed: bool,
               leftover_count: int) -> dict[str, object]:
    """One part of the form that fills `draft`'s placeholders, as a modal view."""
    parts = form_parts(frame)
    part = min(state.part, len(parts) - 1)
    blocks: list[Block] = [ContextBlock(elements=[plain(t.IDENTITY_LINE.format(**frame.names))])]
    notes = []
    if canon_changed:
        notes.append(t.CANON_CHANGED.format(**frame.names))
    if leftover_count:
        notes.append(f"{leftover_count} value{'s' * (leftover_count != 1)} no longer in the canon "
                     "are kept and shown in your draft's message.")
    if len(parts) > 1:
        notes.append(f"Part {part + 1} of {len(parts)}: each part is saved when you move on; "
                     "close the form at any time and come back with Edit.")
    if notes:
        blocks.append(ContextBlock(elements=[plain(" ".join(notes)[:3000])]))
    row, line = -1, ""
    for field in parts[part]:
        if field.row != row:
            row = field.row
            blocks += _heading_blocks(frame, row)
        blocks.append(_input(field, draft.values.get(field.key), hinted=field.key.rsplit(".", 1)[0] != line))
        line = field.key.rsplit(".", 1)[0]
    title = "Draft targets" if len(parts) == 1 else f"Draft · part {part + 1} of {len(parts)}"
    last = part + 1 == len(parts)
    view = View(
        type="modal",
        callback_id=DRAFT_FORM_CALLBACK,
        title=title[:MODAL_TITLE_MAX],
        submit="Save" if last else "Save & next",
        close="Cancel" if part == 0 else "Close",
        private_metadata=state.model_copy(update={"part": part}).value(),
        blocks=blocks,
    )
    return view.to_dict()


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


def new_draft_form(started: DraftView, tz: str | None = None) -> dict[str, object]:
    """The form for a draft not stored yet (`Drafting.start`): its first save creates it."""
    assert started.frame is not None
    draft = started.draft
    state = FormState(draft=draft.id, new=True, family=draft.family, level=draft.level, framework=draft.framework,
                      tz=tz)
    return draft_form(started.frame, draft, state, canon_changed=False, leftover_count=0)


def edit_form(view: DraftView, tz: str | None = None) -> dict[str, object] | None:
    """The form for a stored draft; None if the canon no longer has its frame."""
    if view.frame is None:
        return None
    draft = view.draft
    state = FormState(draft=draft.id, family=draft.family, level=draft.level, framework=draft.framework, tz=tz)
    return draft_form(view.frame, draft, state, canon_changed=view.canon_changed,
                      leftover_count=len(view.leftovers))


def part_keys(frame: Frame, state: FormState) -> list[str]:
    """The placeholder keys of the part of the form `state` was showing."""
    parts = form_parts(frame)
    return [field.key for field in parts[min(state.part, len(parts) - 1)]]


def save_submission(drafting: Drafting, owner: Owner, state: FormState, view: dict[str, Any],
                    now: datetime) -> tuple[SaveResult, dict[str, Any]]:
    """Save what the person changed in the part of the form `view` showed; the result, and
    the form's ack answer for it."""
    frame = drafting.frame(state.family, state.level, state.framework)
    entries = form_entries(view, part_keys(frame, state)) if frame else {}
    target = Target(draft=state.draft, family=state.family, level=state.level, framework=state.framework,
                    new=state.new)
    result = drafting.save(owner, target, entries, state.tz, now)
    return result, submission_answer(result, frame, state)


def submission_answer(result: SaveResult, frame: Frame | None, state: FormState) -> dict[str, Any]:
    """What the form's ack says after a save: errors beside their fields, the next part, a
    notice in place of the form, or nothing (the form closes)."""
    if isinstance(result, NoFrame) or frame is None:
        notice = notices.NO_FRAME.format(family=state.family, level=state.level)
        return {"response_action": "update", "view": notice_view(notices.NOT_SAVED_TITLE, notice)}
    if isinstance(result, Refused):
        return {"response_action": "errors", "errors": result.errors}
    if isinstance(result, StoreFailed):
        failed = notices.SAVE_FAILED.format(error_id=result.error_id)
        return {"response_action": "errors", "errors": {part_keys(frame, state)[0]: failed}}
    if isinstance(result, Gone):
        return {"response_action": "update", "view": notice_view(notices.NOT_SAVED_TITLE, notices.DELETED_WHILE_OPEN)}
    parts = form_parts(frame)
    part = min(state.part, len(parts) - 1)
    if part + 1 == len(parts):
        return {}
    saved = result.draft
    following = state.model_copy(update={"part": part + 1, "new": False})
    return {"response_action": "update", "view": draft_form(
        frame, saved, following, canon_changed=False,
        leftover_count=len(leftovers(frame, saved.values, saved.labels)))}
