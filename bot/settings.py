"""The app's configuration: every environment variable Goals reads is read here, and only here.

Secrets are `SecretStr`, so no repr, log line or error message can show them. A missing or
malformed setting stops start-up with one line naming the variable (`SettingsError`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, SecretStr

SLACK_API_DEFAULT = "https://slack.com/api/"
SHIPPED_CANON_DIR = Path(__file__).resolve().parent.parent / "canon"
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class SettingsError(Exception):
    """One line naming the variable and what would work."""


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

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None


def _environment(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


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


def _whole(name: str, text: str, low: int, high: int, what: str) -> int:
    if not text.isdecimal() or not low <= int(text) <= high:  # isdecimal: int() refuses "²"
        raise SettingsError(f"{name} must be {what} from {low} to {high}, not {text!r}")
    return int(text)


def load_settings(environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")) -> Settings:
    """Settings from `environ` (default: os.environ), with `.env` filling unset variables."""
    env = dict(_environment(environ))
    if dotenv is not None and dotenv.is_file():
        from dotenv import dotenv_values  # only needed when a .env exists

        for key, value in dotenv_values(dotenv).items():
            if value is not None:
                env.setdefault(key, value)

    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

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
    api_url = get("SLACK_API_URL") or SLACK_API_DEFAULT
    if not api_url.startswith(("https://", "http://")):
        raise SettingsError(f"SLACK_API_URL must be an http(s) URL, not {api_url!r}")
    return Settings(
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
    )
