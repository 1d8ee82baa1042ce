"""The characters XML 1.0 forbids or discourages, which no feed can carry: found fast.

Its own module, as light as can be, so that the config's check and the readers of front matter
share it.
"""

from __future__ import annotations

import re

__all__ = ["FORBIDDEN", "find_forbidden"]

# XML 1.0 forbids C0 controls (lxml refuses them) and discourages DEL, C1 controls and the Unicode
# noncharacters; readers mangle the latter (feedparser reads U+0080-U+009F in RSS as Windows-1252).
# Front matter and bodies lose them with a warning (read.fields); feedpub.toml may not hold them.
_NONCHARACTERS = "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0x10000, 0x110000, 0x10000))
FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff{_NONCHARACTERS}]")
# The same, searched faster: the 32 astral characters make the class above ten times slower to
# search than these two ranges, which find any candidate (emoji included) for an exact test.
_FORBIDDEN_BMP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
_ASTRAL_CANDIDATE = re.compile("[\U0001fffe-\U0010ffff]")


def find_forbidden(value: str) -> re.Match[str] | None:
    """The first character of `value` that FORBIDDEN matches, or None; what FORBIDDEN.search finds, faster."""
    if value.isascii():
        return _FORBIDDEN_BMP.search(value)
    first = _FORBIDDEN_BMP.search(value)
    for candidate in _ASTRAL_CANDIDATE.finditer(value, 0, first.start() if first else len(value)):
        if ord(candidate[0]) & 0xFFFE == 0xFFFE:
            return candidate
    return first
