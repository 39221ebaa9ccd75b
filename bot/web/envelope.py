"""The shape of what Slack sends, checked before Bolt reads it.

Bolt trusts the shape of a request: a `user` that is a number, `actions` that are a dict
or a view with no type make it raise while it builds the request's context, before any
listener or error handler of ours can answer (HTTP 500). Slack never sends such things,
so a request that has them is refused with 400 instead. The models name only the fields
Bolt and our listeners read, and allow every other field: Slack adds fields over time.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class _Shape(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class _Ref(_Shape):
    """A team, user, enterprise or channel as an object: its id, when given, is a string."""

    id: str | None = None
    team_id: str | None = None
    enterprise_id: str | None = None


Ref = str | _Ref | None  # Bolt reads these as an id string or as an object with an id


class _Container(_Shape):
    channel_id: str | None = None
    view_id: str | None = None


class _Action(_Shape):
    action_id: str


class _View(_Shape):
    type: str
    id: str | None = None
    callback_id: str | None = None
    private_metadata: str | None = None
    team_id: str | None = None
    app_installed_team_id: str | None = None
    state: dict[str, Any] | None = None


class _ResponseUrl(_Shape):
    response_url: str
    channel_id: str | None = None


class _Authorization(_Shape):
    team_id: str | None = None
    enterprise_id: str | None = None
    user_id: str | None = None


class _Event(_Shape):
    type: str
    user: Ref = None
    channel: Ref = None
    team: Ref = None


class Envelope(_Shape):
    """A request as Bolt parses it: an interaction (a click, a form submission, a shortcut) or
    an Events API callback (such as app_home_opened). One model for both, because Bolt reads
    the same fields whichever way the body came."""

    type: str
    # Interactions
    user: Ref = None
    team: Ref = None
    enterprise: Ref = None
    channel: Ref = None
    container: _Container | None = None
    actions: list[_Action] | None = None
    view: _View | None = None
    response_url: str | None = None
    # Slack sends one entry per response_url_enabled input and Goals' forms have one.
    # Bolt 1.30 raises (HTTP 500) when there are more: it logs through the context's
    # logger before the context has one.
    response_urls: list[_ResponseUrl] = Field(default_factory=list, max_length=1)  # present: a list (Bolt takes len())
    trigger_id: str | None = None
    # Events
    team_id: str | None = None
    enterprise_id: str | None = None
    event: _Event | None = None
    authorizations: list[_Authorization] | None = None


_NEEDS = {"block_actions": "actions", "view_submission": "view", "view_closed": "view"}


def read_body(text: str, content_type: str | None) -> dict[str, object]:
    """A request's body as Slack means it: JSON when sent as JSON (events), else form fields,
    of which an interaction's `payload` field is JSON (clicks, forms). A form is read by its
    own fields: Bolt's `parse_body` reads any form containing the text "payload" (a command
    typed in #payload-team, `/goals payload`) as an interaction and finds nothing in it."""
    if not text:
        return {}
    if content_type == "application/json" or text.startswith("{"):
        found = json.loads(text)
    else:
        fields: dict[str, object] = dict(parse_qsl(text, keep_blank_values=True))
        if "payload" not in fields:
            return fields
        found = json.loads(str(fields["payload"]))
    if not isinstance(found, dict):
        raise ValueError("the body is not a JSON object")
    return found


def problem(body: bytes, content_type: str) -> str | None:
    """What is wrong with a request's shape, or None if Bolt can read it safely."""
    try:
        text = body.decode("utf-8")
        if not _parsed_from_json(text, content_type):
            return None  # a slash command (or nothing): form fields, strings by construction
        envelope = Envelope.model_validate(read_body(text, content_type))
    except (UnicodeDecodeError, ValueError, ValidationError, RecursionError) as error:  # nesting past the parser
        return f"malformed request ({type(error).__name__})"
    needed = _NEEDS.get(envelope.type)
    if needed and not getattr(envelope, needed):
        return f"malformed request ({envelope.type} without {needed})"
    return None


def _parsed_from_json(text: str, content_type: str) -> bool:
    """Whether the body is read as JSON (the body itself, or a form's payload field)."""
    return (content_type == "application/json" or text.startswith("{")
            or "payload" in dict(parse_qsl(text, keep_blank_values=True)))
