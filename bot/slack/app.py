"""The Bolt app: the Web API client, request verification, and the listeners."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltContext
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

from bot.canon.repository import CanonRepository
from bot.goals.drafts.drafting import Drafting
from bot.goals.storage import Stores
from bot.settings import Settings
from bot.slack.drafts.catch_up import CatchUp, start_catch_up
from bot.slack.reminders.sweep import ReminderLoop, start_reminders
from bot.slack.routes import register_all
from bot.slack.shared.client import counted, create_client
from bot.slack.shared.routing import FormsFirst
from bot.slack.shared.surfaces import Surfaces


class _SameToken(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment itself, then warns, once per worker,
    that it is unused beside the client it was given: the client holds that very token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


_BOLT_LOG = logging.getLogger("goals.bolt")
BACKGROUND_THREADS = 8  # per process: DM messages, Home refreshes, notifications (Bolt's default is 5)
FORM_THREADS = 32  # per process: opening forms, each holding a thread while Slack answers views.open
_BOLT_LOG.addFilter(_SameToken())


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
        logger=_BOLT_LOG,
        listener_executor=ThreadPoolExecutor(max_workers=BACKGROUND_THREADS, thread_name_prefix="goals-lazy"),
    )
    @app.middleware
    def count_slack_calls(context: BoltContext, next: Callable[[], None]) -> None:
        # Bolt gives each request a plain client of its own: the same one, counted.
        if context.client is not None:
            context["client"] = counted(context.client)
        next()

    # Lazy listeners that open a form run in a pool of their own (a trigger_id lasts 3 s);
    # everything else a request leaves to do runs in Bolt's.
    lazy = app.listener_runner.lazy_listener_runner
    runner = FormsFirst(lazy.logger, lazy.executor,  # type: ignore[attr-defined]
                        ThreadPoolExecutor(max_workers=FORM_THREADS, thread_name_prefix="goals-forms"))
    app.listener_runner.lazy_listener_runner = runner

    poster = create_client(settings, resend=False)
    # The pool read at call time: the one in place then (a test may have wrapped it).
    surfaces = Surfaces(Drafting(repository, stores.drafts), stores.profiles, poster=poster,
                        later=lambda work: runner.executor.submit(work))
    register_all(app, repository, surfaces)
    if catch_up is not None:
        start_catch_up(surfaces, app.client, catch_up)
        start_reminders(surfaces, poster, catch_up, ReminderLoop(pace=settings.remind_pace))
    return app
