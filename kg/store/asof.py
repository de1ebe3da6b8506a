"""What holds on a day: the store's as-of index of the facts that hold for a time.

A property the ontology marks ``dip:timeScoped`` (a post, a membership, the head of a
delegation) states something that holds for a time. Every curated fact is known as of its
article's date; a curator may add when it began (``since``) or ended (``until``). From
these, the store works out, for each triple of such a property, the days on which it holds:

- a fact holds from its ``since`` (the first day of that day, month or year), or else from
  its article's date (background knowledge, from the start); an article dated later that
  states it again confirms it from its own date;
- it ends after its ``until`` (the last day of that day, month or year): from then on it
  holds again only if a source states it anew;
- where the shapes allow one value (``sh:maxCount 1``: a delegation's head, a post's
  holder), the value the latest source gives at or before the day replaces the others: a
  change of hands is a succession, not a disagreement (two sources of the same day that
  disagree both stay);
- the curators' ranks apply as to plain queries: a deprecated fact counts for nothing, and
  where a fact is preferred only preferred facts count.

The triples that hold on a day are kept in graphs named under `AS_OF`, each holding what
holds throughout a span of days; the spans are aligned halves, quarters, ... of the
corpus's days (a segment tree), so the triples holding on any one day are the union of
about a dozen graphs, and each triple is stored in at most twice as many. With them go the
triples each one implies (its inverses, its super-properties, and the chains whose other
link holds for good), which hold as long as it does. A query "as of" a day reads
`STATED_GRAPH` (what the sources state that holds for good), the inferred triples that hold
for good, the ontology and those graphs; a plain query reads the union of `STATED_GRAPH`,
`SCOPED_GRAPH` (every value of a time-scoped property, after ranks), the inferred triples
and the ontology, which the store keeps in its default graph (`kg.store.plain`).
"""

from __future__ import annotations

__all__ = [
    "index_time",
    "scoped_input",
    "as_of_graphs",
    "spans",
    "day_of",
    "scoped_events",
    "held_spans",
    "events_of",
    "derived",
    "chain_reach",
    "held_of",
    "slots_of",
    "segments_of",
    "aligned",
    "spans_minus",
    "spans_union",
    "bounds_of",
    "index_days",
    "nt_line",
    "DAYS",
    "BRANCHING",
]

import datetime as dt
import hashlib
from bisect import bisect_right
from collections import Counter, defaultdict
from itertools import product
from typing import Any, cast

import pyoxigraph as ox

from kg.errors import InputError
from kg.store.difference import replace_graph
from kg.store.plain import stated_graph
from kg.vocab.curation import time_scope
from kg.vocab.functional import functional_paths
from kg.vocab.kinds import period_bounds
from kg.vocab.namespaces import (
    AS_OF,
    AS_OF_INDEX,
    AS_OF_INFERRED,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    PLAIN_GRAPH,
    PREFIX_IRIS,
    PROV,
    SCHEMA,
    SCOPED_GRAPH,
    STATED_GRAPH,
)
from kg.vocab.terms import DIP

_KGF = PREFIX_IRIS["kgf"]
_XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
#: Before any day, and after every day.
_START, _END = float("-inf"), float("inf")


def day_of(text: str, where: str = "--as-of") -> dt.date:
    """A day given on the command line or in a request, as YYYY-MM-DD.

    Examples
    --------
    >>> day_of("2025-06-01")
    datetime.date(2025, 6, 1)
    >>> day_of("June")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: --as-of 'June': write a day as YYYY-MM-DD, e.g. 2025-06-01
    """
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise InputError(f"{where} {text!r}: write a day as YYYY-MM-DD, e.g. 2025-06-01") from None


def spans(events: list[tuple[float, bool]], mates: list[list[list[tuple[float, bool]]]]) -> list:
    """The spans of days ``[first, end)`` (day ordinals; -inf and inf for open ends) on
    which a triple holds, from its events and those of the other values of each slot it
    fills: an event is ``(day, holds)``, ``holds`` False for an end.

    The triple holds on a day when its latest event at or before the day is no end, and
    no other value of a slot holds with a later start.

    Examples
    --------
    >>> umerov = [(10.0, True), (20.0, True)]        # stated on day 10, again on day 20
    >>> successor = [(30.0, True)]                      # a successor named on day 30
    >>> spans(umerov, [[successor]])
    [(10.0, 30.0)]
    >>> spans([(10.0, True), (15.0, False)], [])        # "until" day 14
    [(10.0, 15.0)]
    """
    days = sorted({d for d, _ in events} | {d for slot in mates for m in slot for d, _ in m})
    own = _timeline(events)
    others = [[_timeline(m) for m in slot] for slot in mates]
    out: list[list[float]] = []
    for i, day in enumerate(days):
        start = own(day)
        valid = start is not None and all(
            all((their := other(day)) is None or their <= start for other in slot)
            for slot in others
        )
        end = days[i + 1] if i + 1 < len(days) else _END
        if valid:
            if out and out[-1][1] == day:
                out[-1][1] = end
            else:
                out.append([day, end])
    return [(a, b) for a, b in out]


def _timeline(events: list[tuple[float, bool]]):
    """A function of a day: the latest start at or before it while the triple holds, or
    None if it does not hold (its latest event is an end, or it has not begun)."""
    ordered = sorted(events, key=lambda e: (e[0], e[1]))  # on one day, a start after an end
    days = [d for d, _ in ordered]

    def at(day: float):
        i = bisect_right(days, day)
        if i == 0 or not ordered[i - 1][1]:
            return None
        return max(d for d, holds in ordered[:i] if holds)

    return at


#: The branching of the tree of spans: a day's triples are in one graph per level (about
#: four for a corpus of a few years), and a span is stored in at most 2 x 7 graphs a level.
BRANCHING = 8


def segments_of(first: float, end: float, lo: int, hi: int) -> list[str]:
    """The as-of graphs a span ``[first, end)`` is stored in: ``before`` (days before
    `lo`), ``after`` (from `hi`), and the aligned blocks of ``[lo, hi)`` (of 1, 8, 64, ...
    days, named ``LEVEL/INDEX``) that cover it.

    Examples
    --------
    >>> segments_of(float("-inf"), 10.0, 0, 64)    # from time itself to day 10
    ['before', '1/0', '0/8', '0/9']
    """
    names = []
    if first < lo:
        names.append("before")
    if end > hi:
        names.append("after")
    a, b = int(max(first, lo) - lo), int(min(end, hi) - lo)
    while a < b:
        level, size = 0, 1
        while a % (size * BRANCHING) == 0 and a + size * BRANCHING <= b:
            level, size = level + 1, size * BRANCHING
        names.append(f"{level}/{a // size}")
        a += size
    return names


def _levels(lo: int, hi: int) -> int:
    """How many levels the tree of ``[lo, hi)`` has: blocks of 1, 8, ... days up to the
    largest that fits the span, which may hold several of them."""
    levels, size = 1, BRANCHING
    while size < hi - lo:
        levels, size = levels + 1, size * BRANCHING
    return levels


def aligned(lo: int, hi: int) -> int:
    """`hi` moved up to the end of the top level's last block, so that a span that lasts
    to the end of the corpus is cut into blocks at its start only.

    Examples
    --------
    >>> aligned(0, 100)    # blocks of 64 days at the top
    128
    """
    top = BRANCHING ** (_levels(lo, hi) - 1)
    return lo + -(-(hi - lo) // top) * top


#: The entry of what `index_time` returns that counts, for each day (an ordinal, as a
#: string), the spans of the index that begin or end on it (the rest are graphs' digests).
DAYS = "days"

#: Quads of the index loaded in one bulk load (about 40 MB of N-Quads).
_BATCH = 200_000


def index_time(
    store: ox.Store,
    fresh: bool = False,
    known: dict[str, Any] | None = None,
    scoped: bytes | None = None,
    touched: set[bytes] | None = None,
) -> dict[str, Any]:
    """Make the store's as-of index (see the module's notes): move what the sources state
    of time-scoped properties out of the stated union (`STATED_GRAPH`) into `SCOPED_GRAPH`
    (after ranks), copy the inferred triples that hold for good, and write the graphs of
    what holds when.
    Replaces any index the store had, by the triples that differ (a rebuild after an edit
    changes a few graphs of the index, and those little): a graph whose digest is the one
    `known` gives for it (what `index_time` returned for this store's index) is left as it
    is. `fresh`, for a store that has no index yet, loads it in bulk. `scoped`, every
    source's `scoped_input`, saves reading the facts from the store. The lines that
    `SCOPED_GRAPH` lost or gained are added to `touched` (`kg.store.plain.settle_plain`).
    Returns the digest of each graph of the index, and under `DAYS` how many spans begin
    or end on each day (what `kg.store.asofdelta.update_index` starts from).
    """
    scope = time_scope()
    if scoped is None:
        events = scoped_events(store)
    else:
        facts = ox.Store()
        facts.load(scoped, format=ox.RdfFormat.N_QUADS)
        events = scoped_events(facts)
    wanted: dict[str, set[bytes]] = {}
    days: Counter = Counter()
    stated = stated_graph(store)
    for s, p, o in events:
        store.remove(ox.Quad(s, p, o, stated))
    if events:
        wanted, days = _index(store, events, scope)
    digests: dict[str, Any] = {
        name: hashlib.sha256(b"".join(sorted(lines))).hexdigest() for name, lines in wanted.items()
    }
    digests[DAYS] = {str(day): n for day, n in sorted(days.items())}
    if fresh:
        batch: list[bytes] = []
        for name, lines in sorted(wanted.items()):
            suffix = f" <{name}> .\n".encode()
            batch.extend(line[:-2] + suffix for line in lines)
            if len(batch) >= _BATCH:
                store.bulk_load(b"".join(batch), format=ox.RdfFormat.N_QUADS)
                batch = []
        if batch:
            store.bulk_load(b"".join(batch), format=ox.RdfFormat.N_QUADS)
        return digests
    for graph in list(store.named_graphs()):
        if isinstance(graph, ox.NamedNode) and graph.value.startswith(AS_OF):
            if graph.value in wanted or graph.value in (STATED_GRAPH, PLAIN_GRAPH):
                continue
            if touched is not None and graph.value == SCOPED_GRAPH:
                touched.update(replace_graph(store, graph.value, ()))
            else:
                store.remove_graph(graph)
    for name, lines in sorted(wanted.items()):
        if known is not None and known.get(name) == digests[name]:
            continue
        changed = replace_graph(store, name, lines)
        if touched is not None and name == SCOPED_GRAPH:
            touched.update(changed)
    return digests


def _index(store: ox.Store, events: dict, scope) -> tuple[dict[str, set[bytes]], Counter]:
    """The as-of index's graphs, {name: its N-Triples lines}, and how many spans begin or
    end on each day (`DAYS`)."""
    graphs: dict[str, set[bytes]] = defaultdict(set)
    graphs[SCOPED_GRAPH] = {nt_line(t) for t in events}

    def dumped(name: str) -> list[bytes]:
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
        return (data or b"").splitlines(keepends=True)

    # what a query as of a day reads beside the stated union, in one graph (a query's every
    # lookup visits each graph of its default graph): the inferred triples that hold for
    # good and the ontology
    bound = {f"<{i}>".encode() for i in scope.bound}
    for name in (INFERRED_GRAPH, ONTOLOGY_GRAPH):
        lines = dumped(name)
        graphs[AS_OF_INFERRED].update(x for x in lines if x.split(b" ", 2)[1] not in bound)
    held = held_of(events, slots_of(events))
    implied = {
        t: rest
        for t, found in _implied(store, held, scope).items()
        if (rest := spans_minus(found, held.get(t, [])))
    }
    days = Counter(
        int(d)
        for part in (held, implied)
        for spans_ in part.values()
        for a, b in spans_
        for d in (a, b)
        if abs(d) != _END
    )
    lo, last = bounds_of(days)
    hi = aligned(lo, last)
    # "s/": what the sources state; "a/": that and what it implies (the inferred view)
    for kinds, part in ((("s", "a"), held), (("a",), implied)):
        for triple, spans_ in part.items():
            line = nt_line(triple)
            for a, b in spans_:
                for name in segments_of(a, b, lo, hi):
                    for kind in kinds:
                        graphs[f"{AS_OF}{kind}/{name}"].add(line)
    graphs[AS_OF_INDEX].update(nt_line(t) for t in index_days(lo, last))
    return dict(graphs), days


def index_days(lo: int, last: int) -> list[tuple]:
    """The triples that give the index's days: from the first day anything changes to the
    last (from which on what holds is the "after" graph: the spans that never end).

    Examples
    --------
    >>> [str(o) for _, _, o in index_days(739449, 739460)]
    ['"2025-07-17"^^<http://www.w3.org/2001/XMLSchema#date>', '"2025-07-27"^^<http://www.w3.org/2001/XMLSchema#date>']
    """
    index = ox.NamedNode(AS_OF_INDEX)
    return [
        (
            index,
            ox.NamedNode(predicate),
            ox.Literal(dt.date.fromordinal(max(day, 1)).isoformat(), datatype=_XSD_DATE),
        )
        for predicate, day in ((DIP.validFrom, lo), (DIP.validTo, last - 1))
    ]


def bounds_of(days: Counter) -> tuple[int, int]:
    """The first and the last day (ordinals) on which a span of the index begins or ends,
    from how many do on each day: the days the index's tree of spans is laid over.

    Examples
    --------
    >>> bounds_of(Counter({739000: 2, 738990: 1, 739100: 0})), bounds_of(Counter())
    ((738990, 739000), (1, 1))
    """
    found = [day for day, n in days.items() if n > 0]
    return (min(found), max(found)) if found else (1, 1)


def nt_line(triple) -> bytes:
    """The N-Triples line of a triple of Oxigraph terms.

    Examples
    --------
    >>> nt_line((ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("b")))
    b'<urn:a> <urn:p> "b" .\\n'
    """
    s, p, o = triple
    return f"{s} {p} {o} .\n".encode()


def scoped_events(store: ox.Store) -> dict[tuple, list]:
    """Each triple of a time-scoped property that the sources state, with the events of
    the facts that count for it after ranks (see `spans`)."""
    return events_of(_scoped_rows(store))


def events_of(rows) -> dict[tuple, list]:
    """The events of each triple, from rows ``(s, p, o, rank, published, since, until)``
    of its facts (every fact of each subject and property, since a preferred fact hides
    the others of its subject and property).

    Examples
    --------
    >>> day = ox.Literal("2025-07-17", datatype=_XSD_DATE)
    >>> a, p = ox.NamedNode("urn:a"), ox.NamedNode("urn:p")
    >>> events_of([(a, p, a, None, day, None, None)])[(a, p, a)]
    [(739449.0, True)]
    """
    facts: dict[tuple, list] = defaultdict(list)
    for s, p, o, rank, published, since, until in rows:
        facts[(s, p, o)].append((rank.value if rank is not None else "", published, since, until))
    preferred = {(s, p) for (s, p, _), fs in facts.items() if any("Preferred" in f[0] for f in fs)}
    events: dict[tuple, list] = {}
    for (s, p, o), fs in facts.items():
        counted = [
            f
            for f in fs
            if "Deprecated" not in f[0] and ((s, p) not in preferred or "Preferred" in f[0])
        ]
        if counted:
            events[(s, p, o)] = [e for f in counted for e in _events(*f[1:])]
    return events


def scoped_input(graphs: dict[str, list[str]], stated: list[str]) -> str:
    """What the as-of index reads of one source, as N-Quads: its facts' triples of
    time-scoped properties, in their graphs, and (in the default graph) those facts' ranks,
    since, until and sources, and their articles' dates. A build keeps it with each article,
    so that the index is worked out from these alone (`index_time`'s `scoped`) rather than
    by reading every fact graph of the store.

    `graphs` maps each named graph of the source to its N-Triples lines; `stated` is what
    the source states (its default-graph lines).

    Examples
    --------
    >>> dip, kgf = PREFIX_IRIS["dip"], PREFIX_IRIS["kgf"]
    >>> fact = f"<{kgf}f1>"
    >>> graphs = {kgf + "f1": [f"<urn:x> <{dip}holdsPost> <urn:y> .\\n"]}
    >>> stated = [f"{fact} <{dip}since> \\"2024\\" .\\n", f"<urn:x> <{dip}label> \\"X\\" .\\n"]
    >>> print(scoped_input(graphs, stated), end="")
    <urn:x> <https://w3id.org/diplomacy-kg/ontology#holdsPost> <urn:y> <https://w3id.org/diplomacy-kg/id/fact/f1> .
    <https://w3id.org/diplomacy-kg/id/fact/f1> <https://w3id.org/diplomacy-kg/ontology#since> "2024" .
    """
    scoped = {f"<{p}>" for p in time_scope().scoped}
    facts: set[str] = set()
    out: list[str] = []
    for name, lines in graphs.items():
        if name.startswith(_KGF):
            found = [x for x in lines if x.split(" ", 2)[1] in scoped]
            if found:
                facts.add(f"<{name}>")
                out.extend(x[:-2] + f"<{name}> .\n" for x in found)
    records = {f"<{i}>" for i in (DIP.rank, DIP.since, DIP.until, PROV.wasDerivedFrom)}
    articles = set()
    for x in stated:
        subject, predicate, rest = x.split(" ", 2)
        if subject in facts and predicate in records:
            out.append(x)
            if predicate == f"<{PROV.wasDerivedFrom}>":
                articles.add(rest[: -len(" .\n")])
    published = f"<{SCHEMA.datePublished}>"
    for x in stated:
        subject, predicate, _ = x.split(" ", 2)
        if predicate == published and subject in articles:
            out.append(x)
    return "".join(out)


def _scoped_rows(store: ox.Store):
    """(s, p, o, rank, published, since, until) for each triple of a
    time-scoped property that a curated fact's graph holds, with the fact's rank, its
    article's date and its since and until (None where it has none), as from the query::

        SELECT ?g ?s ?p ?o ?rank ?published ?since ?until WHERE {
          VALUES ?p { <the time-scoped properties> }
          GRAPH ?g { ?s ?p ?o } FILTER (STRSTARTS(STR(?g), STR(kgf:)))
          OPTIONAL { ?g dip:rank ?rank }
          OPTIONAL { ?g prov:wasDerivedFrom ?article . ?article schema:datePublished ?published }
          OPTIONAL { ?g dip:since ?since }
          OPTIONAL { ?g dip:until ?until }
        }

    but read graph by graph: the query's ``GRAPH ?g`` visits every graph that holds those
    properties, the index's copies too (about 20 times the facts' own triples).
    """
    scoped = {ox.NamedNode(p) for p in time_scope().scoped}
    default = stated_graph(store)
    records: dict[str, dict] = {}  # property -> {subject: [objects]}, from the stated union
    for iri in (DIP.rank, DIP.since, DIP.until, PROV.wasDerivedFrom, SCHEMA.datePublished):
        found: dict = defaultdict(list)
        for q in store.quads_for_pattern(None, ox.NamedNode(iri), None, default):
            found[q.subject].append(q.object)
        records[iri] = found

    def values(iri: str, subject) -> list:
        return records[iri].get(subject) or [None]

    facts = sorted(
        (
            g
            for g in store.named_graphs()
            if isinstance(g, ox.NamedNode) and g.value.startswith(_KGF)
        ),
        key=lambda g: g.value,
    )
    for g in facts:
        stated = [q for q in store.quads_for_pattern(None, None, None, g) if q.predicate in scoped]
        if not stated:
            continue
        published = [
            day
            for article in records[PROV.wasDerivedFrom].get(g, ())
            for day in records[SCHEMA.datePublished].get(article, ())
        ] or [None]
        for q in stated:
            for rank, day, since, until in product(
                values(DIP.rank, g), published, values(DIP.since, g), values(DIP.until, g)
            ):
                yield q.subject, q.predicate, q.object, rank, day, since, until


def held_spans(store: ox.Store) -> dict[tuple, list]:
    """Each stated time-scoped triple's spans of days (day ordinals, -inf and inf for open
    ends) on which it holds, successions and ends taken into account."""
    events = scoped_events(store)
    return held_of(events, slots_of(events))


def _events(published, since, until) -> list[tuple[float, bool]]:
    """The events of one fact: it holds from its since, and from its article's date unless
    it ended before (background knowledge: from the start), and ends after its until."""
    article = float(dt.date.fromisoformat(published.value).toordinal()) if published else None
    end = float(period_bounds(until.value)[1].toordinal()) + 1 if until is not None else None
    out = []
    if since is not None:
        out.append((float(period_bounds(since.value)[0].toordinal()), True))
    elif article is None:
        out.append((_START, True))
    if article is not None and (end is None or end > article):
        out.append((article, True))
    if end is not None:
        out.append((end, False))
    return out


def slots_of(events: dict) -> dict[tuple, list]:
    """Each time-scoped triple's slots: the (node, property, direction) the shapes allow
    once, with every triple that fills it.

    Examples
    --------
    >>> d, p = ox.NamedNode("urn:delegation"), ox.NamedNode(DIP.headedBy)
    >>> heads = {(d, p, ox.NamedNode("urn:a")): [], (d, p, ox.NamedNode("urn:b")): []}
    >>> [len(filled) for filled in slots_of(heads).values()]
    [2]
    """
    single = {
        (p.predicate, p.inverse) for p in functional_paths() if p.predicate in time_scope().scoped
    }
    slots: dict[tuple, list] = defaultdict(list)
    for s, p, o in events:
        if (p.value, False) in single:
            slots[(s, p, False)].append((s, p, o))
        if (p.value, True) in single:
            slots[(o, p, True)].append((s, p, o))
    return slots


def held_of(events: dict, slots: dict) -> dict[tuple, list]:
    """Each triple's spans of days (see `spans`), from the events of each (`events_of`)
    and the slots they fill (`slots_of`).

    Examples
    --------
    >>> held_of({"t": [(10.0, True)], "u": [(20.0, True)]}, {"slot": ["t", "u"]})
    {'t': [(10.0, 20.0)], 'u': [(20.0, inf)]}
    """
    filled: dict[tuple, list] = defaultdict(list)
    for key, triples in slots.items():
        for t in triples:
            filled[t].append(key)
    out = {}
    for t, own in events.items():
        mates = [[events[m] for m in slots[key] if m != t] for key in filled.get(t, ())]
        found = spans(own, mates)
        if found:
            out[t] = found
    return out


def _implied(store: ox.Store, held: dict, scope) -> dict[tuple, list]:
    """The triples that hold while each held triple does: itself, its inverses and
    super-properties, and its chains with a property that holds for good; each with the
    union of its spans."""
    out: dict[tuple, list] = defaultdict(list)
    reach = chain_reach(store, held, scope)
    for triple, found in held.items():
        for implied in derived(triple, reach, scope):
            out[implied].extend(found)
    return {t: spans_union(spans_) for t, spans_ in out.items()}


def chain_reach(store: ox.Store, triples, scope) -> dict:
    """For each chain whose first link is one of `triples`: the values its second link
    has, for good (in the stated union or the inferred triples), from that link's object:
    ``{(node, second): [values]}``.

    Examples
    --------
    >>> chain_reach(ox.Store(), [], time_scope())
    {}
    """
    lasting = (stated_graph(store), ox.NamedNode(INFERRED_GRAPH))
    reach: dict = {}
    for _, p, o in triples:
        for first, second, _ in scope.chains:
            if p.value == first and (o, second) not in reach:
                reach[(o, second)] = [
                    q.object
                    for graph in lasting
                    for q in store.quads_for_pattern(o, ox.NamedNode(second), None, graph)
                ]
    return reach


def derived(triple: tuple, reach: dict, scope) -> list[tuple]:
    """What a time-scoped triple implies while it holds: itself, its chains with a link
    that holds for good (`reach`, from `chain_reach`), and the inverses and super-properties
    of both.

    Examples
    --------
    >>> d, m = ox.NamedNode("urn:delegation"), ox.NamedNode("urn:member")
    >>> found = derived((d, ox.NamedNode(DIP.headedBy), m), {}, time_scope())
    >>> sorted(p.value.rsplit("#", 1)[1] for _, p, _ in found)
    ['headOf', 'headedBy']
    """
    s, p, o = triple
    out = [triple]
    for first, second, result in scope.chains:
        if p.value == first:
            out += [(s, ox.NamedNode(result), z) for z in reach[(o, second)]]
    for ds, dp, do in list(out):
        for iri, inverse in scope.implied.get(dp.value, ()):
            node = ox.NamedNode(iri)
            out.append((do, node, ds) if inverse else (ds, node, do))
    return out


def spans_minus(spans_: list, taken: list) -> list:
    """The days of `spans_` outside `taken` (both sorted and disjoint), as spans.

    Examples
    --------
    >>> spans_minus([(1.0, 10.0)], [(3.0, 5.0)])
    [(1.0, 3.0), (5.0, 10.0)]
    """
    out = []
    for a, b in spans_:
        for c, d in taken:
            if d <= a or c >= b:
                continue
            if c > a:
                out.append((a, c))
            a = max(a, d)
            if a >= b:
                break
        if a < b:
            out.append((a, b))
    return out


def spans_union(spans_: list) -> list:
    """Spans merged where they overlap or meet, in order.

    Examples
    --------
    >>> spans_union([(5.0, 8.0), (1.0, 3.0), (3.0, 4.0)])
    [(1.0, 4.0), (5.0, 8.0)]
    """
    merged: list[list] = []
    for a, b in sorted(spans_):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def as_of_graphs(store: ox.Store, day: dt.date, inferred: bool = True) -> list:
    """The graphs a query as of `day` reads: the stated union, the inferred triples that
    hold for good, the ontology, and the graphs of the as-of index that hold on that day
    (with `inferred` False: the stated union and what the sources state that holds on
    that day).

    Raises
    ------
    InputError
        If the store has no as-of index (a file of plain triples, without the graphs of
        its facts).
    """
    index = ox.NamedNode(AS_OF_INDEX)
    bounds = {
        q.predicate.value: dt.date.fromisoformat(cast(ox.Literal, q.object).value)
        for q in store.quads_for_pattern(index, None, None, index)
    }
    graphs: list = [stated_graph(store)]
    if inferred and store.contains_named_graph(ox.NamedNode(AS_OF_INFERRED)):
        graphs.append(ox.NamedNode(AS_OF_INFERRED))
    if not bounds:
        if _unscoped(store):
            raise InputError(
                "it holds links that last for a time (posts, memberships) without the "
                "graphs of the facts that date them, so it cannot say what held on a day; "
                "give a build folder, a data folder, or a TriG or N-Quads file of the build"
            )
        return graphs + [
            ox.NamedNode(g)
            for g in ((INFERRED_GRAPH, ONTOLOGY_GRAPH) if inferred else ())
            if store.contains_named_graph(ox.NamedNode(g))
        ]
    lo, last = bounds[DIP.validFrom].toordinal(), bounds[DIP.validTo].toordinal() + 1
    hi = aligned(lo, last)
    d = day.toordinal()
    if d < lo:
        names = ["before"]
    elif d >= last:
        names = ["after"]
    else:
        names = [f"{k}/{(d - lo) // BRANCHING**k}" for k in range(_levels(lo, hi))]
    kind = "a" if inferred else "s"
    graphs += [
        node
        for node in (ox.NamedNode(f"{AS_OF}{kind}/{n}") for n in names)
        if store.contains_named_graph(node)
    ]
    return graphs


def _unscoped(store: ox.Store) -> bool:
    """Whether the stated union holds time-scoped triples (a file of plain triples)."""
    return any(
        next(store.quads_for_pattern(None, ox.NamedNode(p), None, stated_graph(store)), None)
        for p in time_scope().scoped
    )
