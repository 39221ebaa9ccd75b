"""Sharing, for frames, comparisons and drafts alike: Share opens a preview of the exact
message (the share form); Post sends it to the channel or the person picked there; the
sharer's Delete button on the posted message takes it down again.

The form's private_metadata says only what is shared; the message is built again at Post
from the canon (and, for a draft, from the submitting person's own drafts), so a crafted
form shares nothing that is not the person's. Whoever clicks Delete is who Slack signs as
clicking; only the sharer's click deletes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import ActionsBlock, Block, MarkdownTextObject, SectionBlock

from bot.goals.drafts.drafting import Drafting
from bot.slack.command.answers import stale_button
from bot.slack.share.form import PICK_A_DESTINATION, delete_button, share_form, with_delete
from bot.slack.share.shareable import shareable
from bot.slack.shared.delivery import CANNOT_DM, Where, share, taken, tell_privately, usable_respond
from bot.slack.shared.errors import guarded
from bot.slack.shared.ids import CHANNEL_BLOCK, COMPARE_SHARE_ACTION, DRAFT_SHARE_ACTION
from bot.slack.shared.layout import Message, text_message
from bot.slack.shared.notices import GONE
from bot.slack.shared.payloads import (
    action_value,
    clicker,
    first_action,
    owner_of,
    picked_channel,
    picked_person,
    view_of,
    where,
)
from bot.slack.shared.surfaces import Surfaces
from bot.slack.shared.values import CompareRef, DraftRef, FrameRef, SharedRef, ShareState

log = logging.getLogger("goals")

ONLY_THE_SHARER = "Only {sharer}, who shared this, can delete it."


def _state_of(body: dict[str, Any]) -> ShareState | None:
    """What the clicked Share button shares: a frame's, a comparison's or a draft's."""
    value = action_value(body)
    action = str(first_action(body).get("action_id", ""))
    if action == DRAFT_SHARE_ACTION:
        ref = DraftRef.parse(value)
        return ShareState(draft=ref.draft) if ref else None
    if action == COMPARE_SHARE_ACTION:
        compare = CompareRef.parse(value)
        return ShareState(comparison=compare.model_copy(update={"page": 0})) if compare else None
    frame = FrameRef.parse(value)
    if frame is None or frame.framework is None:
        return None
    return ShareState(frame=frame.model_copy(update={"page": 0}))


@guarded
def open_share(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any,
               drafting: Drafting, surfaces: Surfaces) -> None:
    if not (clicked := clicker(body, context, respond, client)):
        return
    owner, tell = clicked
    state = _state_of(body)
    found = shareable(state, owner, drafting) if state else None
    if state is None or found is None:
        tell(text_message(GONE) if state and state.draft else stale_button(None))
        return
    form = share_form(state, found.messages, found.what, found.notes)
    surfaces.open_form(client, str(body.get("trigger_id")), form, owner, tell, learn_tz=False)


def ack_share(ack: Ack, body: dict[str, Any]) -> None:
    view = view_of(body)
    if picked_person(view) is None and picked_channel(view) is None:
        ack(response_action="errors", errors={CHANNEL_BLOCK: PICK_A_DESTINATION})
    else:
        ack()


@guarded
def post_share(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any,
               drafting: Drafting) -> None:
    owner = owner_of(context)
    view = view_of(body)
    state = ShareState.parse(view.get("private_metadata"))
    person, channel = picked_person(view), picked_channel(view)
    if owner is None or state is None or (person is None and channel is None):
        return
    found = shareable(state, owner, drafting)
    sharer = Where(team=owner.team, user=owner.user, channel=channel if person is None else None)
    reply = usable_respond(body, respond) if person is None else None
    if found is None:
        tell_privately(reply, client, sharer, text_message(GONE))
    elif person is not None:
        _send_to(person, found.messages, sharer, client)
    else:  # in a channel each message has the sharer's Delete button
        share([with_delete(message, owner.user) for message in found.messages], sharer, reply, client)


def _send_to(person: str, messages: Sequence[Message], sharer: Where, client: WebClient) -> None:
    """Each message to `person`'s DM with Goals (it names the sharer); then a note to the
    sharer that says so, with a Delete button for what was sent (they cannot see that DM)."""
    channel, sent = None, []
    try:
        for message in messages:
            posted = client.chat_postMessage(channel=person, unfurl_links=False, **message.as_kwargs())
            channel, ts = posted.get("channel"), posted.get("ts")
            if isinstance(ts, str):
                sent.append(ts)
    except SlackApiError as error:
        if error.response.get("error") not in CANNOT_DM:
            raise
        part = "all of it" if sent else "it"
        client.chat_postMessage(channel=sharer.user, text=f"Goals could not send {part} to <@{person}>: "
                                "Slack says they cannot get messages from apps.")
        if not sent:
            return
    told = f"Sent to <@{person}>." if person != sharer.user else "Sent to you, here."
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=told))]
    if isinstance(channel, str) and sent:
        blocks.append(ActionsBlock(elements=[delete_button(SharedRef(by=sharer.user, channel=channel,
                                                                     messages=sent[:60]))]))
    client.chat_postMessage(channel=sharer.user, **Message(text=told, blocks=blocks).as_kwargs())


@guarded
def delete_shared(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any) -> None:
    owner = owner_of(context)
    ref = SharedRef.parse(action_value(body))
    if owner is None or ref is None:
        return
    clicked = where(body, owner)
    reply = usable_respond(body, respond)
    if ref.by != owner.user:
        tell_privately(reply, client, clicked, text_message(ONLY_THE_SHARER.format(sharer=f"<@{ref.by}>")))
        return
    if ref.channel and ref.messages:  # sent to a person: the note in the sharer's DM names them
        for stamp in ref.messages:
            try:
                client.chat_delete(channel=ref.channel, ts=stamp)
            except SlackApiError as error:
                if error.response.get("error") != "message_not_found":
                    raise
        done = text_message("You deleted what you sent.")
        if reply is not None:
            reply(replace_original=True, **done.as_kwargs())
        else:
            tell_privately(None, client, clicked, done)
        return
    found = body.get("container")
    container: dict[str, Any] = found if isinstance(found, dict) else {}
    if reply is not None:
        try:
            if taken(reply(delete_original=True)):
                return
            log.info("the response_url took no delete; deleting as the app")
        except Exception as error:  # an unreachable response_url: delete as the app instead
            log.info("deleting through the response_url failed (%s)", type(error).__name__)
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if isinstance(channel, str) and isinstance(ts, str):
        client.chat_delete(channel=channel, ts=ts)
