"""ProfileFiles, the file backend of the profile store: a file per person, none made for a
look, a broken file refused naming it and never written over. What every backend must do is
in test_contract.py."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.frames.frameworks import Framework
from bot.goals.model import Owner, Profile
from bot.goals.storage import StorageError
from bot.store import profile_files
from bot.store.profile_files import ProfileCorrupt, ProfileFiles

PAT = Owner(team="T1", user="U1")
SAM = Owner(team="T1", user="U2", enterprise="E1")


def keep(store: ProfileFiles, owner: Owner = PAT) -> Profile | None:
    return store.change(owner, lambda current: Profile(owner=owner, family="clinical-trials-ops", level="M2",
                                                       framework=Framework.OKR))


def test_each_person_has_a_file_of_their_own(tmp_path: Path) -> None:
    store = ProfileFiles(tmp_path)
    keep(store)
    keep(store, SAM)
    assert store.path(PAT) == tmp_path / "-" / "T1" / "U1.json"
    assert store.path(SAM) == tmp_path / "E1" / "T1" / "U2.json"
    assert json.loads(store.path(PAT).read_text())["profile"]["family"] == "clinical-trials-ops"


def test_looking_at_no_profile_leaves_no_trace(tmp_path: Path) -> None:
    store = ProfileFiles(tmp_path / "profiles")
    assert store.get(PAT) is None
    assert store.change(PAT, lambda current: None) is None
    assert not any(p.suffix == ".json" for p in tmp_path.rglob("*"))
    assert store.get(SAM) is None
    assert not (tmp_path / "profiles" / "E1").exists()


@pytest.mark.parametrize("content", [b'{"profile": {"owner": ', b"\x00\xff\xfe garbage", b"[1, 2]", b'{"x": 1}',
                                     b'{"profile": {"owner": {"team": "T1", "user": "U1"}, "level": 7}}',
                                     b'{"profile": {"owner": {"team": "T1", "user": "U2"}}}'],
                         ids=["truncated", "binary", "not-an-object", "no-profile", "not-a-profile", "someone-else"])
def test_a_broken_file_is_refused_naming_it_and_never_overwritten(tmp_path: Path, content: bytes) -> None:
    store = ProfileFiles(tmp_path)
    keep(store, SAM)
    broken = store.path(PAT)
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_bytes(content)
    for read in (lambda: store.get(PAT), lambda: keep(store), store.verify):
        with pytest.raises(ProfileCorrupt) as refused:
            read()
        assert isinstance(refused.value, StorageError)
        assert str(broken) in str(refused.value) and refused.value.path == broken
    assert broken.read_bytes() == content
    assert store.get(SAM) is not None  # the others are still read


def test_a_failed_write_leaves_the_previous_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = ProfileFiles(tmp_path)
    before = keep(store)
    content = store.path(PAT).read_bytes()

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        store.change(PAT, lambda current: current and current.model_copy(update={"level": "M3"}))
    monkeypatch.undo()
    assert store.path(PAT).read_bytes() == content
    assert store.get(PAT) == before
    assert [p.name for p in store.path(PAT).parent.iterdir() if p.name.startswith(".")] == []


def test_repair_removes_only_old_leftovers_of_writes_cut_short(tmp_path: Path) -> None:
    store = ProfileFiles(tmp_path)
    keep(store)
    person = store.path(PAT)
    old, fresh = person.parent / f".{person.name}.abc123", person.parent / f".{person.name}.def456"
    old.write_text('{"profile": ')
    fresh.write_text('{"profile": ')
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    assert store.repair() == 1
    assert not old.exists() and fresh.exists()
    assert store.verify() == 1 and list(store.owners()) == [PAT]


# Who has reminders due: the marker files ------------------------------------------------------

NOW = datetime(2025, 3, 10, 9, 30, 15, tzinfo=UTC)


def due_for(owner: Owner, moment: datetime | None) -> Callable[[Profile | None], Profile | None]:
    def edit(current: Profile | None) -> Profile | None:
        profile = current or Profile(owner=owner)
        return profile.model_copy(update={"reminders": profile.reminders.model_copy(update={"due_at": moment})})

    return edit


def markers(store: ProfileFiles) -> list[str]:
    return sorted(str(p.relative_to(store.due_root)) for p in store.due_root.rglob("*") if p.is_file())


def test_a_marker_names_the_minute_a_person_is_due_beside_the_profiles(tmp_path: Path) -> None:
    store = ProfileFiles(tmp_path / ".profiles")
    assert store.due_root == tmp_path / ".reminders-due"
    store.change(PAT, due_for(PAT, NOW))
    store.change(SAM, due_for(SAM, NOW.astimezone(timezone(timedelta(hours=-5))) + timedelta(hours=1)))
    assert markers(store) == ["20250310T0930Z/-/T1/U1", "20250310T1030Z/E1/T1/U2"]
    store.change(PAT, due_for(PAT, None))
    assert markers(store) == ["20250310T1030Z/E1/T1/U2"]
    assert sorted(p.name for p in store.due_root.iterdir()) == ["20250310T1030Z"]  # an emptied minute goes
    assert store.verify() == 2 and sorted(store.owners(), key=repr) == sorted([PAT, SAM], key=repr)


def test_a_stale_marker_is_dropped_by_a_sweep_and_never_makes_anyone_due(tmp_path: Path) -> None:
    store = ProfileFiles(tmp_path / ".profiles")
    store.change(PAT, due_for(PAT, NOW + timedelta(days=1)))
    store.change(SAM, due_for(SAM, None))
    # Left by crashes between a marker's making and the profile's writing: Pat not due till
    # tomorrow, Sam not at all, and someone with no profile.
    for stale in ("20250310T0900Z/-/T1/U1", "20250301T0000Z/E1/T1/U2", "20250309T0000Z/-/T1/U9"):
        (store.due_root / stale).parent.mkdir(parents=True, exist_ok=True)
        (store.due_root / stale).touch()
    assert list(store.due(NOW, 10)) == []
    assert markers(store) == ["20250311T0930Z/-/T1/U1"]
    assert list(store.due(NOW + timedelta(days=1), 10)) == [PAT]


def test_repair_drops_stale_markers_and_counts_them(tmp_path: Path) -> None:
    store = ProfileFiles(tmp_path / ".profiles")
    store.change(PAT, due_for(PAT, NOW))
    for stale in ("20250310T0900Z/-/T1/U1", "20250310T0930Z/E1/T1/U2"):
        (store.due_root / stale).parent.mkdir(parents=True, exist_ok=True)
        (store.due_root / stale).touch()
    assert store.repair() == 2
    assert markers(store) == ["20250310T0930Z/-/T1/U1"]
    assert store.repair() == 0
    assert list(store.due(NOW, 10)) == [PAT]


def test_a_write_cut_short_leaves_a_marker_too_many_never_one_too_few(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = ProfileFiles(tmp_path / ".profiles")
    store.change(PAT, due_for(PAT, NOW - timedelta(hours=1)))

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        store.change(PAT, due_for(PAT, NOW + timedelta(hours=1)))
    monkeypatch.undo()
    assert markers(store) == ["20250310T0830Z/-/T1/U1", "20250310T1030Z/-/T1/U1"]
    assert list(store.due(NOW, 10)) == [PAT]  # as the profile still says
    assert store.repair() == 1
    assert markers(store) == ["20250310T0830Z/-/T1/U1"]
    (store.due_root / "20250310T1030Z/-/T1/U1").parent.mkdir(parents=True)
    (store.due_root / "20250310T1030Z/-/T1/U1").touch()
    assert list(store.due(NOW + timedelta(hours=2), 10)) == [PAT]  # once, though marked twice
    assert markers(store) == ["20250310T0830Z/-/T1/U1"]  # and the sweep dropped the extra one


def test_a_sweep_reads_only_the_profiles_of_those_due(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = ProfileFiles(tmp_path / ".profiles")
    people = [Owner(team="T9", user=f"U{n:04d}") for n in range(300)]
    for n, owner in enumerate(people):
        store.change(owner, due_for(owner, NOW - timedelta(minutes=n) if n < 3 else NOW + timedelta(minutes=n)))
    read: list[Path] = []
    real = profile_files._read
    monkeypatch.setattr(profile_files, "_read", lambda path, owner: read.append(path) or real(path, owner))
    assert list(store.due(NOW, 10)) == [people[2], people[1], people[0]]
    assert sorted(read) == sorted(store.path(owner) for owner in people[:3])


def test_a_broken_profile_is_skipped_by_a_sweep_and_its_marker_kept(tmp_path: Path) -> None:
    store = ProfileFiles(tmp_path / ".profiles")
    store.change(PAT, due_for(PAT, NOW))
    store.change(SAM, due_for(SAM, NOW))
    store.path(PAT).write_bytes(b'{"profile": ')
    assert list(store.due(NOW, 10)) == [SAM]
    assert store.repair() == 0
    assert markers(store) == ["20250310T0930Z/-/T1/U1", "20250310T0930Z/E1/T1/U2"]


def test_the_sweep_lock_is_a_file_in_the_data_directory(tmp_path: Path) -> None:
    first, second = ProfileFiles(tmp_path / ".profiles"), ProfileFiles(tmp_path / ".profiles")
    with first.sweep_lock(0) as held:
        assert held
        assert (tmp_path / ".reminders-sweep.lock").exists()
        with second.sweep_lock(0) as also:
            assert not also
    assert not list((tmp_path / ".profiles").rglob("*.json"))
