"""Check a policy directory, or explain an answer.

    python -m knowledge check [DIR]           validate the YAML (default: the packaged policy)
    python -m knowledge explain "question"    show why the engine answers a question as it does
"""

from __future__ import annotations

import sys

from knowledge.policy import PolicyError, load_policy


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "explain":
        from knowledge.engine import Answerer

        answerer = Answerer()
        for question in argv[1:]:
            print(answerer.explain(question))
        return 0
    if not argv or argv[0] != "check" or len(argv) > 2:
        print('usage: python -m knowledge check [POLICY_DIR] | python -m knowledge explain "question" ...')
        return 2
    try:
        policy = load_policy(argv[1] if len(argv) == 2 else None)
    except PolicyError as error:
        print(f"Error: {error}")
        return 1
    print(f"OK: {policy.title.nl} ({policy.organisation}): {len(policy.roles)} roles, "
          f"{len(policy.statements)} statements, {len(policy.meetings)} meetings, {len(policy.glossary)} terms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
