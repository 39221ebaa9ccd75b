"""Forms while Slack is slow: people save drafts and start new ones at once while Slack answers
every call in 2 s; timed is how long from each `/goals draft` to its `views.open` reaching
Slack (a trigger lasts 3 s), with the saves' DM messages and Home tabs waiting on Slack too.

The Slack here is a stub of its own: it notes when each views.open arrived (by trigger id),
then sleeps 2 s before answering any call.
"""

from __future__ import annotations

import json
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

from bench import servers
from bench.rate_limits import signed_payload
from bench.signed import command_request, post
from bot.canon.repository import CanonRepository
from bot.frames.frameworks import Framework
from bot.goals.drafts.drafting import Drafting
from bot.goals.fields import placeholder_fields
from bot.goals.model import Owner
from bot.slack.drafts.form import new_draft_form
from bot.slack.shared.ids import VALUE_ACTION
from bot.store.draft_files import DraftFiles

ANSWER_SECONDS = 2.0


class _Slow(BaseHTTPRequestHandler):
    opened: ClassVar[dict[str, float]] = {}  # when each views.open arrived, by trigger id

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.endswith("/views.open"):
            try:
                trigger = str(json.loads(raw).get("trigger_id"))
            except ValueError:
                trigger = "?"
            _Slow.opened[trigger] = time.monotonic()
        time.sleep(ANSWER_SECONDS)
        answer = {"ok": True, "user_id": "UBOT", "team_id": "TBENCH", "bot_id": "BBENCH", "channel": "DBENCH",
                  "ts": "1.1", "view": {"id": "V1", "hash": "1.1"}, "user": {"id": "U1", "tz": "Europe/Berlin"}}
        body = json.dumps(answer).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the app stopped waiting (it is being shut down): nothing left to tell it

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def _slow_slack() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/api/"
    finally:
        server.shutdown()
        server.server_close()


def form_delays_ms(repository: CanonRepository, people: int) -> list[float]:
    """Milliseconds from each of `people` `/goals draft` commands to its views.open reaching
    Slack, while as many people save a draft at the same moment."""
    _Slow.opened = {}
    with _slow_slack() as api_url, tempfile.TemporaryDirectory() as data, \
            servers.goals(api_url, Path(data)) as served:
        drafting = Drafting(repository, DraftFiles(Path(data) / "scratch"))
        saves = []
        for n in range(people):
            owner = Owner(team="TBENCH", user=f"USAVE{n}")
            started = drafting.start(owner, "clinical-trials-ops", "M2", Framework.OKR)
            assert started is not None and started.frame is not None
            form = new_draft_form(started)
            key = placeholder_fields(started.frame)[0].key
            saves.append(signed_payload({
                "type": "view_submission", "team": {"id": "TBENCH"}, "api_app_id": "ABENCH",
                "user": {"id": owner.user, "team_id": "TBENCH"}, "trigger_id": f"{n}.1.save",
                "view": {**form, "id": f"V{n}", "team_id": "TBENCH", "hash": "1.1",
                         "state": {"values": {key: {VALUE_ACTION: {"type": "plain_text_input", "value": "x"}}}}}}))
        sent: dict[str, float] = {}

        def start_draft(n: int) -> None:
            body, headers = command_request("draft M2 clinical-trials-ops okr", user=f"UFORM{n}")
            trigger = next(part.split("=", 1)[1] for part in body.decode().split("&") if part.startswith("trigger_id="))
            sent[trigger] = time.monotonic()
            post(served, body, headers)

        threads: list[threading.Thread] = []
        for n in range(people):
            threads.append(threading.Thread(target=post, args=(served, *saves[n])))
            threads.append(threading.Thread(target=start_draft, args=(n,)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        deadline = time.monotonic() + 60
        while len(set(sent) & set(_Slow.opened)) < len(sent) and time.monotonic() < deadline:
            time.sleep(0.01)
        return [((_Slow.opened.get(trigger) or deadline) - at) * 1000 for trigger, at in sent.items()]
