"""The policy loader: typed data from the packaged YAML, and clear errors for malformed data."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from knowledge import Answerer, PolicyError, load_policy
from knowledge.policy import DEFAULT_POLICY_DIR, ROLE_IDS


def test_packaged_policy_has_every_canonical_role() -> None:
    policy = load_policy()
    assert {role.id for role in policy.roles} == ROLE_IDS
    assert {r.id for r in policy.roles if r.departmental} == {"afdelingsmanager", "dspo"}


def test_every_statement_cites_a_section_and_has_both_languages() -> None:
    for statement in load_policy().statements:
        assert statement.section[0].isdigit()
        assert statement.text.nl and statement.text.en


def test_crisis_meeting_members() -> None:
    crisis = load_policy().meeting("ict-crisisoverleg")
    assert crisis.participants == ("gemeentesecretaris", "ciso", "dspo", "cio")
    assert [p.role for p in crisis.conditional] == ["afdelingsmanager"]
    assert [p.role for p in crisis.optional] == ["communicatie", "fg"]
    assert crisis.cadence == "per-incident"


def test_ensia_duties_are_in_section_8_1() -> None:
    roles = {s.role for s in load_policy().statements if s.section == "8.1"}
    assert {"afdelingsmanager", "ciso", "college"} <= roles


def test_load_is_cached() -> None:
    assert load_policy() is load_policy(DEFAULT_POLICY_DIR)


def test_startup_is_fast() -> None:
    started = time.perf_counter()
    Answerer(load_policy(DEFAULT_POLICY_DIR))
    assert time.perf_counter() - started < 1.0


def _broken_copy(tmp_path: Path, filename: str, change: Callable[[dict], None]) -> Path:
    directory = tmp_path / "policy"
    shutil.copytree(DEFAULT_POLICY_DIR, directory)
    path = directory / filename
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return directory


def _role(data: dict, role_id: str) -> dict:
    return next(r for r in data["roles"] if r["id"] == role_id)


@pytest.mark.parametrize(("filename", "change", "expected"), [
    ("roles.yaml", lambda d: _role(d, "ciso")["statements"][0].pop("section"),
     r"roles\.yaml: roles\[\d+\] \(id 'ciso'\) statements\[0\]: missing 'section'"),
    ("roles.yaml", lambda d: _role(d, "ciso").update(id="security-chef"),
     r"roles\.yaml: roles\[\d+\] \(id 'security-chef'\): unknown role id 'security-chef'"),
    ("roles.yaml", lambda d: _role(d, "fg")["statements"][0].update(section="zes"),
     r"roles\.yaml: .*\(id 'fg'\) statements\[0\]: section 'zes' is not a section number"),
    ("roles.yaml", lambda d: _role(d, "fg")["statements"][0].update(type="wish"),
     r"roles\.yaml: .*\(id 'fg'\) statements\[0\]: type 'wish'"),
    ("roles.yaml", lambda d: _role(d, "fg")["statements"][0].update(weight=-1),
     r"weight must be a positive number"),
    ("roles.yaml", lambda d: _role(d, "cio").update(name={"nl": "CIO"}),
     r"roles\.yaml: .*\(id 'cio'\): 'name' must have exactly 'nl' and 'en'"),
    ("roles.yaml", lambda d: d["roles"].append(dict(_role(d, "cio"))),
     r"roles\.yaml: roles: duplicate id 'cio'"),
    ("meetings.yaml", lambda d: d["meetings"][0]["participants"].append("koffiecommissie"),
     r"meetings\.yaml: meetings\[0\] \(id 'opdrachtgever-overleg'\) participants: unknown role id 'koffiecommissie'"),
    ("meetings.yaml", lambda d: d["meetings"][3]["optional"][0].update(role="pers"),
     r"meetings\.yaml: .*optional\[0\]: unknown role id 'pers'"),
    ("meetings.yaml", lambda d: d["meetings"][0].update(cadence="sometimes"),
     r"meetings\.yaml: .*cadence 'sometimes'"),
    ("glossary.yaml", lambda d: d["terms"][0].update(kind="noun"),
     r"glossary\.yaml: terms\[0\] \(id 'dpia'\): kind 'noun'"),
    ("glossary.yaml", lambda d: d["terms"][0].pop("synonyms"),
     r"glossary\.yaml: terms\[0\] \(id 'dpia'\): missing 'synonyms'"),
    ("glossary.yaml", lambda d: d["terms"][0].update(broader="geen-term"),
     r"glossary\.yaml: terms\[0\] \(id 'dpia'\): broader 'geen-term' is not the id of another term"),
    ("glossary.yaml", lambda d: next(t for t in d["terms"] if t["id"] == "privacy").update(broader="dpia"),
     r"glossary\.yaml: .*broader terms form a loop"),
    ("document.yaml", lambda d: d.pop("suggestions"),
     r"document\.yaml: document: missing 'suggestions'"),
])
def test_malformed_policy_names_file_and_entry(tmp_path: Path, filename: str,
                                               change: Callable[[dict], None], expected: str) -> None:
    with pytest.raises(PolicyError, match=expected):
        load_policy(_broken_copy(tmp_path, filename, change))


def test_invalid_yaml_is_reported(tmp_path: Path) -> None:
    directory = tmp_path / "policy"
    shutil.copytree(DEFAULT_POLICY_DIR, directory)
    (directory / "meetings.yaml").write_text("meetings: [unclosed", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"meetings\.yaml: not valid YAML"):
        load_policy(directory)


def test_missing_file_is_reported(tmp_path: Path) -> None:
    directory = tmp_path / "policy"
    shutil.copytree(DEFAULT_POLICY_DIR, directory)
    (directory / "glossary.yaml").unlink()
    with pytest.raises(PolicyError, match=r"glossary\.yaml: file not found"):
        load_policy(directory)
