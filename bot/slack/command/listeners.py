"""`/goals` and the buttons that run words.

`/goals` is answered in the acknowledgement itself, privately. Parsing is pure and fast,
answers from the canon are built once per worker and then reused (`canon_answer`), and
listing a person's drafts reads one small record, so the answer rides on the ack: no Web API
call, nothing after it, nothing to time out. `/goals draft ...` and `/goals compare ...` are
matched before this one (see `bot.slack.routes`).

A run button (an error's suggestion, a help example) is answered as `/goals WORDS` would be.
The button carries only words; they are parsed again here, exactly like typed ones, and
whose drafts they touch comes from the signed payload. Clicked in a private answer, the
answer takes that message's place; anywhere else (the Home tab, a DM) it comes as a new
private message, leaving the clicked one as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.canon.repository import CanonRepository
from bot.frames.comparison import comparison_of
from bot.goals.drafts.drafting import Drafting
from bot.grammar.parse import parse
from bot.grammar.requests import CompareRequest, DraftRequest, DraftsRequest, ReviewsRequest, example_words
from bot.slack.command.answers import answer, canon_answer, command_request, unreadable_run
from bot.slack.drafts.blocks import drafts_message
from bot.slack.drafts.starting import start_or_ask
from bot.slack.frames.blocks import frame_message
from bot.slack.home.picker import picker_message
from bot.slack.home.publish import last_choice
from bot.slack.reviews.team_list import reviews_message
from bot.slack.shared.delivery import teller, usable_respond
from bot.slack.shared.errors import guarded
from bot.slack.shared.ids import COMMAND
from bot.slack.shared.layout import Message
from bot.slack.shared.payloads import action_value, in_ephemeral, owner_of, where
from bot.slack.shared.surfaces import Surfaces
from bot.slack.shared.values import FrameRef, RunRef


def goals(ack: Ack, command: dict[str, Any], context: BoltContext, repository: CanonRepository,
          drafting: Drafting, surfaces: Surfaces) -> None:
    text = str(command.get("text") or "")
    request = command_request(text, repository)
    owner = owner_of(context)
    message: Mapping[str, Any]
    if not text.split() and owner is not None:
        # A bare /goals: the pickers, where the person left them.
        message = picker_message(repository.vocabulary(), last_choice(surfaces, owner)).as_kwargs()
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
