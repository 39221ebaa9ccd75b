"""What the reminder tests share: the environment goals-bot and `goals remind` both read, the
day D a draft's dates are filled with, a draft filled over signed HTTP, and the reminders a
person's DM holds."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.canon.repository import CanonRepository
from bot.slack.reminders.blocks import REMINDER_EVENT
from support.draft_flow import okr_m2, open_form, settled, submit_all
from support.slack_app_harness import BOT_TOKEN, SIGNING_SECRET, RunningApp
from support.slack_standin import SlackStandIn

BERLIN = ZoneInfo("Europe/Berlin")  # the stand-in's timezone for everyone, unless a test says otherwise
TEAM = "T333"


def reminder_env(store_env: dict[str, str], slack: SlackStandIn, data_dir: Path) -> dict[str, str]:
    """What goals-bot and `goals remind` both read: one store, the stand-in as Slack, no pacing."""
    return {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": slack.api_url,
            "GOALS_DATA_DIR": str(data_dir), "GOALS_REMIND_PACE_MS": "0", **store_env}


def the_day() -> date:
    """D: ten days from today in Berlin, so D−7 comes after the draft is made and no check-in
    nudge (14 days) falls before D."""
    return datetime.now(BERLIN).date() + timedelta(days=10)


def at(day: date, hour: int = 12, tz: ZoneInfo = BERLIN) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=tz).astimezone(UTC)


def fill_draft(app: RunningApp, slack: SlackStandIn, repository: CanonRepository, user: str, day: date) -> None:
    """An M2 OKR draft with `day` for every date and its targets filled, saved over signed HTTP."""
    published = len(slack.calls("views.publish"))
    view = open_form(app, slack, user=user)
    steps = submit_all(app, view, okr_m2(repository), user=user, date=day.isoformat(), target="12 sites",
                       baseline="3 sites")
    settled(slack, published + steps)
    app.settle()


def in_dm(slack: SlackStandIn, user: str) -> list[dict[str, Any]]:
    """The reminders in the person's DM, as Slack holds them."""
    return [message for message in slack.posted("D" + user)
            if (message.get("metadata") or {}).get("event_type") == REMINDER_EVENT]
