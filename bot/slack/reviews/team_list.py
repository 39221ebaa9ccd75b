"""The team at a glance, for a reviewer: every draft sent to them, grouped by person, with
where each stands, its progress and last change; Agree and Ask for changes on the ones
waiting; the counts on top. In `/goals reviews` and on the reviewer's Home tab."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from bot.goals.model import ReviewStatus
from bot.goals.reviews.reviewing import Reviewed
from bot.slack.reviews.blocks import review_buttons, status_elements
from bot.slack.shared.ids import COMMAND
from bot.slack.shared.layout import Message, context, mention, text_message, title_blocks
from bot.slack.shared.limits import MESSAGE_BLOCKS_MAX
from bot.slack.shared.text import plain

TITLE = "Sent to you for review"
NONE_YET = "Nothing has been sent to you for review yet."
REVIEWS_WORDS = f"{COMMAND} reviews"


def counts_line(items: Sequence[Reviewed]) -> str:
    statuses = [item.view.draft.review.status for item in items if item.view.draft.review]
    waiting = statuses.count(ReviewStatus.IN_REVIEW)
    asked = statuses.count(ReviewStatus.CHANGES_ASKED)
    agreed = statuses.count(ReviewStatus.AGREED)
    edited = statuses.count(ReviewStatus.DRAFT)  # edited by its owner since: not theirs to act on yet
    line = f"{waiting} waiting for you · {asked} with changes asked · {agreed} agreed"
    return line + (f" · {edited} changed since it was sent" if edited else "")


def _item_blocks(item: Reviewed) -> list[Block]:
    view = item.view
    review = view.draft.review
    assert review is not None
    progress = str(view.progress) if view.progress else "no frame in the canon"
    blocks: list[Block] = [SectionBlock(text=plain(view.name)),
                           ContextBlock(elements=[*status_elements(view), plain(progress)])]
    if review.status is ReviewStatus.IN_REVIEW:
        blocks.append(review_buttons(review))
    return blocks


def _pieces(items: Sequence[Reviewed]) -> list[list[Block]]:
    """Each draft's blocks, person by person (in the order of their latest change, and each
    person's most recently changed first), a person's name before their first draft."""
    owners = list(dict.fromkeys(item.owner for item in items))
    pieces: list[list[Block]] = []
    for owner in owners:
        person: list[Block] = [SectionBlock(text=MarkdownTextObject(text=f"*From* {mention(owner.user).text}"))]
        for item in (item for item in items if item.owner == owner):
            pieces.append([*person, *_item_blocks(item)])
            person = []
    return pieces


def fitting(items: Sequence[Reviewed], room: int) -> int:
    """How many of `items` the list shows in at most `room` blocks."""
    return _fit(items, room)[1]


def _fit(items: Sequence[Reviewed], room: int) -> tuple[list[Block], int]:
    blocks: list[Block] = [*title_blocks(TITLE), *context(counts_line(items))]
    pieces = _pieces(items)
    shown = 0
    for index, piece in enumerate(pieces):
        note = 1 if index + 1 < len(pieces) else 0  # room for the note of the rest, unless this is the last
        if len(blocks) + len(piece) + note > room:
            break  # in order: never a later draft in the place of an earlier one
        blocks += piece
        shown += 1
    return blocks, shown


def reviews_blocks(items: Sequence[Reviewed], room: int, more: str = "not shown here") -> list[Block]:
    """The list in at most `room` blocks: the title, the counts, then person by person as
    many drafts as fit, and how many more there are (`more`: where to find them)."""
    if not items:
        return [*title_blocks(TITLE), *context(NONE_YET)]
    blocks, shown = _fit(items, room)
    if shown < len(items):
        blocks += context(f"{len(items) - shown} more, changed earlier: {more}.")
    return blocks


def reviews_message(items: Sequence[Reviewed]) -> Message:
    """`/goals reviews`: the list, for the person only."""
    if not items:
        return text_message(NONE_YET, title=TITLE)
    return Message(text=f"{TITLE} ({len(items)})", blocks=reviews_blocks(items, MESSAGE_BLOCKS_MAX))
