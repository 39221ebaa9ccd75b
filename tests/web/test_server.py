"""Start-up and serving: settings, goals-bot under gunicorn, the manifest and its files."""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli.main import main as cli_main
from bot.settings import SettingsError, load_settings
from bot.store.factory import prepare_stores
from bot.web.logs import RedactTokens, configure_logging
from bot.web.server import EXIT_CONFIG, main
from support.canon_files import write_canon_dir
from support.paths import REPO_ROOT
from support.ports import free_port
from support.slack_app_harness import BOT_TOKEN, SIGNING_SECRET, RunningApp
from support.slack_standin import SlackStandIn, refused_base_url

GOOD = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}


# Settings -----------------------------------------------------------------------------------

def test_defaults(tmp_path: Path) -> None:
    settings = load_settings(GOOD, dotenv=None)
    assert (settings.port, settings.socket_mode, settings.slack_api_url) == (3000, False, "https://slack.com/api/")
    assert settings.canon_dir == REPO_ROOT / "canon"
    assert settings.data_dir == Path("data")


@pytest.mark.parametrize("env, variable", [
    ({}, "SLACK_BOT_TOKEN"),
    ({"SLACK_BOT_TOKEN": "  "}, "SLACK_BOT_TOKEN"),
    ({"SLACK_BOT_TOKEN": "xoxp-user-token", "SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
    ({"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_SIGNING_SECRET"),
    ({**GOOD, "SLACK_APP_TOKEN": "xoxb-wrong-kind"}, "SLACK_APP_TOKEN"),
    ({**GOOD, "PORT": "http"}, "PORT"),
    ({**GOOD, "PORT": "0"}, "PORT"),
    ({**GOOD, "PORT": "70000"}, "PORT"),
    ({**GOOD, "PORT": "80²"}, "PORT"),  # a digit to str.isdigit, not to int()
    ({**GOOD, "SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL"),
    ({**GOOD, "SLACK_API_TIMEOUT": "0"}, "SLACK_API_TIMEOUT"),
    ({**GOOD, "SLACK_API_TIMEOUT": "2.5"}, "SLACK_API_TIMEOUT"),
    ({**GOOD, "SLACK_API_TIMEOUT": "600"}, "SLACK_API_TIMEOUT"),
    ({**GOOD, "WEB_CONCURRENCY": "two"}, "WEB_CONCURRENCY"),
    ({**GOOD, "WEB_CONCURRENCY": "0"}, "WEB_CONCURRENCY"),  # a port that would never answer
    ({**GOOD, "GOALS_THREADS": "-1"}, "GOALS_THREADS"),
    ({**GOOD, "DATABASE_URL": "sqlite:///goals.db"}, "DATABASE_URL"),
    ({**GOOD, "DATABASE_URL": "postgresql://db/goals", "GOALS_DB_POOL_SIZE": "0"}, "GOALS_DB_POOL_SIZE"),
    ({**GOOD, "DATABASE_URL": "postgresql://db/goals", "GOALS_DB_POOL_WAIT": "0.5"}, "GOALS_DB_POOL_WAIT"),
    ({**GOOD, "DATABASE_URL": "postgresql://db/goals", "GOALS_DB_STATEMENT_TIMEOUT_MS": "x"},
     "GOALS_DB_STATEMENT_TIMEOUT_MS"),
    ({**GOOD, "DATABASE_URL": "postgresql://db/goals", "GOALS_DB_CONNECT_TIMEOUT": "999"},
     "GOALS_DB_CONNECT_TIMEOUT"),
])
def test_missing_or_malformed_settings_name_the_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(env, dotenv=None)
    message = str(caught.value)
    assert message.startswith(variable) and "\n" not in message
    for secret in env.values():
        if secret.startswith("xox"):
            assert secret not in message


def test_socket_mode_needs_no_signing_secret() -> None:
    settings = load_settings({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xapp-1-abc"}, dotenv=None)
    assert settings.socket_mode and settings.signing_secret is None


def test_dotenv_fills_what_the_environment_leaves_unset(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"SLACK_BOT_TOKEN={BOT_TOKEN}\nSLACK_SIGNING_SECRET=from-file\nPORT=4000\n")
    settings = load_settings({"PORT": "5000"}, dotenv=dotenv)
    assert settings.port == 5000
    assert settings.signing_secret is not None and settings.signing_secret.get_secret_value() == "from-file"


def test_secrets_never_show_in_repr() -> None:
    settings = load_settings({**GOOD, "SLACK_APP_TOKEN": "xapp-1-secret"}, dotenv=None)
    shown = repr(settings) + str(settings) + settings.model_dump_json()
    for secret in (BOT_TOKEN, SIGNING_SECRET, "xapp-1-secret"):
        assert secret not in shown


def test_log_lines_have_tokens_redacted() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "calling with %s and %s",
                               (BOT_TOKEN, "xapp-1-A1-abc"), None)
    assert RedactTokens().filter(record)
    assert record.getMessage() == "calling with xoxb-<redacted> and xapp-<redacted>"


@pytest.mark.parametrize(("token", "redacted"), [
    ("xoxp-1-a-user-token", "xoxp-<redacted>"),  # a user token, pasted in the wrong place
    ("xoxe.xoxb-1-a-rotating-token", "xoxe.xoxb-<redacted>"),  # token rotation's access token ...
    ("xoxe-1-a-refresh-token", "xoxe-<redacted>"),  # ... and its refresh token
    ("xoxa-2-a-workspace-token", "xoxa-<redacted>"),  # legacy workspace apps
    ("xoxr-a-refresh-token", "xoxr-<redacted>"),
])
def test_every_kind_of_slack_token_is_redacted(token: str, redacted: str) -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "token=%s.", (token,), None)
    assert RedactTokens().filter(record)
    assert record.getMessage() == f"token={redacted}."


def test_goals_bot_logging_redacts_tokens_from_every_logger(monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        configure_logging()
        logging.getLogger("slack_sdk.web.base_client").warning("retrying with %s", BOT_TOKEN)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    err = capsys.readouterr().err
    assert "retrying with xoxb-<redacted>" in err and BOT_TOKEN not in err


# goals-bot start-up ---------------------------------------------------------------------------

@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.startswith(("SLACK_", "GOALS_")) or name == "PORT":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return monkeypatch


def test_goals_bot_refuses_bad_usage(clean_env: pytest.MonkeyPatch) -> None:
    assert main(["serve", "now"]) == 2


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    return err


def test_goals_bot_stops_on_missing_settings(clean_env: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == EXIT_CONFIG
    assert _one_line(capsys).startswith("goals-bot: SLACK_BOT_TOKEN is not set")


def test_goals_bot_stops_on_broken_canon(clean_env: pytest.MonkeyPatch, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    canon = write_canon_dir(tmp_path / "canon", raw={"levels.json": "{"})
    for name, value in {**GOOD, "GOALS_CANON_DIR": str(canon)}.items():
        clean_env.setenv(name, value)
    assert main([]) == EXIT_CONFIG
    err = capsys.readouterr().err
    assert "levels.json: JSON syntax error at line 1" in err and "Traceback" not in err


@pytest.mark.parametrize("content", [b'{"drafts": {"1": ', b"\x00\xff\xfe garbage \x89PNG"],
                         ids=["truncated", "corrupt"])
def test_an_unreadable_draft_file_is_found_by_store_check_not_at_start_up(
        clean_env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes) -> None:
    broken = tmp_path / "data" / "drafts" / "-" / "T1" / "U1.json"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(content)
    for name, value in {**GOOD, "GOALS_DATA_DIR": str(tmp_path / "data")}.items():
        clean_env.setenv(name, value)
    # Start-up reads no person's file, however many there are ...
    assert prepare_stores(load_settings(dotenv=None).store).startswith("store: files under")
    # ... and `goals store check` reads them all, naming the broken one.
    assert cli_main(["store", "check"]) == 1
    err = _one_line(capsys)
    assert err.startswith(f"goals: draft store file {broken} cannot be read")
    assert broken.read_bytes() == content


def test_goals_bot_stops_when_slack_refuses_the_token(clean_env: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    with SlackStandIn() as slack:
        for name, value in {**GOOD, "SLACK_API_URL": slack.api_url}.items():
            clean_env.setenv(name, value)
        slack.fail("auth.test", error="invalid_auth")
        assert main(["http"]) == EXIT_CONFIG
    assert _one_line(capsys) == "goals-bot: SLACK_BOT_TOKEN was refused by Slack (invalid_auth)"


def test_goals_bot_stops_when_slack_is_down_without_blaming_the_token(clean_env: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    with SlackStandIn() as slack:
        slack.server_error("auth.test", status=503, times=2)  # the first try and its retry
        for name, value in {**GOOD, "SLACK_API_URL": slack.api_url}.items():
            clean_env.setenv(name, value)
        assert main(["http"]) == EXIT_CONFIG
        url = slack.api_url
    last = capsys.readouterr().err.splitlines()[-1]  # the SDK logs its retry first
    assert last == (f"goals-bot: could not check SLACK_BOT_TOKEN: Slack's servers answered with an error (503) "
                    f"at {url} (SLACK_API_URL); try again shortly")


def test_goals_bot_stops_when_slack_cannot_be_reached(clean_env: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{refused_base_url()}/api/"
    for name, value in {**GOOD, "SLACK_API_URL": url}.items():
        clean_env.setenv(name, value)
    assert main(["http"]) == EXIT_CONFIG
    err = capsys.readouterr().err
    # The SDK logs its attempts first; the last line says what to fix.
    assert err.splitlines()[-1].startswith(f"goals-bot: cannot reach the Slack Web API at {url} (SLACK_API_URL): ")
    assert "Traceback" not in err


def test_goals_bot_socket_mode_needs_the_app_token(clean_env: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    for name, value in GOOD.items():
        clean_env.setenv(name, value)
    assert main(["socket"]) == EXIT_CONFIG
    assert _one_line(capsys).startswith("goals-bot: SLACK_APP_TOKEN is not set")


# The production server ------------------------------------------------------------------------

@contextmanager
def serving(tmp_path: Path, extra: dict[str, str] | None = None) -> Iterator[tuple[str, SlackStandIn, list[str]]]:
    """`goals-bot http` as its own process: gunicorn, two workers, real sockets. The list
    holds every line it wrote, once it has stopped."""
    written: list[str] = []
    with SlackStandIn() as slack:
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "GOALS_", "LOG_", "PROMETHEUS_"))}
        env.update(GOOD, SLACK_API_URL=slack.api_url, PORT=str(port), WEB_CONCURRENCY="2", **(extra or {}))
        process = subprocess.Popen([sys.executable, "-m", "bot.web.server", "http"], env=env, cwd=tmp_path,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(150):
                try:
                    with urllib.request.urlopen(url + "/healthz", timeout=1) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    time.sleep(0.1)
            else:
                pytest.fail("goals-bot did not answer /healthz within 15 s")
            yield url, slack, written
        finally:
            process.send_signal(signal.SIGTERM)
            output = process.communicate(timeout=15)[0].decode()
            assert BOT_TOKEN not in output and SIGNING_SECRET not in output
            written.extend(output.splitlines())


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, SlackStandIn]]:
    with serving(tmp_path) as (url, slack, _):
        yield url, slack


def test_goals_bot_serves_signed_commands_under_gunicorn(served: tuple[str, SlackStandIn]) -> None:
    from slack_sdk.signature import SignatureVerifier

    url, _slack = served
    body = "command=%2Fgoals&text=M4+cpm+okr&user_id=U1&channel_id=C1&team_id=T1&response_url=http%3A%2F%2Fx"
    stamp = str(int(time.time()))
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": stamp,
               "X-Slack-Signature": SignatureVerifier(SIGNING_SECRET).generate_signature(
                   timestamp=stamp, body=body)}
    request = urllib.request.Request(url + "/slack/events", body.encode(), headers=headers)
    with urllib.request.urlopen(request, timeout=5) as answer:
        message = json.loads(answer.read())
    assert message["response_type"] == "ephemeral"
    assert message["blocks"][0]["text"]["text"] == "OKRs — Clinical Project Management · M4"
    forged = urllib.request.Request(url + "/slack/events", body.encode(),
                                    headers={**headers, "X-Slack-Signature": "v0=" + "0" * 64})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(forged, timeout=5)
    assert refused.value.code == 401


def _signed_goals(url: str, text: str, nonce: int) -> tuple[int, float]:
    from slack_sdk.signature import SignatureVerifier

    body = (f"command=%2Fgoals&text={text}&user_id=U1&channel_id=C1&team_id=T1&response_url=http%3A%2F%2Fx"
            f"&trigger_id={nonce}")  # each request its own: a replay would be refused
    stamp = str(int(time.time()))
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": stamp,
               "X-Slack-Signature": SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp, body=body)}
    started = time.monotonic()
    with urllib.request.urlopen(urllib.request.Request(url + "/slack/events", body.encode(), headers=headers),
                                timeout=5) as answer:
        answer.read()
        return answer.status, time.monotonic() - started


def test_slow_clients_hold_no_thread_that_answers_slack(served: tuple[str, SlackStandIn]) -> None:
    """32 connections that send their headers, then a body byte now and then (twice the
    threads gunicorn had, which sixteen of them used to fill): everyone else is still
    answered within a second."""
    url, _slack = served
    port = int(url.rsplit(":", 1)[1])
    slow = []
    try:
        for _ in range(32):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 5000\r\n\r\n{")
            slow.append(sock)
        time.sleep(0.3)  # every slow connection is in, waiting on its body
        for sock in slow:
            sock.sendall(b" ")
        for nonce in range(5):
            started = time.monotonic()
            with urllib.request.urlopen(url + "/healthz", timeout=5) as answer:
                assert answer.status == 200
            assert time.monotonic() - started < 1.0
            status, seconds = _signed_goals(url, "M4+cpm+okr", nonce)
            assert status == 200 and seconds < 1.0
    finally:
        for sock in slow:
            sock.close()


def _metric(text: str, sample: str) -> float:
    """The value of one sample line of Prometheus' text format (0 where it is not there yet)."""
    found = re.search(rf"^{re.escape(sample)} ([0-9.e+]+)$", text, re.M)
    return float(found.group(1)) if found else 0.0


def test_under_gunicorn_any_worker_counts_every_workers_requests_and_every_line_is_json(tmp_path: Path) -> None:
    sample = 'goals_requests_total{kind="command",outcome="ok"}'
    with serving(tmp_path, {"LOG_FORMAT": "json"}) as (url, _slack, written):
        for nonce in range(6):  # spread over both workers
            assert _signed_goals(url, "M4+cpm+okr", nonce)[0] == 200
        for _ in range(4):  # whichever worker answers, it adds up both
            with urllib.request.urlopen(url + "/metrics", timeout=5) as answer:
                text = answer.read().decode()
            assert answer.headers["Content-Type"].startswith("text/plain")
            assert _metric(text, sample) == 6
            assert _metric(text, 'goals_ack_seconds_count{kind="command"}') == 6
            # Unlabelled metrics too: each worker's catch-up has set the backlog (0 here).
            assert re.search(r"^goals_catch_up_backlog 0\.0$", text, re.M), text
    assert written, "goals-bot wrote nothing"
    lines = [json.loads(line) for line in written]  # every line: one JSON object
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    access = [line for line in lines if "/slack/events" in line["message"]]
    assert len(access) == 6 and all("200" in line["message"] for line in access)  # the access log, on
    assert any("gunicorn" in line["message"].lower() for line in lines)  # gunicorn's own lines too


# Manifest, Procfile, .env.example --------------------------------------------------------------

def test_manifest_declares_the_command_interactivity_home_and_only_needed_scopes() -> None:
    manifest = yaml.safe_load((REPO_ROOT / "manifest.yml").read_text())
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == "/goals"
    assert "M2 clinical-trials-ops okr" in command["usage_hint"]
    assert command["url"].endswith("/slack/events")
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["interactivity"]["request_url"].endswith("/slack/events")
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {"commands", "chat:write", "users:read", "im:write",
                                                              "im:history", "files:write"}


def test_procfile_migrates_in_the_release_phase_and_runs_http_and_socket_mode() -> None:
    lines = (REPO_ROOT / "Procfile").read_text().splitlines()
    assert lines == ["release: goals store migrate", "web: goals-bot http", "worker: goals-bot socket"]


def test_env_example_documents_every_variable_the_app_reads() -> None:
    documented = set(re.findall(r"^([A-Z_]+)=", (REPO_ROOT / ".env.example").read_text(), re.M))
    settings = (REPO_ROOT / "bot" / "settings.py").read_text()
    read = set(re.findall(r'\bget\("([A-Z_]+)"', settings))
    assert {"SLACK_BOT_TOKEN", "PORT", "WEB_CONCURRENCY", "GOALS_CANON_DIR", "LOG_LEVEL"} <= read  # the scan works
    assert read <= documented, read - documented


def test_log_level_is_checked_before_anything_starts(clean_env: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    for name, value in {**GOOD, "LOG_LEVEL": "verbose"}.items():
        clean_env.setenv(name, value)
    assert main([]) == EXIT_CONFIG
    assert _one_line(capsys) == ("goals-bot: LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, "
                                 "not 'VERBOSE'")


def test_no_module_but_settings_reads_the_environment() -> None:
    readers = {path.relative_to(REPO_ROOT).as_posix() for path in (REPO_ROOT / "bot").rglob("*.py")
               if re.search(r"\bos\.environ\b|\bgetenv\(", path.read_text())}
    assert readers == {"bot/settings.py"}


def test_goals_bot_runs_socket_mode_when_the_app_token_is_set(clean_env: pytest.MonkeyPatch) -> None:
    """No workspace here, so Bolt's SocketModeHandler is replaced by a recorder."""
    started: list[tuple[object, str]] = []

    class FakeHandler:
        def __init__(self, app: object, app_token: str) -> None:
            self.app, self.app_token = app, app_token

        def start(self) -> None:
            started.append((self.app, self.app_token))

    clean_env.setattr("slack_bolt.adapter.socket_mode.SocketModeHandler", FakeHandler)
    with SlackStandIn() as slack:
        for name, value in {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xapp-1-A1-xyz",
                            "SLACK_API_URL": slack.api_url}.items():
            clean_env.setenv(name, value)
        assert main([]) == 0  # no argument: the app token picks Socket Mode
    ((app, token),) = started
    assert token == "xapp-1-A1-xyz"
    from slack_bolt import App
    assert isinstance(app, App)


def test_every_console_script_names_a_function_that_exists() -> None:
    # The Procfile runs `goals-bot`; a script pointing at a moved module fails only on a host.
    import importlib
    import tomllib

    scripts = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert set(scripts) == {"goals", "goals-bot"}
    for target in scripts.values():
        module, _, function = target.partition(":")
        assert callable(getattr(importlib.import_module(module), function)), target


def test_goals_bot_stops_in_one_line_when_slack_refuses_the_app_token(clean_env: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    with SlackStandIn() as slack:
        for name, value in {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xapp-1-A1-revoked",
                            "SLACK_API_URL": slack.api_url}.items():
            clean_env.setenv(name, value)
        slack.fail("apps.connections.open", error="invalid_auth")
        assert main(["socket"]) == EXIT_CONFIG
    assert _one_line(capsys) == "goals-bot: SLACK_APP_TOKEN was refused by Slack (invalid_auth)"


@pytest.mark.parametrize("command", [cli_main, main])
def test_both_commands_say_their_version(command: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert command(["--version"]) == 0
    out = capsys.readouterr().out
    assert re.fullmatch(r"goals(-bot)? \d+\.\d+\.\d+\n", out)


def test_bolt_says_nothing_of_the_token_it_reads_itself(clean_env: pytest.MonkeyPatch,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    clean_env.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)  # as on every host: Bolt reads it too
    with SlackStandIn() as slack, caplog.at_level(logging.WARNING), RunningApp(slack):
        pass
    assert [r.getMessage() for r in caplog.records if "unused" in r.getMessage()] == []
