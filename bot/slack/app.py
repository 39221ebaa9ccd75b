"""The Bolt app: the Web API client, request verification, and the listeners."""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.canon.repository import CanonRepository
from bot.goals.drafts.drafting import Drafting
from bot.goals.storage import Stores
from bot.settings import Settings
from bot.slack.drafts.catch_up import CatchUp, start_catch_up
from bot.slack.reminders.sweep import ReminderLoop, start_reminders
from bot.slack.routes import register_all
from bot.slack.shared.client import create_client
from bot.slack.shared.surfaces import Surfaces


def create_app(settings: Settings, repository: CanonRepository, stores: Stores, *,
               catch_up: CatchUp | None = None) -> App:
    """The app of one process. With `catch_up`, it also finishes DM messages left due and
    sends reminders when due (in one process at a time: `bot.slack.reminders.sweep`)."""
    secret = settings.signing_secret.get_secret_value() if settings.signing_secret else None
    app = App(
        client=create_client(settings),
        signing_secret=secret,
        # Socket Mode has no HTTP requests to sign; every HTTP request must be signed.
        request_verification_enabled=secret is not None,
        # Listeners answer inside the ack (pure and fast) and do slow work in lazy listeners,
        # so Bolt need not poll for the ack: the fastest path it offers.
        process_before_response=True,
        # auth.test once, here, and cached: otherwise Bolt calls it on the first request,
        # putting a Web API round trip on that request's ack path.
        token_verification_enabled=True,
        logger=logging.getLogger("goals.bolt"),
    )
    poster = create_client(settings, resend=False)
    surfaces = Surfaces(Drafting(repository, stores.drafts), stores.profiles, poster=poster)
    register_all(app, repository, surfaces)
    if catch_up is not None:
        start_catch_up(surfaces, app.client, catch_up)
        start_reminders(surfaces, poster, catch_up, ReminderLoop(pace=settings.remind_pace))
    return app
