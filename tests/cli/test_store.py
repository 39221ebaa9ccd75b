"""`goals store ...`: check, migrate and copy, from the host's command line."""

from __future__ import annotations

import io
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli.main import run
from bot.frames.frameworks import Framework
from bot.goals.model import Draft, Owner, Profile, Reminders
from bot.settings import store_settings
from bot.store.draft_files import DraftFiles
from bot.store.factory import PROFILES_DIR, open_stores
from bot.store.profile_files import ProfileFiles

PAT = Owner(team="T1", user="U1")
SAM = Owner(team="T1", user="U2", enterprise="E1")


def goals(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["store", *args], out, err)
    return code, out.getvalue(), err.getvalue()


def some_drafts(folder: Path) -> list[Draft]:
    store = DraftFiles(folder)
    return [store.save(Draft(owner=owner, family="clinical-trials-ops", level="M2", framework=Framework.OKR,
                             canon_fingerprint="abc", values={"k": value}, dm_channel="D1", dm_ts="1.2"))
            for owner, value in ((PAT, "one"), (PAT, "two"), (SAM, "three"))]


def some_profiles(folder: Path) -> list[Profile]:
    store = ProfileFiles(folder / PROFILES_DIR)
    made = [store.change(owner, lambda current, owner=owner, level=level: Profile(
        owner=owner, family="clinical-trials-ops", level=level, framework=Framework.OKR))
        for owner, level in ((PAT, "M2"), (SAM, "M3"))]
    return [profile for profile in made if profile is not None]


def everything(location: str) -> list[Draft]:
    stores = open_stores(store_settings(location=location))
    try:
        found = [draft for owner in stores.drafts.owners() for draft in stores.drafts.list(owner)]
        return sorted(found, key=lambda draft: draft.id)
    finally:
        stores.close()


def every_profile(location: str) -> list[tuple[Owner, str | None, str | None, Framework | None]]:
    """Every profile, as what it remembers (a copied profile is marked as changed when copied)."""
    stores = open_stores(store_settings(location=location))
    try:
        found = [stores.profiles.get(owner) for owner in stores.profiles.owners()]
        return sorted(((p.owner, p.family, p.level, p.framework) for p in found if p is not None), key=repr)
    finally:
        stores.close()


def test_copy_from_files_to_postgres_and_back_keeps_every_draft_as_it_was(
        tmp_path: Path, database_url: str) -> None:
    drafts = sorted(some_drafts(tmp_path / "from"), key=lambda draft: draft.id)
    profiles = sorted(((p.owner, p.family, p.level, p.framework) for p in some_profiles(tmp_path / "from")),
                      key=repr)
    code, out, err = goals("copy", "--from", str(tmp_path / "from"), "--to", database_url)
    assert (code, err) == (0, "")
    assert out.startswith("copied 3 drafts of 2 people and 2 profiles from ")
    assert everything(database_url) == drafts
    assert every_profile(database_url) == profiles
    assert goals("copy", "--from", str(tmp_path / "from"), "--to", database_url)[0] == 0  # again: idempotent
    assert everything(database_url) == drafts
    assert every_profile(database_url) == profiles
    assert goals("copy", "--from", database_url, "--to", str(tmp_path / "back"))[0] == 0
    assert everything(str(tmp_path / "back")) == drafts
    assert every_profile(str(tmp_path / "back")) == profiles


def test_check_and_migrate_name_the_store_they_use(tmp_path: Path, database_url: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    some_drafts(tmp_path / "data")
    some_profiles(tmp_path / "data")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("GOALS_DATA_DIR", str(tmp_path / "data"))
    code, out, _ = goals("check")
    assert code == 0 and out == f"store at {tmp_path / 'data'} is readable: 3 drafts of 2 people, 2 profiles.\n"
    monkeypatch.setenv("DATABASE_URL", database_url)
    code, out, _ = goals("migrate")
    assert code == 0 and out.startswith("store: PostgreSQL at postgresql://") and "schema version" in out


def test_store_words_that_do_not_work_say_what_does(tmp_path: Path) -> None:
    for args in ([], ["nope"], ["copy", "--from", "x"], ["copy", "--from", "a", "--into", "b"], ["check", "x"]):
        code, out, err = goals(*args)
        assert (code, out) == (2, "") and "goals store copy --from DIR_OR_URL --to DIR_OR_URL" in err
    code, _, err = goals("copy", "--from", str(tmp_path), "--to", "mysql://root:pw@db/goals")
    assert code == 2 and "DATABASE_URL must be a postgresql://" in err and "pw" not in err


def test_check_repair_removes_only_the_leftovers_of_writes_cut_short(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    some_drafts(tmp_path / "data")
    person = DraftFiles(tmp_path / "data").path(PAT)
    before = person.read_bytes()
    old, fresh = person.parent / f".{person.name}.abc123", person.parent / f".{person.name}.def456"
    old.write_text('{"drafts": {"1": ')
    fresh.write_text('{"drafts": {"1": ')
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("GOALS_DATA_DIR", str(tmp_path / "data"))
    code, out, _ = goals("check", "--repair")
    assert code == 0 and out.splitlines() == ["removed 1 leftover of writes cut short.",
                                              f"store at {tmp_path / 'data'} is readable: 3 drafts of 2 people, "
                                              "0 profiles."]
    assert not old.exists() and fresh.exists()  # a write may still be running
    assert person.read_bytes() == before


def test_check_names_a_broken_profile_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    some_drafts(tmp_path / "data")
    some_profiles(tmp_path / "data")
    broken = ProfileFiles(tmp_path / "data" / PROFILES_DIR).path(PAT)
    broken.write_bytes(b'{"profile": {"owner": ')
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("GOALS_DATA_DIR", str(tmp_path / "data"))
    code, out, err = goals("check")
    assert (code, out) == (1, "") and err.startswith(f"goals: profile store file {broken} cannot be read")
    assert broken.read_bytes() == b'{"profile": {"owner": '


def test_a_copied_profile_is_due_for_its_reminders_in_the_store_it_was_copied_to(
        tmp_path: Path, database_url: str) -> None:
    due_at = datetime(2027, 3, 1, 9, tzinfo=UTC)
    source = ProfileFiles(tmp_path / "from" / PROFILES_DIR)
    source.change(PAT, lambda current: Profile(owner=PAT, reminders=Reminders(tz="UTC", due_at=due_at)))
    source.change(SAM, lambda current: Profile(owner=SAM))  # nothing due
    for target in (database_url, str(tmp_path / "back")):
        assert goals("copy", "--from", str(tmp_path / "from"), "--to", target)[0] == 0
        stores = open_stores(store_settings(location=target))
        try:
            assert list(stores.profiles.due(due_at, 10)) == [PAT]  # the index came with it
            assert list(stores.profiles.due(due_at - timedelta(minutes=1), 10)) == []
        finally:
            stores.close()


def test_every_command_reads_dotenv_beside_it_as_goals_bot_does(tmp_path: Path, database_url: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "GOALS_DATA_DIR", "GOALS_CANON_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(f"DATABASE_URL={database_url}\n")
    code, out, _ = goals("migrate")
    assert code == 0 and out.startswith("store: PostgreSQL at postgresql://")
    code, out, _ = goals("check")
    assert code == 0 and out.startswith("store at postgresql://") and "is readable" in out
    assert not (tmp_path / "data").exists()  # not the empty file store it used to check instead
    # The frame commands read it too: a canon folder named there is the one they open.
    (tmp_path / ".env").write_text(f"GOALS_CANON_DIR={tmp_path / 'no-canon'}\n")
    out_, err_ = io.StringIO(), io.StringIO()
    assert run(["M2", "clinical-trials-ops", "okr"], out_, err_) != 0
    assert str(tmp_path / "no-canon") in err_.getvalue()


def test_check_refuses_a_data_folder_that_is_not_there(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("GOALS_DATA_DIR", str(tmp_path / "nope"))
    code, out, err = goals("check")
    assert (code, out) == (2, "") and err.startswith(f"goals: there is no data folder at {tmp_path / 'nope'}")
    assert not (tmp_path / "nope").exists()
