"""Who sits at the ICT-crisisoverleg (§7.3), read from the roster, and what a declaration says.

§7.3: gemeentesecretaris, CISO, DSPO, CIO and the one responsible for the affected domain
(the afdelingsmanager of the department); "eventueel" communicatie and the FG. The FG is
informed automatically when personal data is involved; communicatie on request.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from commands.roles import DEPARTMENTAL_ROLES, role_label
from storage.crises import CrisisMember
from storage.people import Member, department_names, get_member, holders

# Holding one of these lets you declare a crisis yourself (design.md); anyone else asks the CISO.
DECLARING_ROLES = frozenset({"ciso", "gemeentesecretaris", "cio", "dspo", "afdelingsmanager"})
SEAT_ROLES = ("gemeentesecretaris", "ciso", "cio", "dspo", "afdelingsmanager")  # paging order

PERSONAL_DATA = re.compile(
    r"\b(persoonsgegevens|datalek\w*|bsn|burgerservicenummers?|privacy|avg|medische gegevens|personal data)\b", re.IGNORECASE
)
DEPARTMENT_OPTION = re.compile(r"(?:^|\s)afdeling\s*[=:]\s*", re.IGNORECASE)
ROOM_SLUG_LENGTH = 40


class UnknownDepartment(ValueError):
    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(name)
        self.name, self.known = name, known


@dataclass
class Team:
    """The people to page, the people to inform, and the seats nobody holds."""

    seats: dict[str, list[str]] = field(default_factory=dict)  # user id -> seat labels, paging order
    informed: dict[str, list[str]] = field(default_factory=dict)  # user id -> role labels
    people: dict[str, Member] = field(default_factory=dict)
    vacancies: list[str] = field(default_factory=list)


def seat_label(role: str, department: str | None) -> str:
    if role not in DEPARTMENTAL_ROLES:
        return role_label(role)
    return f"{role_label(role)} {department}" if department else f"{role_label(role)} (geen afdeling bekend)"


def compose(session: Session, department: str | None, personal_data: bool) -> Team:
    team = Team()
    for role in SEAT_ROLES:
        label = seat_label(role, department)
        if role in DEPARTMENTAL_ROLES and department is None:
            team.vacancies.append(label)
            continue
        found = holders(session, role, department if role in DEPARTMENTAL_ROLES else None)
        if not found:
            team.vacancies.append(label)
        for person in found:
            team.people[person.id] = person
            team.seats.setdefault(person.id, []).append(label)
    if personal_data:
        for person in holders(session, "fg"):
            if person.id not in team.seats:
                team.people[person.id] = person
                team.informed[person.id] = [role_label("fg")]
    return team


def may_declare(member: Member | None) -> bool:
    return member is not None and any(member.holds(role) for role in DECLARING_ROLES)


def mentions_personal_data(text: str) -> bool:
    return PERSONAL_DATA.search(text) is not None


def split_department(session: Session, text: str, declarer: Member | None) -> tuple[str | None, str]:
    """The affected department and the description without the `afdeling=` option.

    From `afdeling=<naam>` (a roster department; quotes or hyphens for spaces are fine),
    else the first department named in the text, else the declarer's own department.
    """
    known = sorted(department_names(session), key=len, reverse=True)
    option = DEPARTMENT_OPTION.search(text)
    if option:
        rest = text[option.end():]
        name, remainder = _department_at_start(rest, known)
        if name is None:
            raise UnknownDepartment(rest.split()[0].strip('"') if rest.split() else "", sorted(known))
        return name, f"{text[: option.start()]} {remainder}".strip()
    mentioned = [(match.start(), name) for name in known if (match := _word(name).search(text))]
    if mentioned:
        return min(mentioned)[1], text
    return (declarer.department if declarer else None), text


def _department_at_start(rest: str, known: list[str]) -> tuple[str | None, str]:
    quoted = re.match(r'"([^"]*)"', rest)
    if quoted:
        wanted = quoted.group(1).strip().lower()
        name = next((k for k in known if k.lower() == wanted), None)
        return name, rest[quoted.end():]
    for name in known:  # longest first: "Sociaal Domein Zuid" before "Sociaal Domein"
        pattern = re.compile(r"[\s_-]+".join(re.escape(w) for w in name.split()) + r"(?=\W|$)", re.IGNORECASE)
        if match := pattern.match(rest):
            return name, rest[match.end():]
    return None, rest


def _word(name: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in name.split()) + r"(?!\w)", re.IGNORECASE)


def room_name(day: date, description: str) -> str:
    """A Slack channel name: lowercase letters, digits and hyphens, at most 80 characters."""
    ascii_text = unicodedata.normalize("NFKD", description).encode("ascii", "ignore").decode().lower()
    slug = ""
    for word in re.findall(r"[a-z0-9]+", ascii_text):
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > ROOM_SLUG_LENGTH:
            slug = slug or word[:ROOM_SLUG_LENGTH]
            break
        slug = candidate
    return f"crisis-{day:%Y-%m-%d}-{slug or 'ict'}"


def name_of(session: Session, user_id: str) -> str:
    person = get_member(session, user_id)
    return person.name if person else user_id


def covered_by(seat: CrisisMember, team_by_id: dict[str, CrisisMember]) -> CrisisMember | None:
    """Who covers this seat: the holder, or their deputy, once acknowledged (else None)."""
    if seat.acknowledged_at:
        return seat
    deputy = team_by_id.get(seat.deputy_id or "")
    return deputy if deputy and deputy.acknowledged_at else None
