"""The HTTP app: `/healthz`, then the gate (signature, replay, shape), then Bolt."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App

from bot.goals.storage import STORAGE_FAILURES, Stores
from bot.settings import Settings
from bot.slack.shared.errors import failed_before_listeners
from bot.web.bolt_handler import GoalsRequestHandler
from bot.web.envelope import read_body
from bot.web.gate import Gate

log = logging.getLogger("goals")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Slack's payloads are a few kB; anything far larger is refused before it is parsed.
MAX_BODY_BYTES = 1_000_000

StartResponse = Callable[..., Any]
Wsgi = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def http_app(settings: Settings, app: App, stores: Stores) -> Wsgi:
    """`app` as gunicorn's workers and the tests serve it: behind the gate, which remembers
    signatures in `stores.replay`."""
    gate = Gate(settings.signing_secret.get_secret_value(), stores.replay) if settings.signing_secret else None
    return wsgi_app(app, gate, stores)


def wsgi_app(app: App, gate: Gate | None, stores: Stores | None = None) -> Wsgi:
    """`app` behind the health check and `gate` (None: no gate, as in Bolt's own tests). The
    health check is 200 only while `stores` can be written: a balancer stops sending
    requests to a host that cannot take them, and sends them again when it can."""
    slack = GoalsRequestHandler(app)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            trouble = stores.trouble() if stores is not None else None
            if trouble is not None:
                return _plain(start_response, "503 Service Unavailable", f"{trouble}\n".encode())
            return _plain(start_response, "200 OK", b"ok\n")
        if path != EVENTS_PATH:
            return _plain(start_response, "404 Not Found", b"not found\n")
        if method != "POST":
            return _plain(start_response, "405 Method Not Allowed", b"POST only\n")
        length = environ.get("CONTENT_LENGTH") or "0"
        if not length.isdecimal() or int(length) > MAX_BODY_BYTES:  # isdecimal: int() refuses "²"
            return _plain(start_response, "413 Payload Too Large", b"too large\n")
        if gate is not None:
            body = environ["wsgi.input"].read(int(length))
            headers = {key[5:].replace("_", "-").lower(): str(value)
                       for key, value in environ.items() if key.startswith("HTTP_")}
            headers["content-type"] = environ.get("CONTENT_TYPE", "")
            try:
                refusal = gate.refusal(body, headers)
            except STORAGE_FAILURES as error:  # the replay memory cannot say: act on nothing
                return _unchecked(start_response, body, headers["content-type"], error)
            if refusal is not None:
                log.info("refused a request: %s", refusal.reason)
                return _plain(start_response, refusal.status, f"{refusal.reason}\n".encode())
            environ["wsgi.input"] = io.BytesIO(body)  # Bolt reads the body again
        return slack(environ, start_response)

    return application


def _unchecked(start_response: StartResponse, body: bytes, content_type: str, error: Exception) -> list[bytes]:
    """A signed request the replay memory could not check: nothing is done for it. A person
    waiting on it (a command, a form) is told so privately, a replay can get no more than
    that; anything else is refused with 503, for Slack to send again."""
    try:
        answer = failed_before_listeners(error, read_body(body.decode("utf-8"), content_type))
    except (UnicodeDecodeError, ValueError, RecursionError):  # the gate refuses those shapes first
        answer = None
    if answer is None:
        return _plain(start_response, "503 Service Unavailable", b"storage unavailable\n")
    payload = json.dumps(answer).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
    return [payload]


def _plain(start_response: StartResponse, status: str, body: bytes) -> list[bytes]:
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
