"""Reading what Slack sends: the clicked button's value, who and where from the signed
payload, and what a person typed into a form. Never trusts a shape: anything unexpected
reads as nothing."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from pydantic import ValidationError
from slack_bolt import BoltContext

from bot.goals.model import NO_TEAM, Owner
from bot.slack.shared.delivery import Where, teller
from bot.slack.shared.ids import CHANNEL_BLOCK, PERSON_BLOCK, VALUE_ACTION
from bot.slack.shared.layout import Message


def owner_of(context: BoltContext) -> Owner | None:
    """The person sending this request, from the signed payload as Bolt read it."""
    if not context.user_id or context.team_id == NO_TEAM:  # that would be the teamless owner
        return None
    try:
        return Owner(team=context.team_id or NO_TEAM, user=context.user_id, enterprise=context.enterprise_id)
    except ValidationError:
        return None


def first_action(body: dict[str, Any]) -> dict[str, Any]:
    """The action a block_actions payload carries (Slack sends one a click); {} for none."""
    actions = body.get("actions")
    return actions[0] if isinstance(actions, list) and actions and isinstance(actions[0], dict) else {}


def action_value(body: dict[str, Any]) -> str | None:
    """The clicked button's value, if the payload has one."""
    value = first_action(body).get("value")
    return value if isinstance(value, str) else None


def modal_of(body: dict[str, Any]) -> dict[str, Any] | None:
    """The modal a click came from (to update it in place), or None for a message or the Home tab."""
    view = body.get("view")
    return view if isinstance(view, dict) and view.get("type") == "modal" and view.get("id") else None


def _id(value: object, key: str = "id") -> str | None:
    """An id as Slack gives it: a string, or an object's `key`; None for anything else."""
    found = value.get(key) if isinstance(value, dict) else value
    return found if isinstance(found, str) and found else None


def where(body: dict[str, Any], owner: Owner | None = None) -> Where:
    """Team, user and channel from the signed payload (never from a button's value); the
    team and user of `owner` where the caller already has them."""
    user = body.get("user")
    channel = _id(body.get("channel")) or _id(body.get("container"), "channel_id")
    if owner is not None:
        return Where(team=owner.team, user=owner.user, channel=channel)
    return Where(team=_id(body.get("team")) or _id(user, "team_id") or "", user=_id(user) or "", channel=channel)


def clicker(body: dict[str, Any], context: BoltContext, respond: Any,
            client: Any) -> tuple[Owner, Callable[[Message], None]] | None:
    """Who clicked (from the signed request) and how to tell them privately where they
    clicked; None for a click Slack signed without a person."""
    owner = owner_of(context)
    if owner is None:
        return None
    return owner, teller(body, respond, client, where(body, owner))


def view_of(body: dict[str, Any]) -> dict[str, Any]:
    """The submitted view; empty when the payload has none."""
    view = body.get("view")
    return view if isinstance(view, dict) else {}


def in_ephemeral(body: dict[str, Any]) -> bool:
    """Whether the click came from a private (ephemeral) message, such as a /goals drafts list."""
    container = body.get("container")
    return isinstance(container, dict) and bool(container.get("is_ephemeral"))


def form_values(view: dict[str, Any], keys: Sequence[str]) -> dict[str, str]:
    """What each of the form's inputs `keys` (block ids) holds as the person left it:
    trimmed, '' for an empty one; inputs the state does not have are left out."""
    state = view.get("state")
    values = state.get("values") if isinstance(state, dict) else None
    values = values if isinstance(values, dict) else {}
    found = {}
    for key in keys:
        block = values.get(key)
        if not isinstance(block, dict):
            continue
        element = block.get(VALUE_ACTION)
        found[key] = _entered(element if isinstance(element, dict) else {})
    return found


def _entered(element: dict[str, Any]) -> str:
    """What one input holds: a date picked, an option chosen, or text typed (trimmed)."""
    kind = element.get("type")
    if kind == "datepicker":
        raw = element.get("selected_date")
    elif kind in ("static_select", "radio_buttons"):
        option = element.get("selected_option")
        raw = option.get("value") if isinstance(option, dict) else None
    else:
        raw = element.get("value")
    return raw.strip() if isinstance(raw, str) else ""


def form_entries(view: dict[str, Any], keys: Sequence[str], always: Collection[str] = ()) -> dict[str, str]:
    """What the person changed in this form, for `keys` (the step's block ids): trimmed,
    '' for a field they emptied.

    Only inputs the form has, and only those whose value differs from what the form
    showed: a form built before a canon change lacks some keys, and a second form open on
    the same draft must not write back the values it merely showed. `always`: inputs that
    showed a value typed before and not saved (refused), read even if left as shown. Extra
    or renamed blocks in a crafted payload are ignored.
    """
    shown = _initial_values(view)
    return {key: entry for key, entry in form_values(view, keys).items()
            if key in shown and (entry != shown[key] or key in always)}


def _initial_values(view: dict[str, object]) -> dict[str, str]:
    """Each input's value as the form showed it ('' for none), by block_id."""
    blocks = view.get("blocks")
    found = {}
    for block in blocks if isinstance(blocks, list) else []:
        if not isinstance(block, dict) or block.get("type") != "input" or not isinstance(block.get("block_id"), str):
            continue
        element = block.get("element")
        element = element if isinstance(element, dict) else {}
        initial = element.get("initial_date") or element.get("initial_value") or ""
        found[block["block_id"]] = initial if isinstance(initial, str) else ""
    return found


def _picked(view: dict[str, Any], block_id: str, key: str) -> str | None:
    state = view.get("state")
    values = state.get("values") if isinstance(state, dict) else None
    block = values.get(block_id) if isinstance(values, dict) else None
    element = block.get(VALUE_ACTION) if isinstance(block, dict) else None
    picked = element.get(key) if isinstance(element, dict) else None
    return picked if isinstance(picked, str) and picked.isalnum() else None


def picked_channel(view: dict[str, Any]) -> str | None:
    return _picked(view, CHANNEL_BLOCK, "selected_conversation")


def picked_person(view: dict[str, Any], block_id: str = PERSON_BLOCK) -> str | None:
    """The user picked in the form's person picker `block_id`."""
    return _picked(view, block_id, "selected_user")
