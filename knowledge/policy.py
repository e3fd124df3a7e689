"""Load the policy knowledge base (YAML under knowledge/policy/) into typed, immutable objects.

The loader validates the data and raises PolicyError naming the file and the entry, so a
CISO editing the YAML gets a message like:
    roles.yaml: roles[7] (id 'ciso') statements[3]: missing 'section'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")

DEFAULT_POLICY_DIR = Path(__file__).resolve().parent / "policy"

# Canonical role ids shared with the roster, the reminders and the JSON output (design.md).
ROLE_IDS = frozenset({
    "gemeenteraad", "college", "burgemeester", "directie", "gemeentesecretaris", "afdelingsmanager",
    "dspo", "cio", "ciso", "fg", "it-auditor", "medewerker", "ibd", "bestuurlijk-opdrachtgever",
    "ambtelijk-opdrachtgever", "communicatie",
})
STATEMENT_TYPES = frozenset({"duty", "power"})
CADENCES = frozenset({"quarterly", "yearly", "per-incident"})
TERM_KINDS = frozenset({"topic", "context", "action", "domain", "framing"})
_SECTION = re.compile(r"^\d+(\.\d+)*$")


class PolicyError(ValueError):
    """The policy data is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Text:
    """A text in both languages."""

    nl: str
    en: str

    def get(self, language: Language) -> str:
        return self.en if language == "en" else self.nl


@dataclass(frozen=True)
class Words:
    """Words or phrases per language (aliases, suggestions)."""

    nl: tuple[str, ...]
    en: tuple[str, ...]

    def get(self, language: Language) -> tuple[str, ...]:
        return self.en if language == "en" else self.nl

    @property
    def all(self) -> tuple[str, ...]:
        return self.nl + self.en


@dataclass(frozen=True)
class Statement:
    """One responsibility or power of a role, with the section it comes from."""

    role: str
    section: str
    type: str
    text: Text
    keywords: tuple[str, ...]
    weight: float


@dataclass(frozen=True)
class Role:
    id: str
    section: str
    departmental: bool
    name: Text
    aliases: Words
    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class Participant:
    """A meeting member that depends on the situation or may join; the note says when."""

    role: str
    note: Text


@dataclass(frozen=True)
class Meeting:
    id: str
    section: str
    name: Text
    aliases: Words
    participants: tuple[str, ...]
    conditional: tuple[Participant, ...]
    optional: tuple[Participant, ...]
    cadence: str
    frequency: Text
    purpose: Text


@dataclass(frozen=True)
class Term:
    """A glossary term; every synonym counts as the same word when matching questions."""

    id: str
    nl: str
    en: str
    synonyms: tuple[str, ...]
    kind: str  # topic, context ("systeem"), action ("melden"), domain ("informatiebeveiliging") or framing ("beveiliging")
    broader: str | None = None  # a wider term it is a kind of: "beveiligingsplan" is a "plan"


@dataclass(frozen=True)
class Policy:
    title: Text
    organisation: str
    period: str
    source: str
    suggestions: Words
    roles: tuple[Role, ...]
    meetings: tuple[Meeting, ...]
    glossary: tuple[Term, ...]

    def role(self, role_id: str) -> Role:
        for role in self.roles:
            if role.id == role_id:
                return role
        raise KeyError(role_id)

    def meeting(self, meeting_id: str) -> Meeting:
        for meeting in self.meetings:
            if meeting.id == meeting_id:
                return meeting
        raise KeyError(meeting_id)

    @property
    def statements(self) -> tuple[Statement, ...]:
        return tuple(s for role in self.roles for s in role.statements)


def load_policy(path: str | Path | None = None) -> Policy:
    """Load and validate the policy from a directory of YAML files (default: the packaged policy).

    Results are cached per directory; the returned Policy is immutable, so sharing it is safe.
    """
    return _load_policy_cached(Path(path or DEFAULT_POLICY_DIR).resolve())


@lru_cache(maxsize=8)
def _load_policy_cached(directory: Path) -> Policy:
    document = _Reader(directory / "document.yaml")
    roles_file = _Reader(directory / "roles.yaml")
    meetings_file = _Reader(directory / "meetings.yaml")
    glossary_file = _Reader(directory / "glossary.yaml")

    roles = tuple(_parse_role(roles_file, entry, where) for entry, where in roles_file.items("roles"))
    _check_unique(roles_file, "roles", [r.id for r in roles])
    known_roles = {r.id for r in roles}
    meetings = tuple(_parse_meeting(meetings_file, entry, where, known_roles)
                     for entry, where in meetings_file.items("meetings"))
    _check_unique(meetings_file, "meetings", [m.id for m in meetings])
    glossary = tuple(_parse_term(glossary_file, entry, where) for entry, where in glossary_file.items("terms"))
    _check_unique(glossary_file, "terms", [t.id for t in glossary])
    term_ids = {t.id for t in glossary}
    for (entry, where), term in zip(glossary_file.items("terms"), glossary):
        if term.broader is not None and term.broader not in term_ids - {term.id}:
            raise glossary_file.error(where, f"broader {term.broader!r} is not the id of another term")
    broader = {t.id: t.broader for t in glossary if t.broader}
    for (entry, where), term in zip(glossary_file.items("terms"), glossary):
        seen, current = {term.id}, broader.get(term.id)
        while current is not None:
            if current in seen:
                raise glossary_file.error(where, f"broader terms form a loop through {current!r}")
            seen.add(current)
            current = broader.get(current)

    top = document.data
    return Policy(
        title=_text(document, top, "title", "document"),
        organisation=_string(document, top, "organisation", "document"),
        period=str(_required(document, top, "period", "document")),
        source=_string(document, top, "source", "document"),
        suggestions=_words(document, top, "suggestions", "document"),
        roles=roles,
        meetings=meetings,
        glossary=glossary,
    )


class _Reader:
    """One YAML file; knows its name so every error can say where it happened."""

    def __init__(self, path: Path) -> None:
        self.name = path.name
        if not path.is_file():
            raise PolicyError(f"{path}: file not found")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as error:
            raise PolicyError(f"{self.name}: not UTF-8 text (save the file as UTF-8)") from error
        except RecursionError as error:
            raise PolicyError(f"{self.name}: nested too deeply to be policy data") from error
        except yaml.YAMLError as error:
            raise PolicyError(f"{self.name}: not valid YAML: {error}") from error
        if not isinstance(data, dict):
            raise PolicyError(f"{self.name}: expected a mapping at the top level")
        self.data: dict[str, Any] = data

    def items(self, key: str) -> list[tuple[dict[str, Any], str]]:
        entries = self.data.get(key)
        if not isinstance(entries, list) or not entries:
            raise PolicyError(f"{self.name}: '{key}' must be a non-empty list")
        result = []
        for index, entry in enumerate(entries):
            label = f"{key}[{index}]"
            if not isinstance(entry, dict):
                raise PolicyError(f"{self.name}: {label}: expected a mapping")
            if "id" in entry:
                label += f" (id {entry['id']!r})"
            result.append((entry, label))
        return result

    def error(self, where: str, message: str) -> PolicyError:
        return PolicyError(f"{self.name}: {where}: {message}")


def _parse_role(file: _Reader, entry: dict[str, Any], where: str) -> Role:
    role_id = _role_id(file, entry, "id", where)
    statements = _required(file, entry, "statements", where)
    if not isinstance(statements, list):
        raise file.error(where, "'statements' must be a list")
    return Role(
        id=role_id,
        section=_section(file, entry, where),
        departmental=_bool(file, entry, "departmental", where),
        name=_text(file, entry, "name", where),
        aliases=_words(file, entry, "aliases", where),
        statements=tuple(_parse_statement(file, s, f"{where} statements[{i}]", role_id)
                         for i, s in enumerate(statements)),
    )


def _parse_statement(file: _Reader, entry: Any, where: str, role_id: str) -> Statement:
    if not isinstance(entry, dict):
        raise file.error(where, "expected a mapping")
    statement_type = _string(file, entry, "type", where)
    if statement_type not in STATEMENT_TYPES:
        raise file.error(where, f"type {statement_type!r} is not one of {sorted(STATEMENT_TYPES)}")
    weight = entry.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
        raise file.error(where, f"weight must be a positive number, got {weight!r}")
    return Statement(
        role=role_id,
        section=_section(file, entry, where),
        type=statement_type,
        text=Text(nl=_string(file, entry, "nl", where), en=_string(file, entry, "en", where)),
        keywords=_string_list(file, entry.get("keywords", []), f"{where} keywords"),
        weight=float(weight),
    )


def _parse_meeting(file: _Reader, entry: dict[str, Any], where: str, known_roles: set[str]) -> Meeting:
    participants = _string_list(file, _required(file, entry, "participants", where), f"{where} participants")
    if not participants:
        raise file.error(where, "'participants' must not be empty")
    for role_id in participants:
        _check_role(file, role_id, f"{where} participants", known_roles)
    cadence = _string(file, entry, "cadence", where)
    if cadence not in CADENCES:
        raise file.error(where, f"cadence {cadence!r} is not one of {sorted(CADENCES)}")
    return Meeting(
        id=_string(file, entry, "id", where),
        section=_section(file, entry, where),
        name=_text(file, entry, "name", where),
        aliases=_words(file, entry, "aliases", where),
        participants=participants,
        conditional=_participants(file, entry, "conditional", where, known_roles),
        optional=_participants(file, entry, "optional", where, known_roles),
        cadence=cadence,
        frequency=_text(file, entry, "frequency", where),
        purpose=_text(file, entry, "purpose", where),
    )


def _participants(file: _Reader, entry: dict[str, Any], key: str, where: str,
                  known_roles: set[str]) -> tuple[Participant, ...]:
    items = entry.get(key, [])
    if not isinstance(items, list):
        raise file.error(where, f"'{key}' must be a list")
    result = []
    for index, item in enumerate(items):
        label = f"{where} {key}[{index}]"
        if not isinstance(item, dict):
            raise file.error(label, "expected a mapping with 'role' and 'note'")
        role_id = _string(file, item, "role", label)
        _check_role(file, role_id, label, known_roles)
        result.append(Participant(role=role_id, note=_text(file, item, "note", label)))
    return tuple(result)


def _parse_term(file: _Reader, entry: dict[str, Any], where: str) -> Term:
    synonyms = _string_list(file, _required(file, entry, "synonyms", where), f"{where} synonyms")
    if not synonyms:
        raise file.error(where, "'synonyms' must not be empty")
    kind = entry.get("kind", "topic")
    if not isinstance(kind, str) or kind not in TERM_KINDS:
        raise file.error(where, f"kind {kind!r} is not one of {sorted(TERM_KINDS)}")
    broader = entry.get("broader")
    if broader is not None and not isinstance(broader, str):
        raise file.error(where, "'broader' must be the id of another term")
    return Term(
        id=_string(file, entry, "id", where),
        nl=_string(file, entry, "nl", where),
        en=_string(file, entry, "en", where),
        synonyms=synonyms,
        kind=kind,
        broader=broader,
    )


def _check_unique(file: _Reader, key: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            raise PolicyError(f"{file.name}: {key}: duplicate id {item_id!r}")
        seen.add(item_id)


def _check_role(file: _Reader, role_id: str, where: str, known_roles: set[str]) -> None:
    if role_id not in known_roles:
        raise file.error(where, f"unknown role id {role_id!r} (defined roles: {', '.join(sorted(known_roles))})")


def _required(file: _Reader, entry: dict[str, Any], key: str, where: str) -> Any:
    if key not in entry or entry[key] is None:
        raise file.error(where, f"missing {key!r}")
    return entry[key]


def _string(file: _Reader, entry: dict[str, Any], key: str, where: str) -> str:
    value = _required(file, entry, key, where)
    if not isinstance(value, str) or not value.strip():
        raise file.error(where, f"{key!r} must be a non-empty text")
    return value.strip()


def _bool(file: _Reader, entry: dict[str, Any], key: str, where: str) -> bool:
    value = _required(file, entry, key, where)
    if not isinstance(value, bool):
        raise file.error(where, f"{key!r} must be true or false")
    return value


def _role_id(file: _Reader, entry: dict[str, Any], key: str, where: str) -> str:
    role_id = _string(file, entry, key, where)
    if role_id not in ROLE_IDS:
        raise file.error(where, f"unknown role id {role_id!r} (canonical ids: {', '.join(sorted(ROLE_IDS))})")
    return role_id


def _section(file: _Reader, entry: dict[str, Any], where: str) -> str:
    section = str(_required(file, entry, "section", where)).strip()
    if not _SECTION.match(section):
        raise file.error(where, f"section {section!r} is not a section number like '6.7'")
    return section


def _text(file: _Reader, entry: dict[str, Any], key: str, where: str) -> Text:
    value = _required(file, entry, key, where)
    if not isinstance(value, dict) or set(value) != {"nl", "en"}:
        raise file.error(where, f"{key!r} must have exactly 'nl' and 'en' (quote texts that contain a comma)")
    return Text(nl=_string(file, value, "nl", f"{where} {key}"), en=_string(file, value, "en", f"{where} {key}"))


def _words(file: _Reader, entry: dict[str, Any], key: str, where: str) -> Words:
    value = _required(file, entry, key, where)
    if not isinstance(value, dict):
        raise file.error(where, f"{key!r} must have 'nl' and 'en' lists")
    return Words(nl=_string_list(file, value.get("nl", []), f"{where} {key}.nl"),
                 en=_string_list(file, value.get("en", []), f"{where} {key}.en"))


def _string_list(file: _Reader, value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) and str(v).strip() for v in value):
        raise file.error(where, "must be a list of non-empty texts")
    return tuple(str(v).strip() for v in value)

