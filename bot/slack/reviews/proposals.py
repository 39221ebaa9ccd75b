"""A draft proposed to a person: it lands in their DM as a draft of their own, and the
proposer is told what happened."""

from __future__ import annotations

from datetime import UTC, datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.goals.model import Owner
from bot.goals.reviews.rules import ReviewRefused
from bot.slack.drafts.dm_message import show_draft
from bot.slack.home.publish import refresh_home
from bot.slack.reviews.messages import CANNOT_REACH, notify_owner
from bot.slack.reviews.people import person_problem
from bot.slack.shared.delivery import CANNOT_DM, note_in_dm
from bot.slack.shared.surfaces import Surfaces

NOT_PROPOSED = "Not proposed to {who}: {why} Your draft is saved as yours; Propose to… on it picks someone else."


def deliver_proposal(client: WebClient, surfaces: Surfaces, proposer: Owner, draft_id: str, person: str) -> None:
    """Propose the proposer's draft to `person` and show it to them; the proposer is told.
    Who `person` is gets checked here, where the proposal is made, whatever a form's metadata
    said: never oneself, a bot or someone who left."""
    if problem := person_problem(person, proposer, client):
        mine = surfaces.drafting.get(proposer, draft_id)
        if mine is not None:
            notify_owner(client, mine.draft, NOT_PROPOSED.format(who=f"<@{person}>", why=problem))
        return
    result = surfaces.reviewing.propose(proposer, draft_id, person, datetime.now(UTC))
    if isinstance(result, ReviewRefused):
        note_in_dm(client, proposer, result.why)
        return
    try:
        show_draft(client, surfaces, result.owner, result.view.draft.id)
        refresh_home(client, surfaces, result.owner)
    except SlackApiError as error:
        if str(error.response.get("error")) not in CANNOT_DM:
            raise
        told = CANNOT_REACH.format(who=f"<@{person}>")
    else:
        told = f"Proposed to <@{person}>: they have it as a draft of their own now."
    mine = surfaces.drafting.get(proposer, draft_id)
    if mine is not None:
        notify_owner(client, mine.draft, told)
