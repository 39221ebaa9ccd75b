"""Reminders as Block Kit: the digest DM (each draft it names, its dates or the check-in due,
Check in and Open; then Snooze a week and Reminder settings), and the settings themselves,
the same controls on the Home tab and in the modal a reminder opens.

Layout only: what is due comes from `bot.goals.reminders.rules`, names and dates from the drafts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    DatePickerElement,
    InteractiveElement,
    Option,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.frames.model import PlaceholderKind
from bot.goals.drafts.view import DraftView
from bot.goals.fields import has_filled
from bot.goals.model import Cadence, ReminderItem, ReminderKind, Reminders
from bot.goals.reminders.rules import INTERVALS, days_until, digest_items, local_day
from bot.slack.shared.ids import (
    CHECK_IN_ACTION,
    REMINDER_CADENCE_ACTION,
    REMINDER_OPEN_ACTION,
    REMINDER_PAUSE_ACTION,
    REMINDER_SETTINGS_ACTION,
    REMINDER_SETTINGS_VIEW,
    REMINDER_SNOOZE_ACTION,
    REMINDER_TOGGLE_ACTION,
)
from bot.slack.shared.layout import Message, button, context, sections, title_blocks
from bot.slack.shared.limits import MESSAGE_BLOCKS_MAX
from bot.slack.shared.text import bold, escape, shortened
from bot.slack.shared.values import DigestRef, DraftRef, ToggleRef

REMINDER_EVENT = "goals_reminder"  # a digest's metadata: which digest, to find a post cut short
SETTINGS_BLOCK = "goals_reminder_settings"
SNOOZE_ROW = "goals_reminder_actions"  # the digest's last row: Snooze a week, Reminder settings
BLOCKS_PER_DRAFT = 3  # its name, what is due, its buttons
WHEN = "Reminders come at 09:00 your time, and never between 20:00 and 08:00."


@dataclass(frozen=True)
class Due:
    """A draft a digest names, and what is due of it."""

    view: DraftView
    items: list[ReminderItem]


def day_text(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"  # "Mon 15 Mar 2027": no reader mistakes it for 3/15 or 15/3


def item_text(item: ReminderItem, view: DraftView, now: datetime, tz: str | None) -> str:
    if item.kind is ReminderKind.CHECK_IN or item.day is None:
        checked = [found.at for found in view.draft.check_ins]
        if not checked:
            made = local_day(view.draft.created_at, tz)
            return f"No check-in since you made it on {day_text(made)}: how are your targets going?"
        return f"No check-in since {day_text(local_day(max(checked), tz))}: how are your targets going?"
    days = days_until(item.day, now, tz)
    when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days" if days > 1 else "past"
    return f"Your date {day_text(item.day)} is {when}."


def digest_message(digest_id: str, due: Sequence[Due], now: datetime, tz: str | None) -> Message:
    """One DM for everything due at one time."""
    room = (MESSAGE_BLOCKS_MAX - 1 - 1 - 1 - 1) // BLOCKS_PER_DRAFT  # title, more note, when, actions
    blocks: list[Block] = [*title_blocks("Reminders from Goals")]
    lines = []
    for entry in due[:room]:
        items = digest_items(entry.items)
        texts = [item_text(item, entry.view, now, tz) for item in items]
        lines.append(f"{entry.view.name}: {texts[0].rstrip('.')}" if texts else entry.view.name)
        blocks.append(SectionBlock(text=bold(shortened(entry.view.name, 2900))))
        blocks += context("\n".join(texts))
        ref = DraftRef(draft=entry.view.draft.id)
        buttons = []
        if entry.view.frame is not None and has_filled(entry.view.frame, entry.view.draft.values,
                                                       PlaceholderKind.TARGET):
            buttons.append(button("Check in", CHECK_IN_ACTION, ref))
        buttons.append(button("Open", REMINDER_OPEN_ACTION, ref))
        blocks.append(ActionsBlock(elements=buttons))
    if len(due) > room:
        hidden = len(due) - room
        blocks += context(f"{hidden} more draft{'s' * (hidden != 1)} have reminders: type /goals drafts to see all.")
    blocks += context(WHEN)
    blocks.append(ActionsBlock(block_id=SNOOZE_ROW, elements=[
        button("Snooze a week", REMINDER_SNOOZE_ACTION, DigestRef(digest=digest_id)),
        button("Reminder settings", REMINDER_SETTINGS_ACTION, DigestRef(digest=digest_id)),
    ]))
    fallback = lines[0] if len(lines) == 1 else f"Reminders for {len(due)} drafts: " + "; ".join(lines)
    return Message(text=escape(shortened(f"Reminder: {fallback}", 200)), blocks=blocks)


def snoozed_blocks(original: Sequence[object], digest_id: str, until: datetime,
                   tz: str | None) -> list[dict[str, Any]]:
    """The reminder, snoozed: its drafts as they were, its Snooze row replaced by when it
    comes back, and the settings."""
    kept = [block for block in original if isinstance(block, dict) and block.get("block_id") != SNOOZE_ROW]
    note = context(f"Snoozed: this comes back on {day_text(local_day(until, tz))} at 09:00 your time.")
    settings = ActionsBlock(block_id=SNOOZE_ROW, elements=[
        button("Reminder settings", REMINDER_SETTINGS_ACTION, DigestRef(digest=digest_id))])
    return [*kept, *(block.to_dict() for block in note), settings.to_dict()]


# Settings ----------------------------------------------------------------------------------

_CADENCES = {
    Cadence.WEEKLY: "Check-in nudge: weekly",
    Cadence.BIWEEKLY: "Check-in nudge: every two weeks",
    Cadence.MONTHLY: "Check-in nudge: monthly",
    Cadence.OFF: "Check-in nudge: never",
}


def settings_status(reminders: Reminders, now: datetime) -> str:
    if reminders.off:
        return "Reminders are off: Goals sends you none. Turn them on again here whenever you like."
    if reminders.unreachable:
        return "Goals could not send you a reminder in Slack, so none are sent until you use Goals again."
    interval = INTERVALS.get(reminders.cadence)
    nudge = (f"a nudge to check in after {interval} days without one" if interval
             else "no check-in nudges")
    found = [f"Reminders are on: each date in your drafts 7 days before and on the day, and {nudge}."]
    tz = reminders.tz
    if reminders.paused_until and reminders.paused_until > local_day(now, tz):
        found.append(f"Paused until {day_text(reminders.paused_until)} (pick today's date to end the pause now).")
    if reminders.snoozed_until and reminders.snoozed_until > now:
        found.append(f"Snoozed until {day_text(local_day(reminders.snoozed_until, tz))}, 09:00.")
    return " ".join(found)


def settings_blocks(reminders: Reminders, now: datetime, note: str | None = None, *,
                    titled: bool = True) -> list[Block]:
    """The person's reminder settings: each control saves as soon as it is changed. `note`:
    why the last change could not be made. `titled`: with a heading (the Home tab; a
    modal's own title says it)."""
    options = {cadence: Option(value=cadence.value, label=label) for cadence, label in _CADENCES.items()}
    paused = reminders.paused_until if reminders.paused_until and reminders.paused_until > local_day(
        now, reminders.tz) else None
    elements: list[InteractiveElement] = [
        StaticSelectElement(action_id=REMINDER_CADENCE_ACTION, options=list(options.values()),
                            initial_option=options[reminders.cadence], placeholder="Check-in nudge"),
        DatePickerElement(action_id=REMINDER_PAUSE_ACTION, placeholder="Pause until…",
                          initial_date=paused.isoformat() if paused else None),
        button("Turn reminders on" if reminders.off else "Turn reminders off", REMINDER_TOGGLE_ACTION,
               ToggleRef(on=reminders.off), style="primary" if reminders.off else None),
    ]
    return [*(title_blocks("Reminders") if titled else []), *sections(settings_status(reminders, now)),
            *(context(note) if note else []),
            ActionsBlock(block_id=SETTINGS_BLOCK, elements=elements), *context(WHEN)]


def settings_view(reminders: Reminders, now: datetime, note: str | None = None) -> dict[str, object]:
    return View(type="modal", callback_id=REMINDER_SETTINGS_VIEW, title="Reminder settings", close="Done",
                blocks=settings_blocks(reminders, now, note, titled=False)).to_dict()
