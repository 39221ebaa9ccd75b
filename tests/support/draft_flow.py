"""Driving a draft as a person does, over signed HTTP: open the form, fill it, save, wait for
the app's after-save work. Shared by the drafts, catch-up and many-hosts flows."""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

from bot.canon.repository import CanonRepository
from bot.frames.build import build_frame
from bot.frames.frameworks import Framework
from bot.frames.model import Frame
from bot.goals.fields import placeholder_fields
from bot.goals.model import Draft, Owner
from bot.slack.drafts.form import STEP_INPUTS_MAX
from bot.slack.shared.ids import DRAFT_ANOTHER_ACTION, DRAFT_FORM_CALLBACK
from support.block_texts import unescape
from support.slack_app_harness import Reply, RunningApp, button
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
    """An entry for every placeholder input of the form's step, by placeholder kind (the
    draft's name and period end left empty)."""
    kinds = {field.key: field.kind.value for field in placeholder_fields(frame)}
    # An input that is no placeholder (the name, period end) is submitted as shown, as Slack does.
    return {block["block_id"]: by_kind.get(kinds[block["block_id"]], "") if block["block_id"] in kinds
            else block["element"].get("initial_value") or block["element"].get("initial_date") or ""
            for block in inputs(view)}


def submit_all(app: RunningApp, view: JSON, frame: Frame, user: str = "U111", **by_kind: str) -> int:
    """Fill and submit every step of the form, Next by Next, then Save; how many steps."""
    steps = 0
    while True:
        steps += 1
        assert len(inputs(view)) <= STEP_INPUTS_MAX  # every step as a person sees it
        reply = app.submit(view, fill(view, frame, **by_kind), user=user)
        assert reply.status == 200
        answer = reply.json
        if answer.get("response_action") != "update" or "Draft" not in answer["view"]["title"]["text"]:
            return steps
        assert steps < 100
        view = answer["view"]


def save_draft(app: RunningApp, slack: SlackStandIn, frame: Frame, **by_kind: str) -> Call:
    """Start a draft of `frame` by command, save every step with values by placeholder kind,
    and wait for its after-save work; returns the draft's DM message as first posted."""
    view = open_form(app, slack)
    steps = submit_all(app, view, frame, **by_kind)
    posted = slack.wait_for("chat.postMessage")[0]
    settled(slack, steps)
    app.settle()
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


def click_in_modal(app: RunningApp, view: JSON, action_id: str, value: str, user: str = "U111",
                   view_id: str = "V0000001") -> Reply:
    """A button clicked inside a modal the app showed (`view` as it sent it; Slack adds the
    view's id and hash)."""
    payload = json.loads(urllib.parse.parse_qs(app.click_body(action_id, value, user=user))["payload"][0])
    for key in ("channel", "response_url"):
        payload.pop(key, None)
    payload["container"] = {"type": "view", "view_id": view_id}
    payload["view"] = {**view, "id": view_id, "hash": "1700000000.abc", "team_id": "T333",
                       "state": {"values": {}}}
    return app.signed(urllib.parse.urlencode({"payload": json.dumps(payload)}))


def open_new_form(app: RunningApp, slack: SlackStandIn, words: str = "draft M2 cto okr",
                  user: str = "U111", **kwargs: Any) -> JSON:
    """`/goals draft ...` for a new draft, whether or not the person has drafts of that frame
    already (then the app asks first, and "Start another" puts the new draft's form in the
    question's place); returns the form as the app last sent it (with the timezone)."""
    opened, updated = len(slack.calls("views.open")), len(slack.calls("views.update"))
    reply = app.command(words, user=user, **kwargs)
    assert (reply.status, reply.body) == (200, "")
    first = form_of(slack.wait_for("views.open", opened + 1)[-1])
    if first.get("callback_id") == DRAFT_FORM_CALLBACK:
        slack.wait_for("views.update", updated + 1)  # the timezone added
        return form_of(slack.last("views.update"))
    another = button(first, DRAFT_ANOTHER_ACTION)
    assert click_in_modal(app, first, DRAFT_ANOTHER_ACTION, another["value"], user=user).status == 200
    slack.wait_for("views.update", updated + 2)  # the form in the question's place, then the timezone
    form = form_of(slack.last("views.update"))
    assert form["callback_id"] == DRAFT_FORM_CALLBACK
    return form


def submit_steps(app: RunningApp, view: JSON, typed: Callable[[JSON], dict[str, str]],
                 user: str = "U111") -> list[JSON]:
    """Submit every step of the form, Next by Next then Save, typing `typed(step)` into each;
    the steps as they were shown. The last step's Save closes the form (an empty answer)."""
    steps = [view]
    while True:
        assert len(inputs(steps[-1])) <= STEP_INPUTS_MAX
        reply = app.submit(steps[-1], typed(steps[-1]), user=user)
        assert reply.status == 200
        if reply.body == "":
            return steps
        assert reply.json["response_action"] == "update", reply.json
        assert reply.json["view"]["callback_id"] == DRAFT_FORM_CALLBACK, reply.json  # no notice
        assert len(steps) < 100
        steps.append(reply.json["view"])


def went_on(reply: Reply) -> bool:
    """Whether a step of the form was saved and the form went on to its next step (Next):
    the answer puts the next step in the form's place; not errors, not a notice."""
    if reply.status != 200 or not reply.body:
        return False
    answer = reply.json
    return (answer.get("response_action") == "update" and isinstance(answer.get("view"), dict)
            and answer["view"].get("callback_id") == DRAFT_FORM_CALLBACK)
