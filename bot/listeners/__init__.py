"""Thin Bolt listeners: parse, call the domain, reply.

One module per kind of Slack input for the frames (commands, actions), one for
comparisons, and one for the drafts feature, whose command, buttons, forms and Home tab share one drafting core.
"""

from __future__ import annotations

from slack_bolt import App

from bot.drafting import Drafting
from bot.listeners import actions, commands, compare, errors
from bot.listeners.drafts import DraftListeners
from bot.repository import CanonRepository


def register_all(app: App, repository: CanonRepository, drafting: Drafting) -> None:
    errors.register(app)
    # First: `/goals draft ...` is matched here before the general `/goals` listener.
    DraftListeners(drafting).register(app)
    compare.register(app, repository)  # likewise `/goals compare ...`
    commands.register(app, repository, drafting)
    actions.register(app, repository)
