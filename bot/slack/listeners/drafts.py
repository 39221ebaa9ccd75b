"""Drafts in Slack: starting one, and the buttons on a draft (edit, copy, page, share, delete).

Whose draft it is always comes from Bolt's context, which Bolt fills from the signed
payload; a draft id from a button value is only ever looked up in that person's own
drafts, so a crafted one finds nothing. Everything here calls Slack, so it runs in lazy
listeners after the ack.
"""

from __future__ import annotations

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
from bot.slack.draft_form import edit_form, new_draft_form
from bot.slack.errors import guarded
from bot.slack.ids import COMMAND
from bot.slack.layout import text_message, text_messages
from bot.slack.notices import GONE, NO_PLACEHOLDERS
from bot.slack.payloads import action_value, in_ephemeral, owner_of, where
from bot.slack.share_form import share_form
from bot.slack.surfaces import Surfaces
from bot.slack.values import DraftRef, FrameRef


def wants_draft(command: dict[str, Any], drafting: Drafting) -> bool:
    return isinstance(command_request(str(command.get("text") or ""), drafting.repository), DraftRequest)


@guarded
def open_from_command(command: dict[str, Any], context: BoltContext, client: WebClient, respond: Any,
                      drafting: Drafting, surfaces: Surfaces) -> None:
    request = command_request(str(command.get("text") or ""), drafting.repository)
    owner = owner_of(context)
    if not isinstance(request, DraftRequest) or owner is None:
        return
    frame = request.frame
    started = drafting.start(owner, frame.family, frame.level, request.framework)
    if started is None:
        respond(response_type="ephemeral", text=NO_PLACEHOLDERS)
        return
    surfaces.open_form(client, str(command.get("trigger_id")), new_draft_form(started), owner,
                       lambda message: respond(response_type="ephemeral", **message.as_kwargs()))


@guarded
def open_from_frame(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any,
                    drafting: Drafting, surfaces: Surfaces) -> None:
    owner = owner_of(context)
    ref = FrameRef.parse(action_value(body))
    if owner is None:
        return
    tell = teller(body, respond, client, where(body, owner))
    if ref is None or ref.framework is None or drafting.frame(ref.family, ref.level, ref.framework) is None:
        tell(stale_button(ref))
        return
    started = drafting.start(owner, ref.family, ref.level, ref.framework)
    if started is None:
        tell(text_message(NO_PLACEHOLDERS))
        return
    surfaces.open_form(client, str(body.get("trigger_id")), new_draft_form(started), owner, tell)


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
    if found := draft_of(body, context, respond, client, drafting):
        owner, _, view = found
        form = edit_form(view)
        tell = teller(body, respond, client, where(body, owner))
        if form is None:
            tell(text_message(GONE))
            return
        surfaces.open_form(client, str(body.get("trigger_id")), form, owner, tell)


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
def open_share(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any,
               drafting: Drafting, surfaces: Surfaces) -> None:
    if found := draft_of(body, context, respond, client, drafting):
        owner, _, view = found
        tell = teller(body, respond, client, where(body, owner))
        if view.frame is None:
            tell(text_message(GONE))
            return
        surfaces.open_form(client, str(body.get("trigger_id")), share_form(view), owner, tell, learn_tz=False)


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
        surfaces.refresh_home(client, owner)
