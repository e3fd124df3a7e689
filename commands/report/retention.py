"""Retention: personal data leaves the register `retention_years` after a report is closed.

The BIO asks to keep incident records at least 3 years (the default). After that the text,
the reporter (plain or sealed), the handler, notes and the texts of delivered messages go;
reference, category, severity, department, dates, status and the AP facts stay, so the
yearly statistics (see export) do not change. The audit log is kept as it is: it holds no
report texts.
"""

from __future__ import annotations

from datetime import datetime

from commands.audit import record
from commands.context import Context
from storage.reports import add_event, closed_before, forget_details


def cutoff(ctx: Context) -> datetime:
    """Reports closed before this moment are past their retention period."""
    now, years = ctx.now(), ctx.options.retention_years
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February in a year without one
        return now.replace(year=now.year - years, day=28)


def purge(ctx: Context, *, dry_run: bool = False, actor: str = "cli") -> list[str]:
    """Remove personal data from reports past retention; returns their references."""
    with ctx.db.session() as session:
        due = closed_before(session, cutoff(ctx))
        references = [report.reference for report in due]
        if dry_run or not due:
            return references
        for report in due:
            forget_details(session, report, ctx.now())
            add_event(session, report, ctx.now(), "systeem", "persoonsgegevens verwijderd",
                      f"{ctx.options.retention_years} jaar na afsluiten")
        record(session, ctx, actor, "report.purge", f"{len(due)} meldingen", ", ".join(references))
    return references
