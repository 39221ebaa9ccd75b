"""The pickers, on the Home tab and in the answer to a bare `/goals`: each pick is
remembered for the person (their profile), then shown.

On the Home tab a pick republishes the tab (the frame appears below the pickers once all
three are picked). In a message, a pick that completes the choice replaces the message with
that frame; one that does not, with the pickers as they now stand.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.goals.profiles import remember
from bot.slack.frames.blocks import frame_message
from bot.slack.home.picker import Choice, picked, picker_message
from bot.slack.home.publish import last_choice, refresh_home
from bot.slack.shared.delivery import replace_or_tell
from bot.slack.shared.errors import guarded
from bot.slack.shared.payloads import owner_of, where
from bot.slack.shared.surfaces import Surfaces


def _on_home(body: dict[str, Any]) -> bool:
    view = body.get("view")
    return isinstance(view, dict) and view.get("type") == "home"


@guarded
def pick(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any, surfaces: Surfaces) -> None:
    owner = owner_of(context)
    if owner is None:
        return
    vocabulary = surfaces.drafting.repository.vocabulary()
    # A message carries every select's state; the Home tab's view is the one the person saw,
    # so what Goals remembered fills in what the payload does not say.
    choice = picked(body, vocabulary, last_choice(surfaces, owner) if _on_home(body) else Choice())
    remember(surfaces.profiles, owner, choice.family, choice.level, choice.framework)
    if _on_home(body):
        refresh_home(client, surfaces, owner)
        return
    frame = surfaces.drafting.frame(*choice.frame) if choice.frame else None
    message = frame_message(frame) if frame is not None else picker_message(vocabulary, choice)
    replace_or_tell(body, respond, client, where(body, owner), message)


@guarded
def publish_home(event: dict[str, Any], context: BoltContext, client: WebClient, surfaces: Surfaces) -> None:
    owner = owner_of(context)
    if event.get("tab", "home") == "home" and owner is not None:
        surfaces.reminding.came_back(owner, datetime.now(UTC))  # Slack can reach them: reminders resume
        refresh_home(client, surfaces, owner)
