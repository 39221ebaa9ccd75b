"""Drafting: starting, filling, listing and deleting a person's drafts.

The core of the drafts feature, between the Slack listeners and the store: it knows the
canon (to build each draft's frame) and the store (to keep the values), and nothing of
Slack's Web API, so every rule here is tested without Slack. The caller passes the owner,
taken from the signed payload, and the current time.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import overload

from bot.canon.repository import CanonRepository
from bot.drafts.fields import check, leftovers, merged, placeholder_fields, progress, today_in, value_labels
from bot.drafts.model import Draft, Owner
from bot.drafts.storage import STORAGE_FAILURES, DraftStore
from bot.frames.build import Frame, build_frame
from bot.frames.frameworks import Framework
from bot.slack.draft_blocks import (
    DraftView,
    FormState,
    draft_form,
    form_entries,
    form_parts,
    notice_view,
)

log = logging.getLogger("goals")

SAVE_FAILED = ("Your draft could not be saved (the server's storage failed), so nothing was "
               "changed. Your entries are still here: try Save again in a moment.")


@dataclass(frozen=True)
class Submitted:
    """What a form submission comes to: errors to show, the next part, or done."""

    errors: dict[str, str] = field(default_factory=dict)  # by placeholder key (the block_id)
    draft: Draft | None = None  # as saved
    next_form: dict[str, object] | None = None  # the next part of a long frame
    notice: dict[str, object] | None = None  # a modal saying why nothing was saved


class DraftViews(Sequence[DraftView]):
    """A person's drafts, most recently edited first, each built into a view only when read:
    a list shows the first few of however many there are, on the command's ack path."""

    def __init__(self, drafting: Drafting, drafts: list[Draft]) -> None:
        self._drafting = drafting
        self._drafts = drafts

    def __len__(self) -> int:
        return len(self._drafts)

    @overload
    def __getitem__(self, index: int) -> DraftView: ...

    @overload
    def __getitem__(self, index: slice) -> list[DraftView]: ...

    def __getitem__(self, index: int | slice) -> DraftView | list[DraftView]:
        if isinstance(index, slice):
            return [self._drafting.view(draft) for draft in self._drafts[index]]
        return self._drafting.view(self._drafts[index])


class Drafting:
    def __init__(self, repository: CanonRepository, store: DraftStore) -> None:
        self.repository = repository
        self.store = store

    def frame(self, family: str, level: str, framework: Framework) -> Frame | None:
        found = self.repository.family_level(family, level)
        if found is None:
            return None
        family_canon, level_canon, _ = found
        return build_frame(framework, family_canon, level_canon)

    def view(self, draft: Draft) -> DraftView:
        frame = self.frame(draft.family, draft.level, draft.framework)
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
        return DraftViews(self, self.store.list(owner))

    # The form ----------------------------------------------------------------------------

    def start_form(self, owner: Owner, family: str, level: str, framework: Framework,
                   tz: str | None = None) -> dict[str, object] | None:
        """The form for a new draft of that frame; None if the frame has nothing to fill.

        Nothing is stored until the person saves: a form closed unsaved leaves no draft.
        """
        frame = self.frame(family, level, framework)
        if frame is None or not placeholder_fields(frame):
            return None
        state = FormState(draft=uuid.uuid4().hex, new=True, family=frame.family_slug,
                          level=frame.level_code, framework=framework, tz=tz)
        empty = Draft(id=state.draft, owner=owner, family=family, level=level, framework=framework,
                      canon_fingerprint=frame.canon_fingerprint)
        return draft_form(frame, empty, state, canon_changed=False, leftover_count=0)

    def edit_form(self, view: DraftView, tz: str | None = None) -> dict[str, object] | None:
        if view.frame is None:
            return None
        draft = view.draft
        state = FormState(draft=draft.id, family=draft.family, level=draft.level,
                          framework=draft.framework, tz=tz)
        return draft_form(view.frame, draft, state, canon_changed=view.canon_changed,
                          leftover_count=len(view.leftovers))

    def submit(self, owner: Owner, state: FormState, view: dict[str, object], now: datetime) -> Submitted:
        frame = self.frame(state.family, state.level, state.framework)
        if frame is None:
            return Submitted(notice=notice_view("Draft not saved", (
                f"The canon no longer has {state.family} at {state.level}, so there is no frame to "
                "fill. Nothing was saved.")))
        parts = form_parts(frame)
        part = min(state.part, len(parts) - 1)
        kinds = {field.key: field.kind for field in parts[part]}
        keys = list(kinds)
        entries = form_entries(view, keys)
        try:
            stored = self.store.get(owner, state.draft)
        except STORAGE_FAILURES:
            log.exception("reading a draft failed")
            return Submitted(errors={keys[0]: SAVE_FAILED})
        if stored is None and not state.new:
            return Submitted(notice=_gone_notice())
        errors = check(entries, kinds, stored.values if stored else {}, today_in(state.tz, now))
        if errors:
            return Submitted(errors=errors)
        labels = value_labels(frame)

        def edit(current: Draft | None) -> Draft | None:
            if current is None and not state.new:
                return None  # deleted while the form was open
            base = current or Draft(id=state.draft, owner=owner, family=frame.family_slug,
                                    level=frame.level_code, framework=frame.framework,
                                    canon_fingerprint=frame.canon_fingerprint, created_at=now)
            values = merged(base.values, entries)
            kept_labels = {key: label for key, label in {**base.labels, **labels}.items() if key in values}
            return base.model_copy(update={"values": values, "labels": kept_labels,
                                           "canon_fingerprint": frame.canon_fingerprint})

        try:
            saved = self.store.change(owner, state.draft, edit)
        except STORAGE_FAILURES:
            log.exception("saving a draft failed")
            return Submitted(errors={keys[0]: SAVE_FAILED})
        if saved is None:
            return Submitted(notice=_gone_notice())
        if part + 1 < len(parts):
            following = state.model_copy(update={"part": part + 1, "new": False})
            return Submitted(draft=saved, next_form=draft_form(
                frame, saved, following, canon_changed=False,
                leftover_count=len(leftovers(frame, saved.values, saved.labels))))
        return Submitted(draft=saved)

    def record_message(self, owner: Owner, draft_id: str, channel: str, ts: str) -> None:
        """Remember where the draft's DM message is, to update it in place next time."""
        self.store.change(owner, draft_id, lambda draft: draft and draft.model_copy(
            update={"dm_channel": channel, "dm_ts": ts}), touch=False)

    def delete(self, owner: Owner, draft_id: str) -> DraftView | None:
        """Delete the owner's draft; returns what it was (None: not theirs, or already gone)."""
        view = self.get(owner, draft_id)
        if view is None or not self.store.delete(owner, draft_id):
            return None
        return view


def _gone_notice() -> dict[str, object]:
    return notice_view("Draft not saved", "This draft was deleted while the form was open, so "
                       "nothing was saved. Start a new one with Draft targets on any frame.")
