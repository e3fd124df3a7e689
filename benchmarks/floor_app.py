"""The floor for the load benchmark: a minimal slack-bolt app that only acknowledges,
served by the same WSGI server and settings as `python -m bot serve`."""

from __future__ import annotations

import argparse
import os
import re

from slack_bolt import App
from slack_sdk import WebClient

from bot.http import serve, wsgi_app


def build_floor_app() -> App:
    app = App(
        client=WebClient(token="xoxb-floor", base_url=os.environ.get("SLACK_API_URL", "https://slack.com/api/")),
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        token_verification_enabled=False,
    )

    @app.command(re.compile(r"/.+"))
    def only_ack(ack) -> None:  # noqa: ANN001
        ack()

    @app.event("app_mention")
    def ignore_mention() -> None:
        pass

    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()
    serve(wsgi_app(build_floor_app()), "127.0.0.1", args.port, threads=args.threads)
