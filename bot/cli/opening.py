"""What the host's commands that read people's data open first: the settings (the environment,
then `.env`, as goals-bot reads them), the canon and the store, with one way of saying in a
line why they could not, and the exit code that goes with it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from bot.canon.loader import CanonError
from bot.canon.repository import CanonRepository
from bot.goals.storage import STORAGE_FAILURES, Stores
from bot.settings import Settings, SettingsError, StoreSettings, canon_dir, environment, load_settings, store_settings
from bot.store.factory import open_stores

EXIT_OK, EXIT_STORE, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True)
class Opened:
    repository: CanonRepository
    stores: Stores
    store: StoreSettings
    settings: Settings | None  # Slack's settings too, for the commands that call Slack


def open_for_command(err: TextIO, *, slack: bool = False) -> Opened | int:
    """The canon and the store every command reads the same way; with `slack`, the tokens too.
    An exit code, the reason said in one line on `err`, where one of them cannot be had."""
    env = environment()
    try:
        settings = load_settings(env, dotenv=None) if slack else None
        store = settings.store if settings else store_settings(env)
        repository = CanonRepository.open(canon_dir(env))
        stores = open_stores(store)
    except (SettingsError, CanonError) as error:
        print(f"goals: {error}", file=err)
        return EXIT_USAGE
    except STORAGE_FAILURES as error:
        print(f"goals: {error}", file=err)
        return EXIT_STORE
    return Opened(repository, stores, store, settings)
