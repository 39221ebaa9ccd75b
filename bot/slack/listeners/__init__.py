"""Thin Bolt listeners: parse, call the domain, reply.

One module per kind of Slack input for the frames (commands, actions), one for
comparisons, and one for the drafts feature, whose command, buttons, forms and Home tab
share one drafting core. `routes` decides the order in which Bolt tries them.
"""

from __future__ import annotations

from slack_bolt import App

from bot.canon.repository import CanonRepository
from bot.drafts.service import Drafting
from bot.slack import errors
from bot.slack.listeners import actions, commands, compare
from bot.slack.listeners.drafts import DraftListeners
from bot.slack.listeners.routes import Routes


def register_all(app: App, repository: CanonRepository, drafting: Drafting) -> None:
    errors.register(app)
    routes = Routes(app)
    # `/goals draft ...` and `/goals compare ...` are matched before the general `/goals`.
    DraftListeners(drafting).register(routes)
    compare.register(routes, repository)
    commands.register(routes, repository, drafting)
    actions.register(routes, repository)
    routes.add_rest()
