"""Two `goals-bot http` hosts on one PostgreSQL database, as separate processes (gunicorn,
real sockets): both killed with SIGKILL in the middle of a burst of saves, then restarted.
Every acknowledged save is there afterwards, with exactly one DM message, and neither host's
disk holds any person's data."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.canon.repository import CanonRepository
from bot.frames.frameworks import Framework
from bot.goals.drafts.drafting import Drafting
from bot.goals.model import Owner
from bot.settings import store_settings
from bot.slack.drafts.form import new_draft_form
from bot.slack.shared.ids import DRAFT_FORM_CALLBACK
from bot.store.factory import open_stores
from support.draft_flow import fill, okr_m2
from support.ports import free_port
from support.slack_app_harness import BOT_TOKEN, SIGNING_SECRET, RunningApp
from support.slack_standin import SlackStandIn

PAT = Owner(team="T333", user="U111")
SAVES = 40


@contextmanager
def host(slack: SlackStandIn, database_url: str, data_dir: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "GOALS_", "DATABASE_"))}
    env.update(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=slack.api_url,
               DATABASE_URL=database_url, GOALS_DATA_DIR=str(data_dir), PORT=str(port),
               WEB_CONCURRENCY="2", GOALS_THREADS="4")
    process = subprocess.Popen([sys.executable, "-m", "bot.web.server", "http"], env=env, cwd=data_dir.parent,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("goals-bot did not answer /healthz within 20 s")
                time.sleep(0.1)
        yield url, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(15)


def kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL to gunicorn's master and its workers at once: nothing gets to finish."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)


def acknowledged(answer: bytes) -> bool:
    """A form step's save acknowledged: the next step in the form's place (Next), or an empty
    answer (Save, the form closes)."""
    if answer == b"":
        return True
    try:
        shown = json.loads(answer)
    except ValueError:
        return False
    return (isinstance(shown, dict) and shown.get("response_action") == "update"
            and isinstance(shown.get("view"), dict) and shown["view"].get("callback_id") == DRAFT_FORM_CALLBACK)


def signed_post(url: str, body: str) -> int:
    stamp = str(int(time.time()))
    request = urllib.request.Request(url + "/slack/events", data=body.encode(), method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp, body=body)})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status if acknowledged(answer.read()) else -1
    except (urllib.error.URLError, OSError, http.client.HTTPException):
        return 0  # killed before it answered (or while it did): not acknowledged


def test_hosts_killed_mid_burst_keep_every_acknowledged_save_with_one_dm_message_each(
        slack: SlackStandIn, tmp_path: Path, database_url: str, repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    stores = open_stores(store_settings(location=database_url))
    drafting = Drafting(repository, stores.drafts)
    # Bodies are built (and signed when sent) the way Slack shapes them; no app serves here.
    builder = RunningApp(slack, data_dir=tmp_path / "builder")
    forms = []
    for _ in range(SAVES):
        started = drafting.start(PAT, "clinical-trials-ops", "M2", Framework.OKR)
        assert started is not None
        forms.append(new_draft_form(started))
    bodies = [builder.submit_body(form, fill(form, frame, target=f"t{n}")) for n, form in enumerate(forms)]
    builder.server.server_close()
    # During the burst Slack refuses every post, so no DM message is in flight at the kill:
    # what is left to do is only what the store says is due.
    slack.fail("chat.postMessage", "fatal_error", times=10_000)
    acked: list[int] = []
    dirs = [tmp_path / "host-a", tmp_path / "host-b"]
    for folder in dirs:
        folder.mkdir()
    with host(slack, database_url, dirs[0]) as (url_a, a), host(slack, database_url, dirs[1]) as (url_b, b):
        def send(n: int) -> None:
            if signed_post((url_a, url_b)[n % 2], bodies[n]) == 200:
                acked.append(n)

        threads = [threading.Thread(target=send, args=(n,)) for n in range(SAVES)]
        for thread in threads[:SAVES // 2]:
            thread.start()
        # The kill comes once a save has been acknowledged, however slow the machine: some
        # answered, others on their way; the second half then finds no host at all.
        deadline = time.monotonic() + 60
        while not acked:
            assert time.monotonic() < deadline, "no save was acknowledged within 60 s"
            time.sleep(0.01)
        kill(a)
        kill(b)
        for thread in threads[SAVES // 2:]:
            thread.start()
        for thread in threads:
            thread.join(15)
    assert 0 < len(acked) < SAVES  # the kill really came mid-burst
    slack.reset()
    with host(slack, database_url, dirs[0]), host(slack, database_url, dirs[1]):
        deadline = time.monotonic() + 20
        while any(d.message_due for d in stores.drafts.list(PAT)):
            assert time.monotonic() < deadline, "the due DM messages were not all posted"
            time.sleep(0.1)
        # Nothing is due any more: a host posts only what the store says is due, under the
        # person's message lock, so what was posted by now is all there will be.
    # Saves answered before the kill are all there; some on their way may be too (saved, then
    # killed before the answer): each stored draft, acknowledged or not, has one DM message.
    stored = {next(iter(set(d.values.values()) - {""})): d for d in stores.drafts.list(PAT)}
    assert {f"t{n}" for n in acked} <= set(stored)
    posts = [str(call.body["blocks"]) for call in slack.calls("chat.postMessage")]
    for value, draft in stored.items():
        assert draft.dm_ts is not None and not draft.message_due
        assert sum(bool(re.search(rf"\b{value}\b", post)) for post in posts) == 1, value
    assert [p for folder in dirs for p in folder.rglob("*") if p.is_file()] == []
    stores.close()
