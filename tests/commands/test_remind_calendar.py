"""The calendar file: the defaults from the policy, the date rules, and clear problems for wrong input."""

from __future__ import annotations

import os
from datetime import date, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from commands.remind.loader import CalendarError, load_calendar, parse_calendar
from commands.roles import ROLE_IDS

AMS = ZoneInfo("Europe/Amsterdam")

MINIMAL = """
items:
  - id: overleg
    kind: meeting
    title: Overleg
    section: "7.3"
    roles: [ciso]
    schedule: {{months: [2], {rule}, time: "10:00"}}
"""


def _one_item(rule: str):
    return parse_calendar(MINIMAL.format(rule=rule)).items[0]


def test_the_default_calendar_has_the_policy_moments_with_canonical_roles() -> None:
    calendar = load_calendar()
    by_id = {item.id: item for item in calendar.items}
    assert set(by_id) == {
        "iv-privacy-overleg", "opdrachtgever-overleg", "ensia-deelrapportage", "ensia-presentaties",
        "ensia-bestuurlijke-rapportage", "ensia-vragenlijsten", "ensia-zelfevaluatie", "informatiebeveiligingsplan",
        "evaluatie-strategisch-beleid",
    }
    assert all(set(item.roles) <= set(ROLE_IDS) for item in calendar.items)
    assert by_id["opdrachtgever-overleg"].roles == ("bestuurlijk-opdrachtgever", "ambtelijk-opdrachtgever", "cio", "ciso", "fg")
    assert by_id["iv-privacy-overleg"].roles == ("ciso", "dspo", "fg")
    assert by_id["iv-privacy-overleg"].preparation.with_role == "afdelingsmanager"
    assert by_id["ensia-presentaties"].roles == ("afdelingsmanager", "dspo", "ciso", "ambtelijk-opdrachtgever")
    assert [i for i, item in by_id.items() if item.deliverable] == ["ensia-deelrapportage", "ensia-bestuurlijke-rapportage"]
    assert by_id["evaluatie-strategisch-beleid"].roles == ("ciso", "directie")
    assert by_id["iv-privacy-overleg"].leads == (14, 2, 0)
    assert (calendar.working_hours.start, calendar.working_hours.end) == (time(9), time(17))


def test_a_year_of_the_default_calendar() -> None:
    occurrences = load_calendar().occurrences(date(2027, 1, 1), date(2027, 12, 31), AMS)
    assert [(o.due.isoformat(), o.item.id) for o in occurrences] == [
        ("2027-02-09T10:00:00+01:00", "iv-privacy-overleg"),
        ("2027-02-25T14:00:00+01:00", "opdrachtgever-overleg"),
        ("2027-04-01T17:00:00+02:00", "ensia-deelrapportage"),
        ("2027-04-20T10:00:00+02:00", "ensia-presentaties"),
        ("2027-04-30T17:00:00+02:00", "ensia-bestuurlijke-rapportage"),
        ("2027-05-11T10:00:00+02:00", "iv-privacy-overleg"),
        ("2027-05-27T14:00:00+02:00", "opdrachtgever-overleg"),
        ("2027-07-01T09:00:00+02:00", "ensia-vragenlijsten"),
        ("2027-08-10T10:00:00+02:00", "iv-privacy-overleg"),
        ("2027-08-26T14:00:00+02:00", "opdrachtgever-overleg"),
        ("2027-10-01T17:00:00+02:00", "informatiebeveiligingsplan"),
        ("2027-11-09T10:00:00+01:00", "iv-privacy-overleg"),
        ("2027-11-25T14:00:00+01:00", "opdrachtgever-overleg"),
        ("2027-12-31T17:00:00+01:00", "ensia-zelfevaluatie"),
    ]


def test_the_strategic_policy_evaluation_comes_every_five_years_from_the_end_of_2020_2024() -> None:
    item = load_calendar().item("evaluatie-strategisch-beleid")
    assert item is not None
    found = item.occurrences(date(2015, 1, 1), date(2035, 12, 31), AMS)
    assert [o.day for o in found] == [date(2024, 12, 31), date(2029, 12, 31), date(2034, 12, 31)]


@pytest.mark.parametrize("rule,expected", [
    ("weekday: dinsdag, nth: 2", date(2027, 2, 9)),
    ("weekday: tuesday, nth: 1", date(2027, 2, 2)),
    ("weekday: vrijdag, nth: -1", date(2027, 2, 26)),
    ("weekday: maandag, nth: 4", date(2027, 2, 22)),
    ("day: 15", date(2027, 2, 15)),
])
def test_date_rules(rule: str, expected: date) -> None:
    assert [o.day for o in _one_item(rule).occurrences(date(2027, 1, 1), date(2027, 12, 31), AMS)] == [expected]


ITEM = """items:
  - id: {id}
    kind: {kind}
    title: Overleg
    section: "7.3"
    roles: {roles}
    {extra}
    schedule:
      months: [2]
      {rule}
      time: {time}
"""
VALID = {"id": "overleg", "kind": "meeting", "roles": "[ciso]", "extra": "", "rule": "day: 12", "time": '"10:00"'}


@pytest.mark.parametrize("change,problem", [
    ({}, None),
    ({"roles": "[cisoo]"}, "onbekende rol 'cisoo'"),
    ({"kind": "vergadering"}, "kind 'vergadering' onbekend"),
    ({"time": "10:00"}, "zet hem tussen aanhalingstekens"),  # YAML reads an unquoted 10:00 as the number 600
    ({"rule": "day: 30"}, "schedule.day 30 bestaat niet in maand 2"),
    ({"rule": "weekday: dinsdag\n      nth: 0"}, "schedule.nth is 1 t/m 4"),
    ({"rule": "weekday: vandaag\n      nth: 1"}, "weekday is een dag als 'dinsdag'"),
    ({"extra": 'remind_at: "08:00"'}, "remind_at 08:00 ligt buiten de werktijden"),
    ({"rule": "day: 12\n      every_years: 5"}, "bij every_years hoort first_year"),
    ({"id": "Overleg 1"}, "id 'Overleg 1' mag alleen kleine letters"),
    ({"extra": "colour: red"}, "onbekend veld 'colour'"),
    ({"extra": "leads: [14, -1]"}, "'leads' moet een geheel getal van 0 t/m 366 zijn"),
])
def test_problems_name_the_line_and_the_item(change: dict[str, str], problem: str | None) -> None:
    text = ITEM.format(**{**VALID, **change})
    if problem is None:
        assert parse_calendar(text).items[0].id == "overleg"
        return
    with pytest.raises(CalendarError) as error:
        parse_calendar(text, source="kalender.yaml")
    assert any(problem in p and p.startswith("kalender.yaml, regel 2") for p in error.value.problems), error.value.problems


def test_a_duplicate_id_is_refused() -> None:
    item = MINIMAL.format(rule="day: 1").split("items:\n")[1]
    with pytest.raises(CalendarError, match="komt twee keer voor"):
        parse_calendar("items:\n" + item + item)


def test_not_yaml_or_without_items_is_refused_with_a_hint() -> None:
    with pytest.raises(CalendarError, match="geen geldige YAML"):
        parse_calendar("items: [\n")
    with pytest.raises(CalendarError, match="verwacht een lijst 'items:'"):
        parse_calendar("people: []\n")


def test_an_edited_calendar_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "calendar.yaml"
    path.write_text(MINIMAL.format(rule="day: 1"), encoding="utf-8")
    assert load_calendar(path).items[0].schedule.day == 1
    path.write_text(MINIMAL.format(rule="day: 2"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # a later modification time, as an editor gives
    assert load_calendar(path).items[0].schedule.day == 2


def test_a_missing_calendar_file_is_a_calendar_problem(tmp_path: Path) -> None:
    with pytest.raises(CalendarError, match="kan de kalender niet lezen"):
        load_calendar(tmp_path / "absent.yaml")
