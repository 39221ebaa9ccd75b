"""Events: the Home tab shows how to use Goals and what the canon holds."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks import home_view
from bot.listeners.errors import guarded
from bot.repository import CanonRepository


def register(app: App, repository: CanonRepository) -> None:
    @guarded
    def publish_home(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") == "home":
            client.views_publish(user_id=event["user"], view=home_view(repository.vocabulary()))

    def ack_event(ack: Ack) -> None:
        ack()

    app.event("app_home_opened")(ack=ack_event, lazy=[publish_home])
