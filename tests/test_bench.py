"""The benchmarks still run (their figures are read by people, not asserted here)."""

from __future__ import annotations

import pytest

from bench import draft_store


def test_draft_store_benchmark_runs_and_prints_ratios(capsys: pytest.CaptureFixture[str]) -> None:
    draft_store.main(["--saves", "3", "--sizes", "10,100"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split("|")[0].strip() == "drafts stored"
    assert [line.split("|")[0].strip() for line in lines[2:]] == ["10", "100"]
    assert lines[2].rstrip().endswith("1.00x")
