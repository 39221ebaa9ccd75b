"""The Slack calls a review makes: the reviewer's one DM message about it (posted once,
updated in place on every change), the owner's short notifications (thread replies under
their draft's DM message, not new messages each time), and "withdrawn" when a draft under
review is deleted."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.goals.drafts.view import DraftView
from bot.goals.model import Draft, Notice, NoticeKind
from bot.goals.reviews.reviewing import Reviewed, Reviewing
from bot.slack.reviews.blocks import replaced_message, reviewer_message, withdrawn_message
from bot.slack.shared.delivery import CANNOT_DM
from bot.slack.shared.errors import PostUncertain
from bot.slack.shared.layout import Message
from bot.slack.shared.surfaces import find_in_dm

log = logging.getLogger("goals")

_MESSAGE_GONE = frozenset({"message_not_found", "channel_not_found", "cant_update_message"})

CANNOT_REACH = ("Goals could not send your draft to {who}: Slack says they cannot get messages from apps "
                "(they may have left the workspace). Your draft is as it was; pick someone else with "
                "Send for review.")


class CannotReach(Exception):
    """Slack will not deliver to that person; `error` is Slack's word for why."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


REVIEW_EVENT = "goals_review"  # the metadata of a reviewer's message: which review it shows


def show_review(client: WebClient, reviewing: Reviewing, reviewed: Reviewed, poster: WebClient | None = None) -> None:
    """The reviewer's message about this review, as it now stands: updated where it is, else
    posted (by `poster`, a client that never resends a post blindly, where given); where it
    is and what it shows remembered (`Review.message_due` cleared). Raises CannotReach for a
    reviewer Slack refuses."""
    draft = reviewed.view.draft
    review = draft.review
    assert review is not None
    message = reviewer_message(reviewed.owner.user, reviewed.view).as_kwargs()
    shown = review.shown_with(draft)
    if review.reviewer_channel and review.reviewer_ts:
        try:
            client.chat_update(channel=review.reviewer_channel, ts=review.reviewer_ts, **message)
            reviewing.record_reviewer_message(reviewed.owner, draft.id, review.id, review.reviewer_channel,
                                              review.reviewer_ts, shown)
            return
        except SlackApiError as error:
            if error.response.get("error") not in _MESSAGE_GONE:
                raise
    if review.posting_since is not None and (found := find_in_dm(client, review.reviewer, review.posting_since,
                                                                   REVIEW_EVENT, {"review": review.id})):
        channel, ts = found  # posted after all: show it there, never a second message
        client.chat_update(channel=channel, ts=ts, **message)
        reviewing.record_reviewer_message(reviewed.owner, draft.id, review.id, channel, ts, shown)
        return
    reviewing.reviewer_message_posting(reviewed.owner, draft.id, review.id, datetime.now(UTC))
    try:
        posted = (poster or client).chat_postMessage(channel=review.reviewer, unfurl_links=False,
                                         metadata={"event_type": REVIEW_EVENT, "event_payload": {"review": review.id}},
                                         **message)
    except SlackApiError as error:
        if (reason := str(error.response.get("error"))) in CANNOT_DM:
            raise CannotReach(reason) from error
        raise
    except (TimeoutError, ConnectionError, URLError) as error:
        raise PostUncertain() from error
    reviewing.record_reviewer_message(reviewed.owner, draft.id, review.id, str(posted["channel"]),
                                      str(posted["ts"]), shown)


def notice_text(notice: Notice) -> str:
    """A review change as the owner is told it, under their draft's DM message."""
    if notice.kind is NoticeKind.SENT:
        return f"Sent to <@{notice.by}> for review."
    if notice.kind is NoticeKind.AGREED:
        return f"Agreed by <@{notice.by}>."
    return f"Changes asked by <@{notice.by}>: see the comment on your draft."


def notify_owner(client: WebClient, draft: Draft, text: str) -> None:
    """One short line for the owner: a reply under their draft's DM message where it has one
    (so the DM does not fill with notices), else a DM."""
    if draft.dm_channel and draft.dm_ts:
        client.chat_postMessage(channel=draft.dm_channel, thread_ts=draft.dm_ts, text=text)
    else:
        client.chat_postMessage(channel=draft.owner.user, text=text)


def replaced_review(client: WebClient, before: DraftView) -> None:
    """The draft was sent to someone else: the earlier reviewer's message says so."""
    _retire(client, before, replaced_message(before.draft.owner.user, before.name))


def withdrawn(client: WebClient, gone: DraftView) -> None:
    """A draft under review was deleted: its reviewer's message says so."""
    _retire(client, gone, withdrawn_message(gone.draft.owner.user, gone.name))


def _retire(client: WebClient, view: DraftView, message: Message) -> None:
    """The reviewer's message, in place, as `message` (its buttons gone); a courtesy, so a
    failure is only logged."""
    review = view.draft.review
    if review is None or not (review.reviewer_channel and review.reviewer_ts):
        return
    try:
        client.chat_update(channel=review.reviewer_channel, ts=review.reviewer_ts, **message.as_kwargs())
    except SlackApiError as error:
        log.info("could not update the reviewer's message (%s)", error.response.get("error"))
