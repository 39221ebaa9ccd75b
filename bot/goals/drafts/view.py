"""A draft with what its canon says about it today: its frame (if the canon still has it),
progress, and the values no longer in the canon."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import overload

from bot.frames.model import Frame
from bot.goals.fields import Leftover, Progress
from bot.goals.model import Draft


@dataclass(frozen=True)
class DraftView:
    draft: Draft
    frame: Frame | None  # None: the canon no longer has this family at this level
    progress: Progress | None
    leftovers: list[Leftover]

    @property
    def canon_changed(self) -> bool:
        return self.frame is not None and self.frame.canon_fingerprint != self.draft.canon_fingerprint

    @property
    def name(self) -> str:
        """The person's own name for the draft, else its frame's (`default_name`)."""
        return self.draft.name or self.default_name

    @property
    def default_name(self) -> str:
        """The draft's frame, as it is named wherever drafts are listed: "OKRs — Clinical
        Trials Operations · M2" ("Stretch · OKRs — ..." for a stretch draft)."""
        if self.frame:
            return f"{self.frame.heading} — {self.frame.family_name} · {self.frame.level_code}"
        return f"{self.draft.framework.value} — {self.draft.family} · {self.draft.level}"

    def summary(self) -> str:
        done = str(self.progress) if self.progress else "no frame in the canon"
        changed = " · the canon has changed" if self.canon_changed else ""
        kept = f" · {len(self.leftovers)} no longer in the canon" if self.leftovers else ""
        return f"{done}{changed}{kept}"


class DraftViews(Sequence[DraftView]):
    """A person's drafts, most recently edited first, each built into a view only when read:
    a list shows the first few of however many there are, on the command's ack path."""

    def __init__(self, view: Callable[[Draft], DraftView], drafts: list[Draft]) -> None:
        self._view = view
        self._drafts = drafts

    def __len__(self) -> int:
        return len(self._drafts)

    @overload
    def __getitem__(self, index: int) -> DraftView: ...

    @overload
    def __getitem__(self, index: slice) -> list[DraftView]: ...

    def __getitem__(self, index: int | slice) -> DraftView | list[DraftView]:
        if isinstance(index, slice):
            return [self._view(draft) for draft in self._drafts[index]]
        return self._view(self._drafts[index])
