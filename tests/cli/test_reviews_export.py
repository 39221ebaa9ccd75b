"""`goals reviews export`: a reviewer's drafts as CSV for HR, one row per placeholder with its
row's source tag, on both stores; a value a person typed never runs as a spreadsheet formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.canon.repository import CanonRepository
from bot.cli.main import run
from bot.frames.frameworks import Framework
from bot.frames.text import render_parts
from bot.goals.drafts.drafting import Drafting, Saved, Target
from bot.goals.fields import placeholder_fields
from bot.goals.model import Owner
from bot.goals.reviews.reviewing import Reviewed, Reviewing
from bot.settings import store_settings
from bot.store.factory import open_stores

ALICE = Owner(team="T1", user="UALICE")
NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)


def goals(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return run(list(args), out, err), out.getvalue(), err.getvalue()


@pytest.fixture
def host(repository: CanonRepository, store_env: dict[str, str], tmp_path: Path,
         monkeypatch: pytest.MonkeyPatch) -> Iterator[Reviewing]:
    """The host's store, as `goals reviews export` opens it from the environment (the
    command opens stores of its own on the same storage)."""
    env = {"GOALS_DATA_DIR": str(tmp_path), **store_env}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    stores = open_stores(store_settings(env))
    yield Reviewing(Drafting(repository, stores.drafts), stores.profiles)
    stores.close()


def sent_to_bob(reviewing: Reviewing, owner: Owner, draft_id: str, typed: dict[str, str]) -> None:
    """`owner`'s new M2 OKR draft with `typed`, sent to UBOB (of `owner`'s team)."""
    saved = reviewing.drafting.save(owner, Target(draft=draft_id, family="clinical-trials-ops", level="M2",
                                                  framework=Framework.OKR, new=True), typed, None, NOW)
    assert isinstance(saved, Saved)
    assert isinstance(reviewing.send(owner, saved.draft.id, "UBOB", None, NOW), Reviewed)


def test_export_writes_one_row_per_placeholder_with_its_source(host: Reviewing) -> None:
    frame = host.drafting.frame("clinical-trials-ops", "M2", Framework.OKR)
    assert frame is not None
    fields = placeholder_fields(frame)
    sent_to_bob(host, ALICE, "d1", {fields[0].key: "=HYPERLINK(\"x\")", fields[1].key: "12 sites"})
    code, out, err = goals("reviews", "export", "--reviewer", "UBOB", "--team", "T1", "--csv")
    assert code == 0 and err.startswith("goals: 1 draft sent to UBOB, from the store at ")  # which store it read
    header, *rows = list(csv.reader(io.StringIO(out)))
    assert header == ["owner", "draft", "status", "changed_at", "row", "source", "placeholder", "value_as_sent"]
    assert len(rows) == len(fields)
    first = rows[0]
    assert first[:4] == ["UALICE", "OKRs — Clinical Trials Operations · M2", "in_review", NOW.isoformat()]
    assert first[4:7] == [render_parts(frame.rows[fields[0].row].heading), str(frame.rows[fields[0].row].source),
                          fields[0].label]
    assert first[7] == "'=HYPERLINK(\"x\")"  # shown as typed, never run as a formula
    assert rows[1][7] == "12 sites" and rows[2][7] == ""
    # Another reviewer's export holds none of Bob's.
    code, out, _ = goals("reviews", "export", "--reviewer", "UCAROL", "--team", "T1")
    assert code == 0 and out.strip().splitlines() == [",".join(header)]


@pytest.mark.parametrize("args", [["reviews", "export"], ["reviews", "export", "--reviewer"],
                                  ["reviews", "import", "--reviewer", "U1"],
                                  ["reviews", "export", "--reviewer", "U1", "--who", "x"]])
def test_wrong_words_say_what_works(args: list[str]) -> None:
    code, out, err = goals(*args)
    assert code == 2 and out == "" and "goals reviews export --reviewer USER_ID" in err


@pytest.mark.parametrize(("args", "said"), [
    (["--reviewer", "UBOB", "--team", "../../etc"], "--team takes a Slack id such as T0123ABCD, not '../../etc'"),
    (["--reviewer", "UBOB", "--team", ""], "--team takes a Slack id such as T0123ABCD, not ''"),
    (["--reviewer", "U/../x"], "--reviewer takes a Slack id such as U0123ABCD, not 'U/../x'"),
])
def test_an_id_that_is_no_slack_id_is_a_usage_error_not_an_internal_one(args: list[str], said: str) -> None:
    code, out, err = goals("reviews", "export", *args)
    assert (code, out) == (2, "") and err.startswith(f"goals: {said}") and "internal error" not in err


def test_without_team_the_reviewer_is_found_in_their_workspace_and_every_formula_start_is_prefixed(
        host: Reviewing) -> None:
    frame = host.drafting.frame("clinical-trials-ops", "M2", Framework.OKR)
    assert frame is not None
    keys = [field.key for field in placeholder_fields(frame) if field.kind.value != "date"]
    sent_to_bob(host, ALICE, "d1", dict(zip(keys, ["+1 site", "-5%", "@risk", "=1+1", "plain - text"], strict=False)))
    # Bob's user id in another workspace names someone else: with --team, not in T1's export.
    sent_to_bob(host, Owner(team="T2", user="UDAN"), "d2", {})
    code, out, err = goals("reviews", "export", "--reviewer", "UBOB")
    assert code == 0 and err.startswith("goals: 2 drafts sent to UBOB")
    _, *rows = list(csv.reader(io.StringIO(out)))
    assert {row[0] for row in rows} == {"UALICE", "UDAN"}  # T1's Bob and T2's, when no team is named
    alices = [row[7] for row in rows if row[0] == "UALICE"]  # in the frame's order of placeholders
    where = [field.key for field in placeholder_fields(frame)]
    assert len(alices) == len(where)
    assert [alices[where.index(key)] for key in keys[:5]] == ["'+1 site", "'-5%", "'@risk", "'=1+1", "plain - text"]
    code, out, _ = goals("reviews", "export", "--reviewer", "UBOB", "--team", "T1", "--csv")
    assert code == 0 and {row[0] for row in list(csv.reader(io.StringIO(out)))[1:]} == {"UALICE"}
