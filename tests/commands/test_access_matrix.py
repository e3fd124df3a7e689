"""The access-control matrix: every role in the roster (and someone who is not) × every way
to read or change a report in the register or a crisis record, with forged button values and
forged form metadata, each cell checked for exactly the allowed outcome.

✓ allowed: the use case went ahead (or answered about the report's state, which only someone
  with access gets to hear); a view or list of a report left its row in the audit log.
· refused: the same answer as for a report that does not exist, a `report.denied` row in the
  audit log, and the report (or crisis) unchanged.
? anything in between (refused without an audit row, shown without one, changed while refused).

Each role acts on its own copy of the report (filed just before), so what one role does never
changes what the next one may do. On failure the whole matrix is printed, differences marked.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import col, select

from bot.cli import main
from commands.context import Actor, Context
from commands.messages import Result
from commands.router import Router
from storage import crises
from storage.audit import AuditEntry
from storage.reports import by_reference, timeline
from tests.support.reports import SEAL_KEY, meld, reference_in, text_of

ROLES = {  # row label -> Slack user id; "FG, toegewezen" is the FG after the CISO assigned the report to her
    "melder": "U01EMP",
    "andere medewerker": "U01EMP2",
    "DSPO eigen afd.": "U01DSPOB",
    "DSPO andere afd.": "U01DSPOS",
    "manager eigen afd.": "U01MGRB",
    "manager andere afd.": "U01MGRS",
    "CISO": "U01CISO",
    "FG": "U01FG",
    "FG, toegewezen": "U01FG",
    "IT-auditor": "U01AUDIT",
    "gemeentesecretaris": "U01GSEC",
    "CIO": "U01CIO",
    "communicatie": "U01COMM",
    "niet in rooster": "U0STRANGER",
}
ANONYMOUS = "anonieme melder"
NOT_FOUND = "niet gevonden, of je mag hem niet zien"

# --- the report paths -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Path:
    name: str
    run: Callable[[Router, Context, str, str], Result]  # (router, ctx, user, reference)
    kind: str = "act"  # "list": shows it in a list; "view": shows it; "act": does something; "filing": a new report
    logged_as: str | None = None  # the audit action an allowed use must leave
    refusal: str = NOT_FOUND


def press(action: str) -> Callable[[Router, Context, str, str], Result]:
    return lambda router, ctx, user, ref: router.press(ctx, Actor(user), action, ref)


def submit(form_id: str, values: dict[str, str]) -> Callable[[Router, Context, str, str], Result]:
    return lambda router, ctx, user, ref: router.submit(ctx, Actor(user), form_id, values(ctx, ref) if callable(values) else values, ref)


def forged_filing_id(router: Router, ctx: Context, user: str, ref: str) -> Result:
    """A report form whose private_metadata carries someone else's filing id."""
    with ctx.db.session() as session:
        target = by_reference(session, ref)
        assert target is not None
        filing_id = target.filing_id
    values = {"category": "phishing", "what": f"nieuwe melding van {user}", "personal_data": "nee", "severity": "laag",
              "anonymous": "nee", "department": "Sociaal Domein"}
    return router.submit(ctx, Actor(user), "report.new", values, filing_id)


def recategorised(ctx: Context, ref: str) -> dict[str, str]:
    """The same category, another severity: access does not change with it."""
    with ctx.db.session() as session:
        target = by_reference(session, ref)
        assert target is not None
        return {"category": target.category, "severity": "hoog", "personal_data": "ja" if target.personal_data else "nee"}


PATHS = [  # in the order they run on a role's copy: nothing earlier takes away access needed later
    Path("status", lambda router, ctx, user, ref: meld(router, ctx, user, "status"), "list", "report.list"),
    Path("/meld REF", lambda router, ctx, user, ref: meld(router, ctx, user, ref.lower()), "view", "report.view"),
    Path("details", press("report.view"), "view", "report.view"),
    Path("home", lambda router, ctx, user, ref: Result(messages=router.home(ctx, Actor(user))), "list", "report.list"),
    Path("onthul", lambda router, ctx, user, ref: meld(router, ctx, user, f"onthul {ref}"), refusal="Alleen de CISO"),
    Path("toewijzen", press("report.assign")),
    Path("afsluiten", press("report.close")),
    Path("AP", press("report.ap")),
    Path("aanvullen", press("report.amend")),
    Path("categorie", press("report.recategorise")),
    Path("aanvullen!", submit("report.amend", {"text": "aanvulling"})),
    Path("categorie!", submit("report.recategorise", recategorised)),  # type: ignore[arg-type]
    Path("AP!", submit("report.ap", {"ap_decision": "niet-melden", "ap_date": "", "ap_time": "", "ap_reference": ""})),
    Path("crisis", press("crisis.from_report"), logged_as="report.escalate", refusal="vind ik niet, of je mag hem niet"),
    Path("toewijzen!", submit("report.assign", {"person": "U01FG"})),
    Path("oppakken", press("report.take")),
    Path("afsluiten!", submit("report.close", {"outcome": "afgehandeld", "note": ""})),
    Path("formulier-id", forged_filing_id, "filing"),
]

# views | onthul | forms: toewijzen afsluiten AP | own forms | own submits | AP! crisis toewijzen! oppakken afsluiten! | filing id
# (whoever may see a report may ask for a crisis about it; someone without a crisis role only asks the CISO)
DATALEK = {  # a possible data breach in Burgerzaken, filed by the melder
    "melder":             "✓✓✓✓ · ··· ✓✓ ✓✓ ·✓··· ✓",
    "andere medewerker":  "···· · ··· ·· ·· ····· ·",
    "DSPO eigen afd.":    "✓✓✓✓ · ✓✓✓ ✓✓ ✓✓ ✓✓✓✓✓ ·",
    "DSPO andere afd.":   "···· · ··· ·· ·· ····· ·",
    "manager eigen afd.": "···· · ··· ·· ·· ····· ·",
    "manager andere afd.": "···· · ··· ·· ·· ····· ·",
    "CISO":               "✓✓✓✓ ✓ ✓✓✓ ✓✓ ✓✓ ✓✓✓✓✓ ·",
    "FG":                 "✓✓✓✓ · ··· ·· ·· ·✓··· ·",
    "FG, toegewezen":     "✓✓✓✓ · ✓✓✓ ✓✓ ✓✓ ✓✓✓✓✓ ·",
    "IT-auditor":         "✓✓✓✓ · ··· ·· ·· ·✓··· ·",
    "gemeentesecretaris": "···· · ··· ·· ·· ····· ·",
    "CIO":                "···· · ··· ·· ·· ····· ·",
    "communicatie":       "···· · ··· ·· ·· ····· ·",
    "niet in rooster":    "···· · ··· ·· ·· ····· ·",
}
UNSAFE = {  # unsafe behaviour in Burgerzaken: the department's manager sees and handles it too
    **DATALEK,
    "manager eigen afd.": "✓✓✓✓ · ✓✓✓ ✓✓ ✓✓ ✓✓✓✓✓ ·",
}
ANONYMOUS_UNSAFE = {  # the same, reported anonymously: the melder finds it through the keyed tag
    **UNSAFE,
    "melder":             "✓✓✓✓ · ··· ✓✓ ✓✓ ·✓··· ·",  # a form as themselves is not their anonymous report
}
REPORTS = {
    "datalek": ({"category": "datalek", "personal_data": "ja", "anonymous": "nee"}, DATALEK),
    "onveilig gedrag": ({"category": "onveilig-gedrag", "personal_data": "nee", "anonymous": "nee"}, UNSAFE),
    "anoniem": ({"category": "onveilig-gedrag", "personal_data": "nee", "anonymous": "ja"}, ANONYMOUS_UNSAFE),
}


def file_copy(router: Router, ctx: Context, fields: dict[str, str], n: int) -> str:
    form = meld(router, ctx, "U01EMP", "").form
    assert form is not None
    values = {"what": f"kopie {n}: collega mailde een lijst met namen naar buiten", "severity": "middel",
              "department": "Burgerzaken", **fields}
    return reference_in(router.submit(ctx, Actor("U01EMP"), form.form_id, values, form.context))


def snapshot(ctx: Context, ref: str) -> tuple[dict[str, Any], int]:
    with ctx.db.session() as session:
        found = by_reference(session, ref)
        assert found is not None
        return found.model_dump(), len(timeline(session, found))


def audit_after(ctx: Context, last_id: int) -> list[AuditEntry]:
    with ctx.db.session() as session:
        return list(session.exec(select(AuditEntry).where(col(AuditEntry.id) > last_id).order_by(AuditEntry.id)))


def last_audit_id(ctx: Context) -> int:
    with ctx.db.session() as session:
        return session.exec(select(AuditEntry.id).order_by(col(AuditEntry.id).desc())).first() or 0


def observe(router: Router, ctx: Context, path: Path, user: str, ref: str) -> tuple[str, str]:
    """(outcome, why) of one cell."""
    before, since = snapshot(ctx, ref), last_audit_id(ctx)
    result = path.run(router, ctx, user, ref)
    shown = "\n".join(text_of(m) for m in result.messages)
    logged = audit_after(ctx, since)
    mine = {user, ANONYMOUS}
    denied = [a for a in logged if a.action == "report.denied" and a.actor == user and a.subject.upper() == ref]
    about = [a for a in logged if a.subject == ref and a.actor in mine and a.action == path.logged_as]
    unchanged = snapshot(ctx, ref) == before
    if path.kind == "list":
        if ref in shown:
            return ("✓", "") if about else ("?", "listed without an audit row")
        return ("·", "") if not about else ("?", "not listed, yet logged as listed")
    if path.kind == "filing":
        if ref in shown:
            return "✓", ""
        return ("·", "") if unchanged and reference_in(result) != ref else ("?", "the forged filing id touched the report")
    refused = path.refusal in shown and result.form is None
    if refused:
        if not denied:
            return "?", "refused without a report.denied row"
        return ("·", "") if unchanged else ("?", "refused, yet the report changed")
    if denied:
        return "?", "went ahead, yet logged as denied"
    if path.kind == "view" and not ("Tijdlijn" in shown and about):
        return "?", "shown without a report.view row" if "Tijdlijn" in shown else f"neither shown nor refused: {shown[:80]}"
    if path.kind == "act" and path.logged_as and not about:
        return "?", f"allowed without a {path.logged_as} row"
    if "🔓" in shown and not [a for a in logged if a.action == "report.reveal" and a.subject == ref and a.actor == user]:
        return "?", "revealed without a report.reveal row"
    return "✓", ""


def render(title: str, columns: list[str], expected: dict[str, list[str]], observed: dict[str, list[str]],
           why: dict[tuple[str, str], str]) -> str:
    width = max(len(label) for label in expected) + 2
    lines = [title, " " * width + " ".join(f"{c:^{max(len(c), 3)}}" for c in columns)]
    for label, wanted in expected.items():
        cells = []
        for column, want, got in zip(columns, wanted, observed[label], strict=True):
            cell = got if got == want else f"{got}≠{want}"
            cells.append(f"{cell:^{max(len(column), 3)}}")
        lines.append(f"{label:<{width}}" + " ".join(cells))
    lines += [f"  {label} × {column}: {reason}" for (label, column), reason in why.items() if reason]
    lines.append("(got≠expected; ✓ allowed, · refused, ? inconsistent)")
    return "\n".join(lines)


@pytest.mark.parametrize("kind", list(REPORTS))
def test_the_register_access_matrix(roster: Context, router: Router, kind: str) -> None:
    fields, table = REPORTS[kind]
    columns = [p.name for p in PATHS]
    expected = {label: list(row.replace(" ", "")) for label, row in table.items()}
    assert set(expected) == set(ROLES) and all(len(row) == len(columns) for row in expected.values())
    observed: dict[str, list[str]] = {}
    why: dict[tuple[str, str], str] = {}
    for n, (label, user) in enumerate(ROLES.items()):
        ref = file_copy(router, roster, fields, n)
        if label == "FG, toegewezen":
            assert "✅" in text_of(router.submit(roster, Actor("U01CISO"), "report.assign", {"person": user}, ref).messages[0])
        observed[label] = []
        for path in PATHS:
            outcome, reason = observe(router, roster, path, user, ref)
            observed[label].append(outcome)
            why[(label, path.name)] = reason
    assert observed == expected, "\n" + render(f"Register: {kind}", columns, expected, observed, why)


# --- crisis records ---------------------------------------------------------------------------------

NOT_ON_TEAM = "Je staat niet in het crisisteam"
CRISIS_PATHS: list[tuple[str, Callable[[Router, Context, str, str], Result], str]] = [
    ("status", lambda router, ctx, user, ref: router.run_command(ctx, Actor(user), "crisis", f"status {ref}"), NOT_ON_TEAM),
    ("log", lambda router, ctx, user, ref: router.run_command(ctx, Actor(user), "crisis", f"log {ref} iets gezien"), NOT_ON_TEAM),
    ("actie", lambda router, ctx, user, ref: router.run_command(ctx, Actor(user), "crisis", f"actie {ref} bellen"), NOT_ON_TEAM),
    ("klaar", lambda router, ctx, user, ref: router.run_command(ctx, Actor(user), "crisis", f"klaar {ref} 1"), NOT_ON_TEAM),
    ("erbij", lambda router, ctx, user, ref: router.run_command(ctx, Actor(user), "crisis", f"erbij {ref} communicatie"),
     NOT_ON_TEAM),
    ("ik kom", lambda router, ctx, user, ref: router.press(ctx, Actor(user), "crisis.ack", ref), "niet op de oproeplijst"),
    ("sluit", lambda router, ctx, user, ref: router.run_command(ctx, Actor(user), "crisis", f"sluit {ref}"), NOT_ON_TEAM),
]
REQUEST_PATHS: list[tuple[str, Callable[[Router, Context, str, str], Result], str]] = [
    ("status", CRISIS_PATHS[0][1], NOT_ON_TEAM),
    ("niet nodig", lambda router, ctx, user, ref: router.press(ctx, Actor(user), "crisis.decline", ref), "Alleen de CISO"),
    ("bijeenroepen", lambda router, ctx, user, ref: router.press(ctx, Actor(user), "crisis.convene", ref), "Alleen de CISO"),
]
TEAM = "✓✓✓✓✓✓✓"
NOT_TEAM = "·······"
DECLARED = {  # declared by the CISO for Burgerzaken: gemeentesecretaris, CISO, CIO, DSPO and manager of Burgerzaken
    "melder": NOT_TEAM, "andere medewerker": NOT_TEAM, "DSPO eigen afd.": TEAM, "DSPO andere afd.": NOT_TEAM,
    "manager eigen afd.": TEAM, "manager andere afd.": NOT_TEAM, "CISO": TEAM, "FG": NOT_TEAM, "IT-auditor": NOT_TEAM,
    "gemeentesecretaris": TEAM, "CIO": TEAM, "communicatie": NOT_TEAM, "niet in rooster": NOT_TEAM,
}
REQUESTED = {  # asked for by the melder: the CISO decides; anyone with a crisis role may convene it (as they may declare)
    "melder": "✓··", "andere medewerker": "···", "DSPO eigen afd.": "✓·✓", "DSPO andere afd.": "✓·✓",
    "manager eigen afd.": "✓·✓", "manager andere afd.": "✓·✓", "CISO": "✓✓✓", "FG": "···", "IT-auditor": "···",
    "gemeentesecretaris": "✓·✓", "CIO": "✓·✓", "communicatie": "···", "niet in rooster": "···",
}


def crisis_snapshot(ctx: Context, ref: str) -> tuple[Any, ...]:
    with ctx.db.session() as session:
        found = crises.by_reference(session, ref)
        assert found is not None
        return (found.model_dump(), len(crises.events(session, found.id)), len(crises.members(session, found.id)),
                [a.model_dump() for a in crises.actions(session, found.id)])


@pytest.mark.parametrize("kind", ["uitgeroepen", "verzoek"])
def test_the_crisis_access_matrix(roster: Context, router: Router, kind: str) -> None:
    paths, table = (CRISIS_PATHS, DECLARED) if kind == "uitgeroepen" else (REQUEST_PATHS, REQUESTED)
    columns = [name for name, _, _ in paths]
    expected = {label: list(row) for label, row in table.items()}
    observed: dict[str, list[str]] = {}
    why: dict[tuple[str, str], str] = {}
    for n, (label, user) in enumerate(r for r in ROLES.items() if r[0] != "FG, toegewezen"):
        if kind == "uitgeroepen":
            said = text_of(router.run_command(roster, Actor("U01CISO"), "crisis", f"afdeling=Burgerzaken storing {n}").messages[0])
            ref = said.split(" ", 2)[1]
            router.run_command(roster, Actor("U01CISO"), "crisis", f"actie {ref} back-ups controleren")
        else:
            said = text_of(router.run_command(roster, Actor("U01EMP"), "crisis", f"afdeling=Burgerzaken storing {n}").messages[0])
            ref = said.split(" ", 2)[1].rstrip(":")
        assert ref.startswith("CRISIS-"), said
        observed[label] = []
        for name, run, refusal in paths:
            before = crisis_snapshot(roster, ref)
            shown = "\n".join(text_of(m) for m in run(router, roster, user, ref).messages)
            if refusal in shown:
                outcome = "·" if crisis_snapshot(roster, ref) == before else "?"
                why[(label, name)] = "" if outcome == "·" else "refused, yet the crisis changed"
            else:
                outcome = "✓"
            observed[label].append(outcome)
    assert observed == expected, "\n" + render(f"Crisis: {kind}", columns, expected, observed, why)


# --- the command line ---------------------------------------------------------------------------------


def test_the_cli_operator_sees_everything_and_each_use_is_logged(
    roster: Context, router: Router, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    """The CLI works on the database directly (whoever has DATABASE_URL has the register): it sees
    every report and crisis, keeps an anonymous reporter sealed, and logs every use as actor `cli`."""
    anonymous = file_copy(router, roster, REPORTS["anoniem"][0], 1)
    plain = file_copy(router, roster, REPORTS["datalek"][0], 2)
    crisis = text_of(router.run_command(roster, Actor("U01CISO"), "crisis", "afdeling=Burgerzaken storing").messages[0]).split()[1]
    monkeypatch.setenv("DATABASE_URL", roster.db.url)
    monkeypatch.setenv("BOT_SEAL_KEY", SEAL_KEY)
    commands = {
        ("incidents", "list", "--json"): ("report.list", [anonymous, plain]),
        ("incidents", "export", "--year", "2026"): ("report.export", ["Datalek"]),
        ("crises", "list", "--json"): ("crisis.list", [crisis]),
        ("crises", "report", crisis): ("crisis.report", [crisis]),
    }
    for args, (action, shown) in commands.items():
        since = last_audit_id(roster)
        assert main(list(args)) == 0
        out = capsys.readouterr().out
        assert all(item in out for item in shown), (args, out[:300])
        logged = audit_after(roster, since)
        assert [(a.actor, a.action) for a in logged] == [("cli", action)], args
    assert main(["incidents", "list", "--json"]) == 0
    listed = {row["reference"]: row for row in json.loads(capsys.readouterr().out)}
    assert listed[anonymous]["reporter"] is None and listed[plain]["reporter"] == "U01EMP"  # the seal stays closed
