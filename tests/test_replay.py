"""ReplayGuard and the gate's use of it: each signed request once, for all of Slack's five minutes;
the memory of older minutes is dropped."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from freezegun import freeze_time
from slack_sdk.signature import SignatureVerifier

from bot.store.replay_files import KEEP_MINUTES, ReplayFiles
from bot.web.gate import Gate
from support.slack_app_harness import SIGNING_SECRET

SIGNATURE = "v0=" + "ab" * 32


def test_a_signature_is_new_once(tmp_path: Path) -> None:
    guard = ReplayFiles(tmp_path / "replay")
    assert guard.first_time("1700000000", SIGNATURE)
    assert not guard.first_time("1700000000", SIGNATURE)
    assert guard.first_time("1700000000", "v0=" + "cd" * 32)


def test_workers_share_one_memory(tmp_path: Path) -> None:
    firsts: list[bool] = []
    guards = [ReplayFiles(tmp_path) for _ in range(8)]
    threads = [threading.Thread(target=lambda g=guard: firsts.append(g.first_time("1700000000", SIGNATURE)))
               for guard in guards]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(firsts) == [False] * 7 + [True]


def test_minutes_older_than_the_window_are_forgotten(tmp_path: Path) -> None:
    guard = ReplayFiles(tmp_path)
    minute = 1700000000 // 60
    assert guard.first_time(str(minute * 60), SIGNATURE)
    assert guard.first_time(str((minute + KEEP_MINUTES) * 60), SIGNATURE)
    assert sorted(os.listdir(tmp_path)) == sorted([str(minute), str(minute + KEEP_MINUTES)])
    assert guard.first_time(str((minute + KEEP_MINUTES + 1) * 60), SIGNATURE)
    assert str(minute) not in os.listdir(tmp_path)


def test_odd_headers_do_not_raise(tmp_path: Path) -> None:
    guard = ReplayFiles(tmp_path)
    assert guard.first_time("not-a-time", "\udcff odd")
    assert not guard.first_time("not-a-time", "\udcff odd")


def test_a_request_is_remembered_for_all_of_slacks_five_minutes(tmp_path: Path) -> None:
    # Bolt takes timestamps up to five minutes either way of now: a request signed five minutes
    # ago must still be remembered when one signed five minutes ahead opens a new minute.
    guard = ReplayFiles(tmp_path)
    now = 1700000000
    assert guard.first_time(str(now - 5 * 60), SIGNATURE)
    assert guard.first_time(str(now + 5 * 60), "v0=" + "cd" * 32)
    assert not guard.first_time(str(now - 5 * 60), SIGNATURE)


def test_the_gate_remembers_a_request_by_its_signed_timestamp(tmp_path: Path) -> None:
    # A replay arriving minutes later (within Slack's five) is refused as well as one at once.
    body = "command=%2Fgoals&text=M2+cto+okr&user_id=U1&team_id=T1"
    gate = Gate(SIGNING_SECRET, ReplayFiles(tmp_path))
    with freeze_time("2030-01-01 12:00:50") as clock:
        stamp = str(int(time.time()))
        headers = {"x-slack-request-timestamp": stamp, "content-type": "application/x-www-form-urlencoded",
                   "x-slack-signature": SignatureVerifier(SIGNING_SECRET).generate_signature(
                       timestamp=stamp, body=body)}
        assert gate.refusal(body.encode(), headers) is None
        clock.tick(3 * 60)
        refused = gate.refusal(body.encode(), headers)
    assert refused is not None and refused.status.startswith("401")
