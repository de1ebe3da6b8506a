"""What an article's text says of itself: its title, its publication date, its dateline,
and a slug for its folder, proposed to the curator."""

from __future__ import annotations

__all__ = ["Metadata", "MONTHS", "EVENT_WORDS", "propose_metadata", "unique_slug"]

import datetime as dt
import re
from dataclasses import dataclass

from kg.build.evidence import fold

#: The months, as an article writes a date in words.
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
#: Words of a title that name what happened, for the folder's slug (the first one found).
EVENT_WORDS = (
    "talks",
    "negotiations",
    "summit",
    "meeting",
    "meetings",
    "ceasefire",
    "cease-fire",
    "truce",
    "call",
    "visit",
    "agreement",
    "deal",
    "memorandum",
    "exchange",
    "swap",
    "sanctions",
    "treaty",
    "conference",
    "election",
    "referendum",
    "statement",
    "strike",
    "attack",
    "offensive",
    "war",
    "accord",
)
_STOP = {
    "of",
    "the",
    "and",
    "in",
    "for",
    "on",
    "at",
    "to",
    "a",
    "an",
    "first",
    "time",
    "since",
    "with",
    "after",
    "over",
    "new",
    "as",
    "by",
}


@dataclass(frozen=True)
class Metadata:
    """What `propose_metadata` reads from an article's text (None where it finds nothing)."""

    title: str | None
    published: dt.date | None
    published_as: str | None
    dateline: str | None
    slug: str


_DATE_FORMS = [
    (re.compile(r"\b(\d{1,2})([/.])(\d{1,2})\2(\d{4})\b"), "dmy"),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), "ymd"),
    (re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r"),? (\d{4})\b", re.I), "d month y"),
    (re.compile(r"\b(" + "|".join(MONTHS) + r") (\d{1,2}),? (\d{4})\b", re.I), "month d y"),
]
_DATELINE = re.compile(
    r"^([A-ZА-ЯЁІЇЄҐ][A-ZА-ЯЁІЇЄҐ.'’ -]*[A-ZА-ЯЁІЇЄҐ.])(?:,\s+[A-ZА-ЯЁІЇЄҐ][\w. ]+?)?\s*"
    r"(?:\([^)]{1,40}\)\s*)?"
    r"[—–-]{1,2}\s"
)


def _date_in(line: str) -> tuple[dt.date, str] | None:
    """The first date written in `line`, and its words (day first in d/m/y)."""
    for pattern, form in _DATE_FORMS:
        for match in pattern.finditer(line):
            try:
                if form == "dmy":
                    day, month, year = (int(match.group(i)) for i in (1, 3, 4))
                elif form == "ymd":
                    year, month, day = (int(g) for g in match.groups())
                elif form == "d month y":
                    day, year = int(match.group(1)), int(match.group(3))
                    month = MONTHS.index(match.group(2).lower()) + 1
                else:
                    day, year = int(match.group(2)), int(match.group(3))
                    month = MONTHS.index(match.group(1).lower()) + 1
                return dt.date(year, month, day), match.group(0)
            except ValueError:
                continue
    return None


def _slug_words(text: str) -> list[str]:
    plain = fold(text)
    return [w for w in re.findall(r"[a-z0-9]+", plain)]


def propose_metadata(text: str) -> Metadata:
    """The title, publication date, dateline and folder slug that `text` suggests.

    The date is the first date in the opening lines (day first, as in 16/05/2025 or
    16.05.2025, or
    2025-05-16, 16 May 2025, May 16, 2025); the title the first other line; the dateline
    the capitals that open the first paragraph before a dash ("ISTANBUL —"); the slug the
    dateline's place and the first word of the title that names an event ("talks",
    "summit", ...), else the title's first words.

    Examples
    --------
    >>> m = propose_metadata("16/05/2025\\n\\nLeaders meet for talks\\n\\nGENEVA — They met.")
    >>> m.title, m.published, m.published_as, m.dateline, m.slug
    ('Leaders meet for talks', datetime.date(2025, 5, 16), '16/05/2025', 'GENEVA', 'geneva-talks')
    >>> m = propose_metadata("02.06.2025\\n\\nПереговоры в Стамбуле\\n\\nСТАМБУЛ — Делегации встретились.")
    >>> m.published, m.dateline
    (datetime.date(2025, 6, 2), 'СТАМБУЛ')
    """
    lines = [line.strip() for line in text.splitlines()]
    opening = [line for line in lines if line][:6]
    title = published = published_as = dateline = None
    for line in opening:
        found = _date_in(line) if published is None else None
        if found and len(line) <= len(found[1]) + 40:  # a line that is mostly the date
            published, published_as = found
            continue
        if title is None and not _DATELINE.match(line):
            title = line
    for line in lines:
        match = _DATELINE.match(line)
        if match:
            dateline = match.group(1).strip()
            break
    words = _slug_words(title or "")
    event = next((w for w in words if w in {e.replace("-", "") for e in EVENT_WORDS}), None)
    if event == "ceasefire" and "cease-fire" in fold(title or ""):
        event = "ceasefire"
    head = _slug_words(dateline)[:2] if dateline else []
    if head and event:
        parts = head + [event]
    else:
        parts = [w for w in words if w not in _STOP][:4] or ["article"]
    return Metadata(title, published, published_as, dateline, "-".join(parts))


def unique_slug(slug: str, title: str | None, used) -> str:
    """`slug`, or, if another article uses it (`used`: the slugs of the articles there
    are), the slug with the title's next words added until none does (a number as a last
    resort): a slug names one article of the corpus, whatever its date.

    Examples
    --------
    >>> unique_slug("istanbul-talks", "Second round of Istanbul talks", {"istanbul-talks"})
    'istanbul-talks-second'
    >>> unique_slug("istanbul-talks", None, {"istanbul-talks"})
    'istanbul-talks-2'
    """
    used = set(used)
    if slug not in used:
        return slug
    parts = slug.split("-")
    for word in _slug_words(title or ""):
        if word in _STOP or word in parts:
            continue
        parts.append(word)
        if "-".join(parts) not in used:
            return "-".join(parts)
    number = 2
    while f"{slug}-{number}" in used:
        number += 1
    return f"{slug}-{number}"
