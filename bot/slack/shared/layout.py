"""Block Kit building blocks shared by every surface: a message, text that fits, buttons and
pages. Text goes into plain_text, escaped (`bot.slack.shared.text`), and never past Slack's limits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import Block, ButtonElement, ConfirmObject, ContextBlock, HeaderBlock, SectionBlock
from slack_sdk.models.blocks.basic_components import MarkdownTextObject
from slack_sdk.models.views import View

from bot.slack.shared.limits import (
    BUTTON_VALUE_MAX,
    CONTEXT_ELEMENTS_MAX,
    FALLBACK_TEXT_MAX,
    HEADER_TEXT_MAX,
    MESSAGE_BLOCKS_MAX,
    MODAL_TITLE_MAX,
    SECTION_TEXT_MAX,
)
from bot.slack.shared.text import escape, escaped_length, line_blocks, plain
from bot.slack.shared.values import ButtonValue


@dataclass(frozen=True)
class Message:
    """A Slack message: blocks, and the `text` fallback shown in notifications."""

    text: str
    blocks: list[Block]

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": [block.to_dict() for block in self.blocks]}


def section_texts(text: str) -> list[str]:
    """`text` as the texts of the section blocks it needs (`text.line_blocks`)."""
    return line_blocks(text, SECTION_TEXT_MAX)


def sections(text: str) -> list[Block]:
    return [SectionBlock(text=plain(piece)) for piece in section_texts(text)]


def packed_sections(lines: Sequence[str]) -> list[Block]:
    """Lines in as few sections as they fit, a line never cut between two sections (so never
    between two pages) unless it alone is longer than a section holds."""
    blocks: list[Block] = []
    run: list[str] = []
    for line in lines:
        if run and escaped_length("\n".join([*run, line])) > SECTION_TEXT_MAX:
            blocks += sections("\n".join(run))
            run = []
        run.append(line)
    if run:
        blocks += sections("\n".join(run))
    return blocks


def context(text: str) -> list[Block]:
    pieces = [plain(p) for p in line_blocks(text, SECTION_TEXT_MAX)]
    return [ContextBlock(elements=pieces[i:i + CONTEXT_ELEMENTS_MAX])
            for i in range(0, len(pieces), CONTEXT_ELEMENTS_MAX)]


def title_blocks(text: str) -> list[Block]:
    if 0 < escaped_length(text) <= HEADER_TEXT_MAX:
        return [HeaderBlock(text=plain(text))]
    return sections(text)


def paginate(groups: Sequence[list[Block]], budget: int) -> list[list[Block]]:
    """Groups of blocks (a row, a title) into pages of at most `budget` blocks, keeping each
    group on one page where it fits."""
    pages: list[list[Block]] = [[]]
    for group in groups:
        if pages[-1] and len(pages[-1]) + len(group) > budget:
            pages.append([])
        # A single group bigger than a page (only with enormous canon text) continues on the next.
        for block in group:
            if len(pages[-1]) >= budget:
                pages.append([])
            pages[-1].append(block)
    return pages


def button(text: str, action_id: str, ref: ButtonValue, style: str | None = None,
           confirm: ConfirmObject | None = None) -> ButtonElement:
    value = ref.value()
    assert len(value) <= BUTTON_VALUE_MAX
    return ButtonElement(text=text, action_id=action_id, value=value, style=style, confirm=confirm)


def page_buttons(ref: ButtonValue, page: int, pages: int, action: str) -> list[ButtonElement]:
    """Previous/Next for a paged message: `ref` (with a `page` field) one page either way."""
    found = []
    if page > 0:
        found.append(button("◀ Previous", f"{action}prev", ref.model_copy(update={"page": page - 1})))
    if page + 1 < pages:
        found.append(button("Next ▶", f"{action}next", ref.model_copy(update={"page": page + 1})))
    return found


def mention(user_id: str) -> MarkdownTextObject:
    # The one deliberate mention: the person who shared. Ids are [A-Z0-9] in Slack's payloads.
    safe = "".join(c for c in user_id if c.isalnum())
    return MarkdownTextObject(text=f"<@{safe}>")


def text_message(text: str, title: str | None = None) -> Message:
    """Plain text shown exactly as written (help, lists, errors, copy as text)."""
    blocks = [*(title_blocks(title) if title else []), *sections(text)]
    fallback = title or text.split("\n", 1)[0]
    return Message(text=escape(fallback[:FALLBACK_TEXT_MAX]), blocks=blocks)


def fits_cleanly(text: str, messages: Sequence[Message]) -> bool:
    """Whether `messages` (`text_messages(text)`) are one message with every line of `text`
    whole (no line longer than a block)."""
    return len(messages) == 1 and all(escaped_length(line) <= SECTION_TEXT_MAX for line in text.split("\n"))


def text_messages(text: str, title: str | None = None) -> list[Message]:
    """Like text_message, over as many messages as the text needs (copy as text)."""
    pieces = sections(text)
    per = MESSAGE_BLOCKS_MAX - 1
    chunks = [pieces[i:i + per] for i in range(0, len(pieces), per)] or [[]]
    messages = []
    for index, chunk in enumerate(chunks):
        head = title if len(chunks) == 1 else f"{title or 'Goals'} ({index + 1} of {len(chunks)})"
        blocks: list[Block] = [*(title_blocks(head) if head else []), *chunk]
        messages.append(Message(text=escape((head or "Goals")[:FALLBACK_TEXT_MAX]), blocks=blocks))
    return messages


def notice_view(title: str, text: str) -> dict[str, object]:
    """A modal that only says something (a stale form, a draft that is gone)."""
    view = View(type="modal", title=title[:MODAL_TITLE_MAX], close="Close", blocks=sections(text))
    return view.to_dict()
