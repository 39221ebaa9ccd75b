"""The rules on check-ins: which targets a draft can be checked in against, what may be typed,
and how a check-in is recorded beside the draft. Pure: the draft, its frame and the time are
passed in. A check-in never changes the draft's values, its agreed version or any canon or
template text: it is a dated record of the person's own words beside each ⟨target⟩.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.frames.model import Frame, PlaceholderKind
from bot.goals.checks import check_text
from bot.goals.fields import form_inputs, placeholder_fields
from bot.goals.model import CheckIn, CheckStatus, Draft, TargetCheck

NOTE_MAX_CHARS = 500
VALUE, STATUS, NOTE = "value", "status", "note"  # an entry's fields, in an error's key: "<target key>.value"
NO_STATUS = "none"  # picked to take a status back: a select cannot be emptied


@dataclass(frozen=True, slots=True)
class TargetField:
    """A filled ⟨target⟩ of a draft, as a check-in asks about it."""

    key: str
    label: str  # as the draft form labels it: "Objective 1 · KR1 · target"
    row: int  # the row's position in the frame, from 0
    sentence: str  # the line as the frame shows it, placeholders as glyphs
    target: str  # the person's own value for it


def target_fields(frame: Frame, values: Mapping[str, str]) -> list[TargetField]:
    """The draft's filled targets in reading order: what a check-in can be about."""
    labels = {key: item.label for item in form_inputs(frame) for key in item.keys}
    return [TargetField(field.key, labels.get(field.key, field.label), field.row, field.sentence, values[field.key])
            for field in placeholder_fields(frame)
            if field.kind is PlaceholderKind.TARGET and values.get(field.key)]


@dataclass(frozen=True, slots=True)
class Typed:
    """One target's inputs as typed: '' for an empty one."""

    value: str = ""
    status: str = ""
    note: str = ""

    @property
    def empty(self) -> bool:
        return not (self.value.strip() or self.status not in ("", NO_STATUS) or self.note.strip())


def check_note(text: str) -> str | None:
    return check_text(text, max_chars=NOTE_MAX_CHARS, lines=True)


def entry_errors(key: str, typed: Typed) -> dict[str, str]:
    """Why one target's entry cannot be saved, by "<key>.<field>"; empty if it can."""
    errors = {}
    if typed.value and (problem := check_text(typed.value)):
        errors[f"{key}.{VALUE}"] = problem
    if typed.status and typed.status != NO_STATUS and typed.status not in CheckStatus.__members__.values():
        errors[f"{key}.{STATUS}"] = "Pick on track, at risk, off track or No status."
    if typed.note and (problem := check_note(typed.note)):
        errors[f"{key}.{NOTE}"] = problem
    return errors


def as_entry(typed: Typed) -> TargetCheck:
    status = CheckStatus(typed.status) if typed.status not in ("", NO_STATUS) else None
    return TargetCheck(value=typed.value.strip() or None, status=status,
                       note=typed.note.strip() or None)


def recorded(draft: Draft, check_in_id: str, typed: Mapping[str, Typed], fields: list[TargetField],
             now: datetime) -> Draft | None:
    """`draft` with what was typed recorded in its check-in `check_in_id` (made if new): each
    target typed replaces its entry, an emptied one is dropped. None when nothing changes (a
    new check-in with nothing in it is not stored)."""
    known = {field.key: field for field in fields}
    check_ins = list(draft.check_ins)
    at = next((index for index, found in enumerate(check_ins) if found.id == check_in_id), None)
    current = check_ins[at] if at is not None else CheckIn(id=check_in_id, at=now, changed_at=now)
    entries, targets = dict(current.entries), dict(current.targets)
    for key, value in typed.items():
        if key not in known:
            continue
        if value.empty:
            entries.pop(key, None)
            targets.pop(key, None)
        else:
            entries[key] = as_entry(value)
            targets[key] = known[key].target
    if entries == current.entries:
        return None
    updated = current.model_copy(update={"entries": entries, "targets": targets, "changed_at": now})
    if at is None:
        check_ins.append(updated)
    elif entries:
        check_ins[at] = updated
    else:
        del check_ins[at]
    return draft.model_copy(update={"check_ins": check_ins, "message_due": True})


@dataclass(frozen=True, slots=True)
class Latest:
    """A target's most recent check-in entry, and when it was made."""

    entry: TargetCheck
    at: datetime


def latest(draft: Draft) -> dict[str, Latest]:
    """Each target's latest check-in entry, by target key."""
    found: dict[str, Latest] = {}
    for check_in in draft.check_ins:  # oldest first: later ones win
        for key, entry in check_in.entries.items():
            found[key] = Latest(entry, check_in.at)
    return found


def last_check_in(draft: Draft) -> datetime | None:
    return max((check_in.at for check_in in draft.check_ins), default=None)
