"""Long lists: `/meld status` and App Home show the first few (open first, newest first) and say how many there are."""

from __future__ import annotations

from commands.context import Actor, Context
from commands.router import Router
from tests.support.reports import meld, text_of


def test_status_and_home_show_the_newest_with_a_count(roster: Context, router: Router) -> None:  # noqa: F811
    for n in range(25):
        meld(router, roster, "U01EMP", f"phishingmail nummer {n}")
    meld(router, roster, "U01CISO", "usb-stick gevonden")

    ciso = "\n".join(text_of(m) for m in meld(router, roster, "U01CISO", "status").messages)
    assert "*Meldingen die jij mag zien* (open eerst; 20 van 25, waarvan 25 open)" in ciso
    assert "MELD-2026-0025" in ciso and "MELD-2026-0005" not in ciso  # the newest
    assert "*Jouw meldingen* (open eerst)" in ciso  # one of their own: no count needed

    reporter = "\n".join(text_of(m) for m in meld(router, roster, "U01EMP", "status").messages)
    assert "*Jouw meldingen* (open eerst; 10 van 25, waarvan 25 open)" in reporter

    home = "\n".join(text_of(m) for m in router.home(roster, Actor("U01CISO")))
    assert "De nieuwste 10 van 25 open meldingen; alles: `/meld status`." in home
