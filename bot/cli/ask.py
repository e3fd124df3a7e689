"""`ask [--json] [QUESTION]`: one answer, or one per line of standard input."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.config import Settings
from bot.plain import message_text
from bot.runtime import Runtime
from commands.ask import Reply, answer_question
from commands.roster import RosterView


def add_subcommands(subcommands: argparse._SubParsersAction) -> None:
    ask = subcommands.add_parser(
        "ask",
        help="een vraag beantwoorden uit het beleid",
        description="Beantwoordt 'wie is verantwoordelijk voor…' uit het beleid, met de mensen uit het rooster. "
        "Zonder vraag: één vraag per regel van standaardinvoer, één antwoord per regel.",
    )
    ask.add_argument("question", nargs="?", help="de vraag (zonder: lees vragen van standaardinvoer)")
    ask.add_argument("--json", action="store_true", help="JSON: roles (rol-ids, meest relevant eerst; [] als het beleid het niet zegt), answer, sections, …")
    ask.add_argument("--as", dest="user_id", default=None, metavar="USER_ID", help="vraag als deze persoon (voor de eigen afdeling)")
    ask.set_defaults(handler=run_ask)


def run_ask(args: argparse.Namespace, settings: Settings) -> int:
    runtime = Runtime.start(settings)
    with runtime.ctx.db.reading() as session:
        roster = RosterView.load(session)
    asker = roster.member(args.user_id) if args.user_id else None
    names = {m.id: m.name for m in roster.members}
    questions = [args.question] if args.question is not None else (line.rstrip("\n") for line in sys.stdin)
    for question in questions:
        if args.question is None and not question.strip():
            continue
        reply = answer_question(runtime.ctx, question, roster, asker)
        text = message_text(reply.message, lambda user_id: names.get(user_id, user_id))
        print(json.dumps(as_json(reply, text), ensure_ascii=False) if args.json else text, flush=True)
    return 0


def as_json(reply: Reply, text: str) -> dict[str, Any]:
    return {
        **reply.answer.to_dict(),
        "answer": text,
        "people": {role: [{"id": m.id, "name": m.name, "department": m.department} for m in members]
                   for role, members in reply.people.items()},
    }
