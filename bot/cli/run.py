"""Running the bot: console chat, Socket Mode (default command) and HTTP mode (`serve`)."""

from __future__ import annotations

import argparse
import logging
import signal

from bot.config import ConfigError, Settings
from bot.reminder_jobs import add_reminder_jobs
from bot.runtime import Runtime, load_demo_roster_if_empty
from bot.scheduler import ActiveScheduler
from bot.slack.sender import SlackSender

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as", dest="user_id", default="U01EMP", metavar="USER_ID",
                        help="console: wie je bent (een id uit het rooster; standaard U01EMP, een medewerker)")


def add_subcommands(subcommands: argparse._SubParsersAction) -> None:
    serve = subcommands.add_parser(
        "serve",
        help="Slack HTTP-modus (Events API) op een productieserver",
        description="Luistert op POST /slack/events (events, slash-commando's, knoppen) en GET /healthz. "
        "Vereist SLACK_BOT_TOKEN en SLACK_SIGNING_SECRET; SLACK_API_URL wijst optioneel naar een andere Web API.",
    )
    serve.add_argument("--port", type=int, default=3000, help="poort (standaard 3000)")
    serve.add_argument("--host", default="0.0.0.0", help="adres (standaard 0.0.0.0)")
    serve.add_argument("--threads", type=int, default=None,
                       help="aantal werkthreads van de server (standaard 16; met --queue 64: die wachten vooral)")
    serve.add_argument("--queue", action="store_true",
                       help="alleen bevestigen: het werk daarna gaat via de database naar 'worker'-processen "
                       "(sneller onder belasting; zie README)")
    serve.set_defaults(handler=run_http)

    worker = subcommands.add_parser(
        "worker",
        help="doet het werk dat 'serve --queue' in de wachtrij zet (draai er één of meer)",
        description="Haalt verzoeken uit de wachtrij in de database (gezet door 'serve --queue') en doet het werk: "
        "antwoorden, meldingen inschrijven en routeren, oproepen. Vereist SLACK_BOT_TOKEN.",
    )
    worker.add_argument("--threads", type=int, default=4, help="hoeveel verzoeken tegelijk (standaard 4)")
    worker.set_defaults(handler=run_worker)

    scheduler = subcommands.add_parser(
        "scheduler",
        help="het tijdproces: herinneringen, escalaties, afleveren (draai er precies één)",
        description="Draait de planner: herinneringen, escalaties van oproepen, termijnbewaking en het afleveren "
        "van berichten. Hoort naast 'serve' als tweede proces (zie Procfile). Vereist SLACK_BOT_TOKEN.",
    )
    scheduler.set_defaults(handler=run_scheduler)


def run_default(args: argparse.Namespace, settings: Settings) -> int:
    return run_socket_mode(settings) if settings.socket_mode else run_console(args, settings)


def run_console(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import Console

    logging.getLogger().setLevel(logging.WARNING)  # keep the chat readable
    runtime = Runtime.start(settings)
    console = Console(runtime, args.user_id)
    if load_demo_roster_if_empty(runtime):
        console.say("Demorooster geladen (fictieve mensen). Eigen rooster: python -m bot roster import FILE")
    scheduler = ActiveScheduler(runtime, console.sender, blocking=False)
    scheduler.start(add_reminder_jobs)
    try:
        console.run()
    finally:
        scheduler.shutdown()
        runtime.stop()
    return 0


def run_socket_mode(settings: Settings) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.slack.app import build_app, start_slack_delivery

    runtime = Runtime.start(settings)
    app = build_app(runtime)
    start_slack_delivery(runtime, app.client)
    scheduler = ActiveScheduler(runtime, SlackSender(app.client), blocking=False)
    scheduler.start(add_reminder_jobs)
    log.info("connecting to Slack in Socket Mode")
    try:
        SocketModeHandler(app, settings.slack_app_token).start()
    finally:
        scheduler.shutdown()
        runtime.stop()
    return 0


def run_http(args: argparse.Namespace, settings: Settings) -> int:
    from bot.http import serve, wsgi_app
    from bot.slack.app import build_app, start_slack_delivery
    from bot.slack.work_queue import use_work_queue

    if not settings.slack_signing_secret or not settings.slack_bot_token:
        raise ConfigError("HTTP-modus vereist SLACK_SIGNING_SECRET en SLACK_BOT_TOKEN (zie README).")
    runtime = Runtime.start(settings)
    app = build_app(runtime)
    if args.queue:
        use_work_queue(app, runtime.ctx)
    start_slack_delivery(runtime, app.client)
    try:
        # with --queue a request thread mostly waits for the queue's group commit, so more of them pay
        threads = args.threads or (64 if args.queue else 16)
        serve(wsgi_app(app, runtime, queued=args.queue), args.host, args.port, threads=threads)
    finally:
        runtime.stop()
    return 0


def run_worker(args: argparse.Namespace, settings: Settings) -> int:
    from bot.slack.app import build_app, start_slack_delivery
    from bot.slack.work_queue import QueueWorker

    if not settings.slack_bot_token:
        raise ConfigError("De worker vereist SLACK_BOT_TOKEN (zie README).")
    runtime = Runtime.start(settings)
    app = build_app(runtime, for_worker=True)
    start_slack_delivery(runtime, app.client)
    worker = QueueWorker(app, runtime.ctx, threads=args.threads)
    signal.signal(signal.SIGTERM, lambda *_: worker.stop_soon())  # finish the work in hand, then stop
    log.info("working through the queue with %s threads", args.threads)
    try:
        worker.run_forever()  # until interrupted
    finally:
        worker.stop()
        runtime.stop()
    return 0


def run_scheduler(args: argparse.Namespace, settings: Settings) -> int:
    from bot.slack.client import web_client

    if not settings.slack_bot_token:
        raise ConfigError("Het tijdproces vereist SLACK_BOT_TOKEN om berichten af te leveren (zie README).")
    runtime = Runtime.start(settings)
    scheduler = ActiveScheduler(runtime, SlackSender(web_client(settings.slack_bot_token, settings.slack_api_url)), blocking=True)
    try:
        scheduler.start(add_reminder_jobs)  # blocks until interrupted
    finally:
        scheduler.shutdown()
        runtime.stop()
    return 0
