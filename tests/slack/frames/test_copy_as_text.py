"""Copy as text in Slack, over signed HTTP: the text form with every line whole and in order,
read block by block as Slack shows them, for the reference documents and for a canon of any
size; where it cannot fit one message cleanly, also a file in the person's DM, byte for byte
what `goals LEVEL FAMILY FRAMEWORK` prints."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.canon.repository import CanonRepository
from bot.cli.main import run
from bot.frames.build import build_frame
from bot.frames.frameworks import ALL_FRAMEWORKS, Framework
from bot.frames.text import render_frame
from bot.slack.shared.ids import COPY_ACTION
from bot.slack.shared.limits import MESSAGE_BLOCKS_MAX, SECTION_TEXT_MAX
from support.block_texts import copied_lines, texts
from support.canon_files import family_doc, level_doc, write_canon_dir
from support.paths import SEEDS_DIR
from support.slack_app_harness import RunningApp, button
from support.slack_standin import SlackStandIn

MARKER = "Copy / print as textshow ▾\n"
SEED_FILES = sorted(SEEDS_DIR.glob("0*.txt")) if SEEDS_DIR.is_dir() else []
USER = "U111"


JSON = dict[str, Any]


def copy_in_slack(app: RunningApp, slack: SlackStandIn, words: str,
                  scripted: Callable[[SlackStandIn], None] = lambda _: None) -> tuple[list[JSON], list[JSON]]:
    """`/goals WORDS`, then Copy as text on the frame it shows (with what Slack will do
    `scripted`): the private messages it sends and the files it shares in the person's DM."""
    frame = app.command(words, user=USER).json
    slack.reset()
    scripted(slack)
    copy = button(frame, COPY_ACTION)
    assert app.click(copy["action_id"], copy["value"], user=USER).status == 200
    app.settle()
    messages = [call.body for call in slack.calls("response_url")]
    assert messages, "Copy as text said nothing"
    return messages, slack.files_in("D" + USER)


def within_limits(messages: list[dict[str, Any]]) -> None:
    for message in messages:
        assert len(message["blocks"]) <= MESSAGE_BLOCKS_MAX
        assert all(len(text) <= SECTION_TEXT_MAX for text in texts(message["blocks"]))


def cli(words: list[str], canon: Path | None, monkeypatch: pytest.MonkeyPatch) -> bytes:
    if canon is not None:
        monkeypatch.setenv("GOALS_CANON_DIR", str(canon))
    out, err = io.StringIO(), io.StringIO()
    assert run(words, out, err) == 0, err.getvalue()
    return out.getvalue().encode("utf-8")


@pytest.fixture
def app(slack: SlackStandIn, tmp_path: Path) -> Iterator[RunningApp]:
    with RunningApp(slack, data_dir=tmp_path / "data") as running:
        yield running


def _reference_frames() -> list[tuple[Path, int]]:
    return [(path, index) for path in SEED_FILES for index in range(len(ALL_FRAMEWORKS))]


@pytest.mark.skipif(not SEED_FILES, reason=f"reference documents not found at {SEEDS_DIR} (a clone outside the "
                                            "workspace); the shipped canon's frames below are still checked")
@pytest.mark.parametrize(("path", "index"), _reference_frames(),
                         ids=[f"{p.stem}-{ALL_FRAMEWORKS[i].value}" for p, i in _reference_frames()])
def test_copy_in_slack_reads_as_the_reference_line_by_line(app: RunningApp, slack: SlackStandIn,
                                                           repository: CanonRepository, path: Path,
                                                           index: int) -> None:
    text = path.read_text(encoding="utf-8")
    family_name, level_code = text.split("\n", 1)[0].rsplit(" — ", 1)
    family = next(f for f in repository.families() if f.name == family_name)
    # The reference's plain text for this framework: under its marker, up to the next heading.
    block = text.split(MARKER)[index + 1].split("\n\n")
    end = next((i for i, paragraph in enumerate(block) if "\n" not in paragraph), len(block))
    reference = "\n\n".join(block[:end]).rstrip("\n")
    messages, _ = copy_in_slack(app, slack, f"{level_code} {family.slug} {ALL_FRAMEWORKS[index].value}")
    within_limits(messages)
    assert copied_lines(messages) == reference.split("\n")


@pytest.mark.parametrize("framework", ALL_FRAMEWORKS, ids=[f.value for f in ALL_FRAMEWORKS])
def test_copy_of_every_shipped_frame_is_its_text_form_line_by_line(app: RunningApp, slack: SlackStandIn,
                                                                   repository: CanonRepository,
                                                                   framework: Framework) -> None:
    for family in repository.families():
        for code in family.levels:
            level = repository.level(code)
            assert level is not None
            messages, files = copy_in_slack(app, slack, f"{code} {family.slug} {framework.value}")
            within_limits(messages)
            assert copied_lines(messages) == render_frame(build_frame(framework, family, level)).split("\n")
            assert files == []  # one message holds it cleanly: nothing more to offer


LONG = " ".join(["Coordinates cross-functional delivery of study milestones, vendors and budgets"] * 29)
FILLER = " ".join(["and keeps sponsors, sites & <regulators> informed of progress"] * 22)


@pytest.fixture
def big_canon(tmp_path: Path) -> Path:
    """A level of 35 responsibilities of about 1,400 characters, one of them over 2,000."""
    responsibilities = [f"Responsibility {i}: leads area {i} {FILLER}" for i in range(34)] + [LONG]
    assert len(LONG) > 2_000
    return write_canon_dir(tmp_path / "canon", levels=[level_doc("L1", dimensions=6)], families=[family_doc(
        "widgets", levels={"L1": {"responsibilities": responsibilities,
                                  "rubrics": {"complexity": "Solves hard problems.",
                                              "knowledge_application": "Applies deep knowledge."}}})])


@pytest.mark.parametrize("framework", ALL_FRAMEWORKS, ids=[f.value for f in ALL_FRAMEWORKS])
def test_a_level_of_35_responsibilities_is_copied_whole_and_offered_as_the_cli_file(
        slack: SlackStandIn, tmp_path: Path, big_canon: Path, framework: Framework,
        monkeypatch: pytest.MonkeyPatch) -> None:
    with RunningApp(slack, canon_dir=big_canon, data_dir=tmp_path / "data") as app:
        repository = CanonRepository.open(big_canon)
        found = repository.family_level("widgets", "L1")
        assert found is not None
        expected = render_frame(build_frame(framework, found[0], found[1]))
        messages, files = copy_in_slack(app, slack, f"L1 widgets {framework.value}")
    within_limits(messages)
    assert copied_lines(messages) == expected.split("\n")  # every line whole, in order
    printed = cli(["L1", "widgets", framework.value], big_canon, monkeypatch)
    if framework is Framework.SMART:  # the largest: more than one message holds
        assert len(messages) > 1
    if len(messages) > 1:  # more than one message: the file too, exactly what the CLI prints
        (file,) = files
        assert file["bytes"] == printed and file["filename"] == f"widgets-L1-{framework.value}.txt"
    else:
        assert files == []


def test_a_line_longer_than_a_block_is_the_only_one_cut_and_the_file_keeps_it_whole(
        slack: SlackStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    huge = " ".join(["Owns the portfolio's operating model across regions and functions"] * 60)
    assert len(huge) > SECTION_TEXT_MAX
    canon = write_canon_dir(tmp_path / "canon", levels=[level_doc("L1")], families=[family_doc(
        "widgets", levels={"L1": {"responsibilities": ["Short one", huge, "Another short one"],
                                  "rubrics": {"complexity": "C.", "knowledge_application": "K."}}})])
    with RunningApp(slack, canon_dir=canon, data_dir=tmp_path / "data") as app:
        messages, files = copy_in_slack(app, slack, "L1 widgets mbo")
    within_limits(messages)
    expected = render_frame(build_frame(Framework.MBO, *CanonRepository.open(canon).family_level("widgets", "L1")[:2]))
    shown = copied_lines(messages)
    long_lines = [line for line in expected.split("\n") if len(line) > SECTION_TEXT_MAX]
    assert long_lines  # the case under test
    for line in expected.split("\n"):
        assert line in shown or line in long_lines  # every other line whole
    assert "".join(shown) == "".join(expected.split("\n"))  # the long one cut, nothing lost
    (file,) = files
    assert file["bytes"] == cli(["L1", "widgets", "mbo"], canon, monkeypatch)


def test_an_install_without_files_write_gets_the_text_and_is_told_the_file_did_not_follow(
        slack: SlackStandIn, tmp_path: Path, big_canon: Path) -> None:
    with RunningApp(slack, canon_dir=big_canon, data_dir=tmp_path / "data") as app:
        messages, files = copy_in_slack(app, slack, "L1 widgets smart",
                                        lambda slack: slack.fail("files.getUploadURLExternal", "missing_scope"))
    assert files == []
    told = [message for message in messages if "could not also send it as a file" in str(message)]
    assert len(told) == 1 and "missing_scope" in str(told[0])
    assert len(messages) > 2  # the text itself came all the same
