"""People, their roles and departments: the roster as the bot knows it today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Field, Session, SQLModel, col, delete, select

from storage.types import UTCDateTime


class Department(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True, max_length=200)


class Person(SQLModel, table=True):
    """A member of staff, keyed by chat user id. Removed people stay (inactive) for history."""

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    department_id: int | None = Field(default=None, foreign_key="department.id", index=True)
    deputy_id: str | None = Field(default=None, max_length=64)
    active: bool = Field(default=True, index=True)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class PersonRole(SQLModel, table=True):
    person_id: str = Field(foreign_key="person.id", primary_key=True, max_length=64)
    role: str = Field(primary_key=True, index=True, max_length=64)


@dataclass(frozen=True)
class Member:
    """A person with their roles and department name, as commands use them."""

    id: str
    name: str
    roles: tuple[str, ...]
    department: str | None = None
    deputy_id: str | None = None
    active: bool = True

    def holds(self, role: str) -> bool:
        return role in self.roles


@dataclass(frozen=True)
class RosterEntry:
    id: str
    name: str
    roles: tuple[str, ...]
    department: str | None = None
    deputy: str | None = None


@dataclass(frozen=True)
class RosterChange:
    added: int
    updated: int
    deactivated: int


def _members(session: Session, *conditions: Any) -> list[Member]:
    query = (
        select(Person, Department.name)
        .join(Department, Person.department_id == Department.id, isouter=True)
        .where(*conditions)
        .order_by(Person.name)
    )
    rows = session.exec(query).all()
    ids = [person.id for person, _ in rows]
    roles: dict[str, list[str]] = {}
    if ids:
        for link in session.exec(select(PersonRole).where(col(PersonRole.person_id).in_(ids))):
            roles.setdefault(link.person_id, []).append(link.role)
    return [
        Member(person.id, person.name, tuple(sorted(roles.get(person.id, []))), dept, person.deputy_id, person.active)
        for person, dept in rows
    ]


def get_member(session: Session, user_id: str) -> Member | None:
    found = _members(session, Person.id == user_id)
    return found[0] if found else None


def active_members(session: Session) -> list[Member]:
    return _members(session, col(Person.active).is_(True))


def holders(session: Session, role: str, department: str | None = None) -> list[Member]:
    """Active people holding `role`, limited to `department` when one is given."""
    with_role = select(PersonRole.person_id).where(PersonRole.role == role)
    conditions = [col(Person.active).is_(True), col(Person.id).in_(with_role)]
    if department is not None:
        conditions.append(Department.name == department)
    return _members(session, *conditions)


def department_names(session: Session) -> list[str]:
    return list(session.exec(select(Department.name).order_by(Department.name)))


def replace_roster(session: Session, entries: list[RosterEntry], now: datetime) -> RosterChange:
    """Make the stored roster equal to `entries`; people left out become inactive, not deleted,
    so reports and crises keep naming who handled them."""
    departments = {d.name: d for d in session.exec(select(Department))}
    for name in {e.department for e in entries if e.department} - departments.keys():
        departments[name] = Department(name=name)
        session.add(departments[name])
    session.flush()

    existing = {p.id: p for p in session.exec(select(Person))}
    stored_roles: dict[str, set[str]] = {}
    for link in session.exec(select(PersonRole)):  # one query, not one per person
        stored_roles.setdefault(link.person_id, set()).add(link.role)
    added = updated = 0
    for entry in entries:
        person = existing.get(entry.id)
        department_id = departments[entry.department].id if entry.department else None
        if person is None:
            person = Person(id=entry.id, name=entry.name, updated_at=now)
            added += 1
        elif (person.name, person.department_id, person.deputy_id, person.active) != (
            entry.name, department_id, entry.deputy, True
        ) or stored_roles.get(entry.id, set()) != set(entry.roles):
            updated += 1
        person.name, person.department_id, person.deputy_id = entry.name, department_id, entry.deputy
        person.active, person.updated_at = True, now
        session.add(person)
    session.flush()

    listed = {e.id for e in entries}
    deactivated = 0
    for person in existing.values():
        if person.id not in listed and person.active:
            person.active, person.updated_at = False, now
            session.add(person)
            deactivated += 1

    session.exec(delete(PersonRole))  # type: ignore[call-overload]
    for entry in entries:
        for role in dict.fromkeys(entry.roles):
            session.add(PersonRole(person_id=entry.id, role=role))
    session.flush()
    return RosterChange(added, updated, deactivated)

