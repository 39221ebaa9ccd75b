"""bot/envelope.py: requests shaped as Slack shapes them pass; shapes that would crash Bolt
are named as malformed (the gate answers them 400 before Bolt reads them)."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

import pytest

from bot.web.envelope import problem

FORM = "application/x-www-form-urlencoded"
CLICK: dict[str, Any] = {
    "type": "block_actions", "user": {"id": "U1", "team_id": "T1"}, "team": {"id": "T1", "domain": "x"},
    "channel": {"id": "C1"}, "container": {"type": "message", "channel_id": "C1", "is_ephemeral": True},
    "actions": [{"action_id": "goals_copy", "value": "{}", "type": "button"}], "response_url": "https://x",
}
FORM_SUBMISSION: dict[str, Any] = {
    "type": "view_submission", "team": {"id": "T1"}, "user": {"id": "U1", "team_id": "T1"},
    "view": {"id": "V1", "type": "modal", "callback_id": "goals_draft_form", "private_metadata": "{}",
             "state": {"values": {}}, "hash": "h"}, "response_urls": [],
}


def interaction(payload: object) -> bytes:
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()


@pytest.mark.parametrize("payload", [
    CLICK, FORM_SUBMISSION, {**CLICK, "team": "T1", "user": "U1", "channel": "C1"},
    {**CLICK, "new_field_slack_added": [1, {"x": None}]}, {**CLICK, "enterprise": None},
])
def test_what_slack_sends_passes(payload: dict[str, Any]) -> None:
    assert problem(interaction(payload), FORM) is None


def test_commands_and_events_pass() -> None:
    assert problem(b"command=%2Fgoals&text=M2+cto&user_id=U1", FORM) is None
    event = {"type": "event_callback", "team_id": "T1", "event": {"type": "app_home_opened", "user": "U1"},
             "authorizations": [{"team_id": "T1", "user_id": "UB", "is_bot": True}]}
    assert problem(json.dumps(event).encode(), "application/json") is None
    assert problem(json.dumps({"type": "url_verification", "challenge": "c"}).encode(), "application/json") is None


@pytest.mark.parametrize("payload", [
    [1], "text", {**CLICK, "type": 5}, {**CLICK, "user": 5}, {**CLICK, "team": ["T1"]},
    {**CLICK, "channel": {"id": 5}}, {**CLICK, "container": "x"}, {**CLICK, "actions": {}},
    {**CLICK, "actions": []}, {**CLICK, "actions": ["goals_copy"]}, {**CLICK, "actions": [{"action_id": 5}]},
    {**CLICK, "actions": [{"value": "v"}]}, {**FORM_SUBMISSION, "view": None}, {**FORM_SUBMISSION, "view": "x"},
    {**FORM_SUBMISSION, "view": {"id": "V1"}}, {**FORM_SUBMISSION, "response_urls": "x"},
    {**FORM_SUBMISSION, "response_urls": None},  # found by the fuzz: Bolt takes its len()
    {**FORM_SUBMISSION, "type": "view_closed", "view": None},
])
def test_shapes_that_would_crash_bolt_are_malformed(payload: object) -> None:
    assert (problem(interaction(payload), FORM) or "").startswith("malformed request")
    # Read the way Bolt reads bodies: the last of several payload fields,
    assert (problem(interaction(CLICK) + b"&" + interaction(payload), FORM) or "").startswith("malformed request")
    # and as JSON when it is sent as JSON, or starts with "{" whatever its content type says.
    assert (problem(json.dumps(payload).encode(), "application/json") or "").startswith("malformed request")
    if isinstance(payload, dict):
        assert (problem(json.dumps(payload).encode(), FORM) or "").startswith("malformed request")


@pytest.mark.parametrize(("body", "content_type"), [
    (b"payload=not-json", FORM), (b"\xff\xfe", FORM), (b'{"type": "event_callback"', "application/json"),
    (b"[1]", "application/json"), (json.dumps({"type": "event_callback", "event": "x"}).encode(), "application/json"),
    (json.dumps({"type": "event_callback", "authorizations": {}}).encode(), "application/json"),
    # Bolt reads the event's user and channel, and the first authorization, as it builds the context.
    (json.dumps({"type": "event_callback", "event": {"type": "app_home_opened", "user": 5}}).encode(),
     "application/json"),
    (json.dumps({"type": "event_callback", "event": {"type": "app_home_opened", "channel": 5}}).encode(),
     "application/json"),
    (json.dumps({"type": "event_callback", "authorizations": [5]}).encode(), "application/json"),
])
def test_bodies_that_are_not_slacks_are_malformed(body: bytes, content_type: str) -> None:
    assert (problem(body, content_type) or "").startswith("malformed request")


@pytest.mark.parametrize(("body", "content_type"), [(b"[]", "application/json"), (b"null", "application/json"),
                                                    (b"{}", FORM), (b"payload", FORM)])
def test_json_that_is_no_request_is_malformed(body: bytes, content_type: str) -> None:
    assert (problem(body, content_type) or "").startswith("malformed request")
