"""Drafts in Slack: starting one, the buttons on a draft (edit, copy, page, delete), and its
form: saving a step (in the ack, so errors show beside their fields), then its DM message
and the Home tab; Back, which saves a step and shows the one before; and closing the form,
which keeps what was typed.

Whose draft it is always comes from Bolt's context, which Bolt fills from the signed
payload; a draft id from a button value or a form's private_metadata is only ever looked up
in that person's own drafts, so a crafted one finds nothing. A submission is checked and
saved in the ack (a local write of a few milliseconds); everything that calls Slack runs in
lazy listeners after it.
"""


from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.frames.text import render_frame
from bot.goals.drafts.drafting import Drafting, Gone, NoFrame, Saved, SaveResult, StoreFailed
from bot.goals.fields import leftovers_text
from bot.grammar.requests import DraftRequest, example_words
from bot.slack.command.answers import command_request, stale_button
from bot.slack.drafts import steps
from bot.slack.drafts.blocks import draft_message, drafts_message
from bot.slack.drafts.clicked import draft_of
from bot.slack.drafts.dm_message import confirm_saved, delete_draft, show_saved
from bot.slack.drafts.form import edit_form
from bot.slack.drafts.form_saving import NotSaved, save_back, save_on_close, save_submission, typed_values
from bot.slack.drafts.starting import start_or_ask
from bot.slack.drafts.steps import StepForm
from bot.slack.frames.copying import copy_as_text
from bot.slack.home.publish import refresh_home
from bot.slack.reviews.people import person_problem
from bot.slack.reviews.proposals import deliver_proposal
from bot.slack.shared import notices
from bot.slack.shared.delivery import replace_or_tell, teller, usable_respond
from bot.slack.shared.errors import guarded
from bot.slack.shared.ids import COMMAND
from bot.slack.shared.layout import Message, notice_view, text_message
from bot.slack.shared.notices import GONE, NOT_SAVED_TITLE, STALE_FORM
from bot.slack.shared.payloads import action_value, clicker, in_ephemeral, modal_of, owner_of, view_of, where
from bot.slack.shared.surfaces import Surfaces
from bot.slack.shared.values import ChoiceState, FormState, FrameRef

log = logging.getLogger("goals")

SAVED_KEY = "goals_saved_draft"  # set in the form's ack, read by its lazy listener
CONFIRM_KEY = "goals_confirm_in"  # the channel to confirm a finished form's save in
PROPOSE_KEY = "goals_propose_to"  # the person a finished form's draft is proposed to
TZ_KEY = "goals_form_tz"  # the timezone the form learned: the person's reminders follow it


def submit_form(ack: Ack, body: dict[str, Any], context: BoltContext, drafting: Drafting) -> None:
    owner = owner_of(context)
    view = view_of(body)
    state = FormState.parse(view.get("private_metadata"))
    if owner is None or state is None:
        # A form from an older version of Goals, or not ours: say so, change nothing.
        ack(response_action="update", view=notice_view(NOT_SAVED_TITLE, STALE_FORM))
        return
    result, answer = save_submission(drafting, owner, state, view, datetime.now(UTC))
    if isinstance(result, Saved):
        context[SAVED_KEY] = result.draft.id
        context[TZ_KEY] = state.tz
        if not answer and state.channel:  # the last step: the form closes
            context[CONFIRM_KEY] = state.channel
        if not answer and state.propose_to:
            context[PROPOSE_KEY] = state.propose_to
    ack(**answer)


@guarded
def after_save(context: BoltContext, client: WebClient, surfaces: Surfaces) -> None:
    owner, saved = owner_of(context), context.get(SAVED_KEY)
    if owner is None or not isinstance(saved, str):
        return
    tz = context.get(TZ_KEY)
    show_saved(client, surfaces, owner, saved, tz if isinstance(tz, str) else None)
    if isinstance(channel := context.get(CONFIRM_KEY), str):
        confirm_saved(client, surfaces, owner, saved, channel)
    if isinstance(person := context.get(PROPOSE_KEY), str):
        deliver_proposal(client, surfaces, owner, saved, person)


DRAFT_STEPS: StepForm[FormState, SaveResult] = StepForm(
    parse=FormState.parse,
    stale=lambda: notice_view(NOT_SAVED_TITLE, STALE_FORM),
    back=save_back,
    close=save_on_close,
    note=lambda drafting, _owner, state, view, result, refused: _closed_note(drafting, state, view, result, refused),
    saved=lambda result: result.draft.id if isinstance(result, Saved) else None,
    tz=lambda state: state.tz,
)


@guarded
def go_back(body: dict[str, Any], context: BoltContext, client: WebClient, drafting: Drafting,
            surfaces: Surfaces) -> None:
    """Back, in the form (`bot.slack.drafts.steps`)."""
    steps.go_back(DRAFT_STEPS, body, context, client, drafting, surfaces)


@guarded
def closed_form(body: dict[str, Any], context: BoltContext, client: WebClient, drafting: Drafting,
                surfaces: Surfaces) -> None:
    """The form was closed: what was typed in its step is kept (`bot.slack.drafts.steps`)."""
    steps.closed(DRAFT_STEPS, body, context, client, drafting, surfaces)


def _closed_note(drafting: Drafting, state: FormState, view: dict[str, Any], result: SaveResult | None,
                 refused: list[NotSaved]) -> str:
    frame = drafting.frame(state.family, state.level, state.framework, state.for_family, state.for_level)
    # Nothing saved at all: quote back everything typed, so nothing is lost.
    typed = [notices.CLOSED_NOT_SAVED_ITEM.format(label=label, typed=value, why="not saved")
             for label, value in (typed_values(frame, state, view) if frame else [])]
    if isinstance(result, StoreFailed):
        return "\n".join([notices.CLOSED_SAVE_FAILED.format(error_id=result.error_id), *typed])
    if isinstance(result, Gone):
        return "\n".join([notices.CLOSED_GONE, *typed])
    if isinstance(result, NoFrame):
        return notices.NO_FRAME.format(family=state.family, level=state.level)
    if not refused:
        return ""
    items = [notices.CLOSED_NOT_SAVED_ITEM.format(label=item.label, typed=item.typed, why=item.why)
             for item in refused]
    return "\n".join([notices.CLOSED_NOT_SAVED, *items, notices.CLOSED_FIX])


def wants_draft(command: dict[str, Any], drafting: Drafting) -> bool:
    return isinstance(command_request(str(command.get("text") or ""), drafting.repository), DraftRequest)


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
    _start_from_click(body, context, client, respond, drafting, surfaces)


@guarded
def start_another(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any,
                  drafting: Drafting, surfaces: Surfaces) -> None:
    """"Start another", in the modal that asked: the new draft's form in its place."""
    _start_from_click(body, context, client, respond, drafting, surfaces, replacing=modal_of(body), ask=False)


def _start_from_click(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any,
                      drafting: Drafting, surfaces: Surfaces, **how: Any) -> None:
    if not (clicked := clicker(body, context, respond, client)):
        return
    owner, tell = clicked
    if ref := _frame_ref(body, drafting, tell):
        start_or_ask(client, str(body.get("trigger_id")), owner, ref, drafting, surfaces, tell, _origin(body), **how)


def _origin(body: dict[str, Any]) -> str | None:
    """The channel a click came from, to confirm the save there: the message's channel, or
    for a click in the modal that asked first, the channel that modal was asked from."""
    modal = modal_of(body)
    if modal is not None:
        state = ChoiceState.parse(modal.get("private_metadata"))
        return state.channel if state else None
    return where(body).channel


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
        draft = view.draft
        filename = f"draft-{draft.family}-{draft.level}-{draft.framework.value}.txt"
        copy_as_text(body, respond, client, where(body, owner), text or "(empty)",
                     f"Copy as text: your draft of {view.name}", filename, (text or "") + "\n")


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
    if delete_draft(client, surfaces, owner, view.draft.id) is None:
        return
    if in_ephemeral(body) and usable_respond(body, respond):
        # Clicked in a /goals drafts list: show the list without it.
        remaining = drafts_message(drafting.views(owner), COMMAND, example_words(drafting.repository.vocabulary()))
        respond(replace_original=True, **remaining.as_kwargs())
    refresh_home(client, surfaces, owner)


