"""Two levels compared: what changes from one to the next, straight from the canon.

Like frames: this decides which pairs and notes exist and what canon text each holds;
the renderers (text_render, comparison_blocks) only lay them out. A dimension or rubric
only one side has keeps its text on that side and None on the other; one neither side has
is left out with a note. The stretch frame is `frames.stretch_frame`: the higher level's
frame by the usual rules. `comparison_of` finds the two sides in the repository; the rest
is pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.canon.model import Family, FamilyLevel, Level
from bot.canon.repository import CanonRepository
from bot.frames import templates as t
from bot.frames.build import stretch_frame
from bot.frames.frameworks import Framework
from bot.frames.model import Frame


@dataclass(frozen=True, slots=True)
class RoleLevel:
    """One job family at one level, as a request names it: a side of a comparison to find."""

    family: str  # slug
    level: str  # level code as the canon spells it


@dataclass(frozen=True, slots=True)
class Side:
    """One job family at one level the family has canon for."""

    family: Family
    level: Level

    def __post_init__(self) -> None:
        if self.level.code not in self.family.levels:
            raise ValueError(f"{self.family.slug} has no canon for {self.level.code}")

    @property
    def canon(self) -> FamilyLevel:
        return self.family.levels[self.level.code]

    @property
    def head(self) -> str:
        return t.COMPARE_SIDE.format(level=self.level.code, title=self.level.title)


@dataclass(frozen=True, slots=True)
class Pair:
    """One row side by side: verbatim canon text of each level, None where it has none."""

    label: str  # a dimension's name as the canon spells it, or a rubric's fixed label
    lower: str | None
    higher: str | None


@dataclass(frozen=True, slots=True)
class Comparison:
    lower: Side
    higher: Side
    dimensions: tuple[Pair, ...]
    rubrics: tuple[Pair, ...]
    notes: tuple[str, ...]
    stretch: Frame

    @property
    def same_family(self) -> bool:
        return self.lower.family.slug == self.higher.family.slug

    @property
    def title(self) -> str:
        if self.same_family:
            return t.COMPARE_TITLE_SAME_FAMILY.format(
                family=self.lower.family.name, lower=self.lower.level.code, higher=self.higher.level.code)
        return t.COMPARE_TITLE_CROSS_FAMILY.format(
            lower_family=self.lower.family.name, lower=self.lower.level.code,
            higher_family=self.higher.family.name, higher=self.higher.level.code)

    @property
    def intro(self) -> str:
        return t.COMPARE_INTRO.format(lower=self.lower.level.code, lower_title=self.lower.level.title,
                                      higher=self.higher.level.code, higher_title=self.higher.level.title)

    @property
    def identities(self) -> tuple[str, str]:
        return (_identity(self.lower), _identity(self.higher))

    def responsibilities_head(self, side: Side) -> str:
        return t.COMPARE_RESPONSIBILITIES.format(family=side.family.name, level=side.level.code,
                                                 title=side.level.title)


def _identity(side: Side) -> str:
    return t.IDENTITY_LINE.format(function=side.family.function, family=side.family.name,
                                  level=side.level.code, title=side.level.title)


def _dimensions(lower: Level, higher: Level) -> list[Pair]:
    """Dimensions matched by name (any case), in the lower level's order, then those only
    the higher level has, in its order."""
    higher_by_name = {d.name.lower(): d for d in higher.dimensions}
    pairs = []
    for dimension in lower.dimensions:
        match = higher_by_name.pop(dimension.name.lower(), None)
        pairs.append(Pair(dimension.name, dimension.text, match.text if match else None))
    pairs += [Pair(d.name, None, d.text) for d in higher_by_name.values()]
    return pairs


def compare(lower: Side, higher: Side, framework: Framework) -> Comparison:
    """`lower` and `higher` side by side, and the stretch frame of `framework` for `lower`."""
    if lower.level.code == higher.level.code:
        raise ValueError("a comparison needs two different levels")
    notes = []
    dimensions = _dimensions(lower.level, higher.level)
    if not dimensions:
        notes.append(t.NOTE_COMPARE_NO_DIMENSIONS.format(lower=lower.level.code, higher=higher.level.code))
    rubrics = []
    for field, label in t.RUBRIC_LABELS.items():
        texts = [getattr(side.canon.rubrics, field) for side in (lower, higher)]
        if any(texts):
            rubrics.append(Pair(label, *texts))
        else:
            notes.append(t.NOTE_COMPARE_NO_RUBRIC.format(
                rubric=label.lower(), lower_family=lower.family.name, lower=lower.level.code,
                higher_family=higher.family.name, higher=higher.level.code))
    notes += [t.NOTE_COMPARE_NO_RESPONSIBILITIES.format(family=side.family.name, level=side.level.code)
              for side in (lower, higher) if not side.canon.responsibilities]
    return Comparison(
        lower=lower,
        higher=higher,
        dimensions=tuple(dimensions),
        rubrics=tuple(rubrics),
        notes=tuple(notes),
        stretch=stretch_frame(framework, higher.family, higher.level, lower.family, lower.level),
    )


def comparison_of(first: RoleLevel, second: RoleLevel, framework: Framework,
                  repository: CanonRepository) -> Comparison | None:
    """The two sides compared, lower level first by the canon's order of levels.

    None when the canon no longer has one of them, or both are one level (an old or
    forged button).
    """
    sides = []
    for side in (first, second):
        found = repository.family_level(side.family, side.level)
        if found is None:
            return None
        sides.append(Side(found[0], found[1]))
    order = repository.vocabulary().level_codes
    lower, higher = sorted(sides, key=lambda side: order.index(side.level.code))
    if lower.level.code == higher.level.code:
        return None
    return compare(lower, higher, framework)
