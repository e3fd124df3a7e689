"""The canonical role ids (part of the contract in design.md) and how to name them."""

from __future__ import annotations

ROLE_LABELS: dict[str, str] = {
    "gemeenteraad": "gemeenteraad",
    "college": "college van B&W",
    "burgemeester": "burgemeester",
    "directie": "directie",
    "gemeentesecretaris": "gemeentesecretaris",
    "afdelingsmanager": "afdelingsmanager",
    "dspo": "DSPO",
    "cio": "CIO",
    "ciso": "CISO",
    "fg": "FG",
    "it-auditor": "IT-auditor",
    "medewerker": "medewerker",
    "ibd": "IBD",
    "bestuurlijk-opdrachtgever": "bestuurlijk opdrachtgever",
    "ambtelijk-opdrachtgever": "ambtelijk opdrachtgever",
    "communicatie": "communicatie",
}
ROLE_IDS: tuple[str, ...] = tuple(ROLE_LABELS)

# Roles held per department: a question or report about a department goes to its own holder.
DEPARTMENTAL_ROLES = frozenset({"dspo", "afdelingsmanager"})


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)
