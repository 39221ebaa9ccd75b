"""Plain text: the "Copy / print as text" form of frames, and the CLI's documents.

Layout only. Which rows exist, and every word in them, comes from the frame; this module
decides indentation, numbering and where the source tag goes, one layout per framework.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from bot.frames import templates as t
from bot.frames.comparison import Comparison, Pair
from bot.frames.frameworks import Framework
from bot.frames.model import Fixed, Frame, Part, Placeholder, Row, Verbatim

Values = Mapping[str, str]


def render_parts(parts: Sequence[Part], values: Values | None = None) -> str:
    """Parts as text; a placeholder shows its value if `values` has one, else its glyph."""
    out = []
    for part in parts:
        if isinstance(part, Placeholder):
            value = (values or {}).get(part.key)
            out.append(value if value else t.PLACEHOLDER_GLYPHS[part.kind.value])
        else:
            assert isinstance(part, Fixed | Verbatim)
            out.append(part.text)
    return "".join(out)


Layout = Callable[[Frame, Values | None], str]


def row_title(frame: Frame, number: int, row: Row, values: Values | None = None) -> str:
    """A row's heading as every form of the frame shows it: "Objective 2: ...", "3. Area: ..."."""
    return t.ROW_HEADINGS[frame.framework].format(n=number, heading=render_parts(row.heading, values))


def _headed(frame: Frame, number: int, row: Row, values: Values | None) -> str:
    return f"{row_title(frame, number, row, values)}  {t.SOURCE_SUFFIX.format(source=row.source)}"


def _numbered(line: Callable[[str, str], str]) -> Layout:
    def layout(frame: Frame, values: Values | None) -> str:
        blocks = []
        for number, row in enumerate(frame.rows, start=1):
            text = [_headed(frame, number, row, values)]
            text += [line(ln.label, render_parts(ln.parts, values)) for ln in row.lines]
            blocks.append("\n".join(text))
        return "\n\n".join(blocks)

    return layout


_smart = _numbered(lambda label, text: f"   {label + ':':<13}{text}")
_okr = _numbered(lambda label, text: f"  {label}. {text}")


def _mbo(frame: Frame, values: Values | None) -> str:
    blocks = []
    for number, row in enumerate(frame.rows, start=1):
        text = [_headed(frame, number, row, values)]
        for line in row.lines:
            content = render_parts(line.parts, values)
            if line.key == "due":  # the due date shares the target's line
                text[-1] += f"   {line.label}: {content}"
            else:
                text.append(f"   {line.label + ':':<10}{content}")
        blocks.append("\n".join(text))
    return "\n\n".join(blocks)


def _scorecard_row(row: Row, values: Values | None) -> str:
    (measure,) = row.lines
    return (f"  - {render_parts(row.heading, values)}  →  "
            f"{render_parts(measure.parts, values)}   {t.SOURCE_SUFFIX.format(source=row.source)}")


def _scorecard(frame: Frame, values: Values | None) -> str:
    return "\n\n".join(
        "\n".join([section.title or "", *(_scorecard_row(row, values) for row in section.rows)])
        for section in frame.sections
    )


_LAYOUTS: dict[Framework, Layout] = {
    Framework.SMART: _smart,
    Framework.OKR: _okr,
    Framework.MBO: _mbo,
    Framework.SCORECARD: _scorecard,
}


def render_frame(frame: Frame, values: Values | None = None) -> str:
    """The frame's plain-text form, exactly as under "Copy / print as text"."""
    body = _LAYOUTS[frame.framework](frame, values)
    return "\n\n".join(part for part in (body, "\n".join(frame.notes)) if part)


def render_labelled_frame(frame: Frame, values: Values | None = None) -> str:
    """One frame to copy on its own: a stretch frame carries whom it is for."""
    return "\n\n".join(part for part in (frame.stretch_label, render_frame(frame, values)) if part)


def render_header(frame: Frame) -> str:
    names = frame.names
    return "\n\n".join([
        t.DOCUMENT_TITLE.format(**names),
        t.DOCUMENT_SUBTITLE.format(**names),
        t.IDENTITY_LINE.format(**names),
        t.DISCLAIMER,
    ])


def render_document(frames: Sequence[Frame], values: Values | None = None) -> str:
    """Frames of one family and level under the reference documents' heading lines."""
    if not frames:
        raise ValueError("a document needs at least one frame")
    parts = [render_header(frames[0])]
    for frame in frames:
        parts += [frame.title, frame.intro, render_frame(frame, values)]
    return "\n\n".join(parts)


def _pairs(title: str, pairs: Sequence[Pair], lower: str, higher: str) -> str:
    lines = [title]
    for pair in pairs:
        lines.append(pair.label)
        lines += [f"  {code}: {text}" for code, text in ((lower, pair.lower), (higher, pair.higher)) if text]
    return "\n".join(lines)


def render_comparison(comparison: Comparison) -> str:
    """A comparison and its stretch frame as plain text: the CLI's output and "Copy as text"."""
    lower, higher = comparison.lower, comparison.higher
    codes = (lower.level.code, higher.level.code)
    parts = [comparison.title, "\n".join([comparison.intro, *comparison.identities]), t.COMPARE_DISCLAIMER]
    if comparison.dimensions:
        parts.append(_pairs(t.COMPARE_DIMENSIONS, comparison.dimensions, *codes))
    if comparison.rubrics:
        parts.append(_pairs(t.COMPARE_RUBRICS, comparison.rubrics, *codes))
    for side in (lower, higher):
        if side.canon.responsibilities:
            parts.append("\n".join([comparison.responsibilities_head(side),
                                    *(f"  - {text}" for text in side.canon.responsibilities)]))
    if comparison.notes:
        parts.append("\n".join(comparison.notes))
    stretch = comparison.stretch
    parts += [stretch.heading, "\n".join([stretch.stretch_label or "", stretch.intro]), render_frame(stretch)]
    return "\n\n".join(parts)
