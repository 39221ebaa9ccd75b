"""One person's rate limit against everyone else's forms: people save drafts while Slack
answers every DM post with 429 and Retry-After 20 s, then another person clicks Draft targets;
timed is how long until Slack sees that person's `views.open` (a trigger lasts 3 s).

The Slack here is a stub of its own: it refuses chat.postMessage and views.publish with 429,
answers everything else, and notes when each views.open arrived.
"""

from __future__ import annotations

import json
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

from slack_sdk.signature import SignatureVerifier

from bench import servers
from bench.signed import SIGNING_SECRET, post
from bot.canon.repository import CanonRepository
from bot.frames.frameworks import Framework
from bot.goals.drafts.drafting import Drafting
from bot.goals.fields import placeholder_fields
from bot.goals.model import Owner
from bot.slack.drafts.form import new_draft_form
from bot.slack.shared.ids import DRAFT_ACTION, VALUE_ACTION
from bot.slack.shared.values import FrameRef
from bot.store.draft_files import DraftFiles

LIMITED = ("chat.postMessage", "views.publish")


class _Slack(BaseHTTPRequestHandler):
    opened: ClassVar[list[float]] = []  # when each views.open arrived

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        method = self.path.rsplit("/", 1)[-1]
        if method in LIMITED:
            body, status, extra = json.dumps({"ok": False, "error": "ratelimited"}).encode(), 429, {"Retry-After": "20"}
        else:
            if method == "views.open":
                _Slack.opened.append(time.monotonic())
            answer = {"ok": True, "user_id": "UBOT", "team_id": "TBENCH", "bot_id": "BBENCH",
                      "view": {"id": "V1", "hash": "1.1"}, "user": {"id": "U1", "tz": "Europe/Berlin"}}
            body, status, extra = json.dumps(answer).encode(), 200, {}
        self.send_response(status)
        for name, value in {"Content-Type": "application/json", "Content-Length": str(len(body)), **extra}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def _limited_slack() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Slack)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/api/"
    finally:
        server.shutdown()
        server.server_close()


def signed_payload(payload: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    body = urllib.parse.urlencode({"payload": json.dumps(payload)})
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp, body=body) or ""
    return body.encode(), {"Content-Type": "application/x-www-form-urlencoded",
                           "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}


def views_open_ms(repository: CanonRepository, people: int) -> float:
    """Milliseconds from another person's Draft targets click to its views.open reaching
    Slack, after `people` rate-limited saves."""
    _Slack.opened = []
    with _limited_slack() as api_url, tempfile.TemporaryDirectory() as data, \
            servers.goals(api_url, Path(data)) as served:
        drafting = Drafting(repository, DraftFiles(Path(data) / "scratch"))
        saves: list[dict[str, Any]] = []
        for n in range(people):
            owner = Owner(team="TBENCH", user=f"URATE{n}")
            started = drafting.start(owner, "clinical-trials-ops", "M2", Framework.OKR)
            assert started is not None and started.frame is not None
            form = new_draft_form(started)
            key = placeholder_fields(started.frame)[0].key
            saves.append({"type": "view_submission", "team": {"id": "TBENCH"}, "api_app_id": "ABENCH",
                          "user": {"id": owner.user, "team_id": "TBENCH"}, "trigger_id": f"{n}.1.rate",
                          "view": {**form, "id": f"V{n}", "team_id": "TBENCH", "hash": "1.1",
                                   "state": {"values": {key: {VALUE_ACTION: {"type": "plain_text_input",
                                                                             "value": "x"}}}}}})
        threads = [threading.Thread(target=post, args=(served, *signed_payload(save))) for save in saves]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        time.sleep(0.5)  # the saves' after-work has met Slack's 429s
        ref = FrameRef(family="clinical-trials-ops", level="M2", framework=Framework.OKR)
        click = {"type": "block_actions", "team": {"id": "TBENCH"}, "api_app_id": "ABENCH",
                 "user": {"id": "UOTHER", "team_id": "TBENCH"}, "trigger_id": "9.9.rate",
                 "channel": {"id": "CBENCH"}, "container": {"type": "message", "channel_id": "CBENCH"},
                 "actions": [{"action_id": DRAFT_ACTION, "value": ref.value(), "type": "button"}]}
        clicked = time.monotonic()
        post(served, *signed_payload(click))
        deadline = clicked + 60
        while not _Slack.opened and time.monotonic() < deadline:
            time.sleep(0.005)
        return ((_Slack.opened[0] if _Slack.opened else deadline) - clicked) * 1000
