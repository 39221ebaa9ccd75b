"""Sharing over signed HTTP, as people click: Share shows a preview of the exact message,
privately; Post sends it to a channel or to a person; the sharer alone can delete it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bot.slack.share.form import PICK_A_DESTINATION
from bot.slack.shared.ids import (
    COMPARE_SHARE_ACTION,
    COPY_ACTION,
    DRAFT_ACTION,
    SHARED_DELETE_ACTION,
)
from bot.slack.shared.values import SharedRef
from support.block_texts import shown
from support.canon_files import family_doc, level_doc, write_canon_dir
from support.draft_flow import inputs
from support.share_flow import open_share
from support.slack_app_harness import RunningApp, button
from support.slack_standin import SlackStandIn

JSON = dict[str, Any]


def action_ids(message: JSON) -> list[str]:
    return [e["action_id"] for block in message["blocks"] if block["type"] == "actions" for e in block["elements"]]


def preview(form: JSON) -> list[JSON]:
    """The preview's blocks: between the form's lead and the note that names the buttons."""
    blocks = form["blocks"]
    start = next(i for i, b in enumerate(blocks) if (b["type"] == "context" and "Shared by" in str(b))
                 or (b["type"] == "context" and "Drafted by" in str(b)))
    end = next(i for i, b in enumerate(blocks) if i > start and b["type"] == "context"
               and "With the buttons" in str(b))
    return blocks[start:end]


def without_actions(message: JSON) -> list[JSON]:
    return [block for block in message["blocks"] if block["type"] != "actions"]


def test_share_shows_the_exact_message_then_posts_it_only_after_post(app: RunningApp, slack: SlackStandIn) -> None:
    form = open_share(app, slack, app.command("M2 cto scorecard").json, user="U999")
    assert (form["submit"]["text"], form["close"]["text"]) == ("Post", "Cancel")
    channel, person = inputs(form)
    assert channel["element"]["type"] == "conversations_select"
    assert channel["element"]["response_url_enabled"] is True
    assert channel["element"]["default_to_current_conversation"] is True
    assert person["element"]["type"] == "users_select"
    assert "With the buttons Draft targets, Copy as text. You can delete it afterwards" in shown(form)
    slack.reset()
    assert app.submit(form, {"channel": "C222"}, channel="C222", user="U999").body == ""
    (post,) = slack.wait_for("response_url")
    assert post.body["response_type"] == "in_channel" and post.body["replace_original"] is False
    assert post.body["blocks"][0]["elements"][1]["text"] == "<@U999>"
    assert "Role calibration" in shown(post.body)
    assert without_actions(post.body) == preview(form)  # what was previewed is what was posted
    assert action_ids(post.body) == [DRAFT_ACTION, COPY_ACTION, SHARED_DELETE_ACTION]
    assert slack.calls("chat.postMessage") == []


@pytest.mark.parametrize("entries", [{}, {"channel": ""}, {"channel": "<#C777>"}, {"person": "../U1"}])
def test_post_without_a_channel_or_person_is_refused_next_to_the_field(
        app: RunningApp, slack: SlackStandIn, entries: dict[str, str]) -> None:
    form = open_share(app, slack, app.command("M2 cto okr").json)
    slack.reset()
    assert app.submit(form, entries).json == {"response_action": "errors",
                                              "errors": {"channel": PICK_A_DESTINATION}}
    app.settle()
    assert slack.calls() == []


def test_sending_to_a_person_is_a_dm_from_goals_naming_the_sender(app: RunningApp, slack: SlackStandIn) -> None:
    form = open_share(app, slack, app.command("M2 cto okr").json, user="U111")
    slack.reset()
    # A person picked wins over the channel the form started with.
    app.submit(form, {"channel": "C222", "person": "U555"}, channel="C222", user="U111")
    sent, told = slack.wait_for("chat.postMessage", count=2)
    assert sent.body["channel"] == "U555"
    assert sent.body["blocks"][0]["elements"][1]["text"] == "<@U111>"
    assert without_actions(sent.body) == preview(form)
    # The recipient's copy has no Delete (only the sharer could use it, and they cannot see
    # it); the sharer's note has it.
    assert SHARED_DELETE_ACTION not in action_ids(sent.body)
    assert told.body["channel"] == "U111" and "Sent to <@U555>" in told.body["text"]
    assert slack.calls("response_url") == []
    delete = button(told.body, SHARED_DELETE_ACTION)
    (delivered,) = slack.posted("DU555")
    # The recipient (or anyone else) replaying it deletes nothing.
    slack.reset()
    app.click(delete["action_id"], delete["value"], user="U555", where="message", channel="DU555")
    assert "Only <@U111>, who shared this, can delete it." in shown(slack.wait_for("response_url")[0].body)
    app.settle()
    assert slack.calls("chat.delete") == []
    # The sharer deletes what was sent; the note says so.
    slack.reset()
    app.click(delete["action_id"], delete["value"], user="U111", where="message", channel="DU111")
    (gone,) = slack.wait_for("chat.delete")
    assert gone.body["channel"] == "DU555" and gone.body["ts"] == delivered["ts"]
    (note,) = slack.wait_for("response_url")
    assert note.body["replace_original"] is True and "You deleted what you sent." in shown(note.body)


def test_a_person_goals_cannot_message_is_told_to_the_sharer(app: RunningApp, slack: SlackStandIn) -> None:
    form = open_share(app, slack, app.command("M2 cto okr").json)
    slack.reset()
    slack.fail("chat.postMessage", error="cannot_dm_bot")
    app.submit(form, {"person": "U666"})
    refused, told = slack.wait_for("chat.postMessage", count=2)
    assert refused.body["channel"] == "U666" and refused.status == 200
    assert told.body["channel"] == "U111" and "could not send it to <@U666>" in told.body["text"]


def test_the_sharer_alone_can_delete_what_they_shared(app: RunningApp, slack: SlackStandIn) -> None:
    form = open_share(app, slack, app.command("M2 cto okr").json, user="U999")
    app.submit(form, {"channel": "C222"}, channel="C222", user="U999")
    (post,) = slack.wait_for("response_url")
    delete = button(post.body, SHARED_DELETE_ACTION)
    assert delete["confirm"]["confirm"]["text"] == "Delete"
    # Someone else in the channel clicks it: only they are told, and nothing is deleted.
    slack.reset()
    app.click(delete["action_id"], delete["value"], user="U222", where="message")
    (note,) = slack.wait_for("response_url")
    assert note.body["response_type"] == "ephemeral" and note.body["replace_original"] is False
    assert "Only <@U999>, who shared this, can delete it." in shown(note.body)
    app.settle()
    assert "delete_original" not in note.body and slack.calls("chat.delete") == []
    # The sharer clicks it: the message goes.
    slack.reset()
    app.click(delete["action_id"], delete["value"], user="U999", where="message")
    (gone,) = slack.wait_for("response_url")
    assert gone.body["delete_original"] is True


def test_the_sharer_deletes_as_the_app_when_the_response_url_has_expired(
        app: RunningApp, slack: SlackStandIn) -> None:
    delete = SharedRef(by="U999").value()
    url = app.unusable_response_url("expired")
    app.click(SHARED_DELETE_ACTION, delete, user="U999", where="message", channel="C222", response_url=url)
    (call,) = slack.wait_for("chat.delete")
    assert (call.body["channel"], call.body["ts"]) == ("C222", "1700000000.000100")


@pytest.mark.parametrize("value", ["", "{}", '{"b": "C123"}', '{"b": "U999", "x": 1}', '{"b": 5}'])
def test_a_crafted_delete_deletes_nothing(app: RunningApp, slack: SlackStandIn, value: str) -> None:
    app.click(SHARED_DELETE_ACTION, value, user="U999", where="message")
    app.settle()
    assert slack.calls("chat.delete") == []
    assert all("delete_original" not in call.body for call in slack.calls("response_url"))


def test_a_comparison_is_shared_through_the_same_preview(app: RunningApp, slack: SlackStandIn) -> None:
    form = open_share(app, slack, app.command("compare M2 M4 cto").json, action=COMPARE_SHARE_ACTION)
    app.submit(form, {"channel": "C222"}, channel="C222")
    posts = slack.wait_for("response_url")
    assert without_actions(posts[0].body) == preview(form)
    assert SHARED_DELETE_ACTION in action_ids(posts[0].body)


# Delivery: the response_url first, then the app itself, then how to invite it ------------------

@pytest.mark.parametrize("how", ["expired", "unreachable"])
def test_a_response_url_that_takes_nothing_posts_as_the_app(app: RunningApp, slack: SlackStandIn, how: str) -> None:
    form = open_share(app, slack, app.command("M2 cto okr").json)
    slack.reset()
    app.submit(form, {"channel": "C777"}, channel="C777", response_url=app.unusable_response_url(how))
    (post,) = slack.wait_for("chat.postMessage")
    assert post.body["channel"] == "C777"
    assert "Shared by" in str(post.body["blocks"][0])


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found"])
def test_where_the_app_is_not_a_member_the_person_is_told_how_to_invite_it(
        app: RunningApp, slack: SlackStandIn, error: str) -> None:
    form = open_share(app, slack, app.command("M2 cto okr").json)
    slack.reset()
    slack.fail("chat.postMessage", error=error)
    slack.fail("chat.postEphemeral", error=error)
    app.submit(form, {"channel": "C777"}, channel="C777", response_url=app.unusable_response_url("expired"))
    posts = slack.wait_for("chat.postMessage", count=2)
    assert posts[1].body["channel"] == "U111"
    assert "/invite @Goals" in shown(posts[1].body)


def test_rate_limited_sends_are_retried(app: RunningApp, slack: SlackStandIn) -> None:
    form = open_share(app, slack, app.command("M2 cto okr").json)
    slack.reset()
    slack.rate_limit("chat.postMessage", retry_after=0)
    app.submit(form, {"person": "U555"})
    posts = slack.wait_for("chat.postMessage", count=3, timeout=6)
    assert [p.status for p in posts] == [429, 200, 200]
    assert [p.body["channel"] for p in posts] == ["U555", "U555", "U111"]


LARGE = [f"Responsibility {n} keeps trial data clean" for n in range(1, 121)]


def test_a_share_the_response_url_stops_taking_midway_posts_every_page_once(
        tmp_path: Path, slack: SlackStandIn) -> None:
    canon = write_canon_dir(tmp_path / "canon", levels=[level_doc("L1", dimensions=12)],
                            families=[family_doc(levels={"L1": {"responsibilities": LARGE}})])
    with RunningApp(slack, canon_dir=canon) as app:
        form = open_share(app, slack, app.command("L1 widgets smart").json)
        assert "more like this follow" in shown(form)
        slack.reset()
        slack.delay("response_url", seconds=0)  # the first page goes through the response_url ...
        slack.server_error("response_url", status=404)  # ... then it takes no more (Slack allows five uses)
        app.submit(form, {"channel": "C777"}, channel="C777")
        first = slack.wait_for("response_url")[0]
        total = int(re.findall(r"page 1 of (\d+)", first.body["text"])[0])
        posted = slack.wait_for("chat.postMessage", count=total - 1)
    assert total > 1
    pages = [re.findall(r"\(page (\d+) of", call.body["text"])[0] for call in [first, *posted]]
    assert pages == [str(n) for n in range(1, total + 1)]  # in order, none twice, none lost
    assert all(call.body["channel"] == "C777" for call in posted)
