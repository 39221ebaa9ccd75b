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
from bot.frames.frameworks import Framework
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


def placeholder_kinds(frame: Frame) -> dict[str, PlaceholderKind]:
    """Every placeholder's kind, by key: `placeholder_fields` without laying out a sentence
    (a list of drafts asks this of each, on the ack path)."""
    return {part.key: part.kind for row in frame.rows for _, parts in _row_parts(row) for part in parts
            if isinstance(part, Placeholder)}


def has_filled(frame: Frame, values: Mapping[str, str], kind: PlaceholderKind) -> bool:
    """Whether any placeholder of that kind has a value (a target to check in against)."""
    return any(values.get(key) for key, found in placeholder_kinds(frame).items() if found is kind)


# A row's short name in labels, by framework; a scorecard's rows are named by perspective.
ROW_NAMES: dict[Framework, str] = {
    Framework.SMART: "Goal {n}",
    Framework.OKR: "Objective {n}",
    Framework.MBO: "Area {n}",
    Framework.SCORECARD: "Row {n}",
}
# Placeholders of these kinds mean the same thing within one row of these frameworks: a
# SMART goal is one goal with one deadline (its "by ⟨date⟩" and its Time-bound ⟨date⟩), so
# one input fills both. An objective's key results each have a date of their own, and
# baselines and targets always stay apart.
SHARED_IN_ROW = frozenset({PlaceholderKind.DATE})
SHARING_FRAMEWORKS = frozenset({Framework.SMART})


@dataclass(frozen=True, slots=True)
class FormInput:
    """One input of the draft form: a placeholder, or every placeholder of a row that means
    the same thing (its dates); what is typed is saved under each of its keys."""

    keys: tuple[str, ...]
    kind: PlaceholderKind
    row: int  # the row's position in the frame, from 0
    label: str  # unique within the frame: "Objective 2 · KR1 · target"
    lines: tuple[str, ...]  # the keys of the lines it appears in, in order

    @property
    def key(self) -> str:
        return self.keys[0]


def row_names(frame: Frame) -> list[str]:
    """Each row's short name: "Goal 1", "Objective 2", "Area 3"; a scorecard's by its
    perspective ("Internal process 2"), numbered within it."""
    names = []
    number = 0
    for section in frame.sections:
        for index, _ in enumerate(section.rows, start=1):
            number += 1
            names.append(f"{section.title} {index}" if section.title
                         else ROW_NAMES[frame.framework].format(n=number))
    return names


def form_inputs(frame: Frame) -> list[FormInput]:
    """The frame's inputs in reading order: one per placeholder, except that a row's
    placeholders of a shared kind (dates) are one input, placed at the last line it appears
    in. Labels are unique in the frame:
    the row's short name, the line's label where the row has more than one input of that
    kind, and the kind."""
    found: list[FormInput] = []
    names = row_names(frame)
    by_row: dict[int, list[PlaceholderField]] = {}
    for field in placeholder_fields(frame):
        by_row.setdefault(field.row, []).append(field)
    for row, fields in by_row.items():
        groups: dict[object, list[PlaceholderField]] = {}
        for field in fields:
            shared = field.kind in SHARED_IN_ROW and frame.framework in SHARING_FRAMEWORKS
            groups.setdefault(field.kind if shared else field.key, []).append(field)
        counts: dict[PlaceholderKind, int] = {}
        for group in groups.values():
            counts[group[0].kind] = counts.get(group[0].kind, 0) + 1
        position = {field.key: index for index, field in enumerate(fields)}
        # A shared input comes where its last placeholder is: a SMART goal's date with Time-bound.
        for group in sorted(groups.values(), key=lambda group: position[group[-1].key]):
            first = group[0]
            middle = f" · {first.line_label}" if counts[first.kind] > 1 else ""
            lines = tuple(dict.fromkeys(_line_key(field.key) for field in group))
            found.append(FormInput(tuple(field.key for field in group), first.kind, row,
                                   f"{names[row]}{middle} · {first.kind.value}", lines))
    seen: dict[str, int] = {}
    unique = []
    for item in found:  # two inputs of one kind in one line: never in the templates, kept apart all the same
        seen[item.label] = seen.get(item.label, 0) + 1
        label = item.label if seen[item.label] == 1 else f"{item.label} {seen[item.label]}"
        unique.append(FormInput(item.keys, item.kind, item.row, label, item.lines))
    return unique


def _line_key(key: str) -> str:
    return key.rsplit(".", 1)[0]


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
