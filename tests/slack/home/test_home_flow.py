"""The Home tab as the front door, over signed HTTP, as a person who never typed a command
would click: pick a job family, a level and a framework; see the frame; start a draft. And
a bare `/goals`, which answers with the same pickers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.canon.repository import CanonRepository
from bot.frames.frameworks import Framework
from bot.goals.model import Owner
from bot.slack.shared.ids import (
    DRAFT_ACTION,
    PICK_ACTION,
    PICK_BLOCK,
    PICK_FAMILY,
    PICK_FRAMEWORK,
    PICK_LEVEL,
    PICK_SHOW_ACTION,
    RUN_ACTION,
)
from bot.slack.shared.values import FrameRef, RunRef
from support.block_texts import shown
from support.canon_files import family_doc, level_doc, write_canon_dir
from support.draft_flow import form_of, okr_m2, submit_all
from support.slack_app_harness import RunningApp, button
from support.slack_standin import SlackStandIn

JSON = dict[str, Any]
PAT = Owner(team="T333", user="U111")
FAMILY, LEVEL, FRAMEWORK = (f"{PICK_ACTION}{word}" for word in (PICK_FAMILY, PICK_LEVEL, PICK_FRAMEWORK))


def published(app: RunningApp, slack: SlackStandIn) -> JSON:
    """The Home tab as Goals last published it for U111."""
    app.settle()
    view: JSON = slack.calls("views.publish")[-1].body["view"]
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    return view


def select(view: JSON, action_id: str) -> JSON:
    found = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]
             if e["action_id"] == action_id]
    assert len(found) == 1, f"{action_id}: {len(found)} selects"
    return found[0]


def has_select(view: JSON, action_id: str) -> bool:
    return any(e["action_id"] == action_id for b in view["blocks"] if b["type"] == "actions" for e in b["elements"])


def option(view: JSON, action_id: str, text: str) -> str:
    """The value of the option of `action_id` whose text starts with `text`."""
    value: str = next(o["value"] for o in select(view, action_id)["options"] if o["text"]["text"].startswith(text))
    return value


def pick_on_home(app: RunningApp, slack: SlackStandIn, action_id: str, value: str) -> JSON:
    slack.reset()
    assert app.pick(action_id, value, block_id=PICK_BLOCK, where="home").status == 200
    return published(app, slack)


def walk_to_m2_okr(app: RunningApp, slack: SlackStandIn) -> JSON:
    app.home_opened()
    home = published(app, slack)
    home = pick_on_home(app, slack, FAMILY, option(home, FAMILY, "Clinical Trials Operations"))
    home = pick_on_home(app, slack, LEVEL, option(home, LEVEL, "M2"))
    return pick_on_home(app, slack, FRAMEWORK, option(home, FRAMEWORK, "OKRs"))


def test_a_new_person_sees_pickers_short_help_and_no_drafts(app: RunningApp, slack: SlackStandIn) -> None:
    app.home_opened()
    home = published(app, slack)
    text = shown(home)
    assert "Pick your job family, your level and a framework" in text
    assert has_select(home, FAMILY) and has_select(home, FRAMEWORK)
    assert not has_select(home, LEVEL)  # a level only once a family says which levels there are
    assert "no drafts yet" in text
    assert "Usage:" not in text  # help is sentences and buttons, not a usage dump
    examples = [e for b in home["blocks"] if b["type"] == "actions" for e in b["elements"]
                if e["action_id"].startswith(RUN_ACTION)]
    assert [RunRef.parse(e["value"]) for e in examples][-2:] == [RunRef(words="drafts"), RunRef(words="help")]
    primary = [e for b in home["blocks"] if b["type"] == "actions" for e in b["elements"] if e.get("style")]
    assert primary == []  # nothing to do yet, so nothing shouts


def test_from_an_opened_home_tab_to_the_m2_okr_frame_and_a_saved_draft_by_clicking(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    home = walk_to_m2_okr(app, slack)
    assert home["blocks"][0]["type"] == "header"
    text = shown(home)
    assert "OKRs — Clinical Trials Operations · M2" in text
    assert select(home, FAMILY)["initial_option"]["text"]["text"] == "Clinical Trials Operations"
    assert select(home, LEVEL)["initial_option"]["value"] == "M2"
    assert select(home, FRAMEWORK)["initial_option"]["value"] == "okr"
    start = button(home, DRAFT_ACTION)
    assert start["text"]["text"] == "Start a draft" and start["style"] == "primary"
    styled = [e for b in home["blocks"] if b["type"] == "actions" for e in b["elements"] if e.get("style")]
    assert styled == [start]  # the one primary action on the tab
    assert FrameRef.parse(start["value"]) == FrameRef(family="clinical-trials-ops", level="M2",
                                                      framework=Framework.OKR)
    slack.reset()
    app.click(DRAFT_ACTION, start["value"], where="home")
    form = form_of(slack.wait_for("views.open")[0])
    assert form["type"] == "modal" and form["callback_id"] == "goals_draft_form"
    assert "Clinical Trials Operations" in shown(form)
    # Fill every step and save: a draft, its DM message, and the Home tab listing it.
    app.settle()
    slack.reset()
    submit_all(app, form, okr_m2(repository), target="12 sites")
    (dm,) = slack.wait_for("chat.postMessage")
    assert dm.body["channel"] == "U111" and "12 sites" in shown(dm.body)
    (draft,) = app.stores.drafts.list(PAT)
    assert (draft.family, draft.level, draft.framework) == ("clinical-trials-ops", "M2", Framework.OKR)
    assert "OKRs — Clinical Trials Operations · M2" in shown(published(app, slack)).split("Your drafts", 1)[1]
    assert slack.calls("chat.postEphemeral") == []  # drafted from Home: the DM is the confirmation


def test_the_choice_is_remembered_for_the_next_visit_and_a_bare_goals(app: RunningApp, slack: SlackStandIn) -> None:
    walk_to_m2_okr(app, slack)
    profile = app.stores.profiles.get(PAT)
    assert profile is not None
    assert (profile.family, profile.level, profile.framework) == ("clinical-trials-ops", "M2", Framework.OKR)
    slack.reset()
    app.home_opened()
    assert "OKRs — Clinical Trials Operations · M2" in shown(published(app, slack))
    bare = app.command("").json
    assert bare["response_type"] == "ephemeral"
    assert select(bare, FAMILY)["initial_option"]["text"]["text"] == "Clinical Trials Operations"
    show = button(bare, PICK_SHOW_ACTION)
    assert show["style"] == "primary" and button(bare, DRAFT_ACTION).get("style") is None
    # Someone else is remembered apart.
    other = app.command("", user="U222").json
    assert "initial_option" not in select(other, FAMILY)


def test_a_bare_goals_is_pickers_and_picking_them_shows_the_frame_in_place(
        app: RunningApp, slack: SlackStandIn) -> None:
    bare = app.command("").json
    assert not has_select(bare, LEVEL) and "Usage:" not in shown(bare)
    family = option(bare, FAMILY, "Clinical Trials Operations")
    state = {PICK_BLOCK: {FAMILY: {"type": "static_select", "selected_option": {"value": family}}}}
    app.pick(FAMILY, family, block_id=PICK_BLOCK, state=state)
    (replaced,) = slack.wait_for("response_url")
    assert replaced.body["replace_original"] is True and has_select(replaced.body, LEVEL)
    state[PICK_BLOCK][LEVEL] = {"type": "static_select", "selected_option": {"value": "M2"}}
    slack.reset()
    app.pick(LEVEL, "M2", block_id=PICK_BLOCK, state=state)
    app.settle()
    state[PICK_BLOCK][FRAMEWORK] = {"type": "static_select", "selected_option": {"value": "smart"}}
    slack.reset()
    app.pick(FRAMEWORK, "smart", block_id=PICK_BLOCK, state=state)
    (frame,) = slack.wait_for("response_url")
    assert frame.body["replace_original"] is True
    assert frame.body["blocks"][0]["text"]["text"] == "SMART goals — Clinical Trials Operations · M2"


@pytest.mark.parametrize("value", ["", "no-such-family", "#" + "0" * 32, "x" * 500])
def test_a_crafted_family_option_picks_nothing(app: RunningApp, slack: SlackStandIn, value: str) -> None:
    app.home_opened()
    published(app, slack)
    home = pick_on_home(app, slack, FAMILY, value)
    assert "initial_option" not in select(home, FAMILY) and not has_select(home, LEVEL)
    profile = app.stores.profiles.get(PAT)
    assert profile is None or profile.family is None


def test_a_level_the_new_family_has_too_is_kept_and_one_it_lacks_is_dropped(
        tmp_path: Path, slack: SlackStandIn) -> None:
    work = {"responsibilities": ["Builds widgets"], "rubrics": {"complexity": "Solves widget problems."}}
    canon = write_canon_dir(tmp_path / "canon", levels=[level_doc("L1"), level_doc("L2", title="Level Two")],
                            families=[family_doc("alpha", levels={"L1": work, "L2": work}),
                                      family_doc("beta", levels={"L2": work})])
    with RunningApp(slack, canon_dir=canon) as app:
        app.home_opened()
        home = published(app, slack)
        home = pick_on_home(app, slack, FAMILY, option(home, FAMILY, "Alpha"))
        home = pick_on_home(app, slack, LEVEL, option(home, LEVEL, "L2"))
        home = pick_on_home(app, slack, FAMILY, option(home, FAMILY, "Beta"))
        assert select(home, LEVEL)["initial_option"]["value"] == "L2"  # Beta has L2 too: kept
        home = pick_on_home(app, slack, FAMILY, option(home, FAMILY, "Alpha"))
        home = pick_on_home(app, slack, LEVEL, option(home, LEVEL, "L1"))
        home = pick_on_home(app, slack, FAMILY, option(home, FAMILY, "Beta"))
        assert "initial_option" not in select(home, LEVEL)  # Beta has no L1: pick again
        assert [o["value"] for o in select(home, LEVEL)["options"]] == ["L2"]


def test_open_in_my_dm_and_the_help_examples_answer_in_the_dm(app: RunningApp, slack: SlackStandIn) -> None:
    home = walk_to_m2_okr(app, slack)
    show = button(home, PICK_SHOW_ACTION)
    slack.reset()
    app.click(PICK_SHOW_ACTION, show["value"], where="home")
    (dm,) = slack.wait_for("chat.postMessage")
    assert dm.body["channel"] == "U111"
    assert dm.body["blocks"][0]["text"]["text"] == "OKRs — Clinical Trials Operations · M2"
    example = next(e for b in home["blocks"] if b["type"] == "actions" for e in b["elements"]
                   if e["action_id"].startswith(RUN_ACTION))
    slack.reset()
    app.click(example["action_id"], example["value"], where="home")
    (answer,) = slack.wait_for("chat.postMessage")
    assert answer.body["channel"] == "U111" and answer.body["blocks"][0]["type"] == "header"
