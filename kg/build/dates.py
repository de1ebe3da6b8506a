"""Dates across the corpus: relative dates (``{weekday: Thursday}``, ``{sameDayAs: ID}``)
resolved to calendar dates, for the corpus and for one article."""

from __future__ import annotations

__all__ = ["resolve_dates", "unit_dates", "date_of", "last_weekday"]

import datetime as dt

from kg.build.model import Corpus, Fact
from kg.errors import InputError
from kg.vocab.curation import PROPERTIES
from kg.vocab.kinds import WEEKDAYS


def date_of(value, dates: dict, published: dt.date | None) -> tuple[dt.date, str | None]:
    """A date claim's calendar date, and how it was derived if it was relative.

    Examples
    --------
    >>> date_of(("weekday", "thursday"), {}, dt.date(2025, 5, 16))[0]
    datetime.date(2025, 5, 15)
    """
    if isinstance(value, dt.date):
        return value, None
    mode, arg = value
    if mode == "weekday" and published is not None:
        return last_weekday(arg, published)
    if mode == "sameDayAs" and arg in dates:
        return dates[arg], f"same day as {arg} ({dates[arg].isoformat()})"
    raise InputError(f"the date {mode}: {arg} cannot be resolved here")  # resolve_dates checks


def last_weekday(name: str, published: dt.date) -> tuple[dt.date, str]:
    """The last `name` (a weekday, in lower case) on or before `published`, and how it was
    read.

    Examples
    --------
    >>> last_weekday("thursday", dt.date(2025, 5, 16))[0]
    datetime.date(2025, 5, 15)
    """
    back = (published.weekday() - WEEKDAYS.index(name)) % 7
    day = published - dt.timedelta(days=back)
    how = (
        f"'{name.capitalize()}' read as the last {name.capitalize()} on or before "
        f"the publication date {published.isoformat()} (a {published.strftime('%A')}): "
        f"{day.isoformat()}"
    )
    return day, how


def resolve_dates(corpus: Corpus) -> dict[str, dt.date]:
    """The calendar date of every dated entity, relative dates resolved across the corpus.

    A ``{weekday: ...}`` date is the last such day on or before its article's publication;
    a ``{sameDayAs: ID}`` date is the date of ID, wherever ID is dated. An entity dated
    twice keeps its first date here (validation reports the second).

    Raises
    ------
    InputError
        For a weekday outside an article, or ``sameDayAs`` references that lead to no date.

    Examples
    --------
    >>> from kg.build.facts import load_corpus
    >>> resolve_dates(load_corpus("data"))["turkey-ukraine-meeting"]  # sameDayAs the talks
    datetime.date(2025, 5, 16)
    """
    published = {a.id: a.published for a in corpus.articles}
    absolute: dict[str, dt.date] = {}
    waiting: dict[str, list] = {}  # ID -> the sameDayAs claims that wait for ID's date
    pending = []
    for fact in corpus.reference_facts + corpus.facts:
        for claim in fact.claims:
            if PROPERTIES[claim.key].kind != "date":
                continue
            if isinstance(claim.value, dt.date):
                absolute.setdefault(fact.subject, claim.value)
            else:
                pending.append((fact, claim))
    ready = list(absolute)
    for fact, claim in pending:
        mode, arg = claim.value
        if mode == "weekday":
            if fact.article is None:
                raise InputError(
                    "a weekday date needs an article's publication date; "
                    "write the date as YYYY-MM-DD here",
                    claim.location,
                )
            if fact.subject not in absolute:
                absolute[fact.subject] = last_weekday(arg, published[fact.article])[0]
                ready.append(fact.subject)
        else:
            waiting.setdefault(arg, []).append((fact, claim))
    # each dated ID dates, in turn, whatever is the same day as it: linear in the claims
    while ready:
        for fact, claim in waiting.pop(ready.pop(), ()):
            if fact.subject not in absolute:
                absolute[fact.subject] = absolute[claim.value[1]]
                ready.append(fact.subject)
    stuck = [
        (fact, claim)
        for claims in waiting.values()
        for fact, claim in claims
        if fact.subject not in absolute
    ]
    if stuck:
        raise _undated(stuck)
    return absolute


def _undated(stuck: list) -> InputError:
    """The error for ``sameDayAs`` dates that lead to no date: a cycle (every link named
    with its file:line), or a reference to something that has no date."""
    # deferred for start-up time: NetworkX only here, not in the build's workers
    import networkx as nx  # noqa: PLC0415

    graph = nx.DiGraph()
    for fact, claim in stuck:
        if not graph.has_edge(fact.subject, claim.value[1]):
            graph.add_edge(fact.subject, claim.value[1], claim=claim)
    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        # no cycle: name a claim whose target has no date claim of its own
        subjects = {fact.subject for fact, _ in stuck}
        ends = [fc for fc in stuck if fc[1].value[1] not in subjects] or stuck
        fact, claim = min(ends, key=lambda fc: (fc[1].location.path, fc[1].location.line))
        return InputError(
            f"'sameDayAs: {claim.value[1]}' cannot be resolved: that entity "
            "has no date; give it one, or write this date as YYYY-MM-DD",
            claim.location,
        )
    links = [graph.edges[a, b]["claim"] for a, b in cycle]
    steps = "\n".join(f"  {a} sameDayAs {b}  ({c.location})" for (a, b), c in zip(cycle, links))
    return InputError(
        "these dates are each the same day as the next, in a cycle, so none "
        f"has a date:\n{steps}\n  give one of them a date (YYYY-MM-DD)",
        links[0].location,
    )


def unit_dates(
    facts: list[Fact], published: dt.date | None, dates: dict[str, dt.date]
) -> dict[str, dt.date]:
    """The dates that the ``{sameDayAs: ID}`` dates of one unit's facts refer to.

    An ID the unit dates itself takes the unit's own date, so that an article that dates
    the talks differently from another keeps its own reading throughout; any other ID
    takes its date in the corpus (`dates`, from `resolve_dates`).

    Examples
    --------
    >>> from kg.build.facts import load_corpus
    >>> corpus = load_corpus("data")
    >>> article = corpus.articles[0]
    >>> unit_dates(article.facts, article.published, resolve_dates(corpus))
    {'istanbul-direct-talks-2025': datetime.date(2025, 5, 15)}
    """
    own: dict[str, dt.date] = {}
    relative = []
    for fact in facts:
        for claim in fact.claims:
            if PROPERTIES[claim.key].kind != "date":
                continue
            value = claim.value
            if isinstance(value, dt.date):
                own.setdefault(fact.subject, value)
            elif value[0] == "weekday" and published is not None:
                own.setdefault(fact.subject, last_weekday(value[1], published)[0])
            else:
                relative.append((fact.subject, value[1]))
    changed = True
    while changed:  # sameDayAs chains within the unit
        changed = False
        for subject, target in relative:
            if subject not in own and target in own:
                own[subject], changed = own[target], True
    used = {target: own.get(target, dates.get(target)) for _, target in relative}
    return {target: day for target, day in sorted(used.items()) if day is not None}
