"""A Draft as feedpub.toml text: every key of the config, set or commented out, each with its help line.

TOML has no writer in the standard library, and the file is written for people (a comment over
every key, a reason after the values init found), so values are formatted here; the result is
read back with tomllib by the tests.
"""

from __future__ import annotations

import json
import re

from feedpub.config import config_keys
from feedpub.init.draft import Draft
from feedpub.init.keys import EXAMPLES, HELP

__all__ = ["render", "toml_value"]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_value(value: object) -> str:
    """One TOML value: a string, boolean, whole number, list or inline table."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        # JSON's escapes (\" \\ \n \uXXXX) are TOML's; DEL, which JSON leaves raw, TOML forbids.
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        pairs = (f"{_key(str(name))} = {toml_value(item)}" for name, item in value.items())
        return "{ " + ", ".join(pairs) + " }"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def _key(name: str) -> str:
    return name if _BARE_KEY.fullmatch(name) else toml_value(name)


def render(draft: Draft, header: list[str]) -> str:
    """The feedpub.toml text: `header` lines as comments, then every table and key."""
    lines = [f"# {line}" if line else "#" for line in header]
    table = ""
    for name, key, _, default in config_keys():
        if name != table:
            table = name
            lines += ["", f"[{name}]"]
        where = (name, key)
        lines.append(f"# {HELP.get(where, 'See the README, Configuration.')}")
        if where in draft.values:
            line = f"{key} = {toml_value(draft.values[where])}"
            why = draft.why.get(where)
            lines.append(f"{line}  # {why}" if why else line)
        else:
            shown = default if default is not None and default != [] and default != {} else EXAMPLES.get(where, default)
            lines.append(f"# {key} = {toml_value(shown)}" if shown is not None else f"# {key} =")
        lines += [f"# {key}: {text}" for text in draft.cannot.get(where, [])]
    unknown = [where for where in list(draft.values) + list(draft.cannot) if where not in _known()]
    if unknown:
        raise ValueError(f"not keys of feedpub.toml: {unknown}")
    return "\n".join(lines) + "\n"


def _known() -> set[tuple[str, str]]:
    return {(name, key) for name, key, _, _ in config_keys()}
