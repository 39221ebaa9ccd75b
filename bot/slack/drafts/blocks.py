"""Drafts as Block Kit messages: the draft's message in the person's DM, the list of their
drafts (in /goals drafts and on the Home tab), and the note left when one is deleted.

Layout only: which placeholders exist comes from the frame, what they hold from the draft.
Typed values are shown like canon text (escaped plain text: no mentions, links, markup).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.frames import templates as t
from bot.frames.model import PlaceholderKind
from bot.goals.drafts.view import DraftView
from bot.goals.fields import has_filled, leftovers_text
from bot.goals.reviews.rules import can_accept
from bot.slack.check_ins.blocks import latest_blocks
from bot.slack.frames.blocks import frame_fallback, frame_footer, frame_head, frame_pages
from bot.slack.reviews.blocks import agreed_blocks, status_elements
from bot.slack.shared.ids import (
    ACCEPT_ACTION,
    CHECK_IN_ACTION,
    CHECK_IN_HISTORY_ACTION,
    DRAFT_COPY_ACTION,
    DRAFT_DELETE_ACTION,
    DRAFT_EDIT_ACTION,
    DRAFT_PAGE_ACTION,
    DRAFT_SHARE_ACTION,
    PROPOSE_ACTION,
    REVIEW_SEND_ACTION,
)
from bot.slack.shared.layout import Message, button, context, packed_sections, page_buttons, text_message, title_blocks
from bot.slack.shared.limits import MESSAGE_BLOCKS_MAX
from bot.slack.shared.text import escape, plain, shortened
from bot.slack.shared.values import DraftRef

LIST_MAX_MESSAGE = 15  # drafts in one /goals drafts answer (3 blocks each, within 50)
LIST_MAX_HOME = 25


def _edited(when: datetime) -> MarkdownTextObject:
    # Slack shows <!date> in each reader's own timezone; the fallback is UTC.
    stamp = int(when.timestamp())
    fallback = when.strftime("%Y-%m-%d %H:%M UTC")
    return MarkdownTextObject(text=f"last edited <!date^{stamp}^{{date_short_pretty}} at {{time}}|{fallback}>")


def status(view: DraftView) -> ContextBlock:
    """Progress, last edit and, once sent, where its review stands."""
    return ContextBlock(elements=[plain(view.summary()), _edited(view.draft.updated_at), *status_elements(view)])


def _draft_buttons(view: DraftView, page: int = 0, pages: int = 1, *, in_list: bool = False) -> list[ButtonElement]:
    """The draft's actions. Edit is the one primary button of its own message; in a list of
    drafts no row is styled, so the list does not read as rows of calls to action. Check in
    once a target is filled; History (on its own message) once there is a check-in."""
    ref = DraftRef(draft=view.draft.id, page=page)
    found: list[ButtonElement] = []
    if view.frame:
        found.append(button("Edit", DRAFT_EDIT_ACTION, ref, style=None if in_list else "primary"))
        if has_filled(view.frame, view.draft.values, PlaceholderKind.TARGET):
            found.append(button("Check in", CHECK_IN_ACTION, ref))
    if view.draft.check_ins and not in_list:
        found.append(button("History", CHECK_IN_HISTORY_ACTION, ref))
    found.append(button("Copy as text", DRAFT_COPY_ACTION, ref))
    if view.frame:
        found.append(button("Share", DRAFT_SHARE_ACTION, ref))
        found.append(button("Send for review", REVIEW_SEND_ACTION, ref))
        if can_accept(view.draft):
            found.append(button("Agree as proposed", ACCEPT_ACTION, ref))
        else:
            found.append(button("Propose to…", PROPOSE_ACTION, ref))
    confirm = ConfirmObject(title="Delete this draft?", confirm="Delete", deny="Keep it", style="danger",
                            text=plain(f"{shortened(view.name, 250)}: your values go with it."))
    found.append(button("Delete", DRAFT_DELETE_ACTION, ref, style=None if in_list else "danger", confirm=confirm))
    return found + page_buttons(ref, page, pages, DRAFT_PAGE_ACTION)


def draft_message(view: DraftView, page: int = 0) -> Message:
    """The draft as one message (a page of it, for a long one) in the person's DM.

    Values no longer in the canon follow the frame's rows, paged like them.
    """
    frame, draft = view.frame, view.draft
    notes: list[Block] = [status(view), *agreed_blocks(view)]
    if frame is None:
        notes += context(t.CANON_GONE.format(family=draft.family, level=draft.level))
    elif view.canon_changed:
        notes += context(t.CANON_CHANGED.format(**frame.names))
    head = title_blocks(f"Your draft: {view.name}")
    if frame is not None:
        head += frame_head(frame)[1:]
    budget = MESSAGE_BLOCKS_MAX - len(head) - len(notes) - len(frame_footer(0, 2)) - 1  # 1: the buttons
    pages: list[list[Block]] = [[]]
    if frame is not None:
        chrome = len(head) - len(frame_head(frame)) + len(notes) + 1
        pages = frame_pages(frame, draft.values, chrome=chrome, under=latest_blocks(frame, draft))
    for block in packed_sections(leftovers_text(view.leftovers).split("\n")) if view.leftovers else []:
        if len(pages[-1]) >= budget:
            pages.append([])
        pages[-1].append(block)
    page = min(page, len(pages) - 1)
    footer = frame_footer(page, len(pages)) if frame is not None or len(pages) > 1 else context(t.DISCLAIMER)
    blocks = [*head, *notes, *pages[page], *footer,
              ActionsBlock(elements=_draft_buttons(view, page, len(pages)))]
    fallback = frame_fallback(frame) if frame else view.name
    return Message(text=escape(f"Your draft: {fallback} ({view.summary()})"), blocks=blocks)


def saved_message(view: DraftView, link: object) -> Message:
    """The private note, where the person drafted from, that their draft is saved: its name
    and progress, and a link to its message in their DM with Goals."""
    blocks: list[Block] = [SectionBlock(text=plain(f"Saved: {view.name}")), status(view)]
    if isinstance(link, str) and link.startswith("https://") and not set(link) & set("<>| "):
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"<{link}|Open it in your DM with Goals>")))
    return Message(text=escape(f"Saved: {view.name}"), blocks=blocks)


def deleted_message(name: str) -> Message:
    return text_message(f"You deleted this draft: {name}.")


BLOCKS_PER_DRAFT = 3  # in a list: its name, its status, its buttons


def drafts_blocks(views: Sequence[DraftView], limit: int) -> list[Block]:
    """The person's drafts, most recently edited first, each with its buttons."""
    blocks: list[Block] = []
    for view in views[:limit]:
        blocks += [SectionBlock(text=plain(view.name)), status(view),
                   ActionsBlock(elements=_draft_buttons(view, in_list=True))]
    if len(views) > limit:
        hidden = len(views) - limit
        blocks += context(f"{hidden} older draft{'s are' if hidden != 1 else ' is'} not shown here: "
                          "each is still in your DM with Goals.")
    return blocks


def no_drafts_text(prog: str, example: str) -> str:
    return (f"You have no drafts yet. Click Draft targets on any frame, or type "
            f"{prog} draft {example}.")


NO_DRAFTS_HOME = "You have no drafts yet. Pick a frame above and click Start a draft."


def drafts_message(views: Sequence[DraftView], prog: str, example: str) -> Message:
    if not views:
        return text_message(no_drafts_text(prog, example), title="Your drafts")
    blocks = [*title_blocks("Your drafts"), *drafts_blocks(views, LIST_MAX_MESSAGE)]
    return Message(text=f"Your drafts ({len(views)})", blocks=blocks)


def home_drafts(views: Sequence[DraftView], room: int = 1 + LIST_MAX_HOME * BLOCKS_PER_DRAFT + 1) -> list[Block]:
    """The Home tab's list, in at most `room` blocks (a title, the drafts, a note of the rest)."""
    title = title_blocks("Your drafts")
    if not views:
        return [*title, *context(NO_DRAFTS_HOME)]
    limit = max(1, min(LIST_MAX_HOME, (room - len(title) - 1) // BLOCKS_PER_DRAFT))
    return [*title, *drafts_blocks(views, limit)]
