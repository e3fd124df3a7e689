"""`/agenda` (mine), `/agenda alles` (everyone) and the App Home section, from the roster of now."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from commands import build_router
from commands.context import Actor, Context
from commands.remind import loader
from commands.roster import import_roster_file
from tests.support.clock import FakeClock

AMS = ZoneInfo("Europe/Amsterdam")
ROSTER = Path(__file__).parents[1] / "fixtures" / "roster.yaml"


def agenda(ctx: Context, user_id: str, text: str = ""):
    [message] = build_router().run_command(ctx, Actor(user_id), "agenda", text).messages
    return message


def test_my_agenda_lists_what_concerns_me_with_my_role(roster: Context, clock: FakeClock) -> None:
    clock.set(datetime(2027, 1, 20, 9, 0, tzinfo=AMS))
    message = agenda(roster, "U01DSPOB")
    body = message.blocks[0]
    assert message.title == "📅 Jouw agenda (komende 90 dagen)"
    assert "*dinsdag 9 februari 2027, 10:00–11:30*: Informatieveiligheid- en privacyoverleg (§7.3) — als DSPO" in body
    assert "stem vooraf af met je afdelingsmanager; herinnering op dinsdag 2 februari 2027" in body
    assert "Presentaties ENSIA-verantwoording" in body
    assert "Opdrachtgever" not in body and "Evaluatie" not in body


def test_the_ciso_sees_the_overdue_policy_evaluation_first(roster: Context) -> None:
    body = agenda(roster, "U01CISO").blocks[0]  # the test clock: Monday 30 November 2026
    first_line = body.splitlines()[0]
    assert first_line.startswith("• ⚠️ *te laat, was uiterlijk dinsdag 31 december 2024*: Evaluatie strategisch")
    assert "— als CISO" in first_line
    assert "ENSIA-zelfevaluatie afgerond" in body


def test_an_open_deliverable_has_a_gereed_button_until_it_is_marked(roster: Context, clock: FakeClock) -> None:
    clock.set(datetime(2027, 3, 1, 9, 0, tzinfo=AMS))
    message = agenda(roster, "U01MGRB")
    assert "Deelrapportage ENSIA (§8.1) — als afdelingsmanager — nog niet gereed" in message.blocks[0]
    [button] = message.buttons
    assert (button.label, button.value) == ("✅ Gereed: Deelrapportage ENSIA 2027", "ensia-deelrapportage|2027-04-01|U01MGRB")
    build_router().press(roster, Actor("U01MGRB"), button.action, button.value)
    after = agenda(roster, "U01MGRB")
    assert "Deelrapportage ENSIA (§8.1) — als afdelingsmanager — ✅ gereed" in after.blocks[0]
    assert after.buttons == []


def test_nothing_for_someone_without_a_role(roster: Context) -> None:
    assert agenda(roster, "U01EMP").blocks == ["Voor jou staat de komende 90 dagen niets op de agenda."]


def test_agenda_alles_shows_everyone_and_the_roles_nobody_holds(roster: Context, clock: FakeClock, tmp_path: Path) -> None:
    changed = tmp_path / "roster.yaml"
    changed.write_text(ROSTER.read_text(encoding="utf-8").replace("    roles: [fg]", "    roles: [medewerker]"), encoding="utf-8")
    import_roster_file(roster, changed)
    clock.set(datetime(2027, 1, 20, 9, 0, tzinfo=AMS))
    message = agenda(roster, "U01EMP", "alles")
    body = message.blocks[0]
    assert message.title == "📅 Agenda informatiebeveiliging (komende 90 dagen)"
    assert "Informatieveiligheid- en privacyoverleg (§7.3)\n    met CISO <@U01CISO>, DSPO (3)\n    ⚠️ niemand is FG" in body
    assert "Opdrachtgever–opdrachtnemeroverleg" in body and "Deelrapportage ENSIA" in body


def test_an_unknown_argument_explains_the_two_forms(roster: Context) -> None:
    assert agenda(roster, "U01EMP", "volgende week").text.startswith("Gebruik `/agenda`")


def test_app_home_shows_my_next_items_without_buttons(roster: Context, clock: FakeClock) -> None:
    clock.set(datetime(2027, 3, 1, 9, 0, tzinfo=AMS))
    sections = build_router().home(roster, Actor("U01MGRB"))
    mine = next(m for m in sections if m.title == "📅 Jouw agenda (komende 90 dagen)")
    assert "Deelrapportage ENSIA" in mine.blocks[0]
    assert mine.buttons == []


def test_a_broken_calendar_is_explained_instead_of_failing(roster: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "calendar.yaml"
    broken.write_text("items:\n  - id: overleg\n    kind: vergadering\n", encoding="utf-8")
    monkeypatch.setattr(loader, "DEFAULT_CALENDAR", broken)
    message = agenda(roster, "U01CISO")
    assert message.text.startswith("⚠️ De kalender kan niet worden gelezen")
    assert "kind 'vergadering' onbekend" in message.text
    [home] = [m for m in build_router().home(roster, Actor("U01CISO")) if m.text.startswith("⚠️ De kalender")]
    assert "regel 2" in home.text
