"""The rules on what a person types into a draft: a baseline or target is one short line of
visible text; a date is real and not in the past where they are. Pure: today is passed in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.frames.model import PlaceholderKind

MAX_VALUE_CHARS = 200
# Where the calendar day starts last (UTC-12): with no known timezone, a date is only "in
# the past" once it is past everywhere, so no one is refused a date that is today for them.
_LATEST_ZONE = timedelta(hours=-12)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FURTHEST = timedelta(days=36_524)  # a goal's date; reminders' arithmetic stays inside the calendar
# Characters that break a line or hide or reorder text: controls, separators, bidi overrides.
# Not "Cn" (unassigned): Python's Unicode tables lag Slack's emoji, and 🫨 is no control.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp", "Co"})
# Unicode's Bidi_Control set: embeddings, overrides, isolates and the three marks.
_ZWJ = "\u200d"
_TAGS = ("\U000e0020", "\U000e007f")
_BLACK_FLAG = "\U0001f3f4"
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def known_zone(tz: str | None) -> ZoneInfo | None:
    """The timezone Slack named, if this machine knows it; None for none or one it does not."""
    if tz:
        try:
            return ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # tzdata raises OSError for a folder name
            pass
    return None


def today_in(tz: str | None, now: datetime) -> date:
    """Today's date where the person is (their Slack timezone), from an aware `now`."""
    if (zone := known_zone(tz)) is not None:
        return now.astimezone(zone).date()
    return (now.astimezone(UTC) + _LATEST_ZONE).date()


def check_text(value: str, *, max_chars: int = MAX_VALUE_CHARS, lines: bool = False) -> str | None:
    """Why typed text cannot be saved, or None: a baseline or target (one short line of
    visible text), or with `lines` a note or a comment (line breaks and tabs allowed). Every
    typed field goes through here, so none lets through what another refuses."""
    if len(value) > max_chars:
        return f"At most {max_chars} characters, please: this has {len(value)}."
    for position, char in enumerate(value, start=1):
        if lines and char in "\n\t":
            continue
        if char in "\r\n\u2028\u2029":
            return "One line only: remove the line break."
        if (unicodedata.category(char) in _REFUSED_CATEGORIES or char in _BIDI_CONTROLS
                or (unicodedata.category(char) == "Cf" and not _joins_emoji(value, position - 1))):
            return (f"Remove the invisible control character (U+{ord(char):04X}) at position "
                    f"{position}; letters, digits, spaces and punctuation are fine.")
    return None


def _joins_emoji(value: str, index: int) -> bool:
    """Whether the invisible format character at `index` is part of an emoji: a zero-width
    joiner between two pictographs (👩‍🔬, ❤️‍🔥), or a tag of a flag's sequence (🏴 + tags). Every
    other format character (zero-width space, word joiner, byte-order mark, lone tags) hides
    text, and is refused like the bidi controls."""
    char = value[index]
    if char == _ZWJ:
        return 0 < index < len(value) - 1 and _pictographic(value[index - 1]) and _pictographic(value[index + 1])
    if _TAGS[0] <= char <= _TAGS[1]:
        start = index
        while start > 0 and _TAGS[0] <= value[start - 1] <= _TAGS[1]:
            start -= 1
        return start > 0 and value[start - 1] == _BLACK_FLAG
    return False


def _pictographic(char: str) -> bool:
    # Symbols, emoji modifiers and the variation selectors that end an emoji's presentation.
    return unicodedata.category(char) in ("So", "Sk") or ord(char) >= 0x1F000 or char in "\ufe0e\ufe0f"


def real_date(value: object) -> date | None:
    """`value` as a calendar date if it is one written as Slack's date picker writes it
    (YYYY-MM-DD); None for anything else (2027-02-30, words, nothing)."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def check_date(value: str, today: date, previous: str | None) -> str | None:
    """Why a picked date cannot be saved, or None. A date saved before may stay as it was."""
    picked = real_date(value)
    if picked is None:
        return "That is not a real date: pick one from the calendar."
    if picked < today and value != previous:
        return f"Pick today ({today.isoformat()}) or a later date: {value} is in the past."
    if picked > today + FURTHEST and value != previous:
        return f"Pick a date within a hundred years (by {(today + FURTHEST).isoformat()}): {value} is further."
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


NAME_MAX_CHARS = 80


def check_name(value: str) -> str | None:
    """Why a typed draft name cannot be saved, or None: one short line of visible text."""
    return check_text(value, max_chars=NAME_MAX_CHARS)
