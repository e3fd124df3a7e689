"""Slack HTTP mode: a WSGI app (POST /slack/events, GET /healthz) served by waitress."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

import waitress
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.runtime import Runtime

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def wsgi_app(app: App, runtime: Runtime | None = None) -> WsgiApp:
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return _health(runtime, start_response)
        return slack(environ, start_response)

    return application


def _health(runtime: Runtime | None, start_response: Callable[..., Any]) -> Iterable[bytes]:
    database_ok = runtime.ctx.db.ping() if runtime else True
    body = json.dumps({"status": "ok" if database_ok else "degraded", "database": database_ok}).encode()
    status = "200 OK" if database_ok else "503 Service Unavailable"
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def serve(application: WsgiApp, host: str, port: int, threads: int = 16) -> None:
    """Run until interrupted on waitress, a production WSGI server (not bolt's dev server)."""
    log.info("listening on http://%s:%s%s", host, port, EVENTS_PATH)
    waitress.serve(application, host=host, port=port, threads=threads, ident="infobot", clear_untrusted_proxy_headers=True)
