"""Frames and answers as Block Kit messages.

Layout only, like the text renderer: the frame decides every row and word. Slack's limits
hold by construction: long text is split across blocks (never cut), and a frame with more
rows than one message holds is split into pages the person can step through.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot import templates as t
from bot.frames import Frame, Row
from bot.frameworks import ALL_FRAMEWORKS, Framework
from bot.repository import Vocabulary
from bot.slack_text import bold, escape, escaped_length, plain, split_to_fit
from bot.text_render import render_parts
from bot.usage import help_text, list_text

# Slack's documented caps (Block Kit reference).
MAX_BLOCKS = 50
SECTION_TEXT_MAX = 3000
FIELD_TEXT_MAX = 2000
FIELDS_MAX = 10
HEADER_TEXT_MAX = 150
CONTEXT_ELEMENTS_MAX = 10
BUTTON_VALUE_MAX = 2000
# Blocks a page may carry besides the frame's head and footer (counted per frame): the
# "Shared by" line and the buttons.
_FIXED_CHROME = 2

SWITCH_ACTION = "goals_switch_"  # + framework
COPY_ACTION = "goals_copy"
SHARE_ACTION = "goals_share"
PAGE_ACTION = "goals_page_"  # + prev / next

BUTTON_LABELS: dict[Framework, str] = {
    Framework.SMART: "SMART",
    Framework.OKR: "OKRs",
    Framework.MBO: "MBO",
    Framework.SCORECARD: "Scorecard",
}


class FrameRef(BaseModel):
    """What a button points at; travels in the button's value, so it is parsed strictly."""

    # Strict: a forged `"p": true` is refused rather than read as page 1.
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, strict=True)

    family: str = Field(alias="f", min_length=1, max_length=200)
    level: str = Field(alias="l", min_length=1, max_length=64)
    framework: Framework | None = Field(alias="w", default=None)  # None: the overview
    page: int = Field(alias="p", default=0, ge=0, le=1000)

    def value(self) -> str:
        return self.model_dump_json(by_alias=True, exclude_defaults=True)

    @classmethod
    def parse(cls, value: str) -> FrameRef | None:
        try:
            return cls.model_validate_json(value)
        except ValidationError:
            return None


@dataclass(frozen=True)
class Message:
    """A Slack message: blocks, and the `text` fallback shown in notifications."""

    text: str
    blocks: list[Block]

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": [block.to_dict() for block in self.blocks]}


# Building blocks -----------------------------------------------------------------------

def _sections(text: str) -> list[Block]:
    return [SectionBlock(text=plain(piece)) for piece in split_to_fit(text, SECTION_TEXT_MAX) if piece]


def _context(text: str) -> list[Block]:
    pieces = [plain(p) for p in split_to_fit(text, SECTION_TEXT_MAX) if p]
    return [ContextBlock(elements=pieces[i:i + CONTEXT_ELEMENTS_MAX])
            for i in range(0, len(pieces), CONTEXT_ELEMENTS_MAX)]


def _title(text: str) -> list[Block]:
    if 0 < escaped_length(text) <= HEADER_TEXT_MAX:
        return [HeaderBlock(text=plain(text))]
    return _sections(text)


def _labelled_lines(lines: Sequence[tuple[str, str]]) -> list[Block]:
    """Label/value pairs as two-column fields; as plain sections when a value is too long."""
    blocks: list[Block] = []
    fields: list[Any] = []
    for label, value in lines:
        if value and escaped_length(value) <= FIELD_TEXT_MAX:
            if len(fields) + 2 > FIELDS_MAX:
                blocks.append(SectionBlock(fields=fields))
                fields = []
            fields += [bold(label), plain(value)]
        else:
            if fields:
                blocks.append(SectionBlock(fields=fields))
                fields = []
            blocks += _sections(f"{label}: {value}")
    if fields:
        blocks.append(SectionBlock(fields=fields))
    return blocks


_HEADINGS = {
    Framework.SMART: "{n}. {heading}",
    Framework.OKR: "Objective {n}: {heading}",
    Framework.MBO: "{n}. Area: {heading}",
    Framework.SCORECARD: "{heading}",
}


def _row_blocks(frame: Frame, number: int, row: Row, values: Mapping[str, str] | None) -> list[Block]:
    heading = _HEADINGS[frame.framework].format(n=number, heading=render_parts(row.heading, values))
    lines = [(line.label, render_parts(line.parts, values)) for line in row.lines]
    if frame.framework is Framework.SCORECARD:
        # A scorecard row reads as two columns: the statement, then "target by date".
        ((_, measure),) = lines
        if max(escaped_length(heading), escaped_length(measure)) <= FIELD_TEXT_MAX:
            body: list[Block] = [SectionBlock(fields=[plain(heading), plain(measure)])]
        else:
            body = _sections(heading) + _sections(measure)
    else:
        body = _sections(heading) + _labelled_lines(lines)
    return body + _context(f"source: {row.source}")


def _head(frame: Frame) -> list[Block]:
    return [*_title(f"{frame.title} — {frame.family_name} · {frame.level_code}"),
            *_context(_identity(frame)), *_context(frame.intro)]


def _footer(page: int, pages: int) -> list[Block]:
    return _context(f"Page {page + 1} of {pages}. {t.DISCLAIMER}" if pages > 1 else t.DISCLAIMER)


def frame_pages(frame: Frame, values: Mapping[str, str] | None = None) -> list[list[Block]]:
    """The frame's rows as blocks, grouped into pages that fit one message each.

    The budget is what 50 blocks leave after this frame's own head and the fixed chrome,
    so a long canon name (split over several blocks) shrinks the pages instead of
    overflowing them.
    """
    budget = max(1, MAX_BLOCKS - len(_head(frame)) - len(_footer(0, 2)) - _FIXED_CHROME)
    groups: list[list[Block]] = []
    number = 0
    for section in frame.sections:
        if section.title:
            groups.append([SectionBlock(text=bold(section.title))])
        for row in section.rows:
            number += 1
            groups.append(_row_blocks(frame, number, row, values))
    if frame.notes:
        groups.append(_context("\n".join(frame.notes)))
    pages: list[list[Block]] = [[]]
    for group in groups:
        if pages[-1] and len(pages[-1]) + len(group) > budget:
            pages.append([])
        # A single row bigger than a page (only with enormous canon text) continues on the next.
        for block in group:
            if len(pages[-1]) >= budget:
                pages.append([])
            pages[-1].append(block)
    return pages


def _identity(frame: Frame) -> str:
    return t.IDENTITY_LINE.format(**frame.names)


def _button(text: str, action_id: str, ref: FrameRef, style: str | None = None) -> ButtonElement:
    value = ref.value()
    assert len(value) <= BUTTON_VALUE_MAX
    return ButtonElement(text=text, action_id=action_id, value=value, style=style)


def _switcher(ref: FrameRef) -> list[ButtonElement]:
    return [
        _button(BUTTON_LABELS[fw], f"{SWITCH_ACTION}{fw.value}",
                FrameRef(family=ref.family, level=ref.level, framework=fw),
                style="primary" if fw is ref.framework else None)
        for fw in ALL_FRAMEWORKS
    ]


def frame_message(frame: Frame, page: int = 0, *, values: Mapping[str, str] | None = None,
                  shared_by: str | None = None, interactive: bool = True) -> Message:
    """One page of a frame as a message; `shared_by` (a user id) marks a shared copy."""
    pages = frame_pages(frame, values)
    return _page_message(frame, pages, min(page, len(pages) - 1), shared_by=shared_by,
                         interactive=interactive)


def shared_messages(frame: Frame, shared_by: str, values: Mapping[str, str] | None = None) -> list[Message]:
    """Every page of a frame as copies for a channel, marked as shared by `shared_by` (a user id)."""
    pages = frame_pages(frame, values)
    return [_page_message(frame, pages, page, shared_by=shared_by) for page in range(len(pages))]


def _page_message(frame: Frame, pages: list[list[Block]], page: int, *, shared_by: str | None = None,
                  interactive: bool = True) -> Message:
    ref = FrameRef(family=frame.family_slug, level=frame.level_code,
                   framework=frame.framework, page=page)
    blocks: list[Block] = []
    if shared_by:
        blocks.append(ContextBlock(elements=[bold("Shared by"), _mention(shared_by)]))
    blocks += [*_head(frame), *pages[page], *_footer(page, len(pages))]
    if interactive:
        copy = _button("Copy as text", COPY_ACTION, ref)
        # A shared copy is the team's to read and copy; switching, paging and sharing are the sharer's.
        if shared_by:
            buttons = [copy]
        else:
            buttons = [*_switcher(ref), copy, _button("Share in channel", SHARE_ACTION, ref)]
            if page > 0:
                previous = ref.model_copy(update={"page": page - 1})
                buttons.append(_button("◀ Previous", f"{PAGE_ACTION}prev", previous))
            if page + 1 < len(pages):
                following = ref.model_copy(update={"page": page + 1})
                buttons.append(_button("Next ▶", f"{PAGE_ACTION}next", following))
        blocks.append(ActionsBlock(elements=buttons))
    fallback = f"{frame.title}: {frame.family_name} · {frame.level_code} — {frame.level_title}"
    if len(pages) > 1:
        fallback += f" (page {page + 1} of {len(pages)})"
    return Message(text=escape(fallback), blocks=blocks)


def _mention(user_id: str) -> MarkdownTextObject:
    # The one deliberate mention: the person who shared. Ids are [A-Z0-9] in Slack's payloads.
    safe = "".join(c for c in user_id if c.isalnum())
    return MarkdownTextObject(text=f"<@{safe}>")


def overview_message(frames: Sequence[Frame]) -> Message:
    """All four frameworks at a glance, with buttons to open each."""
    first = frames[0]
    ref = FrameRef(family=first.family_slug, level=first.level_code)
    blocks: list[Block] = [
        *_title(t.DOCUMENT_SUBTITLE.format(family=first.family_name, level=first.level_code)),
        *_context(_identity(first)),
    ]
    for frame in frames:
        rows = len(frame.rows)
        blocks.append(SectionBlock(fields=[bold(frame.title),
                                           plain(f"{frame.intro} ({rows} row{'s' * (rows != 1)})")]))
    blocks += _context(t.DISCLAIMER)
    blocks.append(ActionsBlock(elements=[*_switcher(ref), _button("Copy as text", COPY_ACTION, ref)]))
    return Message(text=escape(f"Goal templates: {first.family_name} · {first.level_code}"), blocks=blocks)


def text_message(text: str, title: str | None = None) -> Message:
    """Plain text shown exactly as written (help, lists, errors, copy as text)."""
    blocks = [*(_title(title) if title else []), *_sections(text)]
    fallback = title or text.split("\n", 1)[0]
    return Message(text=escape(fallback[:200]), blocks=blocks)


def text_messages(text: str, title: str | None = None) -> list[Message]:
    """Like text_message, over as many messages as the text needs (copy as text)."""
    sections = _sections(text)
    per = MAX_BLOCKS - 1
    chunks = [sections[i:i + per] for i in range(0, len(sections), per)] or [[]]
    messages = []
    for index, chunk in enumerate(chunks):
        head = title if len(chunks) == 1 else f"{title or 'Goals'} ({index + 1} of {len(chunks)})"
        blocks: list[Block] = [*(_title(head) if head else []), *chunk]
        messages.append(Message(text=escape((head or "Goals")[:200]), blocks=blocks))
    return messages


HOME_BLOCKS_MAX = 100


def home_view(vocabulary: Vocabulary) -> dict[str, Any]:
    """The Home tab: usage and the canon's families and levels, as plain text."""
    blocks = [*_title("Goals"), *_sections(help_text(vocabulary, "/goals", terminal=False)),
              *_title("Job families and levels"), *_sections(list_text(vocabulary))]
    return {"type": "home", "blocks": [block.to_dict() for block in blocks[:HOME_BLOCKS_MAX]]}
