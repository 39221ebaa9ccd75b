"""Frames: canon turned into goal templates, by the rules of canon-format.md.

This is the only place that decides which rows exist. A frame is sections > rows > lines,
and every line is a sequence of parts: fixed template text, verbatim canon text, or a
placeholder with a stable key. Renderers lay frames out; drafts fill placeholders by key.

Keys are derived from canon content, not positions, so a draft still finds its rows after
the canon gains, loses or reorders a responsibility.
"""

from __future__ import annotations

import hashlib
import json
import string
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.canon.model import Family, FamilyLevel, Level
from bot.frames import templates as t
from bot.frames.frameworks import Framework
from bot.frames.model import (
    Fixed,
    Frame,
    Line,
    Part,
    Placeholder,
    PlaceholderKind,
    Row,
    Section,
    SourceTag,
    Stretch,
    Verbatim,
)

_FORMATTER = string.Formatter()
_PLACEHOLDER_FIELDS = {kind.value: kind for kind in PlaceholderKind}


def expand(template: str, key: str, **canon: str) -> tuple[Part, ...]:
    """Split a template into parts; placeholder fields get keys under `key`."""
    parts: list[Part] = []
    for literal, field, _spec, _conversion in _FORMATTER.parse(template):
        if literal:
            parts.append(Fixed(literal))
        if field is None:
            continue
        kind = _PLACEHOLDER_FIELDS.get(field)
        parts.append(Placeholder(f"{key}.{kind.value}", kind) if kind else Verbatim(canon[field]))
    return tuple(parts)


def _line(row_key: str, line_key: str, template: tuple[str, str], **canon: str) -> Line:
    label, sentence = template
    return Line(line_key, label, expand(sentence, f"{row_key}.{line_key}", **canon))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _responsibility_key(text: str) -> str:
    return f"r-{_digest(text)}"


def _dimension_key(name: str) -> str:
    return f"d-{_digest(name.lower())}"


@dataclass(frozen=True, slots=True)
class _Context:
    family: Family
    level: Level
    canon: FamilyLevel

    @property
    def names(self) -> dict[str, str]:
        return {"family": self.family.name, "function": self.family.function,
                "level": self.level.code, "title": self.level.title}

    def responsibility_source(self, note: str | None = None) -> SourceTag:
        return SourceTag(t.SOURCE_RESPONSIBILITY.format(level=self.level.code), note)


def _smart(ctx: _Context) -> tuple[list[Section], list[str]]:
    rubric = ctx.canon.rubrics.complexity
    rows = []
    for text in ctx.canon.responsibilities:
        key = _responsibility_key(text)
        lines = [
            _line(key, "specific", t.SMART_SPECIFIC, responsibility=text),
            _line(key, "measurable", t.SMART_MEASURABLE),
        ]
        if rubric is not None:
            lines.append(_line(key, "achievable", t.SMART_ACHIEVABLE, rubric=rubric))
        lines += [
            _line(key, "relevant", t.SMART_RELEVANT, **ctx.names),
            _line(key, "time_bound", t.SMART_TIME_BOUND),
        ]
        rows.append(Row(key, ctx.responsibility_source(), (Verbatim(text),), tuple(lines)))
    notes = [] if rubric is not None or not rows else [t.NOTE_NO_COMPLEXITY_RUBRIC.format(**ctx.names)]
    return _single_section(rows, notes, ctx)


def _okr(ctx: _Context) -> tuple[list[Section], list[str]]:
    dimensions = ctx.level.dimensions
    rows = []
    for index, text in enumerate(ctx.canon.responsibilities):
        key = _responsibility_key(text)
        lines = [_line(key, "kr1", t.OKR_KR1, responsibility=text)]
        if index < len(dimensions):
            dimension = dimensions[index]
            lines.append(_line(
                key, f"kr2-{_dimension_key(dimension.name)}", t.OKR_KR2,
                dimension=dimension.name.lower(), text=dimension.text,
            ))
        rows.append(Row(key, ctx.responsibility_source(), (Verbatim(text),), tuple(lines)))
    notes = []
    if len(rows) > len(dimensions):
        first, last = len(dimensions) + 1, len(rows)
        objectives = str(first) if first == last else f"{first}–{last}"
        notes.append(t.NOTE_FEW_DIMENSIONS.format(
            objectives=objectives, count=len(dimensions), **ctx.names
        ))
    return _single_section(rows, notes, ctx)


def _mbo(ctx: _Context) -> tuple[list[Section], list[str]]:
    rubric = ctx.canon.rubrics.knowledge_application
    rows = []
    for text in ctx.canon.responsibilities:
        key = _responsibility_key(text)
        lines = []
        if rubric is not None:
            lines.append(_line(key, "standard", t.MBO_STANDARD, rubric=rubric))
        lines += [_line(key, "target", t.MBO_TARGET), _line(key, "due", t.MBO_DUE)]
        source = ctx.responsibility_source(t.MBO_SOURCE_NOTE)
        rows.append(Row(key, source, (Verbatim(text),), tuple(lines)))
    notes = [] if rubric is not None or not rows else [t.NOTE_NO_KNOWLEDGE_RUBRIC.format(**ctx.names)]
    return _single_section(rows, notes, ctx)


def _scorecard(ctx: _Context) -> tuple[list[Section], list[str]]:
    sections, notes = [], []
    process = []
    for text in ctx.canon.responsibilities:
        key = _responsibility_key(text)
        heading = expand(t.SCORECARD_RESPONSIBILITY, key, responsibility=text)
        measure = _line(key, "measure", t.SCORECARD_MEASURE)
        process.append(Row(key, ctx.responsibility_source(), heading, (measure,)))
    if process:
        sections.append(Section("internal_process", t.SCORECARD_INTERNAL_PROCESS, tuple(process)))
    else:
        notes.append(t.NOTE_NO_INTERNAL_PROCESS.format(**ctx.names))
    calibration = []
    for dimension in ctx.level.dimensions:
        key = _dimension_key(dimension.name)
        heading = expand(t.SCORECARD_DIMENSION, key,
                         dimension=dimension.name.lower(), text=dimension.text)
        measure = _line(key, "measure", t.SCORECARD_MEASURE)
        source = SourceTag(t.SOURCE_DIMENSION.format(dimension=dimension.name))
        calibration.append(Row(key, source, heading, (measure,)))
    if calibration:
        sections.append(Section("role_calibration", t.SCORECARD_ROLE_CALIBRATION, tuple(calibration)))
    else:
        notes.append(t.NOTE_NO_ROLE_CALIBRATION.format(**ctx.names))
    return sections, notes


def _single_section(rows: list[Row], notes: list[str], ctx: _Context) -> tuple[list[Section], list[str]]:
    if not rows:
        return [], [t.NOTE_NO_RESPONSIBILITIES.format(**ctx.names)]
    return [Section("main", None, tuple(rows))], notes


_BUILDERS: dict[Framework, Callable[[_Context], tuple[list[Section], list[str]]]] = {
    Framework.SMART: _smart,
    Framework.OKR: _okr,
    Framework.MBO: _mbo,
    Framework.SCORECARD: _scorecard,
}


def canon_fingerprint(family: Family, level: Level) -> str:
    """Changes whenever any canon a frame of this family and level could show changes."""
    canon = {
        "family": family.model_dump(include={"slug", "name", "function"}),
        "level": level.model_dump(),
        "canon": family.levels[level.code].model_dump() if level.code in family.levels else None,
    }
    return _digest(json.dumps(canon, sort_keys=True, ensure_ascii=False))


def build_frame(framework: Framework, family: Family, level: Level) -> Frame:
    """The frame of one framework for one family at one level.

    A level the family holds no canon for builds like one with no responsibilities: the
    caller decides whether to ask for it (the grammar refuses it with the levels there are).
    """
    ctx = _Context(family, level, family.levels.get(level.code, FamilyLevel()))
    sections, notes = _BUILDERS[framework](ctx)
    return Frame(
        framework=framework,
        family_slug=family.slug,
        family_name=family.name,
        function=family.function,
        level_code=level.code,
        level_title=level.title,
        title=t.FRAMEWORK_TITLES[framework],
        intro=t.FRAMEWORK_INTROS[framework],
        sections=tuple(sections),
        notes=tuple(notes),
        canon_fingerprint=canon_fingerprint(family, level),
    )


def stretch_frame(framework: Framework, family: Family, level: Level, for_family: Family,
                  for_level: Level) -> Frame:
    """The frame of `family` at `level`, labelled for a person at `for_level` of `for_family`.

    Its rows are exactly those of `build_frame`: a stretch frame is the next level's canon,
    by the same rules, so a draft of it is a draft of that frame.
    """
    return replace(build_frame(framework, family, level),
                   stretch=Stretch(for_family.slug, for_family.name, for_level.code, for_level.title))
