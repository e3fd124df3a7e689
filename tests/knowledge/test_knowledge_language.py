"""Normalising, stemming and language detection."""

from __future__ import annotations

import pytest

from knowledge import Answerer
from knowledge.text import normalise, stem


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
