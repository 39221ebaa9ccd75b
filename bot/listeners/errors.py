"""What a person sees when something breaks: a short message with an error id.

When Slack's Web API fails (server errors, rate limits beyond the retries, timeouts), the
message says that Slack did not answer and to try again; anything else is our fault and
gets an apology.

The traceback goes to the log under the same id, never to Slack. Bolt's error handler
covers listeners that fail before or while acking; `guarded` covers lazy listeners, which
run after the ack where Bolt's handler does not reach.
"""

from __future__ import annotations

import functools
import json
import logging
import uuid
from collections.abc import Callable
from typing import Any
from urllib.error import URLError

from slack_bolt import App, BoltResponse
from slack_sdk.errors import SlackApiError

log = logging.getLogger("goals")


def apology(error_id: str) -> str:
    return (f"Sorry, something went wrong on our side (error id {error_id}). "
            "Please try again; if it keeps happening, give this id to whoever runs Goals.")


def slack_trouble(error: BaseException) -> str | None:
    """What to tell the person when Slack's Web API, not Goals, failed; None otherwise."""
    if isinstance(error, SlackApiError):
        status = getattr(error.response, "status_code", 200)
        if status == 429:
            return "Slack asked Goals to slow down (rate limited), even after waiting"
        if status >= 500:
            return f"Slack's servers answered with an error ({status})"
    if isinstance(error, TimeoutError | ConnectionError | URLError):
        return "Slack's servers did not answer in time"
    return None


def _report(error: BaseException) -> str:
    """Log the error under a new id; the message the person gets says what failed."""
    error_id = uuid.uuid4().hex[:10]
    if slack_trouble(error):
        log.warning("error id %s: the Slack Web API failed (%s)", error_id, type(error).__name__, exc_info=error)
    else:
        log.error("error id %s: %s", error_id, type(error).__name__, exc_info=error)
    return error_id


def _answer(error: BaseException, error_id: str) -> str:
    trouble = slack_trouble(error)
    if trouble is None:
        return apology(error_id)
    return (f"{trouble}, so this did not go through (error id {error_id}). Nothing you saved is lost; "
            "please try again in a minute.")


def register(app: App) -> None:
    def on_error(error: Exception, body: dict[str, Any], respond: Any) -> BoltResponse | None:
        error_id = _report(error)
        if body.get("command"):
            # The command was not acked yet: the apology becomes the HTTP answer itself.
            return BoltResponse(status=200, headers={"content-type": "application/json"},
                                body=json.dumps({"response_type": "ephemeral", "text": _answer(error, error_id)}))
        _tell(respond, _answer(error, error_id), error_id)
        return None

    app.error(on_error)


def guarded(func: Callable[..., None]) -> Callable[..., None]:
    """Run a lazy listener; on an exception, log it and apologise privately."""

    @functools.wraps(func)  # Bolt injects arguments by the wrapped function's parameter names
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            func(*args, **kwargs)
        except Exception as error:  # nothing may escape to the person
            error_id = _report(error)
            text = _answer(error, error_id)
            if not _tell(kwargs.get("respond"), text, error_id):
                _tell_in_dm(kwargs.get("client"), kwargs.get("context"), text, error_id)

    return wrapper


def _tell(respond: Any, text: str, error_id: str) -> bool:
    """Say it through the response_url; False where there is none (Home tab, forms)."""
    if respond is None or not getattr(respond, "response_url", True):
        return False
    try:
        respond(text=text, response_type="ephemeral", replace_original=False)
    except Exception:  # the apology itself failing must not raise again
        log.warning("could not deliver the apology for error id %s", error_id)
        return False
    return True


def _tell_in_dm(client: Any, context: Any, text: str, error_id: str) -> None:
    user = getattr(context, "user_id", None)
    if client is None or not user:
        log.warning("no way to deliver the apology for error id %s", error_id)
        return
    try:
        client.chat_postMessage(channel=user, text=text)
    except Exception:
        log.warning("could not deliver the apology for error id %s", error_id)
