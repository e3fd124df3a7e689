"""The core decision, a pure function: which messages are due now, to whom, and not sent before.

`deliveries_due(reminders_due(calendar, now, tz), members, delivered, done)` needs nothing
but the calendar, the roster as it is at `now`, the delivery log and the "Gereed" marks;
`commands.remind.delivery` loads those, and records what it sends under `Delivery.key` in
the same transaction, so a second run (a restart, a second process, a job fired twice)
finds the key and sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from commands.remind.recipients import (
    Audience,
    Recipient,
    Vacancy,
    audience,
    in_department,
    vacancy_reporters,
)
from commands.remind.timing import MISSING_REPORT, OVERDUE, PREPARATION, Reminder
from storage.people import Member

DeliveryKey = tuple[str, date, str, str]  # item id, occurrence date, lead, recipient id
DoneKey = tuple[str, date, str]  # item id, occurrence date, person id
DeliveryKind = Literal["reminder", "preparation", "missing-report", "overdue", "vacancy"]
VACANCY_LEAD = "vacature"
LEAD_LENGTH = 120  # the delivery log's column; long department names are cut


@dataclass(frozen=True)
class Delivery:
    """One message to one person about one occurrence."""

    reminder: Reminder
    kind: DeliveryKind
    recipient: Member
    audience: Audience  # everyone the item concerns at sending time (for "wie nog meer")
    role: str | None = None  # the recipient's role in the item
    vacancy: Vacancy | None = None
    missing: tuple[Recipient, ...] = ()  # missing report: who has not marked their deliverable done
    partners: tuple[Member, ...] = ()  # preparation: whom to align with

    @property
    def lead(self) -> str:
        # a vacancy is reported once per occurrence, whichever reminder notices it first
        return f"{VACANCY_LEAD}:{self.vacancy.slot}"[:LEAD_LENGTH] if self.vacancy else self.reminder.lead

    @property
    def key(self) -> DeliveryKey:
        return (self.reminder.item.id, self.reminder.occurrence.day, self.lead, self.recipient.id)


def deliveries_due(
    reminders: Iterable[Reminder], members: list[Member], delivered: set[DeliveryKey], done: set[DoneKey]
) -> list[Delivery]:
    """The messages for `reminders` (those due now), minus what the delivery log already has."""
    found: dict[DeliveryKey, Delivery] = {}
    for reminder in reminders:
        for delivery in _deliveries(reminder, members, done):
            if delivery.key not in delivered:
                found.setdefault(delivery.key, delivery)
    return list(found.values())


def _deliveries(reminder: Reminder, members: list[Member], done: set[DoneKey]) -> list[Delivery]:
    item, day = reminder.item, reminder.occurrence.day
    everyone = audience(item.roles, members)
    if reminder.lead == MISSING_REPORT:
        missing = tuple(r for r in everyone.recipients if (item.id, day, r.member.id) not in done)
        reporters = audience(item.missing_report_to, members)
        deliveries = [
            Delivery(reminder, "missing-report", r.member, everyone, r.role, missing=missing) for r in reporters.recipients
        ]
        vacancies = reporters.vacancies
    elif reminder.lead == PREPARATION:
        deliveries, vacancies = _preparations(reminder, members, everyone)
    else:
        kind: DeliveryKind = "overdue" if reminder.lead == OVERDUE else "reminder"
        deliveries = [
            Delivery(reminder, kind, r.member, everyone, r.role) for r in everyone.recipients
            if not (item.deliverable and (item.id, day, r.member.id) in done)
        ]
        vacancies = everyone.vacancies
    reporters_of_vacancies = vacancy_reporters(members)
    for vacancy in vacancies:
        deliveries += [Delivery(reminder, "vacancy", person, everyone, vacancy=vacancy) for person in reporters_of_vacancies]
    return deliveries


def _preparations(reminder: Reminder, members: list[Member], everyone: Audience) -> tuple[list[Delivery], tuple[Vacancy, ...]]:
    preparation = reminder.item.preparation
    assert preparation is not None
    preparing = audience(preparation.roles, members)
    deliveries = []
    for recipient in preparing.recipients:
        partners = tuple(in_department(members, preparation.with_role, recipient.member.department))
        deliveries.append(Delivery(reminder, "preparation", recipient.member, everyone, recipient.role, partners=partners))
    without_partner = {r.member.department for r in preparing.recipients if r.member.department} - {
        m.department for m in members if m.active and m.holds(preparation.with_role)
    }
    missing_partners = tuple(Vacancy(preparation.with_role, department) for department in sorted(without_partner))
    return deliveries, preparing.vacancies + missing_partners
