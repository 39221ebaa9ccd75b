"""Drafts in Slack: starting one, and the buttons on a draft (edit, copy, page, share, delete).

Whose draft it is always comes from Bolt's context, which Bolt fills from the signed
payload; a draft id from a button value is only ever looked up in that person's own
drafts, so a crafted one finds nothing. Everything here calls Slack, so it runs in lazy
listeners after the ack.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.drafts.fields import leftovers_text
from bot.drafts.model import Owner
from bot.drafts.service import Drafting
from bot.drafts.view import DraftView
from bot.frames.text import render_frame
from bot.grammar.parse import DraftRequest, example_words
from bot.slack.answers import command_request, stale_button
from bot.slack.delivery import replace_or_tell, teller, usable_respond
from bot.slack.draft_blocks import draft_message, drafts_message
from bot.slack.draft_choice import another_name, draft_choice_view
from bot.slack.draft_form import edit_form, new_draft_form
from bot.slack.errors import guarded
from bot.slack.ids import COMMAND
from bot.slack.layout import Message, text_message, text_messages
from bot.slack.notices import GONE, NO_PLACEHOLDERS
from bot.slack.payloads import action_value, in_ephemeral, modal_of, owner_of, where
from bot.slack.people import person_problem
from bot.slack.surfaces import Surfaces
from bot.slack.values import ChoiceState, DraftRef, FrameRef


def wants_draft(command: dict[str, Any], drafting: Drafting) -> bool:
    return isinstance(command_request(str(command.get("text") or ""), drafting.repository), DraftRequest)


def start_or_ask(client: WebClient, trigger_id: str, owner: Owner, ref: FrameRef, drafting: Drafting,
                 surfaces: Surfaces, tell: Callable[[Message], None], channel: str | None,
                 replacing: dict[str, Any] | None = None, *, ask: bool = True,
                 propose_to: str | None = None) -> None:
    """The form for a new draft of `ref`'s frame; first, if the person has drafts of it and
    `ask`, whether to continue one of those instead. `channel`: where it was asked from.
    `propose_to`: a draft for that person, proposed to them once saved (always a new one)."""
    assert ref.framework is not None
    frame = (ref.family, ref.level, ref.framework, ref.for_family, ref.for_level)
    existing = drafting.of_frame(owner, *frame)
    if existing and ask and propose_to is None:
        surfaces.open_form(client, trigger_id, draft_choice_view(existing, ref, channel), owner, tell,
                           learn_tz=False, replacing=replacing)
        return
    # A stretch frame's button starts a stretch draft: its messages keep the stretch label.
    started = drafting.start(owner, *frame, name=another_name(existing) if existing else None)
    if started is None:
        tell(text_message(NO_PLACEHOLDERS))
        return
    surfaces.open_form(client, trigger_id, new_draft_form(started, channel=channel, propose_to=propose_to),
                       owner, tell, replacing=replacing)


@guarded
def open_from_command(command: dict[str, Any], context: BoltContext, client: WebClient, respond: Any,
                      drafting: Drafting, surfaces: Surfaces) -> None:
    request = command_request(str(command.get("text") or ""), drafting.repository)
    owner = owner_of(context)
    if not isinstance(request, DraftRequest) or owner is None:
        return
    ref = FrameRef(family=request.frame.family, level=request.frame.level, framework=request.framework)

    def tell(message: Message) -> None:
        respond(response_type="ephemeral", **message.as_kwargs())

    if request.for_user is not None and (problem := person_problem(request.for_user, owner, client)):
        tell(text_message(problem))
        return
    start_or_ask(client, str(command.get("trigger_id")), owner, ref, drafting, surfaces, tell,
                 str(command.get("channel_id") or "") or None, propose_to=request.for_user)


def _frame_ref(body: dict[str, Any], drafting: Drafting, tell: Callable[[Message], None]) -> FrameRef | None:
    """The clicked button's frame, if the canon has it; else the person is told."""
    ref = FrameRef.parse(action_value(body))
    if ref is None or ref.framework is None or drafting.frame(ref.family, ref.level, ref.framework,
                                                              ref.for_family, ref.for_level) is None:
        tell(stale_button(ref))
        return None
    return ref


@guarded
def open_from_frame(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any,
                    drafting: Drafting, surfaces: Surfaces) -> None:
    owner = owner_of(context)
    if owner is None:
        return
    tell = teller(body, respond, client, where(body, owner))
    if ref := _frame_ref(body, drafting, tell):
        start_or_ask(client, str(body.get("trigger_id")), owner, ref, drafting, surfaces, tell, _origin(body))


@guarded
def start_another(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any,
                  drafting: Drafting, surfaces: Surfaces) -> None:
    """"Start another", in the modal that asked: the new draft's form in its place."""
    owner = owner_of(context)
    if owner is None:
        return
    tell = teller(body, respond, client, where(body, owner))
    if ref := _frame_ref(body, drafting, tell):
        start_or_ask(client, str(body.get("trigger_id")), owner, ref, drafting, surfaces, tell, _origin(body),
                      replacing=modal_of(body), ask=False)


def _origin(body: dict[str, Any]) -> str | None:
    """The channel a click came from, to confirm the save there: the message's channel, or
    for a click in the modal that asked first, the channel that modal was asked from."""
    modal = modal_of(body)
    if modal is not None:
        state = ChoiceState.parse(modal.get("private_metadata"))
        return state.channel if state else None
    return where(body).channel


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


@guarded
def edit(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any,
         drafting: Drafting, surfaces: Surfaces) -> None:
    """Edit (on a draft's message or in a list), or Continue (in the modal that asked whether
    to start another): the draft's form, in place of that modal."""
    if found := draft_of(body, context, respond, client, drafting):
        owner, _, view = found
        form = edit_form(view, channel=_origin(body))
        tell = teller(body, respond, client, where(body, owner))
        if form is None:
            tell(text_message(GONE))
            return
        surfaces.open_form(client, str(body.get("trigger_id")), form, owner, tell, replacing=modal_of(body))


@guarded
def copy(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any, drafting: Drafting) -> None:
    if found := draft_of(body, context, respond, client, drafting):
        owner, _, view = found
        text = "\n\n".join(part for part in (
            render_frame(view.frame, view.draft.values) if view.frame else "",
            leftovers_text(view.leftovers)) if part)
        tell = teller(body, respond, client, where(body, owner))
        for message in text_messages(text or "(empty)", title=f"Copy as text: your draft of {view.name}"):
            tell(message)


@guarded
def page(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any, drafting: Drafting) -> None:
    if found := draft_of(body, context, respond, client, drafting):
        owner, ref, view = found
        replace_or_tell(body, respond, client, where(body, owner), draft_message(view, ref.page))


@guarded
def delete(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any,
           drafting: Drafting, surfaces: Surfaces) -> None:
    if not (found := draft_of(body, context, respond, client, drafting)):
        return
    owner, _, view = found
    if surfaces.delete_draft(client, owner, view.draft.id) is None:
        return
    if in_ephemeral(body) and usable_respond(body, respond):
        # Clicked in a /goals drafts list: show the list without it.
        remaining = drafts_message(drafting.views(owner), COMMAND, example_words(drafting.repository.vocabulary()))
        respond(replace_original=True, **remaining.as_kwargs())
    surfaces.refresh_home(client, owner)


@guarded
def publish_home(event: dict[str, Any], context: BoltContext, client: WebClient, surfaces: Surfaces) -> None:
    owner = owner_of(context)
    if event.get("tab", "home") == "home" and owner is not None:
        surfaces.reminding.came_back(owner, datetime.now(UTC))  # Slack can reach them: reminders resume
        surfaces.refresh_home(client, owner)
