"""Back and close in a form of steps (a draft's, a check-in's): the same walk for both, told
apart by what each form saves and says.

Back saves the step with the same checks as Next, then shows the step before (or the same
step with why a value was refused beside it). Closing keeps what was typed in the step;
values that break a rule are not saved, and the person is told which, quoting what they
typed, in their DM with Goals. After either, a saved step shows on the draft's DM message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.goals.drafts.drafting import Drafting
from bot.goals.model import Owner
from bot.slack.drafts.dm_message import show_saved
from bot.slack.shared.delivery import note_in_dm
from bot.slack.shared.payloads import owner_of, view_of
from bot.slack.shared.surfaces import Surfaces, show_step

State = TypeVar("State")
Result = TypeVar("Result")
View = dict[str, Any]


@dataclass(frozen=True)
class StepForm(Generic[State, Result]):
    parse: Callable[[object], State | None]  # the form's private_metadata
    stale: Callable[[], dict[str, object]]  # shown when the metadata cannot be read
    back: Callable[[Drafting, Owner, State, View, datetime], tuple[Result, dict[str, object]]]
    close: Callable[[Drafting, Owner, State, View, datetime], tuple[Result | None, list[Any]]]
    note: Callable[[Drafting, Owner, State, View, Result | None, list[Any]], str]  # '' for nothing
    saved: Callable[[Result | None], str | None]  # the draft a stored step belongs to
    tz: Callable[[State], str | None] = lambda _state: None  # the timezone the form learned


def go_back(form: StepForm[State, Result], body: dict[str, Any], context: BoltContext, client: WebClient,
            drafting: Drafting, surfaces: Surfaces) -> None:
    owner, view = owner_of(context), view_of(body)
    if owner is None:
        return
    state = form.parse(view.get("private_metadata"))
    result: Result | None = None
    if state is None:
        shown = form.stale()
    else:
        result, shown = form.back(drafting, owner, state, view, datetime.now(UTC))
    show_step(client, view, shown)
    if (draft_id := form.saved(result)) is not None:
        show_saved(client, surfaces, owner, draft_id, form.tz(state) if state is not None else None)


def closed(form: StepForm[State, Result], body: dict[str, Any], context: BoltContext, client: WebClient,
           drafting: Drafting, surfaces: Surfaces) -> None:
    owner, view = owner_of(context), view_of(body)
    state = form.parse(view.get("private_metadata"))
    if owner is None or state is None:
        return
    result, refused = form.close(drafting, owner, state, view, datetime.now(UTC))
    if note := form.note(drafting, owner, state, view, result, refused):
        note_in_dm(client, owner, note)
    if (draft_id := form.saved(result)) is not None:
        show_saved(client, surfaces, owner, draft_id, form.tz(state))
