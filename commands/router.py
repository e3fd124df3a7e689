"""One table from what a user does (a command, a button, a form, a shortcut) to the use case.

Every adapter (Slack, console) calls the router; every domain module fills it in its
`register(router)`. Errors become messages the user can act on, never stack traces.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from commands.context import Actor, Context
from commands.messages import Message, Result
from commands.timers import TimerHandler
from commands.text import escape, without_nul
from storage.db import DatabaseUnavailable

log = logging.getLogger(__name__)

CommandHandler = Callable[[Context, Actor, str], Result]
ActionHandler = Callable[[Context, Actor, str], Result]
FormHandler = Callable[[Context, Actor, dict[str, str], str], Result]
FormCheck = Callable[[dict[str, str]], dict[str, str]]  # field name -> what is wrong
CommandAccept = Callable[[Context, Actor, str], None]
FormAccept = Callable[[Context, Actor, dict[str, str], str], None]
HomeSection = Callable[[Context, Actor], list[Message]]


@dataclass(frozen=True)
class SharedMessage:
    """A chat message a user points at with a message shortcut."""

    text: str
    author: str
    link: str
    channel: str


ShortcutHandler = Callable[[Context, Actor, SharedMessage], Result]


@dataclass
class Router:
    commands: dict[str, CommandHandler] = field(default_factory=dict)
    command_accepts: dict[str, CommandAccept] = field(default_factory=dict)
    actions: dict[str, ActionHandler] = field(default_factory=dict)
    forms: dict[str, FormHandler] = field(default_factory=dict)
    form_checks: dict[str, FormCheck] = field(default_factory=dict)
    form_accepts: dict[str, FormAccept] = field(default_factory=dict)
    recoveries: list[Callable[[Context], object]] = field(default_factory=list)
    shortcuts: dict[str, ShortcutHandler] = field(default_factory=dict)
    home_sections: list[HomeSection] = field(default_factory=list)
    timers: dict[str, TimerHandler] = field(default_factory=dict)
    question: CommandHandler | None = None  # free text: a mention, a DM, a plain console line

    def command(self, name: str, handler: CommandHandler, accept: CommandAccept | None = None) -> None:
        """`accept` (optional) keeps the request durably before the platform is told it arrived;
        see `accept_command`."""
        self.commands[name] = handler
        if accept:
            self.command_accepts[name] = accept

    def accept_command(self, ctx: Context, actor: Actor, name: str, text: str) -> None:
        """Before acknowledging a request to the chat platform: let the use case keep it
        (fast, no database), so a process that dies before doing the work loses nothing.
        A failure here is logged and the request is still handled the normal way."""
        accept = self.command_accepts.get(name)
        if accept:
            _quietly(lambda: accept(ctx, actor, text), f"accepting /{name}")

    def accept_form(self, ctx: Context, actor: Actor, form_id: str, values: dict[str, str], context: str) -> None:
        accept = self.form_accepts.get(form_id)
        if accept:
            _quietly(lambda: accept(ctx, actor, values, context), f"accepting form {form_id}")

    def recovery(self, recover: Callable[[Context], object]) -> None:
        """Work left behind by a process that stopped (e.g. accepted requests); run at start and periodically."""
        self.recoveries.append(recover)

    def recover(self, ctx: Context) -> None:
        for recover in self.recoveries:
            _quietly(lambda: recover(ctx), "recovering")

    def run_command(self, ctx: Context, actor: Actor, name: str, text: str) -> Result:
        handler = self.commands.get(name)
        if handler is None:
            return Result.say(unknown_command(name, sorted(self.commands)))
        return guarded(lambda: handler(ctx, actor, without_nul(text)))

    def ask(self, ctx: Context, actor: Actor, text: str) -> Result:
        assert self.question is not None, "no question handler registered"
        question = self.question
        return guarded(lambda: question(ctx, actor, without_nul(text)))

    def press(self, ctx: Context, actor: Actor, action: str, value: str) -> Result:
        handler = self.actions.get(action)
        if handler is None:
            return Result.say(Message(text="Deze knop werkt niet meer. Vraag het opnieuw aan met een commando."))
        return guarded(lambda: handler(ctx, actor, without_nul(value)))

    def form(self, form_id: str, handler: FormHandler, check: FormCheck | None = None, accept: FormAccept | None = None) -> None:
        self.forms[form_id] = handler
        if check:
            self.form_checks[form_id] = check
        if accept:
            self.form_accepts[form_id] = accept

    def action(self, action: str, handler: ActionHandler) -> None:
        self.actions[action] = handler

    def check_form(self, form_id: str, values: dict[str, str]) -> dict[str, str]:
        """Problems with a filled-in form, by field, before anything is stored (fast, no I/O)."""
        check = self.form_checks.get(form_id)
        return check(_typed(values)) if check else {}

    def submit(self, ctx: Context, actor: Actor, form_id: str, values: dict[str, str], context: str) -> Result:
        handler = self.forms[form_id]
        return guarded(lambda: handler(ctx, actor, _typed(values), without_nul(context)))

    def message_shortcut(self, shortcut_id: str, handler: ShortcutHandler) -> None:
        self.shortcuts[shortcut_id] = handler

    def timer(self, kind: str, handler: TimerHandler) -> None:
        """What to do when a timer of this kind is due (run by the scheduler process)."""
        self.timers[kind] = handler

    def home_section(self, section: HomeSection) -> None:
        self.home_sections.append(section)

    def run_shortcut(self, ctx: Context, actor: Actor, shortcut_id: str, shared: SharedMessage) -> Result:
        handler = self.shortcuts[shortcut_id]
        shared = SharedMessage(*(without_nul(part) for part in (shared.text, shared.author, shared.link, shared.channel)))
        return guarded(lambda: handler(ctx, actor, shared))

    def home(self, ctx: Context, actor: Actor) -> list[Message]:
        messages: list[Message] = []
        for section in self.home_sections:
            messages.extend(guarded(lambda: Result(messages=section(ctx, actor))).messages)
        return messages


def _typed(values: dict[str, str]) -> dict[str, str]:
    return {without_nul(name): without_nul(value) for name, value in values.items()}


def _quietly(run: Callable[[], object], what: str) -> None:
    try:
        run()
    except Exception:  # noqa: BLE001 - the normal path still runs; this is only a safety net
        log.exception("%s failed", what)


def guarded(run: Callable[[], Result]) -> Result:
    """Run a use case; turn failures into a message that says what to do."""
    try:
        return run()
    except DatabaseUnavailable:
        log.error("database unavailable")
        return Result.say(
            Message(
                text="⚠️ Het register is even niet bereikbaar. Er is niets opgeslagen; probeer het over een paar minuten opnieuw.",
            )
        )
    except Exception:
        code = uuid.uuid4().hex[:8]
        log.exception("command failed (foutcode %s)", code)
        return Result.say(
            Message(
                text=f"⚠️ Er ging iets mis aan onze kant (foutcode {code}). Probeer het opnieuw; "
                "blijft het misgaan, meld dan de foutcode aan de CISO.",
            )
        )


def unknown_command(name: str, known: list[str]) -> Message:
    listed = ", ".join(f"`/{n}`" for n in known)
    return Message(text=f"Het commando `/{escape(name)}` ken ik niet. Beschikbaar: {listed}.")
