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
import sys
import tempfile
from pathlib import Path

from bot.canon.loader import CanonError
from bot.canon.repository import CanonRepository
from bot.goals.storage import StorageError
from bot.observe import process_ended, share_between_processes
from bot.settings import (
    Settings,
    SettingsError,
    load_settings,
    log_format,
    log_level,
    share_metrics_dir,
    version,
)
from bot.slack.app import create_app
from bot.slack.drafts.catch_up import CatchUp
from bot.slack.shared.client import check_token
from bot.store.factory import open_stores, prepare_stores
from bot.web.asgi import Asgi, asgi_app
from bot.web.logs import configure_logging
from bot.web.wsgi import http_app

EXIT_CONFIG = 78

def serve_http(settings: Settings, repository: CanonRepository) -> None:
    from gunicorn.app.base import BaseApplication
    from gunicorn.glogging import Logger

    # Each worker counts in files here, which /metrics adds up (bot.observe).
    folder = settings.metrics_dir or Path(tempfile.mkdtemp(prefix="goals-metrics-"))
    share_metrics_dir(folder)
    share_between_processes(folder)

    class Logs(Logger):  # type: ignore[misc]
        """gunicorn's error and access logs (and uvicorn's, which take their handlers) written
        through Goals' one handler: one format for every line."""

        def setup(self, cfg: object) -> None:
            super().setup(cfg)
            ours = list(logging.getLogger().handlers)
            self.error_log.handlers[:] = ours
            self.access_log.handlers[:] = ours
            self.access_log.setLevel(logging.INFO)

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"0.0.0.0:{settings.port}")
            # An event loop per worker reads requests whole before a thread takes one
            # (bot.web.asgi): slow or idle clients hold no thread that answers Slack.
            self.cfg.set("worker_class", "uvicorn_worker.UvicornWorker")
            self.cfg.set("workers", settings.workers)
            self.cfg.set("keepalive", 5)
            self.cfg.set("accesslog", "-")
            self.cfg.set("logger_class", Logs)
            self.cfg.set("child_exit", lambda _arbiter, worker: process_ended(worker.pid))

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
    json_lines = False  # LOG_FORMAT itself may be what is wrong: then it is said as text
    try:
        json_lines = log_format() == "json"
        configure_logging(log_level(), json_lines=json_lines)
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
        if json_lines:  # one line all the same, in the format the log pipeline reads
            logging.getLogger("goals").critical("goals-bot: %s", error)
        else:
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
