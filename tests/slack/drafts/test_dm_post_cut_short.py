"""One DM message per draft even when a post is cut short: a post Slack took but did not
answer in time is found by its metadata and updated, never posted twice; a dropped post is
never resent blindly; the apology says what really happened. On both stores."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.canon.repository import CanonRepository
from bot.goals.model import Owner
from bot.slack.drafts.catch_up import CatchUp
from support.draft_flow import fill, okr_m2, open_form, recorded, went_on
from support.slack_app_harness import RunningApp
from support.slack_standin import DROPPED, SlackStandIn

PAT = Owner(team="T333", user="U111")


def draft_posts(slack: SlackStandIn) -> list[dict[str, object]]:
    """The posts of a draft's DM message (they carry its metadata; apologies do not)."""
    return [call.body for call in slack.calls("chat.postMessage") if call.body.get("metadata")]


def test_a_post_slack_took_without_answering_in_time_is_found_and_updated_not_posted_again(
        slack: SlackStandIn, tmp_path: Path, store_env: dict[str, str], repository: CanonRepository) -> None:
    env = {**store_env, "SLACK_API_TIMEOUT": "1"}
    data = tmp_path / "data"
    with RunningApp(slack, data_dir=data, env=env) as app:
        view = open_form(app, slack)
        slack.delay("chat.postMessage", 1.5)  # Slack posts it, but answers after the client gave up
        assert went_on(app.submit(view, fill(view, okr_m2(repository), target="first")))  # the step saved
        (apology,) = [body for body in (c.body for c in slack.wait_for("chat.postMessage", 2))
                      if not body.get("metadata")]
        assert str(apology["text"]).startswith("Slack did not answer in time, so Goals cannot tell yet whether "
                                               "your draft's message reached your DM (error id ")
        app.settle()
        (draft,) = app.stores.drafts.list(PAT)
        assert draft.message_due and draft.posting_since is not None and draft.dm_ts is None
    with RunningApp(slack, data_dir=data, env=env, catch_up=CatchUp(every=0.05, grace=timedelta(0))) as later:
        slack.wait_for("chat.update")
        draft = recorded(later, PAT)
    assert len(draft_posts(slack)) == 1  # the one Slack took: never a second
    (updated,) = slack.calls("chat.update")
    assert (updated.body["channel"], updated.body["ts"]) == (draft.dm_channel, draft.dm_ts)
    assert not draft.message_due and draft.posting_since is None


def test_a_dropped_post_is_not_resent_blindly_and_is_posted_once_when_it_did_not_arrive(
        slack: SlackStandIn, tmp_path: Path, store_env: dict[str, str], repository: CanonRepository) -> None:
    data = tmp_path / "data"
    with RunningApp(slack, data_dir=data, env=store_env) as app:
        view = open_form(app, slack)
        slack.drop("chat.postMessage")
        assert went_on(app.submit(view, fill(view, okr_m2(repository), target="first")))  # the step saved
        slack.wait_for("chat.postMessage", 2)  # the post, dropped; then the apology
        app.settle()
        assert [call.status for call in slack.calls("chat.postMessage") if call.body.get("metadata")] == [DROPPED]
    with RunningApp(slack, data_dir=data, env=store_env, catch_up=CatchUp(every=0.05, grace=timedelta(0))) as later:
        slack.wait_for("views.publish")
        draft = recorded(later, PAT)
    statuses = [call.status for call in slack.calls("chat.postMessage") if call.body.get("metadata")]
    assert statuses == [DROPPED, 200]  # looked for first (conversations.history), then posted once
    assert slack.calls("conversations.history")
    assert draft.dm_ts is not None and not draft.message_due


def test_an_install_without_the_dm_history_scope_posts_again_rather_than_never(
        slack: SlackStandIn, tmp_path: Path, repository: CanonRepository) -> None:
    data = tmp_path / "data"
    with RunningApp(slack, data_dir=data, env={"SLACK_API_TIMEOUT": "1"}) as app:
        view = open_form(app, slack)
        slack.delay("chat.postMessage", 1.5)
        assert went_on(app.submit(view, fill(view, okr_m2(repository), target="first")))  # the step saved
        slack.wait_for("chat.postMessage", 2)
        app.settle()
    slack.reset()
    slack.fail("conversations.open", "missing_scope", times=100)
    with RunningApp(slack, data_dir=data, catch_up=CatchUp(every=0.05, grace=timedelta(0))) as later:
        slack.wait_for("views.publish")
        draft = recorded(later, PAT)
    assert draft.dm_ts is not None and len(draft_posts(slack)) == 1  # posted again: shown, not lost
