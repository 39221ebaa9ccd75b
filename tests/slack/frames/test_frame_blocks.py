"""The Block Kit renderer, judged by what Slack accepts and what a person sees.

Slack's documented caps are checked twice: on the dicts we send, and by slack_sdk's own
models. Canon text must arrive whole (split across blocks and pages, never cut or dropped)
and inert (no pings, mentions, links or formatting from canon text). And it must read at a
glance: bold headings, labels inline, each source tag once where rows share it, one
disclaimer and one primary button per message.
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block, SectionBlock

from bot.canon.model import Family, Level
from bot.canon.repository import CanonRepository, FamilyEntry, LevelEntry, Vocabulary
from bot.frames import templates as t
from bot.frames.build import build_frame, stretch_frame
from bot.frames.comparison import Comparison, RoleLevel, comparison_of
from bot.frames.frameworks import ALL_FRAMEWORKS, Framework
from bot.frames.model import Frame, Row
from bot.frames.templates import PLACEHOLDER_GLYPHS
from bot.frames.text import render_parts, row_title
from bot.slack.command.answers import answer_command, copy_messages, stale_button
from bot.slack.compare.blocks import comparison_message, comparison_pages, shared_comparison_messages
from bot.slack.frames.blocks import (
    frame_message,
    frame_pages,
    menu_choice,
    menu_value,
    overview_message,
    shared_messages,
)
from bot.slack.shared.ids import SWITCH_MENU_ACTION
from bot.slack.shared.layout import Message, text_message, text_messages
from bot.slack.shared.limits import OPTION_VALUE_MAX
from bot.slack.shared.text import escape, escaped_length, plain, split_to_fit
from bot.slack.shared.values import FrameRef
from support.block_texts import text_objects, unescape
from support.canon_files import family_doc, level_doc, shipped_frames

JSONDict = dict[str, Any]
SEP = "\x00"  # never in canon text (control characters are refused), so never in a match


# Helpers -------------------------------------------------------------------------------





def dicts(blocks: list[Block]) -> list[JSONDict]:
    return [block.to_dict() for block in blocks]


def read(obj: JSONDict) -> str:
    """A text object as a person reads it. Our mrkdwn holds no `*` but our bold markers (text
    that would be read as markup goes to plain_text instead), so dropping them is exact."""
    text = obj["text"].replace("*", "") if obj["type"] == "mrkdwn" else obj["text"]
    return unescape(text)


def stream(blocks: list[JSONDict]) -> str:
    """What a person reads, unescaped: consecutive section texts run together (they are one
    text split to fit); every other block, field and context is set apart by SEP."""
    out: list[str] = []
    for block in blocks:
        text = block.get("text")
        if block["type"] == "section" and isinstance(text, dict) and "fields" not in block:
            out.append(read(text))
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
            for element in block["elements"]:
                assert 0 < len(element["action_id"]) <= 255
                if element["type"] == "static_select":
                    check_select(element)
                    continue
                assert element["type"] == "button"
                assert 0 < len(element["text"]["text"]) <= 75
                assert element["text"]["type"] == "plain_text"
                assert len(element.get("value", "")) <= 2000
        else:
            pytest.fail(f"unexpected block type {kind}")


def check_select(select: JSONDict) -> None:
    """A static select's caps: 1 to 100 options, each text at most 75 characters and value
    at most 150, values distinct; an initial option must be one of the options."""
    options = select["options"]
    assert 1 <= len(options) <= 100
    for option in options:
        assert option["text"]["type"] == "plain_text"
        assert 0 < len(option["text"]["text"]) <= 75
        assert 0 < len(option["value"]) <= 150, f"option value of {len(option['value'])} chars"
    assert len({o["value"] for o in options}) == len(options)
    assert "initial_option" not in select or select["initial_option"] in options


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
    """100 responsibilities and 12 dimensions: more rows than one message holds, in every
    framework (a row is one block, and rows sharing a source tag share its line)."""
    return make([f"Responsibility {i} keeps <trial> & data {i} clean" for i in range(1, 101)],
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
    # Nor does it check an option's 150 characters of value.
    long_option = {"type": "actions", "elements": [{"type": "static_select", "action_id": "m", "options": [
        {"text": {"type": "plain_text", "text": "OKRs"}, "value": "v" * 151}]}]}
    Block.parse(long_option).to_dict()  # type: ignore[union-attr]
    with pytest.raises(AssertionError):
        check_slack_caps(Message(text="t", blocks=[Block.parse(long_option)]))  # type: ignore[list-item]


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
    # 60 scorecard rows fill a page to its budget; a family name too long for a header
    # turns the title into a section, and the shared copy adds its "Shared by" line.
    family, level = make([f"Responsibility {i}" for i in range(1, 61)],
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
    # Each block ends a line: read block after block, the lines are the text's, each whole.
    assert unescape("\n".join(pieces)) == text


# 2. Nothing dropped or cut -----------------------------------------------------------------

def page_dicts(frame: Frame) -> list[list[JSONDict]]:
    return [dicts(page) for page in frame_pages(frame)]


def source_line(block: JSONDict) -> str | None:
    if block["type"] != "context":
        return None
    text = "".join(read(e) for e in block["elements"])
    return text if text.startswith(t.SOURCE_LINE.format(source="")) else None


def starts_row(block: JSONDict, title: str) -> bool:
    """Whether `block` is the first (or only) piece of the row headed `title`."""
    if block["type"] != "section" or "text" not in block:
        return False
    text = read(block["text"])
    return text.startswith(title) or title.startswith(text)


def attributed_tags(frame: Frame, pages: list[list[JSONDict]]) -> list[list[str]]:
    """The source lines the layout attributes to each row, in row order, read as a person
    would: a line under a section's title, or at the top of a page before the section's
    first row there, is the tag of every row that follows it in that section on that page;
    a line right after a row's text is that row's alone."""
    rows: list[Row] = list(frame.rows)
    titles = [row_title(frame, n, row) for n, row in enumerate(rows, start=1)]
    section_titles = {f"*{escape(s.title)}*" for s in frame.sections if s.title}
    found: list[list[str]] = [[] for _ in rows]
    following = 0
    for page in pages:
        lead: str | None = None
        current: int | None = None
        for block in page:
            tag = source_line(block)
            if following < len(rows) and starts_row(block, titles[following]):
                current, following = following, following + 1
                if lead is not None:
                    found[current].append(lead)
            elif block["type"] == "section" and block.get("text", {}).get("text") in section_titles:
                lead, current = None, None
            elif tag is not None and current is None:
                lead = tag
            elif tag is not None and current is not None:
                found[current].append(tag)
                current = None
            elif block["type"] == "context":  # the notes
                lead, current = None, None
    assert following == len(rows), "every row's text starts a block"
    return found


def expected_tags(frame: Frame) -> list[list[str]]:
    return [[t.SOURCE_LINE.format(source=row.source)] for row in frame.rows]


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
        assert attributed_tags(frame, pages) == expected_tags(frame)
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
        assert attributed_tags(frame, pages) == expected_tags(frame)
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


def test_canon_markup_never_reaches_mrkdwn() -> None:
    # Bold needs mrkdwn, which would read `*`, `_`, `~`, backticks and :emoji: codes; text
    # holding them is laid out as plain text instead, so it shows exactly as written.
    for message in markup_messages():
        blocks = message.as_kwargs()["blocks"]
        for obj in text_objects(blocks):
            if obj["type"] != "mrkdwn":
                continue
            if obj["text"] == "<@U123>":
                assert blocks[0]["type"] == "context" and obj in blocks[0]["elements"]
                continue
            assert not any(w in obj["text"] for w in ("smile", "channel", "U123", "bold", "_it_")), obj
            assert "<" not in obj["text"] and ">" not in obj["text"], obj
            assert obj.get("verbatim") is True, obj


MRKDWN_LINE = re.compile(r"(\*[^*\s][^*]*(?<=\S)\*( [^*]+)?)( {4}\*[^*\s][^*]*(?<=\S)\* [^*]+)*|[^*]+")


def test_our_mrkdwn_is_only_bold_headings_and_labels_over_inert_text(repository: CanonRepository) -> None:
    # Every mrkdwn line is "*heading*", "*label* text" (twice on an MBO target line) or
    # plain text, with no other markup character and `&`, `<`, `>` escaped.
    frames = list(shipped_frames(repository))
    messages = [m for frame in frames for m in every_page(frame) + every_page(frame, shared_by="U1")]
    messages += [overview_message(frames[i:i + 4]) for i in range(0, len(frames), 4)]
    seen = 0
    for message in messages:
        for obj in text_objects(message.as_kwargs()["blocks"]):
            if obj["type"] != "mrkdwn" or obj["text"].startswith("<@"):
                continue
            assert obj.get("verbatim") is True, obj
            for line in obj["text"].split("\n"):
                assert MRKDWN_LINE.fullmatch(line), line
                assert not re.search(r"[_~`<>]|:[^\s:]+:|&(?!amp;|lt;|gt;)", line), line
                seen += 1
    assert seen > 100


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


def menu_options(element: JSONDict) -> dict[Framework, FrameRef]:
    """The framework menu's options: which frame each opens, by the framework it names."""
    found = {}
    for option in element["options"]:
        ref = FrameRef.parse(option["value"])
        assert ref is not None and ref.framework is not None
        assert option["text"]["text"] == t.FRAMEWORK_TITLES[ref.framework]
        found[ref.framework] = ref
    return found


def test_frame_message_buttons_point_at_the_right_frame(repository: CanonRepository) -> None:
    found = repository.family_level("cto", "M2")
    assert found is not None
    family, level, _ = found
    for framework in ALL_FRAMEWORKS:
        found_buttons = buttons(frame_message(build_frame(framework, family, level)))
        assert list(found_buttons) == [SWITCH_MENU_ACTION, "goals_draft", "goals_copy", "goals_share",
                                       "goals_draft_for"]
        menu = found_buttons[SWITCH_MENU_ACTION]
        assert menu["type"] == "static_select"
        assert menu_options(menu) == {fw: FrameRef(family="clinical-trials-ops", level="M2", framework=fw)
                                      for fw in ALL_FRAMEWORKS}
        # The current framework is the menu's value, not a button to press.
        assert FrameRef.parse(menu["initial_option"]["value"]).framework is framework  # type: ignore[union-attr]
        here = FrameRef(family="clinical-trials-ops", level="M2", framework=framework, page=0)
        assert FrameRef.parse(found_buttons["goals_copy"]["value"]) == here
        assert FrameRef.parse(found_buttons["goals_share"]["value"]) == here
        assert FrameRef.parse(found_buttons["goals_draft"]["value"]) == here
        assert FrameRef.parse(found_buttons["goals_draft_for"]["value"]) == here
        assert found_buttons["goals_draft"]["text"]["text"] == "Draft targets"
        assert found_buttons["goals_copy"]["text"]["text"] == "Copy as text"
        assert found_buttons["goals_share"]["text"]["text"] == "Share"
        assert [e.get("style") for e in found_buttons.values()] == [None, "primary", None, None, None]


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
        # switching framework starts at its first page
        assert all(ref.page == 0 for ref in menu_options(found[SWITCH_MENU_ACTION]).values())
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



# 6. At a glance -------------------------------------------------------------------------------

def shipped_comparisons(repository: CanonRepository) -> list[Comparison]:
    """Every two shipped family levels of different levels compared, with each stretch frame."""
    sides = [RoleLevel(family.slug, code) for family in repository.families() for code in family.levels]
    found = []
    for lower, higher in itertools.combinations(sides, 2):
        if lower.level != higher.level:
            for framework in ALL_FRAMEWORKS:
                compared = comparison_of(lower, higher, framework, repository)
                assert compared is not None
                found.append(compared)
    assert len(found) >= 2 * len(ALL_FRAMEWORKS)
    return found


def owned_messages(repository: CanonRepository) -> list[Message]:
    """Every kind of message this layout sends, over the shipped canon and the hard cases."""
    frames = list(shipped_frames(repository))
    frames += [build_frame(fw, *canon) for canon in (big(), long_text()) for fw in ALL_FRAMEWORKS]
    frames += markup_frames()
    messages = [m for frame in frames for m in every_page(frame) + shared_messages(frame, "U1")]
    messages += [overview_message(frames[i:i + 4]) for i in range(0, len(frames), 4)]
    for compared in shipped_comparisons(repository):
        messages += [comparison_message(compared, p) for p in range(len(comparison_pages(compared)))]
        messages += shared_comparison_messages(compared, "U1")
        messages += every_page(compared.stretch) + shared_messages(compared.stretch, "U1")
    return messages


def elements(message: Message) -> list[JSONDict]:
    return [e for b in message.as_kwargs()["blocks"] if b["type"] == "actions" for e in b["elements"]]


def test_no_message_has_more_than_one_primary_button(repository: CanonRepository) -> None:
    messages = owned_messages(repository)
    assert len(messages) > 50
    for message in messages:
        primary = [e["text"]["text"] for e in elements(message) if e.get("style") == "primary"]
        assert len(primary) <= 1, (message.text, primary)
        # A frame's one primary action is to draft it, whoever is reading.
        if any(e["action_id"] == "goals_draft" for e in elements(message)):
            assert primary == ["Draft targets"], message.text


def test_the_framework_menu_never_styles_the_current_framework_as_an_action(
        repository: CanonRepository) -> None:
    for message in owned_messages(repository):
        for element in elements(message):
            if element["action_id"].startswith("goals_switch_") or element["action_id"].startswith(
                    "goals_compare_stretch_"):
                assert "style" not in element, element
    frame = next(shipped_frames(repository))
    for framework in ALL_FRAMEWORKS:
        menu = buttons(frame_message(build_frame(framework, *big())))[SWITCH_MENU_ACTION]
        assert menu["initial_option"]["text"]["text"] == t.FRAMEWORK_TITLES[framework]
    assert frame.framework is Framework.SMART


def frame_sections(frame: Frame, values: dict[str, str] | None = None) -> list[JSONDict]:
    return [b for page in page_dicts_with(frame, values) for b in page if b["type"] == "section"]


def mrkdwn_lines(frame: Frame) -> list[str]:
    return [line for b in frame_sections(frame) if b["text"]["type"] == "mrkdwn"
            for line in b["text"]["text"].split("\n")]


def test_no_row_label_sits_in_a_half_width_field(repository: CanonRepository) -> None:
    frames = [*shipped_frames(repository), *markup_frames(),
              *(build_frame(fw, *canon) for canon in (big(), long_text()) for fw in ALL_FRAMEWORKS)]
    for frame in frames:
        long_values = {p.key: "v" * 2500 for p in frame.placeholders()}
        for values in (None, long_values):
            assert not [b for b in frame_sections(frame, values) if "fields" in b], frame.title
    for frame in shipped_frames(repository):
        lines = mrkdwn_lines(frame)
        for row in frame.rows:
            for line in row.lines:
                label = f"*{escape(line.label)}* {escape(render_parts(line.parts))}"
                assert any(label in shown for shown in lines), (frame.title, label)


def test_row_headings_and_section_titles_are_bold(repository: CanonRepository) -> None:
    for frame in shipped_frames(repository):
        lines = mrkdwn_lines(frame)
        number = 0
        for section in frame.sections:
            if section.title:
                assert f"*{escape(section.title)}*" in lines, section.title
            for row in section.rows:
                number += 1
                heading = escape(row_title(frame, number, row))
                # Under a perspective's bold title (the scorecard) a row is one of its items.
                assert (f"*{heading}*" if not section.title else heading) in lines, heading
        # and the bold is Slack's: a marker at each end of the line, none inside
        assert all(line.count("*") % 2 == 0 for line in lines)


def test_rows_sharing_a_source_tag_say_it_once_per_page_and_each_row_keeps_its_own(
        repository: CanonRepository) -> None:
    frames = [*shipped_frames(repository), *markup_frames(),
              *(build_frame(fw, *canon) for canon in (big(), long_text()) for fw in ALL_FRAMEWORKS)]
    for frame in frames:
        pages = page_dicts(frame)
        assert attributed_tags(frame, pages) == expected_tags(frame), frame.title
        for page in pages:
            lines = [source_line(b) for b in page if source_line(b)]
            # A tag repeats only where the rows differ, or a page continues their section.
            assert len(lines) <= len(page) // 2 + 1
    okr = next(f for f in shipped_frames(repository) if f.framework is Framework.OKR)
    assert len({str(row.source) for row in okr.rows}) == 1 < len(okr.rows)
    assert [source_line(b) for b in page_dicts(okr)[0] if source_line(b)] == expected_tags(okr)[0]


def test_a_section_continued_on_the_next_page_repeats_its_source_tag() -> None:
    frame = build_frame(Framework.SCORECARD, *big())
    pages = page_dicts(frame)
    assert len(pages) >= 3
    shared = expected_tags(frame)[0][0]
    for page in pages[1:]:
        first_row = next(i for i, b in enumerate(page) if b["type"] == "section")
        if any(source_line(b) == shared for b in page):
            assert source_line(page[first_row - 1]) == shared or source_line(page[0]) == shared
    assert attributed_tags(frame, pages) == expected_tags(frame)


def test_a_tag_that_differs_from_its_neighbours_follows_its_own_row(write_canon: Any) -> None:
    root = write_canon(levels=[level_doc("L1", dimensions=3)], families=[family_doc()])
    repo = CanonRepository.open(root)
    family, level = repo.family("widgets"), repo.level("L1")
    assert family is not None and level is not None
    frame = build_frame(Framework.SCORECARD, family, level)
    calibration = frame.sections[-1]
    assert len({str(row.source) for row in calibration.rows}) == len(calibration.rows) == 3
    blocks = [b for page in page_dicts(frame) for b in page]
    for row in calibration.rows:
        at = next(i for i, b in enumerate(blocks) if starts_row(b, render_parts(row.heading)))
        assert source_line(blocks[at + 1]) == t.SOURCE_LINE.format(source=row.source)


def test_the_disclaimer_is_said_once_per_message_in_small_print(repository: CanonRepository) -> None:
    for message in owned_messages(repository):
        blocks = message.as_kwargs()["blocks"]
        said = [(b["type"], d) for b in blocks for o in text_objects(b) for d in (t.DISCLAIMER, t.COMPARE_DISCLAIMER)
                if d in read(o)]
        assert len(said) == 1, (message.text, said)
        assert said[0][0] == "context"
        # comparisons say theirs, frames (stretch frames included) theirs
        assert (said[0][1] == t.COMPARE_DISCLAIMER) is message.text.startswith("Compare ")


def long_vocabulary(*words: tuple[str, str]) -> Vocabulary:
    families = tuple(FamilyEntry(slug, slug, "f", (), (code,)) for slug, code in words)
    levels = tuple(LevelEntry(code, "t", 0) for _, code in words)
    return Vocabulary(levels=levels, families=families)


@pytest.mark.parametrize("size", [(1, 1), (64, 32), (150, 64), (200, 64)])
def test_the_framework_menu_holds_any_frame_a_button_can(size: tuple[int, int]) -> None:
    # An option's value holds 150 characters, a button's 2000: a longer frame's option
    # names its slugs and levels by digests, which the canon resolves back.
    slug_size, code_size = size
    vocabulary = long_vocabulary(("a" * slug_size, "L" * code_size), ("b" * slug_size, "M" * code_size),
                                 ("c" * slug_size, "N" * code_size))
    for framework in ALL_FRAMEWORKS:
        plain_ref = FrameRef(family="a" * slug_size, level="L" * code_size, framework=framework)
        stretch = plain_ref.model_copy(update={"for_family": "b" * slug_size, "for_level": "M" * code_size})
        for ref in (plain_ref, stretch):
            value = menu_value(ref)
            assert len(value) <= OPTION_VALUE_MAX
            assert menu_choice(value, vocabulary) == ref
            if len(ref.value()) <= OPTION_VALUE_MAX:  # readable wherever it fits
                assert value == ref.value()


def test_a_menu_choice_the_canon_cannot_resolve_points_nowhere() -> None:
    vocabulary = long_vocabulary(("a" * 200, "L1"))
    gone = menu_value(FrameRef(family="z" * 200, level="L1", framework=Framework.OKR))
    assert "#" in gone and menu_choice(gone, vocabulary) is None
    for value in (None, 3, "", "garbage", '{"f":"#","l":"L1"}', '{"f":"a","l":"#00"}'):
        assert menu_choice(value, vocabulary) is None


def test_a_stretch_frame_at_the_canons_longest_names_fits_and_its_menu_resolves(write_canon: Any) -> None:
    slugs = ["-".join(["team"] * 13)[:64], "-".join(["crew"] * 13)[:64]]
    codes = ["L" * 32, "M" * 32]
    root = write_canon(levels=[level_doc(code) for code in codes], families=[
        family_doc(slug, levels={code: {"responsibilities": ["Runs it"]}}) for slug, code in zip(slugs, codes,
                                                                                                 strict=True)])
    repo = CanonRepository.open(root)
    lower, higher = repo.family(slugs[0]), repo.family(slugs[1])
    lower_level, higher_level = repo.level(codes[0]), repo.level(codes[1])
    assert lower and higher and lower_level and higher_level
    for framework in ALL_FRAMEWORKS:
        frame = stretch_frame(framework, higher, higher_level, lower, lower_level)
        message = frame_message(frame)
        check(message)
        menu = buttons(message)[SWITCH_MENU_ACTION]
        assert len(FrameRef.of(frame).value()) > OPTION_VALUE_MAX  # so the digests are in use
        for option in menu["options"]:
            ref = menu_choice(option["value"], repo.vocabulary())
            assert ref is not None and ref.framework is not None
            assert ref == FrameRef.of(stretch_frame(ref.framework, higher, higher_level, lower, lower_level))
