"""The as-of index brought up to date by what a rebuild changed, rather than made anew.

A rebuild replaces the graphs of the sources that changed (`kg.store.generations`). Where
a time-scoped triple stands in the as-of index (`kg.store.asof`) depends on its own facts,
on those of the other values of each slot it fills (a succession), on the other facts of
its subject and property (a preferred fact hides the others), and, for what it implies, on
what holds for good at the far end of a chain. So after an edit only these triples can move:

- the time-scoped triples of the changed sources' fact graphs, before and after the edit,
  with every other value of their subject and property and of each slot they fill;
- what those imply, and what the triples whose chain's other link changed imply.

Each of them is placed anew from every held triple whose subject is its subject or object
(everything that can imply it is among those), and its graphs are changed by the
difference. The tree of spans stays laid over the same days while the index's first day
stays and its top level's blocks still reach its last day (the index counts the spans that
begin or end on each day, `DAYS`): an article dated after every other moves only the last
day. When the tree must be laid anew (an article dated before every other), and when a
store's index has no such count, the caller makes the index anew
(`kg.store.asof.index_time`).
"""

from __future__ import annotations

__all__ = ["update_index"]

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from kg.store.asof import (
    BRANCHING,
    DAYS,
    aligned,
    bounds_of,
    chain_reach,
    derived,
    events_of,
    held_of,
    index_days,
    nt_line,
    segments_of,
    slots_of,
    spans_minus,
    spans_union,
)
from kg.store.plain import stated_graph
from kg.vocab.curation import time_scope
from kg.vocab.functional import functional_paths
from kg.vocab.namespaces import (
    AS_OF,
    AS_OF_INDEX,
    AS_OF_INFERRED,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    PREFIX_IRIS,
    PROV,
    SCHEMA,
    SCOPED_GRAPH,
)
from kg.vocab.terms import DIP

_KGF = PREFIX_IRIS["kgf"]
_START, _END = float("-inf"), float("inf")
#: The graphs whose triples hold for good unless a time-scoped triple implies them.
_INFERRED_PARTS = (ox.NamedNode(INFERRED_GRAPH), ox.NamedNode(ONTOLOGY_GRAPH))
#: The prefixes of the index's graphs of spans: what the sources state, and with it what
#: that implies.
_KINDS = (f"{AS_OF}s/", f"{AS_OF}a/")


def update_index(
    store: ox.Store, seeds: Iterable[tuple], touched: set[bytes], known: dict[str, Any]
) -> dict[str, Any] | None:
    """Bring the as-of index of `store` up to date after its sources' graphs changed.

    `seeds` are the triples (of Oxigraph terms) of the changed sources' fact graphs, before
    and after the change (only the time-scoped ones matter); `touched` the lines whose place in the
    stated union or the inferred triples may have changed (what `kg.store.plain.settle_plain`
    is given), to which the lines whose place in `SCOPED_GRAPH` changes are added; `known`
    what `kg.store.asof.index_time` (or this) returned for the index as it stands.

    Returns what `index_time` would return (the digests of the graphs that did not change,
    and the count of `DAYS`), or None, with nothing changed, when the index must be made
    anew: its days are not known, or its tree of spans moves.

    Examples
    --------
    >>> update_index(ox.Store(), [], set(), {}) is None    # an index of an earlier kg
    True
    """
    counted = known.get(DAYS)
    if not isinstance(counted, dict):
        return None
    days = Counter({int(day): n for day, n in counted.items()})
    lo, last = bounds_of(days)
    hi = aligned(lo, last)
    scope = time_scope()
    facts = _Facts(store, scope)
    lines = {line.rstrip(b"\n") for line in touched}
    lines.discard(b"")
    changed_lines = _parse(lines)
    seeded = {t for t in seeds if t[1] in facts.scoped}
    facts.open((s, p) for s, p, _ in seeded)

    # the triples whose spans may change
    moving = set(seeded)
    for s, p, o in seeded:
        moving |= facts.values(s, p)
        if (p.value, True) in facts.single:
            moving |= facts.holders(p, o)
    # the triples whose chain's other link changed, and what they imply with it before
    # and after (the value a chain reached may be gone)
    heads: set = set()
    extra: dict = defaultdict(set)
    for x, second, z in changed_lines:
        for first, second_, _ in scope.chains:
            if second.value == second_:
                heads |= facts.holders(ox.NamedNode(first), x)
                extra[(x, second.value)].add(z)
    reach = chain_reach(store, moving | heads, scope)
    wider = {key: list(set(values) | extra.get(key, set())) for key, values in reach.items()}
    placed = set(moving)
    for triple in moving | heads:
        placed.update(derived(triple, wider, scope))

    # everything that can imply a triple placed has its subject or its object as subject
    nodes = {term for s, _, o in placed for term in (s, o) if not isinstance(term, ox.Literal)}
    near = set(moving)
    for node in nodes:
        for p in facts.scoped:
            near |= facts.values(node, p)
    events = facts.events(near)
    held = {t: found for t, found in held_of(events, slots_of(events)).items() if t in near}
    reach = chain_reach(store, near, scope)
    implied: dict = defaultdict(list)
    for triple, found in held.items():
        for other in derived(triple, reach, scope):
            if other in placed:
                implied[other].extend(found)

    # each triple's graphs, now and before; the days its spans begin or end on
    moves: dict[tuple, tuple[set, set]] = {}
    for triple in placed:
        own = held.get(triple, [])
        rest = spans_minus(spans_union(implied.get(triple, [])), own)
        now = {
            f"{kind}{name}" for a, b in own for name in segments_of(a, b, lo, hi) for kind in _KINDS
        }
        now |= {f"{_KINDS[1]}{name}" for a, b in rest for name in segments_of(a, b, lo, hi)}
        before = facts.index_graphs(triple)
        if now != before:
            old_own, old_rest = _spans_of(before, lo, hi)
            days.subtract(_ends(old_own) + _ends(old_rest))
            days.update(_ends(own) + _ends(rest))
            moves[triple] = (before, now)
    # the tree of spans stays where it is while it starts on the same day and its top
    # level's blocks still reach the last day
    first, end = bounds_of(days)
    if first != lo or aligned(lo, end) != hi:
        return None

    out = dict(known)
    if end != last:
        index = ox.NamedNode(AS_OF_INDEX)
        for s, p, o in index_days(lo, last):
            store.remove(ox.Quad(s, p, o, index))
        for s, p, o in index_days(lo, end):
            store.add(ox.Quad(s, p, o, index))
        out.pop(AS_OF_INDEX, None)
    out[DAYS] = {str(day): n for day, n in sorted(days.items()) if n > 0}
    emptied: set[str] = set()
    for triple, (before, now) in moves.items():
        for name in before - now:
            store.remove(_quad(triple, ox.NamedNode(name)))
            emptied.add(name)
        for name in now - before:
            store.add(_quad(triple, ox.NamedNode(name)))
        for name in before ^ now:
            out.pop(name, None)
    # what the sources state of a time-scoped property, after ranks, is in the scoped
    # graph and not in the stated union
    stated, scoped = stated_graph(store), ox.NamedNode(SCOPED_GRAPH)
    for triple in moving:
        quad = _quad(triple, scoped)
        if triple in events and quad not in store:
            store.add(quad)
        elif triple not in events and quad in store:
            store.remove(quad)
            emptied.add(SCOPED_GRAPH)
        else:
            continue
        out.pop(SCOPED_GRAPH, None)
        touched.add(nt_line(triple))
    for triple in moving:
        if triple in events:
            store.remove(_quad(triple, stated))
    # what a query as of a day reads of the inferred triples and the ontology: those that
    # no time-scoped triple implies
    bound = {ox.NamedNode(i) for i in scope.bound}
    target = ox.NamedNode(AS_OF_INFERRED)
    for s, p, o in changed_lines:
        quad = ox.Quad(s, p, o, target)
        wanted = p not in bound and any(ox.Quad(s, p, o, g) in store for g in _INFERRED_PARTS)
        if wanted and quad not in store:
            store.add(quad)
            out.pop(AS_OF_INFERRED, None)
        elif not wanted and quad in store:
            store.remove(quad)
            emptied.add(AS_OF_INFERRED)
            out.pop(AS_OF_INFERRED, None)
    for name in emptied:  # no empty graph left named, as a build from scratch has none
        node = ox.NamedNode(name)
        if next(store.quads_for_pattern(None, None, None, node), None) is None:
            store.remove_graph(node)
    return out


class _Facts:
    """Look-ups of the time-scoped triples the sources state, each made once.

    The values of a subject and property whose facts changed (`open`) are read from the
    facts' own graphs; the others from `SCOPED_GRAPH` as it stands, which holds the
    values that count after ranks, and these did not change. A value that does not count
    adds no event and hides no other, so the events of either are the same.
    """

    def __init__(self, store: ox.Store, scope):
        self.store = store
        self.stated = stated_graph(store)
        self.counted = ox.NamedNode(SCOPED_GRAPH)
        self.scoped = {ox.NamedNode(p) for p in scope.scoped}
        self.single = {
            (p.predicate, p.inverse) for p in functional_paths() if p.predicate in scope.scoped
        }
        self.opened: dict[tuple, set] = {}
        self._graphs: dict[tuple, list] = {}
        self._records: dict = {}

    def open(self, pairs: Iterable[tuple]) -> None:
        """Read the values of each (subject, property) of `pairs` from the facts' graphs."""
        for s, p in pairs:
            if (s, p) in self.opened:
                continue
            found: dict = defaultdict(list)
            for q in self.store.quads_for_pattern(s, p, None, None):
                g = q.graph_name
                if isinstance(g, ox.NamedNode) and g.value.startswith(_KGF):
                    found[(q.subject, q.predicate, q.object)].append(g)
            self.opened[(s, p)] = set(found)
            self._graphs.update(found)

    def values(self, s, p) -> set:
        """The triples the sources state of `s` and the time-scoped `p` that count."""
        if (s, p) in self.opened:
            return self.opened[(s, p)]
        if isinstance(s, ox.Literal):
            return set()
        return {_triple(q) for q in self.store.quads_for_pattern(s, p, None, self.counted)}

    def holders(self, p, o) -> set:
        """The triples the sources state of the time-scoped `p` with the value `o` that
        count."""
        found = {_triple(q) for q in self.store.quads_for_pattern(None, p, o, self.counted)}
        for (_, q), values in self.opened.items():
            if q == p:
                found |= {t for t in values if t[2] == o}
        return found

    def graphs(self, triple: tuple) -> list:
        """The fact graphs that state `triple`."""
        if triple not in self._graphs:
            s, p, o = triple
            self._graphs[triple] = [
                q.graph_name
                for q in self.store.quads_for_pattern(s, p, o, None)
                if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(_KGF)
            ]
        return self._graphs[triple]

    def events(self, triples: set) -> dict[tuple, list]:
        """The events of `triples`, and of every triple of each slot they fill (see
        `kg.store.asof.spans`), read from all the facts of each subject and property."""
        pairs = {(s, p) for s, p, _ in triples}
        for _, p, o in triples:
            if (p.value, True) in self.single:
                pairs |= {(s, p) for s, _, _ in self.holders(p, o)}
        rows: list[tuple] = []
        for s, p in pairs:
            for triple in self.values(s, p):
                for g in self.graphs(triple):
                    rank, published, since, until = self._record(g)
                    rows.extend(
                        (*triple, r, day, a, b)
                        for r in rank
                        for day in published
                        for a in since
                        for b in until
                    )
        return events_of(rows)

    def _record(self, g) -> tuple[list, list, list, list]:
        """A fact graph's ranks, article's dates, since and until (``[None]`` for none)."""
        if g not in self._records:

            def values(subject, iri: str) -> list:
                found = self.store.quads_for_pattern(subject, ox.NamedNode(iri), None, self.stated)
                return [q.object for q in found]

            published = [
                day
                for article in values(g, PROV.wasDerivedFrom)
                for day in values(article, SCHEMA.datePublished)
            ]
            self._records[g] = tuple(
                found or [None]
                for found in (
                    values(g, DIP.rank),
                    published,
                    values(g, DIP.since),
                    values(g, DIP.until),
                )
            )
        return self._records[g]

    def index_graphs(self, triple) -> set[str]:
        """The graphs of spans of the index that hold `triple`."""
        return {
            q.graph_name.value
            for q in self.store.quads_for_pattern(triple[0], triple[1], triple[2], None)
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(_KINDS)
        }


def _spans_of(names: set[str], lo: int, hi: int) -> tuple[list, list]:
    """A triple's spans as the index holds them (its graphs' names): what the sources
    state, and the rest of what it implies. A span that begins before the first day of the
    index begins with time itself (no span begins before that day), and one that goes past
    its last day never ends."""
    stated: list = []
    every: list = []
    for name in names:
        kind, _, where = name[len(AS_OF) :].partition("/")
        if where == "before":
            span = (_START, float(lo))
        elif where == "after":
            span = (float(hi), _END)
        else:
            level, index = (int(x) for x in where.split("/"))
            size = BRANCHING**level
            span = (float(lo + index * size), float(lo + (index + 1) * size))
        (stated if kind == "s" else every).append(span)
    own = spans_union(stated)
    return own, spans_minus(spans_union(every), own)


def _ends(spans_: list) -> list[int]:
    """The days on which `spans_` begin or end (not the open ends)."""
    return [int(d) for a, b in spans_ for d in (a, b) if abs(d) != _END]


def _parse(lines: set[bytes]) -> list[tuple]:
    """N-Triples lines as triples of Oxigraph terms."""
    if not lines:
        return []
    data = b"\n".join(sorted(lines)) + b"\n"
    return [
        (t.subject, t.predicate, t.object) for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
    ]


def _triple(quad: ox.Quad) -> tuple:
    return quad.subject, quad.predicate, quad.object


def _quad(triple: tuple, graph) -> ox.Quad:
    s, p, o = triple
    return ox.Quad(s, p, o, graph)
