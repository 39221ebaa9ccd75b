"""Work promised is work done: a save whose DM message was never posted (the process died,
or Slack failed) gets it from whichever process looks next, once. On both stores."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.canon.repository import CanonRepository
from bot.goals.model import Owner
from bot.slack.drafts.catch_up import CatchUp
from support.draft_flow import fill, okr_m2, open_form, went_on
from support.slack_app_harness import RunningApp
from support.slack_standin import SlackStandIn

PAT = Owner(team="T333", user="U111")


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
