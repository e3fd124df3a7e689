"""`python -m bot reminders list --json` and `reminders ics` (contract in design.md)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine

from bot.cli import main
from commands.context import Context
from commands.remind import loader

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def cli(roster: Context, monkeypatch: pytest.MonkeyPatch) -> Context:
    """The CLI pointed at the test database with the test roster."""
    monkeypatch.setenv("DATABASE_URL", roster.db.url)
    monkeypatch.delenv("BOT_ROSTER", raising=False)
    monkeypatch.setenv("BOT_LOG_LEVEL", "WARNING")
    return roster


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict]:
    assert main(["reminders", "list", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_list_json_has_each_occurrence_with_due_roles_and_recipients(cli: Context, capsys: pytest.CaptureFixture[str]) -> None:
    listed = run_json(capsys, "--from", "2027-01-01", "--until", "2027-12-31")
    assert [(o["due"], o["meeting"]) for o in listed][:3] == [
        ("2027-02-09T10:00:00+01:00", "Informatieveiligheid- en privacyoverleg"),
        ("2027-02-25T14:00:00+01:00", "Opdrachtgever–opdrachtnemeroverleg"),
        ("2027-04-01T17:00:00+02:00", "Deelrapportage ENSIA"),
    ]
    assert len(listed) == 14
    overleg = listed[0]
    assert overleg["roles"] == ["ciso", "dspo", "fg"]
    assert overleg["recipients"] == ["U01CISO", "U01DSPOB", "U01DSPOI", "U01DSPOS", "U01FG"]
    assert [(r["at"], r["lead"]) for r in overleg["reminders"]] == [
        ("2027-01-26T09:00:00+01:00", "14d"), ("2027-02-02T09:00:00+01:00", "voorbereiding"),
        ("2027-02-05T09:00:00+01:00", "2d"), ("2027-02-09T09:00:00+01:00", "0d"),
    ]
    assert overleg["reminders"][1]["recipients"] == ["U01DSPOB", "U01DSPOI", "U01DSPOS"]
    rapportage = next(o for o in listed if o["item"] == "ensia-bestuurlijke-rapportage")
    assert (rapportage["due"], rapportage["recipients"], rapportage["deliverable"]) == ("2027-04-30T17:00:00+02:00", ["U01CISO"], True)
    assert rapportage["reminders"][-1] == {"at": "2027-05-03T09:00:00+02:00", "lead": "niet-gereed", "recipients": ["U01GSEC"]}


def test_list_without_from_starts_today_and_shows_the_overdue_evaluation(cli: Context, capsys: pytest.CaptureFixture[str]) -> None:
    with time_machine.travel(datetime(2026, 11, 30, 9, 0, tzinfo=AMS), tick=False):
        listed = run_json(capsys)
    assert (listed[0]["item"], listed[0]["due"], listed[0]["overdue"]) == (
        "evaluatie-strategisch-beleid", "2024-12-31T17:00:00+01:00", True,
    )
    assert listed[0]["recipients"] == ["U01CISO", "U01DIR2", "U01GSEC"]
    assert listed[1]["due"] == "2026-12-31T17:00:00+01:00" and not listed[1]["overdue"]
    assert listed[-1]["due"] < "2027-12-01"


def test_list_as_text_for_people(cli: Context, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reminders", "list", "--from", "2027-02-01", "--until", "2027-02-28"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2027-02-09 10:00  Informatieveiligheid- en privacyoverleg (§7.3)\n    wie: Sanne de Vries (CISO), ")
    assert "herinneringen: 26-01-2027 09:00 (14d), 02-02-2027 09:00 (voorbereiding)" in out


def test_ics_to_a_file(cli: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "agenda.ics"
    assert main(["reminders", "ics", "--from", "2027-01-01", "--until", "2027-12-31", "--output", str(target)]) == 0
    exported = icalendar.Calendar.from_ical(target.read_bytes())
    assert len(exported.walk("VEVENT")) == 14
    assert "14 afspraken geschreven" in capsys.readouterr().err


def test_ics_to_standard_output(cli: Context, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["reminders", "ics", "--from", "2027-02-01", "--until", "2027-02-28"]) == 0
    out = capsysbinary.readouterr().out
    assert out.startswith(b"BEGIN:VCALENDAR\r\n") and out.count(b"BEGIN:VEVENT") == 2


@pytest.mark.parametrize("args", [["reminders", "--help"], ["reminders", "list", "--help"], ["reminders", "ics", "--help"]])
def test_help(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(args)
    assert done.value.code == 0
    assert "usage: python -m bot reminders" in capsys.readouterr().out


def test_wrong_dates_are_refused(cli: Context, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reminders", "list", "--from", "2027-05-01", "--until", "2027-04-01"]) == 2
    assert "--until ligt vóór --from" in capsys.readouterr().err
    with pytest.raises(SystemExit) as refused:
        main(["reminders", "list", "--from", "1 mei"])
    assert refused.value.code == 2
    assert "'1 mei' is geen datum als 2027-01-31" in capsys.readouterr().err


def test_a_broken_calendar_is_reported_with_its_problems(
    cli: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    broken = tmp_path / "calendar.yaml"
    broken.write_text('items:\n  - id: overleg\n    kind: meeting\n    title: Overleg\n    section: "7.3"\n'
                      '    roles: [cisoo]\n    schedule: {months: [2], day: 1, time: "10:00"}\n', encoding="utf-8")
    monkeypatch.setattr(loader, "DEFAULT_CALENDAR", broken)
    assert main(["reminders", "list", "--json"]) == 2
    err = capsys.readouterr().err
    assert "Fout in de kalender" in err and "regel 2 (item 'overleg'): onbekende rol 'cisoo'" in err
