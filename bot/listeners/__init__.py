"""Thin Bolt listeners, one module per kind of Slack input: parse, call the domain, reply."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import actions, commands, errors, events
from bot.repository import CanonRepository


def register_all(app: App, repository: CanonRepository) -> None:
    errors.register(app)
    commands.register(app, repository)
    actions.register(app, repository)
    events.register(app, repository)
