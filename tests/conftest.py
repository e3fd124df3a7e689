"""Shared fixtures: databases, the clock, a runtime, and the bot served over HTTP with a fake Slack."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.config import Settings
from bot.http import wsgi_app
from bot.runtime import Runtime
from bot.slack.app import build_app, start_slack_delivery
from bot.slack.client import web_client
from bot.slack.work_queue import QueueWorker, use_work_queue
from commands import build_router
from commands.context import Context, Options
from commands.roster import import_roster_file
from commands.router import Router
from storage.db import Database
from tests.support.clock import FakeClock
from tests.support.databases import DatabaseFactory
from tests.support.fake_slack_api import FakeSlackAPI
from tests.support.server import BackgroundServer
from tests.support.signed_slack import SignedSlack

FIXTURES = Path(__file__).parent / "fixtures"
SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
SEAL_KEY = "test-seal-key-0123456789abcdef0123456789"
BOT_TOKEN = "xoxb-test-token"


@pytest.fixture(scope="session")
def database_factory(tmp_path_factory: pytest.TempPathFactory) -> DatabaseFactory:
    return DatabaseFactory(tmp_path_factory.mktemp("databases"))


@pytest.fixture
def database(database_factory: DatabaseFactory, request: pytest.FixtureRequest) -> Iterator[Database]:
    db = database_factory.fresh(re.sub(r"\W", "_", request.node.name)[:80])
    yield db
    db.dispose()


@pytest.fixture
def database_url(database: Database) -> str:
    """The URL of this test's fresh database, for a bot started as a separate process."""
    return database.url


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def options(tmp_path: Path) -> Options:
    """Options with a seal key (anonymous reports) and this test's own spool directory."""
    return Options(seal_key=SEAL_KEY, spool_dir=tmp_path / "spool")


@pytest.fixture
def router() -> Router:
    return build_router()


@pytest.fixture
def ctx(database: Database, clock: FakeClock, options: Options) -> Context:
    return Context(database, options, clock)


@pytest.fixture
def roster(ctx: Context) -> Context:
    """The context with the test roster (tests/fixtures/roster.yaml) loaded."""
    import_roster_file(ctx, FIXTURES / "roster.yaml")
    return ctx


@pytest.fixture
def fake_slack() -> Iterator[FakeSlackAPI]:
    fake = FakeSlackAPI().start()
    yield fake
    fake.stop()


@dataclass
class SlackBot:
    """The bot in HTTP mode on a real server, with a fake Slack Web API behind it."""

    runtime: Runtime
    fake: FakeSlackAPI
    slack: SignedSlack
    url: str

    @property
    def ctx(self) -> Context:
        return self.runtime.ctx

    def delivered(self) -> None:
        """Wait until the delivery worker has sent what commands put in the outbox."""
        assert self.runtime.delivery is not None
        self.runtime.delivery.kick()
        assert self.runtime.delivery.wait_idle(10), "delivery did not finish"


@pytest.fixture(params=["inline", "queued"])
def slack_bot(roster: Context, fake_slack: FakeSlackAPI, request: pytest.FixtureRequest) -> Iterator[SlackBot]:
    """Every Slack test runs twice: with the work done in the web process (`serve`), and with
    the work queued in the database for a worker (`serve --queue` + `worker`)."""
    settings = Settings(
        database_url=roster.db.url,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.url,
        options=roster.options,
    )
    runtime = Runtime(settings, roster)
    client = web_client(BOT_TOKEN, fake_slack.url, timeout=3)
    app = build_app(runtime, client)
    queued = request.param == "queued"
    worker = QueueWorker(build_app(runtime, client, for_worker=True), runtime.ctx, poll_seconds=0.02) if queued else None
    if worker:
        use_work_queue(app, runtime.ctx)
        worker.start()
    start_slack_delivery(runtime, client)
    server = BackgroundServer(wsgi_app(app, runtime, queued=queued)).start()
    try:
        yield SlackBot(runtime, fake_slack, SignedSlack(server.url, SIGNING_SECRET, fake_slack.base), server.url)
    finally:
        server.stop()
        if worker:
            worker.stop()
        runtime.stop()
