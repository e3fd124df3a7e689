"""Building the bolt App: the one place that wires every listener."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient

from bot.runtime import Runtime
from bot.slack import listeners
from bot.slack.client import web_client
from bot.slack.sender import SlackSender


def build_app(runtime: Runtime, client: WebClient | None = None, *, verify_token: bool = True,
              for_worker: bool = False) -> App:
    """The bolt app for HTTP or Socket Mode; listeners ack first and work after the ack.

    `for_worker`: the app of a worker process, which replays queued requests (bot.slack.work_queue)
    that a web process verified when they arrived; their signatures may be older than five minutes.
    """
    settings = runtime.settings
    client = client or web_client(settings.slack_bot_token, settings.slack_api_url)
    app = App(
        client=client,  # carries the bot token
        signing_secret=settings.slack_signing_secret,
        process_before_response=True,  # ack in the request thread; work runs as lazy listeners
        token_verification_enabled=verify_token,
        request_verification_enabled=not for_worker,
        # A few workers for the work after the ack: more would only compete with the request
        # threads for the interpreter lock (and, on SQLite, for the one write lock); measured
        # with benchmarks/load_benchmark.py.
        listener_executor=ThreadPoolExecutor(max_workers=4, thread_name_prefix="listener"),
    )
    listeners.register(app, runtime)
    return app


def start_slack_delivery(runtime: Runtime, client: WebClient) -> None:
    runtime.start_delivery(SlackSender(client))
