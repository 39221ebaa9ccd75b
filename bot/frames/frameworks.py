"""The four goal frameworks and the words people type for them."""

from __future__ import annotations

from enum import StrEnum


class Framework(StrEnum):
    SMART = "smart"
    OKR = "okr"
    MBO = "mbo"
    SCORECARD = "scorecard"


# Order of the reference documents, and of "all".
ALL_FRAMEWORKS: tuple[Framework, ...] = tuple(Framework)

FRAMEWORK_WORDS: dict[str, Framework] = {
    "smart": Framework.SMART,
    "okr": Framework.OKR,
    "okrs": Framework.OKR,
    "mbo": Framework.MBO,
    "scorecard": Framework.SCORECARD,
}
ALL_WORD = "all"
