"""`/goals`: answered in the acknowledgement itself, privately.

Parsing is pure and fast, answers from the canon are built once per worker and then reused
(`canon_answer`), and listing a person's drafts reads one small record, so the answer rides
on the ack: no Web API call, nothing after it, nothing to time out. `/goals draft ...` and
`/goals compare ...` are matched before this one (see `bot.slack.listeners`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.canon.repository import CanonRepository
from bot.drafts.service import Drafting
from bot.grammar.parse import DraftRequest, DraftsRequest, ReviewsRequest, example_words
from bot.slack.answers import canon_answer, command_request
from bot.slack.draft_blocks import drafts_message
from bot.slack.ids import COMMAND
from bot.slack.payloads import owner_of
from bot.slack.picker import picker_message
from bot.slack.review_list import reviews_message
from bot.slack.surfaces import Surfaces


def goals(ack: Ack, command: dict[str, Any], context: BoltContext, repository: CanonRepository,
          drafting: Drafting, surfaces: Surfaces) -> None:
    text = str(command.get("text") or "")
    request = command_request(text, repository)
    owner = owner_of(context)
    message: Mapping[str, Any]
    if not text.split() and owner is not None:
        # A bare /goals: the pickers, where the person left them.
        message = picker_message(repository.vocabulary(), surfaces.choice(owner)).as_kwargs()
    elif isinstance(request, DraftsRequest) and owner is not None:
        views = drafting.views(owner)
        message = drafts_message(views, COMMAND, example_words(repository.vocabulary())).as_kwargs()
    elif isinstance(request, ReviewsRequest) and owner is not None:
        message = reviews_message(surfaces.reviewing.sent_to(owner)).as_kwargs()
    elif isinstance(request, DraftRequest | DraftsRequest | ReviewsRequest):
        ack()  # no person to draft for: nothing Slack itself would send
        return
    else:
        message = canon_answer(request, repository)
    ack(response_type="ephemeral", **message)
