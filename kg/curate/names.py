"""What an article's text names: the known entities it mentions (by label, alternative
label or surname), and the capitalised names it does not know yet."""

from __future__ import annotations

__all__ = [
    "Mention",
    "find_mentions",
    "every_mention",
    "unknown_names",
    "close_names",
    "country_names",
]

import re
from dataclasses import dataclass
from functools import cache

from anyascii import anyascii
from rapidfuzz import fuzz, process, utils

from kg.build.evidence import ArticleText, fold, normalise
from kg.build.model import Entity
from kg.curate.metadata import MONTHS
from kg.vocab.curation import CUES, TYPES
from kg.vocab.kinds import WEEKDAYS

#: Capitalised words that open a sentence without naming anything.
_OPENERS = {
    "a",
    "an",
    "the",
    "in",
    "on",
    "at",
    "as",
    "by",
    "for",
    "from",
    "but",
    "and",
    "or",
    "it",
    "its",
    "this",
    "that",
    "these",
    "those",
    "he",
    "she",
    "they",
    "we",
    "i",
    "his",
    "her",
    "their",
    "our",
    "after",
    "before",
    "while",
    "when",
    "with",
    "of",
    "to",
    "if",
    "there",
    "here",
    "some",
    "many",
    "both",
    "other",
    "since",
    "during",
    "under",
    "about",
    "no",
    "not",
    "what",
    "who",
    "why",
    "how",
    "mr",
    "mrs",
    "ms",
}
_WEEKDAYS = set(WEEKDAYS)


@dataclass(frozen=True)
class Mention:
    """A known entity that a text names: by which name, the sentence, its paragraph."""

    entity: Entity
    name: str
    sentence: str
    paragraph: int
    start: int
    end: int
    surname: bool = False


def _names(entity: Entity, countries: dict[str, list[str]] | None = None) -> list[tuple[str, bool]]:
    """The names `entity` goes by: its label and alternative labels, a person's surname
    (flagged True), and a post's or a body's name with its country put another way
    (`countries`: each country's names and demonyms): "US Secretary of State" for "United
    States Secretary of State", "Turkish Minister of Foreign Affairs" for "Minister of
    Foreign Affairs of Turkey"."""
    names = [(entity.label, False)] + [(alt, False) for alt in entity.alt_labels]
    if entity.type == "Person":
        last = entity.label.split()[-1]
        if len(last) >= 4 and last != entity.label:
            names.append((last, True))
        return names
    if entity.type == "Country" or not countries:
        return names
    seen = {fold(normalise(name)) for name, _ in names}
    for name, _ in list(names):
        for country in countries.values():
            for own in country:
                if name.startswith(own + " "):
                    rest = name[len(own) + 1 :]
                elif name.endswith(" of " + own):
                    rest = name[: -len(own) - 4]
                else:
                    continue
                for other in country:
                    variant = f"{other} {rest}"
                    if fold(normalise(variant)) not in seen:
                        seen.add(fold(normalise(variant)))
                        names.append((variant, False))
    return names


def country_names(entities: list[Entity], demonyms: dict[str, str] | None = None) -> dict:
    """Each country's names: its label, alternative labels and demonyms (`demonyms`: a
    demonym's country id), longest first.

    Examples
    --------
    >>> from kg.build.model import Entity
    >>> from kg.errors import Location
    >>> us = Entity("united-states", "Country", "United States", Location("f", 1), ("US",))
    >>> country_names([us], {"American": "united-states"})
    {'united-states': ['United States', 'American', 'US']}
    """
    out: dict[str, list[str]] = {}
    for entity in entities:
        if entity.type == "Country":
            out[entity.id] = [entity.label, *entity.alt_labels]
    for word, country in (demonyms or {}).items():
        if country in out and word not in out[country]:
            out[country].append(word)
    return {key: sorted(names, key=len, reverse=True) for key, names in out.items()}


def _index(entities: list[Entity], demonyms: dict[str, str] | None, with_demonyms: bool):
    """Each folded name of `entities` with the entities it names (and whether by surname),
    and the pattern that finds them, longest first (the last few kept: kg curate asks for
    the same corpus's at every page)."""
    key = (
        tuple((e.id, e.type, e.label, e.alt_labels) for e in entities),
        tuple(sorted((demonyms or {}).items())),
        with_demonyms,
    )
    if key not in _INDEXES:
        _INDEXES[key] = _make_index(entities, demonyms, with_demonyms)
        while len(_INDEXES) > 4:
            del _INDEXES[next(iter(_INDEXES))]
    return _INDEXES[key]  # shared: read, never changed


_INDEXES: dict[tuple, tuple[dict, re.Pattern | None]] = {}


@cache
def _generic() -> frozenset[str]:
    """The words that name a kind of thing, not one thing (the ontology's cue words of its
    types: "meeting", "the talks", "proposal"), folded: a label that is only one of them is
    no name to find in a text."""
    words = {fold(normalise(cue)) for t in TYPES for cue in CUES.get(t, ())}
    return frozenset(words | {f"the {w}" for w in words})


def _make_index(entities: list[Entity], demonyms: dict[str, str] | None, with_demonyms: bool):
    by_name: dict[str, list[tuple[Entity, bool]]] = {}
    countries = country_names(entities, demonyms)
    for entity in entities:
        names = _names(entity, countries)
        if with_demonyms and entity.type == "Country":
            names += [(w, False) for w, c in (demonyms or {}).items() if c == entity.id]
        for name, surname in names:
            key = fold(normalise(name))
            if key.strip() and key not in _generic():  # "Meeting" names no one meeting
                by_name.setdefault(key, []).append((entity, surname))
    if not by_name:
        return by_name, None
    pattern = re.compile(
        r"(?<!\w)("
        + "|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True))
        + r")(?!\w)"
    )
    return by_name, pattern


def find_mentions(
    text: str, entities: list[Entity], demonyms: dict[str, str] | None = None
) -> list[Mention]:
    """The known `entities` that `text` names by label or alternative label (case and
    accents aside), a person also by surname, a post or a body also with its country put
    another way (`demonyms`: a demonym's country id); one mention each, the first, in text
    order.

    Examples
    --------
    >>> from kg.build.model import Entity
    >>> from kg.errors import Location
    >>> putin = Entity("vladimir-putin", "Person", "Vladimir Putin", Location("f", 1))
    >>> [(m.entity.id, m.name, m.surname) for m in find_mentions("President Putin spoke.", [putin])]
    [('vladimir-putin', 'Putin', True)]
    """
    article = ArticleText(text)
    by_name, pattern = _index(entities, demonyms, False)
    if pattern is None:
        return []
    seen: dict[str, Mention] = {}
    folded = fold(article.folded)  # the text as ArticleText folds it, in lower case
    for found in pattern.finditer(folded):
        # a name within the one matched counts too: "State Department" in "State
        # Department spokesperson"
        words = list(re.finditer(r"\S+", found.group(1)))
        inner = [
            (found.start() + words[i].start(), found.start() + words[j].end())
            for i in range(len(words))
            for j in range(i, len(words))
        ]
        for begin, stop in inner:
            key = folded[begin:stop]
            if key in by_name:
                _mention(by_name[key], begin, stop, text, article, seen)
    return sorted(seen.values(), key=lambda m: (m.start, m.entity.id))


def every_mention(
    text: str, entities: list[Entity], demonyms: dict[str, str] | None = None
) -> list[Mention]:
    """Every place where `text` names a known entity (by the names `find_mentions` knows,
    and a country also by its demonym), the longest name where names overlap; a name that
    several entities bear gives a mention of each.

    Examples
    --------
    >>> from kg.build.model import Entity
    >>> from kg.errors import Location
    >>> ru = Entity("russia", "Country", "Russia", Location("f", 1))
    >>> [(m.entity.id, m.name, m.start) for m in every_mention(
    ...     "Russia spoke. The Russian side left.", [ru], {"Russian": "russia"})]
    [('russia', 'Russia', 0), ('russia', 'Russian', 18)]
    """
    article = ArticleText(text)
    by_name, pattern = _index(entities, demonyms, True)
    if pattern is None:
        return []
    out = []
    for found in pattern.finditer(fold(article.folded)):
        start = article._offsets[found.start()]
        end = article._offsets[found.end() - 1] + 1
        words = text[start:end]
        for entity, surname in by_name[found.group(1)]:
            if surname and not words[:1].isupper():
                continue
            out.append(_at(entity, text, article, start, end, surname))
    return out


def _mention(owners, begin: int, stop: int, text: str, article: ArticleText, seen: dict) -> None:
    """Record, for each entity named by the folded text between `begin` and `stop`, its
    first mention (a mention by full name wins over one by surname)."""
    start = article._offsets[begin]
    end = article._offsets[stop - 1] + 1
    words = text[start:end]
    for entity, surname in owners:
        if entity.id in seen and (surname or not seen[entity.id].surname):
            continue
        if surname and not words[:1].isupper():
            continue  # a surname is a capitalised word
        seen[entity.id] = _at(entity, text, article, start, end, surname)


def _at(entity: Entity, text: str, article: ArticleText, start: int, end: int, surname: bool):
    """The mention of `entity` by the words from `start` to `end`."""
    return Mention(
        entity,
        text[start:end],
        _sentence(text, start, end),
        article.paragraph(start),
        start,
        end,
        surname,
    )


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around ``text[start:end]``, within its line, whitespace collapsed."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    left = max(
        (m.end() for m in re.finditer(r"[.!?][”\"']?\s+", text[line_start:start])), default=0
    )
    right = re.search(r"[.!?][”\"']?(?=\s|$)", text[end:line_end])
    stop = end + right.end() if right else line_end
    return " ".join(text[line_start + left : stop].split())


#: Capital letters of the scripts news is written in (Latin, Greek, Cyrillic, ...), for
#: names such as "Çırağan Palace" or "Ölçer".
_UPPER = "".join(re.escape(chr(c)) for c in range(0x3000) if chr(c).isupper())
#: Space between the words of a name: within a paragraph (one line break at most).
_GAP = r"(?:[^\S\n]*\n[^\S\n]*|[^\S\n]+)"
_NAME = re.compile(
    rf"(?<![\w’'])([{_UPPER}][\w’'.-]*(?:{_GAP}(?:(?:of|the|de|da|del|al|bin|von|van){_GAP})*"
    rf"[{_UPPER}][\w’'.-]*)*)"
)


#: Words that title a person or an office, which a name may carry before it.
_TITLES = {
    "president",
    "presidential",
    "prime",
    "minister",
    "ministry",
    "secretary",
    "ambassador",
    "envoy",
    "special",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "foreign",
    "defense",
    "defence",
    "deputy",
    "vice",
    "chancellor",
    "king",
    "queen",
    "general",
    "senator",
    "governor",
    "mayor",
    "state",
    "chief",
    "staff",
    "head",
    "mr",
    "mrs",
    "ms",
    "dr",
    "sir",
    "us",
    "u.s",
}
#: Abbreviations a full stop ends without ending the sentence ("Mr. Putin").
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "gen", "sen", "gov", "rep", "col", "lt", "capt"}
_CONNECTORS = {"of", "the", "de", "da", "del", "al", "bin", "von", "van", "and"}


def unknown_names(
    text: str,
    entities: list[Entity],
    dateline: str | None = None,
    demonyms: dict[str, str] | None = None,
) -> list[tuple[str, int]]:
    """Capitalised names in `text` that are not names of the known `entities` (nor known
    `demonyms`, each with its country's id), with their first paragraph: candidates for new entities.
    Known names are cut out of a run of capitalised words ("Ambassador to Turkey Tom
    Barrack"), and what is left is dropped when it is only titles ("President", "Secretary
    of State"), a sentence's opening word (a paragraph's too), a month, a weekday or the
    dateline.

    Examples
    --------
    >>> unknown_names("Talks began. Andrii Sybiha attended on Friday.", [])
    [('Andrii Sybiha', 1)]
    >>> unknown_names("Talks\\n\\nSpeaking in Ankara, the Turkish Foreign Minister left.", [],
    ...               demonyms={"Turkish": "turkey"})
    [('Ankara', 2)]
    """
    known = set(_index(entities, demonyms, False)[0])
    known |= {fold(normalise(word)) for word in demonyms or {}}
    longest = max((len(k.split()) for k in known), default=1)
    article = ArticleText(text)
    found: dict[str, int] = {}
    for match in _NAME.finditer(text):
        before = text[: match.start(1)].rstrip()
        # a sentence opens after its end, a quote or a dash, and a paragraph after a newline
        opens = (
            not before or before[-1] in '.!?:;“”"—' or "\n" in text[len(before) : match.start(1)]
        )
        # the run's words with their offsets, cut at a word that ends a sentence
        runs, run = [], []
        for word in re.finditer(r"\S+", match.group(1)):
            run.append((match.start(1) + word.start(), word.group()))
            if (
                word.group().endswith(".")
                and not re.fullmatch(r"(?:[A-Z]\.)+", word.group())
                and fold(word.group()[:-1]) not in _ABBREVIATIONS
            ):
                runs.append(run)
                run = []
        runs.append(run)
        for number, run in enumerate(runs):
            tokens = [(at, re.sub(r"[’']s$|[.’'-]+$", "", w)) for at, w in run]
            tokens = [(at, w) for at, w in tokens if w]
            plain = [fold(w) for _, w in tokens]
            unknown: list[int | None] = []
            i = 0
            while i < len(tokens):
                for size in range(min(longest, len(tokens) - i), 0, -1):
                    if " ".join(plain[i : i + size]) in known:
                        i += size
                        unknown.append(None)
                        break
                else:
                    unknown.append(i)
                    i += 1
            segment: list[int] = []
            for index in unknown + [None]:
                if index is not None:
                    segment.append(index)
                    continue
                # a run after the one a full stop ends opens a sentence
                _keep(segment, tokens, plain, opens or number > 0, dateline, article, found)
                segment = []
                opens = False
    return sorted(found.items(), key=lambda item: (item[1], item[0]))


def _keep(segment, tokens, plain, opens, dateline, article, found) -> None:
    """Record the words of `segment` as a name, unless they name nothing."""
    while segment and (
        plain[segment[0]] in _CONNECTORS | _OPENERS | _WEEKDAYS or plain[segment[0]] in MONTHS
    ):
        segment, opens = segment[1:], False
    while segment and plain[segment[-1]] in _CONNECTORS:
        segment = segment[:-1]
    while len(segment) > 1 and plain[segment[0]] in _TITLES:  # "Defense Minister Rustem ..."
        segment, opens = segment[1:], False
        while segment and plain[segment[0]] in _CONNECTORS:
            segment = segment[1:]
    if not segment or all(plain[i] in _TITLES | _CONNECTORS for i in segment):
        return
    words = [tokens[i][1] for i in segment]
    name = " ".join(words)
    if len(words) == 1 and (
        opens
        and segment[0] == 0
        or plain[segment[0]] in _WEEKDAYS
        or (name.isupper() and len(name) > 3)
    ):
        return
    if dateline and name == dateline:
        return
    found.setdefault(name, article.paragraph(tokens[segment[0]][0]))


def close_names(names: list[str], entities: list[Entity], cutoff: float = 85.0) -> dict:
    """For each unknown name, the ids of known entities with a name close to it (a
    spelling the corpus does not know yet: "Umierov" for "Umerov"; in another script,
    transliterated: "Мединский" for "Medinsky")."""
    choices = [(fold(normalise(anyascii(n))), e.id) for e in entities for n, _ in _names(e)]
    out: dict[str, list[str]] = {}
    for name in names:
        for part in (name, *name.split()[-1:]):
            for _, _score, index in process.extract(
                fold(normalise(anyascii(part))),
                [c for c, _ in choices],
                scorer=fuzz.ratio,
                limit=3,
                processor=utils.default_process,
                score_cutoff=cutoff,
            ):
                ids = out.setdefault(name, [])
                if choices[index][1] not in ids:
                    ids.append(choices[index][1])
    return out
