"""WebSub: every feed names the hub, and a build tells it which feeds changed (a local hub records it)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest
from conftest import SITE_CONFIG, Invoke, SiteDir, assert_valid_json_feed, parse_feed
from lxml import etree

from feedpub.build import ping as ping_module


class Hub:
    def __init__(self, status: int = 204) -> None:
        self.status = status
        self.requests: list[dict[str, list[str]]] = []
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                hub.requests.append(parse_qs(self.rfile.read(length).decode("ascii")))
                assert self.headers["Content-Type"] == "application/x-www-form-urlencoded"
                self.send_response(hub.status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def hub() -> Iterator[Hub]:
    server = Hub()
    yield server
    server.server.shutdown()


def hub_site(site: SiteDir, url: str) -> None:
    site.write_config(SITE_CONFIG + f'\n[websub]\nhub = "{url}"\n')
    site.article("a.md", "---\ntitle: A\ndate: 2026-01-02\n---\nText.\n")


def test_every_feed_names_the_hub(site: SiteDir, invoke: Invoke, hub: Hub) -> None:
    hub_site(site, hub.url)
    invoke("build", cwd=site.root)
    rss = etree.fromstring((site.feeds / "rss.xml").read_bytes())
    links = {link.get("rel"): link.get("href") for link in rss.iter("{http://www.w3.org/2005/Atom}link")}
    assert links == {"self": "https://example.org/feeds/rss.xml", "hub": hub.url}
    atom = parse_feed((site.feeds / "atom.xml").read_bytes())
    assert {link.rel: link.href for link in atom.feed.links} == {
        "alternate": "https://example.org/",
        "self": "https://example.org/feeds/atom.xml",
        "hub": hub.url,
    }
    assert assert_valid_json_feed((site.feeds / "feed.json").read_bytes())["hubs"] == [
        {"type": "WebSub", "url": hub.url}
    ]
    assert hub.requests == []  # without --ping, the hub is not told


def test_a_build_pings_for_the_feeds_it_changed_only(site: SiteDir, invoke: Invoke, hub: Hub) -> None:
    hub_site(site, hub.url)
    invoke("build", "--ping", cwd=site.root)
    assert [request["hub.url"] for request in hub.requests] == [
        ["https://example.org/feeds/rss.xml"],
        ["https://example.org/feeds/atom.xml"],
        ["https://example.org/feeds/feed.json"],
    ]
    assert all(request["hub.mode"] == ["publish"] for request in hub.requests)
    invoke("build", "--ping", cwd=site.root)  # nothing changed: nothing to tell
    assert len(hub.requests) == 3
    invoke("ping", cwd=site.root)  # feedpub ping: every feed
    assert len(hub.requests) == 6


def test_a_tag_feed_is_named_to_the_hub_by_its_url(site: SiteDir, invoke: Invoke, hub: Hub) -> None:
    # the hub is told the URL subscribers fetch, "tags/k%C3%B6ln/", not the folder's name "tags/köln/"
    site.write_config(SITE_CONFIG + f'\n[build]\ntag_feeds = true\n\n[websub]\nhub = "{hub.url}"\n')
    site.article("a.md", "---\ntitle: A\ndate: 2026-01-02\ntags: [Köln]\n---\nText.\n")
    invoke("build", "--ping", cwd=site.root)
    told = {url for request in hub.requests for url in request["hub.url"]}
    assert "https://example.org/feeds/tags/k%C3%B6ln/atom.xml" in told
    assert all(url.isascii() for url in told)
    feed = (site.feeds / "tags" / "köln" / "atom.xml").read_text(encoding="utf-8")
    assert '<link href="https://example.org/feeds/tags/k%C3%B6ln/atom.xml" rel="self"' in feed


def test_a_hub_that_fails_is_a_warning_after_one_retry(
    site: SiteDir, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = Hub(status=503)
    monkeypatch.setattr(ping_module, "RETRY_AFTER", 0.0)
    try:
        hub_site(site, failing.url)
        result = invoke("build", "--ping", cwd=site.root)
    finally:
        failing.server.shutdown()
    assert len(failing.requests) == 6  # two tries for each of three feeds
    assert f"warning: the WebSub hub {failing.url} was not told of https://example.org/feeds/rss.xml (answered 503" in (
        result.stderr
    )
    assert (site.feeds / "atom.xml").exists()


def test_ping_without_a_hub_is_a_usage_error(site: SiteDir, invoke: Invoke) -> None:
    site.article("a.md", "---\ntitle: A\ndate: 2026-01-02\n---\nText.\n")
    result = invoke("build", "--ping", cwd=site.root, code=2)
    assert "set [websub] hub" in result.stderr
