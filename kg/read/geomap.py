"""The events of the graph on a map: one marker for each place that has coordinates, with
its events, their days and the articles that date them; as an offline page (D3 and the
Natural Earth outlines of world-atlas, inlined: no tile server) and a PNG."""

from __future__ import annotations

__all__ = ["Marker", "markers", "map_html", "map_png", "render_map", "world_rings"]

import json
import re
import textwrap
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import cast

import pyoxigraph as ox
from markupsafe import Markup

from kg.assets import npm_asset
from kg.errors import InputError
from kg.files import write_files
from kg.pages import render
from kg.read.timeline import Event, events
from kg.vocab.kinds import name_order
from kg.vocab.namespaces import PREFIX_IRIS

#: Half the smallest view, in degrees of latitude (a view is at least two degrees across).
MIN_HALF = 1.0
_POINT = re.compile(r"^POINT\((-?[0-9.]+) (-?[0-9.]+)\)$")
#: An event's place with coordinates: its location, else the nearest place that holds it.
_PLACES = """
SELECT ?e ?place ?label ?wkt ?hops WHERE {{
  VALUES ?e {{ {events} }}
  ?e dip:location ?at .
  {{ ?at geo:hasGeometry/geo:asWKT ?wkt BIND (?at AS ?place) BIND (0 AS ?hops) }}
  UNION {{ ?at dip:locatedIn ?place . ?place geo:hasGeometry/geo:asWKT ?wkt BIND (1 AS ?hops) }}
  UNION {{ ?at dip:locatedIn/dip:locatedIn ?place . ?place geo:hasGeometry/geo:asWKT ?wkt
           BIND (2 AS ?hops) }}
  ?place rdfs:label ?label .
}}"""


@dataclass
class Marker:
    """A place on the map: its label, latitude and longitude (WGS84 degrees), and the
    events that took place there, in order."""

    iri: str
    label: str
    lat: float
    lon: float
    events: list[Event] = field(default_factory=list)


def markers(
    store, article: str | None = None, focus: str | None = None, since=None, until=None
) -> tuple[list[Marker], list[Event]]:
    """The places of the events (as `kg.read.timeline.events` chooses them: `focus` and
    `since`/`until`; `article`, those the article reports), each with its events; and the
    events that have no place with coordinates.

    Examples
    --------
    >>> from kg.source import open_store
    >>> found, unplaced = markers(open_store("data"))
    >>> [(m.label, len(m.events)) for m in found]
    [('Dolmabahçe Palace', 2), ('Çırağan Palace', 2)]
    """
    chosen = events(store, about=focus, since=since, until=until)
    raw = getattr(store, "store", store)
    scope = {"default_graph": store.full_default()} if hasattr(store, "full_default") else {}
    if article is not None:
        iri = PREFIX_IRIS["kga"] + article
        reported = {
            q.object.value
            for q in raw.quads_for_pattern(ox.NamedNode(iri), None, None, None)
            if q.predicate.value == PREFIX_IRIS["dip"] + "reports"
        }
        if not raw.contains_named_graph(ox.NamedNode(iri)):
            raise InputError(f"no article {article!r} in the graph; give its folder's name")
        chosen = [e for e in chosen if e.iri in reported]
    by_event = {e.iri: e for e in chosen}
    candidates: dict[str, list[tuple[int, str, tuple[bool, str], str]]] = {}
    if chosen:
        query = _PLACES.format(events=" ".join(f"<{i}>" for i in sorted(by_event)))
        for row in cast(ox.QuerySolutions, raw.query(query, prefixes=PREFIX_IRIS, **scope)):
            # the place's English name ranks first (name_order), so min() shows it
            rank = name_order(row["label"].language, row["label"].value)
            candidates.setdefault(row["e"].value, []).append(
                (int(row["hops"].value), row["place"].value, rank, row["wkt"].value)
            )
    # an event in a city and at a venue there is drawn at the venue: the place that holds
    # no other of its places
    within = _within(raw, scope, {c[1] for found in candidates.values() for c in found})
    nearest = {
        e: min(c for c in found if not any(c[1] in within.get(d[1], ()) for d in found))
        for e, found in candidates.items()
    }
    places: dict[str, Marker] = {}
    for e in chosen:
        if e.iri not in nearest:
            continue
        _, place, (_, name), wkt = nearest[e.iri]
        match = _POINT.match(wkt)
        if match is None:
            continue
        lon, lat = float(match.group(1)), float(match.group(2))
        places.setdefault(place, Marker(place, name, lat, lon)).events.append(e)
    unplaced = [e for e in chosen if e.iri not in nearest]
    return sorted(places.values(), key=lambda m: (m.events[0].first, m.label)), unplaced


def _within(raw, scope, places: set[str]) -> dict[str, set[str]]:
    """For each of `places`, the places that hold it (dip:locatedIn, at any depth)."""
    if not places:
        return {}
    values = " ".join(f"<{p}>" for p in sorted(places))
    query = f"SELECT ?a ?b WHERE {{ VALUES ?a {{ {values} }} ?a dip:locatedIn+ ?b }}"
    out: dict[str, set[str]] = {}
    for row in cast(ox.QuerySolutions, raw.query(query, prefixes=PREFIX_IRIS, **scope)):
        out.setdefault(row["a"].value, set()).add(row["b"].value)
    return out


def _items(found: list[Marker]) -> list[dict]:
    return [
        {
            "label": m.label,
            "lat": m.lat,
            "lon": m.lon,
            "events": [
                {
                    "day": e.day,
                    "label": e.label,
                    "dated_by": [f"{a} ({said})" for a, said in sorted(e.dated_by.items())],
                }
                for e in m.events
            ],
        }
        for m in found
    ]


def map_html(found: list[Marker], unplaced: list[Event], title: str = "kg map") -> bytes:
    """An offline page: the world's outlines (world-atlas) drawn by D3, one marker per
    place, sized by its events; a click lists them with their days and sources. Without
    the packages installed, the same as a table.

    Examples
    --------
    >>> from kg.source import open_store
    >>> b"Dolmabah" in map_html(*markers(open_store("data")))
    True
    """
    scripts = [npm_asset("d3.min.js"), npm_asset("topojson-client.min.js")]
    # the outlines: Natural Earth's countries at 1:50 million, as world-atlas ships them
    outlines = npm_asset("countries-50m.json")
    ready = outlines is not None and all(scripts)
    code = "\n".join(p.read_text(encoding="utf-8") for p in scripts if p) if ready else ""
    world = outlines.read_text(encoding="utf-8") if outlines and ready else "null"
    page = render(
        "map.html",
        title=title,
        places=_items(found),
        unplaced=[{"day": e.day, "label": e.label} for e in unplaced],
        code=Markup(code.replace("</script", "<\\/script")),
        world=Markup(world.replace("</", "<\\/")),
        min_half=MIN_HALF,
    )
    return page.encode("utf-8")


@cache
def world_rings() -> tuple[tuple[tuple[float, float], ...], ...]:
    """The rings of the countries' outlines (longitude, latitude), decoded from
    world-atlas's TopoJSON (quantized, delta-encoded arcs); none when world-atlas is not
    installed (the map is drawn without them).

    Examples
    --------
    >>> rings = world_rings()
    >>> len(rings) > 1000 and all(-180.1 <= x <= 180.1 for ring in rings for x, _ in ring)
    True
    """
    outlines = npm_asset("countries-50m.json")
    if outlines is None:
        return ()
    topology = json.loads(outlines.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes) -> tuple:
        out: list = []
        for i in indexes:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out += points[1:] if out else points
        return tuple(out)

    rings = []
    for shape in topology["objects"]["countries"]["geometries"]:
        polygons = shape.get("arcs", [])
        if shape["type"] == "Polygon":
            polygons = [polygons]
        for polygon in polygons if shape["type"] in ("Polygon", "MultiPolygon") else []:
            rings += [ring(r) for r in polygon]
    return tuple(rings)


def map_png(found: list[Marker], title: str = "kg map") -> bytes:
    """The same map as a PNG (matplotlib): the outlines around the markers, each marker
    labelled with its place and its events' days, labels kept apart.

    Examples
    --------
    >>> from kg.source import open_store
    >>> map_png(markers(open_store("data"))[0])[1:4]
    b'PNG'
    """
    if not found:
        raise InputError(
            "no event has a place with coordinates; give places coordinates, or widen "
            "--since/--until, --focus or --article"
        )
    # deferred: matplotlib is slow to import, and its backend is chosen only to draw
    import io  # noqa: PLC0415

    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415
    from matplotlib.collections import PolyCollection  # noqa: PLC0415

    from kg.read.viz import separate_labels  # noqa: PLC0415

    lons, lats = [m.lon for m in found], [m.lat for m in found]
    # a view around the markers, at least two degrees across (the outlines are drawn at
    # 1:50 million: a closer view would show their corners, not the coast), with a margin
    half = max(MIN_HALF, (max(lons) - min(lons)) * 0.6, (max(lats) - min(lats)) * 0.6)
    cx, cy = (max(lons) + min(lons)) / 2, (max(lats) + min(lats)) / 2
    figure, axes = plt.subplots(figsize=(10, 8), dpi=100)
    axes.set_facecolor("#dbe9f6")
    axes.add_collection(
        PolyCollection(
            [ring for ring in world_rings() if len(ring) > 2],
            facecolor="#f4f1e8",
            edgecolor="#9a9a9a",
            linewidth=0.6,
        )
    )
    texts = []
    for m in found:
        axes.plot(m.lon, m.lat, "o", color="#d95f02", markersize=6 + 3 * len(m.events), zorder=3)
        days = ", ".join(e.day for e in m.events)
        texts.append(
            axes.text(
                m.lon,
                m.lat,
                textwrap.fill(f"{m.label}: {days}", 36),
                fontsize=9,
                zorder=4,
                bbox={"facecolor": "white", "alpha": 0.9, "edgecolor": "#cccccc", "pad": 2},
            )
        )
    axes.set_xlim(cx - half * 1.25, cx + half * 1.25)
    axes.set_ylim(cy - half, cy + half)
    axes.set_aspect(1 / max(0.2, _cos_degrees(cy)))  # equirectangular, true to scale at cy
    outlined = bool(world_rings())
    axes.set_title(title if outlined else f"{title} (no outlines: npm ci --prefix kg/web)")
    axes.set_xlabel("longitude (degrees)")
    axes.set_ylabel("latitude (degrees)")
    separate_labels(texts, axes)
    for m, text in zip(found, texts, strict=True):  # a line from each marker to its label
        x, y = text.get_position()
        axes.plot([m.lon, x], [m.lat, y], color="#666666", linewidth=0.8, zorder=2)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def _cos_degrees(degrees: float) -> float:
    import math  # noqa: PLC0415

    return math.cos(math.radians(degrees))


def render_map(store, out_dir, article=None, focus=None, since=None, until=None) -> list[Path]:
    """Write ``map.html`` and ``map.png`` of the chosen events into `out_dir` (both, or
    neither; with the permissions of a new file), and return their paths."""
    found, unplaced = markers(store, article, focus, since, until)
    return write_files({"map.html": map_html(found, unplaced), "map.png": map_png(found)}, out_dir)
