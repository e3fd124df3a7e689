"""The local console chat: type what you would type in Slack and see what the bot does.

Replies to you are printed as they would appear to you; messages the bot sends to other
people (direct messages, pages, crisis rooms) are printed in clearly marked blocks, with
their buttons numbered so you can press them with `/knop N` (as yourself, or after
`/als USER_ID` as the person they were sent to).
"""

from __future__ import annotations

import itertools
import re
import sys
from dataclasses import dataclass
from typing import TextIO

from bot.runtime import Runtime
from commands.context import Actor
from commands.delivery import Receipt, deliver_due
from bot.plain import message_lines, plain
from commands.messages import Button, Form, FormField, Message, Result
from commands.roster import list_roster
from commands.router import SharedMessage

YES = {"ja", "j", "yes", "y"}
NO = {"nee", "n", "no"}

CONSOLE_HELP = """Console-commando's (naast /wie, /meld, /crisis en /agenda):
  /als USER_ID         wissel van gebruiker (zonder id: wie ben ik?)
  /knop N              druk op knop [N] uit een bericht hierboven
  /deel TEKST          "Meld als onveilig" op een bericht met deze tekst
  /home                het App Home-overzicht
  /rooster             wie er in het rooster staan
  /help                wat de bot kan;  /stop  stoppen (of Ctrl-D)
Een gewone zin is een vraag aan de bot."""


@dataclass(frozen=True)
class PressableButton:
    button: Button
    recipient: str  # whose message the button is in


class ConsoleSender:
    """Delivers outbox messages by printing them (the console's `Sender`)."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self._ts = itertools.count(1)

    def _receipt(self, channel: str) -> Receipt:
        return {"channel": channel, "ts": f"{next(self._ts)}.000"}

    def send_direct(self, user_id: str, message: Message) -> Receipt:
        mine = user_id == self.console.actor.user_id
        heading = "📥 Bericht voor jou" if mine else f"📨 Bericht aan {self.console.name(user_id)}"
        self.console.print_message(message, heading=heading, recipient=user_id)
        return self._receipt(f"dm:{user_id}")

    def create_room(self, name: str, members: list[str], message: Message) -> Receipt:
        names = ", ".join(self.console.name(m) for m in members)
        self.console.print_message(message, heading=f"🏠 Kanaal #{name} aangemaakt (leden: {names}); vastgepind:", recipient=name)
        return self._receipt(f"room:{name}")

    def post(self, channel: str, message: Message) -> Receipt:
        self.console.print_message(message, heading=f"💬 In #{channel.removeprefix('room:')}", recipient=channel)
        return self._receipt(channel)

    def invite(self, channel: str, members: list[str]) -> Receipt:
        names = ", ".join(self.console.name(m) for m in members)
        self.console.say(f"➕ {names} toegevoegd aan #{channel.removeprefix('room:')}")
        return {"channel": channel, "ts": ""}

    def update(self, receipt: Receipt, message: Message) -> Receipt:
        where = receipt["channel"].removeprefix("dm:").removeprefix("room:")
        self.console.print_message(message, heading=f"✏️ Bericht bijgewerkt ({self.console.name(where)})", recipient=where)
        return receipt


class Console:
    def __init__(self, runtime: Runtime, user_id: str, out: TextIO = sys.stdout, inp: TextIO = sys.stdin) -> None:
        self.runtime = runtime
        self.actor = Actor(user_id)
        self.out, self.inp = out, inp
        self.buttons: list[PressableButton] = []
        self.sender = ConsoleSender(self)
        self._names: dict[str, str] = {}

    # --- the loop ------------------------------------------------------------------

    def run(self) -> None:
        self.say(f"Je bent {self.name(self.actor.user_id)} ({self.actor.user_id}). Typ /help voor wat ik kan, /stop om te stoppen.")
        while True:
            line = self.prompt("> ")
            if line is None or line.strip() in ("/stop", "/exit", "/quit"):
                break
            self.handle(line)

    def prompt(self, text: str) -> str | None:
        self.out.write(text)
        self.out.flush()
        line = self.inp.readline()
        if not line:
            return None
        if not self.inp.isatty():  # scripted input: show it, so the transcript reads like a chat
            self.out.write(line if line.endswith("\n") else line + "\n")
        return line.rstrip("\n")

    def handle(self, line: str) -> None:
        line = line.strip()
        if not line:
            return
        if line.startswith("/"):
            name, _, text = line[1:].partition(" ")
            self._command(name.lower(), text.strip())
        else:
            self.show(self.runtime.router.ask(self.runtime.ctx, self.actor, line))
        self.deliver()

    def _command(self, name: str, text: str) -> None:
        ctx, router = self.runtime.ctx, self.runtime.router
        if name == "als":
            self._switch_user(text)
        elif name == "knop":
            self._press(text)
        elif name == "home":
            for message in router.home(ctx, self.actor):
                self.print_message(message, heading="🏠 App Home", recipient=self.actor.user_id)
        elif name == "rooster":
            self._show_roster()
        elif name == "deel" and router.shortcuts:
            shared = SharedMessage(text=text, author="", link="", channel="console")
            self.show(router.run_shortcut(ctx, self.actor, next(iter(router.shortcuts)), shared))
        elif name == "help" and "help" in router.commands:
            self.show(router.run_command(ctx, self.actor, "help", text))
            self.say(CONSOLE_HELP)
        else:
            self.show(router.run_command(ctx, self.actor, name, text))

    def deliver(self) -> None:
        """Print what the bot sends to others because of what just happened."""
        while deliver_due(self.runtime.ctx, self.sender).sent:
            pass

    # --- showing results ---------------------------------------------------------------

    def show(self, result: Result) -> None:
        if result.update:
            self.print_message(result.update, heading="✏️ Bericht bijgewerkt", recipient=self.actor.user_id)
        for message in result.messages:
            self.print_message(message, heading=None, recipient=self.actor.user_id)
        if result.form:
            self._fill_in(result.form)

    def print_message(self, message: Message, heading: str | None, recipient: str) -> None:
        lines = message_lines(message)
        for button in message.buttons:
            self.buttons.append(PressableButton(button, recipient))
            lines.append(f"  [{len(self.buttons)}] {button.label}")
        text = plain("\n".join(lines), self.name)
        if heading:
            bar = "─" * 60
            text = f"{bar}\n{heading}\n" + "\n".join(f"│ {line}" for line in text.splitlines()) + f"\n{bar}"
        self.say(text)

    def say(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def name(self, user_id: str) -> str:
        if user_id not in self._names:
            self._names = {m.id: m.name for m in list_roster(self.runtime.ctx)}
        return self._names.get(user_id, user_id)

    # --- console-only commands ----------------------------------------------------------

    def _switch_user(self, user_id: str) -> None:
        if user_id:
            self.actor = Actor(user_id)
        name = self.name(self.actor.user_id)
        suffix = " (staat niet in het rooster)" if name == self.actor.user_id else ""
        self.say(f"Je bent nu {name} ({self.actor.user_id}){suffix}.")

    def _press(self, text: str) -> None:
        if not text.isdigit() or not 1 <= int(text) <= len(self.buttons):
            self.say(f"Geef het nummer van een knop, 1 t/m {len(self.buttons)}." if self.buttons else "Er zijn nog geen knoppen.")
            return
        pressable = self.buttons[int(text) - 1]
        if pressable.recipient != self.actor.user_id and pressable.recipient in self._names:
            self.say(f"(Deze knop stond in een bericht aan {self.name(pressable.recipient)}; je drukt als {self.name(self.actor.user_id)}.)")
        button = pressable.button
        self.show(self.runtime.router.press(self.runtime.ctx, self.actor, button.action, button.value))

    def _show_roster(self) -> None:
        for member in list_roster(self.runtime.ctx):
            department = f", {member.department}" if member.department else ""
            self.say(f"{member.id:<12} {member.name} ({', '.join(member.roles) or 'geen rol'}{department})")

    def _fill_in(self, form: Form) -> None:
        self.say(f"📝 {form.title} (lege regel = overslaan waar dat mag; /annuleer om te stoppen)")
        values: dict[str, str] = {}
        fields = list(form.fields)
        while fields:
            for field in fields:
                answer = self._ask_field(field)
                if answer is None:
                    self.say("Formulier geannuleerd; er is niets verstuurd.")
                    return
                values[field.name] = answer
            problems = self.runtime.router.check_form(form.form_id, values)
            for name, problem in problems.items():
                self.say(f"⚠️ {problem}")
            fields = [f for f in form.fields if f.name in problems]
        self.show(self.runtime.router.submit(self.runtime.ctx, self.actor, form.form_id, values, form.context))

    def _ask_field(self, field: FormField) -> str | None:
        while True:
            if field.kind == "choice":
                for index, choice in enumerate(field.choices, start=1):
                    self.say(f"   {index}. {choice.label}")
            default = f" [{field.default}]" if field.default else ""
            optional = " (optioneel)" if field.optional else ""
            answer = self.prompt(f"{field.label}{optional}{default}: ")
            if answer is None or answer.strip() == "/annuleer":
                return None
            answer = answer.strip() or (field.default or "")
            value = _field_value(field, answer)
            if value is not None and (value or field.optional):
                return value
            self.say("⚠️ " + _field_hint(field))


def _field_value(field: FormField, answer: str) -> str | None:
    """The form value for a typed answer, or None when the answer does not fit the field."""
    if not answer:
        return ""
    if field.kind == "choice":
        if answer.isdigit() and 1 <= int(answer) <= len(field.choices):
            return field.choices[int(answer) - 1].value
        matches = [c.value for c in field.choices if answer.lower() in (c.value.lower(), c.label.lower())]
        return matches[0] if matches else None
    if field.kind == "yesno":
        return "ja" if answer.lower() in YES else "nee" if answer.lower() in NO else None
    if field.kind == "number":
        return answer if answer.isdigit() else None
    if field.kind == "date":
        return answer if re.fullmatch(r"\d{4}-\d{2}-\d{2}", answer) else None
    return answer


def _field_hint(field: FormField) -> str:
    return {
        "choice": "Kies een nummer uit de lijst.",
        "yesno": "Antwoord met ja of nee.",
        "number": "Geef een getal.",
        "date": "Geef een datum als JJJJ-MM-DD.",
    }.get(field.kind, "Dit veld is verplicht.")
