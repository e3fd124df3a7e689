"""The console chat drives the same use cases as Slack: the in-process test backend."""

from __future__ import annotations

import io

import pytest

from bot.config import Settings
from bot.console import Console
from bot.runtime import Runtime
from commands.context import Actor, Context
from commands.messages import Button, Choice, Form, FormField, Message, Result
from commands.outbox import send_direct


@pytest.fixture
def console(roster: Context) -> Console:
    runtime = Runtime(Settings(database_url=roster.db.url), roster)
    return Console(runtime, "U01EMP", out=io.StringIO(), inp=io.StringIO())


def output(console: Console) -> str:
    return console.out.getvalue()  # type: ignore[attr-defined]


def test_switching_user_and_unknown_user(console: Console) -> None:
    console.handle("/als U01CISO")
    console.handle("/als U99NOBODY")
    assert "Je bent nu Sanne de Vries (U01CISO)." in output(console)
    assert "Je bent nu U99NOBODY (U99NOBODY) (staat niet in het rooster)." in output(console)


def test_messages_to_others_are_marked_and_their_buttons_can_be_pressed(console: Console) -> None:
    pressed: list[tuple[str, str]] = []

    def acknowledge(ctx: Context, actor: Actor, value: str) -> Result:
        pressed.append((actor.user_id, value))
        return Result(update=Message(text="✅ Bevestigd"))

    console.runtime.router.action("page.ack", acknowledge)
    with console.runtime.ctx.db.session() as session:
        message = Message(text="Oproep", title="Crisis", blocks=["Kom naar <@U01CISO> &amp; co"], buttons=[Button("Ik kom", "page.ack", "7")])
        send_direct(session, "t1", "U01CIO", message, console.runtime.ctx.now())
    console.deliver()
    text = output(console)
    assert "📨 Bericht aan Pieter Hendriks" in text
    assert "│ Kom naar @Sanne de Vries & co" in text
    assert "│   [1] Ik kom" in text
    console.handle("/als U01CIO")
    console.handle("/knop 1")
    assert pressed == [("U01CIO", "7")]
    assert "✅ Bevestigd" in output(console)


def test_pressing_a_button_that_does_not_exist(console: Console) -> None:
    console.handle("/knop 3")
    assert "Er zijn nog geen knoppen." in output(console)


def test_forms_are_asked_field_by_field_with_checks(console: Console) -> None:
    submitted: list[dict[str, str]] = []
    form = Form("test.form", "Melding", (
        FormField("category", "Soort", "choice", (Choice("phishing", "Phishing"), Choice("datalek", "Datalek"))),
        FormField("what", "Wat is er gebeurd?", "multiline"),
        FormField("anonymous", "Anoniem", "yesno", default="nee"),
    ))
    router = console.runtime.router
    router.command("formulier", lambda ctx, actor, text: Result(form=form))
    router.form("test.form", lambda ctx, actor, values, context: submitted.append(values) or Result.say(Message(text="Ontvangen")),
                check=lambda values: {} if len(values["what"]) > 5 else {"what": "Beschrijf wat er gebeurde."})
    console.inp = io.StringIO("9\n2\nkort\nmisschien\nja\nlangere beschrijving\n")
    console.handle("/formulier")
    assert submitted == [{"category": "datalek", "what": "langere beschrijving", "anonymous": "ja"}]
    text = output(console)
    assert "Kies een nummer uit de lijst." in text
    assert "Antwoord met ja of nee." in text
    assert "⚠️ Beschrijf wat er gebeurde." in text
    assert text.rstrip().endswith("Ontvangen")


def test_cancelling_a_form_sends_nothing(console: Console) -> None:
    router = console.runtime.router
    router.command("formulier", lambda ctx, actor, text: Result(form=Form("f", "F", (FormField("a", "A"),))))
    router.form("f", lambda *args: pytest.fail("must not be submitted"))
    console.inp = io.StringIO("/annuleer\n")
    console.handle("/formulier")
    assert "Formulier geannuleerd" in output(console)


def test_unknown_command_is_explained_and_escaped(console: Console) -> None:
    console.handle("/<!channel>")
    assert "Het commando `/<!channel>` ken ik niet." in output(console)  # unescaped for reading, never sent to Slack as markup
