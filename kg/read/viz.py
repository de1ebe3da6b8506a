"""Pictures of a chosen part of the entity graph: a PNG for a report (matplotlib, labels
placed apart by adjustText) and an offline interactive page (vis-network, which pyvis ships
and this page inlines).

A corpus of many articles is too large to read as one picture, so `select` chooses the
part to draw: one article, one entity's neighbourhood to a depth, one community, or the
events of a date range with what they link; the whole graph only when it is small.
"""

from __future__ import annotations

__all__ = ["MAX_NODES", "select", "colours", "png", "html", "render"]

import io
import textwrap
from pathlib import Path

import networkx as nx
from markupsafe import Markup

from kg.errors import InputError
from kg.files import write_files
from kg.pages import render as render_page
from kg.read.analyze import communities, find_node
from kg.read.network import centrality_graph, multigraph, node_id, split_values
from kg.read.query import run_query
from kg.vocab.curation import TYPES
from kg.vocab.terms import DIP

#: The most nodes a picture holds; past it, `select` asks for a part of the graph.
MAX_NODES = 150

# Okabe-Ito and Tableau colours, distinguishable in print and for most colour-blind readers.
_PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#D55E00",
    "#56B4E9",
    "#B8A000",
    "#4D4D4D",
    "#8C564B",
    "#7F7F7F",
    "#BCBD22",
    "#17BECF",
    "#9467BD",
    "#FF9DA7",
    "#2CA02C",
    "#AEC7E8",
    "#FFBB78",
    "#98DF8A",
    "#C49C94",
    "#F7B6D2",
    "#DBDB8D",
    "#9EDAE5",
]


def colours(graph: nx.Graph) -> dict[str, str]:
    """The colour of each node type in `graph`, fixed by the type's place in the ontology,
    so that a type keeps its colour from one build (and one picture) to the next.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_nodes_from([("a", {"type": "Person"}), ("b", {"type": "Country"})])
    >>> before = colours(g)
    >>> g.add_node("c", type="Venue")  # a new type recolours no other
    >>> all(colours(g)[t] == c for t, c in before.items()), before["Person"] != before["Country"]
    (True, True)
    """

    order = list(TYPES) + ["NewsArticle"]
    out = {}
    for kind in sorted({d.get("type", "") for _, d in graph.nodes(data=True)}):
        index = order.index(kind) if kind in order else len(order) + sum(map(ord, kind))
        out[kind] = _PALETTE[index % len(_PALETTE)]
    return out


def select(
    store,
    graph: nx.MultiDiGraph | None = None,
    *,
    article: str | None = None,
    focus: str | None = None,
    depth: int = 1,
    community: int | None = None,
    since: str | None = None,
    until: str | None = None,
    max_nodes: int = MAX_NODES,
) -> nx.MultiDiGraph:
    """The part of the graph a picture shows.

    Parameters
    ----------
    article : str, optional
        An article's id: the entities and relations its facts state.
    focus, depth : str, int
        An entity (label or id) and the entities within `depth` hops of it.
    community : int, optional
        The K-th largest community (Louvain, seed 0), 1 first.
    since, until : str, optional
        Dates (YYYY-MM-DD): the events dated between them and what they link directly.
    max_nodes : int
        Past this many nodes the part is refused, with what to choose instead.

    Raises
    ------
    InputError
        An unknown article, name or community, or a part too large to draw.

    Examples
    --------
    >>> from kg.source import open_store
    >>> part = select(open_store("data"), focus="Hakan Fidan", depth=1)
    >>> sorted(part)[:2]
    ['hakan-fidan', 'istanbul-talks-second-round']
    """

    graph = graph if graph is not None else multigraph(store)
    chosen = set(graph)
    edges = None
    if article is not None:
        fact_prefix = f"kgf:{article}."
        edges = [
            (u, v, k)
            for u, v, k, d in graph.edges(keys=True, data=True)
            if any(f.startswith(fact_prefix) for f in split_values(d.get("facts", "")))
        ]
        if not edges:
            raise InputError(
                f"--article {article}: no relation of the graph comes from an "
                "article of that id; give an article folder's name"
            )
        chosen = {n for u, v, _ in edges for n in (u, v)}
    if focus is not None:
        centre = find_node(graph, focus)
        chosen &= set(nx.ego_graph(graph.to_undirected(as_view=True), centre, radius=depth))
    if community is not None:
        groups = communities(graph).groups
        if not 1 <= community <= len(groups):
            raise InputError(
                f"--community {community}: the graph has {len(groups)} "
                "communities; give 1 (the largest) to that number"
            )
        chosen &= set(groups[community - 1])
    if since is not None or until is not None:
        dated = _event_dates(store)
        events = {
            n
            for n, day in dated.items()
            if n in graph and (since is None or day >= since) and (until is None or day <= until)
        }
        near = set(events)
        for event in events:
            near |= set(graph.predecessors(event)) | set(graph.successors(event))
        chosen &= near
    part = graph.subgraph(chosen).copy()
    if edges is not None:  # only the article's own relations
        keep = set(edges)
        part.remove_edges_from([e for e in list(part.edges(keys=True)) if e not in keep])
    if part.number_of_nodes() == 0:
        raise InputError("nothing to draw: the choice selects no entity")
    if part.number_of_nodes() > max_nodes:
        raise InputError(
            f"the picture would hold {part.number_of_nodes()} entities, more than "
            f"{max_nodes} can be read; choose a part: --article ID, --focus NAME "
            "--depth N, --community K, or --since/--until DATE"
        )
    return part


def _event_dates(store) -> dict[str, str]:
    """Each dated entity's earliest date (sources may give two)."""

    out: dict[str, str] = {}
    for event, day in run_query(store, f"SELECT ?e ?d WHERE {{ ?e <{DIP.date}> ?d }}").rows:
        key = node_id(event.value)
        out[key] = min(out.get(key, day.value), day.value)
    return out


def _positions(graph: nx.Graph, seed: int = 7) -> dict:
    simple = centrality_graph(graph) if graph.is_multigraph() else nx.Graph(graph)
    if simple.number_of_nodes() == 1:
        return {next(iter(simple)): (0.0, 0.0)}
    start = nx.spring_layout(simple, seed=seed)
    return (
        nx.kamada_kawai_layout(simple, pos=start, weight=None)
        if nx.is_connected(simple)
        else nx.spring_layout(simple, pos=start, seed=seed, k=1.5 / max(1, len(simple)) ** 0.5)
    )


def png(graph: nx.MultiDiGraph, title: str = "") -> bytes:
    """Draw the graph as a PNG: nodes coloured by type (a legend), arrows, each node's full
    label (wrapped), placed apart from the others by adjustText, and, on a small graph,
    each relation's label.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="A", type="Person"); g.add_node("b", label="B", type="Meeting")
    >>> _ = g.add_edge("b", "a", key="p", label="has participant")
    >>> png(g, "two nodes")[1:4]
    b'PNG'
    """
    import matplotlib.pyplot as plt  # noqa: PLC0415 - deferred: slow, and only for a PNG

    figure = figure_of(graph, title)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def figure_of(graph: nx.MultiDiGraph, title: str = ""):
    """The matplotlib figure `png` saves; its entities' labels are the axes' texts of size 8.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="A", type="Person")
    >>> [t.get_text() for t in figure_of(g).axes[0].texts]
    ['A']
    """
    # deferred: matplotlib is slow to import, and its backend is chosen only to draw
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415
    from adjustText import adjust_text  # noqa: PLC0415
    from matplotlib.lines import Line2D  # noqa: PLC0415

    pos = _positions(graph)
    palette = colours(graph)
    figure, axes = plt.subplots(figsize=(16, 12), dpi=100)
    simple = nx.DiGraph()
    simple.add_nodes_from(graph.nodes(data=True))
    for u, v, d in graph.edges(data=True):
        label = d.get("label") or d.get("predicate", "")
        if simple.has_edge(u, v):
            simple.edges[u, v]["label"] += f", {label}"
        elif u != v:
            simple.add_edge(u, v, label=label)
    nx.draw_networkx_edges(
        simple,
        pos,
        ax=axes,
        edge_color="#9a9a9a",
        width=0.9,
        arrows=True,
        arrowstyle="-|>",
        arrowsize=12,
        node_size=600,
    )
    if simple.number_of_edges() <= 40:
        nx.draw_networkx_edge_labels(
            simple,
            pos,
            ax=axes,
            font_size=7,
            font_color="#555555",
            edge_labels=nx.get_edge_attributes(simple, "label"),
            bbox={"facecolor": "white", "alpha": 0.6, "edgecolor": "none"},
        )
    degree = dict(simple.degree())
    for kind, colour in palette.items():
        nodes = [n for n, d in simple.nodes(data=True) if d.get("type", "") == kind]
        nx.draw_networkx_nodes(
            simple,
            pos,
            nodelist=nodes,
            ax=axes,
            node_color=colour,
            node_size=[160 + 40 * degree[n] for n in nodes],
            edgecolors="white",
            linewidths=0.8,
        )
    texts = [
        axes.text(
            x,
            y,
            textwrap.fill(simple.nodes[n].get("label", n), 24),
            fontsize=8,
            ha="center",
            va="center",
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 0.6},
        )
        for n, (x, y) in sorted(pos.items())
    ]
    # a number of iterations rather than adjustText's default 1 s: the same picture on any machine
    adjust_text(
        texts, ax=axes, expand=(1.15, 1.3), max_move=None, ensure_inside_axes=True, iter_lim=200
    )
    separate_labels(texts, axes)
    handles = [
        Line2D([], [], marker="o", linestyle="", markersize=9, color=colour, label=kind)
        for kind, colour in palette.items()
    ]
    axes.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9, title="type"
    )
    if title:
        axes.set_title(title, fontsize=12)
    axes.axis("off")
    figure.tight_layout()
    return figure


def separate_labels(texts: list, axes, rounds: int = 200) -> None:
    """Push apart any labels adjustText left overlapping (it stops after a number of
    iterations, not when none overlap): each overlapping pair moves apart, half each, along
    the axis where they overlap least, until none overlap or `rounds` is spent."""
    figure = axes.figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    to_data = axes.transData.inverted()
    for _ in range(rounds):
        boxes = [t.get_window_extent(renderer).expanded(1.02, 1.08) for t in texts]
        moves = [[0.0, 0.0] for _ in texts]
        for i, a in enumerate(boxes):
            for j in range(i + 1, len(boxes)):
                b = boxes[j]
                dx = min(a.x1, b.x1) - max(a.x0, b.x0)
                dy = min(a.y1, b.y1) - max(a.y0, b.y0)
                if dx <= 0 or dy <= 0:
                    continue
                axis, push = (0, dx) if dx < dy else (1, dy)
                sign = (
                    1.0
                    if (a.x0 + a.x1, a.y0 + a.y1)[axis] >= (b.x0 + b.x1, b.y0 + b.y1)[axis]
                    else -1.0
                )
                moves[i][axis] += sign * (push / 2 + 1)
                moves[j][axis] -= sign * (push / 2 + 1)
        if not any(dx or dy for dx, dy in moves):
            return
        for text, (dx, dy) in zip(texts, moves, strict=True):
            if dx or dy:
                x, y = axes.transData.transform(text.get_position())
                text.set_position(to_data.transform((x + dx, y + dy)))


def _vis_network() -> str:
    """vis-network's script, as pyvis installs it, to put inline: the page needs no network."""
    import pyvis  # noqa: PLC0415 - deferred: it imports IPython, only for the page

    path = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js"
    return path.read_text(encoding="utf-8")


def html(graph: nx.MultiDiGraph, title: str = "kg", around: nx.MultiDiGraph | None = None) -> bytes:
    """A standalone page drawn by vis-network: filter by type and article, search, click a
    node to show its neighbours from `around` (the graph the part was chosen from), click a
    relation to read the article's words and their source. Everything is inline.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="A", type="Person"); g.add_node("b", label="B", type="Meeting")
    >>> _ = g.add_edge("b", "a", key="dip:hasParticipant", predicate="dip:hasParticipant",
    ...                label="has participant", quotes="A took part", quoted="x: A took part")
    >>> page = html(g).decode()
    >>> "<script src" in page, "A took part" in page
    (False, True)
    """
    around = around if around is not None else graph
    shown = set(graph)
    extra = set()
    for node in shown:  # one ring of neighbours, hidden until a click asks for them
        extra |= set(around.predecessors(node)) | set(around.successors(node))
    nodes_in = shown | extra
    everything = around.subgraph(nodes_in)
    palette = colours(everything)
    shown_edges = set(graph.edges(keys=True))
    articles: set[str] = set()
    edges = []
    for number, (u, v, k, d) in enumerate(sorted(everything.edges(keys=True, data=True))):
        quoted = [item.split(": ", 1) for item in split_values(d.get("quoted", ""))]
        sources = sorted({a for a, _ in quoted})
        articles.update(a for a in sources if a != "reference")
        edges.append(
            {
                "id": number,
                "from": u,
                "to": v,
                "label": d.get("label", k),
                "predicate": d.get("predicate", k),
                "role": d.get("role", ""),
                "quotes": [{"article": a, "words": w} for a, w in quoted],
                "curated": split_values(d.get("curated", "")),
                "basis": split_values(d.get("basis", "")),
                "articles": sources,
                "shown": (u, v, k) in shown_edges,
            }
        )
    nodes = [
        {
            "id": n,
            "label": d.get("label", n),
            "type": d.get("type", ""),
            "colour": palette[d.get("type", "")],
            "shown": n in shown,
        }
        for n, d in sorted(everything.nodes(data=True))
    ]
    data = {"nodes": nodes, "edges": edges, "colours": palette, "articles": sorted(articles)}
    # vis-network's own script, inline: no end tag of a script may stand in it
    vis = Markup(_vis_network().replace("</script", "<\\/script"))
    return render_page("viz.html", title=title, data=data, vis=vis).encode()


def render(store, out_dir: str | Path = "out", title: str = "", **choice) -> list[Path]:
    """Write ``kg.png`` and ``kg.html`` of the part of a store's graph that `choice` selects
    (see `select`) into `out_dir`, both or neither.

    Examples
    --------
    >>> import tempfile
    >>> from kg.source import open_store
    >>> [p.name for p in render(open_store("data"), tempfile.mkdtemp(), focus="Hakan Fidan")]
    ['kg.png', 'kg.html']
    """
    graph = multigraph(store)
    part = select(store, graph, **choice)
    if not title:
        title = _title(graph, choice)
    return write_files({"kg.png": png(part, title), "kg.html": html(part, title, graph)}, out_dir)


def _title(graph, choice: dict) -> str:
    said = []
    if choice.get("article"):
        said.append(f"article {choice['article']}")
    if choice.get("focus"):
        said.append(f"within {choice.get('depth', 1)} of {choice['focus']}")
    if choice.get("community"):
        said.append(f"community {choice['community']}")
    if choice.get("since") or choice.get("until"):
        said.append(f"events {choice.get('since') or '…'} to {choice.get('until') or '…'}")
    articles = sum(1 for _, d in graph.nodes(data=True) if d.get("type") == "NewsArticle")
    return (", ".join(said) or "the whole graph") + f" ({articles} article(s))"
