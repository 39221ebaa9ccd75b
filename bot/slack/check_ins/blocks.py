"""Check-ins as Block Kit: the latest check-in of each target under its row in the draft's DM
message, and the history of every check-in of a draft, as a modal.

Layout only. What a person said in a check-in is theirs: it is shown as their words, quoted,
in plain text (escaped, never markup), apart from the frame's own text.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from slack_sdk.models.blocks import Block, ContextBlock, DividerBlock, MarkdownTextObject, SectionBlock
from slack_sdk.models.views import View

from bot.frames.model import Frame
from bot.goals.check_ins.rules import latest
from bot.goals.drafts.view import DraftView
from bot.goals.fields import form_inputs, placeholder_fields
from bot.goals.model import CheckIn, Draft, TargetCheck
from bot.slack.shared.layout import context, packed_sections
from bot.slack.shared.limits import MODAL_BLOCKS_MAX
from bot.slack.shared.text import plain, shortened

HISTORY_TITLE = "Check-in history"
_HISTORY_CHARS_MAX = 200_000  # a view holds 250 KB: room for the JSON around the text


def _day(when: datetime, layout: str = "{date_short_pretty}") -> MarkdownTextObject:
    # Slack shows <!date> in each reader's own timezone; the fallback is the UTC date.
    stamp = int(when.timestamp())
    return MarkdownTextObject(text=f"<!date^{stamp}^{layout}|{when.strftime('%Y-%m-%d')}>", verbatim=True)


def _target_labels(frame: Frame | None) -> dict[str, str]:
    """Each target's short label ("Objective 1 · KR1"), for every target the frame has."""
    if frame is None:
        return {}
    labels = {key: item.label for item in form_inputs(frame) for key in item.keys}
    return {field.key: labels.get(field.key, field.label).removesuffix(" · target")
            for field in placeholder_fields(frame)}


def _said(entry: TargetCheck) -> str:
    """The entry's value and status, as the person gave them."""
    parts = [f"“{entry.value}”" if entry.value else "", entry.status.label if entry.status else ""]
    return " · ".join(part for part in parts if part)


def latest_blocks(frame: Frame, draft: Draft) -> dict[int, list[Block]]:
    """Under each row (by its index in the frame) with a checked-in target: each such target's
    latest check-in, "<line label>: “<value>” · <status> · <date>"."""
    found = latest(draft)
    fields = {field.key: field for field in placeholder_fields(frame)}
    # Under its own row, the line's label ("KR1") is enough: the row says which objective.
    labels = {key: fields[key].line_label for key in _target_labels(frame)}
    blocks: dict[int, list[Block]] = {}
    for key in (key for key in labels if key in found):  # in the frame's reading order
        item = found[key]
        said = _said(item.entry) or "a note"
        text = shortened(f"Latest check-in · {labels[key]}: {said} ·", 2000)
        blocks.setdefault(fields[key].row, []).append(ContextBlock(elements=[plain(text), _day(item.at)]))
    return blocks


def _entry_lines(label: str, entry: TargetCheck, target: str | None) -> list[str]:
    lines = [f"{label}: {_said(entry) or '(no value)'}"]
    if entry.note:
        lines.append(f"Note: “{entry.note}”")
    if target:
        lines.append(f"Target then: {target}")
    return lines


def _check_in_blocks(check_in: CheckIn, labels: Mapping[str, str], draft: Draft) -> list[Block]:
    head = SectionBlock(text=MarkdownTextObject(
        text=f"*Check-in of* {_day(check_in.at, '{date_short_pretty} at {time}').text}", verbatim=True))
    order = [key for key in labels if key in check_in.entries]
    order += [key for key in check_in.entries if key not in labels]  # targets no longer in the frame
    lines: list[str] = []
    for key in order:
        label = labels.get(key) or draft.labels.get(key) or "A target no longer in the canon"
        lines += [*([""] if lines else []), *_entry_lines(label, check_in.entries[key], check_in.targets.get(key))]
    return [head, *packed_sections(lines), DividerBlock()]


def _chars(blocks: list[Block]) -> int:
    return sum(len(str(block.to_dict())) for block in blocks)


def history_view(view: DraftView) -> dict[str, object]:
    """Every check-in of the draft, newest first, within a modal's 100 blocks (and its size);
    a closing line says how many older ones are not shown."""
    draft = view.draft
    labels = _target_labels(view.frame)
    blocks: list[Block] = context(f"{view.name}: every check-in, newest first, in your own words.")
    newest = list(reversed(draft.check_ins))
    if not newest:
        blocks += context("No check-ins yet. Click Check in on your draft to make the first.")
    shown = 0
    for check_in in newest:
        group = _check_in_blocks(check_in, labels, draft)
        if len(blocks) + len(group) > MODAL_BLOCKS_MAX - 1 or _chars(blocks) + _chars(group) > _HISTORY_CHARS_MAX:
            break
        blocks += group
        shown += 1
    if hidden := len(newest) - shown:
        blocks += context(f"{hidden} older check-in{'s are' if hidden != 1 else ' is'} not shown here.")
    return View(type="modal", title=HISTORY_TITLE, close="Close", blocks=blocks).to_dict()
