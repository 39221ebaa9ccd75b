"""ProfileRows, the PostgreSQL backend of the profile store: what is about its rows. What every
backend must do is in test_contract.py."""

from __future__ import annotations

import psycopg
import pytest

from bot.drafts.model import Owner, Profile
from bot.drafts.storage import StorageError
from bot.settings import store_settings
from bot.store.factory import open_stores

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
