"""The services every listener needs, built once (`Surfaces`), and the Slack calls that go
together whatever the feature: opening a form then teaching it the person's timezone
(`views.open`, `users.info`, `views.update`), and finding a post cut short in a person's DM.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.goals.drafts.drafting import Drafting
from bot.goals.model import Owner
from bot.goals.reminders.reminding import Reminding
from bot.goals.reviews.reviewing import Reviewing
from bot.goals.storage import ProfileStore
from bot.slack.shared.layout import Message, text_message
from bot.slack.shared.notices import FORM_EXPIRED
from bot.slack.shared.values import FormState

log = logging.getLogger("goals")


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
        if _carries(found, event_type, payload):
            return channel, str(found["ts"])
    return None


def _carries(message: dict[str, Any], event_type: str, payload: dict[str, str]) -> bool:
    """Whether a message Slack returned carries this metadata (the app's own posts do)."""
    metadata = message.get("metadata") or {}
    return metadata.get("event_type") == event_type and all(
        (metadata.get("event_payload") or {}).get(key) == value for key, value in payload.items())


def find_in_thread(client: WebClient, channel: str, ts: str, since: datetime, event_type: str,
                   payload: dict[str, str]) -> bool:
    """Whether the app's reply with this metadata is in the thread under (channel, ts), posted
    since `since`: a post cut short that reached Slack after all."""
    oldest = (since - timedelta(minutes=1)).timestamp()
    try:
        replies = client.conversations_replies(channel=channel, ts=ts, oldest=f"{oldest:.6f}", limit=200,
                                               include_all_metadata=True)
    except SlackApiError as error:
        if error.response.get("error") not in ("missing_scope", "not_allowed_token_type", "channel_not_found",
                                               "thread_not_found"):
            raise
        log.warning("cannot look in a thread for a reply cut short (%s): posting it again", error.response.get("error"))
        return False
    return any(_carries(found, event_type, payload) for found in replies.get("messages") or [])


def with_tz(form: dict[str, object], tz: str) -> dict[str, object] | None:
    """The same draft form, now knowing the person's timezone; same blocks, so typing is kept."""
    state = FormState.parse(form.get("private_metadata"))
    if state is None or len(tz) > 64:
        return None
    return {**form, "private_metadata": state.model_copy(update={"tz": tz}).value()}


def show_step(client: WebClient, view: dict[str, Any], shown: dict[str, object]) -> None:
    """Show `shown` in place of the form `view` after Back. The hash makes Slack refuse if the
    form moved on meanwhile (or was closed): what was saved stays saved all the same."""
    try:
        client.views_update(view_id=view.get("id"), hash=view.get("hash"), view=shown)
    except SlackApiError as error:
        log.info("showing the step after Back failed (%s)", error.response.get("error"))


Later = Callable[[Callable[[], None]], object]  # runs work after this listener, in the background pool


class Surfaces:
    def __init__(self, drafting: Drafting, profiles: ProfileStore, poster: WebClient | None = None,
                 later: Later | None = None) -> None:
        """`poster` posts DM messages: a client that never resends a post after a dropped
        connection, which Slack may have posted all the same (that one is found afterwards by
        its metadata instead). Without one, the request's own client posts. `later` runs what
        can wait (teaching an open form the person's timezone) off the forms' own pool;
        without it, that is done at once."""
        self.drafting = drafting
        self.profiles = profiles
        self.reviewing = Reviewing(drafting, profiles)
        self.reminding = Reminding(drafting, profiles)
        self.poster = poster
        self.later = later

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
        view = opened.get("view") or {}
        if self.later is None:
            _learn_tz(client, owner, form, view)
        else:  # a slow users.info must not hold the thread the next person's form needs
            self.later(lambda: _learn_tz(client, owner, form, view))


def _learn_tz(client: WebClient, owner: Owner, form: dict[str, object], view: dict[str, Any]) -> None:
    """Add the person's timezone to the form just opened (dates are checked against their today)."""
    try:
        tz = user_tz(client, owner.user)
        updated = with_tz(form, tz) if tz else None
        if updated is None or not view.get("id"):
            return
        # The same blocks: Slack keeps whatever the person has typed meanwhile. The hash
        # makes Slack refuse if the form already moved on (then it does without the tz).
        client.views_update(view_id=view["id"], hash=view.get("hash"), view=updated)
    except (SlackApiError, OSError) as error:
        log.info("adding the timezone to the form failed (%s)", type(error).__name__)
