"""What a report can be: categories, severities, statuses, and guessing them from a short text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from commands.messages import Choice
from storage.reports import IN_PROGRESS, NEW, REJECTED, RESOLVED

BREACH = "datalek"
UNSAFE_BEHAVIOUR = "onveilig-gedrag"
DEFAULT_CATEGORY = "beveiligingsincident"

CATEGORIES: dict[str, str] = {
    "beveiligingsincident": "Beveiligingsincident",
    BREACH: "Datalek (persoonsgegevens)",
    "kwetsbaarheid": "Kwetsbaarheid of hiaat",
    "phishing": "Phishing",
    "verlies-diefstal": "Verlies of diefstal van apparatuur",
    UNSAFE_BEHAVIOUR: "Onveilig gedrag",
}

CRITICAL = "kritiek"
SEVERITIES: dict[str, str] = {"laag": "laag", "middel": "middel", "hoog": "hoog", CRITICAL: "kritiek"}
DEFAULT_SEVERITY = "middel"

STATUS_LABELS: dict[str, str] = {
    NEW: "nieuw",
    IN_PROGRESS: "in behandeling",
    RESOLVED: "afgehandeld",
    REJECTED: "afgewezen",
}

CATEGORY_CHOICES = tuple(Choice(value, label) for value, label in CATEGORIES.items())
SEVERITY_CHOICES = tuple(Choice(value, label) for value, label in SEVERITIES.items())


def category_label(category: str) -> str:
    return CATEGORIES.get(category, category)


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def _words(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(patterns), re.IGNORECASE)


# Checked in this order: the first category whose words occur wins. Phrases that name a
# breach outright come first; mere mentions of personal data only set `personal_data`.
_CATEGORY_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (BREACH, _words(r"datalek", r"verkeerde? (adres|ontvanger|persoon)", r"(ge)?mail(d|t)? naar de verkeerde",
                    r"per ongeluk (ge)?(stuurd|mail|deeld|verstuurd)", r"aan de verkeerde")),
    ("phishing", _words(r"phish", r"smish", r"nep-?(mail|sms|bericht|link)", r"verdachte? (e-?mail|mail|link|bijlage|sms)",
                        r"valse (e-?mail|mail|link)", r"spoof", r"op (een|de) link (ge)?klikt", r"inloggegevens (ge)?vraagd")),
    ("verlies-diefstal", _words(r"\bkwijt", r"verloren", r"gestolen", r"diefstal", r"laten liggen", r"vermist",
                                r"ingebroken in (mijn|de) auto")),
    (UNSAFE_BEHAVIOUR, _words(r"wachtwoord\w* (ge)?deeld", r"\bdee?l\w* (\w+ )?(wachtwoord|inlog)",
                              r"wachtwoord\w* op (een )?(briefje|post-?it)",
                              r"post-?it", r"niet vergrendeld", r"onbeheerd", r"onveilig gedrag", r"meekijk",
                              r"deur (stond )?open", r"pasje (ge)?leend", r"badge (ge)?leend")),
    ("kwetsbaarheid", _words(r"kwetsbaarhe", r"hiaat", r"\bcve-\d", r"niet (goed )?beveiligd", r"(geen|ontbrekende) (update|patch)",
                             r"rechten (zijn )?te (ruim|breed)", r"iedereen kan (erbij|bij)", r"open poort", r"lek in")),
)

_PERSONAL_DATA = _words(r"persoonsgegeven", r"\bbsn", r"burgerservicenummer", r"medische gegevens", r"paspoort",
                        r"id-?kaart", r"privacy", r"datalek", r"cliëntgegevens", r"cliëntdossier")

_SEVERITY_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (CRITICAL, _words(r"ransomware", r"gijzelsoftware", r"(alles|bestanden|systemen|server) (is |zijn )?versleuteld",
                      r"losgeld", r"alle systemen (liggen )?(plat|eruit)")),
    ("hoog", _words(r"gehackt", r"\bhack", r"malware", r"virus", r"inbraak", r"overgenomen", r"ddos")),
)


@dataclass(frozen=True)
class Guess:
    category: str
    severity: str
    personal_data: bool


def guess(text: str) -> Guess:
    """A first guess from a quick report; the reporter can correct it, the handler reviews it."""
    category = next((name for name, words in _CATEGORY_WORDS if words.search(text)), None)
    personal_data = bool(_PERSONAL_DATA.search(text)) or category == BREACH
    if category is None:
        category = BREACH if personal_data else DEFAULT_CATEGORY
    severity = next((level for level, words in _SEVERITY_WORDS if words.search(text)), DEFAULT_SEVERITY)
    return Guess(category, severity, personal_data)
