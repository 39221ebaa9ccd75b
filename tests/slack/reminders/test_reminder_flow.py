"""Reminders as people get them: drafts filled over signed HTTP, `goals remind --now` as a cron
runs it, and the stand-in recording every DM. On both stores."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import urllib.parse
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.canon.repository import CanonRepository
from bot.cli.main import run
from bot.goals.model import Owner
from bot.slack.check_ins.form import block_id, parse_block
from bot.slack.shared.ids import (
    CHECK_IN_ACTION,
    CHECK_IN_CALLBACK,
    REMINDER_CADENCE_ACTION,
    REMINDER_PAUSE_ACTION,
    REMINDER_SETTINGS_ACTION,
    REMINDER_SNOOZE_ACTION,
    REMINDER_TOGGLE_ACTION,
)
from support.draft_flow import form_of, inputs
from support.paths import REPO_ROOT
from support.ports import free_port
from support.reminder_flow import BERLIN, TEAM, at, fill_draft, in_dm, reminder_env, the_day
from support.slack_app_harness import RunningApp, button
from support.slack_standin import SlackStandIn

ALICE, CAROL = "U111", "U444"


@pytest.fixture
def env(store_env: dict[str, str], slack: SlackStandIn, tmp_path: Path) -> dict[str, str]:
    return reminder_env(store_env, slack, tmp_path / "data")


@pytest.fixture
def app(env: dict[str, str], slack: SlackStandIn, tmp_path: Path) -> Iterator[RunningApp]:
    with RunningApp(slack, data_dir=tmp_path / "data", env=env) as running:
        yield running


Remind = Callable[[datetime], str]


@pytest.fixture
def remind(env: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Remind:
    """`goals remind --now NOW`, in this process, with `env` (and no .env file in sight); what
    it printed."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    def run_once(now: datetime) -> str:
        out, err = io.StringIO(), io.StringIO()
        assert run(["remind", "--now", now.isoformat()], out, err) == 0, err.getvalue()
        return out.getvalue()

    return run_once


def test_each_date_is_reminded_a_week_before_and_on_the_day_once(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository,
        remind: Remind) -> None:
    day = the_day()
    fill_draft(app, slack, repository, ALICE, day)
    (draft,) = app.stores.drafts.list(Owner(team=TEAM, user=ALICE))
    name = "OKRs — Clinical Trials Operations · M2"

    assert "sent 1 reminder message " in remind(at(day - timedelta(days=7)))
    (week_before,) = in_dm(slack, ALICE)
    shown_day = f"{day:%a} {day.day} {day:%b %Y}"
    assert name in week_before["text"] and shown_day in week_before["text"]
    assert "in 7 days" in json.dumps(week_before["blocks"])
    # One DM for the draft, though every row has the date.
    assert [b["type"] for b in week_before["blocks"]].count("actions") == 2

    assert "sent 0 reminder messages" in remind(at(day - timedelta(days=7)))  # same instant
    assert "sent 0 reminder messages" in remind(at(day - timedelta(days=3)))
    assert len(in_dm(slack, ALICE)) == 1

    assert "sent 1 reminder message " in remind(at(day))
    on_the_day = in_dm(slack, ALICE)[-1]
    assert len(in_dm(slack, ALICE)) == 2
    assert "today" in json.dumps(on_the_day["blocks"]) and shown_day in on_the_day["text"]
    assert "sent 0 reminder messages" in remind(at(day, 18))
    # The draft itself was not touched by any of it.
    assert app.stores.drafts.list(Owner(team=TEAM, user=ALICE))[0].values == draft.values


def test_turning_reminders_off_from_a_reminder_stops_hers_not_his(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository,
        remind: Remind) -> None:
    day = the_day()
    fill_draft(app, slack, repository, ALICE, day)
    fill_draft(app, slack, repository, CAROL, day)
    remind(at(day - timedelta(days=7)))
    (carols,) = in_dm(slack, CAROL)

    settings = button(carols, REMINDER_SETTINGS_ACTION)
    assert app.click(REMINDER_SETTINGS_ACTION, settings["value"], user=CAROL, channel="D" + CAROL,
                     where="message").status == 200
    app.settle()
    modal = slack.last("views.open").body["view"]
    modal = json.loads(modal) if isinstance(modal, str) else modal
    off = next(element for block in modal["blocks"] if block["type"] == "actions"
               for element in block["elements"] if element.get("action_id") == REMINDER_TOGGLE_ACTION)
    assert off["text"]["text"] == "Turn reminders off"
    assert app.click(REMINDER_TOGGLE_ACTION, off["value"], user=CAROL, where="modal", view=modal).status == 200
    app.settle()
    updated = slack.last("views.update").body["view"]
    assert "Reminders are off" in json.dumps(updated)

    assert "sent 1 reminder message " in remind(at(day))
    assert len(in_dm(slack, CAROL)) == 1
    assert len(in_dm(slack, ALICE)) == 2


def test_snooze_a_week_brings_the_reminder_back_once_a_week_later(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository,
        remind: Remind) -> None:
    day = the_day()
    fill_draft(app, slack, repository, ALICE, day)
    remind(at(day - timedelta(days=7)))
    (first,) = in_dm(slack, ALICE)
    snooze = button(first, REMINDER_SNOOZE_ACTION)
    app.click(REMINDER_SNOOZE_ACTION, snooze["value"], user=ALICE, channel="D" + ALICE, where="message")
    app.settle()
    marked = slack.last("chat.update").body
    assert "Snoozed: this comes back on" in json.dumps(marked["blocks"])

    # D falls inside the snooze: held, not sent; a week after D−7 (D itself) 09:00 it comes, once.
    assert "sent 0 reminder messages" in remind(at(day - timedelta(days=1)))
    assert "sent 1 reminder message " in remind(at(day, 10))
    assert "sent 0 reminder messages" in remind(at(day, 11))
    back = in_dm(slack, ALICE)[-1]
    assert len(in_dm(slack, ALICE)) == 2 and "today" in json.dumps(back["blocks"])


def test_two_goals_remind_processes_at_one_instant_send_each_reminder_once(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository, env: dict[str, str],
        tmp_path: Path) -> None:
    day = the_day()
    for user in (ALICE, CAROL, "U555"):
        fill_draft(app, slack, repository, user, day)
    command = [sys.executable, "-m", "bot.cli.main", "remind", "--now", at(day - timedelta(days=7)).isoformat()]
    environment = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO_ROOT), **env}
    processes = [subprocess.Popen(command, env=environment, cwd=tmp_path, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    for user in (ALICE, CAROL, "U555"):
        assert len(in_dm(slack, user)) == 1, user
    sent = sorted(int(out.split("sent ")[1].split(" ")[0]) for out, _ in outputs)
    assert sent == [0, 3]


def test_a_check_in_from_the_reminder_shows_in_the_drafts_dm_message(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository,
        remind: Remind) -> None:
    day = the_day()
    fill_draft(app, slack, repository, ALICE, day)
    owner = Owner(team=TEAM, user=ALICE)
    (draft,) = app.stores.drafts.list(owner)
    remind(at(day - timedelta(days=7)))
    (reminder,) = in_dm(slack, ALICE)

    check_in = button(reminder, CHECK_IN_ACTION)
    opened = len(slack.calls("views.open"))
    app.click(CHECK_IN_ACTION, check_in["value"], user=ALICE, channel="D" + ALICE, where="message")
    view = form_of(slack.wait_for("views.open", opened + 1)[-1])
    assert view["callback_id"] == CHECK_IN_CALLBACK
    while True:  # every step: "9 sites", on track
        keys = dict.fromkeys(found[0] for block in inputs(view) if (found := parse_block(block["block_id"])))
        typed = {block_id(key, "value"): "9 sites" for key in keys} | {block_id(key, "status"): "on_track"
                                                                        for key in keys}
        reply = app.submit(view, typed, user=ALICE)
        if reply.body == "":
            break
        view = reply.json["view"]
    app.settle()
    message = slack.last("chat.update").body  # the draft's own DM message, updated in place
    stored = app.stores.drafts.list(owner)[0]
    assert message["ts"] == stored.dm_ts and message["blocks"][0]["text"]["text"].startswith("Your draft:")
    shown = json.dumps(message["blocks"])
    assert "Latest check-in" in shown and "9 sites" in shown and "on track" in shown
    assert stored.values == draft.values and len(stored.check_ins) == 1


def test_snooze_on_an_older_reminder_snoozes_and_says_until_when(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository,
        remind: Remind) -> None:
    day = the_day()
    fill_draft(app, slack, repository, ALICE, day)
    remind(at(day - timedelta(days=7)))
    remind(at(day))
    older, _ = in_dm(slack, ALICE)
    updates = len(slack.calls("chat.update"))
    snooze = button(older, REMINDER_SNOOZE_ACTION)
    app.click(REMINDER_SNOOZE_ACTION, snooze["value"], user=ALICE, channel="D" + ALICE, where="message")
    app.settle()
    note = slack.wait_for("response_url")[-1].body
    assert note["response_type"] == "ephemeral" and "Snoozed: your reminders come back on" in note["text"]
    assert len(slack.calls("chat.update")) == updates  # the older message is not rewritten from a digest since
    profile = app.stores.profiles.get(Owner(team=TEAM, user=ALICE))
    assert profile is not None and profile.reminders.snoozed_until is not None


def test_the_draft_form_teaches_reminders_the_persons_timezone(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    slack.set_user_tz(ALICE, "Asia/Tokyo")
    day = the_day()
    fill_draft(app, slack, repository, ALICE, day)
    profile = app.stores.profiles.get(Owner(team=TEAM, user=ALICE))
    assert profile is not None and profile.reminders.tz == "Asia/Tokyo"
    # 09:00 in Tokyo a week before D: midnight UTC, not 09:00 UTC nine hours late.
    week_before = datetime.combine(day - timedelta(days=7), time(9), tzinfo=ZoneInfo("Asia/Tokyo"))
    assert profile.reminders.due_at == week_before


def settings_modal(app: RunningApp, slack: SlackStandIn, reminder: dict[str, Any], user: str) -> dict[str, Any]:
    opened = len(slack.calls("views.open"))
    found = button(reminder, REMINDER_SETTINGS_ACTION)
    app.click(REMINDER_SETTINGS_ACTION, found["value"], user=user, channel="D" + user, where="message")
    return form_of(slack.wait_for("views.open", opened + 1)[-1])


def pick_date(app: RunningApp, modal: dict[str, Any], user: str, day: date | str) -> None:
    """The person picks `day` in the settings' Pause until… date picker (a string: what a
    crafted request says it picked)."""
    body = urllib.parse.parse_qs(app.click_body(REMINDER_PAUSE_ACTION, "", user=user, where="modal", view=modal))
    payload = json.loads(body["payload"][0])
    payload["actions"] = [{"action_id": REMINDER_PAUSE_ACTION, "block_id": "goals_reminder_settings",
                           "type": "datepicker", "selected_date": str(day), "action_ts": "1700000001.0"}]
    assert app.signed(urllib.parse.urlencode({"payload": json.dumps(payload)})).status == 200
    app.settle()


def test_a_pause_until_after_the_date_keeps_the_reminder_away_and_a_day_in_the_past_is_refused_keeping_it(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository,
        remind: Remind) -> None:
    day = the_day()
    fill_draft(app, slack, repository, ALICE, day)
    remind(at(day - timedelta(days=7)))
    (reminder,) = in_dm(slack, ALICE)
    modal = settings_modal(app, slack, reminder, ALICE)

    pick_date(app, modal, ALICE, day + timedelta(days=2))  # on leave over D
    shown = json.dumps(slack.last("views.update").body["view"])
    back = day + timedelta(days=2)
    assert f"Paused until {back:%a} {back.day} {back:%b %Y}" in shown

    pick_date(app, modal, ALICE, datetime.now(BERLIN).date() - timedelta(days=1))
    refused = json.dumps(slack.last("views.update").body["view"])
    assert "Not paused" in refused and "as they were" in refused and "Paused until" in refused
    profile = app.stores.profiles.get(Owner(team=TEAM, user=ALICE))
    assert profile is not None and profile.reminders.paused_until == back  # nothing lost
    for crafted in ("2027-02-30", "garbage", ""):  # no day at all: refused too, never read as today
        pick_date(app, modal, ALICE, crafted)
        refused = json.dumps(slack.last("views.update").body["view"])
        assert "not a date Goals can read" in refused and "Paused until" in refused
        profile = app.stores.profiles.get(Owner(team=TEAM, user=ALICE))
        assert profile is not None and profile.reminders.paused_until == back

    # Back early: today's date ends the pause (a date picker cannot be emptied) ...
    pick_date(app, modal, ALICE, datetime.now(BERLIN).date())
    assert "Paused until" not in json.dumps(slack.last("views.update").body["view"])
    profile = app.stores.profiles.get(Owner(team=TEAM, user=ALICE))
    assert profile is not None and profile.reminders.paused_until is None
    # ... and pausing again over D keeps D's reminder away.
    pick_date(app, modal, ALICE, back)

    assert "sent 0 reminder messages" in remind(at(day))
    assert len(in_dm(slack, ALICE)) == 1


def test_the_check_in_nudge_is_chosen_on_the_home_tab_and_saved_at_once(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    fill_draft(app, slack, repository, ALICE, the_day())
    home = slack.last("views.publish").body["view"]
    assert "Check-in nudge: every two weeks" in json.dumps(home)  # the default, shown as chosen
    published = len(slack.calls("views.publish"))
    assert app.pick(REMINDER_CADENCE_ACTION, "weekly", user=ALICE, where="home").status == 200
    app.settle()
    profile = app.stores.profiles.get(Owner(team=TEAM, user=ALICE))
    assert profile is not None and profile.reminders.cadence.value == "weekly"
    after = slack.wait_for("views.publish", published + 1)[-1].body["view"]
    chosen = next(element["initial_option"]["text"]["text"] for block in after["blocks"]
                  if block["type"] == "actions" for element in block["elements"]
                  if element.get("action_id") == REMINDER_CADENCE_ACTION)
    assert chosen == "Check-in nudge: weekly"


def test_goals_remind_fails_loudly_when_reminders_are_not_delivered_and_refuses_a_clock_far_away(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository, env: dict[str, str],
        remind: Remind, monkeypatch: pytest.MonkeyPatch) -> None:
    day = the_day()
    fill_draft(app, slack, repository, ALICE, day)
    due = at(day - timedelta(days=7))

    def goals_remind(now: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = run(["remind", "--now", now], out, err)
        return code, out.getvalue(), err.getvalue()

    # A clock the calendar cannot hold, or far from the host's: refused before anything is sent.
    for far in ("9999-12-31T23:59:59Z", "0001-01-01T00:00:00+01:00", "2200-01-01T00:00:00Z"):
        code, out, err = goals_remind(far)
        assert (code, out) == (2, "") and err.startswith("goals: --now ") and "Traceback" not in err
    assert in_dm(slack, ALICE) == []

    # Slack failing: said in one line on stderr, how many and why, and a non-zero exit for cron.
    slack.server_error("chat.postMessage", 500, times=1)
    code, out, err = goals_remind(due.isoformat())
    assert code == 3 and "left for the next run" in out
    assert err == ("goals: 1 reminder message could not be delivered (Slack answered 500 (1)); "
                   "the next run tries again.\n")
    # Slack out of reach altogether, once the post that got a 500 may be looked for.
    monkeypatch.setenv("SLACK_API_URL", f"http://127.0.0.1:{free_port()}/api/")
    code, _, err = goals_remind((due + timedelta(minutes=5)).isoformat())
    assert code == 3 and "Slack could not be reached" in err
    monkeypatch.setenv("SLACK_API_URL", env["SLACK_API_URL"])
    # The real reminder still arrives, once, when Slack is back: looked for in the DM first.
    remind(due + timedelta(minutes=10))
    assert len(in_dm(slack, ALICE)) == 1
