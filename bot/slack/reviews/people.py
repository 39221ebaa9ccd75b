"""Whether a person can be picked for something (a reviewer, a proposal): not oneself, not
a bot, not someone who left. Slack says which (users.info); the signed request says who asks."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.goals.model import Owner
from bot.goals.reviews.rules import YOURSELF

NOT_A_PERSON = "Pick a person: that one is a bot, or no longer in this workspace."


def person_problem(person: str | None, owner: Owner | None, client: WebClient) -> str | None:
    """Why `person` cannot be picked (oneself, a bot, someone gone: users.info), or None."""
    if person is None:
        return "Pick a person, please."
    if owner is not None and person == owner.user:
        return YOURSELF
    try:
        user = client.users_info(user=person).get("user") or {}
    except SlackApiError as error:
        user = {"deleted": error.response.get("error") == "user_not_found"}
    return NOT_A_PERSON if user.get("is_bot") or user.get("deleted") or person == "USLACKBOT" else None
