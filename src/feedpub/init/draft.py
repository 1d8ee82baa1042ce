"""What `feedpub init` is about to write: settings with the reason for each, and what cannot be translated.

A reader of a generator's configuration fills a Draft; `toml.render` writes it as a feedpub.toml
in which every key is shown, set or commented out with its default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Draft"]

Key = tuple[str, str]  # (table, key), e.g. ("build", "permalink")


@dataclass
class Draft:
    """A feedpub.toml in the making.

    `values` are the keys to set (table, key) -> value; `why` says where a value came from (a
    comment after it); `cannot` holds, per key, the lines saying what could not be translated
    (commented lines under the key). `read` lists the files the values were read from.
    """

    generator: str = ""
    values: dict[Key, object] = field(default_factory=dict)
    why: dict[Key, str] = field(default_factory=dict)
    cannot: dict[Key, list[str]] = field(default_factory=dict)
    read: list[Path] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)  # about the site as a whole, at the top of the file

    def set(self, table: str, key: str, value: object, why: str = "") -> None:
        self.values[(table, key)] = value
        if why:
            self.why[(table, key)] = why
        else:
            self.why.pop((table, key), None)

    def set_text(self, table: str, key: str, value: object, why: str = "") -> bool:
        """Set `value` without its outer blanks when it is text that is not blank; whether it was."""
        if not isinstance(value, str) or not value.strip():
            return False
        self.set(table, key, value.strip(), why)
        return True

    def note(self, table: str, key: str, text: str) -> None:
        """Something of the site's that `[table] key` cannot say, written as a commented line under it."""
        self.cannot.setdefault((table, key), []).append(text)

    def remark(self, text: str) -> None:
        """Something of the site's that no key says, written as a comment at the top."""
        self.remarks.append(text)

    def get(self, table: str, key: str) -> object:
        return self.values.get((table, key))
