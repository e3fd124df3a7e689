"""Plain-text rendering of an Answer, short enough for a phone, in the answer's language."""

from __future__ import annotations

from knowledge.engine import Answer, RoleMatch
from knowledge.policy import Language

_TEMPLATES: dict[Language, dict[str, str]] = {
    "nl": {
        "per_department": "per afdeling",
        "according_to": "Volgens het informatiebeveiligingsbeleid:",
        "duties": "{name} — taken volgens het beleid:",
        "members": "{meeting} (§{section}, {frequency}): {members}.",
        "also": "Ook: {items}.",
        "purpose": "Doel: {purpose}.",
        "and": "en",
        "out_of_scope": "Dat staat niet in het informatiebeveiligingsbeleid.",
        "suggest": "Je kunt bijvoorbeeld vragen:",
    },
    "en": {
        "per_department": "per department",
        "according_to": "According to the information security policy:",
        "duties": "{name} — duties under the policy:",
        "members": "{meeting} (§{section}, {frequency}): {members}.",
        "also": "Also: {items}.",
        "purpose": "Purpose: {purpose}.",
        "and": "and",
        "out_of_scope": "The information security policy does not cover that.",
        "suggest": "You could ask, for example:",
    },
}


def render_text(answer: Answer) -> str:
    """The reply to show a user: role, short quote, section; or an honest 'not in the policy'."""
    words = _TEMPLATES[answer.language]
    if answer.kind == "out_of_scope":
        return "\n".join([words["out_of_scope"], words["suggest"], *(f"• {s}" for s in answer.suggestions)])
    if answer.kind == "members":
        return _render_members(answer, words)
    if answer.kind == "role_duties":
        role = answer.roles[0]
        lines = [words["duties"].format(name=_title(_role_label(role, words)))]
        return "\n".join(lines + [f"• {q.text} (§{q.section})" for q in role.statements])
    if len(answer.roles) == 1:
        return _render_role(answer.roles[0], words)
    if len({r.statements[0] for r in answer.roles}) == 1:  # several roles named by one statement
        quote = answer.roles[0].statements[0]
        names = _join([_short(r.name) for r in answer.roles], words["and"])
        return f"{_title(names)} — §{quote.section}: “{quote.text}”"
    return "\n".join([words["according_to"], *(f"• {_render_role(r, words)}" for r in answer.roles)])


def _render_role(role: RoleMatch, words: dict[str, str]) -> str:
    quote = role.statements[0]
    return f"{_title(_role_label(role, words))} — §{quote.section}: “{quote.text}”"


def _render_members(answer: Answer, words: dict[str, str]) -> str:
    meeting = answer.meeting
    assert meeting is not None, "a members answer always names its meeting"
    members = _join([_short(r.name) for r in answer.roles], words["and"])
    lines = [words["members"].format(meeting=_title(meeting.name), section=meeting.section,
                                     frequency=meeting.frequency, members=members)]
    if answer.optional_roles:
        items = "; ".join(f"{_short(r.name)} ({r.note})" for r in answer.optional_roles)
        lines.append(words["also"].format(items=items))
    lines.append(words["purpose"].format(purpose=meeting.purpose))
    return "\n".join(lines)


def _role_label(role: RoleMatch, words: dict[str, str]) -> str:
    return f"{role.name}, {words['per_department']}" if role.departmental else role.name


def _short(name: str) -> str:
    """"DSPO (decentrale security & privacy officer)" -> "DSPO"."""
    return name.split(" (", 1)[0]


def _title(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(items: list[str], conjunction: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"
