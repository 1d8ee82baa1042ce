"""The command line as a user meets it: help, version, python -m, and the README documenting it."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version

import click
from conftest import ROOT, Invoke

from feedpub import __version__
from feedpub.cli import main


def test_version(invoke: Invoke) -> None:
    assert invoke("--version").stdout == f"feedpub, version {__version__}\n"


def test_the_installed_version_is_the_one_in_the_source() -> None:
    # pyproject.toml reads the version from feedpub/_version.py; an install must agree with it.
    assert version("feedpub") == __version__


def test_every_command_has_help_and_is_in_the_readme(invoke: Invoke) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert isinstance(main, click.Group)
    for name, command in main.commands.items():
        assert command.help, f"feedpub {name} has no help text"
        assert f"feedpub {name}" in readme, f"the README does not document feedpub {name}"
        for parameter in command.params:
            for option in getattr(parameter, "opts", []):
                if option.startswith("--") and option != "--help":
                    assert option in readme, f"the README does not document feedpub {name} {option}"
        assert f"Usage: feedpub {name} [OPTIONS]" in invoke(name, "--help").stdout


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run([sys.executable, "-m", "feedpub", "--help"], capture_output=True, text=True, check=True)
    assert "Usage: python -m feedpub" in result.stdout or "Usage: feedpub" in result.stdout
    assert "build" in result.stdout


def test_unknown_command_is_a_usage_error(invoke: Invoke) -> None:
    assert "No such command" in invoke("bulid", code=2).stderr
