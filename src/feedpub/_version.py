"""feedpub's version, for --version and the feeds' generator element.

The one place it is written: pyproject.toml reads it from here (`[tool.setuptools.dynamic]`).
A literal, not importlib.metadata, which would add ~0.05 s to every start.
"""

__version__ = "0.1.0"
