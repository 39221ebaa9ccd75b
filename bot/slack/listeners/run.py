"""A run button (an error's suggestion, a help example): answered as `/goals WORDS` would be.

The button carries only words; they are parsed again here, exactly like typed ones, and
whose drafts they touch comes from the signed payload. Clicked in a private answer, the
answer takes that message's place; anywhere else (the Home tab, a DM) it comes as a new
private message, leaving the clicked one as it was.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.drafts.service import Drafting
from bot.frames.comparison import comparison_of
from bot.grammar.parse import CompareRequest, DraftRequest, DraftsRequest, ReviewsRequest, example_words, parse
from bot.slack.answers import answer, unreadable_run
from bot.slack.delivery import teller, usable_respond
from bot.slack.draft_blocks import drafts_message
from bot.slack.errors import guarded
from bot.slack.frame_blocks import frame_message
from bot.slack.ids import COMMAND
from bot.slack.layout import Message
from bot.slack.listeners.drafts import start_or_ask
from bot.slack.payloads import action_value, in_ephemeral, owner_of, where
from bot.slack.review_list import reviews_message
from bot.slack.surfaces import Surfaces
from bot.slack.values import FrameRef, RunRef


@guarded
def run(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any,
        drafting: Drafting, surfaces: Surfaces) -> None:
    owner = owner_of(context)
    person = where(body, owner) if owner is not None else where(body)
    tell = teller(body, respond, client, person)
    ref = RunRef.parse(action_value(body))
    if ref is None:
        tell(unreadable_run())
        return
    repository = drafting.repository
    request = parse(ref.words, repository.vocabulary())
    reply = usable_respond(body, respond)

    def show(message: Message) -> None:
        if reply is not None and in_ephemeral(body):
            reply(replace_original=True, **message.as_kwargs())
        else:
            tell(message)

    if isinstance(request, DraftRequest):
        if owner is not None:  # as `/goals draft ...`: or whether to continue a draft of it
            frame = FrameRef(family=request.frame.family, level=request.frame.level, framework=request.framework)
            start_or_ask(client, str(body.get("trigger_id")), owner, frame, drafting, surfaces, tell, person.channel)
    elif isinstance(request, ReviewsRequest):
        if owner is not None:
            show(reviews_message(surfaces.reviewing.sent_to(owner)))
    elif isinstance(request, DraftsRequest):
        if owner is not None:
            show(drafts_message(drafting.views(owner), COMMAND, example_words(repository.vocabulary())))
    else:
        show(answer(request, repository))
        comparison = isinstance(request, CompareRequest) and comparison_of(
            request.lower, request.higher, request.framework, repository)
        if comparison:  # as after `/goals compare ...`: the stretch frame follows
            tell(frame_message(comparison.stretch))
