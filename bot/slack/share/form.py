"""The share form: the exact message that will be posted, privately, then where to post it
(a channel, or a person's DM from Goals), with Post and Cancel. Nothing is posted before Post.

The preview is the message's own blocks; its buttons are named under it rather than drawn,
since a button in a modal would act from the modal, not from the message.
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ConversationFilter,
    ConversationSelectElement,
    DividerBlock,
    InputBlock,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.slack.shared.ids import CHANNEL_BLOCK, DRAFT_SHARE_CALLBACK, PERSON_BLOCK, SHARED_DELETE_ACTION, VALUE_ACTION
from bot.slack.shared.layout import Message, button, context, sections
from bot.slack.shared.limits import MODAL_BLOCKS_MAX
from bot.slack.shared.text import plain
from bot.slack.shared.values import SharedRef, ShareState

SHARE_TITLE = "Share"
PICK_A_DESTINATION = "Pick a channel, or a person to send it to."


def delete_button(ref: SharedRef) -> ButtonElement:
    return button("Delete", SHARED_DELETE_ACTION, ref, confirm=ConfirmObject(
        title="Delete what you shared?", text=plain("It goes for everyone who can see it."),
        confirm="Delete", deny="Keep it", style="danger"))


def with_delete(message: Message, sharer: str) -> Message:
    """`message` with a Delete button for the person who shared it (answered for them only)."""
    delete = delete_button(SharedRef(by=sharer))
    blocks = list(message.blocks)
    actions = next((i for i in range(len(blocks) - 1, -1, -1) if isinstance(blocks[i], ActionsBlock)), None)
    if actions is None:
        blocks.append(ActionsBlock(elements=[delete]))
    else:
        block = blocks[actions]
        assert isinstance(block, ActionsBlock)
        blocks[actions] = ActionsBlock(elements=[*block.elements, delete])  # type: ignore[list-item]
    return Message(text=message.text, blocks=blocks)


def _button_names(message: Message) -> list[str]:
    return [element.text.text for block in message.blocks if isinstance(block, ActionsBlock)
            for element in block.elements if isinstance(element, ButtonElement) and element.text]


def preview_blocks(messages: Sequence[Message]) -> list[Block]:
    """The first message as it will be posted, its buttons named, and how many follow."""
    first = messages[0]
    blocks = [block for block in first.blocks if not isinstance(block, ActionsBlock)]
    names = _button_names(first)
    note = f"With the buttons {', '.join(names)}." if names else ""
    note += " You can delete it afterwards: in a channel with its Delete button, which answers only you; " \
            "sent to a person, with the Delete button on the note Goals sends you."
    if len(messages) > 1:
        more = len(messages) - 1
        note += f" It is {len(messages)} messages, one per page: {more} more like this follow."
    return [*blocks, *context(note.strip())]


def share_form(state: ShareState, messages: Sequence[Message], what: str,
               notes: Sequence[str] = ()) -> dict[str, object]:
    """The form that shares `messages` (`what`: "this frame", "your draft of …")."""
    # Where first, then the preview: the choice is in sight without scrolling a long frame.
    destination: list[Block] = [
        *sections(f"Share {what}: pick a channel, or a person to send it to."),
        InputBlock(
            block_id=CHANNEL_BLOCK, label="Post in a channel", optional=True,
            element=ConversationSelectElement(
                action_id=VALUE_ACTION, default_to_current_conversation=True, response_url_enabled=True,
                filter=ConversationFilter(include=["public", "private"], exclude_bot_users=True),
                placeholder="Pick a channel")),
        InputBlock(
            block_id=PERSON_BLOCK, label="Or send it to a person instead", optional=True,
            hint="They get it as a message from Goals, naming you.",
            element=UserSelectElement(action_id=VALUE_ACTION, placeholder="Pick a person")),
        *(block for note in notes for block in context(note)),
        DividerBlock(),
        *context("This is the message they will see:"),
    ]
    preview = preview_blocks(messages)[:MODAL_BLOCKS_MAX - len(destination)]
    modal = View(type="modal", callback_id=DRAFT_SHARE_CALLBACK, title=SHARE_TITLE, submit="Post",
                 close="Cancel", private_metadata=state.value(), blocks=[*destination, *preview])
    return modal.to_dict()
