"""Who may see and handle which report, decided from the roster at the moment of asking.

- the reporter sees their own reports (an anonymous one through the keyed tag);
- the CISO, the FG and the IT-auditor see all reports;
- the DSPO of the report's department sees and handles it; the CISO handles every report;
- the afdelingsmanager of the department sees and handles reports of unsafe behaviour;
- whoever a report is assigned to sees and handles it.
Nobody else sees anything. Every entry point checks again: a button or form carries only
a reference, never a permission.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_, true
from sqlmodel import Session, col

from commands.context import Context
from commands.report.catalogue import UNSAFE_BEHAVIOUR
from commands.report.sealing import seal_for
from storage.people import get_member, holders
from storage.reports import Report

SEES_ALL = frozenset({"ciso", "fg", "it-auditor"})
ANONYMOUS_REPORTER = "anonieme melder"  # the actor name in logs for an anonymous reporter's own actions


@dataclass(frozen=True)
class Viewer:
    user_id: str
    roles: frozenset[str]  # empty when the person is not (or no longer) in the roster
    department: str | None
    tag: str | None  # the keyed hash that finds their anonymous reports

    @property
    def sees_all(self) -> bool:
        return bool(self.roles & SEES_ALL)

    @property
    def is_ciso(self) -> bool:
        return "ciso" in self.roles

    def holds_in(self, role: str, department: str | None) -> bool:
        return role in self.roles and department is not None and self.department == department


def viewer_for(session: Session, ctx: Context, user_id: str) -> Viewer:
    member = get_member(session, user_id)
    active = member is not None and member.active
    seal = seal_for(ctx)
    return Viewer(
        user_id=user_id,
        roles=frozenset(member.roles) if active and member else frozenset(),
        department=member.department if active and member else None,
        tag=seal.tag(user_id) if seal else None,
    )


def is_reporter(viewer: Viewer, report: Report) -> bool:
    if report.anonymous:
        return report.reporter_tag is not None and report.reporter_tag == viewer.tag
    return report.reporter_id == viewer.user_id


def may_handle(viewer: Viewer, report: Report) -> bool:
    return (
        viewer.is_ciso
        or viewer.holds_in("dspo", report.department)
        or (report.category == UNSAFE_BEHAVIOUR and viewer.holds_in("afdelingsmanager", report.department))
        or (bool(viewer.roles) and report.handler_id == viewer.user_id)
    )


def may_view(viewer: Viewer, report: Report) -> bool:
    return is_reporter(viewer, report) or viewer.sees_all or may_handle(viewer, report)


def may_reveal(viewer: Viewer) -> bool:
    return viewer.is_ciso


def actor_name(viewer: Viewer, report: Report) -> str:
    """How the viewer is named in the timeline and audit log for this report: an anonymous
    reporter acting on their own report stays anonymous; someone who may handle it acts by name."""
    if report.anonymous and is_reporter(viewer, report) and not may_handle(viewer, report):
        return ANONYMOUS_REPORTER
    return viewer.user_id


def own_condition(viewer: Viewer) -> ColumnElement[bool]:
    conditions = [and_(col(Report.anonymous).is_(False), Report.reporter_id == viewer.user_id)]
    if viewer.tag:
        conditions.append(and_(col(Report.anonymous).is_(True), Report.reporter_tag == viewer.tag))
    return or_(*conditions)


def handled_condition(viewer: Viewer) -> ColumnElement[bool]:
    """SQL for the reports the viewer may see in their role (not as reporter); may_view re-checks."""
    if viewer.sees_all:
        return true()
    conditions: list[ColumnElement[bool]] = []
    if viewer.roles:
        conditions.append(Report.handler_id == viewer.user_id)
    if viewer.department and "dspo" in viewer.roles:
        conditions.append(Report.department == viewer.department)
    if viewer.department and "afdelingsmanager" in viewer.roles:
        conditions.append(and_(Report.department == viewer.department, Report.category == UNSAFE_BEHAVIOUR))
    return or_(*conditions) if conditions else false()


def handler_candidates(session: Session, report: Report) -> list[tuple[str, str]]:
    """(user id, label) of the people a report may be assigned to: those who may handle it, and the FG.

    The IT-auditor sees every report but is not offered: an auditor does not handle what they audit.
    """
    candidates: dict[str, str] = {}

    def offer(role: str, label: str, department: str | None = None) -> None:
        for member in holders(session, role, department):
            candidates.setdefault(member.id, f"{member.name} ({label})")

    offer("ciso", "CISO")
    if report.department:
        offer("dspo", f"DSPO {report.department}", report.department)
        if report.category == UNSAFE_BEHAVIOUR:
            offer("afdelingsmanager", f"afdelingsmanager {report.department}", report.department)
    offer("fg", "FG")
    return list(candidates.items())
