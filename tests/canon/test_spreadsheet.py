"""Canon from a spreadsheet and back: `goals canon import` and `goals canon export`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from bot.canon.loader import load_canon
from bot.canon.spreadsheet import COLUMNS, CsvImportError, canon_files, export_csv, export_rows, import_csv
from bot.cli.main import run
from support.paths import REPO_ROOT, SHIPPED_CANON

EXAMPLE = REPO_ROOT / "docs" / "canon-example.csv"
HEADER = ",".join(COLUMNS)


def goals(*words: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(words), out, err)
    return code, out.getvalue(), err.getvalue()


def problems_of(data: str | bytes) -> list[str]:
    with pytest.raises(CsvImportError) as caught:
        canon_files(data.encode() if isinstance(data, str) else data, "facts.csv")
    return [str(p) for p in caught.value.problems]


# Round trip -------------------------------------------------------------------------------

def test_exporting_the_shipped_canon_and_importing_it_gives_it_back_file_for_file(tmp_path: Path) -> None:
    exported = tmp_path / "canon.csv"
    assert goals("canon", "export", str(SHIPPED_CANON), "--out", str(exported))[0] == 0
    assert exported.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
    code, out, _ = goals("canon", "import", str(exported), "--out", str(tmp_path / "back"))
    assert code == 0 and "2 levels, 2 families" in out
    assert load_canon(tmp_path / "back") == load_canon(SHIPPED_CANON)
    for original in sorted(SHIPPED_CANON.rglob("*.json")):
        copy = tmp_path / "back" / original.relative_to(SHIPPED_CANON)
        assert copy.read_text(encoding="utf-8") == original.read_text(encoding="utf-8"), original.name


def test_export_to_stdout_is_one_row_per_fact_in_canon_order() -> None:
    code, out, _ = goals("canon", "export", str(SHIPPED_CANON))
    assert code == 0
    canon = load_canon(SHIPPED_CANON)
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == list(COLUMNS)
    facts = sum(len(level.dimensions) for level in canon.levels) + sum(
        len(f.aliases) + sum(len(fl.responsibilities) + 2 for fl in f.levels.values()) for f in canon.families)
    assert len(rows) - 1 == facts
    responsibilities = [row[7] for row in rows if row[5] == "responsibility" and row[0] == "clinical-trials-ops"
                        and row[3] == "M2"]
    assert responsibilities == list(canon.families[1].levels["M2"].responsibilities)


def test_the_shipped_example_is_the_shipped_canon_in_small_and_imports(tmp_path: Path) -> None:
    canon = import_csv(EXAMPLE, tmp_path / "example")
    shipped = load_canon(SHIPPED_CANON)
    assert canon.families == tuple(f for f in shipped.families if f.slug == "clinical-project-management")
    assert canon.levels == tuple(level for level in shipped.levels if level.code == "M4")
    assert f"`{EXAMPLE.relative_to(REPO_ROOT)}`" in (REPO_ROOT / "README.md").read_text(encoding="utf-8")


# What spreadsheets write ------------------------------------------------------------------

def test_excel_semicolons_bom_crlf_and_quoted_newlines_and_quotes_are_read_verbatim(tmp_path: Path) -> None:
    text = (
        "family_slug;family_name;function;level_code;level_title;kind;name;text\r\n"
        ';;;L1;Level One;dimension;Scope;"Wide; very ""wide"""\r\n'
        'widgets;Widgets;Making;L1;Level One;responsibility;;"Builds widgets, then ships ""them"""\r\n'
        "widgets;Widgets;Making;L1;Level One;rubric;complexity;Solves problems.\r\n"
        ";;;;;;;\r\n"
    )
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    canon = import_csv(path, tmp_path / "out")
    assert canon.levels[0].dimensions[0].text == 'Wide; very "wide"'
    assert canon.families[0].levels["L1"].responsibilities == ('Builds widgets, then ships "them"',)
    assert canon.families[0].levels["L1"].rubrics.complexity == "Solves problems."


def test_columns_may_come_in_any_order_and_case_with_extra_columns_ignored() -> None:
    data = ("Kind,TEXT,name,level_code,level_title,family_slug,family_name,function,notes\n"
            "responsibility,Builds widgets,,L1,Level One,widgets,Widgets,Making,ignored\n")
    files = canon_files(data.encode(), "x.csv")
    assert '"Builds widgets"' in files["families/widgets.json"]
    assert '"title": "Level One"' in files["levels.json"]


# Broken files -----------------------------------------------------------------------------

def test_a_missing_column_is_named() -> None:
    (problem,) = problems_of("family_slug,family_name,function,level_code,kind,name,text\n")
    assert problem.startswith("row 1:") and "missing: level_title" in problem


@pytest.mark.parametrize(("row", "expected"), [
    ("widgets,Widgets,Making,L1,Level One,goal,,Do it", 'row 2, column kind: unknown kind "goal"'),
    ("widgets,Widgets,Making,L1,Level One,responsibility,,", "row 2, column text: the responsibility's text is empty"),
    ("widgets,Widgets,Making,L1,Level One,rubric,difficulty,Hard", 'row 2, column name: a rubric is named'),
    ("widgets,Widgets,Making,,Level One,responsibility,,Do it", "row 2, column level_code: a responsibility needs"),
    (",Widgets,Making,L1,Level One,responsibility,,Do it", "row 2, column family_slug: a responsibility needs"),
    (",,,L1,Level One,dimension,,Wide", "row 2, column name: a dimension needs a name"),
])
def test_each_bad_row_is_named_by_row_and_column(row: str, expected: str) -> None:
    problems = problems_of(f"{HEADER}\n{row}\n")
    assert any(problem.startswith(expected) for problem in problems), problems


def test_disagreements_and_duplicates_name_both_rows_and_every_problem_is_reported_at_once() -> None:
    problems = problems_of("\n".join([
        HEADER,
        "widgets,Widgets,Making,L1,Level One,responsibility,,Builds widgets",
        "widgets,Widgets,Making,L1,Level 1,responsibility,,Ships widgets",
        "widgets,Widgets,Making,L1,Level One,responsibility,,Builds widgets",
        "widgets,Widget Co,Making,L1,Level One,rubric,complexity,Hard",
        "widgets,Widgets,Making,L1,Level One,rubric,complexity,Harder",
        ",,,L1,Level One,dimension,Scope,Wide",
        ",,,L1,Level One,dimension,scope,Narrow",
        "widgets,Widgets,Making,,,alias,wdg,",
        "widgets,Widgets,Making,,,alias,WDG,",
    ]) + "\n")
    assert 'row 3, column level_title: "Level 1" disagrees with row 2 ("Level One")' in problems
    assert "row 4, column text: duplicate responsibility of widgets at L1 (first given in row 2)" in problems
    assert 'row 5, column family_name: "Widget Co" disagrees with row 2 ("Widgets")' in problems
    assert "row 6, column name: duplicate complexity rubric of widgets at L1 (first given in row 5)" in problems
    assert 'row 8, column name: duplicate dimension "scope" of level L1 (first given in row 7)' in problems
    assert 'row 10, column name: duplicate alias "WDG" (first given in row 9)' in problems
    assert len(problems) == 6


def test_rows_are_numbered_as_the_spreadsheet_shows_them_even_across_quoted_newlines() -> None:
    # A quoted cell with a line break is read as one cell (and refused: canon text is one line).
    problems = problems_of(f'{HEADER}\nwidgets,Widgets,Making,L1,One,responsibility,,"two\r\nlines"\n'
                           "widgets,Widgets,Making,L1,One,goal,,x\n")
    assert problems == ["row 2, column text: contains a line break; canon text is one line: remove it "
                        "(in Excel, a line break typed with Alt+Enter)",
                        'row 3, column kind: unknown kind "goal"; use one of responsibility, rubric, dimension, alias']


def test_quoting_the_reader_cannot_follow_is_named_by_line_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(f'{HEADER}\nwidgets,Widgets,Making,L1,One,responsibility,,"bad"quote\n', encoding="utf-8")
    code, _, err = goals("canon", "import", str(path), "--out", str(tmp_path / "out"))
    assert code == 1 and "line 2 is not valid CSV" in err and "internal error" not in err
    assert not (tmp_path / "out").exists()


def test_not_utf8_is_refused_with_how_to_save_it() -> None:
    (problem,) = problems_of(HEADER.encode() + b"\nwidgets,Caf\xe9,Making,L1,One,responsibility,,x\n")
    assert problem.startswith("file:") and "CSV UTF-8" in problem


def test_a_canon_the_checks_refuse_is_reported_and_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(f"{HEADER}\nBad Slug,Widgets,Making,L1,One,responsibility,,x\n", encoding="utf-8")
    code, _, err = goals("canon", "import", str(path), "--out", str(tmp_path / "out"))
    assert code == 1 and "canon check:" in err and "slug" in err and "nothing was written" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]  # no output, no staging left


def test_an_existing_directory_is_never_half_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "canon"
    target.mkdir()
    (target / "levels.json").write_text("mine", encoding="utf-8")
    code, _, err = goals("canon", "import", str(EXAMPLE), "--out", str(target))
    assert code == 1 and "already exists and is not empty" in err
    assert [p.name for p in target.iterdir()] == ["levels.json"]
    assert (target / "levels.json").read_text(encoding="utf-8") == "mine"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert goals("canon", "import", str(EXAMPLE), "--out", str(empty))[0] == 0
    assert load_canon(empty).families[0].slug == "clinical-project-management"


@pytest.mark.parametrize("words", [
    ["canon", "import", "x.csv"], ["canon", "import", "--out", "d"],
    ["canon", "import", "a.csv", "b.csv", "--out", "d"],
    ["canon", "export", "a", "b"], ["canon", "export", "--out"], ["canon", "frobnicate"],
])
def test_canon_usage_errors_say_what_works(words: list[str]) -> None:
    code, out, err = goals(*words)
    assert code == 2 and out == "" and "canon" in err and "--out" in err


def test_a_missing_csv_file_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = goals("canon", "import", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "out"))
    assert code == 1 and "cannot read it" in err and not (tmp_path / "out").exists()


def test_export_rows_declare_a_family_with_no_facts_so_it_survives_the_round_trip(tmp_path: Path) -> None:
    from support.canon_files import family_doc, level_doc, write_canon_dir
    root = write_canon_dir(tmp_path / "c", levels=[level_doc()],
                           families=[family_doc(), family_doc("empty", levels={})])
    canon = load_canon(root)
    data = export_csv(canon).encode()
    assert any(row[0] == "empty" for row in export_rows(canon)[1:])
    out = tmp_path / "back"
    (tmp_path / "c.csv").write_bytes(data)
    assert import_csv(tmp_path / "c.csv", out) == canon
