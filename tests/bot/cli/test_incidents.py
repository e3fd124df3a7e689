"""`python -m bot incidents …`: the operator's view of the register, the export, purge and replay."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from commands.context import Actor
from tests.support.reports import (
    SEAL_KEY,
    UNREACHABLE,
    audit,
    meld,
    reference_in,
    unreachable,
)

ROOT = Path(__file__).resolve().parents[3]
ANONYMOUS = {"category": "onveilig-gedrag", "what": "chef deelt wachtwoorden", "personal_data": "nee",
             "severity": "middel", "anonymous": "ja", "department": "Burgerzaken"}


@pytest.fixture
def env(roster, monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setenv("DATABASE_URL", roster.db.url)
    monkeypatch.setenv("BOT_SEAL_KEY", SEAL_KEY)
    monkeypatch.setenv("BOT_SPOOL_DIR", str(roster.options.spool_dir))
    return roster


def _run(capsys, *args: str) -> tuple[int, str]:  # noqa: ANN001
    code = main(list(args))
    return code, capsys.readouterr().out


def _close(router, ctx, reference: str) -> None:  # noqa: ANN001
    form = router.press(ctx, Actor("U01CISO"), "report.close", reference).form
    assert form is not None
    router.submit(ctx, Actor("U01CISO"), form.form_id, {"outcome": "afgehandeld", "note": ""}, form.context)


def test_list_json_has_one_object_per_report_with_the_contract_fields(env, router, capsys) -> None:  # noqa: ANN001
    meld(router, env, "U01EMP", "phishing <!channel> & 'quotes' 🎣")
    form = meld(router, env, "U01EMP", "").form
    assert form is not None
    router.submit(env, Actor("U01EMP"), form.form_id, ANONYMOUS, form.context)

    code, out = _run(capsys, "incidents", "list", "--json")

    assert code == 0
    reports = json.loads(out)
    assert [r["reference"] for r in reports] == ["MELD-2026-0001", "MELD-2026-0002"]
    first = reports[0]
    assert {k: first[k] for k in ("category", "status", "department", "created", "text")} == {
        "category": "phishing", "status": "nieuw", "department": "Burgerzaken",
        "created": "2026-11-30T09:00:00+01:00", "text": "phishing <!channel> & 'quotes' 🎣"}
    assert first["reporter"] == "U01EMP"
    assert reports[1]["anonymous"] is True and reports[1]["reporter"] is None
    assert "U01EMP" not in json.dumps(reports[1])  # the seal stays closed, also here
    assert [a.actor for a in audit(env, "report.list")] == ["cli"]


def test_list_without_a_reachable_database_shows_nothing(env, router, capsys, monkeypatch) -> None:  # noqa: ANN001
    meld(router, env, "U01EMP", "phishing")
    monkeypatch.setenv("DATABASE_URL", UNREACHABLE)

    code = main(["incidents", "list", "--json"])

    printed = capsys.readouterr()
    assert code == 3 and printed.out == ""
    assert "de database is niet bereikbaar" in printed.err


def test_export_writes_csv_and_markdown(env, router, capsys, tmp_path) -> None:  # noqa: ANN001
    meld(router, env, "U01EMP", "phishing")

    code, out = _run(capsys, "incidents", "export", "--year", "2026", "--format", "csv")
    assert code == 0
    assert next(csv.DictReader(io.StringIO(out)))["meldingen"] == "1"

    target = tmp_path / "bijlage.md"
    code, out = _run(capsys, "incidents", "export", "--year", "2026", "--format", "md", "--output", str(target))
    assert code == 0 and str(target) in out
    assert target.read_text(encoding="utf-8").startswith("# Bijlage: informatiebeveiligingsincidenten 2026")


def test_purge_uses_the_configured_retention(env, router, capsys, clock, monkeypatch) -> None:  # noqa: ANN001
    clock.set(datetime(2021, 3, 1, 9, 0, tzinfo=UTC))  # the CLI runs on the real clock, years later
    reference = reference_in(meld(router, env, "U01EMP", "phishing"))
    _close(router, env, reference)

    monkeypatch.setenv("BOT_RETENTION_YEARS", "50")
    assert _run(capsys, "incidents", "purge")[1].startswith("Geen meldingen")
    monkeypatch.delenv("BOT_RETENTION_YEARS")
    code, out = _run(capsys, "incidents", "purge", "--dry-run")
    assert code == 0 and out.startswith("Zou persoonsgegevens verwijderen uit 1 meldingen") and reference in out
    code, out = _run(capsys, "incidents", "purge")
    assert code == 0 and out.startswith("Persoonsgegevens verwijderd uit 1 meldingen")
    assert json.loads(_run(capsys, "incidents", "list", "--json")[1])[0]["text"] == ""


def test_replay_files_what_waited_for_the_database(env, router, capsys) -> None:  # noqa: ANN001
    meld(router, unreachable(env), "U01EMP", "laptop kwijt")

    code, out = _run(capsys, "incidents", "replay")

    # the bot files what waits in the queue as soon as it starts; replay then finds it done
    assert code == 0 and "meldingen uit de wachtrij ingeschreven" in out
    code, out = _run(capsys, "incidents", "list", "--json")
    assert [r["text"] for r in json.loads(out)] == ["laptop kwijt"]


@pytest.mark.parametrize("action", ["list", "export", "purge", "replay"])
def test_every_action_has_help(action, capsys) -> None:  # noqa: ANN001
    with pytest.raises(SystemExit) as done:
        main(["incidents", action, "--help"])
    assert done.value.code == 0 and f"usage: python -m bot incidents {action}" in capsys.readouterr().out


def test_python_m_bot_runs_the_incidents_command(env) -> None:  # noqa: ANN001
    done = subprocess.run([sys.executable, "-m", "bot", "incidents", "list", "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and json.loads(done.stdout) == []
