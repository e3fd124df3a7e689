"""Property tests for the policy loader's validation (read-only: knowledge/ is not changed here).

A copy of the packaged policy in a temporary folder gets one field changed to a generated
value, a key added, or a file replaced by generated text; `load_policy` must load it or
raise PolicyError whose message names the file, never another exception; so must a list as a
term's kind, a file that is not UTF-8 and absurdly nested YAML (defects these tests found).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from knowledge.policy import DEFAULT_POLICY_DIR, PolicyError, load_policy

FILES = ("document.yaml", "roles.yaml", "meetings.yaml", "glossary.yaml")


def _trimmed() -> dict[str, Any]:
    """The packaged policy made small (every role with two statements, a dozen terms), so each
    example parses in milliseconds; every kind of entry the loader checks is still there."""
    documents = {name: yaml.safe_load((DEFAULT_POLICY_DIR / name).read_text(encoding="utf-8")) for name in FILES}
    for role in documents["roles.yaml"]["roles"]:
        role["statements"] = role["statements"][:1]
        for statement in role["statements"]:
            statement["keywords"] = statement.get("keywords", [])[:2]
        role["aliases"] = {language: words[:2] for language, words in role["aliases"].items()}
    terms = documents["glossary.yaml"]["terms"][:12]
    kept = {term["id"] for term in terms}
    for term in terms:
        if term.get("broader") not in kept:
            term.pop("broader", None)
    documents["glossary.yaml"]["terms"] = terms
    return documents


ORIGINAL = _trimmed()
TEXTS = {name: yaml.safe_dump(document, allow_unicode=True) for name, document in ORIGINAL.items()}
LOADER_KEYS = ("id", "section", "departmental", "name", "aliases", "statements", "type", "nl", "en", "keywords", "weight",
               "participants", "conditional", "optional", "cadence", "frequency", "purpose", "synonyms", "kind", "broader",
               "role", "note", "title", "organisation", "period", "source", "suggestions", "roles", "meetings", "terms")
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=10) | st.sampled_from(
    ["ciso", "dspo", "6.7", "duty", "power", "quarterly", "topic", "dpia", ""])
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                      max_leaves=8)


def _places(node: Any, at: tuple = ()) -> Iterator[tuple]:
    """Paths to the mappings and lists in a document (lists: their first entries)."""
    if isinstance(node, dict):
        yield at
        for key, value in node.items():
            yield from _places(value, (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node[:2]):
            yield from _places(value, (*at, index))


PLACES = {name: [place for place in _places(ORIGINAL[name])] for name in FILES}


def _loads_or_refuses(directory: Path, changed: str) -> None:
    try:
        load_policy(directory)
    except PolicyError as error:
        assert str(error).startswith((changed, str(directory))), f"the message does not name the file: {error}"


def _copy_policy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("policy")
    for name in FILES:
        (directory / name).write_text(TEXTS[name], encoding="utf-8")
    return directory


def test_the_trimmed_policy_loads(tmp_path_factory: pytest.TempPathFactory) -> None:
    assert load_policy(_copy_policy(tmp_path_factory)).roles


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_policy_with_any_field_changed_loads_or_is_refused_with_the_file_named(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject,
) -> None:
    name = data.draw(st.sampled_from(FILES))
    document = copy.deepcopy(ORIGINAL[name])
    place = data.draw(st.sampled_from(PLACES[name]))
    node = document
    for step in place:
        node = node[step]
    key = data.draw(st.sampled_from(sorted(node)) | st.sampled_from(LOADER_KEYS))
    value = data.draw(VALUES)
    assume(key != "kind" or _hashable(value))  # a known loader defect, see test_known_loader_defects
    node[key] = value
    directory = _copy_policy(tmp_path_factory)
    (directory / name).write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    _loads_or_refuses(directory, name)


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(FILES), text=st.text(max_size=300) | VALUES.map(lambda v: yaml.safe_dump(v, allow_unicode=True)))
def test_a_policy_file_with_any_text_is_refused_with_the_file_named(
    tmp_path_factory: pytest.TempPathFactory, name: str, text: str,
) -> None:
    directory = _copy_policy(tmp_path_factory)
    (directory / name).write_text(text, encoding="utf-8")
    _loads_or_refuses(directory, name)


def test_a_missing_file_is_refused(tmp_path_factory: pytest.TempPathFactory) -> None:
    directory = _copy_policy(tmp_path_factory)
    (directory / "meetings.yaml").unlink()
    with pytest.raises(PolicyError, match="meetings.yaml: file not found"):
        load_policy(directory)


@pytest.mark.parametrize("name,content", [
    pytest.param("glossary.yaml", "kind", id="unhashable-kind"),
    pytest.param("roles.yaml", "latin-1", id="not-utf8"),
    pytest.param("roles.yaml", "nested", id="deeply-nested"),
])
def test_odd_files_are_refused_with_a_policy_error(tmp_path_factory: pytest.TempPathFactory, name: str, content: str) -> None:
    directory = _copy_policy(tmp_path_factory)
    if content == "kind":
        glossary = copy.deepcopy(ORIGINAL["glossary.yaml"])
        glossary["terms"][0]["kind"] = ["topic"]
        (directory / name).write_text(yaml.safe_dump(glossary, allow_unicode=True), encoding="utf-8")
    elif content == "latin-1":
        (directory / name).write_bytes("roles:\n  - id: ciso\n    name: {nl: Caf\u00e9, en: Cafe}\n".encode("latin-1"))
    else:
        (directory / name).write_text("roles: " + "[" * 1500, encoding="utf-8")
    with pytest.raises(PolicyError):
        load_policy(directory)
