"""Normalising, stemming and language detection."""

from __future__ import annotations

import pytest

from knowledge import Answerer
from knowledge.text import find_phrase, load_language, normalise, stem, tokenize


def test_normalise_strips_case_accents_and_punctuation() -> None:
    assert normalise("Wie coördineert  ENSIA?") == "wie coordineert ensia"
    assert normalise("DSPO's & B&W") == "dspo s b w"


@pytest.mark.parametrize("forms", [
    ["controleert", "controleren", "controle"],
    ["melden", "meldt", "meld"],
    ["incident", "incidenten"],
    ["applicatie", "applicaties", "application", "applications"],
    ["coordineert", "coordinates", "coordinator", "coordination"],
    ["rapportage", "rapporteert", "rapporteren"],
])
def test_stem_conflates_word_forms(forms: list[str]) -> None:
    assert len({stem(form) for form in forms}) == 1


@pytest.mark.parametrize(("question", "language"), [
    ("Wie stelt een DPIA op?", "nl"),
    ("wie is verantwoordleijk voor ensia", "nl"),
    ("Bij wie meld ik een datalek?", "nl"),
    ("Wat doet de CISO?", "nl"),
    ("Who does the DPIA?", "en"),
    ("who coordnates ensia", "en"),
    ("Where do I report a data breach?", "en"),
    ("What does the FG do?", "en"),
    ("Who is in the ICT crisis team?", "en"),
    ("CISO?", "nl"),
    ("DPIA", "nl"),
    ("", "nl"),
])
def test_language_of_question(answerer: Answerer, question: str, language: str) -> None:
    assert answerer.answer(question).language == language


def test_idioms_are_rewritten_before_analysis() -> None:
    resources = load_language()
    assert resources.rewrite(["wie", "moet", "ik", "dit", "laten", "weten"]) == ["wie", "moet", "ik", "dit", "melden"]
    assert resources.rewrite(["who", "makes", "sure", "of", "it"])[:2] == ["who", "ensures"]


def test_gapped_phrase() -> None:
    assert find_phrase(["hoe", "vraag", "ik", "een", "paspoort", "aan"], ("vraag", "...", "aan")) == 1
    assert find_phrase(["wie", "vraagt", "iets"], ("vraag", "...", "aan")) is None


def test_no_outside_word_is_a_one_word_policy_term(answerer: Answerer) -> None:
    """An outside word (language.yaml) must not be a one-word glossary synonym or role name,
    or questions about that policy word would be declined."""
    policy = answerer.policy
    names = {" ".join(tokenize(n)) for t in policy.glossary for n in t.synonyms}
    names |= {" ".join(tokenize(a)) for r in policy.roles for a in r.aliases.all}
    clashes = [(topic.name, word) for topic in answerer.index.resources.outside for word in topic.words
               if word in names]
    assert clashes == []
