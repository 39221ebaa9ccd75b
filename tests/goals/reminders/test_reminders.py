"""The rules on reminders, as pure functions of a person's drafts, their settings and the time:
when a ⟨date⟩ and a check-in nudge are due in the person's own timezone (across a DST change
too), one digest for everything due at once, quiet hours, catching up after downtime (within a
day, never twice), off, pause and snooze, and the claim/post/release cycle of a digest."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.goals.model import Cadence, Digest, ReminderItem, ReminderKind, Reminders
from bot.goals.reminders import rules
from bot.goals.reminders.rules import POSTING_LEASE, SENT_KEPT, Remindable

NY, TOKYO = "America/New_York", "Asia/Tokyo"
CREATED = datetime(2027, 1, 1, 12, 0, tzinfo=UTC)
DST_DAY = date(2027, 3, 14)  # clocks go forward in New York: 09:00 is 14:00Z a week before, 13:00Z on the day


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def draft(name: str = "d1", dates: Sequence[date] = (), *, targets: bool = False,
          created: datetime = CREATED, since: datetime | None = None) -> Remindable:
    return Remindable(draft=name, dates=frozenset(dates), has_targets=targets, created_at=created,
                      since=since or created)


def kinds(items: Sequence[ReminderItem]) -> list[tuple[str, ReminderKind, date | None]]:
    return [(item.draft, item.kind, item.day) for item in items]


def claim(drafts: Sequence[Remindable], reminders: Reminders, now: datetime) -> tuple[Reminders, Digest]:
    state, digest = rules.claimed(drafts, reminders, now)
    assert digest is not None, f"nothing claimed at {now}"
    return state, digest


def claim_and_post(drafts: Sequence[Remindable], reminders: Reminders, now: datetime) -> tuple[Reminders, Digest]:
    state, digest = claim(drafts, reminders, now)
    return rules.posted(drafts, state, digest.id, "D1", now), digest


# A date: 7 days before and on the day, at 09:00 where the person is -----------------------


def test_a_date_is_due_at_nine_new_york_time_a_week_before_and_on_the_day_across_dst() -> None:
    drafts = [draft(dates=[DST_DAY])]
    reminders = Reminders(tz=NY)
    assert rules.next_due(drafts, reminders, CREATED) == utc(2027, 3, 7, 14)  # 09:00 EST
    assert rules.due_now(drafts, reminders, utc(2027, 3, 7, 13, 59)) == []
    assert kinds(rules.due_now(drafts, reminders, utc(2027, 3, 7, 14))) == [
        ("d1", ReminderKind.DATE_SOON, DST_DAY)]
    reminders, _ = claim_and_post(drafts, reminders, utc(2027, 3, 7, 14))
    assert reminders.due_at == utc(2027, 3, 14, 13)  # 09:00 EDT, an hour earlier in UTC
    assert rules.due_now(drafts, reminders, utc(2027, 3, 14, 12, 59)) == []
    assert kinds(rules.due_now(drafts, reminders, utc(2027, 3, 14, 13))) == [
        ("d1", ReminderKind.DATE_TODAY, DST_DAY)]


def test_a_date_is_due_at_nine_tokyo_time_which_is_midnight_utc() -> None:
    day = date(2027, 5, 20)
    drafts = [draft(dates=[day])]
    reminders = Reminders(tz=TOKYO)
    assert rules.next_due(drafts, reminders, CREATED) == utc(2027, 5, 13, 0)
    assert rules.due_now(drafts, reminders, utc(2027, 5, 12, 23, 59)) == []
    reminders, first = claim_and_post(drafts, reminders, utc(2027, 5, 13, 0))
    assert kinds(first.items) == [("d1", ReminderKind.DATE_SOON, day)]
    assert reminders.due_at == utc(2027, 5, 20, 0)
    _, second = claim(drafts, reminders, utc(2027, 5, 20, 0))
    assert kinds(second.items) == [("d1", ReminderKind.DATE_TODAY, day)]


@pytest.mark.parametrize("tz", ["UTC", "Mars/Olympus_Mons"])
def test_a_timezone_we_do_not_know_is_utc(tz: str) -> None:
    drafts = [draft(dates=[date(2027, 5, 20)])]
    assert rules.next_due(drafts, Reminders(tz=tz), CREATED) == utc(2027, 5, 13, 9)
    assert rules.due_now(drafts, Reminders(tz=tz), utc(2027, 5, 13, 8, 59)) == []
    assert kinds(rules.due_now(drafts, Reminders(tz=tz), utc(2027, 5, 13, 9))) == [
        ("d1", ReminderKind.DATE_SOON, date(2027, 5, 20))]


@pytest.mark.parametrize("tz", [None, ""])
def test_while_the_timezone_is_not_known_the_person_is_due_at_once_to_be_asked(tz: str | None) -> None:
    """Slack is asked at the sweep, and the claim keeps what it says: until then nothing is
    guessed (a guessed 09:00 could pass before it is looked for)."""
    day = date(2027, 5, 20)
    drafts = [draft(dates=[day])]
    state = rules.scheduled(drafts, Reminders(tz=tz), CREATED)
    assert state.due_at == CREATED  # look now
    assert rules.claimed(drafts, state, CREATED)[1] is None  # nothing due yet, by UTC
    known = rules.scheduled(drafts, state.model_copy(update={"tz": TOKYO}), CREATED)
    assert known.due_at == utc(2027, 5, 13, 0)  # 09:00 in Tokyo, a week before
    assert rules.scheduled([draft(targets=False)], Reminders(tz=tz), CREATED).due_at is None  # nothing to ask for
    assert rules.scheduled(drafts, Reminders(tz=tz, off=True), CREATED).due_at is None


def test_what_fell_due_before_the_draft_existed_is_not_sent() -> None:
    day = date(2027, 5, 20)
    drafts = [draft(dates=[day], created=utc(2027, 5, 15, 12))]  # after the week-before reminder
    assert kinds(rules.due_now(drafts, Reminders(tz="UTC"), utc(2027, 5, 15, 12))) == []
    assert rules.next_due(drafts, Reminders(tz="UTC"), utc(2027, 5, 15, 12)) == utc(2027, 5, 20, 9)


# One digest ------------------------------------------------------------------------------


def test_one_digest_carries_every_draft_due_at_once() -> None:
    day = date(2027, 5, 20)
    drafts = [draft("d1", [day]), draft("d2", [day, date(2027, 6, 30)]), draft("d3", [date(2027, 6, 1)])]
    reminders, digest = claim(drafts, Reminders(tz=NY), utc(2027, 5, 13, 13))
    assert kinds(digest.items) == [("d1", ReminderKind.DATE_SOON, day), ("d2", ReminderKind.DATE_SOON, day)]
    assert reminders.sending == digest
    assert set(reminders.sent) == {item.key for item in digest.items}  # recorded in the same state
    assert rules.claimed(drafts, reminders, utc(2027, 5, 13, 13)) == (reminders, None)


def test_a_second_claim_finds_nothing_and_posting_keeps_the_items_sent() -> None:
    drafts = [draft(dates=[date(2027, 5, 20)])]
    now = utc(2027, 5, 13, 9)
    state, digest = claim(drafts, Reminders(), now)
    assert rules.claimed(drafts, state, now)[1] is None
    done = rules.posted(drafts, state, digest.id, "D123", now)
    assert done.sending is None and done.last_digest == digest and done.dm_channel == "D123"
    assert set(done.sent) == {item.key for item in digest.items}
    assert rules.claimed(drafts, done, now)[1] is None
    assert rules.claimed(drafts, done, now + timedelta(hours=3))[1] is None
    assert rules.posted(drafts, done, "not-that-one", None, now) == done


def test_while_a_digest_is_being_sent_no_other_is_claimed() -> None:
    drafts = [draft("d1", [date(2027, 5, 20)]), draft("d2", [date(2027, 5, 21)])]
    state, first = claim(drafts, Reminders(tz="UTC"), utc(2027, 5, 13, 9))
    assert rules.due_now(drafts, state, utc(2027, 5, 14, 9)) != []  # d2's is due ...
    assert rules.claimed(drafts, state, utc(2027, 5, 14, 9))[1] is None  # ... but d1's digest is not posted
    assert rules.next_due(drafts, state, utc(2027, 5, 13, 9)) == utc(2027, 5, 13, 9) + POSTING_LEASE
    state = rules.posted(drafts, state, first.id, None, utc(2027, 5, 14, 9))
    _, second = claim(drafts, state, utc(2027, 5, 14, 9))
    assert kinds(second.items) == [("d2", ReminderKind.DATE_SOON, date(2027, 5, 21))]


def test_a_released_digest_is_sent_by_the_next_sweep() -> None:
    drafts = [draft(dates=[date(2027, 5, 20)])]
    state, digest = claim(drafts, Reminders(tz="UTC"), utc(2027, 5, 13, 9))
    state = rules.released(drafts, state, digest.id, utc(2027, 5, 13, 9, 1))
    assert state.sending is None and state.sent == {}
    assert state.due_at == utc(2027, 5, 13, 9)  # due again
    _, again = claim(drafts, state, utc(2027, 5, 13, 9, 5))
    assert again.items == digest.items and again.id != digest.id


def test_a_digest_claimed_and_not_posted_within_its_lease_is_stale() -> None:
    drafts = [draft(dates=[date(2027, 5, 20)])]
    now = utc(2027, 5, 13, 9)
    state, digest = claim(drafts, Reminders(), now)
    assert rules.stale_sending(state, now + POSTING_LEASE - timedelta(seconds=1)) is None
    assert rules.stale_sending(state, now + POSTING_LEASE) == digest
    assert rules.stale_sending(rules.posted(drafts, state, digest.id, None, now), now + POSTING_LEASE) is None


# Quiet hours, and catching up --------------------------------------------------------------


@pytest.mark.parametrize(("local", "is_quiet"), [
    (time(7, 59), True), (time(8, 0), False), (time(19, 59), False), (time(20, 0), True),
    (time(23, 30), True), (time(0, 0), True), (time(3, 0), True), (time(12, 0), False)])
@pytest.mark.parametrize("tz", [NY, TOKYO])
def test_quiet_hours_are_twenty_to_eight_where_the_person_is(local: time, is_quiet: bool, tz: str) -> None:
    from zoneinfo import ZoneInfo

    when = datetime.combine(date(2027, 5, 10), local, tzinfo=ZoneInfo(tz)).astimezone(UTC)
    assert rules.quiet(when, tz) is is_quiet


def test_nothing_is_sent_in_quiet_hours_either_side_of_midnight_and_it_waits_for_eight() -> None:
    """Due 09:00 New York time (13:00Z in May); the app was down until 23:30 there."""
    drafts = [draft(dates=[date(2027, 5, 20)])]
    reminders = Reminders(tz=NY)
    late, small_hours = utc(2027, 5, 14, 3, 30), utc(2027, 5, 14, 5, 0)  # 23:30 and 01:00 EDT
    eight_next_morning = utc(2027, 5, 14, 12)
    for now in (utc(2027, 5, 14, 0, 0), late, small_hours, utc(2027, 5, 14, 11, 59)):
        assert rules.due_now(drafts, reminders, now) == []
        assert rules.claimed(drafts, reminders, now)[1] is None
        assert rules.next_due(drafts, reminders, now) == eight_next_morning
    assert rules.scheduled(drafts, reminders, late).due_at == eight_next_morning
    assert kinds(rules.due_now(drafts, reminders, utc(2027, 5, 13, 23, 59))) != []  # 19:59 EDT
    _, digest = claim(drafts, reminders, eight_next_morning)  # within a day of 09:00: caught up
    assert kinds(digest.items) == [("d1", ReminderKind.DATE_SOON, date(2027, 5, 20))]


def test_a_reminder_missed_while_down_is_sent_once_within_a_day_and_never_after() -> None:
    drafts = [draft(dates=[date(2027, 5, 20)])]
    due = utc(2027, 5, 13, 9)
    reminders = Reminders(tz="UTC")
    state, digest = claim(drafts, reminders, due + timedelta(hours=5))
    assert [item.due_at for item in digest.items] == [due]
    state = rules.posted(drafts, state, digest.id, None, due + timedelta(hours=5))
    assert rules.claimed(drafts, state, due + timedelta(hours=6))[1] is None  # never twice
    for late in (due + timedelta(days=1), due + timedelta(days=2)):
        assert rules.due_now(drafts, reminders, late) == []
        assert rules.claimed(drafts, reminders, late)[1] is None
    assert rules.next_due(drafts, reminders, due + timedelta(days=2)) == utc(2027, 5, 20, 9)


# Check-in nudges ---------------------------------------------------------------------------


@pytest.mark.parametrize(("cadence", "days"), [(Cadence.WEEKLY, 7), (Cadence.BIWEEKLY, 14), (Cadence.MONTHLY, 30)])
@pytest.mark.parametrize("tz", [NY, TOKYO])
def test_a_draft_with_targets_is_nudged_after_each_interval_without_a_check_in(
        cadence: Cadence, days: int, tz: str) -> None:
    from zoneinfo import ZoneInfo

    def nine(day: date) -> datetime:
        return datetime.combine(day, time(9), tzinfo=ZoneInfo(tz)).astimezone(UTC)

    created = nine(date(2027, 2, 1)) + timedelta(hours=3)
    drafts = [draft(targets=True, created=created)]
    reminders = Reminders(tz=tz, cadence=cadence)
    first = nine(date(2027, 2, 1) + timedelta(days=days))
    assert rules.next_due(drafts, reminders, created) == first
    assert rules.due_now(drafts, reminders, first - timedelta(minutes=1)) == []
    reminders, digest = claim_and_post(drafts, reminders, first)
    assert kinds(digest.items) == [("d1", ReminderKind.CHECK_IN, None)]
    assert reminders.due_at == nine(date(2027, 2, 1) + timedelta(days=2 * days))  # and again, still none


def test_the_default_cadence_is_every_two_weeks() -> None:
    assert Reminders().cadence is Cadence.BIWEEKLY
    drafts = [draft(targets=True)]
    assert rules.next_due(drafts, Reminders(tz="UTC"), CREATED) == utc(2027, 1, 15, 9)


def test_no_nudge_without_targets_or_with_the_cadence_off() -> None:
    assert rules.next_due([draft(targets=False)], Reminders(cadence=Cadence.WEEKLY), CREATED) is None
    assert rules.next_due([draft(targets=True)], Reminders(cadence=Cadence.OFF), CREATED) is None
    for days in (7, 14, 30, 60):
        assert rules.due_now([draft(targets=True)], Reminders(cadence=Cadence.OFF),
                             utc(2027, 1, 1, 9) + timedelta(days=days)) == []


def test_a_check_in_restarts_the_interval() -> None:
    checked = utc(2027, 1, 10, 16)
    drafts = [draft(targets=True, since=checked)]
    reminders = Reminders(tz="UTC", cadence=Cadence.WEEKLY)
    assert rules.due_now(drafts, reminders, utc(2027, 1, 8, 9)) == []  # due had there been no check-in
    assert rules.next_due(drafts, reminders, checked) == utc(2027, 1, 17, 9)
    _, digest = claim(drafts, reminders, utc(2027, 1, 17, 9))
    assert [item.due_at for item in digest.items] == [utc(2027, 1, 17, 9)]


def test_a_nudge_sent_is_not_sent_again_when_the_persons_timezone_changes() -> None:
    # The last check-in late in the evening, UTC: a different local day in Tokyo.
    drafts = [draft(targets=True, since=utc(2027, 3, 1, 23, 30))]
    london = Reminders(tz="Europe/London", cadence=Cadence.WEEKLY)
    after, digest = claim(drafts, london, utc(2027, 3, 8, 9))
    assert digest is not None
    tokyo = after.model_copy(update={"sending": None, "tz": "Asia/Tokyo"})
    for hour in range(0, 48, 3):  # the two days after, by Tokyo's clock
        assert rules.claimed(drafts, tokyo, utc(2027, 3, 8, 10) + timedelta(hours=hour))[1] is None


def test_a_date_at_the_end_of_the_calendar_or_a_pause_far_ahead_schedules_without_failing() -> None:
    far = [draft("d1", [date(9999, 12, 31), date(2027, 5, 20)], targets=True)]
    for tz in ("Europe/Berlin", "America/Los_Angeles", None):
        reminders = Reminders(tz=tz, cadence=Cadence.WEEKLY, paused_until=date(9999, 12, 1))
        assert rules.scheduled(far, reminders, utc(2027, 1, 8, 9)).due_at is not None  # the nudge after the pause
        assert rules.scheduled(far, Reminders(tz=tz), utc(2027, 1, 8, 9)).due_at is not None


def test_a_nudge_and_a_date_due_together_are_one_digest() -> None:
    drafts = [draft("d1", targets=True), draft("d2", [date(2027, 1, 22)])]
    _, digest = claim(drafts, Reminders(), utc(2027, 1, 15, 9))
    assert kinds(digest.items) == [("d1", ReminderKind.CHECK_IN, None),
                                   ("d2", ReminderKind.DATE_SOON, date(2027, 1, 22))]


# Off, pause, snooze, unreachable -----------------------------------------------------------


def test_off_stops_everything() -> None:
    drafts = [draft("d1", [date(2027, 5, 20)], targets=True)]
    off = Reminders(off=True, cadence=Cadence.WEEKLY)
    for now in (utc(2027, 1, 8, 9), utc(2027, 5, 13, 9), utc(2027, 5, 20, 9)):
        assert rules.due_now(drafts, off, now) == []
        assert rules.claimed(drafts, off, now)[1] is None
    assert rules.scheduled(drafts, off, CREATED).due_at is None
    assert rules.scheduled(drafts, Reminders(unreachable="user_not_found"), CREATED).due_at is None


def test_a_pause_drops_what_falls_due_during_it_except_what_is_within_its_day_when_it_ends() -> None:
    drafts = [draft("d1", [date(2027, 5, 20)]), draft("d2", [date(2027, 5, 27)])]
    paused = Reminders(paused_until=date(2027, 5, 21), tz=TOKYO)
    for now in (utc(2027, 5, 13, 0), utc(2027, 5, 20, 0)):  # 09:00 in Tokyo: d1's two, dropped ...
        assert rules.due_now(drafts, paused, now) == []
    assert rules.next_due(drafts, paused, utc(2027, 5, 13, 0)) == utc(2027, 5, 20, 23)  # ... but 08:00 on the 21st
    _, digest = claim(drafts, paused, utc(2027, 5, 20, 23))  # d1's on-the-day one: within its day still
    assert kinds(digest.items) == [("d1", ReminderKind.DATE_TODAY, date(2027, 5, 20)),
                                   ("d2", ReminderKind.DATE_SOON, date(2027, 5, 27))]


def test_snooze_brings_the_digest_and_what_falls_due_meanwhile_back_a_week_later_once() -> None:
    drafts = [draft("d1", [date(2027, 5, 20)]), draft("d2", [date(2027, 5, 22)])]
    now = utc(2027, 5, 13, 13)  # 09:00 in New York
    reminders = Reminders(tz=NY)
    state, digest = claim_and_post(drafts, reminders, now)
    assert kinds(digest.items) == [("d1", ReminderKind.DATE_SOON, date(2027, 5, 20))]
    state = rules.snoozed(drafts, state, digest.items, now + timedelta(minutes=10))
    week_later = utc(2027, 5, 20, 13)
    assert state.snoozed_until == week_later and state.due_at == week_later
    assert rules.due_now(drafts, state, utc(2027, 5, 15, 13)) == []  # d2's week-before: held
    state, back = claim_and_post(drafts, state, week_later)
    assert kinds(back.items) == [("d1", ReminderKind.DATE_SOON, date(2027, 5, 20)),
                                 ("d2", ReminderKind.DATE_SOON, date(2027, 5, 22)),
                                 ("d1", ReminderKind.DATE_TODAY, date(2027, 5, 20))]
    assert kinds(rules.digest_items(back.items)) == [("d2", ReminderKind.DATE_SOON, date(2027, 5, 22)),
                                                    ("d1", ReminderKind.DATE_TODAY, date(2027, 5, 20))]
    for later in (week_later + timedelta(hours=1), week_later + timedelta(hours=20)):
        assert rules.claimed(drafts, state, later)[1] is None  # once
    assert state.due_at == utc(2027, 5, 22, 13)  # d2's own day is not held: it falls after the snooze


@pytest.mark.parametrize("cadence", [Cadence.WEEKLY, Cadence.BIWEEKLY, Cadence.MONTHLY])
def test_a_snoozed_check_in_nudge_comes_back_a_week_later(cadence: Cadence) -> None:
    drafts = [draft(targets=True)]
    reminders = Reminders(tz="UTC", cadence=cadence)
    due = rules.next_due(drafts, reminders, CREATED)
    assert due is not None
    state, digest = claim_and_post(drafts, reminders, due)
    state = rules.snoozed(drafts, state, digest.items, due + timedelta(minutes=5))
    assert state.due_at == due + timedelta(days=7)
    _, back = claim(drafts, state, due + timedelta(days=7))
    assert [item.key for item in back.items][:1] == [digest.items[0].key]


def test_unreachable_stops_reminders_until_they_come_back() -> None:
    drafts = [draft(dates=[date(2027, 5, 20)])]
    state, _ = claim(drafts, Reminders(tz="UTC"), utc(2027, 5, 13, 9))
    gone = rules.unreachable(state, "cannot_dm_bot")
    assert gone.sending is None and gone.due_at is None and gone.unreachable == "cannot_dm_bot"
    assert rules.claimed(drafts, gone, utc(2027, 5, 20, 9))[1] is None
    back = rules.scheduled(drafts, gone.model_copy(update={"unreachable": None}), utc(2027, 5, 14, 9))
    assert back.due_at == utc(2027, 5, 20, 9)


# What a digest shows, and keeping the schedule -----------------------------------------------


def test_digest_items_let_the_on_the_day_reminder_stand_for_the_week_before_of_the_same_date() -> None:
    day, other = date(2027, 5, 20), date(2027, 5, 27)

    def item(name: str, kind: ReminderKind, on: date | None) -> ReminderItem:
        return ReminderItem(key=f"{name}:{kind.value}:{on}", draft=name, kind=kind, due_at=utc(2027, 5, 20, 9), day=on)

    digest = [item("d1", ReminderKind.DATE_SOON, day), item("d1", ReminderKind.DATE_TODAY, day),
              item("d1", ReminderKind.DATE_SOON, other), item("d2", ReminderKind.DATE_SOON, day),
              item("d1", ReminderKind.CHECK_IN, None)]
    assert kinds(rules.digest_items(digest)) == [
        ("d1", ReminderKind.DATE_TODAY, day), ("d1", ReminderKind.DATE_SOON, other),
        ("d2", ReminderKind.DATE_SOON, day), ("d1", ReminderKind.CHECK_IN, None)]


def test_scheduled_sets_the_next_due_time_and_forgets_old_sent_keys() -> None:
    drafts = [draft(dates=[date(2027, 5, 20)])]
    now = utc(2027, 5, 1, 12)
    old, recent = now - SENT_KEPT - timedelta(seconds=1), now - SENT_KEPT + timedelta(seconds=1)
    state = rules.scheduled(drafts, Reminders(tz="UTC", sent={"x:old": old, "x:recent": recent}), now)
    assert state.sent == {"x:recent": recent}
    assert state.due_at == utc(2027, 5, 13, 9)
    assert rules.scheduled(drafts, state, utc(2027, 5, 21, 10)).due_at is None  # nothing more
    assert rules.scheduled([], Reminders(due_at=now), now).due_at is None


def test_nudges_start_again_after_a_long_pause() -> None:
    drafts = [draft(targets=True)]
    paused = Reminders(tz="UTC", cadence=Cadence.MONTHLY, paused_until=date(2027, 4, 1))
    # Due 01-31 and 03-02, both dropped; 04-01 is the first nudge after the pause.
    assert rules.next_due(drafts, paused, CREATED) == utc(2027, 4, 1, 9)
    assert rules.due_now(drafts, paused, utc(2027, 1, 31, 9)) == []
    _, digest = claim(drafts, paused, utc(2027, 4, 1, 9))
    assert kinds(digest.items) == [("d1", ReminderKind.CHECK_IN, None)]


def test_a_nudge_sent_under_one_cadence_neither_silences_nor_repeats_another() -> None:
    drafts = [draft(targets=True)]  # made on 1 Jan 2027, 12:00 UTC
    weekly = Reminders(tz="UTC", cadence=Cadence.WEEKLY)
    after_week, _ = claim_and_post(drafts, weekly, utc(2027, 1, 8, 9))
    biweekly = after_week.model_copy(update={"cadence": Cadence.BIWEEKLY})
    assert rules.scheduled(drafts, biweekly, utc(2027, 1, 8, 10)).due_at == utc(2027, 1, 15, 9)  # not silenced
    after_fortnight, _ = claim_and_post(drafts, Reminders(tz="UTC"), utc(2027, 1, 15, 9))
    weekly_again = after_fortnight.model_copy(update={"cadence": Cadence.WEEKLY})
    assert rules.claimed(drafts, weekly_again, utc(2027, 1, 15, 10))[1] is None  # day 14 was sent: not again
    assert rules.scheduled(drafts, weekly_again, utc(2027, 1, 15, 10)).due_at == utc(2027, 1, 22, 9)


def test_a_digest_whose_sender_died_is_let_go_while_a_snooze_holds_it() -> None:
    drafts = [draft(dates=[date(2027, 5, 20)])]
    state, digest = claim(drafts, Reminders(tz="UTC"), utc(2027, 5, 13, 9))
    snoozing = state.model_copy(update={"snoozed_from": utc(2027, 5, 13, 9), "snoozed_until": utc(2027, 5, 20, 9)})
    later = utc(2027, 5, 13, 9) + rules.POSTING_LEASE
    released, again = rules.reclaimed(drafts, snoozing, digest.id, later)
    assert again is None and released.sending is None and digest.items[0].key not in released.sent
    kept, ok = rules.reclaimed(drafts, state, digest.id, later)  # no snooze: claimed again, lease anew
    assert ok is not None and ok.id == digest.id and kept.sending == ok and ok.claimed_at == later
