"""The form that shares a draft into a channel: it asks first while placeholders are empty."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, ConversationFilter, ConversationSelectElement, InputBlock
from slack_sdk.models.views import View

from bot.drafts.view import DraftView
from bot.slack.ids import CHANNEL_BLOCK, DRAFT_SHARE_CALLBACK, VALUE_ACTION
from bot.slack.layout import context, sections
from bot.slack.values import ShareState


def share_form(view: DraftView) -> dict[str, object]:
    """Pick a channel; with empty placeholders, the form itself asks to confirm."""
    assert view.frame is not None and view.progress is not None
    text = (f"Share your draft of {view.name} into a channel, marked as drafted by you. "
            "Everyone there will see it.")
    blocks: list[Block] = [*sections(text)]
    if not view.progress.complete:
        empty = view.progress.total - view.progress.filled
        blocks += sections(f"{empty} of {view.progress.total} placeholders are still empty; they "
                           "will show as ⟨baseline⟩, ⟨target⟩ or ⟨date⟩. Share it anyway?")
    if view.leftovers:
        blocks += context(f"{len(view.leftovers)} value(s) no longer in the canon are not shared.")
    blocks.append(InputBlock(
        block_id=CHANNEL_BLOCK, label="Channel",
        element=ConversationSelectElement(
            action_id=VALUE_ACTION, default_to_current_conversation=True, response_url_enabled=True,
            filter=ConversationFilter(include=["public", "private"], exclude_bot_users=True),
            placeholder="Pick a channel"),
    ))
    modal = View(
        type="modal", callback_id=DRAFT_SHARE_CALLBACK, title="Share draft",
        submit="Share" if view.progress.complete else "Share anyway", close="Cancel",
        private_metadata=ShareState(draft=view.draft.id).value(), blocks=blocks,
    )
    return modal.to_dict()
