"""Reviews in Slack: Send for review (a form: who, and a note), the reviewer's Agree and Ask
for changes (a form: a comment), and what each change shows to both people.

Who acts is Bolt's context, from the signed payload. The owner's draft is looked up among
their own drafts; a reviewer's review among their own reviews, then checked against the
review the draft holds. A form is checked in its ack (errors beside the field); the change
and its Slack calls run after it, in lazy listeners.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.goals.drafts.drafting import Drafting
from bot.goals.model import Owner, ReviewStatus
from bot.goals.reviews.reviewing import RESENT, Reviewed, sent_stamp
from bot.goals.reviews.rules import ReviewRefused, check_text
from bot.slack.command.answers import stale_button
from bot.slack.drafts.clicked import draft_of
from bot.slack.drafts.dm_message import show_draft
from bot.slack.drafts.form import new_draft_form
from bot.slack.home.publish import refresh_home
from bot.slack.reviews.blocks import changes_form, draft_for_form, propose_form, send_form, typed
from bot.slack.reviews.messages import CANNOT_REACH, CannotReach, replaced_review, show_review
from bot.slack.reviews.people import person_problem
from bot.slack.reviews.proposals import deliver_proposal
from bot.slack.shared.delivery import CANNOT_DM, note_in_dm, private_to, tell_privately, teller
from bot.slack.shared.errors import SLACK_FAILURES, delivery_trouble, guarded
from bot.slack.shared.ids import COMMENT_BLOCK, NOTE_BLOCK, REVIEWER_BLOCK
from bot.slack.shared.layout import Message, notice_view, text_message
from bot.slack.shared.notices import NOT_SAVED_TITLE, STALE_FORM
from bot.slack.shared.payloads import action_value, clicker, owner_of, picked_person, view_of, where
from bot.slack.shared.surfaces import Surfaces
from bot.slack.shared.text import escape
from bot.slack.shared.values import DraftRef, FrameRef, ReviewRef

log = logging.getLogger("goals")

CHECKED_KEY = "goals_review_checked"  # set by the send form's ack when it let the form close

@guarded
def open_send(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any,
              surfaces: Surfaces) -> None:
    if found := draft_of(body, context, respond, client, surfaces.drafting):
        owner, _, view = found
        tell = teller(body, respond, client, where(body, owner))
        form = send_form(view, surfaces.reviewing.my_reviewer(owner))
        surfaces.open_form(client, str(body.get("trigger_id")), form, owner, tell, learn_tz=False)


def ack_send(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Who and the note, checked in the form: not oneself, not a bot, not someone gone."""
    owner, view = owner_of(context), view_of(body)
    errors: dict[str, str] = {}
    if problem := person_problem(picked_person(view, REVIEWER_BLOCK), owner, client):
        errors[REVIEWER_BLOCK] = problem
    if problem := check_text(typed(view, NOTE_BLOCK), required=False):
        errors[NOTE_BLOCK] = problem
    if errors:
        ack(response_action="errors", errors=errors)
    else:
        context[CHECKED_KEY] = True
        ack()


def ack_propose(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    if problem := person_problem(picked_person(view_of(body), REVIEWER_BLOCK), owner_of(context), client):
        ack(response_action="errors", errors={REVIEWER_BLOCK: problem})
    else:
        context[CHECKED_KEY] = True
        ack()


@guarded
def open_draft_for(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any,
                   surfaces: Surfaces) -> None:
    """Draft for… on a frame: who it is for, first."""
    if not (clicked := clicker(body, context, respond, client)):
        return
    owner, tell = clicked
    ref = FrameRef.parse(action_value(body))
    frame = surfaces.drafting.frame(ref.family, ref.level, ref.framework, ref.for_family, ref.for_level) \
        if ref and ref.framework else None
    if ref is None or frame is None:
        tell(stale_button(ref))
        return
    name = f"{frame.heading} — {frame.family_name} · {frame.level_code}"
    surfaces.open_form(client, str(body.get("trigger_id")), draft_for_form(ref, name), owner, tell, learn_tz=False)


def ack_draft_for(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient,
                  drafting: Drafting) -> None:
    """The person checked; then, in the same modal, the draft's form, whose save proposes it."""
    owner, view = owner_of(context), view_of(body)
    person = picked_person(view, REVIEWER_BLOCK)
    if problem := person_problem(person, owner, client):
        ack(response_action="errors", errors={REVIEWER_BLOCK: problem})
        return
    ref = FrameRef.parse(view.get("private_metadata"))
    started = drafting.start(owner, ref.family, ref.level, ref.framework, ref.for_family, ref.for_level) \
        if owner and ref and ref.framework else None
    if started is None:
        ack(response_action="update", view=notice_view(NOT_SAVED_TITLE, STALE_FORM))
        return
    ack(response_action="update", view=new_draft_form(started, propose_to=person))


@guarded
def open_propose(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any,
                 surfaces: Surfaces) -> None:
    if found := draft_of(body, context, respond, client, surfaces.drafting):
        owner, _, view = found
        tell = teller(body, respond, client, where(body, owner))
        surfaces.open_form(client, str(body.get("trigger_id")), propose_form(view), owner, tell, learn_tz=False)


def _checked_pick(body: dict[str, Any], context: BoltContext) -> tuple[Owner, DraftRef, str, dict[str, Any]] | None:
    """Who submitted a form that picks a person for their draft, the draft, the person and the
    form; None unless the form's ack checked the person and let it close (Bolt runs the lazy
    listener whatever the ack said)."""
    owner, view = owner_of(context), view_of(body)
    ref = DraftRef.parse(view.get("private_metadata"))
    person = picked_person(view, REVIEWER_BLOCK)
    if owner is None or ref is None or person is None or not context.get(CHECKED_KEY):
        return None
    return owner, ref, person, view


@guarded
def post_propose(body: dict[str, Any], context: BoltContext, client: WebClient, surfaces: Surfaces) -> None:
    """The proposal lands in the person's DM as a draft of theirs; the proposer is told."""
    if picked := _checked_pick(body, context):
        proposer, ref, person, _ = picked
        deliver_proposal(client, surfaces, proposer, ref.draft, person)


@guarded
def accept(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any, surfaces: Surfaces) -> None:
    """Agree as proposed, by the draft's owner; the proposer is told."""
    if not (found := draft_of(body, context, respond, client, surfaces.drafting)):
        return
    owner, ref, _ = found
    result = surfaces.reviewing.accept(owner, ref.draft, datetime.now(UTC))
    if isinstance(result, ReviewRefused):
        teller(body, respond, client, where(body, owner))(text_message(result.why))
        return
    show_draft(client, surfaces, owner, ref.draft)
    refresh_home(client, surfaces, owner)
    proposer = result.view.draft.proposed_by
    if proposer:
        try:
            client.chat_postMessage(channel=proposer, text=f"<@{owner.user}> agreed {_quoted(result.view.name)} "
                                                           "as you proposed it.")
        except SlackApiError as error:  # the proposer left: the agreement stands all the same
            if str(error.response.get("error")) not in CANNOT_DM:
                raise


def _quoted(name: str) -> str:
    return "“" + escape(name) + "”"


@guarded
def post_send(body: dict[str, Any], context: BoltContext, client: WebClient, surfaces: Surfaces) -> None:
    if not (picked := _checked_pick(body, context)):
        return
    owner, ref, reviewer, view = picked
    current = surfaces.drafting.get(owner, ref.draft)
    before = current.draft.review if current else None
    replaced = current if before is not None and before.reviewer != reviewer else None
    result = surfaces.reviewing.send(owner, ref.draft, reviewer, typed(view, NOTE_BLOCK).strip() or None,
                                     datetime.now(UTC))
    if isinstance(result, ReviewRefused):
        note_in_dm(client, owner, result.why)
        return
    delayed = None
    try:
        show_review(client, surfaces.reviewing, result, surfaces.poster)
    except SLACK_FAILURES as error:
        if (delayed := delivery_trouble(error)) is None:
            raise
        # Sent, and their message still due: the catch-up posts it once Slack allows.
        log.warning("the reviewer's message waits for Slack (%s)", type(error).__name__)
    except CannotReach:
        # Not sent after all: the draft stands where it stood, and the owner is told why.
        assert result.view.draft.review is not None
        surfaces.reviewing.unsend(owner, ref.draft, result.view.draft.review.id, before)
        show_draft(client, surfaces, owner, ref.draft)
        told = CANNOT_REACH.format(who=f"<@{reviewer}>")  # Goals' words and a mention: mrkdwn
        tell_privately(None, client, private_to(owner),
                       Message(text=told, blocks=[SectionBlock(text=MarkdownTextObject(text=told))]))
        return
    surfaces.reviewing.remember_reviewer(owner, reviewer)
    if replaced is not None:  # the reviewer before: their message says it went to someone else
        replaced_review(client, replaced)
    trouble = _owner_sees(client, surfaces, result)
    if delayed is not None:  # the owner's message may have found or shown it meanwhile
        now = surfaces.drafting.get(owner, ref.draft)
        waiting = now is not None and now.draft.review is not None and now.draft.review.message_due
        delayed = delayed if waiting else None
    if trouble := trouble or delayed:
        what = f"<@{reviewer}> gets it" if delayed else "your draft message shows it"
        _told_in_dm(client, owner, _told(f"Sent to <@{reviewer}> for review.", trouble, what))


SLOW = "{done} Slack is slow right now ({trouble}): {what} within a minute; nothing needs doing again."


def _owner_sees(client: WebClient, surfaces: Surfaces, reviewed: Reviewed) -> str | None:
    """The owner's DM message shows the change, with the notice the change left owed under it,
    and Home. The change is stored before: where Slack cannot take all of it now (rate
    limited, down, too slow), what Slack's trouble was, for the person who acted to be told
    the truth; what is left stays due and the catch-up shows it once Slack allows."""
    owner = reviewed.owner
    try:
        show_draft(client, surfaces, owner, reviewed.view.draft.id)
        refresh_home(client, surfaces, owner)
    except SLACK_FAILURES as error:
        if (trouble := delivery_trouble(error)) is None:
            raise
        log.warning("a stored review change is not shown to its owner yet (%s)", type(error).__name__)
        return trouble
    return None


def _told(done: str, trouble: str, what: str) -> Message:
    text = SLOW.format(done=done, trouble=trouble, what=what)  # Goals' words and a mention: mrkdwn
    return Message(text=text, blocks=[SectionBlock(text=MarkdownTextObject(text=text))])


def _told_in_dm(client: WebClient, person: Owner, message: Message) -> None:
    try:
        tell_privately(None, client, private_to(person), message)
    except SLACK_FAILURES as error:  # the change stands all the same
        log.warning("could not tell %s their change is stored (%s)", person.user, type(error).__name__)


def _review_of(body: dict[str, Any], context: BoltContext, surfaces: Surfaces) -> tuple[Owner, ReviewRef] | None:
    reviewer = owner_of(context)
    ref = ReviewRef.parse(action_value(body))
    return (reviewer, ref) if reviewer is not None and ref is not None else None


@guarded
def agree(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any, surfaces: Surfaces) -> None:
    found = _review_of(body, context, surfaces)
    tell = teller(body, respond, client, where(body))
    if found is None:
        tell(text_message("That button is not one Goals can read."))
        return
    reviewer, ref = found
    result = surfaces.reviewing.agree(reviewer, ref.review, datetime.now(UTC), ref.sent)
    if isinstance(result, ReviewRefused):
        tell(text_message(result.why))
        return
    if trouble := _owner_sees(client, surfaces, result):
        tell(_told("Agreed.", trouble, f"<@{result.owner.user}>'s draft message and yours show it"))


@guarded
def open_changes(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any,
                 surfaces: Surfaces) -> None:
    found = _review_of(body, context, surfaces)
    tell = teller(body, respond, client, where(body))
    reviewed = surfaces.reviewing.find(found[0], found[1].review) if found else None
    review = reviewed.view.draft.review if reviewed else None
    if found is None or reviewed is None or review is None:
        tell(text_message("That draft is gone, or was sent to someone else."))
        return
    if review.status is not ReviewStatus.IN_REVIEW:
        tell(text_message("This draft is not waiting for your review any more."))
        return
    if found[1].sent is not None and found[1].sent != sent_stamp(review):
        tell(text_message(RESENT))
        return
    form = changes_form(review, reviewed.owner.user, reviewed.view.name)
    surfaces.open_form(client, str(body.get("trigger_id")), form, found[0], tell, learn_tz=False)


def ack_changes(ack: Ack, body: dict[str, Any]) -> None:
    if problem := check_text(typed(view_of(body), COMMENT_BLOCK), required=True):
        ack(response_action="errors", errors={COMMENT_BLOCK: problem})
    else:
        ack()


@guarded
def post_changes(body: dict[str, Any], context: BoltContext, client: WebClient, surfaces: Surfaces) -> None:
    reviewer, view = owner_of(context), view_of(body)
    ref = ReviewRef.parse(view.get("private_metadata"))
    comment = typed(view, COMMENT_BLOCK).strip()
    if reviewer is None or ref is None or check_text(comment, required=True):
        return
    result = surfaces.reviewing.ask_changes(reviewer, ref.review, comment, datetime.now(UTC), ref.sent)
    if isinstance(result, ReviewRefused):
        note_in_dm(client, reviewer, result.why)
        return
    # The comment is the reviewer's, quoted as theirs in the owner's DM message; the line
    # under it only says who asked.
    if trouble := _owner_sees(client, surfaces, result):
        _told_in_dm(client, reviewer, _told("Your comment is recorded.", trouble,
                                            f"<@{result.owner.user}>'s draft message and yours show it"))
