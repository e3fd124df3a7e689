"""Who an item's roles mean today, and which of those roles nobody holds (pure: from a member list).

Departmental roles (dspo, afdelingsmanager) mean every holder in every department. A
department counts as taking part when someone in it holds a departmental role; such a
department without, say, a DSPO is a vacancy, as is a role that nobody holds at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from commands.roles import DEPARTMENTAL_ROLES
from storage.people import Member

FALLBACK_FOR_CISO = "gemeentesecretaris"  # mandated responsibility for information security (§6.3)


@dataclass(frozen=True)
class Recipient:
    member: Member
    role: str  # the role that makes them a recipient (the first of the item's roles they hold)


@dataclass(frozen=True)
class Vacancy:
    role: str
    department: str | None = None

    @property
    def slot(self) -> str:
        """Stable name of the vacancy, e.g. 'dspo@Sociaal Domein' (part of the delivery key)."""
        return f"{self.role}@{self.department}" if self.department else self.role


@dataclass(frozen=True)
class Audience:
    recipients: tuple[Recipient, ...]
    vacancies: tuple[Vacancy, ...]

    @property
    def ids(self) -> list[str]:
        return [r.member.id for r in self.recipients]

    def others(self, user_id: str) -> tuple[Recipient, ...]:
        return tuple(r for r in self.recipients if r.member.id != user_id)

    def find(self, user_id: str) -> Recipient | None:
        return next((r for r in self.recipients if r.member.id == user_id), None)


def audience(roles: tuple[str, ...], members: list[Member]) -> Audience:
    """Everyone holding one of `roles` (each person once, in role order), and the roles nobody fills."""
    active = [m for m in members if m.active]
    recipients: dict[str, Recipient] = {}
    vacancies: list[Vacancy] = []
    departments = taking_part(active)
    for role in roles:
        holders = [m for m in active if m.holds(role)]
        for member in sorted(holders, key=lambda m: (m.department or "", m.name)):
            recipients.setdefault(member.id, Recipient(member, role))
        if not holders:
            vacancies.append(Vacancy(role))
        elif role in DEPARTMENTAL_ROLES:
            filled = {m.department for m in holders}
            vacancies.extend(Vacancy(role, department) for department in departments if department not in filled)
    return Audience(tuple(recipients.values()), tuple(vacancies))


def taking_part(members: list[Member]) -> list[str]:
    """Departments with someone in a departmental role: they are expected to fill all of them."""
    return sorted({m.department for m in members if m.department and DEPARTMENTAL_ROLES.intersection(m.roles)})


def in_department(members: list[Member], role: str, department: str | None) -> list[Member]:
    """Active holders of `role` in `department` (e.g. a DSPO's afdelingsmanager)."""
    return [m for m in members if m.active and m.holds(role) and department and m.department == department]


def vacancy_reporters(members: list[Member]) -> list[Member]:
    """Who hears about vacant roles: the CISO, or the gemeentesecretaris when there is no CISO."""
    for role in ("ciso", FALLBACK_FOR_CISO):
        found = [m for m in members if m.active and m.holds(role)]
        if found:
            return found
    return []
