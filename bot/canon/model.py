"""The canon file format (canon-format.md) as strict pydantic models.

Each model rejects unknown keys: a typo in a canon file must fail loudly instead of
silently dropping a row. Rules across items and files (unique codes, names,
slugs, aliases and responsibilities; level codes known) live in `canon_loader`, which sees
every file at once and can name the exact path of each problem.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

# Words the grammar gives a meaning of its own; a level code or family name equal to one
# would make `/goals` ambiguous, so the loader refuses them.
RESERVED_WORDS = frozenset(
    {"all", "help", "list", "canon", "smart", "okr", "okrs", "mbo", "scorecard",
     "draft", "drafts", "compare"}
)

# Categories that would break a line or hide text: C0/C1 controls (Cc) and the Unicode
# line and paragraph separators. Format characters (Cf, e.g. ZWJ in emoji) are legitimate.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})


def _check_text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty or only whitespace")
    for index, char in enumerate(value):
        if unicodedata.category(char) in _FORBIDDEN_CATEGORIES:
            raise ValueError(
                f"contains control character U+{ord(char):04X} at position {index + 1}"
            )
    return value


def _pattern(regex: str, what: str) -> AfterValidator:
    compiled = re.compile(regex)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(f"{value!r} is not a valid {what}")
        if value.lower() in RESERVED_WORDS:
            raise ValueError(f"{value!r} is a reserved word of the /goals grammar")
        return value

    return AfterValidator(check)


CanonText = Annotated[str, AfterValidator(_check_text)]
"""Verbatim canon text: kept exactly as written, never trimmed."""

def _short(limit: int) -> AfterValidator:
    def check(value: str) -> str:
        if len(value) > limit:
            raise ValueError(f"is {len(value)} characters long; a name may have at most {limit}")
        return value

    return AfterValidator(check)


# Names head messages, buttons and source tags; a paragraph in one is a slip, not a name.
CanonName = Annotated[str, AfterValidator(_check_text), _short(200)]

LevelCode = Annotated[
    str,
    AfterValidator(_check_text),
    _pattern(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}", "level code (letters, digits, . _ -)"),
]
Slug = Annotated[
    str,
    AfterValidator(_check_text),
    _pattern(r"[a-z0-9]+(?:-[a-z0-9]+)*", "slug (lowercase letters, digits and hyphens)"),
    _short(64),
]
Alias = Annotated[
    str,
    AfterValidator(_check_text),
    _pattern(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", "alias (one word: letters, digits, _ and -)"),
]


class _Strict(BaseModel):
    # Not strict mode: strict refuses JSON arrays for tuple fields. Lax mode in pydantic 2
    # still never turns a number into a string, which is the coercion that would matter.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dimension(_Strict):
    name: CanonName
    text: CanonText


class Level(_Strict):
    code: LevelCode
    title: CanonName
    dimensions: tuple[Dimension, ...] = ()



class LevelsFile(_Strict):
    # "At least one level" is checked by the loader: as a pydantic min_length it would also
    # fire, misleadingly, whenever one level is invalid.
    levels: tuple[Level, ...]


class Rubrics(_Strict):
    complexity: CanonText | None = None
    knowledge_application: CanonText | None = None


class FamilyLevel(_Strict):
    responsibilities: tuple[CanonText, ...] = ()
    rubrics: Rubrics = Rubrics()



class Family(_Strict):
    slug: Slug
    name: CanonName
    function: CanonName
    aliases: tuple[Alias, ...] = ()
    levels: dict[LevelCode, FamilyLevel] = Field(default_factory=dict)


class Canon(_Strict):
    """A whole, validated canon: every level and every family."""

    levels: tuple[Level, ...]
    families: tuple[Family, ...]
