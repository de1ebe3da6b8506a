"""The checks that need the whole corpus: each id declared once, every reference to a
declared entity, no cycle in a hierarchy or an order; and what a set of facts mentions."""

from __future__ import annotations

__all__ = ["check_corpus", "mentions", "refers"]

from rapidfuzz import fuzz, process

from kg.build.model import Article, Claim, Corpus, Entity, Fact
from kg.errors import InputError, Location
from kg.vocab.curation import PROPERTIES, acyclic_keys
from kg.vocab.kinds import KINDS


def check_corpus(corpus: Corpus, reference_entities: list[Entity]) -> None:
    """The checks that need the whole corpus: each id declared once, every reference known.

    Fills ``corpus.entities`` (reference entities first, then each article's, in order).
    Both checks are dictionary look-ups, so they grow linearly with the corpus.

    Raises
    ------
    InputError
        At the second declaration of an id, or at a reference to an undeclared id.
    """
    declared = corpus.entities
    for entity in reference_entities + [e for a in corpus.articles for e in a.entities]:
        if entity.id in declared:
            first = declared[entity.id].location
            raise InputError(
                f"duplicate id {entity.id!r}, first declared at {first}; give "
                "each entity one id, declared once",
                entity.id_location or entity.location,
            )
        declared[entity.id] = entity
    _check_references(corpus)
    _check_cycles(corpus.reference_facts + corpus.facts)


def _check_cycles(facts: list[Fact]) -> None:
    """Refuse a cycle in a relation that must be a hierarchy or an order (the properties
    the ontology marks ``dip:acyclic``: ``partOf``, ``locatedIn``, ``subOrganizationOf``,
    ``precededBy`` with ``resumes``), naming each link of the cycle with its file:line.
    Facts ranked deprecated are left out: they are what a curator set aside."""
    # deferred for start-up time: NetworkX only here, not in the build's workers
    import networkx as nx  # noqa: PLC0415

    for prop, keys in acyclic_keys().items():
        reverse = dict(keys)
        graph = nx.DiGraph()
        for fact in facts:
            if fact.rank == "deprecated":
                continue
            for claim in fact.claims:
                if claim.key not in reverse:
                    continue
                a, b = fact.subject, claim.value
                if reverse[claim.key]:
                    a, b = b, a
                if not graph.has_edge(a, b):
                    graph.add_edge(a, b, claim=claim, article=fact.article)
        try:
            cycle = nx.find_cycle(graph)
        except nx.NetworkXNoCycle:
            continue
        links = [graph.edges[a, b] for a, b in cycle]
        steps = "\n".join(
            f"  {a} {c['claim'].key} {b}  ({c['claim'].location})"
            for (a, b), c in zip(cycle, links)
        )
        articles = {c["article"] for c in links}
        hint = (
            "; the articles disagree: rank the link you set aside 'deprecated' with a 'rankReason'"
            if len(articles) > 1
            else ""
        )
        raise InputError(
            f"these facts make a cycle of {prop}, which must not have one:\n"
            f"{steps}\n  remove or correct one of them{hint}",
            links[0]["claim"].location,
        )


def mentions(facts, article: Article | None = None) -> set[str]:
    """Every entity id that `facts` (and `article`'s dateline place) refer to or describe.

    Examples
    --------
    >>> from kg.build.facts import load_corpus
    >>> corpus = load_corpus("data")
    >>> {"russia", "vladimir-medinsky"} <= mentions(corpus.articles[0].facts)
    True
    """
    found = set()
    for fact in facts:
        found.add(fact.subject)
        for claim in fact.claims:
            ref = refers(claim)
            if ref is not None:
                found.add(ref)
    if article is not None and article.dateline_place:
        found.add(article.dateline_place)
    return found


def _check_references(corpus: Corpus) -> None:
    known = corpus.entities
    for fact in corpus.reference_facts + corpus.facts:
        if not fact.declares and fact.subject not in known:
            _undeclared(corpus, fact.subject, "about", fact.location)
        for claim in fact.claims:
            ref = refers(claim)
            if ref is not None and ref not in known:
                _undeclared(corpus, ref, claim.key, claim.location)
    for article in corpus.articles:
        if article.dateline_place and article.dateline_place not in known:
            _undeclared(corpus, article.dateline_place, "datelinePlace", article.location)


def refers(claim: Claim) -> str | None:
    """The entity id a claim refers to, if any (its kind knows).

    Examples
    --------
    >>> from kg.errors import Location
    >>> refers(Claim("headedBy", "vladimir-medinsky", Location("f", 1)))
    'vladimir-medinsky'
    >>> refers(Claim("date", ("weekday", "thursday"), Location("f", 1))) is None
    True
    """
    return KINDS[PROPERTIES[claim.key].kind].refers(claim.value)


def _undeclared(corpus: Corpus, ref: str, key: str, where: Location) -> None:
    near = [
        found
        for found, _, _ in process.extract(
            ref, sorted(corpus.entities), scorer=fuzz.ratio, limit=3, score_cutoff=60
        )
    ]
    hint = f" Did you mean: {', '.join(near)}?" if near else ""
    raise InputError(
        f"'{key}' refers to undeclared entity {ref!r}; declare it under "
        f"'entities:' (in the article, or in data/entities/ if it recurs).{hint}",
        where,
    )
