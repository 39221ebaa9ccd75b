"""A draft as messages (the DM message and its pages, the delete confirmation) and lists of drafts.

Slack's limits are checked on the dicts we send and by slack_sdk's own models; typed values
must arrive escaped (no pings, mentions or links), and a draft is only ever its owner's.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from bot.canon.model import Family, Level
from bot.canon.repository import CanonRepository
from bot.frames.build import build_frame
from bot.frames.frameworks import ALL_FRAMEWORKS, Framework
from bot.frames.model import Frame, PlaceholderKind
from bot.frames.templates import CANON_CHANGED, CANON_GONE, NO_LONGER_IN_CANON, PLACEHOLDER_GLYPHS
from bot.frames.text import render_parts
from bot.goals.check_ins.rules import target_fields
from bot.goals.checks import MAX_VALUE_CHARS
from bot.goals.drafts.drafting import Drafting
from bot.goals.drafts.view import DraftView
from bot.goals.fields import leftovers, placeholder_fields, progress, value_labels
from bot.goals.model import Owner
from bot.slack.drafts.blocks import (
    LIST_MAX_HOME,
    LIST_MAX_MESSAGE,
    NO_DRAFTS_HOME,
    draft_message,
    drafts_message,
    home_drafts,
    no_drafts_text,
)
from bot.slack.drafts.form import draft_form, form_steps
from bot.slack.share.form import share_form
from bot.slack.share.shareable import shareable
from bot.slack.shared.ids import CHECK_IN_ACTION, PROPOSE_ACTION, REVIEW_SEND_ACTION
from bot.slack.shared.ids import DRAFT_COPY_ACTION as COPY_ACTION
from bot.slack.shared.ids import DRAFT_DELETE_ACTION as DELETE_ACTION
from bot.slack.shared.ids import DRAFT_EDIT_ACTION as EDIT_ACTION
from bot.slack.shared.ids import DRAFT_SHARE_ACTION as SHARE_ACTION
from bot.slack.shared.text import escape
from bot.slack.shared.values import DraftRef, ShareState
from bot.store.draft_files import DraftFiles
from support.block_texts import inert, text_objects
from support.canon_files import shipped_frames
from support.draft_helpers import (
    NASTY,
    PAGE_NEXT,
    PAGE_PREV,
    all_pages,
    all_text,
    big_responsibilities,
    block_dicts,
    buttons,
    check_message,
    draft_view,
    new_draft,
    shipped_frame,
    some_values,
    state_for,
)

JSONDict = dict[str, Any]


# draft_message -------------------------------------------------------------------------


def test_a_draft_message_shows_values_escaped_and_glyphs_where_empty(repository: CanonRepository) -> None:
    for frame in shipped_frames(repository):
        values = some_values(frame)
        view = draft_view(frame, values)
        pages = all_pages(view)
        assert len(pages) == 1
        message = pages[0]
        check_message(message)
        text = all_text(block_dicts(message))
        for row in frame.rows:
            for line in row.lines:
                assert escape(render_parts(line.parts, values)) in text
        for value in values.values():
            assert escape(value) in text
        empty_kinds = {f.kind.value for f in placeholder_fields(frame) if f.key not in values}
        assert empty_kinds
        for kind in empty_kinds:
            assert PLACEHOLDER_GLYPHS[kind] in text
        assert escape(str(view.progress)) in text
        found = buttons(message)
        checkable = {CHECK_IN_ACTION} if target_fields(frame, values) else set()  # a filled target: Check in
        assert set(found) == {EDIT_ACTION, COPY_ACTION, SHARE_ACTION, REVIEW_SEND_ACTION, PROPOSE_ACTION, DELETE_ACTION,
                              *checkable}
        assert "confirm" in found[DELETE_ACTION]
        assert found[DELETE_ACTION]["style"] == "danger"
        for button in found.values():
            assert DraftRef.parse(button["value"]) == DraftRef(draft=view.draft.id)
        assert escape(frame.family_name) in message.text


def test_typed_markup_is_shown_escaped_never_obeyed(repository: CanonRepository) -> None:
    frame = shipped_frame(repository, Framework.OKR)
    target = next(f for f in placeholder_fields(frame) if f.kind is PlaceholderKind.TARGET)
    view = draft_view(frame, {target.key: NASTY})
    message = draft_message(view)
    check_message(message)
    raw = json.dumps(message.as_kwargs(), ensure_ascii=False)
    for markup in ("<!channel>", "<@U123>", "<https://evil|x>"):
        assert markup not in raw
    holders = [obj for obj in text_objects(block_dicts(message)) if "evil" in obj["text"]]
    assert holders
    assert any(escape(NASTY) in obj["text"] for obj in holders)
    for obj in holders:
        assert inert(obj), obj


CANON_MARKUP = f"{NASTY} & *bold* :boom:"


class OneDraft(Drafting):
    """Drafting that finds one draft, built here from a canon that lives in memory only."""

    def __init__(self, repository: CanonRepository, view: DraftView) -> None:
        super().__init__(repository, DraftFiles(Path("/nonexistent")))
        self._view = view

    def get(self, owner: Owner, draft_id: str) -> DraftView | None:
        return self._view if draft_id == self._view.draft.id else None


def draft_share_form(repository: CanonRepository, view: DraftView) -> JSONDict:
    """The share form of a draft, as its Share button opens it."""
    state = ShareState(draft=view.draft.id)
    found = shareable(state, view.draft.owner, OneDraft(repository, view))
    assert found is not None
    return share_form(state, found.messages, found.what, found.notes)


def test_canon_markup_in_forms_messages_and_lists_is_shown_as_escaped_plain_text(
        repository: CanonRepository) -> None:
    level = Level(code="L1", title=f"Lead {CANON_MARKUP}", dimensions=[
        {"name": f"Scope {CANON_MARKUP}", "text": f"Bar {CANON_MARKUP}"}, {"name": "Pace", "text": "Steady"}])
    family = Family(slug="widgets", name=f"Widgets {CANON_MARKUP}", function=f"Making {CANON_MARKUP}", levels={
        "L1": {"responsibilities": [f"Builds {CANON_MARKUP}", "Ships widgets"],
               "rubrics": {"complexity": f"Solves {CANON_MARKUP}", "knowledge_application": "Applies it."}}})
    holders: list[JSONDict] = []
    sentences: list[JSONDict] = []
    fallbacks: list[str] = []
    for framework in ALL_FRAMEWORKS:
        frame = build_frame(framework, family, level)
        view = draft_view(frame, some_values(frame))
        # Every step of the form as it is shown with every note (canon changed, values kept aside).
        steps: list[JSONDict] = [draft_form(frame, view.draft, state_for(frame, part=number), canon_changed=True,
                                            leftover_count=1) for number in range(len(form_steps(frame)))]
        form_blocks: list[JSONDict] = [block for step in steps for block in step["blocks"]]
        # The template sentences, context lines above their inputs, quote the canon too.
        sentences += [obj for block in form_blocks if block["type"] == "context"
                      for obj in block["elements"] if "boom" in obj["text"] and "⟩" in obj["text"]]
        messages = [*all_pages(view), drafts_message([view], "/goals", "L1 widgets okr")]
        home = [block.to_dict() for block in home_drafts([view])]
        for node in (form_blocks, draft_share_form(repository, view)["blocks"], home,
                     *(block_dicts(m) for m in messages)):
            holders += [obj for obj in text_objects(node) if "boom" in obj["text"]]
        fallbacks += [message.text for message in messages]
    assert sentences and all(any(obj is holder for holder in holders) for obj in sentences)
    for obj in holders:
        assert obj["type"] == "plain_text" and obj["emoji"] is False, obj
        assert "<" not in obj["text"] and ">" not in obj["text"], obj
        assert not re.search(r"&(?!amp;|lt;|gt;)", obj["text"]), obj
    assert any("Widgets &lt;!channel&gt;" in text for text in fallbacks)
    for text in fallbacks:  # the notification text
        assert "<" not in text and ">" not in text, text


def test_a_long_draft_is_paged_and_every_page_fits() -> None:
    # 120 responsibilities: more rows than one message's 50 blocks hold, however compact.
    frame = build_frame(Framework.OKR, *named("Widgets", [f"Responsibility {i} keeps <trial> & data {i} clean"
                                                          for i in range(1, 121)]))
    values = some_values(frame, every=3)
    view = draft_view(frame, values)
    pages = all_pages(view)
    assert len(pages) > 1
    for number, message in enumerate(pages):
        check_message(message)
        found = buttons(message)
        assert (PAGE_PREV in found) == (number > 0)
        assert (PAGE_NEXT in found) == (number < len(pages) - 1)
        if PAGE_PREV in found:
            assert DraftRef.parse(found[PAGE_PREV]["value"]) == DraftRef(draft=view.draft.id, page=number - 1)
        if PAGE_NEXT in found:
            assert DraftRef.parse(found[PAGE_NEXT]["value"]) == DraftRef(draft=view.draft.id, page=number + 1)
        assert {EDIT_ACTION, COPY_ACTION, SHARE_ACTION, DELETE_ACTION} <= set(found)
    sources = [obj["text"] for message in pages for block in block_dicts(message) if block["type"] == "context"
               for obj in text_objects(block) if obj["text"].startswith("source: ")]
    # Rows that share a tag show it once per page: every page has it, every row's is there.
    assert {f"source: {row.source}" for row in frame.rows} == set(sources)
    assert len(sources) == len(pages)
    text = "\n".join(all_text(block_dicts(message)) for message in pages)
    for value in values.values():
        assert escape(value) in text
    # A page past the end shows the last one.
    assert block_dicts(draft_message(view, len(pages) + 3)) == block_dicts(pages[-1])


def test_a_draft_whose_canon_is_gone_keeps_every_value(repository: CanonRepository) -> None:
    frame = shipped_frame(repository, Framework.SMART)
    values = some_values(frame)
    values[next(iter(values))] = NASTY
    draft = new_draft(frame, values)
    assert set(draft.labels) == set(values)
    view = DraftView(draft=draft, frame=None, progress=None, leftovers=leftovers(None, draft.values, draft.labels))
    message = draft_message(view)
    check_message(message)
    found = buttons(message)
    assert set(found) == {COPY_ACTION, DELETE_ACTION}
    assert "confirm" in found[DELETE_ACTION]
    text = all_text(block_dicts(message))
    assert escape(CANON_GONE.format(family=draft.family, level=draft.level)) in text
    assert escape(NO_LONGER_IN_CANON) in text
    after = text[text.index(escape(NO_LONGER_IN_CANON)):]
    for key, value in values.items():
        assert escape(f"{draft.labels[key]}: {value}") in after
    assert "<!channel>" not in json.dumps(message.as_kwargs(), ensure_ascii=False)


def test_a_changed_canon_is_said_and_leftovers_listed(repository: CanonRepository) -> None:
    frame = shipped_frame(repository, Framework.MBO)
    values = {**some_values(frame), "r-000000000000.target.target": "kept value"}
    labels = {**{k: v for k, v in value_labels(frame).items() if k in values},
              "r-000000000000.target.target": "A vanished row — Target · target"}
    view = draft_view(frame, values, labels=labels, fingerprint="older")
    assert view.canon_changed and len(view.leftovers) == 1
    message = draft_message(view)
    check_message(message)
    text = all_text(block_dicts(message))
    assert escape(CANON_CHANGED.format(**frame.names)) in text
    assert escape(NO_LONGER_IN_CANON) in text
    assert "A vanished row — Target · target: kept value" in text
    assert "1 no longer in the canon" in text
    assert {EDIT_ACTION, SHARE_ACTION} <= set(buttons(message))


def named(name: str, responsibilities: list[str], dimensions: int = 12,
          title: str = "Level One") -> tuple[Family, Level]:
    level = Level(code="L1", title=title, dimensions=[{"name": f"Dimension {i}", "text": f"Bar {i}"}
                                                      for i in range(1, dimensions + 1)])
    family = Family(slug="widgets", name=name, function="Making", levels={
        "L1": {"responsibilities": responsibilities,
               "rubrics": {"complexity": "Solves widget problems.", "knowledge_application": "Applies it."}},
    })
    return family, level


@pytest.mark.parametrize("framework", ALL_FRAMEWORKS)
def test_long_names_a_canon_change_and_many_leftovers_still_fit_every_page(framework: Framework) -> None:
    family, level = named(("Name & <x> " * 30)[:200], big_responsibilities(), title=("Title <t> " * 30)[:200])
    frame = build_frame(framework, family, level)
    values = {f.key: "v" * MAX_VALUE_CHARS for f in placeholder_fields(frame)}
    gone = {f"r-{i:012d}.kr1.target": "w" * MAX_VALUE_CHARS for i in range(60)}
    labels = {**value_labels(frame), **{key: "L" * 300 for key in gone}}
    view = draft_view(frame, {**values, **gone}, labels=labels, fingerprint="older")
    assert view.canon_changed and len(view.leftovers) == len(gone)
    pages = all_pages(view)
    assert len(pages) > 1
    for message in pages:
        check_message(message)


def vanished_rows_view(framework: Framework, *, frame_left: bool) -> DraftView:
    """A draft of 40 long rows (700 characters each, all filled) after the canon dropped them all."""
    long_rows = [(f"Responsibility {i} " + "does a careful thing " * 40)[:700] for i in range(1, 41)]
    before = build_frame(framework, *named("Widgets", long_rows, dimensions=1))
    values = {f.key: "v" * MAX_VALUE_CHARS for f in placeholder_fields(before)}
    draft = new_draft(before, values)
    after = build_frame(framework, *named("Widgets", ["Something new"], dimensions=1)) if frame_left else None
    return DraftView(draft=draft, frame=after, progress=progress(after, values) if after else None,
                     leftovers=leftovers(after, values, draft.labels))


@pytest.mark.parametrize("frame_left", [False, True])
def test_many_long_leftovers_are_paged_within_slacks_limits(frame_left: bool) -> None:
    view = vanished_rows_view(Framework.SMART, frame_left=frame_left)
    assert len(view.leftovers) == 160
    pages = all_pages(view)
    text = "\n".join(all_text(block_dicts(message)) for message in pages)
    for message in pages:
        check_message(message)
    for item in view.leftovers:
        assert escape(f"{item.label}: {item.value}") in text.replace("\n", "")


def delete_confirm(view: DraftView) -> JSONDict:
    confirm: JSONDict = buttons(draft_message(view))[DELETE_ACTION]["confirm"]
    return confirm


def test_the_delete_confirmation_shows_canon_names_as_plain_text() -> None:
    frame = build_frame(Framework.OKR, *named("Widgets *bold* _it_", ["Builds widgets"]))
    message = draft_message(draft_view(frame))
    holders = [obj for obj in text_objects(block_dicts(message)) if "bold" in obj["text"]]
    assert len(holders) > 1
    for obj in holders:
        assert obj["type"] == "plain_text", obj


def test_the_delete_confirmation_never_cuts_an_escaped_character() -> None:
    frame = build_frame(Framework.OKR, *named("&" * 200, ["Builds widgets"]))
    text = delete_confirm(draft_view(frame))["text"]["text"]
    assert len(text) <= 300
    leftover = text.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "")
    assert "&" not in leftover


# Lists of drafts -----------------------------------------------------------------------


def many_views(frame: Frame, count: int) -> list[DraftView]:
    return [draft_view(frame, some_values(frame, every=i + 1)) for i in range(count)]


def listed_ids(blocks: list[JSONDict]) -> list[str]:
    ids = []
    for block in blocks:
        if block["type"] == "actions":
            ref = DraftRef.parse(block["elements"][0]["value"])
            assert isinstance(ref, DraftRef)
            ids.append(ref.draft)
    return ids


@pytest.mark.parametrize(("extra", "note"), [(0, None), (1, "1 older draft is not shown"),
                                             (4, "4 older drafts are not shown")])
def test_the_drafts_message_lists_at_most_its_limit(repository: CanonRepository, extra: int,
                                                    note: str | None) -> None:
    views = many_views(shipped_frame(repository), LIST_MAX_MESSAGE + extra)
    message = drafts_message(views, "/goals", "M2 cto okr")
    check_message(message)
    blocks = block_dicts(message)
    assert listed_ids(blocks) == [v.draft.id for v in views[:LIST_MAX_MESSAGE]]
    text = all_text(blocks)
    for view in views[:LIST_MAX_MESSAGE]:
        assert escape(view.summary()) in text
    if note:
        assert note in text
    else:
        assert "not shown" not in text


def test_the_home_tab_lists_at_most_its_limit(repository: CanonRepository) -> None:
    views = many_views(shipped_frame(repository), LIST_MAX_HOME + 2)
    blocks = [block.to_dict() for block in home_drafts(views)]
    assert listed_ids(blocks) == [v.draft.id for v in views[:LIST_MAX_HOME]]
    assert "2 older drafts are not shown" in all_text(blocks)
    assert len(blocks) <= 100
    few = [block.to_dict() for block in home_drafts(views[:3])]
    assert listed_ids(few) == [v.draft.id for v in views[:3]]
    assert "not shown" not in all_text(few)


def test_no_drafts_says_so(repository: CanonRepository) -> None:
    expected = escape(no_drafts_text("/goals", "M2 cto okr"))
    assert "no drafts yet" in expected
    message = drafts_message([], "/goals", "M2 cto okr")
    check_message(message)
    assert expected in all_text(block_dicts(message))
    assert not buttons(message)
    home = [block.to_dict() for block in home_drafts([])]
    assert escape(NO_DRAFTS_HOME) in all_text(home)
    assert listed_ids(home) == []


