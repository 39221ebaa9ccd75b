"""`goals remind`: what it says when it cannot run, in one line, never a traceback. Sending is
tested over the stand-in in tests/slack/test_reminder_flow.py and test_reminder_sweep.py."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.main import run
from bot.cli.remind import EXIT_USAGE, parse_now


def test_now_takes_an_instant_with_its_offset() -> None:
    assert parse_now(["--now", "2027-03-08T12:00:00+01:00"]) == datetime(2027, 3, 8, 11, tzinfo=UTC)
    assert parse_now(["--now", "2027-03-08T11:00:00Z"]) == datetime(2027, 3, 8, 11, tzinfo=UTC)


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
    assert run(["remind", "--now", "2027-03-08T12:00:00Z"], out, err) == EXIT_USAGE
    assert err.getvalue().startswith("goals: SLACK_BOT_TOKEN is not set") and "Traceback" not in err.getvalue()
