"""One person's rate limit never freezes anyone else: a 429 is not waited for in the thread
pool every click shares. Saves answered while Slack says "wait 20 s" leave their DM messages
due (the catch-up loop posts them later, on its own thread), and another person's form still
opens at once, inside its trigger's 3 seconds."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from bot.canon.repository import CanonRepository
from bot.goals.model import Owner
from bot.slack.drafts.catch_up import CatchUp
from bot.slack.shared.ids import DRAFT_ACTION
from support.draft_flow import fill, okr_m2, open_form, recorded, went_on
from support.slack_app_harness import RunningApp, button
from support.slack_standin import SlackStandIn

PEOPLE = [f"U10{n}" for n in range(8)]  # more than Bolt's lazy-listener threads


def test_a_rate_limited_burst_of_saves_leaves_every_other_form_opening_at_once(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    forms = {user: open_form(app, slack, user=user) for user in PEOPLE}
    draft_button = button(app.command("M2 cto okr", user="U777").json, DRAFT_ACTION)
    slack.reset()
    slack.rate_limit("chat.postMessage", retry_after=20, times=1000)
    slack.rate_limit("views.publish", retry_after=20, times=1000)

    saved: list[str] = []  # checked here: an assertion in a thread would not fail the test

    def save(user: str) -> None:
        if went_on(app.submit(forms[user], fill(forms[user], frame, target=f"by {user}"), user=user)):
            saved.append(user)  # the first step saved, the next one shown

    threads = [threading.Thread(target=save, args=(user,)) for user in PEOPLE]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(saved) == sorted(PEOPLE)
    slack.wait_for("chat.postMessage", len(PEOPLE))  # every DM post tried, and refused
    started = time.monotonic()
    app.click(draft_button["action_id"], draft_button["value"], user="U777")
    slack.wait_for("views.open", timeout=5)
    opened_after = time.monotonic() - started
    app.settle(timeout=3)  # nothing left sleeping in the shared pool
    assert opened_after < 1.0, f"views.open waited {opened_after:.2f} s behind the rate-limited posts"
    for user in PEOPLE:
        (draft,) = app.stores.drafts.list(Owner(team="T333", user=user))
        assert draft.message_due and draft.dm_ts is None  # saved; its message waits its turn


@pytest.mark.parametrize("status", [429, 500])
def test_the_catch_up_posts_what_slack_held_back_once_slack_allows_and_nobody_is_told_it_failed(
        slack: SlackStandIn, tmp_path: Path, repository: CanonRepository, status: int) -> None:
    data = tmp_path / "data"
    with RunningApp(slack, data_dir=data) as app:
        view = open_form(app, slack)
        if status == 429:
            slack.rate_limit("chat.postMessage", retry_after=20, times=10)
        else:
            slack.server_error("chat.postMessage", status=500, times=10)
        assert went_on(app.submit(view, fill(view, okr_m2(repository), target="held back")))  # the step saved
        slack.wait_for("chat.postMessage")
        app.settle()
        # No apology, nothing said to have failed: the save stands and its message is owed.
        assert [c.status for c in slack.calls("chat.postMessage")] == [status]
        assert not slack.calls("response_url")
    slack.reset()
    catch_up = CatchUp(every=0.05, grace=timedelta(0))
    with RunningApp(slack, data_dir=data, catch_up=catch_up) as later:
        slack.wait_for("views.publish")
        assert recorded(later, Owner(team="T333", user="U111")).dm_ts is not None
    (posted,) = slack.calls("chat.postMessage")
    assert "held back" in str(posted.body["blocks"])
