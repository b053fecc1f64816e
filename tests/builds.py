"""What the session's builds of the editions leave (``conftest.py``), in a module of
its own so that one pytest-xdist worker can hand them to another (``jobs.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tools import SLUG, Build


@dataclass
class DistBuild(Build):
    """The `make dist` site, with the build folder that also holds its EPUB and PDF."""

    builddir: Path = field(default=Path())

    @property
    def epub_file(self) -> Path:
        return self.builddir / "epub" / f"{SLUG}.epub"

    @property
    def pdf_file(self) -> Path:
        return self.builddir / "latex" / f"{SLUG}.pdf"


@dataclass
class PdfBuild(Build):
    pdf: Path
    latex_log: str


@dataclass
class ElsewhereBuild(Build):
    """A clean HTML build of a copy of the sources, with what it wrote as it first was."""

    src: Path = field(default=Path())
    doctrees: Path = field(default=Path())
    digest: dict[str, str] = field(default_factory=dict)


@dataclass
class AnotherBuild:
    """Another book's web edition, EPUB and PDF, built from its folder (``src``)."""

    src: Path
    html: Build
    epub_file: Path
    pdf: PdfBuild
