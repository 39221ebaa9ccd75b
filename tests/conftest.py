"""Shared fixtures: the shipped canon, and small canons written inside the tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.repository import CanonRepository
from support.canon_files import write_canon_dir
from support.paths import SHIPPED_CANON


@pytest.fixture(scope="session")
def repository() -> CanonRepository:
    return CanonRepository.open(SHIPPED_CANON)


@pytest.fixture
def write_canon(tmp_path: Path) -> Callable[..., Path]:
    """`write_canon(levels=..., families=..., raw={path: text})` -> a canon directory."""

    def write(**kwargs: object) -> Path:
        return write_canon_dir(tmp_path / "canon", **kwargs)  # type: ignore[arg-type]

    return write
