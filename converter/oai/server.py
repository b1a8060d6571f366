"""The OAI-PMH provider on HTTP: the standard library's threading server answering GET and POST
at ``/oai`` with the response documents of :mod:`.protocol`.

The archive's manifest is read again whenever it changes (a new archive run), so a harvest in
progress sees the change as a refused resumption token rather than a list that moved under it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from lxml import etree

from ..errors import OutputError
from . import repository
from .protocol import PAGE_SIZE, Provider, respond

PATH = "/oai"
#: The largest POST body read (an OAI request is a few arguments).
MAX_BODY = 64 * 1024


class Archive:
    """The provider of an archive folder, reloaded when its manifest changes."""

    def __init__(self, folder: Path, base_url: str, page_size: int = PAGE_SIZE) -> None:
        self.folder = folder
        self.base_url = base_url
        self.page_size = page_size
        self._lock = threading.Lock()
        self._seen: tuple[int, int] | None = None
        self._provider = self._load()

    def _signature(self) -> tuple[int, int] | None:
        try:
            st = (self.folder / repository.MANIFEST).stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    def _load(self) -> Provider:
        self._seen = self._signature()
        return Provider(repository.load(self.folder), self.base_url, page_size=self.page_size)

    def provider(self) -> Provider:
        with self._lock:
            if self._signature() != self._seen:
                self._provider = self._load()
            return self._provider


def make_server(
    folder: Path, host: str, port: int, base_url: str | None = None, page_size: int = PAGE_SIZE
) -> tuple[ThreadingHTTPServer, Archive]:
    """A server for the archive in ``folder``, bound (port 0: a free one), not yet serving."""
    try:
        server = ThreadingHTTPServer((host, port), _Handler)
    except OSError as exc:
        raise OutputError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}", path=folder
        ) from None
    bound_host, bound_port = str(server.server_address[0]), int(server.server_address[1])
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    try:
        archive = Archive(folder, base_url or f"http://{shown}:{bound_port}{PATH}", page_size)
    except BaseException:
        server.server_close()
        raise
    server.archive = archive  # type: ignore[attr-defined]
    server.daemon_threads = True
    return server, archive


def serve(
    folder: Path, host: str, port: int, base_url: str | None, say: Callable[[str], None]
) -> None:
    """Serve the archive until interrupted (Ctrl-C ends it normally)."""
    server, archive = make_server(folder, host, port, base_url)
    provider = archive.provider()
    for warning in provider.repository.warnings:
        say(f"newspaper-tei: {warning}")
    say(f"OAI-PMH at {archive.base_url} ({len(provider.repository.items)} items); Ctrl-C stops it")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


class _Handler(BaseHTTPRequestHandler):
    server_version = "newspaper-tei-oai"

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path != PATH:
            self._not_found()
            return
        self._answer(parse_qsl(parts.query, keep_blank_values=True))

    def do_POST(self) -> None:
        if urlsplit(self.path).path != PATH:
            self._not_found()
            return
        kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if kind != "application/x-www-form-urlencoded" or not 0 <= length <= MAX_BODY:
            self.send_error(400, "an OAI-PMH POST is a form of at most 64 KiB")
            return
        body = self.rfile.read(length).decode("utf-8", "replace")
        self._answer(parse_qsl(body, keep_blank_values=True))

    def _answer(self, arguments: list[tuple[str, str]]) -> None:
        archive: Archive = self.server.archive  # type: ignore[attr-defined]
        try:
            provider = archive.provider()
        except Exception as exc:  # the manifest went away or broke: say so, keep serving
            self.send_error(503, f"the archive cannot be read: {exc}")
            return
        root = respond(provider, arguments, dt.datetime.now(dt.UTC))
        data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _not_found(self) -> None:
        self.send_error(404, f"the OAI-PMH interface is at {PATH}")

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a harvest makes many requests, none of which the user needs to see."""
