"""Read a canon directory and refuse it whole if anything in it is wrong.

Every problem is collected (not just the first), each naming the file, the field path and
what is wrong, so a canon author fixes a broken directory in one pass.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.canon.model import Canon, Dimension, Family, FamilyLevel, Level, LevelsFile, Rubrics

LEVELS_FILE = "levels.json"
FAMILIES_DIR = "families"

_ALL_KEYS = sorted(
    {name for model in (LevelsFile, Level, Dimension, Family, FamilyLevel, Rubrics)
     for name in model.model_fields}
)


@dataclass(frozen=True, slots=True)
class CanonProblem:
    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message}" if self.path else (
            f"{self.file}: {self.message}"
        )


class CanonError(Exception):
    """The canon directory is refused; `problems` says every reason."""

    def __init__(self, directory: Path, problems: Iterable[CanonProblem]) -> None:
        self.directory = directory
        self.problems = tuple(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.problems)
        head = f"canon at {self.directory} is invalid ({count} problem{'s' * (count != 1)}):"
        return "\n".join([head, *(f"  {problem}" for problem in self.problems)])


def load_canon(directory: Path) -> Canon:
    """Load and validate every file of a canon directory; raise CanonError on any problem."""
    problems: list[CanonProblem] = []
    if not directory.is_dir():
        raise CanonError(directory, [CanonProblem(str(directory), "", "not a directory")])

    levels_file = _read_model(directory, LEVELS_FILE, LevelsFile, problems)
    levels = _check_levels(levels_file, problems) if levels_file is not None else {}

    families: list[tuple[str, Family]] = []
    families_dir = directory / FAMILIES_DIR
    if not families_dir.is_dir():
        problems.append(CanonProblem(f"{FAMILIES_DIR}/", "", "directory not found"))
    else:
        paths = sorted(p for p in families_dir.glob("*.json") if p.is_file())
        if not paths:
            problems.append(CanonProblem(f"{FAMILIES_DIR}/", "", "no family files (*.json)"))
        for path in paths:
            relative = f"{FAMILIES_DIR}/{path.name}"
            family = _read_model(directory, relative, Family, problems)
            if family is not None:
                family = _check_family(relative, path.stem, family, levels, problems)
                if levels_file is not None:
                    families.append((relative, family))

    _check_names_unique(families, levels, problems)
    if problems:
        raise CanonError(directory, problems)
    assert levels_file is not None  # a missing levels.json is a problem above
    return Canon(levels=levels_file.levels, families=tuple(f for _, f in families))


_M = TypeVar("_M", bound=BaseModel)


def _read_model(
    directory: Path, relative: str, model: type[_M], problems: list[CanonProblem]
) -> _M | None:
    path = directory / relative
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.append(CanonProblem(relative, "", "file not found"))
        return None
    except OSError as error:
        problems.append(CanonProblem(relative, "", f"cannot be read ({error.strerror})"))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problems.append(CanonProblem(relative, "", f"not UTF-8 (bad byte at offset {error.start})"))
        return None
    duplicates: list[str] = []
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys(duplicates))
    except json.JSONDecodeError as error:
        problems.append(CanonProblem(
            relative, "", f"JSON syntax error at line {error.lineno}, column {error.colno}: {error.msg}"
        ))
        return None
    for key in duplicates:
        problems.append(CanonProblem(relative, "", f"duplicate key {key!r} in one JSON object"))
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems.extend(CanonProblem(relative, _format_loc(e["loc"]), _describe(e))
                        for e in error.errors())
        return None


def _no_duplicate_keys(found: list[str]) -> Any:
    # json.loads keeps the last of two equal keys; a canon author never means that.
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                found.append(key)
            result[key] = value
        return result

    return hook


def _format_loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == "[key]":
            out += " (the key)"
        else:
            out += f".{part}" if out else str(part)
    return out


_JSON_TYPES = {str: "text", int: "a number", float: "a number", bool: "true/false",
               list: "a list", dict: "an object", type(None): "null"}


def _describe(error: Any) -> str:
    kind = error["type"]
    given = _JSON_TYPES.get(type(error.get("input")), "something else")
    if kind == "extra_forbidden":
        key = str(error["loc"][-1])
        close = difflib.get_close_matches(key, _ALL_KEYS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"unknown key {key!r}{hint}"
    if kind == "missing":
        return "required key is missing"
    if kind == "string_type":
        return f"must be text, not {given}"
    if kind in ("tuple_type", "list_type"):
        return f"must be a list, not {given}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"must be an object, not {given}"
    if kind == "too_short":
        return "must not be empty"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    return str(error["msg"])


def _check_levels(levels_file: LevelsFile, problems: list[CanonProblem]) -> dict[str, Level]:
    """Index levels by upper-cased code, reporting duplicate codes and dimension names."""
    by_code: dict[str, Level] = {}
    first_at: dict[str, int] = {}
    if not levels_file.levels:
        problems.append(CanonProblem(LEVELS_FILE, "levels", "must list at least one level"))
    for index, level in enumerate(levels_file.levels):
        key = level.code.upper()
        if key in by_code:
            problems.append(CanonProblem(
                LEVELS_FILE, f"levels[{index}].code",
                f"duplicate level code {level.code!r} (also levels[{first_at[key]}])",
            ))
            continue
        by_code[key], first_at[key] = level, index
        names: dict[str, int] = {}
        for d_index, dimension in enumerate(level.dimensions):
            name = dimension.name.lower()
            if name in names:
                problems.append(CanonProblem(
                    LEVELS_FILE, f"levels[{index}].dimensions[{d_index}].name",
                    f"duplicate dimension name {dimension.name!r} "
                    f"(also dimensions[{names[name]}]; names are compared ignoring case)",
                ))
            names.setdefault(name, d_index)
    return by_code


def _check_family(
    relative: str, stem: str, family: Family, levels: dict[str, Level],
    problems: list[CanonProblem],
) -> Family:
    """Check one family against levels.json; return it with level codes spelt as there."""
    if family.slug != stem:
        problems.append(CanonProblem(
            relative, "slug", f"{family.slug!r} does not match the file name ({stem}.json)"
        ))
    known = ", ".join(level.code for level in levels.values()) or "none"
    normalised: dict[str, FamilyLevel] = {}
    for code, family_level in family.levels.items():
        level = levels.get(code.upper())
        if level is None:
            if levels:  # without a readable levels.json, this would only repeat that problem
                problems.append(CanonProblem(
                    relative, f"levels.{code}", f"level code not in {LEVELS_FILE} (known: {known})"
                ))
            continue
        if level.code in normalised:
            problems.append(CanonProblem(
                relative, f"levels.{code}", f"duplicate level code (same as {level.code!r})"
            ))
            continue
        seen: dict[str, int] = {}
        for index, text in enumerate(family_level.responsibilities):
            if text in seen:
                problems.append(CanonProblem(
                    relative, f"levels.{code}.responsibilities[{index}]",
                    f"duplicate of responsibilities[{seen[text]}]",
                ))
            seen.setdefault(text, index)
        normalised[level.code] = family_level
    return family.model_copy(update={"levels": normalised})


def _check_names_unique(
    families: list[tuple[str, Family]], levels: dict[str, Level], problems: list[CanonProblem]
) -> None:
    """Slugs and aliases are one namespace, and must not read as a level code."""
    owner: dict[str, str] = {}
    for relative, family in families:
        names = [("slug", family.slug)] + [
            (f"aliases[{i}]", alias) for i, alias in enumerate(family.aliases)
        ]
        for path, name in names:
            key = name.lower()
            if name.upper() in levels:  # levels are indexed by upper-cased code
                problems.append(CanonProblem(
                    relative, path, f"{name!r} is also a level code in {LEVELS_FILE}"
                ))
            elif key in owner:
                problems.append(CanonProblem(
                    relative, path, f"{name!r} is already used by {owner[key]}"
                ))
            else:
                owner[key] = f"{relative} ({path})"
