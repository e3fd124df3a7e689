"""The outbox and its delivery: once, in order, with retries and a report when it fails for good."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import select

from commands.delivery import DeliveryFailed, Receipt, deliver_due, pending_count
from commands.messages import Message
from commands.outbox import (
    create_room,
    post_in_room,
    receipt,
    replace_message,
    send_direct,
)
from storage.outbox import FAILED, SENT, OutboxMessage


@dataclass
class RecordingSender:
    """A Sender that records what it sends and fails on demand."""

    sent: list[tuple[str, str, str]] = field(default_factory=list)
    failures: list[DeliveryFailed] = field(default_factory=list)

    def _maybe_fail(self) -> None:
        if self.failures:
            raise self.failures.pop(0)

    def send_direct(self, user_id: str, message: Message) -> Receipt:
        self._maybe_fail()
        self.sent.append(("direct", user_id, message.text))
        return {"channel": f"D{user_id}", "ts": str(len(self.sent))}

    def create_room(self, name: str, members: list[str], message: Message) -> Receipt:
        self._maybe_fail()
        self.sent.append(("room", name, ",".join(members)))
        return {"channel": "C1", "ts": str(len(self.sent))}

    def post(self, channel: str, message: Message) -> Receipt:
        self._maybe_fail()
        self.sent.append(("post", channel, message.text))
        return {"channel": channel, "ts": str(len(self.sent))}

    def update(self, receipt: Receipt, message: Message) -> Receipt:
        self._maybe_fail()
        self.sent.append(("update", receipt["channel"], message.text))
        return receipt


def _dm(ctx, key: str, to: str = "U01CISO", text: str = "hallo", **options) -> bool:  # noqa: ANN001
    with ctx.db.session() as session:
        return send_direct(session, key, to, Message(text=text), ctx.now(), **options)


def test_same_key_is_enqueued_once(ctx) -> None:  # noqa: ANN001
    assert _dm(ctx, "k1") is True
    assert _dm(ctx, "k1") is False
    sender = RecordingSender()
    assert deliver_due(ctx, sender).sent == 1
    assert deliver_due(ctx, sender).sent == 0
    assert sender.sent == [("direct", "U01CISO", "hallo")]


def test_rolled_back_transaction_sends_nothing(ctx) -> None:  # noqa: ANN001
    try:
        with ctx.db.session() as session:
            send_direct(session, "k1", "U01CISO", Message(text="x"), ctx.now())
            raise RuntimeError("the use case failed after enqueueing")
    except RuntimeError:
        pass
    assert deliver_due(ctx, RecordingSender()).sent == 0


def test_not_before_holds_a_message_back(ctx, clock) -> None:  # noqa: ANN001
    from datetime import timedelta

    _dm(ctx, "later", not_before=clock() + timedelta(minutes=5))
    sender = RecordingSender()
    assert deliver_due(ctx, sender).sent == 0
    clock.advance(minutes=5)
    assert deliver_due(ctx, sender).sent == 1


def test_transient_failure_is_retried_with_backoff(ctx, clock) -> None:  # noqa: ANN001
    _dm(ctx, "k1")
    sender = RecordingSender(failures=[DeliveryFailed("ratelimited"), DeliveryFailed("HTTP 500")])
    report = deliver_due(ctx, sender)
    assert (report.sent, report.retrying) == (0, 1)
    assert deliver_due(ctx, sender).sent == 0  # not yet: waiting 10 s
    clock.advance(seconds=10)
    assert deliver_due(ctx, sender).retrying == 1
    clock.advance(seconds=30)
    assert deliver_due(ctx, sender).sent == 1
    assert sender.sent == [("direct", "U01CISO", "hallo")]


def test_final_failure_is_reported_to_the_named_people(ctx, clock) -> None:  # noqa: ANN001
    _dm(ctx, "page", to="U01GONE", text="Crisis!", report_failure_to=["U01CISO", "U01EMP"], extra={"max_attempts": 2})
    sender = RecordingSender(failures=[DeliveryFailed("HTTP 500"), DeliveryFailed("HTTP 500")])
    deliver_due(ctx, sender)
    clock.advance(seconds=10)
    assert deliver_due(ctx, sender).failed == 1
    deliver_due(ctx, sender)  # the notices about the failure
    assert sorted(to for kind, to, _ in sender.sent) == ["U01CISO", "U01EMP"]
    with ctx.db.session() as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.key == "page")).one()
        assert (row.status, row.attempts, row.last_error) == (FAILED, 2, "HTTP 500")


def test_permanent_failure_is_not_retried(ctx) -> None:  # noqa: ANN001
    _dm(ctx, "k1", report_failure_to=["U01CISO"])
    sender = RecordingSender(failures=[DeliveryFailed("user_not_found", permanent=True)])
    assert deliver_due(ctx, sender).failed == 1


def test_room_then_post_then_update_in_order(ctx) -> None:  # noqa: ANN001
    with ctx.db.session() as session:
        post_in_room(session, "post1", "room1", Message(text="eerste bericht"), ctx.now())  # before the room exists
        create_room(session, "room1", "crisis-test", ["U01CISO", "U01CIO"], Message(text="samenvatting"), ctx.now())
        replace_message(session, "upd1", "post1", Message(text="bijgewerkt"), ctx.now())
    sender = RecordingSender()
    deliver_due(ctx, sender)
    assert sender.sent == [("room", "crisis-test", "U01CISO,U01CIO")]  # the post waits for the room
    from datetime import timedelta

    ctx.clock.advance(seconds=5)
    deliver_due(ctx, sender)
    ctx.clock.advance(seconds=5)
    deliver_due(ctx, sender)
    assert sender.sent[1:] == [("post", "C1", "eerste bericht"), ("update", "C1", "bijgewerkt")]
    with ctx.db.session() as session:
        assert receipt(session, "room1") == {"channel": "C1", "ts": "1"}
    assert timedelta  # noqa: B018 - imported for readability of the waits above


def test_a_claim_left_by_a_crashed_process_expires(ctx, clock) -> None:  # noqa: ANN001
    from commands.delivery import _claim, _due_rows

    _dm(ctx, "k1")
    [row_id] = _due_rows(ctx, 10)
    assert _claim(ctx, row_id)  # claimed, then the process "dies" before sending
    assert deliver_due(ctx, RecordingSender()).sent == 0  # another process keeps off the claimed row
    clock.advance(minutes=6)
    assert deliver_due(ctx, RecordingSender()).sent == 1
    assert pending_count(ctx) == 0


def test_two_deliverers_never_send_the_same_row(ctx) -> None:  # noqa: ANN001
    import threading

    for n in range(30):
        _dm(ctx, f"k{n}")
    senders = [RecordingSender(), RecordingSender()]
    threads = [threading.Thread(target=deliver_due, args=(ctx, s)) for s in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(senders[0].sent) + len(senders[1].sent) == 30
    with ctx.db.session() as session:
        assert {r.status for r in session.exec(select(OutboxMessage))} == {SENT}


def test_a_slow_slack_does_not_let_a_second_process_send_what_the_first_will_send(ctx, clock) -> None:  # noqa: ANN001
    """Slack rate-limits (each send waits ~40 s for Retry-After): the rows further down the first
    process's round must not expire while they wait, or the scheduler process sends them as well."""
    for n in range(10):
        _dm(ctx, f"k{n}", text=f"bericht {n}")
    other = RecordingSender()

    class SlowSender(RecordingSender):
        def send_direct(self, user_id: str, message: Message) -> Receipt:
            clock.advance(seconds=40)
            if len(self.sent) == 7:  # the other process's round, while this one is still busy
                deliver_due(ctx, other)
            return super().send_direct(user_id, message)

    slow = SlowSender()
    deliver_due(ctx, slow)

    texts = sorted(text for _, _, text in slow.sent + other.sent)
    assert texts == sorted(f"bericht {n}" for n in range(10))  # each once, whoever sent it
    assert pending_count(ctx) == 0
