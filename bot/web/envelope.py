"""The shape of what Slack sends, checked before Bolt reads it.

Bolt trusts the shape of a request: a `user` that is a number, `actions` that are a dict
or a view with no type make it raise while it builds the request's context, before any
listener or error handler of ours can answer (HTTP 500). Slack never sends such things,
so a request that has them is refused with 400 instead. The models name only the fields
Bolt and our listeners read, and allow every other field: Slack adds fields over time.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from slack_bolt.request.internals import parse_body


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
    response_urls: list[_ResponseUrl] | None = Field(default=None, max_length=1)
    trigger_id: str | None = None
    # Events
    team_id: str | None = None
    enterprise_id: str | None = None
    event: _Event | None = None
    authorizations: list[_Authorization] | None = None


_NEEDS = {"block_actions": "actions", "view_submission": "view", "view_closed": "view"}


def problem(body: bytes, content_type: str) -> str | None:
    """What is wrong with a request's shape, or None if Bolt can read it safely."""
    try:
        text = body.decode("utf-8")
        # Bolt's own reading (JSON if it is sent as JSON or starts with "{", else form fields,
        # the last `payload` field as JSON): what it reads is what must be checked.
        if not _parsed_from_json(text, content_type):
            return None  # a slash command (or nothing): form fields, strings by construction
        envelope = Envelope.model_validate(parse_body(text, content_type))
    except (UnicodeDecodeError, ValueError, ValidationError) as error:
        return f"malformed request ({type(error).__name__})"
    needed = _NEEDS.get(envelope.type)
    if needed and not getattr(envelope, needed):
        return f"malformed request ({envelope.type} without {needed})"
    return None


def _parsed_from_json(text: str, content_type: str) -> bool:
    """Whether Bolt's parse_body reads JSON (the body, or a payload field) rather than a form.
    ("payload" anywhere in a form is enough for Bolt to look for the field: without it, Bolt
    reads nothing, and so is this refused.)"""
    return content_type == "application/json" or text.startswith("{") or "payload" in text
