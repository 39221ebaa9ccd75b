"""Asked when Draft targets is clicked on a frame the person already has a draft of: go on
with one of those (Continue), or start another of the same frame, named apart ("… (2)")."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import ActionsBlock, Block, SectionBlock
from slack_sdk.models.views import View

from bot.goals.drafts.view import DraftView
from bot.slack.drafts.blocks import status
from bot.slack.shared.ids import DRAFT_ANOTHER_ACTION, DRAFT_CONTINUE_ACTION
from bot.slack.shared.layout import button, sections
from bot.slack.shared.text import plain, shortened
from bot.slack.shared.values import ChoiceState, DraftRef, FrameRef

SHOWN_MAX = 5  # drafts listed to continue: the most recent; the rest are in /goals drafts


def another_name(views: Sequence[DraftView]) -> str:
    """The name a further draft of the same frame starts with: its frame's, with the first
    number from 2 that no draft of it is named with."""
    taken = {view.name for view in views}
    number = 2
    while f"{views[0].default_name} ({number})" in taken:
        number += 1
    return f"{views[0].default_name} ({number})"


def draft_choice_view(views: Sequence[DraftView], ref: FrameRef, channel: str | None = None) -> dict[str, object]:
    """The modal that asks: continue a draft of this frame, or start another. `channel`: where
    it was asked from (a channel, not a DM), to confirm the save there."""
    count = len(views)
    lead = ("You already have a draft of this frame." if count == 1 else
            f"You already have {count} drafts of this frame.") + " Continue one, or start another?"
    blocks: list[Block] = [*sections(lead)]
    for view in views[:SHOWN_MAX]:
        blocks += [SectionBlock(text=plain(shortened(view.name, 3000)),
                                accessory=button("Continue", DRAFT_CONTINUE_ACTION, DraftRef(draft=view.draft.id),
                                                 style="primary" if view is views[0] else None)),
                   status(view)]
    blocks.append(ActionsBlock(elements=[button("Start another", DRAFT_ANOTHER_ACTION,
                                                ref.model_copy(update={"page": 0}))]))
    try:
        state = ChoiceState(channel=channel)
    except ValueError:  # a DM (D…) or no channel: nowhere to confirm but the DM itself
        state = ChoiceState()
    return View(type="modal", title="Draft targets", close="Cancel", blocks=blocks,
                private_metadata=state.value()).to_dict()
