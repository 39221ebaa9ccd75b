"""Reminding, without Slack, on the file stores and the shipped canon: a draft filled through
`Drafting.save` is scheduled, claimed once, posted, and reminded of again on the day; off,
snooze, pause, a check-in and an unreachable person change what is claimed and when."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.canon.repository import CanonRepository
from bot.frames.frameworks import Framework
from bot.frames.model import PlaceholderKind
from bot.goals.check_ins.rules import Typed
from bot.goals.drafts.drafting import CheckedIn, Drafting, Saved, Target
from bot.goals.fields import placeholder_fields
from bot.goals.model import Cadence, Digest, Owner, ReminderKind
from bot.goals.reminders.reminding import Reminding
from bot.goals.reminders.rules import POSTING_LEASE, Remindable, digest_items
from bot.store.draft_files import DraftFiles
from bot.store.profile_files import ProfileFiles

PAT = Owner(team="T1", user="UPAT")
SAM = Owner(team="T1", user="USAM")
# `Drafting.save` checks dates against today and the store stamps the real clock: real dates.
NOW = datetime.now(UTC).replace(microsecond=0)
DAY = NOW.date() + timedelta(days=30)


def nine(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=UTC)


@pytest.fixture
def reminding(repository: CanonRepository, tmp_path: Path) -> Reminding:
    return Reminding(Drafting(repository, DraftFiles(tmp_path)), ProfileFiles(tmp_path / ".profiles"))


def keys(reminding: Reminding, kind: PlaceholderKind) -> list[str]:
    frame = reminding.drafting.frame("clinical-trials-ops", "M2", Framework.OKR)
    assert frame is not None
    return [field.key for field in placeholder_fields(frame) if field.kind is kind]


def fill(reminding: Reminding, draft: str, *, day: date | None = DAY, target: str | None = None,
         owner: Owner = PAT) -> str:
    entries = {}
    if day is not None:
        entries[keys(reminding, PlaceholderKind.DATE)[0]] = day.isoformat()
    if target is not None:
        entries[keys(reminding, PlaceholderKind.TARGET)[0]] = target
    result = reminding.drafting.save(owner, Target(draft=draft, family="clinical-trials-ops", level="M2",
                                                   framework=Framework.OKR, new=True), entries, None, NOW)
    assert isinstance(result, Saved), result
    return result.draft.id


def claimed(reminding: Reminding, now: datetime, owner: Owner = PAT) -> Digest:
    digest = reminding.claim(owner, now)
    assert digest is not None, f"nothing claimed at {now}"
    return digest


def shown(digest: Digest) -> list[tuple[str, ReminderKind, date | None]]:
    return [(item.draft, item.kind, item.day) for item in digest.items]


def test_a_filled_date_is_scheduled_claimed_once_posted_and_due_again_on_the_day(reminding: Reminding) -> None:
    draft = fill(reminding, "d1")
    week_before = nine(DAY - timedelta(days=7))
    assert reminding.reschedule(PAT, NOW, tz="UTC").due_at == week_before
    assert reminding.due(week_before - timedelta(minutes=1), 10) == ()
    assert reminding.due(week_before, 10) == (PAT,)
    assert reminding.claim(PAT, week_before - timedelta(minutes=1)) is None

    digest = claimed(reminding, week_before)
    assert shown(digest) == [(draft, ReminderKind.DATE_SOON, DAY)]
    assert reminding.claim(PAT, week_before) is None  # claimed once
    assert reminding.reminders(PAT).sending == digest
    assert reminding.stale(PAT, week_before + POSTING_LEASE) == digest

    reminding.posted(PAT, digest.id, "D1", week_before + timedelta(seconds=2))
    stored = reminding.reminders(PAT)
    assert stored.sending is None and stored.last_digest == digest and stored.dm_channel == "D1"
    assert stored.due_at == nine(DAY)
    assert reminding.stale(PAT, week_before + POSTING_LEASE) is None
    assert reminding.claim(PAT, week_before + timedelta(hours=1)) is None  # never twice

    on_the_day = claimed(reminding, nine(DAY))
    assert shown(on_the_day) == [(draft, ReminderKind.DATE_TODAY, DAY)]


def test_two_drafts_due_at_once_are_one_digest(reminding: Reminding) -> None:
    first, second = fill(reminding, "d1"), fill(reminding, "d2")
    fill(reminding, "d3", day=DAY + timedelta(days=3))
    reminding.reschedule(PAT, NOW)
    digest = claimed(reminding, nine(DAY - timedelta(days=7)))
    assert sorted(shown(digest)) == sorted([(first, ReminderKind.DATE_SOON, DAY),
                                            (second, ReminderKind.DATE_SOON, DAY)])


def test_a_released_digest_is_claimed_again(reminding: Reminding) -> None:
    fill(reminding, "d1")
    reminding.reschedule(PAT, NOW)
    due = nine(DAY - timedelta(days=7))
    digest = claimed(reminding, due)
    reminding.released(PAT, digest.id, due + timedelta(seconds=5))
    assert reminding.reminders(PAT).sending is None
    again = claimed(reminding, due + timedelta(minutes=1))
    assert again.items == digest.items and again.id != digest.id


def test_off_stops_claims_and_on_brings_them_back(reminding: Reminding) -> None:
    fill(reminding, "d1")
    reminding.reschedule(PAT, NOW, tz="UTC")
    off = reminding.turn(PAT, on=False, now=NOW)
    assert off.off and off.due_at is None
    assert reminding.due(nine(DAY), 10) == ()
    assert reminding.claim(PAT, nine(DAY - timedelta(days=7))) is None
    assert reminding.claim(PAT, nine(DAY)) is None
    assert reminding.turn(PAT, on=True, now=NOW).due_at == nine(DAY - timedelta(days=7))
    assert shown(claimed(reminding, nine(DAY)))[0][1] is ReminderKind.DATE_TODAY


def test_snooze_brings_the_reminder_back_a_week_later_once(reminding: Reminding) -> None:
    draft = fill(reminding, "d1")
    reminding.reschedule(PAT, NOW, tz="UTC")
    due = nine(DAY - timedelta(days=7))
    digest = claimed(reminding, due)
    reminding.posted(PAT, digest.id, "D1", due)
    snoozed = reminding.snooze(PAT, digest.id, due + timedelta(minutes=3))
    assert snoozed.snoozed_until == nine(DAY) and snoozed.due_at == nine(DAY)
    assert reminding.claim(PAT, due + timedelta(hours=1)) is None
    back = claimed(reminding, nine(DAY))
    assert shown(back) == [(draft, ReminderKind.DATE_SOON, DAY), (draft, ReminderKind.DATE_TODAY, DAY)]
    assert [(item.kind, item.day) for item in digest_items(back.items)] == [(ReminderKind.DATE_TODAY, DAY)]
    reminding.posted(PAT, back.id, "D1", nine(DAY))
    assert reminding.claim(PAT, nine(DAY) + timedelta(hours=2)) is None


def test_a_pause_drops_what_falls_due_during_it(reminding: Reminding) -> None:
    draft = fill(reminding, "d1")
    reminding.reschedule(PAT, NOW, tz="UTC")
    paused = reminding.pause_until(PAT, DAY + timedelta(days=1), NOW)
    assert paused.due_at == datetime.combine(DAY + timedelta(days=1), time(8), tzinfo=UTC)  # still within its day
    assert reminding.claim(PAT, nine(DAY - timedelta(days=7))) is None
    assert reminding.claim(PAT, nine(DAY)) is None
    assert shown(claimed(reminding, paused.due_at)) == [(draft, ReminderKind.DATE_TODAY, DAY)]


def test_unreachable_until_they_come_back(reminding: Reminding) -> None:
    fill(reminding, "d1")
    reminding.reschedule(PAT, NOW, tz="UTC")
    due = nine(DAY - timedelta(days=7))
    claimed(reminding, due)
    reminding.unreachable(PAT, "cannot_dm_bot")
    gone = reminding.reminders(PAT)
    assert gone.unreachable == "cannot_dm_bot" and gone.due_at is None and gone.sending is None
    assert reminding.claim(PAT, nine(DAY)) is None
    assert reminding.reschedule(PAT, NOW).due_at is None  # a save does not say Slack can reach them
    back = reminding.reschedule(PAT, due + timedelta(hours=1), came_back=True)
    assert back.unreachable is None and back.due_at == nine(DAY)
    assert shown(claimed(reminding, nine(DAY)))[0][1] is ReminderKind.DATE_TODAY


def test_came_back_reschedules_only_the_unreachable(reminding: Reminding) -> None:
    fill(reminding, "d1")
    reminding.reschedule(PAT, NOW, tz="UTC")
    reminding.unreachable(PAT, "user_not_found")
    reminding.came_back(PAT, NOW)
    assert reminding.reminders(PAT).due_at == nine(DAY - timedelta(days=7))


def test_a_draft_with_targets_is_nudged_by_cadence_and_a_check_in_restarts_it(reminding: Reminding) -> None:
    draft = fill(reminding, "d1", day=None, target="12 sites")
    created_day = NOW.date()
    biweekly = reminding.reschedule(PAT, NOW, tz="UTC")  # the default
    assert biweekly.due_at == nine(created_day + timedelta(days=14))
    assert reminding.set_cadence(PAT, Cadence.WEEKLY, NOW).due_at == nine(created_day + timedelta(days=7))
    assert reminding.set_cadence(PAT, Cadence.MONTHLY, NOW).due_at == nine(created_day + timedelta(days=30))
    assert reminding.set_cadence(PAT, Cadence.OFF, NOW).due_at is None
    reminding.set_cadence(PAT, Cadence.WEEKLY, NOW)

    checked_at = NOW + timedelta(days=3)
    result = reminding.drafting.check_in(PAT, draft, "c1", {keys(reminding, PlaceholderKind.TARGET)[0]:
                                                            Typed(value="4 sites", status="on_track")}, checked_at)
    assert isinstance(result, CheckedIn), result
    found = reminding.remindable(result.draft)
    assert found is not None and found.since == checked_at and found.has_targets
    assert reminding.reschedule(PAT, checked_at).due_at == nine(checked_at.date() + timedelta(days=7))
    assert reminding.claim(PAT, nine(created_day + timedelta(days=7))) is None
    digest = claimed(reminding, nine(checked_at.date() + timedelta(days=7)))
    assert shown(digest) == [(draft, ReminderKind.CHECK_IN, None)]


def test_the_timezone_slack_gives_is_used_and_kept(reminding: Reminding) -> None:
    fill(reminding, "d1")
    reminding.reschedule(PAT, NOW)
    tokyo_nine = datetime.combine(DAY - timedelta(days=7), time(0), tzinfo=UTC)  # 09:00 in Tokyo
    assert reminding.claim(PAT, tokyo_nine, tz="Asia/Tokyo") is not None
    stored = reminding.reminders(PAT)
    assert stored.tz == "Asia/Tokyo"
    assert stored.due_at == tokyo_nine + POSTING_LEASE  # the lease of the digest being posted


def test_a_timezone_not_known_yet_is_asked_at_the_next_sweep_then_kept(reminding: Reminding) -> None:
    draft = fill(reminding, "d1")
    week_before = DAY - timedelta(days=7)
    assert reminding.reschedule(PAT, NOW).due_at == NOW  # due at once: to be asked
    assert reminding.reminders(PAT).tz is None
    assert reminding.due(NOW, 10) == (PAT,)
    assert reminding.claim(PAT, NOW, tz="Asia/Tokyo") is None  # asked: nothing due yet
    tokyo_nine = datetime.combine(week_before, time(0), tzinfo=UTC)  # 09:00 in Tokyo
    stored = reminding.reminders(PAT)
    assert stored.tz == "Asia/Tokyo" and stored.due_at == tokyo_nine and stored.sent == {}
    assert reminding.due(NOW + timedelta(minutes=1), 10) == ()
    digest = reminding.claim(PAT, tokyo_nine, tz="Asia/Tokyo")
    assert digest is not None and shown(digest) == [(draft, ReminderKind.DATE_SOON, DAY)]


def test_a_timezone_slack_will_not_say_is_utc_from_then_on_so_the_schedule_and_the_claim_agree(
        reminding: Reminding) -> None:
    draft = fill(reminding, "d1")
    assert reminding.reschedule(PAT, NOW).due_at == NOW
    assert reminding.claim(PAT, NOW, tz=None) is None
    utc_nine = datetime.combine(DAY - timedelta(days=7), time(9), tzinfo=UTC)
    stored = reminding.reminders(PAT)
    assert stored.tz == "UTC" and stored.due_at == utc_nine  # not looked at again every sweep till then
    digest = reminding.claim(PAT, utc_nine, tz=None)
    assert digest is not None and shown(digest) == [(draft, ReminderKind.DATE_SOON, DAY)]


def test_reschedule_keeps_the_timezone_it_is_given_and_schedules_by_it(reminding: Reminding) -> None:
    fill(reminding, "d1")
    new_york_nine = datetime.combine(DAY - timedelta(days=7), time(9),
                                     tzinfo=ZoneInfo("America/New_York")).astimezone(UTC)
    stored = reminding.reschedule(PAT, NOW, tz="America/New_York")
    assert stored.tz == "America/New_York" and stored.due_at == new_york_nine
    assert reminding.reminders(PAT) == stored
    assert reminding.reschedule(PAT, NOW).tz == "America/New_York"  # kept when a save does not say
    assert reminding.claim(PAT, new_york_nine - timedelta(minutes=1)) is None
    assert shown(claimed(reminding, new_york_nine))[0][1] is ReminderKind.DATE_SOON


def test_someone_with_no_drafts_has_no_profile_made_and_nothing_claimed(reminding: Reminding) -> None:
    assert reminding.reschedule(SAM, NOW).due_at is None
    assert reminding.profiles.get(SAM) is None
    assert reminding.claim(SAM, NOW) is None
    assert reminding.profiles.get(SAM) is None


def test_a_sweep_that_read_the_drafts_before_a_save_never_writes_over_the_saves_schedule(
        reminding: Reminding, monkeypatch: pytest.MonkeyPatch) -> None:
    fill(reminding, "d1")
    reminding.reschedule(PAT, NOW, tz="UTC")
    sooner = NOW.date() + timedelta(days=9)  # its week-before reminder comes before d1's
    read = reminding.remindables
    calls = []

    def read_then_a_save_lands(owner: Owner) -> list[Remindable]:
        found = read(owner)
        calls.append(len(found))
        if len(calls) == 1:  # between the sweep's read and its change: a save and its reschedule
            fill(reminding, "d2", day=sooner)
            monkeypatch.setattr(reminding, "remindables", read)
            reminding.reschedule(PAT, NOW)
            monkeypatch.setattr(reminding, "remindables", read_then_a_save_lands)
        return found

    monkeypatch.setattr(reminding, "remindables", read_then_a_save_lands)
    assert reminding.claim(PAT, NOW) is None  # nothing due yet; the claim only schedules
    assert calls == [1, 2]  # read again once the profile had changed under it
    assert reminding.reminders(PAT).due_at == nine(sooner - timedelta(days=7))


def test_a_save_whose_reschedule_changes_nothing_still_makes_a_racing_posted_read_again(
        reminding: Reminding, monkeypatch: pytest.MonkeyPatch) -> None:
    fill(reminding, "d1")
    reminding.reschedule(PAT, NOW, tz="UTC")
    week_before = nine(DAY - timedelta(days=7))
    digest = reminding.claim(PAT, week_before)
    assert digest is not None  # being posted: due_at is held at its lease, whatever a save adds
    sooner = DAY + timedelta(days=3)  # d2's week-before reminder: after d1's, before d1's on the day
    read = reminding.remindables
    calls = []

    def read_then_a_save_lands(owner: Owner) -> list[Remindable]:
        found = read(owner)
        calls.append(len(found))
        if len(calls) == 1:
            fill(reminding, "d2", day=sooner)
            monkeypatch.setattr(reminding, "remindables", read)
            reminding.reschedule(PAT, week_before)
            monkeypatch.setattr(reminding, "remindables", read_then_a_save_lands)
        return found

    monkeypatch.setattr(reminding, "remindables", read_then_a_save_lands)
    reminding.posted(PAT, digest.id, "DUPAT", week_before)
    assert calls == [1, 2]
    assert reminding.reminders(PAT).due_at == nine(sooner - timedelta(days=7))
