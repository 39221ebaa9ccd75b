"""Drafting: starting, filling, listing and deleting a person's drafts.

Between the Slack layer and the store: it knows the canon (to build each draft's frame)
and the store (to keep the values), and nothing of Slack, so every rule here is tested
without Slack. Callers pass the owner, taken from the signed request, and the current
time; results are domain values (saved, refused with errors, gone) that the Slack layer
turns into forms and messages.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.canon.repository import CanonRepository
from bot.frames.build import build_frame, stretch_frame
from bot.frames.frameworks import Framework
from bot.frames.model import Frame, PlaceholderKind
from bot.goals.check_ins.rules import Typed, entry_errors, recorded, target_fields
from bot.goals.checks import check, check_date, check_name, merged, today_in
from bot.goals.drafts.view import DraftView, DraftViews
from bot.goals.fields import leftovers, placeholder_fields, progress, value_labels
from bot.goals.model import Draft, Notice, Owner
from bot.goals.reviews.rules import edited
from bot.goals.storage import STORAGE_FAILURES, DraftStore

log = logging.getLogger("goals")

# What a save may carry besides placeholder values, by the key its errors come back under
# (no placeholder key looks like these: those start with the row's "r-" or "d-").
NAME_KEY = "draft_name"
PERIOD_END_KEY = "period_end"


@dataclass(frozen=True)
class Target:
    """Which draft a save is for. `new`: not stored yet, so the first save creates it."""

    draft: str
    family: str
    level: str
    framework: Framework
    new: bool = False
    # A stretch draft: the family and level of the person it is for (both, or neither).
    for_family: str | None = None
    for_level: str | None = None
    name: str | None = None  # a new draft's name, unless the save gives another


@dataclass(frozen=True)
class Saved:
    draft: Draft
    frame: Frame


@dataclass(frozen=True)
class Refused:
    """Typed values that break a rule, by placeholder key; nothing was saved."""

    errors: dict[str, str]


@dataclass(frozen=True)
class Gone:
    """The draft was deleted while the form was open; nothing was saved."""


@dataclass(frozen=True)
class NoFrame:
    """The canon no longer has this family at this level; nothing was saved."""

    family: str
    level: str


@dataclass(frozen=True)
class StoreFailed:
    """The store could not read or write; nothing was changed. The details are logged under
    `error_id`."""

    error_id: str


SaveResult = Saved | Refused | Gone | NoFrame | StoreFailed


@dataclass(frozen=True)
class CheckedIn:
    """The check-in is recorded (or was left as it was: nothing in it changed)."""

    draft: Draft
    frame: Frame


@dataclass(frozen=True)
class NoTargets:
    """The draft has no filled ⟨target⟩ to check in against; nothing was saved."""


CheckInResult = CheckedIn | Refused | Gone | NoFrame | NoTargets | StoreFailed


class Drafting:
    def __init__(self, repository: CanonRepository, store: DraftStore) -> None:
        self.repository = repository
        self.store = store

    def frame(self, family: str, level: str, framework: Framework, for_family: str | None = None,
              for_level: str | None = None) -> Frame | None:
        """The frame of `family` at `level`; with `for_family` and `for_level`, that frame as a
        stretch for a person there. None if the canon has either no more."""
        found = self.repository.family_level(family, level)
        if found is None:
            return None
        family_canon, level_canon, _ = found
        if for_family is None and for_level is None:
            return build_frame(framework, family_canon, level_canon)
        below = self.repository.family_level(for_family or "", for_level or "")
        if below is None:
            return None
        return stretch_frame(framework, family_canon, level_canon, below[0], below[1])

    def view(self, draft: Draft) -> DraftView:
        frame = self.frame(draft.family, draft.level, draft.framework, draft.for_family, draft.for_level)
        return DraftView(
            draft=draft,
            frame=frame,
            progress=progress(frame, draft.values) if frame else None,
            leftovers=leftovers(frame, draft.values, draft.labels),
        )

    def get(self, owner: Owner, draft_id: str) -> DraftView | None:
        draft = self.store.get(owner, draft_id)
        return self.view(draft) if draft else None

    def views(self, owner: Owner) -> DraftViews:
        return DraftViews(self.view, self.store.list(owner))

    def of_frame(self, owner: Owner, family: str, level: str, framework: Framework,
                 for_family: str | None = None, for_level: str | None = None) -> list[DraftView]:
        """The owner's drafts of that frame (stretch drafts only of that stretch), most
        recently edited first."""
        same = (family, level, framework, for_family, for_level)
        return [self.view(draft) for draft in self.store.list(owner)
                if (draft.family, draft.level, draft.framework, draft.for_family, draft.for_level) == same]

    def start(self, owner: Owner, family: str, level: str, framework: Framework, for_family: str | None = None,
              for_level: str | None = None, *, name: str | None = None) -> DraftView | None:
        """A new, empty draft of that frame (a stretch draft, with `for_family` and
        `for_level`), not stored; None if the frame has nothing to fill.

        Nothing is stored until the person saves: a form closed unsaved leaves no draft.
        """
        frame = self.frame(family, level, framework, for_family, for_level)
        if frame is None or not placeholder_fields(frame):
            return None
        stretch = frame.stretch
        draft = Draft(id=uuid.uuid4().hex, owner=owner, family=frame.family_slug, level=frame.level_code,
                      framework=framework, canon_fingerprint=frame.canon_fingerprint,
                      for_family=stretch.family_slug if stretch else None,
                      for_level=stretch.level_code if stretch else None, name=name)
        return DraftView(draft=draft, frame=frame, progress=progress(frame, {}), leftovers=[])

    def save(self, owner: Owner, target: Target, entries: Mapping[str, str], tz: str | None,
             now: datetime, *, name: str | None = None, period_end: str = "") -> SaveResult:
        """Apply what the person changed (`entries`, by placeholder key: a value, or '' for an
        emptied field) to the target draft, if every value keeps the rules. Keys the frame
        does not have are ignored.

        `name`: the draft's own name (None: unchanged; '': back to its frame's). `period_end`:
        a date that fills every date placeholder still empty after `entries`, checked like any
        date; its error comes back under PERIOD_END_KEY, the name's under NAME_KEY."""
        frame = self.frame(target.family, target.level, target.framework, target.for_family, target.for_level)
        if frame is None:
            return NoFrame(target.family, target.level)
        kinds = {field.key: field.kind for field in placeholder_fields(frame)}
        entries = {key: value for key, value in entries.items() if key in kinds}
        try:
            stored = self.store.get(owner, target.draft)
        except STORAGE_FAILURES as error:
            return StoreFailed(_logged("reading a draft failed", error))
        if stored is None and not target.new:
            return Gone()
        today = today_in(tz, now)
        errors = check(entries, kinds, stored.values if stored else {}, today)
        if name and (problem := check_name(name)):
            errors[NAME_KEY] = problem
        if period_end and (problem := check_date(period_end, today, None)):
            errors[PERIOD_END_KEY] = problem
        if errors:
            return Refused(errors)
        labels = value_labels(frame)

        def edit(current: Draft | None) -> Draft | None:
            if current is None and not target.new:
                return None  # deleted while the form was open
            stretch = frame.stretch
            base = current or Draft(id=target.draft, owner=owner, family=frame.family_slug,
                                    level=frame.level_code, framework=frame.framework,
                                    for_family=stretch.family_slug if stretch else None,
                                    for_level=stretch.level_code if stretch else None,
                                    canon_fingerprint=frame.canon_fingerprint, created_at=now,
                                    name=target.name if target.new else None)
            values = merged(base.values, entries)
            if period_end:
                values.update({key: period_end for key, kind in kinds.items()
                               if kind is PlaceholderKind.DATE and not values.get(key)})
            kept_labels = {key: label for key, label in {**base.labels, **labels}.items() if key in values}
            update: dict[str, object] = {"values": values, "labels": kept_labels, "message_due": True,
                                         "canon_fingerprint": frame.canon_fingerprint}
            if name is not None:
                update["name"] = name or None
            changed = base.model_copy(update=update)
            # New values mean the review is of an older version: a draft again, agreed kept.
            return edited(changed, now) if values != base.values else changed

        try:
            saved = self.store.change(owner, target.draft, edit)
        except STORAGE_FAILURES as error:
            return StoreFailed(_logged("saving a draft failed", error))
        return Gone() if saved is None else Saved(saved, frame)

    def check_in(self, owner: Owner, draft_id: str, check_in_id: str, typed: Mapping[str, Typed],
                 now: datetime) -> CheckInResult:
        """Record what the person typed against each target (by target key) in the draft's
        check-in `check_in_id`, made by its first save; a form in steps saves each step into
        it. The draft's values and agreed version are never touched."""
        try:
            view = self.get(owner, draft_id)
        except STORAGE_FAILURES as error:
            return StoreFailed(_logged("reading a draft failed", error))
        if view is None:
            return Gone()
        if view.frame is None:
            return NoFrame(view.draft.family, view.draft.level)
        frame = view.frame
        fields = target_fields(frame, view.draft.values)
        if not fields:
            return NoTargets()
        errors = {where: why for key, value in typed.items() for where, why in entry_errors(key, value).items()}
        if errors:
            return Refused(errors)

        def edit(draft: Draft | None) -> Draft | None:
            if draft is None:
                return None
            return recorded(draft, check_in_id, typed, target_fields(frame, draft.values), now)

        try:
            stored = self.store.change(owner, draft_id, edit, touch=False)
            if stored is None:  # nothing changed, or the draft is gone
                stored = self.store.get(owner, draft_id)
        except STORAGE_FAILURES as error:
            return StoreFailed(_logged("saving a check-in failed", error))
        return Gone() if stored is None else CheckedIn(stored, frame)

    def record_message(self, owner: Owner, draft_id: str, channel: str, ts: str, shown: str) -> None:
        """The draft's DM message, there, shows the draft as it was when `shown`
        (`Draft.shown_as`): remember where, to update it in place next time; nothing is due
        unless a save or a check-in came after."""

        def edit(draft: Draft | None) -> Draft | None:
            if draft is None:
                return None
            # Still due while the reviewer's message or a notice is: the catch-up shows them all.
            due = ((draft.message_due and draft.shown_as != shown) or bool(draft.review and draft.review.message_due)
                   or bool(draft.notices))
            return draft.model_copy(update={"dm_channel": channel, "dm_ts": ts, "message_due": due,
                                            "posting_since": None})

        self.store.change(owner, draft_id, edit, touch=False)

    def notice_posting(self, owner: Owner, draft_id: str, notice_id: str, now: datetime) -> None:
        """A notice to the owner is about to be posted (see `Notice.posting_since`)."""
        self._notices(owner, draft_id, lambda notice: notice if notice.id != notice_id or notice.posting_since
                      else notice.model_copy(update={"posting_since": now}))

    def notice_posted(self, owner: Owner, draft_id: str, notice_id: str) -> None:
        """A notice to the owner is posted: owed no more."""
        self._notices(owner, draft_id, lambda notice: None if notice.id == notice_id else notice)

    def _notices(self, owner: Owner, draft_id: str, each: Callable[[Notice], Notice | None]) -> None:
        def edit(draft: Draft | None) -> Draft | None:
            if draft is None:
                return None
            kept = [changed for notice in draft.notices if (changed := each(notice)) is not None]
            return None if kept == draft.notices else draft.model_copy(update={"notices": kept})

        self.store.change(owner, draft_id, edit, touch=False)

    def mark_posting(self, owner: Owner, draft_id: str, now: datetime) -> None:
        """A first DM post of the draft is about to go out (see `Draft.posting_since`)."""
        self.store.change(owner, draft_id, lambda draft: draft and draft.model_copy(
            update={"posting_since": draft.posting_since or now}), touch=False)

    def delete(self, owner: Owner, draft_id: str) -> DraftView | None:
        """Delete the owner's draft; returns what it was (None: not theirs, or already gone)."""
        view = self.get(owner, draft_id)
        if view is None or not self.store.delete(owner, draft_id):
            return None
        return view


def _logged(what: str, error: Exception) -> str:
    error_id = uuid.uuid4().hex[:10]
    log.error("error id %s: %s (%s)", error_id, what, type(error).__name__, exc_info=error)
    return error_id
