"""Frames and answers as Block Kit messages.

Layout only, like the text renderer: the frame decides every row and word. Slack's limits
hold by construction: long text is split across blocks (never cut), and a frame with more
rows than one message holds is split into pages the person can step through.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.canon.repository import Vocabulary
from bot.frames import templates as t
from bot.frames.build import Frame, Row
from bot.frames.frameworks import ALL_FRAMEWORKS, Framework
from bot.frames.text import render_parts
from bot.grammar.usage import help_text, list_text
from bot.slack.text import bold, escape, escaped_length, plain, split_to_fit

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
DRAFT_ACTION = "goals_draft"  # start a draft of the frame: opens the form
PAGE_ACTION = "goals_page_"  # + prev / next

BUTTON_LABELS: dict[Framework, str] = {
    Framework.SMART: "SMART",
    Framework.OKR: "OKRs",
    Framework.MBO: "MBO",
    Framework.SCORECARD: "Scorecard",
}


class ButtonValue(BaseModel):
    """A value that goes out through Slack and comes back (a button's value, a form's
    private_metadata): compact JSON out, parsed strictly on the way back in."""

    # Strict: a forged `"p": true` is refused rather than read as page 1.
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, strict=True)

    def value(self) -> str:
        return self.model_dump_json(by_alias=True, exclude_defaults=True)

    @classmethod
    def parse(cls, value: object) -> Self | None:
        if not isinstance(value, str):
            return None
        try:
            return cls.model_validate_json(value)
        except ValidationError:
            return None


class FrameRef(ButtonValue):
    """What a frame's button points at."""

    family: str = Field(alias="f", min_length=1, max_length=200)
    level: str = Field(alias="l", min_length=1, max_length=64)
    framework: Framework | None = Field(alias="w", default=None)  # None: the overview
    page: int = Field(alias="p", default=0, ge=0, le=1000)
    # A stretch frame: the family and level of the person it is for (both, or neither).
    for_family: str | None = Field(alias="sf", default=None, min_length=1, max_length=200)
    for_level: str | None = Field(alias="sl", default=None, min_length=1, max_length=64)

    @classmethod
    def of(cls, frame: Frame, page: int = 0) -> FrameRef:
        stretch = frame.stretch
        return cls(family=frame.family_slug, level=frame.level_code, framework=frame.framework, page=page,
                   for_family=stretch.family_slug if stretch else None,
                   for_level=stretch.level_code if stretch else None)


@dataclass(frozen=True)
class Message:
    """A Slack message: blocks, and the `text` fallback shown in notifications."""

    text: str
    blocks: list[Block]

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": [block.to_dict() for block in self.blocks]}


# Building blocks -----------------------------------------------------------------------

def sections(text: str) -> list[Block]:
    return [SectionBlock(text=plain(piece)) for piece in split_to_fit(text, SECTION_TEXT_MAX) if piece]


def context(text: str) -> list[Block]:
    pieces = [plain(p) for p in split_to_fit(text, SECTION_TEXT_MAX) if p]
    return [ContextBlock(elements=pieces[i:i + CONTEXT_ELEMENTS_MAX])
            for i in range(0, len(pieces), CONTEXT_ELEMENTS_MAX)]


def title_blocks(text: str) -> list[Block]:
    if 0 < escaped_length(text) <= HEADER_TEXT_MAX:
        return [HeaderBlock(text=plain(text))]
    return sections(text)


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
            blocks += sections(f"{label}: {value}")
    if fields:
        blocks.append(SectionBlock(fields=fields))
    return blocks


_HEADINGS = {
    Framework.SMART: "{n}. {heading}",
    Framework.OKR: "Objective {n}: {heading}",
    Framework.MBO: "{n}. Area: {heading}",
    Framework.SCORECARD: "{heading}",
}


def row_title(frame: Frame, number: int, row: Row, values: Mapping[str, str] | None = None) -> str:
    """A row's heading as the frame shows it: "Objective 2: ...", "3. Area: ..."."""
    return _HEADINGS[frame.framework].format(n=number, heading=render_parts(row.heading, values))


def _row_blocks(frame: Frame, number: int, row: Row, values: Mapping[str, str] | None) -> list[Block]:
    heading = row_title(frame, number, row, values)
    lines = [(line.label, render_parts(line.parts, values)) for line in row.lines]
    if frame.framework is Framework.SCORECARD:
        # A scorecard row reads as two columns: the statement, then "target by date".
        ((_, measure),) = lines
        if max(escaped_length(heading), escaped_length(measure)) <= FIELD_TEXT_MAX:
            body: list[Block] = [SectionBlock(fields=[plain(heading), plain(measure)])]
        else:
            body = sections(heading) + sections(measure)
    else:
        body = sections(heading) + _labelled_lines(lines)
    return body + context(f"source: {row.source}")


def frame_head(frame: Frame) -> list[Block]:
    label = context(frame.stretch_label) if frame.stretch_label else []
    return [*title_blocks(f"{frame.heading} — {frame.family_name} · {frame.level_code}"),
            *label, *context(_identity(frame)), *context(frame.intro)]


def frame_footer(page: int, pages: int) -> list[Block]:
    return context(f"Page {page + 1} of {pages}. {t.DISCLAIMER}" if pages > 1 else t.DISCLAIMER)


def frame_pages(frame: Frame, values: Mapping[str, str] | None = None,
                chrome: int = _FIXED_CHROME) -> list[list[Block]]:
    """The frame's rows as blocks, grouped into pages that fit one message each.

    The budget is what 50 blocks leave after this frame's own head and `chrome` blocks,
    so a long canon name (split over several blocks) shrinks the pages instead of
    overflowing them.
    """
    budget = max(1, MAX_BLOCKS - len(frame_head(frame)) - len(frame_footer(0, 2)) - chrome)
    groups: list[list[Block]] = []
    number = 0
    for section in frame.sections:
        if section.title:
            groups.append([SectionBlock(text=bold(section.title))])
        for row in section.rows:
            number += 1
            groups.append(_row_blocks(frame, number, row, values))
    if frame.notes:
        groups.append(context("\n".join(frame.notes)))
    return paginate(groups, budget)


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


def _identity(frame: Frame) -> str:
    return t.IDENTITY_LINE.format(**frame.names)


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


def _switcher(ref: FrameRef) -> list[ButtonElement]:
    return [
        button(BUTTON_LABELS[fw], f"{SWITCH_ACTION}{fw.value}",
                ref.model_copy(update={"framework": fw, "page": 0}),
                style="primary" if fw is ref.framework else None)
        for fw in ALL_FRAMEWORKS
    ]


def frame_message(frame: Frame, page: int = 0, *, values: Mapping[str, str] | None = None,
                  shared_by: str | None = None, interactive: bool = True) -> Message:
    """One page of a frame as a message; `shared_by` (a user id) marks a shared copy."""
    pages = frame_pages(frame, values)
    return _page_message(frame, pages, min(page, len(pages) - 1), shared_by=shared_by,
                         interactive=interactive, values=values)


def shared_messages(frame: Frame, shared_by: str, values: Mapping[str, str] | None = None,
                    label: str = "Shared by") -> list[Message]:
    """Every page of a frame as copies for a channel, marked as `label` `shared_by` (a user id)."""
    pages = frame_pages(frame, values)
    return [_page_message(frame, pages, page, shared_by=shared_by, label=label, values=values)
            for page in range(len(pages))]


def _page_message(frame: Frame, pages: list[list[Block]], page: int, *, shared_by: str | None = None,
                  label: str = "Shared by", interactive: bool = True,
                  values: Mapping[str, str] | None = None) -> Message:
    ref = FrameRef.of(frame, page)
    blocks: list[Block] = []
    if shared_by:
        blocks.append(ContextBlock(elements=[bold(label), mention(shared_by)]))
    blocks += [*frame_head(frame), *pages[page], *frame_footer(page, len(pages))]
    if interactive:
        copy = button("Copy as text", COPY_ACTION, ref)
        draft = button("Draft targets", DRAFT_ACTION, ref.model_copy(update={"page": 0}))
        # A shared copy is the team's to read, copy and draft their own from; switching,
        # paging and sharing are the sharer's. Copy gives the template, so a filled draft
        # (values) offers only to start one's own.
        if shared_by:
            buttons = [draft] if values else [draft, copy]
        else:
            buttons = [*_switcher(ref), draft, copy, button("Share in channel", SHARE_ACTION, ref)]
            buttons += page_buttons(ref, page, len(pages), PAGE_ACTION)
        blocks.append(ActionsBlock(elements=buttons))
    fallback = frame_fallback(frame)
    if len(pages) > 1:
        fallback += f" (page {page + 1} of {len(pages)})"
    return Message(text=escape(fallback), blocks=blocks)


def frame_fallback(frame: Frame) -> str:
    return f"{frame.title}: {frame.family_name} · {frame.level_code} — {frame.level_title}"


def mention(user_id: str) -> MarkdownTextObject:
    # The one deliberate mention: the person who shared. Ids are [A-Z0-9] in Slack's payloads.
    safe = "".join(c for c in user_id if c.isalnum())
    return MarkdownTextObject(text=f"<@{safe}>")


def overview_message(frames: Sequence[Frame]) -> Message:
    """All four frameworks at a glance, with buttons to open each."""
    first = frames[0]
    ref = FrameRef(family=first.family_slug, level=first.level_code)
    blocks: list[Block] = [
        *title_blocks(t.DOCUMENT_SUBTITLE.format(family=first.family_name, level=first.level_code)),
        *context(_identity(first)),
    ]
    for frame in frames:
        rows = len(frame.rows)
        blocks.append(SectionBlock(fields=[bold(frame.title),
                                           plain(f"{frame.intro} ({rows} row{'s' * (rows != 1)})")]))
    blocks += context(t.DISCLAIMER)
    blocks.append(ActionsBlock(elements=[*_switcher(ref), button("Copy as text", COPY_ACTION, ref)]))
    return Message(text=escape(f"Goal templates: {first.family_name} · {first.level_code}"), blocks=blocks)


def text_message(text: str, title: str | None = None) -> Message:
    """Plain text shown exactly as written (help, lists, errors, copy as text)."""
    blocks = [*(title_blocks(title) if title else []), *sections(text)]
    fallback = title or text.split("\n", 1)[0]
    return Message(text=escape(fallback[:200]), blocks=blocks)


def text_messages(text: str, title: str | None = None) -> list[Message]:
    """Like text_message, over as many messages as the text needs (copy as text)."""
    pieces = sections(text)
    per = MAX_BLOCKS - 1
    chunks = [pieces[i:i + per] for i in range(0, len(pieces), per)] or [[]]
    messages = []
    for index, chunk in enumerate(chunks):
        head = title if len(chunks) == 1 else f"{title or 'Goals'} ({index + 1} of {len(chunks)})"
        blocks: list[Block] = [*(title_blocks(head) if head else []), *chunk]
        messages.append(Message(text=escape((head or "Goals")[:200]), blocks=blocks))
    return messages


HOME_BLOCKS_MAX = 100


def home_view(vocabulary: Vocabulary, drafts: Sequence[Block] = ()) -> dict[str, Any]:
    """The Home tab: the person's drafts, then usage and the canon's families and levels."""
    blocks = [*drafts, *title_blocks("Goals"), *sections(help_text(vocabulary, "/goals", terminal=False)),
              *title_blocks("Job families and levels"), *sections(list_text(vocabulary))]
    return {"type": "home", "blocks": [block.to_dict() for block in blocks[:HOME_BLOCKS_MAX]]}
