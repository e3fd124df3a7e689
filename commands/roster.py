"""The roster: who holds which role, read from a YAML file and kept in the database.

Format (design.md)::

    people:
      - id: U01CISO          # chat user id
        name: Sanne de Vries
        roles: [ciso]
        deputy: U01CISO2     # optional, an id in the same file
        department: Burgerzaken   # optional; needed for dspo and afdelingsmanager
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import process
from sqlmodel import Session

from commands.audit import record
from commands.context import Context
from commands.roles import DEPARTMENTAL_ROLES, ROLE_IDS
from storage.people import Member, RosterChange, RosterEntry, active_members, replace_roster

USER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
KNOWN_KEYS = {"id", "name", "roles", "deputy", "department"}
NAME_LENGTH = 200  # the database column
DEPARTMENT_LENGTH = 150  # a department is a choice in the report form, and Slack allows 150 characters per choice value
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # no terminal escapes, bells or line breaks in a name


class RosterError(ValueError):
    """The roster file is not acceptable; `problems` names each entry and line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class ParsedRoster:
    entries: list[RosterEntry]
    warnings: list[str] = field(default_factory=list)


def parse_roster(text: str, source: str = "roster") -> ParsedRoster:
    """Parse and check a roster; raise RosterError listing every problem found."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        people_node = _people_node(root, source)
        people_data = yaml.safe_load(text)["people"]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", regel {mark.line + 1}" if mark else ""
        raise RosterError([f"{source}{where}: dit is geen geldige YAML ({getattr(error, 'problem', error)})."]) from None
    except RecursionError:
        raise RosterError([f"{source}: de YAML is te diep genest; verwacht een lijst personen onder 'people:'."]) from None
    entries: list[RosterEntry] = []
    problems: list[str] = []
    warnings: list[str] = []
    first_line: dict[str, int] = {}
    for index, (node, raw) in enumerate(zip(people_node.value, people_data, strict=True), start=1):
        line = node.start_mark.line + 1
        where = f"{source}, regel {line} (persoon {index})"
        entry = _parse_entry(raw, where, problems, warnings)
        if entry is None:
            continue
        if entry.id in first_line:
            problems.append(f"{where}: id '{entry.id}' staat al op regel {first_line[entry.id]}; elk id mag maar één keer voorkomen.")
            continue
        first_line[entry.id] = line
        entries.append(entry)
    for entry in entries:
        if entry.deputy and entry.deputy not in first_line:
            problems.append(
                f"{source}, regel {first_line[entry.id]} (id '{entry.id}'): plaatsvervanger '{_shown(entry.deputy)}' staat niet in het rooster."
            )
    if problems:
        raise RosterError(problems)
    return ParsedRoster(entries, warnings)


def _people_node(root: yaml.Node | None, source: str) -> yaml.SequenceNode:
    if not isinstance(root, yaml.MappingNode):
        raise RosterError([f"{source}: verwacht een lijst onder 'people:' (zie het voorbeeld in de README)."])
    for key, value in root.value:
        if key.value == "people":
            if isinstance(value, yaml.SequenceNode):
                return value
            raise RosterError([f"{source}, regel {value.start_mark.line + 1}: 'people' moet een lijst van personen zijn."])
    raise RosterError([f"{source}: de sleutel 'people:' ontbreekt."])


def _parse_entry(raw: Any, where: str, problems: list[str], warnings: list[str]) -> RosterEntry | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: verwacht id, name en roles van één persoon.")
        return None
    for key in sorted(set(raw) - KNOWN_KEYS, key=str):
        warnings.append(f"{where}: onbekend veld '{_shown(str(key))}' genegeerd.")
    before = len(problems)
    user_id = _text(raw.get("id"))
    name = _text(raw.get("name"))
    if not user_id:
        problems.append(f"{where}: 'id' ontbreekt.")
    elif not USER_ID.fullmatch(user_id):
        problems.append(f"{where}: id '{_shown(user_id)}' is geen geldige gebruikers-id (letters, cijfers, . _ -).")
    if not name:
        problems.append(f"{where}: 'name' ontbreekt.")
    roles = _roles(raw.get("roles"), where, problems)
    department = _text(raw.get("department")) or None
    for label, value, limit in (("naam", name, NAME_LENGTH), ("afdeling", department or "", DEPARTMENT_LENGTH)):
        if len(value) > limit:
            problems.append(f"{where}: de {label} is {len(value)} tekens; hooguit {limit}.")
        if CONTROL.search(value):
            problems.append(f"{where}: de {label} '{_shown(value)}' bevat een stuurteken of regeleinde.")
    deputy = _text(raw.get("deputy")) or None
    if deputy and deputy == user_id:
        problems.append(f"{where}: iemand kan niet zijn eigen plaatsvervanger zijn.")
    for role in DEPARTMENTAL_ROLES.intersection(roles):
        if not department:
            warnings.append(f"{where}: rol '{role}' zonder 'department'; meldingen voor een afdeling bereiken deze persoon niet.")
    if len(problems) > before:
        return None
    return RosterEntry(user_id, name, roles, department, deputy)


def _roles(value: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        problems.append(f"{where}: 'roles' moet een lijst zijn, bijvoorbeeld [dspo].")
        return ()
    roles: list[str] = []
    for item in items:
        role = _text(item).lower()
        if role in ROLE_IDS:
            roles.append(role)
            continue
        guess = process.extractOne(role, ROLE_IDS, score_cutoff=70)
        hint = f" Bedoelt u '{guess[0]}'?" if guess else ""
        problems.append(f"{where}: onbekende rol '{_shown(_text(item))}'.{hint} Bekende rollen: {', '.join(ROLE_IDS)}.")
    return tuple(dict.fromkeys(roles))


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _shown(value: str) -> str:
    """A value in a problem message: control characters visible, long values cut."""
    shown = CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", value)
    return shown if len(shown) <= 60 else shown[:59] + "…"


def import_roster(ctx: Context, parsed: ParsedRoster, actor: str = "cli") -> RosterChange:
    """Replace the stored roster in one transaction (all or nothing)."""
    with ctx.db.session() as session:
        change = replace_roster(session, parsed.entries, ctx.now())
        record(session, ctx, actor, "roster.import", detail=f"{len(parsed.entries)} personen; {change}")
    return change


def import_roster_file(ctx: Context, path: Path, actor: str = "cli") -> tuple[ParsedRoster, RosterChange]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise RosterError([f"{path}: kan het bestand niet lezen ({error.strerror})."]) from None
    except UnicodeDecodeError as error:
        raise RosterError([f"{path}: het bestand is geen UTF-8-tekst (byte {error.start}); sla het op als UTF-8."]) from None
    parsed = parse_roster(text, source=str(path))
    return parsed, import_roster(ctx, parsed, actor)


def list_roster(ctx: Context) -> list[Member]:
    with ctx.db.reading() as session:
        return active_members(session)


@dataclass(frozen=True)
class RosterView:
    """The active roster in memory, for answering many lookups with one query."""

    members: tuple[Member, ...]

    @classmethod
    def load(cls, session: Session) -> RosterView:
        return cls(tuple(active_members(session)))

    def member(self, user_id: str) -> Member | None:
        return next((m for m in self.members if m.id == user_id), None)

    def holders(self, role: str, department: str | None = None) -> list[Member]:
        return [m for m in self.members if m.holds(role) and (department is None or m.department == department)]
