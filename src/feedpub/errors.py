"""What can go wrong, as values: the library raises these, the CLI turns them into exit codes."""

from __future__ import annotations

import reprlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

__all__ = [
    "ConfigError",
    "ContentError",
    "FeedpubError",
    "LineError",
    "OutputError",
    "Problem",
    "UsageError",
    "folded",
    "shown",
]

_SHOWN = reprlib.Repr()
_SHOWN.maxlevel, _SHOWN.maxlist, _SHOWN.maxdict, _SHOWN.maxstring, _SHOWN.maxother = 3, 6, 6, 60, 60


def shown(value: object) -> str:
    """`value` as a message quotes it: its repr, shortened. A value read from front matter may be
    megabytes long, or nested a thousand levels deep, where repr() itself fails."""
    return _SHOWN.repr(value)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one file, at one line when that is known.

    `others` are the other places a message names (the first file of a duplicate): the message
    refers to them as `{0}`, `{1}`, ..., so that every path is shown the same way.
    """

    path: Path
    line: int | None
    message: str
    severity: Literal["error", "warning", "note"] = "error"
    others: tuple[tuple[Path, int | None], ...] = ()

    def format(self, show: Callable[[Path], str] = str) -> str:
        """`path:line: severity: message` (GNU form, as compilers and mypy print it), paths as `show` writes them."""
        message = self.message
        for index, (path, line) in enumerate(self.others):
            message = message.replace(f"{{{index}}}", _where(show(path), line))
        return f"{_where(show(self.path), self.line)}: {self.severity}: {message}"

    def __str__(self) -> str:
        return self.format()


FOLD_FROM = 4  # files that give one warning word for word, from which it is printed once


def folded(problems: Sequence[Problem]) -> list[tuple[Problem, int]]:
    """Each problem with how many other files give it word for word (0: none, or too few to fold),
    those others left out: a warning that FOLD_FROM files or more give is one finding, printed once,
    at its first file (an unknown key a site puts in every post would otherwise fill thousands of
    lines and hide the one warning that matters). An error is never folded, nor a problem that
    names other places: each needs its own fix."""

    def key(problem: Problem) -> tuple[str, str] | None:
        return None if problem.severity == "error" or problem.others else (problem.severity, problem.message)

    files: dict[tuple[str, str], set[Path]] = {}
    for problem in problems:
        if (found := key(problem)) is not None:
            files.setdefault(found, set()).add(problem.path)
    kept: list[tuple[Problem, int]] = []
    printed: set[tuple[str, str]] = set()
    for problem in problems:
        found = key(problem)
        if found is None or len(files[found]) < FOLD_FROM:
            kept.append((problem, 0))
        elif found not in printed:
            printed.add(found)
            kept.append((problem, len(files[found]) - 1))
    return kept


def _where(path: str, line: int | None) -> str:
    return path if line is None else f"{path}:{line}"


class FeedpubError(Exception):
    """The base of every error feedpub raises on purpose; `exit_code` is what the CLI returns."""

    exit_code = 1


class LineError(FeedpubError):
    """A problem found by a pure parser, which knows the line but not the file."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class ConfigError(FeedpubError):
    """The configuration file is missing, unreadable or holds wrong values: `problems`, every one
    found (`problem`, the first)."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        self.problems: tuple[Problem, ...] = (Problem(path, line, message),)
        super().__init__(str(self.problems[0]))

    @property
    def problem(self) -> Problem:
        return self.problems[0]

    @classmethod
    def of(cls, problems: Sequence[Problem]) -> ConfigError:
        """The error of several problems (one at least)."""
        first = problems[0]
        error = cls(first.path, first.line, first.message)
        error.problems = tuple(problems)
        error.args = ("\n".join(str(problem) for problem in problems),)
        return error


class ContentError(FeedpubError):
    """One or more articles cannot be published; every error found is in `problems`.

    `outcome` says what that means for the files ("no feed was changed"); `warnings` holds the
    warnings and notes found in the same run, so that one run still reports everything.
    """

    def __init__(
        self, problems: list[Problem], outcome: str = "no feed was changed", warnings: Sequence[Problem] = ()
    ) -> None:
        self.problems = tuple(problems)
        self.outcome = outcome
        self.warnings = tuple(warnings)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(FeedpubError):
    """An option's value cannot be used (click reports the other usage errors, also with 2)."""

    exit_code = 2


class OutputError(FeedpubError):
    """The feeds could not be written; the files that were there are left as they were."""

    exit_code = 3
