"""Buttons on frames: switch framework or page, copy as text, share in channel.

Each is acked at once; the reply goes through the response_url in a lazy listener, after
the ack, so Slack's 3-second limit never depends on the network.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.canon.repository import CanonRepository
from bot.frames.build import Frame
from bot.slack.answers import copy_messages, frames_for, stale_button
from bot.slack.delivery import Where, share, tell_privately
from bot.slack.errors import guarded
from bot.slack.frame_blocks import (
    COPY_ACTION,
    PAGE_ACTION,
    SHARE_ACTION,
    SWITCH_ACTION,
    FrameRef,
    Message,
    frame_message,
    overview_message,
    shared_messages,
)
from bot.slack.listeners.routes import Routes


def ack_only(ack: Ack) -> None:
    """The ack of a button whose answer comes from a lazy listener."""
    ack()


def action_value(body: dict[str, Any]) -> str | None:
    """The clicked button's value, if the payload has one."""
    actions = body.get("actions") or [{}]
    value = actions[0].get("value") if isinstance(actions[0], dict) else None
    return value if isinstance(value, str) else None


def _id(value: object, key: str = "id") -> str | None:
    """An id as Slack gives it: a string, or an object's `key`; None for anything else."""
    found = value.get(key) if isinstance(value, dict) else value
    return found if isinstance(found, str) and found else None


def where(body: dict[str, Any]) -> Where:
    """Team, user and channel from the signed payload (never from a button's value)."""
    user = body.get("user")
    return Where(team=_id(body.get("team")) or _id(user, "team_id") or "",
                 user=_id(user) or "",
                 channel=_id(body.get("channel")) or _id(body.get("container"), "channel_id"))


def usable_respond(body: dict[str, Any], respond: Any) -> Any:
    """`respond` where the payload has a response_url to answer through; else None (the Home
    tab has none, and Bolt's respond raises without one)."""
    url = body.get("response_url")
    urls = body.get("response_urls")
    has_url = isinstance(url, str) and url.startswith(("https://", "http://"))
    return respond if has_url or (isinstance(urls, list) and urls) else None


def teller(body: dict[str, Any], respond: Any, client: WebClient, person: Where | None = None,
           ) -> Callable[[Message], None]:
    """Tell the clicking person privately: through the response_url, else an ephemeral
    message, else their DM with the app (delivery.tell_privately)."""
    reply = usable_respond(body, respond)
    return lambda message: tell_privately(reply, client, person or where(body), message)


def replace_or_tell(body: dict[str, Any], respond: Any, client: WebClient, message: Message) -> None:
    """Show `message` in place of the clicked one; as a new private message where the
    payload has no response_url to replace it through."""
    reply = usable_respond(body, respond)
    if reply is None:
        teller(body, respond, client)(message)
    else:
        reply(replace_original=True, **message.as_kwargs())


def tell_each(body: dict[str, Any], respond: Any, client: WebClient, messages: Iterable[Message]) -> None:
    """Tell the clicking person `messages` privately, in order (Copy as text)."""
    tell = teller(body, respond, client)
    for message in messages:
        tell(message)


def share_as_clicker(body: dict[str, Any], respond: Any, client: WebClient,
                     messages_for: Callable[[str], list[Message]]) -> None:
    """Share into the clicked message's channel the messages made for the clicking person."""
    person = where(body)
    if person.user:  # every click Slack sends carries the clicking user
        share(messages_for(person.user), person, usable_respond(body, respond), client)


def register(routes: Routes, repository: CanonRepository) -> None:
    def frames_or_stale(body: dict[str, Any], respond: Any, client: WebClient, *, framework_needed: bool = False,
                        ) -> tuple[FrameRef, list[Frame]] | None:
        """The button's frames; None after telling the person the button is stale."""
        ref = FrameRef.parse(action_value(body))
        frames = frames_for(ref, repository) if ref and (ref.framework or not framework_needed) else []
        if ref is None or not frames:
            teller(body, respond, client)(stale_button(ref))
            return None
        return ref, frames

    @guarded
    def show(body: dict[str, Any], respond: Any, client: WebClient) -> None:
        if found := frames_or_stale(body, respond, client):
            ref, frames = found
            message = frame_message(frames[0], ref.page) if ref.framework else overview_message(frames)
            replace_or_tell(body, respond, client, message)

    @guarded
    def copy(body: dict[str, Any], respond: Any, client: WebClient) -> None:
        if found := frames_or_stale(body, respond, client):
            tell_each(body, respond, client, copy_messages(found[1]))

    @guarded
    def share_frame(body: dict[str, Any], respond: Any, client: WebClient) -> None:
        if found := frames_or_stale(body, respond, client, framework_needed=True):
            frame = found[1][0]
            share_as_clicker(body, respond, client, lambda user: shared_messages(frame, user))

    routes.action(re.compile(f"^{SWITCH_ACTION}"))(ack=ack_only, lazy=[show])
    routes.action(re.compile(f"^{PAGE_ACTION}"))(ack=ack_only, lazy=[show])
    routes.action(COPY_ACTION)(ack=ack_only, lazy=[copy])
    routes.action(SHARE_ACTION)(ack=ack_only, lazy=[share_frame])
