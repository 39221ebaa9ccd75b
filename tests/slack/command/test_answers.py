"""What `/goals` answers in Slack, checked without Slack: the answer functions are pure."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.canon.model import Family, Level
from bot.canon.repository import CanonRepository
from bot.frames.build import build_frame
from bot.frames.frameworks import ALL_FRAMEWORKS, Framework
from bot.frames.model import Frame
from bot.frames.text import render_document, render_frame
from bot.grammar.requests import DraftRequest, DraftsRequest, ReviewsRequest
from bot.slack.command.answers import (
    answer_command,
    command_request,
    command_words,
    copy_messages,
    frames_for,
    stale_button,
)
from bot.slack.shared.ids import SWITCH_MENU_ACTION
from bot.slack.shared.layout import Message
from bot.slack.shared.text import escape
from bot.slack.shared.values import FrameRef
from support.block_texts import copied_text, texts, unescape
from support.canon_files import family_doc, level_doc

JSONDict = dict[str, Any]
TITLES = ("SMART goals", "OKRs", "MBO areas", "Scorecard")
SWITCHES = {f"goals_switch_{fw.value}" for fw in ALL_FRAMEWORKS}


def blocks(message: Message) -> list[JSONDict]:
    found: list[JSONDict] = message.as_kwargs()["blocks"]
    return found


def everything(message: Message) -> str:
    """Every text a person sees in the message, unescaped, one per line."""
    return "\n".join(texts(blocks(message), unescaped=True))


def section_text(message: Message) -> str:
    """The sections' texts, read as Slack shows them: text_message splits one text over them."""
    return copied_text([message.as_kwargs()])


def action_ids(message: Message) -> list[str]:
    return [e["action_id"] for b in blocks(message) if b["type"] == "actions" for e in b["elements"]]


def is_frame(message: Message) -> bool:
    return "goals_copy" in action_ids(message)


# Frames and the overview ----------------------------------------------------------------

def test_level_family_framework_gives_that_frame(repository: CanonRepository) -> None:
    message = answer_command("M2 clinical-trials-ops okr", repository)
    header = blocks(message)[0]
    assert header["type"] == "header" and "OKRs" in header["text"]["text"]
    assert "OKRs" in message.text and "M2" in message.text
    found = repository.family_level("clinical-trials-ops", "M2")
    assert found is not None
    responsibilities = found[2].responsibilities
    assert responsibilities
    text = everything(message)
    for responsibility in responsibilities:
        assert responsibility in text
    # The framework menu shows the current framework as its value, not as a button to press;
    # the one primary action is Draft targets.
    menu = next(e for b in blocks(message) if b["type"] == "actions" for e in b["elements"]
                if e["action_id"] == SWITCH_MENU_ACTION)
    assert FrameRef.parse(menu["initial_option"]["value"]) == FrameRef(
        family="clinical-trials-ops", level="M2", framework=Framework.OKR)
    styled = [e["action_id"] for b in blocks(message) if b["type"] == "actions" for e in b["elements"]
              if e.get("style") == "primary"]
    assert styled == ["goals_draft"]
    assert {"goals_copy", "goals_share", "goals_draft"} <= set(action_ids(message))


@pytest.mark.parametrize("words", ["cto m2", "cto m2 all", "M2 CTO", "all clinical-trials-ops m2"])
def test_no_framework_or_all_gives_the_overview(words: str, repository: CanonRepository) -> None:
    message = answer_command(words, repository)
    text = everything(message)
    for title in TITLES:
        assert title in text
    assert "Clinical Trials Operations" in text and "M2" in text
    assert set(action_ids(message)) >= SWITCHES
    refs = {e["action_id"]: FrameRef.parse(e["value"]) for b in blocks(message)
            if b["type"] == "actions" for e in b["elements"]}
    assert refs["goals_switch_mbo"] == FrameRef(family="clinical-trials-ops", level="M2",
                                                framework=Framework.MBO)


def test_words_go_in_any_order_and_case(repository: CanonRepository) -> None:
    one = answer_command("M2 clinical-trials-ops okr", repository)
    for words in ("okr cto m2", "CTO OKRS M2", "  m2   cto   okr  "):
        assert answer_command(words, repository) == one


# Help and list ----------------------------------------------------------------------------

@pytest.mark.parametrize("words", ["", "   ", "help", "HELP", "m2 cto help", "?"])
def test_help_shows_slack_examples_that_work(words: str, repository: CanonRepository) -> None:
    message = answer_command(words, repository)
    text = section_text(message)
    assert "Usage: /goals" in text
    assert "canon check" not in text and "terminal" not in text
    examples = re.findall(r"^\s+/goals (.+)$", text.split("Examples:", 1)[1], flags=re.MULTILINE)
    assert len(examples) >= 3
    for example in examples:
        if example.startswith("compare"):
            comparison = answer_command(example, repository)
            assert comparison.blocks[0].to_dict()["text"]["text"] == "Clinical Trials Operations: M2 → M4"
            continue
        if example.startswith("draft"):  # answered with the person's drafts: tests/slack/drafts/test_drafts_flow.py
            assert isinstance(command_request(example, repository), DraftRequest | DraftsRequest), example
            continue
        if example == "reviews":  # answered with what was sent to them: tests/slack/reviews/test_review_list.py
            assert isinstance(command_request(example, repository), ReviewsRequest), example
            continue
        answer = answer_command(example, repository)
        assert "Try: /goals" not in section_text(answer), example
        assert is_frame(answer) or example == "list", example
    assert {"drafts", "reviews", f"draft {examples[0]}", "compare M2 M4 clinical-trials-ops"} <= set(examples)


def test_list_names_both_families_with_their_levels(repository: CanonRepository) -> None:
    message = answer_command("list", repository)
    text = section_text(message)
    assert "clinical-trials-ops (cto): M2, M4" in text
    assert "clinical-project-management (cpm): M4" in text
    assert "Clinical Trials Operations" in text and "Clinical Project Management" in text
    assert "&" in text  # "Clinical Research & Trials", shown as typed once unescaped
    assert "M2 — Manager II" in text


# Errors -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("words", "says"), [
    ("M2 clinical-trial-ops okr", ['Unknown job family "clinical-trial-ops"',
                                   'Did you mean "clinical-trials-ops"?']),
    ("M3 cto", ['Unknown level "M3"', "Levels: M2, M4"]),
    ("M2 cpm", ["has no canon for M2", "it has M4"]),
    ("m2 cto okr smart", ['"okr" and "smart"', "one framework"]),
    ("m2 cto bananas", ['"bananas"', "I don't understand"]),
    ("list cto", ["list takes no other words"]),
    ("canon check", ["terminal"]),
])
def test_errors_say_what_was_wrong_and_what_works(words: str, says: list[str],
                                                  repository: CanonRepository) -> None:
    message = answer_command(words, repository)
    assert not is_frame(message)
    text = section_text(message)
    for phrase in says:
        assert phrase in text
    assert says[0] in unescape(message.text)  # the notification says it too
    tries = re.findall(r"Try: /goals (.+)$", text, flags=re.MULTILINE)
    assert len(tries) == 1
    fixed = answer_command(tries[0], repository)
    assert is_frame(fixed), tries[0]
    assert "Try: /goals" not in section_text(fixed)


def test_an_error_quoting_markup_shows_it_and_pings_no_one(repository: CanonRepository) -> None:
    # Slack sends "<!channel>" typed after /goals as "&lt;!channel&gt;".
    message = answer_command("M2 &lt;!channel&gt; &amp;", repository)
    sections = [b["text"]["text"] for b in blocks(message) if b["type"] == "section"]
    assert any("&lt;!channel&gt;" in text for text in sections)
    for obj_text in [*sections, message.text]:
        assert "<" not in obj_text and ">" not in obj_text
    assert "<!channel>" in section_text(message)


# command_words ----------------------------------------------------------------------------

def test_command_words_reads_slack_entities_as_typed() -> None:
    assert command_words("M2 &lt;!channel&gt; R&amp;D") == "M2 <!channel> R&D"
    assert command_words("&amp;lt;") == "&lt;"  # someone typed "&lt;" literally
    assert command_words("plain words") == "plain words"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("&<>;ltgamp x") | st.characters(), max_size=80))
def test_command_words_undoes_slack_escaping(typed: str) -> None:
    assert command_words(escape(typed)) == typed


# Copy as text -------------------------------------------------------------------------------

def copied(messages: list[Message]) -> str:
    return copied_text(message.as_kwargs() for message in messages)


def frames_of(repository: CanonRepository, family: str, level: str) -> list[Frame]:
    frames = frames_for(FrameRef(family=family, level=level), repository)
    assert [f.framework for f in frames] == list(ALL_FRAMEWORKS)
    return frames


@pytest.mark.parametrize(("family", "level"), [("cto", "M2"), ("cto", "M4"), ("cpm", "M4")])
def test_copy_of_one_frame_is_exactly_its_text_form(family: str, level: str,
                                                    repository: CanonRepository) -> None:
    for frame in frames_of(repository, family, level):
        messages = copy_messages([frame])
        assert copied(messages) == render_frame(frame)
        assert frame.title in blocks(messages[0])[0]["text"]["text"]


@pytest.mark.parametrize(("family", "level"), [("cto", "M2"), ("cto", "M4"), ("cpm", "M4")])
def test_copy_of_all_four_is_exactly_the_document(family: str, level: str,
                                                  repository: CanonRepository) -> None:
    frames = frames_of(repository, family, level)
    assert copied(copy_messages(frames)) == render_document(frames)


def test_copy_of_a_frame_too_big_for_one_message_is_whole_over_several() -> None:
    level = Level(code="L1", title="T", dimensions=[
        {"name": f"Dim {i}", "text": f"Bar {i} & <x> " * 40} for i in range(12)])
    family = Family(slug="w", name="W & Co", function="F", levels={"L1": {
        "responsibilities": [f"Responsibility {i} <keeps> & " * 60 for i in range(40)],
        "rubrics": {"complexity": "C", "knowledge_application": "K"}}})
    frames = [build_frame(fw, family, level) for fw in ALL_FRAMEWORKS]
    messages = copy_messages(frames)
    assert len(messages) > 1
    assert all(len(blocks(m)) <= 50 for m in messages)
    assert copied(messages) == render_document(frames)
    titles = [blocks(m)[0]["text"]["text"] for m in messages]
    assert titles == [f"Copy as text ({i} of {len(messages)})" for i in range(1, len(messages) + 1)]


# Buttons pointing at canon that is gone -----------------------------------------------------

def test_frames_for_follows_a_button(repository: CanonRepository) -> None:
    (frame,) = frames_for(FrameRef(family="cto", level="m2", framework=Framework.MBO), repository)
    assert (frame.framework, frame.family_slug, frame.level_code) == (
        Framework.MBO, "clinical-trials-ops", "M2")


@pytest.mark.parametrize("ref", [
    FrameRef(family="no-such-family", level="M2"),
    FrameRef(family="cpm", level="M2", framework=Framework.OKR),  # family has no M2 canon
    FrameRef(family="cto", level="M9", framework=Framework.SMART),
])
def test_a_button_the_canon_no_longer_has_gets_no_frames(ref: FrameRef,
                                                         repository: CanonRepository) -> None:
    assert frames_for(ref, repository) == []
    message = stale_button(ref)
    text = section_text(message)
    assert "no longer has" in text and f"({ref.family} {ref.level})" in text
    assert "/goals list" in text
    assert message.text.strip()


def test_stale_button_without_a_readable_value() -> None:
    text = section_text(stale_button(None))
    assert "no longer has" in text and "()" not in text and "/goals list" in text


def test_a_canon_that_lost_a_level_makes_old_buttons_stale(write_canon: Any) -> None:
    before = CanonRepository.open(write_canon(levels=[level_doc("L1"), level_doc("L2")],
                                              families=[family_doc(levels={
                                                  "L1": {"responsibilities": ["A"]},
                                                  "L2": {"responsibilities": ["B"]}})]))
    ref = FrameRef(family="widgets", level="L2", framework=Framework.SMART)
    assert len(frames_for(ref, before)) == 1
    after = CanonRepository.open(write_canon(levels=[level_doc("L1"), level_doc("L2")],
                                             families=[family_doc(levels={
                                                 "L1": {"responsibilities": ["A"]}})]))
    assert frames_for(ref, after) == []


def test_a_level_title_and_a_family_name_in_slack_show_the_frame(repository: CanonRepository) -> None:
    by_title = answer_command("Director Clinical Trials Operations okr", repository)
    by_code = answer_command("M4 cto okr", repository)
    assert by_title.as_kwargs() == by_code.as_kwargs()
