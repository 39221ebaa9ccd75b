"""The word "payload" is just a word: a command typed in #payload-team, by @payloadops, or
`/goals payload` is read by the form's own fields, not taken for an interaction (which is
what Bolt's `parse_body` does with any form containing the text)."""

from __future__ import annotations

import urllib.parse

import pytest

from support.slack_app_harness import RunningApp


def command(app: RunningApp, text: str, **fields: str) -> dict[str, object]:
    body = dict(urllib.parse.parse_qsl(app.command_body(text)))
    reply = app.signed(urllib.parse.urlencode({**body, **fields}))
    assert reply.status == 200, reply.body
    return reply.json


@pytest.mark.parametrize("fields", [{"channel_name": "payload-team"}, {"user_name": "payloadops"},
                                    {"team_domain": "payload"}], ids=["channel", "user", "workspace"])
def test_a_command_from_a_place_or_person_named_payload_is_answered(app: RunningApp,
                                                                     fields: dict[str, str]) -> None:
    answer = command(app, "M2 cto okr", **fields)
    assert answer["response_type"] == "ephemeral"
    assert "OKRs — Clinical Trials Operations · M2" in str(answer["blocks"])


def test_goals_payload_is_a_word_goals_does_not_know(app: RunningApp) -> None:
    answer = command(app, "payload")
    assert answer["response_type"] == "ephemeral"
    block = answer["blocks"][0]
    assert block["text"]["text"].startswith('Unknown job family "payload".')
    assert [b["type"] for b in answer["blocks"]] == ["section", "actions"]  # its example, to click
