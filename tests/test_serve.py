"""`feedpub serve` against the real server on a free local port: types, validators, 304s, what it
refuses, rebuilds on edits (and not serving a broken build), Ctrl-C; and the README's nginx and
Caddy set-ups, run by nginx and Caddy themselves where they are installed.

Every wait is bounded (DEADLINE) and polls; nothing here measures time.
"""

from __future__ import annotations

import getpass
import http.client
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, SITE_CONFIG, Invoke, SiteDir
from test_cron import _code_blocks

from feedpub.serve.preview import Build, Preview
from feedpub.serve.server import content_type

DEADLINE = 60.0  # seconds any wait may take on a loaded machine before the test fails

ARTICLE = """\
---
title: {title}
date: 2026-01-0{day} 10:00
tags: [Feeds]
author: Ann
---
{body}
"""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


def request(base: str, path: str, method: str = "GET", headers: dict[str, str] | None = None) -> Response:
    """One request, its path sent exactly as given (http.client does not normalise it)."""
    where = urlsplit(base)
    assert where.hostname is not None and where.port is not None
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=DEADLINE)
    try:
        connection.request(method, path, headers=headers or {})
        answer = connection.getresponse()
        return Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read())
    finally:
        connection.close()


def until(what: str, check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + DEADLINE
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting {DEADLINE:g} s for {what}")
        time.sleep(0.05)


def make_site(site: SiteDir, extra: str = "") -> None:
    site.write_config(SITE_CONFIG + "\n[build]\ntag_feeds = true\nlimit = 1\narchive_size = 1\n" + extra)
    for day in (1, 2, 3):
        site.article(f"post-{day}.md", ARTICLE.format(title=f"Post {day}", day=day, body=f"Body {day}."))
    # written a while ago: else the preview builds once more after its first build, to be safe
    moment = time.time() - 10
    for path in [site.config, site.articles, *site.articles.iterdir()]:
        os.utime(path, (moment, moment))


@dataclass
class Served:
    """A Preview running in this process: `builds` holds each build's outcome as it is reported."""

    site: SiteDir
    preview: Preview
    builds: list[Build] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.preview.url

    def get(self, path: str, **headers: str) -> Response:
        return request(self.url, path, headers={k.replace("_", "-"): v for k, v in headers.items()})

    def after_next_build(self, change: Callable[[], object]) -> Build:
        count = len(self.builds)
        change()
        until("a rebuild", lambda: len(self.builds) > count)
        return self.builds[-1]


@pytest.fixture
def served(site: SiteDir) -> Iterator[Served]:
    make_site(site)
    with Preview(site.config, port=0) as preview:
        running = Served(site, preview)
        first = preview.build()
        assert first.error is None, first.error
        preview.start()
        stop = threading.Event()
        thread = threading.Thread(target=preview.run, args=(running.builds.append, stop), daemon=True)
        thread.start()
        try:
            yield running
        finally:
            stop.set()
            thread.join(timeout=DEADLINE)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/rss.xml", "application/rss+xml; charset=utf-8"),
        ("/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/feed.json", "application/feed+json; charset=utf-8"),
        ("/tags/feeds/rss.xml", "application/rss+xml; charset=utf-8"),
        ("/tags/feeds/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/authors/ann/feed.json", None),  # no author feeds in this site
        ("/archive/1/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/archive/2/feed.json", "application/feed+json; charset=utf-8"),
        ("/tags/feeds/archive/1/rss.xml", "application/rss+xml; charset=utf-8"),
    ],
)
def test_each_feed_is_served_with_its_own_type(served: Served, path: str, expected: str | None) -> None:
    answer = served.get(path)
    if expected is None:
        assert answer.status == 404
        return
    assert answer.status == 200, path
    assert answer.headers["content-type"] == expected
    assert answer.body == (served.site.feeds / path.lstrip("/")).read_bytes()
    assert answer.headers["content-length"] == str(len(answer.body))


def test_pages_and_stylesheets_get_theirs_and_a_folder_its_index(served: Served) -> None:
    (served.site.feeds / "index.html").write_text("<!doctype html><title>Feeds</title>\n", encoding="utf-8")
    (served.site.feeds / "feed.xsl").write_text("<xsl:stylesheet/>\n", encoding="utf-8")
    (served.site.feeds / "tags" / "feeds" / "index.html").write_text("<p>tag</p>\n", encoding="utf-8")
    home = served.get("/")
    assert home.status == 200 and home.headers["content-type"] == "text/html; charset=utf-8"
    assert home.body == b"<!doctype html><title>Feeds</title>\n"
    assert served.get("/feed.xsl").headers["content-type"] == "application/xslt+xml; charset=utf-8"
    moved = served.get("/tags/feeds")  # relative links in its page need the slash
    assert moved.status == 301 and moved.headers["location"] == "/tags/feeds/"
    assert served.get("/tags/feeds/").body == b"<p>tag</p>\n"
    assert content_type("notes.txt") == "text/plain" and content_type("blob") == "application/octet-stream"


def test_no_folder_is_ever_listed(served: Served) -> None:
    home = served.get("/")  # the build's own page for people, not a listing
    assert home.status == 200 and b'<meta name="generator" content="feedpub">' in home.body
    for path in ("/tags/", "/tags", "/archive/1/", "/tags/feeds/"):  # no index.html in any
        answer = served.get(path)
        assert answer.status == 404, path
        assert b"rss.xml" not in answer.body and b"feeds" not in answer.body


def test_validators_and_conditional_requests(served: Served) -> None:
    first = served.get("/atom.xml")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")  # strong
    assert modified.endswith(" GMT") and first.headers["cache-control"] == "no-cache"
    for headers in (
        {"If-None-Match": etag},
        {"If-None-Match": f'"other", W/{etag}'},  # If-None-Match compares weakly
        {"If-None-Match": "*"},
        {"If-Modified-Since": modified},
    ):
        answer = request(served.url, "/atom.xml", headers=headers)
        assert answer.status == 304, headers
        assert answer.body == b"" and answer.headers["etag"] == etag
    assert request(served.url, "/atom.xml", headers={"If-None-Match": '"other"'}).status == 200
    # If-None-Match decides when both are sent (RFC 9110 13.2.2)
    both = {"If-None-Match": '"other"', "If-Modified-Since": modified}
    assert request(served.url, "/atom.xml", headers=both).status == 200
    old = {"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"}
    assert request(served.url, "/atom.xml", headers=old).status == 200
    assert request(served.url, "/atom.xml", headers={"If-Modified-Since": "yesterday"}).status == 200


def test_a_rebuild_that_changes_nothing_keeps_the_validators(served: Served) -> None:
    before = served.get("/rss.xml")
    config = served.site.config
    build = served.after_next_build(lambda: config.write_text(config.read_text() + "\n# a comment\n"))
    assert build.error is None and build.result is not None
    assert build.changed == (config.resolve(),)
    assert not build.result.report.written  # the same bytes: no file rewritten
    again = served.get("/rss.xml", If_None_Match=before.headers["etag"])
    assert again.status == 304 and again.headers["etag"] == before.headers["etag"]


def test_an_article_edit_is_served_with_a_new_etag(served: Served) -> None:
    before = served.get("/atom.xml")
    served.site.article("post-3.md", ARTICLE.format(title="Post 3, edited", day=3, body="New words."))
    until(
        "the edited feed",
        lambda: served.get("/atom.xml", If_None_Match=before.headers["etag"]).status == 200,
    )
    after = served.get("/atom.xml")
    assert b"Post 3, edited" in after.body and after.headers["etag"] != before.headers["etag"]
    until("the rebuild's report", lambda: bool(served.builds))
    rebuilt = served.builds[-1].result
    assert rebuilt is not None and rebuilt.stats.parsed == 1 and rebuilt.stats.files == 3  # the cache's work


def test_head_has_the_headers_and_no_body(served: Served) -> None:
    get = served.get("/feed.json")
    head = request(served.url, "/feed.json", method="HEAD")
    assert head.status == 200 and head.body == b""
    for name in ("content-type", "content-length", "etag", "last-modified", "cache-control"):
        assert head.headers[name] == get.headers[name], name
    assert request(served.url, "/nothing.xml", method="HEAD").status == 404


@pytest.mark.parametrize(
    "path",
    [
        "/../feedpub.toml",
        "/%2e%2e/feedpub.toml",
        "/%2E%2E%2Ffeedpub.toml",
        "/..%2ffeedpub.toml",
        "/tags/../../feedpub.toml",
        "//..//feedpub.toml",
        "/./rss.xml",
        "/outside",  # a link in the output folder to the config
        "/elsewhere/feedpub.toml",  # a link to the site's folder
        "/%00rss.xml",
        "/%ff",
        "/.hidden",
        "feedpub.toml",
        "http://example.org/../feedpub.toml",
    ],
)
def test_nothing_outside_the_output_folder_is_served(served: Served, path: str) -> None:
    (served.site.feeds / "outside").symlink_to(served.site.config)
    (served.site.feeds / "elsewhere").symlink_to(served.site.root, target_is_directory=True)
    (served.site.feeds / ".hidden").write_text("hidden\n", encoding="utf-8")
    answer = request(served.url, path)
    assert answer.status in (400, 404), path
    assert b"Test Site" not in answer.body and b"hidden" not in answer.body


def test_a_link_inside_the_output_folder_is_served(served: Served) -> None:
    (served.site.feeds / "latest.xml").symlink_to(served.site.feeds / "atom.xml")
    assert served.get("/latest.xml").body == (served.site.feeds / "atom.xml").read_bytes()


# The command, as a process ------------------------------------------------------------------------


class Process:
    """`python -m feedpub serve --port 0` in `cwd`; its output read in threads, waited for with a bound."""

    def __init__(self, cwd: Path, *options: str) -> None:
        environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "feedpub", "serve", "--port", "0", *options],
            cwd=cwd,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[tuple[str, str]] = queue.Queue()
        self.seen: list[tuple[str, str]] = []
        for name, stream in (("out", self.process.stdout), ("err", self.process.stderr)):
            threading.Thread(target=self._read, args=(name, stream), daemon=True).start()
        serving = self.wait_for("out", "serving ")
        self.url = serving.split(" at ")[1].split()[0]

    def _read(self, name: str, stream: IO[str]) -> None:
        for line in stream:
            self.lines.put((name, line.rstrip("\n")))

    def wait_for(self, stream: str, text: str) -> str:
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            for name, line in self.seen:
                if name == stream and text in line:
                    self.seen.remove((name, line))
                    return line
            try:
                self.seen.append(self.lines.get(timeout=0.1))
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
        raise AssertionError(f"no {text!r} on std{stream}; saw {self.seen}")

    def interrupt(self, stop: signal.Signals = signal.SIGINT) -> int:
        self.process.send_signal(stop)
        return self.process.wait(timeout=DEADLINE)

    def output(self, stream: str) -> str:
        while True:  # what the reader threads have read by now
            try:
                self.seen.append(self.lines.get(timeout=0.5))
            except queue.Empty:
                break
        return "\n".join(line for name, line in self.seen if name == stream)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=DEADLINE)


@pytest.fixture
def process(site: SiteDir) -> Iterator[Callable[..., Process]]:
    started: list[Process] = []

    def start(*options: str) -> Process:
        started.append(Process(site.root, *options))
        return started[-1]

    yield start
    for running in started:
        running.stop()


def test_a_broken_article_keeps_the_last_good_feeds_served(site: SiteDir, process: Callable[..., Process]) -> None:
    make_site(site)
    running = process()
    good = request(running.url, "/atom.xml")
    assert good.status == 200
    site.article("post-3.md", "---\ntitle: [broken\ndate: 2026-01-03\n---\nBody.\n")
    line = running.wait_for("err", "post-3.md:")
    assert re.match(r"articles/post-3\.md:[23]: error: the front matter is not valid YAML", line), line
    running.wait_for("err", "with errors; still serving the last good feeds")
    assert request(running.url, "/atom.xml", headers={"If-None-Match": good.headers["etag"]}).status == 304
    assert (site.feeds / "atom.xml").read_bytes() == good.body
    site.article("post-3.md", ARTICLE.format(title="Post 3, mended", day=3, body="Fixed."))
    running.wait_for("out", "rebuilt (articles/post-3.md changed): wrote ")
    assert b"Post 3, mended" in request(running.url, "/atom.xml").body
    assert running.interrupt() == 0


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_stops_it_cleanly(site: SiteDir, process: Callable[..., Process], stop: signal.Signals) -> None:
    make_site(site)
    running = process()
    built = running.output("out").splitlines()[0]
    assert built.startswith("built: wrote feeds/") and "feeds/rss.xml" in built and "3 article files" in built
    assert request(running.url, "/rss.xml").status == 200
    assert running.interrupt(stop) == 0
    stderr = running.output("err")
    assert stderr.strip().endswith("feedpub serve: stopped") and "Traceback" not in stderr


def test_a_port_in_use_is_a_usage_error(site: SiteDir, invoke: Invoke) -> None:
    make_site(site)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = invoke("serve", "--config", str(site.config), "--port", str(port), code=2)
    assert f"error: could not listen on 127.0.0.1:{port}: " in result.stderr and "--port" in result.stderr
    assert not site.feeds.exists()  # nothing built for a server that could not start


def test_a_bad_now_is_a_usage_error(site: SiteDir, invoke: Invoke) -> None:
    make_site(site)
    result = invoke("serve", "--config", str(site.config), "--port", "0", "--now", "soon", code=2)
    assert "--now" in result.stderr


# The README's set-ups for nginx and Caddy ---------------------------------------------------------


def _readme_block(name: str) -> str:
    return dict(_code_blocks((ROOT / "README.md").read_text(encoding="utf-8")))[name]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def published(site: SiteDir) -> Path:
    """A web root with the site's output folder at feeds/, as the README's set-ups expect."""
    make_site(site)
    from feedpub import publish

    publish(site.config)
    (site.feeds / "index.html").write_text("<!doctype html><title>Feeds</title>\n", encoding="utf-8")
    return site.root


EXPECTED = {
    "/feeds/rss.xml": ("application/rss+xml; charset=utf-8", "no-cache"),
    "/feeds/atom.xml": ("application/atom+xml; charset=utf-8", "no-cache"),
    "/feeds/feed.json": ("application/feed+json; charset=utf-8", "no-cache"),
    "/feeds/tags/feeds/atom.xml": ("application/atom+xml; charset=utf-8", "no-cache"),
    "/feeds/index.html": ("text/html; charset=utf-8", "no-cache"),
    "/feeds/archive/1/atom.xml": ("application/atom+xml; charset=utf-8", "max-age=3600"),
    "/feeds/archive/2/rss.xml": ("application/rss+xml; charset=utf-8", "max-age=3600"),
    "/feeds/archive/1/feed.json": ("application/feed+json; charset=utf-8", "max-age=3600"),
    "/feeds/tags/feeds/archive/1/feed.json": ("application/feed+json; charset=utf-8", "max-age=3600"),
}


def _check_web_server(url: str, root: Path) -> None:
    for path, (kind, cache) in EXPECTED.items():
        answer = request(url, path)
        assert answer.status == 200, (path, answer.status)
        assert answer.body == (root / path.lstrip("/")).read_bytes()
        assert (answer.headers["content-type"], answer.headers.get("cache-control")) == (kind, cache), path
        assert answer.headers["etag"] and answer.headers["last-modified"]
        again = request(url, path, headers={"If-None-Match": answer.headers["etag"]})
        assert again.status == 304, path


def _wait_listening(url: str, server: subprocess.Popen[bytes]) -> None:
    def up() -> bool:
        assert server.poll() is None, server.communicate()
        try:
            request(url, "/feeds/rss.xml")
        except OSError:
            return False
        return True

    until(f"a server at {url}", up)


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed (apt-get install nginx)")
def test_the_readme_nginx_set_up_serves_the_feeds_right(published: Path, tmp_path: Path) -> None:
    root = published
    port = _free_port()
    nginx = tmp_path / "nginx"
    nginx.mkdir()
    snippet = _readme_block("nginx-feeds.conf")
    mime_types = next((path for path in (Path("/etc/nginx/mime.types"),) if path.exists()), None)
    config = nginx / "nginx.conf"
    config.write_text(
        textwrap.dedent(
            f"""\
            user {getpass.getuser()};
            daemon off;
            pid {nginx}/nginx.pid;
            error_log {nginx}/error.log;
            events {{}}
            http {{
                {f"include {mime_types};" if mime_types else ""}
                access_log off;
                client_body_temp_path {nginx}/body;
                proxy_temp_path {nginx}/proxy;
                fastcgi_temp_path {nginx}/fastcgi;
                uwsgi_temp_path {nginx}/uwsgi;
                scgi_temp_path {nginx}/scgi;
                server {{
                    listen 127.0.0.1:{port};
                    root {root};
                    include {nginx}/snippet.conf;
                }}
            }}
            """
        ),
        encoding="utf-8",
    )
    (nginx / "snippet.conf").write_text(snippet, encoding="utf-8")
    checked = subprocess.run(["nginx", "-t", "-c", str(config), "-p", str(nginx)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    _run_and_check(["nginx", "-c", str(config), "-p", str(nginx)], port, root)


@pytest.mark.skipif(shutil.which("caddy") is None, reason="Caddy is not installed (apt-get install caddy)")
def test_the_readme_caddy_set_up_serves_the_feeds_right(published: Path, tmp_path: Path) -> None:
    root = published
    port = _free_port()
    snippet = _readme_block("Caddyfile")
    assert "example.org {" in snippet and "root * /srv/example.org/public" in snippet
    caddyfile = tmp_path / "Caddyfile"
    caddyfile.write_text(
        "{\n\tadmin off\n}\n\n"
        + snippet.replace("example.org {", f"http://127.0.0.1:{port} {{", 1).replace(
            "/srv/example.org/public", str(root)
        ),
        encoding="utf-8",
    )
    environment = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    command = ["caddy", "validate", "--config", str(caddyfile), "--adapter", "caddyfile"]
    checked = subprocess.run(command, capture_output=True, text=True, env=environment)
    assert checked.returncode == 0, checked.stderr
    _run_and_check(["caddy", "run", "--config", str(caddyfile), "--adapter", "caddyfile"], port, root, environment)


def _run_and_check(command: list[str], port: int, root: Path, environment: dict[str, str] | None = None) -> None:
    """Start a web server, check what it serves of the built feeds at `root`, stop it."""
    server = subprocess.Popen(command, env=environment, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}/"
        _wait_listening(url, server)
        _check_web_server(url, root)
    finally:
        server.terminate()
        server.wait(timeout=DEADLINE)
