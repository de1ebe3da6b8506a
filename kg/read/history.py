"""An entity's history: the facts about it that hold for a time (its posts, memberships,
the delegations it headed), in order, each with its source and words, and the days on
which the graph holds it (`kg.store.asof`)."""

from __future__ import annotations

__all__ = ["history", "HISTORY_COLUMNS", "find_entity"]

import datetime as dt
from typing import cast

import pyoxigraph as ox

from kg.errors import InputError
from kg.store.asof import held_spans
from kg.store.sparql import Answer
from kg.vocab.curation import time_scope
from kg.vocab.kinds import ID_PATTERN, period_bounds
from kg.vocab.namespaces import PREFIX_IRIS, compact

#: The columns of `history`: the day the fact holds from (its since, else its article's
#: date; empty for a fact that says it had ended by then), its until, the triple, the days the graph holds it (after successions and ends),
#: the article, the curated file and line, and the article's words.
HISTORY_COLUMNS = [
    "from",
    "until",
    "subject",
    "property",
    "value",
    "holds",
    "source",
    "curated",
    "quote",
]
_FACTS = """
SELECT ?g ?s ?p ?o ?published ?since ?until ?file ?line ?quote WHERE {{
  VALUES ?p {{ {predicates} }}
  {{ GRAPH ?g {{ {entity} ?p ?o }} BIND({entity} AS ?s) }}
  UNION {{ GRAPH ?g {{ ?s ?p {entity} }} BIND({entity} AS ?o) }}
  FILTER (STRSTARTS(STR(?g), "{kgf}"))
  OPTIONAL {{ ?g prov:wasDerivedFrom ?article . ?article schema:datePublished ?published }}
  OPTIONAL {{ ?g dip:since ?since }}
  OPTIONAL {{ ?g dip:until ?until }}
  OPTIONAL {{ ?g dip:curatedIn ?file ; dip:curatedAtLine ?line }}
  OPTIONAL {{ ?g dip:evidence/oa:exact ?quote }}
}}"""


def find_entity(store, name: str) -> ox.NamedNode:
    """The entity `name` names: its id, or its label or another name (any case).

    Examples
    --------
    >>> from kg.source import open_store
    >>> find_entity(open_store("data"), "rustem umerov").value.rsplit("/", 1)[1]
    'rustem-umerov'
    """
    raw = getattr(store, "store", store)
    scope = {"default_graph": store.full_default(False)} if hasattr(store, "full_default") else {}
    if ID_PATTERN.match(name.strip()):
        by_id = ox.NamedNode(PREFIX_IRIS["kgr"] + name.strip())
        if next(raw.quads_for_pattern(by_id, None, None), None) is not None:
            return by_id
    text = name.strip().casefold().replace("\\", "\\\\").replace('"', '\\"')
    found = sorted(
        {
            row["e"].value
            for row in cast(
                ox.QuerySolutions,
                raw.query(
                    "SELECT DISTINCT ?e WHERE { ?e rdfs:label|skos:altLabel ?l "
                    f'FILTER (LCASE(STR(?l)) = "{text}") }}',
                    prefixes=PREFIX_IRIS,
                    **scope,
                ),
            )
            if row["e"].value.startswith(PREFIX_IRIS["kgr"])
        }
    )
    if not found:
        raise InputError(
            f"no entity is named {name!r}; give its id or label "
            "(kg entities search NAME finds near names)"
        )
    if len(found) > 1:
        raise InputError(
            f"{name!r} names several entities ({', '.join(compact(f) for f in found)}); give an id"
        )
    return ox.NamedNode(found[0])


def history(store, name: str) -> Answer:
    """The facts about `name` that hold for a time, in the order they begin.

    Examples
    --------
    >>> from kg.source import open_store
    >>> rows = history(open_store("data"), "Rustem Umerov").rows
    >>> [(r[0].value, r[3].value, r[4].value.rsplit("/", 1)[1]) for r in rows][:2]
    [('2025-05-16', 'dip:holdsPost', 'minister-of-defence-of-ukraine'), ('2025-05-16', 'dip:serves', 'ukraine')]
    """
    raw = getattr(store, "store", store)
    entity = find_entity(store, name)
    predicates = " ".join(f"<{p}>" for p in sorted(time_scope().scoped))
    query = _FACTS.format(predicates=predicates, entity=entity, kgf=PREFIX_IRIS["kgf"])
    held = held_spans(raw)
    rows = []
    for row in cast(ox.QuerySolutions, raw.query(query, prefixes=PREFIX_IRIS)):
        since, until, published = row["since"], row["until"], row["published"]
        # the day it holds from: its since, else its article's date, unless the fact says it
        # had ended by then ("former"): then no start is known, and it sorts by its end
        ended = (
            until is not None
            and published is not None
            and (period_bounds(until.value)[1].isoformat() < published.value)
        )
        start = (
            period_bounds(since.value)[0].isoformat()
            if since is not None
            else published.value
            if published is not None and not ended
            else ""
        )
        triple = (row["s"], row["p"], row["o"])
        article = row["g"].value[len(PREFIX_IRIS["kgf"]) :].split(".", 1)[0]
        rows.append(
            (
                ox.Literal(start),
                until,
                row["s"],
                ox.Literal(compact(row["p"].value)),
                row["o"],
                ox.Literal(_spans_text(held.get(triple, []))),
                ox.Literal(article),
                ox.Literal(f"{row['file'].value}:{row['line'].value}")
                if row["file"] is not None
                else None,
                row["quote"],
            )
        )

    def order(r: tuple) -> tuple:
        when = r[0].value or (period_bounds(r[1].value)[1].isoformat() if r[1] else "")
        return (when, *("" if t is None else str(t.value) for t in r))

    rows.sort(key=order)
    return Answer("SELECT", list(HISTORY_COLUMNS), rows)


def _spans_text(spans: list) -> str:
    """Spans of day ordinals as text: ``2025-05-16 – 2025-07-16``, open ends left blank;
    several joined by ``; ``; none: ``never`` (every fact of it is ranked away)."""
    if not spans:
        return "never"

    def day(value: float, shift: int = 0) -> str:
        if value in (float("inf"), float("-inf")):
            return ""
        return dt.date.fromordinal(int(value) + shift).isoformat()

    return "; ".join(f"{day(a)} – {day(b, -1)}".strip() for a, b in spans)
