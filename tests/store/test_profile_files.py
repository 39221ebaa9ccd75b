"""ProfileFiles, the file backend of the profile store: a file per person, none made for a
look, a broken file refused naming it and never written over. What every backend must do is
in test_contract.py."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from bot.drafts.model import Owner, Profile
from bot.drafts.storage import StorageError
from bot.frames.frameworks import Framework
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
