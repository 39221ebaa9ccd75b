"""What a person sees when something breaks: a short apology with an error id.

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

from slack_bolt import App, BoltResponse

log = logging.getLogger("goals")


def apology(error_id: str) -> str:
    return (f"Sorry, something went wrong on our side (error id {error_id}). "
            "Please try again; if it keeps happening, give this id to whoever runs Goals.")


def _report(error: BaseException) -> str:
    error_id = uuid.uuid4().hex[:10]
    log.error("error id %s: %s", error_id, type(error).__name__, exc_info=error)
    return error_id


def register(app: App) -> None:
    def on_error(error: Exception, body: dict[str, Any], respond: Any) -> BoltResponse | None:
        error_id = _report(error)
        if body.get("command"):
            # The command was not acked yet: the apology becomes the HTTP answer itself.
            return BoltResponse(status=200, headers={"content-type": "application/json"},
                                body=json.dumps({"response_type": "ephemeral", "text": apology(error_id)}))
        _tell(respond, error_id)
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
            if not _tell(kwargs.get("respond"), error_id):
                _tell_in_dm(kwargs.get("client"), kwargs.get("context"), error_id)

    return wrapper


def _tell(respond: Any, error_id: str) -> bool:
    """Apologise through the response_url; False where there is none (Home tab, forms)."""
    if respond is None or not getattr(respond, "response_url", True):
        return False
    try:
        respond(text=apology(error_id), response_type="ephemeral", replace_original=False)
    except Exception:  # the apology itself failing must not raise again
        log.warning("could not deliver the apology for error id %s", error_id)
        return False
    return True


def _tell_in_dm(client: Any, context: Any, error_id: str) -> None:
    user = getattr(context, "user_id", None)
    if client is None or not user:
        log.warning("no way to deliver the apology for error id %s", error_id)
        return
    try:
        client.chat_postMessage(channel=user, text=apology(error_id))
    except Exception:
        log.warning("could not deliver the apology for error id %s", error_id)
