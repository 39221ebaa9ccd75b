"""Percentiles and ratios, the way every table in the suite reports them."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def p50(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[94] if len(values) > 1 else values[0]


def p99(values: Sequence[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98] if len(values) > 1 else values[0]


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}×" if base else "n/a"
