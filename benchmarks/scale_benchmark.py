"""Scale benchmark: the register, the agenda and the export with 10,000 reports and 500 people.

    python benchmarks/scale_benchmark.py [--database-url URL] [--reports 10000] [--people 500] [--repeat 15]

Fills a database with a 500-person roster (twenty departments, each with a DSPO and an
afdelingsmanager, the CISO and the other policy roles) and 10,000 reports spread over the
last two years (mixed categories, severities and statuses; possible data breaches with AP
decisions; timelines, recipients, delivered messages and audit rows as the bot writes them),
then times what people and operators do: `/meld status` for a reporter, a DSPO and the CISO,
one report, App Home, `/agenda`, filing a report, a question, and the operator's CLI
commands (as separate processes, the way an operator runs them). Prints a Markdown table.

Without --database-url a temporary SQLite file is used. A PostgreSQL database given with
--database-url is emptied first (every table in its current schema is dropped): give it a
database of its own, never the bot's.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402

from commands import build_router  # noqa: E402
from commands.context import Actor, Context, Options, utc_now  # noqa: E402
from commands.report.deadlines import ap_deadline  # noqa: E402
from commands.roster import import_roster_file  # noqa: E402
from storage.audit import AuditEntry  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.outbox import SENT, OutboxMessage  # noqa: E402
from storage.reports import (  # noqa: E402
    IN_PROGRESS, NEW, REJECTED, RESOLVED, Report, ReportCounter, ReportEvent, ReportRecipient, reference_for,
)
from tests.support.processes import bot_env  # noqa: E402

DEPARTMENTS = (
    "Burgerzaken", "Sociaal Domein", "Informatievoorziening en Automatisering", "Werk en Inkomen", "Jeugd en Onderwijs",
    "Wmo en Zorg", "Belastingen", "Vergunningen, Toezicht en Handhaving", "Ruimtelijke Ontwikkeling", "Openbare Ruimte",
    "Wonen", "Economie en Cultuur", "Financiën", "Personeel en Organisatie", "Juridische Zaken", "Communicatie",
    "Facilitaire Zaken", "Bestuursondersteuning", "Griffie", "Klantcontactcentrum",
)
FIRST = ("Sanne", "Ahmet", "Els", "Daan", "Sophie", "Fatima", "Kees", "Noor", "Lotte", "Bram", "Yasmin", "Gerrit", "Tom",
         "Marieke", "Johan", "Pieter", "Linda", "Hans", "Ruben", "Emma", "Mohamed", "Anouk", "Jeroen", "Iris", "Sem")
LAST = ("de Vries", "Yilmaz", "Janssen", "Koster", "Dekker", "El Amrani", "Verbeek", "Visser", "Peeters", "van Leeuwen",
        "Bouzid", "Kuipers", "Willems", "van Dam", "Smit", "Hendriks", "Mulder", "de Boer", "Bakker", "Jansen", "Öztürk")
CATEGORIES = (("phishing", 35), ("beveiligingsincident", 20), ("onveilig-gedrag", 13), ("datalek", 12), ("kwetsbaarheid", 10),
              ("verlies-diefstal", 10))
SEVERITIES = (("laag", 30), ("middel", 45), ("hoog", 20), ("kritiek", 5))
TEXTS = {
    "phishing": "Mail van '{x}' met een link naar een nep-inlogpagina van Microsoft; {y} collega's kregen hem ook.",
    "beveiligingsincident": "Onbekend apparaat aangesloten op het netwerk bij {x}; de virusscanner gaf {y} meldingen.",
    "onveilig-gedrag": "Wachtwoord op een post-it op het scherm bij {x}; de werkplek was {y} minuten onbeheerd.",
    "datalek": "Brief met BSN en medische gegevens naar het verkeerde adres gestuurd ({x}), {y} personen betrokken.",
    "kwetsbaarheid": "De map {x} op de netwerkschijf is voor iedereen leesbaar; {y} bestanden met persoonsgegevens.",
    "verlies-diefstal": "Laptop kwijt in de trein na een afspraak bij {x}; schijf versleuteld, {y} dagen niet gebruikt.",
}
PLACES = ("de balie", "het gemeentehuis", "team Jeugd", "de raadszaal", "het archief", "de servicedesk", "Postbus 51")


def weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in choices], [w for _, w in choices])[0]


# --- the roster --------------------------------------------------------------------------------


@dataclass
class People:
    roster: list[dict[str, Any]]
    employees: list[dict[str, Any]]
    dspo: dict[str, str]
    manager: dict[str, str]
    ciso: str = "U0CISO"
    fg: str = "U0FG"


def make_roster(count: int) -> People:
    names = (f"{first} {last}" for first, last in itertools.product(FIRST, LAST))
    roster: list[dict[str, Any]] = [
        {"id": "U0CISO", "name": next(names), "roles": ["ciso"], "deputy": "U0CISO2", "department": DEPARTMENTS[2]},
        {"id": "U0CISO2", "name": next(names), "roles": ["medewerker"], "department": DEPARTMENTS[2]},
        {"id": "U0GSEC", "name": next(names), "roles": ["gemeentesecretaris", "ambtelijk-opdrachtgever", "directie"]},
        {"id": "U0CIO", "name": next(names), "roles": ["cio"], "department": DEPARTMENTS[2]},
        {"id": "U0FG", "name": next(names), "roles": ["fg"]},
        {"id": "U0AUDIT", "name": next(names), "roles": ["it-auditor"]},
        {"id": "U0COMM", "name": next(names), "roles": ["communicatie"], "department": "Communicatie"},
        {"id": "U0WETH", "name": next(names), "roles": ["bestuurlijk-opdrachtgever", "college"]},
        {"id": "U0BURG", "name": next(names), "roles": ["burgemeester", "college"]},
    ]
    dspo, manager = {}, {}
    for n, department in enumerate(DEPARTMENTS):
        dspo[department], manager[department] = f"U0DSPO{n:02d}", f"U0MGR{n:02d}"
        roster.append({"id": dspo[department], "name": next(names), "roles": ["dspo"], "department": department})
        roster.append({"id": manager[department], "name": next(names), "roles": ["afdelingsmanager"], "department": department,
                       "deputy": f"U0DSPO{n:02d}"})
    employees = []
    for n in range(count - len(roster)):
        person = {"id": f"U1EMP{n:04d}", "name": next(names), "roles": ["medewerker"], "department": DEPARTMENTS[n % len(DEPARTMENTS)]}
        employees.append(person)
    return People(roster + employees, employees, dspo, manager)


# --- the register --------------------------------------------------------------------------------


def fill_register(ctx: Context, people: People, count: int, now: datetime, rng: random.Random) -> dict[str, int]:
    """Insert `count` reports over the two years before `now`, with what the bot writes around them."""
    start = now - timedelta(days=730)
    moments = sorted(start + timedelta(seconds=rng.uniform(0, 730 * 86400 - 3600)) for _ in range(count))
    reporters = people.employees
    weights = [1 / (rank + 1) ** 0.4 for rank in range(len(reporters))]  # some people report a lot, most a little
    numbers: dict[int, int] = {}
    reports, events, recipients, outbox, audit = [], [], [], [], []
    for report_id, created in enumerate(moments, start=1):
        year = ctx.local(created).year
        numbers[year] = numbers.get(year, 0) + 1
        reference = reference_for(year, numbers[year])
        category, severity = weighted(rng, CATEGORIES), weighted(rng, SEVERITIES)
        reporter = rng.choices(reporters, weights)[0]
        department = reporter["department"]
        anonymous = rng.random() < 0.03
        personal = category == "datalek" or rng.random() < 0.1
        discovered = created - timedelta(hours=rng.uniform(0, 48))
        age = now - created
        closed = age > timedelta(days=30) and rng.random() < 0.92 or age > timedelta(days=5) and rng.random() < 0.3
        status = (REJECTED if rng.random() < 0.1 else RESOLVED) if closed else (IN_PROGRESS if rng.random() < 0.6 else NEW)
        handler = None if status == NEW else rng.choice([people.dspo[department], people.ciso])
        closed_at = created + timedelta(hours=rng.uniform(1, 480)) if closed else None
        deadline = ap_deadline(discovered) if personal else None
        ap_reported = ap_at = ap_reference = None
        if personal and (closed or rng.random() < 0.5):
            ap_reported = rng.random() < 0.6
            ap_at = discovered + timedelta(hours=rng.uniform(2, 90)) if ap_reported else created + timedelta(hours=6)
            ap_reference = f"AP-{year}-{rng.randrange(10**6):06d}" if ap_reported else None
        reports.append({
            "id": report_id, "reference": reference, "year": year, "number": numbers[year], "filing_id": uuid.uuid4().hex,
            "category": category, "severity": severity, "status": status, "department": department,
            "text": TEXTS[category].format(x=rng.choice(PLACES), y=rng.randrange(2, 40)), "discovered_at": discovered,
            "discovered_time_known": True, "personal_data": personal, "people_affected": rng.randrange(1, 500) if personal else None,
            "anonymous": anonymous, "reporter_id": None if anonymous else reporter["id"],
            "reporter_sealed": "gAAAA" + "x" * 100 if anonymous else None, "reporter_tag": uuid.uuid4().hex if anonymous else None,
            "source_link": None, "source_author": None, "handler_id": handler, "ap_deadline": deadline, "ap_reported": ap_reported,
            "ap_reported_at": ap_at, "ap_reference": ap_reference,
            "outcome_note": "Gebruiker geïnformeerd, wachtwoord gereset, afgehandeld." if closed else None,
            "created_at": created, "updated_at": closed_at or created, "closed_at": closed_at, "purged_at": None,
        })
        actor = "anonieme melder" if anonymous else reporter["id"]
        events.append({"report_id": report_id, "at": created, "actor": actor, "action": "gemeld",
                       "detail": f"categorie {category} (geschat uit de tekst)"})
        if handler:
            events.append({"report_id": report_id, "at": created + timedelta(minutes=20), "actor": handler,
                           "action": "in behandeling genomen", "detail": ""})
        if rng.random() < 0.2:
            events.append({"report_id": report_id, "at": created + timedelta(hours=1), "actor": actor, "action": "aangevuld",
                           "detail": "Ik had al op de link geklikt en mijn wachtwoord ingevuld."})
        if ap_reported is not None:
            events.append({"report_id": report_id, "at": ap_at, "actor": handler or people.ciso, "action": "AP-besluit vastgelegd",
                           "detail": "gemeld" if ap_reported else "niet melden"})
        if closed_at:
            events.append({"report_id": report_id, "at": closed_at, "actor": handler or people.ciso,
                           "action": f"afgesloten: {status}", "detail": "Gebruiker geïnformeerd."})
        routed = {people.ciso: "CISO", people.dspo[department]: f"DSPO van {department}"}
        if category == "onveilig-gedrag":
            routed[people.manager[department]] = f"afdelingsmanager van {department}, bij onveilig gedrag"
        if personal:
            routed[people.fg] = "FG, bij een mogelijk datalek"
        for user_id, reason in routed.items():
            recipients.append({"report_id": report_id, "user_id": user_id, "reason": reason, "routed_at": created})
            outbox.append({"key": f"report:{reference}:route:{user_id}", "kind": "direct", "recipient": user_id,
                           "payload": {"message": {"text": f"Melding {reference}", "title": None, "blocks": [], "buttons": [],
                                                   "footnote": None}},
                           "status": SENT, "attempts": 1, "not_before": created, "claimed_until": None, "last_error": None,
                           "receipt": {"channel": f"D{user_id}", "ts": f"{created.timestamp():.6f}"}, "report_failure_to": [],
                           "created_at": created, "sent_at": created + timedelta(seconds=2)})
        audit.append({"at": created, "actor": actor, "action": "report.file", "subject": reference, "detail": ""})
        audit.append({"at": created + timedelta(hours=2), "actor": people.ciso, "action": "report.view", "subject": reference,
                      "detail": ""})
    with ctx.db.session() as session:
        for table, rows in ((Report, reports), (ReportEvent, events), (ReportRecipient, recipients), (OutboxMessage, outbox),
                            (AuditEntry, audit)):
            for batch in range(0, len(rows), 2000):
                session.execute(insert(table.__table__), rows[batch:batch + 2000])  # type: ignore[attr-defined]
        for year, last in numbers.items():
            session.execute(insert(ReportCounter.__table__), [{"year": year, "last_number": last}])  # type: ignore[attr-defined]
        if not ctx.db.is_sqlite:  # explicit ids: move the sequence past them
            session.execute(text("SELECT setval(pg_get_serial_sequence('report', 'id'), (SELECT max(id) FROM report))"))
    if not ctx.db.is_sqlite:  # statistics, as autovacuum would have them for a register that grew over two years
        with ctx.db.session() as session:
            session.execute(text("ANALYZE"))
    return {"reports": len(reports), "events": len(events), "recipients": len(recipients), "outbox": len(outbox), "audit": len(audit)}


# --- measuring -----------------------------------------------------------------------------------


@dataclass
class Row:
    path: str
    detail: str
    times: list[float]
    target: float  # seconds

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def worst(self) -> float:
        return max(self.times)

    @property
    def ok(self) -> bool:
        return self.median <= self.target


def measure(function: Callable[[], Any], repeat: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def cli(url: str, *args: str, cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True, timeout=600, check=False,
                          env=bot_env(DATABASE_URL=url))
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"`bot {' '.join(args)}` failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return took


def reset(url: str) -> None:
    database = Database(url)
    if database.is_sqlite:
        database.dispose()
        return
    with database.engine.begin() as connection:
        tables = connection.execute(text(
            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema()")).scalars().all()
        if tables:
            connection.execute(text(f"DROP TABLE {', '.join(tables)} CASCADE"))
    database.dispose()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def run(url: str, report_count: int, people_count: int, repeat: int, workdir: Path) -> None:
    rng = random.Random(20261130)
    reset(url)
    database = Database(url)
    database.upgrade()
    ctx = Context(database, Options(spool_dir=workdir / "spool"), utc_now)
    router = build_router()
    people = make_roster(people_count)
    roster_file = workdir / "roster.yaml"
    roster_file.write_text(yaml.safe_dump({"people": people.roster}, allow_unicode=True, sort_keys=False), encoding="utf-8")

    rows: list[Row] = []
    started = time.perf_counter()
    import_roster_file(ctx, roster_file)
    rows.append(Row("roster import (first)", f"{people_count} people, in-process", [time.perf_counter() - started], 5))
    started = time.perf_counter()
    counts = fill_register(ctx, people, report_count, ctx.now(), rng)
    filled = time.perf_counter() - started

    reporter = people.employees[0]["id"]  # the first employee reports the most
    department = people.employees[0]["department"]
    dspo = people.dspo[department]
    with database.session() as session:
        own = session.execute(text("SELECT count(*) FROM report WHERE reporter_id = :r"), {"r": reporter}).scalar_one()
        in_department = session.execute(text("SELECT count(*) FROM report WHERE department = :d"), {"d": department}).scalar_one()
        one = session.execute(text("SELECT reference FROM report WHERE department = :d ORDER BY id DESC LIMIT 1"),
                              {"d": department}).scalar_one()
    year = ctx.local(ctx.now()).year

    def command(user: str, name: str, typed: str) -> Callable[[], Any]:
        def go() -> None:
            result = router.run_command(ctx, Actor(user), name, typed)
            assert result.messages and "Er ging iets mis" not in result.messages[0].text, result.messages[0].text
        return go

    interactive = [
        ("`/meld status`", f"reporter ({own} own reports)", command(reporter, "meld", "status")),
        ("`/meld status`", f"DSPO {department} ({in_department} reports)", command(dspo, "meld", "status")),
        ("`/meld status`", f"CISO (all {report_count})", command(people.ciso, "meld", "status")),
        (f"`/meld {one}`", "CISO views one report with its timeline", command(people.ciso, "meld", one)),
        ("App Home", "CISO (reports + agenda)", lambda: router.home(ctx, Actor(people.ciso))),
        ("App Home", "DSPO", lambda: router.home(ctx, Actor(dspo))),
        ("`/agenda`", "DSPO", command(dspo, "agenda", "")),
        ("`/agenda alles`", f"{people_count} people, 90 days", command(people.ciso, "agenda", "alles")),
        ("`/wie wie is de DSPO?`", f"ask, {people_count}-person roster", command(reporter, "wie", "wie is de DSPO?")),
        ("`/wie wie zit in het crisisoverleg?`", "ask, a group answer", command(reporter, "wie", "wie zit in het crisisoverleg?")),
        ("`/meld <tekst>`", "file one report (numbering, routing, outbox)", command(reporter, "meld", "phishingmail met nep-link")),
    ]
    for path, detail, function in interactive:
        rows.append(Row(path, detail, measure(function, repeat), 0.2))
    rows.append(Row("roster import (again)", f"{people_count} people, unchanged, in-process",
                    measure(lambda: import_roster_file(ctx, roster_file), 3, warmup=0), 5))
    database.dispose()

    operator = [
        ("`bot roster import`", f"{people_count} people (process start included)", ("roster", "import", str(roster_file)), 10),
        ("`bot reminders list --json`", f"a year, {people_count} people", ("reminders", "list", "--json", "--from", f"{year}-01-01",
                                                                           "--until", f"{year}-12-31"), 10),
        ("`bot incidents list --json`", f"all {report_count} reports", ("incidents", "list", "--json"), 10),
        ("`bot incidents export --format csv`", f"year {year}", ("incidents", "export", "--year", str(year), "--format", "csv"), 5),
        ("`bot incidents export --format md`", f"year {year}", ("incidents", "export", "--year", str(year), "--format", "md"), 5),
        ("`bot --help`", "process start only, for comparison", ("--help",), 10),
    ]
    for path, detail, args, target in operator:
        rows.append(Row(path, detail, [cli(url, *args, cwd=workdir) for _ in range(3)], target))

    kind = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    print(f"\n### Scale benchmark on {kind}\n")
    print(f"{counts['reports']:,} reports ({counts['events']:,} timeline events, {counts['recipients']:,} recipients, "
          f"{counts['outbox']:,} outbox rows, {counts['audit']:,} audit rows) over two years, {people_count} people in "
          f"{len(DEPARTMENTS)} departments; filled in {filled:.1f} s. In-process paths: median and worst of {repeat} runs "
          "after a warm-up; CLI commands: 3 runs as separate processes.\n")
    print("| Path | What | Median | Worst | Target | |")
    print("| --- | --- | ---: | ---: | ---: | --- |")
    for row in rows:
        print(f"| {row.path} | {row.detail} | {ms(row.median)} | {ms(row.worst)} | {ms(row.target)} | {'✅' if row.ok else '❌'} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="database to fill (emptied first); default: a temporary SQLite file")
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="scale-benchmark-") as directory:
        workdir = Path(directory)
        url = args.database_url or f"sqlite:///{workdir / 'scale.db'}"
        os.environ.pop("BOT_ROSTER", None)
        run(url, args.reports, args.people, args.repeat, workdir)


if __name__ == "__main__":
    main()
