"""Escalation and acknowledgement: on time, exactly once, never after acknowledging, across restarts."""

from __future__ import annotations

import threading

import pytest

from bot.config import Settings
from bot.runtime import Runtime
from commands.context import Context
from commands.messages import Message
from commands.timers import pending_timers
from storage.db import Database
from storage.outbox import WITHDRAWN
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
    timeline,
)
from tests.support.clock import FakeClock

REF = "CRISIS-2026-0001"


@pytest.fixture
def declared(roster: Context) -> Context:
    crisis(roster, "U01CISO", "afdeling=Burgerzaken ransomware op de balie-pc's")
    return roster


def pages_to(ctx: Context, user_id: str) -> list[str]:
    return [k for k in outbox_keys(ctx, f"crisis:{REF}:page:{user_id}:") if not k.endswith(":settled")]


def next_round(ctx: Context, clock: FakeClock) -> int:
    clock.advance(seconds=ctx.options.escalation_ack_seconds + 1)
    return run_timers(ctx)


def test_no_acknowledgement_pages_again_and_the_deputy_then_tells_ciso_and_gemeentesecretaris(declared: Context, clock) -> None:  # noqa: ANN001, E501
    clock.advance(seconds=declared.options.escalation_ack_seconds - 1)
    assert run_timers(declared) == 0  # not yet

    next_round(declared, clock)
    assert pages_to(declared, "U01MGRB") == [f"crisis:{REF}:page:U01MGRB:round{n}" for n in (1, 2)]
    assert pages_to(declared, "U01MGRB2") == [f"crisis:{REF}:page:U01MGRB2:for:U01MGRB:round2"]
    assert f"crisis:{REF}:invite:U01MGRB2" in outbox_keys(declared)
    assert "plaatsvervanger van Els Janssen" in str(outbox_row(declared, pages_to(declared, "U01MGRB2")[0]).payload)
    assert ("join", "Tom Willems toegevoegd als plaatsvervanger van Els Janssen") in timeline(declared)

    next_round(declared, clock)
    assert len(pages_to(declared, "U01MGRB")) == 3 and len(pages_to(declared, "U01MGRB2")) == 2
    assert not [k for k in outbox_keys(declared) if ":unanswered:" in k]

    next_round(declared, clock)  # the configured 3 rounds are over
    told = {k.rsplit(":", 1)[1] for k in outbox_keys(declared, f"crisis:{REF}:unanswered:U01MGRB:")}
    assert told == {"U01CISO", "U01GSEC"}
    notice = text_of_row(declared, f"crisis:{REF}:unanswered:U01MGRB:U01CISO")
    assert "reageerde niet op 3 oproepen in 15 min" in notice and "<@U01MGRB2> reageerde ook niet" in notice
    assert members(declared)["U01MGRB"].unanswered_at is not None

    before = len(outbox_keys(declared))
    clock.advance(hours=2)
    assert run_timers(declared) == 0 and len(outbox_keys(declared)) == before


def text_of_row(ctx: Context, key: str) -> str:
    return text_of(Message.from_dict(outbox_row(ctx, key).payload["message"]))


def test_configured_timeout_and_rounds_are_used(roster: Context, clock) -> None:  # noqa: ANN001
    ctx = Context(roster.db, type(roster.options)(escalation_ack_seconds=60, escalation_rounds=1), roster.clock)
    crisis(ctx, "U01CISO", "afdeling=Burgerzaken ransomware")
    clock.advance(seconds=61)
    run_timers(ctx)
    assert pages_to(ctx, "U01MGRB") == [f"crisis:{REF}:page:U01MGRB:round1"]  # one round: no second page
    assert f"crisis:{REF}:unanswered:U01MGRB:U01CISO" in outbox_keys(ctx)


def test_acknowledging_stops_the_escalation_at_once_and_takes_the_button_away(declared: Context, clock) -> None:  # noqa: ANN001
    sender = RecordingSender()
    deliver(declared, sender)
    clock.advance(seconds=100)

    result = press(declared, "U01MGRB", "crisis.ack", REF)
    deliver(declared, sender)

    assert "Bevestigd om 09:01" in said(result)
    for _ in range(4):
        next_round(declared, clock)
    assert pages_to(declared, "U01MGRB") == [f"crisis:{REF}:page:U01MGRB:round1"]
    assert pages_to(declared, "U01MGRB2") == []
    replaced = [text_of(s.message) for s in sender.of_kind("update") if s.target.startswith("DU01MGRB:")]
    assert len(replaced) == 1 and "✅ Bevestigd om 09:01" in replaced[0] and "Ik kom" not in replaced[0]
    assert any("Els Janssen (afdelingsmanager Burgerzaken) bevestigt: komt" in text_of(s.message) for s in sender.of_kind("post"))
    assert "U01MGRB" not in {k.split(":")[3] for k in outbox_keys(declared, f"crisis:{REF}:unanswered:")}


def test_acknowledgement_wins_from_a_timer_that_is_due_but_has_not_run(declared: Context, clock) -> None:  # noqa: ANN001
    clock.advance(seconds=declared.options.escalation_ack_seconds + 30)  # the timer is due...
    press(declared, "U01MGRB", "crisis.ack", REF)  # ...but the click is first
    run_timers(declared)

    assert pages_to(declared, "U01MGRB") == [f"crisis:{REF}:page:U01MGRB:round1"]
    assert pages_to(declared, "U01MGRB2") == []


def test_a_page_enqueued_just_before_the_acknowledgement_is_never_sent(declared: Context, clock) -> None:  # noqa: ANN001
    sender = RecordingSender()
    deliver(declared, sender)
    next_round(declared, clock)  # the timer won the race: round 2 and the deputy's page wait in the outbox

    press(declared, "U01MGRB", "crisis.ack", REF)  # the click on the first page arrives now
    deliver(declared, sender)

    assert outbox_row(declared, f"crisis:{REF}:page:U01MGRB:round2").status == WITHDRAWN
    assert outbox_row(declared, f"crisis:{REF}:page:U01MGRB2:for:U01MGRB:round2").status == WITHDRAWN
    assert len(sender.directs_to("U01MGRB")) == 1 and sender.directs_to("U01MGRB2") == []


def test_the_deputy_acknowledging_covers_the_seat(declared: Context, clock) -> None:  # noqa: ANN001
    sender = RecordingSender()
    next_round(declared, clock)
    deliver(declared, sender)

    press(declared, "U01MGRB2", "crisis.ack", REF)
    deliver(declared, sender)
    for _ in range(3):
        next_round(declared, clock)

    assert len(pages_to(declared, "U01MGRB")) == 2 and len(pages_to(declared, "U01MGRB2")) == 1
    settled = [text_of(s.message) for s in sender.of_kind("update") if s.target.startswith("DU01MGRB:")]
    assert len(settled) == 2 and all("Tom Willems komt als je plaatsvervanger" in t for t in settled)
    assert "U01MGRB" not in {k.split(":")[3] for k in outbox_keys(declared, f"crisis:{REF}:unanswered:")}


def test_acknowledging_twice_after_close_or_uninvited_is_harmless(declared: Context) -> None:
    press(declared, "U01MGRB", "crisis.ack", REF)
    second = press(declared, "U01MGRB", "crisis.ack", REF)
    by_command = crisis(declared, "U01MGRB", "ik kom")
    stranger = press(declared, "U01EMP2", "crisis.ack", REF)

    assert "Je had al bevestigd om 09:00" in said(second)
    assert "Je hebt geen openstaande oproep" in said(by_command)
    assert "Je staat niet op de oproeplijst" in said(stranger)
    assert [kind for kind, _ in timeline(declared)].count("ack") == 1

    crisis(declared, "U01CISO", "sluit")
    late = press(declared, "U01DSPOB", "crisis.ack", REF)
    assert "al afgesloten" in said(late)
    assert [kind for kind, _ in timeline(declared)].count("ack") == 1


def test_acknowledging_by_command(declared: Context) -> None:
    result = crisis(declared, "U01CIO", "ik kom")
    assert "Bevestigd" in said(result)
    assert members(declared)["U01CIO"].acknowledged_via == "commando"


def test_a_restart_mid_escalation_resumes_it_exactly_once(roster: Context, clock: FakeClock) -> None:
    crisis(roster, "U01CISO", "afdeling=Burgerzaken ransomware")
    clock.advance(seconds=roster.options.escalation_ack_seconds + 5)  # due while the bot was down

    restarted = Runtime(Settings(database_url=roster.db.url), Context(Database(roster.db.url), roster.options, clock))
    try:
        assert run_timers(restarted.ctx) == 4  # one escalation per unacknowledged seat
        assert run_timers(restarted.ctx) == 0
        assert run_timers(roster) == 0  # the old process, had it survived, finds nothing to do
        sender = RecordingSender()
        deliver(restarted.ctx, sender)
    finally:
        restarted.stop()

    assert len(sender.directs_to("U01MGRB2")) == 1
    assert pages_to(roster, "U01MGRB2") == [f"crisis:{REF}:page:U01MGRB2:for:U01MGRB:round2"]
    assert len(pages_to(roster, "U01MGRB")) == 2


def test_acknowledgement_and_escalation_at_the_same_moment_never_leave_a_page_to_send(roster: Context, clock: FakeClock) -> None:
    for attempt in range(1, 6):
        reference = f"CRISIS-2026-{attempt:04d}"
        crisis(roster, "U01CISO", f"afdeling=Burgerzaken storing {attempt}")
        for other in ("U01GSEC", "U01CIO", "U01DSPOB"):  # only the manager's timer is left to race
            press(roster, other, "crisis.ack", reference)
        clock.advance(seconds=roster.options.escalation_ack_seconds + 1)
        start = threading.Barrier(2)
        racers = [
            threading.Thread(target=lambda: (start.wait(), run_timers(roster))),
            threading.Thread(target=lambda r=reference: (start.wait(), press(roster, "U01MGRB", "crisis.ack", r))),
        ]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join()

        # Nothing was delivered yet, so whichever won, every page to the manager and her deputy is withdrawn.
        for user in ("U01MGRB", "U01MGRB2"):
            for key in outbox_keys(roster, f"crisis:{reference}:page:{user}:"):
                assert outbox_row(roster, key).status == WITHDRAWN, key
        with roster.db.session() as session:
            assert pending_timers(session, f"crisis:{reference}:escalate:U01MGRB:") == []
