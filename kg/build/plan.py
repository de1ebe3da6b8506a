"""Planning a build: read every curated file, run the checks that need the whole corpus,
and make one job per unit of work (the reference entities, then each article), each with
everything it needs and the cache key of all of it."""

from __future__ import annotations

__all__ = [
    "Job",
    "Plan",
    "Progress",
    "plan",
    "describe",
    "reported_events",
    "nt_term",
    "fixed_inputs",
]

import datetime as dt
import hashlib
from pathlib import Path

from rdflib import URIRef

from kg.build.cache import Cache, unit_key
from kg.build.corpus import check_corpus, mentions
from kg.build.dates import resolve_dates, unit_dates
from kg.build.facts import article_dirs, load_article, load_reference
from kg.build.job import Job, Plan, Progress
from kg.build.model import Article, Corpus, Entity, Fact
from kg.build.unit import REFERENCE_UNIT, entity_iri, fact_iri, fact_triples, nt_term
from kg.limits import read_bounded
from kg.vocab.curation import PROPERTIES
from kg.vocab.namespaces import PREFIX_IRIS, RDF
from kg.vocab.ontology import ONTOLOGY_PATH, SHAPES_PATH, subclasses
from kg.vocab.records import CURATED_FACT, DECLARES
from kg.vocab.terms import DIP


def plan(
    data_dir: str | Path,
    *,
    strict: bool = True,
    validate: bool = True,
    progress: Progress | None = None,
    cache: Cache | None = None,
    only: str | None = None,
) -> Plan:
    """Read every curated file, run the checks that need the whole corpus, and make the jobs
    (with `only`, the job of that unit alone: what `kg article check` runs).

    The corpus-wide checks (each id declared once, every reference declared, relative
    dates resolvable) are dictionary look-ups, linear in the corpus. With a `cache`, an
    article whose files are unchanged is read from it instead of parsed again.

    Examples
    --------
    >>> p = plan("data")
    >>> [job.unit for job in p.jobs]
    ['reference', '2025-05-16-istanbul-talks', '2025-06-02-istanbul-exchange', '2025-06-02-istanbul-second-round-ru', '2025-07-24-istanbul-third-round']
    """
    root = Path(data_dir)
    folders = article_dirs(root)
    reference = load_reference(root)
    articles = []
    for number, folder in enumerate(folders, 1):
        articles.append(_read_article(folder, cache))
        if progress:
            progress("reading", number, len(folders))
    corpus = Corpus(
        root=root,
        reference_facts=reference.facts,
        articles=articles,
        reference_files=reference.files,
        reference_sha256=reference.sha256,
    )
    check_corpus(corpus, reference.entities)
    dates = resolve_dates(corpus)

    units: list[tuple[str, Article | None, list[Fact]]] = [
        (REFERENCE_UNIT, None, corpus.reference_facts)
    ]
    units += [(a.id, a, a.facts) for a in articles]
    declared: dict[str | None, dict[str, Entity]] = {}
    for entity in corpus.entities.values():
        declared.setdefault(entity.article, {})[entity.id] = entity
    if only is not None:
        units = [u for u in units if u[0] == only]
    outside = {}
    for unit, article, facts in units:
        own = declared.get(article.id if article else None, {})
        outside[unit] = sorted(mentions(facts, article) - set(own))
    everything: list[tuple[Article | None, list[Fact]]] = [(None, corpus.reference_facts)]
    everything += [(a, a.facts) for a in articles]
    wanted = {e for ids in outside.values() for e in ids}
    descriptions = describe(everything, corpus.entities, dates, wanted)
    lines = _description_lines(descriptions, corpus.entities)
    fixed = fixed_inputs()
    result = Plan(root, corpus)
    for unit, article, facts in units:
        context = b"".join(sorted({line for e in outside[unit] for line in lines.get(e, ())}))
        used = unit_dates(facts, article.published if article else None, dates)
        own = declared.get(article.id if article else None, {})
        inputs = (article.facts_sha256 + article.sha256) if article else corpus.reference_sha256
        events = reported_events(facts, corpus.entities) if article else ()
        key = unit_key(
            unit,
            str(root),
            inputs,
            repr(sorted(used.items())),
            context,
            *fixed,
            str(strict),
            str(validate),
            repr(events),
        )
        result.jobs.append(
            Job(
                unit,
                key,
                str(root),
                article,
                tuple(facts),
                own,
                used,
                context,
                strict,
                validate,
                events,
            )
        )
    return result


def _read_article(folder: Path, cache: Cache | None) -> Article:
    if cache is None:
        return load_article(folder)
    digest = hashlib.sha256()
    for name, limit in (("facts.yaml", "yaml"), ("article.txt", "article")):
        if not (folder / name).is_file():
            return load_article(folder)  # which says what is missing
        digest.update(name.encode() + b"\0" + read_bounded(folder / name, limit) + b"\0")
    key = unit_key("article", str(folder), digest.hexdigest())
    article = cache.article(folder, key)
    if article is None:
        article = load_article(folder)
        cache.put_article(article, key)
    return article


def fixed_inputs() -> tuple[str, str]:
    """Digests of the ontology and the shapes, which every unit is validated with."""
    ontology, shapes = (
        hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in (ONTOLOGY_PATH, SHAPES_PATH)
    )
    return ontology, shapes


def _description_lines(descriptions: dict, entities: dict[str, Entity]) -> dict[str, set[bytes]]:
    """Each described entity's triples, and the types of what they point to, as N-Triples
    lines (written by pyoxigraph, term by term)."""
    kgr = PREFIX_IRIS["kgr"]
    rdf_type = f"<{RDF.type}>"
    term = nt_term

    out = {}
    for entity, triples in descriptions.items():
        lines = set()
        for s, p, o in triples:
            lines.add(f"{term(s)} {term(p)} {term(o)} .\n".encode())
            if isinstance(o, URIRef) and o.startswith(kgr):
                other = entities.get(o[len(kgr) :])
                if other is not None:
                    lines.add(f"<{o}> {rdf_type} <{DIP.NS}{other.type}> .\n".encode())
        out[entity] = lines
    return out


def describe(
    units: list[tuple[Article | None, list[Fact]]],
    entities: dict[str, Entity],
    dates: dict[str, dt.date],
    wanted: set[str],
) -> dict[str, list[tuple]]:
    """What the unit that declares each entity in `wanted` says about it.

    For each wanted entity: the plain triples whose subject it is, from the facts of the
    unit (article, or None for the reference files) that declares it, less its dates (an
    article is checked with its own), and, for an entity declared in an article, the fact
    that declares it. Another article that uses the entity is validated with this
    description (see `kg.build.validate.validate_unit`).

    `units` is a list of (article or None, facts).

    Examples
    --------
    >>> from kg.build.dates import resolve_dates
    >>> from kg.build.facts import load_corpus
    >>> from kg.build.unit import entity_iri
    >>> from kg.vocab.rdf import DIP
    >>> corpus = load_corpus("data")
    >>> units = [(None, corpus.reference_facts)] + [(a, a.facts) for a in corpus.articles]
    >>> found = describe(units, corpus.entities, resolve_dates(corpus), {"istanbul"})
    >>> (entity_iri("istanbul"), DIP.locatedIn, entity_iri("turkey")) in found["istanbul"]
    True
    """
    out: dict[str, list[tuple]] = {e: [] for e in wanted if e in entities}
    undated = {URIRef(PROPERTIES[key].iri) for key in ("date", "year")}
    for article, facts in units:
        unit = article.id if article else None
        published = article.published if article else None
        for fact in facts:
            if fact.subject not in out or entities[fact.subject].article != unit:
                continue
            s = entity_iri(fact.subject)
            triples = [
                t
                for t in fact_triples(
                    fact, entities, dates, None, published, article.language if article else "en"
                )
                if t[0] == s and t[1] not in undated
            ]
            out[fact.subject] += triples
            if fact.declares and article is not None:
                out[fact.subject] += [
                    (fact_iri(fact), URIRef(DECLARES), s),
                    (fact_iri(fact), URIRef(RDF.type), URIRef(CURATED_FACT)),
                ]
    return out


def reported_events(facts: list[Fact], entities: dict[str, Entity]) -> tuple[str, ...]:
    """The events an article reports: those its facts are about (`entities`: every
    declared entity of the corpus, by id).

    Examples
    --------
    >>> from kg.build.facts import load_corpus
    >>> corpus = load_corpus("data")
    >>> reported_events(corpus.articles[0].facts, corpus.entities)[:2]
    ('istanbul-direct-talks-2025', 'peace-talks-2022')
    """
    kinds = {c.rsplit("#", 1)[1] for c in subclasses(DIP.DiplomaticEvent)}
    found = {
        f.subject for f in facts if f.subject in entities and entities[f.subject].type in kinds
    }
    return tuple(sorted(found))
