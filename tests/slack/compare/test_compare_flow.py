"""`/goals compare ...` end to end: signed HTTP into the running app, Slack played by a stand-in.

The comparison is the command's private answer; the stretch frame follows through the
response_url and behaves like any frame (switch, draft, copy, share), labelled throughout.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from bot.canon.repository import CanonRepository
from bot.cli.main import run
from bot.frames.comparison import Side, compare
from bot.frames.frameworks import Framework
from bot.frames.text import render_comparison, render_frame
from bot.slack.shared.ids import COMPARE_COPY_ACTION as COMPARE_COPY
from bot.slack.shared.ids import COMPARE_PAGE_ACTION as COMPARE_PAGE
from bot.slack.shared.ids import COMPARE_SHARE_ACTION as COMPARE_SHARE
from bot.slack.shared.ids import COMPARE_STRETCH_ACTION as STRETCH_ACTION
from bot.slack.shared.ids import (
    COPY_ACTION,
    DRAFT_ACTION,
    DRAFT_FOR_ACTION,
    SHARE_ACTION,
    SHARED_DELETE_ACTION,
    SWITCH_MENU_ACTION,
)
from bot.slack.shared.values import CompareRef, FormState
from support.block_texts import copied_text, shown
from support.canon_files import family_doc, level_doc, write_canon_dir
from support.share_flow import share_in_channel
from support.slack_app_harness import RunningApp, button
from support.slack_standin import SlackStandIn

JSON = dict[str, Any]




def section_text(message: JSON) -> str:
    """The sections' texts, read as Slack shows them: what "Copy as text" puts on the clipboard."""
    return copied_text([message])


def action_ids(message: JSON) -> list[str]:
    return [e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


def sides(repository: CanonRepository, lower: tuple[str, str], higher: tuple[str, str]) -> tuple[Side, Side]:
    found = [repository.family_level(family, level) for family, level in (lower, higher)]
    assert found[0] is not None and found[1] is not None
    return Side(found[0][0], found[0][1]), Side(found[1][0], found[1][1])


def compared(app: RunningApp, slack: SlackStandIn, words: str) -> tuple[JSON, JSON]:
    """Type `/goals words`: the comparison (the ack) and the stretch frame (after it)."""
    reply = app.command(words)
    assert reply.status == 200
    (stretch,) = slack.wait_for("response_url")
    slack.reset()
    return reply.json, stretch.body


# The command ----------------------------------------------------------------------------------

def test_compare_answers_privately_with_the_comparison_then_the_stretch_frame(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    comparison, stretch = compared(app, slack, "compare M2 M4 cto")
    assert comparison["response_type"] == "ephemeral"
    assert comparison["blocks"][0] == {"type": "header", "text": {
        "type": "plain_text", "text": "Clinical Trials Operations: M2 → M4", "emoji": False}}
    text = shown(comparison)
    lower, higher = sides(repository, ("cto", "M2"), ("cto", "M4"))
    for dimension in (*lower.level.dimensions, *higher.level.dimensions):
        assert dimension.text in text
    for side in (lower, higher):
        assert side.canon.rubrics.complexity in text
        assert all(responsibility in text for responsibility in side.canon.responsibilities)
    # The stretch frame follows as a message of its own with its own menu, so the comparison
    # has no stretch buttons of its own: the two messages have one primary button between them.
    assert action_ids(comparison) == [COMPARE_COPY, COMPARE_SHARE]

    assert stretch["response_type"] == "ephemeral" and stretch["replace_original"] is False
    assert stretch["blocks"][0]["text"]["text"] == "Stretch · OKRs — Clinical Trials Operations · M4"
    assert ("Stretch frame — the next level's expectations: Clinical Trials Operations · M4 — Director, "
            "for a person at Clinical Trials Operations · M2 — Manager II.") in shown(stretch)
    assert "[source: JFM responsibility (M4)]" not in shown(stretch)  # blocks show sources as context
    assert "source: JFM responsibility (M4)" in shown(stretch)
    assert action_ids(stretch) == [SWITCH_MENU_ACTION, DRAFT_ACTION, COPY_ACTION, SHARE_ACTION, DRAFT_FOR_ACTION]
    primaries = [e for message in (comparison, stretch) for b in message["blocks"] if b["type"] == "actions"
                 for e in b["elements"] if e.get("style") == "primary"]
    assert [e["action_id"] for e in primaries] == [DRAFT_ACTION]
    assert slack.calls("chat.postMessage") == []  # nothing in the channel


def test_compare_across_families_with_a_framework(app: RunningApp, slack: SlackStandIn) -> None:
    comparison, stretch = compared(app, slack, "compare M2 clinical-trials-ops smart M4 clinical-project-management")
    assert comparison["blocks"][0]["text"]["text"] == ("Clinical Trials Operations · M2 → "
                                                       "Clinical Project Management · M4")
    assert button(stretch, SWITCH_MENU_ACTION)["initial_option"]["text"]["text"] == "SMART goals"
    assert stretch["blocks"][0]["text"]["text"] == "Stretch · SMART goals — Clinical Project Management · M4"


def test_levels_in_either_order_give_the_same_answer(app: RunningApp, slack: SlackStandIn) -> None:
    assert compared(app, slack, "compare M4 M2 cto") == compared(app, slack, "CTO m2 COMPARE m4")


@pytest.mark.parametrize(("words", "says"), [
    ("compare M2 M2 cto", "compare needs two different levels, but both are M2."),
    ("compare M2 cto", 'compare takes two levels, lower and higher in either order: got "M2".'),
    ("compare M2 cpm M4 cpm", "Clinical Project Management has no canon for M2; it has M4."),
    ("compare M2 M4 cto all", "compare shows one stretch frame"),
    ("compare M2 M9 cto", 'Unknown level "M9"'),
])
def test_compare_errors_are_private_and_give_a_comparison_that_works(
        app: RunningApp, slack: SlackStandIn, words: str, says: str) -> None:
    reply = app.command(words)
    assert reply.json["response_type"] == "ephemeral"
    text = shown(reply.json)
    assert says in text
    assert "Try: /goals compare M2 M4 clinical-trials-ops" in text
    assert slack.calls() == []


# The stretch frame is a frame ---------------------------------------------------------------

def test_the_stretch_frame_drafts_the_higher_levels_frame(app: RunningApp, slack: SlackStandIn) -> None:
    _, stretch = compared(app, slack, "compare M2 cto M4 cpm mbo")
    draft = button(stretch, DRAFT_ACTION)
    app.click(draft["action_id"], draft["value"])
    (opened,) = slack.wait_for("views.open")
    state = FormState.parse(opened.body["view"]["private_metadata"])
    assert state is not None
    assert (state.family, state.level, state.framework) == ("clinical-project-management", "M4", Framework.MBO)


def test_switching_the_stretch_frame_updates_the_message_shown_and_keeps_it_labelled(
        app: RunningApp, slack: SlackStandIn) -> None:
    _, stretch = compared(app, slack, "compare M2 M4 cto")
    menu = button(stretch, SWITCH_MENU_ACTION)
    scorecard = next(o["value"] for o in menu["options"] if o["text"]["text"] == "Scorecard")
    app.pick(SWITCH_MENU_ACTION, scorecard)
    (call,) = slack.wait_for("response_url")
    assert call.body["replace_original"] is True  # the one stretch message, updated: no third message
    assert call.body["blocks"][0]["text"]["text"] == "Stretch · Scorecard — Clinical Trials Operations · M4"
    assert "for a person at Clinical Trials Operations · M2 — Manager II" in shown(call.body)


def test_copying_the_stretch_frame_gives_its_label_then_the_frame(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    _, stretch = compared(app, slack, "compare M2 M4 cto")
    copy = button(stretch, COPY_ACTION)
    app.click(copy["action_id"], copy["value"])
    (call,) = slack.wait_for("response_url")
    expected = compare(*sides(repository, ("cto", "M2"), ("cto", "M4")), Framework.OKR).stretch
    assert section_text(call.body) == f"{expected.stretch_label}\n\n{render_frame(expected)}"


def test_sharing_the_stretch_frame_keeps_its_label(app: RunningApp, slack: SlackStandIn) -> None:
    _, stretch = compared(app, slack, "compare M2 M4 cto")
    posted = share_in_channel(app, slack, stretch, user="U999")
    assert posted["response_type"] == "in_channel"
    assert "Stretch frame — the next level's expectations" in shown(posted)


# The comparison's buttons ----------------------------------------------------------------------

def test_a_shared_comparisons_stretch_button_gives_a_teammate_a_stretch_frame_of_their_own(
        app: RunningApp, slack: SlackStandIn) -> None:
    comparison, _ = compared(app, slack, "compare M2 M4 cto mbo")
    posted = share_in_channel(app, slack, comparison, COMPARE_SHARE, user="U999")
    stretch = button(posted, f"{STRETCH_ACTION}mbo")
    assert stretch["text"]["text"] == "See the stretch frame"
    slack.reset()
    app.click(stretch["action_id"], stretch["value"], user="U222", where="message")
    (call,) = slack.wait_for("response_url")
    assert call.body["replace_original"] is False and call.body["response_type"] == "ephemeral"
    assert call.body["blocks"][0]["text"]["text"] == "Stretch · MBO areas — Clinical Trials Operations · M4"


def test_copy_gives_exactly_what_the_cli_prints(app: RunningApp, slack: SlackStandIn,
                                               repository: CanonRepository) -> None:
    comparison, _ = compared(app, slack, "compare M2 cto M4 cpm scorecard")
    copy = button(comparison, COMPARE_COPY)
    app.click(copy["action_id"], copy["value"])
    calls = slack.wait_for("response_url")
    expected = compare(*sides(repository, ("cto", "M2"), ("cpm", "M4")), Framework.SCORECARD)
    assert copied_text(call.body for call in calls) == render_comparison(expected)
    assert all(call.body["replace_original"] is False for call in calls)


def test_sharing_the_comparison_posts_it_for_the_team(app: RunningApp, slack: SlackStandIn,
                                                      repository: CanonRepository) -> None:
    comparison, _ = compared(app, slack, "compare M2 M4 cto")
    posted = share_in_channel(app, slack, comparison, COMPARE_SHARE, user="U999")
    assert posted["response_type"] == "in_channel"
    assert posted["blocks"][0]["elements"][1]["text"] == "<@U999>"
    m4 = repository.level("M4")
    assert m4 is not None and m4.dimensions
    assert all(dimension.text in shown(posted) for dimension in m4.dimensions)
    # The team can read the stretch frame and copy; paging stays with the sharer, who alone
    # can delete it.
    assert action_ids(posted) == [f"{STRETCH_ACTION}okr", COMPARE_COPY, SHARED_DELETE_ACTION]


@pytest.mark.parametrize("value", [
    "not json",
    CompareRef(lower_family="gone", lower_level="M2", higher_family="cto", higher_level="M4",
               framework=Framework.OKR).value(),
    CompareRef(lower_family="cto", lower_level="M4", higher_family="cpm", higher_level="M4",
               framework=Framework.OKR).value(),
    '{"lf":"cto","ll":"M2","hf":"cto","hl":"M4","w":"okr","x":1}',
])
def test_stale_or_forged_comparison_buttons_get_a_private_answer(
        app: RunningApp, slack: SlackStandIn, value: str) -> None:
    app.click(COMPARE_COPY, value)
    (call,) = slack.wait_for("response_url")
    assert call.body["replace_original"] is False
    assert "no longer has" in shown(call.body)


def test_a_comparison_too_big_for_one_message_pages(tmp_path: Path, slack: SlackStandIn) -> None:
    levels = [level_doc("L1", "One", dimensions=45), level_doc("L2", "Two", dimensions=45)]
    family = family_doc(levels={code: {"responsibilities": [f"Does {code} thing {i}" for i in range(20)]}
                                for code in ("L1", "L2")})
    canon = write_canon_dir(tmp_path / "canon", levels=levels, families=[family])
    with RunningApp(slack, canon_dir=canon) as app:
        first = app.command("compare L2 L1 widgets").json
        assert len(first["blocks"]) <= 50
        assert "Page 1 of 2" in shown(first)
        following = button(first, f"{COMPARE_PAGE}next")
        app.click(following["action_id"], following["value"])
        pages = [call for call in slack.wait_for("response_url", 2) if call.body.get("replace_original")]
        (second,) = pages
        assert len(second.body["blocks"]) <= 50
        assert "Page 2 of 2" in shown(second.body)
        both = shown(first) + shown(second.body)
        assert all(f"Bar {i} of L2" in both for i in range(1, 46))
        for code in ("L1", "L2"):
            assert [line for line in both.splitlines() if line.startswith(f"• Does {code}")] == [
                f"• Does {code} thing {i}" for i in range(20)]


def test_a_comparison_from_before_a_canon_change_is_stale(tmp_path: Path, slack: SlackStandIn) -> None:
    levels = [level_doc("L1", "One"), level_doc("L2", "Two")]
    both = family_doc(levels={"L1": {"responsibilities": ["A"]}, "L2": {"responsibilities": ["B"]}})
    canon = write_canon_dir(tmp_path / "before", levels=levels, families=[both])
    with RunningApp(slack, canon_dir=canon) as app:
        old = app.command("compare L1 L2 widgets").json
        slack.wait_for("response_url")
    slack.reset()
    only_l2 = family_doc(levels={"L2": {"responsibilities": ["B"]}})
    changed = write_canon_dir(tmp_path / "after", levels=levels, families=[only_l2])
    with RunningApp(slack, canon_dir=changed) as app:
        copy = button(old, COMPARE_COPY)
        app.click(copy["action_id"], copy["value"])
        (call,) = slack.wait_for("response_url")
        assert "a comparison the canon no longer has (widgets L1 → widgets L2)" in shown(call.body)


def test_a_comparison_too_big_for_one_message_is_also_the_file_goals_compare_prints(
        slack: SlackStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    huge = " ".join(["Owns the portfolio's operating model across regions & functions"] * 60)
    levels = [level_doc("L1", "One"), level_doc("L2", "Two")]
    family = family_doc(levels={code: {"responsibilities": [f"{code} area {i}: {huge}" for i in range(3)],
                                       "rubrics": {"complexity": "C.", "knowledge_application": "K."}}
                                for code in ("L1", "L2")})
    canon = write_canon_dir(tmp_path / "canon", levels=levels, families=[family])
    with RunningApp(slack, canon_dir=canon, data_dir=tmp_path / "data") as app:
        comparison, _ = compared(app, slack, "compare L1 L2 widgets okr")
        copy = button(comparison, COMPARE_COPY)
        app.click(copy["action_id"], copy["value"], user="U111")
        app.settle()
    (shared,) = slack.files_in("DU111")
    monkeypatch.setenv("GOALS_CANON_DIR", str(canon))
    out, err = io.StringIO(), io.StringIO()
    assert run(["compare", "L1", "L2", "widgets", "okr"], out, err) == 0
    assert shared["bytes"] == out.getvalue().encode("utf-8")
    assert shared["filename"] == "compare-widgets-L1-widgets-L2.txt"
