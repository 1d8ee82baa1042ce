"""HTTP for the preview: the files of one folder, with their feed types and validators, nothing else.

Only regular files under the folder are answered: a path with `..`, `.` or a hidden segment, a NUL,
a symbolic link leading out of the folder, or a folder without `index.html` is 404; a folder is
never listed. Every file has a strong ETag made from its bytes (equal bytes, equal ETag, whatever
rewrote the file) and its Last-Modified; a conditional GET or HEAD that still holds gets 304.
"""

from __future__ import annotations

import email.utils
import hashlib
import logging
import mimetypes
import os
import re
import socket
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from feedpub._version import __version__

__all__ = ["FolderServer", "content_type", "locate"]

log = logging.getLogger(__name__)

_FEED_TYPES = {
    "rss.xml": "application/rss+xml; charset=utf-8",
    "atom.xml": "application/atom+xml; charset=utf-8",
    "feed.json": "application/feed+json; charset=utf-8",
}
_SUFFIX_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xsl": "application/xslt+xml; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/json",
}
_ENTITY_TAG = re.compile(r'(?:W/)?"[^"]*"|\*')  # RFC 9110 8.8.3: entity-tag = [ W/ ] DQUOTE *etagc DQUOTE


def content_type(name: str) -> str:
    """The Content-Type of a file by its name: the feeds' own types wherever they are (tags/x/rss.xml)."""
    if name in _FEED_TYPES:
        return _FEED_TYPES[name]
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in _SUFFIX_TYPES:
        return _SUFFIX_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(name, strict=False)
    return guessed or "application/octet-stream"


def locate(folder: Path, url_path: str) -> Path | None:
    """The file under `folder` that a request's path names (a folder's index.html), or None.

    None also for a folder named without its final slash, which the caller redirects; see `_redirect`.
    """
    try:
        path = unquote(urlsplit(url_path).path, errors="strict")
    except UnicodeDecodeError:  # %ff: bytes that name no file here
        return None
    if not path.startswith("/") or "\x00" in path or "\\" in path:
        return None
    parts = [part for part in path.split("/")[1:] if part]
    if any(part in (".", "..") or part.startswith(".") for part in parts):
        return None
    root = folder.resolve()
    target = _inside(root, root.joinpath(*parts))
    if target is not None and target.is_dir():
        if not path.endswith("/"):
            return None
        target = _inside(root, target / "index.html")
    return target if target is not None and target.is_file() else None


def _inside(root: Path, path: Path) -> Path | None:
    """`path` with every link followed, if it exists and is under `root` (a link may not lead out)."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, a loop of links, a name too long
        return None
    return target if target == root or root in target.parents else None


def _redirect(folder: Path, url_path: str) -> str | None:
    """`/tags` → `/tags/` when that folder has an index.html, so that its relative links work."""
    path = urlsplit(url_path).path
    if path.endswith("/") or path.startswith("//"):  # "//host" would send the browser to another site
        return None
    found = locate(folder, path + "/")
    return path + "/" if found is not None else None


class FolderServer(ThreadingHTTPServer):
    """Serves `folder` at `host`:`port` (0: a free port) once `serve_forever` runs; `folder` may be
    changed while it runs (a config edit that moved the output folder)."""

    daemon_threads = True  # a client that keeps its connection open never holds up Ctrl-C

    def __init__(self, folder: Path, host: str, port: int) -> None:
        self.folder = folder
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        assert isinstance(host, str)  # an AF_INET or AF_INET6 address
        return f"http://[{host}]:{port}/" if self.address_family == socket.AF_INET6 else f"http://{host}:{port}/"

    def handle_error(self, request: Any, client_address: Any) -> None:
        # a client that went away mid-answer is not the server's problem; anything else is said once
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):
            log.debug("%s went away: %s", client_address[0], error)
        else:
            log.error("error: answering %s failed: %r", client_address[0], error)


class _Handler(BaseHTTPRequestHandler):
    server: FolderServer

    def version_string(self) -> str:
        return f"feedpub/{__version__}"

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        folder = self.server.folder
        target = locate(folder, self.path)
        if target is None:
            moved = _redirect(folder, self.path)
            if moved is not None:
                self._send(HTTPStatus.MOVED_PERMANENTLY, {"Location": moved, "Content-Length": "0"}, b"", body)
            else:
                self._send(HTTPStatus.NOT_FOUND, _text_headers(b"not found\n"), b"not found\n", body)
            return
        try:
            with target.open("rb") as stream:  # stat and bytes of the same file, even if renamed over now
                data = stream.read()
                stat = os.fstat(stream.fileno())
        except OSError:
            self._send(HTTPStatus.NOT_FOUND, _text_headers(b"not found\n"), b"not found\n", body)
            return
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        headers = {
            "Content-Type": content_type(target.name),
            "ETag": etag,
            "Last-Modified": email.utils.formatdate(stat.st_mtime, usegmt=True),
            "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff",
        }
        if self._not_modified(etag, int(stat.st_mtime)):
            self._send(HTTPStatus.NOT_MODIFIED, headers, b"", body)
            return
        headers["Content-Length"] = str(len(data))
        self._send(HTTPStatus.OK, headers, data, body)

    def _not_modified(self, etag: str, modified: int) -> bool:
        """RFC 9110 13.2.2: If-None-Match (weak comparison) decides when present, else If-Modified-Since."""
        wanted = self.headers.get("If-None-Match")
        if wanted is not None:
            tags = _ENTITY_TAG.findall(wanted)
            return "*" in tags or etag in (tag.removeprefix("W/") for tag in tags)
        since = self.headers.get("If-Modified-Since")
        if since is None:
            return False
        try:
            moment = email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False  # a date that cannot be read is ignored, as RFC 9110 says
        return moment.tzinfo is not None and modified <= moment.timestamp()

    def _send(self, status: HTTPStatus, headers: dict[str, str], data: bytes, body: bool) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if body and status not in (HTTPStatus.NOT_MODIFIED, HTTPStatus.MOVED_PERMANENTLY):
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)


def _text_headers(data: bytes) -> dict[str, str]:
    return {"Content-Type": "text/plain; charset=utf-8", "Content-Length": str(len(data))}
