"""The canon as a spreadsheet: one row per fact, imported into a canon directory and
exported from one.

Columns: family_slug, family_name, function, level_code, level_title, kind, name, text.
`kind` is `responsibility`, `rubric` (name `complexity` or `knowledge_application`),
`dimension` (name: the dimension's name; a fact of the level, so its family columns may be
empty) or `alias` (name: the alias, text empty; with no name it only declares a family that
has no facts yet). Row order gives canon order.

Reading takes what spreadsheets write: UTF-8 with or without a BOM, comma or semicolon
separated (Excel uses semicolons where the comma is the decimal mark), quoted fields with
embedded newlines and quotes. Every problem is reported with its spreadsheet row number
(the header is row 1) and column; nothing is written unless the whole file is valid, and
the canon it makes passes the same checks as `goals canon check`.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.canon.loader import FAMILIES_DIR, LEVELS_FILE, CanonError, load_canon
from bot.canon.model import Canon

COLUMNS = ("family_slug", "family_name", "function", "level_code", "level_title", "kind", "name", "text")
KINDS = ("responsibility", "rubric", "dimension", "alias")
RUBRIC_NAMES = ("complexity", "knowledge_application")
_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class CsvProblem:
    row: int  # as a spreadsheet numbers it: the header is row 1; 0 for the file as a whole
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        return f"{where}, column {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


class CsvImportError(Exception):
    def __init__(self, source: str, problems: Iterable[CsvProblem | str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        count = len(self.problems)
        lines = [f"{source} was not imported ({count} problem{'s' * (count != 1)}); nothing was written:",
                 *(f"  {problem}" for problem in self.problems)]
        super().__init__("\n".join(lines))


# Reading -------------------------------------------------------------------------------

def _records(data: bytes, source: str) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, cells by column) for every non-empty row."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CsvImportError(source, [CsvProblem(0, None, f"not UTF-8 (byte {error.start}); save it as "
                                                 "\"CSV UTF-8\"")]) from None
    delimiter = next((d for d in _DELIMITERS if _header_fits(text, d)), None)
    if delimiter is None:
        first = text.splitlines()[0] if text.strip() else ""
        found = [cell.strip().lower() for cell in next(csv.reader([first]), [])]
        missing = [column for column in COLUMNS if column not in found]
        raise CsvImportError(source, [CsvProblem(1, None, (
            f"the header row must name the columns {', '.join(COLUMNS)} (comma- or "
            f"semicolon-separated); missing: {', '.join(missing)}"))])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        rows = list(reader)
    except csv.Error as error:
        # Quoting the reader cannot follow: name the line, since rows cannot be counted past it.
        raise CsvImportError(source, [CsvProblem(0, None, (
            f"line {reader.line_num} is not valid CSV ({error}); a quote inside a quoted cell is "
            "written twice (\"\")"))]) from None
    header = [cell.strip().lower() for cell in rows[0]]
    positions = {column: header.index(column) for column in COLUMNS}
    records = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # spreadsheets keep blank rows at the end
        records.append((number, {column: row[at] if at < len(row) else "" for column, at in positions.items()}))
    return records


def _header_fits(text: str, delimiter: str) -> bool:
    try:
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    except csv.Error:
        return False
    return set(COLUMNS) <= {cell.strip().lower() for cell in header}


class _Builder:
    """Collects facts row by row, remembering where each came from for error messages."""

    def __init__(self) -> None:
        self.problems: list[CsvProblem] = []
        self.levels: dict[str, dict[str, Any]] = {}  # code -> {"code", "title", "dimensions"}
        self.families: dict[str, dict[str, Any]] = {}
        self._given: dict[tuple[str, str], int] = {}  # (column, slug or code) -> row that gave it
        self._facts: dict[tuple[str, ...], int] = {}  # fact -> row it was first given in

    def problem(self, row: int, column: str | None, message: str) -> None:
        self.problems.append(CsvProblem(row, column, message))

    def agree(self, row: int, cells: dict[str, str], column: str, entry: dict[str, Any], field: str) -> None:
        """A value every row that gives it must give alike (a title, a name): the first one
        given goes into `entry[field]`; a different one later is a problem."""
        value, key = cells[column], str(entry.get("code") or entry.get("slug"))
        if not value:
            return
        if not entry[field]:
            entry[field], self._given[(column, key)] = value, row
        elif entry[field] != value:
            first = self._given[(column, key)]
            self.problem(row, column, f'"{_short(value)}" disagrees with row {first} ("{_short(entry[field])}")')

    def once(self, row: int, column: str, key: tuple[str, ...], what: str) -> bool:
        first = self._facts.setdefault(key, row)
        if first != row:
            self.problem(row, column, f"duplicate {what} (first given in row {first})")
            return False
        return True

    def level(self, row: int, cells: dict[str, str]) -> dict[str, Any] | None:
        code = cells["level_code"].strip()
        if not code:
            self.problem(row, "level_code", f"a {cells['kind'].strip().lower()} needs a level code")
            return None
        level = self.levels.setdefault(code, {"code": code, "title": "", "dimensions": []})
        self.agree(row, cells, "level_title", level, "title")
        return level

    def family(self, row: int, cells: dict[str, str]) -> dict[str, Any] | None:
        slug = cells["family_slug"].strip()
        if not slug:
            self.problem(row, "family_slug", f"a {cells['kind'].strip().lower()} needs a family slug")
            return None
        family = self.families.setdefault(slug, {"slug": slug, "name": "", "function": "", "aliases": [],
                                                 "levels": {}})
        self.agree(row, cells, "family_name", family, "name")
        self.agree(row, cells, "function", family, "function")
        return family

    def add(self, row: int, cells: dict[str, str]) -> None:
        kind = cells["kind"].strip().lower()
        name, text = cells["name"].strip(), cells["text"]
        if kind not in KINDS:
            self.problem(row, "kind", f'unknown kind "{_short(cells["kind"])}"; use one of {", ".join(KINDS)}')
            return
        if kind != "alias" and not text.strip():
            self.problem(row, "text", f"the {kind}'s text is empty")
            return
        for column in COLUMNS:
            if "\n" in cells[column] or "\r" in cells[column]:
                # Read fine from a quoted cell, but canon text is one line (canon-format.md).
                self.problem(row, column, "contains a line break; canon text is one line: remove it "
                             "(in Excel, a line break typed with Alt+Enter)")
                return
        if kind == "dimension":
            level = self.level(row, cells)
            if level is None:
                return
            if not name:
                self.problem(row, "name", "a dimension needs a name (e.g. Scope)")
            elif self.once(row, "name", ("dimension", level["code"], name.lower()),
                           f'dimension "{_short(name)}" of level {level["code"]}'):
                level["dimensions"].append({"name": name, "text": text})
            return
        family = self.family(row, cells)
        if family is None:
            return
        if kind == "alias":
            # An alias row with no alias only declares the family (one with no facts yet).
            if name and self.once(row, "name", ("alias", name.lower()), f'alias "{_short(name)}"'):
                family["aliases"].append(name)
            return
        level = self.level(row, cells)
        if level is None:
            return
        canon = family["levels"].setdefault(level["code"], {"responsibilities": [], "rubrics": {}})
        if kind == "responsibility":
            if self.once(row, "text", ("responsibility", family["slug"], level["code"], text),
                         f"responsibility of {family['slug']} at {level['code']}"):
                canon["responsibilities"].append(text)
        elif name not in RUBRIC_NAMES:
            self.problem(row, "name", f'a rubric is named {" or ".join(RUBRIC_NAMES)}, not "{_short(name)}"')
        elif self.once(row, "name", ("rubric", family["slug"], level["code"], name),
                       f"{name} rubric of {family['slug']} at {level['code']}"):
            canon["rubrics"][name] = text

    def finish(self) -> None:
        for code, level in self.levels.items():
            if not level["title"]:
                self.problem(0, "level_title", f"level {code} has no title on any row")
        for slug, family in self.families.items():
            for column, field in (("family_name", "name"), ("function", "function")):
                if not family[field]:
                    self.problem(0, column, f"family {slug} has no {column} on any row")


def _short(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= 60 else value[:60] + "…"


def canon_files(data: bytes, source: str) -> dict[str, str]:
    """The canon directory's files (relative path -> JSON text) for a CSV file's bytes.

    Raises CsvImportError naming every problem by row and column.
    """
    builder = _Builder()
    for row, cells in _records(data, source):
        builder.add(row, cells)
    builder.finish()
    if builder.problems:
        raise CsvImportError(source, builder.problems)
    files = {LEVELS_FILE: _json({"levels": list(builder.levels.values())})}
    for slug, family in builder.families.items():
        if not family["aliases"]:
            del family["aliases"]
        files[f"{FAMILIES_DIR}/{slug}.json"] = _json(family)
    return files


def _json(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def import_csv(path: Path, out: Path) -> Canon:
    """Turn the CSV at `path` into a canon directory at `out`, all or nothing.

    The canon is written to a temporary directory beside `out`, checked like `goals canon
    check`, and only then renamed into place. An `out` that exists with anything in it is
    refused and left as it was.
    """
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CsvImportError(source, [CsvProblem(0, None, f"cannot read it ({error.strerror})")]) from None
    files = canon_files(data, source)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise CsvImportError(source, [f"{out} already exists and is not empty; give a new directory "
                                      "(nothing was changed there)"])
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for relative, text in files.items():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        try:
            canon = load_canon(staging)
        except CanonError as error:
            raise CsvImportError(source, [f"canon check: {p}" for p in error.problems]) from None
        os.replace(staging, out)  # onto a missing or empty directory: all at once
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return canon


# Writing -------------------------------------------------------------------------------

def export_rows(canon: Canon) -> list[list[str]]:
    """The canon as rows (header first), in canon order, so importing them gives it back."""
    rows = [list(COLUMNS)]
    for level in canon.levels:
        rows += [["", "", "", level.code, level.title, "dimension", d.name, d.text] for d in level.dimensions]
    titles = {level.code: level.title for level in canon.levels}
    for family in canon.families:
        names = [family.slug, family.name, family.function]
        rows += [[*names, "", "", "alias", alias, ""] for alias in family.aliases]
        for code, canon_level in family.levels.items():
            where = [*names, code, titles.get(code, "")]
            rows += [[*where, "responsibility", "", text] for text in canon_level.responsibilities]
            for rubric in RUBRIC_NAMES:
                text = getattr(canon_level.rubrics, rubric)
                if text is not None:
                    rows.append([*where, "rubric", rubric, text])
        if not family.levels and not family.aliases:
            # A family with no facts yet still needs a row to exist in the spreadsheet.
            rows.append([*names, "", "", "alias", "", ""])
    return rows


def export_csv(canon: Canon) -> str:
    buffer = io.StringIO()
    # Excel's own CSV: comma separated, CRLF line ends, fields quoted only when needed.
    csv.writer(buffer, dialect="excel").writerows(export_rows(canon))
    return buffer.getvalue()
