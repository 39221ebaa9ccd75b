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
import inspect
import json
import logging
import uuid
from collections.abc import Callable
from typing import Any
from urllib.error import URLError

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.goals.storage import STORAGE_FAILURES
from bot.observe import count_store_error
from bot.slack.shared.delivery import Where, taken, tell_privately
from bot.slack.shared.layout import text_message

log = logging.getLogger("goals")


def apology(error_id: str) -> str:
    return (f"Sorry, something went wrong on our side (error id {error_id}). "
            "Please try again; if it keeps happening, give this id to whoever runs Goals.")


class PostUncertain(Exception):
    """Slack did not answer a DM post in time: it may have been posted all the same."""


def retry_after(error: BaseException) -> int | None:
    """The seconds Slack asked to wait, for a 429; None for anything else."""
    if not isinstance(error, SlackApiError) or getattr(error.response, "status_code", 200) != 429:
        return None
    headers = getattr(error.response, "headers", {}) or {}
    for name, value in headers.items():
        if name.lower() == "retry-after":
            text = str(value[0] if isinstance(value, list) else value).strip()
            return int(text) if text.isdecimal() else 1
    return 1


def slack_trouble(error: BaseException) -> str | None:
    """What to tell the person when Slack's Web API, not Goals, failed; None otherwise."""
    if isinstance(error, SlackApiError):
        status = getattr(error.response, "status_code", 200)
        if status == 429:
            wait = retry_after(error)
            if wait:  # not waited for here: that would hold a thread everyone's clicks share
                return f"Slack asked Goals to wait {wait} second{'s' * (wait != 1)} (rate limited)"
            return "Slack asked Goals to slow down (rate limited), even after waiting"
        if status >= 500:
            return f"Slack's servers answered with an error ({status})"
    if isinstance(error, TimeoutError | ConnectionError | URLError):
        return "Slack's servers did not answer in time"
    return None


# What a Slack call can fail with when Slack, not Goals, is the trouble (`delivery_trouble`).
SLACK_FAILURES: tuple[type[Exception], ...] = (SlackApiError, TimeoutError, ConnectionError, URLError, PostUncertain)


def delivery_trouble(error: BaseException) -> str | None:
    """What Slack's trouble was, for a message that could not be shown now after a change
    that is stored (it stays due for the catch-up); None for any other failure."""
    return "Slack did not answer in time" if isinstance(error, PostUncertain) else slack_trouble(error)


def storage_trouble(error: BaseException) -> str | None:
    """What to tell the person when Goals' own store failed (a database unreachable, a
    connection or a statement timed out, a disk refused); None otherwise."""
    if isinstance(error, STORAGE_FAILURES):  # after slack_trouble: Slack's network errors are told as Slack's
        return "Goals could not read or save its records just now"
    return None


def _report(error: BaseException) -> str:
    """Log the error under a new id; the message the person gets says what failed."""
    error_id = uuid.uuid4().hex[:10]
    if isinstance(error, STORAGE_FAILURES):
        count_store_error()
    if slack_trouble(error):
        log.warning("error id %s: the Slack Web API failed (%s)", error_id, type(error).__name__, exc_info=error)
    else:
        log.error("error id %s: %s", error_id, type(error).__name__, exc_info=error)
    return error_id


def _answer(error: BaseException, error_id: str) -> str:
    if isinstance(error, PostUncertain):
        return (f"Slack did not answer in time, so Goals cannot tell yet whether your draft's message "
                f"reached your DM (error id {error_id}). Your draft is saved; Goals checks and shows it "
                "there once, within a minute.")
    trouble = slack_trouble(error) or storage_trouble(error)
    if trouble is None:
        return apology(error_id)
    return (f"{trouble}, so this did not go through (error id {error_id}). Nothing you saved is lost; "
            "please try again in a minute.")


def _first_input(body: dict[str, Any]) -> str | None:
    """The block id of a submitted form's first input, to show an error beside."""
    view = body.get("view")
    blocks = view.get("blocks") if isinstance(view, dict) else None
    for block in blocks if isinstance(blocks, list) else []:
        if isinstance(block, dict) and block.get("type") == "input" and isinstance(block.get("block_id"), str):
            return str(block["block_id"])
    return None


def _json(answer: dict[str, Any]) -> BoltResponse:
    return BoltResponse(status=200, headers={"content-type": "application/json"}, body=json.dumps(answer))


def answer_in_place(body: dict[str, Any], text: str) -> dict[str, Any] | None:
    """`text` as the answer to the request itself, where a person waits on it: privately to a
    command, beside the first field of a form (which stays open with everything typed in
    it). None for a request whose answer shows nothing (a click, an event)."""
    if body.get("command"):
        return {"response_type": "ephemeral", "text": text}
    if body.get("type") == "view_submission" and (block := _first_input(body)):
        return {"response_action": "errors", "errors": {block: text}}
    return None


def failed_before_listeners(error: BaseException, body: dict[str, Any],
                            client: WebClient | None = None) -> dict[str, Any] | None:
    """Report `error` (logged under a new id); the answer to give, if any. A command or a form
    is answered in place; a click is told privately, through its response_url (or the
    person's DM, for a click on the Home tab), and acknowledged with nothing; None for
    anything else (an event: Slack sends it again) or a click that cannot be told."""
    text = _answer(error, _report(error))
    if (answer := answer_in_place(body, text)) is not None:
        return answer
    if body.get("type") != "block_actions":
        return None
    url, user = body.get("response_url"), (body.get("user") or {}).get("id")
    try:
        if isinstance(url, str) and url.startswith(("https://", "http://")):
            sent = WebhookClient(url, timeout=5).send(text=text, response_type="ephemeral", replace_original=False)
            if sent.status_code != 200:
                return None
        elif client is not None and isinstance(user, str) and user:
            client.chat_postMessage(channel=user, text=text)
        else:
            return None
    except Exception:  # Slack cannot be told either: let it send the click again
        log.warning("could not tell the person their click was not recorded")
        return None
    return {}


def register(app: App) -> None:
    def on_error(error: Exception, body: dict[str, Any], respond: Any) -> BoltResponse | None:
        """Runs when an ack fails, before anything was answered: the apology is the answer."""
        error_id = _report(error)
        text = _answer(error, error_id)
        if (answer := answer_in_place(body, text)) is not None:
            return _json(answer)
        deliver_apology(respond, None, None, text, error_id)
        return None

    app.error(on_error)


# What an apology needs to reach the person, whatever the listener itself asks for.
_TO_APOLOGISE = ("respond", "client", "context")


def guarded(func: Callable[..., None]) -> Callable[..., None]:
    """Run a lazy listener; on an exception, log it and apologise privately.

    Bolt passes a listener only the arguments its signature names, so the wrapper names
    the listener's own and `_TO_APOLOGISE` too, and hands the listener just its own: a
    listener that needs no `context` can still be apologised for in the person's DM.
    """
    signature = inspect.signature(func)
    own = list(signature.parameters)
    extra = [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD)
             for name in _TO_APOLOGISE if name not in own]

    def wrapper(**kwargs: Any) -> None:
        try:
            func(**{name: kwargs[name] for name in own if name in kwargs})
        except Exception as error:  # nothing may escape to the person
            error_id = _report(error)
            text = _answer(error, error_id)
            deliver_apology(kwargs.get("respond"), kwargs.get("client"), kwargs.get("context"), text, error_id)

    functools.update_wrapper(wrapper, func)  # the name: Bolt runs lazy listeners by name
    # Bolt reads the arguments of what __wrapped__ names; without it, the wrapper's signature.
    del wrapper.__wrapped__  # type: ignore[attr-defined]
    wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*signature.parameters.values(), *extra])
    return wrapper


def deliver_apology(respond: Any, client: Any, context: Any, text: str, error_id: str) -> None:
    """Tell the person privately (`delivery.tell_privately`: the response_url, else their DM
    with the app) without ever raising: the apology itself failing must not fail again."""
    reply = respond if respond is not None and getattr(respond, "response_url", True) else None
    user = getattr(context, "user_id", None)
    try:
        if client is None or not user:  # nothing but the response_url to answer through
            if reply is None or not taken(reply(text=text, response_type="ephemeral", replace_original=False)):
                log.warning("no way to deliver the apology for error id %s", error_id)
            return
        where = Where(team=getattr(context, "team_id", None) or "", user=user, channel=None)
        tell_privately(reply, client, where, text_message(text))
    except Exception:
        log.warning("could not deliver the apology for error id %s", error_id)
