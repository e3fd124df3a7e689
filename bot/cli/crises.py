"""`crises list` and `crises report REF`: the operator's view of crises (direct database access)."""

from __future__ import annotations

import argparse
import json
import sys

from bot.config import Settings
from bot.runtime import Runtime
from commands.audit import record
from commands.escalate.closing import report_markdown
from storage import crises


def add_subcommands(subcommands: argparse._SubParsersAction) -> None:
    group = subcommands.add_parser("crises", help="ICT-crises: overzicht en verslagen", description="ICT-crises (§7.3) bekijken.")
    actions = group.add_subparsers(title="acties", metavar="ACTIE", required=True)

    show = actions.add_parser("list", help="alle crises, nieuwste eerst", description="Toont alle crises en verzoeken, nieuwste eerst.")
    show.add_argument("--json", action="store_true", help="als JSON (één lijst)")
    show.set_defaults(handler=show_list)

    report = actions.add_parser("report", help="het verslag van één crisis (Markdown)",
                                description="Print het verslag van crisis REF als Markdown: team, oproepen, tijdlijn en acties.")
    report.add_argument("reference", metavar="REF", help="kenmerk, bijvoorbeeld CRISIS-2026-0003")
    report.set_defaults(handler=show_report)


def show_list(args: argparse.Namespace, settings: Settings) -> int:
    ctx = Runtime.start(settings).ctx
    with ctx.db.session() as session:
        found = crises.all_crises(session)
        record(session, ctx, "cli", "crisis.list", f"{len(found)} crises", "crises list")
    rows = [{
        "reference": c.reference, "status": c.status, "department": c.department, "personal_data": c.personal_data,
        "source": c.source, "room": c.room_name, "created": ctx.local(c.created_at).isoformat(),
        "declared": ctx.local(c.declared_at).isoformat() if c.declared_at else None,
        "closed": ctx.local(c.closed_at).isoformat() if c.closed_at else None, "text": c.description,
    } for c in found]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("Nog geen crises.")
    for row in rows:
        print(f"{row['reference']:<18} {row['status']:<10} {row['created'][:16]}  {row['department'] or '—'}: {row['text'][:60]}")
    return 0


def show_report(args: argparse.Namespace, settings: Settings) -> int:
    ctx = Runtime.start(settings).ctx
    with ctx.db.session() as session:
        crisis = crises.by_reference(session, args.reference)
        if crisis is None:
            print(f"Crisis {args.reference} bestaat niet. Zie: python -m bot crises list", file=sys.stderr)
            return 1
        markdown = report_markdown(session, ctx, crisis)
        record(session, ctx, "cli", "crisis.report", crisis.reference)
    print(markdown, end="")
    return 0
