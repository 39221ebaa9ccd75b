"""A reminder's buttons (Open, Snooze a week, Reminder settings) and the settings' controls,
on the Home tab and in the settings modal: each change is saved at once, in the store every
host reads, so turning reminders off stops the next one wherever it would be sent from.

Whose reminders they are comes from the signed request; a button's value only says which
digest or draft of that person's.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.goals.checks import real_date
from bot.goals.drafts.drafting import Drafting
from bot.goals.model import Cadence, Owner, Reminders
from bot.goals.reminders.rules import local_day
from bot.slack.drafts.blocks import draft_message
from bot.slack.drafts.clicked import draft_of
from bot.slack.home.publish import refresh_home
from bot.slack.reminders.blocks import day_text, digest_message, settings_view, snoozed_blocks
from bot.slack.reminders.sweep import named
from bot.slack.shared import notices
from bot.slack.shared.delivery import teller
from bot.slack.shared.errors import guarded
from bot.slack.shared.layout import text_message
from bot.slack.shared.payloads import action_value, first_action, modal_of, owner_of, where
from bot.slack.shared.surfaces import Surfaces
from bot.slack.shared.values import DigestRef, ToggleRef

log = logging.getLogger("goals")
PAUSE_FURTHEST = timedelta(days=366)  # longer than a year's leave: turning reminders off says it better


def _now() -> datetime:
    return datetime.now(UTC)


def _shown(client: WebClient, surfaces: Surfaces, owner: Owner, body: dict[str, Any], reminders: Reminders,
           note: str | None = None) -> None:
    """The settings as they now stand, where the person changed them (the modal, the Home
    tab); the Home tab follows either way."""
    if (modal := modal_of(body)) is not None:
        try:
            client.views_update(view_id=str(modal["id"]), view=settings_view(reminders, _now(), note))
        except SlackApiError as error:  # closed meanwhile: the change is saved all the same
            log.info("updating the reminder settings form failed (%s)", error.response.get("error"))
    refresh_home(client, surfaces, owner)


@guarded
def open_draft(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any,
               drafting: Drafting) -> None:
    """Open, on a reminder: the draft it names, privately, with all its buttons."""
    if found := draft_of(body, context, respond, client, drafting):
        owner, _, view = found
        teller(body, respond, client, where(body, owner))(draft_message(view))


@guarded
def snooze(body: dict[str, Any], context: BoltContext, client: WebClient, respond: Any,
           surfaces: Surfaces) -> None:
    """Snooze a week: the reminder clicked shows when it comes back; an older one's click
    snoozes all the same, and says so privately."""
    owner = owner_of(context)
    ref = DigestRef.parse(action_value(body))
    if owner is None or ref is None:
        return
    now = _now()
    reminders = surfaces.reminding.snooze(owner, ref.digest, now)
    digest, container = reminders.last_digest, body.get("container")
    if reminders.snoozed_until and digest and digest.id == ref.digest and isinstance(container, dict):
        # Shown again from what Goals sent, not from the payload's copy of it.
        shown = digest_message(digest.id, named(surfaces.drafting, owner, digest), now, reminders.tz)
        blocks = snoozed_blocks([block.to_dict() for block in shown.blocks], digest.id, reminders.snoozed_until,
                                reminders.tz)
        try:
            client.chat_update(channel=str(container.get("channel_id")), ts=str(container.get("message_ts")),
                               text=shown.text, blocks=blocks)
        except SlackApiError as error:
            log.info("marking a reminder snoozed failed (%s)", error.response.get("error"))
    elif reminders.snoozed_until:
        back = local_day(reminders.snoozed_until, reminders.tz)
        teller(body, respond, client, where(body, owner))(text_message(
            notices.SNOOZED.format(day=day_text(back))))
    refresh_home(client, surfaces, owner)


@guarded
def open_settings(body: dict[str, Any], context: BoltContext, client: WebClient, surfaces: Surfaces) -> None:
    owner = owner_of(context)
    if owner is None:
        return
    client.views_open(trigger_id=str(body.get("trigger_id")),
                      view=settings_view(surfaces.reminding.reminders(owner), _now()))


@guarded
def set_cadence(body: dict[str, Any], context: BoltContext, client: WebClient, surfaces: Surfaces) -> None:
    owner = owner_of(context)
    picked = (first_action(body).get("selected_option") or {}).get("value")
    if owner is None or picked not in Cadence.__members__.values():
        return
    _shown(client, surfaces, owner, body, surfaces.reminding.set_cadence(owner, Cadence(str(picked)), _now()))


@guarded
def set_pause(body: dict[str, Any], context: BoltContext, client: WebClient, surfaces: Surfaces) -> None:
    """A day to pause until: reminders stop now and start again that day. Today ends a pause;
    a day past, or more than a year away, is refused and the settings stay as they were."""
    owner = owner_of(context)
    if owner is None:
        return
    day = real_date(first_action(body).get("selected_date"))
    now = _now()
    current = surfaces.reminding.reminders(owner)
    today = local_day(now, current.tz)
    if day is None:  # a crafted or emptied picker: refused like a day out of range
        _shown(client, surfaces, owner, body, current, notices.PAUSE_NOT_A_DATE)
        return
    if not today <= day <= today + PAUSE_FURTHEST:
        # Refused: the pause stays as it was, and the settings say why beside it.
        note = (notices.PAUSE_IN_THE_PAST if day < today else notices.PAUSE_TOO_FAR).format(
            day=day.isoformat(), furthest=(today + PAUSE_FURTHEST).isoformat())
        _shown(client, surfaces, owner, body, current, note)
        return
    # Today: the pause ends now (a date picker cannot be emptied).
    _shown(client, surfaces, owner, body, surfaces.reminding.pause_until(owner, None if day == today else day, now))


@guarded
def toggle(body: dict[str, Any], context: BoltContext, client: WebClient, surfaces: Surfaces) -> None:
    owner = owner_of(context)
    ref = ToggleRef.parse(action_value(body))
    if owner is None or ref is None:
        return
    _shown(client, surfaces, owner, body, surfaces.reminding.turn(owner, on=ref.on, now=_now()))
