"""Drafts in Block Kit: the form that fills a frame, the draft's message in the person's
DM, the list of their drafts, and the form that shares one.

Layout only: which placeholders exist comes from the frame, what they hold from the draft.
Typed values are shown like canon text (escaped plain text: no mentions, links, markup).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from pydantic import Field
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    ConversationFilter,
    ConversationSelectElement,
    DatePickerElement,
    DividerBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.drafts.fields import MAX_VALUE_CHARS, Leftover, PlaceholderField, Progress, leftovers_text, placeholder_fields
from bot.drafts.model import ID_FIELD, Draft
from bot.frames import templates as t
from bot.frames.build import Frame, PlaceholderKind
from bot.frames.frameworks import Framework
from bot.slack.frame_blocks import (
    MAX_BLOCKS,
    ButtonValue,
    Message,
    button,
    context,
    frame_fallback,
    frame_footer,
    frame_head,
    frame_pages,
    page_buttons,
    row_title,
    sections,
    text_message,
    title_blocks,
)
from bot.slack.text import escape, plain, shortened

FORM_CALLBACK = "goals_draft_form"
SHARE_CALLBACK = "goals_draft_share_form"
EDIT_ACTION = "goals_draft_edit"
COPY_ACTION = "goals_draft_copy"
SHARE_ACTION = "goals_draft_share"
DELETE_ACTION = "goals_draft_delete"
PAGE_ACTION = "goals_draft_page_"  # + prev / next
VALUE_ACTION = "value"  # every input's action_id; its block_id is the placeholder key
CHANNEL_BLOCK = "channel"

MODAL_BLOCKS_MAX = 100
MODAL_TITLE_MAX = 24
HINT_MAX = 2000
_FORM_CHROME = 3  # identity, canon note, part note
LIST_MAX_MESSAGE = 15  # drafts in one /goals drafts answer (3 blocks each, within 50)
LIST_MAX_HOME = 25


class DraftRef(ButtonValue):
    """A draft button's value: which draft (of the person clicking) and which page."""

    draft: str = Field(alias="d", pattern=ID_FIELD)
    page: int = Field(alias="p", default=0, ge=0, le=1000)


class FormState(ButtonValue):
    """The form's private_metadata. Whose draft it is comes from the signed payload, never from here."""

    draft: str = Field(alias="d", pattern=ID_FIELD)
    new: bool = Field(alias="n", default=False)  # not saved yet: the first save creates it
    family: str = Field(alias="f", min_length=1, max_length=200)
    level: str = Field(alias="l", min_length=1, max_length=64)
    framework: Framework = Field(alias="w")
    part: int = Field(alias="p", default=0, ge=0, le=1000)
    tz: str | None = Field(alias="z", default=None, max_length=64)  # the person's Slack timezone


class ShareState(ButtonValue):
    draft: str = Field(alias="d", pattern=ID_FIELD)


# The form ------------------------------------------------------------------------------

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
        callback_id=FORM_CALLBACK,
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


def form_entries(view: dict[str, object], keys: Sequence[str]) -> dict[str, str]:
    """What the person changed in this form, for `keys` (the part's placeholders): trimmed,
    '' for a field they emptied.

    Only inputs the form has, and only those whose value differs from what the form
    showed: a form built before a canon change lacks some keys, and a second form open on
    the same draft must not write back the values it merely showed. Extra or renamed blocks
    in a crafted payload are ignored.
    """
    state = view.get("state")
    values = state.get("values") if isinstance(state, dict) else None
    values = values if isinstance(values, dict) else {}
    shown = _initial_values(view)
    entries = {}
    for key in keys:
        block = values.get(key)
        if not isinstance(block, dict) or key not in shown:
            continue
        element = block.get(VALUE_ACTION)
        element = element if isinstance(element, dict) else {}
        raw = element.get("selected_date") if element.get("type") == "datepicker" else element.get("value")
        entry = raw.strip() if isinstance(raw, str) else ""
        if entry != shown[key]:
            entries[key] = entry
    return entries


def _initial_values(view: dict[str, object]) -> dict[str, str]:
    """Each input's value as the form showed it ('' for none), by block_id."""
    blocks = view.get("blocks")
    found = {}
    for block in blocks if isinstance(blocks, list) else []:
        if not isinstance(block, dict) or block.get("type") != "input" or not isinstance(block.get("block_id"), str):
            continue
        element = block.get("element")
        element = element if isinstance(element, dict) else {}
        initial = element.get("initial_date") or element.get("initial_value") or ""
        found[block["block_id"]] = initial if isinstance(initial, str) else ""
    return found


def notice_view(title: str, text: str) -> dict[str, object]:
    """A modal that only says something (a stale form, a draft that is gone)."""
    view = View(type="modal", title=title[:MODAL_TITLE_MAX], close="Close", blocks=sections(text))
    return view.to_dict()


# The draft as a message ----------------------------------------------------------------

@dataclass(frozen=True)
class DraftView:
    """A draft with what its canon says about it today."""

    draft: Draft
    frame: Frame | None  # None: the canon no longer has this family at this level
    progress: Progress | None
    leftovers: list[Leftover]

    @property
    def canon_changed(self) -> bool:
        return self.frame is not None and self.frame.canon_fingerprint != self.draft.canon_fingerprint

    @property
    def name(self) -> str:
        if self.frame:
            return f"{self.frame.title} — {self.frame.family_name} · {self.frame.level_code}"
        return f"{self.draft.framework.value} — {self.draft.family} · {self.draft.level}"

    def summary(self) -> str:
        done = str(self.progress) if self.progress else "no frame in the canon"
        changed = " · the canon has changed" if self.canon_changed else ""
        kept = f" · {len(self.leftovers)} no longer in the canon" if self.leftovers else ""
        return f"{done}{changed}{kept}"


def _edited(when: datetime) -> MarkdownTextObject:
    # Slack shows <!date> in each reader's own timezone; the fallback is UTC.
    stamp = int(when.timestamp())
    fallback = when.strftime("%Y-%m-%d %H:%M UTC")
    return MarkdownTextObject(text=f"last edited <!date^{stamp}^{{date_short_pretty}} at {{time}}|{fallback}>")


def _status(view: DraftView) -> ContextBlock:
    return ContextBlock(elements=[plain(view.summary()), _edited(view.draft.updated_at)])


def _draft_buttons(view: DraftView, page: int = 0, pages: int = 1) -> list[ButtonElement]:
    ref = DraftRef(draft=view.draft.id, page=page)
    found: list[ButtonElement] = []
    if view.frame:
        found.append(button("Edit", EDIT_ACTION, ref, style="primary"))
    found.append(button("Copy as text", COPY_ACTION, ref))
    if view.frame:
        found.append(button("Share in channel", SHARE_ACTION, ref))
    found.append(button("Delete", DELETE_ACTION, ref, style="danger", confirm=ConfirmObject(
        title="Delete this draft?", text=plain(f"{shortened(view.name, 250)}: your values go with it."),
        confirm="Delete", deny="Keep it", style="danger")))
    return found + page_buttons(ref, page, pages, PAGE_ACTION)


def draft_message(view: DraftView, page: int = 0) -> Message:
    """The draft as one message (a page of it, for a long one) in the person's DM.

    Values no longer in the canon follow the frame's rows, paged like them.
    """
    frame, draft = view.frame, view.draft
    notes: list[Block] = [_status(view)]
    if frame is None:
        notes += context(t.CANON_GONE.format(family=draft.family, level=draft.level))
    elif view.canon_changed:
        notes += context(t.CANON_CHANGED.format(**frame.names))
    head = title_blocks(f"Your draft: {view.name}")
    if frame is not None:
        head += frame_head(frame)[1:]
    budget = MAX_BLOCKS - len(head) - len(notes) - len(frame_footer(0, 2)) - 1  # 1: the buttons
    pages: list[list[Block]] = [[]]
    if frame is not None:
        chrome = len(head) - len(frame_head(frame)) + len(notes) + 1
        pages = frame_pages(frame, draft.values, chrome=chrome)
    for block in sections(leftovers_text(view.leftovers)) if view.leftovers else []:
        if len(pages[-1]) >= budget:
            pages.append([])
        pages[-1].append(block)
    page = min(page, len(pages) - 1)
    footer = frame_footer(page, len(pages)) if frame is not None or len(pages) > 1 else context(t.DISCLAIMER)
    blocks = [*head, *notes, *pages[page], *footer,
              ActionsBlock(elements=_draft_buttons(view, page, len(pages)))]
    fallback = frame_fallback(frame) if frame else view.name
    return Message(text=escape(f"Your draft: {fallback} ({view.summary()})"), blocks=blocks)


def deleted_message(name: str) -> Message:
    return text_message(f"You deleted this draft: {name}.")


def drafts_blocks(views: Sequence[DraftView], limit: int) -> list[Block]:
    """The person's drafts, most recently edited first, each with its buttons."""
    blocks: list[Block] = []
    for view in views[:limit]:
        blocks += [SectionBlock(text=plain(view.name)), _status(view),
                   ActionsBlock(elements=_draft_buttons(view))]
    if len(views) > limit:
        hidden = len(views) - limit
        blocks += context(f"{hidden} older draft{'s are' if hidden != 1 else ' is'} not shown here: "
                          "each is still in your DM with Goals.")
    return blocks


def no_drafts_text(prog: str, example: str) -> str:
    return (f"You have no drafts yet. Click Draft targets on any frame, or type "
            f"{prog} draft {example}.")


def drafts_message(views: Sequence[DraftView], prog: str, example: str) -> Message:
    if not views:
        return text_message(no_drafts_text(prog, example), title="Your drafts")
    blocks = [*title_blocks("Your drafts"), *drafts_blocks(views, LIST_MAX_MESSAGE)]
    return Message(text=f"Your drafts ({len(views)})", blocks=blocks)


def home_drafts(views: Sequence[DraftView], prog: str, example: str) -> list[Block]:
    listed = drafts_blocks(views, LIST_MAX_HOME) if views else context(no_drafts_text(prog, example))
    return [*title_blocks("Your drafts"), *listed, DividerBlock()]


# Sharing -------------------------------------------------------------------------------

def share_form(view: DraftView) -> dict[str, object]:
    """Pick a channel; with empty placeholders, the form itself asks to confirm."""
    assert view.frame is not None and view.progress is not None
    text = (f"Share your draft of {view.name} into a channel, marked as drafted by you. "
            "Everyone there will see it.")
    blocks: list[Block] = [*sections(text)]
    if not view.progress.complete:
        empty = view.progress.total - view.progress.filled
        blocks += sections(f"{empty} of {view.progress.total} placeholders are still empty; they "
                           "will show as ⟨baseline⟩, ⟨target⟩ or ⟨date⟩. Share it anyway?")
    if view.leftovers:
        blocks += context(f"{len(view.leftovers)} value(s) no longer in the canon are not shared.")
    blocks.append(InputBlock(
        block_id=CHANNEL_BLOCK, label="Channel",
        element=ConversationSelectElement(
            action_id=VALUE_ACTION, default_to_current_conversation=True, response_url_enabled=True,
            filter=ConversationFilter(include=["public", "private"], exclude_bot_users=True),
            placeholder="Pick a channel"),
    ))
    modal = View(
        type="modal", callback_id=SHARE_CALLBACK, title="Share draft",
        submit="Share" if view.progress.complete else "Share anyway", close="Cancel",
        private_metadata=ShareState(draft=view.draft.id).value(), blocks=blocks,
    )
    return modal.to_dict()


def picked_channel(view: dict[str, object]) -> str | None:
    state = view.get("state")
    values = state.get("values") if isinstance(state, dict) else None
    block = values.get(CHANNEL_BLOCK) if isinstance(values, dict) else None
    element = block.get(VALUE_ACTION) if isinstance(block, dict) else None
    channel = element.get("selected_conversation") if isinstance(element, dict) else None
    return channel if isinstance(channel, str) and channel.isalnum() else None
