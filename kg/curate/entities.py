"""Known entities for curators: find one by a name as an article spells it, and find pairs
that look like one entity declared twice.

Both read the curated files (not a build) and match names with RapidFuzz, on labels and
alternative labels in lower case without accents.
"""

from __future__ import annotations

__all__ = [
    "Found",
    "Pair",
    "known_entities",
    "demonyms",
    "names_and_demonyms",
    "search_entities",
    "duplicate_entities",
    "format_found",
    "format_pairs",
]

from dataclasses import dataclass
from pathlib import Path

from anyascii import anyascii
from rapidfuzz import fuzz, process, utils

from kg.build.corpus import mentions
from kg.build.evidence import fold, normalise
from kg.build.facts import article_dirs, load_article, load_reference
from kg.build.model import Entity
from kg.errors import InputError
from kg.vocab.kinds import names_in


@dataclass(frozen=True)
class Found:
    """An entity whose name is close to the one searched: by which name, how close (0–100),
    and the articles whose facts use it."""

    entity: Entity
    name: str
    score: float
    articles: tuple[str, ...]


@dataclass(frozen=True)
class Pair:
    """Two entities of one type whose names are alike, and how alike (0–100)."""

    a: Entity
    b: Entity
    names: tuple[str, str]
    score: float


def _corpus(
    data_dir: str | Path, leave_out: str | None = None, skip_unreadable: bool = False
) -> tuple[list[Entity], dict[str, list[str]], set, dict]:
    """Every entity (with the spellings articles give it), the articles that use each id,
    the pairs curators marked ``distinctFrom``, and each demonym's country; the article
    `leave_out` (an id) not read."""

    root = Path(data_dir)
    if not root.is_dir():
        raise InputError(
            f"{root}: no such data folder; give the folder that holds entities/ and articles/"
        )
    reference = load_reference(root)
    entities = {e.id: e for e in reference.entities}
    used: dict[str, list[str]] = {}
    spellings: dict[str, list[str]] = {}
    distinct: set[frozenset] = set()
    words: dict[str, str] = {}
    facts = list(reference.facts)
    for folder in article_dirs(root):
        if folder.name == leave_out:
            continue
        try:
            article = load_article(folder, check_hash=False)
        except InputError:
            if not skip_unreadable:
                raise
            continue  # an article its curator is mending says nothing yet
        for entity in article.entities:
            entities.setdefault(entity.id, entity)
        for entity_id in sorted(mentions(article.facts, article)):
            used.setdefault(entity_id, []).append(article.id)
        facts += article.facts
    for fact in facts:
        for claim in fact.claims:
            if claim.key == "altLabel" and not fact.declares:
                spellings.setdefault(fact.subject, []).extend(
                    name for _, name in names_in(claim.value, "en")
                )
            if claim.key == "distinctFrom":
                distinct.add(frozenset((fact.subject, claim.value)))
            if claim.key == "demonym":
                words.setdefault(claim.value, fact.subject)
    out = []
    for entity in entities.values():
        extra = tuple(a for a in spellings.get(entity.id, []) if a not in entity.alt_labels)
        out.append(
            Entity(
                entity.id,
                entity.type,
                entity.label,
                entity.location,
                entity.alt_labels + extra,
                entity.article,
                entity.id_location,
                entity.labels,
            )
        )
    return out, used, distinct, words


def known_entities(data_dir: str | Path = "data", leave_out: str | None = None) -> list[Entity]:
    """Every entity of the corpus (reference entities first), with the spellings articles
    give (``altLabel`` facts) among its alternative labels; the article `leave_out` (an
    id) not read.

    Examples
    --------
    >>> [e.alt_labels for e in known_entities() if e.id == "russia"]
    [('Russian Federation',)]
    """
    return _corpus(data_dir, leave_out)[0]


def names_and_demonyms(
    data_dir: str | Path = "data", leave_out: str | None = None, skip_unreadable: bool = False
) -> tuple[list[Entity], dict[str, str]]:
    """`known_entities` and `demonyms` in one reading of the corpus (with `skip_unreadable`,
    an article whose files cannot be read is left out rather than stopping it).

    Examples
    --------
    >>> entities, words = names_and_demonyms()
    >>> len(entities) > 10, words["Turkish"]
    (True, 'turkey')
    """
    found = _corpus(data_dir, leave_out, skip_unreadable)
    return found[0], found[3]


def demonyms(data_dir: str | Path = "data", leave_out: str | None = None) -> dict[str, str]:
    """Each demonym the corpus declares (``demonym:`` of a country), and its country's id.

    Examples
    --------
    >>> demonyms()["Turkish"]
    'turkey'
    """
    return _corpus(data_dir, leave_out)[3]


def _key(name: str) -> str:
    """A name as search compares it: in Latin letters (AnyAscii transliterates Cyrillic,
    Greek, Arabic, ...: "Мединский" is "Medinskiy"), without accents, in lower case."""
    return fold(normalise(anyascii(name)))


def search_entities(
    name: str, data_dir: str | Path = "data", *, limit: int = 10, cutoff: float = 75.0
) -> list[Found]:
    """The known entities whose label or alternative label is close to `name`, best first
    (accents and case aside; words in any order; in any script, transliterated).

    Examples
    --------
    >>> found = search_entities("Umierov")  # a spelling the June article gives
    >>> found[0].entity.id, found[0].name, found[0].articles
    ('rustem-umerov', 'Rustem Umierov', ('2025-05-16-istanbul-talks', '2025-06-02-istanbul-exchange', '2025-06-02-istanbul-second-round-ru', '2025-07-24-istanbul-third-round'))
    >>> search_entities("Мединский")[0].entity.id  # in Cyrillic
    'vladimir-medinsky'
    """
    if not name.strip():
        raise InputError("give a name to search for, e.g. kg entities search Umerov")
    entities, used, _, _ = _corpus(data_dir)
    choices, owners = [], []
    for entity in entities:
        for label in (entity.label, *entity.alt_labels):
            choices.append(_key(label))
            owners.append((entity, label))
    best: dict[str, Found] = {}
    for _, score, index in process.extract(
        _key(name),
        choices,
        scorer=_name_score,
        processor=utils.default_process,
        limit=None,
        score_cutoff=cutoff,
    ):
        entity, label = owners[index]
        if entity.id not in best or score > best[entity.id].score:
            best[entity.id] = Found(entity, label, round(score, 1), tuple(used.get(entity.id, ())))
    return sorted(best.values(), key=lambda f: (-f.score, len(f.name), f.entity.id))[:limit]


def duplicate_entities(data_dir: str | Path = "data", *, threshold: float = 85.0) -> list[Pair]:
    """Pairs of entities of one type whose labels or alternative labels are alike (at or
    above `threshold`, 0–100): likely one entity declared twice, across articles. Pairs
    that curators marked with ``distinctFrom`` are left out.

    Examples
    --------
    >>> [(p.a.id, p.b.id) for p in duplicate_entities()]
    []
    """
    entities, _, distinct, _ = _corpus(data_dir)
    by_type: dict[str, list[tuple[Entity, str]]] = {}
    for entity in entities:
        for label in (entity.label, *entity.alt_labels):
            by_type.setdefault(entity.type, []).append((entity, label))
    pairs: dict[frozenset, Pair] = {}
    for kind in sorted(by_type):
        named = by_type[kind]
        keys = [_key(label) for _, label in named]
        # candidates by their words in any order, then judged on the words that differ:
        # "Rustem Umerov" and "Rustem Umierov" are alike, "Minister of Foreign Affairs of
        # Turkey" and "... of Ukraine" are not, however much else they share
        scores = process.cdist(
            keys,
            keys,
            scorer=fuzz.token_sort_ratio,
            processor=utils.default_process,
            score_cutoff=50,
        )
        for i, j in zip(*scores.nonzero()):
            (a, la), (b, lb) = named[i], named[j]
            if a.id >= b.id or frozenset((a.id, b.id)) in distinct:
                continue
            pair = frozenset((a.id, b.id))
            score = _alike(utils.default_process(keys[i]), utils.default_process(keys[j]))
            if score < threshold:
                continue
            if pair not in pairs or score > pairs[pair].score:
                pairs[pair] = Pair(a, b, (la, lb), round(score, 1))
    return sorted(pairs.values(), key=lambda p: (-p.score, p.a.id, p.b.id))


def _name_score(query: str, name: str, **_) -> float:
    """How well `name` answers `query` (0–100): the whole names alike, in order or in any
    order, or each word of the query (of four letters or more) alike a word of the name,
    which finds a surname or a spelling ("Umierov" for "Rustem Umerov") without letting one
    shared word ("Palace") or a short name ("US") match everything.

    Examples
    --------
    >>> _name_score("umierov", "rustem umerov") > 75 > _name_score("ciragan palace", "dolmabahce palace")
    True
    """
    whole = max(fuzz.ratio(query, name), fuzz.token_sort_ratio(query, name))
    asked = [w for w in query.split() if len(w) >= 4]
    words = [w for w in name.split() if len(w) >= 4]
    if not asked or not words:
        return whole
    each = sum(max(fuzz.ratio(a, w) for w in words) for a in asked) / len(asked)
    return max(whole, 0.95 * each)


def _alike(a: str, b: str) -> float:
    """How alike two names are (0–100), judged on the words one has and the other lacks.

    Examples
    --------
    >>> _alike("rustem umerov", "rustem umierov") > 85 > _alike("vladimir putin", "vladimir medinsky")
    True
    """
    wa, wb = a.split(), b.split()
    only_a = " ".join(w for w in wa if w not in wb)
    only_b = " ".join(w for w in wb if w not in wa)
    if not only_a or not only_b:  # one name within the other: "Putin", "Vladimir Putin",
        extra = len((only_a or only_b).split())  # less alike the more words it adds
        return max(0.0, 100.0 - 15.0 * (extra - 1))
    return fuzz.ratio(only_a, only_b)


def format_found(found: list[Found]) -> str:
    """`search_entities`' answer as `kg entities search` prints it."""
    if not found:
        return "no known entity has a name close to that; declare it in the article\n"
    rows = [("id", "type", "name", "score", "articles")]
    rows += [
        (
            f.entity.id,
            f.entity.type,
            f.name,
            f"{f.score:.0f}",
            ", ".join(f.articles) or "(reference only)",
        )
        for f in found
    ]
    return _table(rows)


def format_pairs(pairs: list[Pair]) -> str:
    """`duplicate_entities`' answer as `kg entities duplicates` prints it."""
    if not pairs:
        return "no two entities of one type have names alike\n"
    rows = [("score", "type", "entity", "entity", "names")]
    rows += [
        (f"{p.score:.0f}", p.a.type, p.a.id, p.b.id, f"{p.names[0]} ~ {p.names[1]}") for p in pairs
    ]
    return _table(rows) + (
        "merge each pair into one id, or write 'distinctFrom: OTHER-ID' "
        "in one of them if they are two\n"
    )


def _table(rows: list[tuple]) -> str:
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    return "".join(
        "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() + "\n" for r in rows
    )
