"""The preview: build the site, serve its output folder, build again whenever an article or the
config changes. Nothing here prints; each build's outcome goes to the caller's `report`.

Builds are publish()'s, with the cache (a rebuild costs what changed) and the site's lock (a cron
build of the same site waits for the preview's, or the other way round). A build that fails
changes no file, so the last good feeds stay served; its error is reported and the next change
builds again.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from feedpub.build.pipeline import PublishResult, make_schedule, publish
from feedpub.build.quick import RACY_NS, tree_digest
from feedpub.config import SiteConfig, load_config
from feedpub.errors import FeedpubError, UsageError
from feedpub.serve.server import FolderServer
from feedpub.serve.watch import Watcher

__all__ = ["Build", "Preview"]

_TICK_NS = 100_000_000  # a file modified this long before a build began may not be in it


@dataclass(frozen=True, slots=True)
class Build:
    """One build of the preview: what set it off (nothing: the first), and its result or its error."""

    changed: tuple[Path, ...]
    result: PublishResult | None
    error: FeedpubError | None
    seconds: float


class Preview:
    """`with Preview(...) as preview:` reads the config and listens at `host`:`port` (0: a free one);
    `build()` builds once, `start()` serves and watches, `run(report)` builds on every change.

    Raises ConfigError for a config that cannot be read, UsageError when the address cannot be
    listened on or `now` cannot be read. `now`, `drafts` and `future` are make_schedule's.
    """

    def __init__(
        self,
        config_path: Path,
        overrides: Mapping[str, Any] | None = None,
        host: str = "127.0.0.1",
        port: int = 8000,
        *,
        now: str | None = None,
        drafts: bool = False,
        future: bool = False,
    ) -> None:
        self.config_path = config_path
        self.overrides = dict(overrides or {})
        self._now, self._drafts, self._future = now, drafts, future  # a schedule is made for each build
        self.config = load_config(config_path, self.overrides)
        make_schedule(self.config, now)  # a bad --now is a usage error now, not at each build
        try:
            self.server = FolderServer(self.config.output, host, port)
        except OSError as error:
            raise UsageError(
                f"could not listen on {host}:{port}: {error.strerror or error}; pick another --port (0: any free one)"
            ) from None
        self._watcher: Watcher | None = None
        self._serving: threading.Thread | None = None
        self._pending: set[Path] = set()
        self._built_ns = time.time_ns()  # when the last build began

    @property
    def url(self) -> str:
        return self.server.url

    def build(self, changed: tuple[Path, ...] = (), jobs: int | None = None) -> Build:
        """Build the site with the config as it now is; a failed build changes no file."""
        started = time.perf_counter()
        self._built_ns = time.time_ns()
        try:
            config = load_config(self.config_path, self.overrides)
            schedule = make_schedule(config, self._now, drafts=self._drafts, future=self._future)
            result = publish(config, schedule=schedule, use_cache=True, jobs=jobs)
        except FeedpubError as error:
            return Build(changed, None, error, time.perf_counter() - started)
        self._follow(config)
        return Build(changed, result, None, time.perf_counter() - started)

    def start(self) -> None:
        """Answer requests and watch for changes, each in threads of its own (after the first build:
        it may parse in worker processes, which are best started before any thread)."""
        if self._serving is None:
            self._serving = threading.Thread(target=self.server.serve_forever, name="serve", daemon=True)
            self._serving.start()
        self._watch(self.config)
        # a file saved while the first build ran, before the watch began, is built now (so is one
        # saved a moment before, as file systems' clocks tick coarsely: then a build finds nothing new)
        articles, since = self.config.articles, self._built_ns - _TICK_NS
        if articles.is_dir() and tree_digest(articles, since + RACY_NS)[1]:  # it looks from RACY_NS before
            self._pending.add(articles)
        with contextlib.suppress(OSError):
            if self.config_path.stat().st_mtime_ns > since:
                self._pending.add(self.config_path)

    def run(self, report: Callable[[Build], None], stop: threading.Event | None = None) -> None:
        """Build after every change, until `stop` is set (or the process is interrupted)."""
        stop = stop or threading.Event()
        while not stop.is_set():
            changed, self._pending = self._pending, set()
            if self._watcher is not None:
                try:
                    changed |= self._watcher.changes(timeout=0.25 if not changed else 0)
                except OSError as error:
                    self._watcher.close()
                    self._watcher = None
                    message = f"could not watch for changes ({error}); no more rebuilds: restart feedpub serve"
                    report(Build((), None, FeedpubError(message), 0.0))
            elif not changed:
                stop.wait(0.25)
            if changed:
                # jobs=1: threads are running now, and forking worker processes beside them is unsafe
                report(self.build(tuple(sorted(changed)), jobs=1))

    def close(self) -> None:
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None
        if self._serving is not None:
            self.server.shutdown()
            self._serving.join(timeout=5)
            self._serving = None
        self.server.server_close()

    def __enter__(self) -> Preview:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def _follow(self, config: SiteConfig) -> None:
        """After a config edit that moved the output or articles folder, serve and watch the new ones."""
        self.server.folder = config.output
        old, self.config = self.config, config
        if self._watcher is not None and (config.articles, config.output, config.cache) != (
            old.articles,
            old.output,
            old.cache,
        ):
            self._watcher.close()
            self._watch(config)

    def _watch(self, config: SiteConfig) -> None:
        """Watch the articles folder and the config file; not what builds write (feeds, cache, ledger)."""
        written = [config.output, config.output.with_name(config.output.name + ".lock")]
        written += [path for path in (config.cache, config.ids) if path is not None]
        folders = [config.articles] if config.articles.is_dir() else []
        self._watcher = Watcher(folders, [self.config_path], written)
