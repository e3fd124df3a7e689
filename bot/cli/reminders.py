"""`reminders list [--json] [--from] [--until]` and `reminders ics`: the calendar with today's roster."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.runtime import Runtime
from commands.remind.agenda import Entry, upcoming
from commands.remind.ics import export_ics
from commands.remind.loader import CalendarError, load_calendar
from commands.remind.texts import section_ref
from commands.roles import role_label

DEFAULT_SPAN = timedelta(days=365)


def add_subcommands(subcommands: argparse._SubParsersAction) -> None:
    reminders = subcommands.add_parser(
        "reminders", help="herinneringen: overleggen en ENSIA-deadlines",
        description="De kalender (knowledge/calendar.yaml) met de mensen uit het huidige rooster.",
    )
    actions = reminders.add_subparsers(title="acties", metavar="ACTIE", required=True)

    show = actions.add_parser(
        "list", help="de overleggen en deadlines met wie een herinnering krijgt",
        description="Toont elk moment (overleg, deadline, mijlpaal) met de rollen, de ontvangers uit het huidige rooster "
        "en wanneer de herinneringen gaan. Zonder --from: vanaf vandaag, plus wat te laat is.",
    )
    show.add_argument("--json", action="store_true",
                      help="als JSON: een lijst met per moment meeting, due (ISO 8601 met tijdzone), roles, recipients, reminders")
    _range_arguments(show)
    show.set_defaults(handler=show_list)

    export = actions.add_parser(
        "ics", help="de kalender als iCalendar-bestand (voor Outlook)",
        description="Schrijft de kalender als iCalendar (.ics) naar standaarduitvoer of naar --output. "
        "Importeer het in Outlook; opnieuw importeren werkt bestaande afspraken bij (vaste UID per moment).",
    )
    _range_arguments(export)
    export.add_argument("--output", "-o", type=Path, metavar="FILE", help="schrijf naar dit bestand in plaats van standaarduitvoer")
    export.set_defaults(handler=export_calendar)


def _range_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="first", type=_date, metavar="YYYY-MM-DD", help="vanaf deze datum (standaard vandaag)")
    parser.add_argument("--until", dest="last", type=_date, metavar="YYYY-MM-DD",
                        help="tot en met deze datum (standaard een jaar na --from)")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen datum als 2027-01-31") from None


def show_list(args: argparse.Namespace, settings: Settings) -> int:
    loaded = _load(args, settings, with_overdue=args.first is None)
    if loaded is None:
        return 2
    entries, _now = loaded
    if args.json:
        print(json.dumps([_as_json(entry) for entry in entries], ensure_ascii=False, indent=2))
        return 0
    if not entries:
        print("Geen overleggen of deadlines in deze periode.")
    for entry in entries:
        print(_as_text(entry))
    return 0


def export_calendar(args: argparse.Namespace, settings: Settings) -> int:
    loaded = _load(args, settings, with_overdue=False)
    if loaded is None:
        return 2
    entries, now = loaded
    data = export_ics(entries, now)
    if args.output:
        args.output.write_bytes(data)
        print(f"{len(entries)} afspraken geschreven naar {args.output}.", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


def _load(args: argparse.Namespace, settings: Settings, *, with_overdue: bool) -> tuple[list[Entry], datetime] | None:
    """The agenda for the requested dates with today's roster, or None after printing what is wrong."""
    try:
        calendar = load_calendar()
    except CalendarError as error:
        print(f"Fout in de kalender:\n{error}", file=sys.stderr)
        return None
    runtime = Runtime.start(settings)
    try:
        ctx = runtime.ctx
        first = args.first or ctx.local(ctx.now()).date()
        last = args.last or first + DEFAULT_SPAN
        if last < first:
            print("Fout: --until ligt vóór --from.", file=sys.stderr)
            return None
        with ctx.db.session() as session:
            entries, _done = upcoming(ctx, session, calendar, first, last, with_overdue=with_overdue)
        return entries, ctx.now()
    finally:
        runtime.stop()


def _as_json(entry: Entry) -> dict[str, Any]:
    occurrence, item = entry.occurrence, entry.occurrence.item
    return {
        "item": item.id,
        "meeting": item.title,
        "kind": item.kind,
        "due": occurrence.due.isoformat(timespec="seconds"),
        "end": (occurrence.due + item.duration).isoformat(timespec="seconds") if item.duration else None,
        "section": item.section,
        "roles": list(item.roles),
        "recipients": entry.audience.ids,
        "vacant": [vacancy.slot for vacancy in entry.audience.vacancies],
        "deliverable": item.deliverable,
        "overdue": entry.overdue,
        "reminders": [
            {"at": p.reminder.moment.isoformat(timespec="seconds"), "lead": p.reminder.lead, "recipients": list(p.recipients)}
            for p in entry.reminders
        ],
    }


def _as_text(entry: Entry) -> str:
    occurrence, item = entry.occurrence, entry.occurrence.item
    flag = "  TE LAAT" if entry.overdue else ""
    people = ", ".join(f"{r.member.name} ({role_label(r.role)})" for r in entry.audience.recipients) or "niemand uit het rooster"
    reminders = ", ".join(f"{p.reminder.moment:%d-%m-%Y %H:%M} ({p.reminder.lead})" for p in entry.reminders)
    lines = [f"{occurrence.due:%Y-%m-%d %H:%M}  {item.title} ({section_ref(item)}){flag}", f"    wie: {people}"]
    if entry.audience.vacancies:
        lines.append(f"    niet bezet: {', '.join(v.slot for v in entry.audience.vacancies)}")
    lines.append(f"    herinneringen: {reminders}")
    return "\n".join(lines)
