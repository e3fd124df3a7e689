"""Everything a running bot shares: settings, database, router and message delivery."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import Settings
from commands import build_router
from commands.context import Clock, Context, utc_now
from commands.delivery import Sender, deliver_due
from commands.roster import import_roster_file, list_roster
from commands.router import Router
from storage.db import Database

log = logging.getLogger(__name__)

DEMO_ROSTER = Path(__file__).parent / "demo_roster.yaml"


@dataclass
class Runtime:
    settings: Settings
    ctx: Context
    router: Router = field(default_factory=build_router)
    delivery: DeliveryWorker | None = None

    @classmethod
    def start(cls, settings: Settings, clock: Clock = utc_now) -> Runtime:
        """Open and upgrade the database and load BOT_ROSTER when it is set."""
        database = Database(settings.database_url)
        database.upgrade()
        runtime = cls(settings, Context(database, settings.options, clock))
        if settings.roster_path:
            parsed, change = import_roster_file(runtime.ctx, settings.roster_path, actor="BOT_ROSTER")
            for warning in parsed.warnings:
                log.warning(warning)
            log.info("roster %s loaded: %s", settings.roster_path, change)
        runtime.router.recover(runtime.ctx)  # e.g. reports a stopped process accepted but did not file
        return runtime

    def start_delivery(self, sender: Sender, interval: float = 5.0) -> DeliveryWorker:
        self.delivery = DeliveryWorker(self.ctx, sender, interval, recover=self.router.recover)
        self.delivery.start()
        return self.delivery

    def deliver_soon(self) -> None:
        """Wake the delivery worker: a command just put messages in the outbox."""
        if self.delivery:
            self.delivery.kick()

    def stop(self) -> None:
        if self.delivery:
            self.delivery.stop()
        self.ctx.db.dispose()


class DeliveryWorker:
    """A background thread that sends due outbox messages when woken, and every `interval`
    seconds for retries and messages other processes (the scheduler) put in the outbox;
    each round it also runs the router's recoveries (work a stopped process left behind)."""

    def __init__(self, ctx: Context, sender: Sender, interval: float, recover: Callable[[Context], None] = lambda ctx: None) -> None:
        self.ctx, self.sender, self.interval, self.recover = ctx, sender, interval, recover
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._idle = threading.Event()
        self._thread = threading.Thread(target=self._run, name="delivery", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def kick(self) -> None:
        self._idle.clear()
        self._wake.set()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        self._thread.join(timeout=10)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until the worker has gone through the outbox since the last kick (for tests and the console)."""
        return self._idle.wait(timeout)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            try:
                self.recover(self.ctx)
                while deliver_due(self.ctx, self.sender).sent:
                    pass
            except Exception:  # noqa: BLE001 - keep delivering after e.g. a database hiccup
                log.exception("delivery round failed; retrying in %s s", self.interval)
            if not self._wake.is_set():
                self._idle.set()


def load_demo_roster_if_empty(runtime: Runtime) -> bool:
    """Give the console something to work with on a fresh database (fictional people)."""
    if list_roster(runtime.ctx):
        return False
    import_roster_file(runtime.ctx, DEMO_ROSTER, actor="demo")
    return True
