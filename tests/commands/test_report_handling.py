"""Handling a report: take, assign, close, amend, recategorise; races and double clicks are safe."""

from __future__ import annotations

import threading

from commands.context import Actor
from commands.messages import Message
from commands.timers import pending_timers
from tests.support.reports import (
    audit,
    direct_messages,
    events,
    meld,
    outbox,
    reference_in,
    report,
    text_of,
)


def _file(router, ctx, text: str = "phishingmail met een vreemde link", user: str = "U01EMP") -> str:  # noqa: ANN001
    return reference_in(meld(router, ctx, user, text))


def _submit(router, ctx, user: str, action: str, reference: str, values: dict[str, str]):  # noqa: ANN001, ANN202
    form = router.press(ctx, Actor(user), action, reference).form
    assert form is not None, f"{action} opened no form for {user}"
    assert router.check_form(form.form_id, values) == {}
    return router.submit(ctx, Actor(user), form.form_id, values, form.context)


def test_taking_a_report_updates_every_routed_message(roster, router) -> None:  # noqa: ANN001
    reference = _file(router, roster)

    said = router.press(roster, Actor("U01DSPOB"), "report.take", reference).messages[0].text

    assert "in behandeling genomen" in said
    stored = report(roster, reference)
    assert (stored.status, stored.handler_id) == ("in_behandeling", "U01DSPOB")
    updates = [row for row in outbox(roster, f"report:{reference}:route:") if row.kind == "update"]
    assert {row.recipient for row in updates} == {f"report:{reference}:route:U01CISO", f"report:{reference}:route:U01DSPOB"}
    ciso_card = Message.from_dict(next(row for row in updates if row.recipient.endswith("U01CISO")).payload["message"])
    assert "In behandeling nemen" not in [b.label for b in ciso_card.buttons]
    assert "Behandelaar: <@U01DSPOB>" in text_of(ciso_card) and "Status: in behandeling" in text_of(ciso_card)


def test_a_double_click_takes_once(roster, router) -> None:  # noqa: ANN001
    reference = _file(router, roster)
    router.press(roster, Actor("U01DSPOB"), "report.take", reference)

    again = router.press(roster, Actor("U01DSPOB"), "report.take", reference).messages[0].text

    assert again == f"Je hebt {reference} al in behandeling."
    assert [e.action for e in events(roster, reference)] == ["gemeld", "in behandeling genomen"]


def test_two_handlers_racing_one_wins_and_the_other_is_told_who(roster, router) -> None:  # noqa: ANN001
    reference = _file(router, roster)
    answers: dict[str, str] = {}
    start = threading.Barrier(2)

    def take(user: str) -> None:
        start.wait()
        answers[user] = router.press(roster, Actor(user), "report.take", reference).messages[0].text

    threads = [threading.Thread(target=take, args=(user,)) for user in ("U01CISO", "U01DSPOB")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    winner = report(roster, reference).handler_id
    loser = ({"U01CISO", "U01DSPOB"} - {winner}).pop()
    assert "in behandeling genomen" in answers[winner]
    assert answers[loser] == f"{reference} is al in behandeling bij <@{winner}>."
    assert [e.action for e in events(roster, reference)].count("in behandeling genomen") == 1


def test_assigning_offers_only_people_who_may_handle_it(roster, router) -> None:  # noqa: ANN001
    reference = _file(router, roster, "collega laat zijn scherm niet vergrendeld")
    form = router.press(roster, Actor("U01CISO"), "report.assign", reference).form

    assert form is not None
    offered = {c.value for c in form.fields[0].choices}
    assert offered == {"U01CISO", "U01DSPOB", "U01MGRB", "U01FG"}  # not the IT-auditor: they audit, not handle
    result = router.submit(roster, Actor("U01CISO"), form.form_id, {"person": "U01MGRB"}, form.context)

    assert "toegewezen aan <@U01MGRB>" in result.messages[0].text
    assert report(roster, reference).handler_id == "U01MGRB"
    assert "aan je toegewezen" in direct_messages(roster, f"report:{reference}:assigned:")["U01MGRB"][0].text


def test_assigning_to_someone_outside_the_list_is_refused(roster, router) -> None:  # noqa: ANN001
    reference = _file(router, roster)
    form = router.press(roster, Actor("U01CISO"), "report.assign", reference).form
    assert form is not None

    result = router.submit(roster, Actor("U01CISO"), form.form_id, {"person": "U01EMP2"}, form.context)

    assert "mag" in result.messages[0].text and "niet behandelen" in result.messages[0].text
    assert report(roster, reference).handler_id is None


def test_an_assigned_handler_gets_the_card_and_may_act(roster, router) -> None:  # noqa: ANN001
    reference = _file(router, roster, "laptop gestolen")
    _submit(router, roster, "U01CISO", "report.assign", reference, {"person": "U01FG"})

    assert f"report:{reference}:route:U01FG" in {row.key for row in outbox(roster, f"report:{reference}:route:U01FG")}
    result = _submit(router, roster, "U01FG", "report.close", reference, {"outcome": "afgehandeld", "note": "geblokkeerd"})
    assert "afgehandeld" in result.messages[0].text


def test_closing_records_the_outcome_and_tells_the_reporter(roster, router) -> None:  # noqa: ANN001
    reference = _file(router, roster)
    router.press(roster, Actor("U01DSPOB"), "report.take", reference)

    _submit(router, roster, "U01DSPOB", "report.close", reference, {"outcome": "afgewezen", "note": "dubbel met MELD-2026-0009"})

    stored = report(roster, reference)
    assert (stored.status, stored.outcome_note, stored.closed_at) == ("afgewezen", "dubbel met MELD-2026-0009", stored.updated_at)
    told = direct_messages(roster, f"report:{reference}:closed:")["U01EMP"][0].text
    assert told == f"Je melding {reference} is afgewezen. Bedankt voor het melden!"
    last = [row for row in outbox(roster, f"report:{reference}:route:U01CISO:v")][-1].payload["message"]
    assert last["buttons"] == [{"label": "Details", "action": "report.view", "value": reference, "style": None, "confirm": None}]
    again = router.press(roster, Actor("U01CISO"), "report.take", reference).messages[0].text
    assert again == f"{reference} is al afgewezen."


def test_closing_a_possible_breach_asks_for_the_ap_decision(roster, router) -> None:  # noqa: ANN001
    reference = _file(router, roster, "excel met BSN's naar de verkeerde ontvanger gemaild")
    form = router.press(roster, Actor("U01CISO"), "report.close", reference).form
    assert form is not None
    assert {f.name for f in form.fields} >= {"ap_decision", "ap_date", "ap_time", "ap_reference"}
    undecided = {"outcome": "afgehandeld", "ap_decision": "", "ap_date": "", "ap_time": "", "ap_reference": ""}
    assert router.check_form(form.form_id, undecided) == {"ap_decision": "Kies of het datalek bij de AP is gemeld."}
    values = {"outcome": "afgehandeld", "ap_decision": "gemeld", "ap_date": "2026-12-01", "ap_time": "10:15", "ap_reference": "AP-12345"}

    router.submit(roster, Actor("U01CISO"), form.form_id, values, form.context)

    stored = report(roster, reference)
    assert (stored.ap_reported, stored.ap_reference, stored.status) == (True, "AP-12345", "afgehandeld")
    with roster.db.session() as session:
        assert pending_timers(session, f"report:{reference}:") == []


def test_the_reporter_may_add_information_and_handlers_see_it(roster, router) -> None:  # noqa: ANN001
    reference = _file(router, roster)

    result = _submit(router, roster, "U01EMP", "report.amend", reference, {"text": "Ik heb toch op de link <geklikt> & ingelogd"})

    assert "Aanvulling opgeslagen" in result.messages[0].text
    assert events(roster, reference)[-1].detail == "Ik heb toch op de link <geklikt> & ingelogd"
    told = direct_messages(roster, f"report:{reference}:amend:")
    assert set(told) == {"U01CISO", "U01DSPOB"}
    assert "&lt;geklikt&gt; &amp; ingelogd" in text_of(told["U01CISO"][0])


def test_the_reporter_may_recategorise_only_while_nobody_handles_it(roster, router) -> None:  # noqa: ANN001
    reference = _file(router, roster, "iets raars")
    _submit(router, roster, "U01EMP", "report.recategorise", reference, {"category": "phishing", "severity": "laag"})
    assert (report(roster, reference).category, report(roster, reference).severity) == ("phishing", "laag")
    assert events(roster, reference)[-1].detail == "categorie Beveiligingsincident → Phishing; ernst middel → laag"

    router.press(roster, Actor("U01DSPOB"), "report.take", reference)
    refused = router.press(roster, Actor("U01EMP"), "report.recategorise", reference)

    assert refused.form is None and "niet gevonden, of je mag hem niet zien" in refused.messages[0].text
    reviewed = _submit(router, roster, "U01DSPOB", "report.recategorise", reference, {"category": "phishing", "severity": "hoog"})
    assert "ernst laag → hoog" in reviewed.messages[0].text


def test_raising_severity_to_critical_alerts_the_ciso(roster, router) -> None:  # noqa: ANN001
    reference = _file(router, roster)
    assert direct_messages(roster, "crisis:") == {}

    _submit(router, roster, "U01DSPOB", "report.recategorise", reference, {"category": "phishing", "severity": "kritiek"})

    assert set(direct_messages(roster, "crisis:")) == {"U01CISO", "U01CISO2"}
    assert [a.subject for a in audit(roster, "report.recategorise")] == [reference]


def test_the_ap_form_refuses_a_reference_longer_than_the_register_keeps(router) -> None:  # noqa: ANN001
    values = {"ap_decision": "gemeld", "ap_date": "2026-12-01", "ap_time": "10:00", "ap_reference": "x" * 101}
    assert set(router.check_form("report.ap", values)) == {"ap_reference"}
