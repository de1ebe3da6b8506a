"""Where sources disagree: an entity given two values of a property the shapes allow once.

A shape that says "at most one value" (``sh:maxCount 1``) holds within an article: the
build refuses an article that gives an event two dates. Across articles a disagreement is
kept, each value in the graph of the curated fact that states it, with its evidence; this
module lists them, and says which value a plain query sees (see `kg.store.graphs.apply_ranks`).
"""

from __future__ import annotations

__all__ = ["FunctionalPath", "functional_paths", "conflicts", "CONFLICT_COLUMNS"]

import pyoxigraph as ox

from kg.store.asof import held_spans
from kg.store.sparql import Answer
from kg.vocab.curation import time_scope
from kg.vocab.functional import FunctionalPath, functional_paths
from kg.vocab.namespaces import PREFIX_IRIS, SCOPED_GRAPH
from kg.vocab.records import conflict_query

#: The columns of `conflicts`: the entity, the property (``^p`` for an inverse), a value,
#: whether plain queries see it, the rank of the fact that states it, the article (or the
#: reference graph), the curated file and line, and the words of the article.
CONFLICT_COLUMNS = ["subject", "property", "value", "seen", "rank", "source", "curated", "quote"]


_SCOPED = ox.NamedNode(SCOPED_GRAPH)


def conflicts(store, successions: bool = False) -> Answer:
    """Every disagreement between sources, one row per value and source that gives it
    (with `successions`, the changes of a value that holds for a time instead).

    Where the property holds for a time (``dip:timeScoped``: a delegation's head, a post's
    holder), values that never hold on the same day (`kg.store.asof`) are a succession, not
    a disagreement: a later source names a new holder.

    Rows are grouped by entity and property, values in order; ``seen`` is true for the
    values a plain query sees (the store's default graph, after the curators' ranks),
    ``rank`` the rank of the fact (empty for the normal rank), ``source`` the article's
    IRI (or the reference graph's), ``curated`` its ``file:line`` and ``quote`` its
    evidence passage.

    Examples
    --------
    >>> from kg.source import open_store
    >>> [(row[2].value, row[5].value.rsplit("/", 1)[1]) for row in conflicts(open_store("data")).rows]
    [('2025-05-15', '2025-05-16-istanbul-talks'), ('2025-05-16', '2025-06-02-istanbul-exchange')]
    """

    raw = getattr(store, "store", store)
    scope = {"default_graph": store.full_default()} if hasattr(store, "full_default") else {}
    rows = []
    for path in functional_paths():
        text = conflict_query(path.cls, path.predicate, path.inverse)
        predicate = ox.NamedNode(path.predicate)
        for row in raw.query(text, prefixes=PREFIX_IRIS, **scope):
            s, o = row["s"], row["o"]
            quad = ox.Quad(o, predicate, s) if path.inverse else ox.Quad(s, predicate, o)
            # what plain queries see: the store's default graph, or what holds for a time
            seen = quad in raw or ox.Quad(quad.subject, quad.predicate, quad.object, _SCOPED) in raw
            curated = (
                f"{row['file'].value}:{row['line'].value}" if row["file"] is not None else None
            )
            rows.append(
                (
                    s,
                    ox.Literal(path.label()),
                    o,
                    ox.Literal(str(seen).lower()),
                    row["rank"],
                    row["source"],
                    ox.Literal(curated) if curated else None,
                    row["quote"],
                )
            )
    rows = sorted(set(rows), key=lambda r: tuple("" if t is None else str(t) for t in r))
    together = _together(raw, rows)
    rows = [r for r in rows if ((r[0], r[1].value) in together) != successions]
    return Answer("SELECT", list(CONFLICT_COLUMNS), rows)


def _together(raw, rows) -> set:
    """The (entity, property) of `rows` whose values hold on some day together: every
    property that holds for good, and a time-scoped one whose values' spans meet."""
    iris = {FunctionalPath("", p).label(): p for p in time_scope().scoped}
    scoped = set(iris) | {"^" + label for label in iris}
    held = held_spans(raw) if any(r[1].value in scoped for r in rows) else {}
    out = set()
    values: dict[tuple, set] = {}
    for r in rows:
        key = (r[0], r[1].value)
        if r[1].value not in scoped:
            out.add(key)
        else:
            values.setdefault(key, set()).add(r[2])
    for (node, label), found in values.items():
        predicate = ox.NamedNode(iris[label.lstrip("^")])
        inverse = label.startswith("^")
        spans = [
            held.get((v, predicate, node) if inverse else (node, predicate, v), [])
            for v in sorted(found, key=str)
        ]
        if any(
            a < d and c < b
            for i, one in enumerate(spans)
            for other in spans[i + 1 :]
            for a, b in one
            for c, d in other
        ):
            out.add((node, label))
    return out
