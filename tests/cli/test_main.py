"""The `goals` CLI: the same words as `/goals`, answered in the terminal.

A few tests run the real console script (slow, but they prove the installed entry point and
the stdout encoding); the rest call `run(args, out, err)` or `main(argv)` in-process.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bot.cli.main
from bot.cli.main import main, run
from support.paths import SNAPSHOTS_DIR

GOALS = Path(sys.executable).with_name("goals")
SNAPSHOTS = SNAPSHOTS_DIR
HEADING = (
    "Clinical Trials Operations — M2\n\n"
    "Goal templates — Clinical Trials Operations — M2\n\n"
    "Clinical Trials Operations · Clinical Trials Operations · M2 — Manager II\n\n"
)
FRAMEWORK_HEADINGS = ["SMART goals", "OKRs", "MBO areas", "Scorecard"]


@pytest.fixture(autouse=True)
def shipped_canon(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts on the shipped canon unless it points GOALS_CANON_DIR elsewhere."""
    monkeypatch.delenv("GOALS_CANON_DIR", raising=False)


def goals(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(args), out, err)
    return code, out.getvalue(), err.getvalue()


def headings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line in FRAMEWORK_HEADINGS]


def write_canon(
    directory: Path, *, slug: str = "widgets", aliases: tuple[str, ...] = ("wm",),
    level: str = "L1", file_stem: str | None = None,
) -> Path:
    (directory / "families").mkdir(parents=True)
    levels = {"levels": [{
        "code": level, "title": "Level One",
        "dimensions": [{"name": "Scope", "text": "A single workbench"}],
    }]}
    family = {
        "slug": slug, "name": "Widget Making", "function": "Manufacturing",
        "aliases": list(aliases),
        "levels": {level: {
            "responsibilities": ["Assembles widgets to the drawing, first time right"],
            "rubrics": {"complexity": "Routine assembly problems",
                        "knowledge_application": "Applies the bench manual"},
        }},
    }
    (directory / "levels.json").write_text(json.dumps(levels, indent=2), encoding="utf-8")
    (directory / "families" / f"{file_stem or slug}.json").write_text(
        json.dumps(family, indent=2), encoding="utf-8"
    )
    return directory


def break_levels_json(directory: Path) -> None:
    # A missing comma after the code, on line 3 of the file.
    (directory / "levels.json").write_text(
        '{\n  "levels": [\n    {"code": "L1" "title": "Level One", "dimensions": []}\n  ]\n}\n',
        encoding="utf-8",
    )


# --- the installed console script ---------------------------------------------------------


def script_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("GOALS_CANON_DIR", "PYTHONIOENCODING", "PYTHONUTF8")}
    env.update({"LANG": "C", "LC_ALL": "C"}, **extra)
    return env


def console(args: list[str | bytes], **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([GOALS, *args], capture_output=True, env=script_env(**env),
                          timeout=30, check=False)


@pytest.mark.parametrize("encoding", [None, "ascii"])
def test_console_script_prints_the_reference_heading_in_utf8(encoding: str | None) -> None:
    """Frames hold — · ⟨⟩; a C locale or an ASCII stdout must not crash the output."""
    result = console(["M2", "clinical-trials-ops", "okr"],
                     **({"PYTHONIOENCODING": encoding} if encoding else {}))
    assert result.returncode == 0
    assert result.stderr == b""
    stdout = result.stdout.decode("utf-8")
    assert stdout.startswith(HEADING)
    assert "OKRs" in stdout
    assert "Objective 1: " in stdout


def test_console_script_usage_error_goes_to_stderr_with_exit_2() -> None:
    result = console(["cpm", "m2"])
    assert result.returncode == 2
    assert result.stdout == b""
    stderr = result.stderr.decode("utf-8")
    assert "M4" in stderr
    assert "Traceback" not in stderr


def test_console_script_undecodable_word_on_ascii_stdio_is_a_usage_error() -> None:
    """A word that is not UTF-8 (here the byte 0xFF) is a typo like any other: exit 2."""
    result = console(["M2", b"\xff"], PYTHONIOENCODING="ascii")
    stderr = result.stderr.decode("utf-8", "replace")
    assert "internal error" not in stderr
    assert "Traceback" not in stderr
    assert result.returncode == 2, stderr


# --- frames, help and list, in-process ------------------------------------------------------


def test_words_in_any_order_and_case_print_the_same_frames() -> None:
    reference = goals("M2", "clinical-trials-ops", "okr")
    assert reference[0] == 0 and reference[1].startswith(HEADING) and reference[2] == ""
    assert goals("CTO", "okrs", "m2") == reference


def test_one_framework_prints_only_that_framework() -> None:
    code, out, _ = goals("M2", "cto", "okr")
    assert code == 0
    assert headings(out) == ["OKRs"]


@pytest.mark.parametrize("args", [["M4", "cpm", "all"], ["M4", "cpm"]])
def test_all_or_no_framework_prints_all_four_in_order(args: list[str]) -> None:
    code, out, err = goals(*args)
    assert (code, err) == (0, "")
    assert headings(out) == FRAMEWORK_HEADINGS
    assert "Clinical Project Management — M4" in out


@pytest.mark.parametrize("args", [[], ["help"], ["--help"], ["-h"]])
def test_help_prints_usage_with_examples_that_work(args: list[str]) -> None:
    code, out, err = goals(*args)
    assert (code, err) == (0, "")
    assert "Usage: goals" in out
    examples = [line.strip().split()[1:] for line in out.splitlines()
                if line.startswith("  goals ")]
    runnable = [words for words in examples if words[:1] != ["canon"]]
    assert len(runnable) >= 3, out  # frame examples, plus list
    assert any(words[:1] == ["canon"] for words in examples)
    for words in runnable:
        example_code, example_out, example_err = goals(*words)
        assert example_code == 0, (words, example_err)
        assert example_out and not example_err


def test_list_shows_families_aliases_levels_and_level_titles() -> None:
    code, out, err = goals("list")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    cto = next(line for line in lines if "clinical-trials-ops" in line)
    cpm = next(line for line in lines if "clinical-project-management" in line)
    assert "cto" in cto.replace("clinical-trials-ops", "") and "M2" in cto and "M4" in cto
    assert "cpm" in cpm.replace("clinical-project-management", "") and "M4" in cpm
    assert "M2" not in cpm
    assert any("M2" in line and "Manager II" in line for line in lines)
    assert any("M4" in line and "Director" in line for line in lines)


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["cpm", "m2"], "M4"),
        (["M3", "cto"], '"M3"'),
        (["M2", "clinical-trial-ops"], "clinical-trials-ops"),
        (["M2", "cto", "bananas"], '"bananas"'),
        (["list", "foo"], '"foo"'),
        (["M2", "cto", "okr", "smart"], '"smart"'),
    ],
)
def test_usage_errors_go_to_stderr_with_exit_2_and_a_working_example(
    args: list[str], named: str
) -> None:
    code, out, err = goals(*args)
    assert code == 2
    assert out == ""
    assert named in err
    # The error offers a command to try, and that command works.
    tries = [line.split()[2:] for line in err.splitlines() if line.startswith("Try: goals ")]
    assert len(tries) == 1, err
    assert goals(*tries[0])[0] == 0


# --- compare ------------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "snapshot"), [
    (["compare", "M2", "M4", "cto"], "clinical-trials-ops_M2__clinical-trials-ops_M4.txt"),
    (["CTO", "m4", "Compare", "m2", "okr"], "clinical-trials-ops_M2__clinical-trials-ops_M4.txt"),
    (["compare", "M4", "clinical-project-management", "M2", "clinical-trials-ops"],
     "clinical-trials-ops_M2__clinical-project-management_M4.txt"),
])
def test_compare_prints_the_comparison_and_its_stretch_frame(args: list[str], snapshot: str) -> None:
    code, out, err = goals(*args)
    assert (code, err) == (0, "")
    assert out == (SNAPSHOTS / "compare" / snapshot).read_text(encoding="utf-8") + "\n"


def test_compare_with_a_framework_prints_that_stretch_frame() -> None:
    code, out, _ = goals("compare", "M2", "M4", "cto", "mbo")
    assert code == 0
    assert "\n\nStretch · MBO areas\n\n" in out
    assert "Stretch · OKRs" not in out
    assert "1. Area: Provides leadership and direction to assigned clinical programs" in out


@pytest.mark.parametrize("args, named", [
    (["compare", "M2", "M2", "cto"], "two different levels"),
    (["compare", "M2", "cpm", "M4", "cpm"], "Clinical Project Management has no canon for M2"),
    (["compare", "M4", "cto"], 'got "M4"'),
    (["compare", "M2", "M4", "cto", "all"], "one stretch frame"),
    (["compare", "M2", "M4"], "Which job family?"),
])
def test_compare_errors_exit_2_with_a_comparison_that_works(args: list[str], named: str) -> None:
    code, out, err = goals(*args)
    assert (code, out) == (2, "")
    assert named in err
    (tried,) = [line.split()[2:] for line in err.splitlines() if line.startswith("Try: goals ")]
    assert tried[0] == "compare"
    assert goals(*tried)[0] == 0


# --- canon check ----------------------------------------------------------------------------


def test_canon_check_of_shipped_canon_is_valid_with_counts() -> None:
    code, out, err = goals("canon", "check")
    assert (code, err) == (0, "")
    assert "valid" in out and "invalid" not in out
    assert "2 levels" in out and "2 families" in out


def test_canon_check_of_a_directory_checks_that_directory(tmp_path: Path) -> None:
    code, out, err = goals("canon", "check", str(write_canon(tmp_path / "c")))
    assert (code, err) == (0, "")
    assert "1 levels" in out and "1 families" in out and "widgets" in out


def test_canon_check_names_the_file_line_and_column_of_a_json_error(tmp_path: Path) -> None:
    directory = write_canon(tmp_path / "c")
    break_levels_json(directory)
    code, out, err = goals("canon", "check", str(directory))
    assert code == 1
    assert out == ""
    assert "levels.json" in err
    assert re.search(r"line 3\b.*column \d+", err), err


def test_canon_check_of_a_missing_directory_exits_1() -> None:
    code, out, err = goals("canon", "check", "/does/not/exist")
    assert code == 1 and out == ""
    assert "/does/not/exist" in err


@pytest.mark.parametrize(
    "args",
    [["canon"], ["canon", "frobnicate"], ["canon", "check", "a", "b"]],
)
def test_canon_with_a_wrong_subcommand_is_a_usage_error(args: list[str]) -> None:
    code, out, err = goals(*args)
    assert code == 2 and out == ""
    assert "canon check" in err


def test_canon_check_refuses_a_family_file_named_unlike_its_slug(tmp_path: Path) -> None:
    directory = write_canon(tmp_path / "c", file_stem="gizmos")
    code, _, err = goals("canon", "check", str(directory))
    assert code == 1
    assert "families/gizmos.json" in err


@pytest.mark.parametrize("alias", ["l1", "L1"])
def test_canon_check_refuses_an_alias_that_is_also_a_level_code(
    tmp_path: Path, alias: str
) -> None:
    """Otherwise the level code wins in the grammar and the alias can never name the family."""
    directory = write_canon(tmp_path / "c", aliases=(alias, "wm"))
    code, out, err = goals("canon", "check", str(directory))
    assert code == 1, out
    assert "families/widgets.json" in err


# --- GOALS_CANON_DIR ------------------------------------------------------------------------


def test_goals_canon_dir_selects_another_canon(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOALS_CANON_DIR", str(write_canon(tmp_path / "c")))
    code, out, err = goals("l1", "WM", "smart")
    assert (code, err) == (0, "")
    assert out.startswith("Widget Making — L1\n")
    assert headings(out) == ["SMART goals"]
    code, out, _ = goals("list")
    assert code == 0 and "widgets" in out and "clinical-trials-ops" not in out
    code, out, err = goals("M2", "cto")
    assert code == 2 and out == "" and "cto" in err


def test_canon_check_defaults_to_goals_canon_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOALS_CANON_DIR", str(write_canon(tmp_path / "c")))
    code, out, _ = goals("canon", "check")
    assert code == 0 and "widgets" in out and "clinical" not in out


def test_broken_goals_canon_dir_exits_1_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = write_canon(tmp_path / "c")
    break_levels_json(directory)
    monkeypatch.setenv("GOALS_CANON_DIR", str(directory))
    code, out, err = goals("M2", "cto")
    assert code == 1 and out == ""
    assert "levels.json" in err and "Traceback" not in err


# --- main(): never a traceback ----------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(argv=st.lists(st.text(), max_size=6))
def test_main_on_any_argv_exits_0_1_or_2_without_traceback(argv: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    assert code in {0, 1, 2}, err.getvalue()
    assert "Traceback" not in err.getvalue()
    if code != 0:
        assert err.getvalue().strip() and out.getvalue() == ""


def test_main_reports_an_unexpected_exception_as_one_line_exit_70(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def explode(args: list[str], out: object, err: object) -> int:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(bot.cli.main, "run", explode)
    assert main(["M2", "cto"]) == 70
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("goals: ")
    assert "Traceback" not in captured.err
    assert "secret internal detail" not in captured.err


def test_main_reads_sys_argv_when_given_none(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["goals", "M2", "cto", "okr"])
    assert main() == 0
    assert capsys.readouterr().out.startswith(HEADING)
