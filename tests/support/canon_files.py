"""Small canons written inside tests, in the documented file format."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.canon.repository import CanonRepository
from bot.frames.build import build_frame
from bot.frames.frameworks import ALL_FRAMEWORKS
from bot.frames.model import Frame


def level_doc(code: str = "L1", title: str = "Level One", dimensions: int = 2) -> dict[str, Any]:
    return {
        "code": code,
        "title": title,
        "dimensions": [{"name": f"Dimension {i}", "text": f"Bar {i} of {code}"}
                       for i in range(1, dimensions + 1)],
    }


def family_doc(slug: str = "widgets", levels: dict[str, Any] | None = None,
               **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"slug": slug, "name": f"{slug.title()} Family", "function": "Making"}
    doc.update(extra)
    doc["levels"] = levels if levels is not None else {
        "L1": {"responsibilities": ["Builds widgets", "Ships widgets"],
               "rubrics": {"complexity": "Solves widget problems.",
                           "knowledge_application": "Applies widget knowledge."}},
    }
    return doc


def write_canon_dir(root: Path, levels: list[dict[str, Any]] | None = None,
                    families: list[dict[str, Any]] | None = None,
                    raw: dict[str, str] | None = None) -> Path:
    """Write a canon directory; `raw` maps a relative path to exact file text."""
    (root / "families").mkdir(parents=True, exist_ok=True)
    files = {"levels.json": json.dumps({"levels": levels if levels is not None else [level_doc()]},
                                       ensure_ascii=False)}
    for family in families if families is not None else [family_doc()]:
        files[f"families/{family['slug']}.json"] = json.dumps(family, ensure_ascii=False)
    files.update(raw or {})
    for relative, text in files.items():
        (root / relative).write_text(text, encoding="utf-8")
    return root


def shipped_frames(repository: CanonRepository) -> Iterator[Frame]:
    """Every frame the canon in `repository` builds: each family level, all four frameworks."""
    for family in repository.families():
        for code in family.levels:
            level = repository.level(code)
            assert level is not None
            for framework in ALL_FRAMEWORKS:
                yield build_frame(framework, family, level)
