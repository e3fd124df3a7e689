"""Who gets what when a reminder is due: the roster of that moment, minus what was sent or delivered."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from commands.remind.due import Delivery, deliveries_due
from commands.remind.loader import load_calendar
from commands.remind.timing import (
    MISSING_REPORT,
    PREPARATION,
    Reminder,
    reminders_due,
    reminders_for,
)
from storage.people import Member

AMS = ZoneInfo("Europe/Amsterdam")
CISO = Member("U01CISO", "Sanne de Vries", ("ciso",), "Informatievoorziening en Automatisering")
FG = Member("U01FG", "Fatima El Amrani", ("fg",))
GSEC = Member("U01GSEC", "Marieke van Dam", ("gemeentesecretaris", "ambtelijk-opdrachtgever", "directie"))
DSPO_B = Member("U01DSPOB", "Ahmet Yilmaz", ("dspo",), "Burgerzaken")
DSPO_S = Member("U01DSPOS", "Lotte Peeters", ("dspo",), "Sociaal Domein")
MGR_B = Member("U01MGRB", "Els Janssen", ("afdelingsmanager",), "Burgerzaken")
MGR_S = Member("U01MGRS", "Bram van Leeuwen", ("afdelingsmanager",), "Sociaal Domein")
ROSTER = [CISO, FG, GSEC, DSPO_B, DSPO_S, MGR_B, MGR_S]


def reminder(item_id: str, day: date, lead: str) -> Reminder:
    calendar = load_calendar()
    occurrence = next(o for o in calendar.occurrences(day, day, AMS) if o.item.id == item_id)
    return next(r for r in reminders_for(occurrence, calendar.working_hours) if r.lead == lead)


def sent(deliveries: list[Delivery]) -> set[tuple[str, str, str]]:
    return {(d.kind, d.lead, d.recipient.id) for d in deliveries}


OVERLEG_14D = reminder("iv-privacy-overleg", date(2027, 2, 9), "14d")
DEEL_2D = reminder("ensia-deelrapportage", date(2027, 4, 1), "2d")


def test_a_meeting_reminder_goes_to_every_holder_of_its_roles() -> None:
    assert sent(deliveries_due([OVERLEG_14D], ROSTER, set(), set())) == {
        ("reminder", "14d", "U01CISO"), ("reminder", "14d", "U01DSPOB"), ("reminder", "14d", "U01DSPOS"),
        ("reminder", "14d", "U01FG"),
    }


def test_recipients_are_who_holds_the_role_when_it_is_sent() -> None:
    planned = deliveries_due([OVERLEG_14D], ROSTER, set(), set())
    successor = Member("U01DSPOB2", "Nieuwe DSPO", ("dspo",), "Burgerzaken")
    former = Member("U01DSPOB", "Ahmet Yilmaz", ("medewerker",), "Burgerzaken")  # moved to another job
    at_sending = [m for m in ROSTER if m.id != "U01DSPOB"] + [successor, former]
    recipients = {d.recipient.id for d in deliveries_due([OVERLEG_14D], at_sending, set(), set())}
    assert "U01DSPOB" in {d.recipient.id for d in planned}
    assert "U01DSPOB" not in recipients and "U01DSPOB2" in recipients


def test_inactive_people_get_nothing() -> None:
    left = Member("U01FG", "Fatima El Amrani", ("fg",), active=False)
    roster = [m for m in ROSTER if m.id != "U01FG"] + [left]
    deliveries = deliveries_due([OVERLEG_14D], roster, set(), set())
    assert "U01FG" not in {d.recipient.id for d in deliveries if d.kind == "reminder"}
    assert ("vacancy", "vacature:fg", "U01CISO") in sent(deliveries)


def test_what_the_delivery_log_has_is_not_sent_again() -> None:
    delivered = {("iv-privacy-overleg", date(2027, 2, 9), "14d", "U01CISO")}
    assert "U01CISO" not in {d.recipient.id for d in deliveries_due([OVERLEG_14D], ROSTER, delivered, set())}
    everything = {d.key for d in deliveries_due([OVERLEG_14D], ROSTER, set(), set())}
    assert deliveries_due([OVERLEG_14D], ROSTER, everything, set()) == []


def test_a_deliverable_marked_done_stops_that_persons_reminders_only() -> None:
    done = {("ensia-deelrapportage", date(2027, 4, 1), "U01MGRB")}
    assert sent(deliveries_due([DEEL_2D], ROSTER, set(), done)) == {("reminder", "2d", "U01MGRS")}


def test_done_marks_do_not_silence_meetings() -> None:
    done = {("iv-privacy-overleg", date(2027, 2, 9), "U01CISO")}
    assert "U01CISO" in {d.recipient.id for d in deliveries_due([OVERLEG_14D], ROSTER, set(), done)}


def test_the_day_after_the_deadline_the_ciso_hears_who_has_not_delivered() -> None:
    missing_report = reminder("ensia-deelrapportage", date(2027, 4, 1), MISSING_REPORT)
    done = {("ensia-deelrapportage", date(2027, 4, 1), "U01MGRB")}
    [report] = deliveries_due([missing_report], ROSTER, set(), done)
    assert (report.kind, report.recipient.id) == ("missing-report", "U01CISO")
    assert [r.member.id for r in report.missing] == ["U01MGRS"]


def test_the_bestuurlijke_rapportage_is_missed_by_the_ambtelijk_opdrachtgever() -> None:
    missing_report = reminder("ensia-bestuurlijke-rapportage", date(2027, 4, 30), MISSING_REPORT)
    [report] = deliveries_due([missing_report], ROSTER, set(), set())
    assert (report.recipient.id, [r.member.id for r in report.missing]) == ("U01GSEC", ["U01CISO"])


def test_each_dspo_is_asked_to_align_with_their_own_manager() -> None:
    preparation = reminder("iv-privacy-overleg", date(2027, 2, 9), PREPARATION)
    deliveries = deliveries_due([preparation], ROSTER, set(), set())
    partners = {d.recipient.id: [p.id for p in d.partners] for d in deliveries}
    assert partners == {"U01DSPOB": ["U01MGRB"], "U01DSPOS": ["U01MGRS"]}


def test_a_dspo_without_a_manager_is_a_vacancy_for_the_ciso() -> None:
    preparation = reminder("iv-privacy-overleg", date(2027, 2, 9), PREPARATION)
    deliveries = deliveries_due([preparation], [m for m in ROSTER if m.id != "U01MGRS"], set(), set())
    assert ("vacancy", "vacature:afdelingsmanager@Sociaal Domein", "U01CISO") in sent(deliveries)
    assert next(d for d in deliveries if d.recipient.id == "U01DSPOS").partners == ()


def test_a_department_without_its_dspo_is_reported_once_per_occurrence() -> None:
    roster = [m for m in ROSTER if m.id != "U01DSPOS"]
    first = deliveries_due([OVERLEG_14D], roster, set(), set())
    vacancy = next(d for d in first if d.kind == "vacancy")
    assert (vacancy.lead, vacancy.recipient.id) == ("vacature:dspo@Sociaal Domein", "U01CISO")
    two_days_before = reminder("iv-privacy-overleg", date(2027, 2, 9), "2d")
    later = deliveries_due([two_days_before], roster, {d.key for d in first}, set())
    assert [d for d in later if d.kind == "vacancy"] == []


def test_without_a_ciso_the_gemeentesecretaris_hears_about_vacancies() -> None:
    deliveries = deliveries_due([OVERLEG_14D], [m for m in ROSTER if m.id != "U01CISO"], set(), set())
    assert ("vacancy", "vacature:ciso", "U01GSEC") in sent(deliveries)


def test_at_monday_30_november_2026_only_the_overdue_policy_evaluation_is_due() -> None:
    now = datetime(2026, 11, 30, 9, 0, tzinfo=AMS)
    deliveries = deliveries_due(reminders_due(load_calendar(), now, AMS), ROSTER, set(), set())
    assert sent(deliveries) == {("overdue", "te-laat", "U01CISO"), ("overdue", "te-laat", "U01GSEC")}
    assert {d.reminder.occurrence.day for d in deliveries} == {date(2024, 12, 31)}
