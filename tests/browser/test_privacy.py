"""Loading a page asks no host but the site's own: no fonts, no counters, no CDN."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page
from project import SITE_PAGES
from site_checks import foreign_requests

if TYPE_CHECKING:
    from conftest import StaticServer

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", SITE_PAGES)
def test_pages_request_nothing_from_other_hosts(page: Page, site_url: str, path: str):
    """Every page loads with requests to 127.0.0.1 only (others are blocked and listed)."""
    assert foreign_requests(page, site_url + path) == []


def test_gate_a_third_party_script_is_caught(
    page: Page, built_site: Path, tmp_path: Path, static_server: type[StaticServer]
):
    """A copy of the home page with a CDN script added is reported (the check can fail)."""
    html = (built_site / "index.html").read_text(encoding="utf-8")
    script = '<script src="https://cdn.example/x.js"></script>'
    (tmp_path / "index.html").write_text(html.replace("</head>", script + "</head>", 1))
    with static_server(tmp_path) as server:
        foreign = foreign_requests(page, server.origin + "/")
    assert foreign == ["https://cdn.example/x.js"]
