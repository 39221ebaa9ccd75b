"""A local HTTP stand-in for the Slack Web API and for ``response_url``.

End-to-end tests point ``slack_sdk.WebClient(base_url=slack.api_url)`` (and the Bolt
app built on it) here, so the real SDK code runs: HTTP encoding, ``SlackApiError``,
retry handlers. Every request is recorded as a ``Call``.

Choices worth knowing (checked against slack_sdk 3.47 and Slack's docs):

* ``api_url`` ends in ``/api/`` like ``BaseClient.BASE_URL`` ("https://slack.com/api/")
  because the SDK ``urljoin``s the method name onto it.
* The SDK posts ``chat.*``/``views.*`` as JSON but ``users.info``, ``chat.delete``,
  ``conversations.open`` as form data, and callers may pass ``blocks``/``view`` as
  JSON strings, so those fields are decoded wherever they arrive.
* ``response_url`` answers ``200 text/plain "ok"`` like slack_sdk's own webhook mock.
  Slack's webhook errors are short plain-text strings with 4xx codes (changelog
  2016-05-17, "Improving error conditions for Incoming Webhooks"); an expired URL
  gets a 404 (slackapi/bolt-js#1261). The body ``expired_url`` is our own label:
  no Slack source we found names the string.
* ``Call.headers`` names are lower-cased because urllib rewrites their case.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

JSONDict = dict[str, Any]

RESPONSE_URL = "response_url"
DROPPED = 0  # Call.status of a request whose connection was closed without an answer
_JSON_STRING_FIELDS = ("blocks", "attachments", "view", "files")
UPLOAD = "file upload"  # the POST of a file's bytes to the URL files.getUploadURLExternal gave
_VIEW_METHODS = ("views.open", "views.update", "views.push", "views.publish")
_TEXT = "text/plain; charset=utf-8"
_ERROR_PAGE = "<!DOCTYPE html><html><head><title>Server Error | Slack</title></html>"


@dataclass(frozen=True)
class Call:
    method: str  # Web API method ("chat.postMessage") or "response_url"
    path: str
    body: JSONDict
    headers: dict[str, str]  # lower-cased names
    status: int  # the HTTP status the stand-in answered with; DROPPED if it did not
    at: float = field(default_factory=time.monotonic)  # when it arrived (before any scripted delay)


@dataclass(frozen=True)
class _Script:
    kind: str  # "fail" | "rate_limit" | "server_error" | "posted_then_error" | "delay" | "drop"
    error: str = ""
    status: int = 200
    seconds: float = 0.0


@dataclass(frozen=True)
class _Reply:
    status: int
    body: str
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class SlackStandIn:
    def __init__(self, default_tz: str = "Europe/Berlin") -> None:
        self.default_tz = default_tz
        self._cond = threading.Condition()
        self._calls: list[Call] = []
        self._scripts: dict[str, deque[_Script]] = {}
        self._expired: set[str] = set()
        self._user_tz: dict[str, str] = {}
        self._user_fields: dict[str, JSONDict] = {}
        self._posted: dict[str, list[JSONDict]] = {}  # messages by channel, as conversations.history gives
        self._uploads: dict[str, JSONDict] = {}  # by file id: filename, bytes, and once shared: title, channel
        self._ids = count(1)
        self._server: ThreadingHTTPServer | None = None

    def __enter__(self) -> SlackStandIn:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        # A handler sleeping in delay() must not hold up the end of a test.
        self._server.block_on_close = False
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.01,), daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("SlackStandIn is not running: use `with SlackStandIn()`")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.base_url}/response/{name}"

    # -- scripting: each applies to the next `times` calls of `method` ----------
    def fail(self, method: str, error: str = "not_in_channel", times: int = 1) -> None:
        self._push(method, _Script("fail", error=error), times)

    def rate_limit(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        # Whole seconds: RateLimitErrorRetryHandler does int(Retry-After).
        self._push(method, _Script("rate_limit", seconds=retry_after), times)

    def server_error(self, method: str, status: int = 503, times: int = 1) -> None:
        self._push(method, _Script("server_error", status=status), times)

    def posted_then_error(self, method: str, status: int = 500, times: int = 1) -> None:
        """Do the call (a message is posted, as conversations.history then shows), then
        answer with a server error, as Slack sometimes does under load."""
        self._push(method, _Script("posted_then_error", status=status), times)

    def delay(self, method: str, seconds: float, times: int = 1) -> None:
        self._push(method, _Script("delay", seconds=seconds), times)

    def drop(self, method: str, times: int = 1) -> None:
        """Close the connection without answering, as a reset connection looks to a client
        (http.client.RemoteDisconnected)."""
        self._push(method, _Script("drop"), times)

    def expire_response_url(self, name: str) -> None:
        with self._cond:
            self._expired.add(name)

    def set_user_tz(self, user_id: str, tz: str) -> None:
        ZoneInfo(tz)  # a typo fails in the test that made it, not inside the server
        with self._cond:
            self._user_tz[user_id] = tz

    def set_user(self, user_id: str, **fields: Any) -> None:
        """What users.info says of `user_id` besides its defaults: is_bot=True, deleted=True."""
        with self._cond:
            self._user_fields[user_id] = dict(fields)

    def reset(self) -> None:
        """Forget calls and all scripted behaviour, as if freshly started."""
        with self._cond:
            self._calls.clear()
            self._scripts.clear()
            self._expired.clear()
            self._user_tz.clear()
            self._posted.clear()

    def _push(self, method: str, script: _Script, times: int) -> None:
        with self._cond:
            self._scripts.setdefault(method, deque()).extend([script] * times)

    # -- queries ---------------------------------------------------------------
    def files_in(self, channel: str) -> list[JSONDict]:
        """Files shared to `channel` (files.completeUploadExternal), in order: each with its
        filename, title, initial_comment and the bytes uploaded."""
        with self._cond:
            return [dict(f) for f in self._uploads.values() if f.get("channel") == channel]

    def posted(self, channel: str) -> list[JSONDict]:
        """The messages chat.postMessage put in `channel` (a user id's DM is "D" + the id),
        oldest first, as conversations.history would hold them."""
        with self._cond:
            return [dict(message) for message in self._posted.get(channel, [])]

    def calls(self, method: str | None = None) -> list[Call]:
        with self._cond:
            return [c for c in self._calls if method in (None, c.method)]

    def last(self, method: str) -> Call:
        found = self.calls(method)
        if not found:
            raise AssertionError(f"no {method!r} call; seen: {self._seen()}")
        return found[-1]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until ``count`` calls of ``method`` arrived: apps work after acking."""
        with self._cond:
            self._cond.wait_for(lambda: len(self.calls(method)) >= count, timeout)
            found = self.calls(method)
        if len(found) < count:
            raise AssertionError(
                f"wanted {count} {method!r} call(s) within {timeout}s, "
                f"got {len(found)}; seen: {self._seen()}"
            )
        return found

    def _seen(self) -> list[str]:
        return [c.method for c in self.calls()]

    # -- request handling, on server threads -----------------------------------
    def _handle(
        self, method: str, path: str, body: JSONDict, headers: dict[str, str]
    ) -> tuple[_Reply, float]:
        with self._cond:
            queue = self._scripts.get(method)
            script = queue.popleft() if queue else None
            expired = method == RESPONSE_URL and path.split("/")[-1] in self._expired
            n = next(self._ids)
        reply = self._reply(method, body, script, expired, n)
        with self._cond:
            # Recorded before answering: a client never holds a reply without its Call.
            self._calls.append(Call(method, path, body, headers, reply.status))
            self._cond.notify_all()
        pause = script.seconds if script and script.kind == "delay" else 0.0
        return reply, pause

    def _reply(
        self, method: str, body: JSONDict, script: _Script | None, expired: bool, n: int
    ) -> _Reply:
        if script is not None and script.kind == "drop":
            return _Reply(DROPPED, "")
        if script is not None and script.kind == "rate_limit":
            error = json.dumps({"ok": False, "error": "ratelimited"})
            return _Reply(429, error, headers={"Retry-After": str(int(script.seconds))})
        if script is not None and script.kind == "server_error":
            return _Reply(script.status, _ERROR_PAGE, "text/html; charset=utf-8")
        if script is not None and script.kind == "posted_then_error":
            self._answer(method, body, n)  # done, as far as Slack is concerned
            return _Reply(script.status, _ERROR_PAGE, "text/html; charset=utf-8")
        if script is not None and script.kind == "fail":
            return _Reply(200, json.dumps({"ok": False, "error": script.error}))
        if method == RESPONSE_URL and expired:
            return _Reply(404, "expired_url", _TEXT)
        if method == RESPONSE_URL:
            return _Reply(200, "ok", _TEXT)
        if method == UPLOAD:
            with self._cond:
                known = body.get("file_id") in self._uploads
                if known:
                    self._uploads[str(body["file_id"])]["bytes"] = body.get("_bytes", b"")
            return _Reply(200 if known else 404, "OK - " + str(len(body.get("_bytes", b""))), _TEXT)
        if not method:
            return _Reply(404, "not_found", _TEXT)
        return _Reply(200, json.dumps({"ok": True, **self._answer(method, body, n)}))

    def _answer(self, method: str, body: JSONDict, n: int) -> JSONDict:
        ts = f"{1_700_000_000 + n}.000100"
        channel = str(body.get("channel", "C0001"))
        if channel[:1] in ("U", "W"):  # posting to a user lands in the DM channel
            channel = "D" + channel
        text = body.get("text", "")
        if method == "auth.test":
            return {
                "url": "https://goals-test.slack.com/",
                "team_id": "T0001",
                "user_id": "UBOT",
                "bot_id": "BBOT",
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            message = {"type": "message", "bot_id": "BBOT", "ts": ts, "text": text}
            message["blocks"] = body.get("blocks", [])
            if body.get("thread_ts"):
                message["thread_ts"] = str(body["thread_ts"])
            metadata = body.get("metadata")
            if isinstance(metadata, str):  # sent as a form field
                metadata = json.loads(metadata)
            with self._cond:  # posted, even if the client is no longer there to hear it (a delay)
                self._posted.setdefault(channel, []).append({**message, "metadata": metadata})
            return {"channel": channel, "ts": ts, "message": message}
        if method == "conversations.history":
            with self._cond:
                found = list(reversed(self._posted.get(channel, [])))
            if str(body.get("include_all_metadata", "")).lower() not in ("true", "1"):
                found = [{k: v for k, v in m.items() if k != "metadata"} for m in found]
            return {"messages": found, "has_more": False}
        if method == "conversations.replies":
            with self._cond:
                thread = [m for m in self._posted.get(channel, []) if m.get("thread_ts") == str(body.get("ts"))]
            if str(body.get("include_all_metadata", "")).lower() not in ("true", "1"):
                thread = [{k: v for k, v in m.items() if k != "metadata"} for m in thread]
            return {"messages": thread, "has_more": False}
        if method == "chat.getPermalink":
            stamp = str(body.get("message_ts", "")).replace(".", "")
            return {"channel": channel, "permalink": f"https://goals-test.slack.com/archives/{channel}/p{stamp}"}
        if method == "chat.postEphemeral":
            return {"message_ts": ts}
        if method in ("chat.update", "chat.delete"):
            answer = {"channel": channel, "ts": body.get("ts", ts)}
            return answer | ({"text": text} if method == "chat.update" else {})
        if method in _VIEW_METHODS:
            sent = body.get("view")
            view: JSONDict = dict(sent) if isinstance(sent, dict) else {}
            view_id = str(body.get("view_id") or f"V{n:09d}")
            view.update(id=view_id, hash=f"1700000000.{n:08d}", team_id="T0001")
            return {"view": {"state": {"values": {}}, **view}}
        if method == "conversations.open":
            return {"channel": {"id": "D" + str(body.get("users", "U0")).split(",")[0]}}
        if method == "users.info":
            return {"user": self._user(str(body.get("user", "U0001")))}
        if method == "files.getUploadURLExternal":
            file_id = f"F{n:08d}"
            with self._cond:
                self._uploads[file_id] = {"filename": body.get("filename"), "length": body.get("length")}
            return {"upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            shared = body.get("files") if isinstance(body.get("files"), list) else []
            with self._cond:
                for item in shared:
                    found = self._uploads.get(str(item.get("id")))
                    if found is not None:
                        found.update(title=item.get("title"), channel=body.get("channel_id"),
                                     initial_comment=body.get("initial_comment"))
            return {"files": [{"id": item.get("id"), "title": item.get("title")} for item in shared]}
        return {}

    def _user(self, user_id: str) -> JSONDict:
        with self._cond:
            tz = self._user_tz.get(user_id, self.default_tz)
        now = datetime.now(ZoneInfo(tz))
        offset = now.utcoffset() or timedelta(0)
        with self._cond:
            extra = dict(self._user_fields.get(user_id, {}))
        return {
            "id": user_id,
            "team_id": "T0001",
            "name": user_id.lower(),
            "tz": tz,
            "tz_label": now.tzname() or tz,
            "tz_offset": int(offset.total_seconds()),
            "is_bot": False,
            "deleted": False,
            **extra,
        }


def refused_base_url() -> str:
    """The base URL of a stand-in that has stopped: connecting to it is refused."""
    with SlackStandIn() as gone:
        return gone.base_url


def _parse_body(raw: bytes, content_type: str, query: str) -> JSONDict:
    body = _form(query)
    text = raw.decode("utf-8", errors="replace")
    if "application/json" in content_type and text:
        try:
            parsed: Any = json.loads(text)
        except ValueError:
            parsed = {"_raw": text}  # let a test see the broken payload as sent
        body.update(parsed if isinstance(parsed, dict) else {"_json": parsed})
    elif "application/x-www-form-urlencoded" in content_type:
        body.update(_form(text))
    # Legacy clients put the token in the body; it belongs in the Authorization header.
    body.pop("token", None)
    for key in _JSON_STRING_FIELDS:
        value = body.get(key)
        if isinstance(value, str) and value[:1] in ("[", "{"):
            with suppress(ValueError):  # malformed JSON stays visible as sent
                body[key] = json.loads(value)
    return body


def _form(text: str) -> JSONDict:
    pairs = parse_qs(text, keep_blank_values=True).items()
    return {k: v[0] if len(v) == 1 else v for k, v in pairs}


def _handler_for(standin: SlackStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = _parse_body(raw, self.headers.get("Content-Type", ""), url.query)
            headers = {k.lower(): v for k, v in self.headers.items()}
            method = ""
            if url.path.startswith("/upload/"):  # a file's bytes, as sent: never parsed
                method, body = UPLOAD, {"file_id": url.path.removeprefix("/upload/"), "_bytes": raw}
            elif url.path.startswith("/api/"):
                method = url.path.removeprefix("/api/")
            elif url.path.startswith("/response/"):
                method = RESPONSE_URL
            reply, pause = standin._handle(method, url.path, body, headers)
            time.sleep(pause)
            if reply.status == DROPPED:
                self.close_connection = True
                return
            payload = reply.body.encode("utf-8")
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(payload)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout tests); nothing left to tell it

        do_GET = do_POST

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep pytest output about the app, not about this server

    return Handler
