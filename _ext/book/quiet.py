"""A successful build prints Sphinx's progress and nothing else.

MyST-Parser logs its whole configuration (``myst v5.2.0: MdParserConfig(...)``, one
line of some 1,300 characters) at the start of every build.  That line is dropped
from the log, unless Sphinx runs with ``-v``; the upstream text is in
``docs/upstream.md``.  The filter can go once MyST-Parser logs it only verbosely.
"""

from __future__ import annotations

import logging

from sphinx.application import Sphinx
from sphinx.config import Config

#: The logger MyST-Parser's Sphinx extension writes the configuration line to.
MYST_LOGGER = "sphinx.myst_parser.sphinx_ext.main"


class DropConfigurationDump(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "MdParserConfig(" not in record.getMessage()


_filter = DropConfigurationDump()


def quieten(app: Sphinx, config: Config) -> None:
    logger = logging.getLogger(MYST_LOGGER)
    if app.verbosity > 0:
        logger.removeFilter(_filter)
    elif _filter not in logger.filters:
        logger.addFilter(_filter)


def setup(app: Sphinx) -> None:
    app.connect("config-inited", quieten)
