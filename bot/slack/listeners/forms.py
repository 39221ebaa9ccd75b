"""The forms: saving a draft's form (in the ack, so errors show beside their fields), then
its DM message and the Home tab; and the share form.

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

from bot.drafts.service import Drafting, Saved
from bot.slack.delivery import Where, share, tell_privately, usable_respond
from bot.slack.draft_form import notice_view, save_submission
from bot.slack.errors import guarded, retry_after
from bot.slack.frame_blocks import shared_messages
from bot.slack.ids import CHANNEL_BLOCK
from bot.slack.layout import text_message
from bot.slack.notices import GONE, NOT_SAVED_TITLE, PICK_A_CHANNEL, STALE_FORM
from bot.slack.payloads import owner_of, picked_channel, view_of
from bot.slack.surfaces import Surfaces
from bot.slack.values import FormState, ShareState

log = logging.getLogger("goals")

SAVED_KEY = "goals_saved_draft"  # set in the form's ack, read by its lazy listener


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
    ack(**answer)


@guarded
def after_save(context: BoltContext, client: WebClient, surfaces: Surfaces) -> None:
    owner, saved = owner_of(context), context.get(SAVED_KEY)
    if owner is None or not isinstance(saved, str):
        return
    try:
        surfaces.show_draft(client, owner, saved)
        surfaces.refresh_home(client, owner)
    except SlackApiError as error:
        if (wait := retry_after(error)) is None:
            raise
        # Rate limited: the draft is saved and its message stays due; the catch-up loop, on a
        # thread of its own, posts it once Slack allows. Waiting here would hold a thread
        # every other person's clicks need.
        log.info("the DM message of a saved draft waits for Slack's rate limit (%s s)", wait)


def ack_share(ack: Ack, body: dict[str, Any]) -> None:
    if picked_channel(view_of(body)) is None:
        ack(response_action="errors", errors={CHANNEL_BLOCK: PICK_A_CHANNEL})
    else:
        ack()


@guarded
def share_draft(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any,
                drafting: Drafting) -> None:
    owner = owner_of(context)
    view_payload = view_of(body)
    state = ShareState.parse(view_payload.get("private_metadata"))
    channel = picked_channel(view_payload)
    if owner is None or state is None or channel is None:
        return
    where = Where(team=owner.team, user=owner.user, channel=channel)
    reply = usable_respond(body, respond)
    view = drafting.get(owner, state.draft)
    if view is None or view.frame is None:
        tell_privately(reply, client, where, text_message(GONE))
        return
    share(shared_messages(view.frame, owner.user, view.draft.values, label="Drafted by"), where, reply, client)
