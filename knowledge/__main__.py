"""Check a policy directory: `python -m knowledge check [DIR]` (default: the packaged policy)."""

from __future__ import annotations

import sys

from knowledge.policy import PolicyError, load_policy


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "check" or len(argv) > 2:
        print("usage: python -m knowledge check [POLICY_DIR]")
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
