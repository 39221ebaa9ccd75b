"""Abuse tests: property-based fuzzing (hypothesis) of what can reach the app over HTTP.

Pat (team T333, user U111) saves a draft with distinctive values through the real flow,
and Sam (U999) one of his own. Then someone who is not Pat (Sam, an unknown user, Pat's
user id in another workspace or under an enterprise, malformed ids, or nobody) sends
signed requests into the running app:

* `block_actions`: every action id the app registers, prefixed variants, random text and
  ids of the wrong type; button values that are valid refs of every kind (frames, stretch
  frames, comparisons, Pat's real draft id, form and share states), Pat's own buttons
  replayed, random JSON, random text, huge strings and values of the wrong JSON type; the
  envelope with user, team, enterprise, channel, container, actions, view, response_url and
  trigger_id dropped, nulled, odd or of the wrong type (actions a dict or empty, ...).
* `view_submission`: the draft form, the share form or a random callback id, with
  private_metadata naming Pat's draft (or random, huge, of the wrong type), state.values
  of random block ids, action ids and value types (dates that are not dates, picked
  conversations, nulls, huge text), blocks and other view fields dropped or malformed.
* `/goals` command text: random unicode, huge text, Slack markup (raw and entity-escaped).

Checked after every example: the HTTP answer is 200 or a 4xx other than 401 (every request
is signed, and numbered so none is taken for a replay) within 3 s; nothing crashed (no
apology sent anywhere, no ERROR record from the `goals` loggers); Pat's store files are
byte-identical; his values appear in no Slack call, no HTTP answer and no other file under
the data directory; command answers are private and carry no live markup.

Then shapes that crashed the app while these tests were written are pinned as examples, and
those the listeners themselves must read are sent once more as Socket Mode delivers them (no gate).
"""

from __future__ import annotations

import copy
import itertools
import json
import logging
import re
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, currently_in_test_context, event, given, settings
from hypothesis import strategies as st
from slack_bolt.request import BoltRequest
from slack_bolt.request.internals import extract_enterprise_id, extract_team_id, extract_user_id

from bot.canon.repository import CanonRepository
from bot.frames.build import build_frame
from bot.frames.frameworks import Framework
from bot.goals.fields import placeholder_fields
from bot.goals.model import Owner
from bot.slack.shared import ids
from bot.slack.shared.values import CompareRef, DraftRef, FormState, FrameRef, ShareState
from bot.store.draft_files import DraftFiles
from bot.web.wsgi import MAX_BODY_BYTES
from support.slack_app_harness import LazyTracker, Reply, RunningApp
from support.slack_standin import SlackStandIn

JSON = dict[str, Any]
PAT = Owner(team="T333", user="U111")
PAT_BASELINE = "PAT-BASELINE-17"
PAT_TARGET = "PAT-SECRET-42"
SECRETS = (PAT_BASELINE, PAT_TARGET)
FUTURE = "2099-03-01"
APOLOGY = "something went wrong"
ACK_SECONDS = 3.0
# Markup Slack acts on in any text: pings, mentions, channel links, links. `<!date^...>` is
# the app's own (a timestamp shown in each reader's timezone).
LIVE_MARKUP = re.compile(r"<(?:!(?!date\^)|@|#|https?:|mailto:)", re.IGNORECASE)

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()  # a field left out of the payload


# Action ids, as the app registers them ---------------------------------------------------

FRAME_ACTIONS = [
    *(f"{ids.SWITCH_ACTION}{fw.value}" for fw in Framework),
    ids.COPY_ACTION, ids.SHARE_ACTION, ids.DRAFT_ACTION,
    f"{ids.PAGE_ACTION}prev", f"{ids.PAGE_ACTION}next",
]
COMPARE_ACTIONS = [
    *(f"{ids.COMPARE_STRETCH_ACTION}{fw.value}" for fw in Framework),
    ids.COMPARE_COPY_ACTION, ids.COMPARE_SHARE_ACTION,
    f"{ids.COMPARE_PAGE_ACTION}prev", f"{ids.COMPARE_PAGE_ACTION}next",
]
DRAFT_ACTIONS = [
    ids.DRAFT_EDIT_ACTION, ids.DRAFT_COPY_ACTION, ids.DRAFT_SHARE_ACTION, ids.DRAFT_DELETE_ACTION,
    f"{ids.DRAFT_PAGE_ACTION}prev", f"{ids.DRAFT_PAGE_ACTION}next",
]
ACTION_IDS = FRAME_ACTIONS + COMPARE_ACTIONS + DRAFT_ACTIONS
# Listeners registered by prefix: anything after it matches too.
ACTION_PREFIXES = [ids.SWITCH_ACTION, ids.PAGE_ACTION, ids.COMPARE_STRETCH_ACTION,
                   ids.COMPARE_PAGE_ACTION, ids.DRAFT_PAGE_ACTION]


# Watching the running app ------------------------------------------------------------------

@dataclass(repr=False)
class World:
    """The running app with Pat's saved draft, and what the properties compare against."""

    app: RunningApp
    slack: SlackStandIn
    lazy: LazyTracker
    repository: CanonRepository
    pat_draft: str  # the id of Pat's draft
    sam_draft: str  # the id of Sam's own draft
    form: JSON  # a new draft's form as Slack showed it (its blocks carry no values)
    keys: list[str]  # the form's placeholder keys (its input block ids)
    buttons: list[tuple[str, str]]  # (action_id, value) of every button Pat was shown
    files: dict[Path, bytes]  # every file of the draft store once Pat's draft was saved (Pat's)
    nonce: Iterator[int]  # numbers every request (in its token): the app refuses a replayed one

    def __repr__(self) -> str:
        return f"World(pat_draft={self.pat_draft!r}, sam_draft={self.sam_draft!r})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # short in hypothesis' failure reports
        printer.text(repr(self))

    def send(self, payload: Any) -> Reply:
        """A signed interactivity request, form-encoded as Slack sends it."""
        body = urllib.parse.urlencode({"payload": json.dumps(payload)})
        if currently_in_test_context():
            # The server refuses a body over its limit before reading it, and the client's write
            # then breaks off at random (test_slack_app covers that refusal): such examples go.
            assume(len(body) <= MAX_BODY_BYTES)
        return self.app.signed(body)


def buttons_of(message: JSON) -> list[tuple[str, str]]:
    return [(element["action_id"], element["value"]) for block in message.get("blocks", [])
            if block.get("type") == "actions" for element in block.get("elements", []) if "value" in element]


def save_draft(app: RunningApp, slack: SlackStandIn, lazy: LazyTracker, user: str, kinds: dict[str, str],
               by_kind: dict[str, str]) -> tuple[JSON, str, JSON]:
    """`/goals draft M2 cto okr`, then save the form with values by placeholder kind, as Slack
    drives it; returns the form as shown, the draft's id and its DM message."""
    reply = app.command("draft M2 cto okr", user=user)
    assert (reply.status, reply.body) == (200, "")
    lazy.settle()
    form: JSON = slack.last("views.update").body["view"]
    state = FormState.parse(form["private_metadata"])
    assert isinstance(state, FormState)
    entries = {block["block_id"]: by_kind.get(kinds.get(block["block_id"], ""), "")
               for block in form["blocks"] if block.get("type") == "input"}
    assert app.submit(form, entries, user=user).status == 200  # the first step: Next
    lazy.settle()
    return form, state.draft, slack.last("chat.postMessage").body


@pytest.fixture
def world(app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> World:
    lazy = app.lazy
    found = repository.family_level("clinical-trials-ops", "M2")
    assert found is not None
    kinds = {field.key: field.kind.value for field in placeholder_fields(build_frame(Framework.OKR, *found[:2]))}
    pat_values = {"baseline": PAT_BASELINE, "target": PAT_TARGET, "date": FUTURE}
    form, pat_draft, posted = save_draft(app, slack, lazy, "U111", kinds, pat_values)
    store = DraftFiles(app.data_dir)  # (only the store: the replay guard's markers come and go)
    files = {path: path.read_bytes() for path in sorted(store.root.rglob("*")) if path.is_file()}
    assert store.path(PAT) in files and any(PAT_TARGET.encode() in data for data in files.values())
    _, sam_draft, _ = save_draft(app, slack, lazy, "U999", kinds, {"target": "sam's own target"})
    buttons = buttons_of(posted) + buttons_of(app.command("drafts").json)
    for words in ("M2 cto okr", "M2 cto", "M4 cpm scorecard", "compare M2 M4 cto", "compare M2 cto M4 cpm smart"):
        buttons += buttons_of(app.command(words).json)
    lazy.settle()
    for call in slack.calls("response_url"):  # the stretch frames that follow a comparison
        buttons += buttons_of(call.body)
    assert [d.id for d in store.list(PAT)] == [pat_draft]
    slack.reset()
    return World(app=app, slack=slack, lazy=lazy, repository=repository, pat_draft=pat_draft,
                 sam_draft=sam_draft, form=form, keys=list(kinds), buttons=sorted(set(buttons)),
                 files=files, nonce=itertools.count(1))


def begin(world: World, caplog: pytest.LogCaptureFixture) -> None:
    """Forget what earlier examples caused."""
    caplog.set_level(logging.ERROR, logger="goals")
    world.slack.reset()
    caplog.clear()


def assert_unharmed(world: World, reply: Reply, caplog: pytest.LogCaptureFixture) -> None:
    """The properties every example must keep, checked once its lazy listeners are done."""
    assert reply.status == 200 or 400 <= reply.status < 500, f"HTTP {reply.status}: {reply.body[:300]}"
    assert reply.status != 401, f"a signed request was refused: {reply.body[:100]}"  # e.g. taken for a replay
    assert reply.seconds < ACK_SECONDS, f"the answer took {reply.seconds:.2f}s"
    world.lazy.settle()
    if currently_in_test_context():  # what the examples reached, for --hypothesis-show-statistics
        answer = reply.json.get("response_action", "") if reply.body.startswith("{") else ""
        methods = ", ".join(sorted({call.method or "?" for call in world.slack.calls()})) or "-"
        event(f"HTTP {reply.status} {answer}; calls: {methods}")
    everything = reply.body + json.dumps([call.body for call in world.slack.calls()])
    assert APOLOGY not in everything.lower(), "an apology was sent: something crashed"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR and r.name.split(".")[0] == "goals"]
    assert not errors, f"logged: {[r.getMessage() for r in errors]}"
    for path, data in world.files.items():
        assert path.is_file() and path.read_bytes() == data, f"{path} changed"
    for secret in SECRETS:
        assert secret not in everything, f"Pat's {secret!r} was sent"
    for path in world.app.data_dir.rglob("*"):
        if path.is_file() and path not in world.files:
            content = path.read_bytes()
            assert not any(secret.encode() in content for secret in SECRETS), f"Pat's values in {path}"


def acts_as_pat(payload: Any) -> bool:
    """Whether Bolt would read Pat as the sender (the fuzz is about everybody else)."""
    try:
        return (extract_user_id(payload) == PAT.user and (extract_team_id(payload) or "-") == PAT.team
                and not extract_enterprise_id(payload))
    except (AttributeError, TypeError, KeyError, IndexError):  # a shape Bolt cannot read: nobody
        return False


def put(target: JSON, key: str, value: Any) -> None:
    if value is not MISSING:
        target[key] = value


def weighted(*choices: tuple[int, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """One of `choices`, each drawn in proportion to its weight (the likely shapes reach deeper)."""
    picks = [index for index, (weight, _) in enumerate(choices) for _ in range(weight)]
    return st.sampled_from(picks).flatmap(lambda index: choices[index][1])


def often(likely: Any, *others: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly `likely` (a value), sometimes one of `others`."""
    return weighted((3 * max(1, len(others)), st.just(likely)), *((1, other) for other in others))


# Strategies: values ------------------------------------------------------------------------

json_scalars = (st.none() | st.booleans() | st.integers(-(2**70), 2**70)
                | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20))
json_values = st.recursive(
    json_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10)


def huge(units: list[str]) -> st.SearchStrategy[str]:
    return st.builds(lambda unit, size: (unit * size)[:size], st.sampled_from(units),
                     st.sampled_from([201, 2_001, 100_000]))


# Each fits the server's 1 MB body limit once JSON- and form-encoded (up to 8 bytes a character).
huge_strings = huge(["x", "<!channel> ", "é", "{\"d\":", "\\", "\u202e"]) | st.just("🫨" * 20_000)
texts = st.text(max_size=40) | huge_strings
# Shaped as ids are (a value of ours can hold no other); forged shapes come from the raw strings below.
draft_ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", fullmatch=True)
# Mostly what the canon has (so refs reach the frames), else near misses and random text.
families = weighted((3, st.sampled_from(["clinical-trials-ops", "clinical-project-management", "cto", "cpm"])),
                    (1, st.sampled_from(["CTO", "nope", "../cto", "clinical-trials-ops "])),
                    (1, st.text(min_size=1, max_size=30)))
levels = weighted((3, st.sampled_from(["M2", "M4"])), (1, st.sampled_from(["m2", "M9", "L1", "M2 "])),
                  (1, st.text(min_size=1, max_size=10)))
frameworks = st.sampled_from(Framework)
timezones = st.sampled_from(["Europe/Berlin", "Pacific/Kiritimati", "Etc/GMT+12", "UTC", "America", "Not/AZone",
                             "../../etc/passwd", "/etc/localtime", "Europe/Berlin\x00"]) | st.text(max_size=64)
frame_refs = st.builds(
    lambda family, level, framework, page, stretch: FrameRef(
        family=family, level=level, framework=framework, page=page,
        for_family=stretch[0] if stretch else None, for_level=stretch[1] if stretch else None).value(),
    families, levels, st.none() | frameworks, often(0, st.integers(0, 1000)),
    often(None, st.tuples(families, levels)))
compare_refs = st.builds(
    lambda lf, ll, hf, hl, framework, page: CompareRef(
        lower_family=lf, lower_level=ll, higher_family=hf, higher_level=hl, framework=framework, page=page).value(),
    families, levels, families, levels, frameworks, often(0, st.integers(0, 1000)))


def wrongly_typed(valid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A valid ref's JSON with one field set to JSON of any type (maybe a field it does not have)."""
    def mutate(value: str, key: str | None, replacement: Any) -> str:
        document = json.loads(value)
        document[key if key is not None else next(iter(document))] = replacement
        return json.dumps(document)
    return st.builds(mutate, valid, st.none() | st.sampled_from(["d", "p", "n", "f", "l", "w", "z", "x", "sf"]),
                     json_values)


def junk_values() -> st.SearchStrategy[Any]:
    """Not a ref: random JSON (as text, or as JSON of another type than string), text, huge."""
    return json_values.map(json.dumps) | texts | json_values


# Strategies that know the world: Pat's and Sam's draft ids, the form's keys, Pat's buttons --

def their_ids(world: World) -> st.SearchStrategy[str]:
    return weighted((4, st.just(world.pat_draft)), (2, st.just(world.sam_draft)), (1, draft_ids))


def draft_refs(world: World) -> st.SearchStrategy[str]:
    return st.builds(lambda draft, page: DraftRef(draft=draft, page=page).value(),
                     their_ids(world), often(0, st.integers(0, 1000)))


def form_states(world: World) -> st.SearchStrategy[str]:
    return st.builds(
        lambda draft, new, family, level, framework, part, tz: FormState(
            draft=draft, new=new, family=family, level=level, framework=framework, part=part, tz=tz).value(),
        their_ids(world), st.booleans(), often("clinical-trials-ops", families), often("M2", levels),
        often(Framework.OKR, frameworks), often(0, st.integers(0, 1000)),
        often(None, st.just("Europe/Berlin"), timezones))


def share_states(world: World) -> st.SearchStrategy[str]:
    return st.builds(lambda draft: ShareState(draft=draft).value(), their_ids(world))


def button_values(world: World, action_id: Any) -> st.SearchStrategy[Any]:
    """What a button's `value` may hold: mostly the kind of ref its action id takes."""
    likely = frame_refs
    if isinstance(action_id, str) and action_id.startswith("goals_draft_"):
        likely = draft_refs(world)
    elif isinstance(action_id, str) and action_id.startswith("goals_compare_"):
        likely = compare_refs
    any_ref = frame_refs | compare_refs | draft_refs(world) | form_states(world) | share_states(world)
    return weighted((5, likely), (1, any_ref), (1, wrongly_typed(any_ref)),
                    (1, st.sampled_from([value for _, value in world.buttons])),
                    (2, junk_values()), (1, st.just(MISSING)))


action_ids = weighted(
    (8, st.sampled_from(ACTION_IDS)),
    (1, st.builds(lambda prefix, rest: prefix + rest, st.sampled_from(ACTION_PREFIXES), st.text(max_size=12))),
    (1, st.text(max_size=30)), (1, st.just("x" * 100_000)))


# Strategies: who sends it ------------------------------------------------------------------

slack_ids = st.from_regex(r"[A-Z][A-Z0-9]{2,10}", fullmatch=True)
odd_ids = st.sampled_from(["", " ", "../U111", "U111/..", "u111", "U111 ", "U111\x00", "-", "..", "U" * 65]) \
    | st.text(max_size=12)
user_ids = st.sampled_from(["U999", "UNKNOWN0", "U111"]) | slack_ids | odd_ids
team_ids = st.sampled_from(["T333", "T999"]) | slack_ids | odd_ids


def person(user: str, team: str, enterprise: str | None = None) -> JSON:
    """user, team (and enterprise) as Slack sends them for a person."""
    fields: JSON = {"user": {"id": user, "username": "someone", "team_id": team},
                    "team": {"id": team, "domain": "acme", **({"enterprise_id": enterprise} if enterprise else {})}}
    if enterprise:
        fields["enterprise"] = {"id": enterprise, "name": "Acme Org"}
    return fields


@st.composite
def odd_senders(draw: st.DrawFn) -> JSON:
    """user, team and enterprise left out, null, half empty, bare id strings (Bolt reads those
    too) or holding odd ids."""
    fields: JSON = {}
    put(fields, "user", draw(st.sampled_from([MISSING, None, {}]) | user_ids | st.builds(
        lambda user, team, name: {"id": user, "username": name, "team_id": team},
        user_ids, st.just("T333") | team_ids, st.text(max_size=10)) | st.fixed_dictionaries({"id": user_ids})))
    put(fields, "team", draw(st.sampled_from([MISSING, None, {}]) | team_ids | st.builds(
        lambda team, domain: {"id": team, "domain": domain}, st.just("T333") | team_ids, st.text(max_size=8))
        | st.builds(lambda team, org: {"id": team, "enterprise_id": org}, team_ids, slack_ids)))
    put(fields, "enterprise", draw(st.sampled_from([MISSING, None, "E0ORG", {"id": "E0ORG", "name": "Acme Org"},
                                                    {"name": "x"}]) | st.fixed_dictionaries({"id": user_ids})))
    return fields


senders = weighted(
    (6, st.just(person("U999", "T333"))),  # Sam
    (1, st.just(person("UNKNOWN0", "T333"))),  # someone the app never saw
    (1, st.just(person("U111", "T999"))),  # Pat's user id in another workspace
    (1, st.just(person("U111", "T333", enterprise="E0ORG"))),  # ... or under an enterprise
    (4, odd_senders()),
)


# Strategies: whole payloads ----------------------------------------------------------------

@st.composite
def wrongly_shaped(draw: st.DrawFn, payload: JSON, paths: list[tuple[str | int, ...]]) -> JSON:
    """Mostly `payload` as it is; sometimes with one field (at one of `paths`) dropped or
    holding JSON of any type: what Slack never sends."""
    if draw(st.integers(0, 4)):
        return payload
    payload = copy.deepcopy(payload)  # its parts may be shared (st.just): change a copy
    path = draw(st.sampled_from(paths))
    target: Any = payload
    for key in path[:-1]:
        try:
            target = target[key]
        except (KeyError, IndexError, TypeError):
            return payload
    if isinstance(target, dict):
        put(target, str(path[-1]), draw(st.just(MISSING) | json_values))
        if path[-1] not in target or target.get(path[-1]) is MISSING:
            target.pop(path[-1], None)
    elif isinstance(target, list) and isinstance(path[-1], int) and path[-1] < len(target):
        target[path[-1]] = draw(json_values)
    return payload


CLICK_PATHS: list[tuple[str | int, ...]] = [
    ("type",), ("user",), ("user", "id"), ("team",), ("team", "id"), ("enterprise",), ("channel",), ("channel", "id"),
    ("container",), ("container", "channel_id"), ("actions",), ("actions", 0), ("actions", 0, "action_id"),
    ("view",), ("response_url",), ("response_urls",), ("trigger_id",)]


@st.composite
def block_actions(draw: st.DrawFn, world: World) -> JSON:
    n = next(world.nonce)
    replayed = [button for button in world.buttons if button[0] in DRAFT_ACTIONS]  # naming Pat's draft
    choice = draw(weighted((1, st.sampled_from(world.buttons)), (1, st.sampled_from(replayed)), (3, st.none())))
    if choice is not None:  # one of Pat's own buttons, replayed
        action_id, value = choice
    else:
        action_id = draw(action_ids)
        value = draw(button_values(world, action_id))
    action: JSON = {"action_id": action_id, "block_id": draw(often("b1", json_values)),
                    "type": draw(often("button", json_values)), "action_ts": f"1700000001.{n:06d}",
                    "text": {"type": "plain_text", "text": "button"}}
    put(action, "value", value)
    kind = draw(weighted((9, st.just("block_actions")),
                         (1, st.sampled_from(["interactive_message", "view_submission", "shortcut"]))))
    payload: JSON = {"type": kind, "api_app_id": "A444", "token": f"verification-token-{n}", **draw(senders)}
    put(payload, "actions", draw(weighted((12, st.just([action])), (1, st.just(MISSING)))))
    put(payload, "trigger_id", draw(often(f"{n}.2.3", st.sampled_from([MISSING, None, ""]))))
    channel = draw(often("C222", st.sampled_from(["D999", "DU999", "G1", ""]), slack_ids, st.none()))
    put(payload, "channel", draw(often({"id": channel, "name": "general"}, st.sampled_from([MISSING, None, {}]),
                                       st.just(channel))))
    message = st.fixed_dictionaries({
        "type": st.just("message"), "message_ts": st.just("1700000000.000100"),
        "channel_id": often(channel, st.none()), "is_ephemeral": st.booleans() | json_scalars})
    put(payload, "container", draw(weighted((6, message), (1, st.just({"type": "view", "view_id": "VHOME"})),
                                            (1, st.sampled_from([MISSING, None, {}])))))
    put(payload, "view", draw(often(MISSING, st.just({"id": "VHOME", "type": "home"}), st.builds(
        lambda kind, rest: {**rest, "type": kind}, st.text(max_size=8),
        st.dictionaries(st.text(max_size=8), json_values, max_size=3)))))
    odd_urls = st.sampled_from([MISSING, None, "", "not a url", "ftp://x/y", "http://127.0.0.1:1/refused",
                                world.slack.base_url + "/gone"]) | st.text(max_size=20)
    put(payload, "response_url", draw(often(world.slack.response_url(f"fuzz{n}"), odd_urls)))
    payload = draw(wrongly_shaped(payload, CLICK_PATHS))
    assume(not acts_as_pat(payload))
    return payload


def state_values(world: World, callback: Any) -> st.SearchStrategy[JSON]:
    """state.values as Slack sends them for the draft form (an input per placeholder key) or
    the share form (the channel picked): of the types the form has there or others, holding
    anything a person or a forger can put in them."""
    typed = (st.sampled_from(["", "  ", "72%", "12 sites activated", "line\nbreak", "bell\x07", "\u202eevil",
                              "<!channel> <@U1>"]) | st.text(max_size=40) | huge_strings)
    dates = st.sampled_from([FUTURE, "2001-01-01", "2027-02-30", "not a date", "9999-99-99", "2099-3-1",
                             "0000-00-00", "+2099-03-01", "2099-03-01T00:00", ""]) | st.text(max_size=12)
    conversations = weighted((4, st.sampled_from(["C777", "C222", "D999", "G123"])),
                             (1, st.sampled_from(["U111", "../x", "C 1", ""])), (1, texts))
    element = weighted(
        (4, st.fixed_dictionaries({"type": st.just("plain_text_input"), "value": typed | st.none()})),
        (2, st.fixed_dictionaries({"type": st.just("datepicker"), "selected_date": dates | st.none()})),
        (1, st.fixed_dictionaries({"type": st.just("conversations_select"), "selected_conversation": conversations})),
        (2, st.fixed_dictionaries({}, optional={  # anything in any field
            "type": st.sampled_from(["plain_text_input", "datepicker", "conversations_select"]) | json_values,
            "value": json_values, "selected_date": json_values, "selected_conversation": json_values})),
    )
    block = weighted((6, st.fixed_dictionaries({"value": element})),
                     (1, st.dictionaries(st.text(max_size=8), element | json_values, max_size=2)), (1, json_values))
    keys = st.sampled_from([*world.keys, "channel"]) | st.text(max_size=10)
    anything = st.dictionaries(keys, block, max_size=8)
    if callback != ids.DRAFT_SHARE_CALLBACK:
        return anything
    picked = st.fixed_dictionaries({"channel": st.fixed_dictionaries({"value": st.fixed_dictionaries({
        "type": st.just("conversations_select"), "selected_conversation": conversations})})})
    return weighted((4, picked), (1, anything))


def view_blocks(world: World) -> st.SearchStrategy[Any]:
    """The view's blocks: the real form's, none, inputs showing random values, or junk."""
    shown = st.lists(st.builds(
        lambda key, initial: {"type": "input", "block_id": key,
                              "element": {"type": "plain_text_input", "action_id": "value", "initial_value": initial}},
        st.sampled_from(world.keys) | st.text(max_size=10), json_values), max_size=6)
    return weighted((6, st.just(world.form["blocks"])), (1, st.just([])), (1, shown),
                    (1, st.lists(json_values, max_size=3)), (1, json_values), (1, st.just(MISSING)))


SUBMISSION_PATHS: list[tuple[str | int, ...]] = [
    ("type",), ("user",), ("user", "id"), ("team",), ("team", "id"), ("view",), ("view", "type"), ("view", "id"),
    ("view", "callback_id"), ("view", "private_metadata"), ("view", "state"), ("view", "team_id"),
    ("view", "app_installed_team_id"), ("response_urls",), ("response_urls", 0), ("trigger_id",)]


@st.composite
def view_submissions(draw: st.DrawFn, world: World) -> JSON:
    n = next(world.nonce)
    callback = draw(weighted((6, st.just(ids.DRAFT_FORM_CALLBACK)), (4, st.just(ids.DRAFT_SHARE_CALLBACK)),
                             (1, st.text(max_size=20)), (1, st.sampled_from([MISSING, None]))))
    likely = share_states(world) if callback == ids.DRAFT_SHARE_CALLBACK else form_states(world)
    any_state = form_states(world) | share_states(world)
    metadata = weighted((6, likely), (1, any_state), (1, wrongly_typed(any_state)),
                        (2, json_values.map(json.dumps) | texts), (1, st.sampled_from([MISSING, None])))
    view: JSON = {"type": draw(often("modal", st.text(max_size=10))), "hash": f"1700000000.{n:08d}"}
    put(view, "id", draw(often(f"V{n:09d}", st.sampled_from([MISSING, None]))))
    put(view, "callback_id", callback)
    put(view, "private_metadata", draw(metadata))
    put(view, "blocks", draw(view_blocks(world)))
    put(view, "state", draw(weighted((6, st.builds(lambda values: {"values": values}, state_values(world, callback))),
                                     (1, st.fixed_dictionaries({"values": json_values})),
                                     (1, st.sampled_from([MISSING, None, {}])))))
    put(view, "team_id", draw(often("T333", st.sampled_from([MISSING, None, "T999"]))))
    put(view, "app_installed_team_id", draw(often(MISSING, st.sampled_from(["T333", "T999", None]))))
    kind = draw(weighted((9, st.just("view_submission")), (1, st.just("view_closed"))))
    payload: JSON = {"type": kind, "api_app_id": "A444", "token": f"verification-token-{n}", **draw(senders),
                     "view": view}
    put(payload, "trigger_id", draw(often(f"{n}.2.3", st.sampled_from([MISSING, None]))))
    usable = {"block_id": "channel", "action_id": "value", "channel_id": "C777",
              "response_url": world.slack.response_url(f"form{n}")}
    odd = st.fixed_dictionaries({}, optional={"channel_id": json_scalars, "response_url": json_values})
    put(payload, "response_urls", draw(weighted((3, st.just([usable])), (2, st.sampled_from([[], MISSING])),
                                                (1, st.lists(odd, min_size=1, max_size=3)),
                                                (1, st.just([usable, usable])))))
    payload = draw(wrongly_shaped(payload, SUBMISSION_PATHS))
    assume(not acts_as_pat(payload))
    return payload


# The properties --------------------------------------------------------------------------

@FUZZ
@given(data=st.data())
def test_block_actions_from_anyone_else_never_crash_leak_or_change_pats_draft(
        world: World, caplog: pytest.LogCaptureFixture, data: st.DataObject) -> None:
    not_an_object = st.builds(lambda value: [next(world.nonce), value], json_values) | st.builds(
        lambda text: f"{next(world.nonce)} {text}", st.text(max_size=20))  # numbered: not a replay
    payload = data.draw(weighted((30, block_actions(world)), (1, not_an_object)), label="payload")
    begin(world, caplog)
    assert_unharmed(world, world.send(payload), caplog)


@FUZZ
@given(data=st.data())
def test_view_submissions_from_anyone_else_never_crash_leak_or_change_pats_draft(
        world: World, caplog: pytest.LogCaptureFixture, data: st.DataObject) -> None:
    payload = data.draw(view_submissions(world), label="payload")
    begin(world, caplog)
    assert_unharmed(world, world.send(payload), caplog)


MARKUP = ["<!channel>", "<!here>", "<!everyone>", "<@U0BOSS>", "<#C123|general>", "<https://evil.example|click>",
          "<mailto:a@b.example|mail>", "<!subteam^S1>", "&lt;!channel&gt;", "&lt;@U1&gt;", "&lt;https://x&gt;",
          "&amp;lt;!here&amp;gt;", "*bold*", ":boom:", "`code`", "<", ">", "&"]


def command_texts(repository: CanonRepository) -> st.SearchStrategy[str]:
    vocabulary = repository.vocabulary()
    words = ["draft", "drafts", "compare", "help", "list", "all", *Framework, *vocabulary.level_codes,
             *(name for family in vocabulary.families for name in (family.slug, *family.aliases))]
    word = st.sampled_from(words) | st.sampled_from(MARKUP) | st.text(max_size=15)
    return st.lists(word, max_size=8).map(" ".join) | huge(["x", "<!channel> ", "é ", "&lt;@U1&gt; M2 "])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_goals_command_text_gets_a_private_answer_without_live_markup(
        world: World, caplog: pytest.LogCaptureFixture, data: st.DataObject) -> None:
    text = data.draw(command_texts(world.repository), label="text")
    user = data.draw(st.sampled_from(["U999", "UNKNOWN0"]), label="user")
    begin(world, caplog)
    reply = world.app.command(text, user=user)
    assert reply.status == 200
    if reply.body:
        assert reply.json["response_type"] == "ephemeral"
    assert_unharmed(world, reply, caplog)
    if not reply.body:  # `draft ...`: the answer is the form, or a private note why not
        calls = world.slack.calls()
        assert [c for c in calls if c.method == "views.open"] or all(
            c.body.get("response_type") == "ephemeral" for c in calls if c.method == "response_url")
    for answer in [reply.body, *(json.dumps(call.body) for call in world.slack.calls())]:
        assert not LIVE_MARKUP.search(answer), f"live markup in {answer[:300]}"


# Pinned: shapes that crashed the app while these tests were written ----------------------

def click(world: World, action_id: str, value: str, **fields: Any) -> JSON:
    """Sam's click as Slack sends it, with `fields` of the payload replaced (MISSING: left out)."""
    n = next(world.nonce)
    payload: JSON = {
        "type": "block_actions", **person("U999", "T333"), "api_app_id": "A444",
        "token": f"verification-token-{n}", "trigger_id": f"{n}.2.3",
        "container": {"type": "message", "message_ts": "1700000000.000100", "channel_id": "C222",
                      "is_ephemeral": True},
        "channel": {"id": "C222", "name": "general"}, "response_url": world.slack.response_url(f"pin{n}"),
        "actions": [{"action_id": action_id, "block_id": "b1", "value": value, "type": "button",
                     "action_ts": f"1700000001.{n:06d}"}],
    }
    for key, replacement in fields.items():
        if replacement is MISSING:
            payload.pop(key, None)
        else:
            payload[key] = replacement
    return payload


def submission(world: World, callback: str, metadata: str, **fields: Any) -> JSON:
    """Sam's form submission as Slack sends it, with `fields` of the payload replaced."""
    n = next(world.nonce)
    payload: JSON = {
        "type": "view_submission", **person("U999", "T333"), "api_app_id": "A444",
        "token": f"verification-token-{n}", "trigger_id": f"{n}.2.3",
        "view": {"id": f"V{n:09d}", "type": "modal", "callback_id": callback, "private_metadata": metadata,
                 "state": {"values": {"channel": {"value": {"type": "conversations_select",
                                                            "selected_conversation": "C777"}}}}},
        "response_urls": [{"block_id": "channel", "action_id": "value", "channel_id": "C777",
                           "response_url": world.slack.response_url(f"pin{n}")}],
    }
    payload.update(fields)
    return payload


FRAME = FrameRef(family="clinical-trials-ops", level="M2", framework=Framework.OKR).value()
COMPARISON = CompareRef(lower_family="clinical-trials-ops", lower_level="M2", higher_family="clinical-trials-ops",
                        higher_level="M4", framework=Framework.OKR).value()
PINNED: dict[str, Callable[[World], Any]] = {
    # bot/listeners/actions.py where() called .get on a team, user, channel or container that
    # was a string (Bolt itself reads string ids) or a list: draft and share buttons apologised.
    "team a string": lambda w: click(w, ids.DRAFT_COPY_ACTION, DraftRef(draft=w.pat_draft).value(), team="T333"),
    "user a string": lambda w: click(w, ids.DRAFT_EDIT_ACTION, DraftRef(draft=w.pat_draft).value(), user="U999"),
    "channel a string": lambda w: click(w, ids.DRAFT_DELETE_ACTION, DraftRef(draft=w.pat_draft).value(),
                                        channel="C222"),
    "container a list": lambda w: click(w, ids.SHARE_ACTION, FRAME, channel=MISSING, container=["x"]),
    # ... and a channel id of 5 reached delivery.Where.is_dm (.startswith): the share buttons crashed.
    "share, channel.id 5": lambda w: click(w, ids.SHARE_ACTION, FRAME, channel={"id": 5}),
    "comparison share, container.channel_id 5": lambda w: click(
        w, ids.COMPARE_SHARE_ACTION, COMPARISON, channel=MISSING, container={"type": "message", "channel_id": 5}),
    # Frame and comparison buttons and a draft's page buttons answered only through respond(),
    # which raises without a usable response_url: an ERROR, and for the frames nobody told.
    "switch, no response_url": lambda w: click(w, f"{ids.SWITCH_ACTION}smart", FRAME, response_url=MISSING),
    "copy, response_url not a URL": lambda w: click(w, ids.COPY_ACTION, FRAME, response_url="not a url"),
    "page, response_url a number": lambda w: click(w, f"{ids.PAGE_ACTION}next", FRAME, response_url=5),
    "stretch, no response_url": lambda w: click(w, f"{ids.COMPARE_STRETCH_ACTION}okr", COMPARISON,
                                                response_url=MISSING),
    "own draft's page, no response_url": lambda w: click(
        w, f"{ids.DRAFT_PAGE_ACTION}next", DraftRef(draft=w.sam_draft, page=1).value(), response_url=MISSING),
    # Bolt raised while reading or matching these (HTTP 500, and an ERROR from on_error).
    "actions empty": lambda w: click(w, ids.DRAFT_COPY_ACTION, "", actions=[]),
    "actions a dict": lambda w: click(w, ids.DRAFT_COPY_ACTION, "", actions={"action_id": ids.DRAFT_COPY_ACTION}),
    "actions a list of strings": lambda w: click(w, ids.DRAFT_COPY_ACTION, "", actions=[ids.DRAFT_COPY_ACTION]),
    "an action without action_id": lambda w: click(w, ids.DRAFT_COPY_ACTION, "", actions=[{"value": "x"}]),
    "a numeric action_id": lambda w: click(w, ids.DRAFT_COPY_ACTION, "", actions=[{"action_id": 5}]),
    "unknown action, view a string": lambda w: click(w, "nope", "", view="x"),
    "user a number": lambda w: click(w, ids.DRAFT_COPY_ACTION, "", user=5),
    "enterprise a list": lambda w: click(w, ids.DRAFT_COPY_ACTION, "", enterprise=["id"]),
    "form, view null": lambda w: submission(w, ids.DRAFT_FORM_CALLBACK, "{}", view=None),
    "form, view without type": lambda w: submission(
        w, ids.DRAFT_FORM_CALLBACK, "{}", view={"callback_id": ids.DRAFT_FORM_CALLBACK, "state": {}}),
    "share form, response_urls a string": lambda w: submission(
        w, ids.DRAFT_SHARE_CALLBACK, ShareState(draft=w.sam_draft).value(), response_urls="x"),
    "a JSON array": lambda w: [1, 2],
}


@pytest.mark.parametrize("shape", list(PINNED))
def test_shapes_that_once_crashed_are_answered_or_refused(world: World, caplog: pytest.LogCaptureFixture,
                                                           shape: str) -> None:
    payload = PINNED[shape](world)
    begin(world, caplog)
    assert_unharmed(world, world.send(payload), caplog)


def test_unsigned_junk_is_refused_as_unsigned(world: World) -> None:
    # Bolt parses a body and reads its ids before it checks the signature: these once got a 500.
    form = {"Content-Type": "application/x-www-form-urlencoded"}

    def payload(document: Any) -> tuple[str, dict[str, str]]:
        return urllib.parse.urlencode({"payload": json.dumps(document)}), form

    bodies = {
        "payload not JSON": ("payload=not-json", form),
        "payload a JSON array": payload([1]),
        "JSON body cut short": ('{"type": "event_callback"', {"Content-Type": "application/json"}),
        "user a number": payload({"type": "block_actions", "user": 5}),
        "team a list": payload({"type": "block_actions", "team": ["id"]}),
        "enterprise a number": payload({"enterprise": 5}),
        "channel true": payload({"channel": True}),
        "two response_urls": payload({"type": "view_submission", "response_urls": [{}, {}]}),
    }
    statuses = {name: world.app.request("/slack/events", body, headers=headers).status
                for name, (body, headers) in bodies.items()}
    assert statuses == dict.fromkeys(bodies, 401)
    assert world.slack.calls() == []


def test_two_response_urls_are_refused_not_a_500(world: World, caplog: pytest.LogCaptureFixture) -> None:
    """Bolt 1.30's build_context raises on two or more response_urls (it logs through the
    context's logger before the context has one): the gate refuses them, since Goals' forms
    have one response_url_enabled input."""
    urls = [{"block_id": "channel", "action_id": "value", "channel_id": f"C77{n}",
             "response_url": world.slack.response_url(f"two{n}")} for n in range(2)]
    payload = submission(world, ids.DRAFT_SHARE_CALLBACK, ShareState(draft=world.sam_draft).value(),
                         response_urls=urls)
    begin(world, caplog)
    reply = world.send(payload)
    assert reply.status == 400, reply.body
    assert_unharmed(world, reply, caplog)
    assert world.slack.calls() == []


# Socket Mode has no HTTP gate: Slack's payloads go straight into Bolt, so the listeners must
# read the shapes above that were fixed in them (not in the gate) without it.
LISTENER_PINNED = [shape for shape in PINNED if shape in {
    "team a string", "user a string", "channel a string", "container a list", "share, channel.id 5",
    "comparison share, container.channel_id 5", "switch, no response_url", "copy, response_url not a URL",
    "page, response_url a number", "stretch, no response_url", "own draft's page, no response_url"}]


def through_socket_mode(world: World, payload: Any) -> Reply:
    """`payload` into Bolt as Socket Mode delivers it (SocketModeHandler's own BoltRequest)."""
    started = time.perf_counter()
    response = world.app.app.dispatch(BoltRequest(mode="socket_mode", body=payload))
    return Reply(response.status, response.body, time.perf_counter() - started)


@pytest.mark.parametrize("shape", LISTENER_PINNED)
def test_shapes_the_listeners_once_crashed_on_are_answered_without_the_gate_too(
        world: World, caplog: pytest.LogCaptureFixture, shape: str) -> None:
    payload = PINNED[shape](world)
    begin(world, caplog)
    assert_unharmed(world, through_socket_mode(world, payload), caplog)
