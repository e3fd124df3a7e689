"""Slack work through the database queue (commands.work_queue), for `serve --queue` + `worker`.

The web process acknowledges as always; bolt then hands the listener's lazy work to
`QueueingLazyRunner`, which stores the request instead of running it. A worker process
replays each stored request through its own bolt app as a "lazy only" request (bolt's
mechanism for running lazy listeners elsewhere, as its AWS Lambda adapter does), so the same
listener code runs, with `respond`, `client` and all.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltRequest
from slack_bolt.lazy_listener import LazyListenerRunner

from commands import work_queue
from commands.context import Context
from commands.work_queue import QueueWriter, Work

log = logging.getLogger(__name__)

LAZY_ONLY = "x-slack-bolt-lazy-only"
LAZY_FUNCTION = "x-slack-bolt-lazy-function-name"


class QueueingLazyRunner(LazyListenerRunner):
    """Queues lazy work in the database; runs it here (`fallback`) when the database is down
    or too slow, so nothing acknowledged is dropped (a report then goes to the outage spool)."""

    def __init__(self, writer: QueueWriter, fallback: LazyListenerRunner, logger: logging.Logger = log) -> None:
        self.writer, self.fallback, self.logger = writer, fallback, logger

    def start(self, function: Callable[..., None], request: BoltRequest) -> None:
        if not self.writer.put(request.lazy_function_name or "", request.raw_body, request.content_type or ""):
            log.warning("work queue unreachable; doing %s in this process", request.lazy_function_name)
            self.fallback.start(function, request)


def use_work_queue(app: App, ctx: Context) -> None:
    """Make `app` (a web process's) queue its lazy work instead of running it."""
    runner = app.listener_runner
    runner.lazy_listener_runner = QueueingLazyRunner(QueueWriter(ctx), runner.lazy_listener_runner)


class QueueWorker:
    """Claims queued work and replays it through `app` on a few threads; polls when idle."""

    def __init__(self, app: App, ctx: Context, *, threads: int = 4, poll_seconds: float = 0.1) -> None:
        self.app, self.ctx, self.poll_seconds = app, ctx, poll_seconds
        self._free = threading.Semaphore(threads)
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="work")
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="work-queue", daemon=True)

    def start(self) -> QueueWorker:
        self._thread.start()
        return self

    def run_forever(self) -> None:
        self._run()

    def stop_soon(self) -> None:
        """Claim nothing more (e.g. on SIGTERM); `run_forever` returns."""
        self._stopping.set()

    def stop(self) -> None:
        """Claim nothing more and finish what was started."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self._pool.shutdown(wait=True)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                claimed = self._claim()
            except Exception:  # noqa: BLE001 - e.g. the database is down: try again shortly
                log.warning("work queue unreachable; trying again", exc_info=log.isEnabledFor(logging.DEBUG))
                claimed = []
            if not claimed:
                self._stopping.wait(self.poll_seconds)

    def _claim(self) -> list[Work]:
        if not self._free.acquire(timeout=self.poll_seconds):
            return []  # every thread is busy
        capacity = 1
        while self._free.acquire(blocking=False):
            capacity += 1
        try:
            claimed = work_queue.claim(self.ctx, capacity)
        except Exception:
            self._give_back(capacity)
            raise
        self._give_back(capacity - len(claimed))
        for work in claimed:
            self._pool.submit(self._do, work)
        return claimed

    def _give_back(self, slots: int) -> None:
        for _ in range(slots):
            self._free.release()

    def _do(self, work: Work) -> None:
        try:
            response = self.app.dispatch(replayed(work))
            if response.status != 200:
                log.error("queued work %s (%s) matched no listener (status %s); dropped", work.id, work.handler, response.status)
            work_queue.finish(self.ctx, work)
        except Exception:  # noqa: BLE001 - the lease runs out and the work is claimed again
            log.exception("queued work %s (%s) failed; it is retried when its lease runs out", work.id, work.handler)
        finally:
            self._free.release()


def replayed(work: Work) -> BoltRequest:
    """The stored request as a lazy-only request for the one listener function it was queued for."""
    headers = {"content-type": work.content_type, LAZY_ONLY: "1", LAZY_FUNCTION: work.handler}
    return BoltRequest(body=work.body, headers=headers)
