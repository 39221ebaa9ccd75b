"""Opening a form never waits behind background work: with Slack answering every call in 2 s
and the background pool full (Home tabs to publish for twenty people, more than its
threads), ten people's `/goals draft` forms are all requested before any Home tab that had
to wait for a thread, inside the trigger_id's 3 s. Checked by the order in which the
stand-in received the calls, not by a clock threshold a loaded machine could miss."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.slack.app import BACKGROUND_THREADS
from bot.slack.shared.routing import OPENS_FORM
from support.slack_app_harness import RunningApp
from support.slack_standin import SlackStandIn

SLOW = 2.0  # seconds Slack takes to answer each call


@pytest.fixture
def app(slack: SlackStandIn, tmp_path: Path) -> Iterator[RunningApp]:
    with RunningApp(slack, data_dir=tmp_path / "data") as running:
        yield running


def test_forms_are_requested_at_once_while_slack_is_slow_and_background_work_queues(
        app: RunningApp, slack: SlackStandIn) -> None:
    for method in ("views.publish", "views.open", "users.info", "views.update", "chat.postMessage"):
        slack.delay(method, SLOW, times=100)
    # Twenty Home tabs to publish, 2 s each: more than the background pool's threads.
    for n in range(20):
        assert app.home_opened(user=f"UHOME{n:02d}").status == 200
    sent: dict[str, float] = {}

    def draft(n: int) -> None:
        trigger = f"{n}.9.9"
        sent[trigger] = time.monotonic()
        assert app.command("draft M2 cto okr", user=f"UFORM{n:02d}", trigger_id=trigger).status == 200

    threads = [threading.Thread(target=draft, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    app.settle(timeout=30)
    opened = {str(call.body["trigger_id"]): call.at for call in slack.calls("views.open")}
    assert set(opened) == set(sent)
    published = sorted(call.at for call in slack.calls("views.publish"))
    assert len(published) == 20
    # The background pool has 8 threads: the 9th Home tab waited about 2 s for one. Every
    # form was asked for before it, so none waited behind the queue.
    assert max(opened.values()) < published[BACKGROUND_THREADS]
    assert all(opened[trigger] - sent[trigger] < SLOW for trigger in sent)  # within the trigger's 3 s


def test_the_registration_map_runs_every_listener_that_opens_a_form_in_the_forms_pool(app: RunningApp) -> None:
    # Bolt keeps its listeners in a private list; each lazy function carries the mark.
    marked = {lazy.__name__ for listener in app.app._listeners for lazy in listener.lazy_functions
              if getattr(lazy, OPENS_FORM, False)}
    assert {"open_from_command", "open_from_frame", "edit", "start_another", "open_share", "open_send",
            "open_changes", "open_draft_for", "open_propose", "run", "open_settings", "open_check_in",
            "open_history"} == marked
