"""Drafts in Slack: the form, the draft's DM message, the list, sharing and deleting.

Whose draft it is always comes from Bolt's context, which Bolt fills from the signed
payload; a draft id from a button value or private_metadata is only ever looked up in that
person's own drafts, so a crafted one finds nothing.

Acks stay quick: the form's submission is checked and saved in the ack (a local write of a
few milliseconds, so errors can show next to their fields); everything that calls Slack
(opening forms, the DM message, the Home tab, sharing) runs in lazy listeners after it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.drafts.fields import leftovers_text
from bot.drafts.model import NO_TEAM, Owner
from bot.drafts.service import Drafting
from bot.frames.text import render_frame
from bot.grammar.parse import DraftRequest, example_words
from bot.slack.answers import PROG, command_request, stale_button
from bot.slack.delivery import Where, share, tell_privately
from bot.slack.draft_blocks import (
    COPY_ACTION,
    DELETE_ACTION,
    EDIT_ACTION,
    FORM_CALLBACK,
    PAGE_ACTION,
    SHARE_ACTION,
    SHARE_CALLBACK,
    DraftRef,
    DraftView,
    FormState,
    ShareState,
    deleted_message,
    draft_message,
    drafts_message,
    home_drafts,
    notice_view,
    picked_channel,
    share_form,
    with_tz,
)
from bot.slack.errors import guarded
from bot.slack.frame_blocks import (
    DRAFT_ACTION,
    FrameRef,
    Message,
    home_view,
    shared_messages,
    text_message,
    text_messages,
)
from bot.slack.listeners.actions import ack_only, action_value, replace_or_tell, teller, usable_respond, where
from bot.slack.listeners.routes import Routes

log = logging.getLogger("goals")

SAVED_KEY = "goals_saved_draft"  # set in the form's ack, read by its lazy listener
_NO_PLACEHOLDERS = "This frame has no placeholders to fill, so there is nothing to draft."
_GONE = "That draft is gone: it was deleted, or it is not yours. Type /goals drafts to see yours."
_STALE_FORM = ("This form is out of date (Goals was updated while it was open), so nothing was "
               "saved. Open the draft again with Edit, or start one with Draft targets.")
_FORM_EXPIRED = ("Slack gave up waiting for the form to open (it allows 3 seconds). "
                 "Please click Draft targets or type the command again.")


def owner_of(context: BoltContext) -> Owner | None:
    """The person sending this request, from the signed payload as Bolt read it."""
    if not context.user_id or context.team_id == NO_TEAM:  # that would be the teamless owner
        return None
    try:
        return Owner(team=context.team_id or NO_TEAM, user=context.user_id, enterprise=context.enterprise_id)
    except ValidationError:
        return None


def _where(body: dict[str, Any], owner: Owner) -> Where:
    return Where(team=owner.team, user=owner.user, channel=where(body).channel)


def _view(body: dict[str, Any]) -> dict[str, Any]:
    view = body.get("view")
    return view if isinstance(view, dict) else {}


def user_tz(client: WebClient, user: str) -> str | None:
    """The person's timezone as Slack knows it; None if Slack will not say."""
    try:
        person = client.users_info(user=user).get("user")
        tz = person.get("tz") if isinstance(person, dict) else None
    except (SlackApiError, OSError) as error:
        log.info("users.info failed (%s): dates are checked against the earliest today", type(error).__name__)
        return None
    return tz if isinstance(tz, str) and tz else None


class DraftListeners:
    """The listeners, sharing the drafting core."""

    def __init__(self, drafting: Drafting) -> None:
        self.drafting = drafting

    # Slack calls every listener below makes ------------------------------------------------

    def open_form(self, client: WebClient, trigger_id: str, form: dict[str, object], owner: Owner,
                  tell: Callable[[Message], None], *, learn_tz: bool = True) -> None:
        """Open the form at once; then, for a draft's form, learn the person's timezone and
        add it to the form (dates are checked against their today)."""
        try:
            opened = client.views_open(trigger_id=trigger_id, view=form)
        except SlackApiError as error:
            if error.response.get("error") in ("expired_trigger_id", "invalid_trigger_id"):
                tell(text_message(_FORM_EXPIRED))
                return
            raise
        if not learn_tz:
            return
        tz = user_tz(client, owner.user)
        view = opened.get("view") or {}
        updated = with_tz(form, tz) if tz else None
        if updated is None or not view.get("id"):
            return
        try:
            # The same blocks: Slack keeps whatever the person has typed meanwhile. The hash
            # makes Slack refuse if the form already moved on (then it does without the tz).
            client.views_update(view_id=view["id"], hash=view.get("hash"), view=updated)
        except SlackApiError as error:
            log.info("adding the timezone to the form failed (%s)", error.response.get("error"))

    def show_draft(self, client: WebClient, owner: Owner, draft_id: str) -> None:
        """Post the draft to the person's DM, or update its message there in place."""
        with self.drafting.store.messages_lock(owner):
            view = self.drafting.get(owner, draft_id)
            if view is None:
                return
            message = draft_message(view).as_kwargs()
            draft = view.draft
            if draft.dm_channel and draft.dm_ts:
                try:
                    client.chat_update(channel=draft.dm_channel, ts=draft.dm_ts, **message)
                    return
                except SlackApiError as error:
                    if error.response.get("error") not in ("message_not_found", "cant_update_message",
                                                           "channel_not_found"):
                        raise
            # Posting to the person's user id lands in their DM with the app.
            posted = client.chat_postMessage(channel=owner.user, unfurl_links=False, **message)
            self.drafting.record_message(owner, draft_id, str(posted["channel"]), str(posted["ts"]))

    def refresh_home(self, client: WebClient, owner: Owner) -> None:
        vocabulary = self.drafting.repository.vocabulary()
        listed = home_drafts(self.drafting.views(owner), PROG, example_words(vocabulary))
        client.views_publish(user_id=owner.user, view=home_view(vocabulary, listed))

    # Registration --------------------------------------------------------------------------

    def register(self, routes: Routes) -> None:
        drafting = self.drafting

        def wants_draft(command: dict[str, Any]) -> bool:
            return isinstance(command_request(str(command.get("text") or ""), drafting.repository),
                              DraftRequest)

        @guarded
        def open_from_command(command: dict[str, Any], context: BoltContext, client: WebClient,
                              respond: Any) -> None:
            request = command_request(str(command.get("text") or ""), drafting.repository)
            owner = owner_of(context)
            if not isinstance(request, DraftRequest) or owner is None:
                return
            frame = request.frame
            form = drafting.start_form(owner, frame.family, frame.level, request.framework)
            if form is None:
                respond(response_type="ephemeral", text=_NO_PLACEHOLDERS)
                return
            self.open_form(client, str(command.get("trigger_id")), form, owner,
                           lambda message: respond(response_type="ephemeral", **message.as_kwargs()))

        @guarded
        def open_from_frame(body: dict[str, Any], context: BoltContext, client: WebClient,
                            respond: Any) -> None:
            owner = owner_of(context)
            ref = FrameRef.parse(action_value(body))
            if owner is None:
                return
            tell = self._teller(body, respond, client, owner)
            if ref is None or ref.framework is None or drafting.frame(ref.family, ref.level, ref.framework) is None:
                tell(stale_button(ref))
                return
            form = drafting.start_form(owner, ref.family, ref.level, ref.framework)
            if form is None:
                tell(text_message(_NO_PLACEHOLDERS))
                return
            self.open_form(client, str(body.get("trigger_id")), form, owner, tell)

        def submit_form(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
            owner = owner_of(context)
            view = _view(body)
            state = FormState.parse(view.get("private_metadata"))
            if owner is None or state is None:
                # A form from an older version of Goals, or not ours: say so, change nothing.
                ack(response_action="update", view=notice_view("Draft not saved", _STALE_FORM))
                return
            result = drafting.submit(owner, state, view, datetime.now(UTC))
            if result.errors:
                ack(response_action="errors", errors=result.errors)
            elif result.notice:
                ack(response_action="update", view=result.notice)
            else:
                if result.draft is not None:
                    context[SAVED_KEY] = result.draft.id
                if result.next_form:
                    ack(response_action="update", view=result.next_form)
                else:
                    ack()

        @guarded
        def after_save(context: BoltContext, client: WebClient) -> None:
            owner, saved = owner_of(context), context.get(SAVED_KEY)
            if owner is None or not isinstance(saved, str):
                return
            self.show_draft(client, owner, saved)
            self.refresh_home(client, owner)

        def draft_of(body: dict[str, Any], context: BoltContext, respond: Any,
                     client: WebClient) -> tuple[Owner, DraftRef, DraftView] | None:
            """The clicked draft if it is the clicker's; else they are told it is gone."""
            owner = owner_of(context)
            if owner is None:
                return None
            ref = DraftRef.parse(action_value(body))
            view = drafting.get(owner, ref.draft) if ref is not None else None
            if ref is None or view is None:
                self._teller(body, respond, client, owner)(text_message(_GONE))
                return None
            return owner, ref, view

        @guarded
        def edit(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any) -> None:
            if found := draft_of(body, context, respond, client):
                owner, _, view = found
                form = drafting.edit_form(view)
                tell = self._teller(body, respond, client, owner)
                if form is None:
                    tell(text_message(_GONE))
                    return
                self.open_form(client, str(body.get("trigger_id")), form, owner, tell)

        @guarded
        def copy(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any) -> None:
            if found := draft_of(body, context, respond, client):
                owner, _, view = found
                text = "\n\n".join(part for part in (
                    render_frame(view.frame, view.draft.values) if view.frame else "",
                    leftovers_text(view.leftovers)) if part)
                tell = self._teller(body, respond, client, owner)
                for message in text_messages(text or "(empty)", title=f"Copy as text: your draft of {view.name}"):
                    tell(message)

        @guarded
        def page(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any) -> None:
            if found := draft_of(body, context, respond, client):
                _, ref, view = found
                replace_or_tell(body, respond, client, draft_message(view, ref.page))

        @guarded
        def open_share(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any) -> None:
            if found := draft_of(body, context, respond, client):
                owner, _, view = found
                if view.frame is None:
                    self._teller(body, respond, client, owner)(text_message(_GONE))
                    return
                self.open_form(client, str(body.get("trigger_id")), share_form(view), owner,
                               self._teller(body, respond, client, owner), learn_tz=False)

        def ack_share(ack: Ack, body: dict[str, Any]) -> None:
            view = _view(body)
            if picked_channel(view) is None:
                ack(response_action="errors", errors={"channel": "Pick a channel to share into."})
            else:
                ack()

        @guarded
        def share_draft(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any) -> None:
            owner = owner_of(context)
            view_payload = _view(body)
            state = ShareState.parse(view_payload.get("private_metadata"))
            channel = picked_channel(view_payload)
            if owner is None or state is None or channel is None:
                return
            where = Where(team=owner.team, user=owner.user, channel=channel)
            reply = usable_respond(body, respond)
            view = drafting.get(owner, state.draft)
            if view is None or view.frame is None:
                tell_privately(reply, client, where, text_message(_GONE))
                return
            messages = shared_messages(view.frame, owner.user, view.draft.values, label="Drafted by")
            share(messages, where, reply, client)

        @guarded
        def delete(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any) -> None:
            if not (found := draft_of(body, context, respond, client)):
                return
            owner, _, view = found
            with drafting.store.messages_lock(owner):  # a first post on its way gets recorded first
                gone = drafting.delete(owner, view.draft.id)
                if gone is None:
                    return
                draft = gone.draft
                if draft.dm_channel and draft.dm_ts:
                    try:
                        client.chat_update(channel=draft.dm_channel, ts=draft.dm_ts,
                                           **deleted_message(gone.name).as_kwargs())
                    except SlackApiError as error:
                        log.info("could not mark the deleted draft's message (%s)", error.response.get("error"))
            container = body.get("container")
            if isinstance(container, dict) and container.get("is_ephemeral") and usable_respond(body, respond):
                # Clicked in a /goals drafts list: show the list without it.
                vocabulary = drafting.repository.vocabulary()
                remaining = drafts_message(drafting.views(owner), PROG, example_words(vocabulary))
                respond(replace_original=True, **remaining.as_kwargs())
            self.refresh_home(client, owner)

        @guarded
        def publish_home(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
            owner = owner_of(context)
            if event.get("tab", "home") == "home" and owner is not None:
                self.refresh_home(client, owner)

        routes.command(PROG, matchers=[wants_draft])(ack=ack_only, lazy=[open_from_command])
        routes.action(DRAFT_ACTION)(ack=ack_only, lazy=[open_from_frame])
        routes.view(FORM_CALLBACK)(ack=submit_form, lazy=[after_save])
        routes.action(EDIT_ACTION)(ack=ack_only, lazy=[edit])
        routes.action(COPY_ACTION)(ack=ack_only, lazy=[copy])
        routes.action(re.compile(f"^{PAGE_ACTION}"))(ack=ack_only, lazy=[page])
        routes.action(SHARE_ACTION)(ack=ack_only, lazy=[open_share])
        routes.view(SHARE_CALLBACK)(ack=ack_share, lazy=[share_draft])
        routes.action(DELETE_ACTION)(ack=ack_only, lazy=[delete])
        routes.event("app_home_opened")(ack=ack_only, lazy=[publish_home])

    def _teller(self, body: dict[str, Any], respond: Any, client: WebClient,
                owner: Owner) -> Callable[[Message], None]:
        return teller(body, respond, client, _where(body, owner))

