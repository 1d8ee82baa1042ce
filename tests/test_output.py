"""Deterministic bytes, no rewrite of unchanged files, atomic writes, untouched feeds on failure."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, Invoke, SiteDir

from feedpub import OutputError, build_feeds, load_site, write_feeds
from feedpub.output import write_files

SAMPLES = ROOT / "articles"


def _build_in_subprocess(config: Path, env: dict[str, str]) -> dict[str, bytes]:
    """The feeds as a separate process builds them, with its own TZ and locale."""
    code = (
        "import sys, pickle; from feedpub import build_feeds, load_site; "
        "sys.stdout.buffer.write(pickle.dumps(build_feeds(load_site(sys.argv[1]))))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code, str(config)], env={**os.environ, **env}, capture_output=True, check=True
    ).stdout
    files: dict[str, bytes] = pickle.loads(output)
    return files


def test_same_input_same_bytes_whatever_the_time_zone_and_locale() -> None:
    config = ROOT / "feedpub.toml"
    first = _build_in_subprocess(config, {"TZ": "UTC", "LC_ALL": "C"})
    second = _build_in_subprocess(config, {"TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8", "LANG": "de_DE.UTF-8"})
    third = _build_in_subprocess(config, {"TZ": "America/St_Johns", "PYTHONHASHSEED": "12345"})
    assert first == second == third
    assert build_feeds(load_site(config)) == first


def test_same_bytes_whatever_the_order_files_were_created(tmp_path: Path) -> None:
    """A copy of the samples made in reverse order (so directory order differs) builds the same feeds."""
    copy = tmp_path / "copy"
    (copy / "articles").mkdir(parents=True)
    shutil.copy(ROOT / "feedpub.toml", copy)
    for source in sorted(SAMPLES.rglob("*"), reverse=True):
        target = copy / "articles" / source.relative_to(SAMPLES)
        if source.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
    assert build_feeds(load_site(copy / "feedpub.toml")) == build_feeds(load_site(ROOT / "feedpub.toml"))


def test_unchanged_feeds_are_not_rewritten(site: SiteDir, invoke: Invoke) -> None:
    site.article("a.md", "---\ntitle: A\ndate: 2026-05-01\n---\nBody.\n")
    invoke("build", cwd=site.root)
    before = {p.name: (p.stat().st_mtime_ns, p.stat().st_ino) for p in site.feeds.iterdir()}
    for path in site.feeds.iterdir():
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    result = invoke("build", cwd=site.root)
    assert "unchanged feeds/rss.xml, feeds/atom.xml, feeds/feed.json, feeds/index.html" in result.stdout
    after = {p.name: (p.stat().st_mtime_ns, p.stat().st_ino) for p in site.feeds.iterdir()}
    assert set(after) == set(before) == {"rss.xml", "atom.xml", "feed.json", "index.html"}
    assert all(mtime == 1_000_000_000 for mtime, _ in after.values())
    assert [ino for _, ino in after.values()] == [ino for _, ino in before.values()]


def test_a_changed_article_rewrites_the_feeds_and_leaves_no_temporary_files(site: SiteDir, invoke: Invoke) -> None:
    site.article("a.md", "---\ntitle: A\ndate: 2026-05-01\n---\nBody.\n")
    invoke("build", cwd=site.root)
    old = (site.feeds / "atom.xml").read_bytes()
    site.article("a.md", "---\ntitle: A changed\ndate: 2026-05-01\n---\nBody.\n")
    result = invoke("build", cwd=site.root)
    assert result.stdout.startswith("wrote feeds/rss.xml, feeds/atom.xml, feeds/feed.json")
    assert (site.feeds / "atom.xml").read_bytes() != old
    assert sorted(p.name for p in site.feeds.iterdir()) == ["atom.xml", "feed.json", "index.html", "rss.xml"]


def test_new_feed_files_are_world_readable(tmp_path: Path) -> None:
    write_files({"feed.xml": b"<x/>"}, tmp_path)
    assert (tmp_path / "feed.xml").stat().st_mode & 0o777 == 0o644


def test_failed_write_leaves_old_feeds_and_no_temporary_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files({"rss.xml": b"old rss", "atom.xml": b"old atom"}, tmp_path)
    real_fsync = os.fsync
    calls = []

    def failing_fsync(descriptor: int) -> None:
        calls.append(descriptor)
        if len(calls) == 2:  # the second temporary file: the disk is full
            raise OSError(28, "No space left on device")
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OutputError, match="No space left on device; the old feeds are unchanged"):
        write_feeds({"rss.xml": b"new rss", "atom.xml": b"new atom"}, tmp_path)
    assert (tmp_path / "rss.xml").read_bytes() == b"old rss"
    assert (tmp_path / "atom.xml").read_bytes() == b"old atom"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atom.xml", "rss.xml"]


def test_readers_never_see_a_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Until the rename, the target still holds the old bytes; the new ones arrive whole."""
    target = tmp_path / "atom.xml"
    target.write_bytes(b"old")
    seen = []
    real_replace = Path.replace

    def watching_replace(self: Path, destination: Path) -> Path:
        seen.append((target.read_bytes(), self.read_bytes(), self.parent == target.parent))
        return real_replace(self, destination)

    monkeypatch.setattr(Path, "replace", watching_replace)
    write_files({"atom.xml": b"new " * 100_000}, tmp_path)
    assert seen == [(b"old", b"new " * 100_000, True)]
    assert target.read_bytes() == b"new " * 100_000


def test_unwritable_output_is_exit_code_3(site: SiteDir, invoke: Invoke) -> None:
    site.article("a.md", "---\ntitle: A\ndate: 2026-05-01\n---\nBody.\n")
    site.feeds.write_text("a file where the output folder should be")
    result = invoke("build", cwd=site.root, code=3)
    assert "could not create the output folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_temporary_files_a_killed_build_left_are_removed(tmp_path: Path) -> None:
    (tmp_path / ".atom.xml.k1ll3d.tmp").write_bytes(b"half a feed")
    (tmp_path / ".other.tmp").write_bytes(b"not ours")
    write_files({"atom.xml": b"<feed/>"}, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.tmp", "atom.xml"]
