"""Driving a draft as a person does, over signed HTTP: open the form, fill it, save, wait for
the app's after-save work. Shared by the drafts, catch-up and many-hosts flows."""

from __future__ import annotations

import time
from typing import Any

from bot.canon.repository import CanonRepository
from bot.drafts.fields import placeholder_fields
from bot.drafts.model import Draft, Owner
from bot.frames.build import build_frame
from bot.frames.frameworks import Framework
from bot.frames.model import Frame
from support.block_texts import unescape
from support.slack_app_harness import RunningApp
from support.slack_standin import Call, SlackStandIn

JSON = dict[str, Any]


def okr_m2(repository: CanonRepository) -> Frame:
    found = repository.family_level("clinical-trials-ops", "M2")
    assert found is not None
    return build_frame(Framework.OKR, found[0], found[1])


def form_of(call: Call) -> JSON:
    view = call.body["view"]
    assert isinstance(view, dict)
    return view


def inputs(view: JSON) -> list[JSON]:
    return [block for block in view["blocks"] if block["type"] == "input"]


def open_form(app: RunningApp, slack: SlackStandIn, words: str = "draft M2 cto okr", **kwargs: Any) -> JSON:
    """Type `/goals draft ...`; returns the form as the app last sent it (with the timezone)."""
    before = len(slack.calls("views.update"))
    reply = app.command(words, **kwargs)
    assert (reply.status, reply.body) == (200, "")  # the form is the answer: nothing in the channel
    slack.wait_for("views.update", before + 1)
    return form_of(slack.last("views.update"))


def fill(view: JSON, frame: Frame, **by_kind: str) -> dict[str, str]:
    """An entry for every input of the form, by placeholder kind."""
    kinds = {field.key: field.kind.value for field in placeholder_fields(frame)}
    return {block["block_id"]: by_kind.get(kinds[block["block_id"]], "") for block in inputs(view)}


def save_draft(app: RunningApp, slack: SlackStandIn, frame: Frame, **by_kind: str) -> Call:
    """Start a draft of `frame` by command, save it with values by placeholder kind, and
    wait for its after-save work; returns the draft's DM message as posted."""
    view = open_form(app, slack)
    app.submit(view, fill(view, frame, **by_kind))
    posted = slack.wait_for("chat.postMessage")[0]
    settled(slack, 1)
    return posted


def listed(message: JSON) -> list[str]:
    """The drafts a list shows: its section blocks' texts (buttons and dialogs left out)."""
    return [unescape(b["text"]["text"]) for b in message["blocks"] if b["type"] == "section"]


def settled(slack: SlackStandIn, saves: int) -> None:
    """Wait until `saves` saves have run their after-save work (the DM, then the Home tab)."""
    slack.wait_for("views.publish", saves)



def recorded(app: RunningApp, owner: Owner, seconds: float = 5.0) -> Draft:
    """`owner`'s one draft once its DM message is recorded (work done after Slack answers, on
    the app's own threads), or as it is after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        (draft,) = app.stores.drafts.list(owner)
        if draft.dm_ts is not None or time.monotonic() > deadline:
            return draft
        time.sleep(0.02)
