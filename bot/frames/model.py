"""What a frame is: sections > rows > lines, each line a sequence of parts (fixed template
text, verbatim canon text, or a placeholder with a stable key). Built only by
`bot.frames.build`; renderers and drafts read it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from bot.frames import templates as t
from bot.frames.frameworks import Framework


class PlaceholderKind(StrEnum):
    BASELINE = "baseline"
    TARGET = "target"
    DATE = "date"


@dataclass(frozen=True, slots=True)
class Fixed:
    """Fixed template text."""

    text: str


@dataclass(frozen=True, slots=True)
class Verbatim:
    """Canon text, exactly as the canon holds it."""

    text: str


@dataclass(frozen=True, slots=True)
class Placeholder:
    key: str
    kind: PlaceholderKind


Part = Fixed | Verbatim | Placeholder


@dataclass(frozen=True, slots=True)
class Line:
    key: str
    label: str
    parts: tuple[Part, ...]


@dataclass(frozen=True, slots=True)
class SourceTag:
    label: str
    note: str | None = None

    def __str__(self) -> str:
        return f"{self.label} — {self.note}" if self.note else self.label


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    source: SourceTag
    heading: tuple[Part, ...]
    lines: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str | None
    rows: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class Stretch:
    """Whom a stretch frame is for: a person at this level, below the frame's own."""

    family_slug: str
    family_name: str
    level_code: str
    level_title: str


@dataclass(frozen=True, slots=True)
class Frame:
    framework: Framework
    family_slug: str
    family_name: str
    function: str
    level_code: str
    level_title: str
    title: str
    intro: str
    sections: tuple[Section, ...]
    notes: tuple[str, ...]
    canon_fingerprint: str
    stretch: Stretch | None = None  # set: the higher level's frame, shown to someone below it

    @property
    def names(self) -> dict[str, str]:
        """The canon names the fixed templates refer to, by their template field names."""
        return {"family": self.family_name, "function": self.function,
                "level": self.level_code, "title": self.level_title}

    @property
    def heading(self) -> str:
        """The framework's title, marked as a stretch where the frame is one."""
        return t.STRETCH_TITLE.format(title=self.title) if self.stretch else self.title

    @property
    def stretch_label(self) -> str | None:
        """Whom a stretch frame is for, said wherever it is shown; None for other frames."""
        if self.stretch is None:
            return None
        return t.STRETCH_LABEL.format(
            family=self.family_name, level=self.level_code, title=self.level_title,
            for_family=self.stretch.family_name, for_level=self.stretch.level_code,
            for_title=self.stretch.level_title)

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(row for section in self.sections for row in section.rows)

    def placeholders(self) -> Iterator[Placeholder]:
        for row in self.rows:
            for parts in (row.heading, *(line.parts for line in row.lines)):
                yield from (part for part in parts if isinstance(part, Placeholder))
