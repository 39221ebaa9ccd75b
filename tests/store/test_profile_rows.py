"""ProfileRows, the PostgreSQL backend of the profile store: what is about its rows. What every
backend must do is in test_contract.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import psycopg
import pytest
from psycopg.types.json import Jsonb

from bot.goals.model import Owner, Profile, Reminders
from bot.goals.storage import StorageError
from bot.settings import load_settings, store_settings
from bot.store.factory import open_stores
from bot.store.postgres import code_version, migrate, migrations
from support.postgres import own_database

PAT = Owner(team="T1", user="U1")


def test_a_broken_row_is_refused_naming_whose_it_is_and_never_overwritten(database_url: str) -> None:
    stores = open_stores(store_settings(location=database_url))
    try:
        stores.profiles.change(PAT, lambda current: Profile(owner=PAT, family="clinical-trials-ops"))
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute("UPDATE profiles SET document = '{\"owner\": {\"team\": \"T1\", \"user\": \"U1\"}, "
                         "\"level\": 7}'::jsonb")
        for read in (lambda: stores.profiles.get(PAT), stores.profiles.verify,
                     lambda: stores.profiles.change(PAT, lambda current: Profile(owner=PAT))):
            with pytest.raises(StorageError, match="profile of U1"):
                read()
        with psycopg.connect(database_url, autocommit=True) as conn:
            row = conn.execute("SELECT document->>'level' FROM profiles").fetchone()
        assert row == ("7",)
    finally:
        stores.close()


NOW = datetime(2025, 3, 10, 9, 30, tzinfo=UTC)


def test_the_due_time_is_a_column_written_with_the_document(database_url: str) -> None:
    stores = open_stores(store_settings(location=database_url))
    try:
        in_tokyo = NOW.astimezone(timezone(timedelta(hours=9)))
        stores.profiles.change(PAT, lambda current: Profile(owner=PAT, reminders=Reminders(due_at=in_tokyo)))
        with psycopg.connect(database_url, autocommit=True) as conn:
            assert conn.execute("SELECT remind_at FROM profiles").fetchall() == [(NOW,)]
            stores.profiles.change(PAT, lambda current: Profile(owner=PAT))
            assert conn.execute("SELECT remind_at FROM profiles").fetchall() == [(None,)]
    finally:
        stores.close()


def test_a_sweep_finds_who_is_due_through_the_index(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO profiles (enterprise, team, slack_user, document, updated_at, remind_at) "
            "SELECT '-', 'T1', 'U' || n, jsonb_build_object('owner', jsonb_build_object('team', 'T1', 'user', "
            "'U' || n)), now(), CASE WHEN n %% 1000 = 0 THEN %s::timestamptz + n * interval '1 minute' END "
            "FROM generate_series(1, 5000) AS n", (NOW,))
        conn.execute("ANALYZE profiles")
        plan = "\n".join(row[0] for row in conn.execute(
            "EXPLAIN SELECT enterprise, team, slack_user FROM profiles WHERE remind_at <= %s "
            "ORDER BY remind_at LIMIT %s", (NOW + timedelta(days=7), 100)))
    assert "profiles_remind_at" in plan, plan
    stores = open_stores(store_settings(location=database_url))
    try:
        assert [owner.user for owner in stores.profiles.due(NOW + timedelta(days=7), 100)] == [
            f"U{n}" for n in (1000, 2000, 3000, 4000, 5000)]
    finally:
        stores.close()


def test_the_migration_takes_the_due_time_of_profiles_stored_before_it() -> None:
    with own_database() as url, psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE goals_schema (version integer NOT NULL, "
                     "applied_at timestamptz NOT NULL DEFAULT now())")
        for version, sql in migrations():
            if version < 4:
                conn.execute(sql.encode())
                conn.execute("INSERT INTO goals_schema (version) VALUES (%s)", (version,))
        for user, reminders in (("U1", {"due_at": "2025-03-10T18:30:00+09:00"}), ("U2", {"due_at": None}),
                                ("U3", {}), ("U4", None)):
            document = {"owner": {"team": "T1", "user": user}}
            if reminders is not None:
                document["reminders"] = reminders
            conn.execute("INSERT INTO profiles (enterprise, team, slack_user, document, updated_at) "
                         "VALUES ('-', 'T1', %s, %s, now())", (user, Jsonb(document)))
        settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s",
                                  "DATABASE_URL": url}, dotenv=None)
        assert settings.database is not None
        assert migrate(settings.database) == (3, code_version())
        assert conn.execute("SELECT slack_user, remind_at FROM profiles ORDER BY slack_user").fetchall() == [
            ("U1", NOW), ("U2", None), ("U3", None), ("U4", None)]
        assert conn.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'profiles_remind_at'").fetchone() \
            == ("CREATE INDEX profiles_remind_at ON public.profiles USING btree (remind_at) "
                "WHERE (remind_at IS NOT NULL)",)
