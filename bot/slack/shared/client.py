"""The Slack Web API client: retries on rate limits, server errors and dropped connections,
every call counted by method and outcome (`bot.observe`), and the start-up check of the
tokens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryHandler, RetryState
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.web import SlackResponse

from bot.observe import count_slack_call
from bot.settings import Settings, SettingsError
from bot.slack.shared.errors import slack_trouble


class RetryNowOnly(RateLimitErrorRetryHandler):
    """A 429 is retried only when Slack says to retry at once (Retry-After: 0). A longer wait
    must not sleep in the thread pool everyone's clicks share: the call fails at once, and
    what it was for is told, or done later on a schedule of its own (`slack.catch_up`)."""

    def _can_retry(self, *, state: RetryState, request: HttpRequest, response: HttpResponse | None = None,
                   error: Exception | None = None) -> bool:
        if response is None or response.status_code != 429:
            return False
        waits = [value for name, values in response.headers.items() if name.lower() == "retry-after"
                 for value in values]
        return all(wait.strip() == "0" for wait in waits) and bool(waits)


class CountedClient(WebClient):
    """A WebClient whose every call is counted: ok, rate_limited, server_error, unreachable,
    or Slack's error code."""

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:
        try:
            response = super().api_call(api_method, **kwargs)
        except SlackApiError as error:
            status = error.response.status_code
            said = error.response.get("error") if isinstance(error.response.data, dict) else None
            count_slack_call(api_method, "rate_limited" if status == 429 else "server_error" if status >= 500
                             else str(said or status))
            raise
        except (OSError, URLError):
            count_slack_call(api_method, "unreachable")
            raise
        count_slack_call(api_method, "ok")
        return response


def counted(client: WebClient) -> CountedClient:
    """The same client (token, team, retries), counted: Bolt makes a plain one per request."""
    return CountedClient(token=client.token, base_url=client.base_url, timeout=client.timeout, ssl=client.ssl,
                         proxy=client.proxy, headers=client.headers, team_id=client.default_params.get("team_id"),
                         logger=client.logger,
                         retry_handlers=list(client.retry_handlers or []))


def create_client(settings: Settings, *, resend: bool = True) -> WebClient:
    """A 429 is retried only when Slack says to retry at once (`RetryNowOnly`); 5xx and
    dropped connections are retried briefly, unless `resend` is off, for calls that must not
    happen twice (a DM post)."""
    retries: list[RetryHandler] = [RetryNowOnly(max_retry_count=2)]
    if resend:
        retries += [ServerErrorRetryHandler(max_retry_count=1), ConnectionErrorRetryHandler(max_retry_count=1)]
    return CountedClient(token=settings.bot_token.get_secret_value(), base_url=settings.slack_api_url,
                         timeout=settings.slack_timeout, retry_handlers=retries)


def check_token(settings: Settings) -> None:
    """Ask Slack whether the bot token works (and, for Socket Mode, the app-level token), so a
    bad one stops start-up in one line."""
    client = create_client(settings)
    _checked("SLACK_BOT_TOKEN", settings, client.auth_test)
    if settings.app_token is not None:
        app_token = settings.app_token.get_secret_value()
        # The URL it issues is left unused; it expires on its own.
        _checked("SLACK_APP_TOKEN", settings, lambda: client.apps_connections_open(app_token=app_token))


def _checked(name: str, settings: Settings, call: Callable[[], object]) -> None:
    try:
        call()
    except SlackApiError as error:
        if trouble := slack_trouble(error):  # Slack's outage, not the token's fault
            raise SettingsError(f"could not check {name}: {trouble} at {settings.slack_api_url} "
                                "(SLACK_API_URL); try again shortly") from None
        raise SettingsError(f"{name} was refused by Slack ({error.response.get('error')})") from None
    except OSError as error:
        raise SettingsError(f"cannot reach the Slack Web API at {settings.slack_api_url} "
                            f"(SLACK_API_URL): {error}") from None
