"""Serve a built site on 127.0.0.1 the way GitHub Pages does: gzip for text, short caching.

GitHub Pages compresses HTML, CSS, JavaScript, JSON and SVG with gzip when the
browser asks for it, and lets browsers cache every file for ten minutes.
``make audit`` measures the site behind this server so that the bytes it
reports are the bytes a reader downloads.

Run on its own to look at a build: ``python scripts/gzip_server.py site --port 8000``.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import socket
import sys
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self

# What GitHub Pages compresses; images other than SVG and fonts are compressed already.
COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "application/xml",
    "image/svg+xml",
)
# GitHub Pages' Cache-Control for every file.
CACHE_CONTROL = "max-age=600"
GZIP_LEVEL = 6


class GzipHandler(SimpleHTTPRequestHandler):
    """Serves files, gzipped when the client accepts gzip and the type is text."""

    extensions_map = {  # noqa: RUF012 - the base class declares it as a plain dict
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "application/javascript",
        ".mjs": "application/javascript",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".wasm": "application/wasm",
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """Stay quiet: a page load makes dozens of requests."""

    def send_head(self) -> object:
        """Answer with the gzipped file when that applies; otherwise as the base class does."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the base class redirects to the slash URL
            path /= "index.html"
        content_type = self.guess_type(str(path))
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (path.is_file() and accepts_gzip and content_type.startswith(COMPRESSIBLE)):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=GZIP_LEVEL, mtime=0)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return _Body(body)

    def end_headers(self) -> None:
        """Add GitHub Pages' caching header to every answer."""
        self.send_header("Cache-Control", CACHE_CONTROL)
        super().end_headers()


class _Body:
    """A bytes body that ``SimpleHTTPRequestHandler.do_GET`` can copy out and close."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.done = False

    def read(self, size: int = -1) -> bytes:
        """Return the whole body once, then nothing."""
        del size
        if self.done:
            return b""
        self.done = True
        return self.data

    def close(self) -> None:
        """Nothing to release."""


class _QuietServer(ThreadingHTTPServer):
    """A threading HTTP server that lets a browser hang up mid-answer without a traceback."""

    def handle_error(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: object
    ) -> None:
        """Ignore a client that closed its connection (a page closed while it loaded)."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class GzipServer:
    """Serves a directory with gzip on 127.0.0.1, in a background thread.

    Subclasses may set ``handler_class`` to serve the files another way
    (the browser tests serve them plain).
    """

    handler_class: type[SimpleHTTPRequestHandler] = GzipHandler

    def __init__(self, directory: Path, port: int = 0) -> None:
        handler = functools.partial(self.handler_class, directory=str(directory))
        self.httpd = _QuietServer(("127.0.0.1", port), handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def main() -> None:
    """Serve a directory until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="the built site, e.g. site")
    parser.add_argument("--port", type=int, default=8000, help="TCP port on 127.0.0.1")
    args = parser.parse_args()
    with GzipServer(args.directory, args.port) as server:
        print(f"Serving {args.directory} with gzip on {server.origin}/ (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            server.thread.join()


if __name__ == "__main__":
    main()
