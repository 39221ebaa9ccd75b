"""The Home tab, the front door: pick a job family, a level and a framework; see that frame
and start a draft of it with one click; then the person's drafts, and a few sentences of
help with examples to click.

Pure: the person's choice, its frame and their drafts are passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, DividerBlock

from bot.canon.repository import Vocabulary
from bot.drafts.reviewing import Reviewed
from bot.drafts.view import DraftView
from bot.frames.model import Frame
from bot.grammar.parse import DRAFTS_WORD, compare_example, example_words
from bot.slack.draft_blocks import home_drafts
from bot.slack.frame_blocks import frame_footer, frame_head, frame_pages
from bot.slack.ids import COMMAND, DRAFT_ACTION, PICK_SHOW_ACTION
from bot.slack.layout import button, context, sections, title_blocks
from bot.slack.limits import HOME_BLOCKS_MAX
from bot.slack.picker import Choice, picker_blocks, still_to_pick
from bot.slack.review_list import reviews_blocks
from bot.slack.run_button import run_button
from bot.slack.values import FrameRef

INTRO = ("Goal templates from your job architecture, in four frameworks. Pick your job family, "
         "your level and a framework; Goals remembers them for next time.")


def frame_preview(frame: Frame) -> list[Block]:
    """The frame's first page, then its two actions: start a draft (the one primary button)
    and open the whole frame in the person's DM, where it can be copied, shared and paged."""
    pages = frame_pages(frame, chrome=1)
    ref = FrameRef.of(frame)
    actions = ActionsBlock(elements=[
        button("Start a draft", DRAFT_ACTION, ref, style="primary"),
        button("Open in my DM" if len(pages) == 1 else f"Read all {len(pages)} pages in my DM",
               PICK_SHOW_ACTION, ref),
    ])
    return [*frame_head(frame), *pages[0], *frame_footer(0, len(pages)), actions]


def home_view(vocabulary: Vocabulary, choice: Choice, frame: Frame | None, drafts: Sequence[DraftView],
              help_blocks: Sequence[Block] = (), reviews: Sequence[Reviewed] = ()) -> dict[str, Any]:
    """The whole tab. `frame`: the picked one, if the choice is complete. The frame's page
    fits a message, so it always fits here; the drafts get the room left."""
    top: list[Block] = [*title_blocks("Goals"), *sections(INTRO), *picker_blocks(vocabulary, choice)]
    shown = frame_preview(frame) if frame is not None else context(still_to_pick(choice))
    tail: list[Block] = [DividerBlock(), *help_blocks]
    room = HOME_BLOCKS_MAX - len(top) - len(shown) - len(tail) - 1
    # Sent to the person for review, when anything was: it shares the room with their drafts.
    sent = [*reviews_blocks(reviews, room=max(4, room // 2)), DividerBlock()] if reviews else []
    listed = home_drafts(drafts, room=room - len(sent))
    blocks = [*top, *shown, DividerBlock(), *sent, *listed, *tail]
    return {"type": "home", "blocks": [block.to_dict() for block in blocks[:HOME_BLOCKS_MAX]]}


def help_blocks(vocabulary: Vocabulary) -> list[Block]:
    """A few sentences of help, each example a button that shows its answer in the person's
    DM with Goals, as typing it would show it in a channel."""
    example, comparison = example_words(vocabulary), compare_example(vocabulary)
    examples = [(f"{COMMAND} {example}", example)]
    if comparison != example:
        examples.append((f"{COMMAND} {comparison}", comparison))
    examples += [(f"{COMMAND} drafts", DRAFTS_WORD), (f"{COMMAND} help", "help")]
    return [
        *title_blocks("Help"),
        *sections(f"You can also type {COMMAND} in any channel or DM, with a level and a job family, to see "
                  "a frame there. Only you see it until you share it."),
        *sections("Type compare and two levels to see them side by side, with a stretch frame for the lower "
                  "one. Click an example to try it:"),
        ActionsBlock(elements=[run_button(label, words, index) for index, (label, words) in enumerate(examples)]),
    ]
