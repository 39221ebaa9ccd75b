"""`goals-bot`: the Slack app, served by gunicorn (HTTP) or over Socket Mode.

    goals-bot          Socket Mode if SLACK_APP_TOKEN is set, else HTTP on $PORT
    goals-bot http     HTTP: POST /slack/events (signed), GET /healthz
    goals-bot socket   Socket Mode (needs SLACK_APP_TOKEN)

Settings and canon are checked before anything starts; a problem stops start-up with one
line naming it.
"""

from __future__ import annotations

import io
import logging
import os
import re
import sys
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.canon_loader import CanonError
from bot.draft_store import DraftStore, StoreCorrupt
from bot.gate import Gate
from bot.repository import CanonRepository
from bot.settings import Settings, SettingsError, load_settings
from bot.slack_app import check_token, create_app

log = logging.getLogger("goals")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Slack's payloads are a few kB; anything far larger is refused before it is parsed.
MAX_BODY_BYTES = 1_000_000
EXIT_CONFIG = 78

StartResponse = Callable[..., Any]
Wsgi = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

_TOKEN = re.compile(r"\b(xox[abeoprs]|xapp)-[A-Za-z0-9-]+")


class RedactTokens(logging.Filter):
    """Belt and braces: no log line, ours or a library's, carries a Slack token."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _TOKEN.search(message):
            record.msg, record.args = _TOKEN.sub(r"\1-<redacted>", message), None
        return True


def configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokens())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(os.environ.get("LOG_LEVEL", "INFO").upper())


def wsgi_app(app: App, gate: Gate | None) -> Wsgi:
    """The HTTP app: health check, then `gate` (signature, replay, shape), then Bolt."""
    slack = SlackRequestHandler(app)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
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
            refusal = gate.refusal(body, headers)
            if refusal is not None:
                log.info("refused a request: %s", refusal.reason)
                return _plain(start_response, refusal.status, f"{refusal.reason}\n".encode())
            environ["wsgi.input"] = io.BytesIO(body)  # Bolt reads the body again
        return slack(environ, start_response)

    return application


def _plain(start_response: StartResponse, status: str, body: bytes) -> list[bytes]:
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def serve_http(settings: Settings, repository: CanonRepository) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"0.0.0.0:{settings.port}")
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("workers", int(os.environ.get("WEB_CONCURRENCY", "2")))
            self.cfg.set("threads", int(os.environ.get("GOALS_THREADS", "8")))
            self.cfg.set("accesslog", None)

        def load(self) -> Wsgi:
            # Built in each worker after the fork: Bolt's thread pools must not cross a fork.
            return wsgi_app(create_app(settings, repository), Gate.from_settings(settings))

    Server().run()


def serve_socket_mode(settings: Settings, repository: CanonRepository) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    assert settings.app_token is not None
    handler = SocketModeHandler(create_app(settings, repository), settings.app_token.get_secret_value())
    handler.start()  # type: ignore[no-untyped-call]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    mode = args[0] if args else "auto"
    if mode not in ("auto", "http", "socket") or len(args) > 1:
        print("usage: goals-bot [http|socket]", file=sys.stderr)
        return 2
    configure_logging()
    try:
        settings = load_settings()
        if mode == "socket" and not settings.socket_mode:
            raise SettingsError("SLACK_APP_TOKEN is not set: Socket Mode needs an app-level "
                                "token (xapp-...) with the connections:write scope")
        if mode == "http" and settings.signing_secret is None:
            raise SettingsError("SLACK_SIGNING_SECRET is not set: HTTP mode verifies every "
                                "request with it (Basic Information > Signing Secret)")
        repository = CanonRepository.open(settings.canon_dir)
        DraftStore(settings.data_dir).check_readable()
        check_token(settings)
    except (SettingsError, CanonError, StoreCorrupt) as error:
        print(f"goals-bot: {error}", file=sys.stderr)
        return EXIT_CONFIG
    if mode == "socket" or (mode == "auto" and settings.socket_mode):
        serve_socket_mode(settings, repository)
    else:
        serve_http(settings, repository)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
