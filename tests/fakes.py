"""A small HTTP server on 127.0.0.1 that records every request and answers as a test tells it.

Used two ways: as a trap (a query or document that must not reach out to it: the test
checks it received nothing), and as a faulty SPARQL store (slow, dripping, answering
garbage or a DOCTYPE bomb) behind the remote backend.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self

#: How the server answers: (status, content type, body), after an optional pause.
Answer = tuple[int, str, bytes]


class FakeServer:
    """Records (method, path) of each request; answers with ``answer()`` after ``delay`` seconds."""

    def __init__(
        self,
        answer: Callable[[], Answer] | None = None,
        delay: float = 0.0,
        drip: float = 0.0,
        headers: list[tuple[str, str]] | None = None,
    ) -> None:
        self.requests: list[tuple[str, str]] = []
        self.headers = headers or []  # sent with every answer
        self.answer = answer or (lambda: (500, "text/plain", b"no"))
        self.delay = delay
        self.drip = drip  # seconds between the body's bytes, for a store that sends slowly
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def handle_one(self) -> None:
                fake.requests.append((self.command, self.path))
                if fake.delay:
                    time.sleep(fake.delay)
                status, media_type, body = fake.answer()
                self.send_response(status)
                self.send_header("Content-Type", media_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in fake.headers:
                    self.send_header(name, value)
                self.end_headers()
                try:
                    if fake.drip:
                        for byte in body:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(fake.drip)
                    else:
                        self.wfile.write(body)
                except OSError:
                    pass  # the client gave up: what the test wants

            do_GET = do_POST = do_PUT = handle_one

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.server.shutdown()
        self.server.server_close()
