"""The crisis room and record: log, actions, status, who may, which crisis, closing and the report;
and escalating a report from the incident register."""

from __future__ import annotations

import pytest

from commands import build_router
from commands.context import Actor, Context
from commands.escalate.closing import report_markdown
from commands.timers import pending_timers
from storage import crises
from tests.commands.escalate_helpers import (
    RecordingSender,
    crisis,
    deliver,
    members,
    outbox_keys,
    outbox_row,
    press,
    said,
    text_of,
    the_crisis,
    timeline,
)

REF = "CRISIS-2026-0001"


@pytest.fixture
def declared(roster: Context) -> Context:
    crisis(roster, "U01CISO", "afdeling=Burgerzaken ransomware op de balie-pc's")
    return roster


def test_log_and_actions_go_on_the_timeline_and_into_the_room(declared: Context, clock) -> None:  # noqa: ANN001
    clock.advance(minutes=4)
    logged = crisis(declared, "U01MGRB", "log balie-pc's van het netwerk gehaald <!channel>")
    action = crisis(declared, "U01CISO", "actie back-ups controleren")
    done = crisis(declared, "U01DSPOB", "klaar 1")
    twice = crisis(declared, "U01DSPOB", "klaar 1")

    assert "Vastgelegd in CRISIS-2026-0001 om 09:04" in said(logged)
    assert "Actie 1 staat open" in said(action) and "Actie 1 afgerond" in said(done) and "al afgerond" in said(twice)
    assert ("log", "Els Janssen: balie-pc's van het netwerk gehaald <!channel>") in timeline(declared)
    posts = [outbox_row(declared, k) for k in outbox_keys(declared, f"crisis:{REF}:event:")]
    assert len(posts) == 3 and all(p.kind == "post" and p.recipient == f"crisis:{REF}:room" for p in posts)
    assert "&lt;!channel&gt;" in str(posts[0].payload["message"])  # typed text cannot ping the channel


def test_status_shows_team_vacancies_actions_and_timeline(declared: Context) -> None:
    crisis(declared, "U01MGRB", "ik kom")
    crisis(declared, "U01CISO", "actie pers te woord staan")
    status = said(crisis(declared, "U01GSEC", "status"))

    assert "CRISIS-2026-0001: open sinds 09:00" in status
    assert "✅ <@U01MGRB> (afdelingsmanager Burgerzaken): bevestigd 09:00" in status
    assert "⏳ <@U01CIO> (CIO): opgeroepen 09:00" in status
    assert "1. pers te woord staan" in status and "🚨 Crisis uitgeroepen door Sanne de Vries" in status


def test_only_the_team_and_the_ciso_may_see_log_and_close(declared: Context) -> None:
    for command in ("status", "log ik kijk mee", "sluit"):
        assert "Je staat niet in het crisisteam" in said(crisis(declared, "U01EMP2", command))
        assert "Je staat niet in het crisisteam" in said(crisis(declared, "U01EMP2", f"{command.split()[0]} {REF} x"))
    assert the_crisis(declared).status == "open"


def test_which_crisis_explicit_reference_room_or_ask(declared: Context) -> None:
    crisis(declared, "U01CISO", "afdeling=Sociaal-Domein phishinggolf")
    sender = RecordingSender()
    deliver(declared, sender)  # the rooms exist now: C1 for the first crisis, C2 for the second

    asked = said(crisis(declared, "U01CISO", "log iets"))
    assert "Over welke crisis gaat het?" in asked and "CRISIS-2026-0001" in asked and "CRISIS-2026-0002" in asked

    crisis(declared, "U01CISO", "log in het kanaal getypt", channel="C2")
    crisis(declared, "U01CISO", "log CRISIS-2026-0001 met kenmerk")
    assert ("log", "Sanne de Vries: in het kanaal getypt") in timeline(declared, "CRISIS-2026-0002")
    assert ("log", "Sanne de Vries: met kenmerk") in timeline(declared, "CRISIS-2026-0001")
    only_mine = said(crisis(declared, "U01MGRB", "status"))  # on one team only: no need to ask
    assert "CRISIS-2026-0001: open" in only_mine
    assert "ken ik niet" in said(crisis(declared, "U01CISO", "status CRISIS-2026-0099"))


def test_adding_communicatie_or_a_person_invites_and_informs_them(declared: Context) -> None:
    reply = said(crisis(declared, "U01CISO", "erbij communicatie"))
    by_name = said(crisis(declared, "U01CISO", "erbij kees verbeek"))

    assert "Erbij gehaald in CRISIS-2026-0001: <@U01COMM>" in reply and "<@U01AUDIT>" in by_name
    for user_id in ("U01COMM", "U01AUDIT"):
        assert {f"crisis:{REF}:invite:{user_id}", f"crisis:{REF}:inform:{user_id}"} <= set(outbox_keys(declared))
        assert members(declared)[user_id].kind == "informed"
    assert ("join", "Noor Visser erbij gehaald door Sanne de Vries") in timeline(declared)
    assert "zitten al in het crisisteam" in said(crisis(declared, "U01CISO", "erbij U01COMM"))
    assert "staat niet in het rooster" in said(crisis(declared, "U01CISO", "erbij Piet Onbekend"))


def test_closing_stops_everything_posts_the_report_and_returns_it(declared: Context, clock) -> None:  # noqa: ANN001
    sender = RecordingSender()
    deliver(declared, sender)
    clock.advance(minutes=3)
    crisis(declared, "U01MGRB", "ik kom")
    crisis(declared, "U01CISO", "actie aangifte doen")
    clock.advance(minutes=40)

    closed = crisis(declared, "U01CISO", "sluit")
    deliver(declared, sender)

    report = said(closed)
    assert "CRISIS-2026-0001: verslag" in report and "Duur: 43 min 0 s" in report and "# Crisisverslag CRISIS-2026-0001" in report
    assert the_crisis(declared).status == "closed"
    with declared.db.session() as session:
        assert pending_timers(session, f"crisis:{REF}:") == []
    settled = [text_of(s.message) for s in sender.of_kind("update") if s.target.startswith("DU01CIO:")]
    assert len(settled) == 1 and "Crisis gesloten om 09:43" in settled[0]
    assert any("# Crisisverslag" in text_of(s.message) for s in sender.of_kind("post"))
    assert "Er is geen open crisis" in said(crisis(declared, "U01CISO", "log te laat"))
    assert "is al gesloten" in said(crisis(declared, "U01CISO", f"log {REF} te laat"))
    again = said(crisis(declared, "U01CISO", f"sluit {REF}"))
    assert "was al gesloten om 09:43" in again and "# Crisisverslag" in again


def test_the_report_has_the_team_pages_acknowledgements_actions_and_timeline(declared: Context, clock) -> None:  # noqa: ANN001
    sender = RecordingSender()
    deliver(declared, sender)
    clock.advance(minutes=2, seconds=30)
    crisis(declared, "U01MGRB", "ik kom")
    crisis(declared, "U01CISO", "actie wachtwoorden | resetten")
    crisis(declared, "U01CISO", "log servers\nuit")
    crisis(declared, "U01CISO", "sluit")

    with declared.db.session() as session:
        markdown = report_markdown(session, declared, crises.by_reference(session, REF))
    assert "| Uitgeroepen | 2026-11-30 09:00 door Sanne de Vries |" in markdown
    assert "| Els Janssen | afdelingsmanager Burgerzaken | 09:00:00 | 1 | 09:00:00 | 09:02:30 | 2 min 30 s |" in markdown
    assert "| Pieter Hendriks | CIO | 09:00:00 | 1 | 09:00:00 | — | geen reactie |" in markdown
    assert "- [ ] 1. wachtwoorden \\| resetten (Sanne de Vries, 09:02:30)" in markdown
    assert "| 09:02:30 | Sanne de Vries | Sanne de Vries: servers uit |" in markdown
    assert "## Tijdlijn" in markdown and "## Na de crisis" in markdown


# --- from the incident register ------------------------------------------------------------------


@pytest.fixture
def reported(roster: Context) -> str:
    """A data-breach report filed in the register by an employee of Sociaal Domein."""
    router = build_router()
    form = router.run_command(roster, Actor("U01EMP2"), "meld", "").form
    assert form is not None
    router.submit(roster, Actor("U01EMP2"), form.form_id, {
        "category": "datalek", "severity": "hoog", "what": "Klantbestand <met BSN> gelekt", "personal_data": "ja",
        "anonymous": "nee", "department": "Sociaal Domein",
    }, form.context)
    return "MELD-2026-0001"


def test_a_report_becomes_a_crisis_with_one_button(roster: Context, reported: str) -> None:
    result = press(roster, "U01CISO", "crisis.from_report", reported)
    again = press(roster, "U01CISO", "crisis.from_report", reported)

    declared = the_crisis(roster)
    assert "uitgeroepen" in said(result) and "was al uitgeroepen" in said(again)
    assert (declared.source, declared.department, declared.personal_data) == (reported, "Sociaal Domein", True)
    assert declared.description == "Datalek (persoonsgegevens) (MELD-2026-0001): Klantbestand <met BSN> gelekt"
    assert "U01FG" in members(roster) and "U01DSPOS" in members(roster)
    assert ("source", "Opgeschaald vanuit melding MELD-2026-0001 (datalek)") in timeline(roster)


def test_a_report_escalated_by_someone_without_a_crisis_role_asks_the_ciso(roster: Context, reported: str) -> None:
    asked = press(roster, "U01EMP2", "crisis.from_report", reported)  # the reporter
    assert "gevraagd aan de CISO" in said(asked) and the_crisis(roster).status == "requested"

    press(roster, "U01DSPOS", "crisis.from_report", reported)  # a DSPO presses too: that convenes it
    assert the_crisis(roster).status == "open" and the_crisis(roster).decided_by == "U01DSPOS"
    with roster.db.session() as session:
        assert len(crises.all_crises(session)) == 1


def test_escalating_an_unknown_or_unseen_report_says_so_and_does_nothing(roster: Context, reported: str) -> None:
    before = outbox_keys(roster)
    assert "vind ik niet" in said(press(roster, "U01CISO", "crisis.from_report", "MELD-2026-9999"))
    refused = said(press(roster, "U01EMP", "crisis.from_report", reported))  # Burgerzaken: may not see it
    assert "vind ik niet, of je mag hem niet zien" in refused and "BSN" not in refused
    assert outbox_keys(roster) == before
    with roster.db.session() as session:
        assert crises.all_crises(session) == []
