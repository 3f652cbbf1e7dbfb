"""Build-time half of the in-browser runner: Pyodide and vmconcepts in the site.

What each example needs to run is written into its code block as the Markdown renders,
by the Markdown extension examples_pipeline.markdown. This hook has one job, failing loudly:
check at start-up that the pinned Pyodide is installed, and after the build put the
runtime and a fresh build of vmconcepts into the site: both are jobs of the plain command
``python -m examples_pipeline.bundle SITE_DIR`` (examples_pipeline.bundle), which a
builder that ignores MkDocs hooks runs itself after building.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from examples_pipeline.bundle import BundleError, bundle, check_pyodide

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Fail at once, with the fix, when the pinned Pyodide is not installed."""
    try:
        check_pyodide()
    except BundleError as error:
        raise PluginError(str(error)) from None
    return config


def on_post_build(config: MkDocsConfig) -> None:
    """Put Pyodide and a fresh build of vmconcepts into the site (examples_pipeline.bundle)."""
    try:
        bundle(Path(config.site_dir))
    except BundleError as error:
        raise PluginError(str(error)) from None
