"""`incidents list|export|purge|replay`: the operator's tools for the register (direct database access).

Whoever runs these has DATABASE_URL and so the whole register; the chat's access rules do
not apply, but every use is in the audit log (actor "cli"), and an anonymous reporter stays
sealed: no subcommand opens the seal.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import OperationalError

from bot.config import Settings
from bot.runtime import Runtime
from commands.audit import record
from commands.context import Context
from commands.report.export import to_csv, to_markdown, year_export
from commands.report.filing import replay_accepted, replay_spool
from commands.report.retention import cutoff, purge
from storage import report_spool
from storage.db import DatabaseUnavailable
from storage.reports import Report, all_reports


def add_subcommands(subcommands: argparse._SubParsersAction) -> None:
    incidents = subcommands.add_parser(
        "incidents", help="het incidentenregister: tonen, ENSIA-export, bewaartermijn",
        description="Het incidentenregister beheren (rechtstreeks op de database; elk gebruik komt in het auditlog).",
    )
    actions = incidents.add_subparsers(title="acties", metavar="ACTIE", required=True)

    show = actions.add_parser("list", help="alle meldingen tonen",
                              description="Toont alle meldingen. Anonieme melders blijven verzegeld.")
    show.add_argument("--json", action="store_true", help="als JSON: één lijst met een object per melding")
    show.set_defaults(handler=show_list)

    export = actions.add_parser(
        "export", help="ENSIA-cijfers van een jaar (CSV of Markdown)",
        description="Aantallen per afdeling, categorie en ernst, datalekken en AP-meldingen, en doorlooptijden "
        "van de meldingen van één jaar. Markdown is de bijlage bij de bestuurlijke rapportage.",
    )
    export.add_argument("--year", type=int, required=True, help="het jaar, bijvoorbeeld 2026")
    export.add_argument("--format", choices=("csv", "md"), default="md", help="csv of md (standaard md)")
    export.add_argument("--output", type=Path, metavar="FILE", help="naar dit bestand in plaats van het scherm")
    export.set_defaults(handler=export_year)

    remove = actions.add_parser(
        "purge", help="persoonsgegevens verwijderen na de bewaartermijn",
        description="Verwijdert tekst, melder, behandelaar en toelichting van meldingen die langer dan "
        "BOT_RETENTION_YEARS jaar (standaard 3) gesloten zijn. Nummer, categorie, ernst, afdeling, data en "
        "status blijven voor de statistiek.",
    )
    remove.add_argument("--dry-run", action="store_true", help="alleen tonen welke meldingen het zou betreffen")
    remove.set_defaults(handler=purge_expired)

    replay = actions.add_parser(
        "replay", help="meldingen uit de wachtrij inschrijven",
        description="Schrijft meldingen in die tijdens een storing van de database in de wachtrij (BOT_SPOOL_DIR) "
        "zijn gezet. De bot doet dit zelf bij de volgende melding; dit commando doet het meteen.",
    )
    replay.set_defaults(handler=replay_waiting)


def _start(settings: Settings) -> Context:
    try:
        return Runtime.start(settings).ctx
    except OperationalError as error:  # the schema upgrade is the first thing to reach the database
        raise DatabaseUnavailable(type(error).__name__) from error


def show_list(args: argparse.Namespace, settings: Settings) -> int:
    ctx = _start(settings)
    with ctx.db.session() as session:
        reports = all_reports(session)
        record(session, ctx, "cli", "report.list", f"{len(reports)} meldingen", "incidents list")
    if args.json:
        print(json.dumps([as_json(ctx, r) for r in reports], ensure_ascii=False, indent=2))
        return 0
    if not reports:
        print("Het register is leeg.")
    for r in reports:
        print(f"{r.reference}  {r.status:<15} {r.category:<21} {r.severity:<7} {r.department or '-':<30} "
              f"{_moment(ctx, r.created_at)}")
    return 0


def as_json(ctx: Context, report: Report) -> dict[str, Any]:
    return {
        "reference": report.reference,
        "category": report.category,
        "severity": report.severity,
        "status": report.status,
        "department": report.department,
        "created": _moment(ctx, report.created_at),
        "discovered": _moment(ctx, report.discovered_at),
        "closed": _moment(ctx, report.closed_at),
        "text": report.text,
        "anonymous": report.anonymous,
        "reporter": report.reporter_id,  # None when anonymous: the seal stays closed here
        "handler": report.handler_id,
        "personal_data": report.personal_data,
        "people_affected": report.people_affected,
        "ap_deadline": _moment(ctx, report.ap_deadline),
        "ap_reported": report.ap_reported,
        "ap_reported_at": _moment(ctx, report.ap_reported_at),
        "ap_reference": report.ap_reference,
        "source_link": report.source_link,
        "purged": _moment(ctx, report.purged_at),
    }


def _moment(ctx: Context, moment: datetime | None) -> str | None:
    return ctx.local(moment).isoformat(timespec="seconds") if moment else None


def export_year(args: argparse.Namespace, settings: Settings) -> int:
    ctx = _start(settings)
    export = year_export(ctx, args.year)
    text = to_csv(export) if args.format == "csv" else to_markdown(ctx, export)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"ENSIA-cijfers {args.year} ({export.total.reports} meldingen) geschreven naar {args.output}.")
    else:
        sys.stdout.write(text)
    return 0


def purge_expired(args: argparse.Namespace, settings: Settings) -> int:
    ctx = _start(settings)
    references = purge(ctx, dry_run=args.dry_run)
    limit = ctx.local(cutoff(ctx)).date().isoformat()
    if not references:
        print(f"Geen meldingen die vóór {limit} zijn gesloten en nog persoonsgegevens bevatten.")
    elif args.dry_run:
        print(f"Zou persoonsgegevens verwijderen uit {len(references)} meldingen (gesloten vóór {limit}): "
              f"{', '.join(references)}")
    else:
        print(f"Persoonsgegevens verwijderd uit {len(references)} meldingen (gesloten vóór {limit}): {', '.join(references)}")
    return 0


def replay_waiting(args: argparse.Namespace, settings: Settings) -> int:
    ctx = _start(settings)
    filed = replay_spool(ctx) + replay_accepted(ctx)
    left = len(report_spool.waiting(ctx.options.spool_dir))
    stuck = f" {left} konden niet worden ingeschreven; zie het log." if left else ""
    print(f"{filed} meldingen uit de wachtrij ingeschreven.{stuck}")
    return 1 if left else 0
