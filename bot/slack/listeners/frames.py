"""Buttons on frames: switch framework or page, copy as text, share in channel.

Each is acked at once; the reply goes through the response_url in a lazy listener, after
the ack, so Slack's 3-second limit never depends on the network.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.canon.repository import CanonRepository
from bot.frames.model import Frame
from bot.slack.answers import copy_messages, frames_for, stale_button
from bot.slack.delivery import replace_or_tell, share, tell_each, teller, usable_respond
from bot.slack.errors import guarded
from bot.slack.frame_blocks import frame_message, overview_message, shared_messages
from bot.slack.layout import Message
from bot.slack.payloads import action_value, where
from bot.slack.values import FrameRef


def frames_or_stale(body: dict[str, Any], respond: Any, client: WebClient, repository: CanonRepository,
                    *, framework_needed: bool = False) -> tuple[FrameRef, list[Frame]] | None:
    """The button's frames; None after telling the person the button is stale."""
    ref = FrameRef.parse(action_value(body))
    frames = frames_for(ref, repository) if ref and (ref.framework or not framework_needed) else []
    if ref is None or not frames:
        teller(body, respond, client, where(body))(stale_button(ref))
        return None
    return ref, frames


def share_as_clicker(body: dict[str, Any], respond: Any, client: WebClient,
                     messages_for: Callable[[str], list[Message]]) -> None:
    """Share into the clicked message's channel the messages made for the clicking person."""
    person = where(body)
    if person.user:  # every click Slack sends carries the clicking user
        share(messages_for(person.user), person, usable_respond(body, respond), client)


@guarded
def show(body: dict[str, Any], respond: Any, client: WebClient, repository: CanonRepository) -> None:
    if found := frames_or_stale(body, respond, client, repository):
        ref, frames = found
        message = frame_message(frames[0], ref.page) if ref.framework else overview_message(frames)
        replace_or_tell(body, respond, client, where(body), message)


@guarded
def copy(body: dict[str, Any], respond: Any, client: WebClient, repository: CanonRepository) -> None:
    if found := frames_or_stale(body, respond, client, repository):
        tell_each(body, respond, client, where(body), copy_messages(found[1]))


@guarded
def share_frame(body: dict[str, Any], respond: Any, client: WebClient, repository: CanonRepository) -> None:
    if found := frames_or_stale(body, respond, client, repository, framework_needed=True):
        frame = found[1][0]
        share_as_clicker(body, respond, client, lambda user: shared_messages(frame, user))
