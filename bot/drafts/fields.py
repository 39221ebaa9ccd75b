"""A draft against its frame: the fields to fill, progress, checks on typed values, and
what a canon change left behind. Pure: today's date and the stored values are passed in.

A draft is a frame plus values for its placeholder keys. Keys come from canon content, so
after a canon change a value either still finds its placeholder or is "no longer in the
canon": kept, and shown with the label it was typed under, never dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.frames import templates as t
from bot.frames.build import Frame, Part, Placeholder, PlaceholderKind, Row
from bot.frames.text import render_parts

MAX_VALUE_CHARS = 200
# Where the calendar day starts last (UTC-12): with no known timezone, a date is only "in
# the past" once it is past everywhere, so no one is refused a date that is today for them.
_LATEST_ZONE = timedelta(hours=-12)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Characters that break a line or hide or reorder text: controls, separators, bidi overrides.
# Not "Cn" (unassigned): Python's Unicode tables lag Slack's emoji, and 🫨 is no control.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp", "Co"})
# Unicode's Bidi_Control set: embeddings, overrides, isolates and the three marks.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


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


# Checking what a person typed ----------------------------------------------------------

def today_in(tz: str | None, now: datetime) -> date:
    """Today's date where the person is (their Slack timezone), from an aware `now`."""
    if tz:
        try:
            return now.astimezone(ZoneInfo(tz)).date()
        except (ZoneInfoNotFoundError, ValueError, OSError):  # tzdata raises OSError for a folder name
            pass
    return (now.astimezone(UTC) + _LATEST_ZONE).date()


def check_text(value: str) -> str | None:
    """Why a typed baseline or target cannot be saved, or None."""
    if len(value) > MAX_VALUE_CHARS:
        return f"At most {MAX_VALUE_CHARS} characters, please: this has {len(value)}."
    for position, char in enumerate(value, start=1):
        if char in "\r\n\u2028\u2029":
            return "One line only: remove the line break."
        if unicodedata.category(char) in _REFUSED_CATEGORIES or char in _BIDI_CONTROLS:
            return (f"Remove the invisible control character (U+{ord(char):04X}) at position "
                    f"{position}; letters, digits, spaces and punctuation are fine.")
    return None


def check_date(value: str, today: date, previous: str | None) -> str | None:
    """Why a picked date cannot be saved, or None. A date saved before may stay as it was."""
    try:
        picked = date.fromisoformat(value) if _ISO_DATE.fullmatch(value) else None
    except ValueError:
        picked = None
    if picked is None:
        return "That is not a real date: pick one from the calendar."
    if picked < today and value != previous:
        return f"Pick today ({today.isoformat()}) or a later date: {value} is in the past."
    return None


def check(entries: Mapping[str, str], kinds: Mapping[str, PlaceholderKind],
          previous: Mapping[str, str], today: date) -> dict[str, str]:
    """Errors by placeholder key for the non-empty entries; empty means all is well."""
    errors = {}
    for key, value in entries.items():
        if not value:
            continue
        if kinds[key] is PlaceholderKind.DATE:
            problem = check_date(value, today, previous.get(key))
        else:
            problem = check_text(value)
        if problem:
            errors[key] = problem
    return errors


def merged(values: Mapping[str, str], entries: Mapping[str, str]) -> dict[str, str]:
    """`values` with `entries` applied: a typed value replaces, an emptied field clears."""
    result = dict(values)
    for key, value in entries.items():
        if value:
            result[key] = value
        else:
            result.pop(key, None)
    return result
