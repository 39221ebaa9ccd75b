"""DraftFiles, the file backend of the draft store: per-person files, no file made for a
look, nothing lost to processes, kills or broken files. What every backend must do (owners,
ids, listing, edits, threads, the messages lock) is in test_storage_contract.py."""

from __future__ import annotations

import contextlib
import errno
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import pytest
from pydantic import ValidationError
from tinydb import TinyDB

from bot.frames.frameworks import Framework
from bot.goals.model import NO_TEAM, Draft, Owner
from bot.store.draft_files import AtomicJSONStorage, DraftFiles, StoreCorrupt

PAT = Owner(team="T1", user="U1")
SAM = Owner(team="T1", user="U2")


def draft(owner: Owner = PAT, **values: str) -> Draft:
    return Draft(owner=owner, family="clinical-trials-ops", level="M2", framework=Framework.OKR,
                 canon_fingerprint="abc", values=values)


def test_an_edit_refused_for_moving_a_draft_leaves_its_file_as_it_was(tmp_path: Path) -> None:
    store = DraftFiles(tmp_path)
    mine = store.save(draft(**{"k": "secret target"}))
    before = store.path(PAT).read_bytes()
    for moved in ({"owner": SAM}, {"id": "other"}):
        with contextlib.suppress(ValueError):  # refused: test_storage_contract.py
            store.change(PAT, mine.id, lambda current, moved=moved: current and current.model_copy(update=moved))
    assert store.path(PAT).read_bytes() == before


@pytest.mark.parametrize("crafted", ["../U2", "", "x" * 65, "a/b", "..", "id with space"])
def test_crafted_ids_touch_no_file(tmp_path: Path, crafted: str) -> None:
    """Crafted ids find nothing (test_storage_contract.py), and are refused before any file is
    touched: Sam, who has no drafts, gets none made."""
    store = DraftFiles(tmp_path)
    store.save(draft())
    files = sorted(tmp_path.rglob("*"))
    store.get(SAM, crafted)
    store.delete(SAM, crafted)
    store.change(SAM, crafted, lambda current: None)
    assert sorted(tmp_path.rglob("*")) == files


@pytest.mark.parametrize("value", ["../../etc", "..", ".", "_x", "-U1"])
@pytest.mark.parametrize("field", ["team", "user", "enterprise"])
def test_owner_ids_cannot_walk_the_file_system(field: str, value: str) -> None:
    values = {"team": "T1", "user": "U1", field: value}
    with pytest.raises(ValidationError):
        Owner(**values)


def test_no_id_shares_the_folder_or_file_of_a_missing_one() -> None:
    """A person with no enterprise (or, in an org-wide install, no team) is filed under "-":
    so "-" is never an id, and the teamless owner is spelt with NO_TEAM alone."""
    with pytest.raises(ValidationError):
        Owner(team="T1", user="U1", enterprise="-")
    with pytest.raises(ValidationError):
        Owner(team="T1", user="-")
    assert Owner(team=NO_TEAM, user="U1").team == "-"


def test_looking_at_no_drafts_leaves_no_trace(tmp_path: Path) -> None:
    store = DraftFiles(tmp_path)
    # Each finds nothing (test_storage_contract.py) ...
    store.list(SAM)
    store.get(SAM, "a" * 32)
    store.delete(SAM, "a" * 32)
    assert list(tmp_path.rglob("*")) == []  # no folder, no lock file for someone with no drafts


def test_each_person_has_a_file_of_their_own(tmp_path: Path) -> None:
    store = DraftFiles(tmp_path)
    store.save(draft(PAT))
    before = store.path(PAT).read_bytes()
    store.save(draft(SAM))
    assert store.path(SAM) != store.path(PAT)
    assert store.path(PAT).read_bytes() == before  # Sam's save did not rewrite Pat's file
    enterprise = Owner(team="T1", user="U1", enterprise="E9")
    assert store.path(enterprise) != store.path(PAT)


SAVES_EACH = 200
PEOPLE = [Owner(team="T1", user=f"U{n}") for n in range(4)]  # two writers per person below


def _save_many(root: str, user: str, count: int) -> list[str]:
    store = DraftFiles(Path(root))
    owner = Owner(team="T1", user=user)
    return [store.save(draft(owner)).id for _ in range(count)]


def test_concurrent_saves_from_processes_lose_nothing(tmp_path: Path) -> None:
    """4 processes x 200 saves on one store, two processes per person (file locks)."""
    users = [PEOPLE[n % 2].user for n in range(4)]
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.starmap(_save_many, [(str(tmp_path), user, SAVES_EACH) for user in users])
    assert sum(len(ids) for ids in results) == 4 * SAVES_EACH
    store = DraftFiles(tmp_path)
    for owner in PEOPLE[:2]:
        expected = sorted(i for user, ids in zip(users, results, strict=True) if user == owner.user for i in ids)
        assert sorted(d.id for d in store.list(owner)) == expected


def test_a_kill_during_a_burst_of_saves_keeps_every_acknowledged_save(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from bot.goals.model import Draft, Owner
        from bot.store.draft_files import DraftFiles
        store = DraftFiles(Path({str(tmp_path)!r}))
        owner = Owner(team="T1", user="U1")
        while True:
            d = store.save(Draft(owner=owner, family="f", level="L", framework="okr",
                                 canon_fingerprint="x", values={{"k": "v" * 2000}}))
            print(d.id, flush=True)
    """)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    acknowledged: list[str] = []
    stdout = process.stdout
    assert stdout is not None
    reader = threading.Thread(target=lambda: acknowledged.extend(line.strip() for line in stdout if line.strip()))
    reader.start()
    # Until the kill, look at the file as a kill at that instant would leave it: the old
    # store or the new one, whole, never one half written (a kill that lands on the ack is
    # too late in a save to catch that).
    path, half_written = DraftFiles(tmp_path).path(PAT), 0
    deadline = time.monotonic() + 20
    while len(acknowledged) < 60 and time.monotonic() < deadline:
        try:
            json.loads(path.read_bytes())
        except FileNotFoundError:
            time.sleep(0.001)
        except ValueError:
            half_written += 1
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    reader.join()
    stored = {d.id for d in DraftFiles(tmp_path).list(PAT)}
    assert half_written == 0
    assert len(acknowledged) >= 60
    assert set(acknowledged) <= stored


def test_a_corrupt_file_is_refused_and_never_overwritten(tmp_path: Path) -> None:
    store = DraftFiles(tmp_path)
    store.save(draft())
    path = store.path(PAT)
    path.write_bytes(b'{"drafts": {"1": {"id": "trunc')
    broken = path.read_bytes()
    with pytest.raises(StoreCorrupt) as caught:
        store.list(PAT)
    assert str(path) in str(caught.value)
    with pytest.raises(StoreCorrupt):
        store.save(draft())
    with pytest.raises(StoreCorrupt):
        store.verify()
    assert path.read_bytes() == broken
    path.write_bytes(b"")  # an empty file is broken too, not an empty database
    with pytest.raises(StoreCorrupt):
        store.save(draft())
    assert path.read_bytes() == b""


@pytest.mark.parametrize("content", [b"null", b"[]", b'"drafts"', b"0", b'{"drafts": {"1": {"id": "\xff"}}}'],
                         ids=["null", "a list", "a string", "a number", "not UTF-8"])
def test_a_file_that_is_not_a_json_object_is_refused_and_never_overwritten(tmp_path: Path, content: bytes) -> None:
    store = DraftFiles(tmp_path)
    path = store.path(PAT)
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    for use in (lambda: store.list(PAT), lambda: store.save(draft()), store.verify):
        with pytest.raises(StoreCorrupt):
            use()
    assert path.read_bytes() == content


def test_a_file_that_cannot_be_read_is_never_written_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a missing file is an empty store: one the disk fails to read (EIO, EACCES) is not."""
    store = DraftFiles(tmp_path)
    kept = store.save(draft(**{"k": "before"}))
    before = store.path(PAT).read_bytes()
    read_bytes = Path.read_bytes

    def failing_disk(path: Path) -> bytes:
        if path == store.path(PAT):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", failing_disk)
    with pytest.raises(OSError):
        store.save(draft(**{"k": "new"}))
    with pytest.raises(OSError):
        store.list(PAT)
    monkeypatch.undo()
    assert store.path(PAT).read_bytes() == before
    assert store.list(PAT) == [kept]


@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()],
                         ids=["disk full", "interrupted"])
def test_a_failed_write_leaves_the_previous_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 failure: BaseException) -> None:
    store = DraftFiles(tmp_path)
    kept = store.save(draft(**{"k": "before"}))
    before = store.path(PAT).read_bytes()

    def fail(*_: object) -> None:
        raise failure

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(type(failure)):
        store.save(kept.model_copy(update={"values": {"k": "after"}}))
    monkeypatch.undo()
    assert store.path(PAT).read_bytes() == before
    assert store.get(PAT, kept.id).values == {"k": "before"}  # type: ignore[union-attr]
    assert [p.name for p in store.path(PAT).parent.iterdir() if p.name.startswith(".U1.json.")] == []


def test_a_failed_write_is_not_remembered_by_the_open_database(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """AtomicJSONStorage answers from what it read and wrote; after a write that failed, what
    it answers is what the file still holds, not the change that never landed."""
    db = TinyDB(str(tmp_path / "store.json"), storage=AtomicJSONStorage)
    table = db.table("drafts", cache_size=0)
    table.insert({"id": "kept"})

    def disk_full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", disk_full)
        with pytest.raises(OSError):
            table.insert({"id": "lost"})
    assert [document["id"] for document in table.all()] == ["kept"]


def test_saves_do_not_depend_on_the_system_temporary_directory(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The temporary file is made beside the store file: a rename is atomic only within one
    file system, and TMPDIR is often another one (or gone)."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-temporary-directory"))
    store = DraftFiles(tmp_path / "data")
    saved = store.save(draft())
    assert store.get(PAT, saved.id) == saved
