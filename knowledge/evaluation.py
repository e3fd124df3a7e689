"""Judge the engine against question sets (used by the tests and benchmarks/ask_benchmark.py).

A case passes when the top role is one of `accept`, every role of `all` is returned, and an
out-of-scope case (`accept: []`) returns no roles at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.engine import Answer, Answerer


@dataclass(frozen=True)
class Case:
    question: str
    accept: tuple[str, ...]
    all: tuple[str, ...] = ()
    language: str = ""  # "nl" or "en" when the set says so

    @property
    def out_of_scope(self) -> bool:
        return not self.accept


@dataclass(frozen=True)
class Outcome:
    case: Case
    answer: Answer
    passed: bool


def load_cases(path: Path) -> list[Case]:
    """Read a .jsonl file ({"q", "accept", "all"} per line) or a .yaml file grouped by language."""
    if path.suffix == ".jsonl":
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return [_case(item, "") for item in lines]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [_case(item, language) for language, items in data.items() for item in items]


def _case(item: dict, language: str) -> Case:
    return Case(question=item["q"], accept=tuple(item["accept"]), all=tuple(item.get("all", ())),
                language=language)


def passes(case: Case, answer: Answer) -> bool:
    roles = answer.role_ids
    if case.out_of_scope:
        return roles == []
    return bool(roles) and roles[0] in case.accept and set(case.all) <= set(roles)


def evaluate(answerer: Answerer, cases: list[Case]) -> list[Outcome]:
    outcomes = []
    for case in cases:
        answer = answerer.answer(case.question)
        outcomes.append(Outcome(case, answer, passes(case, answer)))
    return outcomes


def accuracy(outcomes: list[Outcome]) -> float:
    return sum(o.passed for o in outcomes) / len(outcomes) if outcomes else float("nan")
