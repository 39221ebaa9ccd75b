"""Buttons on frames: switch framework (the menu) or page, copy as text, share in channel.

Each is acked at once; the reply goes through the response_url in a lazy listener, after
the ack, so Slack's 3-second limit never depends on the network.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.canon.repository import CanonRepository
from bot.frames.model import Frame
from bot.slack.command.answers import frames_copy, frames_for, stale_button
from bot.slack.frames.blocks import frame_message, menu_choice, overview_message
from bot.slack.frames.copying import copy_as_text
from bot.slack.shared.delivery import replace_or_tell, teller
from bot.slack.shared.errors import guarded
from bot.slack.shared.payloads import action_value, first_action, where
from bot.slack.shared.values import FrameRef


def _picked(body: dict[str, Any]) -> object:
    """The option picked in a menu (a static select), if that is what the action was."""
    action = first_action(body)
    option = action.get("selected_option") if action.get("type") == "static_select" else None
    return option.get("value") if isinstance(option, dict) else None


def _clicked_ref(body: dict[str, Any], repository: CanonRepository) -> FrameRef | None:
    """What the clicked button, or the option picked in the framework menu, points at."""
    picked = _picked(body)
    if picked is not None:
        return menu_choice(picked, repository.vocabulary())
    return FrameRef.parse(action_value(body))


def _frames_or_stale(body: dict[str, Any], respond: Any, client: WebClient, repository: CanonRepository,
                    *, framework_needed: bool = False) -> tuple[FrameRef, list[Frame]] | None:
    """The button's frames; None after telling the person the button is stale."""
    ref = _clicked_ref(body, repository)
    frames = frames_for(ref, repository) if ref and (ref.framework or not framework_needed) else []
    if ref is None or not frames:
        teller(body, respond, client, where(body))(stale_button(ref))
        return None
    return ref, frames


@guarded
def show(body: dict[str, Any], respond: Any, client: WebClient, repository: CanonRepository) -> None:
    """A framework picked, a page turned or an overview's framework opened: in place of the
    message it was done in (a stretch frame stays the one message after its comparison)."""
    if found := _frames_or_stale(body, respond, client, repository):
        ref, frames = found
        message = frame_message(frames[0], ref.page) if ref.framework else overview_message(frames)
        replace_or_tell(body, respond, client, where(body), message)


@guarded
def copy(body: dict[str, Any], respond: Any, client: WebClient, repository: CanonRepository) -> None:
    if found := _frames_or_stale(body, respond, client, repository):
        made = frames_copy(found[1])
        copy_as_text(body, respond, client, where(body), made.text, made.title, made.filename, made.file_text)
