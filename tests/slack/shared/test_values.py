"""Button values and form metadata: round trips, and everything else refused.

Slack's limits are checked on the dicts we send and by slack_sdk's own models; typed values
must arrive escaped (no pings, mentions or links), and a draft is only ever its owner's.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.frames.frameworks import Framework
from bot.slack.shared.values import DraftRef, FormState, ShareState

JSONDict = dict[str, Any]


# Strict parsing of what travels through Slack ---------------------------------------------


def test_form_state_round_trips() -> None:
    state = FormState(draft="a1B_-", new=True, family="clinical-trials-ops", level="M2",
                      framework=Framework.SCORECARD, part=3, tz="Pacific/Auckland")
    assert FormState.parse(state.value()) == state
    plain = FormState(draft="abc", family="f", level="L1", framework=Framework.OKR)
    assert FormState.parse(plain.value()) == plain
    assert json.loads(plain.value()) == {"d": "abc", "f": "f", "l": "L1", "w": "okr"}  # defaults left out


GOOD_STATE: JSONDict = {"d": "abc", "f": "widgets", "l": "L1", "w": "okr"}


@pytest.mark.parametrize("value", [
    None, 42, "", "not json", "[]", "{}", "null", json.dumps({"d": "abc"}),
    json.dumps({**GOOD_STATE, "p": True}),
    json.dumps({**GOOD_STATE, "n": "yes"}),
    json.dumps({**GOOD_STATE, "n": 1}),
    json.dumps({**GOOD_STATE, "p": "1"}),
    json.dumps({**GOOD_STATE, "p": -1}),
    json.dumps({**GOOD_STATE, "p": 1001}),
    json.dumps({**GOOD_STATE, "w": "bananas"}),
    json.dumps({**GOOD_STATE, "z": "x" * 65}),
    json.dumps({**GOOD_STATE, "owner": "U2"}),
    json.dumps({**GOOD_STATE, "d": "../../etc"}),
    json.dumps({**GOOD_STATE, "d": "x" * 65}),
    json.dumps({**GOOD_STATE, "d": "a b"}),
    json.dumps({**GOOD_STATE, "d": ""}),
    json.dumps({**GOOD_STATE, "f": ""}),
])
def test_form_state_refuses_anything_else(value: object) -> None:
    assert FormState.parse(value) is None


def test_form_state_accepts_the_longest_id() -> None:
    assert FormState.parse(json.dumps({**GOOD_STATE, "d": "x" * 64})) is not None
    assert FormState.parse(json.dumps(GOOD_STATE)) == FormState(draft="abc", family="widgets", level="L1",
                                                                framework=Framework.OKR)


@pytest.mark.parametrize("value", [
    None, "", "garbage", "{}", json.dumps({"d": "abc", "p": True}), json.dumps({"d": "abc", "p": "2"}),
    json.dumps({"d": "abc", "p": -1}), json.dumps({"d": "abc", "x": 1}), json.dumps({"d": "../../etc"}),
    json.dumps({"d": "x" * 65}), json.dumps({"d": 5}),
])
def test_draft_ref_refuses_anything_else(value: object) -> None:
    assert DraftRef.parse(value) is None


def test_draft_ref_and_share_state_round_trip() -> None:
    ref = DraftRef(draft="abc", page=4)
    assert DraftRef.parse(ref.value()) == ref
    assert DraftRef.parse(DraftRef(draft="abc").value()) == DraftRef(draft="abc", page=0)
    share = ShareState(draft="x" * 64)
    assert ShareState.parse(share.value()) == share


@pytest.mark.parametrize("value", [
    None, "", "nope", "{}", json.dumps({"d": "abc", "p": 1}), json.dumps({"d": "../../etc"}),
    json.dumps({"d": "x" * 65}), json.dumps({"d": True}),
])
def test_share_state_refuses_anything_else(value: object) -> None:
    assert ShareState.parse(value) is None


