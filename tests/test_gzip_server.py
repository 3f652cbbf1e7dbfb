"""The local server of the browser tests and the audit (scripts/gzip_server.py).

A browser that closes a page while a file is still on its way hangs up mid-answer; the
server takes that as normal and prints nothing, but any other error keeps its traceback.
"""

from __future__ import annotations

import gzip
import sys
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from gzip_server import GzipServer


def error_output(server: GzipServer, error: Exception, capsys: pytest.CaptureFixture[str]) -> str:
    """What the server prints when handling a request raised ``error``."""
    try:
        raise error
    except type(error):
        server.httpd.handle_error(None, ("127.0.0.1", 1))  # type: ignore[arg-type]
    return capsys.readouterr().err


def test_a_client_that_hangs_up_leaves_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """A broken pipe or a reset connection is the browser's doing: nothing is printed."""
    with GzipServer(tmp_path) as server:
        assert error_output(server, BrokenPipeError(32, "Broken pipe"), capsys) == ""
        assert error_output(server, ConnectionResetError(104, "reset"), capsys) == ""


def test_any_other_error_is_printed_with_its_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """A fault of the server itself still shows, traceback and all."""
    with GzipServer(tmp_path) as server:
        printed = error_output(server, ValueError("a bug in the handler"), capsys)
    assert "Traceback" in printed
    assert "ValueError: a bug in the handler" in printed


def test_text_is_gzipped_for_a_browser_that_asks(tmp_path: Path):
    """An HTML file comes gzipped, as GitHub Pages sends it, and unpacks to the file."""
    (tmp_path / "index.html").write_text("<p>" + "virtual machine " * 100, encoding="utf-8")
    with GzipServer(tmp_path) as server:
        url = server.origin + "/"
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310 - the test's own server
        with urllib.request.urlopen(request) as reply:  # noqa: S310 - the test's own server
            assert reply.headers["Content-Encoding"] == "gzip"
            body = gzip.decompress(reply.read())
    assert body == (tmp_path / "index.html").read_bytes()
