"""The Slack app end to end, as Slack drives it: signed HTTP into the running app, the
Web API and response_url played by a local stand-in that records what the app calls."""

from __future__ import annotations

import http.client
import json
import logging
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.canon.repository import CanonRepository
from bot.frames.build import build_frame
from bot.frames.frameworks import Framework
from bot.frames.text import render_frame
from bot.slack.shared.ids import COPY_ACTION, PAGE_ACTION, SHARE_ACTION, SWITCH_ACTION, SWITCH_MENU_ACTION
from bot.slack.shared.values import FrameRef
from support.block_texts import shown, text_objects, unescape
from support.canon_files import family_doc, level_doc, write_canon_dir
from support.slack_app_harness import BOT_TOKEN, SIGNING_SECRET, RunningApp, button
from support.slack_standin import DROPPED, SlackStandIn

# Serving ---------------------------------------------------------------------------------

def test_health_check_answers_without_a_signature(app: RunningApp) -> None:
    reply = app.request("/healthz", method="GET")
    assert (reply.status, reply.body) == (200, "ok\n")


def test_unknown_paths_and_oversized_bodies_are_refused(app: RunningApp, slack: SlackStandIn) -> None:
    assert app.request("/nope", method="GET").status == 404
    assert app.request("/slack/events", method="GET").status == 405
    # Refused on the declared length, before a byte of the body is read: far more than any
    # Slack payload (a few kB), or not a number at all (not a 500).
    for length in ("2000000", "50000000", "12abc", "\xb2"):  # ² is a digit to str.isdigit, not to int()
        connection = http.client.HTTPConnection("127.0.0.1", app.server.server_port, timeout=5)
        connection.putrequest("POST", "/slack/events")
        connection.putheader("Content-Length", length)
        connection.endheaders()
        assert connection.getresponse().status == 413, length
        connection.close()
    assert slack.calls() == []


# /goals ------------------------------------------------------------------------------------

def test_goals_shows_the_frame_privately_in_the_ack(app: RunningApp, slack: SlackStandIn,
                                                      repository: CanonRepository) -> None:
    reply = app.command("M2 clinical-trials-ops okr")
    assert reply.status == 200
    message = reply.json
    assert message["response_type"] == "ephemeral"
    assert message["blocks"][0] == {"type": "header", "text": {
        "type": "plain_text", "text": "OKRs — Clinical Trials Operations · M2", "emoji": False}}
    text = shown(message)
    canon = repository.family_level("clinical-trials-ops", "M2")
    assert canon is not None
    for responsibility in canon[2].responsibilities:
        assert f"Objective {canon[2].responsibilities.index(responsibility) + 1}: {responsibility}" in text
    assert "source: JFM responsibility (M2)" in text
    assert "Clinical Trials Operations · Clinical Trials Operations · M2 — Manager II" in text
    assert message["text"]  # the notification fallback
    # Answered in the ack itself: nothing was sent to Slack's Web API or the response_url.
    assert slack.calls() == []


def test_words_in_any_order_and_case(app: RunningApp) -> None:
    assert app.command("CTO okrs m2").json == app.command("M2 clinical-trials-ops okr").json


@pytest.mark.parametrize("text", ["cto m2", "M2 cto all"])
def test_no_framework_shows_the_overview_with_four_buttons(app: RunningApp, text: str) -> None:
    message = app.command(text).json
    assert message["response_type"] == "ephemeral"
    for title in ("SMART goals", "OKRs", "MBO areas", "Scorecard"):
        assert title in shown(message)
    for framework in Framework:
        ref = FrameRef.parse(button(message, f"{SWITCH_ACTION}{framework.value}")["value"])
        assert ref == FrameRef(family="clinical-trials-ops", level="M2", framework=framework)


@pytest.mark.parametrize("text", ["help", "HELP"])
def test_help_is_private_with_examples(app: RunningApp, text: str) -> None:
    message = app.command(text).json
    assert message["response_type"] == "ephemeral"
    assert "/goals M4 clinical-project-management okr" in shown(message)
    assert "canon check" not in shown(message)


def test_list_is_private(app: RunningApp) -> None:
    message = app.command("list").json
    assert message["response_type"] == "ephemeral"
    assert "clinical-trials-ops (cto): M2, M4" in shown(message)


@pytest.mark.parametrize("text, expected, example", [
    ("M2 clinical-trial-ops okr", 'Unknown job family "clinical-trial-ops". Did you mean "clinical-trials-ops"?',
     "M2 clinical-trials-ops okr"),  # what was typed, corrected
    ("clinical-trials-ops okr", "Which level? Clinical Trials Operations has canon for M2, M4.",
     "M4 clinical-project-management okr"),
    ("M2 cpm", "Clinical Project Management has no canon for M2; it has M4.", "M4 clinical-project-management okr"),
    ("M2 cto okr bananas", 'I don\'t understand "bananas".', "M4 clinical-project-management okr"),
    ("M2 cto <!channel>", 'I don\'t understand "<!channel>".', "M4 clinical-project-management okr"),
    ("draftss", 'I don\'t understand "draftss". Did you mean "drafts"?', "drafts"),
])
def test_grammar_errors_are_private_and_say_what_works(app: RunningApp, text: str, expected: str,
                                                       example: str) -> None:
    reply = app.command(text)
    assert reply.status == 200
    message = reply.json
    assert message["response_type"] == "ephemeral"
    assert expected in shown(message)
    assert f"Try: /goals {example}" in shown(message)
    assert "<!channel>" not in json.dumps(message)  # echoed input is escaped too


# Signatures ----------------------------------------------------------------------------------

def test_forged_unsigned_stale_and_tampered_requests_get_401_and_run_nothing(
        app: RunningApp, slack: SlackStandIn) -> None:
    body = app.command_body("M2 cto okr")
    assert app.signed(body, secret="not-the-secret").status == 401
    assert app.request("/slack/events", body, headers={
        "Content-Type": "application/x-www-form-urlencoded"}).status == 401
    assert app.signed(body, timestamp=int(time.time()) - 6 * 60).status == 401
    # A valid signature for one body does not carry over to another.
    stamp = str(int(time.time()))
    from slack_sdk.signature import SignatureVerifier
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp, body=body)
    tampered = body.replace("okr", "smart")
    assert app.request("/slack/events", tampered, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}).status == 401
    forged_click = app.click_body(f"{SWITCH_ACTION}smart", FrameRef(
        family="clinical-trials-ops", level="M2", framework=Framework.SMART).value())
    assert app.signed(forged_click, secret="nope").status == 401
    app.settle()
    assert slack.calls() == []


@pytest.mark.parametrize("stamp", ["", "soon", "1700000000.5", "-1", "\xb2"])
def test_a_timestamp_that_is_not_a_number_gets_401_not_a_500(app: RunningApp, slack: SlackStandIn,
                                                             stamp: str) -> None:
    reply = app.request("/slack/events", app.command_body("M2 cto okr"), headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": "v0=" + "0" * 64})
    assert reply.status == 401
    assert slack.calls() == []


def test_a_tampered_copy_sent_first_does_not_use_up_the_genuine_request(
        app: RunningApp, slack: SlackStandIn) -> None:
    # Someone who saw a request's headers (a proxy's log) sends them first with another body:
    # refused, and not remembered, so Slack's own request is still answered.
    stamp = str(int(time.time()))
    body = app.command_body("M2 cto okr")
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": stamp,
               "X-Slack-Signature": SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp, body=body)}
    assert app.request("/slack/events", body.replace("okr", "smart"), headers=headers).status == 401
    genuine = app.request("/slack/events", body, headers=headers)
    assert genuine.status == 200
    assert genuine.json["blocks"][0]["text"]["text"] == "OKRs — Clinical Trials Operations · M2"


def test_bolt_checks_the_signature_too_behind_the_gate(app: RunningApp, slack: SlackStandIn) -> None:
    body = app.command_body("M2 cto okr")
    stamp = str(int(time.time()))

    def dispatch(signature: str) -> int:
        return app.app.dispatch(BoltRequest(body=body, headers={
            "content-type": "application/x-www-form-urlencoded",
            "x-slack-request-timestamp": stamp, "x-slack-signature": signature})).status

    assert dispatch("v0=" + "0" * 64) == 401
    assert dispatch(SignatureVerifier("not-the-secret").generate_signature(timestamp=stamp, body=body)) == 401
    assert dispatch(SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp, body=body)) == 200
    assert slack.calls() == []


def test_a_replayed_request_is_refused_and_runs_nothing_twice(app: RunningApp, slack: SlackStandIn) -> None:
    stamp = int(time.time())
    command = app.command_body("M2 cto okr")
    assert app.signed(command, timestamp=stamp).status == 200
    assert app.signed(command, timestamp=stamp).status == 401
    click = app.click_body(COPY_ACTION, FrameRef(family="cto", level="M2", framework=Framework.OKR).value())
    assert app.signed(click, timestamp=stamp).status == 200
    assert app.signed(click, timestamp=stamp).status == 401
    slack.wait_for("response_url")
    app.settle()
    assert len(slack.calls("response_url")) == 1  # the copy was sent once
    # The same words sent afresh (a new request, as Slack sends) are answered as usual.
    assert app.command("M2 cto okr").status == 200


def test_a_replay_to_another_worker_is_refused_too(app: RunningApp, slack: SlackStandIn) -> None:
    stamp = int(time.time())
    command = app.command_body("M2 cto okr")
    assert app.signed(command, timestamp=stamp).status == 200
    with RunningApp(slack, data_dir=app.data_dir) as other_worker:
        assert other_worker.signed(command, timestamp=stamp).status == 401


def test_junk_is_refused_before_bolt_reads_it(app: RunningApp, slack: SlackStandIn,
                                             caplog: pytest.LogCaptureFixture) -> None:
    junk = urllib.parse.urlencode({"payload": json.dumps({"type": "block_actions", "user": 5, "actions": {}})})
    with caplog.at_level(logging.ERROR):
        assert app.request("/slack/events", junk, headers={  # not signed: 401, not a crash
            "Content-Type": "application/x-www-form-urlencoded"}).status == 401
        signed = app.signed(junk)  # signed, but no shape Slack sends: 400
        assert (signed.status, signed.body) == (400, "malformed request (ValidationError)\n")
        event = json.dumps({"type": "event_callback", "team_id": "T333",
                            "event": {"type": "app_home_opened", "user": 5, "tab": "home"}})
        signed_event = app.signed(event, content_type="application/json")  # the same for events
        assert (signed_event.status, signed_event.body) == (400, "malformed request (ValidationError)\n")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    app.settle()
    assert slack.calls() == []


# Buttons --------------------------------------------------------------------------------------

def test_switching_framework_replaces_the_message_in_place(app: RunningApp, slack: SlackStandIn) -> None:
    shown_first = app.command("M2 cto okr").json
    menu = button(shown_first, SWITCH_MENU_ACTION)
    assert menu["type"] == "static_select" and "style" not in menu
    smart = next(o for o in menu["options"] if o["text"]["text"] == "SMART goals")
    url = app.new_response_url()
    reply = app.pick(SWITCH_MENU_ACTION, smart["value"], response_url=url)
    assert (reply.status, reply.body) == (200, "")
    (call,) = slack.wait_for("response_url")
    assert call.path.endswith(url.rsplit("/", 1)[1])
    assert call.body["replace_original"] is True
    assert call.body["blocks"][0]["text"]["text"] == "SMART goals — Clinical Trials Operations · M2"
    assert button(call.body, SWITCH_MENU_ACTION)["initial_option"]["value"] == smart["value"]


@pytest.mark.parametrize("value", ["", "{}", '{"f": "cto", "l": "M2", "w": "okr", "x": 1}',
                                   '{"f": "#0000000000000000", "l": "M2", "w": "okr"}'])
def test_a_crafted_framework_option_gets_a_private_answer(app: RunningApp, slack: SlackStandIn, value: str) -> None:
    app.pick(SWITCH_MENU_ACTION, value)
    (call,) = slack.wait_for("response_url")
    assert call.body["response_type"] == "ephemeral" and call.body["replace_original"] is False
    assert "That button points at a frame the canon no longer has" in shown(call.body)


def test_copy_as_text_sends_the_plain_text_privately(app: RunningApp, slack: SlackStandIn,
                                                    repository: CanonRepository) -> None:
    copy = button(app.command("M4 cpm mbo").json, COPY_ACTION)
    app.click(copy["action_id"], copy["value"])
    (call,) = slack.wait_for("response_url")
    assert call.body["replace_original"] is False
    assert call.body["response_type"] == "ephemeral"
    found = repository.family_level("cpm", "M4")
    assert found is not None
    expected = render_frame(build_frame(Framework.MBO, found[0], found[1]))
    sections = [unescape(b["text"]["text"]) for b in call.body["blocks"] if b["type"] == "section"]
    assert "".join(sections) == expected


# Scripts the failure of every attempt at views.open (Share opens its preview form) the SDK
# makes before giving up.
WEB_API_TROUBLE: dict[str, tuple[Callable[[SlackStandIn], None], list[int], str]] = {
    "503, retried once": (lambda slack: slack.server_error("views.open", status=503, times=2),
                          [503, 503], "Slack's servers answered with an error (503)"),
    "502, not retried": (lambda slack: slack.server_error("views.open", status=502),
                         [502], "Slack's servers answered with an error (502)"),
    "429, retried twice": (lambda slack: slack.rate_limit("views.open", retry_after=0, times=3),
                           [429, 429, 429], "Slack asked Goals to slow down (rate limited), even after waiting"),
    "dropped connection, retried once": (lambda slack: slack.drop("views.open", times=2),
                                         [DROPPED, DROPPED], "Slack's servers did not answer in time"),
}


@pytest.mark.parametrize("trouble", WEB_API_TROUBLE.values(), ids=WEB_API_TROUBLE.keys())
def test_web_api_failures_past_the_retries_give_a_clear_private_message(
        app: RunningApp, slack: SlackStandIn, caplog: pytest.LogCaptureFixture,
        trouble: tuple[Callable[[SlackStandIn], None], list[int], str]) -> None:
    script, statuses, says = trouble
    share = button(app.command("M2 cto okr", channel="D1").json, SHARE_ACTION)
    script(slack)
    with caplog.at_level(logging.WARNING, logger="goals"):
        app.click(share["action_id"], share["value"], channel="D1")
        posts = slack.wait_for("views.open", count=len(statuses), timeout=6)
        (told,) = slack.wait_for("response_url")
    assert [p.status for p in posts] == statuses  # retried as often as the SDK is told, then given up
    text = told.body["text"]
    assert told.body["response_type"] == "ephemeral"
    assert text.startswith(f"{says}, so this did not go through (error id ")
    assert "try again in a minute" in text and "Sorry, something went wrong" not in text
    assert "DOCTYPE" not in text and "ratelimited" not in text and slack.base_url not in text  # nothing raw
    error_id = text.split("error id ")[1].split(")")[0]
    assert error_id in caplog.text
    assert not [r for r in caplog.records if r.name == "goals" and r.levelno >= logging.ERROR]  # not our bug


def test_an_unreachable_web_api_gives_a_clear_private_message(app: RunningApp, slack: SlackStandIn) -> None:
    share = button(app.command("M2 cto okr", channel="D1").json, SHARE_ACTION)
    with SlackStandIn() as hooks:  # the response_url still answers ...
        slack.__exit__()  # ... but Slack's Web API refuses connections
        app.click(share["action_id"], share["value"], channel="D1", response_url=hooks.response_url())
        (told,) = hooks.wait_for("response_url", timeout=6)
    assert told.body["text"].startswith("Slack's servers did not answer in time, so this did not go through "
                                        "(error id ")


def test_a_web_api_failure_after_a_frame_button_without_a_usable_response_url_is_told_in_the_dm(
        app: RunningApp, slack: SlackStandIn) -> None:
    share = button(app.command("M2 cto okr", channel="D1").json, SHARE_ACTION)
    slack.server_error("views.open", status=502)
    app.click(share["action_id"], share["value"], channel="D1", user="U42",
              response_url=app.unusable_response_url("unreachable"))
    (post,) = slack.wait_for("chat.postMessage", timeout=3)
    assert post.body["channel"] == "U42"
    assert post.body["text"].startswith("Slack's servers answered with an error (502)")


def test_a_web_api_timeout_gives_a_clear_private_message(tmp_path: Path, slack: SlackStandIn) -> None:
    with RunningApp(slack, data_dir=tmp_path, env={"SLACK_API_TIMEOUT": "1"}) as app:
        share = button(app.command("M2 cto okr", channel="D1").json, SHARE_ACTION)
        slack.delay("views.open", seconds=2, times=2)
        app.click(share["action_id"], share["value"], channel="D1")
        (told,) = slack.wait_for("response_url", timeout=8)
        assert told.body["text"].startswith("Slack's servers did not answer in time, so this did not go through")
        assert told.body["response_type"] == "ephemeral"
        assert app.command("M4 cpm okr").status == 200  # and the app keeps serving


def test_buttons_ack_before_slow_work(app: RunningApp, slack: SlackStandIn) -> None:
    copy = button(app.command("M2 cto okr").json, COPY_ACTION)
    slack.delay("response_url", seconds=2.5)
    reply = app.click(copy["action_id"], copy["value"])
    assert reply.status == 200
    assert reply.seconds < 2.0, "the ack waited for the response_url"
    slack.wait_for("response_url", timeout=6)


@pytest.mark.parametrize("value", ["", "garbage", '{"f": "cto"}', json.dumps(
    {"f": "clinical-trials-ops", "l": "M9", "w": "okr"}), '{"f":"x","l":"M2","w":"okr","p":-1}'])
def test_stale_or_crafted_button_values_get_a_private_answer(app: RunningApp, slack: SlackStandIn,
                                                             value: str) -> None:
    reply = app.click(f"{SWITCH_ACTION}okr", value)
    assert reply.status == 200
    (call,) = slack.wait_for("response_url")
    assert call.body["replace_original"] is False
    assert "no longer has" in shown(call.body)


# Failures --------------------------------------------------------------------------------------

def test_an_unexpected_error_in_a_command_gives_an_apology_with_an_error_id(
        app: RunningApp, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def boom(*_: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("bot.slack.command.listeners.canon_answer", boom)
    with caplog.at_level(logging.ERROR, logger="goals"):
        reply = app.command("M2 cto okr")
    assert reply.status == 200
    message = reply.json
    assert message["response_type"] == "ephemeral"
    assert "Sorry, something went wrong" in message["text"]
    assert "secret internals" not in reply.body and "Traceback" not in reply.body
    error_id = message["text"].split("error id ")[1].split(")")[0]
    assert error_id in caplog.text and "secret internals" in caplog.text


def test_an_unexpected_error_after_a_click_gives_an_apology(
        app: RunningApp, slack: SlackStandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = button(app.command("M2 cto okr").json, COPY_ACTION)

    def boom(*_: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("bot.slack.frames.listeners.frames_copy", boom)
    assert app.click(copy["action_id"], copy["value"]).status == 200
    (call,) = slack.wait_for("response_url")
    assert "Sorry, something went wrong" in call.body["text"]
    assert "secret internals" not in json.dumps(call.body)


def test_tokens_and_secrets_never_reach_the_logs(slack: SlackStandIn, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG), RunningApp(slack) as app:
        share = button(app.command("M2 cto okr", channel="D9").json, SHARE_ACTION)
        slack.fail("views.open", error="not_in_channel")
        app.click(share["action_id"], share["value"], channel="D9")
        slack.wait_for("response_url")
    assert BOT_TOKEN not in caplog.text
    assert SIGNING_SECRET not in caplog.text


# Markup safety and limits ----------------------------------------------------------------------

def test_canon_markup_is_shown_not_obeyed(tmp_path: Path, slack: SlackStandIn) -> None:
    nasty = "Pings <!channel> and <@U123>, links <https://x|y> & formats *bold* _it_"
    canon = write_canon_dir(tmp_path / "canon", levels=[level_doc("L1", dimensions=1)],
                            families=[family_doc(levels={"L1": {"responsibilities": [nasty]}})])
    with RunningApp(slack, canon_dir=canon) as app:
        message = app.command("L1 widgets smart").json
    raw = json.dumps(message)
    for markup in ("<!channel>", "<@U123>", "<https://x|y>"):
        assert markup not in raw
    assert f"1. {nasty}" in shown(message)
    for obj in text_objects(message["blocks"]):
        if "bold" in obj["text"]:
            assert obj["type"] == "plain_text" and obj["emoji"] is False


LARGE_RESPONSIBILITIES = [f"Responsibility number {i} of a very large family level" for i in range(1, 121)]


def large_canon(root: Path) -> Path:
    """A family level far larger than any shipped one: 120 responsibilities, 12 dimensions."""
    return write_canon_dir(root, levels=[level_doc("L1", dimensions=12)],
                           families=[family_doc(levels={"L1": {"responsibilities": LARGE_RESPONSIBILITIES}})])


def test_a_frame_too_big_for_one_message_is_paged_and_nothing_is_dropped(
        tmp_path: Path, slack: SlackStandIn) -> None:
    canon = large_canon(tmp_path / "canon")
    with RunningApp(slack, canon_dir=canon) as app:
        message = app.command("L1 widgets smart").json
        seen = shown(message)
        pages = 1
        while True:
            assert len(message["blocks"]) <= 50
            try:
                following = button(message, f"{PAGE_ACTION}next")
            except AssertionError:
                break
            app.click(following["action_id"], following["value"])
            message = slack.wait_for("response_url", count=pages)[-1].body
            assert message["replace_original"] is True
            seen += "\n" + shown(message)
            pages += 1
    assert pages > 1
    for number, text in enumerate(LARGE_RESPONSIBILITIES, start=1):
        assert f"{number}. {text}" in seen


def test_the_same_words_are_answered_from_the_canon_once_per_app(
        app: RunningApp, monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.slack.command.answers

    built: list[object] = []
    real = bot.slack.command.answers.answer

    def counting(request: Any, repository: CanonRepository) -> Any:
        built.append(request)
        return real(request, repository)

    monkeypatch.setattr(bot.slack.command.answers, "answer", counting)
    first, again = app.command("M4 cpm okr").json, app.command("okr CPM m4").json
    other = app.command("M4 cpm smart").json
    assert first == again and other != first
    assert len(built) == 2  # the second ask of a frame reuses the first answer
