"""Declaring a crisis: who is paged (§7.3, from the roster), the room, and asking the CISO."""

from __future__ import annotations

import re
from datetime import date

import pytest

from commands.context import Context
from commands.escalate.team import room_name
from commands.timers import pending_timers
from tests.commands.escalate_helpers import (
    RecordingSender,
    crisis,
    deliver,
    members,
    outbox_keys,
    outbox_row,
    press,
    run_timers,
    said,
    text_of,
    the_crisis,
    timeline,
)

SEATS_BURGERZAKEN = {"U01GSEC", "U01CIO", "U01DSPOB", "U01MGRB"}  # the CISO declares, so is not paged


def paged(ctx: Context, round_: int = 1) -> set[str]:
    return {key.split(":")[3] for key in outbox_keys(ctx) if re.fullmatch(rf"crisis:[^:]+:page:[^:]+:round{round_}", key)}


def test_declaring_pages_every_seat_from_the_roster_and_opens_the_room(roster: Context) -> None:
    result = crisis(roster, "U01CISO", "afdeling=Burgerzaken ransomware op de balie-pc's")

    assert "CRISIS-2026-0001 uitgeroepen" in said(result)
    assert paged(roster) == SEATS_BURGERZAKEN
    room = outbox_row(roster, "crisis:CRISIS-2026-0001:room")
    assert room.kind == "room" and room.recipient == "crisis-2026-11-30-ransomware-op-de-balie-pc-s"
    assert set(room.payload["members"]) == SEATS_BURGERZAKEN | {"U01CISO"}
    pinned = room.payload["message"]["blocks"]
    assert any("IBD-CERT" in str(b) and roster.options.ibd_cert_contact in str(b) for b in pinned)
    assert any("Eerste stappen" in str(b) for b in pinned)
    assert [kind for kind, _ in timeline(roster)].count("page") == 4
    assert members(roster)["U01CISO"].acknowledged_at is not None  # who declares is there already
    page = outbox_row(roster, "crisis:CRISIS-2026-0001:page:U01MGRB:round1")
    assert page.payload["message"]["buttons"][0]["action"] == "crisis.ack"
    assert page.report_failure_to == ["U01CISO"] and page.payload["max_attempts"] == 3


@pytest.mark.parametrize("declarer,text,department,description", [
    ("U01CISO", "afdeling=Sociaal-Domein phishing met gestolen wachtwoorden", "Sociaal Domein", "phishing met gestolen wachtwoorden"),
    ("U01CISO", 'afdeling="sociaal domein" phishing', "Sociaal Domein", "phishing"),
    ("U01CIO", "storing bij Sociaal Domein, alle zaken weg", "Sociaal Domein", "storing bij Sociaal Domein, alle zaken weg"),
    ("U01DSPOB", "ransomware", "Burgerzaken", "ransomware"),
])
def test_department_from_the_option_the_text_or_the_declarer(roster: Context, declarer: str, text: str, department: str,
                                                            description: str) -> None:
    crisis(roster, declarer, text)
    declared = the_crisis(roster)
    assert (declared.department, declared.description) == (department, description)
    dspo = {"Sociaal Domein": "U01DSPOS", "Burgerzaken": "U01DSPOB"}[department]
    assert dspo in paged(roster) or dspo == declarer


def test_unknown_department_is_refused_with_the_known_ones(roster: Context) -> None:
    reply = said(crisis(roster, "U01CISO", "afdeling=Brandweer brand in de serverruimte"))
    assert "Afdeling 'Brandweer' ken ik niet" in reply and "Burgerzaken" in reply and "Sociaal Domein" in reply
    assert outbox_keys(roster) == []


def test_vacant_seats_are_reported_not_skipped(roster: Context) -> None:
    result = crisis(roster, "U01CISO", "afdeling=Communicatie website beklad")

    reply = said(result)
    assert "DSPO Communicatie: niemand in het rooster" in reply
    assert "afdelingsmanager Communicatie: niemand in het rooster" in reply
    assert ("vacant", "DSPO Communicatie: niemand in het rooster") in timeline(roster)
    pinned = str(outbox_row(roster, "crisis:CRISIS-2026-0001:room").payload["message"])
    assert "DSPO Communicatie" in pinned
    assert paged(roster) == {"U01GSEC", "U01CIO"}


def test_personal_data_informs_the_fg_without_escalating(roster: Context) -> None:
    crisis(roster, "U01CISO", "afdeling=Burgerzaken datalek: bestand met BSN's gemaild")

    assert "crisis:CRISIS-2026-0001:inform:U01FG" in outbox_keys(roster)
    assert members(roster)["U01FG"].kind == "informed"
    assert "U01FG" in outbox_row(roster, "crisis:CRISIS-2026-0001:room").payload["members"]
    with roster.db.session() as session:
        assert not pending_timers(session, "crisis:CRISIS-2026-0001:escalate:U01FG:")
    assert "U01COMM" not in members(roster)  # communicatie only when asked for


def test_the_same_declaration_twice_pages_once(roster: Context) -> None:
    crisis(roster, "U01CISO", "afdeling=Burgerzaken ransomware")
    again = crisis(roster, "U01CISO", "afdeling=Burgerzaken  Ransomware ")

    assert "was al uitgeroepen" in said(again) and "niemand is opnieuw opgeroepen" in said(again)
    assert len([k for k in outbox_keys(roster) if ":page:" in k]) == 4


def test_declaring_needs_a_description(roster: Context) -> None:
    assert "Wat speelt er?" in said(crisis(roster, "U01CISO", "afdeling=Burgerzaken"))
    assert "Zo werkt /crisis" in said(crisis(roster, "U01CISO", ""))


def test_room_name_follows_slack_rules() -> None:
    name = room_name(date(2026, 11, 29), "Ransomware óp de BALIE-pc's!! " + "heel lang verhaal " * 20)
    assert re.fullmatch(r"[a-z0-9-]{1,80}", name)
    assert name.startswith("crisis-2026-11-29-ransomware-op-de-balie-pc-s")
    assert room_name(date(2026, 11, 29), "!!!") == "crisis-2026-11-29-ict"


# --- asking the CISO -------------------------------------------------------------------------


def test_without_a_declaring_role_the_ciso_and_deputy_decide(roster: Context) -> None:
    result = crisis(roster, "U01EMP", "alle pc's op de balie tonen een losgeldbericht")

    assert "gevraagd aan de CISO" in said(result)
    assert outbox_keys(roster, "crisis:CRISIS-2026-0001:decide:") == [
        "crisis:CRISIS-2026-0001:decide:U01CISO:round1", "crisis:CRISIS-2026-0001:decide:U01CISO2:round1",
    ]
    assert paged(roster) == set() and the_crisis(roster).status == "requested"
    buttons = outbox_row(roster, "crisis:CRISIS-2026-0001:decide:U01CISO:round1").payload["message"]["buttons"]
    assert [b["action"] for b in buttons] == ["crisis.convene", "crisis.decline"]


def test_convening_a_request_pages_the_team_and_settles_the_other_decision_page(roster: Context) -> None:
    sender = RecordingSender()
    crisis(roster, "U01EMP", "losgeldbericht op de balie")
    deliver(roster, sender)

    result = press(roster, "U01CISO2", "crisis.convene", "CRISIS-2026-0001")
    deliver(roster, sender)

    assert "uitgeroepen" in said(result)
    assert the_crisis(roster).status == "open" and the_crisis(roster).decided_by == "U01CISO2"
    assert paged(roster) == {"U01GSEC", "U01CISO", "U01CIO", "U01DSPOB", "U01MGRB"}  # the deputy convened, the CISO is paged
    assert members(roster)["U01EMP"].seats == "melder"  # the employee who asked is in the room
    updates = [text_of(s.message) for s in sender.of_kind("update") if s.target in ("DU01CISO:1", "DU01CISO2:2")]
    assert len(updates) == 2 and all("bijeengeroepen door Ruben Bakker" in u for u in updates)
    assert "al bijeengeroepen" in said(press(roster, "U01CISO", "crisis.convene", "CRISIS-2026-0001"))
    assert "al bijeengeroepen" in said(press(roster, "U01CISO", "crisis.decline", "CRISIS-2026-0001"))


def test_declining_tells_the_requester_once(roster: Context) -> None:
    crisis(roster, "U01EMP", "rare mail met bijlage")
    press(roster, "U01CISO", "crisis.decline", "CRISIS-2026-0001")
    again = press(roster, "U01CISO2", "crisis.decline", "CRISIS-2026-0001")

    assert the_crisis(roster).status == "declined"
    assert "al niet nodig bevonden" in said(again)
    assert outbox_keys(roster, "crisis:CRISIS-2026-0001:notice:") == ["crisis:CRISIS-2026-0001:notice:declined:U01EMP"]
    assert paged(roster) == set()


def test_only_the_ciso_deputy_or_a_crisis_role_may_decide(roster: Context) -> None:
    crisis(roster, "U01EMP", "rare mail")
    assert "Alleen de CISO" in said(press(roster, "U01EMP2", "crisis.convene", "CRISIS-2026-0001"))
    assert the_crisis(roster).status == "requested"


def test_an_undecided_request_is_asked_again_then_goes_to_the_gemeentesecretaris(roster: Context, clock) -> None:  # noqa: ANN001
    crisis(roster, "U01EMP", "losgeldbericht")
    for _ in range(3):
        clock.advance(seconds=roster.options.escalation_ack_seconds)
        run_timers(roster)

    keys = outbox_keys(roster, "crisis:CRISIS-2026-0001:decide:")
    assert [k for k in keys if "U01CISO:" in k] == [f"crisis:CRISIS-2026-0001:decide:U01CISO:round{n}" for n in (1, 2, 3)]
    assert "crisis:CRISIS-2026-0001:decide:U01GSEC:round4" in keys
    assert "crisis:CRISIS-2026-0001:notice:undecided:U01EMP" in outbox_keys(roster)
    clock.advance(hours=1)
    assert run_timers(roster) == 0  # nothing left to escalate


def test_request_crisis_decision_is_idempotent_per_source(roster: Context) -> None:
    from commands.escalate import request_crisis_decision

    with roster.db.session() as session:
        first = request_crisis_decision(session, roster, requested_by="U01EMP", description="Bestand met <BSN> & namen",
                                        department="Burgerzaken", personal_data=True, source="MELD-2026-0042")
    with roster.db.session() as session:
        second = request_crisis_decision(session, roster, requested_by="U01DSPOB", description="anders verwoord",
                                         department=None, personal_data=False, source="MELD-2026-0042")
    assert first == second == "CRISIS-2026-0001"
    assert the_crisis(roster).description == "Bestand met <BSN> & namen"  # plain text in, stored as typed, escaped where shown
    page = str(outbox_row(roster, "crisis:CRISIS-2026-0001:decide:U01CISO:round1").payload["message"])
    assert "&lt;BSN&gt; &amp; namen" in page
