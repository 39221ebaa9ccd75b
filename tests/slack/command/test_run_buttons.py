"""Run buttons: an error's suggestions ("Did you mean ...?", the levels a family has) as
buttons whose click answers as `/goals WORDS` would. End to end: signed HTTP into the
running app, Slack played by a stand-in; the layout checked without Slack too."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.canon.repository import CanonRepository
from bot.grammar.parse import parse
from bot.grammar.requests import GrammarError, Suggestion
from bot.slack.command.answers import answer_command, error_message
from bot.slack.command.run_button import BUTTON_TEXT_MAX, run_button, suggestion_block
from bot.slack.shared.ids import RUN_ACTION
from bot.slack.shared.values import RunRef
from support.block_texts import shown
from support.slack_app_harness import RunningApp
from support.slack_standin import SlackStandIn

JSON = dict[str, Any]


def run_buttons(message: JSON) -> list[JSON]:
    return [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
            if e["action_id"].startswith(RUN_ACTION)]


def the_button(message: JSON, label: str) -> JSON:
    (found,) = [b for b in run_buttons(message) if b["text"]["text"] == label]
    return found


def answered(words: str, repository: CanonRepository) -> JSON:
    """What `/goals words` answers, as Slack receives it."""
    return answer_command(words, repository).as_kwargs()


# The buttons on an error ------------------------------------------------------------------------

@pytest.mark.parametrize("words", ["M2 clinical-trails-ops okr", "M2 cpm okr", "cto", "M2 M4 cto", "draftss",
                                   "draft M2 cto", "canon check", "M2 cto bananas", "list foo", "hlep"])
def test_an_error_shows_its_suggestions_as_buttons_that_run(words: str, repository: CanonRepository) -> None:
    message = answered(words, repository)
    buttons = run_buttons(message)
    assert 1 <= len(buttons) <= 5
    assert len({b["action_id"] for b in buttons}) == len(buttons)  # unique within the block
    assert sum(b.get("style") == "primary" for b in buttons) <= 1
    error = parse(words, repository.vocabulary())
    assert isinstance(error, GrammarError)
    assert f"Try: /goals {error.example}" in shown(message)  # the text as before
    for b in buttons:
        ref = RunRef.parse(b["value"])
        assert ref is not None and not isinstance(parse(ref.words, repository.vocabulary()), GrammarError)
        assert len(b["value"]) <= 2000 and len(b["text"]["text"]) <= BUTTON_TEXT_MAX


def test_one_obvious_fix_is_primary_several_are_not(repository: CanonRepository) -> None:
    (fix,) = run_buttons(answered("M2 clinical-trails-ops okr", repository))
    assert fix["style"] == "primary" and fix["text"]["text"] == "clinical-trials-ops"
    assert [b.get("style") for b in run_buttons(answered("cto", repository))] == [None, None]
    # Nothing suggested: the example, as a button, never primary.
    (example,) = run_buttons(answered("canon check", repository))
    assert example.get("style") is None and example["text"]["text"].startswith("Try: ")


def test_the_layout_validates_and_keeps_to_slacks_limits() -> None:
    long = "x" * 500
    error = GrammarError("wrong", "M2 cto okr", tuple(Suggestion(f"{n} {long}", "M2 cto okr") for n in range(9)))
    message = error_message(error).as_kwargs()  # slack_sdk validates every block here
    buttons = run_buttons(message)
    assert len(buttons) == 5
    assert all(len(b["text"]["text"]) <= BUTTON_TEXT_MAX for b in buttons)
    assert [b["action_id"] for b in buttons] == [f"{RUN_ACTION}{n}" for n in range(5)]
    # Words too long for a button's value make no button; the text still says them.
    assert suggestion_block(GrammarError("wrong", "okr " * 100)) is None
    with pytest.raises(ValueError):
        run_button("too long", "okr " * 100, 0)
    assert run_button("a & <b>", "help", 3).to_dict()["text"]["text"] == "a &amp; &lt;b&gt;"


# Clicking them ---------------------------------------------------------------------------------

def click_in_place(app: RunningApp, slack: SlackStandIn, button: JSON, **kwargs: Any) -> JSON:
    """Click `button` in a private answer: what replaced that answer."""
    url = app.new_response_url()
    reply = app.click(button["action_id"], button["value"], response_url=url, **kwargs)
    assert (reply.status, reply.body) == (200, "")
    (call,) = slack.wait_for("response_url")
    assert call.path.endswith(url.rsplit("/", 1)[1])
    assert call.body["replace_original"] is True
    return call.body


def test_did_you_mean_shows_the_frame_in_place_of_the_error(app: RunningApp, slack: SlackStandIn,
                                                            repository: CanonRepository) -> None:
    error = app.command("M2 clinical-trails-ops okr").json
    assert 'Did you mean "clinical-trials-ops"?' in shown(error)
    shown_now = click_in_place(app, slack, the_button(error, "clinical-trials-ops"))
    assert shown_now["blocks"][0]["text"]["text"] == "OKRs — Clinical Trials Operations · M2"
    assert shown_now["blocks"] == answered("M2 clinical-trials-ops okr", repository)["blocks"]
    app.settle()
    assert len(slack.calls()) == 1  # that one replacement, nothing else


def test_a_level_the_family_has_shows_that_levels_frame(app: RunningApp, slack: SlackStandIn,
                                                         repository: CanonRepository) -> None:
    error = app.command("cto okr").json
    assert "has canon for M2, M4" in shown(error)
    shown_now = click_in_place(app, slack, the_button(error, "M4"))
    assert shown_now["blocks"] == answered("M4 cto okr", repository)["blocks"]
    lacking = app.command("M2 cpm okr").json
    slack.reset()
    assert click_in_place(app, slack, the_button(lacking, "M4"))["blocks"] == answered(
        "M4 clinical-project-management okr", repository)["blocks"]


def test_a_subcommand_suggestion_runs_that_subcommand(app: RunningApp, slack: SlackStandIn) -> None:
    error = app.command("draftss").json
    mine = click_in_place(app, slack, the_button(error, "drafts"))
    drafts = app.command("drafts").json
    assert mine["blocks"] == drafts["blocks"]  # the person's drafts, as /goals drafts shows them


def test_a_draft_suggestion_opens_the_form(app: RunningApp, slack: SlackStandIn) -> None:
    error = app.command("draft M2 cto").json
    button = the_button(error, "okr")
    app.click(button["action_id"], button["value"])
    (opened,) = slack.wait_for("views.open")
    assert "Clinical Trials Operations" in json.dumps(opened.body)


def test_a_comparison_suggestion_shows_the_comparison_then_its_stretch_frame(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    error = app.command("compare M2 cto").json
    button = the_button(error, "M4")
    app.click(button["action_id"], button["value"])
    first, then = slack.wait_for("response_url", count=2)
    assert first.body["replace_original"] is True
    assert first.body["blocks"] == answered("compare M2 cto M4", repository)["blocks"]
    assert then.body["replace_original"] is False
    assert then.body["blocks"][0]["text"]["text"] == "Stretch · OKRs — Clinical Trials Operations · M4"


def test_from_the_home_tab_the_answer_comes_by_dm(app: RunningApp, slack: SlackStandIn,
                                                  repository: CanonRepository) -> None:
    button = run_button("Director", "Director cto okr", 0).to_dict()
    app.click(button["action_id"], button["value"], where="home")
    (post,) = slack.wait_for("chat.postMessage")
    assert post.body["channel"] == "U111"
    blocks = post.body["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    assert blocks == answered("M4 cto okr", repository)["blocks"]
    app.settle()
    assert slack.calls("response_url") == []


def test_from_a_message_that_is_not_private_the_answer_is_a_new_private_one(
        app: RunningApp, slack: SlackStandIn) -> None:
    button = run_button("M2", "M2 cto okr", 0).to_dict()
    app.click(button["action_id"], button["value"], where="message", channel="D123")
    (call,) = slack.wait_for("response_url")
    assert call.body["replace_original"] is False and call.body["response_type"] == "ephemeral"
    assert call.body["blocks"][0]["text"]["text"] == "OKRs — Clinical Trials Operations · M2"


# Crafted values ----------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    '{"r":"M2 cto okr","x":1}',  # an extra key
    '{"r":2}',  # not a string
    '{"r":["M2"]}',
    json.dumps({"r": "okr " * 100}),  # too long
    '{"r":""}',
    "M2 cto okr",  # not JSON
    "",
])
def test_a_crafted_value_does_nothing_but_say_so_privately(app: RunningApp, slack: SlackStandIn,
                                                           value: str) -> None:
    app.click(f"{RUN_ACTION}0", value)
    (call,) = slack.wait_for("response_url")
    assert call.body["replace_original"] is False and call.body["response_type"] == "ephemeral"
    assert "That button carries no words I can read" in shown(call.body)
    app.settle()
    assert [c.method for c in slack.calls()] == ["response_url"]


def test_words_that_do_not_parse_get_the_errors_own_answer(app: RunningApp, slack: SlackStandIn,
                                                           repository: CanonRepository) -> None:
    button = run_button("bad", "M2 cto bananas", 0).to_dict()
    shown_now = click_in_place(app, slack, button)
    assert shown_now["blocks"] == answered("M2 cto bananas", repository)["blocks"]
    assert 'I don\'t understand "bananas"' in shown(shown_now)


def test_a_crafted_value_cannot_reach_another_persons_drafts(app: RunningApp, slack: SlackStandIn) -> None:
    # The words are all a button carries: whose drafts they list comes from the signed click.
    button = run_button("drafts", "drafts", 0).to_dict()
    mine = click_in_place(app, slack, button, user="U999")
    assert mine["blocks"] == app.command("drafts", user="U999").json["blocks"]


# Words people use -------------------------------------------------------------------------------

def test_a_level_title_shows_that_levels_frame(app: RunningApp) -> None:
    by_title = app.command("Director cto okr").json
    assert by_title["blocks"][0]["text"]["text"] == "OKRs — Clinical Trials Operations · M4"
    assert by_title["blocks"] == app.command("M4 cto okr").json["blocks"]
