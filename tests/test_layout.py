"""The code's shape, as the README's map promises it: small modules, rooms that fit on a
screen, one registration map that names every listener, and tests that mirror the tree.
(Which room may import which is import-linter's, in pyproject.toml.)"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.slack.shared import ids
from support.paths import REPO_ROOT

BOT = REPO_ROOT / "bot"
MODULE_LINES_MAX = 400
FOLDER_MODULES_MAX = 15
ROUTES = BOT / "slack" / "routes.py"
# Ids that name no listener: every form input's action id (inputs dispatch nothing), and the
# reminder settings modal's callback id (it has no submit: each choice is its own action).
NOT_LISTENED_FOR = {"VALUE_ACTION", "REMINDER_SETTINGS_VIEW"}


def _modules() -> list[Path]:
    return sorted(BOT.rglob("*.py"))


def test_no_module_is_over_the_line_bound() -> None:
    long = {str(path.relative_to(REPO_ROOT)): lines for path in _modules()
            if (lines := len(path.read_text().splitlines())) > MODULE_LINES_MAX}
    assert long == {}


def test_no_folder_holds_more_modules_than_a_room_should() -> None:
    folders = {path.parent for path in _modules()}
    crowded = {str(folder.relative_to(REPO_ROOT)): count for folder in folders
               if (count := len(list(folder.glob("*.py")))) > FOLDER_MODULES_MAX}
    assert crowded == {}


def _feature_listeners() -> dict[str, Path]:
    """The name the registration map gives each feature's listeners module, and the module."""
    aliases = re.findall(r"^from bot\.slack\.(\w+) import listeners as (\w+)$", ROUTES.read_text(), re.M)
    return {alias: BOT / "slack" / feature / "listeners.py" for feature, alias in aliases}


def test_every_feature_listeners_module_is_in_the_registration_map() -> None:
    on_disk = sorted(path.parent.name for path in (BOT / "slack").glob("*/listeners.py"))
    assert sorted(path.parent.name for path in _feature_listeners().values()) == on_disk


@pytest.mark.parametrize("alias", sorted(_feature_listeners()))
def test_every_public_listener_function_is_registered(alias: str) -> None:
    routes = ROUTES.read_text()
    tree = ast.parse(_feature_listeners()[alias].read_text())
    public = [node.name for node in tree.body if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")]
    assert public, "a listeners module with no listener"
    assert [name for name in public if f"{alias}.{name}" not in routes] == []


def test_every_action_and_callback_id_is_listened_for_in_the_map() -> None:
    routes = ROUTES.read_text()
    values = {name: value for name, value in vars(ids).items() if re.fullmatch(r"[A-Z_]+_(ACTION|CALLBACK|VIEW)", name)}
    routed = {name for name in values if re.search(rf"\bids\.{name}\b", routes)}
    # A prefix route (`_prefix(ids.SWITCH_ACTION)`) answers every id that starts with it.
    prefixes = [values[name] for name in routed if f"_prefix(ids.{name})" in routes]
    unrouted = [name for name, value in values.items() if name not in routed and name not in NOT_LISTENED_FOR
                and not any(value.startswith(prefix) for prefix in prefixes)]
    assert unrouted == []
    assert set(values) >= NOT_LISTENED_FOR  # the exceptions still exist


@pytest.mark.parametrize("layer", ["slack", "goals"])
def test_tests_mirror_each_layers_features(layer: str) -> None:
    features = sorted(path.parent.name for path in (BOT / layer).glob("*/__init__.py"))
    tested = sorted(path.name for path in (REPO_ROOT / "tests" / layer).iterdir()
                    if path.is_dir() and any(path.glob("test_*.py")))
    assert features == tested
