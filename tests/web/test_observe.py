"""What the running app tells its operator: `/metrics` counts what was just answered and
every Slack call by outcome; JSON log lines name the request, never a token or a typed value."""

from __future__ import annotations

import io
import json
import logging
import re
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.canon.repository import CanonRepository
from bot.observe import in_request
from bot.web.logs import JsonLines, RedactTokens
from support.draft_flow import okr_m2, open_form, submit_all
from support.slack_app_harness import RunningApp
from support.slack_standin import SlackStandIn


@pytest.fixture
def app(slack: SlackStandIn, store_env: dict[str, str], tmp_path: Path) -> Iterator[RunningApp]:
    with RunningApp(slack, data_dir=tmp_path / "data", env=store_env) as running:
        yield running


def metrics(app: RunningApp) -> str:
    with urllib.request.urlopen(app.url + "/metrics", timeout=5) as answer:
        assert answer.status == 200
        return answer.read().decode()


def value(text: str, sample: str) -> float:
    found = re.search(rf"^{re.escape(sample)} ([0-9.e+]+)$", text, re.M)
    return float(found.group(1)) if found else 0.0


def test_metrics_count_a_goals_just_answered_and_its_ack_time(app: RunningApp) -> None:
    ok = 'goals_requests_total{kind="command",outcome="ok"}'
    timed = 'goals_ack_seconds_count{kind="command"}'
    before = metrics(app)
    assert app.command("M2 cto okr").status == 200
    after = metrics(app)
    assert value(after, ok) == value(before, ok) + 1
    assert value(after, timed) == value(before, timed) + 1
    # A forged request is counted as refused, never as answered.
    refused = 'goals_requests_total{kind="command",outcome="refused"}'
    assert app.request("/slack/events", app.command_body("M2 cto okr"), headers={
        "X-Slack-Signature": "v0=" + "0" * 64, "X-Slack-Request-Timestamp": "1"}).status == 401
    assert value(metrics(app), refused) == value(after, refused) + 1
    assert "U111" not in metrics(app) and "T333" not in metrics(app)  # no person, no team


def test_metrics_count_slack_calls_by_method_and_outcome_429s_included(app: RunningApp,
                                                                        slack: SlackStandIn) -> None:
    limited = 'goals_slack_calls_total{method="views.open",outcome="rate_limited"}'
    opened = 'goals_slack_calls_total{method="views.open",outcome="ok"}'
    before = metrics(app)
    slack.rate_limit("views.open", retry_after=30)
    app.command("draft M2 cto okr")
    app.settle()
    app.command("draft M2 cto okr")
    app.settle()
    after = metrics(app)
    assert value(after, limited) == value(before, limited) + 1
    assert value(after, opened) == value(before, opened) + 1


def test_metrics_count_the_dm_message_a_save_posts(app: RunningApp, slack: SlackStandIn,
                                                   repository: CanonRepository) -> None:
    posted = 'goals_dm_messages_total{how="posted"}'
    before = metrics(app)
    submit_all(app, open_form(app, slack), okr_m2(repository), target="12 sites")
    app.settle()
    assert value(metrics(app), posted) == value(before, posted) + 1


def _line(record: logging.LogRecord) -> dict[str, object]:
    RedactTokens().filter(record)
    parsed = json.loads(JsonLines().format(record))
    assert isinstance(parsed, dict)
    return parsed


def test_a_json_line_names_the_request_and_the_error_id_never_a_token_or_what_was_typed() -> None:
    typed = " ".join(["14", "sites"])  # what a person typed, as a library's message may quote it
    try:
        raise ValueError(f"input_value={typed!r}")
    except ValueError:
        record = logging.LogRecord("goals", logging.ERROR, __file__, 1, "error id %s: %s with xoxb-1-2-abc",
                                   ("0123456789", "ValueError"), exc_info=sys.exc_info())
    with in_request("view_submission", "T333"):
        line = _line(record)
    assert line["level"] == "error" and line["logger"] == "goals" and line["error_id"] == "0123456789"
    assert (line["kind"], line["team"]) == ("view_submission", "T333")
    assert line["exception"] == "ValueError" and "test_observe.py" in str(line["where"])
    shown = json.dumps(line)
    assert "14 sites" not in shown and "xoxb-1-2-abc" not in shown and "xoxb-<redacted>" in shown
    outside = _line(logging.LogRecord("goals", logging.INFO, __file__, 1, "plain", None, None))
    assert "team" not in outside and "kind" not in outside


def test_goals_bot_says_why_it_stopped_as_json_when_asked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from bot.web.server import EXIT_CONFIG, main

    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LOG_FORMAT", "json")
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    assert main([]) == EXIT_CONFIG
    (line,) = stream.getvalue().splitlines()
    said = json.loads(line)
    assert said["level"] == "critical" and said["message"].startswith("goals-bot: SLACK_BOT_TOKEN is not set")
    monkeypatch.setenv("LOG_FORMAT", "yaml")
    stream.truncate(0)
    stream.seek(0)
    assert main([]) == EXIT_CONFIG
    assert stream.getvalue() == "goals-bot: LOG_FORMAT must be text or json, not 'yaml'\n"


def test_a_made_up_request_type_is_counted_as_other_never_as_a_label_of_its_own() -> None:
    from bot.observe import request_kind

    assert request_kind({"type": "block_actions"}) == "block_actions"
    assert request_kind({"command": "/goals"}) == "command"
    assert request_kind({"type": "event_callback"}) == "event"
    assert {request_kind({"type": f"made_up_{n}"}) for n in range(100)} == {"other"}
    assert request_kind({"type": []}) == request_kind({"type": {"a": 1}}) == "other"  # any shape a body holds
