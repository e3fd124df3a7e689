"""What a reminder says: what, when, who else, what to bring, the policy section; calendar text escaped."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from commands.messages import Fields
from commands.remind.due import deliveries_due
from commands.remind.loader import load_calendar, parse_calendar
from commands.remind.model import Calendar
from commands.remind.texts import format_day, message_for
from commands.remind.timing import overdue_reminders, reminders_for
from storage.people import Member

AMS = ZoneInfo("Europe/Amsterdam")
CISO = Member("U01CISO", "Sanne de Vries", ("ciso",))
MGR_B = Member("U01MGRB", "Els Janssen", ("afdelingsmanager",), "Burgerzaken")
MGR_S = Member("U01MGRS", "Bram van Leeuwen", ("afdelingsmanager",), "Sociaal Domein")


def messages(calendar: Calendar, day: date, lead: str, members: list[Member]):
    occurrence = calendar.occurrences(day, day, AMS)[0]
    reminder = next(r for r in reminders_for(occurrence, calendar.working_hours) if r.lead == lead)
    return {d.recipient.id: message_for(d) for d in deliveries_due([reminder], members, set(), set()) if d.kind != "vacancy"}


def fields(message) -> dict[str, str]:
    return dict(next(b for b in message.blocks if isinstance(b, Fields)).pairs)


def test_dutch_dates() -> None:
    assert format_day(date(2027, 2, 9)) == "dinsdag 9 februari 2027"
    assert format_day(date(2027, 5, 30)) == "zondag 30 mei 2027"


def test_a_deadline_reminder_says_what_when_who_else_what_to_do_and_where_in_the_policy() -> None:
    message = messages(load_calendar(), date(2027, 4, 1), "14d", [CISO, MGR_B, MGR_S])["U01MGRB"]
    assert message.title == "⏰ Over 14 dagen: Deelrapportage ENSIA"
    assert fields(message) == {
        "Uiterlijk": "donderdag 1 april 2027, 17:00",
        "Jouw rol": "afdelingsmanager",
        "Wie nog meer": "<@U01MGRS> (afdelingsmanager Sociaal Domein)",
        "Beleid": "§8.1",
    }
    assert any(str(b).startswith("*Wat je doet:*") for b in message.blocks)
    [button] = message.buttons
    assert (button.label, button.action, button.value) == ("✅ Gereed", "remind.done", "ensia-deelrapportage|2027-04-01|U01MGRB")
    assert message.footnote.startswith("Herinnering 14 dagen vooraf.")


def test_a_meeting_reminder_on_the_day_itself_has_the_time_span_and_no_button() -> None:
    message = messages(load_calendar(), date(2027, 2, 9), "0d", [CISO])["U01CISO"]
    assert message.title == "📅 Vandaag: Informatieveiligheid- en privacyoverleg"
    assert fields(message)["Wanneer"] == "dinsdag 9 februari 2027, 10:00–11:30"
    assert fields(message)["Wie nog meer"] == "niemand anders"
    assert message.buttons == []
    assert message.footnote.startswith("Herinnering op de dag zelf.")


def test_text_from_the_calendar_file_cannot_mention_anyone() -> None:
    calendar = parse_calendar("""
items:
  - id: test
    kind: deadline
    title: "<!channel> rapport & co"
    section: "8.1"
    roles: [ciso]
    purpose: "Zie <https://evil.example|hier>"
    bring: "<@U0BOSS>"
    schedule: {months: [3], day: 10, time: "17:00"}
""")
    message = messages(calendar, date(2027, 3, 10), "2d", [CISO])["U01CISO"]
    rendered = " ".join([message.text, message.title or "", *map(str, message.blocks)])
    assert "&lt;!channel&gt; rapport &amp; co" in message.title
    assert "<!channel>" not in rendered and "<@U0BOSS>" not in rendered and "<https://" not in rendered


def test_many_others_are_cut_short_for_phones() -> None:
    managers = [Member(f"U0M{i}", f"Manager {i}", ("afdelingsmanager",), f"Afdeling {i}") for i in range(10)]
    message = messages(load_calendar(), date(2027, 4, 1), "2d", managers)["U0M0"]
    assert fields(message)["Wie nog meer"].endswith(" en 3 anderen")
    assert fields(message)["Wie nog meer"].count("<@") == 6


def test_the_preparation_names_the_dspos_own_manager() -> None:
    dspo = Member("U01DSPOB", "Ahmet Yilmaz", ("dspo",), "Burgerzaken")
    message = messages(load_calendar(), date(2027, 2, 9), "voorbereiding", [CISO, dspo, MGR_B, MGR_S])["U01DSPOB"]
    assert message.title == "🤝 Voorbereiden: Informatieveiligheid- en privacyoverleg"
    assert "is op *dinsdag 9 februari 2027, 10:00–11:30*. Stem vooraf af met <@U01MGRB> (afdelingsmanager)." in message.blocks[0]


def test_when_everyone_delivered_the_ciso_hears_that_too() -> None:
    calendar = load_calendar()
    occurrence = calendar.occurrences(date(2027, 4, 1), date(2027, 4, 1), AMS)[0]
    report = next(r for r in reminders_for(occurrence, calendar.working_hours) if r.lead == "niet-gereed")
    done = {("ensia-deelrapportage", date(2027, 4, 1), m.id) for m in (MGR_B, MGR_S)}
    [delivery] = deliveries_due([report], [CISO, MGR_B, MGR_S], set(), done)
    message = message_for(delivery)
    assert message.title == "✅ Deelrapportage ENSIA: alles gereed"
    assert message.blocks[0] == "De deadline was *donderdag 1 april 2027, 17:00*. Iedereen (2) heeft gereed gemeld."


def test_the_overdue_evaluation_says_when_it_was_due_and_when_it_comes_next() -> None:
    [notice] = overdue_reminders(load_calendar(), datetime(2026, 11, 30, 9, tzinfo=AMS), AMS)
    [delivery] = [d for d in deliveries_due([notice], [CISO], set(), set()) if d.kind == "overdue"]
    message = message_for(delivery)
    assert message.title == "⚠️ Te laat: Evaluatie strategisch informatiebeveiligingsbeleid"
    assert fields(message)["Was uiterlijk"] == "dinsdag 31 december 2024, 17:00"
    assert fields(message)["Volgende keer"] == "maandag 31 december 2029"
    assert fields(message)["Beleid"] == "§5, §6.3"
    assert "2020-2024 is voorbij" in message.blocks[1]
