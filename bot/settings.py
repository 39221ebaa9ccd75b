"""The app's configuration: every environment variable Goals reads is read here, and only here.

Secrets are `SecretStr`, so no repr, log line or error message can show them. A missing or
malformed setting stops start-up with one line naming the variable (`SettingsError`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, SecretStr

SLACK_API_DEFAULT = "https://slack.com/api/"
SHIPPED_CANON_DIR = Path(__file__).resolve().parent.parent / "canon"
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def version() -> str:
    """This install's version, as its package metadata says."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("goals")
    except PackageNotFoundError:  # run from a checkout without installing
        return "unknown"


class SettingsError(Exception):
    """One line naming the variable and what would work."""


class DatabaseSettings(BaseModel):
    """PostgreSQL, when DATABASE_URL is set: everything the app writes goes there."""

    model_config = ConfigDict(frozen=True)

    url: SecretStr  # postgresql://...; the password never leaves this object unmasked
    pool_size: int = 10  # connections per process at most (GOALS_DB_POOL_SIZE)
    pool_wait: float = 2.0  # seconds a request waits for a free connection (GOALS_DB_POOL_WAIT)
    statement_timeout_ms: int = 2000  # GOALS_DB_STATEMENT_TIMEOUT_MS: within Slack's 3 s
    connect_timeout: int = 10  # seconds to reach the server (GOALS_DB_CONNECT_TIMEOUT)

    @property
    def shown(self) -> str:
        """The URL as logs and messages may show it: the password masked."""
        return mask_password(self.url.get_secret_value())


def mask_password(url: str) -> str:
    """`url` with any password replaced by ***, for logs and messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[-1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


class StoreSettings(BaseModel):
    """Where Goals keeps what it writes: PostgreSQL if `database` is set, else files."""

    model_config = ConfigDict(frozen=True)

    data_dir: Path
    database: DatabaseSettings | None = None

    @property
    def shown(self) -> str:
        return self.database.shown if self.database else str(self.data_dir)


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    bot_token: SecretStr
    signing_secret: SecretStr | None  # None only in Socket Mode, which has no HTTP requests
    app_token: SecretStr | None
    port: int
    canon_dir: Path
    data_dir: Path
    slack_api_url: str
    slack_timeout: int = 10  # seconds per Web API call, before retries
    workers: int = 2  # gunicorn worker processes (WEB_CONCURRENCY)
    threads: int = 8  # threads per worker (GOALS_THREADS)
    database: DatabaseSettings | None = None  # None: the TinyDB files under data_dir
    remind_pace: float = 0.3  # seconds between two Slack calls of a reminder sweep (GOALS_REMIND_PACE_MS)
    metrics_dir: Path | None = None  # PROMETHEUS_MULTIPROC_DIR: where workers count; else a temporary folder

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None

    @property
    def store(self) -> StoreSettings:
        return StoreSettings(data_dir=self.data_dir, database=self.database)


def environment(environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")) -> dict[str, str]:
    """What every command reads its settings from: `environ` (default: the process's
    environment), with `.env` in the working directory filling the variables it leaves unset."""
    env = dict(os.environ if environ is None else environ)
    if dotenv is not None and dotenv.is_file():
        from dotenv import dotenv_values  # only needed when a .env exists

        for key, value in dotenv_values(dotenv).items():
            if value is not None:
                env.setdefault(key, value)
    return env


def _environment(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    """`environ` as given, else the environment with `.env` (`environment()`)."""
    return environment() if environ is None else environ


def canon_dir(environ: Mapping[str, str] | None = None) -> Path:
    """`GOALS_CANON_DIR` if set, else the canon shipped with the project (the CLI needs no tokens)."""
    value = _environment(environ).get("GOALS_CANON_DIR", "").strip()
    return Path(value) if value else SHIPPED_CANON_DIR


def log_level(environ: Mapping[str, str] | None = None) -> int:
    """`LOG_LEVEL` as a logging level; read before the other settings, so their errors can be logged."""
    value = _environment(environ).get("LOG_LEVEL", "").strip().upper() or "INFO"
    if value not in _LOG_LEVELS:
        raise SettingsError(f"LOG_LEVEL must be one of {', '.join(_LOG_LEVELS)}, not {value!r}")
    return int(logging.getLevelName(value))


def log_format(environ: Mapping[str, str] | None = None) -> str:
    """`LOG_FORMAT`: "text" (the default) or "json", one object a line, for a log pipeline."""
    value = _environment(environ).get("LOG_FORMAT", "").strip().lower() or "text"
    if value not in ("text", "json"):
        raise SettingsError(f"LOG_FORMAT must be text or json, not {value!r}")
    return value


def share_metrics_dir(folder: Path) -> None:
    """Name `folder` to the worker processes forked from this one: prometheus_client reads it
    from their environment (PROMETHEUS_MULTIPROC_DIR) to count across them."""
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)


def store_settings(environ: Mapping[str, str] | None = None, *, location: str | None = None) -> StoreSettings:
    """The store settings alone, for the `goals store` commands (they need no Slack tokens).
    `location`, a directory or a postgresql:// URL named on the command line, stands in for
    the environment's DATABASE_URL and GOALS_DATA_DIR."""
    env = dict(_environment(environ))
    if location is not None:
        is_url = "://" in location  # a URL of another kind is refused, not taken for a folder
        env["DATABASE_URL"], env["GOALS_DATA_DIR"] = (location, "") if is_url else ("", location)
    get = _getter(env)
    return StoreSettings(data_dir=Path(get("GOALS_DATA_DIR") or "data"), database=_database(get))


def _getter(env: Mapping[str, str]) -> Callable[[str], str | None]:
    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    return get


def _whole(name: str, text: str, low: int, high: int, what: str) -> int:
    if not text.isdecimal() or not low <= int(text) <= high:  # isdecimal: int() refuses "²"
        raise SettingsError(f"{name} must be {what} from {low} to {high}, not {text!r}")
    return int(text)


def load_settings(environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")) -> Settings:
    """Settings from `environ` (default: os.environ), with `.env` filling unset variables."""
    env = environment(environ, dotenv)

    get = _getter(env)
    app_token = get("SLACK_APP_TOKEN")
    if app_token is not None and not app_token.startswith("xapp-"):
        raise SettingsError("SLACK_APP_TOKEN must be an app-level token starting with xapp- "
                            "(Basic Information > App-Level Tokens, scope connections:write)")
    bot_token = get("SLACK_BOT_TOKEN")
    if bot_token is None:
        raise SettingsError("SLACK_BOT_TOKEN is not set: the Bot User OAuth Token (xoxb-...) "
                            "from OAuth & Permissions")
    if not bot_token.startswith("xoxb-"):
        raise SettingsError("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
    signing_secret = get("SLACK_SIGNING_SECRET")
    if signing_secret is None and app_token is None:
        raise SettingsError("SLACK_SIGNING_SECRET is not set: the Signing Secret from Basic "
                            "Information (needed in HTTP mode; Socket Mode needs SLACK_APP_TOKEN)")
    port = _whole("PORT", get("PORT") or "3000", 1, 65535, "a whole number")
    timeout = _whole("SLACK_API_TIMEOUT", get("SLACK_API_TIMEOUT") or "10", 1, 60, "whole seconds")
    workers = _whole("WEB_CONCURRENCY", get("WEB_CONCURRENCY") or "2", 1, 64, "a whole number of processes")
    threads = _whole("GOALS_THREADS", get("GOALS_THREADS") or "8", 1, 256, "a whole number of threads")
    pace_ms = _whole("GOALS_REMIND_PACE_MS", get("GOALS_REMIND_PACE_MS") or "300", 0, 60_000, "milliseconds")
    api_url = get("SLACK_API_URL") or SLACK_API_DEFAULT
    if not api_url.startswith(("https://", "http://")):
        raise SettingsError(f"SLACK_API_URL must be an http(s) URL, not {api_url!r}")
    return Settings(
        database=_database(get),
        bot_token=SecretStr(bot_token),
        signing_secret=SecretStr(signing_secret) if signing_secret else None,
        app_token=SecretStr(app_token) if app_token else None,
        port=port,
        canon_dir=canon_dir(env),
        data_dir=Path(get("GOALS_DATA_DIR") or "data"),
        # slack_sdk joins method names onto the base URL, so it must end with a slash.
        slack_api_url=api_url if api_url.endswith("/") else api_url + "/",
        slack_timeout=timeout,
        workers=workers,
        threads=threads,
        remind_pace=pace_ms / 1000,
        metrics_dir=Path(metrics) if (metrics := get("PROMETHEUS_MULTIPROC_DIR")) else None,
    )


def _database(get: Callable[[str], str | None]) -> DatabaseSettings | None:
    url = get("DATABASE_URL")
    if url is None:
        return None
    if url.startswith("postgres://"):  # as Heroku Postgres sets it; libpq takes both, SQLAlchemy not
        url = "postgresql://" + url.removeprefix("postgres://")
    if not url.startswith("postgresql://"):
        raise SettingsError(f"DATABASE_URL must be a postgresql:// or postgres:// URL, not {mask_password(url)!r}")
    return DatabaseSettings(
        url=SecretStr(url),
        pool_size=_whole("GOALS_DB_POOL_SIZE", get("GOALS_DB_POOL_SIZE") or "10", 1, 200, "a whole number"),
        pool_wait=_whole("GOALS_DB_POOL_WAIT", get("GOALS_DB_POOL_WAIT") or "2", 1, 30, "whole seconds"),
        statement_timeout_ms=_whole("GOALS_DB_STATEMENT_TIMEOUT_MS", get("GOALS_DB_STATEMENT_TIMEOUT_MS") or "2000",
                                    100, 600_000, "milliseconds"),
        connect_timeout=_whole("GOALS_DB_CONNECT_TIMEOUT", get("GOALS_DB_CONNECT_TIMEOUT") or "10", 1, 60,
                               "whole seconds"),
    )
