"""Reading the calendar YAML (knowledge/calendar.yaml), checking every field, with clear problems.

The file is read again when it changes, so an edited calendar takes effect at the next
planning round without a restart.
"""

from __future__ import annotations

import re
import threading
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import yaml

from commands.remind.model import Calendar, Item, Preparation, Schedule, WorkingHours
from commands.roles import ROLE_IDS

DEFAULT_CALENDAR = Path(__file__).resolve().parents[2] / "knowledge" / "calendar.yaml"
KINDS = ("meeting", "deadline", "milestone")
ITEM_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
WEEKDAYS = {
    **{name: n for n, name in enumerate(("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"))},
    **{name: n for n, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))},
}
DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # February without leap days: every year must work
ITEM_KEYS = {
    "id", "kind", "title", "section", "roles", "schedule", "leads", "remind_at", "duration_minutes", "purpose",
    "bring", "deliverable", "missing_report_to", "preparation", "overdue_notice", "overdue_text",
}


class CalendarError(ValueError):
    """The calendar file cannot be used; `problems` says what is wrong where."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


_cache: dict[Path, tuple[int, Calendar]] = {}
_cache_lock = threading.Lock()


def load_calendar(path: Path | None = None) -> Calendar:
    """The calendar in `path` (default: knowledge/calendar.yaml), parsed again only when the file changed."""
    path = path or DEFAULT_CALENDAR
    try:
        modified = path.stat().st_mtime_ns
        with _cache_lock:
            cached = _cache.get(path)
        if cached and cached[0] == modified:
            return cached[1]
        parsed = parse_calendar(path.read_text(encoding="utf-8"), source=str(path))
    except OSError as error:
        raise CalendarError([f"{path}: kan de kalender niet lezen ({error.strerror})."]) from None
    except UnicodeDecodeError as error:
        raise CalendarError([f"{path}: het bestand is geen UTF-8-tekst (byte {error.start}); sla het op als UTF-8."]) from None
    with _cache_lock:
        _cache[path] = (modified, parsed)
    return parsed


def parse_calendar(text: str, source: str = "calendar.yaml") -> Calendar:
    try:
        data = yaml.safe_load(text)
        lines = _item_lines(yaml.compose(text))
    except yaml.YAMLError as error:
        raise CalendarError([f"{source}: dit is geen geldige YAML ({getattr(error, 'problem', error)})."]) from None
    except RecursionError:
        raise CalendarError([f"{source}: de YAML is te diep genest."]) from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise CalendarError([f"{source}: verwacht een lijst 'items:' (zie de uitleg bovenin knowledge/calendar.yaml)."])
    problems: list[str] = []
    fields = _Fields(source, problems)
    defaults = fields.mapping(data.get("defaults"), "defaults")
    default_leads = fields.leads(defaults.get("leads", [14, 2, 0]), "defaults.leads")
    default_remind_at = fields.clock(defaults.get("remind_at", "09:00"), "defaults.remind_at")
    hours = fields.mapping(data.get("working_hours"), "working_hours")
    working_hours = WorkingHours(
        fields.clock(hours.get("start", "09:00"), "working_hours.start"),
        fields.clock(hours.get("end", "17:00"), "working_hours.end"),
    )
    if working_hours.start >= working_hours.end:
        problems.append(f"{source}: working_hours.start moet vóór working_hours.end liggen.")
    items: list[Item] = []
    for index, raw in enumerate(data["items"]):
        where = f"{source}, regel {lines[index]}" if index < len(lines) else source
        item = _item(raw, _Fields(where, problems), default_leads, default_remind_at, working_hours)
        if item is None:
            continue
        if any(existing.id == item.id for existing in items):
            problems.append(f"{where}: id '{item.id}' komt twee keer voor; elk id mag maar één keer voorkomen.")
            continue
        items.append(item)
    if problems:
        raise CalendarError(problems)
    return Calendar(tuple(items), working_hours)


def _item_lines(root: yaml.Node | None) -> list[int]:
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "items" and isinstance(value, yaml.SequenceNode):
                return [node.start_mark.line + 1 for node in value.value]
    return []


def _item(raw: Any, fields: _Fields, default_leads: tuple[int, ...], default_remind_at: time, hours: WorkingHours) -> Item | None:
    if not isinstance(raw, dict):
        fields.problem("verwacht een item met id, kind, title, roles en schedule.")
        return None
    before = len(fields.problems)
    item_id = fields.text(raw.get("id"), "id", required=True)
    if item_id and not ITEM_ID.match(item_id):
        fields.problem(f"id '{item_id}' mag alleen kleine letters, cijfers en - bevatten (het staat in sleutels en knoppen).")
    fields.where = f"{fields.where} (item '{item_id}')" if item_id else fields.where
    for key in sorted(set(raw) - ITEM_KEYS, key=str):
        fields.problem(f"onbekend veld '{key}'.")
    kind = fields.text(raw.get("kind"), "kind", required=True)
    if kind and kind not in KINDS:
        fields.problem(f"kind '{kind}' onbekend; kies uit {', '.join(KINDS)}.")
    remind_at = fields.clock(raw["remind_at"], "remind_at") if "remind_at" in raw else default_remind_at
    if not hours.start <= remind_at < hours.end:
        fields.problem(f"remind_at {remind_at:%H:%M} ligt buiten de werktijden ({hours.start:%H:%M}-{hours.end:%H:%M}).")
    item = Item(
        id=item_id,
        kind=kind,  # type: ignore[arg-type] - checked against KINDS above
        title=fields.text(raw.get("title"), "title", required=True),
        section=fields.text(raw.get("section"), "section", required=True),
        roles=fields.roles(raw.get("roles"), "roles", required=True),
        schedule=_schedule(raw.get("schedule"), fields),
        leads=fields.leads(raw["leads"], "leads") if "leads" in raw else default_leads,
        remind_at=remind_at,
        purpose=fields.text(raw.get("purpose"), "purpose"),
        bring=fields.text(raw.get("bring"), "bring"),
        duration=_duration(raw.get("duration_minutes"), fields),
        deliverable=fields.flag(raw.get("deliverable"), "deliverable"),
        missing_report_to=fields.roles(raw.get("missing_report_to", ["ciso"]), "missing_report_to", required=True),
        preparation=_preparation(raw.get("preparation"), fields),
        overdue_notice=fields.flag(raw.get("overdue_notice"), "overdue_notice"),
        overdue_text=fields.text(raw.get("overdue_text"), "overdue_text"),
    )
    return item if len(fields.problems) == before else None


def _schedule(raw: Any, fields: _Fields) -> Schedule:
    if not isinstance(raw, dict):
        fields.problem("'schedule' ontbreekt (months, day of weekday+nth, time).")
        return Schedule(months=(1,), at=time(9), day=1)
    months = fields.numbers(raw.get("months"), "schedule.months", 1, 12)
    at = fields.clock(raw.get("time"), "schedule.time")
    every_years = fields.number(raw.get("every_years", 1), "schedule.every_years", 1, 100)
    first_year = raw.get("first_year")
    if every_years > 1 and first_year is None:
        fields.problem("bij every_years hoort first_year: het eerste jaar waarin het gebeurt.")
    first = fields.number(first_year, "schedule.first_year", 1900, 3000) if first_year is not None else None
    if "day" in raw:
        if "weekday" in raw or "nth" in raw:
            fields.problem("schedule heeft óf day, óf weekday met nth, niet allebei.")
        day = fields.number(raw["day"], "schedule.day", 1, 31)
        for month in months:
            if day > DAYS_IN_MONTH[month - 1]:
                fields.problem(f"schedule.day {day} bestaat niet in maand {month}.")
        return Schedule(months=months, at=at, day=day, every_years=every_years, first_year=first)
    weekday = WEEKDAYS.get(str(raw.get("weekday", "")).strip().lower())
    if weekday is None:
        fields.problem(f"schedule heeft day of weekday nodig; weekday is een dag als 'dinsdag' (niet '{raw.get('weekday')}').")
        weekday = 0
    nth = fields.number(raw.get("nth"), "schedule.nth", -4, 4)
    if nth == 0:
        fields.problem("schedule.nth is 1 t/m 4 (de eerste t/m vierde), of -1 (de laatste).")
    return Schedule(months=months, at=at, weekday=weekday, nth=nth or 1, every_years=every_years, first_year=first)


def _duration(raw: Any, fields: _Fields) -> timedelta | None:
    if raw is None:
        return None
    return timedelta(minutes=fields.number(raw, "duration_minutes", 1, 24 * 60))


def _preparation(raw: Any, fields: _Fields) -> Preparation | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        fields.problem("'preparation' heeft roles, with_role, days_before en bring.")
        return None
    with_role = fields.roles(raw.get("with_role"), "preparation.with_role", required=True)
    return Preparation(
        roles=fields.roles(raw.get("roles"), "preparation.roles", required=True),
        with_role=with_role[0] if with_role else "",
        days_before=fields.number(raw.get("days_before"), "preparation.days_before", 1, 60),
        bring=fields.text(raw.get("bring"), "preparation.bring"),
    )


class _Fields:
    """Reads one kind of value each, recording a problem (and returning a harmless value) when it is wrong."""

    def __init__(self, where: str, problems: list[str]) -> None:
        self.where, self.problems = where, problems

    def problem(self, text: str) -> None:
        self.problems.append(f"{self.where}: {text}")

    def text(self, raw: Any, name: str, *, required: bool = False) -> str:
        value = "" if raw is None else str(raw).strip()
        if required and not value:
            self.problem(f"'{name}' ontbreekt.")
        return value

    def mapping(self, raw: Any, name: str) -> dict[str, Any]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.problem(f"'{name}' moet velden met waarden zijn (zoals in de uitleg bovenin), niet {raw!r}.")
            return {}
        return raw

    def flag(self, raw: Any, name: str) -> bool:
        if raw is None or isinstance(raw, bool):
            return bool(raw)
        self.problem(f"'{name}' is true of false.")
        return False

    def number(self, raw: Any, name: str, low: int, high: int) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
            self.problem(f"'{name}' moet een geheel getal van {low} t/m {high} zijn (niet {raw!r}).")
            return max(low, 1)
        return raw

    def numbers(self, raw: Any, name: str, low: int, high: int) -> tuple[int, ...]:
        if not isinstance(raw, list) or not raw:
            self.problem(f"'{name}' moet een lijst getallen zijn, bijvoorbeeld [2, 5, 8, 11].")
            return (low,)
        return tuple(sorted({self.number(value, name, low, high) for value in raw}))

    def leads(self, raw: Any, name: str) -> tuple[int, ...]:
        if not isinstance(raw, list) or not raw:
            self.problem(f"'{name}' moet een lijst dagen zijn, bijvoorbeeld [14, 2, 0].")
            return (0,)
        return tuple(sorted({self.number(value, name, 0, 366) for value in raw}, reverse=True))

    def clock(self, raw: Any, name: str) -> time:
        text = str(raw or "").strip()
        try:
            hours, minutes = (int(part) for part in text.split(":"))
            return time(hours, minutes)
        except ValueError:
            self.problem(f"'{name}' moet een tijd als \"09:00\" zijn (niet {raw!r}); zet hem tussen aanhalingstekens.")
            return time(9)

    def roles(self, raw: Any, name: str, *, required: bool = False) -> tuple[str, ...]:
        values = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
        roles = tuple(dict.fromkeys(str(value).strip().lower() for value in values))
        for role in roles:
            if role not in ROLE_IDS:
                self.problem(f"onbekende rol '{role}' in '{name}'. Bekende rollen: {', '.join(ROLE_IDS)}.")
        if required and not roles:
            self.problem(f"'{name}' ontbreekt (rollen, bijvoorbeeld [ciso]).")
        return tuple(role for role in roles if role in ROLE_IDS)
