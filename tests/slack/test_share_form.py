"""The share form: a channel, and a confirmation while placeholders are empty.

Slack's limits are checked on the dicts we send and by slack_sdk's own models; typed values
must arrive escaped (no pings, mentions or links), and a draft is only ever its owner's.
"""

from __future__ import annotations

from typing import Any

from bot.canon.repository import CanonRepository
from bot.frames.frameworks import Framework
from bot.slack.ids import DRAFT_SHARE_CALLBACK as SHARE_CALLBACK
from bot.slack.share_form import share_form
from bot.slack.values import ShareState
from support.draft_helpers import all_text, check_modal, draft_view, shipped_frame, some_values

JSONDict = dict[str, Any]


# share_form ----------------------------------------------------------------------------


def channel_block(view: JSONDict) -> JSONDict:
    (block,) = [b for b in view["blocks"] if b.get("block_id") == "channel"]
    found: JSONDict = block
    return found


def test_sharing_a_complete_draft_just_asks_for_a_channel(repository: CanonRepository) -> None:
    frame = shipped_frame(repository, Framework.SCORECARD)
    view = draft_view(frame, some_values(frame, every=1))
    assert view.progress is not None and view.progress.complete
    form: JSONDict = share_form(view)
    check_modal(form)
    assert form["callback_id"] == SHARE_CALLBACK
    assert form["submit"]["text"] == "Share"
    assert "still empty" not in all_text(form)
    assert ShareState.parse(form["private_metadata"]) == ShareState(draft=view.draft.id)
    block = channel_block(form)
    assert block["type"] == "input"
    element = block["element"]
    assert element["type"] == "conversations_select"
    assert element["response_url_enabled"] is True
    assert element["default_to_current_conversation"] is True


def test_sharing_a_draft_with_empty_placeholders_asks_to_confirm(repository: CanonRepository) -> None:
    frame = shipped_frame(repository, Framework.OKR)
    view = draft_view(frame, some_values(frame, every=3))
    assert view.progress is not None
    empty = view.progress.total - view.progress.filled
    assert empty > 0
    form: JSONDict = share_form(view)
    check_modal(form)
    assert form["submit"]["text"] == "Share anyway"
    assert f"{empty} of {view.progress.total} placeholders are still empty" in all_text(form)
    assert channel_block(form)["element"]["response_url_enabled"] is True


