"""Reminders through the outbox: once across repeats, restarts and processes; the roster at sending; "Gereed"."""

from __future__ import annotations

import threading
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from commands import build_router
from commands.context import Actor, Context
from commands.messages import Message
from commands.remind.agenda import agenda, listed_occurrences
from commands.remind.delivery import send_due_reminders
from commands.remind.loader import load_calendar
from commands.remind.timing import reminders_between
from commands.roster import import_roster_file, list_roster
from storage.audit import AuditEntry
from storage.db import Database
from storage.outbox import OutboxMessage
from storage.reminders import DeliverableDone
from tests.support.clock import FakeClock

AMS = ZoneInfo("Europe/Amsterdam")
ROSTER = Path(__file__).parents[1] / "fixtures" / "roster.yaml"
DEEL = "ensia-deelrapportage"


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)


def outbox(ctx: Context) -> list[OutboxMessage]:
    with ctx.db.session() as session:
        return list(session.exec(select(OutboxMessage).where(OutboxMessage.key.startswith("remind:")).order_by(OutboxMessage.id)))


def sent_to(ctx: Context, item: str, lead: str) -> set[str]:
    return {row.recipient for row in outbox(ctx) if row.key.startswith(f"remind:{item}:") and f":{lead}:" in row.key}


def message_to(ctx: Context, item: str, lead: str, user_id: str) -> Message:
    row = next(r for r in outbox(ctx) if r.key.startswith(f"remind:{item}:") and r.key.endswith(f":{lead}:{user_id}"))
    return Message.from_dict(row.payload["message"])


def load_roster(ctx: Context, tmp_path: Path, *replacements: tuple[str, str]) -> None:
    """Import the test roster with text replacements (e.g. someone else in a role)."""
    text = ROSTER.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    changed = tmp_path / "roster.yaml"
    changed.write_text(text, encoding="utf-8")
    import_roster_file(ctx, changed)


def test_a_due_reminder_is_put_in_the_outbox_once(roster: Context, clock: FakeClock) -> None:
    clock.set(local(2027, 3, 18, 9, 0))
    first = send_due_reminders(roster)
    assert sent_to(roster, DEEL, "14d") == {"U01MGRB", "U01MGRI", "U01MGRS"}
    assert send_due_reminders(roster) == []
    clock.advance(hours=3)
    assert send_due_reminders(roster) == []
    assert len(outbox(roster)) == len(first)


def test_a_restarted_bot_sends_nothing_again(roster: Context, clock: FakeClock) -> None:
    clock.set(local(2027, 3, 18, 9, 0))
    assert send_due_reminders(roster)
    restarted = Context(Database(roster.db.url), roster.options, clock)
    try:
        clock.advance(minutes=30)
        assert send_due_reminders(restarted) == []
    finally:
        restarted.db.dispose()


def test_two_processes_at_the_same_moment_send_each_reminder_once(roster: Context, clock: FakeClock) -> None:
    clock.set(local(2027, 3, 18, 9, 0))
    processes = [Context(Database(roster.db.url), roster.options, clock) for _ in range(2)]
    start = threading.Barrier(len(processes))
    results: list[list] = [[] for _ in processes]

    def run(index: int) -> None:
        start.wait()
        results[index] = send_due_reminders(processes[index])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(processes))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    for process in processes:
        process.db.dispose()
    keys = [d.key for result in results for d in result]
    assert len(keys) == len(set(keys)) == len(outbox(roster))
    assert sent_to(roster, DEEL, "14d") == {"U01MGRB", "U01MGRI", "U01MGRS"}


def test_after_downtime_a_reminder_is_sent_late_that_day_and_skipped_the_day_after(roster: Context, clock: FakeClock) -> None:
    clock.set(local(2027, 3, 18, 14, 30))  # down from before 09:00 until 14:30
    send_due_reminders(roster)
    assert sent_to(roster, DEEL, "14d") == {"U01MGRB", "U01MGRI", "U01MGRS"}
    clock.set(local(2027, 3, 31, 9, 0))  # down all of Tuesday 30 March, the day of the 2-day reminder
    send_due_reminders(roster)
    assert sent_to(roster, DEEL, "2d") == set()
    clock.set(local(2027, 4, 1, 9, 0))
    send_due_reminders(roster)
    assert sent_to(roster, DEEL, "0d") == {"U01MGRB", "U01MGRI", "U01MGRS"}


def test_someone_new_in_a_role_gets_the_next_reminder_and_the_former_holder_nothing(
    roster: Context, clock: FakeClock, tmp_path: Path,
) -> None:
    clock.set(local(2027, 1, 26, 9, 0))
    send_due_reminders(roster)
    assert "U01DSPOB" in sent_to(roster, "iv-privacy-overleg", "14d")
    load_roster(roster, tmp_path, (
        "  - id: U01DSPOB\n    name: Ahmet Yilmaz\n    roles: [dspo]",
        ("  - id: U01DSPOB\n    name: Ahmet Yilmaz\n    roles: [medewerker]\n"
         "  - id: U01DSPOB2\n    name: Iris de Wit\n    roles: [dspo]\n    department: Burgerzaken"),
    ))
    for moment in (local(2027, 2, 2, 9, 0), local(2027, 2, 5, 9, 0)):
        clock.set(moment)
        send_due_reminders(roster)
    for lead in ("voorbereiding", "2d"):
        assert "U01DSPOB2" in sent_to(roster, "iv-privacy-overleg", lead)
        assert "U01DSPOB" not in sent_to(roster, "iv-privacy-overleg", lead)


def test_a_vacant_role_is_reported_to_the_ciso_once_per_occurrence(roster: Context, clock: FakeClock, tmp_path: Path) -> None:
    load_roster(roster, tmp_path, ("    roles: [fg]", "    roles: [medewerker]"))
    for moment in (local(2027, 1, 26, 9, 0), local(2027, 2, 5, 9, 0), local(2027, 2, 9, 9, 0)):
        clock.set(moment)
        send_due_reminders(roster)
    assert sent_to(roster, "iv-privacy-overleg", "vacature") == {"U01CISO"}
    notice = message_to(roster, "iv-privacy-overleg", "vacature:fg", "U01CISO")
    assert "FG" in notice.title and "roster import" in str(notice.blocks)


def test_a_year_of_reminders_is_sent_exactly_as_listed(roster: Context, clock: FakeClock) -> None:
    calendar = load_calendar()
    year = (local(2027, 1, 1), local(2028, 1, 1))
    occurrences = listed_occurrences(calendar, date(2026, 12, 1), date(2028, 6, 30), AMS)
    listed = {
        (p.reminder.item.id, p.reminder.occurrence.day, p.reminder.lead, recipient)
        for entry in agenda(calendar, list_roster(roster), occurrences)
        for p in entry.reminders if year[0] <= p.reminder.moment < year[1]
        for recipient in p.recipients
    }
    sent = []
    for moment in sorted({r.moment for r in reminders_between(calendar, *year, AMS)}):
        clock.set(moment)
        sent += [d.key for d in send_due_reminders(roster)]
        clock.advance(hours=1)  # a second scheduler round the same morning
        sent += [d.key for d in send_due_reminders(roster)]
    overdue = [key for key in sent if key[2] == "te-laat"]
    assert sorted(overdue) == [("evaluatie-strategisch-beleid", date(2024, 12, 31), "te-laat", user) for user in ("U01CISO", "U01DIR2", "U01GSEC")]
    assert len(sent) == len(set(sent))
    assert set(sent) - set(overdue) == listed
    assert len(listed) > 150  # the whole year: 14 occurrences, 3-4 reminders each, to 1-8 people


def test_gereed_stops_that_persons_reminders_and_the_ciso_hears_who_is_missing(roster: Context, clock: FakeClock) -> None:
    router = build_router()
    clock.set(local(2027, 3, 18, 9, 0))
    send_due_reminders(roster)
    button = message_to(roster, DEEL, "14d", "U01MGRB").buttons[0]
    assert (button.label, button.action) == ("✅ Gereed", "remind.done")
    result = router.press(roster, Actor("U01MGRB"), button.action, button.value)
    assert result.update is not None and result.update.text.startswith("✅ Gereed gemeld: Deelrapportage ENSIA")
    clock.set(local(2027, 3, 30, 9, 0))
    send_due_reminders(roster)
    assert sent_to(roster, DEEL, "2d") == {"U01MGRI", "U01MGRS"}
    clock.set(local(2027, 4, 2, 9, 0))
    send_due_reminders(roster)
    report = message_to(roster, DEEL, "niet-gereed", "U01CISO")
    assert "(2 van 3)" in report.blocks[0]
    assert "<@U01MGRI>" in report.blocks[0] and "<@U01MGRS>" in report.blocks[0] and "<@U01MGRB>" not in report.blocks[0]
    with roster.db.session() as session:
        assert session.exec(select(AuditEntry).where(AuditEntry.action == "remind.done")).one().actor == "U01MGRB"


def test_pressing_gereed_twice_marks_it_once(roster: Context) -> None:
    router = build_router()
    value = f"{DEEL}|2027-04-01|U01MGRB"
    router.press(roster, Actor("U01MGRB"), "remind.done", value)
    again = router.press(roster, Actor("U01MGRB"), "remind.done", value)
    assert again.update is not None and "al gereed gemeld" in again.update.text
    with roster.db.session() as session:
        assert len(session.exec(select(DeliverableDone)).all()) == 1


def test_only_the_addressee_can_mark_their_deliverable_done(roster: Context) -> None:
    result = build_router().press(roster, Actor("U01MGRS"), "remind.done", f"{DEEL}|2027-04-01|U01MGRB")
    assert result.update is None
    assert result.messages[0].text == "Deze knop is van <@U01MGRB>; alleen die kan dit gereed melden."
    with roster.db.session() as session:
        assert session.exec(select(DeliverableDone)).all() == []


@pytest.mark.parametrize("value", [
    "kapot",
    f"{DEEL}|1 april|U01MGRB",
    f"{DEEL}|2027-04-02|U01MGRB",  # not a date it happens on
    "iv-privacy-overleg|2027-02-09|U01MGRB",  # a meeting is not a deliverable
    "verdwenen-item|2027-04-01|U01MGRB",
])
def test_a_button_that_no_longer_matches_the_calendar_says_so(roster: Context, value: str) -> None:
    result = build_router().press(roster, Actor("U01MGRB"), "remind.done", value)
    assert result.update is None and "werkt niet meer" in result.messages[0].text
