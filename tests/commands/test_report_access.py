"""Access to the register from every chat entry point: slash command, buttons, forms, App Home.

Three reports: R1 phishing from Burgerzaken, R2 unsafe behaviour from Sociaal Domein, R3 an
anonymous report from Burgerzaken. Who may see what follows from the roster alone.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from commands.context import Actor
from commands.report.sealing import Seal
from commands.roster import import_roster, parse_roster
from tests.conftest import FIXTURES
from tests.support.reports import (
    SEAL_KEY,
    audit,
    direct_messages,
    events,
    meld,
    outbox,
    reference_in,
    report,
    text_of,
)

R1, R2, R3 = "MELD-2026-0001", "MELD-2026-0002", "MELD-2026-0003"
EVERYONE = ("U01EMP", "U01EMP2", "U01DSPOB", "U01DSPOS", "U01MGRB", "U01MGRS", "U01CISO", "U01FG", "U01AUDIT",
            "U01GSEC", "U01CIO", "U01COMM", "U01CISO2", "U01BURG", "U0STRANGER")
MAY_SEE = {
    "U01EMP": {R1, R3},  # own, and own anonymous through the keyed tag
    "U01EMP2": {R2},
    "U01DSPOB": {R1, R3},
    "U01DSPOS": {R2},
    "U01MGRB": {R3},  # unsafe behaviour in their department
    "U01MGRS": {R2},
    "U01CISO": {R1, R2, R3},
    "U01FG": {R1, R2, R3},
    "U01AUDIT": {R1, R2, R3},
}
ANONYMOUS_FORM = {"category": "onveilig-gedrag", "what": "afdelingshoofd deelt inlogcodes", "personal_data": "nee",
                  "severity": "middel", "anonymous": "ja", "department": "Burgerzaken"}


@pytest.fixture
def register(roster, router):  # noqa: ANN001, ANN201
    meld(router, roster, "U01EMP", "phishingmail over een pakketje")
    meld(router, roster, "U01EMP2", "collega heeft zijn wachtwoord gedeeld")
    form = meld(router, roster, "U01EMP", "").form
    assert form is not None
    assert reference_in(router.submit(roster, Actor("U01EMP"), form.form_id, ANONYMOUS_FORM, form.context)) == R3
    return roster


@pytest.mark.parametrize("user", EVERYONE)
def test_slash_view_shows_exactly_what_the_roster_allows(register, router, user) -> None:  # noqa: ANN001
    for reference in (R1, R2, R3):
        shown = text_of(meld(router, register, user, reference.lower()).messages[0])
        allowed = reference in MAY_SEE.get(user, set())
        assert ("Tijdlijn" in shown) == allowed, (user, reference)
        if not allowed:
            assert shown.startswith(f"Melding {reference.lower()} niet gevonden, of je mag hem niet zien")
    views = audit(register, "report.view")
    assert len(views) == len(MAY_SEE.get(user, set()))
    assert len(audit(register, "report.denied")) == 3 - len(views)


@pytest.mark.parametrize("user", EVERYONE)
def test_status_lists_exactly_what_the_roster_allows(register, router, user) -> None:  # noqa: ANN001
    shown = "\n".join(text_of(m) for m in meld(router, register, user, "status").messages)
    assert {r for r in (R1, R2, R3) if r in shown} == MAY_SEE.get(user, set())
    assert {a.subject for a in audit(register, "report.list")} == MAY_SEE.get(user, set())


@pytest.mark.parametrize("user", EVERYONE)
def test_app_home_shows_exactly_what_the_roster_allows(register, router, user) -> None:  # noqa: ANN001
    shown = "\n".join(text_of(m) for m in router.home(register, Actor(user)))
    assert {r for r in (R1, R2, R3) if r in shown} == MAY_SEE.get(user, set())


HANDLER_ACTIONS = ("report.take", "report.assign", "report.close", "report.ap", "report.reveal")
ALL_ACTIONS = (*HANDLER_ACTIONS, "report.view", "report.amend", "report.recategorise")


@pytest.mark.parametrize("user", ["U01EMP2", "U01GSEC", "U01MGRB", "U01DSPOS", "U01CISO2", "U0STRANGER"])
@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_forged_button_values_are_refused(register, router, user, action) -> None:  # noqa: ANN001
    before = report(register, R1)
    result = router.press(register, Actor(user), action, R1)

    assert result.form is None
    assert "niet gevonden" in result.messages[0].text or "Alleen de CISO" in result.messages[0].text
    assert report(register, R1).model_dump() == before.model_dump()
    assert audit(register, "report.denied")[-1].actor == user


@pytest.mark.parametrize("user", ["U01EMP", "U01FG", "U01AUDIT"])
@pytest.mark.parametrize("action", HANDLER_ACTIONS)
def test_seeing_is_not_handling(register, router, user, action) -> None:  # noqa: ANN001
    result = router.press(register, Actor(user), action, R1)
    assert result.form is None and report(register, R1).status == "nieuw"


FORMS = {
    "report.assign": {"person": "U01DSPOB"},
    "report.close": {"outcome": "afgewezen", "note": ""},
    "report.recategorise": {"category": "datalek", "severity": "kritiek"},
    "report.amend": {"text": "ingevoegd door een buitenstaander"},
    "report.ap": {"ap_decision": "niet-melden", "ap_date": "", "ap_time": "", "ap_reference": ""},
}


@pytest.mark.parametrize("form_id", sorted(FORMS))
def test_forged_form_submissions_are_refused(register, router, form_id) -> None:  # noqa: ANN001
    before = report(register, R1)
    result = router.submit(register, Actor("U01EMP2"), form_id, FORMS[form_id], R1)

    assert "niet gevonden" in result.messages[0].text
    assert report(register, R1).model_dump() == before.model_dump()
    assert [e.action for e in events(register, R1)] == ["gemeld"]


def test_the_anonymous_reporter_is_not_stored_or_shown_in_plain_form(register, router) -> None:  # noqa: ANN001
    stored = report(register, R3)
    assert stored.anonymous and stored.reporter_id is None
    assert "U01EMP" not in f"{stored.reporter_sealed} {stored.reporter_tag}"
    assert Seal(SEAL_KEY).open(stored.reporter_sealed or "") == "U01EMP"
    for row in outbox(register, f"report:{R3}:"):
        assert "U01EMP" not in str(row.payload), row.key
    assert "Melder: anoniem" in text_of(meld(router, register, "U01DSPOB", R3).messages[0])
    assert all(e.actor != "U01EMP" for e in events(register, R3))
    assert all(a.actor != "U01EMP" for a in audit(register) if a.subject == R3)


def test_the_anonymous_reporter_acts_on_their_report_anonymously(register, router) -> None:  # noqa: ANN001
    form = router.press(register, Actor("U01EMP"), "report.amend", R3).form
    assert form is not None
    router.submit(register, Actor("U01EMP"), form.form_id, {"text": "het gebeurt elke week"}, form.context)

    assert events(register, R3)[-1].actor == "anonieme melder"
    assert "melder (anoniem)" in text_of(meld(router, register, "U01CISO", R3).messages[0])
    meld(router, register, "U01EMP", R3)
    meld(router, register, "U01EMP", "status")
    router.home(register, Actor("U01EMP"))
    about_r3 = [a for a in audit(register) if a.subject == R3]
    assert {a.action for a in about_r3} >= {"report.view", "report.list", "report.amend"}
    assert {a.actor for a in about_r3} == {"anonieme melder", "U01CISO"}  # the CISO looked above
    told = direct_messages(register, f"report:{R3}:amend:")
    assert set(told) == {"U01CISO", "U01DSPOB", "U01MGRB"}
    assert "van de melder:" in text_of(told["U01CISO"][0])


def test_only_the_ciso_reveals_an_anonymous_reporter_and_it_is_logged(register, router) -> None:  # noqa: ANN001
    for user in ("U01FG", "U01AUDIT", "U01DSPOB", "U01EMP"):
        refused = meld(router, register, user, f"onthul {R3}").messages[0].text
        assert refused.startswith("Alleen de CISO") and "U01EMP" not in refused.replace(user, "")

    revealed = meld(router, register, "U01CISO", f"onthul {R3}").messages[0].text

    assert revealed.startswith(f"🔓 De melder van {R3} is <@U01EMP> (Daan Koster)")
    assert [(a.actor, a.subject) for a in audit(register, "report.reveal")] == [("U01CISO", R3)]
    assert events(register, R3)[-1].action == "identiteit van de melder ingezien"
    assert [a.actor for a in audit(register, "report.denied") if a.detail == "melder onthullen"] == [
        "U01FG", "U01AUDIT", "U01DSPOB", "U01EMP"]


def test_the_reveal_button_is_offered_to_the_ciso_only(register, router) -> None:  # noqa: ANN001
    assert "Melder onthullen" in [b.label for b in meld(router, register, "U01CISO", R3).messages[0].buttons]
    assert "Melder onthullen" not in [b.label for b in meld(router, register, "U01FG", R3).messages[0].buttons]


def test_leaving_a_role_ends_access(register, router) -> None:  # noqa: ANN001
    roster_text = (FIXTURES / "roster.yaml").read_text(encoding="utf-8")
    import_roster(register, parse_roster(roster_text.replace("roles: [dspo]\n    department: Burgerzaken", "roles: [medewerker]\n    department: Burgerzaken")))

    assert "niet gevonden" in meld(router, register, "U01DSPOB", R1).messages[0].text
    router.press(register, Actor("U01CISO"), "report.take", R1)
    update = [row for row in outbox(register, f"report:{R1}:route:U01DSPOB:v")][-1]
    assert update.payload["message"]["text"] == f"{R1} is bijgewerkt; je hebt er geen toegang meer toe."


def test_without_a_seal_key_an_anonymous_report_keeps_no_identity(roster, router) -> None:  # noqa: ANN001
    keyless = replace(roster, options=replace(roster.options, seal_key=None))
    form = meld(router, keyless, "U01EMP", "").form
    assert form is not None
    result = router.submit(keyless, Actor("U01EMP"), form.form_id, ANONYMOUS_FORM, form.context)

    stored = report(keyless, reference_in(result))
    assert (stored.reporter_id, stored.reporter_sealed, stored.reporter_tag) == (None, None, None)
    assert result.messages[0].buttons == []
    assert "zonder naam opgeslagen" in meld(router, keyless, "U01CISO", f"onthul {stored.reference}").messages[0].text


def test_an_anonymous_reporter_asking_for_a_crisis_stays_unnamed(register, router) -> None:  # noqa: ANN001
    from storage import crises

    asked = router.press(register, Actor("U01EMP"), "crisis.from_report", R3)

    assert "gevraagd aan de CISO" in text_of(asked.messages[0])
    with register.db.session() as session:
        [crisis] = crises.all_crises(session)
        shown = " ".join(e.text for e in crises.events(session, crisis.id))
    assert (crisis.requested_by, crisis.source) == (None, R3)
    assert "U01EMP" not in f"{crisis.model_dump()} {shown}" and "Daan" not in shown
    assert [(a.actor, a.subject) for a in audit(register, "report.escalate")] == [("anonieme melder", R3)]
    assert all("U01EMP" not in str(row.payload) for row in outbox(register, "crisis:"))
