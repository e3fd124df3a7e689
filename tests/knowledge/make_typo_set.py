"""Generate the typo set (tests/knowledge/typos.yaml) from correctly spelled questions.

    python tests/knowledge/make_typo_set.py > tests/knowledge/typos.yaml

Seeded, so the set is reproducible. It takes questions of our other sets that the engine
answered correctly when the set was made (in scope and out of scope alike) and puts one or two
realistic typos in each: a neighbouring key instead of a letter, a letter left out, doubled or
added, two letters swapped, or a phonetic spelling (c/k/s/z, ph/f, y/ij/ei/ie, dt/d/t endings,
double and single letters, "tie" as "sie"); sometimes accents are left out as well. The first
letter is never mistyped (only spelled phonetically: "krisis"), words under 4 letters are left
alone, and a typo that makes a word the engine knows ("leiden" -> "leden") is not used: no
spelling corrector can tell those apart. Out-of-scope questions with typos must stay declined.
"""

from __future__ import annotations

import json
import random
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
sys.path.insert(0, str(REPO_ROOT))

from knowledge import Answerer
from knowledge.evaluation import load_cases, passes

SEED = 20261130
IN_SCOPE = 100
OUT_OF_SCOPE = 35
SOURCES = ["questions.yaml", "holdout.yaml", "holdout2.yaml", *(f"fresh{n}.yaml" for n in range(1, 17)),
           "blind_a.jsonl", "blind_b.jsonl"]

_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
NEIGHBOURS: dict[str, str] = {}
for r, row in enumerate(_ROWS):
    for c, key in enumerate(row):
        near = [row[c - 1] if c else "", row[c + 1] if c + 1 < len(row) else ""]
        for other in (r - 1, r + 1):
            if 0 <= other < len(_ROWS):
                near += [_ROWS[other][k] for k in (c - 1, c, c + 1) if 0 <= k < len(_ROWS[other])]
        NEIGHBOURS[key] = "".join(n for n in near if n)

# Phonetic spellings: (pattern, replacement), applied once at a random matching place.
PHONETIC: list[tuple[str, str]] = [
    (r"c(?=[eiy])", "s"), (r"c(?=[aou])", "k"), (r"(?<=[aeiou])c(?=[lrt])", "k"), (r"k(?=[aou])", "c"),
    (r"(?<=[aeiou])s(?=[aeiou])", "z"), (r"z", "s"), (r"ph", "f"), (r"y$", "ie"), (r"(?<=[^aeiou])y", "i"),
    (r"ij", "ei"), (r"ei", "ij"), (r"ij", "y"), (r"dt$", "t"), (r"dt$", "d"), (r"eert$", "eerd"),
    (r"eerd$", "eert"), (r"(?<=[lnr])d$", "dt"), (r"([bdfgklmnprst])\1", r"\1"), (r"(aa|ee|oo|uu)", "_"),
    (r"(?<=[aeiou])([lmnprst])(?=[aeiou])", r"\1\1"), (r"tie", "sie"), (r"tie", "tsie"), (r"ou", "au"),
    (r"au", "ou"), (r"ise", "ize"), (r"ize", "ise"), (r"tion", "sion"), (r"ch", "g"), (r"qu", "kw"), (r"x", "ks"),
]


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def mistype(word: str, rng: random.Random) -> tuple[str, str] | None:
    """One typo in a lowercase word: (new word, kind), or None when none applies."""
    kinds = ["neighbour", "drop", "double", "insert", "swap", "phonetic", "phonetic"]
    if len(word) == 4:
        kinds = ["swap", "phonetic"]
    kind = rng.choice(kinds)
    n = len(word)
    if kind == "phonetic":
        rules = [(p, r) for p, r in PHONETIC if re.search(p, word[1:] if p.startswith("(?<") else word)]
        if not rules:
            return None
        pattern, replacement = rng.choice(rules)
        spots = list(re.finditer(pattern, word))
        spot = rng.choice(spots)
        if replacement == "_":  # a long vowel written short
            new = word[:spot.start()] + spot.group(0)[0] + word[spot.end():]
        else:
            new = word[:spot.start()] + spot.expand(replacement) + word[spot.end():]
        return new, "phonetic"
    i = rng.randrange(1, n)  # never the first letter
    if kind == "neighbour":
        if word[i] not in NEIGHBOURS:
            return None
        return word[:i] + rng.choice(NEIGHBOURS[word[i]]) + word[i + 1:], kind
    if kind == "drop":
        return word[:i] + word[i + 1:], kind
    if kind == "double":
        return word[:i] + word[i] + word[i:], kind
    if kind == "insert":
        if word[i] not in NEIGHBOURS:
            return None
        return word[:i] + rng.choice(NEIGHBOURS[word[i]]) + word[i:], kind
    if i == n - 1:
        i -= 1
    if i < 1 or word[i] == word[i + 1]:
        return None
    return word[:i] + word[i + 1] + word[i] + word[i + 2:], kind


def with_typos(question: str, known: set[str], rng: random.Random) -> tuple[str, list[str]] | None:
    words = list(re.finditer(r"[^\W\d_]+", question))
    # Words of 5+ letters (small words only from 8: "verantwoordelijk"), and acronyms of 4 ("DPIA" -> "DPAI").
    eligible = [m for m in words if len(m.group(0)) >= 5 and (fold(m.group(0).lower()) not in SMALL or
                                                             len(m.group(0)) >= 8)]
    eligible += [m for m in words if len(m.group(0)) == 4 and m.group(0).isupper()]
    if not eligible:
        return None
    count = 2 if len(eligible) > 1 and rng.random() < 0.25 else 1
    chosen = sorted(rng.sample(eligible, count), key=lambda m: m.start(), reverse=True)
    notes = []
    for match in chosen:
        original = match.group(0)
        for _ in range(20):
            typo = mistype(fold(original.lower()), rng)
            if typo and typo[0] != fold(original.lower()) and typo[0] not in known and len(typo[0]) >= 3:
                break
        else:
            return None
        new, kind = typo
        if original.isupper():
            new = new.upper()
        question = question[:match.start()] + new + question[match.end():]
        notes.append(f"{original.lower()} > {new.lower()} ({kind})")
    if rng.random() < 0.3:
        question = fold(question)
    return question, notes[::-1]


def main() -> None:
    answerer = Answerer()
    index = answerer.index
    global SMALL
    SMALL = set(index.resources.all_stopwords)
    known = set(index.vocabulary) | SMALL | set(index.resources.known_words)  # a typo must not make one of these
    rng = random.Random(SEED)
    cases = [case for name in SOURCES for case in load_cases(HERE / name)]
    cases = [c for c in cases if passes(c, answerer.answer(c.question))]
    rng.shuffle(cases)
    chosen: dict[bool, list[tuple[object, str, list[str]]]] = {True: [], False: []}
    seen = set()
    for case in cases:
        wanted = OUT_OF_SCOPE if case.out_of_scope else IN_SCOPE
        group = chosen[case.out_of_scope]
        if len(group) >= wanted or case.question.lower() in seen:
            continue
        typo = with_typos(case.question, known, rng)
        if typo:
            seen.add(case.question.lower())
            group.append((case, *typo))
    by_language: dict[str, list[str]] = {"nl": [], "en": []}
    for case, question, notes in chosen[False] + chosen[True]:
        language = case.language or answerer.answer(case.question).language
        item = {"q": question, "accept": list(case.accept)}
        if case.all:
            item["all"] = list(case.all)
        line = "  - {" + ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in item.items())
        line += ", typos: " + json.dumps("; ".join(notes), ensure_ascii=False) + "}"
        by_language[language].append(line)
    print(__doc__.split("\n\n")[0].replace('"""', "").strip().join(["# ", ""]))
    print(f"# Generated by tests/knowledge/make_typo_set.py (seed {SEED}) from questions of our other sets")
    print("# that the engine answered correctly; `typos` notes what was changed. Out of scope: accept [].")
    for language, lines in by_language.items():
        print(f"{language}:")
        print("\n".join(lines))


SMALL: set[str] = set()

if __name__ == "__main__":
    main()
