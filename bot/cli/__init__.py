"""`python -m bot ...`: the command line (contract in design.md). One module per subcommand group."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from bot.cli import ask, crises, incidents, reminders, roster, run
from bot.config import ConfigError, load_settings
from commands.roster import RosterError
from storage.db import DatabaseUnavailable

DESCRIPTION = """Informatiebeveiligingsassistent: beantwoordt 'wie is verantwoordelijk voor…' uit het
beleid, registreert meldingen, herinnert aan overleggen en ENSIA-deadlines en roept het
ICT-crisisteam op. Zonder subcommando: Socket Mode als SLACK_BOT_TOKEN en SLACK_APP_TOKEN
gezet zijn, anders de console-chat met een demorooster."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=DESCRIPTION)
    run.add_arguments(parser)
    parser.set_defaults(handler=run.run_default)
    subcommands = parser.add_subparsers(title="subcommando's", metavar="COMMANDO")
    for module in (run, ask, roster, incidents, reminders, crises):
        module.add_subcommands(subcommands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        logging.basicConfig(
            level=getattr(args, "log_level", None) or settings.log_level,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
            stream=sys.stderr,
        )
        logging.getLogger("alembic").setLevel(logging.WARNING)  # schema checks at every start are routine
        return int(args.handler(args, settings) or 0)
    except (ConfigError, RosterError) as error:
        print(f"Fout: {error}", file=sys.stderr)
        return 2
    except DatabaseUnavailable:
        print("Fout: de database is niet bereikbaar. Controleer DATABASE_URL en of de server draait.", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 130
