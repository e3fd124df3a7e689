"""What the bot can do, in a few lines (shown by /help in the console and on empty input)."""

from __future__ import annotations

from commands.context import Actor, Context
from commands.messages import Message, Result
from commands.router import Router

OVERVIEW = Message(
    text="Zo kan ik helpen",
    title="Informatiebeveiliging: zo kan ik helpen",
    blocks=[
        "• `/wie &lt;vraag&gt;`: wie is verantwoordelijk voor…? Antwoord uit het beleid, met de mensen van nu.\n"
        "• `/meld &lt;wat er gebeurde&gt;`: meld een incident, datalek, phishing of onveilig gedrag. "
        "`/meld` alleen opent een formulier; `/meld status` toont je meldingen.\n"
        "• `/agenda`: overleggen en ENSIA-deadlines die eraan komen.\n"
        "• `/crisis &lt;wat er speelt&gt;`: roep het ICT-crisisteam op.",
    ],
    footnote="Je kunt je vraag ook gewoon in een bericht aan mij stellen.",
)


def show_help(_ctx: Context, _actor: Actor, _text: str) -> Result:
    return Result.say(OVERVIEW)


def register(router: Router) -> None:
    router.command("help", show_help)
