"""`goals-bot`: the Slack app, served by gunicorn (HTTP) or over Socket Mode.

    goals-bot          Socket Mode if SLACK_APP_TOKEN is set, else HTTP on $PORT
    goals-bot http     HTTP: POST /slack/events (signed), GET /healthz
    goals-bot socket   Socket Mode (needs SLACK_APP_TOKEN)
    goals-bot --version

Settings, canon, stores and the bot token are checked before anything starts; a problem
stops start-up with one line naming it.
"""

from __future__ import annotations

import logging
import re
import sys

from bot.canon.loader import CanonError
from bot.canon.repository import CanonRepository
from bot.goals.storage import StorageError
from bot.settings import Settings, SettingsError, load_settings, log_level, version
from bot.slack.app import create_app
from bot.slack.drafts.catch_up import CatchUp
from bot.slack.shared.client import check_token
from bot.store.factory import open_stores, prepare_stores
from bot.web.asgi import Asgi, asgi_app
from bot.web.wsgi import http_app

EXIT_CONFIG = 78

_TOKEN = re.compile(r"\b(xox[abeoprs]|xapp)-[A-Za-z0-9-]+")


class RedactTokens(logging.Filter):
    """Belt and braces: no log line, ours or a library's, carries a Slack token."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _TOKEN.search(message):
            record.msg, record.args = _TOKEN.sub(r"\1-<redacted>", message), None
        return True


def configure_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokens())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def serve_http(settings: Settings, repository: CanonRepository) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"0.0.0.0:{settings.port}")
            # An event loop per worker reads requests whole before a thread takes one
            # (bot.web.asgi): slow or idle clients hold no thread that answers Slack.
            self.cfg.set("worker_class", "uvicorn_worker.UvicornWorker")
            self.cfg.set("workers", settings.workers)
            self.cfg.set("keepalive", 5)
            self.cfg.set("accesslog", None)

        def load(self) -> Asgi:
            # Built in each worker after the fork: Bolt's thread pools (and a store's
            # connections) must not cross a fork.
            stores = open_stores(settings.store)
            app = create_app(settings, repository, stores, catch_up=CatchUp())
            return asgi_app(http_app(settings, app, stores), settings.threads)

    Server().run()


def serve_socket_mode(settings: Settings, repository: CanonRepository) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    assert settings.app_token is not None
    app = create_app(settings, repository, open_stores(settings.store), catch_up=CatchUp())
    SocketModeHandler(app, settings.app_token.get_secret_value()).start()  # type: ignore[no-untyped-call]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        print(f"goals-bot {version()}")
        return 0
    mode = args[0] if args else "auto"
    if mode not in ("auto", "http", "socket") or len(args) > 1:
        print("usage: goals-bot [http|socket]", file=sys.stderr)
        return 2
    try:
        configure_logging(log_level())
        settings = load_settings()
        if mode == "socket" and not settings.socket_mode:
            raise SettingsError("SLACK_APP_TOKEN is not set: Socket Mode needs an app-level "
                                "token (xapp-...) with the connections:write scope")
        if mode == "http" and settings.signing_secret is None:
            raise SettingsError("SLACK_SIGNING_SECRET is not set: HTTP mode verifies every "
                                "request with it (Basic Information > Signing Secret)")
        repository = CanonRepository.open(settings.canon_dir)
        store = prepare_stores(settings.store)
        check_token(settings)
    except (SettingsError, CanonError, StorageError) as error:
        print(f"goals-bot: {error}", file=sys.stderr)
        return EXIT_CONFIG
    logging.getLogger("goals").info(store)
    if mode == "socket" or (mode == "auto" and settings.socket_mode):
        serve_socket_mode(settings, repository)
    else:
        serve_http(settings, repository)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
