"""The README stays true: its commands are CI's, and its example output is real."""

from __future__ import annotations

import io
import re
import shlex
from pathlib import Path

import pytest

from bot.cli.main import run
from support.paths import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def _sh_blocks() -> list[str]:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", README, re.S)]


def test_ci_runs_the_readme_setup_and_test_commands_verbatim() -> None:
    setup, tests = _sh_blocks()[:2]
    ci_lines = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert setup in ci_lines
    assert tests in ci_lines


def _console_examples() -> list[tuple[str, str, bool]]:
    """(command words, expected output, shortened) for every `$ goals ...` in the README."""
    examples = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            expected = output.rstrip("\n")
            shortened = expected.endswith("\n...")
            expected = expected.removesuffix("\n...")
            examples.append((command, expected, shortened))
    return examples


EXAMPLES = _console_examples()


def test_readme_has_console_examples() -> None:
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("command, expected, shortened", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_readme_example_output_is_what_goals_prints(
        command: str, expected: str, shortened: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.delenv("GOALS_CANON_DIR", raising=False)
    words = shlex.split(command)
    assert words[0] == "goals"
    # An import writes a new directory: into this test's own folder, never where the README
    # shows it (a path outside the tests' folders), and read back under the README's name.
    if "--out" in words:
        shown = words[words.index("--out") + 1]
        words[words.index("--out") + 1] = str(tmp_path / "canon")
        expected = expected.replace(shown, str(tmp_path / "canon"))
    out, err = io.StringIO(), io.StringIO()
    run(words[1:], out, err)
    printed = (out.getvalue() + err.getvalue()).rstrip("\n")
    if shortened:
        assert printed.startswith(expected)
    else:
        assert printed == expected
