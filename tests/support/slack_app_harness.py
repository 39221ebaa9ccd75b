"""Drive the real app the way Slack does: signed HTTP requests into its WSGI server,
with the Slack Web API and response_url played by a local stand-in that records calls."""

from __future__ import annotations

import itertools
import json
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import Executor, Future, wait
from dataclasses import dataclass
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_sdk.signature import SignatureVerifier

from bot.canon.repository import CanonRepository
from bot.settings import load_settings
from bot.slack.app import create_app
from bot.slack.drafts.catch_up import CatchUp
from bot.store.factory import open_stores
from bot.web.wsgi import http_app
from support.paths import SHIPPED_CANON
from support.slack_standin import SlackStandIn, refused_base_url

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


class LazyTracker:
    """Stands in for Bolt's executors of lazy listeners (its own, and Goals' pool for those
    that open forms), so a test can wait until every lazy listener a request started has
    finished (and made all its Slack calls)."""

    def __init__(self) -> None:
        self._futures: list[Future[Any]] = []
        self._lock = threading.Lock()

    def tracking(self, inner: Executor) -> Executor:
        tracker = self

        class Tracked(Executor):
            def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
                future = inner.submit(fn, *args, **kwargs)
                with tracker._lock:
                    tracker._futures.append(future)
                return future

            def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
                inner.shutdown(wait, cancel_futures=cancel_futures)

        return Tracked()

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until no lazy listener is running and none is queued; fail after `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                futures, self._futures = self._futures, []
            if not futures:
                return
            _, pending = wait(futures, max(0.0, deadline - time.monotonic()))
            if pending:
                with self._lock:  # still to wait for, should anyone settle again
                    self._futures[:0] = [future for future in futures if future in pending]
                raise AssertionError(f"{len(pending)} lazy listener(s) still running after {timeout}s")


MODAL_ID = "VMODAL0001"  # a clicked modal's id, unless the test's view says otherwise


class RunningApp:
    """The Goals app behind a real HTTP server on 127.0.0.1, talking to `slack`."""

    def __init__(self, slack: SlackStandIn, canon_dir: Path = SHIPPED_CANON, data_dir: Path | None = None,
                 env: dict[str, str] | None = None, catch_up: CatchUp | None = None) -> None:
        self.slack = slack
        # Each app gets its own draft store unless a test shares one (a restart, two workers).
        self.data_dir = data_dir or Path(tempfile.mkdtemp(prefix="goals-data-"))
        settings = load_settings({
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack.api_url,
            "GOALS_CANON_DIR": str(canon_dir),
            "GOALS_DATA_DIR": str(self.data_dir),
            **(env or {}),
        }, dotenv=None)
        self.stores = open_stores(settings.store)
        self._catch_up = catch_up
        self.app = create_app(settings, CanonRepository.open(settings.canon_dir), self.stores,
                              catch_up=catch_up)
        # Bolt starts a request's lazy listeners before it answers; `settle` waits for them.
        runner = self.app.listener_runner.lazy_listener_runner
        self.lazy = LazyTracker()
        runner.executor = self.lazy.tracking(runner.executor)  # type: ignore[attr-defined]
        runner.forms = self.lazy.tracking(runner.forms)  # type: ignore[attr-defined]
        self.server = make_server("127.0.0.1", 0, http_app(settings, self.app, self.stores),
                                  server_class=_ThreadingServer, handler_class=_QuietHandler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._responses = 0
        self._triggers = itertools.count(1)

    def __enter__(self) -> RunningApp:
        self._thread.start()
        if self._catch_up is not None:  # its first look may already be calling Slack: the test watches
            return self
        # Creating the app called auth.test once; tests look only at what requests cause.
        assert [call.method for call in self.slack.calls()] == ["auth.test"]
        self.slack.reset()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self._catch_up is not None:
            self._catch_up.close()
        self.stores.close()

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until every lazy listener that the requests so far started has finished, so
        that all the Slack calls they make are recorded; fail the test if that takes `timeout`
        seconds. Then a test can assert that something did not happen."""
        self.lazy.settle(timeout)

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

    def signed(self, body: str, timestamp: int | None = None, secret: str = SIGNING_SECRET,
               content_type: str = "application/x-www-form-urlencoded") -> Reply:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
        return self.request("/slack/events", body, headers={
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature,
        })

    # Shaped like Slack's payloads ---------------------------------------------------------

    def new_response_url(self) -> str:
        self._responses += 1
        return self.slack.response_url(f"r{self._responses}")

    def unusable_response_url(self, how: str) -> str:
        """A response_url that takes no more messages: "expired" (Slack answers 404, after 30
        minutes or five uses) or "unreachable" (the connection is refused)."""
        if how == "unreachable":
            return f"{refused_base_url()}/response/gone"
        url = self.new_response_url()
        self.slack.expire_response_url(url.rsplit("/", 1)[1])
        return url

    def command_body(self, text: str, user: str = "U111", channel: str = "C222",
                     team: str = "T333", response_url: str | None = None, trigger_id: str = "1.2.3") -> str:
        return urllib.parse.urlencode({
            "token": "legacy-verification-token", "team_id": team, "team_domain": "acme",
            "channel_id": channel, "channel_name": "general", "user_id": user,
            "user_name": "pat", "command": "/goals", "text": text,
            "api_app_id": "A444", "response_url": response_url or self.new_response_url(),
            "trigger_id": trigger_id,
        })

    def command(self, text: str, **kwargs: Any) -> Reply:
        return self.signed(self.command_body(text, **kwargs))

    def click_body(self, action_id: str, value: str, user: str = "U111", channel: str = "C222",
                   team: str = "T333", response_url: str | None = None, where: str = "ephemeral",
                   enterprise: str | None = None, view: dict[str, Any] | None = None) -> str:
        """A button click; `where` the button was: an "ephemeral" answer, a "message"
        (e.g. in the app's DM), the "home" tab (no channel, no response_url) or a "modal"
        (`view`, as the app sent it; no channel, no response_url)."""
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": {"id": team, "domain": "acme", **({"enterprise_id": enterprise} if enterprise else {})},
            "enterprise": {"id": enterprise, "name": "Acme Org"} if enterprise else None,
            "user": {"id": user, "username": "pat", "team_id": team},
            "api_app_id": "A444",
            "token": "legacy-verification-token",
            "trigger_id": f"{next(self._triggers)}.2.3",
            "actions": [{"action_id": action_id, "block_id": "b1", "value": value,
                         "type": "button", "action_ts": "1700000001.000200",
                         "text": {"type": "plain_text", "text": "button"}}],
        }
        if where == "home":
            payload["container"] = {"type": "view", "view_id": "VHOME"}
            payload["view"] = {"id": "VHOME", "type": "home"}
        elif where == "modal":
            shown = {**(view or {}), "id": (view or {}).get("id", MODAL_ID), "hash": "1700000000.abc",
                     "type": "modal", "state": {"values": {}}}
            payload["container"] = {"type": "view", "view_id": shown["id"]}
            payload["view"] = shown
        else:
            payload["container"] = {"type": "message", "message_ts": "1700000000.000100",
                                    "channel_id": channel, "is_ephemeral": where == "ephemeral"}
            payload["channel"] = {"id": channel, "name": "general"}
            payload["response_url"] = response_url or self.new_response_url()
        return urllib.parse.urlencode({"payload": json.dumps(payload)})

    def click(self, action_id: str, value: str, **kwargs: Any) -> Reply:
        return self.signed(self.click_body(action_id, value, **kwargs))

    def pick(self, action_id: str, value: str, block_id: str = "b1",
             state: dict[str, Any] | None = None, **kwargs: Any) -> Reply:
        """An option picked in a static select: `value` is the option's; `state` the other
        selects' state.values as Slack sends them (the Home tab's view, a message's)."""
        payload = json.loads(urllib.parse.parse_qs(self.click_body(action_id, value, **kwargs))["payload"][0])
        payload["actions"] = [{"action_id": action_id, "block_id": block_id, "type": "static_select",
                               "selected_option": {"text": {"type": "plain_text", "text": "option"},
                                                   "value": value},
                               "action_ts": "1700000001.000200"}]
        if state is not None:
            payload["state"] = {"values": state}
            if "view" in payload:
                payload["view"]["state"] = {"values": state}
        return self.signed(urllib.parse.urlencode({"payload": json.dumps(payload)}))

    def submit_body(self, view: dict[str, Any], entries: dict[str, str], user: str = "U111",
                    team: str = "T333", view_id: str | None = None, channel: str | None = None,
                    response_url: str | None = None) -> str:
        """A view_submission of `view` (as the app sent it) with `entries` typed or picked,
        by block_id; each entry's shape follows the input the view has there."""
        values: dict[str, Any] = {}
        for block in view.get("blocks", []):
            if block.get("type") != "input" or block["block_id"] not in entries:
                continue
            element, entry = block["element"], entries[block["block_id"]]
            kind = element["type"]
            if kind == "datepicker":
                state = {"type": kind, "selected_date": entry or None}
            elif kind == "conversations_select":
                state = {"type": kind, "selected_conversation": entry or None}
            elif kind == "users_select":
                state = {"type": kind, "selected_user": entry or None}
            elif kind in ("static_select", "radio_buttons"):
                # `entry` is the picked option's value; Slack sends the whole option.
                picked = next((o for o in element.get("options", []) if o["value"] == entry), None)
                state = {"type": kind, "selected_option": picked}
            else:
                state = {"type": kind, "value": entry or None}
            values[block["block_id"]] = {element["action_id"]: state}
        payload: dict[str, Any] = {
            "type": "view_submission",
            "team": {"id": team, "domain": "acme"},
            "user": {"id": user, "username": "pat", "name": "pat", "team_id": team},
            "api_app_id": "A444",
            "token": "legacy-verification-token",
            "trigger_id": f"{next(self._triggers)}.2.3",
            "view": {**view, "id": view_id or view.get("id", "V0000001"), "team_id": team,
                     "state": {"values": values}, "hash": "1700000000.abc"},
            "response_urls": [],
        }
        if channel:
            payload["response_urls"] = [{"block_id": "channel", "action_id": "value", "channel_id": channel,
                                         "response_url": response_url or self.new_response_url()}]
        return urllib.parse.urlencode({"payload": json.dumps(payload)})

    def submit(self, view: dict[str, Any], entries: dict[str, str], **kwargs: Any) -> Reply:
        return self.signed(self.submit_body(view, entries, **kwargs))

    def close(self, view: dict[str, Any], entries: dict[str, str], **kwargs: Any) -> Reply:
        """The person closes `view` (Close, Esc or ×) with `entries` in its inputs: the
        view_closed Slack sends for a view with notify_on_close."""
        payload = json.loads(urllib.parse.parse_qs(self.submit_body(view, entries, **kwargs))["payload"][0])
        payload.update(type="view_closed", is_cleared=False)
        payload.pop("response_urls", None)
        return self.signed(urllib.parse.urlencode({"payload": json.dumps(payload)}))

    def home_opened(self, user: str = "U111", team: str = "T333") -> Reply:
        body = json.dumps({
            "token": "legacy-verification-token", "team_id": team, "api_app_id": "A444",
            "type": "event_callback", "event_id": f"Ev{next(self._triggers)}", "event_time": int(time.time()),
            "event": {"type": "app_home_opened", "user": user, "channel": f"D{user}", "tab": "home"},
            "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}],
        })
        return self.signed(body, content_type="application/json")


def button(message: dict[str, Any], action_id: str) -> dict[str, Any]:
    """The button with `action_id` in a message's blocks (as Slack would show it)."""
    for block in message.get("blocks", []):
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("action_id") == action_id:
                return element  # type: ignore[no-any-return]
    raise AssertionError(f"no button {action_id!r} in the message")
