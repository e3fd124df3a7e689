"""Load benchmark: Slack-signed slash commands and events against `python -m bot serve`
(with a fake Slack Web API on loopback), next to a minimal bolt app that only acks (the
floor), on the same server, in the same run. Two ways to run the bot: `inline` (`serve`
does the work after each ack itself), `queued` (`serve --queue` acks and queues the work in
the database; a `python -m bot worker` process does it at the same time, on the same cores)
and `queued-then-work` (the same, with the worker started when the burst is over: the ack
path on its own, as when the worker runs on a machine of its own; then the worker drains).

    python benchmarks/load_benchmark.py [--requests 1500] [--concurrency 1,10,50,100] [--modes inline,queued,queued-then-work]

Prints a Markdown table: throughput, p50/p99 acknowledgement latency, errors, and the
bot's resident memory. Everything runs on 127.0.0.1; counts and time are bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from slack_sdk.signature import SignatureVerifier  # noqa: E402

from benchmarks.scale_benchmark import reset  # noqa: E402
from tests.support.processes import bot_env, free_port, wait_for_port  # noqa: E402

SECRET = "benchmark-signing-secret"
TOKEN = "xoxb-benchmark"
ROSTER = ROOT / "tests" / "fixtures" / "roster.yaml"
QUESTIONS = ["wie stelt een DPIA op?", "wie coördineert ENSIA?", "wie zit in het crisisoverleg?", "wie controleert het college?"]
REPORTS = ["phishingmail ontvangen met link naar nep-inlogpagina", "laptop kwijt in de trein", "usb-stick gevonden bij de balie"]


@dataclass
class Run:
    target: str
    concurrency: int
    requests: int
    seconds: float
    latencies: list[float]
    errors: int
    drained: float | None = None  # seconds from the first request until the bot's follow-up work was done

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


class RequestFactory:
    """Signed requests as Slack sends them: commands (form-encoded) and events (JSON)."""

    def __init__(self, response_base: str) -> None:
        self.verifier = SignatureVerifier(SECRET)
        self.response_base = response_base
        self.n = itertools.count(1)

    def next(self) -> tuple[bytes, str]:
        n = next(self.n)
        kind = n % 4
        if kind == 3:
            event = {"type": "app_mention", "user": "U01EMP", "channel": "C0GENERAL", "ts": f"{n}.0",
                     "text": f"<@UBOT> {QUESTIONS[n % len(QUESTIONS)]}"}
            body = json.dumps({"type": "event_callback", "event_id": f"EvB{n:09d}", "team_id": "T0001",
                               "api_app_id": "A0001", "event": event}).encode()
            return body, "application/json"
        command, text = [("/wie", QUESTIONS[n % len(QUESTIONS)]), ("/meld", REPORTS[n % len(REPORTS)]), ("/agenda", "")][kind]
        form = {"command": command, "text": text, "user_id": "U01EMP", "team_id": "T0001", "channel_id": "C0GENERAL",
                "response_url": f"{self.response_base}/response/b{n}", "trigger_id": f"t{n}"}
        return urlencode(form).encode(), "application/x-www-form-urlencoded"

    def http(self, host: str, port: int) -> bytes:
        body, content_type = self.next()
        stamp = str(int(time.time()))
        signature = self.verifier.generate_signature(timestamp=stamp, body=body)
        head = (f"POST /slack/events HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\nX-Slack-Request-Timestamp: {stamp}\r\nX-Slack-Signature: {signature}\r\n\r\n")
        return head.encode() + body


async def _worker(port: int, factory: RequestFactory, budget: itertools.count, total: int, latencies: list[float], errors: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while next(budget) < total:
            started = time.perf_counter()
            writer.write(factory.http("127.0.0.1", port))
            await writer.drain()
            status_line = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if b" 200 " not in status_line:
                errors.append(1)
    finally:
        writer.close()


async def _load(port: int, factory: RequestFactory, concurrency: int, total: int) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    errors: list[int] = []
    budget = itertools.count()
    started = time.perf_counter()
    await asyncio.gather(*(_worker(port, factory, budget, total, latencies, errors) for _ in range(concurrency)))
    return time.perf_counter() - started, latencies, len(errors)


class FakeSlackProcess:
    """The fake Slack Web API in a process of its own, so answering the bot's calls does not
    slow down this process's load generator (and so its measurements)."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "tests.support.fake_slack_api"], cwd=ROOT,
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        self.base = self.process.stdout.readline().strip()
        self.url = f"{self.base}/api/"

    def stats(self) -> dict:
        with urllib.request.urlopen(f"{self.base}/__stats", timeout=5) as answer:
            return json.load(answer)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def measure(target: str, port: int, factory: RequestFactory, concurrency: int, total: int, fake: FakeSlackProcess | None,
            bot: Bot | None = None) -> Run:
    if bot:
        bot.start_worker()
    asyncio.run(_load(port, factory, min(concurrency, 10), 50))  # warm up
    if fake:
        wait_until_quiet(fake, bot)
    if bot and bot.mode == "queued-then-work":
        bot.stop_worker()
    started = time.perf_counter()
    seconds, latencies, errors = asyncio.run(_load(port, factory, concurrency, total))
    if bot:
        bot.start_worker()
    drained = wait_until_quiet(fake, bot) - started if fake else None
    return Run(target, concurrency, len(latencies), seconds, latencies, errors, drained)


def wait_until_quiet(fake: FakeSlackProcess, bot: Bot | None = None, quiet: float = 1.0, limit: float = 120.0) -> float:
    """Wait until no work is queued and the bot has made no Slack call for `quiet` seconds;
    return when its last call was."""
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        idle = fake.stats()["idle_seconds"]
        if (idle is None or idle >= quiet) and not (bot and bot.queued_work()):
            return time.perf_counter() - (idle or 0.0)
        time.sleep(0.2)
    return time.perf_counter()


def memory_kb(pid: int) -> tuple[int, int]:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def start(args: list[str], port: int, env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, *args], cwd=cwd, env=env, text=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port, process)
    return process


class Bot:
    """`serve` alone (inline), or `serve --queue` with one `worker` (queued, queued-then-work)."""

    def __init__(self, mode: str, port: int, env: dict[str, str], cwd: Path) -> None:
        self.mode, self.port, self.env, self.cwd = mode, port, env, cwd
        queue = [] if mode == "inline" else ["--queue"]
        self.web = start(["-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port), *queue], port, env, cwd)
        self.worker: subprocess.Popen[str] | None = None
        self.worker_peak_kb = 0

    def queued_work(self) -> int:
        if self.mode == "inline":
            return 0
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=10) as answer:
            return json.load(answer)["queue"]["waiting"]

    def start_worker(self) -> None:
        if self.mode != "inline" and self.worker is None:
            self.worker = subprocess.Popen([sys.executable, "-m", "bot", "worker"], cwd=self.cwd, env=self.env, text=True,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop_worker(self) -> None:
        if self.worker:
            self.worker_peak_kb = max(self.worker_peak_kb, memory_kb(self.worker.pid)[1])
            stop([self.worker])
            self.worker = None

    def memory(self) -> dict[str, int]:
        peaks = {"web": memory_kb(self.web.pid)[1]}
        if self.worker:
            self.worker_peak_kb = max(self.worker_peak_kb, memory_kb(self.worker.pid)[1])
        if self.worker_peak_kb:
            peaks["worker"] = self.worker_peak_kb
        return peaks

    def stop(self) -> None:
        self.stop_worker()
        stop([self.web])


def stop(processes: list[subprocess.Popen[str]]) -> None:
    for process in processes:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1500, help="requests per measurement (default 1500)")
    parser.add_argument("--concurrency", default="1,10,50,100", help="comma-separated levels (default 1,10,50,100)")
    parser.add_argument("--database-url", default="",
                        help="database for the bot, emptied first: give it one of its own (default: a fresh SQLite file)")
    parser.add_argument("--modes", default="inline,queued,queued-then-work",
                        help="inline (serve alone), queued (serve --queue + worker), queued-then-work (worker after each burst)")
    options = parser.parse_args()
    levels = [int(c) for c in options.concurrency.split(",")]
    modes = options.modes.split(",")

    if options.database_url:
        reset(options.database_url)  # e.g. work a previous run left in the queue
    fake = FakeSlackProcess()
    workdir = Path(tempfile.mkdtemp(prefix="infobot-bench-"))
    env = bot_env(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.url, BOT_ROSTER=str(ROSTER),
                  DATABASE_URL=options.database_url or f"sqlite:///{workdir / 'bench.db'}", BOT_LOG_LEVEL="WARNING")
    floor_port = free_port()
    floor = start([str(ROOT / "benchmarks" / "floor_app.py"), "--port", str(floor_port)], floor_port, env, workdir)
    factory = RequestFactory(fake.base)
    runs: list[Run] = []
    memory: dict[str, dict[str, int]] = {}
    try:
        for mode in modes:
            bot = Bot(mode, free_port(), env, workdir)
            try:
                for level in levels:
                    runs.append(measure("floor (bolt, ack only)", floor_port, factory, level, options.requests, None))
                    runs.append(measure(f"infobot, {mode}", bot.port, factory, level, options.requests, fake, bot))
                memory[mode] = bot.memory()
            finally:
                bot.stop()
        calls = fake.stats()["calls"]
    finally:
        stop([floor])
        fake.stop()

    print(f"\nLoad benchmark, {os.cpu_count()} CPU(s), {options.requests} requests per row, "
          f"mix: /wie, /meld, /agenda, app_mention (signed)\n")
    print("| target | concurrency | acks/s | p50 ack ms | p99 ack ms | errors | all work done after |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for run in runs:
        drained = f"{run.drained:.1f} s ({run.requests / run.drained:.0f} req/s)" if run.drained else "n/a (acks only)"
        print(f"| {run.target} | {run.concurrency} | {run.throughput:.0f} | {run.percentile(50):.1f} | {run.percentile(99):.1f} "
              f"| {run.errors} | {drained} |")
    print("\n| infobot | concurrency | infobot / floor throughput (floor measured just before) |")
    print("| --- | ---: | ---: |")
    for floor_run, bot_run in zip(runs[::2], runs[1::2], strict=True):
        print(f"| {bot_run.target} | {floor_run.concurrency} | {bot_run.throughput / floor_run.throughput:.0%} |")
    print("\n'all work done after': from the first request until the bot's last Slack call for this row")
    print("(answers, reports filed and routed, DMs delivered); the work runs after each acknowledgement.")
    for mode, peaks in memory.items():
        print(f"infobot peak resident memory, {mode}: " + ", ".join(f"{part} {kb / 1024:.0f} MB" for part, kb in peaks.items()))
    print(f"fake Slack API calls made by the bot: {calls}")


if __name__ == "__main__":
    main()
