"""A fake Slack Web API on loopback that records every call (like bolt-python's own tests).

Point the bot at `FakeSlackAPI.url` through SLACK_API_URL. Every request to
`/api/<method>` is recorded with its parameters (form or JSON, `blocks` decoded) and
answered like Slack would. `fail()` queues faults (429 with Retry-After, 5xx, slow
answers) for the next calls of a method. `response_url()` gives URLs for the
response_url in slash-command and interaction payloads; posts to them are recorded as
method "response_url".
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)


@dataclass
class Fault:
    status: int
    body: dict[str, Any] | str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class FakeSlackAPI:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._faults: dict[str, list[Fault]] = {}
        self._changed = threading.Condition()
        self._ts = itertools.count(1)
        self._channels = itertools.count(1)
        self._channel_names: set[str] = set()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- lifecycle ------------------------------------------------------------

    def start(self) -> FakeSlackAPI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        return f"{self.base}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.base}/response/{name}"

    # --- inspection -----------------------------------------------------------

    def calls_to(self, method: str, where: Callable[[Call], bool] = lambda c: True) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.method == method and where(c)]

    def wait_for(self, method: str, count: int = 1, where: Callable[[Call], bool] = lambda c: True, timeout: float = 5.0) -> list[Call]:
        """Wait until at least `count` matching calls arrived; fail with what did arrive."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c for c in self.calls if c.method == method and where(c)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(f"expected {count} call(s) to {method}, got {len(found)}; all calls: {seen}")
                self._changed.wait(remaining)

    def methods(self) -> list[str]:
        with self._changed:
            return [c.method for c in self.calls]

    def reset(self) -> None:
        with self._changed:
            self.calls.clear()
            self._faults.clear()

    # --- fault injection --------------------------------------------------------

    def fail(self, method: str, *faults: Fault) -> None:
        """The next len(faults) calls to `method` get these answers instead of success."""
        with self._changed:
            self._faults.setdefault(method, []).extend(faults)

    # --- answering ---------------------------------------------------------------

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        ts = f"1700000000.{next(self._ts):06d}"
        if method == "auth.test":
            return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T0001", "team": "Gemeente", "url": "https://gemeente.slack.com/"}
        if method == "chat.postMessage":
            channel = str(params.get("channel", ""))
            if channel.startswith(("U", "W")):
                channel = "D" + channel  # Slack answers with the id of the DM channel
            return {"ok": True, "channel": channel, "ts": ts, "message": {"text": params.get("text"), "ts": ts}}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "chat.update":
            return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts")}
        if method == "conversations.create":
            name = str(params.get("name"))
            if name in self._channel_names:
                return {"ok": False, "error": "name_taken"}
            self._channel_names.add(name)
            return {"ok": True, "channel": {"id": f"C{next(self._channels):08d}", "name": name}}
        if method in ("views.open", "views.publish", "views.update", "views.push"):
            return {"ok": True, "view": {"id": "V0001", **(params.get("view") or {})}}
        if method == "chat.getPermalink":
            return {"ok": True, "permalink": f"https://gemeente.slack.com/archives/{params.get('channel')}/p{params.get('message_ts')}"}
        return {"ok": True}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # noqa: N802 - how many calls so far, for a benchmark in another process
                if self.path != "/__stats":
                    return self._send(404, {"ok": False})
                with fake._changed:
                    idle = time.monotonic() - fake.calls[-1].at if fake.calls else None
                    self._send(200, {"calls": len(fake.calls), "idle_seconds": idle})

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                if self.path.startswith("/response/"):
                    method, params = "response_url", {"name": self.path.rsplit("/", 1)[1], **_parse(raw, self.headers)}
                else:
                    method, params = self.path.removeprefix("/api/"), _parse(raw, self.headers)
                headers = {k.lower(): v for k, v in self.headers.items()}
                with fake._changed:
                    queue = fake._faults.get(method)
                    fault = queue.pop(0) if queue else None
                    fake.calls.append(Call(method, params, headers))
                    fake._changed.notify_all()
                if fault:
                    if fault.delay:
                        time.sleep(fault.delay)
                    return self._send(fault.status, fault.body if fault.body is not None else {"ok": False}, fault.headers)
                answer = {"ok": True} if method == "response_url" else fake._answer(method, params)
                self._send(200, answer)

            def _send(self, status: int, body: dict[str, Any] | str, headers: dict[str, str] | None = None) -> None:
                data = (body if isinstance(body, str) else json.dumps(body)).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in (headers or {}).items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                    pass

        return Handler


def serve_forever() -> None:
    """`python -m tests.support.fake_slack_api`: serve on a free port in its own process, print the base URL."""
    fake = FakeSlackAPI().start()
    print(fake.base, flush=True)
    threading.Event().wait()


def _parse(raw: str, headers: Any) -> dict[str, Any]:
    if "json" in (headers.get("Content-Type") or ""):
        params = json.loads(raw or "{}")
    else:
        params = dict(parse_qsl(raw, keep_blank_values=True))
    for key in ("blocks", "view", "attachments"):
        if isinstance(params.get(key), str):
            try:
                params[key] = json.loads(params[key])
            except json.JSONDecodeError:
                pass
    return params


if __name__ == "__main__":
    serve_forever()
