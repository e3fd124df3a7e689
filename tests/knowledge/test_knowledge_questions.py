"""Accuracy of the engine: the shared examples, our own question set, and the holdout."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import Answerer
from knowledge.evaluation import Case, accuracy, evaluate, load_cases, passes

HERE = Path(__file__).resolve().parent
OWN_CASES = load_cases(HERE / "questions.yaml")
# Holdouts and fresh mini-sets were each evaluated once before tuning on them (first-run
# scores in knowledge/README.md); keep them well above the bar.
HOLDOUT_FILES = ["holdout.yaml", "holdout2.yaml", *(f"fresh{n}.yaml" for n in range(1, 17))]
HOLDOUT_BAR = 0.9
# Blind set A: 200 questions written by someone who never saw the engine (the development set
# for generalising; a second blind set is kept elsewhere). The bar is the judge's.
BLIND_A = HERE / "blind_a.jsonl"
BLIND_BAR = 0.95
# Blind set B: 200 more, by another author who never saw the engine; the development set of the
# third round (first run 76.5%). Kept at the level reached (198/200): its two misses are questions
# the policy touches but assigns to no one. Some of its labels are debatable (knowledge/README.md).
BLIND_B = HERE / "blind_b.jsonl"
BLIND_B_BAR = 0.98
# Blind set C: 200 questions in the style of the official examples, by a third author who never
# saw the engine or the other sets; never tuned on: measured only (96.5% when it was added).
BLIND_C = HERE / "blind_c.jsonl"
# Typo sets: questions of our other sets with generated typos (typos.yaml, tests/knowledge/make_typo_set.py;
# first run 89.6%) and typed by hand (typos_hand.yaml, written after the typo rounds; first run 98.1%).
# The judge's bar; out-of-scope questions with typos must all stay declined.
TYPO_FILES = ["typos.yaml", "typos_hand.yaml"]
TYPO_BAR = 0.95


def _describe(case: Case, answerer: Answerer) -> str:
    answer = answerer.answer(case.question)
    return f"{case.question!r}: expected {list(case.accept)} (all {list(case.all)}), got {answer.role_ids}"


def test_shared_examples_all_pass(answerer: Answerer, examples_file: Path) -> None:
    cases = load_cases(examples_file)
    failures = [_describe(o.case, answerer) for o in evaluate(answerer, cases) if not o.passed]
    assert cases and failures == []


@pytest.mark.parametrize("case", OWN_CASES, ids=lambda c: c.question[:60])
def test_own_question(case: Case, answerer: Answerer) -> None:
    assert passes(case, answerer.answer(case.question)), _describe(case, answerer)


def test_own_set_is_broad() -> None:
    out_of_scope = [c for c in OWN_CASES if c.out_of_scope]
    assert len(OWN_CASES) >= 250
    assert len(out_of_scope) >= 60
    assert {c.language for c in OWN_CASES} == {"nl", "en"}


@pytest.mark.parametrize("filename", HOLDOUT_FILES)
def test_holdout_accuracy(answerer: Answerer, filename: str) -> None:
    outcomes = evaluate(answerer, load_cases(HERE / filename))
    failures = [_describe(o.case, answerer) for o in outcomes if not o.passed]
    assert accuracy(outcomes) >= HOLDOUT_BAR, failures


def test_blind_set_a_accuracy(answerer: Answerer) -> None:
    outcomes = evaluate(answerer, load_cases(BLIND_A))
    failures = [_describe(o.case, answerer) for o in outcomes if not o.passed]
    assert len(outcomes) == 200
    assert accuracy(outcomes) >= BLIND_BAR, failures


def test_blind_set_b_accuracy(answerer: Answerer) -> None:
    outcomes = evaluate(answerer, load_cases(BLIND_B))
    failures = [_describe(o.case, answerer) for o in outcomes if not o.passed]
    assert len(outcomes) == 200
    assert accuracy(outcomes) >= BLIND_B_BAR, failures


def test_blind_set_c_accuracy_never_tuned_on(answerer: Answerer) -> None:
    outcomes = evaluate(answerer, load_cases(BLIND_C))
    failures = [_describe(o.case, answerer) for o in outcomes if not o.passed]
    assert len(outcomes) == 200
    assert accuracy(outcomes) >= BLIND_BAR, failures


@pytest.mark.parametrize("filename", TYPO_FILES)
def test_typo_set_accuracy(answerer: Answerer, filename: str) -> None:
    outcomes = evaluate(answerer, load_cases(HERE / filename))
    failures = [_describe(o.case, answerer) for o in outcomes if not o.passed]
    assert accuracy(outcomes) >= TYPO_BAR, failures
    assert [f for o, f in zip([o for o in outcomes if not o.passed], failures) if o.case.out_of_scope] == []


def test_typo_set_is_broad() -> None:
    cases = load_cases(HERE / "typos.yaml")
    assert len(cases) >= 80
    assert sum(c.out_of_scope for c in cases) >= 30
    assert {c.language for c in cases} == {"nl", "en"}
