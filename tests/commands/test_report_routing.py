"""Routing from the roster: who gets a report, and what they are told when a role is vacant."""

from __future__ import annotations

from commands.context import Actor
from commands.report import crisis_seed
from commands.roster import import_roster, parse_roster
from tests.support.reports import direct_messages, meld, reference_in, report, text_of

SMALL_ROSTER = """
people:
  - {id: U9CISO, name: Cor Iso, roles: [ciso], deputy: U9DEP}
  - {id: U9DEP, name: Dep Uty, roles: [medewerker]}
  - {id: U9CIO, name: Cio Ciao, roles: [cio]}
  - {id: U9EMP, name: Em Ploy, roles: [medewerker], department: Wijkzaken}
"""


def test_a_report_goes_to_the_dspo_of_the_department_and_the_ciso(roster, router) -> None:  # noqa: ANN001
    meld(router, roster, "U01EMP2", "verdachte link in een mail")

    sent = direct_messages(roster, "report:MELD-2026-0001:route:")
    assert set(sent) == {"U01CISO", "U01DSPOS"}
    assert "als DSPO van Sociaal Domein" in text_of(sent["U01DSPOS"][0])
    assert [b.label for b in sent["U01CISO"][0].buttons] == ["In behandeling nemen", "Toewijzen", "Afsluiten", "Details"]


def test_unsafe_behaviour_also_goes_to_the_afdelingsmanager(roster, router) -> None:  # noqa: ANN001
    meld(router, roster, "U01EMP", "collega heeft zijn wachtwoord gedeeld met een stagiair")

    sent = direct_messages(roster, "report:MELD-2026-0001:route:")
    assert set(sent) == {"U01CISO", "U01DSPOB", "U01MGRB"}
    assert "afdelingsmanager van Burgerzaken, bij onveilig gedrag" in text_of(sent["U01MGRB"][0])


def test_a_possible_breach_also_goes_to_the_fg_with_the_deadline(roster, router) -> None:  # noqa: ANN001
    meld(router, roster, "U01EMP", "brief met BSN naar het verkeerde adres gestuurd")

    sent = direct_messages(roster, "report:MELD-2026-0001:route:")
    assert set(sent) == {"U01CISO", "U01DSPOB", "U01FG"}
    card = text_of(sent["U01FG"][0])
    assert "uiterlijk do 3 december 09:00" in card and "Nachten en weekenden tellen mee" in card
    assert [b.label for b in sent["U01FG"][0].buttons] == ["Details"]  # the FG advises; handlers act
    assert "AP-besluit vastleggen" in [b.label for b in sent["U01DSPOB"][0].buttons]


def test_vacant_roles_send_the_report_to_the_ciso_and_say_so(ctx, router) -> None:  # noqa: ANN001
    import_roster(ctx, parse_roster(SMALL_ROSTER))
    result = meld(router, ctx, "U9EMP", "collega laat zijn scherm niet vergrendeld met BSN's open")

    sent = direct_messages(ctx, "report:MELD-2026-0001:route:")
    assert set(sent) == {"U9CISO"}
    card = text_of(sent["U9CISO"][0])
    assert "geen DSPO voor Wijkzaken" in card
    assert "geen afdelingsmanager voor Wijkzaken" in card
    assert "geen FG" in card
    assert "<@U9CISO> (CISO)" in text_of(result.messages[0])


def test_without_a_ciso_the_cio_gets_it(ctx, router) -> None:  # noqa: ANN001
    import_roster(ctx, parse_roster(SMALL_ROSTER.replace("roles: [ciso]", "roles: [medewerker]")))
    meld(router, ctx, "U9EMP", "iets vreemds op de server")

    sent = direct_messages(ctx, "report:MELD-2026-0001:route:")
    assert set(sent) == {"U9CIO"}
    assert "er staat geen CISO in het rooster" in text_of(sent["U9CIO"][0])


def test_nobody_in_the_roster_still_files_and_tells_the_reporter_what_to_do(ctx, router) -> None:  # noqa: ANN001
    result = meld(router, ctx, "U01EMP", "phishing")

    assert reference_in(result) == "MELD-2026-0001"
    assert "Bel de servicedesk" in text_of(result.messages[0])


def test_a_critical_report_is_marked_and_pages_the_ciso_to_decide_on_the_crisis_team(roster, router) -> None:  # noqa: ANN001
    meld(router, roster, "U01EMP", "ransomware: alle bestanden zijn versleuteld <!channel>")

    card = direct_messages(roster, "report:MELD-2026-0001:route:")["U01DSPOB"][0]
    assert card.title and card.title.startswith("🚨 Kritieke melding")
    assert "Ernst: 🚨 kritiek" in text_of(card)
    pages = direct_messages(roster, "crisis:CRISIS-2026-0001:decide:")
    assert set(pages) == {"U01CISO", "U01CISO2"}  # the CISO and deputy, as /crisis does
    page = text_of(pages["U01CISO"][0])
    assert "MELD-2026-0001" in page and "&lt;!channel&gt;" in page and "<!channel>" not in page
    assert {b.action for b in pages["U01CISO"][0].buttons} >= {"crisis.convene", "crisis.decline"}


def test_an_anonymous_critical_report_pages_without_naming_the_reporter(roster, router) -> None:  # noqa: ANN001
    form = router.run_command(roster, Actor("U01EMP"), "meld", "").form
    assert form is not None
    router.submit(roster, Actor("U01EMP"), form.form_id, {
        "category": "beveiligingsincident", "severity": "kritiek", "what": "ransomware op de server",
        "anonymous": "ja", "personal_data": "nee",
    }, form.context)

    pages = direct_messages(roster, "crisis:")
    assert pages and all("U01EMP" not in text_of(m) and "Daan Koster" not in text_of(m) for ms in pages.values() for m in ms)


def test_changing_the_category_routes_to_whoever_is_new(roster, router) -> None:  # noqa: ANN001
    meld(router, roster, "U01EMP", "vreemde mail gehad")
    form = router.press(roster, Actor("U01EMP"), "report.recategorise", "MELD-2026-0001").form
    assert form is not None
    router.submit(roster, Actor("U01EMP"), form.form_id, {"category": "datalek", "severity": "hoog"}, form.context)

    sent = direct_messages(roster, "report:MELD-2026-0001:route:")
    assert set(sent) == {"U01CISO", "U01DSPOB", "U01FG"}
    assert all(len(messages) == 1 for messages in sent.values())
    assert report(roster, "MELD-2026-0001").ap_deadline is not None


def test_crisis_seed_summarises_a_report_without_its_reporter(roster, router) -> None:  # noqa: ANN001
    form = meld(router, roster, "U01EMP", "").form
    assert form is not None
    values = {"category": "beveiligingsincident", "what": "ransomware <!channel> " + "x" * 500, "personal_data": "ja",
              "severity": "kritiek", "anonymous": "ja", "department": "Burgerzaken"}
    router.submit(roster, Actor("U01EMP"), form.form_id, values, form.context)

    with roster.db.session() as session:
        seed = crisis_seed(session, roster, "meld-2026-1", "U01CISO")
        assert crisis_seed(session, roster, "MELD-2026-0099", "U01CISO") is None
        assert crisis_seed(session, roster, "MELD-2026-0001", "U01EMP2") is None  # may not see it
    assert seed is not None

    assert (seed.reference, seed.department, seed.personal_data, seed.category) == (
        "MELD-2026-0001", "Burgerzaken", True, "beveiligingsincident")
    assert seed.summary == "Beveiligingsincident (MELD-2026-0001): ransomware <!channel>…"  # plain: escaped where shown
    assert len(seed.summary) < 300 and "U01EMP" not in seed.summary
