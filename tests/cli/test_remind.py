"""`goals remind`: what it says when it cannot run, in one line, never a traceback. Sending is
tested over the stand-in in tests/slack/reminders/test_reminder_flow.py and test_reminder_sweep.py."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.main import run
from bot.cli.opening import EXIT_USAGE
from bot.cli.remind import parse_now

CLOCK = datetime(2027, 1, 1, tzinfo=UTC)  # the host's clock, for these tests


def test_now_takes_an_instant_with_its_offset() -> None:
    assert parse_now(["--now", "2027-03-08T12:00:00+01:00"], CLOCK) == datetime(2027, 3, 8, 11, tzinfo=UTC)
    assert parse_now(["--now", "2027-03-08T11:00:00Z"], CLOCK) == datetime(2027, 3, 8, 11, tzinfo=UTC)


@pytest.mark.parametrize("far", ["2028-01-03T00:00:00Z", "2025-12-30T00:00:00Z", "9999-12-31T23:59:59Z",
                                 "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_now_is_refused_more_than_a_year_from_the_hosts_clock_or_past_the_calendar(far: str) -> None:
    said = parse_now(["--now", far], CLOCK)
    assert isinstance(said, str) and said.startswith("--now ")


@pytest.mark.parametrize(("args", "said"), [
    (["--now", "2027-03-08T12:00:00"], "needs a UTC offset"),
    (["--now", "next tuesday"], "ISO 8601"),
    (["--now"], "remind takes"),
    (["--later", "2027-03-08T12:00:00Z"], "remind takes"),
])
def test_a_clock_it_cannot_read_is_refused_saying_what_would_work(args: list[str], said: str,
                                                                  tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    assert run(["remind", *args], out, err) == EXIT_USAGE
    assert said in err.getvalue() and "+01:00" in err.getvalue()  # with an example that would work
    assert out.getvalue() == ""


def test_without_a_bot_token_it_says_which_setting_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    out, err = io.StringIO(), io.StringIO()
    assert run(["remind", "--now", datetime.now(UTC).isoformat()], out, err) == EXIT_USAGE
    assert err.getvalue().startswith("goals: SLACK_BOT_TOKEN is not set") and "Traceback" not in err.getvalue()
