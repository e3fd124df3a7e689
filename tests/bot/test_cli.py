"""The command line as an operator uses it (separate processes): help, roster, serve, console."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

import pytest

from tests.conftest import BOT_TOKEN, FIXTURES, SIGNING_SECRET
from tests.support.processes import ROOT, free_port, run_bot, start_bot, wait_for_port
from tests.support.signed_slack import SignedSlack

HELP_TARGETS = [[], ["serve"], ["worker"], ["scheduler"], ["ask"], ["roster"], ["roster", "import"], ["roster", "list"]]


@pytest.mark.parametrize("args", HELP_TARGETS, ids=lambda a: " ".join(a) or "bot")
def test_help_everywhere(args: list[str], tmp_path: Path) -> None:
    result = run_bot(*args, "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "usage: python -m bot" in result.stdout


@pytest.mark.parametrize("line", (ROOT / "Procfile").read_text().splitlines(), ids=lambda line: line.split(":")[0])
def test_every_procfile_process_is_a_real_command(line: str, tmp_path: Path) -> None:
    command = line.split(":", 1)[1].split()
    assert command[:3] == ["python", "-m", "bot"]
    args = [arg.replace("${PORT:-3000}", "3000") for arg in command[3:]]
    result = run_bot(*args, "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"usage: python -m bot {args[0]}" in result.stdout


def test_roster_import_and_list(tmp_path: Path, database_url: str) -> None:
    result = run_bot("roster", "import", str(FIXTURES / "roster.yaml"), cwd=tmp_path, DATABASE_URL=database_url)
    assert result.returncode == 0, result.stderr
    assert "Rooster geladen: 19 personen (19 nieuw" in result.stdout
    listed = json.loads(run_bot("roster", "list", "--json", cwd=tmp_path, DATABASE_URL=database_url).stdout)
    assert {"id": "U01DSPOB", "name": "Ahmet Yilmaz", "roles": ["dspo"], "department": "Burgerzaken", "deputy": None} in listed


def test_bad_roster_is_refused_with_line_and_exit_code(tmp_path: Path, database_url: str) -> None:
    run_bot("roster", "import", str(FIXTURES / "roster.yaml"), cwd=tmp_path, DATABASE_URL=database_url)
    bad = tmp_path / "bad.yaml"
    bad.write_text((FIXTURES / "roster.yaml").read_text().replace("roles: [fg]", "roles: [fgg]"))
    result = run_bot("roster", "import", str(bad), cwd=tmp_path, DATABASE_URL=database_url)
    assert result.returncode == 2
    assert "regel" in result.stderr and "onbekende rol 'fgg'" in result.stderr
    listed = json.loads(run_bot("roster", "list", "--json", cwd=tmp_path, DATABASE_URL=database_url).stdout)
    assert len(listed) == 19  # unchanged


def test_bot_roster_is_loaded_at_start(tmp_path: Path, database_url: str) -> None:
    result = run_bot("roster", "list", cwd=tmp_path, DATABASE_URL=database_url, BOT_ROSTER=str(FIXTURES / "roster.yaml"))
    assert "Sanne de Vries: ciso" in result.stdout


def test_console_starts_with_no_configuration(tmp_path: Path) -> None:
    result = run_bot(cwd=tmp_path, stdin="/rooster\n/als U01CISO\n/stop\n")
    assert result.returncode == 0, result.stderr
    assert "Demorooster geladen" in result.stdout
    assert "Je bent nu Sanne de Vries (U01CISO)." in result.stdout
    assert (tmp_path / "data" / "bot.db").exists()


def test_serve_refuses_to_start_without_signing_secret(tmp_path: Path) -> None:
    result = run_bot("serve", "--port", str(free_port()), cwd=tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN)
    assert result.returncode == 2
    assert "SLACK_SIGNING_SECRET" in result.stderr


def test_worker_refuses_to_start_without_bot_token(tmp_path: Path) -> None:
    result = run_bot("worker", cwd=tmp_path)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" in result.stderr


def test_worker_stops_cleanly_on_sigterm(tmp_path: Path, fake_slack, database_url: str) -> None:  # noqa: ANN001
    process = start_bot("worker", cwd=tmp_path, DATABASE_URL=database_url, SLACK_BOT_TOKEN=BOT_TOKEN,
                        SLACK_API_URL=fake_slack.url, BOT_LOG_LEVEL="INFO")
    assert process.stdout is not None
    for line in process.stdout:  # up and polling
        if "working through the queue" in line:
            break
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 0


def test_serve_answers_signed_requests_and_refuses_unsigned(tmp_path: Path, fake_slack, database_url: str) -> None:  # noqa: ANN001
    port = free_port()
    process = start_bot(
        "serve", "--port", str(port), "--host", "127.0.0.1", cwd=tmp_path, DATABASE_URL=database_url,
        SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=fake_slack.url,
        BOT_ROSTER=str(FIXTURES / "roster.yaml"),
    )
    try:
        wait_for_port(port, process)
        slack = SignedSlack(f"http://127.0.0.1:{port}", SIGNING_SECRET, fake_slack.base)
        assert slack.request("GET", "/healthz").json()["status"] == "ok"
        event = {"type": "app_home_opened", "user": "U01EMP", "tab": "home", "channel": "D1"}
        assert slack.post(json.dumps({"type": "event_callback", "event_id": "Ev1", "event": event}).encode(),
                          "application/json", signed=False).status == 401
        assert slack.event(event).status == 200
        [publish] = fake_slack.wait_for("views.publish")
        assert publish.params["user_id"] == "U01EMP"
        assert publish.headers["authorization"] == f"Bearer {BOT_TOKEN}"
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0]
    assert BOT_TOKEN not in output and SIGNING_SECRET not in output  # secrets stay out of the logs


def test_database_unreachable_is_a_clear_error(tmp_path: Path) -> None:
    result = run_bot("roster", "list", cwd=tmp_path, DATABASE_URL="postgresql://nobody@127.0.0.1:9/none")
    assert result.returncode == 3
    assert "database is niet bereikbaar" in result.stderr


def test_socket_mode_is_chosen_when_both_tokens_are_set(tmp_path: Path, fake_slack) -> None:  # noqa: ANN001
    """Slack cannot be reached here; the bot must try Socket Mode (apps.connections.open) with the app token."""
    process = start_bot(cwd=tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN="xapp-test", SLACK_API_URL=fake_slack.url)
    try:
        fake_slack.wait_for("apps.connections.open", timeout=20)
        call = fake_slack.calls_to("apps.connections.open")[0]
        assert call.headers["authorization"] == "Bearer xapp-test"
    finally:
        process.terminate()
        try:
            process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
