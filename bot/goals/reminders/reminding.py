"""Reminding: a person's reminder schedule, claiming what is due, and their settings.

Between the Slack layer and the stores, as `Drafting` is: the rules are in
`bot.goals.reminders.rules`; here they are applied to a person's drafts and profile, each change
one `ProfileStore.change` (one transaction, one lock), so the claim of a digest and the
record that its items are sent are one write, and settings changed on one host are what
every host's next claim reads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from bot.frames.model import PlaceholderKind
from bot.goals.check_ins.rules import last_check_in
from bot.goals.drafts.drafting import Drafting
from bot.goals.fields import placeholder_kinds
from bot.goals.model import Cadence, Digest, Draft, Owner, Profile, Reminders
from bot.goals.reminders import rules
from bot.goals.reminders.rules import Remindable
from bot.goals.storage import ProfileStore

ATTEMPTS = 5  # reads of the drafts before a change goes ahead with what the last one read
Creates = Callable[[Sequence[Remindable]], bool]  # given the person's drafts: make them a profile?


def never(_: Sequence[Remindable]) -> bool:
    return False


def always(_: Sequence[Remindable]) -> bool:
    return True


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


class Reminding:
    def __init__(self, drafting: Drafting, profiles: ProfileStore) -> None:
        self.drafting = drafting
        self.profiles = profiles

    def remindable(self, draft: Draft) -> Remindable | None:
        """What reminders need of a draft; None once the canon no longer has its frame (its
        placeholders, dates and targets, are no longer known as such)."""
        frame = self.drafting.frame(draft.family, draft.level, draft.framework, draft.for_family, draft.for_level)
        if frame is None:
            return None
        kinds = placeholder_kinds(frame)
        dates = frozenset(day for key, value in draft.values.items()
                          if kinds.get(key) is PlaceholderKind.DATE and (day := _day(value)) is not None)
        has_targets = any(kinds.get(key) is PlaceholderKind.TARGET and value for key, value in draft.values.items())
        return Remindable(draft=draft.id, dates=dates, has_targets=has_targets, created_at=draft.created_at,
                          since=last_check_in(draft) or draft.created_at)

    def remindables(self, owner: Owner) -> list[Remindable]:
        return [found for draft in self.drafting.store.list(owner) if (found := self.remindable(draft))]

    def reminders(self, owner: Owner) -> Reminders:
        profile = self.profiles.get(owner)
        return profile.reminders if profile else Reminders()

    def _apply(self, owner: Owner, change: Callable[[Sequence[Remindable], Reminders], Reminders], *,
               create: Creates = never, force: bool = False) -> Reminders:
        """Change the person's reminders with their drafts as they are now, in one profile
        change. The drafts are read first, outside the profile's lock (a store's locks are
        never nested); if the profile changed meanwhile (a save's reschedule, another host's
        claim), they are read again, so no change is made from drafts older than the last
        one's. `create`: whether, with the drafts read, to make a profile for someone who has
        none. `force`: write even if
        nothing changed, so a change that read older drafts meanwhile sees the profile move."""
        for attempt in range(1, ATTEMPTS + 1):
            done, stored = self._attempt(owner, change, create=create, force=force, last=attempt == ATTEMPTS)
            if done:
                return stored
        raise AssertionError("the last attempt always goes ahead")  # pragma: no cover

    def _attempt(self, owner: Owner, change: Callable[[Sequence[Remindable], Reminders], Reminders], *,
                 create: Creates, force: bool, last: bool) -> tuple[bool, Reminders]:
        """One try of `_apply`: False if the profile changed since the drafts were read."""
        seen = self.profiles.get(owner)
        drafts = self.remindables(owner)
        raced = False
        current = Reminders()  # as the store holds them, when nothing is written

        def edit(profile: Profile | None) -> Profile | None:
            nonlocal raced, current
            if not last and profile != seen:
                raced = True
                return None
            current = profile.reminders if profile else Reminders()
            if profile is None and not create(drafts):
                return None
            base = profile or Profile(owner=owner)
            changed = change(drafts, base.reminders)
            if profile is not None and changed == profile.reminders and not force:
                return None  # nothing to write
            return base.model_copy(update={"reminders": changed})

        stored = self.profiles.change(owner, edit)
        return not raced, stored.reminders if stored else current

    def _settle(self, owner: Owner, now: datetime, update: dict[str, object], *, create: Creates,
                force: bool = False) -> Reminders:
        """`update` applied, and the reminders scheduled again."""
        return self._apply(owner, lambda drafts, reminders: rules.scheduled(
            drafts, reminders.model_copy(update=update), now), create=create, force=force)

    def reschedule(self, owner: Owner, now: datetime, *, came_back: bool = False, tz: str | None = None) -> Reminders:
        """After the person's drafts changed (a save, a check-in, a delete): when their next
        reminder is due. `came_back`: they used Goals, so Slack can reach them again. `tz`:
        their timezone, where the Slack layer has just learned it (a form). A profile is made
        only when there is something to remember."""
        update: dict[str, object] = {"unreachable": None} if came_back else {}
        if tz and len(tz) <= 64:
            update["tz"] = tz
        # Written even when nothing changes: a sweep that read the drafts before this save
        # then sees the profile move and reads them again (see `_apply`).
        return self._settle(owner, now, update, create=lambda drafts: bool(update or drafts), force=True)

    def came_back(self, owner: Owner, now: datetime) -> None:
        """They opened Goals: if Slack could not reach them before, it can now."""
        if self.reminders(owner).unreachable:
            self.reschedule(owner, now, came_back=True)

    # The sweep ---------------------------------------------------------------------------

    def claim(self, owner: Owner, now: datetime, tz: str | None = None) -> Digest | None:
        """Claim what is due for the person at `now` as one digest, recorded as sent in the
        same change; None if nothing is (or another digest is still being posted). `tz`:
        their timezone as Slack says it now (None: Slack would not say)."""
        claimed: list[Digest] = []

        def change(drafts: Sequence[Remindable], reminders: Reminders) -> Reminders:
            # Still not known (Slack would not say): UTC from now on, so the schedule and the
            # claim agree; the next sweep that hears from Slack puts their own in its place.
            known = reminders.model_copy(update={"tz": tz or reminders.tz or "UTC"})
            changed, digest = rules.claimed(drafts, known, now)
            claimed[:] = [digest] if digest else []
            return changed

        self._apply(owner, change)
        return claimed[0] if claimed else None

    def stale(self, owner: Owner, now: datetime) -> Digest | None:
        """A digest claimed and not recorded as posted for longer than its lease."""
        return rules.stale_sending(self.reminders(owner), now)

    def reclaim(self, owner: Owner, digest_id: str, now: datetime) -> Digest | None:
        """A stale digest, not found in the person's DM, to post after all: claimed again (its
        lease begun anew) in one change, so one sender only posts it; None, and it is let go,
        if it should no longer be sent now (reminders off, quiet hours, its time passed)."""
        claimed: list[Digest] = []

        def change(drafts: Sequence[Remindable], reminders: Reminders) -> Reminders:
            changed, digest = rules.reclaimed(drafts, reminders, digest_id, now)
            claimed[:] = [digest] if digest else []
            return changed

        self._apply(owner, change)
        return claimed[0] if claimed else None

    def posted(self, owner: Owner, digest_id: str, channel: str | None, now: datetime) -> None:
        self._apply(owner, lambda drafts, reminders: rules.posted(drafts, reminders, digest_id, channel, now))

    def released(self, owner: Owner, digest_id: str, now: datetime) -> None:
        self._apply(owner, lambda drafts, reminders: rules.released(drafts, reminders, digest_id, now))

    def unreachable(self, owner: Owner, why: str) -> None:
        self._apply(owner, lambda _, reminders: rules.unreachable(reminders, why))

    # The person's settings ---------------------------------------------------------------

    def set_cadence(self, owner: Owner, cadence: Cadence, now: datetime) -> Reminders:
        return self._settle(owner, now, {"cadence": cadence}, create=always)

    def pause_until(self, owner: Owner, day: date | None, now: datetime) -> Reminders:
        return self._settle(owner, now, {"paused_until": day}, create=always)

    def turn(self, owner: Owner, *, on: bool, now: datetime) -> Reminders:
        """Off stops every reminder at once (a digest being posted is let go); on again also
        ends a pause and a snooze."""
        update: dict[str, object] = {"off": not on}
        if on:
            update.update(paused_until=None, snoozed_from=None, snoozed_until=None)
        else:
            update["sending"] = None
        return self._settle(owner, now, update, create=always)

    def snooze(self, owner: Owner, digest_id: str, now: datetime) -> Reminders:
        """"Snooze a week" on a reminder: it comes back, with whatever else falls due, in a week."""

        def change(drafts: Sequence[Remindable], reminders: Reminders) -> Reminders:
            # The digest clicked, as the store has it now: posted, or still being recorded so.
            shown = [found for found in (reminders.last_digest, reminders.sending)
                     if found is not None and found.id == digest_id]
            return rules.snoozed(drafts, reminders, shown[0].items if shown else [], now)

        return self._apply(owner, change)

    def due(self, now: datetime, limit: int) -> Sequence[Owner]:
        return self.profiles.due(now, limit)
