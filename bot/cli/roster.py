"""`roster import FILE` and `roster list`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bot.config import Settings
from bot.runtime import Runtime
from commands.roster import import_roster_file, list_roster


def add_subcommands(subcommands: argparse._SubParsersAction) -> None:
    roster = subcommands.add_parser("roster", help="het rooster: wie heeft welke rol", description="Het rooster beheren.")
    actions = roster.add_subparsers(title="acties", metavar="ACTIE", required=True)

    load = actions.add_parser(
        "import",
        help="rooster uit een YAML-bestand laden",
        description="Vervangt het opgeslagen rooster door FILE. Bij een fout blijft het opgeslagen rooster ongewijzigd.",
    )
    load.add_argument("file", type=Path, metavar="FILE", help="YAML-bestand met 'people:' (zie README)")
    load.set_defaults(handler=import_file)

    show = actions.add_parser("list", help="het huidige rooster tonen", description="Toont wie er nu in het rooster staan.")
    show.add_argument("--json", action="store_true", help="als JSON (één lijst)")
    show.set_defaults(handler=show_list)


def import_file(args: argparse.Namespace, settings: Settings) -> int:
    runtime = Runtime.start(settings)
    parsed, change = import_roster_file(runtime.ctx, args.file, actor="cli")
    for warning in parsed.warnings:
        print(f"Let op: {warning}")
    print(
        f"Rooster geladen: {len(parsed.entries)} personen "
        f"({change.added} nieuw, {change.updated} gewijzigd, {change.deactivated} niet meer in het rooster)."
    )
    return 0


def show_list(args: argparse.Namespace, settings: Settings) -> int:
    members = list_roster(Runtime.start(settings).ctx)
    if args.json:
        print(json.dumps([
            {"id": m.id, "name": m.name, "roles": list(m.roles), "department": m.department, "deputy": m.deputy_id}
            for m in members
        ], ensure_ascii=False, indent=2))
        return 0
    if not members:
        print("Het rooster is leeg. Laad er een met: python -m bot roster import FILE")
    for m in members:
        department = f" — {m.department}" if m.department else ""
        deputy = f" (plaatsvervanger: {m.deputy_id})" if m.deputy_id else ""
        print(f"{m.id:<14} {m.name}: {', '.join(m.roles) or 'geen rol'}{department}{deputy}")
    return 0
