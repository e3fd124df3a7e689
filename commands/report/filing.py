"""Filing a report: the quick path (`/meld <tekst>`), the form (`/meld`), the message shortcut.

A report is committed before the reporter is told it was received. When the database is
down the report goes to the local spool (storage.report_spool) and the reporter is told
so, with their text echoed back; the spool is filed as soon as the database answers again.
Every filing attempt has a filing id (a form carries it from opening to submission), and
the register accepts a filing id once: a resubmitted form or a replayed spool entry never
files a second report.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time
from typing import Any

from sqlmodel import Session

from commands.audit import record
from commands.context import Actor, Context
from commands.messages import (
    Block,
    Button,
    Choice,
    Fields,
    Form,
    FormField,
    Message,
    Result,
)
from commands.outbox import send_direct
from commands.report import deadlines
from commands.report.access import ANONYMOUS_REPORTER
from commands.report.catalogue import (
    CATEGORIES,
    CATEGORY_CHOICES,
    CRITICAL,
    DEFAULT_CATEGORY,
    DEFAULT_SEVERITY,
    SEVERITIES,
    SEVERITY_CHOICES,
    UNSAFE_BEHAVIOUR,
    category_label,
    guess,
)
from commands.report.deadlines import when
from commands.report.render import described
from commands.report.routing import (
    Routing,
    alert_critical,
    plan,
    recipients_sentence,
    route,
)
from commands.report.sealing import Seal, seal_for
from commands.router import SharedMessage
from commands.text import escape
from storage import report_spool, reports
from storage.db import DatabaseUnavailable
from storage.intake_journal import IntakeJournal, journal
from storage.people import department_names, get_member
from storage.reports import Report, add_event, add_numbered, by_filing_id, storable

log = logging.getLogger(__name__)

FORM_ID = "report.new"
MAX_PEOPLE = 100_000_000  # more than the country; keeps the number within a database integer
REQUEST_IDS = uuid.UUID("9b1f3c1e-5d0a-4a43-8a51-3c6f0f3f7c11")  # namespace for filing ids from request ids
FILING_ID = re.compile(r"[0-9a-f]{32}")  # new_filing_id(); a form carries it, so anything else was not ours
NUMBER = re.compile(r"[0-9]{1,9}")  # ASCII digits only: "²" and "٣" are digits to str.isdigit, not to int()
TIME = re.compile(r"([01]?[0-9]|2[0-3])[:.]([0-5][0-9])")
FIRST_YEAR, LAST_YEAR = 1900, 2999  # a date outside these is a typo (and year 1 overflows in UTC)
SEALED = "🔒 Anoniem: de ontvangers zien niet wie je bent. Alleen de CISO kan dat inzien, en dat wordt vastgelegd."
NOT_KEPT = "🔒 Anoniem: je naam is niet opgeslagen. Bewaar het nummer als je er later naar wilt verwijzen."
TIPS = {
    "phishing": "Klik niet op links en open geen bijlagen. Heb je al geklikt of iets ingevuld? Zeg het erbij (Aanvullen).",
    "verlies-diefstal": "Gestolen? Doe ook aangifte bij de politie. De servicedesk kan het apparaat op afstand blokkeren.",
    "datalek": "Verwijder niets en stuur niets door; de behandelaar vraagt je zo nodig om details.",
}


@dataclass(frozen=True)
class Draft:
    """What the reporter told us, before it has a number."""

    text: str
    category: str
    severity: str
    personal_data: bool
    category_guessed: bool = False
    department: str | None = None  # None: the reporter's own department
    discovered_at: datetime | None = None  # None: when it was filed
    discovered_time_known: bool = True
    people_affected: int | None = None
    anonymous: bool = False
    source_link: str | None = None
    source_author: str | None = None


@dataclass(frozen=True)
class Identity:
    """The reporter as stored: plainly, or sealed and tagged when anonymous (see sealing)."""

    reporter_id: str | None
    sealed: str | None = None
    tag: str | None = None

    @classmethod
    def of(cls, user_id: str, anonymous: bool, seal: Seal | None) -> Identity:
        if not anonymous:
            return cls(user_id)
        if seal is None:
            return cls(None)
        return cls(None, seal.seal(user_id), seal.tag(user_id))


@dataclass(frozen=True)
class Filing:
    filing_id: str
    submitted_at: datetime
    draft: Draft
    identity: Identity

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, for the spool."""
        data = asdict(self)
        data["submitted_at"] = self.submitted_at.isoformat()
        discovered = self.draft.discovered_at
        data["draft"]["discovered_at"] = discovered.isoformat() if discovered else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Filing:
        draft = dict(data["draft"])
        draft["discovered_at"] = _moment(draft["discovered_at"])
        return cls(data["filing_id"], _moment(data["submitted_at"]), Draft(**draft), Identity(**data["identity"]))


def _moment(value: datetime | str | None) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


@dataclass
class Filed:
    report: Report
    routing: Routing
    again: bool = False  # this filing id was in the register already
    guessed: bool = False  # the category was guessed from the text


def new_filing_id() -> str:
    return uuid.uuid4().hex


def filing_id_for(actor: Actor) -> str:
    """One filing id per chat request (so accepting it and filing it agree), else a new one."""
    return uuid.uuid5(REQUEST_IDS, actor.request).hex if actor.request else new_filing_id()


# --- entry points -------------------------------------------------------------------------


def file_quick(ctx: Context, actor: Actor, text: str) -> Result:
    return file_report(ctx, actor, _quick_draft(text), filing_id_for(actor))


def accept_quick(ctx: Context, actor: Actor, text: str) -> None:
    """Keep a `/meld <tekst>` in the spool before the chat platform hears it arrived (see accept)."""
    if actor.request:
        accept(ctx, actor, _quick_draft(text), filing_id_for(actor))


def _quick_draft(text: str) -> Draft:
    guessed = guess(text)
    return Draft(text, guessed.category, guessed.severity, guessed.personal_data, category_guessed=True)


def file_shared_message(ctx: Context, actor: Actor, shared: SharedMessage) -> Result:
    """"Meld als onveilig" on a message: without a clearer sign, the message itself is the unsafe act."""
    guessed = guess(shared.text)
    category = UNSAFE_BEHAVIOUR if guessed.category == DEFAULT_CATEGORY else guessed.category
    draft = Draft(shared.text, category, guessed.severity, guessed.personal_data, category_guessed=True,
                  source_link=shared.link or None, source_author=shared.author or None)
    return file_report(ctx, actor, draft, new_filing_id())


def open_form(ctx: Context, actor: Actor) -> Result:
    with ctx.db.session() as session:
        member = get_member(session, actor.user_id)
        departments = department_names(session)
    anonymous_hint = (
        "Ontvangers zien je naam dan niet. Alleen de CISO kan die inzien, en dat wordt vastgelegd."
        if seal_for(ctx) else "Je naam wordt dan niet opgeslagen; niemand kan die achterhalen."
    )
    fields = [
        FormField("category", "Wat voor melding?", "choice", CATEGORY_CHOICES),
        FormField("what", "Wat is er gebeurd?", "multiline", max_length=3000,
                  hint="Wat zag of deed je, welk systeem of apparaat? Vul geen wachtwoorden in."),
        FormField("discovered_date", "Wanneer ontdekt?", "date", optional=True, hint="Leeg laten: net ontdekt."),
        FormField("discovered_time", "Hoe laat ongeveer?", optional=True, max_length=5, hint="UU:MM, bijvoorbeeld 14:30"),
    ]
    if departments:
        fields.append(FormField("department", "Afdeling", "choice", tuple(Choice(d, d) for d in departments),
                                default=member.department if member else None))
    fields += [
        FormField("personal_data", "Gaat het om persoonsgegevens?", "yesno", default="nee"),
        FormField("people_affected", "Om hoeveel mensen ongeveer?", "number", optional=True,
                  hint="Alleen bij persoonsgegevens. Een schatting is goed."),
        FormField("severity", "Hoe ernstig schat je het in?", "choice", SEVERITY_CHOICES, default=DEFAULT_SEVERITY),
        FormField("anonymous", "Anoniem melden?", "yesno", default="nee", hint=anonymous_hint),
    ]
    return Result(form=Form(FORM_ID, "Melding doen", tuple(fields), submit_label="Melden", context=new_filing_id()))


def check_form(values: dict[str, str]) -> dict[str, str]:
    problems: dict[str, str] = {}
    if values.get("category") not in CATEGORIES:
        problems["category"] = "Kies wat voor melding het is."
    if values.get("severity", DEFAULT_SEVERITY) not in SEVERITIES:
        problems["severity"] = "Kies hoe ernstig het is."
    if values.get("discovered_date") and form_date(values["discovered_date"]) is None:
        problems["discovered_date"] = "Geef de datum als JJJJ-MM-DD."
    if values.get("discovered_time") and not TIME.fullmatch(values["discovered_time"].strip()):
        problems["discovered_time"] = "Geef de tijd als UU:MM, bijvoorbeeld 14:30."
    if people_affected(values) == -1:
        problems["people_affected"] = "Geef een aantal, bijvoorbeeld 40."
    return problems


def people_affected(values: dict[str, str]) -> int | None:
    """The number of people from the form; None when not given, -1 when it is not a number we can keep."""
    affected = values.get("people_affected", "").strip()
    if not affected:
        return None
    return int(affected) if NUMBER.fullmatch(affected) and int(affected) <= MAX_PEOPLE else -1


def submit_form(ctx: Context, actor: Actor, values: dict[str, str], filing_id: str) -> Result:
    return file_report(ctx, actor, _form_draft(ctx, values), _form_filing_id(filing_id))


def accept_form(ctx: Context, actor: Actor, values: dict[str, str], filing_id: str) -> None:
    """Keep a submitted form in the spool before the chat platform hears it arrived (see accept)."""
    accept(ctx, actor, _form_draft(ctx, values), _form_filing_id(filing_id))


def _form_filing_id(filing_id: str) -> str:
    return filing_id if FILING_ID.fullmatch(filing_id) else new_filing_id()


def _form_draft(ctx: Context, values: dict[str, str]) -> Draft:
    discovered_at, time_known = moment_from_form(ctx, values.get("discovered_date", ""), values.get("discovered_time", ""))
    affected = people_affected(values)
    return Draft(
        text=values.get("what", ""),
        category=values["category"],
        severity=values.get("severity") or DEFAULT_SEVERITY,
        personal_data=values.get("personal_data") == "ja",
        department=values.get("department") or None,
        discovered_at=discovered_at,
        discovered_time_known=time_known,
        people_affected=affected if affected is not None and affected >= 0 else None,
        anonymous=values.get("anonymous") == "ja",
    )


def moment_from_form(ctx: Context, day_text: str, time_text: str) -> tuple[datetime | None, bool]:
    """A moment from a date and a time field (local time), and whether the time was given.

    A date without a time counts from the start of that day: for a discovery, the safe side."""
    day = form_date(day_text)
    matched = TIME.fullmatch(time_text.strip())
    today = ctx.local(ctx.now()).date()
    if day is None and matched is None:
        return None, True
    clock = time(int(matched.group(1)), int(matched.group(2))) if matched else time(0, 0)
    local = datetime.combine(day or today, clock, tzinfo=ctx.options.timezone)
    return local.astimezone(ctx.now().tzinfo), matched is not None


def form_date(text: str) -> date | None:
    """A date from a form field (JJJJ-MM-DD), or None when it is not one or not a plausible year."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


# --- filing -------------------------------------------------------------------------------


def file_report(ctx: Context, actor: Actor, draft: Draft, filing_id: str) -> Result:
    filing = Filing(filing_id, ctx.now(), draft, Identity.of(actor.user_id, draft.anonymous, seal_for(ctx)))
    try:
        replay_spool(ctx)
        with ctx.db.session() as session:
            filed = file_in(session, ctx, filing, department_of=actor.user_id)
            message = receipt(ctx, filed, sealed=filing.identity.sealed is not None)
    except DatabaseUnavailable:
        reply = _spool(ctx, filing, actor)
        accepted_journal(ctx).done(filing_id)  # the outage spool has it now
        return Result.say(reply)
    accepted_journal(ctx).done(filing_id)
    return Result.say(message)


def accept(ctx: Context, actor: Actor, draft: Draft, filing_id: str) -> None:
    """Write the report to the spool, marked as accepted, before the chat platform is told the
    request arrived (storage.intake_journal). Filing it marks the entry done; if the process
    dies first, the next start files it (`replay_accepted`), and the filing id makes sure it is
    filed once."""
    filing = Filing(filing_id, ctx.now(), draft, Identity.of(actor.user_id, draft.anonymous, seal_for(ctx)))
    entry = filing.to_dict() | {"department_of": _department_of(filing, actor)}
    accepted_journal(ctx).accepted(filing_id, entry)


def accepted_journal(ctx: Context) -> IntakeJournal:
    return journal(ctx.options.spool_dir / "accepted")


    return True


def file_in(session: Session, ctx: Context, filing: Filing, *, department_of: str | None, late: bool = False) -> Filed:
    """File in the caller's transaction. A draft without a department gets the one of `department_of`
    (the reporter; not known for a replayed anonymous report)."""
    existing = by_filing_id(session, filing.filing_id)
    if existing is not None and not _same_reporter(existing, filing.identity):  # a form's id is no permission
        filing = replace(filing, filing_id=new_filing_id())
        existing = None
    report = None if existing else add_numbered(session, _new_report(session, ctx, filing, department_of))
    if report is None:  # filed before, or just now by a concurrent replay of the same entry
        existing = existing or by_filing_id(session, filing.filing_id)
        assert existing is not None
        return Filed(existing, plan(session, existing), again=True, guessed=filing.draft.category_guessed)
    actor = ANONYMOUS_REPORTER if report.anonymous else (report.reporter_id or "")
    add_event(session, report, report.created_at, actor, "gemeld",
              f"categorie {category_label(report.category)} (geschat uit de tekst)" if filing.draft.category_guessed else "")
    if late:
        add_event(session, report, ctx.now(), "systeem", "later ingeschreven", "de melding wachtte in de wachtrij (storing of herstart)")
    routing = route(session, ctx, report)
    if report.possible_breach and report.ap_deadline:
        deadlines.schedule_reminders(session, ctx, report.reference, report.ap_deadline)
    if report.severity == CRITICAL:
        alert_critical(session, ctx, report)
    record(session, ctx, actor, "report.file", report.reference)
    filed = Filed(report, routing, guessed=filing.draft.category_guessed)
    if late and report.reporter_id:
        send_direct(session, f"report:{report.reference}:receipt:{report.reporter_id}", report.reporter_id,
                    receipt(ctx, filed, sealed=False, late=True), ctx.now())
    log.info("report %s filed (%s)", report.reference, report.category)
    return filed


def _same_reporter(report: Report, identity: Identity) -> bool:
    return (report.reporter_id, report.reporter_tag) == (identity.reporter_id, identity.tag)


def _new_report(session: Session, ctx: Context, filing: Filing, department_of: str | None) -> Report:
    draft, submitted = filing.draft, filing.submitted_at
    department = draft.department
    if department is not None and department not in department_names(session):
        department = None  # not a roster department (a form opened before the roster changed, a forged value)
    if department is None and department_of:
        member = get_member(session, department_of)
        department = member.department if member else None
    discovered_at = min(draft.discovered_at or submitted, submitted)  # a discovery "in the future" is a typo
    report = Report(
        year=ctx.local(submitted).year,
        filing_id=filing.filing_id,
        category=draft.category,
        severity=draft.severity,
        department=department,
        text=storable(draft.text),
        discovered_at=discovered_at,
        discovered_time_known=draft.discovered_time_known,
        personal_data=draft.personal_data,
        people_affected=draft.people_affected,
        anonymous=draft.anonymous,
        reporter_id=filing.identity.reporter_id,
        reporter_sealed=filing.identity.sealed,
        reporter_tag=filing.identity.tag,
        source_link=draft.source_link,
        source_author=draft.source_author,
        created_at=submitted,
        updated_at=ctx.now(),
    )
    if report.possible_breach:
        report.ap_deadline = deadlines.ap_deadline(discovered_at)
    return report


def receipt(ctx: Context, filed: Filed, *, sealed: bool, late: bool = False) -> Message:
    report = filed.report
    guessed = " (geschat uit je tekst)" if filed.guessed else ""
    intro = (f"Je melding van {when(ctx, report.created_at)} staat nu in het register." if late
             else "Deze melding had je al verstuurd; er is niets dubbel opgeslagen." if filed.again else "")
    blocks: list[Block] = [intro] if intro else []
    blocks.append(Fields((
        ("Categorie", category_label(report.category) + guessed),
        ("Ernst", report.severity),
        ("Afdeling", escape(report.department) if report.department else "onbekend"),
    )))
    who = recipients_sentence(filed.routing)
    blocks.append(f"Doorgestuurd naar {who}. Zij nemen zo nodig contact met je op." if who else
                  "⚠️ Er staat niemand in het rooster om dit te ontvangen. Bel de servicedesk en noem het nummer.")
    if report.possible_breach and report.ap_deadline and report.ap_deadline > ctx.now():
        blocks.append(f"⏱️ Mogelijk datalek: dit moet uiterlijk {when(ctx, report.ap_deadline)} bij de "
                      "Autoriteit Persoonsgegevens gemeld zijn. De FG is ingelicht.")
    if report.category in TIPS:
        blocks.append(TIPS[report.category])
    if report.anonymous:
        blocks.append(SEALED if sealed else NOT_KEPT)
    buttons: list[Button] = []
    if report.is_open and (not report.anonymous or sealed):
        blocks.append("Klopt de categorie niet, of wil je iets toevoegen? Gebruik de knoppen. Je meldingen: `/meld status`.")
        buttons = [Button("Aanvullen", "report.amend", report.reference),
                   Button("Categorie wijzigen", "report.recategorise", report.reference)]
    return Message(
        text=f"✅ Melding ontvangen: {report.reference}",
        title=f"✅ Melding ontvangen: {report.reference}",
        blocks=blocks,
        buttons=buttons,
    )


# --- when the database is down ------------------------------------------------------------


def _spool(ctx: Context, filing: Filing, actor: Actor) -> Message:
    try:
        entry = filing.to_dict() | {"department_of": _department_of(filing, actor)}
        report_spool.spool(ctx.options.spool_dir, filing.filing_id, entry)
    except OSError:
        log.exception("report could not be spooled either")
        return _not_stored(filing, kept=False)
    log.warning("register unavailable; report spooled as %s", filing.filing_id)
    return _not_stored(filing, kept=True)


def _department_of(filing: Filing, actor: Actor) -> str | None:
    """Whose department a spooled report without one gets: never an anonymous reporter's, who stays unnamed."""
    return None if filing.draft.anonymous else actor.user_id


def _not_stored(filing: Filing, *, kept: bool) -> Message:
    if kept:
        then = ("Je vindt het nummer daarna met `/meld status`." if filing.identity.tag
                else "Je krijgt dan een bericht met het meldingsnummer." if not filing.draft.anonymous
                else "Omdat je anoniem meldt zonder opgeslagen naam, krijg je daarover geen bericht.")
        lead = ("⚠️ Het register is even niet bereikbaar. Je melding is *niet* verloren: ze staat in de wachtrij "
                f"en wordt ingeschreven zodra het register terug is. {then}")
    else:
        lead = ("⚠️ Het register is niet bereikbaar en je melding kon *niet* worden bewaard. Kopieer je tekst hieronder "
                "en probeer het over een paar minuten opnieuw. Is het dringend? Bel de servicedesk.")
    return Message(text=lead, blocks=[lead, f"*Je tekst*\n{described(filing.draft.text)}"])


def recover_spool(ctx: Context) -> None:
    """Periodic recovery: file what waits in the spool, and accepted requests a stopped process
    did not file; quietly while the database is still down."""
    try:
        replay_spool(ctx)
        replay_accepted(ctx)
        settle_accepted(ctx)
    except DatabaseUnavailable:
        pass


def settle_accepted(ctx: Context, older_than: float = 2.0) -> int:
    """Mark done what this process accepted and another process filed: a web process that
    queues its work (commands.work_queue) leaves the filing to a worker."""
    intake = accepted_journal(ctx)
    waiting = intake.outstanding(older_than)
    if not waiting:
        return 0
    with ctx.db.reading() as session:
        filed = reports.filing_ids_in(session, waiting)
    for filing_id in filed:
        intake.done(filing_id)
    return len(filed)


def replay_accepted(ctx: Context) -> int:
    """File the reports that processes which stopped had accepted but not filed."""
    filed = 0
    intake = accepted_journal(ctx)
    for orphan in intake.orphans():
        for entry in orphan.entries.values():
            filing = Filing.from_dict(entry)
            with ctx.db.session() as session:
                if file_in(session, ctx, filing, department_of=entry.get("department_of"), late=True).again:
                    continue
            filed += 1
        intake.forget(orphan)
    return filed


def replay_spool(ctx: Context) -> int:
    """File what was spooled while the database was down; returns how many were filed now."""
    filed = 0
    for path in report_spool.waiting(ctx.options.spool_dir):
        try:
            entry = report_spool.read(path)
            filing = Filing.from_dict(entry)
            with ctx.db.session() as session:
                file_in(session, ctx, filing, department_of=entry.get("department_of"), late=True)
        except DatabaseUnavailable:
            raise
        except Exception:  # noqa: BLE001 - one bad entry must not block the others; it stays for a look
            log.exception("spooled report %s could not be filed", path.name)
            continue
        report_spool.remove(path)
        filed += 1
    return filed
