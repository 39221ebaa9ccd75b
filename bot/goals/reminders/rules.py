"""The rules on reminders: what is due for a person when, and the one DM that carries it.
Pure: a person's drafts (as `Remindable`), their `Reminders` and the time are passed in.

- Each ⟨date⟩ a person filled is due at 09:00 where they are, 7 days before and on the day.
- A draft with filled targets and no check-in for the cadence's interval gets a nudge.
- Everything due at one time goes in one digest; nothing is sent 20:00–08:00 their time.
- A reminder missed (the app was down, the night was quiet) is sent within a day of being
  due, never later and never twice: each item's key is recorded when a digest claims it.
- Off stops everything; a pause drops what falls due before it ends; a snooze holds what is
  due until it ends, then sends it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.goals.checks import known_zone
from bot.goals.model import Cadence, Digest, ReminderItem, ReminderKind, Reminders

REMIND_AT = time(9, 0)  # where the person is
QUIET_FROM, QUIET_UNTIL = time(20, 0), time(8, 0)
SOON = timedelta(days=7)
WITHIN = timedelta(days=1)  # a reminder missed is sent within this of being due, else dropped
SNOOZE = timedelta(days=7)
INTERVALS = {Cadence.WEEKLY: 7, Cadence.BIWEEKLY: 14, Cadence.MONTHLY: 30}  # days without a check-in
SENT_KEPT = timedelta(days=60)  # long past any item's sending window: its key can go
POSTING_LEASE = timedelta(minutes=2)  # a digest claimed this long ago and not posted: its sender died


Change = Callable[[Reminders], Reminders]


@dataclass(frozen=True)
class Remindable:
    """What reminders need of one draft: its filled dates, whether it has filled targets, and
    since when it has gone without a check-in."""

    draft: str
    dates: frozenset[date]
    has_targets: bool
    created_at: datetime  # nothing falling due before the draft existed is sent
    since: datetime  # the last check-in, else when it was created


def zone(tz: str | None) -> tzinfo:
    """The person's timezone; UTC when Slack has not said or names one we do not know."""
    return known_zone(tz) or UTC


def at_nine(day: date, tz: str | None) -> datetime:
    return datetime.combine(day, REMIND_AT, tzinfo=zone(tz)).astimezone(UTC)


def local_day(when: datetime, tz: str | None) -> date:
    return when.astimezone(zone(tz)).date()


def quiet(when: datetime, tz: str | None) -> bool:
    clock = when.astimezone(zone(tz)).time()
    return clock >= QUIET_FROM or clock < QUIET_UNTIL


def out_of_quiet(when: datetime, tz: str | None) -> datetime:
    """`when`, or the next 08:00 where the person is if `when` falls in their quiet hours."""
    if not quiet(when, tz):
        return when
    local = when.astimezone(zone(tz))
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_UNTIL, tzinfo=zone(tz)).astimezone(UTC)


# Outside these, a week before or a day's window would pass an end of the calendar.
FIRST_DAY, LAST_DAY = date.min + timedelta(days=8), date.max - timedelta(days=7)


def _date_items(draft: Remindable, tz: str | None) -> Iterable[ReminderItem]:
    for day in sorted(found for found in draft.dates if FIRST_DAY <= found <= LAST_DAY):
        for kind, due_day in ((ReminderKind.DATE_SOON, day - SOON), (ReminderKind.DATE_TODAY, day)):
            due_at = at_nine(due_day, tz)
            if due_at >= draft.created_at:
                yield ReminderItem(key=f"{draft.draft}:{kind.value}:{day.isoformat()}", draft=draft.draft,
                                   kind=kind, due_at=due_at, day=day)


def _nudges(draft: Remindable, reminders: Reminders, now: datetime) -> Iterable[ReminderItem]:
    """The check-in nudges still to come: every interval after the last check-in, from the
    first whose window has not closed at `now` (or, while a snooze holds them, the first since
    the snooze began), to the first due after `now` and after any pause."""
    interval = INTERVALS.get(reminders.cadence)
    if interval is None or not draft.has_targets:
        return
    start = local_day(draft.since, reminders.tz)
    back = now - WITHIN
    if reminders.snoozed_from and reminders.snoozed_until and now < reminders.snoozed_until + WITHIN:
        back = min(back, reminders.snoozed_from)  # a held nudge's own window has closed
    # floor, not ceil: one too early is dropped by its window; one missed (a DST hour) is lost
    origin = at_nine(start, reminders.tz)
    first = max(1, math.floor((back - origin) / timedelta(days=interval)))
    last = now  # and past a pause: the first nudge after it is the next one due
    if reminders.paused_until:
        resume = min(reminders.paused_until, LAST_DAY)
        last = max(last, datetime.combine(resume, time(0), tzinfo=zone(reminders.tz)))
        # What falls due more than a day before the pause ends is dropped: start just before it.
        first = max(first, math.floor((last - WITHIN - origin) / timedelta(days=interval)))
    # Named by the last check-in as an instant and the count of intervals since, never by a
    # local day: a nudge sent before the timezone changed is still the same nudge after.
    since = draft.since.astimezone(UTC).isoformat()
    for k in itertools.count(first):
        if k * interval > (LAST_DAY - start).days:
            return
        due_day = start + timedelta(days=k * interval)
        due_at = at_nine(due_day, reminders.tz)
        # The offset in days, not the count: one cadence's nudge is never another's.
        yield ReminderItem(key=f"{draft.draft}:{ReminderKind.CHECK_IN.value}:{since}:{k * interval}d",
                           draft=draft.draft, kind=ReminderKind.CHECK_IN, due_at=due_at)
        if due_at > last:
            return


@dataclass(frozen=True)
class Window:
    opens: datetime  # the first moment it may be sent (out of quiet hours)
    closes: datetime  # sent before this, or never


def window(item: ReminderItem, reminders: Reminders) -> Window:
    start, closes = item.due_at, item.due_at + WITHIN
    held_from, until = reminders.snoozed_from, reminders.snoozed_until
    if held_from and until and held_from <= start < until:  # held, then sent
        start, closes = until, until + WITHIN
    if reminders.paused_until:
        start = max(start, datetime.combine(min(reminders.paused_until, LAST_DAY), time(0),
                                            tzinfo=zone(reminders.tz)))
    return Window(out_of_quiet(start, reminders.tz), closes)


def pending(drafts: Sequence[Remindable], reminders: Reminders, now: datetime) -> list[tuple[ReminderItem, Window]]:
    """Every item not sent yet whose window has not closed at `now`, with its window."""
    if reminders.off or reminders.unreachable:
        return []
    found = []
    for draft in drafts:
        for item in [*_date_items(draft, reminders.tz), *_nudges(draft, reminders, now)]:
            if item.key in reminders.sent:
                continue
            shown = window(item, reminders)
            if now < shown.closes and shown.opens < shown.closes:
                found.append((item, shown))
    return found


def due_now(drafts: Sequence[Remindable], reminders: Reminders, now: datetime) -> list[ReminderItem]:
    """What one digest sent at `now` carries, soonest first."""
    if quiet(now, reminders.tz):
        return []
    return sorted((item for item, shown in pending(drafts, reminders, now) if shown.opens <= now),
                  key=lambda item: (item.due_at, item.key))


def next_due(drafts: Sequence[Remindable], reminders: Reminders, now: datetime) -> datetime | None:
    """When the person's next digest is due (at or before `now`: now), or None. Never in
    their quiet hours: what is open then waits for 08:00."""
    nudged = reminders.cadence is not Cadence.OFF
    if not reminders.tz and not (reminders.off or reminders.unreachable) and any(
            draft.dates or (draft.has_targets and nudged) for draft in drafts):
        # Their timezone is not known yet: the next sweep asks Slack (the claim keeps it), and
        # from then on every time is theirs. Guessed, a 09:00 could pass before it is looked for.
        return now
    soonest = out_of_quiet(now, reminders.tz)
    opens = [max(shown.opens, soonest) if soonest > now else shown.opens
             for _, shown in pending(drafts, reminders, now)]
    if reminders.sending is not None:  # a digest claimed and not known posted: look again after its lease
        opens.append(reminders.sending.claimed_at + POSTING_LEASE)
    return min(opens, default=None)


def scheduled(drafts: Sequence[Remindable], reminders: Reminders, now: datetime) -> Reminders:
    """`reminders` with `due_at` recomputed, and keys of items long gone forgotten."""
    kept = {key: at for key, at in reminders.sent.items() if at > now - SENT_KEPT}
    settled = reminders.model_copy(update={"sent": kept})
    return settled.model_copy(update={"due_at": next_due(drafts, settled, now)})


def claimed(drafts: Sequence[Remindable], reminders: Reminders, now: datetime) -> tuple[Reminders, Digest | None]:
    """Claim what is due at `now` as one digest: its items recorded as sent in the same change
    that returns it, so whoever claims it is the only one to post it. No digest while another
    is still being posted (within its lease)."""
    if reminders.sending is not None:
        return scheduled(drafts, reminders, now), None
    items = due_now(drafts, reminders, now)
    if not items:
        return scheduled(drafts, reminders, now), None
    digest = Digest(items=items, claimed_at=now)
    sent = {**reminders.sent, **{item.key: now for item in items}}
    return scheduled(drafts, reminders.model_copy(update={"sent": sent, "sending": digest}), now), digest


def stale_sending(reminders: Reminders, now: datetime) -> Digest | None:
    """A digest claimed longer ago than its lease and never recorded as posted: its sender
    died between claiming and posting, or while posting."""
    sending = reminders.sending
    return sending if sending is not None and sending.claimed_at + POSTING_LEASE <= now else None


def reclaimed(drafts: Sequence[Remindable], reminders: Reminders, digest_id: str,
              now: datetime) -> tuple[Reminders, Digest | None]:
    """A stale digest not found in the person's DM, claimed again to post after all (its
    lease begun anew, so another sweep leaves it alone); None if another already did, or if
    it should not be sent now: reminders off (it is dropped), or quiet hours, a pause, or
    every item's time passed (it is let go, and what is still due comes in its time)."""
    sending = stale_sending(reminders, now)
    if sending is None or sending.id != digest_id:
        return reminders, None
    if reminders.off or reminders.unreachable:
        return scheduled(drafts, reminders.model_copy(update={"sending": None}), now), None
    # Open now: not before a pause or a snooze ends, not after its time passed.
    open_ = [item for item in sending.items if (shown := window(item, reminders)).opens <= now < shown.closes]
    if quiet(now, reminders.tz) or not open_:
        return released(drafts, reminders, digest_id, now), None
    again = sending.model_copy(update={"claimed_at": now})
    return scheduled(drafts, reminders.model_copy(update={"sending": again}), now), again


def posted(drafts: Sequence[Remindable], reminders: Reminders, digest_id: str, channel: str | None,
           now: datetime) -> Reminders:
    """The digest is in the person's DM."""
    if reminders.sending is None or reminders.sending.id != digest_id:
        return reminders
    update: dict[str, object] = {"sending": None, "last_digest": reminders.sending,
                                 "dm_channel": channel or reminders.dm_channel}
    return scheduled(drafts, reminders.model_copy(update=update), now)


def released(drafts: Sequence[Remindable], reminders: Reminders, digest_id: str, now: datetime) -> Reminders:
    """The digest could not be posted for now (Slack asked to wait, or failed): unclaimed, so
    the next sweep sends it, within its window."""
    sending = reminders.sending
    if sending is None or sending.id != digest_id:
        return reminders
    keys = {item.key for item in sending.items}
    sent = {key: at for key, at in reminders.sent.items() if key not in keys}
    return scheduled(drafts, reminders.model_copy(update={"sending": None, "sent": sent}), now)


def unreachable(reminders: Reminders, why: str) -> Reminders:
    """Slack will not DM the person (they left, or the app cannot write to them): nothing
    more is tried until they use Goals again."""
    return reminders.model_copy(update={"sending": None, "unreachable": why, "due_at": None})


def snoozed(drafts: Sequence[Remindable], reminders: Reminders, digest: Sequence[ReminderItem],
            now: datetime) -> Reminders:
    """"Snooze a week": nothing until 09:00 a week from today where they are; then what was
    due, the snoozed reminder's items too, comes in one digest."""
    until = at_nine(local_day(now, reminders.tz) + SNOOZE, reminders.tz)
    keys = {item.key for item in digest}
    sent = {key: at for key, at in reminders.sent.items() if key not in keys}
    held_from = min([now, *(item.due_at for item in digest)])
    update = {"snoozed_from": held_from, "snoozed_until": until, "sent": sent}
    return scheduled(drafts, reminders.model_copy(update=update), now)


def digest_items(digest: Sequence[ReminderItem]) -> list[ReminderItem]:
    """The items a digest shows: for one draft's date, the on-the-day reminder stands for the
    one a week before (a snooze can bring both at once)."""
    today = {(item.draft, item.day) for item in digest if item.kind is ReminderKind.DATE_TODAY}
    return [item for item in digest
            if not (item.kind is ReminderKind.DATE_SOON and (item.draft, item.day) in today)]


def days_until(day: date, now: datetime, tz: str | None) -> int:
    return (day - local_day(now, tz)).days
