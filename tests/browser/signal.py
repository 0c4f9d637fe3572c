"""A TCP relay between a phone and the node that can lose its signal, for page and worker alike.

Chromium's emulated offline state covers the page, but a request the service worker or the
browser itself makes can still reach the node; a relay that refuses and drops every connection
cuts them all, as a phone without signal does.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from urllib.parse import urlsplit


class SignalRelay:
    """Listens on 127.0.0.1, forwards to the node while the signal is up, drops all when cut."""

    def __init__(self, node_url: str) -> None:
        target = urlsplit(node_url)
        self.target = (target.hostname or "127.0.0.1", target.port or 80)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.signal = True
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self) -> None:
        """No signal: every open connection is dropped and new ones are closed at once."""
        with self.lock:
            self.signal = False
            dropped, self.open = self.open, set()
        for sock in dropped:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def restore(self) -> None:
        """Signal back: connections are forwarded again."""
        with self.lock:
            self.signal = True

    def close(self) -> None:
        """Stop listening and drop everything."""
        self.cut()
        with contextlib.suppress(OSError):
            self.listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                up = self.signal
            if not up:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.open |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with self.lock:
                self.open.discard(sock)
