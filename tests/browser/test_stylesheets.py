"""No stylesheet is loaded again once the page has a body.

With instant navigation the theme, when it starts, gives every relative link of the page
its absolute URL. A stylesheet's <link> whose URL is set again is loaded and parsed again,
and a sheet that changes makes the browser restyle every element: on a long page a quarter
of a second of a phone's time (README). overrides/main.html makes the stylesheets' URLs
absolute in the <head>, before the body exists, so the theme leaves them alone.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from project import SITE_PAGES
from site_checks import open_page

pytestmark = pytest.mark.browser

# From before the page's first byte: each change of a <link>'s URL once the body exists.
RECORD_LINK_CHANGES = """
window.linkChanges = [];
new MutationObserver((records) => {
  for (const { target } of records) {
    if (target.localName === "link" && document.body) window.linkChanges.push(target.outerHTML);
  }
}).observe(document, { subtree: true, attributeFilter: ["href"] });
"""


@pytest.mark.parametrize("path", ["", "reference/cloud/", "containers/"])
def test_no_stylesheet_is_loaded_again(page: Page, site_url: str, path: str):
    """Loading a page and letting the theme start changes no <link> once the body exists."""
    assert path in SITE_PAGES
    page.add_init_script(RECORD_LINK_CHANGES)
    open_page(page, site_url + path)
    assert page.evaluate("window.linkChanges") == []
    sheets = page.evaluate("[...document.styleSheets].map(sheet => sheet.href).filter(Boolean)")
    assert len(sheets) >= 4, sheets
    assert all(sheet.startswith(site_url) for sheet in sheets), sheets
