"""Finding and reading article files: the only module here that touches the articles folder.

Everything after this step is pure (a `Source` in, values out), so a cache can sit between
reading a file and parsing it.

What counts as an article file: `*.md`, `*.markdown`, `*.html` and `*.htm` (HTML with front
matter, as Jekyll and Eleventy publish it), and the structured documents `*.json`, `*.yaml`,
`*.yml`, `*.toml`, anywhere under the folder. Hidden files and folders, other extensions
(images, editor backups such as `post.md~`), and paths matching `[build] exclude` are passed
over silently; reStructuredText (`*.rst`) with a warning, since its generator publishes it. Hugo
section pages (`_index.md`) with pages below them are passed over with a note; one without (a
leaf) is an article. A folder (below the top) holding an `index.md` is a page bundle: that file
is the article, and the rest of the folder (Markdown files in it too) belongs to it, as in Hugo.
"""

from __future__ import annotations

import fnmatch
import functools
import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from feedpub.errors import Problem
from feedpub.model import Source
from feedpub.read.frontmatter import DOCUMENT_SUFFIXES, HTML_SUFFIXES, MARKDOWN_SUFFIXES

__all__ = [
    "ARTICLE_SUFFIXES",
    "decode",
    "excluded",
    "find_source_names",
    "find_sources",
    "inside",
    "is_article_file",
    "read_source",
    "read_sources",
]

ARTICLE_SUFFIXES = MARKDOWN_SUFFIXES + HTML_SUFFIXES + DOCUMENT_SUFFIXES
UNREAD_SUFFIXES = (".rst",)  # Pelican publishes reStructuredText; feedpub cannot read it yet
SECTION_PAGES = ("_index.md", "_index.markdown")
BUNDLE_PAGES = ("index.md", "index.markdown")
_SUFFIXES = ARTICLE_SUFFIXES + UNREAD_SUFFIXES  # what the walk finds


def read_sources(
    folder: Path, exclude: Iterable[str] = (), leave_out: Iterable[Path] = ()
) -> tuple[list[Source], list[Problem]]:
    """Every article file under `folder` in path order, read, and the problems met on the way."""
    paths, problems = find_sources(folder, exclude, leave_out)
    sources = []
    for path in paths:
        source, unreadable = read_source(path)
        if source is not None:
            sources.append(source)
        if unreadable is not None:
            problems.append(unreadable)
    return sources, problems


def find_sources(
    folder: Path, exclude: Iterable[str] = (), leave_out: Iterable[Path] = ()
) -> tuple[list[Path], list[Problem]]:
    """The article files under `folder` in path order, not yet read, and the problems met on the way;
    files and folders of `leave_out` (feedpub's own: its config, feeds and cache) are passed over."""
    names, problems = find_source_names(folder, exclude, leave_out)
    return [Path(name) for name in names], problems


def find_source_names(
    folder: Path, exclude: Iterable[str] = (), leave_out: Iterable[Path] = ()
) -> tuple[list[str], list[Problem]]:
    """find_sources, the paths as text (making 10,000 Path values costs more than finding the files)."""
    if not folder.is_dir():
        return [], [Problem(folder, None, "the articles folder does not exist; create it or set [build] articles")]
    patterns = tuple(exclude)
    paths: list[str] = []
    problems: list[Problem] = []
    walked = _walk(folder, inside(folder, leave_out))
    # made when a section page is met (Hugo's sites alone have them)
    sections = functools.cache(lambda: _sections_with_pages(walked))
    for relative, path, problem in walked:
        if patterns and excluded(PurePosixPath(relative), patterns):
            continue
        name = relative.rpartition("/")[2].lower()
        if problem is not None:
            problems.append(problem)
        elif name.endswith(UNREAD_SUFFIXES):
            message = (
                "is reStructuredText, which feedpub does not read, so it is not in the feeds; "
                "convert it to Markdown (pandoc -f rst -t markdown) or list it in [build] exclude"
            )
            problems.append(Problem(Path(path), None, message, "warning"))
        elif name in SECTION_PAGES and relative.rpartition("/")[0] in sections():
            problems.append(Problem(Path(path), None, "a Hugo section page, not an article; skipped", "note"))
        else:
            paths.append(path)
    return paths, problems


def is_article_file(relative: str, exclude: Iterable[str] = (), leave_out: Iterable[str] = ()) -> bool | None:
    """Whether find_source_names finds the file at `relative` (its path under the articles folder, in a
    folder it lists that is not a page bundle, and not a symbolic link) an article; None when that
    depends on more than its path (a section page or a bundle's index, or a file it warns of)."""
    name = relative.rpartition("/")[2].lower()
    if not _listed(name):
        return False
    if relative in leave_out or (exclude and excluded(PurePosixPath(relative), tuple(exclude))):
        return False
    if name.endswith(UNREAD_SUFFIXES) or name in SECTION_PAGES or name in BUNDLE_PAGES:
        return None
    return True


def _sections_with_pages(walked: list[tuple[str, str, Problem | None]]) -> set[str]:
    """The folders (relative, "" for the top) that hold pages below them; the top one (the home page) always does.

    A Hugo section (`_index.md`) without pages below it (a leaf, dated like an article) is what
    some sites make of each post, and Hugo publishes it; it is read as an article. Another
    section's `_index.md` is a page of the sections above it, not of its own.
    """
    sections = {""}
    for relative, _, problem in walked:
        if problem is not None or not relative.lower().endswith(ARTICLE_SUFFIXES):
            continue
        above = relative.rpartition("/")[0]
        if relative.rpartition("/")[2].lower() in SECTION_PAGES:
            above = above.rpartition("/")[0]
        while above not in sections:
            sections.add(above)
            above = above.rpartition("/")[0]
    return sections


def excluded(relative: PurePosixPath, patterns: tuple[str, ...]) -> bool:
    """Whether a path (relative to the articles folder) matches an exclude pattern.

    Like .gitignore: a pattern without "/" matches any file or folder name on the path; one with
    "/" matches the path from the top (or one of its folders); "*" does not stop at "/".
    """
    parts = relative.parts
    prefixes = ["/".join(parts[: end + 1]) for end in range(len(parts))]
    for pattern in patterns:
        pattern = pattern.strip().rstrip("/").removeprefix("./").removeprefix("/")
        candidates = prefixes if "/" in pattern else parts
        if any(fnmatch.fnmatchcase(candidate, pattern) for candidate in candidates):
            return True
    return False


def inside(folder: Path, paths: Iterable[Path]) -> frozenset[str]:
    """Those of `paths` under `folder`, relative to it ("feeds", "feedpub.toml")."""
    root = folder.resolve()
    inside = set()
    for path in paths:
        relative = path.resolve()
        if relative != root and relative.is_relative_to(root):
            inside.add(relative.relative_to(root).as_posix())
    return frozenset(inside)


def _walk(folder: Path, leave_out: frozenset[str] = frozenset()) -> list[tuple[str, str, Problem | None]]:
    """Article-suffixed files under `folder` (path relative to it, path, problem), sorted, hidden ones
    and those of `leave_out` (relative paths) skipped; symbolic links checked. A folder that cannot be
    listed is passed over, as os.walk does."""
    root = folder.resolve()
    found: list[tuple[str, str, Problem | None]] = []
    stack = [(str(folder), "")]
    while stack:
        directory, prefix = stack.pop()
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError:
            continue
        kinds = [(entry, _is_dir(entry)) for entry in entries]
        files = [entry for entry, is_dir in kinds if not is_dir]
        folders = [entry for entry, is_dir in kinds if is_dir]
        bundle = prefix and next((entry for entry in files if entry.name.lower() in BUNDLE_PAGES), None)
        if bundle:
            # A Hugo leaf bundle: its index is the article; every other file under it (other
            # Markdown included) is one of its resources, not a page of its own.
            folders, files = [], [bundle]
        for entry in folders:
            if entry.name.startswith(".") or (leave_out and prefix + entry.name in leave_out):
                continue
            if entry.is_symlink():
                problem = _symlink_problem(Path(entry.path), root)
                if problem is not None:
                    found.append((prefix + entry.name, entry.path, problem))
            else:
                stack.append((entry.path, prefix + entry.name + "/"))
        for entry in files:
            if not _listed(entry.name):
                continue
            if leave_out and prefix + entry.name in leave_out:
                continue
            problem = _symlink_problem(Path(entry.path), root) if entry.is_symlink() else None
            # A link to a file inside the folder is read through its target, so it would be a duplicate.
            if problem is not None or not entry.is_symlink():
                found.append((prefix + entry.name, entry.path, problem))
    found.sort(key=lambda item: item[0])
    return found


def _listed(name: str) -> bool:
    """Whether a file of this name is one `_walk` finds: not hidden, and of an article's (or an unread) kind."""
    return not name.startswith(".") and name.lower().endswith(_SUFFIXES)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """Whether the entry is a folder (a link to one too); a link that loops or points nowhere is not."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _symlink_problem(path: Path, root: Path) -> Problem | None:
    """Why a symbolic link cannot be read as an article (None when it points inside the folder).

    A link that points nowhere is an error, not a silence: the article it stood for would vanish
    from the feeds without a word. (Hidden links, such as Emacs's `.#post.md`, are never looked at.)
    """
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError) as error:  # RuntimeError: a loop, before Python 3.13
        written = path.readlink()
        if isinstance(error, FileNotFoundError):
            reason = f"is a symbolic link to {written}, which does not exist; restore the file or remove the link"
        else:
            reason = f"is a symbolic link ({written}) that never reaches a file; point it at one or remove it"
        return Problem(path, None, reason)
    if target == root or root in target.parents:
        return None
    return Problem(
        path,
        None,
        f"is a symbolic link to {target}, outside the articles folder; "
        "copy what it points to into the folder, or remove the link",
    )


def decode(path: Path, data: bytes) -> tuple[str | None, Problem | None]:
    """The file's bytes as UTF-8 text, or the line and byte that are not UTF-8."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, Problem(path, line, f"is not UTF-8 text (byte {data[error.start]:#04x}); save it as UTF-8")


def read_source(path: Path, data: bytes | None = None) -> tuple[Source | None, Problem | None]:
    """The file's text (`data`: its bytes, when already read), or why it cannot be an article."""
    try:
        data = path.read_bytes() if data is None else data
    except OSError as error:
        return None, Problem(path, None, f"could not be read: {error.strerror}; check its permissions")
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return None, Problem(
            path, line, "holds NUL bytes: it is a binary file or not UTF-8 (UTF-16?); save it as UTF-8 text"
        )
    text, problem = decode(path, data)
    if text is None:
        return None, problem
    unmarked = text[1:] if text.startswith("\ufeff") else text
    if not unmarked or unmarked.isspace():  # (strip() would copy the whole text to find out)
        return None, Problem(path, 1, "is empty; give it front matter with a title and a date, or delete it")
    return Source(path, text), None
