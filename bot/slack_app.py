"""The Bolt app: a Web API client with retries, request verification, and the listeners."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.draft_store import DraftStore
from bot.drafting import Drafting
from bot.listeners import register_all
from bot.listeners.errors import slack_trouble
from bot.repository import CanonRepository
from bot.settings import Settings, SettingsError


def create_client(settings: Settings) -> WebClient:
    return WebClient(
        token=settings.bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=settings.slack_timeout,
        # 429s wait for Retry-After; 5xx and dropped connections are retried briefly.
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=1),
            ConnectionErrorRetryHandler(max_retry_count=1),
        ],
    )


def check_token(settings: Settings) -> None:
    """Ask Slack whether the bot token works, so a bad one stops start-up in one line."""
    try:
        create_client(settings).auth_test()
    except SlackApiError as error:
        if trouble := slack_trouble(error):  # Slack's outage, not the token's fault
            raise SettingsError(f"could not check SLACK_BOT_TOKEN: {trouble} at {settings.slack_api_url} "
                                "(SLACK_API_URL); try again shortly") from None
        raise SettingsError(f"SLACK_BOT_TOKEN was refused by Slack ({error.response.get('error')})") from None
    except OSError as error:
        raise SettingsError(f"cannot reach the Slack Web API at {settings.slack_api_url} "
                            f"(SLACK_API_URL): {error}") from None


def create_app(settings: Settings, repository: CanonRepository) -> App:
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
    register_all(app, repository, Drafting(repository, DraftStore(settings.data_dir)))
    return app
