"""Reminding: a person's reminder schedule, claiming what is due, and their settings.

Between the Slack layer and the stores, as `Drafting` is: the rules are in
`bot.drafts.reminders`; here they are applied to a person's drafts and profile, each change
one `ProfileStore.change` (one transaction, one lock), so the claim of a digest and the
record that its items are sent are one write, and settings changed on one host are what
every host's next claim reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.drafts import reminders as rules
from bot.drafts.check_ins import last_check_in
from bot.drafts.fields import placeholder_kinds
from bot.drafts.model import Cadence, Digest, Draft, Owner, Profile, Reminders
from bot.drafts.reminders import Remindable
from bot.drafts.service import Drafting
from bot.drafts.storage import ProfileStore
from bot.frames.model import PlaceholderKind


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

    def _change(self, owner: Owner, drafts: Sequence[Remindable], now: datetime,
                update: dict[str, object] | None = None) -> Reminders:
        """Apply `update` to the person's reminders and schedule them again; a profile is made
        only when there is something to remember."""

        def edit(profile: Profile | None) -> Profile | None:
            if profile is None and not drafts and not update:
                return None
            base = profile or Profile(owner=owner)
            changed = rules.scheduled(drafts, base.reminders.model_copy(update=update or {}), now)
            if profile is not None and changed == profile.reminders:
                return None  # nothing to write
            return base.model_copy(update={"reminders": changed})

        stored = self.profiles.change(owner, edit)
        return stored.reminders if stored else self.reminders(owner)

    def reschedule(self, owner: Owner, now: datetime, *, came_back: bool = False, tz: str | None = None) -> Reminders:
        """After the person's drafts changed (a save, a check-in, a delete): when their next
        reminder is due. `came_back`: they used Goals, so Slack can reach them again. `tz`:
        their timezone, where the Slack layer has just learned it (a form)."""
        update: dict[str, object] = {"unreachable": None} if came_back else {}
        if tz and len(tz) <= 64:
            update["tz"] = tz
        return self._change(owner, self.remindables(owner), now, update or None)

    def came_back(self, owner: Owner, now: datetime) -> None:
        """They opened Goals: if Slack could not reach them before, it can now."""
        if self.reminders(owner).unreachable:
            self.reschedule(owner, now, came_back=True)

    # The sweep ---------------------------------------------------------------------------

    def claim(self, owner: Owner, now: datetime, tz: str | None = None) -> Digest | None:
        """Claim what is due for the person at `now` as one digest, recorded as sent in the
        same change; None if nothing is (or another digest is still being posted). `tz`:
        their timezone as Slack says it now (None: Slack would not say)."""
        drafts = self.remindables(owner)
        claimed: list[Digest] = []

        def edit(profile: Profile | None) -> Profile | None:
            if profile is None:
                return None
            # Still not known (Slack would not say): UTC from now on, so the schedule and the
            # claim agree; the next sweep that hears from Slack puts their own in its place.
            known = tz or profile.reminders.tz or "UTC"
            reminders = profile.reminders.model_copy(update={"tz": known})
            changed, digest = rules.claimed(drafts, reminders, now)
            claimed[:] = [digest] if digest else []
            return None if changed == profile.reminders else profile.model_copy(update={"reminders": changed})

        self.profiles.change(owner, edit)
        return claimed[0] if claimed else None

    def stale(self, owner: Owner, now: datetime) -> Digest | None:
        """A digest claimed and not recorded as posted for longer than its lease."""
        return rules.stale_sending(self.reminders(owner), now)

    def posted(self, owner: Owner, digest_id: str, channel: str | None, now: datetime) -> None:
        drafts = self.remindables(owner)
        self._edit(owner, lambda reminders: rules.posted(drafts, reminders, digest_id, channel, now))

    def released(self, owner: Owner, digest_id: str, now: datetime) -> None:
        drafts = self.remindables(owner)
        self._edit(owner, lambda reminders: rules.released(drafts, reminders, digest_id, now))

    def unreachable(self, owner: Owner, why: str) -> None:
        self._edit(owner, lambda reminders: rules.unreachable(reminders, why))

    def _edit(self, owner: Owner, change: rules.Change) -> None:
        def edit(profile: Profile | None) -> Profile | None:
            if profile is None:
                return None
            changed = change(profile.reminders)
            return None if changed == profile.reminders else profile.model_copy(update={"reminders": changed})

        self.profiles.change(owner, edit)

    # The person's settings ---------------------------------------------------------------

    def set_cadence(self, owner: Owner, cadence: Cadence, now: datetime) -> Reminders:
        return self._change(owner, self.remindables(owner), now, {"cadence": cadence})

    def pause_until(self, owner: Owner, day: date | None, now: datetime) -> Reminders:
        return self._change(owner, self.remindables(owner), now, {"paused_until": day})

    def turn(self, owner: Owner, *, on: bool, now: datetime) -> Reminders:
        """Off stops every reminder at once; on again also ends a pause and a snooze."""
        update: dict[str, object] = {"off": not on}
        if on:
            update.update(paused_until=None, snoozed_from=None, snoozed_until=None)
        return self._change(owner, self.remindables(owner), now, update)

    def snooze(self, owner: Owner, digest_id: str, now: datetime) -> Reminders:
        """"Snooze a week" on a reminder: it comes back, with whatever else falls due, in a week."""
        drafts = self.remindables(owner)
        current = self.reminders(owner)
        last = current.last_digest
        items = last.items if last is not None and last.id == digest_id else []
        self._edit(owner, lambda reminders: rules.snoozed(drafts, reminders, items, now))
        return self.reminders(owner)

    def due(self, now: datetime, limit: int) -> Sequence[Owner]:
        return self.profiles.due(now, limit)
