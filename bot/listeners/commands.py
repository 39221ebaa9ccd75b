"""`/goals`: answered in the acknowledgement itself, privately.

Parsing and building a frame are pure and take well under a millisecond, so the answer
rides on the ack: no Web API call, nothing after it, nothing to time out.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.repository import CanonRepository
from bot.slack_answers import answer_command

COMMAND = "/goals"


def register(app: App, repository: CanonRepository) -> None:
    def goals(ack: Ack, command: dict[str, Any]) -> None:
        message = answer_command(str(command.get("text") or ""), repository)
        ack(response_type="ephemeral", **message.as_kwargs())

    app.command(COMMAND)(goals)
