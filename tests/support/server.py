"""Serving a WSGI app on waitress in a background thread, as `python -m bot serve` does."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import waitress


class BackgroundServer:
    def __init__(self, application: Callable[..., Any], threads: int = 8) -> None:
        # a short select() timeout lets stop() end the serving loop at once instead of within a second
        self._server = waitress.create_server(application, host="127.0.0.1", port=0, threads=threads, asyncore_loop_timeout=0.05)
        self._stopping = False
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.effective_port}"

    def start(self) -> BackgroundServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping = True
        self._server.close()
        self._server.task_dispatcher.shutdown()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        try:
            self._server.run()
        except (OSError, ValueError):  # the listening socket closed under select() while stopping
            if not self._stopping:
                raise
