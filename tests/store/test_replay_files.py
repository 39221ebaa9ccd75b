"""ReplayFiles, the file backend of the replay memory (a folder a minute; older minutes are
dropped), and the gate's use of it. What every ReplayMemory must do (each signed request
once, in every worker, for all of Slack's five minutes) is in test_storage_contract.py."""

from __future__ import annotations

import os
import time
from pathlib import Path

from freezegun import freeze_time
from slack_sdk.signature import SignatureVerifier

from bot.store.replay_files import KEEP_MINUTES, ReplayFiles
from bot.web.gate import Gate
from support.slack_app_harness import SIGNING_SECRET

SIGNATURE = "v0=" + "ab" * 32


def test_minutes_older_than_the_window_are_forgotten(tmp_path: Path) -> None:
    guard = ReplayFiles(tmp_path)
    minute = 1700000000 // 60
    assert guard.first_time(str(minute * 60), SIGNATURE)
    assert guard.first_time(str((minute + KEEP_MINUTES) * 60), SIGNATURE)
    assert sorted(os.listdir(tmp_path)) == sorted([str(minute), str(minute + KEEP_MINUTES)])
    assert guard.first_time(str((minute + KEEP_MINUTES + 1) * 60), SIGNATURE)
    assert str(minute) not in os.listdir(tmp_path)


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
