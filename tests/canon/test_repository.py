"""The canon repository: look-ups by slug, alias and level code, in any case, no scans."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tinydb.table import Table

from bot.canon.repository import CanonRepository
from support.canon_files import family_doc, level_doc


@pytest.fixture
def no_scans(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make any TinyDB query that walks a whole table fail the test."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a look-up scanned a whole table")

    for name in ("search", "count", "contains", "update", "remove"):
        monkeypatch.setattr(Table, name, refuse)
    original_get = Table.get

    def get(self: Table, cond: object = None, doc_id: int | None = None, **kwargs: object) -> object:
        assert cond is None and doc_id is not None, "look-up by query instead of by doc_id"
        return original_get(self, doc_id=doc_id, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Table, "get", get)
    yield


@pytest.mark.parametrize("name", ["clinical-trials-ops", "CLINICAL-TRIALS-OPS", "cto", "CTO", "Cto"])
def test_family_by_slug_or_alias_in_any_case(repository: CanonRepository, name: str, no_scans: None) -> None:
    family = repository.family(name)
    assert family is not None and family.slug == "clinical-trials-ops"


@pytest.mark.parametrize("code", ["M2", "m2"])
def test_level_by_code_in_any_case(repository: CanonRepository, code: str, no_scans: None) -> None:
    level = repository.level(code)
    assert level is not None and (level.code, level.title) == ("M2", "Manager II")
    assert [d.name for d in level.dimensions] == [
        "Scope", "Autonomy", "Complexity", "Impact", "Decision rights", "Leadership"]


def test_unknown_names_are_none(repository: CanonRepository) -> None:
    assert repository.family("clinical") is None
    assert repository.level("M3") is None


def test_family_level_only_where_the_family_has_canon(repository: CanonRepository) -> None:
    found = repository.family_level("cpm", "m4")
    assert found is not None
    family, level, canon = found
    assert (family.slug, level.code, len(canon.responsibilities)) == (
        "clinical-project-management", "M4", 5)
    assert repository.family_level("cpm", "M2") is None
    assert repository.family_level("nope", "M4") is None


def test_families_are_listed_by_slug_with_their_levels(repository: CanonRepository) -> None:
    assert [(f.slug, list(f.levels)) for f in repository.families()] == [
        ("clinical-project-management", ["M4"]),
        ("clinical-trials-ops", ["M2", "M4"]),
    ]


def test_shipped_canon_holds_exactly_the_reference_families_and_levels(repository: CanonRepository) -> None:
    vocabulary = repository.vocabulary()
    assert vocabulary.level_codes == ("M2", "M4")
    assert [(f.slug, f.name, f.function, f.aliases) for f in vocabulary.families] == [
        ("clinical-project-management", "Clinical Project Management",
         "Clinical Research & Trials", ("cpm",)),
        ("clinical-trials-ops", "Clinical Trials Operations",
         "Clinical Trials Operations", ("cto",)),
    ]


def test_lookups_stay_indexed_in_a_large_canon(tmp_path: Path, no_scans: None,
                                               write_canon: Callable[..., Path]) -> None:
    families = [family_doc(f"family-{i}", aliases=[f"f{i}"]) for i in range(300)]
    repository = CanonRepository.open(write_canon(levels=[level_doc()], families=families))
    family = repository.family("F299")
    assert family is not None and family.slug == "family-299"
