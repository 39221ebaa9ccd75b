"""The app's configuration, read from the environment (and `.env` when present).

Secrets are `SecretStr`, so no repr, log line or error message can show them. A missing or
malformed setting stops start-up with one line naming the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, SecretStr

from bot.repository import SHIPPED_CANON_DIR

SLACK_API_DEFAULT = "https://slack.com/api/"


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

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None


def load_settings(environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")) -> Settings:
    """Settings from `environ` (default: os.environ), with `.env` filling unset variables."""
    env = dict(os.environ if environ is None else environ)
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
    port_text = get("PORT") or "3000"
    if not port_text.isdecimal() or not 0 < int(port_text) < 65536:
        raise SettingsError(f"PORT must be a whole number from 1 to 65535, not {port_text!r}")
    timeout_text = get("SLACK_API_TIMEOUT") or "10"
    if not timeout_text.isdecimal() or not 0 < int(timeout_text) <= 60:
        raise SettingsError(f"SLACK_API_TIMEOUT must be whole seconds from 1 to 60, not {timeout_text!r}")
    api_url = get("SLACK_API_URL") or SLACK_API_DEFAULT
    if not api_url.startswith(("https://", "http://")):
        raise SettingsError(f"SLACK_API_URL must be an http(s) URL, not {api_url!r}")
    return Settings(
        bot_token=SecretStr(bot_token),
        signing_secret=SecretStr(signing_secret) if signing_secret else None,
        app_token=SecretStr(app_token) if app_token else None,
        port=int(port_text),
        canon_dir=Path(get("GOALS_CANON_DIR") or SHIPPED_CANON_DIR),
        data_dir=Path(get("GOALS_DATA_DIR") or "data"),
        # slack_sdk joins method names onto the base URL, so it must end with a slash.
        slack_api_url=api_url if api_url.endswith("/") else api_url + "/",
        slack_timeout=int(timeout_text),
    )
