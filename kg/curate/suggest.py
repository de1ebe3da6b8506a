"""Suggested facts: for each sentence of an article, the entities it mentions and the facts
that the ontology's cue words (``dip:cue``) propose between them, each with its evidence.

A suggestion is a proposal for a curator to accept (as it is, or edited) or dismiss; it is
written as an entity or a fact of ``facts.yaml`` is. The cues are declared once, in the
ontology, beside the terms they suggest: a type's words name a thing of it ("delegation",
"ceasefire"); a property's or a role's patterns place its subject ``{s}`` and its value
``{o}`` around words ("{s} led by {o}"; a pattern without ``{s}`` takes the nearest thing
that may have the property); the speaker's patterns ("{o} said {s}") give the verbs of
speech. What is ours is
how they combine: the nearest mention of the right type on each side of a cue, a delegation
told by the country before it, an article's main event and the events told apart from it.
"""

from __future__ import annotations

__all__ = [
    "Thing",
    "Suggestion",
    "suggest",
    "suggest_article",
    "suggestions_yaml",
    "value_claims",
    "corpus_facts",
]

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kg.build.evidence import ArticleText, fold
from kg.build.facts import article_dirs, load_article, load_reference, read_claims
from kg.build.model import Article, Entity, Fact
from kg.curate.coverage import split_sentences
from kg.curate.edit import render_item
from kg.curate.entities import demonyms as corpus_demonyms
from kg.curate.entities import known_entities
from kg.curate.metadata import MONTHS
from kg.curate.names import close_names, country_names, every_mention, unknown_names
from kg.errors import InputError
from kg.vocab.curation import CUES, PROPERTIES, ROLES, TYPES, is_a
from kg.vocab.kinds import WEEKDAYS

#: Types an article introduces afresh (an event, a delegation to it, what was proposed,
#: agreed or said): another article's thing of one of these types is not taken for a
#: mention of it by its name alone (each round of talks has its own delegations).
_OCCURRENTS = ("DiplomaticEvent", "Delegation", "Proposal", "Agreement", "PublicStatement")
#: Words before a type's cue word that tell another thing than the one the article is
#: about, and words that say there is no such thing ("no progress toward a ceasefire").
_ORDINALS = {
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "next",
    "previous",
    "last",
    "earlier",
    "latest",
    "separate",
    "trilateral",
    "bilateral",
}
_MAIN_ORDINALS = {"second", "third", "fourth", "fifth", "next", "latest"}
#: Words before an event's cue word that tell another event than the article's main one.
_OTHER_EVENT = {"previous", "earlier", "last", "separate", "trilateral", "bilateral"}
_NEGATIONS = {"no", "not", "without", "toward", "towards", "never"}
#: Words that end the modifiers before a cue word ("since peace talks": "peace talks").
_FUNCTION_WORDS = {
    "since",
    "for",
    "by",
    "of",
    "with",
    "to",
    "in",
    "at",
    "on",
    "and",
    "or",
    "from",
    "were",
    "was",
    "is",
    "are",
    "be",
    "been",
    "had",
    "has",
    "have",
    "between",
    "after",
    "before",
    "about",
    "over",
    "into",
    "than",
    "as",
}
_DETERMINERS = {"a", "an", "the", "its", "their", "his", "her", "each", "this", "that"}
_NUMBERS = {
    w: n
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90}
_FIELDS = ("id", "about", "label", "evidence", "reading", "note")
#: Words after a body's name for a person who acts for it.
_OFFICIALS = "official|spokesperson|spokesman|spokeswoman|diplomat|negotiator|source"
_QUOTE = re.compile(r"[“\"]([^”\"]{3,})[”\"]")
_NO_QUOTES = str.maketrans("", "", '“”"')


@dataclass
class Thing:
    """A mention of an entity: known (an id of the corpus) or proposed (an id made from its
    words, declared when a suggestion that uses it is accepted)."""

    start: int
    end: int
    id: str
    type: str
    new: bool = False
    label: str = ""
    group: int = -1  # things one phrase names together ("Russian and Ukrainian delegations")
    country: str | None = None  # a delegation's, from the words before it
    modifier: bool = False  # a demonym: it names a country only beside a noun


@dataclass
class Suggestion:
    """A proposed entity or fact: `value` is what accepting writes to `section` of
    facts.yaml (its evidence, the words from `start` to `end`), `why` the cue that proposed
    it, `needs` the proposed entities it uses, `spans` every place that says it."""

    section: str
    value: dict
    sentence: int
    start: int
    end: int
    why: str
    needs: tuple[str, ...] = ()
    spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def key(self) -> str:
        """A stable name of the suggestion (what a dismissal remembers)."""
        body = {k: v for k, v in self.value.items() if k not in ("evidence", "reading")}
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]

    def claims(self) -> list[tuple[str, str, object]]:
        """Its (subject, key, value) claims as the build reads them (a list gives one
        claim for each value), a declaration's type among them."""
        return value_claims(self.value)


def value_claims(value: dict) -> list[tuple[str, str, object]]:
    """The (subject, key, value) claims of an entity or a fact given as plain values, as
    the build reads them; an entity's type is one.

    Examples
    --------
    >>> value_claims({"id": "x", "type": "Negotiation", "label": "X", "date": "2025-05-16"})
    [('x', 'type', 'Negotiation'), ('x', 'date', datetime.date(2025, 5, 16))]
    """
    subject = str(value.get("id") if "type" in value else value.get("about"))
    out: list[tuple[str, str, object]] = (
        [(subject, "type", value["type"])] if "type" in value else []
    )
    return out + [(subject, c.key, c.value) for c in read_claims(value)]


# --- the cues, from the ontology --------------------------------------------------------


@dataclass(frozen=True)
class _Cue:
    key: str  # the property's key
    words: str  # its words ("" where the pattern is two things side by side)
    left: tuple[str, ...]  # the slots left of the words, nearest first
    right: tuple[str, ...]
    pattern: str
    role: str | None = None
    value: object = None  # what the words say themselves (outcome: collapsed; delayed: true)


@cache
def _cues() -> tuple[_Cue, ...]:
    sources: list[tuple[str, str, str | None, object]] = []
    for key, prop in PROPERTIES.items():
        if key in ("speaker", "speechVerb"):
            continue  # speech is a rule of its own
        if prop.kind == "entity":
            sources += [(key, c, None, None) for c in prop.cues]
        elif prop.kind == "boolean":
            sources += [(key, c, None, True) for c in prop.cues]
        elif prop.kind == "participation":
            sources += [(key, c, role, None) for role in ROLES for c in CUES.get(role, ())]
        elif prop.kind == "enum":
            sources += [(key, c, None, v) for v in prop.values for c in CUES.get(v, ())]
    out = []
    for key, pattern, role, value in sources:
        tokens = [t.strip() for t in re.split(r"(\{[so]\})", pattern) if t.strip()]
        words = [t for t in tokens if t not in ("{s}", "{o}")]
        # the slots outward from the words; two things side by side ("{o} {s}") are read
        # from the last, the thing at hand, leftward
        at = tokens.index(words[0]) if words else len(tokens) - 1
        slots = ("{s}", "{o}")  # words between slots ("focus of {s} was {o}") are not read
        left = tuple(t[1] for t in reversed(tokens[:at]) if t in slots)
        right = tuple(t[1] for t in tokens[at + 1 :] if t in slots) if words else (tokens[at][1],)
        out.append(_Cue(key, words[0] if words else "", left, right, pattern, role, value))
    return tuple(out)


@cache
def _speech_verbs() -> tuple[str, ...]:
    """The verbs of speech: the words of the speaker's cues ("{o} said {s}")."""
    return tuple(
        c.replace("{o}", "").replace("{s}", "").strip() for c in PROPERTIES["speaker"].cues
    )


@cache
def _type_cues() -> tuple[tuple[str, re.Pattern], ...]:
    return tuple(
        (
            t,
            re.compile(
                r"(?<![\w-])("
                + "|".join(re.escape(w) for w in sorted(CUES[t], key=len, reverse=True))
                + r")(?:s|es)?(?![\w-])",
                re.I,
            ),
        )
        for t in TYPES
        if t in CUES
    )


#: Latin letters that have no accent to drop, as an id writes them.
_LETTERS = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ß": "s", "æ": "a", "œ": "o"})


def _slug(words: str) -> str:
    """An id made of `words`: "Çırağan Palace" -> "ciragan-palace"."""
    plain = fold(words).translate(_LETTERS)
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:48].strip("-") or "thing"


@cache
def _words(words: str) -> re.Pattern:
    """Where `words` stand in a text as words (a word character starts and ends a word;
    "'s" follows one)."""
    left = r"(?<![\w-])" if words[0].isalnum() else ""
    right = r"(?![\w-])" if words[-1].isalnum() else ""
    return re.compile(left + re.escape(words).replace("'", "['’]") + right, re.I)


def _fits(thing: Thing, key: str, slot: str) -> bool:
    prop = PROPERTIES[key]
    if key == "locatedIn" and slot == "s" and is_a(thing.type, "Country"):
        return False  # "Russia and Ukraine in Istanbul": a country lies in no place it names
    return is_a(thing.type, prop.domain if slot == "s" else prop.range)


# --- reading one article -----------------------------------------------------------------


class _Reader:
    """What one article's text gives: its sentences, the things they mention, and the
    suggestions these make."""

    def __init__(
        self, article: Article, entities: list[Entity], demonyms: dict[str, str], corpus: list[Fact]
    ):
        self.article = article
        self.text = text = article.text
        self.article_text = ArticleText(text)
        self.month = f"{article.published:%Y-%m}"
        self.sentences = [
            (a, b)
            for a, b in split_sentences(text, article.language)
            if " ".join(text[a:b].split()) not in (article.title, article.published_as)
        ]
        start = 0
        if article.dateline:  # the dateline is the article's, not a sentence's
            found = re.search(re.escape(article.dateline) + r"\s*[—–-]\s*", text)
            start = found.end() if found else 0
        self.sentences = [
            (max(a, start) if a < start < b else a, b) for a, b in self.sentences if b > start
        ]
        self.entities = {e.id: e for e in entities}
        self.corpus = corpus
        entities = [
            e
            for e in entities
            if e.article in (None, article.id)
            or not any(is_a(e.type, kind) for kind in _OCCURRENTS)
        ]
        self.suggestions: list[Suggestion] = []
        self.demonym_of = {country: word for word, country in demonyms.items()}
        self.statements: list[Suggestion] = []
        self.renamed: dict[str, str] = {}
        folded = {w.lower() for w in demonyms}
        self.things = [
            Thing(
                m.start,
                m.end,
                m.entity.id,
                m.entity.type,
                label=m.entity.label,
                modifier=m.name.lower() in folded,
            )
            for m in every_mention(text, entities, demonyms)
            if m.start >= start
        ]
        self._names(entities, demonyms)
        self.countries = country_names(entities, demonyms)
        self._titles(entities)
        self.things += self._own(self._new_things())
        self.things.sort(key=lambda t: (t.start, t.end))

    # -- things --

    def _names(self, entities: list[Entity], demonyms: dict[str, str]) -> None:
        """A name the corpus spells another way is that entity (and an altLabel to add); a
        name whose last word is a venue's ("Çırağan Palace") is a new venue."""
        unknown = unknown_names(self.text, entities, self.article.dateline, demonyms)
        close = close_names([n for n, _ in unknown], entities)
        venue = re.compile(r"(?i)\b(?:" + "|".join(CUES.get("Venue", ())) + r")$")
        for name, _ in unknown:
            for match in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", self.text):
                if len(close.get(name, ())) == 1:
                    entity = self.entities[close[name][0]]
                    self.things.append(
                        Thing(
                            match.start(), match.end(), entity.id, entity.type, label=entity.label
                        )
                    )
                    self.add(
                        "facts",
                        {"about": entity.id, "altLabel": name},
                        match.span(),
                        f"a spelling of {entity.label}",
                    )
                elif venue.search(name):
                    self.things.append(
                        Thing(match.start(), match.end(), _slug(name), "Venue", True, name)
                    )

    def _titles(self, entities: list[Entity]) -> None:
        """A post's title before a person's name ("Defense Minister Rustem Umerov"), its
        country left out of the title as articles write it, is that post when only one
        post has that title, or only one whose country the sentence names."""
        titles: dict[str, list[Entity]] = {}
        for post in (e for e in entities if e.type == "Post"):
            for name in (post.label, *post.alt_labels):
                for names in self.countries.values():
                    for own in names:
                        bare = (
                            name[len(own) + 1 :]
                            if name.startswith(own + " ")
                            else name[: -len(own) - 4]
                            if name.endswith(" of " + own)
                            else None
                        )
                        if bare and post not in titles.setdefault(fold(bare), []):
                            titles[fold(bare)].append(post)
        if not titles:
            return
        pattern = re.compile(
            r"(?<!\w)("
            + "|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True))
            + r")\s+$"
        )
        for person in [t for t in self.things if t.type == "Person"]:
            found = pattern.search(fold(self.text[max(0, person.start - 60) : person.start]))
            if not found:
                continue
            start = person.start - (len(found.group(0)))
            posts = titles[found.group(1)]
            # a country or its demonym before the title ("Turkish President") says whose
            before = fold(self.text[max(0, start - 40) : start]).rstrip()
            whose = [
                country
                for country, names in self.countries.items()
                if any(re.search(rf"(?<!\w){re.escape(fold(n))}$", before) for n in names)
            ]
            if whose:
                posts = [p for p in posts if self.post_country(p.id) in whose]
            elif len(posts) > 1:
                lo, hi = self.sentence_of(person.start)
                named = {t.id for t in self.things if lo <= t.start < hi and t.type == "Country"}
                posts = [p for p in posts if self.post_country(p.id) in named]
            if len(posts) == 1 and not any(t.start <= start < t.end for t in self.things):
                self.things.append(
                    Thing(
                        start,
                        start + len(found.group(1)),
                        posts[0].id,
                        "Post",
                        label=posts[0].label,
                    )
                )

    def post_country(self, post: str) -> str | None:
        """The country a post is of: the one its name starts with, or ends with ("... of
        Ukraine"), or else the organisation it is in (``postIn``)."""
        entity = self.entities.get(post)
        if entity is not None:
            for country, names in self.countries.items():
                for name in (entity.label, *entity.alt_labels):
                    if any(name.startswith(n + " ") or name.endswith(" of " + n) for n in names):
                        return country
        return next(
            (
                c.value
                for f in self.corpus
                if f.subject == post
                for c in f.claims
                if c.key == "postIn"
            ),
            None,
        )

    def _own(self, things: list[Thing]) -> list[Thing]:
        """The proposed things that the article declares already: the entity of the same
        type with the same id, or else whose evidence overlaps the thing's words the most
        (its declaration's counting twice a fact's that names it), one entity for one
        thing. A proposed id that another entity has is made unique."""
        places: dict[str, list[tuple[int, int, int]]] = {}
        for fact in self.article.facts:
            span = self.article_text.find(fact.evidence, unique=False) if fact.evidence else None
            if span is None:
                continue
            places.setdefault(fact.subject, []).append(
                (span.start, span.end, 2 if fact.declares else 1)
            )
            for claim in fact.claims:
                value = claim.value[0] if isinstance(claim.value, tuple) else claim.value
                if isinstance(value, str) and value != fact.subject:
                    places.setdefault(value, []).append((span.start, span.end, 1))
        own = {e.id: e for e in self.article.entities}
        renamed = self.renamed
        taken: set[str] = set()
        self.own = (own, places, taken)
        for thing in (t for t in things if t.new):
            if thing.id not in renamed:
                renamed[thing.id] = self._same(thing, own, places, taken)
            thing.id = renamed[thing.id]
            if thing.id in own:
                thing.new, thing.label = False, own[thing.id].label
        return things

    def _same(self, thing: Thing, own: dict, places: dict, taken: set) -> str:
        if thing.id in own and own[thing.id].type == thing.type:
            taken.add(thing.id)
            return thing.id
        scores = {
            e.id: sum(
                w * max(0, min(b, thing.end) - max(a, thing.start))
                for a, b, w in places.get(e.id, ())
            )
            for e in own.values()
            if e.type == thing.type and e.id not in taken
        }
        best = max(scores, key=lambda i: scores[i], default=None)
        if best is not None and scores[best] > 0:
            taken.add(best)
            return best
        unique, number = thing.id, 2
        while unique in self.entities:
            unique, number = f"{thing.id}-{number}", number + 1
        return unique

    def _before(self, at: int, count: int) -> list[str]:
        """The last `count` words before `at` in its sentence, in lower case; "." for the
        sentence's start."""
        lo, _ = self.sentence_of(at)
        words = [w.lower() for w in re.findall(r"[\w’'-]+", self.text[max(lo, at - 80) : at])]
        return (["."] + words)[-count:] if at - lo < 80 else words[-count:]

    def _new_things(self) -> list[Thing]:
        """The things named by a type's cue word: a delegation (when a country, or its
        demonym, stands before it), an event, a proposal, an agreement. The first event
        is the article's main event; "the talks" or "the meeting" later are it, and one told
        apart by an ordinal ("the first round") is another."""
        text = self.text
        found = []
        for type_name, pattern in _type_cues():
            if type_name == "PublicStatement" or not any(is_a(type_name, k) for k in _OCCURRENTS):
                continue  # a venue is a name, a war is known; a statement, a verb of speech
            for a, b in self.sentences:
                found += [
                    Thing(m.start(), m.end(), "", type_name, True, m.group(0))
                    for m in pattern.finditer(text, a, b)
                ]
        found.sort(key=lambda t: (t.start, -(t.end - t.start)))
        phrases: list[Thing] = []
        for thing in found:  # one phrase, one thing: "round of direct talks"
            last = phrases[-1] if phrases else None
            if last and thing.start < last.end:
                continue
            if (
                last
                and is_a(thing.type, "DiplomaticEvent")
                and is_a(last.type, "DiplomaticEvent")
                and re.fullmatch(r"\s+of(?:\s+[\w-]+){0,2}\s+", text[last.end : thing.start])
            ):
                last.end = thing.end
                continue
            phrases.append(thing)
        out: list[Thing] = []
        self.main: Thing | None = None
        self.main_ordinal: str | None = None
        delegations: dict[str, Thing] = {}
        for thing in phrases:
            before = self._before(thing.start, 3)
            if set(before) & _NEGATIONS:
                continue
            ordinal = next((w for w in before if w in _ORDINALS), None)
            # "the talks", and "Discussions took place" at a sentence's start
            definite = bool(before) and before[-1] in ("the", "this", "that", ".")
            if thing.type == "Delegation":
                out += self._delegations(thing, delegations)
            elif is_a(thing.type, "DiplomaticEvent"):
                out.append(self._event(thing, ordinal, definite))
            else:
                out.append(self._proposal(thing, definite, out))
        return [t for t in out if t is not None]

    def _delegations(self, thing: Thing, seen: dict[str, Thing]) -> list[Thing]:
        """A delegation of each country named just before its cue word ("the Russian
        delegation", "Russian and Ukrainian delegations") or after it ("delegations from
        Turkey, the United States, and Russia")."""
        text = self.text
        before = [
            k
            for k in self.things
            if k.type == "Country"
            and k.end <= thing.start
            and thing.start - k.end < 40
            and re.fullmatch(
                r"(?:’s|'s)?(?:\s*(?:,|and)\s*\w+(?:’s|'s)?)*\s*", text[k.end : thing.start]
            )
        ]
        after: list[Thing] = []
        if re.match(r"\s+from\s", text[thing.end :]):
            edge = thing.end
            for k in sorted(
                (k for k in self.things if k.start >= thing.end), key=lambda k: k.start
            ):
                if k.type != "Country" or not re.fullmatch(
                    r"\s*(?:from|,|and|,\s*and)?\s*(?:the\s+)?", text[edge : k.start]
                ):
                    break
                after.append(k)
                edge = k.end
        countries = before or after
        if not countries:
            return []
        span = (min(countries[0].start, thing.start), max(countries[-1].end, thing.end))
        out = []
        for country in countries:
            if country.id not in seen:
                name = self.demonym_of.get(country.id) or self.entities[country.id].label
                seen[country.id] = Thing(
                    *span,
                    f"{_slug(name)}-delegation-{self.month}",
                    "Delegation",
                    True,
                    f"{name} delegation",
                    country=country.id,
                )
            one = seen[country.id]
            out.append(Thing(*span, one.id, "Delegation", True, one.label, thing.start, country.id))
        return out

    def _event(self, thing: Thing, ordinal: str | None, definite: bool) -> Thing:
        main = self.main
        if main is not None and (definite and ordinal is None or ordinal == self.main_ordinal):
            return Thing(thing.start, thing.end, main.id, main.type, True, main.label)
        label = self._phrase(thing)
        if main is not None and ordinal in _ORDINALS - _MAIN_ORDINALS:
            known = self._earlier_event(thing)
            if known is not None:
                return Thing(thing.start, thing.end, known.id, known.type, label=known.label)
        one = Thing(thing.start, thing.end, f"{_slug(label)}-{self.month}", thing.type, True, label)
        if main is None and ordinal not in _OTHER_EVENT:
            self.main, self.main_ordinal = one, ordinal
        return one

    def _earlier_event(self, thing: Thing) -> Entity | None:
        """The one event of the corpus of this type held at the place the sentence names
        ("The first round, held in Istanbul"), if there is one."""
        lo, hi = self.sentence_of(thing.start)
        places = {t.id for t in self.things if lo <= t.start < hi and is_a(t.type, "Place")}
        held = {
            f.subject
            for f in self.corpus
            for c in f.claims
            if c.key == "location" and c.value in places
        }
        found = [
            self.entities[i]
            for i in sorted(held)
            if i in self.entities and is_a(self.entities[i].type, thing.type)
        ]
        return found[0] if len(found) == 1 else None

    def _proposal(self, thing: Thing, definite: bool, out: list[Thing]) -> Thing:
        if definite:
            last = next((t for t in reversed(out) if t.type == thing.type), None)
            if last is not None:
                return Thing(thing.start, thing.end, last.id, last.type, True, last.label)
        previous = next(
            (t for t in reversed(out) if t.end <= thing.start and is_a(t.type, "Proposal")), None
        )
        if (
            previous is not None
            and is_a(thing.type, "Proposal")
            and re.fullmatch(r"[^.;]*,\s*(?:an?|the)\s*", self.text[previous.end : thing.start])
        ):
            # in apposition: "a ceasefire of two to three days ..., an offer Kyiv dismissed"
            return Thing(thing.start, thing.end, previous.id, previous.type, True, previous.label)
        label = self._phrase(thing)
        return Thing(
            thing.start, thing.end, f"{_slug(label)}-{self.month}", thing.type, True, label
        )

    def _phrase(self, thing: Thing) -> str:
        """The words that name `thing`: its cue word with the words before it back to the
        determiner, and an "of ..." after it ("complete ceasefire of at least 30 days")."""
        text, start = self.text, thing.start
        if text[thing.start : thing.end].lower().endswith(" to"):  # "agreed to exchange ..."
            following = re.match(r"(?:\s+[\w’'-]+){1,6}", text[thing.end :])
            return f"{thing.type} to{following.group(0) if following else ''}"
        lo, _ = self.sentence_of(thing.start)
        words = list(re.finditer(r"[\w’'-]+", text[lo:start]))[-3:]  # three modifiers at most
        for match in reversed(words):
            word = match.group(0)
            if (
                word.lower() in _DETERMINERS | _FUNCTION_WORDS
                or word.endswith("ed")
                or not re.fullmatch(r"[a-z0-9-]+", word)
                or not re.fullmatch(r"\s*", text[lo + match.end() : start])
            ):
                break
            start = lo + match.start()
        tail = re.match(
            r"\s+of\s+(?:(?:at least|up to|some|about)\s+)?[\w-]+"
            r"(?:\s+to\s+[\w-]+)?\s+[\w-]+",
            text[thing.end :],
        )
        end = thing.end + (tail.end() if tail else 0)
        phrase = " ".join(text[start:end].split())
        return phrase[:1].upper() + phrase[1:]

    # -- suggestions --

    def _renamed(self, value):
        """`value` with each proposed id the article declares already put as declared."""
        if isinstance(value, str):
            return self.renamed.get(value, value)
        if isinstance(value, list):
            return [self._renamed(v) for v in value]
        if isinstance(value, dict):
            return {k: self._renamed(v) for k, v in value.items()}
        return value

    def sentence_of(self, at: int) -> tuple[int, int]:
        return next(((a, b) for a, b in self.sentences if a <= at < b), (at, at))

    def add(
        self,
        section: str,
        value: dict,
        span: tuple[int, int],
        why: str,
        needs: tuple[str, ...] = (),
    ) -> None:
        """Add a suggestion, or the place to the one that says the same (a fact whose
        every claim a suggestion makes already). An entity the article declares already
        gives the facts about it that its declaration does not have."""
        value = {k: self._renamed(v) for k, v in value.items()}
        if section == "entities" and hasattr(self, "own"):
            own, places, taken = self.own
            if value["id"] not in self.renamed:
                thing = Thing(*span, value["id"], value["type"], True)
                self.renamed[value["id"]] = self._same(thing, own, places, taken)
            same = self.renamed[value["id"]]
            value["id"] = same
            if same in own:
                rest = {k: v for k, v in value.items() if k not in ("id", "type", "label")}
                if not rest:
                    return
                section, value = "facts", {"about": same, **rest}
        claims = set(value_claims(value)) if section == "facts" else set()
        for old in self.suggestions:
            alike = old.section == section and all(
                old.value.get(k) == v for k, v in value.items() if k not in ("evidence", "reading")
            )
            if alike or claims and claims <= set(old.claims()):
                old.spans.append(span)
                return
        if section == "entities":  # another thing of the same proposed id: an id of its own
            ids = {s.value.get("id") for s in self.suggestions if s.section == "entities"}
            if value["id"] in ids:
                unique, number = value["id"], 2
                while f"{unique}-{number}" in ids or f"{unique}-{number}" in self.entities:
                    number += 1
                value["id"] = f"{unique}-{number}"
        start, end = span
        index = next((i for i, (a, b) in enumerate(self.sentences) if a <= start < b), 0)
        evidence = " ".join(self.text[start:end].split())
        if self.article_text.count(evidence) > 1:  # words said twice: their whole sentence
            start, end = self.sentence_of(start)
            start, end = min(start, span[0]), max(end, span[1])
            evidence = " ".join(self.text[start:end].split())
        self.suggestions.append(
            Suggestion(
                section, dict(value, evidence=evidence), index, start, end, why, needs, [span]
            )
        )

    def nearest(
        self, things: list[Thing], at: int, leftward: bool, key: str, slot: str, adjacent: bool
    ) -> list[Thing]:
        """The thing nearest `at` on one side that may fill the slot (with the things its
        phrase names with it); beside `at` when `adjacent`."""
        ordered = (
            sorted((t for t in things if t.end <= at), key=lambda t: -t.end)
            if leftward
            else sorted((t for t in things if t.start >= at), key=lambda t: t.start)
        )
        fitting = [t for t in ordered if _fits(t, key, slot) and (adjacent or not t.modifier)]
        if leftward and len(fitting) > 1 and not adjacent:
            # "The discussions, facilitated by a trilateral meeting ..., were preceded by":
            # past a clause between commas, to the thing before it
            near, far = fitting[0], fitting[1]
            if "," in self.text[far.end : near.start] and "," in self.text[near.end : at]:
                ordered = [t for t in ordered if t.end <= far.end]
        for index, thing in enumerate(ordered):
            if not _fits(thing, key, slot) or (thing.modifier and not adjacent):
                continue
            gap = self.text[thing.end : at] if leftward else self.text[at : thing.start]
            if adjacent and not re.fullmatch(r"\s*(?:'s|’s)?\s*", gap):
                return []
            if not leftward and not adjacent:  # "Istanbul's Çırağan Palace": the palace
                after = ordered[index + 1] if index + 1 < len(ordered) else None
                if (
                    after
                    and _fits(after, key, slot)
                    and re.fullmatch(r"(?:'s|’s)\s*", self.text[thing.end : after.start])
                ):
                    thing = after
            if thing.group >= 0:
                return [t for t in things if t.group == thing.group and _fits(t, key, slot)]
            return [thing]
        return []

    def cue_facts(self, lo: int, hi: int, things: list[Thing]) -> None:
        """The facts the sentence's cue words propose. Where the words of one cue stand
        within those of a longer one ("at" in "began at"), the longer one speaks."""
        found = []
        for cue in _cues():
            if cue.words:
                found += [
                    (lo + m.start(), lo + m.end(), cue)
                    for m in _words(cue.words).finditer(self.text[lo:hi])
                ]
        for a, b, cue in found:
            if any(
                a2 <= a
                and b <= b2
                and (b2 - a2) > (b - a)
                and (c2.left, c2.right) == (cue.left, cue.right)
                for a2, b2, c2 in found
            ):
                continue
            filled = self._fill(cue, things, a, b)
            if filled is not None:
                self._cue_fact(cue, filled, a, b)
        for cue in (c for c in _cues() if not c.words):  # "{o} {s}": two things side by side
            anchor = cue.right[0]
            for thing in things:
                if _fits(thing, cue.key, anchor):
                    filled = self._fill(cue, things, thing.start, thing.start, adjacent=True)
                    if filled is not None:
                        filled[anchor] = [thing]
                        self._cue_fact(cue, filled, thing.start, thing.start)

    def _fill(
        self, cue: _Cue, things: list[Thing], a: int, b: int, adjacent: bool = False
    ) -> dict | None:
        filled: dict[str, list[Thing]] = {}
        right = cue.right if cue.words else ()
        for slots, edge, leftward in ((cue.left, a, True), (right, b, False)):
            for slot in slots:
                got = self.nearest(things, edge, leftward, cue.key, slot, adjacent)
                if not got:
                    return None
                filled[slot] = got
                edge = min(t.start for t in got) if leftward else max(t.end for t in got)
        if "s" not in filled and "s" not in cue.right:
            # no {s}: the nearest thing, either side, that may have the property
            near = [t for t in things if _fits(t, cue.key, "s") and not t.modifier]
            if not near:
                return None
            filled["s"] = [min(near, key=lambda t: min(abs(t.start - a), abs(t.end - a)))]
        return filled

    def _cue_fact(self, cue: _Cue, filled: dict, a: int, b: int) -> None:
        for subject in filled["s"]:
            if cue.value is not None:
                values, value = [], cue.value
            else:
                values = [o for o in filled.get("o", []) if o.id != subject.id]
                if not values:
                    continue
                items = (
                    [{"agent": o.id, "role": cue.role} for o in values]
                    if cue.role
                    else [o.id for o in values]
                )
                value = items[0] if len(items) == 1 else items
            bounds = [(t.start, t.end) for t in (subject, *values)] + (
                [(a, b)] if cue.words else []
            )
            span = (min(x for x, _ in bounds), max(y for _, y in bounds))
            needs = tuple(dict.fromkeys(t.id for t in (subject, *values) if t.new))
            self.add(
                "facts",
                {"about": subject.id, cue.key: value},
                span,
                f"{cue.key}: {cue.pattern}",
                needs,
            )

    def speech(self, lo: int, hi: int, things: list[Thing]) -> None:
        """A statement: an agent, a verb of speech after it, what follows as its summary
        (without quotation marks), the words it quotes, and the channel it was told to. An
        official of a body ("a senior Russian Foreign Ministry official told") is a person
        the article does not name; "he declared" after a quotation adds to the statement
        before."""
        text = self.text
        verbs = "|".join(re.escape(v) for v in _speech_verbs())
        for match in re.finditer(rf"(?<!\w)({verbs})(?!\w)", text[lo:hi]):
            a, b = lo + match.start(), lo + match.end()
            quoted = [(q.start(1), q.end(1)) for q in _QUOTE.finditer(text, lo, hi)]
            pronoun = re.search(r"[”\"],?\s+(?:he|she|they)\s+$", text[lo:a])
            if pronoun and quoted and self.statements:
                last = self.statements[-1]
                last.value.setdefault("quotation", [])
                for q in (q for q in quoted if q[1] <= a):
                    last.value["quotation"].append(" ".join(text[q[0] : q[1]].split()).rstrip(",."))
                last.end = hi
                last.value["evidence"] = " ".join(text[last.start : hi].split())
                continue
            speakers = [
                t
                for t in things
                if t.end <= a
                and is_a(t.type, "Agent")
                and not t.modifier
                and re.fullmatch(r"[^.;:“”\"]{0,30}", text[t.end : a])
            ]
            if not speakers:
                continue
            speaker = max(speakers, key=lambda t: t.end)
            official = re.fullmatch(rf"\s+({_OFFICIALS})\s+", text[speaker.end : a])
            if official and is_a(speaker.type, "Organization"):
                speaker = self._official(speaker, speaker.end + official.end(1))
            lead = re.match(r"\s+(?:[^.;:,]{0,60}?\s+)?that\s+|\s+", text[b:hi])
            start = b + (lead.end() if lead else 0)
            summary = " ".join(text[start:hi].translate(_NO_QUOTES).split()).rstrip(".,").strip()
            if not summary:
                continue
            value = {
                "id": f"{_slug(speaker.label or speaker.id)}-statement-{self.month}",
                "type": "PublicStatement",
                "label": f"{speaker.label or speaker.id}: {' '.join(summary.split()[:8])}",
                "speaker": speaker.id,
                "speechVerb": match.group(1),
                "summary": summary,
            }
            inside = [" ".join(text[x:y].split()).rstrip(",.") for x, y in quoted if x >= start]
            if inside:
                value["quotation"] = inside if len(inside) > 1 else inside[0]
            channel = [
                t
                for t in things
                if b <= t.start and t.end <= start and is_a(t.type, "Organization")
            ]
            if channel:
                value["reportedThrough"] = channel[0].id
            topic = self._topic(summary + " " + " ".join(inside))
            if topic:
                value["topic"] = topic
            self.add(
                "entities",
                value,
                (speaker.start, hi),
                f"speechVerb: {match.group(1)}",
                (speaker.id,) if speaker.new else (),
            )
            self.statements.append(self.suggestions[-1])

    def _topic(self, words: str) -> str | None:
        """What a statement is about (a statement needs a topic): the one armed conflict
        the corpus knows when its words name a conflict (a cue of ArmedConflict: "the
        war"), else the article's main event."""
        conflicts = [e for e in self.entities.values() if e.type == "ArmedConflict"]
        cue = CUES.get("ArmedConflict", ())
        if (
            len(conflicts) == 1
            and cue
            and re.search(r"(?i)\b(?:" + "|".join(re.escape(c) for c in cue) + r")\b", words)
        ):
            return conflicts[0].id
        return self.main.id if self.main is not None else None

    def _official(self, body: Thing, end: int) -> Thing:
        """The unnamed official of `body` that the words up to `end` describe, proposed as
        a person of the body who serves its country."""
        lo, _ = self.sentence_of(body.start)
        words = re.search(
            r"(?i)(?:(?<=\s)|^)(?:(?:a|an|the)\s+)?([^,;]*)$", self.text[lo : body.start]
        )
        start = lo + words.start(1) if words else body.start
        phrase = " ".join(self.text[start:end].split())
        label = phrase[:1].upper() + phrase[1:]
        person = Thing(
            start, end, _slug(phrase), "Person", True, f"{label} (not named in the article)"
        )
        self.things.append(person)
        value = {
            "id": person.id,
            "type": "Person",
            "label": person.label,
            "unnamed": True,
            "memberOf": body.id,
        }
        country = next(
            (
                c
                for c, names in self.countries.items()
                if any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", phrase) for n in names)
            ),
            None,
        )
        if country:
            value["serves"] = country
        self.add("entities", value, (start, end), "an official the article does not name")
        return person

    def values(self, lo: int, hi: int, things: list[Thing]) -> None:
        """Dates, years and durations, each given to the nearest thing that may have it
        (an event; a proposal), before the words or else after them."""

        def owner(span, kind):
            before = [t for t in things if t.end <= span[0] and is_a(t.type, kind)]
            after = [t for t in things if t.start >= span[1] and is_a(t.type, kind)]
            if before:
                return max(before, key=lambda t: t.end)
            return min(after, key=lambda t: t.start) if after else None

        def give(kind, key, value, match, reading=None):
            thing = owner(match.span(), kind)
            if thing is None:
                return
            fact = {"about": thing.id, key: value} | ({"reading": reading} if reading else {})
            span = (min(thing.start, match.start()), max(thing.end, match.end()))
            self.add(
                "facts", fact, span, f"{key}: {match.group(0)}", (thing.id,) if thing.new else ()
            )

        text, published = self.text, self.article.published
        for match in _WEEKDAY.finditer(text, lo, hi):
            give("DiplomaticEvent", "date", {"weekday": match.group(1).capitalize()}, match)
        dated = False
        for match in _DATE.finditer(text, lo, hi):
            day, month, year = (
                match.group("d1") or match.group("d2"),
                (match.group("m1") or match.group("m2")).lower(),
                match.group("y1") or match.group("y2"),
            )
            reading = None
            if not year:
                year = str(published.year)
                reading = (
                    f'"{match.group(0)[3:]}" without a year: the year is that of the '
                    f"article, published on {published.day} {published:%B %Y}."
                )
            try:
                value = dt.date(int(year), MONTHS.index(month) + 1, int(day)).isoformat()
            except ValueError:
                continue
            give("DiplomaticEvent", "date", value, match, reading)
            dated = True
        for match in _YEAR.finditer(text, lo, hi):
            if not dated:
                give("DiplomaticEvent", "year", int(match.group(1)), match)
        taken = []
        for match in _RANGE.finditer(text, lo, hi):
            unit = match.group(3)
            give("Proposal", "minDuration", _duration(match.group(1), unit), match)
            give("Proposal", "maxDuration", _duration(match.group(2), unit), match)
            taken.append(match.start())
        for match in _BOUND.finditer(text, lo, hi):
            key = "minDuration" if match.group(1).lower() == "at least" else "maxDuration"
            give("Proposal", key, _duration(match.group(2), match.group(3)), match)
            taken.append(match.start())
        for match in _LASTING.finditer(text, lo, hi):
            if match.start() not in taken:
                give("Proposal", "duration", _duration(match.group(1), match.group(2)), match)
        for match in _HYPHEN.finditer(text, lo, hi):
            nxt = [t for t in things if 0 <= t.start - match.end() < 3 and is_a(t.type, "Proposal")]
            if nxt:
                fact = {"about": nxt[0].id, "duration": _duration(match.group(1), match.group(2))}
                self.add(
                    "facts",
                    fact,
                    (match.start(), nxt[0].end),
                    f"duration: {match.group(0)}",
                    (nxt[0].id,) if nxt[0].new else (),
                )

    def derived(self) -> None:
        """What a suggested fact brings with it: the head of a delegation is a member of it,
        and heads it at the event it attends; a delegation attends the article's main
        event unless the text has it attend another; a person who holds a post serves the
        post's country."""
        for s in list(self.suggestions):
            if isinstance(s.value.get("holdsPost"), str):
                country = self.post_country(s.value["holdsPost"])
                if country:
                    self.add(
                        "facts",
                        {"about": s.value["about"], "serves": country},
                        (s.start, s.end),
                        "who holds a post serves its country",
                        s.needs,
                    )
        main = self.main
        led = {
            s.value["about"]: s
            for s in self.suggestions
            if isinstance(s.value.get("headedBy"), str)
        }
        for thing in self.things:
            if (
                main is None
                or thing.type != "Delegation"
                or self._attends(thing.id)
                and thing.id not in led
            ):
                continue
            # a delegation the text has lead, or attend nothing else, attends the main event
            lead = led.get(thing.id)
            span = (lead.start, lead.end) if lead else (thing.start, thing.end)
            self.add(
                "facts",
                {"about": main.id, "participant": {"agent": thing.id, "role": "participant"}},
                span,
                "a delegation attends the article's main event",
                (main.id, thing.id),
            )
        for s in list(self.suggestions):
            if not isinstance(s.value.get("headedBy"), str):
                continue
            delegation, head = s.value["about"], s.value["headedBy"]
            if not any(t.id == delegation and t.type == "Delegation" for t in self.things):
                continue
            self.add(
                "facts",
                {"about": delegation, "hasMember": head},
                (s.start, s.end),
                "the head of a delegation is a member of it",
                s.needs,
            )
            events = self._attended(delegation)
            for event in [main.id] if main is not None and main.id in events else events[:1]:
                self.add(
                    "facts",
                    {"about": event, "participant": {"agent": head, "role": "head-of-delegation"}},
                    (s.start, s.end),
                    "the head of a delegation heads it at the event",
                    tuple(dict.fromkeys((*s.needs, event))),
                )

    def _attends(self, agent: str) -> bool:
        return any(
            isinstance(v, dict) and v.get("agent") == agent
            for s in self.suggestions
            for v in _listed(s.value.get("participant"))
        )

    def _attended(self, delegation: str) -> list[str]:
        out = []
        for s in self.suggestions:
            values = s.value.get("participant")
            for v in values if isinstance(values, list) else [values]:
                if isinstance(v, dict) and v.get("agent") == delegation:
                    out.append(s.value["about"])
        return list(dict.fromkeys(out))

    def declarations(self) -> None:
        """A declaration of each proposed entity that a suggested fact uses, or that names
        a thing of its own (a proposal, an agreement), evidenced by the clause of its first
        mention."""
        used = {n for s in self.suggestions for n in s.needs}
        seen: set[str] = set()
        for thing in self.things:
            if not thing.new or thing.id in seen:
                continue
            if thing.id not in used and not (
                is_a(thing.type, "Proposal") or is_a(thing.type, "Agreement")
            ):
                continue
            seen.add(thing.id)
            value = {"id": thing.id, "type": thing.type, "label": thing.label}
            if thing.country:
                value["represents"] = thing.country
            lo, hi = self.sentence_of(thing.start)
            clause = re.search(r"[^,;—]*$", self.text[lo : thing.start])
            tail = re.match(r"(?:[^,;.]|[,.](?=\d))*", self.text[thing.end : hi])
            start = lo + clause.start() if clause else thing.start
            end = thing.end + (tail.end() if tail else 0)
            self.add("entities", value, (start, end), f"type: {thing.type}")
            declared = next((x for x in self.suggestions if x.value.get("id") == thing.id), None)
            if declared is None:  # the article declares it already
                continue
            declared.spans += [
                (t.start, t.end)
                for t in self.things
                if t.id == thing.id and (t.start, t.end) != (thing.start, thing.end)
            ]


def _listed(value) -> list:
    """A value as a list of its values (none for None)."""
    return [] if value is None else value if isinstance(value, list) else [value]


def _duration(number: str, unit: str) -> str:
    n = int(number) if number.isdigit() else _NUMBERS[number.lower()]
    unit = unit.lower().rstrip("s")
    return f"PT{n}H" if unit == "hour" else f"P{n * 7 if unit == 'week' else n}D"


_MONTH = "|".join(m.capitalize() for m in MONTHS)
_WEEKDAY = re.compile(r"\bon\s+(" + "|".join(w.capitalize() for w in WEEKDAYS) + r")\b")
_DATE = re.compile(
    rf"\bon\s+(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH})(?:\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:,\s+(?P<y2>\d{{4}}))?)\b"
)
_YEAR = re.compile(r"\bin\s+((?:19|20)\d\d)\b")
_NUMBER = r"(\d+|" + "|".join(_NUMBERS) + r")"
_UNIT = r"(days?|hours?|weeks?)"
_RANGE = re.compile(rf"\bof\s+{_NUMBER}\s+(?:to|-|–)\s+{_NUMBER}\s+{_UNIT}\b", re.I)
_BOUND = re.compile(rf"\bof\s+(at least|up to|at most)\s+{_NUMBER}\s+{_UNIT}\b", re.I)
_LASTING = re.compile(rf"\bof\s+{_NUMBER}\s+{_UNIT}\b", re.I)
_HYPHEN = re.compile(rf"\b{_NUMBER}-(day|hour|week)\b", re.I)


def suggest(
    article: Article,
    entities: list[Entity],
    demonyms: dict[str, str] | None = None,
    corpus: list[Fact] | None = None,
) -> list[Suggestion]:
    """The suggestions for `article`, given the `entities` of the rest of the corpus, its
    `demonyms` and its facts (`corpus`, whose claims are not suggested again): the entities
    to declare first, then the facts, each in the order of the text.

    Examples
    --------
    >>> import kg.curate.entities as ce
    >>> article = load_article("data/articles/2025-06-02-istanbul-exchange")
    >>> others = [e for e in ce.known_entities("data") if e.article != article.id]
    >>> found = suggest(article, others, ce.demonyms("data"))
    >>> [s.value["headedBy"] for s in found if "headedBy" in s.value]
    ['vladimir-medinsky', 'rustem-umerov']
    """
    corpus = corpus or []
    reader = _Reader(article, entities, demonyms or {}, corpus)
    for lo, hi in reader.sentences:
        inside = [t for t in reader.things if lo <= t.start and t.end <= hi]
        reader.cue_facts(lo, hi, inside)
        reader.speech(lo, hi, inside)
        reader.values(lo, hi, inside)
    reader.derived()
    reader.declarations()
    known = {(f.subject, c.key, c.value) for f in corpus for c in f.claims}
    out = []
    for s in reader.suggestions:
        if s.section == "facts":
            rest = _unknown(s.value, known)
            if rest is None:
                continue
            s.value = rest
        out.append(s)
    return sorted(out, key=lambda s: (s.section != "entities", s.start, s.end))


def _unknown(value: dict, known: set) -> dict | None:
    """A fact with only what `known` does not hold yet (None if it holds it all)."""
    subject, out, claims = value["about"], {}, 0
    for key, given in value.items():
        if key in _FIELDS:
            out[key] = given
            continue
        items = given if isinstance(given, list) else [given]
        new = [
            v
            for v in items
            if not all(c in known for c in value_claims({"about": subject, key: v}))
        ]
        if new:
            out[key] = new if isinstance(given, list) and len(new) > 1 else new[0]
            claims += len(new)
    return out if claims else None


def corpus_facts(
    root: Path, leave_out: str | None = None, skip_unreadable: bool = False
) -> list[Fact]:
    """The facts of the reference entities and of every article but `leave_out` (with
    `skip_unreadable`, but those whose files cannot be read)."""
    facts = list(load_reference(root).facts)
    for folder in article_dirs(root):
        if folder.name != leave_out:
            try:
                facts += load_article(folder, check_hash=False).facts
            except InputError:
                if not skip_unreadable:
                    raise
    return facts


def suggest_article(folder: str | Path) -> list[Suggestion]:
    """The suggestions for the article in `folder`, with its corpus known (this article's
    entities and facts too: what it says already is not suggested again).

    Examples
    --------
    >>> found = suggest_article("data/articles/2025-06-02-istanbul-exchange")
    >>> [c for s in found for c in s.claims()]
    [('medinsky-statement-2025-06', 'topic', 'istanbul-talks-second-round')]
    """
    folder = Path(folder)
    article = load_article(folder, check_hash=False)
    root = folder.resolve().parent.parent
    return suggest(article, known_entities(root), corpus_demonyms(root), corpus_facts(root))


def suggestions_yaml(suggestions: list[Suggestion]) -> str:
    """The suggestions as commented YAML: each an entity or a fact to uncomment under
    ``entities:`` or ``facts:`` of facts.yaml.

    Examples
    --------
    >>> s = Suggestion("facts", {"about": "kyiv", "altLabel": "Kiev", "evidence": "Kiev"}, 0,
    ...                0, 4, "a spelling of Kyiv")
    >>> print(suggestions_yaml([s]), end="")
    # entities: 0 suggested
    # facts: 1 suggested
    #   (a spelling of Kyiv)
    #   - about: kyiv
    #     altLabel: Kiev
    #     evidence: Kiev
    """
    lines = []
    for section in ("entities", "facts"):
        chosen = [s for s in suggestions if s.section == section]
        lines.append(f"# {section}: {len(chosen)} suggested")
        for s in chosen:
            lines.append(f"#   ({s.why})")
            lines += ["# " + line for line in render_item(s.value).rstrip("\n").splitlines()]
    return "\n".join(lines) + "\n"
