"""The audit log is append-only: no path through the bot changes or removes a row, and nothing
but `commands.audit.record` writes to it. It also keeps no report or crisis texts (it
outlives the register's retention period).

The lifecycle test runs the bot through everything it does (roster import, the report
lifecycle, the CISO revealing a reporter, a crisis from declaring to closing, reminders,
timers, delivery failures, the operator's CLI, retention) and, after each phase, checks that
every earlier row is unchanged and new rows were only appended; meanwhile it watches every SQL
statement any engine sends for one that updates, deletes or upserts audit_log.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.cli import main
from commands.audit import record
from commands.context import Actor, Context
from commands.delivery import DeliveryFailed, deliver_due
from commands.remind.delivery import send_due_reminders
from commands.report.retention import purge
from commands.roster import import_roster, parse_roster
from commands.router import Router
from commands.timers import run_due_timers
from storage.audit import AuditEntry
from tests.commands.escalate_helpers import RecordingSender
from tests.conftest import FIXTURES
from tests.support.clock import FakeClock
from tests.support.reports import SEAL_KEY, all_reports, meld

ROOT = Path(__file__).resolve().parents[2]
CHANGING_AUDIT_SQL = re.compile(
    r"^\s*(update\s+\"?audit_log\b|delete\s+from\s+\"?audit_log\b|insert\s+or\s+replace\s+into\s+\"?audit_log\b"
    r"|truncate\b.*\baudit_log\b|drop\s+table\s+\"?audit_log\b|alter\s+table\s+\"?audit_log\b)"
    r"|\binsert\s+into\s+\"?audit_log\b.*\bon\s+conflict\b",
    re.IGNORECASE | re.DOTALL,
)
REPORT_TEXTS = ("phishingmail met een link naar een nep-inlogpagina", "chef deelt zijn wachtwoord met stagiairs",
                "ransomware versleutelt de afdelingsschijf", "klantbestand met BSN's op een open share")


def audit_rows(ctx: Context) -> list[dict[str, Any]]:
    with ctx.db.session() as session:
        return [row.model_dump() for row in session.exec(select(AuditEntry).order_by(AuditEntry.id))]


@contextmanager
def watching_sql() -> Iterator[list[str]]:
    """Every statement, on every engine (the CLI opens its own), that would change audit rows."""
    seen: list[str] = []

    def inspect(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001, PLR0913
        if CHANGING_AUDIT_SQL.search(statement):
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", inspect)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", inspect)


class FailingOnce(RecordingSender):
    """Slack refuses the first direct message for good (so a failure notice is sent too)."""

    failed = False

    def send_direct(self, user_id: str, message: Any) -> Any:
        if not self.failed:
            self.failed = True
            raise DeliveryFailed("user_not_found", permanent=True)
        return super().send_direct(user_id, message)


def phases(ctx: Context, router: Router, clock: FakeClock, cli: Callable[..., None]) -> list[tuple[str, Callable[[], None]]]:
    def act(user: str, action: str, value: str) -> None:
        router.press(ctx, Actor(user), action, value)

    def form(user: str, form_id: str, values: dict[str, str], context: str) -> None:
        router.submit(ctx, Actor(user), form_id, values, context)

    def command(user: str, name: str, text: str) -> None:
        router.run_command(ctx, Actor(user), name, text)

    def file_reports() -> None:
        meld(router, ctx, "U01EMP", REPORT_TEXTS[0])
        opened = meld(router, ctx, "U01EMP", "").form
        assert opened is not None
        form("U01EMP", opened.form_id, {"category": "onveilig-gedrag", "what": REPORT_TEXTS[1], "personal_data": "nee",
                                         "severity": "middel", "anonymous": "ja", "department": "Burgerzaken"}, opened.context)
        opened = meld(router, ctx, "U01EMP2", "").form
        assert opened is not None
        form("U01EMP2", opened.form_id, {"category": "beveiligingsincident", "what": REPORT_TEXTS[2], "personal_data": "nee",
                                          "severity": "kritiek", "anonymous": "nee", "department": "Sociaal Domein"},
             opened.context)  # critical: the CISO is asked about a crisis
        opened = meld(router, ctx, "U01EMP", "").form
        assert opened is not None
        form("U01EMP", opened.form_id, {"category": "datalek", "what": REPORT_TEXTS[3], "personal_data": "ja",
                                         "severity": "hoog", "anonymous": "nee", "department": "Burgerzaken"}, opened.context)
        assert [r.reference for r in all_reports(ctx)] == [f"MELD-2026-000{n}" for n in range(1, 5)]

    def look() -> None:
        for user in ("U01EMP", "U01CISO", "U01FG", "U01DSPOB", "U01EMP2", "U0STRANGER"):
            meld(router, ctx, user, "status")
            meld(router, ctx, user, "MELD-2026-0001")
            router.home(ctx, Actor(user))
        act("U01AUDIT", "report.view", "MELD-2026-0002")
        act("U0STRANGER", "report.take", "MELD-2026-0001")  # refused: report.denied

    def handle() -> None:
        act("U01DSPOB", "report.take", "MELD-2026-0001")
        form("U01CISO", "report.assign", {"person": "U01FG"}, "MELD-2026-0004")
        form("U01EMP", "report.amend", {"text": "ik had al op de link geklikt"}, "MELD-2026-0001")
        form("U01DSPOB", "report.recategorise", {"category": "phishing", "severity": "hoog", "personal_data": "nee"},
             "MELD-2026-0001")
        form("U01FG", "report.ap", {"ap_decision": "gemeld", "ap_date": "2026-11-30", "ap_time": "10:00",
                                    "ap_reference": "AP-123"}, "MELD-2026-0004")
        meld(router, ctx, "U01CISO", "onthul MELD-2026-0002")
        meld(router, ctx, "U01FG", "onthul MELD-2026-0002")  # refused

    def crisis() -> None:
        act("U01CISO", "crisis.from_report", "MELD-2026-0001")
        command("U01CISO", "crisis", "afdeling=Burgerzaken storing van de telefonie")
        command("U01MGRB", "crisis", "ik kom")
        command("U01CISO", "crisis", "log CRISIS-2026-0002 leverancier gebeld")
        command("U01CISO", "crisis", "actie CRISIS-2026-0002 back-ups controleren")
        command("U01CISO", "crisis", "erbij CRISIS-2026-0002 communicatie")
        act("U01CISO", "crisis.decline", "CRISIS-2026-0001")  # the critical report's request

    def time_passes() -> None:
        clock.advance(seconds=ctx.options.escalation_ack_seconds + 1)
        run_due_timers(ctx, router.timers)
        send_due_reminders(ctx)
        act("U01MGRB", "remind.done", "ensia-deelrapportage|2027-04-01|U01MGRB")
        deliver_due(ctx, FailingOnce())
        clock.advance(hours=80)  # past the AP deadlines: the reminders about them
        run_due_timers(ctx, router.timers)
        deliver_due(ctx, RecordingSender())

    def close() -> None:
        command("U01CISO", "crisis", "sluit CRISIS-2026-0002")
        for reference in ("MELD-2026-0001", "MELD-2026-0002", "MELD-2026-0003", "MELD-2026-0004"):
            form("U01CISO", "report.close", {"outcome": "afgehandeld", "note": "opgelost", "ap_decision": "niet-melden"},
                 reference)

    def operator() -> None:
        cli("incidents", "list", "--json")
        cli("incidents", "export", "--year", "2026", "--format", "csv")
        cli("crises", "list")
        cli("crises", "report", "CRISIS-2026-0002")
        cli("incidents", "purge", "--dry-run")

    def new_roster() -> None:
        text = (FIXTURES / "roster.yaml").read_text(encoding="utf-8").replace("Sanne de Vries", "Sanne de Vries-Bakker")
        import_roster(ctx, parse_roster(text), actor="cli")

    def retention() -> None:
        clock.advance(days=3 * 366 + 1)
        assert len(purge(ctx)) == 4
        cli("incidents", "list")  # the operator looks at what is left

    return [("file", file_reports), ("look", look), ("handle", handle), ("crisis", crisis), ("time", time_passes),
            ("close", close), ("operator", operator), ("roster", new_roster), ("retention", retention)]


def test_no_path_through_the_bot_changes_or_removes_an_audit_row(
    roster: Context, router: Router, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", roster.db.url)
    monkeypatch.setenv("BOT_SEAL_KEY", SEAL_KEY)

    def cli(*args: str) -> None:
        assert main(list(args)) == 0, capsys.readouterr()
        capsys.readouterr()

    before = audit_rows(roster)  # the roster import of the fixture
    appended: dict[str, int] = {}
    with watching_sql() as changing:
        for name, run in phases(roster, router, clock, cli):
            run()
            now = audit_rows(roster)
            assert now[:len(before)] == before, f"{name}: an earlier audit row changed or disappeared"
            assert [row["id"] for row in now] == sorted({row["id"] for row in now}), f"{name}: not appended in order"
            appended[name] = len(now) - len(before)
            before = now
    assert changing == []
    assert all(count > 0 for count in appended.values()), appended  # every phase left its trace
    actions = {row["action"] for row in before}
    assert actions >= {"roster.import", "report.file", "report.list", "report.view", "report.denied", "report.take",
                       "report.assign", "report.amend", "report.recategorise", "report.ap_decision", "report.reveal",
                       "report.escalate", "report.close", "report.export", "report.purge", "crisis.declare",
                       "crisis.request", "crisis.decline", "crisis.close", "crisis.list", "crisis.report", "remind.done"}
    # The audit log outlives retention: it holds no report or crisis texts, not even of a crisis about a report.
    kept = " ".join(f"{row['subject']} {row['detail']}" for row in before)
    assert [text for text in (*REPORT_TEXTS, "storing van de telefonie", "leverancier gebeld") if text in kept] == []
    assert all(r.text == "" for r in all_reports(roster))  # retention did remove them from the register


def test_record_only_appends(roster: Context) -> None:
    with roster.db.session() as session:
        record(session, roster, "U01CISO", "report.view", "MELD-2026-0001", "x" * 3000)
        record(session, roster, "U01CISO", "report.view", "MELD-2026-0001", "tweede")
    rows = audit_rows(roster)[-2:]
    assert [(r["actor"], r["subject"], r["detail"][:6], len(r["detail"])) for r in rows] == [
        ("U01CISO", "MELD-2026-0001", "xxxxxx", 2000), ("U01CISO", "MELD-2026-0001", "tweede", 6)]


# --- nothing else writes to the audit log -------------------------------------------------------------------

ALLOWED = {
    "storage/audit.py": "defines the table",
    "storage/models.py": "lists it for the migrations",
    "commands/audit.py": "appends: record()",
}


def _sources() -> list[Path]:
    return sorted(p for folder in ("bot", "commands", "storage", "knowledge") for p in (ROOT / folder).rglob("*.py")
                  if "migrations" not in p.parts)


def test_only_commands_audit_writes_to_the_audit_log() -> None:
    """A static check over the source: outside the allowed files nothing names the table or its
    model, and commands/audit.py only adds rows (no update, delete, merge or raw SQL)."""
    offenders = []
    for path in _sources():
        relative = path.relative_to(ROOT).as_posix()
        source = path.read_text(encoding="utf-8")
        if relative not in ALLOWED and re.search(r"\bAuditEntry\b|audit_log", source):
            offenders.append(relative)
    assert offenders == [], f"only {sorted(ALLOWED)} may touch the audit log"

    tree = ast.parse((ROOT / "commands/audit.py").read_text(encoding="utf-8"))
    on_session = {node.func.attr for node in ast.walk(tree) if isinstance(node, ast.Call)
                  and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
                  and node.func.value.id == "session"}
    assert on_session == {"add"}, on_session  # session.add(AuditEntry(...)), nothing else
    assert not re.search(r"\b(update|delete|merge|execute|text)\b", (ROOT / "commands/audit.py").read_text(encoding="utf-8"))


def test_the_static_check_finds_a_writer() -> None:
    """The check above would notice a new module that deletes audit rows."""
    sneaky = 'from storage.audit import AuditEntry\nsession.exec(delete(AuditEntry))\n'
    assert re.search(r"\bAuditEntry\b|audit_log", sneaky)
    assert CHANGING_AUDIT_SQL.search('DELETE FROM audit_log WHERE audit_log.id = ?')
    assert CHANGING_AUDIT_SQL.search('UPDATE audit_log SET detail=? WHERE audit_log.id = ?')
    assert not CHANGING_AUDIT_SQL.search('INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)')
