"""A draft against its frame: the fields to fill, progress, and what a canon change left
behind. Pure: the stored values are passed in.

A draft is a frame plus values for its placeholder keys. Keys come from canon content, so
after a canon change a value either still finds its placeholder or is "no longer in the
canon": kept, and shown with the label it was typed under, never dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.frames import templates as t
from bot.frames.model import Frame, Part, Placeholder, PlaceholderKind, Row
from bot.frames.text import render_parts


@dataclass(frozen=True, slots=True)
class PlaceholderField:
    """One placeholder as a field a person fills, with the row and line it belongs to."""

    key: str
    kind: PlaceholderKind
    row: int  # the row's position in the frame, from 0
    line_label: str  # "KR1", "Measurable", "Measure"
    sentence: str  # the line as the frame shows it, placeholders as glyphs

    @property
    def label(self) -> str:
        return f"{self.line_label} · {self.kind.value}"


def placeholder_fields(frame: Frame) -> list[PlaceholderField]:
    """Every placeholder of the frame, in reading order, each once."""
    found: list[PlaceholderField] = []
    seen: set[str] = set()
    for number, row in enumerate(frame.rows):
        for label, parts in _row_parts(row):
            for part in parts:
                if isinstance(part, Placeholder) and part.key not in seen:
                    seen.add(part.key)
                    found.append(PlaceholderField(part.key, part.kind, number, label, render_parts(parts)))
    return found


def _row_parts(row: Row) -> list[tuple[str, tuple[Part, ...]]]:
    return [("Heading", row.heading), *((line.label, line.parts) for line in row.lines)]


def value_labels(frame: Frame) -> dict[str, str]:
    """What each placeholder was for, to show with its value if the canon drops its row."""
    rows = frame.rows
    return {field.key: f"{render_parts(rows[field.row].heading)} — {field.label}"
            for field in placeholder_fields(frame)}


@dataclass(frozen=True, slots=True)
class Progress:
    filled: int
    total: int

    @property
    def complete(self) -> bool:
        return self.filled == self.total

    def __str__(self) -> str:
        return f"{self.filled} of {self.total} placeholder{'s' * (self.total != 1)} filled"


def progress(frame: Frame, values: Mapping[str, str]) -> Progress:
    keys = [field.key for field in placeholder_fields(frame)]
    return Progress(sum(1 for key in keys if values.get(key)), len(keys))


@dataclass(frozen=True, slots=True)
class Leftover:
    """A value whose placeholder the canon no longer has."""

    label: str
    value: str


def leftovers(frame: Frame | None, values: Mapping[str, str], labels: Mapping[str, str]) -> list[Leftover]:
    """Values kept from rows that vanished from the canon (all of them if the frame did)."""
    present = {field.key for field in placeholder_fields(frame)} if frame else set()
    return [Leftover(labels.get(key, _kind_of(key)), value)
            for key, value in values.items() if value and key not in present]


def _kind_of(key: str) -> str:
    return key.rsplit(".", 1)[-1]


def leftovers_text(found: list[Leftover]) -> str:
    if not found:
        return ""
    return "\n".join([t.NO_LONGER_IN_CANON, *(f"  - {item.label}: {item.value}" for item in found)])
