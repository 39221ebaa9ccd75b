"""`/healthz` tells the truth: 200 only while the app can serve (its stores can be written),
503 with the reason otherwise, and 200 again by itself once they can. A request the replay
memory cannot check is never acted on: the person who sent it is told privately (a click
through its response_url), never left with a bare 503 or a 500."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import psycopg
import pytest

from bot.frames.frameworks import Framework
from bot.slack.shared.values import FrameRef
from support.slack_app_harness import RunningApp
from support.slack_standin import SlackStandIn


def health(app: RunningApp) -> tuple[int, str]:
    reply = app.request("/healthz", method="GET")
    return reply.status, reply.body


def broken(folder: Path) -> Path:
    """`folder` replaced by a file, as a disk that no longer takes writes there looks to us."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.write_text("not a folder")
    return folder


def test_health_turns_503_while_the_draft_store_cannot_be_written_and_back(app: RunningApp) -> None:
    assert health(app) == (200, "ok\n")
    drafts = broken(app.data_dir / "drafts")
    status, reason = health(app)
    assert status == 503 and reason.startswith("the draft store cannot be written")
    drafts.unlink()
    assert health(app) == (200, "ok\n")


def test_a_replay_memory_that_cannot_be_written_acts_on_nothing_tells_who_waits_and_recovers(
        app: RunningApp, slack: SlackStandIn) -> None:
    assert app.command("help").status == 200
    replay = broken(app.data_dir / ".replay")
    reply = app.command("help")  # a person waits on a command: told privately, nothing done
    assert reply.status == 200 and reply.json["response_type"] == "ephemeral"
    assert reply.json["text"].startswith("Goals could not read or save its records just now, so this did not "
                                         "go through (error id ")
    slack.reset()
    click = app.click("goals_copy", FrameRef(family="cto", level="M2", framework=Framework.OKR).value())
    assert click.status == 200  # acknowledged: the person is told, not Slack asked to send it again
    app.settle()
    (told,) = slack.calls()  # told, through the click's response_url, and nothing done
    assert told.method == "response_url" and told.body["response_type"] == "ephemeral"
    assert told.body["text"].startswith("Goals could not read or save its records just now")
    status, reason = health(app)
    assert status == 503 and reason.startswith("the replay memory cannot be written")
    replay.unlink()
    assert app.command("help").status == 200
    assert health(app) == (200, "ok\n")
    slack.reset()
    assert app.click("goals_copy", FrameRef(family="cto", level="M2", framework=Framework.OKR).value()).status == 200
    app.settle()
    (copied,) = slack.calls()  # the same click works once the store is back
    assert copied.body["text"].startswith("Copy as text")


def test_a_click_while_the_database_is_down_is_told_privately_and_works_again_after(
        slack: SlackStandIn, tmp_path: Path, database_url: str) -> None:
    env = {"DATABASE_URL": database_url, "GOALS_DB_POOL_WAIT": "1", "GOALS_DB_CONNECT_TIMEOUT": "1"}
    copy = FrameRef(family="cto", level="M2", framework=Framework.OKR).value()
    with RunningApp(slack, data_dir=tmp_path / "a", env=env) as app:
        name = database_url.rsplit("/", 1)[1]
        with psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            try:
                assert app.click("goals_copy", copy).status == 200
                app.settle()
                (told,) = slack.calls()
                assert told.method == "response_url" and "could not read or save its records" in told.body["text"]
            finally:
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        deadline = time.monotonic() + 15  # the pool reconnects on its own
        while health(app) != (200, "ok\n"):
            assert time.monotonic() < deadline, "the database did not come back"
            time.sleep(0.2)
        slack.reset()
        assert app.click("goals_copy", copy).status == 200
        app.settle()
        (copied,) = slack.calls()
        assert copied.body["text"].startswith("Copy as text")


def test_health_turns_503_while_the_database_refuses_and_back(slack: SlackStandIn, tmp_path: Path,
                                                              database_url: str) -> None:
    env = {"DATABASE_URL": database_url, "GOALS_DB_POOL_WAIT": "1", "GOALS_DB_CONNECT_TIMEOUT": "1"}
    with RunningApp(slack, data_dir=tmp_path / "a", env=env) as app:
        assert health(app) == (200, "ok\n")
        name = database_url.rsplit("/", 1)[1]
        with psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            try:
                status, reason = health(app)
                assert status == 503 and "DATABASE_URL" in reason
            finally:
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        deadline = time.monotonic() + 15  # the pool tries again on its own, backing off
        while health(app) != (200, "ok\n"):
            assert time.monotonic() < deadline, "health did not come back"
            time.sleep(0.2)


def test_health_turns_503_when_the_data_directory_is_remounted_read_only_and_200_when_back(
        slack: SlackStandIn, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(data)], capture_output=True).returncode:
        pytest.skip("this machine lets no test mount a file system (it needs root with CAP_SYS_ADMIN)")

    def remount(mode: str) -> None:
        subprocess.run(["mount", "-o", f"remount,{mode}", str(data)], check=True, capture_output=True)

    try:
        with RunningApp(slack, data_dir=data) as app:
            assert health(app) == (200, "ok\n") and app.command("help").status == 200
            remount("ro")
            status, reason = health(app)
            assert status == 503 and "cannot be written" in reason and "Read-only file system" in reason
            refused = app.command("help")
            assert refused.status == 200 and "could not read or save its records" in refused.json["text"]
            remount("rw")
            assert health(app) == (200, "ok\n") and app.command("help").status == 200
    finally:
        subprocess.run(["umount", "-l", str(data)], capture_output=True)
