"""What a share form shares, built again from the canon (and, for a draft, from the sharing
person's own drafts) whenever it is shown or posted, so a crafted form shares nothing that is
not theirs."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.goals.drafts.drafting import Drafting
from bot.goals.model import Owner
from bot.slack.command.answers import compared, frames_for
from bot.slack.compare.blocks import shared_comparison_messages
from bot.slack.frames.blocks import shared_messages
from bot.slack.shared.layout import Message
from bot.slack.shared.values import ShareState


@dataclass(frozen=True)
class Shareable:
    """What a share form shares, as the messages that will be posted."""

    messages: list[Message]
    what: str  # "this frame", "your draft of …"
    notes: list[str] = field(default_factory=list)


def shareable(state: ShareState, owner: Owner, drafting: Drafting) -> Shareable | None:
    """The messages `state` names, built now; None when the canon (or the person's drafts) no
    longer has it."""
    repository = drafting.repository
    sharer = owner.user
    if state.frame is not None:
        frames = frames_for(state.frame, repository)
        if not frames:
            return None
        return Shareable(shared_messages(frames[0], sharer), "this frame")
    if state.comparison is not None:
        comparison = compared(state.comparison, repository)
        if comparison is None:
            return None
        return Shareable(shared_comparison_messages(comparison, sharer), "this comparison")
    assert state.draft is not None
    view = drafting.get(owner, state.draft)
    if view is None or view.frame is None or view.progress is None:
        return None
    notes = []
    if not view.progress.complete:
        empty = view.progress.total - view.progress.filled
        notes.append(f"{empty} of {view.progress.total} placeholders are still empty; they will show as "
                     "⟨baseline⟩, ⟨target⟩ or ⟨date⟩.")
    if view.leftovers:
        notes.append(f"{len(view.leftovers)} value(s) no longer in the canon are not shared.")
    messages = shared_messages(view.frame, sharer, view.draft.values, label="Drafted by")
    return Shareable(messages, f"your draft of {view.name}", notes)
