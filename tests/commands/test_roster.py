"""Roster files: accepted, refused with the line of each problem, and imported all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from commands.roster import (
    RosterError,
    import_roster,
    import_roster_file,
    list_roster,
    parse_roster,
)
from storage.people import holders

GOOD = """\
people:
  - id: U01CISO
    name: Sanne de Vries
    roles: [ciso]
    deputy: U01CISO2
  - id: U01CISO2
    name: Ruben Bakker
    roles: medewerker
  - id: U01DSPOB
    name: Ahmet Yilmaz
    roles: [dspo]
    department: Burgerzaken
"""


def test_good_roster_is_parsed() -> None:
    parsed = parse_roster(GOOD)
    assert [e.id for e in parsed.entries] == ["U01CISO", "U01CISO2", "U01DSPOB"]
    assert parsed.entries[0].deputy == "U01CISO2"
    assert parsed.entries[1].roles == ("medewerker",)  # a single role without brackets is fine
    assert parsed.warnings == []


@pytest.mark.parametrize(
    "text,expected",
    [
        (GOOD.replace("roles: [dspo]", "roles: [dspoo]"), ["regel 9 (persoon 3)", "onbekende rol 'dspoo'", "Bedoelt u 'dspo'?"]),
        (GOOD.replace("U01DSPOB", "U01CISO"), ["regel 9 (persoon 3)", "id 'U01CISO' staat al op regel 2"]),
        (GOOD.replace("    name: Ruben Bakker\n", ""), ["regel 6 (persoon 2)", "'name' ontbreekt"]),
        (GOOD.replace("  - id: U01CISO2\n", "  - name2: x\n"), ["'id' ontbreekt"]),
        (GOOD.replace("deputy: U01CISO2", "deputy: U09NOBODY"), ["regel 2 (id 'U01CISO')", "plaatsvervanger 'U09NOBODY'"]),
        (GOOD.replace("id: U01CISO2", "id: '<!channel>'"), ["geen geldige gebruikers-id"]),
        ("people: [", ["geen geldige YAML"]),
        ("mensen: []", ["'people:' ontbreekt"]),
        ("- id: U1", ["verwacht een lijst onder 'people:'"]),
        ("people:\n  - just a string\n", ["regel 2 (persoon 1)", "verwacht id, name en roles"]),
    ],
)
def test_bad_roster_names_the_problem_and_line(text: str, expected: list[str]) -> None:
    with pytest.raises(RosterError) as raised:
        parse_roster(text, source="rooster.yaml")
    message = str(raised.value)
    for part in expected:
        assert part in message


def test_every_problem_is_reported_at_once() -> None:
    text = GOOD.replace("roles: [ciso]", "roles: [baas]").replace("    name: Ahmet Yilmaz\n", "")
    with pytest.raises(RosterError) as raised:
        parse_roster(text)
    assert len(raised.value.problems) == 2


def test_departmental_role_without_department_is_a_warning() -> None:
    parsed = parse_roster(GOOD.replace("    department: Burgerzaken\n", ""))
    assert any("zonder 'department'" in w for w in parsed.warnings)


def test_import_replaces_and_deactivates(ctx) -> None:  # noqa: ANN001
    change = import_roster(ctx, parse_roster(GOOD))
    assert (change.added, change.updated, change.deactivated) == (3, 0, 0)
    smaller = GOOD.split("  - id: U01DSPOB")[0].replace("Sanne de Vries", "Sanne de Vries-Jansen")
    change = import_roster(ctx, parse_roster(smaller))
    assert (change.added, change.updated, change.deactivated) == (0, 1, 1)
    assert [m.id for m in list_roster(ctx)] == ["U01CISO2", "U01CISO"]  # sorted by name
    with ctx.db.session() as session:
        assert holders(session, "dspo") == []
        assert [m.name for m in holders(session, "ciso")] == ["Sanne de Vries-Jansen"]


def test_refused_file_leaves_the_stored_roster_unchanged(ctx, tmp_path: Path) -> None:  # noqa: ANN001
    import_roster(ctx, parse_roster(GOOD))
    bad = tmp_path / "roster.yaml"
    bad.write_text(GOOD.replace("roles: [ciso]", "roles: [koning]"), encoding="utf-8")
    with pytest.raises(RosterError):
        import_roster_file(ctx, bad)
    assert [m.id for m in list_roster(ctx)] == ["U01DSPOB", "U01CISO2", "U01CISO"]


def test_holders_by_department(roster) -> None:  # noqa: ANN001
    with roster.db.session() as session:
        assert [m.id for m in holders(session, "dspo", "Burgerzaken")] == ["U01DSPOB"]
        assert [m.id for m in holders(session, "afdelingsmanager", "Sociaal Domein")] == ["U01MGRS"]
        assert holders(session, "dspo", "Onbekend") == []


def test_missing_file_is_a_clear_error(ctx, tmp_path: Path) -> None:  # noqa: ANN001
    with pytest.raises(RosterError, match="kan het bestand niet lezen"):
        import_roster_file(ctx, tmp_path / "bestaat-niet.yaml")
