"""ReplayGuard: each signed request once; the memory of old minutes is dropped."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from bot.replay import KEEP_MINUTES, ReplayGuard

SIGNATURE = "v0=" + "ab" * 32


def test_a_signature_is_new_once(tmp_path: Path) -> None:
    guard = ReplayGuard(tmp_path / "replay")
    assert guard.first_time("1700000000", SIGNATURE)
    assert not guard.first_time("1700000000", SIGNATURE)
    assert guard.first_time("1700000000", "v0=" + "cd" * 32)


def test_workers_share_one_memory(tmp_path: Path) -> None:
    firsts: list[bool] = []
    guards = [ReplayGuard(tmp_path) for _ in range(8)]
    threads = [threading.Thread(target=lambda g=guard: firsts.append(g.first_time("1700000000", SIGNATURE)))
               for guard in guards]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(firsts) == [False] * 7 + [True]


def test_minutes_older_than_the_window_are_forgotten(tmp_path: Path) -> None:
    guard = ReplayGuard(tmp_path)
    minute = 1700000000 // 60
    assert guard.first_time(str(minute * 60), SIGNATURE)
    assert guard.first_time(str((minute + KEEP_MINUTES) * 60), SIGNATURE)
    assert sorted(os.listdir(tmp_path)) == sorted([str(minute), str(minute + KEEP_MINUTES)])
    assert guard.first_time(str((minute + KEEP_MINUTES + 1) * 60), SIGNATURE)
    assert str(minute) not in os.listdir(tmp_path)


def test_odd_headers_do_not_raise(tmp_path: Path) -> None:
    guard = ReplayGuard(tmp_path)
    assert guard.first_time("not-a-time", "\udcff odd")
    assert not guard.first_time("not-a-time", "\udcff odd")
