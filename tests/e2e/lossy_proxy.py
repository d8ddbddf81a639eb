"""A real HTTP hop between a till and the server that can lose the server's answer, as a flaky network does.

The request reaches the server (which decides and records it); the till gets no answer: the connection is
closed without a response, which the till's client sees as a transport error (the server "did not answer").
Everything else passes through unchanged.

    with LossyProxy(server.url) as proxy:       # the till enrols with proxy.url
        proxy.lose_next("/sync/v1/authorise")
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


class LossyProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = httpx.Client(base_url=upstream, timeout=30)
        self._lose: list[str] = []
        self.lost: list[str] = []  # the paths whose answers were lost, in order
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _relay(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                answer = proxy.upstream.request(self.command, self.path, content=body, headers=headers)
                if proxy._take(self.path.split("?")[0]):
                    self.close_connection = True  # the server has decided; the till never hears of it
                    return
                self.send_response(answer.status_code)
                for key, value in answer.headers.items():
                    if key.lower() not in _HOP_BY_HOP | {"content-encoding", "date", "server"}:
                        self.send_header(key, value)
                self.send_header("content-length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = _relay

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def lose_next(self, path: str) -> None:
        """Lose the answer to the next request for ``path``."""
        with self._lock:
            self._lose.append(path)

    def _take(self, path: str) -> bool:
        with self._lock:
            if path in self._lose:
                self._lose.remove(path)
                self.lost.append(path)
                return True
            return False

    def __enter__(self) -> LossyProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self.upstream.close()
