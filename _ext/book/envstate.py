"""A set of document names kept in the build environment, for the pages a module
writes again when something they show has changed.

Sphinx keeps what extensions note per document only if they forget a document when it
is read again or removed (``env-purge-doc``) and gather what parallel readers noted
(``env-merge-info``); :class:`DocSet` does both for one attribute of the environment.
"""

from __future__ import annotations

from collections.abc import Set

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


class DocSet:
    """Document names in the environment attribute *name*."""

    def __init__(self, name: str) -> None:
        self.name = name

    def of(self, env: BuildEnvironment) -> set[str]:
        if not hasattr(env, self.name):
            setattr(env, self.name, set())
        return getattr(env, self.name)

    def purge(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        self.of(env).discard(docname)

    def merge(
        self, app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment
    ) -> None:
        self.of(env).update(self.of(other) & set(docnames))

    def connect(self, app: Sphinx) -> None:
        """Keep the set with the environment (for ``setup()``)."""
        app.connect("env-purge-doc", self.purge)
        app.connect("env-merge-info", self.merge)
