"""A draft's one message in its owner's DM: posted or updated in place under the store's
per-person message lock, marked when the draft is deleted, and everything a save shows
(the DM message, the Home tab, the reviewer's message)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.goals.drafts.view import DraftView
from bot.goals.model import Owner
from bot.goals.reviews.reviewing import Reviewed
from bot.observe import count_dm_message
from bot.slack.drafts.blocks import deleted_message, draft_message, saved_message
from bot.slack.home.publish import refresh_home
from bot.slack.reviews.messages import CANNOT_REACH, CannotReach, notice_text, notify_owner, show_review, withdrawn
from bot.slack.shared.errors import PostUncertain, slack_trouble
from bot.slack.shared.surfaces import Surfaces, find_in_dm, find_in_thread

DRAFT_EVENT = "goals_draft"  # the metadata of a draft's DM message: which draft it shows
NOTICE_EVENT = "goals_notice"  # the metadata of a notice under it: which one

log = logging.getLogger("goals")

# A DM message that is gone or cannot be changed any more: post the draft again.
_MESSAGE_GONE = frozenset({"message_not_found", "cant_update_message", "channel_not_found"})


def show_draft(client: WebClient, surfaces: Surfaces, owner: Owner, draft_id: str, tz: str | None = None) -> None:
    """Every message a change left due for this draft (another worker or host may have shown
    them meanwhile): its one message in the person's DM, posted or updated in place, then
    its reviewer's message where that is due too. Its reminders follow it first: what was
    saved (a date, a check-in) may change when they are due. `tz`: the person's timezone,
    where the form that saved it learned it."""
    drafting = surfaces.drafting
    with drafting.store.messages_lock(owner):
        view = drafting.get(owner, draft_id)
        if view is None or not view.draft.message_due:
            return
        surfaces.reminding.reschedule(owner, datetime.now(UTC), came_back=True, tz=tz)
        draft = view.draft
        channel, ts = _in_dm(client, surfaces, owner, view)
        try:
            if draft.review is not None and draft.review.message_due:
                _reviewer_sees(client, surfaces, owner, draft_id)
            if draft.notices:
                _owner_told(client, surfaces, owner, draft_id, channel, ts)
        finally:  # the DM message is where it is, whatever became of the others
            drafting.record_message(owner, draft_id, channel, ts, draft.shown_as)


def _in_dm(client: WebClient, surfaces: Surfaces, owner: Owner, view: DraftView) -> tuple[str, str]:
    """The draft's DM message, updated in place, found after a post cut short, or posted: where it is."""
    message = draft_message(view).as_kwargs()
    draft = view.draft
    if draft.dm_channel and draft.dm_ts:
        try:
            client.chat_update(channel=draft.dm_channel, ts=draft.dm_ts, **message)
            count_dm_message("updated")
            return draft.dm_channel, draft.dm_ts
        except SlackApiError as error:
            if error.response.get("error") not in _MESSAGE_GONE:
                raise
    if draft.posting_since is not None and (
            found := find_in_dm(client, owner.user, draft.posting_since, DRAFT_EVENT, {"draft": draft.id})):
        channel, ts = found  # posted after all: show it there, never a second message
        client.chat_update(channel=channel, ts=ts, **message)
        count_dm_message("found")
        return channel, ts
    surfaces.drafting.mark_posting(owner, draft.id, datetime.now(UTC))
    try:
        # Posting to the person's user id lands in their DM with the app.
        posted = (surfaces.poster or client).chat_postMessage(
            channel=owner.user, unfurl_links=False,
            metadata={"event_type": DRAFT_EVENT, "event_payload": {"draft": draft.id}}, **message)
    except (TimeoutError, ConnectionError, URLError) as error:
        raise PostUncertain() from error
    count_dm_message("posted")
    return str(posted["channel"]), str(posted["ts"])


def _owner_told(client: WebClient, surfaces: Surfaces, owner: Owner, draft_id: str, channel: str, ts: str) -> None:
    """Each notice owed to the owner, once, as a reply under the draft's DM message; one whose
    post was cut short (a timeout, a 5xx Slack may have posted all the same) is looked for in
    the thread before it is posted again."""
    drafting = surfaces.drafting
    view = drafting.get(owner, draft_id)
    for notice in view.draft.notices if view else []:
        payload = {"notice": notice.id}
        if notice.posting_since is not None and find_in_thread(client, channel, ts, notice.posting_since,
                                                               NOTICE_EVENT, payload):
            drafting.notice_posted(owner, draft_id, notice.id)
            continue
        drafting.notice_posting(owner, draft_id, notice.id, datetime.now(UTC))
        try:
            (surfaces.poster or client).chat_postMessage(channel=channel, thread_ts=ts, text=notice_text(notice),
                                                         metadata={"event_type": NOTICE_EVENT,
                                                                   "event_payload": payload})
        except (TimeoutError, ConnectionError, URLError) as error:
            raise PostUncertain() from error
        drafting.notice_posted(owner, draft_id, notice.id)


def _reviewer_sees(client: WebClient, surfaces: Surfaces, owner: Owner, draft_id: str) -> None:
    """The reviewer's message, as the review now stands. One Slack will not let Goals send
    is let go, and the owner told; any other failure leaves it due, for the catch-up."""
    view = surfaces.drafting.get(owner, draft_id)
    review = view.draft.review if view else None
    if view is None or review is None or not review.message_due:
        return
    try:
        show_review(client, surfaces.reviewing, Reviewed(owner, view), surfaces.poster)
    except CannotReach as error:
        log.warning("the reviewer's message cannot reach them (%s): let go", error)
        surfaces.reviewing.let_go_reviewer_message(owner, draft_id, review.id)
        notify_owner(client, view.draft, CANNOT_REACH.format(who=f"<@{review.reviewer}>"))


def delete_draft(client: WebClient, surfaces: Surfaces, owner: Owner, draft_id: str) -> DraftView | None:
    """Delete the draft and mark its DM message deleted; what it was, or None if it was not
    the person's. Under the message lock: a first post on its way is recorded first."""
    with surfaces.drafting.store.messages_lock(owner):
        gone = surfaces.drafting.delete(owner, draft_id)
        if gone is None:
            return None
        surfaces.reminding.reschedule(owner, datetime.now(UTC))
        draft = gone.draft
        if draft.dm_channel and draft.dm_ts:
            try:
                client.chat_update(channel=draft.dm_channel, ts=draft.dm_ts,
                                   **deleted_message(gone.name).as_kwargs())
            except SlackApiError as error:
                log.info("could not mark the deleted draft's message (%s)", error.response.get("error"))
    withdrawn(client, gone)
    return gone


def confirm_saved(client: WebClient, surfaces: Surfaces, owner: Owner, draft_id: str, channel: str) -> None:
    """Tell the person, privately in the channel they drafted from, that the draft is
    saved, with a link to its message in their DM. Only a courtesy: where Slack will not
    (the app is not in that channel, the message is not posted yet), nothing is said."""
    view = surfaces.drafting.get(owner, draft_id)
    draft = view.draft if view else None
    if view is None or draft is None or not (draft.dm_channel and draft.dm_ts):
        return
    try:
        link = client.chat_getPermalink(channel=draft.dm_channel, message_ts=draft.dm_ts).get("permalink")
        client.chat_postEphemeral(channel=channel, user=owner.user, **saved_message(view, link).as_kwargs())
    except SlackApiError as error:
        log.info("could not confirm the save in the channel (%s)", error.response.get("error"))


def show_saved(client: WebClient, surfaces: Surfaces, owner: Owner, saved: str, tz: str | None = None) -> None:
    """After a save or a check-in: the draft's DM message, the Home tab, and the reviewer's
    message if the draft changed since they had it (it is a draft again, their buttons gone
    until re-sent: `show_draft`)."""
    try:
        show_draft(client, surfaces, owner, saved, tz)  # the reviewer's message too, where an edit left it due
        refresh_home(client, surfaces, owner)
    except SlackApiError as error:
        if (trouble := slack_trouble(error)) is None:
            raise
        # Rate limited, or Slack's servers failing: the draft is saved and its messages stay
        # due; the catch-up loop, on a thread of its own, shows them once Slack allows, so
        # nobody is told a save failed that did not. Waiting here would hold a thread every
        # other person's clicks need.
        log.info("the DM message of a saved draft waits for Slack (%s)", trouble)
