"""Property tests: any roster file is either accepted intact or refused with a clear message."""

from __future__ import annotations

import yaml
from hypothesis import given
from hypothesis import strategies as st

from commands.roles import ROLE_IDS
from commands.roster import RosterError, parse_roster

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
