"""Check-ins: Check in (the form, in steps), saving a step (in the ack, so errors show beside
their fields), Back, closing the form (which keeps what was typed), and History.

Whose draft it is comes from the signed request; a button's value or the form's
private_metadata only says which of that person's drafts, and which of its check-ins.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.goals.check_ins.rules import target_fields
from bot.goals.drafts.drafting import CheckedIn, CheckInResult, Drafting
from bot.slack.check_ins.blocks import history_view
from bot.slack.check_ins.form import closed_note, new_check_in_form, save_back, save_on_close, save_submission
from bot.slack.drafts import steps
from bot.slack.drafts.clicked import draft_of
from bot.slack.drafts.dm_message import show_saved
from bot.slack.drafts.steps import StepForm
from bot.slack.shared import notices
from bot.slack.shared.delivery import teller
from bot.slack.shared.errors import guarded
from bot.slack.shared.layout import Message, notice_view, text_message
from bot.slack.shared.payloads import owner_of, view_of, where
from bot.slack.shared.surfaces import Surfaces
from bot.slack.shared.values import CheckInState

log = logging.getLogger("goals")

SAVED_KEY = "goals_checked_in"  # set in the form's ack, read by its lazy listener


def _open(client: WebClient, body: dict[str, Any], modal: dict[str, object],
          tell: Callable[[Message], None]) -> None:
    try:
        client.views_open(trigger_id=str(body.get("trigger_id")), view=modal)
    except SlackApiError as error:
        if error.response.get("error") not in ("expired_trigger_id", "invalid_trigger_id"):
            raise
        tell(text_message(notices.CHECK_IN_EXPIRED))


@guarded
def open_check_in(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any,
                  drafting: Drafting) -> None:
    """Check in, on a draft: the form's first step, for a new check-in."""
    if not (found := draft_of(body, context, respond, client, drafting)):
        return
    owner, _, view = found
    tell = teller(body, respond, client, where(body, owner))
    if view.frame is None:
        tell(text_message(notices.NO_FRAME.format(family=view.draft.family, level=view.draft.level)))
    elif not target_fields(view.frame, view.draft.values):
        tell(text_message(notices.NO_TARGETS))
    else:
        _open(client, body, new_check_in_form(view.frame, view.draft, uuid.uuid4().hex), tell)


@guarded
def open_history(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any,
                 drafting: Drafting) -> None:
    """History, on a draft: every check-in of it, newest first."""
    if found := draft_of(body, context, respond, client, drafting):
        owner, _, view = found
        _open(client, body, history_view(view), teller(body, respond, client, where(body, owner)))


def submit_check_in(ack: Ack, body: dict[str, Any], context: BoltContext, drafting: Drafting) -> None:
    owner = owner_of(context)
    view = view_of(body)
    state = CheckInState.parse(view.get("private_metadata"))
    if owner is None or state is None:
        ack(response_action="update", view=notice_view(notices.CHECK_IN_NOT_SAVED_TITLE, notices.CHECK_IN_STALE))
        return
    result, answer = save_submission(drafting, owner, state, view, datetime.now(UTC))
    if isinstance(result, CheckedIn):
        context[SAVED_KEY] = result.draft.id
    ack(**answer)


@guarded
def after_check_in(context: BoltContext, client: WebClient, surfaces: Surfaces) -> None:
    owner, saved = owner_of(context), context.get(SAVED_KEY)
    if owner is not None and isinstance(saved, str):
        show_saved(client, surfaces, owner, saved)


CHECK_IN_STEPS: StepForm[CheckInState, CheckInResult] = StepForm(
    parse=CheckInState.parse,
    stale=lambda: notice_view(notices.CHECK_IN_NOT_SAVED_TITLE, notices.CHECK_IN_STALE),
    back=save_back,
    close=save_on_close,
    note=closed_note,
    saved=lambda result: result.draft.id if isinstance(result, CheckedIn) else None,
)


@guarded
def go_back(body: dict[str, Any], context: BoltContext, client: WebClient, drafting: Drafting,
            surfaces: Surfaces) -> None:
    """Back, in the check-in form (`bot.slack.drafts.steps`)."""
    steps.go_back(CHECK_IN_STEPS, body, context, client, drafting, surfaces)


@guarded
def closed_check_in(body: dict[str, Any], context: BoltContext, client: WebClient, drafting: Drafting,
                    surfaces: Surfaces) -> None:
    """The check-in form was closed: what was typed in its step is kept (`bot.slack.drafts.steps`)."""
    steps.closed(CHECK_IN_STEPS, body, context, client, drafting, surfaces)
