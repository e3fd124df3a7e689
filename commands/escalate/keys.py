"""Outbox and timer keys of a crisis. Deterministic, so enqueueing twice sends once.

Every key starts with `crisis:<reference>:`, so closing a crisis can cancel all its timers
with one prefix. A page key ends in `:round<n>`; a deputy's page names whom they stand in for.
"""

from __future__ import annotations

ESCALATE = "crisis.escalate"  # timer kind: a seat holder has not acknowledged in time
DECISION = "crisis.decision"  # timer kind: the CISO has not decided on a request in time


def crisis_prefix(reference: str) -> str:
    return f"crisis:{reference}:"


def room(reference: str) -> str:
    return f"crisis:{reference}:room"


def pages_to(reference: str, user_id: str) -> str:
    """Prefix of every page (own seat or as deputy) sent to `user_id`."""
    return f"crisis:{reference}:page:{user_id}:"


def seat_pages(reference: str, user_id: str) -> str:
    """Prefix of the pages for `user_id`'s own seat (not those as someone's deputy)."""
    return f"crisis:{reference}:page:{user_id}:round"


def seat_page(reference: str, user_id: str, round_: int) -> str:
    return f"{seat_pages(reference, user_id)}{round_}"


def deputy_pages(reference: str, deputy_id: str, seat_id: str) -> str:
    return f"crisis:{reference}:page:{deputy_id}:for:{seat_id}:"


def deputy_page(reference: str, deputy_id: str, seat_id: str, round_: int) -> str:
    return f"{deputy_pages(reference, deputy_id, seat_id)}round{round_}"


def escalation_timers(reference: str, seat_id: str) -> str:
    return f"crisis:{reference}:escalate:{seat_id}:"


def escalation_timer(reference: str, seat_id: str, round_: int) -> str:
    return f"{escalation_timers(reference, seat_id)}round{round_}"


def decision_pages(reference: str) -> str:
    return f"crisis:{reference}:decide:"


def decision_page(reference: str, user_id: str, round_: int) -> str:
    return f"crisis:{reference}:decide:{user_id}:round{round_}"


def decision_timers(reference: str) -> str:
    return f"crisis:{reference}:decision-timer:"


def decision_timer(reference: str, round_: int) -> str:
    return f"{decision_timers(reference)}round{round_}"


def settled(page_key: str) -> str:
    """The replacement of a page once it needs no answer any more (one per page)."""
    return f"{page_key}:settled"


def event_post(reference: str, event_id: int) -> str:
    return f"crisis:{reference}:event:{event_id}"


def summary(reference: str, event_id: int) -> str:
    return f"crisis:{reference}:summary:{event_id}"


def inform(reference: str, user_id: str) -> str:
    return f"crisis:{reference}:inform:{user_id}"


def invite(reference: str, user_id: str) -> str:
    return f"crisis:{reference}:invite:{user_id}"


def unanswered(reference: str, subject: str, recipient: str) -> str:
    return f"crisis:{reference}:unanswered:{subject}:{recipient}"


def notice(reference: str, what: str, recipient: str) -> str:
    return f"crisis:{reference}:notice:{what}:{recipient}"


def report(reference: str) -> str:
    return f"crisis:{reference}:report"
