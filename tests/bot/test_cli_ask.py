"""`python -m bot ask` per the contract in design.md: --json with roles/answer/sections, batch on stdin."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import FIXTURES
from tests.support.processes import run_bot


def test_one_question_as_json(tmp_path: Path, database_url: str) -> None:
    result = run_bot("ask", "--json", "Wie initieert audits?", cwd=tmp_path, DATABASE_URL=database_url)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["roles"][0] == "it-auditor"
    assert "6.9" in answer["sections"]
    assert answer["answer"]
    assert result.stderr == ""  # no log noise for a one-shot command


def test_batch_on_stdin_one_object_per_line(tmp_path: Path, database_url: str) -> None:
    questions = "Wie zit in het ICT crisisoverleg?\n\nWho repairs the printers?\nwie controleert het college\n"
    result = run_bot("ask", "--json", cwd=tmp_path, stdin=questions, DATABASE_URL=database_url,
                     BOT_ROSTER=str(FIXTURES / "roster.yaml"))
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["question"] for a in answers] == ["Wie zit in het ICT crisisoverleg?", "Who repairs the printers?", "wie controleert het college"]
    assert set(answers[0]["roles"]) >= {"gemeentesecretaris", "ciso", "dspo", "cio"}
    assert answers[1]["roles"] == []
    assert answers[2]["roles"][0] == "gemeenteraad"
    assert "Marieke van Dam" in answers[0]["answer"]  # today's people, by name


def test_plain_text_answer_reads_like_the_chat(tmp_path: Path, database_url: str) -> None:
    result = run_bot("ask", "--as", "U01EMP2", "wie stelt een dpia op", cwd=tmp_path, DATABASE_URL=database_url,
                     BOT_ROSTER=str(FIXTURES / "roster.yaml"))
    assert "Voor jouw afdeling (Sociaal Domein): @Lotte Peeters" in result.stdout
    assert "*" not in result.stdout
