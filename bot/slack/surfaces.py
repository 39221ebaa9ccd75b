"""The Slack-side drafts service: what takes more than one Slack call, in one place.

Opening a form then teaching it the person's timezone (`views.open`, `users.info`,
`views.update`); the draft's one message in the person's DM, posted or updated under the
store's per-person message lock; the Home tab. Listeners call these and stay thin.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.drafts.model import Owner, Profile, Reminders
from bot.drafts.reminding import Reminding
from bot.drafts.reviewing import Reviewing
from bot.drafts.service import Drafting
from bot.drafts.storage import ProfileStore
from bot.drafts.view import DraftView
from bot.slack.draft_blocks import deleted_message, draft_message, saved_message
from bot.slack.draft_form import with_tz
from bot.slack.errors import PostUncertain
from bot.slack.home import help_blocks, home_view
from bot.slack.layout import Message, text_message
from bot.slack.notices import FORM_EXPIRED
from bot.slack.picker import Choice, checked
from bot.slack.reminder_blocks import settings_blocks
from bot.slack.review_messages import withdrawn

DRAFT_EVENT = "goals_draft"  # the metadata of a draft's DM message: which draft it shows

log = logging.getLogger("goals")

# A DM message that is gone or cannot be changed any more: post the draft again.
_MESSAGE_GONE = frozenset({"message_not_found", "cant_update_message", "channel_not_found"})


def user_tz(client: WebClient, user: str) -> str | None:
    """The person's timezone as Slack knows it; None if Slack will not say."""
    try:
        person = client.users_info(user=user).get("user")
        tz = person.get("tz") if isinstance(person, dict) else None
    except (SlackApiError, OSError) as error:
        log.info("users.info failed (%s): dates are checked against the earliest today", type(error).__name__)
        return None
    return tz if isinstance(tz, str) and tz else None


def find_in_dm(client: WebClient, user: str, since: datetime, event_type: str,
               payload: dict[str, str]) -> tuple[str, str] | None:
    """(channel, ts) of the app's message in the person's DM posted since `since` with this
    metadata, if a post cut short (a crash, a timeout) reached Slack after all."""
    try:
        channel = str(client.conversations_open(users=user)["channel"]["id"])
        oldest = (since - timedelta(minutes=1)).timestamp()
        history = client.conversations_history(channel=channel, oldest=f"{oldest:.6f}", limit=200,
                                               include_all_metadata=True)
    except SlackApiError as error:
        if error.response.get("error") not in ("missing_scope", "not_allowed_token_type", "channel_not_found"):
            raise
        # An install from before the app asked for im:history: better a message twice than none.
        log.warning("cannot look in %s's DM for a post cut short (%s): posting it again",
                    user, error.response.get("error"))
        return None
    for found in history.get("messages") or []:
        metadata = found.get("metadata") or {}
        if metadata.get("event_type") == event_type and all(
                (metadata.get("event_payload") or {}).get(key) == value for key, value in payload.items()):
            return channel, str(found["ts"])
    return None


class Surfaces:
    def __init__(self, drafting: Drafting, profiles: ProfileStore, poster: WebClient | None = None) -> None:
        """`poster` posts DM messages: a client that never resends a post after a dropped
        connection, which Slack may have posted all the same (that one is found afterwards by
        its metadata instead). Without one, the request's own client posts."""
        self.drafting = drafting
        self.profiles = profiles
        self.reviewing = Reviewing(drafting, profiles)
        self.reminding = Reminding(drafting, profiles)
        self._poster = poster

    def open_form(self, client: WebClient, trigger_id: str, form: dict[str, object], owner: Owner,
                  tell: Callable[[Message], None], *, learn_tz: bool = True,
                  replacing: dict[str, Any] | None = None) -> None:
        """Open the form at once (in place of the modal `replacing`, when a button in a modal
        leads to it); then, for a draft's form, learn the person's timezone and add it to the
        form (dates are checked against their today)."""
        try:
            if replacing is not None:
                opened = client.views_update(view_id=str(replacing.get("id")), hash=replacing.get("hash"), view=form)
            else:
                opened = client.views_open(trigger_id=trigger_id, view=form)
        except SlackApiError as error:
            if error.response.get("error") in ("expired_trigger_id", "invalid_trigger_id"):
                tell(text_message(FORM_EXPIRED))
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

    def show_draft(self, client: WebClient, owner: Owner, draft_id: str, tz: str | None = None) -> None:
        """Post the draft to the person's DM, or update its message there in place, if a save
        left that due (another worker or host may have done it meanwhile). Its reminders
        follow it first: what was saved (a date, a check-in) may change when they are due.
        `tz`: the person's timezone, where the form that saved it learned it."""
        with self.drafting.store.messages_lock(owner):
            view = self.drafting.get(owner, draft_id)
            if view is None or not view.draft.message_due:
                return
            self.reminding.reschedule(owner, datetime.now(UTC), came_back=True, tz=tz)
            message = draft_message(view).as_kwargs()
            draft = view.draft
            if draft.dm_channel and draft.dm_ts:
                try:
                    client.chat_update(channel=draft.dm_channel, ts=draft.dm_ts, **message)
                    self.drafting.record_message(owner, draft_id, draft.dm_channel, draft.dm_ts, draft.shown_as)
                    return
                except SlackApiError as error:
                    if error.response.get("error") not in _MESSAGE_GONE:
                        raise
            if draft.posting_since is not None and (found := self._find_posted(client, owner, draft_id,
                                                                                 draft.posting_since)):
                channel, ts = found  # posted after all: show it there, never a second message
                client.chat_update(channel=channel, ts=ts, **message)
                self.drafting.record_message(owner, draft_id, channel, ts, draft.shown_as)
                return
            self.drafting.mark_posting(owner, draft_id, datetime.now(UTC))
            try:
                # Posting to the person's user id lands in their DM with the app.
                posted = (self._poster or client).chat_postMessage(channel=owner.user, unfurl_links=False,
                                                 metadata={"event_type": DRAFT_EVENT,
                                                           "event_payload": {"draft": draft_id}}, **message)
            except (TimeoutError, ConnectionError, URLError) as error:
                raise PostUncertain() from error
            self.drafting.record_message(owner, draft_id, str(posted["channel"]), str(posted["ts"]),
                                         draft.shown_as)

    def _find_posted(self, client: WebClient, owner: Owner, draft_id: str,
                     since: datetime) -> tuple[str, str] | None:
        """The draft's DM message, if a post cut short reached Slack after all."""
        return find_in_dm(client, owner.user, since, DRAFT_EVENT, {"draft": draft_id})

    def delete_draft(self, client: WebClient, owner: Owner, draft_id: str) -> DraftView | None:
        """Delete the draft and mark its DM message deleted; what it was, or None if it was not
        the person's. Under the message lock: a first post on its way is recorded first."""
        with self.drafting.store.messages_lock(owner):
            gone = self.drafting.delete(owner, draft_id)
            if gone is None:
                return None
            self.reminding.reschedule(owner, datetime.now(UTC))
            draft = gone.draft
            if draft.dm_channel and draft.dm_ts:
                try:
                    client.chat_update(channel=draft.dm_channel, ts=draft.dm_ts,
                                       **deleted_message(gone.name).as_kwargs())
                except SlackApiError as error:
                    log.info("could not mark the deleted draft's message (%s)", error.response.get("error"))
        withdrawn(client, gone)
        return gone

    def confirm_saved(self, client: WebClient, owner: Owner, draft_id: str, channel: str) -> None:
        """Tell the person, privately in the channel they drafted from, that the draft is
        saved, with a link to its message in their DM. Only a courtesy: where Slack will not
        (the app is not in that channel, the message is not posted yet), nothing is said."""
        view = self.drafting.get(owner, draft_id)
        draft = view.draft if view else None
        if view is None or draft is None or not (draft.dm_channel and draft.dm_ts):
            return
        try:
            link = client.chat_getPermalink(channel=draft.dm_channel, message_ts=draft.dm_ts).get("permalink")
            client.chat_postEphemeral(channel=channel, user=owner.user, **saved_message(view, link).as_kwargs())
        except SlackApiError as error:
            log.info("could not confirm the save in the channel (%s)", error.response.get("error"))

    def choice(self, owner: Owner) -> Choice:
        """The family, level and framework the person last picked, as far as the canon still
        has them."""
        return self._choice_of(self.profiles.get(owner))

    def _choice_of(self, profile: Profile | None) -> Choice:
        if profile is None:
            return Choice()
        return checked(Choice(profile.family, profile.level, profile.framework), self.drafting.repository.vocabulary())

    def refresh_home(self, client: WebClient, owner: Owner) -> None:
        vocabulary = self.drafting.repository.vocabulary()
        profile = self.profiles.get(owner)  # read once: the person's pick and their reminders
        choice = self._choice_of(profile)
        frame = self.drafting.frame(*choice.frame) if choice.frame else None
        settings = settings_blocks(profile.reminders if profile else Reminders(), datetime.now(UTC))
        view = home_view(vocabulary, choice, frame, self.drafting.views(owner), help_blocks(vocabulary),
                         self.reviewing.sent_to(owner), settings)
        client.views_publish(user_id=owner.user, view=view)
