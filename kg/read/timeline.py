"""The events of the graph in order: each with its day (or the range of days its sources
allow, when they disagree or give only a year), its place, its participants and the
articles that date it; as a table, an offline page (vis-timeline) and a PNG."""

from __future__ import annotations

__all__ = [
    "Event",
    "events",
    "timeline_answer",
    "timeline_html",
    "timeline_png",
    "TIMELINE_COLUMNS",
]

import datetime as dt
import io
import textwrap
from dataclasses import dataclass, field
from typing import cast

import pyoxigraph as ox
from markupsafe import Markup

from kg.assets import npm_asset
from kg.errors import InputError
from kg.pages import render
from kg.read.history import find_entity
from kg.store.graphs import source_of
from kg.store.sparql import Answer
from kg.vocab.kinds import name_order
from kg.vocab.namespaces import PREFIX_IRIS
from kg.vocab.ontology import subclasses
from kg.vocab.terms import DIP

#: The columns of the table: the day or range of days, the event, its place, its
#: participants, and each article that dates it with the day it gives.
TIMELINE_COLUMNS = ["day", "event", "place", "participants", "dated_by"]
_EVENTS = """
SELECT ?e ?label ?date ?year ?g WHERE {{
  VALUES ?class {{ {classes} }}
  ?e a ?class ; rdfs:label ?label .
  {{ GRAPH ?g {{ ?e dip:date ?date }} }} UNION {{ GRAPH ?g {{ ?e dip:year ?year }} }}
  FILTER (STRSTARTS(STR(?g), "{kgf}"))
}}"""
_DETAILS = """
SELECT ?e ?kind ?x ?label WHERE {{
  VALUES ?e {{ {events} }}
  {{ ?e dip:location ?x BIND("place" AS ?kind) }}
  UNION {{ ?e dip:hasParticipant ?x BIND("participant" AS ?kind) }}
  ?x rdfs:label ?label .
}}"""


@dataclass
class Event:
    """An event the sources date: its first and last possible day, and what each
    article says (article id -> the day, or the year, it gives)."""

    iri: str
    label: str
    first: dt.date
    last: dt.date
    dated_by: dict = field(default_factory=dict)
    place: list = field(default_factory=list)
    participants: list = field(default_factory=list)

    @property
    def day(self) -> str:
        """The day, the range of days (``2025-05-15 – 2025-05-16``), or the year."""
        if self.first == self.last:
            return self.first.isoformat()
        if (self.first.month, self.first.day, self.last.month, self.last.day) == (
            1,
            1,
            12,
            31,
        ) and self.first.year == self.last.year:
            return str(self.first.year)
        return f"{self.first.isoformat()} – {self.last.isoformat()}"


def events(store, about: str | None = None, since=None, until=None) -> list[Event]:
    """The events the graph dates, in order (by first possible day, then label); with
    `about` (a name or id) those it takes part in or that took place there; with `since` and
    `until` (days) those that may fall between them.

    Examples
    --------
    >>> from kg.source import open_store
    >>> [(e.day, e.label) for e in events(open_store("data"), since="2025-05-16")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('2025-05-15 – 2025-05-16', 'Russia–Ukraine direct talks in Istanbul (May 2025)'),
     ('2025-06-02', 'Second round of Russia–Ukraine direct talks in Istanbul (June 2025)'),
     ('2025-07-23', 'Third round of Russia–Ukraine direct talks in Istanbul (July 2025)')]
    """
    # deferred: the readers' day parsing lives with the store
    from kg.store.asof import day_of  # noqa: PLC0415

    since = day_of(since, "--since") if isinstance(since, str) else since
    until = day_of(until, "--until") if isinstance(until, str) else until
    raw = getattr(store, "store", store)
    scope = {"default_graph": store.full_default()} if hasattr(store, "full_default") else {}
    classes = " ".join(f"<{c}>" for c in sorted(subclasses(DIP.DiplomaticEvent)))
    found: dict[str, Event] = {}
    named: dict[str, tuple] = {}
    query = _EVENTS.format(classes=classes, kgf=PREFIX_IRIS["kgf"])
    for row in cast(ox.QuerySolutions, raw.query(query, prefixes=PREFIX_IRIS, **scope)):
        iri = row["e"].value
        if row["date"] is not None:
            first = last = dt.date.fromisoformat(row["date"].value)
            said = row["date"].value
        else:
            year = int(row["year"].value)
            first, last, said = dt.date(year, 1, 1), dt.date(year, 12, 31), str(year)
        event = found.setdefault(iri, Event(iri, row["label"].value, first, last))
        event.first, event.last = min(event.first, first), max(event.last, last)
        # an event named in several languages shows its English name, else another
        rank = name_order(row["label"].language, row["label"].value)
        if iri not in named or rank < named[iri]:
            named[iri], event.label = rank, rank[1]
        event.dated_by[source_of(row["g"].value)] = said
    if found:
        values = " ".join(f"<{i}>" for i in sorted(found))
        query = _DETAILS.format(events=values)
        # one name for each place and participant: its English label, else another
        shown: dict[tuple, tuple] = {}
        for row in cast(ox.QuerySolutions, raw.query(query, prefixes=PREFIX_IRIS, **scope)):
            key = (row["e"].value, row["kind"].value, row["x"].value)
            rank = name_order(row["label"].language, row["label"].value)
            shown[key] = min(shown.get(key, rank), rank)
        for (e, kind, _), (_, label) in sorted(shown.items()):
            bucket = found[e].place if kind == "place" else found[e].participants
            if label not in bucket:
                bucket.append(label)
    chosen = list(found.values())
    if about:
        entity = find_entity(store, about).value
        near = _near(raw, scope, entity, [e.iri for e in chosen])
        chosen = [e for e in chosen if e.iri in near]
    if since is not None:
        chosen = [e for e in chosen if e.last >= since]
    if until is not None:
        chosen = [e for e in chosen if e.first <= until]
    for e in chosen:
        e.place.sort()
        e.participants.sort()
    return sorted(chosen, key=lambda e: (e.first, e.last, e.label))


def _near(raw, scope, entity: str, iris: list[str]) -> set[str]:
    """The events of `iris` that `entity` is: one of, takes part in, or is the place of."""
    if not iris:
        return set()
    values = " ".join(f"<{i}>" for i in iris)
    query = f"""SELECT DISTINCT ?e WHERE {{ VALUES ?e {{ {values} }}
        {{ ?e dip:hasParticipant|dip:location|dip:location/dip:locatedIn <{entity}> }}
        UNION {{ FILTER (?e = <{entity}>) }} }}"""
    return {
        row["e"].value
        for row in cast(ox.QuerySolutions, raw.query(query, prefixes=PREFIX_IRIS, **scope))
    }


#: What `timeline` writes: a table as `kg query` prints one, an offline page, a PNG.
TIMELINE_FORMATS = ("table", "csv", "tsv", "json", "html", "png")


def timeline(store, fmt: str = "table", about: str | None = None, since=None, until=None) -> bytes:
    """The timeline of `store` in `fmt` (see `TIMELINE_FORMATS`); `since` and `until` are
    days (YYYY-MM-DD or dates), `about` a name or id.

    Examples
    --------
    >>> from kg.source import open_store
    >>> print(timeline(open_store("data"), "csv", since="2025-07-01").decode().splitlines()[1])
    2025-07-23,Third round of Russia–Ukraine direct talks in Istanbul (July 2025),Çırağan Palace,Hakan Fidan; Russia; Russian delegation to the third round; Rustem Umerov; Turkey; Ukraine; Ukrainian delegation to the third round; Vladimir Medinsky,2025-07-24-istanbul-third-round (2025-07-23)
    """
    # deferred: the readers' formats import the store's
    from kg.read.query import format_result  # noqa: PLC0415
    from kg.store.asof import day_of  # noqa: PLC0415

    if fmt not in TIMELINE_FORMATS:
        raise InputError(f"unknown format {fmt!r}; use one of: {', '.join(TIMELINE_FORMATS)}")
    first = day_of(since, "--since") if isinstance(since, str) else since
    last = day_of(until, "--until") if isinstance(until, str) else until
    if first and last and last < first:
        raise InputError(f"--until {last} is before --since {first}; swap them")
    found = events(store, about, first, last)
    title = "kg timeline" + (f": {about}" if about else "")
    if fmt == "html":
        return timeline_html(found, title)
    if fmt == "png":
        return timeline_png(found, title)
    return format_result(timeline_answer(found), fmt).encode("utf-8")


def timeline_answer(found: list[Event]) -> Answer:
    """The events as a table (`kg.read.query.format_result` prints it)."""
    rows = [
        (
            ox.Literal(e.day),
            ox.Literal(e.label),
            ox.Literal("; ".join(e.place)),
            ox.Literal("; ".join(e.participants)),
            ox.Literal("; ".join(f"{a} ({said})" for a, said in sorted(e.dated_by.items()))),
        )
        for e in found
    ]
    return Answer("SELECT", list(TIMELINE_COLUMNS), rows)


def timeline_html(found: list[Event], title: str = "kg timeline") -> bytes:
    """An offline page: the events on vis-timeline's zoomable axis (a range where the
    sources allow several days), each with its place, participants and sources; without
    vis-timeline installed, a table.

    Examples
    --------
    >>> from kg.source import open_store
    >>> b"Third round" in timeline_html(events(open_store("data")))
    True
    """
    items = [
        {
            "id": i,
            "content": e.label,
            "start": e.first.isoformat(),
            # a range of a week or more is drawn as a bar; a shorter one as a box at its start
            **(
                {"end": (e.last + dt.timedelta(days=1)).isoformat()}
                if (e.last - e.first).days >= 7
                else {}
            ),
            "day": e.day,
            "place": "; ".join(e.place),
            "participants": "; ".join(e.participants),
            "dated_by": [f"{a} ({said})" for a, said in sorted(e.dated_by.items())],
        }
        for i, e in enumerate(found)
    ]
    script, style = npm_asset("vis-timeline.min.js"), npm_asset("vis-timeline.min.css")
    vis = script.read_text(encoding="utf-8") if script and style else ""
    css = style.read_text(encoding="utf-8") if style and vis else ""
    page = render(
        "timeline.html",
        title=title,
        items=items,
        vis=Markup(vis.replace("</script", "<\\/script")),
        css=Markup(css.replace("</style", "<\\/style")),
        header=TIMELINE_COLUMNS,
    )
    return page.encode("utf-8")


def timeline_png(found: list[Event], title: str = "kg timeline") -> bytes:
    """The events on a date axis, each a dot (a bar over the range its sources allow) with
    its label, placed on alternating levels so that no two labels meet.

    Examples
    --------
    >>> from kg.source import open_store
    >>> timeline_png(events(open_store("data")))[1:4]
    b'PNG'
    """
    if not found:
        raise InputError("no dated event matches; widen --since/--until or --about")
    # deferred: matplotlib is slow to import, and its backend is chosen only to draw
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.dates as mdates  # noqa: PLC0415
    import matplotlib.pyplot as plt  # noqa: PLC0415

    from kg.read.viz import separate_labels  # noqa: PLC0415

    levels = [((i % 4) + 1) * (1 if i % 2 == 0 else -1) for i in range(len(found))]
    texts = []
    figure, axes = plt.subplots(figsize=(14, 6), dpi=100)
    axes.axhline(0, color="#999999", linewidth=1)
    for event, level in zip(found, levels, strict=True):
        start = mdates.date2num(event.first)
        end = mdates.date2num(event.last + dt.timedelta(days=1))
        axes.plot([start, start], [0, level], color="#bbbbbb", linewidth=0.8)
        if event.last != event.first:
            axes.plot([start, end], [0, 0], color="#d95f02", linewidth=5, solid_capstyle="butt")
        axes.plot([start], [0], "o", color="#1b9e77")
        text = axes.text(
            start,
            level,
            textwrap.fill(f"{event.day}\n{event.label}", 34),
            fontsize=8,
            ha="center",
            va="bottom" if level > 0 else "top",
            bbox={"facecolor": "white", "alpha": 0.9, "edgecolor": "#cccccc", "pad": 2},
        )
        texts.append(text)
    axes.set_ylim(-6, 6)
    axes.yaxis.set_visible(False)
    for side in ("left", "right", "top"):
        axes.spines[side].set_visible(False)
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    span = mdates.date2num(found[-1].last) - mdates.date2num(found[0].first)
    pad = max(5.0, span * 0.12)
    axes.set_xlim(mdates.date2num(found[0].first) - pad, mdates.date2num(found[-1].last) + pad)
    axes.set_title(title, fontsize=12)
    figure.autofmt_xdate()
    figure.tight_layout()
    separate_labels(texts, axes)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()
