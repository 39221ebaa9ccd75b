"""The HTTP app: `/healthz`, then the gate (signature, replay, shape), then Bolt."""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.goals.model import ID
from bot.goals.storage import STORAGE_FAILURES, Stores
from bot.observe import count_request, count_store_error, exposition, in_request, request_kind
from bot.settings import Settings
from bot.slack.shared.errors import failed_before_listeners
from bot.web.bolt_handler import GoalsRequestHandler
from bot.web.envelope import read_body
from bot.web.gate import Gate

log = logging.getLogger("goals")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"  # counts only: no person, team or typed value (bot.observe)
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
        if path == METRICS_PATH and method in ("GET", "HEAD"):
            text, content_type = exposition()
            start_response("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(text)))])
            return [text]
        if path != EVENTS_PATH:
            return _plain(start_response, "404 Not Found", b"not found\n")
        if method != "POST":
            return _plain(start_response, "405 Method Not Allowed", b"POST only\n")
        length = environ.get("CONTENT_LENGTH") or "0"
        if not length.isdecimal() or int(length) > MAX_BODY_BYTES:  # isdecimal: int() refuses "²"
            return _plain(start_response, "413 Payload Too Large", b"too large\n")
        started = time.perf_counter()
        body = environ["wsgi.input"].read(int(length))
        environ["wsgi.input"] = io.BytesIO(body)  # Bolt reads the body again
        content_type = environ.get("CONTENT_TYPE", "")
        kind, team = _kind_and_team(body, content_type)
        statuses: list[str] = []

        def answered(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            statuses.append(status)
            return start_response(status, headers, *rest)

        with in_request(kind, team):
            try:
                return _events(environ, answered, body, content_type)
            finally:
                count_request(kind, _outcome(statuses[-1] if statuses else "500"), time.perf_counter() - started)

    def _events(environ: dict[str, Any], start_response: StartResponse, body: bytes,
                content_type: str) -> Iterable[bytes]:
        if gate is not None:
            headers = {key[5:].replace("_", "-").lower(): str(value)
                       for key, value in environ.items() if key.startswith("HTTP_")}
            headers["content-type"] = content_type
            try:
                refusal = gate.refusal(body, headers)
            except STORAGE_FAILURES as error:  # the replay memory cannot say: act on nothing
                count_store_error()
                return _unchecked(start_response, body, content_type, error, app.client)
            if refusal is not None:
                log.info("refused a request: %s", refusal.reason)
                return _plain(start_response, refusal.status, f"{refusal.reason}\n".encode())
        return slack(environ, start_response)

    return application


def _kind_and_team(body: bytes, content_type: str) -> tuple[str, str | None]:
    """What kind of request this is and which team sent it, for counts and log lines; a body
    the gate will refuse is of kind "other"."""
    try:
        payload = read_body(body.decode("utf-8"), content_type)
        team = payload.get("team_id") or payload.get("team")
        team = team.get("id") if isinstance(team, dict) else team
        return request_kind(payload), team if isinstance(team, str) and ID.fullmatch(team) else None
    except Exception:  # counting and logging never stand in the way of answering
        return "other", None


def _outcome(status: str) -> str:
    code = status.split(" ", 1)[0]
    return "ok" if code.startswith("2") else "error" if code.startswith("5") else "refused"


def _unchecked(start_response: StartResponse, body: bytes, content_type: str, error: Exception,
               client: WebClient) -> list[bytes]:
    """A signed request the replay memory could not check: nothing is done for it, and no
    record of it is kept, so the same click works once the store is back. The person is told
    so privately (a command or a form in place, a click through its response_url; a replay
    can get no more than that); anything else is refused with 503, for Slack to send again."""
    try:
        answer = failed_before_listeners(error, read_body(body.decode("utf-8"), content_type), client)
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
