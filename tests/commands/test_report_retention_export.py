"""Retention (personal data leaves, statistics stay) and the yearly ENSIA export."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from commands.context import Actor
from commands.report.export import to_csv, to_markdown, year_export
from commands.report.retention import purge
from tests.support.reports import audit, events, meld, outbox, reference_in, report

NO_AP = {"ap_decision": "", "ap_date": "", "ap_time": "", "ap_reference": ""}


def _close(router, ctx, reference: str, outcome: str = "afgehandeld", **ap: str) -> None:  # noqa: ANN001
    form = router.press(ctx, Actor("U01CISO"), "report.close", reference).form
    assert form is not None
    values = {"outcome": outcome, "note": "collega gesproken"} | ({**NO_AP, **ap} if ap else {})
    assert router.check_form(form.form_id, values) == {}
    router.submit(ctx, Actor("U01CISO"), form.form_id, values, form.context)


def test_purge_removes_personal_data_after_the_retention_period(roster, router, clock) -> None:  # noqa: ANN001
    closed = reference_in(meld(router, roster, "U01EMP", "collega deelt wachtwoord met <@U01EMP2>"))
    still_open = reference_in(meld(router, roster, "U01EMP2", "phishing"))
    router.press(roster, Actor("U01DSPOB"), "report.take", closed)
    _close(router, roster, closed)

    clock.advance(days=3 * 365 + 1)  # three years to the minute (2028 has 29 February)
    assert purge(roster) == []
    clock.advance(minutes=1)
    assert purge(roster, dry_run=True) == [closed]
    assert report(roster, closed).text  # a dry run changes nothing

    assert purge(roster) == [closed]

    gone = report(roster, closed)
    assert (gone.text, gone.reporter_id, gone.handler_id, gone.outcome_note) == ("", None, None, None)
    assert (gone.category, gone.severity, gone.department, gone.status) == ("onveilig-gedrag", "middel", "Burgerzaken", "afgehandeld")
    assert gone.purged_at == clock()
    assert all(e.actor in ("", "systeem") and "wachtwoord" not in e.detail for e in events(roster, closed))
    assert all("wachtwoord" not in str(row.payload) and "U01EMP" not in str(row.payload) for row in outbox(roster, f"report:{closed}:"))
    assert report(roster, still_open).text == "phishing"
    assert [a.detail for a in audit(roster, "report.purge")] == [closed]
    assert purge(roster) == []  # once


def test_retention_period_is_configurable(roster, router, clock) -> None:  # noqa: ANN001
    reference = reference_in(meld(router, roster, "U01EMP", "phishing"))
    _close(router, roster, reference)
    clock.advance(days=366)

    assert purge(roster) == []
    assert purge(replace(roster, options=replace(roster.options, retention_years=1))) == [reference]


@pytest.fixture
def year(roster, router, clock):  # noqa: ANN001, ANN201
    """Four reports in 2026 (and one in 2025 that must not count)."""
    clock.set(datetime(2025, 12, 31, 12, 0, tzinfo=UTC))
    meld(router, roster, "U01EMP", "vorig jaar")
    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    phishing = reference_in(meld(router, roster, "U01EMP", "phishingmail"))
    reported = reference_in(meld(router, roster, "U01EMP2", "dossier met BSN naar de verkeerde ontvanger gemaild"))
    not_reported = reference_in(meld(router, roster, "U01EMP2", "persoonsgegevens op de printer laten liggen"))
    reference_in(meld(router, roster, "U01EMP", "laptop gestolen, ransomware erop"))
    clock.advance(hours=2)
    _close(router, roster, phishing)
    clock.advance(hours=28)
    _close(router, roster, reported, ap_decision="gemeld", ap_date="2026-03-03", ap_time="10:00", ap_reference="AP-1")
    clock.advance(hours=66)
    _close(router, roster, not_reported, "afgewezen", ap_decision="niet-melden")
    return roster


def test_export_counts_the_year(year) -> None:  # noqa: ANN001
    export = year_export(year, 2026)

    t = export.total
    assert (t.reports, t.open, t.resolved, t.rejected) == (4, 1, 2, 1)
    assert (t.breaches, t.reported_to_ap, t.reported_in_time, t.not_to_report, t.undecided) == (2, 1, 1, 1, 0)
    assert t.median_hours == 30
    assert {name: f.reports for name, f in export.by_department} == {"Burgerzaken": 2, "Sociaal Domein": 2}
    assert {name: f.reports for name, f in export.by_category if f.reports} == {
        "phishing": 1, "datalek": 1, "verlies-diefstal": 2}
    assert {name: f.reports for name, f in export.by_severity} == {"laag": 0, "middel": 3, "hoog": 0, "kritiek": 1}
    assert [a.subject for a in audit(year, "report.export")] == ["ENSIA 2026"]


def test_export_as_csv(year) -> None:  # noqa: ANN001
    rows = list(csv.DictReader(io.StringIO(to_csv(year_export(year, 2026)))))

    assert rows[0] == {"dimensie": "totaal", "groep": "2026", "meldingen": "4", "open": "1", "afgehandeld": "2",
                       "afgewezen": "1", "datalekken": "2", "gemeld_bij_ap": "1", "mediane_doorlooptijd_uren": "30.0"}
    social = next(r for r in rows if r["groep"] == "Sociaal Domein")
    assert (social["dimensie"], social["datalekken"], social["gemeld_bij_ap"]) == ("afdeling", "2", "1")
    assert {r["dimensie"] for r in rows} == {"totaal", "afdeling", "categorie", "ernst"}


def test_export_as_markdown_reads_as_an_annex(year) -> None:  # noqa: ANN001
    text = to_markdown(year, year_export(year, 2026))

    assert text.startswith("# Bijlage: informatiebeveiligingsincidenten 2026\n")
    assert "- 4 meldingen: 2 afgehandeld, 1 afgewezen, 1 nog open." in text
    assert "- 2 mogelijke datalekken: 1 gemeld bij de Autoriteit Persoonsgegevens (waarvan 1 binnen 72 uur)" in text
    assert "mediaan 30 uur" in text
    assert "| Sociaal Domein | 2 | 0 | 1 | 1 | 2 | 1 | 2,6 dagen |" in text
    assert "| Phishing | 1 | 0 | 1 | 0 | 0 | 0 | 2 uur |" in text
    assert "| Gemeld bij de AP | 1 |" in text


def test_export_keeps_counting_after_a_purge(year, clock) -> None:  # noqa: ANN001
    before = to_csv(year_export(year, 2026))
    clock.advance(days=4 * 365)
    assert len(purge(year)) == 3  # the closed ones

    assert to_csv(year_export(year, 2026)) == before
