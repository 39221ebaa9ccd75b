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
from bot.frames.model import Frame
from bot.goals.drafts.view import DraftView
from bot.goals.reviews.reviewing import Reviewed
from bot.grammar.requests import DRAFTS_WORD, compare_example, example_words
from bot.slack.command.run_button import run_button
from bot.slack.drafts.blocks import home_drafts
from bot.slack.frames.blocks import frame_footer, frame_head, frame_pages
from bot.slack.home.picker import Choice, picker_blocks, still_to_pick
from bot.slack.reviews.team_list import REVIEWS_WORDS, fitting, reviews_blocks
from bot.slack.shared.ids import COMMAND, DRAFT_ACTION, PICK_SHOW_ACTION
from bot.slack.shared.layout import button, context, sections, title_blocks
from bot.slack.shared.limits import HOME_BLOCKS_MAX, MESSAGE_BLOCKS_MAX
from bot.slack.shared.values import FrameRef

REVIEWS_ROOM_MIN = 5  # a title, the counts, a person and one draft, and the divider
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
              help_blocks: Sequence[Block] = (), reviews: Sequence[Reviewed] = (),
              reminders: Sequence[Block] = ()) -> dict[str, Any]:
    """The whole tab. `frame`: the picked one, if the choice is complete. The frame's page
    fits a message, so it always fits here; what was sent to the person for review and their
    drafts share the room left. `reminders`: their reminder settings, once they have drafts."""
    top: list[Block] = [*title_blocks("Goals"), *sections(INTRO), *picker_blocks(vocabulary, choice)]
    shown = frame_preview(frame) if frame is not None else context(still_to_pick(choice))
    settings: list[Block] = [DividerBlock(), *reminders] if reminders and drafts else []
    tail: list[Block] = [*settings, DividerBlock(), *help_blocks]
    room = HOME_BLOCKS_MAX - len(top) - len(shown) - len(tail) - 1
    sent = sent_for_review(reviews, room, needed=len(home_drafts(drafts, room=room)))
    listed = home_drafts(drafts, room=room - len(sent))
    blocks = [*top, *shown, DividerBlock(), *sent, *listed, *tail]
    return {"type": "home", "blocks": [block.to_dict() for block in blocks[:HOME_BLOCKS_MAX]]}


def sent_for_review(reviews: Sequence[Reviewed], room: int, needed: int) -> list[Block]:
    """What was sent to the person for review, and a divider; nothing when nothing was. It
    shares `room` with their drafts, which need `needed` blocks: it takes what they leave,
    and at least half when both need more."""
    if not reviews:
        return []
    share = max(room - min(needed, room // 2), REVIEWS_ROOM_MIN) - 1  # the divider after it
    shown = fitting(reviews, share)
    more = (f"type {REVIEWS_WORDS} to see more" if fitting(reviews, MESSAGE_BLOCKS_MAX) > shown
            else "not shown here")
    return [*reviews_blocks(reviews, share, more), DividerBlock()]


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
