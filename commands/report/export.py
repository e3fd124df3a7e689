"""The yearly figures for ENSIA and the CISO's bestuurlijke rapportage (policy §8.1).

Counts per department, category and severity, possible data breaches and how many went to
the Autoriteit Persoonsgegevens (and in time), and the time to close. Only statistics: no
texts and no names, so the export can be shared and works after retention purges.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from commands.audit import record
from commands.context import Context
from commands.report.catalogue import CATEGORIES, SEVERITIES, category_label
from commands.report.deadlines import day
from storage.reports import OPEN_STATUSES, REJECTED, RESOLVED, Report, created_between

UNKNOWN_DEPARTMENT = "(afdeling onbekend)"
COLUMNS = ("dimensie", "groep", "meldingen", "open", "afgehandeld", "afgewezen", "datalekken", "gemeld_bij_ap",
           "mediane_doorlooptijd_uren")


@dataclass(frozen=True)
class Figures:
    """The numbers for one group of reports."""

    reports: int
    open: int
    resolved: int
    rejected: int
    breaches: int
    reported_to_ap: int
    reported_in_time: int
    not_to_report: int
    undecided: int
    median_hours: float | None
    mean_hours: float | None

    @classmethod
    def of(cls, reports: list[Report]) -> Figures:
        breaches = [r for r in reports if r.possible_breach]
        reported = [r for r in breaches if r.ap_reported]
        hours = [(r.closed_at - r.created_at).total_seconds() / 3600 for r in reports if r.closed_at]
        return cls(
            reports=len(reports),
            open=sum(r.status in OPEN_STATUSES for r in reports),
            resolved=sum(r.status == RESOLVED for r in reports),
            rejected=sum(r.status == REJECTED for r in reports),
            breaches=len(breaches),
            reported_to_ap=len(reported),
            reported_in_time=sum(bool(r.ap_reported_at and r.ap_deadline and r.ap_reported_at <= r.ap_deadline) for r in reported),
            not_to_report=sum(r.ap_reported is False for r in breaches),
            undecided=sum(r.ap_reported is None for r in breaches),
            median_hours=statistics.median(hours) if hours else None,
            mean_hours=statistics.fmean(hours) if hours else None,
        )


@dataclass(frozen=True)
class YearExport:
    year: int
    made_at: datetime
    total: Figures
    by_department: list[tuple[str, Figures]]
    by_category: list[tuple[str, Figures]]
    by_severity: list[tuple[str, Figures]]


def year_export(ctx: Context, year: int, actor: str = "cli") -> YearExport:
    zone = ctx.options.timezone
    start, end = datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)
    with ctx.db.session() as session:
        reports = created_between(session, start, end)
        record(session, ctx, actor, "report.export", f"ENSIA {year}", f"{len(reports)} meldingen")
    departments = sorted({r.department or UNKNOWN_DEPARTMENT for r in reports})
    return YearExport(
        year=year,
        made_at=ctx.now(),
        total=Figures.of(reports),
        by_department=_grouped(reports, departments, lambda r: r.department or UNKNOWN_DEPARTMENT),
        by_category=_grouped(reports, list(CATEGORIES), lambda r: r.category),
        by_severity=_grouped(reports, list(SEVERITIES), lambda r: r.severity),
    )


def _grouped(reports: list[Report], groups: list[str], key: Callable[[Report], str]) -> list[tuple[str, Figures]]:
    """Every group, also the empty ones: a category without reports is a finding too."""
    return [(group, Figures.of([r for r in reports if key(r) == group])) for group in groups]


# --- CSV: one row per group, the same columns for every dimension ------------------------------


def to_csv(export: YearExport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerow(_csv_row("totaal", str(export.year), export.total))
    for dimension, rows in (("afdeling", export.by_department), ("categorie", export.by_category), ("ernst", export.by_severity)):
        for group, figures in rows:
            writer.writerow(_csv_row(dimension, group, figures))
    return out.getvalue()


def _csv_row(dimension: str, group: str, f: Figures) -> list[str | int]:
    median = "" if f.median_hours is None else f"{f.median_hours:.1f}"
    return [dimension, _csv_safe(group), f.reports, f.open, f.resolved, f.rejected, f.breaches, f.reported_to_ap, median]


def _csv_safe(value: str) -> str:
    """A department named '=…' must not become a formula when the CSV is opened in a spreadsheet."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# --- Markdown: the annex to the bestuurlijke rapportage ------------------------------------------


def to_markdown(ctx: Context, export: YearExport) -> str:
    t = export.total
    lines = [
        f"# Bijlage: informatiebeveiligingsincidenten {export.year}",
        "",
        f"Meldingen in het incidentenregister, gedaan van 1 januari tot en met 31 december {export.year}. "
        f"Opgesteld op {day(ctx, export.made_at)} uit het register, voor de bestuurlijke rapportage van de CISO "
        "en het verantwoordingstraject ENSIA (§8.1 van het informatiebeveiligingsbeleid).",
        "",
        "## Samenvatting",
        "",
        f"- {_count(t.reports, 'melding', 'meldingen')}: {t.resolved} afgehandeld, {t.rejected} afgewezen, {t.open} nog open.",
        f"- {_count(t.breaches, 'mogelijk datalek', 'mogelijke datalekken')}: {t.reported_to_ap} gemeld bij de Autoriteit "
        f"Persoonsgegevens (waarvan {t.reported_in_time} binnen 72 uur), {t.not_to_report} besloten niet te melden, "
        f"{t.undecided} nog zonder besluit.",
        f"- Doorlooptijd tot afsluiten: mediaan {_duration(t.median_hours)}, gemiddeld {_duration(t.mean_hours)}.",
        "",
        "## Per afdeling",
        "",
        *_table("Afdeling", export.by_department, str),
        "",
        "## Per categorie",
        "",
        *_table("Categorie", export.by_category, category_label),
        "",
        "## Per ernst",
        "",
        *_table("Ernst", export.by_severity, str),
        "",
        "## Datalekken en de Autoriteit Persoonsgegevens",
        "",
        "| | Aantal |",
        "| --- | ---: |",
        f"| Mogelijke datalekken (geregistreerd) | {t.breaches} |",
        f"| Gemeld bij de AP | {t.reported_to_ap} |",
        f"| waarvan binnen 72 uur na ontdekking | {t.reported_in_time} |",
        f"| Besloten niet te melden | {t.not_to_report} |",
        f"| Nog geen besluit | {t.undecided} |",
        "",
        "Doorlooptijd: van melden tot afsluiten, over de afgesloten meldingen. Een mogelijk datalek is een melding in "
        "de categorie datalek of een melding waarbij persoonsgegevens betrokken zijn.",
        "",
    ]
    return "\n".join(lines)


def _table(heading: str, rows: list[tuple[str, Figures]], label: Callable[[str], str]) -> list[str]:
    out = [
        f"| {heading} | Meldingen | Open | Afgehandeld | Afgewezen | Datalekken | Gemeld bij AP | Mediane doorlooptijd |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for group, f in rows:
        out.append(f"| {_cell(label(group))} | {f.reports} | {f.open} | {f.resolved} | {f.rejected} | {f.breaches} | "
                   f"{f.reported_to_ap} | {_duration(f.median_hours)} |")
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _duration(hours: float | None) -> str:
    if hours is None:
        return "–"
    if hours < 1:
        return "minder dan 1 uur"
    if hours < 48:
        return f"{round(hours)} uur"
    return f"{hours / 24:.1f} dagen".replace(".", ",")
