"""Keep the configuration identical from one build to the next.

Sphinx compares the configuration pickled with the environment against the
one it has just read, before the builder and its theme are set up.  Two
things change the configuration after that point, so every rebuild reports
"The configuration has changed":

* furo registers ``pygments_dark_style`` only when the HTML builder loads the
  theme;
* sphinx-design appends its static folder to ``html_static_path`` when the
  builder starts.

This extension does both early, the same way on every run, so an unchanged
rebuild re-reads and rewrites nothing.  Furo's own event handlers still run
only for builds that use the furo theme.
"""

from __future__ import annotations

import functools
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging
from sphinx_design.extension import STATIC_DIR

logger = logging.getLogger(__name__)

SPHINX_DESIGN_STATIC = str(STATIC_DIR)


def _for_furo_builds_only(handler):
    """Wrap one of furo's event handlers so it runs only where furo is the theme."""

    @functools.wraps(handler)
    def wrapper(app: Sphinx, *args: Any) -> Any:
        theme = getattr(app.builder, "theme", None)
        if theme is not None and theme.name == "furo":
            return handler(app, *args)
        return None

    return wrapper


def load_theme_early(app: Sphinx, config: Config) -> None:
    """Register furo (and its config value) before Sphinx compares configurations."""
    if "sphinx_design" in app.extensions and SPHINX_DESIGN_STATIC not in config.html_static_path:
        config.html_static_path = [*config.html_static_path, SPHINX_DESIGN_STATIC]
    if config.html_theme != "furo" or "furo" in app.extensions:
        return
    app.setup_extension("furo")
    for event, listeners in app.events.listeners.items():
        for listener in list(listeners):
            if listener.handler.__module__ == "furo":
                app.disconnect(listener.id)
                wrapped = _for_furo_builds_only(listener.handler)
                app.connect(event, wrapped, priority=listener.priority)
    logger.debug("[book] furo loaded before the environment")


def drop_duplicate_static_path(app: Sphinx) -> None:
    """sphinx-design appends its folder again when the builder starts; keep one."""
    app.config.html_static_path = list(dict.fromkeys(app.config.html_static_path))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", load_theme_early)
    app.connect("builder-inited", drop_duplicate_static_path, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
