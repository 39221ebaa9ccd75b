"""What the draft form, message, list and service tests share: small canons, frames, views and
Slack-shaped submissions, and checks that a payload is within Slack's limits."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.canon.model import Family, Level
from bot.canon.repository import CanonRepository
from bot.frames.build import build_frame
from bot.frames.frameworks import Framework
from bot.frames.model import Frame, PlaceholderKind
from bot.goals.drafts.view import DraftView
from bot.goals.fields import PlaceholderField, leftovers, placeholder_fields, progress, value_labels
from bot.goals.model import Draft, Owner
from bot.slack.drafts.blocks import (
    draft_message,
)
from bot.slack.shared.ids import DRAFT_FORM_CALLBACK as FORM_CALLBACK
from bot.slack.shared.ids import DRAFT_PAGE_ACTION as PAGE_ACTION
from bot.slack.shared.layout import Message
from bot.slack.shared.limits import MODAL_BLOCKS_MAX, MODAL_TITLE_MAX
from bot.slack.shared.values import FormState
from support.block_texts import text_objects
from support.canon_files import family_doc, level_doc, write_canon_dir

JSONDict = dict[str, Any]
PAT = Owner(team="T1", user="U1")
SAM = Owner(team="T1", user="U2")
NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
FUTURE = "2027-06-30"
NASTY = "<!channel> <@U123> <https://evil|x>"
PAGE_PREV, PAGE_NEXT = f"{PAGE_ACTION}prev", f"{PAGE_ACTION}next"


# Helpers -------------------------------------------------------------------------------



def big_responsibilities() -> list[str]:
    return [f"Responsibility {i} keeps <trial> & data {i} clean" for i in range(1, 41)]


def big() -> tuple[Family, Level]:
    """40 responsibilities and 12 dimensions: more fields than one modal holds."""
    level = Level(code="L1", title="Level One",
                  dimensions=[{"name": f"Dimension {i}", "text": f"Bar {i}: owns <scope> & pace {i}"}
                              for i in range(1, 13)])
    family = Family(slug="widgets", name="Widgets", function="Making", levels={
        "L1": {"responsibilities": big_responsibilities(),
               "rubrics": {"complexity": "Solves widget problems.",
                           "knowledge_application": "Applies widget knowledge."}},
    })
    return family, level


def big_canon(root: Path) -> CanonRepository:
    """The same 40-responsibility family level, as a canon directory the repository opens."""
    return CanonRepository.open(write_canon_dir(root, levels=[level_doc("L1", dimensions=12)], families=[
        family_doc(levels={"L1": {"responsibilities": big_responsibilities(),
                                  "rubrics": {"complexity": "Solves widget problems.",
                                              "knowledge_application": "Applies widget knowledge."}}})]))


def shipped_frame(repository: CanonRepository, framework: Framework = Framework.OKR) -> Frame:
    family = repository.families()[0]
    level = repository.level(next(iter(family.levels)))
    assert level is not None
    return build_frame(framework, family, level)


def new_draft(frame: Frame, values: dict[str, str] | None = None, *, owner: Owner = PAT,
              labels: dict[str, str] | None = None, fingerprint: str | None = None) -> Draft:
    return Draft(owner=owner, family=frame.family_slug, level=frame.level_code, framework=frame.framework,
                 canon_fingerprint=fingerprint or frame.canon_fingerprint, values=values or {},
                 labels=labels if labels is not None else {k: v for k, v in value_labels(frame).items()
                                                           if k in (values or {})})


def draft_view(frame: Frame, values: dict[str, str] | None = None, **kwargs: Any) -> DraftView:
    draft = new_draft(frame, values, **kwargs)
    return DraftView(draft=draft, frame=frame, progress=progress(frame, draft.values),
                     leftovers=leftovers(frame, draft.values, draft.labels))


def sample_value(field: PlaceholderField, index: int) -> str:
    return FUTURE if field.kind is PlaceholderKind.DATE else f"{field.kind.value} {index} <&>"


def some_values(frame: Frame, every: int = 2) -> dict[str, str]:
    return {f.key: sample_value(f, i) for i, f in enumerate(placeholder_fields(frame)) if i % every == 0}


def state_for(frame: Frame, **changes: Any) -> FormState:
    fields: dict[str, Any] = {"draft": uuid.uuid4().hex, "family": frame.family_slug,
                              "level": frame.level_code, "framework": frame.framework}
    fields.update(changes)
    return FormState(**fields)




def all_text(node: Any) -> str:
    return "\n".join(obj["text"] for obj in text_objects(node))


def block_dicts(message: Message) -> list[JSONDict]:
    blocks: list[JSONDict] = message.as_kwargs()["blocks"]
    return blocks


def buttons(message: Message) -> dict[str, JSONDict]:
    found = {}
    for block in block_dicts(message):
        if block["type"] == "actions":
            for element in block["elements"]:
                found[element["action_id"]] = element
    return found


def check_message(message: Message) -> None:
    """Slack's caps for a message, and slack_sdk's models accept every block."""
    kwargs = message.as_kwargs()
    assert isinstance(kwargs["text"], str) and kwargs["text"].strip()
    blocks = kwargs["blocks"]
    assert 1 <= len(blocks) <= 50, f"{len(blocks)} blocks"
    for block in blocks:
        for obj in text_objects(block):
            assert 0 < len(obj["text"]) <= 3000
        if block["type"] == "actions":
            ids = [e["action_id"] for e in block["elements"]]
            assert len(ids) == len(set(ids)) and len(ids) <= 25
            for element in block["elements"]:
                assert len(element.get("value", "")) <= 2000 and len(element["text"]["text"]) <= 75
        parsed = Block.parse(block)
        assert parsed is not None
        parsed.validate_json()
        assert parsed.to_dict() == block


def check_modal(view: JSONDict) -> None:
    """Slack's caps for a modal, and slack_sdk's View accepts it."""
    assert view["type"] == "modal"
    assert 1 <= len(view["blocks"]) <= MODAL_BLOCKS_MAX
    assert 0 < len(view["title"]["text"]) <= MODAL_TITLE_MAX
    for key in ("submit", "close"):
        if key in view:
            assert 0 < len(view[key]["text"]) <= 24
    assert len(view.get("private_metadata", "")) <= 3000
    block_ids = [b["block_id"] for b in view["blocks"] if "block_id" in b]
    assert len(block_ids) == len(set(block_ids))
    for block in view["blocks"]:
        if block["type"] == "input":
            assert len(block["label"]["text"]) <= 2000
            assert len(block.get("hint", {}).get("text", "")) <= 2000
    model = View(**view)
    model.validate_json()
    assert model.to_dict() == view


def input_blocks(view: JSONDict) -> list[JSONDict]:
    return [block for block in view["blocks"] if block["type"] == "input"]


def slack_submission(fields: list[PlaceholderField], entries: dict[str, str],
                     form: JSONDict | None = None) -> JSONDict:
    """A view_submission's view as Slack sends it: the form's blocks as the app sent them
    (default: empty inputs), and the state of every input of the part, empty ones as None."""
    blocks = form["blocks"] if form else [
        shown_input(f.key, "datepicker" if f.kind is PlaceholderKind.DATE else "plain_text_input") for f in fields]
    values: JSONDict = {}
    for field in fields:
        typed = entries.get(field.key) or None
        if field.kind is PlaceholderKind.DATE:
            values[field.key] = {"value": {"type": "datepicker", "selected_date": typed}}
        else:
            values[field.key] = {"value": {"type": "plain_text_input", "value": typed}}
    return {"type": "modal", "callback_id": FORM_CALLBACK, "blocks": blocks, "state": {"values": values}}


def all_pages(view: DraftView) -> list[Message]:
    pages = [draft_message(view, 0)]
    while PAGE_NEXT in buttons(pages[-1]):
        assert len(pages) < 100
        pages.append(draft_message(view, len(pages)))
    return pages


def shown_input(key: str, kind: str = "plain_text_input", initial: str | None = None) -> JSONDict:
    element: JSONDict = {"type": kind, "action_id": "value"}
    if initial is not None:
        element["initial_date" if kind == "datepicker" else "initial_value"] = initial
    return {"type": "input", "block_id": key, "element": element}
