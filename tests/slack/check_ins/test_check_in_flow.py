"""Check-ins over signed HTTP, on both stores: Alice checks in on her agreed M2 clinical
trials OKR draft, step by step; her DM message shows each target's latest check-in; a second
check-in, closed mid-way, keeps its steps; History lists both, newest first; her draft's values
and agreed version never change. Carol, replaying Alice's buttons and form, finds nothing."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.canon.repository import CanonRepository
from bot.goals.check_ins.rules import NOTE, STATUS, VALUE, target_fields
from bot.goals.model import CheckStatus, Draft, Owner
from bot.slack.check_ins.form import block_id, parse_block
from bot.slack.shared.ids import (
    CHECK_IN_ACTION,
    CHECK_IN_CALLBACK,
    CHECK_IN_HISTORY_ACTION,
    REVIEW_AGREE_ACTION,
    REVIEW_SEND_ACTION,
)
from bot.slack.shared.notices import GONE
from support.block_texts import shown
from support.draft_flow import form_of, inputs, okr_m2, open_form, submit_all
from support.slack_app_harness import RunningApp, button
from support.slack_standin import SlackStandIn

JSON = dict[str, Any]
ALICE, BOB, CAROL = "UALICE", "UBOB", "UCAROL"
ALICE_OWNER = Owner(team="T333", user=ALICE)


@pytest.fixture
def app(slack: SlackStandIn, store_env: dict[str, str], tmp_path: Path) -> Iterator[RunningApp]:
    with RunningApp(slack, data_dir=tmp_path / "data", env=store_env) as running:
        yield running


def alices_message(slack: SlackStandIn) -> JSON:
    """Alice's draft message as Goals last posted or updated it in her DM."""
    calls = [c for c in slack.calls() if c.method in ("chat.postMessage", "chat.update")
             and c.body.get("channel") in (ALICE, "D" + ALICE) and "thread_ts" not in c.body
             and c.body.get("blocks") and c.body["blocks"][0]["type"] == "header"
             and c.body["blocks"][0]["text"]["text"].startswith("Your draft:")]
    assert calls, "no draft message for Alice"
    return calls[-1].body


def click_open(app: RunningApp, slack: SlackStandIn, message: JSON, action: str, user: str = ALICE) -> JSON:
    """Click `action` on `message` as `user`: the modal it opens."""
    before = len(slack.calls("views.open"))
    found = button(message, action)
    app.click(found["action_id"], found["value"], user=user, channel="D" + user, where="message")
    return form_of(slack.wait_for("views.open", before + 1)[-1])


def alices_draft(app: RunningApp) -> Draft:
    (draft,) = app.stores.drafts.list(ALICE_OWNER)
    return draft


def agreed_draft(app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> Draft:
    """Alice fills her M2 OKR draft's targets and Bob agrees it."""
    submit_all(app, open_form(app, slack, user=ALICE, channel="D" + ALICE), okr_m2(repository), user=ALICE,
               target="12 sites", baseline="3 sites")
    app.settle()
    send = click_open(app, slack, alices_message(slack), REVIEW_SEND_ACTION)
    app.submit(send, {"reviewer": BOB}, user=ALICE)
    app.settle()
    to_bob = next(c.body for c in reversed(slack.calls("chat.postMessage")) if c.body.get("channel") == BOB
                  and REVIEW_AGREE_ACTION in json.dumps(c.body.get("blocks", [])))
    agree = button(to_bob, REVIEW_AGREE_ACTION)
    app.click(agree["action_id"], agree["value"], user=BOB, channel="D" + BOB, where="message")
    app.settle()
    draft = alices_draft(app)
    assert draft.agreed is not None and draft.check_ins == []
    return draft


def step_keys(view: JSON) -> list[str]:
    """The target keys a step of the check-in form asks about, in order."""
    return list(dict.fromkeys(found[0] for block in inputs(view) if (found := parse_block(block["block_id"]))))


def check_in(app: RunningApp, view: JSON, typed: Callable[[str], dict[str, str]]) -> list[JSON]:
    """Submit every step, Next by Next, then Save, typing `typed(target key)` for each target
    (by field); the steps as shown."""
    steps = [view]
    while True:
        entries = {block_id(key, field): text for key in step_keys(steps[-1]) for field, text in typed(key).items()}
        reply = app.submit(steps[-1], entries, user=ALICE)
        assert reply.status == 200
        if reply.body == "":
            return steps
        assert reply.json["response_action"] == "update", reply.json
        assert reply.json["view"]["callback_id"] == CHECK_IN_CALLBACK, reply.json  # a step, not a notice
        assert len(steps) < 20
        steps.append(reply.json["view"])


def test_alice_checks_in_twice_sees_the_latest_under_each_target_and_both_in_history(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    before = agreed_draft(app, slack, repository)
    targets = target_fields(okr_m2(repository), before.values)
    first_key = targets[0].key

    # The first check-in: a value over 200 characters is refused beside its field, nothing lost.
    form = click_open(app, slack, alices_message(slack), CHECK_IN_ACTION)
    assert form["callback_id"] == CHECK_IN_CALLBACK and step_keys(form) == [t.key for t in targets[:2]]
    refused = app.submit(form, {block_id(first_key, VALUE): "x" * 201, block_id(first_key, NOTE): "kept"},
                         user=ALICE).json
    assert refused["response_action"] == "errors"
    assert list(refused["errors"]) == [block_id(first_key, VALUE)]
    assert "At most 200 characters" in refused["errors"][block_id(first_key, VALUE)]
    assert alices_draft(app).check_ins == []  # the step was not half saved

    def first(key: str) -> dict[str, str]:
        return {VALUE: f"8 sites ({key[:6]})", STATUS: "on_track", NOTE: "Two sites <late> & *slow*"}

    steps = check_in(app, form, first)
    assert len(steps) == len(okr_m2(repository).rows)
    app.settle()
    mine = alices_message(slack)
    assert slack.calls("chat.update")
    lines = [b for b in mine["blocks"] if b["type"] == "context" and "Latest check-in" in json.dumps(b)]
    assert len(lines) == len(targets)
    text = shown({"blocks": lines})
    assert f"Latest check-in · KR1: “8 sites ({first_key[:6]})” · on track ·" in text
    when = alices_draft(app).check_ins[0].at
    assert f"<!date^{int(when.timestamp())}^" in json.dumps(lines[0]) and when.strftime("%Y-%m-%d") in text
    assert button(mine, CHECK_IN_HISTORY_ACTION)

    # The second: step one saved with Next, then the form closed mid-way with step two typed.
    form = click_open(app, slack, mine, CHECK_IN_ACTION)
    reply = app.submit(form, {block_id(key, VALUE): "10 sites" for key in step_keys(form)}
                       | {block_id(first_key, STATUS): "at_risk"}, user=ALICE)
    second_step = reply.json["view"]
    third, fourth = step_keys(second_step)
    assert app.close(second_step, {block_id(third, VALUE): "4 of 5", block_id(fourth, VALUE): "y" * 201},
                     user=ALICE).status == 200
    app.settle()
    draft = alices_draft(app)
    assert len(draft.check_ins) == 2
    newest = draft.check_ins[1]
    assert {key: entry.value for key, entry in newest.entries.items()} == {
        targets[0].key: "10 sites", targets[1].key: "10 sites", third: "4 of 5"}
    assert newest.entries[first_key].status is CheckStatus.AT_RISK
    told = [c.body for c in slack.calls("chat.postMessage") if c.body.get("channel") == ALICE
            and "You closed your check-in" in json.dumps(c.body)]
    assert told and f'"{"y" * 201}"' in shown(told[-1])  # what she typed, quoted back
    mine = alices_message(slack)
    assert "Latest check-in · KR1: “10 sites” · at risk ·" in shown(mine)
    assert f"Latest check-in · KR1: “8 sites ({targets[6].key[:6]})”" in shown(mine)

    # History: both, newest first, each with its value, status and note.
    history = click_open(app, slack, mine, CHECK_IN_HISTORY_ACTION)
    listed = shown(history)
    assert listed.count("Check-in of") == 2
    assert listed.index("“10 sites” · at risk") < listed.index(f"“8 sites ({first_key[:6]})” · on track")
    assert "Note: “Two sites <late> & *slow*”" in listed and "<late>" not in json.dumps(history)

    # Her draft itself never changed.
    after = alices_draft(app)
    assert after.values == before.values and after.agreed == before.agreed
    assert after.updated_at == before.updated_at


def test_carol_replaying_alices_buttons_and_form_finds_nothing(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    submit_all(app, open_form(app, slack, user=ALICE, channel="D" + ALICE), okr_m2(repository), user=ALICE,
               target="12 sites")
    app.settle()
    # Check in is in her /goals drafts list and on her Home tab too.
    listing = app.command("drafts", user=ALICE).json
    home = slack.last("views.publish").body["view"]
    assert CHECK_IN_ACTION in json.dumps(home) and CHECK_IN_HISTORY_ACTION not in json.dumps(listing)
    found = button(listing, CHECK_IN_ACTION)
    opens = len(slack.calls("views.open"))
    app.click(found["action_id"], found["value"], user=ALICE, where="ephemeral")
    form = form_of(slack.wait_for("views.open", opens + 1)[-1])
    app.submit(form, {block_id(key, VALUE): "8 sites" for key in step_keys(form)}, user=ALICE)
    app.settle()
    mine = alices_message(slack)
    before = alices_draft(app)
    opens = len(slack.calls("views.open"))
    for action in (CHECK_IN_ACTION, CHECK_IN_HISTORY_ACTION):
        found = button(mine, action)
        app.click(found["action_id"], found["value"], user=CAROL, channel="D" + CAROL, where="message")
    app.settle()
    assert len(slack.calls("views.open")) == opens  # no form, no history for her
    said = [c.body for c in slack.calls("response_url")]
    assert len(said) >= 2 and all(GONE in json.dumps(body) for body in said[-2:])
    assert "8 sites" not in json.dumps(said)
    answer = app.submit(form, {block_id(key, VALUE): "0 sites" for key in step_keys(form)}, user=CAROL).json
    assert answer["response_action"] == "update" and "gone" in shown(answer["view"])
    app.close(form, {block_id(key, VALUE): "0 sites" for key in step_keys(form)}, user=CAROL)
    app.settle()
    assert alices_draft(app) == before
    assert app.stores.drafts.list(Owner(team="T333", user=CAROL)) == []
