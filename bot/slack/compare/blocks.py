"""A comparison of two levels as Block Kit messages.

Layout only: `comparison.compare` decides every pair and note. Pairs read side by side as a
section's two fields (lower level left, higher right); a side the canon has nothing for
shows a dash, so the columns never swap. Text too long for a field is laid out one side
after the other instead. Canon text, names included, goes only into plain_text.

The comparison is one of two messages: the stretch frame follows it as a frame of its own
and switches framework in place, so the owner's comparison has no stretch buttons (a third
message each). A shared copy has one, for a teammate who has no stretch frame yet.
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, ContextBlock, SectionBlock

from bot.frames import templates as t
from bot.frames.comparison import Comparison, Pair
from bot.slack.shared.ids import (
    COMPARE_COPY_ACTION,
    COMPARE_PAGE_ACTION,
    COMPARE_SHARE_ACTION,
    COMPARE_STRETCH_ACTION,
)
from bot.slack.shared.layout import Message, button, context, mention, page_buttons, paginate, sections, title_blocks
from bot.slack.shared.limits import FIELD_TEXT_MAX, MESSAGE_BLOCKS_MAX
from bot.slack.shared.text import bold, escape, escaped_length, plain
from bot.slack.shared.values import CompareRef

ABSENT = "—"  # the side of a pair the canon has nothing for: layout, not content
# Blocks a page carries besides its head and footer: the "Shared by" line and the buttons.
_CHROME = 2


def _pair(pair: Pair, codes: tuple[str, str]) -> list[Block]:
    texts = (pair.lower, pair.higher)
    if all(escaped_length(text or ABSENT) <= FIELD_TEXT_MAX for text in texts):
        return [SectionBlock(text=plain(pair.label), fields=[plain(text or ABSENT) for text in texts])]
    return [SectionBlock(text=plain(pair.label)),
            *(block for code, text in zip(codes, texts, strict=True) if text
              for block in sections(f"{code}: {text}"))]


def _pairs_groups(title: str, pairs: Sequence[Pair], comparison: Comparison) -> list[list[Block]]:
    codes = (comparison.lower.level.code, comparison.higher.level.code)
    groups = [_pair(pair, codes) for pair in pairs]
    return [[SectionBlock(text=bold(title)), *groups[0]], *groups[1:]] if groups else []


def _groups(comparison: Comparison) -> list[list[Block]]:
    groups = [*_pairs_groups(t.COMPARE_DIMENSIONS, comparison.dimensions, comparison),
              *_pairs_groups(t.COMPARE_RUBRICS, comparison.rubrics, comparison)]
    for side in (comparison.lower, comparison.higher):
        if side.canon.responsibilities:
            bullets = "\n".join(f"• {text}" for text in side.canon.responsibilities)
            groups.append(sections(f"{comparison.responsibilities_head(side)}\n{bullets}"))
    if comparison.notes:
        groups.append(context("\n".join(comparison.notes)))
    return groups


def _head(comparison: Comparison) -> list[Block]:
    # The columns' heads on every page, so a later page still says which side is which.
    columns = SectionBlock(fields=[plain(comparison.lower.head), plain(comparison.higher.head)])
    return [*title_blocks(comparison.title), *context("\n".join([comparison.intro, *comparison.identities])),
            columns]


def _footer(page: int, pages: int) -> list[Block]:
    return context(f"Page {page + 1} of {pages}. {t.COMPARE_DISCLAIMER}" if pages > 1 else t.COMPARE_DISCLAIMER)


def comparison_pages(comparison: Comparison) -> list[list[Block]]:
    budget = max(1, MESSAGE_BLOCKS_MAX - len(_head(comparison)) - len(_footer(0, 2)) - _CHROME)
    return paginate(_groups(comparison), budget)


def stretch_button(ref: CompareRef) -> ButtonElement:
    """A shared copy's way to the stretch frame (in the sharer's framework), privately; the
    frame's own menu switches it from there."""
    return button("See the stretch frame", f"{COMPARE_STRETCH_ACTION}{ref.framework.value}",
                  ref.model_copy(update={"page": 0}))


def comparison_message(comparison: Comparison, page: int = 0) -> Message:
    """One page of a comparison, privately, with the buttons of its owner."""
    pages = comparison_pages(comparison)
    return _page_message(comparison, pages, max(0, min(page, len(pages) - 1)))


def shared_comparison_messages(comparison: Comparison, shared_by: str) -> list[Message]:
    """Every page, for a channel, marked as shared by `shared_by` (a user id)."""
    pages = comparison_pages(comparison)
    return [_page_message(comparison, pages, page, shared_by=shared_by) for page in range(len(pages))]


def _page_message(comparison: Comparison, pages: list[list[Block]], page: int,
                  shared_by: str | None = None) -> Message:
    ref = CompareRef.of(comparison, page)
    blocks: list[Block] = []
    if shared_by:
        blocks.append(ContextBlock(elements=[bold("Shared by"), mention(shared_by)]))
    blocks += [*_head(comparison), *pages[page], *_footer(page, len(pages))]
    copy = button("Copy as text", COMPARE_COPY_ACTION, ref)
    if shared_by:  # sharing and paging are the owner's; the team reads, copies, stretches
        buttons = [stretch_button(ref), copy]
    else:
        buttons = [copy, button("Share", COMPARE_SHARE_ACTION, ref),
                   *page_buttons(ref, page, len(pages), COMPARE_PAGE_ACTION)]
    blocks.append(ActionsBlock(elements=buttons))
    fallback = f"Compare {comparison.title}"
    if len(pages) > 1:
        fallback += f" (page {page + 1} of {len(pages)})"
    return Message(text=escape(fallback), blocks=blocks)
