"""Hypothesis strategies for what people type: any Unicode, Slack markup, right-to-left and
zero-width characters, control characters, SQL-looking text, and 40,000-character pastes.

Lone surrogates (category Cs) are left out: they cannot be encoded as UTF-8, so no chat
client, HTTP request or terminal can deliver them.
"""

from __future__ import annotations

from hypothesis import strategies as st

ANY_CHAR = st.characters(exclude_categories=("Cs",))
PIECES = (
    "<!channel>", "<!here>", "<!everyone>", "<!subteam^S0EVIL>", "<@UEVIL1>", "<@UEVIL2|ciso>", "<#C0EVIL|algemeen>",
    "<https://evil.example/login|klik hier>", "<mailto:x@evil.example|mail>", "&amp;", "&lt;", "&gt;", "&", "<", ">",
    "*vet*", "_schuin_", "~door~", "`code`", "```\nblok\n```", "> citaat", "'; DROP TABLE report;--", "\" OR 1=1 --",
    "%s%n", "{0}", "\\", "\u202e", "\u202b", "\u200f", "\u200e", "\u200d", "\u200b", "\ufeff", "\u2028", "👩\u200d💻",
    "🇳🇱", "\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\r\n", "\n", "\t", " ", "  ", "é", "ß", "İ", "ﷺ", "עברית",
    "العربية", "Ω", "x", "datalek", "BSN", "ransomware", "phishing", "wachtwoord gedeeld", "Burgerzaken",
    "MELD-2026-0001", "CRISIS-2026-0001", "status", "log", "onthul",
)
MARKUP_TEXT = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
FREE_TEXT = st.text(ANY_CHAR, max_size=200)
MIXED_TEXT = st.lists(st.one_of(FREE_TEXT, MARKUP_TEXT), min_size=1, max_size=4).map("".join)


def _repeat_to(text: str, size: int) -> str:
    return (text * (size // len(text) + 1))[:size]


# A 40,000-character paste (Slack's message limit), built by repeating a generated piece.
HUGE_TEXT = st.builds(_repeat_to, st.one_of(MARKUP_TEXT, FREE_TEXT).filter(bool), st.sampled_from([3001, 40_000]))
USER_TEXT = st.one_of(FREE_TEXT, MARKUP_TEXT, MIXED_TEXT, HUGE_TEXT)
