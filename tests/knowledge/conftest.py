"""Fixtures for the knowledge tests."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # plain `pytest` without an installed package
    sys.path.insert(0, str(REPO_ROOT))

from knowledge import Answerer


@pytest.fixture(scope="session")
def answerer() -> Answerer:
    return Answerer()


@pytest.fixture(scope="session")
def examples_file() -> Path:
    """The shared examples: $POLICY_EXAMPLES, else ../shared/policy/ next to the repository."""
    configured = os.environ.get("POLICY_EXAMPLES")
    candidates = [Path(configured)] if configured else []
    candidates.append(REPO_ROOT / ".." / "shared" / "policy" / "qa-examples.jsonl")
    found = next((p.resolve() for p in candidates if p.is_file()), None)
    if found is None:
        pytest.skip("qa-examples.jsonl not found: set POLICY_EXAMPLES or check out ../shared/policy "
                    "next to the repository")
    return found
