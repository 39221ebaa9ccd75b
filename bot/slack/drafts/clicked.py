"""The draft a click names, found among the clicking person's own drafts: whose it is comes
from Bolt's context (the signed payload), the button value only says which of theirs."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.goals.drafts.drafting import Drafting
from bot.goals.drafts.view import DraftView
from bot.goals.model import Owner
from bot.slack.shared.delivery import teller
from bot.slack.shared.layout import text_message
from bot.slack.shared.notices import GONE
from bot.slack.shared.payloads import action_value, owner_of, where
from bot.slack.shared.values import DraftRef


def draft_of(body: dict[str, Any], context: BoltContext, respond: Any, client: WebClient,
             drafting: Drafting) -> tuple[Owner, DraftRef, DraftView] | None:
    """The clicked draft if it is the clicker's; else they are told it is gone."""
    owner = owner_of(context)
    if owner is None:
        return None
    ref = DraftRef.parse(action_value(body))
    view = drafting.get(owner, ref.draft) if ref is not None else None
    if ref is None or view is None:
        teller(body, respond, client, where(body, owner))(text_message(GONE))
        return None
    return owner, ref, view
