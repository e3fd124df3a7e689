"""Running `python -m bot ...` as a separate process, the way an operator does."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]


def bot_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BOT_", "DATABASE_URL", "TEST_DATABASE_URL"))}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(overrides)
    return env


def run_bot(*args: str, cwd: Path, stdin: str = "", timeout: float = 60, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, input=stdin, capture_output=True, text=True,
        timeout=timeout, env=bot_env(**env),
    )


def start_bot(*args: str, cwd: Path, output: IO[str] | None = None, **env: str) -> subprocess.Popen[str]:
    """Start the bot; its output goes to a pipe, or to `output` (a file) for a chatty or long run."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=bot_env(**env), text=True,
        stdout=output or subprocess.PIPE, stderr=subprocess.STDOUT,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen[str], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"bot exited early:\n{process.stdout.read() if process.stdout else ''}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listening on port {port} after {timeout} s")
