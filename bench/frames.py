"""Time to build one frame and lay it out as text and as Block Kit, per shipped frame and
for a synthetic family level with 40 responsibilities (larger than any shipped one)."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

from bot.canon.model import Family, FamilyLevel, Rubrics
from bot.canon.repository import CanonRepository
from bot.frames.build import build_frame
from bot.frames.frameworks import ALL_FRAMEWORKS
from bot.frames.model import Frame
from bot.frames.text import render_frame
from bot.slack.frames.blocks import frame_message

SYNTHETIC_ROWS = 40


def _best_ms(work: Callable[[], object], repeat: int) -> float:
    # The mean over a batch, best of three batches: the least disturbed by the machine.
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(repeat):
            work()
        best = min(best, (time.perf_counter() - started) * 1000 / repeat)
    return best


def synthetic_family(level_code: str) -> Family:
    """Benchmark data, not canon: never shipped, never shown to anyone."""
    responsibilities = tuple(f"Synthetic responsibility {i}: " + "owns a measurable outcome " * 8
                             for i in range(1, SYNTHETIC_ROWS + 1))
    return Family(slug="synthetic", name="Synthetic Family", function="Benchmarks", levels={
        level_code: FamilyLevel(responsibilities=responsibilities,
                                rubrics=Rubrics(complexity="Synthetic rubric.", knowledge_application="Synthetic."))})


def timings(repository: CanonRepository, repeat: int) -> list[tuple[str, float, float, float]]:
    """(frame, build ms, text ms, Block Kit ms) for every frame measured."""
    cases: list[tuple[str, Callable[[], Frame]]] = []
    for family in repository.families():
        for code in family.levels:
            level = repository.level(code)
            assert level is not None
            for framework in ALL_FRAMEWORKS:
                cases.append((f"{family.slug} {code} {framework.value}",
                              partial(build_frame, framework, family, level)))
    top = repository.level(repository.vocabulary().levels[-1].code)
    assert top is not None
    synthetic = synthetic_family(top.code)
    for framework in ALL_FRAMEWORKS:
        cases.append((f"synthetic {SYNTHETIC_ROWS} rows {framework.value}",
                      partial(build_frame, framework, synthetic, top)))
    results = []
    for label, build in cases:
        frame = build()
        results.append((label, _best_ms(build, repeat), _best_ms(partial(render_frame, frame), repeat),
                        _best_ms(partial(_block_kit, frame), repeat)))
    return results


def _block_kit(frame: Frame) -> object:
    return frame_message(frame).as_kwargs()
