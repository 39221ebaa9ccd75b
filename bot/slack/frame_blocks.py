"""Frames as Block Kit messages: one page of a frame, every page for a channel, and the
overview of all four frameworks.

Layout only, like the text renderer: the frame decides every row and word. A frame with more
rows than one message holds is split into pages the person can step through.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, ContextBlock, SectionBlock

from bot.frames import templates as t
from bot.frames.frameworks import ALL_FRAMEWORKS, Framework
from bot.frames.model import Frame, Row
from bot.frames.text import render_parts, row_title
from bot.slack.ids import COPY_ACTION, DRAFT_ACTION, PAGE_ACTION, SHARE_ACTION, SWITCH_ACTION
from bot.slack.layout import Message, button, context, mention, page_buttons, paginate, sections, title_blocks
from bot.slack.limits import FIELD_TEXT_MAX, FIELDS_MAX, MESSAGE_BLOCKS_MAX
from bot.slack.text import bold, escape, escaped_length, plain
from bot.slack.values import FrameRef

# Blocks a page may carry besides the frame's head and footer (counted per frame): the
# "Shared by" line and the buttons.
_FIXED_CHROME = 2

BUTTON_LABELS: dict[Framework, str] = {
    Framework.SMART: "SMART",
    Framework.OKR: "OKRs",
    Framework.MBO: "MBO",
    Framework.SCORECARD: "Scorecard",
}


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
    return body + context(t.SOURCE_LINE.format(source=row.source))


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
    budget = max(1, MESSAGE_BLOCKS_MAX - len(frame_head(frame)) - len(frame_footer(0, 2)) - chrome)
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


def _identity(frame: Frame) -> str:
    return t.IDENTITY_LINE.format(**frame.names)


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
