"""The id ledger: the id each article was first published with, kept so that it never changes.

A feed reader knows an item by its id; give a published article another one (its date fixed,
its slug or the URL pattern or the host changed) and every subscriber sees it again as new. So
the first build that publishes an article records its id in `[build] ids` (default
`feedpub-ids.txt` beside the config, meant to be committed): one line per article, its path
under the articles folder, a tab, its id, sorted by path, so that diffs read well. A later build
keeps the recorded id, with a warning that says what the id would now be; `--reset-ids` takes
the new ids instead. An article renamed or moved is a new path, and so a new entry.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from feedpub.errors import ConfigError, Problem

__all__ = ["Ledger"]


@dataclass(slots=True)
class Ledger:
    path: Path | None  # None: no ledger ([build] ids = "")
    root: Path  # the articles folder: paths in the ledger are relative to it
    ids: dict[str, str] = field(default_factory=dict)  # relative path -> the id first published
    changed: bool = False
    _keys: tuple[Sequence[str], list[str]] | None = None  # the last paths `keys` was given, and their keys

    @classmethod
    def read(cls, path: Path | None, root: Path) -> Ledger:
        ledger = cls(path, root)
        if path is None or not path.exists():
            return ledger
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            message = f"the id ledger could not be read ({error}); restore it from version control"
            raise ConfigError(path, None, message) from None
        fast = _as_written(text)
        ledger.ids = fast if fast is not None else _line_by_line(text, path)
        return ledger

    def key(self, article_path: Path | str) -> str:
        text = os.fspath(article_path)
        prefix = os.fspath(self.root) + os.sep
        if text.startswith(prefix):  # the commonest case, without making Path values (10,000 of them cost)
            return text[len(prefix) :].replace(os.sep, "/")
        try:
            return Path(article_path).relative_to(self.root).as_posix()
        except ValueError:
            return Path(article_path).as_posix()

    def keys(self, paths: Sequence[str]) -> list[str]:
        """`key` of each path; what a build asks for every article twice, of the same paths (the heads'
        column): the second time, the keys of the first."""
        if self._keys is None or self._keys[0] is not paths:
            self._keys = (paths, self._keys_of(paths))
        return self._keys[1]

    def _keys_of(self, paths: Sequence[str]) -> list[str]:
        if os.sep != "/":  # (a key is a POSIX path: elsewhere each is made by key)
            return [self.key(path) for path in paths]
        prefix = os.fspath(self.root) + os.sep
        cut = len(prefix)
        # every text between the least and the greatest shares the prefix they share
        if paths and min(paths).startswith(prefix) and max(paths).startswith(prefix):
            return [path[cut:] for path in paths]
        return [path[cut:] if path.startswith(prefix) else self.key(path) for path in paths]

    def recorded(self, article_path: Path | str, current: str, reset: bool) -> tuple[str, Problem | None]:
        """The id to publish the article with, and a warning when it is not the one it would now get."""
        if self.path is None:
            return current, None
        key = self.key(article_path)
        known = self.ids.get(key)
        if known is None or known == current:
            return current, None
        if reset:
            self.ids[key] = current
            self.changed = True
            return current, None
        if unquote(current) == known:  # an id as feedpub wrote it before, letters left raw
            why = "feedpub now percent-encodes the letters outside ASCII in its ids, as a tag URI must hold them"
        else:
            why = "its date, slug, the URL pattern or the site's host changed"
        message = (
            f"keeps the id it was published with, {known} (it would now be {current}: {why}); run "
            "'feedpub build --reset-ids' to take the new id, which subscribers will see as a new article"
        )
        return known, Problem(Path(article_path), None, message, "warning")

    def publish(self, published: Mapping[str, str]) -> None:
        """Record the ids of the articles published now (relative path -> id) that the ledger lacks."""
        for key, ident in published.items():
            if key not in self.ids:
                self.ids[key] = ident
                self.changed = True

    def text(self) -> bytes:
        header = "# feedpub's id ledger: the id each article was first published with. Commit it.\n"
        return (header + "".join(f"{key}\t{ident}\n" for key, ident in sorted(self.ids.items()))).encode("utf-8")


# What str.splitlines takes for the end of a line, "\n" aside.
_OTHER_BREAKS = ("\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def _line_by_line(text: str, path: Path) -> dict[str, str]:
    """The ids of the ledger's text (ConfigError at a line that is not a ledger line)."""
    ids = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        where, tab, ident = line.partition("\t")
        if not tab or not where or not ident.strip():
            message = "not a ledger line: write the article's path, a tab, and its id (or delete the line)"
            raise ConfigError(path, number, message)
        ids[where] = ident.strip()
    return ids


def _as_written(text: str) -> dict[str, str] | None:
    """The ids of a ledger as `Ledger.text` writes it (a comment line, then "path<tab>id" lines), read
    without a step of Python per line (10,000 lines cost 15-20 ms so); None for any other text, which
    `_line_by_line` reads. What it gives is what that gives (a property test holds it to that)."""
    if any(mark in text for mark in _OTHER_BREAKS):
        return None
    body = text.partition("\n")[2] if text.startswith("#") else text
    if body and not body.endswith("\n"):
        return None
    if body.count("\t") != body.count("\n") or "\n#" in body or "\n\n" in body or body.startswith(("#", "\n")):
        return None
    cells = body[:-1].replace("\n", "\t").split("\t") if body else []
    wheres, idents = cells[0::2], cells[1::2]
    if "" in wheres or "" in idents or list(map(str.strip, idents)) != idents:
        return None
    return dict(zip(wheres, idents, strict=True))
