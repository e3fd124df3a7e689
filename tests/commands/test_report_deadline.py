"""The 72-hour AP deadline for a possible data breach: shown as a local date, reminded on time."""

from __future__ import annotations

from datetime import UTC, datetime

from commands.context import Actor
from commands.timers import pending_timers, run_due_timers
from tests.support.reports import direct_messages, meld, reference_in, report, text_of

BREACH = "mailing met BSN's naar de verkeerde ontvanger gestuurd"


def _reminders(ctx, reference: str) -> dict[str, list[str]]:  # noqa: ANN001
    """Stage -> who got that reminder."""
    found: dict[str, list[str]] = {}
    for user, messages in direct_messages(ctx, f"report:{reference}:ap:").items():
        for message in messages:
            found.setdefault(message.text.split(": ", 1)[1].split(" voor")[0], []).append(user)
    return found


def test_deadline_counts_through_the_weekend_and_the_end_of_summer_time(roster, router, clock) -> None:  # noqa: ANN001
    clock.set(datetime(2026, 10, 23, 8, 0, tzinfo=UTC))  # Friday 10:00 summer time; clocks go back on Sunday
    reference = reference_in(meld(router, roster, "U01EMP", BREACH))

    assert report(roster, reference).ap_deadline == datetime(2026, 10, 26, 8, 0, tzinfo=UTC)  # 72 real hours
    card = text_of(direct_messages(roster, f"report:{reference}:route:")["U01CISO"][0])
    assert "uiterlijk ma 26 oktober 09:00" in card  # winter time by then
    assert "ontdekking op vr 23 oktober 10:00" in card


def test_deadline_counts_through_the_start_of_summer_time(roster, router, clock) -> None:  # noqa: ANN001
    clock.set(datetime(2027, 3, 26, 14, 0, tzinfo=UTC))  # Friday 15:00 winter time; clocks go forward on Sunday
    reference = reference_in(meld(router, roster, "U01EMP", BREACH))

    assert "uiterlijk ma 29 maart 16:00" in text_of(direct_messages(roster, f"report:{reference}:route:")["U01FG"][0])


def test_reminders_reach_the_ciso_then_the_handler_and_both_when_it_runs_out(roster, router, clock) -> None:  # noqa: ANN001
    clock.set(datetime(2026, 10, 23, 8, 0, tzinfo=UTC))
    reference = reference_in(meld(router, roster, "U01EMP", BREACH))

    clock.set(datetime(2026, 10, 25, 7, 59, tzinfo=UTC))  # one minute before "24 hours left"
    run_due_timers(roster, router.timers)
    assert _reminders(roster, reference) == {}

    clock.advance(minutes=1)
    run_due_timers(roster, router.timers)
    assert _reminders(roster, reference) == {"nog 24 uur": ["U01CISO"]}  # nobody took it yet
    reminder = direct_messages(roster, f"report:{reference}:ap:24u:")["U01CISO"][0]
    assert "uiterlijk ma 26 oktober 09:00" in text_of(reminder)
    assert [b.action for b in reminder.buttons] == ["report.ap", "report.view"]

    router.press(roster, Actor("U01DSPOB"), "report.take", reference)
    clock.set(datetime(2026, 10, 26, 4, 0, tzinfo=UTC))
    run_due_timers(roster, router.timers)
    assert _reminders(roster, reference)["nog 4 uur"] == ["U01DSPOB"]

    clock.set(datetime(2026, 10, 26, 8, 0, tzinfo=UTC))
    run_due_timers(roster, router.timers)
    assert sorted(_reminders(roster, reference)["de termijn is verlopen"]) == ["U01CISO", "U01DSPOB"]


def test_recording_the_ap_decision_stops_the_reminders(roster, router, clock) -> None:  # noqa: ANN001
    reference = reference_in(meld(router, roster, "U01EMP", BREACH))
    form = router.press(roster, Actor("U01CISO"), "report.ap", reference).form
    assert form is not None
    values = {"ap_decision": "gemeld", "ap_date": "2026-11-30", "ap_time": "11:30", "ap_reference": "M-1"}
    said = router.submit(roster, Actor("U01CISO"), form.form_id, values, form.context).messages[0].text

    assert "gemeld op ma 30 november 11:30, kenmerk M-1" in said
    with roster.db.session() as session:
        assert pending_timers(session, f"report:{reference}:") == []
    clock.advance(days=4)
    run_due_timers(roster, router.timers)
    assert _reminders(roster, reference) == {}
    assert report(roster, reference).ap_reported_at == datetime(2026, 11, 30, 10, 30, tzinfo=UTC)
    assert router.press(roster, Actor("U01CISO"), "report.ap", reference).form is None  # decided once


def test_a_report_that_turns_out_no_breach_stops_the_reminders(roster, router, clock) -> None:  # noqa: ANN001
    reference = reference_in(meld(router, roster, "U01EMP", "verkeerde ontvanger: mail naar de verkeerde collega"))
    form = router.press(roster, Actor("U01CISO"), "report.recategorise", reference).form
    assert form is not None
    router.submit(roster, Actor("U01CISO"), form.form_id, {"category": "onveilig-gedrag", "severity": "laag", "personal_data": "nee"},
                  form.context)

    assert report(roster, reference).ap_deadline is None
    clock.advance(days=4)
    assert run_due_timers(roster, router.timers) == 0


def test_a_breach_discovered_long_ago_says_the_deadline_has_passed(roster, router) -> None:  # noqa: ANN001
    form = meld(router, roster, "U01EMP", "").form
    assert form is not None
    values = {"category": "datalek", "what": "oude lijst gevonden op de printer", "discovered_date": "2026-11-25",
              "discovered_time": "08:00", "personal_data": "ja", "severity": "middel", "anonymous": "nee",
              "department": "Burgerzaken"}
    reference = reference_in(router.submit(roster, Actor("U01EMP"), form.form_id, values, form.context))

    card = text_of(direct_messages(roster, f"report:{reference}:route:")["U01CISO"][0])
    assert "de 72 uur voor de AP zijn voorbij" in card and "(za 28 november 08:00)" in card
    with roster.db.session() as session:
        assert pending_timers(session, f"report:{reference}:") == []
