"""kill -9 of `python -m bot serve` in the middle of a burst of reports, then a restart on the
same database: every report whose request was acknowledged is in the register with its text,
every reference a reporter was told is right, and no report is filed twice (also not the ones
whose reply never reached the reporter: every fourth reply goes to an address where nothing
listens). Reports acknowledged but not yet filed at the kill were kept in the spool before the
ack; the restart files them and tells the reporter by direct message.

With a work queue (`serve --queue` + `worker`) both processes are killed: work the dead worker
had claimed is in the web process's journal, so the restarted processes file it all the same.
"""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlmodel import col, select

from storage.db import Database
from storage.reports import Report
from tests.conftest import BOT_TOKEN, FIXTURES, SIGNING_SECRET
from tests.support.fake_slack_api import Call, FakeSlackAPI
from tests.support.processes import free_port, run_bot, start_bot, wait_for_port
from tests.support.signed_slack import SignedSlack

BURST = 40  # reports sent at once
KILL_AFTER = 8  # receipts seen before the process is killed
SENDERS = 8  # concurrent connections, like Slack's


def _serve(
    tmp_path: Path, fake: FakeSlackAPI, database_url: str, log: Path, queued: bool,
) -> tuple[list[subprocess.Popen[str]], SignedSlack]:
    """`serve` on its own, or `serve --queue` with a `worker`."""
    port = free_port()
    env = {"DATABASE_URL": database_url, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
           "SLACK_API_URL": fake.url, "BOT_ROSTER": str(FIXTURES / "roster.yaml"), "BOT_SPOOL_DIR": str(tmp_path / "spool")}
    queue = ["--queue"] if queued else []
    web = start_bot("serve", "--port", str(port), "--host", "127.0.0.1", *queue, cwd=tmp_path,
                    output=log.open("a", encoding="utf-8"), **env)
    wait_for_port(port, web)
    processes = [web]
    if queued:
        processes.append(start_bot("worker", cwd=tmp_path, output=log.open("a", encoding="utf-8"), **env))
    return processes, SignedSlack(f"http://127.0.0.1:{port}", SIGNING_SECRET, fake.base)


def _stop(processes: list[subprocess.Popen[str]], kill: bool = False) -> None:
    for process in processes:
        if process.poll() is None:
            process.kill() if kill else process.terminate()
            process.wait(timeout=10)


def _told(fake: FakeSlackAPI) -> dict[str, list[str]]:
    """Per command (its response_url name): the references the reporter was told."""
    told: dict[str, list[str]] = {}
    for call in fake.calls_to("response_url"):
        text = str(call.params.get("text", ""))
        if "Melding ontvangen: " in text:
            told.setdefault(call.params["name"], []).append(text.rsplit(" ", 1)[1])
    return told


def _wait_until_filed(database_url: str, any_of: set[str], timeout: float = 30) -> None:
    """Until one of these texts is in the register (looking from outside, as a second process)."""
    database = Database(database_url)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            with database.reading() as session:
                if session.exec(select(Report.id).where(col(Report.text).in_(any_of))).first():
                    return
            time.sleep(0.02)
    finally:
        database.dispose()
    raise AssertionError("none of the reports whose reply gets lost was filed")


def _receipt(call: Call) -> bool:
    return "Melding ontvangen" in str(call.params.get("text", ""))


@pytest.mark.parametrize("queued", [False, True], ids=["inline", "queued"])
def test_kill_9_mid_burst_loses_no_acknowledged_report_and_files_none_twice(
    tmp_path: Path, fake_slack: FakeSlackAPI, database_url: str, queued: bool,
) -> None:
    log = tmp_path / "bot.log"
    processes, slack = _serve(tmp_path, fake_slack, database_url, log, queued)
    texts = {f"cmd-kill-{n}": f"burst {n}: phishingmail met link, kenmerk {n:03d}-{n * 7919 % 1000:03d}" for n in range(BURST)}
    unreachable_reply = {name for n, name in enumerate(texts) if n % 4 == 3}
    nowhere = f"http://127.0.0.1:{free_port()}"
    acked: set[str] = set()  # commands whose HTTP request was answered 200 (Slack's "ack")
    lock = threading.Lock()

    def send(name: str) -> None:
        # the fake records the reply under the last part of the response_url, so name each command;
        # every fourth reply cannot reach the reporter (nothing listens there): filed, but never told
        base = nowhere if name in unreachable_reply else fake_slack.base
        try:
            answer = slack.command("/meld", texts[name], user_id="U01EMP", response_url=f"{base}/response/{name}")
        except OSError:  # the process is gone: Slack would show the user an error (no ack)
            return
        if answer.status == 200:
            with lock:
                acked.add(name)

    try:
        with ThreadPoolExecutor(SENDERS) as pool:
            futures = [pool.submit(send, name) for name in texts]
            fake_slack.wait_for("response_url", count=KILL_AFTER, where=_receipt, timeout=30)
            _wait_until_filed(database_url, {texts[name] for name in unreachable_reply})
            for process in processes:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=10)
            for future in futures:
                future.result(timeout=30)
    finally:
        _stop(processes, kill=True)
    told_before = _told(fake_slack)
    assert len(told_before) >= KILL_AFTER
    assert len(told_before) < BURST, "the burst ended before the kill; nothing was tested"

    processes, slack = _serve(tmp_path, fake_slack, database_url, log, queued)  # the restart, on the same database
    try:
        after = "na de herstart: usb-stick gevonden in de kantine"
        assert slack.command("/meld", after, user_id="U01EMP2", response_url=f"{fake_slack.base}/response/cmd-after").status == 200
        fake_slack.wait_for("response_url", where=lambda c: c.params["name"] == "cmd-after", timeout=30)
    finally:
        _stop(processes)

    listed = run_bot("incidents", "list", "--json", cwd=tmp_path, DATABASE_URL=database_url)
    assert listed.returncode == 0, listed.stderr
    register = {row["reference"]: row["text"] for row in json.loads(listed.stdout)}
    told = _told(fake_slack)

    for name, references in told.items():  # every acknowledged report is there, with its own text
        assert len(references) == 1, f"{name} was told {references}"
        expected = after if name == "cmd-after" else texts[name]
        assert register.get(references[0]) == expected, f"{name}: told {references[0]}, register has {register.get(references[0])!r}"
    filed = Counter(register.values())
    assert [text for text, count in filed.items() if count > 1] == []  # none twice, also not the unanswered ones
    assert set(filed) <= set(texts.values()) | {after}
    assert set(told) <= acked | {"cmd-after"}  # a reply only ever follows an ack
    numbers = sorted(int(reference.rsplit("-", 1)[1]) for reference in register)
    assert numbers == list(range(1, len(numbers) + 1)), "reference numbers have a gap or a double"
    missing = sorted(name for name in acked if texts[name] not in filed)
    assert missing == [], f"acknowledged but not in the register: {missing}"
    unanswered = [name for name in acked if name not in told]
    assert set(unanswered) & unreachable_reply, "no report was filed whose reply got lost: not tested"
    print(f"burst {BURST}: acked {len(acked)}, told {len(told_before)} before the kill, {len(unanswered)} acked without "
          f"a reply (all filed, once), register {len(register)}")
