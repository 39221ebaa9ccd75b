"""Work promised is work done: a save whose DM message was never posted (the process died,
or Slack failed) gets it from whichever process looks next, once. On both stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.canon.repository import CanonRepository
from bot.goals.drafts.drafting import Drafting
from bot.goals.model import Owner
from bot.slack.drafts.catch_up import CatchUp, deliver_due
from bot.slack.shared.surfaces import Surfaces
from support.draft_flow import fill, okr_m2, open_form, went_on
from support.slack_app_harness import RunningApp
from support.slack_standin import SlackStandIn

PAT = Owner(team="T333", user="U111")


@pytest.fixture
def app(slack: SlackStandIn, tmp_path: Path, store_env: dict[str, str]) -> Iterator[RunningApp]:
    with RunningApp(slack, data_dir=tmp_path / "data", env=store_env) as running:
        yield running


def test_a_dm_message_left_due_is_posted_once_by_the_next_process(
        slack: SlackStandIn, tmp_path: Path, store_env: dict[str, str], repository: CanonRepository) -> None:
    frame, data_dir = okr_m2(repository), tmp_path / "data"
    with RunningApp(slack, data_dir=data_dir, env=store_env) as first:
        view = open_form(first, slack)
        slack.fail("chat.postMessage", "fatal_error", times=5)  # Slack refuses the post (and the apology)
        assert went_on(first.submit(view, fill(view, frame, target="kept")))  # the first step saved (Next)
        slack.wait_for("chat.postMessage", 2)  # the post, then the apology in the DM: both refused
        (saved,) = first.stores.drafts.list(PAT)
        assert saved.message_due and saved.dm_ts is None  # promised, not done
    slack.reset()
    # Two processes start and look at once: the message is posted once.
    def catch_up() -> CatchUp:
        return CatchUp(every=0.05, grace=timedelta(0))

    with RunningApp(slack, data_dir=data_dir, env=store_env, catch_up=catch_up()) as second, \
            RunningApp(slack, data_dir=data_dir, env=store_env, catch_up=catch_up()) as third:
        slack.wait_for("views.publish")
        (draft,) = third.stores.drafts.list(PAT)
        assert not draft.message_due
        assert list(second.stores.drafts.due_messages(draft.updated_at + timedelta(days=1), 10)) == []
    assert len(slack.calls("auth.test")) == 2  # both started
    (posted,) = slack.calls("chat.postMessage")
    assert posted.body["channel"] == PAT.user and "kept" in str(posted.body["blocks"])
    assert draft.dm_channel and draft.dm_ts  # recorded: the next save updates it in place


def test_one_draft_slack_refuses_to_show_does_not_hold_up_the_others(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    for user in ("U201", "U202"):
        view = open_form(app, slack, user=user)
        slack.fail("chat.postMessage", "fatal_error", times=2)  # the post and the apology
        assert went_on(app.submit(view, fill(view, frame, target=f"by {user}"), user=user))
        app.settle()
    slack.reset()
    slack.fail("chat.postMessage", "invalid_blocks")  # the first one's, for a reason of its own
    surfaces = Surfaces(Drafting(repository, app.stores.drafts), app.stores.profiles)
    assert deliver_due(surfaces, app.app.client, timedelta(0)) == 2  # both looked at
    assert len(slack.calls("chat.postMessage")) == 2  # both tried
    assert len(slack.posted("DU201") + slack.posted("DU202")) == 1  # the other's shown all the same
    due = [draft for user in ("U201", "U202") for draft in app.stores.drafts.list(Owner(team="T333", user=user))
           if draft.message_due]
    assert len(due) == 1  # and the refused one still owed, for the next round
