"""The forms: saving a draft's form (in the ack, so errors show beside their fields), then
its DM message and the Home tab; Back, which saves a step and shows the one before; and
closing the form, which keeps what was typed.

A submission is checked and saved in the ack: a local write of a few milliseconds, so the
person sees errors at once. Whose draft it is comes from the signed request; the form's
private_metadata only says which of that person's drafts.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.drafts.model import Owner, ReviewStatus
from bot.drafts.reviewing import Reviewed
from bot.drafts.service import Drafting, Gone, NoFrame, Saved, SaveResult, StoreFailed
from bot.slack import notices
from bot.slack.delivery import Where, tell_privately
from bot.slack.draft_form import NotSaved, notice_view, save_back, save_on_close, save_submission, typed_values
from bot.slack.errors import guarded, retry_after
from bot.slack.layout import text_message
from bot.slack.listeners.reviews import deliver_proposal
from bot.slack.notices import NOT_SAVED_TITLE, STALE_FORM
from bot.slack.payloads import owner_of, view_of
from bot.slack.review_messages import show_review
from bot.slack.surfaces import Surfaces
from bot.slack.values import FormState

log = logging.getLogger("goals")

SAVED_KEY = "goals_saved_draft"  # set in the form's ack, read by its lazy listener
CONFIRM_KEY = "goals_confirm_in"  # the channel to confirm a finished form's save in
PROPOSE_KEY = "goals_propose_to"  # the person a finished form's draft is proposed to
TZ_KEY = "goals_form_tz"  # the timezone the form learned: the person's reminders follow it


def submit_form(ack: Ack, body: dict[str, Any], context: BoltContext, drafting: Drafting) -> None:
    owner = owner_of(context)
    view = view_of(body)
    state = FormState.parse(view.get("private_metadata"))
    if owner is None or state is None:
        # A form from an older version of Goals, or not ours: say so, change nothing.
        ack(response_action="update", view=notice_view(NOT_SAVED_TITLE, STALE_FORM))
        return
    result, answer = save_submission(drafting, owner, state, view, datetime.now(UTC))
    if isinstance(result, Saved):
        context[SAVED_KEY] = result.draft.id
        context[TZ_KEY] = state.tz
        if not answer and state.channel:  # the last step: the form closes
            context[CONFIRM_KEY] = state.channel
        if not answer and state.propose_to:
            context[PROPOSE_KEY] = state.propose_to
    ack(**answer)


@guarded
def after_save(context: BoltContext, client: WebClient, surfaces: Surfaces) -> None:
    owner, saved = owner_of(context), context.get(SAVED_KEY)
    if owner is None or not isinstance(saved, str):
        return
    tz = context.get(TZ_KEY)
    show_saved(client, surfaces, owner, saved, tz if isinstance(tz, str) else None)
    if isinstance(channel := context.get(CONFIRM_KEY), str):
        surfaces.confirm_saved(client, owner, saved, channel)
    if isinstance(person := context.get(PROPOSE_KEY), str):
        deliver_proposal(client, surfaces, owner, saved, person)


@guarded
def go_back(body: dict[str, Any], context: BoltContext, client: WebClient, drafting: Drafting,
            surfaces: Surfaces) -> None:
    """Back, in the form: save the step with the same checks as Next, then show the step
    before; a refused value keeps the person on the step, told why beside it."""
    owner = owner_of(context)
    view = view_of(body)
    state = FormState.parse(view.get("private_metadata"))
    if owner is None:
        return
    if state is None:
        shown = notice_view(NOT_SAVED_TITLE, STALE_FORM)
        result: SaveResult | None = None
    else:
        result, shown = save_back(drafting, owner, state, view, datetime.now(UTC))
    try:
        client.views_update(view_id=view.get("id"), hash=view.get("hash"), view=shown)
    except SlackApiError as error:
        # The form moved on meanwhile (hash_conflict) or was closed: what was saved stays saved.
        log.info("showing the step after Back failed (%s)", error.response.get("error"))
    if isinstance(result, Saved):
        show_saved(client, surfaces, owner, result.draft.id, state.tz if state else None)


@guarded
def closed_form(body: dict[str, Any], context: BoltContext, client: WebClient, drafting: Drafting,
                surfaces: Surfaces) -> None:
    """The form was closed: keep what was typed in its step. Values that break a rule are not
    saved; the person is told which, quoting what they typed, in their DM with Goals."""
    owner = owner_of(context)
    view = view_of(body)
    state = FormState.parse(view.get("private_metadata"))
    if owner is None or state is None:
        return
    result, refused = save_on_close(drafting, owner, state, view, datetime.now(UTC))
    note = _closed_note(drafting, state, view, result, refused)
    if note:
        tell_privately(None, client, Where(team=owner.team, user=owner.user, channel=None), text_message(note))
    if isinstance(result, Saved):
        show_saved(client, surfaces, owner, result.draft.id, state.tz)


def _closed_note(drafting: Drafting, state: FormState, view: dict[str, Any], result: SaveResult | None,
                 refused: list[NotSaved]) -> str:
    frame = drafting.frame(state.family, state.level, state.framework, state.for_family, state.for_level)
    # Nothing saved at all: quote back everything typed, so nothing is lost.
    typed = [notices.CLOSED_NOT_SAVED_ITEM.format(label=label, typed=value, why="not saved")
             for label, value in (typed_values(frame, state, view) if frame else [])]
    if isinstance(result, StoreFailed):
        return "\n".join([notices.CLOSED_SAVE_FAILED.format(error_id=result.error_id), *typed])
    if isinstance(result, Gone):
        return "\n".join([notices.CLOSED_GONE, *typed])
    if isinstance(result, NoFrame):
        return notices.NO_FRAME.format(family=state.family, level=state.level)
    if not refused:
        return ""
    items = [notices.CLOSED_NOT_SAVED_ITEM.format(label=item.label, typed=item.typed, why=item.why)
             for item in refused]
    return "\n".join([notices.CLOSED_NOT_SAVED, *items, notices.CLOSED_FIX])


def show_saved(client: WebClient, surfaces: Surfaces, owner: Owner, saved: str, tz: str | None = None) -> None:
    """After a save or a check-in: the draft's DM message, the Home tab, and the reviewer's
    message if the draft changed since they had it (it is a draft again, their buttons gone
    until re-sent)."""
    try:
        surfaces.show_draft(client, owner, saved, tz)
        surfaces.refresh_home(client, owner)
        view = surfaces.drafting.get(owner, saved)
        review = view.draft.review if view else None
        if view and review and review.status is ReviewStatus.DRAFT and review.reviewer_ts:
            show_review(client, surfaces.reviewing, Reviewed(owner, view))
    except SlackApiError as error:
        if (wait := retry_after(error)) is None:
            raise
        # Rate limited: the draft is saved and its message stays due; the catch-up loop, on a
        # thread of its own, posts it once Slack allows. Waiting here would hold a thread
        # every other person's clicks need.
        log.info("the DM message of a saved draft waits for Slack's rate limit (%s s)", wait)
