"""Drive the real app the way Slack does: signed HTTP requests into its WSGI server,
with the Slack Web API and response_url played by a local stand-in that records calls."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_sdk.signature import SignatureVerifier

from bot.repository import CanonRepository
from bot.server import wsgi_app
from bot.settings import load_settings
from bot.slack_app import create_app
from support.paths import SHIPPED_CANON
from support.slack_standin import SlackStandIn

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-bot-token-123"


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Reply:
    status: int
    body: str
    seconds: float

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body) if self.body else {}  # type: ignore[no-any-return]


class RunningApp:
    """The Goals app behind a real HTTP server on 127.0.0.1, talking to `slack`."""

    def __init__(self, slack: SlackStandIn, canon_dir: Path = SHIPPED_CANON) -> None:
        self.slack = slack
        settings = load_settings({
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack.api_url,
            "GOALS_CANON_DIR": str(canon_dir),
        }, dotenv=None)
        self.app = create_app(settings, CanonRepository.open(settings.canon_dir))
        self.server = make_server("127.0.0.1", 0, wsgi_app(self.app),
                                  server_class=_ThreadingServer, handler_class=_QuietHandler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._responses = 0

    def __enter__(self) -> RunningApp:
        self._thread.start()
        # Creating the app called auth.test once; tests look only at what requests cause.
        assert [call.method for call in self.slack.calls()] == ["auth.test"]
        self.slack.reset()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # Raw HTTP -----------------------------------------------------------------------------

    def request(self, path: str, body: str = "", method: str = "POST",
                headers: dict[str, str] | None = None) -> Reply:
        data = body.encode() if method == "POST" else None
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers or {})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(req, timeout=10) as answer:
                return Reply(answer.status, answer.read().decode(), time.perf_counter() - started)
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read().decode(), time.perf_counter() - started)

    def signed(self, body: str, timestamp: int | None = None, secret: str = SIGNING_SECRET) -> Reply:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
        return self.request("/slack/events", body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature,
        })

    # Shaped like Slack's payloads ---------------------------------------------------------

    def new_response_url(self) -> str:
        self._responses += 1
        return self.slack.response_url(f"r{self._responses}")

    def command_body(self, text: str, user: str = "U111", channel: str = "C222",
                     team: str = "T333", response_url: str | None = None) -> str:
        return urllib.parse.urlencode({
            "token": "legacy-verification-token", "team_id": team, "team_domain": "acme",
            "channel_id": channel, "channel_name": "general", "user_id": user,
            "user_name": "pat", "command": "/goals", "text": text,
            "api_app_id": "A444", "response_url": response_url or self.new_response_url(),
            "trigger_id": "1.2.3",
        })

    def command(self, text: str, **kwargs: Any) -> Reply:
        return self.signed(self.command_body(text, **kwargs))

    def click_body(self, action_id: str, value: str, user: str = "U111", channel: str = "C222",
                   team: str = "T333", response_url: str | None = None) -> str:
        payload = {
            "type": "block_actions",
            "team": {"id": team, "domain": "acme"},
            "user": {"id": user, "username": "pat", "team_id": team},
            "api_app_id": "A444",
            "token": "legacy-verification-token",
            "container": {"type": "message", "message_ts": "1700000000.000100",
                          "channel_id": channel, "is_ephemeral": True},
            "trigger_id": "1.2.3",
            "channel": {"id": channel, "name": "general"},
            "response_url": response_url or self.new_response_url(),
            "actions": [{"action_id": action_id, "block_id": "b1", "value": value,
                         "type": "button", "action_ts": "1700000001.000200",
                         "text": {"type": "plain_text", "text": "button"}}],
        }
        return urllib.parse.urlencode({"payload": json.dumps(payload)})

    def click(self, action_id: str, value: str, **kwargs: Any) -> Reply:
        return self.signed(self.click_body(action_id, value, **kwargs))


def button(message: dict[str, Any], action_id: str) -> dict[str, Any]:
    """The button with `action_id` in a message's blocks (as Slack would show it)."""
    for block in message.get("blocks", []):
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("action_id") == action_id:
                return element  # type: ignore[no-any-return]
    raise AssertionError(f"no button {action_id!r} in the message")


def plain_texts(message: dict[str, Any]) -> list[str]:
    """Every text object's text in a message's blocks, in order."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("plain_text", "mrkdwn") and isinstance(node.get("text"), str):
                found.append(node["text"])
            else:
                for value in node.values():
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message.get("blocks", []))
    return found
