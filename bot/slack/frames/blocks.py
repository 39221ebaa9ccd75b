"""Frames as Block Kit messages: one page of a frame, every page for a channel, and the
overview of all four frameworks.

Layout only, like the text renderer: the frame decides every row and word. A frame with more
rows than one message holds is split into pages the person can step through.

A row is one section: its heading in bold, then each line as "*label* text", so a label takes
the width of its word rather than half a phone's screen. Bold needs mrkdwn, where Slack would
also read `*`, `_`, `~`, backticks and `:emoji:` codes in canon text or typed values as
markup; text holding any of those is laid out as plain text instead, exactly as written
(the layout loses its bold, never a character).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticSelectElement,
)

from bot.canon.repository import Vocabulary
from bot.frames import templates as t
from bot.frames.frameworks import ALL_FRAMEWORKS, Framework
from bot.frames.model import Frame, Row, Section
from bot.frames.text import render_parts, row_title
from bot.slack.shared import digests
from bot.slack.shared.ids import (
    COPY_ACTION,
    DRAFT_ACTION,
    DRAFT_FOR_ACTION,
    PAGE_ACTION,
    SHARE_ACTION,
    SWITCH_ACTION,
    SWITCH_MENU_ACTION,
)
from bot.slack.shared.layout import Message, button, context, mention, page_buttons, sections, title_blocks
from bot.slack.shared.limits import MESSAGE_BLOCKS_MAX, OPTION_VALUE_MAX, SECTION_TEXT_MAX
from bot.slack.shared.text import bold, escape
from bot.slack.shared.values import FrameRef

# Blocks a page may carry besides the frame's head and footer (counted per frame): the
# "Shared by" line and the buttons.
_FIXED_CHROME = 2

BUTTON_LABELS: dict[Framework, str] = {
    Framework.SMART: "SMART",
    Framework.OKR: "OKRs",
    Framework.MBO: "MBO",
    Framework.SCORECARD: "Scorecard",
}

# What Slack's mrkdwn reads as formatting once `&`, `<` and `>` are escaped: bold, italic,
# strike, code, and emoji codes. (Links, mentions and quotes need `<` or a leading `>`;
# `verbatim` stops Slack from finding links of its own.)
_MARKUP = re.compile(r"[*_~`]|:[^\s:]+:")


def inert(text: str) -> bool:
    """Whether `text`, escaped, reads in mrkdwn exactly as written."""
    return not _MARKUP.search(text)


def strong(text: str) -> str | None:
    """`text` as bold mrkdwn, or None where mrkdwn would not show it exactly as written
    (Slack shows the asterisks of a bold that starts or ends with a space)."""
    if text and text == text.strip() and inert(text):
        return f"*{escape(text)}*"
    return None


def labelled(label: str, text: str) -> str | None:
    """A line as "*label* text" in mrkdwn, or None where that would not read as written."""
    head = strong(label)
    return f"{head} {escape(text)}" if head and text and inert(text) else None


def mrkdwn(text: str) -> MarkdownTextObject:
    """mrkdwn already escaped (by `strong`, `labelled` or `escape`); Slack links nothing in it."""
    return MarkdownTextObject(text=text, verbatim=True)


# A line of a row: its mrkdwn form (None: it has to be plain) and its plain form.
Piece = tuple[str | None, str]


def pieced(pieces: Sequence[Piece]) -> list[Block]:
    """Lines as few sections as Slack allows: mrkdwn lines together, one section each up to
    its limit; a line that cannot be mrkdwn, or is longer than a section, as plain sections."""
    blocks: list[Block] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            blocks.append(SectionBlock(text=mrkdwn("\n".join(run))))
            run.clear()

    for marked, text in pieces:
        if marked is not None and len(marked) <= SECTION_TEXT_MAX:
            if run and len("\n".join(run)) + 1 + len(marked) > SECTION_TEXT_MAX:
                flush()
            run.append(marked)
        else:
            flush()
            blocks += sections(text)
    flush()
    return blocks


def _row_pieces(frame: Frame, number: int, row: Row, values: Mapping[str, str] | None,
                *, headed: bool) -> list[Piece]:
    """`headed`: the row's heading is a heading (bold); under a section's own title (a
    scorecard's perspective) the rows are that title's items, and a bold row would outweigh it."""
    heading = row_title(frame, number, row, values)
    pieces: list[Piece] = [(strong(heading) if headed else escape(heading) if inert(heading) else None, heading)]
    for line in row.lines:
        text = render_parts(line.parts, values)
        piece = (labelled(line.label, text), f"{line.label}: {text}")
        previous = pieces[-1]
        # The due date shares the target's line, as in the text form: a short line of its own
        # would add a line per row for one word and a glyph.
        if line.key == "due" and len(pieces) > 1 and previous[0] is not None and piece[0] is not None:
            pieces[-1] = (f"{previous[0]}    {piece[0]}", f"{previous[1]}    {piece[1]}")
        else:
            pieces.append(piece)
    return pieces


def _source(tag: object) -> list[Block]:
    return context(t.SOURCE_LINE.format(source=tag))


def _shared_tag(section: Section) -> str | None:
    """The one source tag every row of `section` has, if they agree: said once, at the top of
    the section's rows (on each page they reach), instead of under each of them."""
    tags = {str(row.source) for row in section.rows}
    return tags.pop() if len(tags) == 1 else None


def frame_head(frame: Frame) -> list[Block]:
    label = context(frame.stretch_label) if frame.stretch_label else []
    return [*title_blocks(f"{frame.heading} — {frame.family_name} · {frame.level_code}"),
            *label, *context(_identity(frame)), *context(frame.intro)]


def frame_footer(page: int, pages: int) -> list[Block]:
    return context(f"Page {page + 1} of {pages}. {t.DISCLAIMER}" if pages > 1 else t.DISCLAIMER)


def frame_pages(frame: Frame, values: Mapping[str, str] | None = None,
                chrome: int = _FIXED_CHROME, under: Mapping[int, Sequence[Block]] | None = None) -> list[list[Block]]:
    """The frame's rows as blocks, grouped into pages that fit one message each.

    The budget is what 50 blocks leave after this frame's own head and `chrome` blocks,
    so a long canon name (split over several blocks) shrinks the pages instead of
    overflowing them. A row stays on one page where it fits; a page that continues a
    section whose rows share a source tag starts with that tag again, so every row on every
    page has its tag in sight. `under`: blocks to show under a row (by its index in the
    frame, from 0), kept on the row's page as part of it.
    """
    budget = max(1, MESSAGE_BLOCKS_MAX - len(frame_head(frame)) - len(frame_footer(0, 2)) - chrome)
    pages: list[list[Block]] = [[]]

    def place(group: list[Block], lead: list[Block]) -> None:
        # `lead`: what a page must start with if this group begins or continues one.
        if pages[-1] and len(pages[-1]) + len(group) > budget:
            pages.append(list(lead))
        for block in group:  # a group bigger than a page (enormous canon text) continues
            if len(pages[-1]) >= budget:
                pages.append(list(lead))
            pages[-1].append(block)

    number = 0
    for section in frame.sections:
        shared = _shared_tag(section)
        tag = _source(shared) if shared is not None else []
        opening = [*([SectionBlock(text=bold(section.title))] if section.title else []), *tag]
        for index, row in enumerate(section.rows):
            number += 1
            group = pieced(_row_pieces(frame, number, row, values, headed=not section.title))
            if shared is None:
                group += _source(row.source)
            group += list((under or {}).get(number - 1, ()))
            place([*opening, *group] if index == 0 else group, [] if index == 0 else tag)
        if not section.rows and opening:
            place(opening, [])
    if frame.notes:
        place(context("\n".join(frame.notes)), [])
    return pages


def _identity(frame: Frame) -> str:
    return t.IDENTITY_LINE.format(**frame.names)


# The framework menu ---------------------------------------------------------------------
# A select shows the current framework as the menu's current value, not as a button to
# press. An option's value holds at most 150 characters, a button's 2000: a frame's value
# that does not fit names its long slugs and level codes by a digest, which the canon
# resolves when the person picks (`menu_choice`).

_NAMED = (("family", "for_family"), ("level", "for_level"))


def menu_value(ref: FrameRef) -> str:
    """`ref` as an option's value: its button value where that fits, else with digests."""
    value = ref.value()
    if len(value) > OPTION_VALUE_MAX:
        short = {name: digests.digest(text) for names in _NAMED for name in names
                 if (text := getattr(ref, name)) and len(text) > digests.LENGTH}
        value = ref.model_copy(update=short).value()
    assert len(value) <= OPTION_VALUE_MAX
    return value


def menu_choice(value: object, vocabulary: Vocabulary) -> FrameRef | None:
    """The frame a picked option points at, its digests resolved; None if the canon has no
    family or level by that digest (a crafted value, or one from before a canon change)."""
    ref = FrameRef.parse(value)
    if ref is None:
        return None
    known = ([family.slug for family in vocabulary.families], list(vocabulary.level_codes))
    update: dict[str, Any] = {}
    for names, words in zip(_NAMED, known, strict=True):
        for name in names:
            text = getattr(ref, name)
            if text and digests.is_digest(text):
                found = digests.resolved(text, words)
                if found is None:
                    return None
                update[name] = found
    return ref.model_copy(update=update)


def _menu(ref: FrameRef) -> StaticSelectElement:
    options = {fw: Option(text=t.FRAMEWORK_TITLES[fw], value=menu_value(ref.model_copy(
        update={"framework": fw, "page": 0}))) for fw in ALL_FRAMEWORKS}
    return StaticSelectElement(action_id=SWITCH_MENU_ACTION, options=list(options.values()),
                               initial_option=options[ref.framework] if ref.framework else None)


def _switch_buttons(ref: FrameRef) -> list[ButtonElement]:
    """One button per framework, none styled: on the overview each opens a frame."""
    return [button(BUTTON_LABELS[fw], f"{SWITCH_ACTION}{fw.value}",
                   ref.model_copy(update={"framework": fw, "page": 0}))
            for fw in ALL_FRAMEWORKS]


# Messages -------------------------------------------------------------------------------

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
        # Drafting is what a frame is for: the one primary button of every frame message.
        draft = button("Draft targets", DRAFT_ACTION, ref.model_copy(update={"page": 0}), style="primary")
        # A shared copy is the team's to read, copy and draft their own from; switching,
        # paging and sharing are the sharer's. Copy gives the template, so a filled draft
        # (values) offers only to start one's own.
        elements: list[Any]
        if shared_by:
            elements = [draft] if values else [draft, copy]
        else:
            elements = [_menu(ref), draft, copy, button("Share", SHARE_ACTION, ref),
                        button("Draft for…", DRAFT_FOR_ACTION, ref.model_copy(update={"page": 0})),
                        *page_buttons(ref, page, len(pages), PAGE_ACTION)]
        blocks.append(ActionsBlock(elements=elements))
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
        intro = f"{frame.intro} ({rows} row{'s' * (rows != 1)})"
        blocks += pieced([(strong(frame.title), frame.title), (escape(intro) if inert(intro) else None, intro)])
    blocks += context(t.DISCLAIMER)
    blocks.append(ActionsBlock(elements=[*_switch_buttons(ref), button("Copy as text", COPY_ACTION, ref)]))
    return Message(text=escape(f"Goal templates: {first.family_name} · {first.level_code}"), blocks=blocks)
