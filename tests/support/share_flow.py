"""Sharing as a person clicks it: Share, then the preview form, then Post."""

from __future__ import annotations

from typing import Any

from bot.slack.shared.ids import SHARE_ACTION
from support.draft_flow import form_of
from support.slack_app_harness import RunningApp, button
from support.slack_standin import SlackStandIn

JSON = dict[str, Any]


def open_share(app: RunningApp, slack: SlackStandIn, message: JSON, action: str = SHARE_ACTION,
               user: str = "U111", channel: str = "C222", where: str = "ephemeral") -> JSON:
    """Click `message`'s Share button: the preview form it opens. Nothing is posted yet."""
    share = button(message, action)
    app.settle()  # what came before (a comparison's stretch frame) is done
    slack.reset()
    app.click(share["action_id"], share["value"], user=user, channel=channel, where=where)
    app.settle()
    assert [call.method for call in slack.calls()] == ["views.open"]
    return form_of(slack.last("views.open"))


def share_in_channel(app: RunningApp, slack: SlackStandIn, message: JSON, action: str = SHARE_ACTION,
                     user: str = "U111", channel: str = "C222") -> JSON:
    """Share `message` into `channel` through its preview: the message as posted there."""
    form = open_share(app, slack, message, action, user=user, channel=channel)
    slack.reset()
    app.submit(form, {"channel": channel}, channel=channel, user=user)
    posted: JSON = slack.wait_for("response_url")[0].body
    return posted
