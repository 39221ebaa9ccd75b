"""Broken canon is refused as a whole, with the file, the field path and the problem."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.canon.loader import CanonError, load_canon
from bot.settings import SHIPPED_CANON_DIR, canon_dir
from support.canon_files import family_doc, level_doc

Write = Callable[..., Path]


def problems(directory: Path) -> list[str]:
    with pytest.raises(CanonError) as caught:
        load_canon(directory)
    assert str(directory) in str(caught.value).splitlines()[0]
    return [str(problem) for problem in caught.value.problems]


def test_the_shipped_canon_loads(repository: object) -> None:
    canon = load_canon(SHIPPED_CANON_DIR)
    assert [level.code for level in canon.levels] == ["M2", "M4"]
    assert sorted(f.slug for f in canon.families) == ["clinical-project-management",
                                                       "clinical-trials-ops"]


def test_a_small_valid_canon_loads_with_text_exactly_as_written(write_canon: Write) -> None:
    text = "  Leads — naïve 🚀 team\u200d work  "  # inner and outer spaces, ZWJ: all kept
    family = family_doc(levels={"L1": {"responsibilities": [text]}})
    canon = load_canon(write_canon(families=[family]))
    assert canon.families[0].levels["L1"].responsibilities == (text,)


def test_unknown_key_is_named_with_its_path_and_a_suggestion(write_canon: Write) -> None:
    family = family_doc()
    family["levels"]["L1"]["rubrics"] = {"complexty": "typo"}
    assert problems(write_canon(families=[family])) == [
        "families/widgets.json: levels.L1.rubrics.complexty: "
        "unknown key 'complexty' (did you mean 'complexity'?)"]


def test_unknown_top_level_key_in_levels_json(write_canon: Write) -> None:
    level = level_doc()
    level["dimension"] = []
    assert problems(write_canon(levels=[level])) == [
        "levels.json: levels[0].dimension: unknown key 'dimension' (did you mean 'dimensions'?)"]


def test_level_code_missing_from_levels_json(write_canon: Write) -> None:
    family = family_doc(levels={"L3": {"responsibilities": ["x"]}})
    assert problems(write_canon(families=[family])) == [
        "families/widgets.json: levels.L3: level code not in levels.json (known: L1)"]


def test_level_codes_match_case_insensitively_and_take_the_levels_json_spelling(write_canon: Write) -> None:
    family = family_doc(levels={"l1": {"responsibilities": ["x"]}})
    canon = load_canon(write_canon(families=[family]))
    assert list(canon.families[0].levels) == ["L1"]


def test_duplicate_level_codes(write_canon: Write) -> None:
    found = problems(write_canon(levels=[level_doc("L1"), level_doc("l1")]))
    assert found == ["levels.json: levels[1].code: duplicate level code 'l1' (also levels[0])"]


def test_duplicate_level_code_keys_in_a_family(write_canon: Write) -> None:
    family = family_doc(levels={"L1": {}, "l1": {}})
    assert problems(write_canon(families=[family])) == [
        "families/widgets.json: levels.l1: duplicate level code (same as 'L1')"]


def test_duplicate_dimension_names_ignoring_case(write_canon: Write) -> None:
    level = level_doc()
    level["dimensions"][1]["name"] = "dimension 1"
    assert problems(write_canon(levels=[level])) == [
        "levels.json: levels[0].dimensions[1].name: duplicate dimension name 'dimension 1' "
        "(also dimensions[0]; names are compared ignoring case)"]


def test_duplicate_slug_across_files(write_canon: Write) -> None:
    found = problems(write_canon(families=[family_doc("widgets")],
                                 raw={"families/gadgets.json": json.dumps(family_doc("widgets"))}))
    assert "families/gadgets.json: slug: 'widgets' does not match the file name (gadgets.json)" in found
    assert any(p.startswith("families/widgets.json: slug: 'widgets' is already used by "
                            "families/gadgets.json") for p in found)


def test_duplicate_alias_across_families_and_alias_equal_to_a_slug(write_canon: Write) -> None:
    found = problems(write_canon(families=[
        family_doc("gadgets", aliases=["gd"]),
        family_doc("widgets", aliases=["GD", "gadgets"]),
    ]))
    assert found == [
        "families/widgets.json: aliases[0]: 'GD' is already used by families/gadgets.json (aliases[0])",
        "families/widgets.json: aliases[1]: 'gadgets' is already used by families/gadgets.json (slug)",
    ]


def test_alias_equal_to_a_level_code(write_canon: Write) -> None:
    assert problems(write_canon(families=[family_doc(aliases=["cto", "l1"])])) == [
        "families/widgets.json: aliases[1]: 'l1' is also a level code in levels.json"]


@pytest.mark.parametrize("word", ["okr", "ALL", "help", "list", "scorecard"])
def test_alias_or_level_code_equal_to_a_grammar_word(write_canon: Write, word: str) -> None:
    found = problems(write_canon(levels=[level_doc(word)], families=[family_doc(aliases=[word])]))
    assert found == [
        f"levels.json: levels[0].code: {word!r} is a reserved word of the /goals grammar",
        f"families/widgets.json: aliases[0]: {word!r} is a reserved word of the /goals grammar",
    ]


def test_no_levels_at_all(write_canon: Write) -> None:
    found = problems(write_canon(levels=[], families=[family_doc(levels={})]))
    assert found == ["levels.json: levels: must list at least one level"]


@pytest.mark.parametrize("bad, expected", [
    ("", "must not be empty or only whitespace"),
    ("   \u3000 ", "must not be empty or only whitespace"),
    ("Line one\nline two", "contains control character U+000A at position 9"),
    ("Tab\there", "contains control character U+0009 at position 4"),
    ("Bell\u0007", "contains control character U+0007 at position 5"),
    ("Para\u2029graph", "contains control character U+2029 at position 5"),
])
def test_empty_whitespace_and_control_characters_are_refused(
        write_canon: Write, bad: str, expected: str) -> None:
    family = family_doc(levels={"L1": {"responsibilities": ["fine", bad]}})
    assert problems(write_canon(families=[family])) == [
        f"families/widgets.json: levels.L1.responsibilities[1]: {expected}"]


def test_duplicate_responsibility_in_one_level(write_canon: Write) -> None:
    family = family_doc(levels={"L1": {"responsibilities": ["Same", "Other", "Same"]}})
    assert problems(write_canon(families=[family])) == [
        "families/widgets.json: levels.L1.responsibilities[2]: duplicate of responsibilities[0]"]


def test_json_syntax_error_names_line_and_column(write_canon: Write) -> None:
    broken = '{\n  "levels": [\n    {"code": "L1", "title": "One",}\n  ]\n}'
    found = problems(write_canon(raw={"levels.json": broken}))
    assert found[0] == ("levels.json: JSON syntax error at line 3, column 35: "
                        "Expected double quote to start a property name (char 49)") or (
        found[0].startswith("levels.json: JSON syntax error at line 3, column 35"))


def test_duplicate_json_keys_are_refused(write_canon: Write) -> None:
    raw = '{"slug": "widgets", "name": "A", "name": "B", "function": "F", "levels": {}}'
    found = problems(write_canon(raw={"families/widgets.json": raw}))
    assert found == ["families/widgets.json: duplicate key 'name' in one JSON object"]


def test_wrong_types_say_what_was_expected(write_canon: Write) -> None:
    family = family_doc()
    family["name"] = 42
    family["aliases"] = "cto"
    found = problems(write_canon(families=[family]))
    assert found == ["families/widgets.json: name: must be text, not a number",
                     "families/widgets.json: aliases: must be a list, not text"]


def test_missing_required_fields(write_canon: Write) -> None:
    found = problems(write_canon(levels=[{"code": "L1"}], families=[{"slug": "widgets"}]))
    assert "levels.json: levels[0].title: required key is missing" in found
    assert "families/widgets.json: name: required key is missing" in found
    assert "families/widgets.json: function: required key is missing" in found


def test_missing_files_and_directories(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert problems(tmp_path / "empty") == ["levels.json: file not found",
                                            "families/: directory not found"]
    (tmp_path / "empty" / "families").mkdir()
    assert problems(tmp_path / "empty")[-1] == "families/: no family files (*.json)"
    assert problems(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}: not a directory"]


def test_not_utf8(write_canon: Write) -> None:
    directory = write_canon()
    (directory / "levels.json").write_bytes(b'{"levels": [{"code": "L1", "title": "\xff"}]}')
    assert problems(directory) == ["levels.json: not UTF-8 (bad byte at offset 37)"]


def test_every_problem_in_every_file_is_reported_at_once(write_canon: Write) -> None:
    level = level_doc()
    level["title"] = ""
    family = family_doc(levels={"L7": {}}, extra_key=1)
    found = problems(write_canon(levels=[level], families=[family]))
    assert [p.split(":")[0] for p in found] == ["levels.json", "families/widgets.json"]


def test_goals_canon_dir_selects_another_directory(tmp_path: Path) -> None:
    assert canon_dir({}) == SHIPPED_CANON_DIR
    assert canon_dir({"GOALS_CANON_DIR": str(tmp_path)}) == tmp_path


def test_names_and_slugs_have_a_sane_length(write_canon: Write) -> None:
    """Names head messages, headers and buttons; the canon refuses paragraphs in them."""
    family = family_doc("a" * 65, name="N" * 201)
    level = level_doc(title="T" * 201)
    found = problems(write_canon(levels=[level], families=[family]))
    assert "levels.json: levels[0].title: is 201 characters long; a name may have at most 200" in found
    assert any(p.endswith("slug: is 65 characters long; a name may have at most 64") for p in found)
    assert any(p.endswith("name: is 201 characters long; a name may have at most 200") for p in found)
