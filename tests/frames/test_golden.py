"""Golden tests: the project's output, byte for byte.

Two layers, so that a clone without `../shared` still tests something real:
- committed snapshots of our own output (tests/snapshots) are compared on every run;
- where the reference documents exist, the output and the snapshots are both compared to
  them: the text under each "Copy / print as text" marker exactly, and the whole document
  with the web page's rich views left out.

After an intended change of output, regenerate the snapshots with
`GOALS_UPDATE_SNAPSHOTS=1 python -m pytest tests/frames/test_golden.py` and review the diff.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.canon.repository import CanonRepository
from bot.frames.build import build_frame
from bot.frames.comparison import Comparison, Side, compare
from bot.frames.frameworks import ALL_FRAMEWORKS, Framework
from bot.frames.text import render_comparison, render_document, render_frame
from support.paths import SEEDS_DIR, SNAPSHOTS_DIR

MARKER = "Copy / print as textshow ▾\n"
SEED_FILES = sorted(SEEDS_DIR.glob("0*.txt")) if SEEDS_DIR.is_dir() else []
needs_references = pytest.mark.skipif(
    not SEED_FILES,
    reason=f"reference documents not found at {SEEDS_DIR} (a clone outside the workspace); "
           "the committed snapshots are still checked",
)


@dataclass(frozen=True)
class Reference:
    path: Path
    family_name: str
    level_code: str
    plain_texts: tuple[str, ...]  # per framework in document order: the text under the marker
    document: str  # the document with each framework's rich (web-only) view left out


def read_reference(path: Path) -> Reference:
    """Split a reference document by its own structure, independently of our templates.

    The document is: four header paragraphs; then per framework a one-line heading, a
    one-line intro, the rich view, the marker and the plain block. Every paragraph of a
    plain block spans several lines, so the first one-line paragraph after a block is the
    next framework's heading.
    """
    text = path.read_text(encoding="utf-8")
    family_name, level_code = text.split("\n", 1)[0].rsplit(" — ", 1)
    chunks = text.split(MARKER)
    assert len(chunks) == len(ALL_FRAMEWORKS) + 1, f"{path.name}: expected one marker per framework"
    paragraphs = chunks[0].split("\n\n")
    header, headings = paragraphs[:4], [paragraphs[4:6]]
    plain: list[str] = []
    for chunk in chunks[1:]:
        parts = chunk.split("\n\n")
        end = next((i for i, p in enumerate(parts) if "\n" not in p), len(parts))
        plain.append("\n\n".join(parts[:end]))
        if end < len(parts):
            headings.append(parts[end:end + 2])
    assert len(headings) == len(plain) == len(ALL_FRAMEWORKS), path.name
    document = "\n\n".join(
        header + [p for (heading, intro), block in zip(headings, plain, strict=True)
                  for p in (heading, intro, block)]
    )
    return Reference(path, family_name, level_code, tuple(plain), document)


def _document(repository: CanonRepository, family_name: str, level_code: str) -> tuple[str, list[str]]:
    family = next(f for f in repository.families() if f.name == family_name)
    level = repository.level(level_code)
    assert level is not None
    frames = [build_frame(framework, family, level) for framework in ALL_FRAMEWORKS]
    return render_document(frames), [render_frame(frame) for frame in frames]


def _snapshot_path(family_slug: str, level_code: str) -> Path:
    return SNAPSHOTS_DIR / f"{family_slug}_{level_code}.txt"


def _shipped_pairs(repository: CanonRepository) -> list[tuple[str, str, str]]:
    return [(f.slug, f.name, code) for f in repository.families() for code in f.levels]


def test_every_shipped_family_level_has_a_snapshot(repository: CanonRepository) -> None:
    expected = {_snapshot_path(slug, code).name for slug, _, code in _shipped_pairs(repository)}
    assert expected == {p.name for p in SNAPSHOTS_DIR.glob("*.txt")}


@pytest.mark.parametrize("slug, code", [("clinical-trials-ops", "M2"),
                                        ("clinical-trials-ops", "M4"),
                                        ("clinical-project-management", "M4")])
def test_output_matches_committed_snapshot(repository: CanonRepository, slug: str, code: str) -> None:
    family = repository.family(slug)
    assert family is not None
    document, _ = _document(repository, family.name, code)
    path = _snapshot_path(slug, code)
    if os.environ.get("GOALS_UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(document, encoding="utf-8", newline="")
    assert document == path.read_text(encoding="utf-8")


@needs_references
def test_references_cover_three_documents_and_twelve_frames() -> None:
    references = [read_reference(path) for path in SEED_FILES]
    assert len(references) == 3
    assert sum(len(r.plain_texts) for r in references) == 12


@needs_references
@pytest.mark.parametrize("path", SEED_FILES, ids=[p.name for p in SEED_FILES])
def test_each_frame_is_the_reference_plain_text_exactly(repository: CanonRepository, path: Path) -> None:
    reference = read_reference(path)
    _, frame_texts = _document(repository, reference.family_name, reference.level_code)
    for framework, ours, theirs in zip(ALL_FRAMEWORKS, frame_texts, reference.plain_texts, strict=True):
        assert ours == theirs, f"{path.name}: {framework} differs"


@needs_references
@pytest.mark.parametrize("path", SEED_FILES, ids=[p.name for p in SEED_FILES])
def test_document_is_the_reference_without_its_rich_views(repository: CanonRepository, path: Path) -> None:
    reference = read_reference(path)
    document, _ = _document(repository, reference.family_name, reference.level_code)
    assert document == reference.document


@needs_references
@pytest.mark.parametrize("path", SEED_FILES, ids=[p.name for p in SEED_FILES])
def test_committed_snapshot_equals_the_reference(repository: CanonRepository, path: Path) -> None:
    reference = read_reference(path)
    family = next(f for f in repository.families() if f.name == reference.family_name)
    snapshot = _snapshot_path(family.slug, reference.level_code).read_text(encoding="utf-8")
    assert snapshot == reference.document


# Comparisons: snapshots of `goals compare`, and stretch frames against the references ------

COMPARE_SNAPSHOTS = SNAPSHOTS_DIR / "compare"


def _shipped_comparisons(repository: CanonRepository, framework: Framework = Framework.OKR) -> list[Comparison]:
    """Every comparison the shipped canon allows: each two family levels of different levels."""
    order = repository.vocabulary().level_codes
    sides = []
    for family in repository.families():
        for code in family.levels:
            level = repository.level(code)
            assert level is not None
            sides.append(Side(family, level))
    return [compare(*sorted(pair, key=lambda side: order.index(side.level.code)), framework)
            for pair in itertools.combinations(sides, 2) if pair[0].level.code != pair[1].level.code]


def _comparison_snapshot(comparison: Comparison) -> Path:
    lower, higher = comparison.lower, comparison.higher
    return COMPARE_SNAPSHOTS / (f"{lower.family.slug}_{lower.level.code}__{higher.family.slug}_"
                                f"{higher.level.code}.txt")


def test_every_shipped_comparison_has_a_snapshot(repository: CanonRepository) -> None:
    expected = {_comparison_snapshot(c).name for c in _shipped_comparisons(repository)}
    assert expected == {"clinical-trials-ops_M2__clinical-trials-ops_M4.txt",
                        "clinical-trials-ops_M2__clinical-project-management_M4.txt"}
    assert expected == {p.name for p in COMPARE_SNAPSHOTS.glob("*.txt")}


@pytest.mark.parametrize("index", [0, 1])
def test_comparison_matches_committed_snapshot(repository: CanonRepository, index: int) -> None:
    comparison = _shipped_comparisons(repository)[index]
    text, path = render_comparison(comparison), _comparison_snapshot(comparison)
    if os.environ.get("GOALS_UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    assert text == path.read_text(encoding="utf-8")


@needs_references
@pytest.mark.parametrize("framework", ALL_FRAMEWORKS)
def test_stretch_frames_are_the_reference_frames_of_the_higher_level(
        repository: CanonRepository, framework: Framework) -> None:
    references = {(r.family_name, r.level_code): r for r in map(read_reference, SEED_FILES)}
    for comparison in _shipped_comparisons(repository, framework):
        higher = comparison.higher
        reference = references[(higher.family.name, higher.level.code)]
        expected = reference.plain_texts[ALL_FRAMEWORKS.index(framework)]
        assert render_frame(comparison.stretch) == expected
        # The snapshot's stretch part is that same reference text.
        if framework is Framework.OKR:
            assert _comparison_snapshot(comparison).read_text(encoding="utf-8").endswith("\n\n" + expected)
