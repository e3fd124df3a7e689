"""Every table, imported in one place so migrations and metadata see them all."""

from sqlmodel import SQLModel

from storage.audit import AuditEntry
from storage.crises import Crisis, CrisisAction, CrisisEvent, CrisisMember
from storage.inbox import ProcessedDelivery
from storage.outbox import OutboxMessage
from storage.people import Department, Person, PersonRole
from storage.reminders import DeliverableDone, ReminderDelivery
from storage.reports import Report, ReportCounter, ReportEvent, ReportRecipient
from storage.timers import Timer
from storage.work_queue import QueuedWork

metadata = SQLModel.metadata

__all__ = [
    "AuditEntry",
    "Crisis",
    "CrisisAction",
    "CrisisEvent",
    "CrisisMember",
    "DeliverableDone",
    "Department",
    "OutboxMessage",
    "Person",
    "PersonRole",
    "ProcessedDelivery",
    "QueuedWork",
    "ReminderDelivery",
    "Report",
    "ReportCounter",
    "ReportEvent",
    "ReportRecipient",
    "Timer",
    "metadata",
]
