"""PostgreSQL's own behaviour: migrations, the URL's password, failures told in one line.
What every store must do is in the contract suite, run against PostgreSQL too."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

from bot.goals.storage import StorageError
from bot.settings import DatabaseSettings, load_settings, mask_password
from bot.store.postgres import code_version, migrate
from support.postgres import own_database

BASE = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s"}


def database(url: str, **extra: str) -> DatabaseSettings:
    settings = load_settings({**BASE, "DATABASE_URL": url, **extra}, dotenv=None)
    assert settings.database is not None
    return settings.database


def schema_versions(url: str) -> list[int]:
    with psycopg.connect(url) as conn:
        return [row[0] for row in conn.execute("SELECT version FROM goals_schema ORDER BY version")]


def test_heroku_style_urls_are_read_and_passwords_never_shown() -> None:
    settings = database("postgres://goals:s3cret@db.example:5432/goals")
    assert settings.url.get_secret_value() == "postgresql://goals:s3cret@db.example:5432/goals"
    assert settings.shown == "postgresql://goals:***@db.example:5432/goals"
    assert "s3cret" not in repr(settings) and "s3cret" not in str(settings)
    assert mask_password("postgresql://db.example/goals") == "postgresql://db.example/goals"


def test_a_url_that_is_not_postgres_is_refused_in_one_line() -> None:
    from bot.settings import SettingsError

    with pytest.raises(SettingsError) as caught:
        database("mysql://root:pw@db/goals")
    assert "DATABASE_URL" in str(caught.value) and "pw" not in str(caught.value)


def test_ten_hosts_starting_at_once_migrate_once() -> None:
    with own_database() as url:
        results: list[tuple[int, int]] = []
        errors: list[BaseException] = []

        def start() -> None:
            try:
                results.append(migrate(database(url)))
            except BaseException as error:  # reported below
                errors.append(error)

        threads = [threading.Thread(target=start) for _ in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert errors == []
        assert sorted(results) == [(0, code_version())] + [(code_version(), code_version())] * 9
        assert schema_versions(url) == list(range(1, code_version() + 1))


def test_a_database_newer_than_the_code_is_refused() -> None:
    with own_database() as url:
        migrate(database(url))
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("INSERT INTO goals_schema (version) VALUES (%s)", (code_version() + 1,))
        with pytest.raises(StorageError, match="newer than this Goals knows"):
            migrate(database(url))


def run_goals_bot(env: dict[str, str], tmp_path: Path) -> tuple[int, str, float]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "bot.web.server", "http"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    return done.returncode, done.stderr, time.monotonic() - started


def test_an_unreachable_database_stops_start_up_in_one_line_with_the_password_masked(tmp_path: Path) -> None:
    # Nothing listens on port 9 of this machine: the connection is refused at once.
    env = {"PATH": "/usr/bin:/bin", **BASE, "SLACK_API_URL": "http://127.0.0.1:9/api/",
           "DATABASE_URL": "postgresql://goals:s3cret@127.0.0.1:9/goals", "GOALS_DB_CONNECT_TIMEOUT": "3"}
    code, stderr, seconds = run_goals_bot(env, tmp_path)
    assert code == 78
    lines = [line for line in stderr.splitlines() if line.startswith("goals-bot:")]
    assert len(lines) == 1 and "DATABASE_URL" in lines[0], stderr
    assert "postgresql://goals:***@127.0.0.1:9/goals" in lines[0]
    assert "s3cret" not in stderr
    assert seconds < 15
    assert not (tmp_path / "data").exists()  # nothing written to the host's disk
