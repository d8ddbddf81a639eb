"""A real HTTP hop between a till and the server that fails as a flaky network does, on demand or seeded.

Faults (each a :data:`Fault`):

- ``drop``: the request never reaches the server; the till's connection is closed without an answer;
- ``cut``: the request reaches the server (which decides and records it); the answer is lost on the way back;
- ``delay``: the request waits a moment before it is sent on (``delay`` seconds, at most);
- ``duplicate``: the request reaches the server twice, one after the other (a client's or a proxy's retry); the
  till gets the second answer;
- ``race``: the request reaches the server twice at the same time, from two threads; the till gets one answer.

On demand (what a test says happens next)::

    with LossyProxy(server.url) as proxy:          # the till enrols with proxy.url
        proxy.lose_next("/sync/v1/authorise")       # the next answer to that path is lost ("cut")
        proxy.lose_next("/sync/v1/authorise", then_down=True)   # … and the network is gone after it
        proxy.down(); proxy.up()                    # every request dropped / passed again

Seeded (a network that misbehaves at random, the same way every time for one seed)::

    proxy = LossyProxy(server.url, seed=17, rates={"cut": 0.1, "drop": 0.1, "duplicate": 0.05})
    proxy.wild()    # from now on (calm() stops it; wild() again goes on with the same random sequence)

Each request the proxy sees draws from ``random.Random(seed)`` in the order the requests arrive, so a test that
sends its requests one at a time meets the same faults on every run of a seed. ``events`` lists what it did.
``/health`` is never faulted by the seeded mode (only by ``down``): it answers nothing that a fault could lose.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

import httpx

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}
Fault = Literal["drop", "cut", "delay", "duplicate", "race"]
FAULTS: tuple[Fault, ...] = ("drop", "cut", "delay", "duplicate", "race")


@dataclass(frozen=True, slots=True)
class Event:
    n: int  # the request's number, from 1
    path: str
    fault: Fault | None


class LossyProxy:
    def __init__(self, upstream: str, *, seed: int | None = None, rates: Mapping[Fault, float] | None = None,
                 delay: float = 0.2) -> None:
        self.upstream = httpx.Client(base_url=upstream, timeout=30)
        self._lose: list[tuple[str, bool]] = []
        self.lost: list[str] = []  # the paths whose answers were lost on demand, in order
        self.events: list[Event] = []
        self._down = False
        self._seeded = None if seed is None else random.Random(seed)
        self._random: random.Random | None = None
        self._rates = dict(rates or {})
        self._delay = delay
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _relay(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                fault = proxy._fault(self.path.split("?")[0])
                if fault == "drop":
                    self.close_connection = True  # the server never hears of it
                    return
                if fault == "delay":
                    time.sleep(proxy._delay)
                if fault == "race":
                    twin = threading.Thread(target=proxy._send, args=(self.command, self.path, body, headers))
                    twin.start()
                    answer = proxy._send(self.command, self.path, body, headers)
                    twin.join()
                else:
                    if fault == "duplicate":
                        proxy._send(self.command, self.path, body, headers)
                    answer = proxy._send(self.command, self.path, body, headers)
                if fault == "cut" or answer is None:
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
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # ---- on demand -----------------------------------------------------------------------------------------

    def lose_next(self, path: str, *, then_down: bool = False) -> None:
        """Lose the answer to the next request for ``path``; ``then_down``: and drop every request after it."""
        with self._lock:
            self._lose.append((path, then_down))

    def down(self) -> None:
        """The network is gone: every request is dropped (never reaches the server)."""
        with self._lock:
            self._down = True

    def up(self) -> None:
        with self._lock:
            self._down = False

    def wild(self) -> None:
        """Seeded faults from now on (a proxy made without a seed stays calm)."""
        with self._lock:
            self._random = self._seeded

    def calm(self) -> None:
        """No more seeded faults (the network is healthy again); ``down`` still holds until :meth:`up`."""
        with self._lock:
            self._random = None

    # ---- what happens to one request ------------------------------------------------------------------------

    def _fault(self, path: str) -> Fault | None:
        with self._lock:
            fault = self._choose(path)
            self.events.append(Event(len(self.events) + 1, path, fault))
            return fault

    def _choose(self, path: str) -> Fault | None:
        if self._down:
            return "drop"
        for i, (lost_path, then_down) in enumerate(self._lose):
            if lost_path == path:
                del self._lose[i]
                self.lost.append(path)
                self._down = then_down
                return "cut"
        if self._random is None or path.endswith("/health"):
            return None
        draw = self._random.random()
        for fault in FAULTS:
            rate = self._rates.get(fault, 0.0)
            if draw < rate:
                return fault
            draw -= rate
        return None

    def _send(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> httpx.Response | None:
        try:
            return self.upstream.request(method, path, content=body, headers=headers)
        except httpx.TransportError:
            return None  # the server went away meanwhile: the till gets no answer either

    def __enter__(self) -> LossyProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self.upstream.close()
