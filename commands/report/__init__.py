"""Reporting security incidents, data breaches, phishing and unsafe behaviour into the register.

`/meld <tekst>` files at once, `/meld` opens the form, "Meld als onveilig" reports a message;
`/meld status` lists what you may see, `/meld MELD-2026-0001` shows one report, and the CISO
reveals an anonymous reporter with `/meld onthul MELD-2026-0001`. See docs/reporting.md.

Modules: filing (new reports, spool), routing (who gets what), handling (take, assign,
close, recategorise, amend), breach (AP decision and deadline reminders), register
(viewing, App Home, reveal), retention, export; access decides who may do what.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session

from commands.context import Actor, Context
from commands.messages import Message, Result
from commands.report import breach, deadlines, filing, handling, register as registry
from commands.report.access import ANONYMOUS_REPORTER, may_view
from commands.report.catalogue import category_label
from commands.report.render import plain_summary
from commands.report.workflow import canonical, open_report
from commands.router import Router

REVEAL = re.compile(r"\s*onthul\s+(\S+)\s*", re.IGNORECASE)

USAGE = Message(
    text="Zo meld je iets",
    title="Melden",
    blocks=[
        "• `/meld &lt;wat er gebeurde&gt;`: meteen melden, bijvoorbeeld `/meld phishingmail over een pakketje ontvangen`.\n"
        "• `/meld`: het formulier, ook om anoniem te melden of een datalek met aantallen.\n"
        "• `/meld status`: je meldingen (en wat jij als behandelaar mag zien).\n"
        "• `/meld MELD-2026-0001`: één melding bekijken.\n"
        "• In Slack: *Meld als onveilig* in het menu van een bericht.",
    ],
)


@dataclass(frozen=True)
class CrisisSeed:
    """What the crisis module needs to page about a report ("Escaleren naar crisis")."""

    reference: str
    summary: str  # plain text as typed, short (escaped where it is shown)
    department: str | None
    personal_data: bool
    category: str
    actor: str = ""  # how the one escalating is named in the report's audit trail

    @property
    def by_anonymous_reporter(self) -> bool:
        return self.actor == ANONYMOUS_REPORTER


def crisis_seed(session: Session, ctx: Context, reference: str, user_id: str) -> CrisisSeed | None:
    """The seed for paging the crisis team about a report, for someone who may see it.

    None when the report does not exist or `user_id` may not see it (the same answer, so a
    forged button learns nothing; the attempt is in the audit log, as every refusal). The
    seed names no reporter, so an anonymous one stays so; `actor` is "anonieme melder" when
    that reporter escalates their own report.
    """
    opened = open_report(session, ctx, Actor(user_id), reference, "opschalen naar crisis", may_view)
    if opened is None:
        return None
    report = opened.report
    summary = f"{category_label(report.category)} ({report.reference}): {plain_summary(report.text, 200)}"
    return CrisisSeed(report.reference, summary, report.department, report.personal_data, report.category, opened.actor)


def meld(ctx: Context, actor: Actor, text: str) -> Result:
    """/meld: the form when empty, a subcommand when it is one, otherwise a report of the text as typed."""
    words = text.strip()
    if not words:
        return filing.open_form(ctx, actor)
    if words.lower() == "status":
        return registry.status(ctx, actor)
    if words.lower() in ("help", "hulp", "?"):
        return Result.say(USAGE)
    if canonical(words):
        return registry.view(ctx, actor, words)
    revealing = REVEAL.fullmatch(words)
    if revealing:
        return registry.reveal(ctx, actor, revealing.group(1))
    return filing.file_quick(ctx, actor, text)


def accept_meld(ctx: Context, actor: Actor, text: str) -> None:
    """Before Slack hears a `/meld <tekst>` arrived: keep the report (see filing.accept)."""
    words = text.strip()
    if words and not _is_subcommand(words):
        filing.accept_quick(ctx, actor, text)


def _is_subcommand(words: str) -> bool:
    return words.lower() in ("status", "help", "hulp", "?") or bool(canonical(words)) or bool(REVEAL.fullmatch(words))


def register(router: Router) -> None:
    router.command("meld", meld, accept=accept_meld)
    router.message_shortcut("report_message", filing.file_shared_message)
    router.form(filing.FORM_ID, filing.submit_form, filing.check_form, accept=filing.accept_form)
    router.recovery(filing.recover_spool)
    router.action("report.new", lambda ctx, actor, _value: filing.open_form(ctx, actor))
    router.action("report.view", registry.view)
    router.action("report.reveal", registry.reveal)
    router.action("report.take", handling.take)
    router.action("report.assign", handling.open_assign_form)
    router.form(handling.ASSIGN_FORM, handling.assign)
    router.action("report.close", handling.open_close_form)
    router.form(handling.CLOSE_FORM, handling.close, handling.check_close)
    router.action("report.recategorise", handling.open_recategorise_form)
    router.form(handling.RECATEGORISE_FORM, handling.recategorise, handling.check_recategorise)
    router.action("report.amend", handling.open_amend_form)
    router.form(handling.AMEND_FORM, handling.amend)
    router.action("report.ap", breach.open_form)
    router.form(breach.FORM_ID, breach.submit, breach.check_ap)
    router.timer(deadlines.REMINDER_KIND, breach.remind)
    router.home_section(registry.home)
