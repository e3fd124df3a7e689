"""Property tests: any roster file is either accepted intact or refused with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commands import build_router
from commands.context import Actor, Context
from commands.roles import ROLE_IDS
from commands.roster import (
    CONTROL,
    DEPARTMENT_LENGTH,
    NAME_LENGTH,
    RosterError,
    import_roster,
    import_roster_file,
    parse_roster,
)
from storage.people import get_member
from tests.support.slack_safety import (
    assert_message_safe,
    assert_outbox_safe,
    assert_result_safe,
    last_outbox_id,
)

IDS = st.from_regex(r"U[A-Z0-9]{2,10}", fullmatch=True)
NAMES = st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=60).filter(lambda s: s.strip())
ENTRY = st.fixed_dictionaries(
    {"id": IDS, "name": NAMES, "roles": st.lists(st.sampled_from(ROLE_IDS), max_size=3)},
    optional={"department": st.sampled_from(["Burgerzaken", "Sociaal Domein", "ICT & Data"])},
)


@given(st.lists(ENTRY, max_size=12, unique_by=lambda e: e["id"]))
def test_valid_rosters_are_accepted_verbatim(people: list[dict]) -> None:
    parsed = parse_roster(yaml.safe_dump({"people": people}, allow_unicode=True))
    assert [(e.id, e.name.strip(), list(e.roles)) for e in parsed.entries] == [
        (p["id"], p["name"].strip(), list(dict.fromkeys(p["roles"]))) for p in people
    ]


@given(st.text(max_size=2000))
def test_arbitrary_text_never_crashes_the_parser(text: str) -> None:
    try:
        parse_roster(text)
    except RosterError as error:
        assert error.problems and all(isinstance(p, str) and p for p in error.problems)


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@given(st.lists(st.dictionaries(st.sampled_from(["id", "name", "roles", "deputy", "department", "extra"]), YAML_VALUES), max_size=6))
def test_odd_field_values_are_refused_or_accepted_never_crash(people: list[dict]) -> None:
    try:
        parsed = parse_roster(yaml.safe_dump({"people": people}))
    except RosterError as error:
        assert error.problems
    else:
        assert all(entry.id and entry.name for entry in parsed.entries)


# --- names and departments: stored exactly, refused clearly, shown safely -------------------------

ANY_NAME = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=220)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=ANY_NAME, department=ANY_NAME)
def test_a_name_and_department_are_stored_exactly_or_refused_with_the_reason(ctx: Context, name: str, department: str) -> None:
    text = yaml.safe_dump({"people": [{"id": "U0NAME", "name": name, "roles": ["dspo"], "department": department}]}, allow_unicode=True)
    problems = []
    try:
        parsed = parse_roster(text)
    except RosterError as error:
        problems = error.problems
    bad_name = not name.strip() or len(name.strip()) > NAME_LENGTH or CONTROL.search(name.strip())
    bad_department = len(department.strip()) > DEPARTMENT_LENGTH or CONTROL.search(department.strip())
    assert bool(problems) == bool(bad_name or bad_department), problems
    if problems:
        assert all("regel 1" in p or "regel 2" in p for p in problems)
        return
    import_roster(ctx, parsed)
    with ctx.db.session() as session:
        member = get_member(session, "U0NAME")
    assert member is not None and member.name == name.strip() and member.department == (department.strip() or None)


@pytest.mark.parametrize("text", ["[" * 1500, "people: " + "[" * 1500, "people:\n  - " + "{a: " * 1500])
def test_deeply_nested_yaml_is_refused_clearly(text: str) -> None:
    with pytest.raises(RosterError) as refused:
        parse_roster(text)
    assert "YAML" in refused.value.problems[0]


def test_a_file_that_is_not_utf8_is_refused_clearly(ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "roster.yaml"
    path.write_bytes("people:\n  - id: U01\n    name: Jos\u00e9\n".encode("latin-1"))
    with pytest.raises(RosterError) as refused:
        import_roster_file(ctx, path)
    assert "UTF-8" in refused.value.problems[0]


def test_problem_messages_show_control_characters_instead_of_sending_them_to_the_terminal() -> None:
    text = 'people:\n  - {id: "U\\e[31m", name: "Jan\\e[2J", roles: ["ciso\\a"], deputy: "\\e]0;x\\a"}\n'
    with pytest.raises(RosterError) as refused:
        parse_roster(text)
    assert not any(CONTROL.search(problem) for problem in refused.value.problems)
    assert any("\\x1b" in problem for problem in refused.value.problems)


MARKUP = st.lists(st.sampled_from(["<!channel>", "<@UEVIL1>", "<https://evil.example|x>", "&amp;", "*", "_", "`", "\u202e",
                                   "'; DROP TABLE person;--", "Ω", " ", "a"]), min_size=1, max_size=12).map("".join).filter(lambda t: len(t) <= 150)
SCRIPT = [("wie", "wie is de DSPO?"), ("wie", "wie zit in het crisisoverleg?"), ("meld", "phishingmail met link"),
          ("meld", "status"), ("agenda", "alles"), ("agenda", ""), ("crisis", "ransomware op de servers"), ("crisis", "status")]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(names=st.lists(MARKUP.filter(lambda n: n.strip()), min_size=4, max_size=4), department=MARKUP.filter(lambda d: d.strip()))
def test_markup_in_roster_names_and_departments_is_shown_inert(ctx: Context, names: list[str], department: str) -> None:
    people = [
        {"id": "U0CISO", "name": names[0], "roles": ["ciso", "gemeentesecretaris"], "department": department},
        {"id": "U0DSPO", "name": names[1], "roles": ["dspo"], "department": department},
        {"id": "U0MGR", "name": names[2], "roles": ["afdelingsmanager"], "department": department},
        {"id": "U0EMP", "name": names[3], "roles": ["medewerker"], "department": department},
    ]
    import_roster(ctx, parse_roster(yaml.safe_dump({"people": people}, allow_unicode=True)))
    router, known = build_router(), {p["id"] for p in people}
    for user in ("U0EMP", "U0CISO"):
        for command, text in SCRIPT:
            before = last_outbox_id(ctx)
            assert_result_safe(router.run_command(ctx, Actor(user), command, text), known)
            assert_outbox_safe(ctx, before, known)
        for message in router.home(ctx, Actor(user)):
            assert_message_safe(message, known)


def test_the_longest_names_the_roster_allows_fit_everywhere_they_are_stored(ctx: Context) -> None:
    """One person with every crisis seat in a department with the longest allowed name: routing
    reasons, crisis seats and timeline lines must still fit their columns (PostgreSQL checks)."""
    department, name = "D" * DEPARTMENT_LENGTH, "N" * NAME_LENGTH
    people = [{"id": "U0ALL", "name": name, "department": department,
               "roles": ["ciso", "gemeentesecretaris", "cio", "dspo", "afdelingsmanager", "fg"]},
              {"id": "U0EMP", "name": name, "department": department, "roles": ["medewerker"]}]
    import_roster(ctx, parse_roster(yaml.safe_dump({"people": people}, allow_unicode=True)))
    router, known = build_router(), {"U0ALL", "U0EMP"}
    for user, command, text in [("U0EMP", "meld", "wachtwoord gedeeld op een post-it, BSN's zichtbaar"),
                                ("U0ALL", "crisis", "ransomware op alle servers, persoonsgegevens geraakt"),
                                ("U0ALL", "crisis", "erbij fg"), ("U0ALL", "crisis", "status"), ("U0ALL", "meld", "status"),
                                ("U0EMP", "agenda", ""), ("U0ALL", "agenda", "alles"), ("U0ALL", "crisis", "sluit")]:
        before = last_outbox_id(ctx)
        assert_result_safe(router.run_command(ctx, Actor(user), command, text), known)
        assert_outbox_safe(ctx, before, known)
