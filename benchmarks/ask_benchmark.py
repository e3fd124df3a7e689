"""Accuracy and speed of the question engine, as a Markdown table.

Run from the repository root:  python benchmarks/ask_benchmark.py [--repeat N]

Question sets: the shared examples (../shared/policy/qa-examples.jsonl or $POLICY_EXAMPLES),
our own set (tests/knowledge/questions.yaml), the holdouts and fresh mini-sets
(tests/knowledge/holdout*.yaml, fresh*.yaml), blind sets A and B, development sets written by
people who never saw the engine (tests/knowledge/blind_a.jsonl, blind_b.jsonl, blind_c.jsonl), and the typo sets
(tests/knowledge/typos.yaml, generated from the other sets; typos_hand.yaml, typed by hand).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from knowledge import Answerer, load_policy
from knowledge.evaluation import Case, Outcome, accuracy, evaluate, load_cases

TESTS = REPO_ROOT / "tests" / "knowledge"
MAX_FAILURES_SHOWN = 15


def question_sets() -> dict[str, list[Case]]:
    sets = {}
    examples = Path(os.environ.get("POLICY_EXAMPLES", REPO_ROOT / ".." / "shared" / "policy" / "qa-examples.jsonl"))
    if examples.is_file():
        sets["examples"] = load_cases(examples)
    sets["own set"] = load_cases(TESTS / "questions.yaml")
    sets["holdout 1"] = load_cases(TESTS / "holdout.yaml")
    sets["holdout 2"] = load_cases(TESTS / "holdout2.yaml")
    for number in range(1, 17):
        sets[f"fresh {number}"] = load_cases(TESTS / f"fresh{number}.yaml")
    sets["blind A (dev)"] = load_cases(TESTS / "blind_a.jsonl")
    sets["blind B (dev)"] = load_cases(TESTS / "blind_b.jsonl")
    sets["blind C (never tuned on)"] = load_cases(TESTS / "blind_c.jsonl")
    sets["typos (generated)"] = load_cases(TESTS / "typos.yaml")
    sets["typos (by hand)"] = load_cases(TESTS / "typos_hand.yaml")
    return sets


def percent(outcomes: list[Outcome]) -> str:
    if not outcomes:
        return "–"
    return f"{100 * accuracy(outcomes):.1f}% ({sum(o.passed for o in outcomes)}/{len(outcomes)})"


def accuracy_rows(name: str, outcomes: list[Outcome]) -> str:
    def subset(language: str) -> list[Outcome]:  # unlabelled sets: the detected language
        return [o for o in outcomes
                if (o.case.language or o.answer.language) == language and not o.case.out_of_scope]

    out_of_scope = [o for o in outcomes if o.case.out_of_scope]
    return (f"| {name} | {percent(outcomes)} | {percent(subset('nl'))} | {percent(subset('en'))} "
            f"| {percent(out_of_scope)} |")


def latencies(answerer: Answerer, questions: list[str], repeat: int) -> list[list[float]]:
    """Per pass, the time of every question in ms."""
    passes = []
    for _ in range(repeat):
        timings = []
        for question in questions:
            started = time.perf_counter()
            answerer.answer(question)
            timings.append((time.perf_counter() - started) * 1000)
        passes.append(timings)
    return passes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="passes over all questions for the latency")
    args = parser.parse_args()

    started = time.perf_counter()
    answerer = Answerer(load_policy())
    startup_ms = (time.perf_counter() - started) * 1000

    sets = question_sets()
    results = {name: evaluate(answerer, cases) for name, cases in sets.items()}
    passes = latencies(answerer, [c.question for cases in sets.values() for c in cases], args.repeat)
    timings = sorted(t for timings in passes for t in timings)
    fastest = sorted(min(times) for times in zip(*passes))  # per question: without a busy machine's hiccups

    print("## Question engine benchmark\n")
    print("| set | overall | nl (in scope) | en (in scope) | out of scope |")
    print("| --- | --- | --- | --- | --- |")
    for name, outcomes in results.items():
        print(accuracy_rows(name, outcomes))
    print("\n| measure | value |")
    print("| --- | --- |")
    print(f"| start-up (load policy + build index) | {startup_ms:.0f} ms |")
    print(f"| latency per question, mean | {statistics.fmean(timings):.2f} ms |")
    print(f"| latency per question, p50 | {timings[len(timings) // 2]:.2f} ms |")
    print(f"| latency per question, p99 | {timings[min(len(timings) - 1, int(len(timings) * 0.99))]:.2f} ms |")
    print(f"| latency per question, p99 of each question's fastest pass | "
          f"{fastest[min(len(fastest) - 1, int(len(fastest) * 0.99))]:.2f} ms |")
    print(f"| latency per question, slowest question's fastest pass | {fastest[-1]:.2f} ms |")
    print(f"| questions timed | {len(timings)} |")

    failures = [(name, o) for name, outcomes in results.items() for o in outcomes if not o.passed]
    print(f"\n### Failures ({len(failures)})\n")
    for name, outcome in failures[:MAX_FAILURES_SHOWN]:
        expected = ", ".join(outcome.case.accept) or "out of scope"
        got = ", ".join(outcome.answer.role_ids) or "out of scope"
        print(f"- [{name}] {outcome.case.question!r}: expected {expected}; got {got}")
    if len(failures) > MAX_FAILURES_SHOWN:
        print(f"- … and {len(failures) - MAX_FAILURES_SHOWN} more")


if __name__ == "__main__":
    main()
