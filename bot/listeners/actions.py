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
    frame_message,
    overview_message,
    shared_messages,
)
from bot.delivery import Where, share
from bot.listeners.errors import guarded
from bot.repository import CanonRepository
from bot.slack_answers import copy_messages, frames_for, stale_button


def _ack(ack: Ack) -> None:
    ack()


def _ref(body: dict[str, Any]) -> FrameRef | None:
    actions = body.get("actions") or [{}]
    value = actions[0].get("value") if isinstance(actions[0], dict) else None
    return FrameRef.parse(value) if isinstance(value, str) else None


def where(body: dict[str, Any]) -> Where:
    """Team, user and channel from the signed payload (never from a button's value)."""
    team = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id") or ""
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    return Where(team=str(team), user=str((body.get("user") or {}).get("id") or ""), channel=channel)


def register(app: App, repository: CanonRepository) -> None:
    @guarded
    def show(body: dict[str, Any], respond: Any) -> None:
        ref = _ref(body)
        frames = frames_for(ref, repository) if ref else []
        if not frames:
            respond(response_type="ephemeral", replace_original=False, **stale_button(ref).as_kwargs())
            return
        assert ref is not None
        message = frame_message(frames[0], ref.page) if ref.framework else overview_message(frames)
        respond(replace_original=True, **message.as_kwargs())

    @guarded
    def copy(body: dict[str, Any], respond: Any) -> None:
        ref = _ref(body)
        frames = frames_for(ref, repository) if ref else []
        messages = copy_messages(frames) if frames else [stale_button(ref)]
        for message in messages:
            respond(response_type="ephemeral", replace_original=False, **message.as_kwargs())

    @guarded
    def share_frame(body: dict[str, Any], respond: Any, client: WebClient) -> None:
        ref = _ref(body)
        frames = frames_for(ref, repository) if ref and ref.framework else []
        if not frames:
            respond(response_type="ephemeral", replace_original=False, **stale_button(ref).as_kwargs())
            return
        person = where(body)
        if not person.user:
            return  # not a payload Slack sends: every click carries the clicking user
        share(shared_messages(frames[0], person.user), person, respond, client)

    app.action(re.compile(f"^{SWITCH_ACTION}"))(ack=_ack, lazy=[show])
    app.action(re.compile(f"^{PAGE_ACTION}"))(ack=_ack, lazy=[show])
    app.action(COPY_ACTION)(ack=_ack, lazy=[copy])
    app.action(SHARE_ACTION)(ack=_ack, lazy=[share_frame])
