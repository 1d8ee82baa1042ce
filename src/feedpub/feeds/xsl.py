"""The XSL stylesheet that browsers show RSS and Atom with (`[build] xsl`): `feed.xsl`, package data.

One file for both formats, written into the output folder beside the feeds; each RSS and Atom
document names it by a path relative to itself (`feed.xsl`, `../../feed.xsl` from a topic's or an
archive page's folder), since a browser applies a stylesheet only from the document's own origin:
a relative path holds wherever the folder is served, a local preview included.
"""

from __future__ import annotations

from importlib.resources import files

__all__ = ["stylesheet"]


def stylesheet() -> bytes:
    return files("feedpub.feeds").joinpath("feed.xsl").read_bytes()
