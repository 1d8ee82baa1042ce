"""WebSub: tell the hub which feeds changed (`build --ping`, `feedpub ping`); the only network code.

A POST of `hub.mode=publish` and `hub.url=<feed URL>` for each feed, as WebSub (W3C
Recommendation, section 7) has publishers do, sent only after the feeds are safely written. A
hub that is down or slow costs a warning, never a failed build: the feeds are published, and
subscribers' readers will poll them anyway. Each request has a timeout and one retry.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path

from feedpub._version import __version__
from feedpub.errors import Problem

__all__ = ["ping"]

TIMEOUT = 10.0
RETRY_AFTER = 1.0


def ping(hub: str, feeds: Iterable[tuple[Path, str]], timeout: float = TIMEOUT) -> list[Problem]:
    """POST hub.mode=publish for each (file, URL) of `feeds`; a warning for each the hub did not take."""
    problems = []
    for path, url in feeds:
        body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": url}).encode("ascii")
        request = urllib.request.Request(
            hub,
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "User-Agent": f"feedpub/{__version__}"},
            method="POST",
        )
        error = ""
        for attempt in (1, 2):
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    if 200 <= response.status < 300:
                        error = ""
                        break
                    error = f"answered {response.status}"
            except urllib.error.HTTPError as failure:
                error = f"answered {failure.code} {failure.reason}"
            except (urllib.error.URLError, TimeoutError, OSError) as failure:
                error = str(getattr(failure, "reason", failure))
            if attempt == 1:
                time.sleep(RETRY_AFTER)
        if error:
            message = f"the WebSub hub {hub} was not told of {url} ({error}; tried twice); the feed is published"
            problems.append(Problem(path, None, message, "warning"))
    return problems
