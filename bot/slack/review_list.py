"""The team at a glance, for a reviewer: every draft sent to them, grouped by person, with
where each stands, its progress and last change; Agree and Ask for changes on the ones
waiting; the counts on top. In `/goals reviews` and on the reviewer's Home tab."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from bot.drafts.model import ReviewStatus
from bot.drafts.reviewing import Reviewed
from bot.slack.layout import Message, context, mention, text_message, title_blocks
from bot.slack.limits import MESSAGE_BLOCKS_MAX
from bot.slack.review_blocks import review_buttons, status_elements
from bot.slack.text import plain

TITLE = "Sent to you for review"
NONE_YET = "Nothing has been sent to you for review yet."


def counts_line(items: Sequence[Reviewed]) -> str:
    statuses = [item.view.draft.review.status for item in items if item.view.draft.review]
    waiting = statuses.count(ReviewStatus.IN_REVIEW)
    asked = statuses.count(ReviewStatus.CHANGES_ASKED)
    agreed = statuses.count(ReviewStatus.AGREED)
    return f"{waiting} waiting for you · {asked} with changes asked · {agreed} agreed"


def _item_blocks(item: Reviewed) -> list[Block]:
    view = item.view
    review = view.draft.review
    assert review is not None
    progress = str(view.progress) if view.progress else "no frame in the canon"
    blocks: list[Block] = [SectionBlock(text=plain(view.name)),
                           ContextBlock(elements=[*status_elements(view), plain(progress)])]
    if review.status is ReviewStatus.IN_REVIEW:
        blocks.append(review_buttons(review.id))
    return blocks


def reviews_blocks(items: Sequence[Reviewed], room: int) -> list[Block]:
    """The list in at most `room` blocks: the title, the counts, then person by person (most
    recently changed first) as many drafts as fit, and how many more there are."""
    head: list[Block] = [*title_blocks(TITLE), *context(counts_line(items))]
    if not items:
        return [*title_blocks(TITLE), *context(NONE_YET)]
    blocks, shown = list(head), 0
    owners = list(dict.fromkeys(item.owner for item in items))
    for owner in owners:
        theirs = [item for item in items if item.owner == owner]
        person: list[Block] = [SectionBlock(text=MarkdownTextObject(text=f"*From* {mention(owner.user).text}"))]
        for item in theirs:
            piece = [*person, *_item_blocks(item)]
            if len(blocks) + len(piece) > room - 1:  # one left for the note of the rest
                break
            blocks += piece
            person = []
            shown += 1
    if shown < len(items):
        blocks += context(f"{len(items) - shown} more not shown here.")
    return blocks


def reviews_message(items: Sequence[Reviewed]) -> Message:
    if not items:
        return text_message(NONE_YET, title=TITLE)
    return Message(text=f"{TITLE} ({len(items)})", blocks=reviews_blocks(items, MESSAGE_BLOCKS_MAX))
