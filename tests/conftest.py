"""Shared fixtures: the shipped canon, and small canons written inside the tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.canon.repository import CanonRepository
from support.canon_files import write_canon_dir
from support.paths import SHIPPED_CANON
from support.postgres import empty_tables, own_database
from support.slack_app_harness import RunningApp
from support.slack_standin import SlackStandIn


@pytest.fixture(scope="session")
def repository() -> CanonRepository:
    return CanonRepository.open(SHIPPED_CANON)


@pytest.fixture
def write_canon(tmp_path: Path) -> Callable[..., Path]:
    """`write_canon(levels=..., families=..., raw={path: text})` -> a canon directory."""

    def write(**kwargs: object) -> Path:
        return write_canon_dir(tmp_path / "canon", **kwargs)  # type: ignore[arg-type]

    return write


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    """A local stand-in for Slack's Web API and response_urls, recording every call."""
    with SlackStandIn() as standin:
        yield standin


@pytest.fixture
def app(slack: SlackStandIn, tmp_path: Path) -> Iterator[RunningApp]:
    """The app on the shipped canon behind a real HTTP server, with a draft store of its own."""
    with RunningApp(slack, data_dir=tmp_path / "data") as running:
        yield running


@pytest.fixture(scope="session")
def migrated_database() -> Iterator[str]:
    """The URL of this run's own PostgreSQL database, migrated to the code's schema."""
    from bot.settings import load_settings
    from bot.store.postgres import migrate

    with own_database() as url:
        settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s",
                                  "DATABASE_URL": url}, dotenv=None)
        assert settings.database is not None
        migrate(settings.database)
        yield url


@pytest.fixture
def database_url(migrated_database: str) -> str:
    """The migrated test database, emptied for this test."""
    empty_tables(migrated_database)
    return migrated_database


@pytest.fixture(params=["files", "postgres"])
def store_env(request: pytest.FixtureRequest) -> dict[str, str]:
    """The environment that puts an app on each store in turn: its files, then PostgreSQL."""
    if request.param == "postgres":
        return {"DATABASE_URL": request.getfixturevalue("database_url")}
    return {}
