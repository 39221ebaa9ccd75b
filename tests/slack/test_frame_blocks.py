"""The Block Kit renderer, judged by what Slack accepts and what a person sees.

Slack's documented caps are checked twice: on the dicts we send, and by slack_sdk's own
models. Canon text must arrive whole (split across blocks and pages, never cut or dropped)
and inert (no pings, mentions, links or formatting from canon text).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block, SectionBlock

from bot.canon.model import Family, Level
from bot.canon.repository import CanonRepository
from bot.frames.build import build_frame
from bot.frames.frameworks import ALL_FRAMEWORKS, Framework
from bot.frames.model import Frame
from bot.frames.templates import PLACEHOLDER_GLYPHS
from bot.frames.text import render_parts
from bot.slack.answers import answer_command, copy_messages, stale_button
from bot.slack.frame_blocks import frame_message, frame_pages, overview_message
from bot.slack.layout import Message, text_message, text_messages
from bot.slack.text import escape, escaped_length, plain, split_to_fit
from bot.slack.values import FrameRef
from support.block_texts import text_objects, unescape
from support.canon_files import family_doc, shipped_frames

JSONDict = dict[str, Any]
SEP = "\x00"  # never in canon text (control characters are refused), so never in a match


# Helpers -------------------------------------------------------------------------------





def dicts(blocks: list[Block]) -> list[JSONDict]:
    return [block.to_dict() for block in blocks]


def stream(blocks: list[JSONDict]) -> str:
    """What a person reads, unescaped: consecutive section texts run together (they are one
    text split to fit); every other block, field and context is set apart by SEP."""
    out: list[str] = []
    for block in blocks:
        text = block.get("text")
        if block["type"] == "section" and isinstance(text, dict) and "fields" not in block:
            out.append(unescape(text["text"]))
            continue
        out.append(SEP)
        if isinstance(text, dict):
            out += [unescape(text["text"]), SEP]
        for field in block.get("fields", []):
            out += [unescape(field["text"]), SEP]
        if block["type"] == "context":
            out += ["".join(unescape(e["text"]) for e in block["elements"] if "text" in e), SEP]
    return "".join(out)


def check_slack_caps(message: Message) -> None:
    """Slack's documented caps (Block Kit reference), on the dicts we send."""
    kwargs = message.as_kwargs()
    assert isinstance(kwargs["text"], str) and kwargs["text"].strip(), "empty notification text"
    blocks = kwargs["blocks"]
    assert 1 <= len(blocks) <= 50, f"{len(blocks)} blocks"
    for block in blocks:
        kind = block["type"]
        if kind == "section":
            assert "text" in block or "fields" in block
            if "text" in block:
                assert 0 < len(block["text"]["text"]) <= 3000
            fields = block.get("fields", [])
            assert len(fields) <= 10
            for field in fields:
                assert 0 < len(field["text"]) <= 2000, f"field of {len(field['text'])} chars"
        elif kind == "header":
            assert block["text"]["type"] == "plain_text"
            assert 0 < len(block["text"]["text"]) <= 150
        elif kind == "context":
            assert 1 <= len(block["elements"]) <= 10
            for element in block["elements"]:
                assert 0 < len(element["text"]) <= 3000
        elif kind == "actions":
            assert 1 <= len(block["elements"]) <= 25
            ids = [e["action_id"] for e in block["elements"]]
            assert len(ids) == len(set(ids)), "action_ids must be unique in a block"
            for button in block["elements"]:
                assert button["type"] == "button"
                assert 0 < len(button["text"]["text"]) <= 75
                assert button["text"]["type"] == "plain_text"
                assert len(button.get("value", "")) <= 2000
                assert 0 < len(button["action_id"]) <= 255
        else:
            pytest.fail(f"unexpected block type {kind}")


def check_sdk_models(message: Message) -> None:
    """slack_sdk's own models accept every block we send (validate_json checks the block's
    own attributes; to_dict also validates every nested element and text object)."""
    for block in message.as_kwargs()["blocks"]:
        parsed = Block.parse(block)
        assert parsed is not None and parsed.type == block["type"]
        parsed.validate_json()
        assert parsed.to_dict() == block


def check(message: Message) -> None:
    check_slack_caps(message)
    check_sdk_models(message)


def every_page(frame: Frame, **kwargs: Any) -> list[Message]:
    return [frame_message(frame, page, **kwargs) for page in range(len(frame_pages(frame)))]


def make(responsibilities: list[str], dimensions: list[tuple[str, str]], *, name: str = "Widgets",
         function: str = "Making", title: str = "Level One", slug: str = "widgets",
         rubric: str = "Solves widget problems.") -> tuple[Family, Level]:
    level = Level(code="L1", title=title, dimensions=[{"name": n, "text": t} for n, t in dimensions])
    family = Family(slug=slug, name=name, function=function, levels={
        "L1": {"responsibilities": responsibilities,
               "rubrics": {"complexity": rubric, "knowledge_application": rubric}},
    })
    return family, level


def big() -> tuple[Family, Level]:
    """40 responsibilities and 12 dimensions: more rows than one message holds."""
    return make([f"Responsibility {i} keeps <trial> & data {i} clean" for i in range(1, 41)],
                [(f"Dimension {i}", f"Bar {i}: owns <scope> & pace {i}") for i in range(1, 13)])


LONG_RESPONSIBILITY = (
    # Words, a run with no space at all (cut mid-word), and characters whose escaped form is
    # longer than they are, so the limit is reached at a different place than len() says.
    " ".join(f"step{i} <&>" for i in range(350)) + " " + "x" * 2600 + " " + "<&>" * 150
)
LONG_DIMENSION = ("Acts on <evidence> & judgement; " * 90)[:2500]


def long_text() -> tuple[Family, Level]:
    return make(["Short one", LONG_RESPONSIBILITY, "Short two"],
                [("Scope", LONG_DIMENSION), ("Autonomy", "Owns the plan")])




# The checks themselves can fail -----------------------------------------------------------

def test_sdk_models_refuse_what_slack_refuses() -> None:
    too_long_section = {"type": "section", "text": {"type": "plain_text", "text": "x" * 3001}}
    too_long_header = {"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}
    too_many_fields = {"type": "section", "fields": [{"type": "plain_text", "text": "x"}] * 11}
    for bad in (too_long_section, too_long_header, too_many_fields):
        with pytest.raises(SlackObjectFormationError):
            Block.parse(bad).validate_json()  # type: ignore[union-attr]
    long_button = {"type": "actions", "elements": [
        {"type": "button", "text": {"type": "plain_text", "text": "x" * 76}, "action_id": "a"}]}
    with pytest.raises(SlackObjectFormationError):
        Block.parse(long_button).to_dict()  # type: ignore[union-attr]
    # The SDK does not check a field's 2000 characters: the direct check does.
    wide_field = {"type": "section", "fields": [{"type": "plain_text", "text": "x" * 2001}]}
    Block.parse(wide_field).to_dict()  # type: ignore[union-attr]
    with pytest.raises(AssertionError):
        check_slack_caps(Message(text="t", blocks=[Block.parse(wide_field)]))  # type: ignore[list-item]
    with pytest.raises(AssertionError):
        check_slack_caps(Message(text=" ", blocks=[SectionBlock(text=plain("x"))]))


# 1. Slack's limits --------------------------------------------------------------------------

def test_every_shipped_frame_page_and_shared_copy_fits_slack(repository: CanonRepository) -> None:
    frames = list(shipped_frames(repository))
    assert len(frames) == 3 * 4
    for frame in frames:
        for message in every_page(frame) + every_page(frame, shared_by="U123"):
            check(message)


def test_every_shipped_overview_and_copy_fits_slack(repository: CanonRepository) -> None:
    frames = list(shipped_frames(repository))
    for start in range(0, len(frames), 4):
        four = frames[start:start + 4]
        check(overview_message(four))
        for message in copy_messages(four) + [m for f in four for m in copy_messages([f])]:
            check(message)


@pytest.mark.parametrize("words", [
    "", "help", "list", "M2 clinical-trial-ops okr", "M3 cto", "M2 cpm", "m2 cto okr smart",
    "m2 cto bananas", "canon check", "M2 " + "x" * 5000, " ".join(["bad"] * 2000),
])
def test_help_list_and_error_answers_fit_slack(words: str, repository: CanonRepository) -> None:
    check(answer_command(words, repository))


def test_stale_button_answer_fits_slack() -> None:
    check(stale_button(FrameRef(family="x" * 200, level="L" * 64)))
    check(stale_button(None))


def test_many_rows_are_split_into_pages_that_each_fit() -> None:
    family, level = big()
    for framework in ALL_FRAMEWORKS:
        frame = build_frame(framework, family, level)
        pages = frame_pages(frame)
        assert len(pages) > 1, framework
        for message in every_page(frame) + every_page(frame, shared_by="U123"):
            check(message)


def test_long_canon_text_is_split_across_blocks_that_each_fit() -> None:
    family, level = long_text()
    assert len(LONG_RESPONSIBILITY) > 7000 and len(LONG_DIMENSION) == 2500
    assert escaped_length(LONG_DIMENSION) > 3000  # even a section cannot hold it whole
    for framework in ALL_FRAMEWORKS:
        frame = build_frame(framework, family, level)
        for message in every_page(frame) + every_page(frame, shared_by="U1"):
            check(message)
        check(overview_message([build_frame(fw, family, level) for fw in ALL_FRAMEWORKS]))
        for message in copy_messages([frame]):
            check(message)


def test_the_longest_names_the_canon_accepts_still_fit() -> None:
    # The canon caps names at 200 characters (bot/canon_model.py); at the cap, with
    # characters that grow when escaped, every message still fits.
    family, level = make(["Runs the thing"], [("Scope", "Wide")], name=("Name & <x> " * 30)[:200],
                         function=("Function " * 30)[:200], title=("Title <t> " * 30)[:200])
    frames = [build_frame(fw, family, level) for fw in ALL_FRAMEWORKS]
    for frame in frames:
        for message in every_page(frame) + every_page(frame, shared_by="U1"):
            check(message)
    check(overview_message(frames))


def test_full_page_with_a_long_family_name_still_fits_50_blocks() -> None:
    # 41 scorecard rows fill a page to its budget; a family name too long for a header
    # turns the title into a section, and the shared copy adds its "Shared by" line.
    family, level = make([f"Responsibility {i}" for i in range(1, 42)],
                         [(f"Dimension {i}", f"Bar {i}") for i in range(1, 13)], name="N" * 200)
    frame = build_frame(Framework.SCORECARD, family, level)
    for message in every_page(frame) + every_page(frame, shared_by="U1"):
        check_slack_caps(message)


@pytest.mark.parametrize("framework", ALL_FRAMEWORKS)
def test_long_filled_values_still_fit(framework: Framework) -> None:
    # A draft's values are typed by people; a long one must move out of a field like canon does.
    frame = build_frame(framework, *make(["Runs the thing", "Ships the thing"], [("Scope", "Wide")]))
    for length in (1000, 2500):
        values = {p.key: "v" * length for p in frame.placeholders()}
        for message in every_page(frame, values=values):
            check(message)
        text = stream([b for page in page_dicts_with(frame, values) for b in page])
        assert text.count("v" * length) == len(values)


def test_a_family_slug_the_canon_accepts_fits_in_a_button(write_canon: Any) -> None:
    slug = "-".join(["team"] * 13)[:64]  # the longest slug the canon accepts
    repo = CanonRepository.open(write_canon(families=[family_doc(slug)]))
    family = repo.family(slug)
    level = repo.level("L1")
    assert family is not None and level is not None
    frames = [build_frame(fw, family, level) for fw in ALL_FRAMEWORKS]
    check(overview_message(frames))
    for frame in frames:
        for message in every_page(frame):
            check(message)


def test_text_messages_split_a_long_text_over_messages_that_each_fit() -> None:
    text = "\n".join(f"line {i} <&>" * 30 for i in range(2000))
    messages = text_messages(text, title="Copy as text")
    assert len(messages) > 1
    for message in messages:
        check(message)
    pieces = [s["text"]["text"] for m in messages for s in m.as_kwargs()["blocks"] if s["type"] == "section"]
    assert unescape("".join(pieces)) == text


# 2. Nothing dropped or cut -----------------------------------------------------------------

def page_dicts(frame: Frame) -> list[list[JSONDict]]:
    return [dicts(page) for page in frame_pages(frame)]


def source_rows(pages: list[list[JSONDict]]) -> list[str]:
    return [unescape(b["elements"][0]["text"]) for page in pages for b in page
            if b["type"] == "context" and unescape(b["elements"][0]["text"]).startswith("source: ")]


def test_each_message_carries_its_page_whole_and_in_order() -> None:
    frame = build_frame(Framework.OKR, *big())
    pages = page_dicts(frame)
    for number, page in enumerate(pages):
        blocks = frame_message(frame, number).as_kwargs()["blocks"]
        starts = [i for i in range(len(blocks)) if blocks[i:i + len(page)] == page]
        assert starts, f"page {number} is not in its message"
        footer = stream(blocks)
        assert f"Page {number + 1} of {len(pages)}." in footer


def test_every_row_of_a_big_frame_is_on_some_page() -> None:
    family, level = big()
    responsibilities = family.levels["L1"].responsibilities
    for framework in ALL_FRAMEWORKS:
        frame = build_frame(framework, family, level)
        pages = page_dicts(frame)
        text = stream([block for page in pages for block in page])
        for responsibility in responsibilities:
            assert responsibility in text, (framework, responsibility)
        assert source_rows(pages) == [f"source: {row.source}" for row in frame.rows]
        assert len(source_rows(pages)) == len(frame.rows)
        for row in frame.rows:
            assert render_parts(row.heading) in text
            for line in row.lines:
                assert render_parts(line.parts) in text
        if framework is Framework.SCORECARD:
            for dimension in level.dimensions:
                assert dimension.text in text
        for note in frame.notes:
            assert note in text


def test_long_canon_text_reads_back_whole_from_its_pieces() -> None:
    family, level = long_text()
    for framework in ALL_FRAMEWORKS:
        frame = build_frame(framework, family, level)
        pages = page_dicts(frame)
        blocks = [block for page in pages for block in page]
        sections = [b for b in blocks if b["type"] == "section" and "text" in b]
        assert any(len(b["text"]["text"]) > 2900 for b in sections), "expected a split"
        text = stream(blocks)
        assert LONG_RESPONSIBILITY in text, framework
        assert source_rows(pages) == [f"source: {row.source}" for row in frame.rows]
        for row in frame.rows:
            for parts in (row.heading, *(line.parts for line in row.lines)):
                assert render_parts(parts) in text
        if framework in (Framework.OKR, Framework.SCORECARD):
            assert LONG_DIMENSION in text


def test_the_pieces_of_a_long_heading_join_to_exactly_the_heading() -> None:
    frame = build_frame(Framework.SMART, *long_text())
    blocks = [b for page in page_dicts(frame) for b in page]
    first = next(i for i, b in enumerate(blocks)
                 if b["type"] == "section" and "text" in b and b["text"]["text"].startswith("2. "))
    run = []
    for block in blocks[first:]:
        if block["type"] != "section" or "text" not in block:
            break
        run.append(block["text"]["text"])
    assert len(run) >= 3
    assert all(len(piece) <= 3000 for piece in run)
    joined = unescape("".join(run))
    assert joined.startswith("2. " + LONG_RESPONSIBILITY)
    assert f'Deliver: "{LONG_RESPONSIBILITY}"' in joined


def test_split_to_fit_pieces_join_to_the_text_and_fit() -> None:
    text = LONG_RESPONSIBILITY
    pieces = split_to_fit(text, 3000)
    assert len(pieces) >= 3 and "".join(pieces) == text
    assert all(escaped_length(p) <= 3000 and len(escape(p)) == escaped_length(p) for p in pieces)
    assert split_to_fit("", 10) == [""]
    assert split_to_fit("a b", 10) == ["a b"]
    with pytest.raises(ValueError):
        split_to_fit("abc", 4)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("ab &<>\n") | st.characters(), max_size=300),
       limit=st.integers(min_value=5, max_value=80))
def test_split_to_fit_never_loses_or_overfills(text: str, limit: int) -> None:
    pieces = split_to_fit(text, limit)
    assert "".join(pieces) == text
    assert all(len(escape(piece)) <= limit for piece in pieces)
    if text:
        assert all(pieces)


# 3. Markup safety -----------------------------------------------------------------------------

MARKUP = "<!channel> <@U123> <https://x|y> & *bold* _it_ :smile:"
ESCAPED = ("&lt;!channel&gt;", "&lt;@U123&gt;", "&lt;https://x|y&gt;", "&amp;")


def markup_frames() -> list[Frame]:
    family, level = make(
        [f"Run {MARKUP} one", f"Run {MARKUP} two"],
        [(f"Scope {MARKUP}", f"Bar {MARKUP}"), (f"Pace {MARKUP}", f"Bar two {MARKUP}")],
        name=f"Ops {MARKUP}", function=f"Fn {MARKUP}", title=f"Lead {MARKUP}",
        rubric=f"Rubric {MARKUP}",
    )
    return [build_frame(fw, family, level) for fw in ALL_FRAMEWORKS]


def markup_messages() -> list[Message]:
    frames = markup_frames()
    messages = [overview_message(frames), *copy_messages(frames)]
    for frame in frames:
        values = {p.key: f"val {MARKUP}" for p in list(frame.placeholders())[:2]}
        messages += [frame_message(frame), frame_message(frame, shared_by="U123"),
                     frame_message(frame, values=values), *copy_messages([frame])]
    return messages


def test_canon_text_is_plain_escaped_and_without_emoji() -> None:
    for message in markup_messages():
        kwargs = message.as_kwargs()
        canon_objects = [o for o in text_objects(kwargs["blocks"]) if "smile" in o["text"]]
        assert canon_objects
        for obj in canon_objects:
            assert obj["type"] == "plain_text", obj
            assert obj["emoji"] is False, obj
            assert "<" not in obj["text"] and ">" not in obj["text"], obj
            assert not re.search(r"&(?!amp;|lt;|gt;)", obj["text"]), obj
        everything = "".join(o["text"] for o in canon_objects)
        for escaped in ESCAPED:
            assert escaped in everything
        assert "<" not in kwargs["text"] and ">" not in kwargs["text"]


def test_the_fallback_text_is_escaped_too() -> None:
    for frame in markup_frames():
        text = frame_message(frame).text
        assert "&lt;!channel&gt;" in text and "<" not in text and ">" not in text
    assert "<" not in text_message("x <!here>", title="<!channel>").text
    # Copy as text of a draft is titled with its canon names, over one message or several.
    title = "Copy as text: your draft of <!channel> & co"
    messages = text_messages("x <!here>", title=title) + text_messages("x <!here>\n" * 20_000, title=title)
    assert len(messages) > 2
    assert all("<" not in m.text and "&lt;!channel&gt; &amp; co" in m.text for m in messages)


def test_the_only_markdown_is_our_bold_labels_and_the_sharer_mention() -> None:
    for message in markup_messages():
        blocks = message.as_kwargs()["blocks"]
        for obj in text_objects(blocks):
            if obj["type"] != "mrkdwn":
                continue
            if obj["text"] == "<@U123>":
                assert blocks[0]["type"] == "context" and obj in blocks[0]["elements"]
                continue
            assert re.fullmatch(r"\*[^*<>\n]+\*", obj["text"]), obj
            assert not any(w in obj["text"] for w in ("smile", "channel", "U123", "bold", "_it_"))
            assert obj.get("verbatim") is True, obj


def test_shared_by_cannot_inject_markup() -> None:
    frame = markup_frames()[0]
    for sharer in ("U1><!channel", "U1|x> <!here", "U1&amp;<@U2>", "<https://evil|U9>"):
        blocks = frame_message(frame, shared_by=sharer).as_kwargs()["blocks"]
        mentions = [o["text"] for o in text_objects(blocks) if o["type"] == "mrkdwn" and "@" in o["text"]]
        assert len(mentions) == 1
        assert re.fullmatch(r"<@[A-Za-z0-9]+>", mentions[0]), mentions
        assert mentions[0] == "<@" + "".join(c for c in sharer if c.isalnum()) + ">"


def test_sharer_mention_is_a_real_mention() -> None:
    blocks = frame_message(markup_frames()[0], shared_by="U123ABC").as_kwargs()["blocks"]
    first = blocks[0]
    assert first["type"] == "context"
    assert [e["text"] for e in first["elements"]] == ["*Shared by*", "<@U123ABC>"]


# 4. Buttons -----------------------------------------------------------------------------------

def buttons(message: Message) -> dict[str, JSONDict]:
    blocks = message.as_kwargs()["blocks"]
    actions = [b for b in blocks if b["type"] == "actions"]
    assert len(actions) == 1 and blocks[-1] == actions[0], "one row of buttons, at the end"
    return {e["action_id"]: e for e in actions[0]["elements"]}


SWITCHES = {f"goals_switch_{fw.value}": fw for fw in ALL_FRAMEWORKS}


def test_frame_message_buttons_point_at_the_right_frame(repository: CanonRepository) -> None:
    found = repository.family_level("cto", "M2")
    assert found is not None
    family, level, _ = found
    for framework in ALL_FRAMEWORKS:
        found_buttons = buttons(frame_message(build_frame(framework, family, level)))
        assert set(found_buttons) == {*SWITCHES, "goals_draft", "goals_copy", "goals_share"}
        for action_id, switch_to in SWITCHES.items():
            button = found_buttons[action_id]
            assert FrameRef.parse(button["value"]) == FrameRef(
                family="clinical-trials-ops", level="M2", framework=switch_to, page=0)
            assert button.get("style") == ("primary" if switch_to is framework else None)
        here = FrameRef(family="clinical-trials-ops", level="M2", framework=framework, page=0)
        assert FrameRef.parse(found_buttons["goals_copy"]["value"]) == here
        assert FrameRef.parse(found_buttons["goals_share"]["value"]) == here
        assert FrameRef.parse(found_buttons["goals_draft"]["value"]) == here
        assert found_buttons["goals_draft"]["text"]["text"] == "Draft targets"
        assert found_buttons["goals_copy"]["text"]["text"] == "Copy as text"
        assert found_buttons["goals_share"]["text"]["text"] == "Share in channel"


def test_paging_buttons_only_with_several_pages_and_point_one_page_away() -> None:
    family, level = big()
    frame = build_frame(Framework.SMART, family, level)
    count = len(frame_pages(frame))
    assert count >= 3
    for page in range(count):
        found = buttons(frame_message(frame, page))
        copy = FrameRef.parse(found["goals_copy"]["value"])
        assert copy == FrameRef(family="widgets", level="L1", framework=Framework.SMART, page=page)
        if page > 0:
            assert FrameRef.parse(found["goals_page_prev"]["value"]) == FrameRef(
                family="widgets", level="L1", framework=Framework.SMART, page=page - 1)
        else:
            assert "goals_page_prev" not in found
        if page + 1 < count:
            assert FrameRef.parse(found["goals_page_next"]["value"]) == FrameRef(
                family="widgets", level="L1", framework=Framework.SMART, page=page + 1)
        else:
            assert "goals_page_next" not in found
        for action_id in SWITCHES:  # switching framework starts at its first page
            switched = FrameRef.parse(found[action_id]["value"])
            assert switched is not None and switched.page == 0
    # A page past the end shows the last page rather than failing.
    last = buttons(frame_message(frame, count + 5))
    assert FrameRef.parse(last["goals_copy"]["value"]).page == count - 1  # type: ignore[union-attr]
    # A one-page frame has no paging buttons.
    small = build_frame(Framework.SMART, *make(["One"], [("Scope", "Wide")]))
    assert not {"goals_page_prev", "goals_page_next"} & set(buttons(frame_message(small)))


def test_a_shared_copy_has_only_draft_and_copy_and_says_who_shared() -> None:
    frame = build_frame(Framework.OKR, *big())
    for page in range(len(frame_pages(frame))):
        message = frame_message(frame, page, shared_by="U123")
        assert set(buttons(message)) == {"goals_draft", "goals_copy"}
        first = message.as_kwargs()["blocks"][0]
        assert first["type"] == "context" and "Shared by" in first["elements"][0]["text"]
        ref = FrameRef.parse(buttons(message)["goals_copy"]["value"])
        assert ref == FrameRef(family="widgets", level="L1", framework=Framework.OKR, page=page)


def test_non_interactive_message_has_no_buttons() -> None:
    frame = build_frame(Framework.MBO, *make(["One"], [("Scope", "Wide")]))
    blocks = frame_message(frame, interactive=False).as_kwargs()["blocks"]
    assert all(b["type"] != "actions" for b in blocks)


def test_overview_buttons_open_each_framework_and_copy_all(repository: CanonRepository) -> None:
    found = repository.family_level("cpm", "M4")
    assert found is not None
    frames = [build_frame(fw, found[0], found[1]) for fw in ALL_FRAMEWORKS]
    found_buttons = buttons(overview_message(frames))
    assert set(found_buttons) == {*SWITCHES, "goals_copy"}
    for action_id, framework in SWITCHES.items():
        assert FrameRef.parse(found_buttons[action_id]["value"]) == FrameRef(
            family="clinical-project-management", level="M4", framework=framework)
        assert "style" not in found_buttons[action_id]
    assert FrameRef.parse(found_buttons["goals_copy"]["value"]) == FrameRef(
        family="clinical-project-management", level="M4")


@pytest.mark.parametrize("value", [
    "", "garbage", "null", "[]", "42", '"cto"', "{", '{"f":"cto"}', '{"l":"M2"}',
    '{"f":1,"l":"M2"}', '{"f":"cto","l":["M2"]}', '{"f":"cto","l":"M2","w":"okrs"}',
    '{"f":"cto","l":"M2","w":"OKR"}', '{"f":"cto","l":"M2","w":"all"}',
    '{"f":"cto","l":"M2","p":-1}', '{"f":"cto","l":"M2","p":1001}', '{"f":"cto","l":"M2","p":1.5}',
    '{"f":"cto","l":"M2","p":"x"}', '{"f":"cto","l":"M2","x":1}', '{"f":"","l":"M2"}',
    '{"f":"cto","l":"M2","family":"cpm"}', json.dumps({"f": "x" * 201, "l": "M2"}),
    json.dumps({"f": "cto", "l": "M" * 65}), "[" * 100_000, "x" * 1_000_000,
])
def test_frame_ref_parse_refuses_what_no_button_of_ours_holds(value: str) -> None:
    assert FrameRef.parse(value) is None


@pytest.mark.parametrize("value", [
    '{"f":"cto","l":"M2","p":"1"}', '{"f":"cto","l":"M2","p":true}', '{"f":"cto","l":"M2","p":1.0}',
])
def test_frame_ref_parse_is_strict_about_types(value: str) -> None:
    # FrameRef says it is "parsed strictly"; lax pydantic turns these into page 1.
    assert FrameRef.parse(value) is None


@settings(max_examples=300, deadline=None)
@given(st.text() | st.builds(json.dumps, st.dictionaries(
    st.sampled_from(["f", "l", "w", "p", "x"]),
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=300))))
def test_frame_ref_parse_never_raises(value: str) -> None:
    ref = FrameRef.parse(value)
    assert ref is None or isinstance(ref, FrameRef)


@settings(max_examples=200, deadline=None)
@given(family=st.text(min_size=1, max_size=200), level=st.text(min_size=1, max_size=64),
       framework=st.none() | st.sampled_from(ALL_FRAMEWORKS), page=st.integers(0, 1000))
def test_frame_ref_value_round_trips(family: str, level: str, framework: Framework | None,
                                     page: int) -> None:
    ref = FrameRef(family=family, level=level, framework=framework, page=page)
    assert FrameRef.parse(ref.value()) == ref


# 5. Values ------------------------------------------------------------------------------------

def all_texts(frame: Frame, values: dict[str, str] | None = None) -> str:
    blocks = [b for page in page_dicts_with(frame, values) for b in page]
    return SEP.join(unescape(o["text"]) for o in text_objects(blocks))


def page_dicts_with(frame: Frame, values: dict[str, str] | None) -> list[list[JSONDict]]:
    return [dicts(page) for page in frame_pages(frame, values)]


def test_a_filled_value_replaces_exactly_its_placeholder(repository: CanonRepository) -> None:
    checked = 0
    for frame in shipped_frames(repository):
        before = all_texts(frame)
        assert "72%" not in before
        for placeholder in frame.placeholders():
            glyph = PLACEHOLDER_GLYPHS[placeholder.kind.value]
            after = all_texts(frame, {placeholder.key: "72%"})
            assert after.count("72%") == 1, placeholder.key
            assert after.count(glyph) == before.count(glyph) - 1, placeholder.key
            checked += 1
    assert checked > 50


def test_filled_values_show_in_the_message_and_are_escaped() -> None:
    frame = build_frame(Framework.SMART, *make(["Runs it"], [("Scope", "Wide")]))
    key = next(p.key for p in frame.placeholders() if p.kind.value == "target")
    message = frame_message(frame, values={key: "<!here> & 72%"})
    texts = [o["text"] for o in text_objects(message.as_kwargs()["blocks"])]
    assert any("&lt;!here&gt; &amp; 72%" in t for t in texts)
    assert not any("<!here>" in t for t in texts)
    # An empty value leaves the glyph in place.
    empty = all_texts(frame, {key: ""})
    assert empty == all_texts(frame)

