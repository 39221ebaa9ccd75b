"""The deploy builds what was tested: `uv.lock` pins every dependency `pyproject.toml` names
(within its bounds), the setup command installs from it and refuses a stale one, and the
Heroku buildpack finds it and nothing else to build from."""

from __future__ import annotations

import re
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from support.paths import REPO_ROOT

PROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
LOCKED = {canonicalize_name(package["name"]): Version(package["version"])
          for package in tomllib.loads((REPO_ROOT / "uv.lock").read_text(encoding="utf-8"))["package"]
          if "version" in package}
REQUIREMENTS = [Requirement(line) for line in [*PROJECT["dependencies"], *PROJECT["optional-dependencies"]["dev"]]]


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=[r.name for r in REQUIREMENTS])
def test_every_dependency_is_locked_within_its_bounds(requirement: Requirement) -> None:
    locked = LOCKED.get(canonicalize_name(requirement.name))
    assert locked is not None, f"{requirement.name} is not in uv.lock: run uv lock"
    assert requirement.specifier.contains(locked, prereleases=True), f"uv.lock has {requirement.name} {locked}"
    # Bounded above: a major release nobody tested is never what a fresh install resolves to.
    assert requirement.name == "tzdata" or any(spec.operator == "<" for spec in requirement.specifier)


def test_the_setup_command_installs_the_lock_and_refuses_a_stale_one() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    setup = re.findall(r"```sh\n(.*?)```", readme, re.S)[0].strip()
    assert "uv sync" in setup and "--locked" in setup
    bootstrap = re.search(r"uv==([0-9.]+)", setup)
    assert bootstrap is not None and LOCKED[canonicalize_name("uv")] == Version(bootstrap.group(1))


def test_heroku_builds_from_the_lock_with_the_python_it_names() -> None:
    python = (REPO_ROOT / ".python-version").read_text(encoding="utf-8").strip()
    assert Version(python) in Requirement(f"python{PROJECT['requires-python']}").specifier
    # The buildpack refuses a repository with more than one package manager's files.
    others = ["requirements.txt", "poetry.lock", "Pipfile.lock", "Pipfile"]
    assert [name for name in others if (REPO_ROOT / name).exists()] == []
