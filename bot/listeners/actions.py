"""Buttons on frames: switch framework or page, copy as text, share in channel.

Each is acked at once; the reply goes through the response_url in a lazy listener, after
the ack, so Slack's 3-second limit never depends on the network.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks import (
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
from bot.delivery import Where, share
from bot.frames import Frame
from bot.listeners.errors import guarded
from bot.repository import CanonRepository
from bot.slack_answers import copy_messages, frames_for, stale_button


def ack_only(ack: Ack) -> None:
    """The ack of a button whose answer comes from a lazy listener."""
    ack()


def action_value(body: dict[str, Any]) -> str | None:
    """The clicked button's value, if the payload has one."""
    actions = body.get("actions") or [{}]
    value = actions[0].get("value") if isinstance(actions[0], dict) else None
    return value if isinstance(value, str) else None


def where(body: dict[str, Any]) -> Where:
    """Team, user and channel from the signed payload (never from a button's value)."""
    team = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id") or ""
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    return Where(team=str(team), user=str((body.get("user") or {}).get("id") or ""), channel=channel)


def privately(respond: Any, message: Message) -> None:
    respond(response_type="ephemeral", replace_original=False, **message.as_kwargs())


def register(app: App, repository: CanonRepository) -> None:
    def frames_or_stale(body: dict[str, Any], respond: Any, *, framework_needed: bool = False,
                        ) -> tuple[FrameRef, list[Frame]] | None:
        """The button's frames; None after telling the person the button is stale."""
        ref = FrameRef.parse(action_value(body))
        frames = frames_for(ref, repository) if ref and (ref.framework or not framework_needed) else []
        if ref is None or not frames:
            privately(respond, stale_button(ref))
            return None
        return ref, frames

    @guarded
    def show(body: dict[str, Any], respond: Any) -> None:
        if found := frames_or_stale(body, respond):
            ref, frames = found
            message = frame_message(frames[0], ref.page) if ref.framework else overview_message(frames)
            respond(replace_original=True, **message.as_kwargs())

    @guarded
    def copy(body: dict[str, Any], respond: Any) -> None:
        if found := frames_or_stale(body, respond):
            for message in copy_messages(found[1]):
                privately(respond, message)

    @guarded
    def share_frame(body: dict[str, Any], respond: Any, client: WebClient) -> None:
        found = frames_or_stale(body, respond, framework_needed=True)
        person = where(body)
        if found and person.user:  # every click Slack sends carries the clicking user
            share(shared_messages(found[1][0], person.user), person, respond, client)

    app.action(re.compile(f"^{SWITCH_ACTION}"))(ack=ack_only, lazy=[show])
    app.action(re.compile(f"^{PAGE_ACTION}"))(ack=ack_only, lazy=[show])
    app.action(COPY_ACTION)(ack=ack_only, lazy=[copy])
    app.action(SHARE_ACTION)(ack=ack_only, lazy=[share_frame])
