"""A generator's URL pattern in feedpub's placeholders ([build] permalink), and what could not be said in them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from feedpub.config import PERMALINK_FIELDS

__all__ = ["Translation", "translate"]

_OWN = ("slug", "name", "path")  # a permalink must hold one, or every article would get one URL


@dataclass(frozen=True, slots=True)
class Translation:
    permalink: str | None  # None: nothing usable came out (the default stays, with the notes)
    notes: tuple[str, ...]


def translate(
    pattern: str,
    token: re.Pattern[str],
    mapping: Mapping[str, str],
    untranslatable: Mapping[str, str],
    generator: str,
    shown: str | None = None,
) -> Translation:
    """Replace each `token` match (group 1 names it) by `mapping`'s text; say why for the others.

    A token named in `untranslatable` is left out, and a note says what it is (its text there);
    one in neither is left out with a note too. `{` and `}` in the literal text are escaped, so
    that only feedpub's placeholders are placeholders.
    """
    notes: list[str] = []
    parts: list[str] = []
    position = 0
    for match in token.finditer(pattern):
        parts.append(_literal(pattern[position : match.start()]))
        position = match.end()
        name = match[1]
        if name in mapping:
            parts.append(mapping[name])
            continue
        what = untranslatable.get(name, "which feedpub does not know")
        notes.append(f'{generator}\'s "{match[0]}" ({what}) has no feedpub placeholder and is left out')
    parts.append(_literal(pattern[position:]))
    result = re.sub(r"/{2,}", "/", "/" + "".join(parts).lstrip("/"))
    used = set(re.findall(r"(?<!\{)\{(\w+)\}", result))
    if not used & set(_OWN) or not used <= set(PERMALINK_FIELDS):
        notes.append(f"{generator}'s {shown or pattern!r} gives no URL of each article's own here; the default is kept")
        return Translation(None, tuple(notes))
    return Translation(result, tuple(notes))


def _literal(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")
