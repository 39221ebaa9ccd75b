"""PostgreSQL behind the app, over signed HTTP: many hosts, one truth; failures told, never
silent. Each host here is the whole app with a data directory of its own and one database."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from bot.canon.repository import CanonRepository
from bot.goals.drafts.drafting import NAME_KEY
from bot.goals.model import Owner
from support.draft_flow import fill, listed, okr_m2, open_form, settled, went_on
from support.slack_app_harness import RunningApp
from support.slack_standin import SlackStandIn

PAT = Owner(team="T333", user="U111")


@pytest.fixture
def hosts(slack: SlackStandIn, tmp_path: Path, database_url: str) -> Iterator[tuple[RunningApp, RunningApp]]:
    env = {"DATABASE_URL": database_url}
    with RunningApp(slack, data_dir=tmp_path / "a", env=env) as a, \
            RunningApp(slack, data_dir=tmp_path / "b", env=env) as b:
        yield a, b


def test_a_draft_saved_on_one_host_is_listed_on_the_other(hosts: tuple[RunningApp, RunningApp],
                                                          slack: SlackStandIn, repository: CanonRepository,
                                                          tmp_path: Path) -> None:
    a, b = hosts
    view = open_form(a, slack)
    assert went_on(a.submit(view, fill(view, okr_m2(repository), target="from host a")))  # the first step saved
    settled(slack, 1)
    answer = b.command("drafts").json
    assert len(listed(answer)) == 1
    (draft,) = b.stores.drafts.list(PAT)
    assert set(draft.values.values()) == {"from host a"}
    # The same form saved again through the other host updates the one DM message in place.
    assert went_on(b.submit(view, fill(view, okr_m2(repository), target="from host b")))
    settled(slack, 2)
    assert len(slack.calls("chat.postMessage")) == 1
    (updated,) = slack.calls("chat.update")
    (draft,) = a.stores.drafts.list(PAT)
    assert (updated.body["channel"], updated.body["ts"]) == (draft.dm_channel, draft.dm_ts)
    assert "from host b" in str(updated.body["blocks"])
    # No person's data on either host's disk.
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_a_request_answered_by_one_host_is_refused_as_a_replay_by_the_other(
        hosts: tuple[RunningApp, RunningApp]) -> None:
    a, b = hosts
    body = a.command_body("help")
    stamp = str(int(time.time()))
    first = a.signed(body, timestamp=int(stamp))
    again = b.signed(body, timestamp=int(stamp))
    assert first.status == 200 and "Goals" in first.body
    assert again.status == 401 and "replayed" in again.body


def test_connections_the_database_dropped_are_replaced_on_the_next_request(
        hosts: tuple[RunningApp, RunningApp], slack: SlackStandIn, repository: CanonRepository,
        database_url: str) -> None:
    a, _ = hosts
    assert a.command("drafts").status == 200  # the pool has a connection now
    with psycopg.connect(database_url, autocommit=True) as admin:  # a restart, as the app sees it
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    view = open_form(a, slack)
    assert went_on(a.submit(view, fill(view, okr_m2(repository), target="after the restart")))
    assert {v for d in a.stores.drafts.list(PAT) for v in d.values.values()} == {"after the restart"}


def test_a_statement_slower_than_its_timeout_is_told_in_time_and_loses_nothing(
        slack: SlackStandIn, tmp_path: Path, database_url: str, repository: CanonRepository) -> None:
    env = {"DATABASE_URL": database_url, "GOALS_DB_STATEMENT_TIMEOUT_MS": "300"}
    with RunningApp(slack, data_dir=tmp_path / "a", env=env) as app:
        view = open_form(app, slack)
        locked, release = threading.Event(), threading.Event()

        def hold_the_table() -> None:
            with psycopg.connect(database_url) as conn:
                conn.execute("LOCK TABLE drafts IN ACCESS EXCLUSIVE MODE")
                locked.set()
                release.wait(10)

        holder = threading.Thread(target=hold_the_table)
        holder.start()
        try:
            assert locked.wait(5)
            entries = fill(view, okr_m2(repository), target="typed")
            reply = app.submit(view, entries)
        finally:
            release.set()
            holder.join(10)
        assert reply.status == 200 and reply.seconds < 3
        # Beside the first step's first input (the draft's name): what was typed stays.
        assert list(reply.json["errors"]) == [NAME_KEY]
        (text,) = reply.json["errors"].values()
        assert "could not be saved" in text and "error id" in text
        assert app.stores.drafts.list(PAT) == []
        assert went_on(app.submit(view, entries))  # the same step, once the database answers
        assert len(app.stores.drafts.list(PAT)) == 1


def test_no_free_connection_is_told_in_time_with_an_error_id(
        slack: SlackStandIn, tmp_path: Path, database_url: str, repository: CanonRepository) -> None:
    env = {"DATABASE_URL": database_url, "GOALS_DB_POOL_SIZE": "1", "GOALS_DB_POOL_WAIT": "1"}
    with RunningApp(slack, data_dir=tmp_path / "a", env=env) as app:
        view = open_form(app, slack)
        pool = app.stores.drafts._pool  # type: ignore[attr-defined]
        held = pool.getconn()  # every connection the process may have is busy
        try:
            reply = app.submit(view, fill(view, okr_m2(repository), target="typed"))
            drafts = app.command("drafts")
        finally:
            pool.putconn(held)
        assert reply.status == 200 and reply.seconds < 3
        assert list(reply.json["errors"]) == [NAME_KEY]
        (text,) = reply.json["errors"].values()
        assert "could not be saved" in text and "error id" in text
        assert drafts.status == 200 and drafts.seconds < 3
        assert "could not read or save its records" in drafts.json["text"] and "error id" in drafts.json["text"]
        assert went_on(app.submit(view, fill(view, okr_m2(repository), target="typed")))  # free again


def test_a_replay_memory_that_cannot_answer_acts_on_nothing_and_tells_who_waits(
        slack: SlackStandIn, tmp_path: Path, database_url: str) -> None:
    env = {"DATABASE_URL": database_url, "GOALS_DB_POOL_WAIT": "1"}
    with RunningApp(slack, data_dir=tmp_path / "a", env=env) as app:
        gate_pool = app.stores.replay._pool  # type: ignore[attr-defined]
        held = [gate_pool.getconn(), gate_pool.getconn()]  # both of the gate's connections
        try:
            reply = app.command("help")
            event = app.home_opened()
        finally:
            for conn in held:
                gate_pool.putconn(conn)
        assert reply.status == 200 and reply.seconds < 3 and "error id" in reply.json["text"]  # told, in time
        assert (event.status, event.body) == (503, "storage unavailable\n")  # Slack sends events again
        assert app.command("help").status == 200  # answered again once it can check
