"""Pictures of the entity graph: a PNG (matplotlib) and an offline interactive HTML page."""

from __future__ import annotations

__all__ = ["layout", "colours", "png", "html", "render"]

import io
import json
from pathlib import Path

import networkx as nx

from .export import write_files
from .network import centrality_graph, multigraph, split_values

# Okabe-Ito and Tableau colours, distinguishable in print and for most colour-blind readers.
_PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442",
            "#000000", "#8C564B", "#7F7F7F", "#BCBD22", "#17BECF", "#9467BD", "#FF9DA7",
            "#2CA02C", "#AEC7E8", "#FFBB78", "#98DF8A"]


def colours(graph: nx.Graph) -> dict[str, str]:
    """One colour per node type, assigned in order of type name.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_nodes_from([("a", {"type": "Person"}), ("b", {"type": "Country"})])
    >>> colours(g)
    {'Country': '#0072B2', 'Person': '#E69F00'}
    """
    types = sorted({d.get("type", "") for _, d in graph.nodes(data=True)})
    return {t: _PALETTE[i % len(_PALETTE)] for i, t in enumerate(types)}


def layout(graph: nx.Graph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Node positions in [-1, 1]², the same for the same graph.

    Kamada-Kawai on each connected component (it keeps graph distance as drawing distance,
    so each delegation gathers around its head and apart from the others), components
    packed side by side.

    Examples
    --------
    >>> pos = layout(nx.path_graph(3))
    >>> sorted(pos) == [0, 1, 2] and all(-1 <= x <= 1 and -1 <= y <= 1 for x, y in pos.values())
    True
    """
    simple = centrality_graph(graph) if graph.is_multigraph() else nx.Graph(graph)
    if simple.number_of_nodes() == 0:
        return {}
    components = sorted((sorted(c) for c in nx.connected_components(simple)),
                        key=lambda c: (-len(c), c))
    positions: dict = {}
    offset = 0.0
    for nodes in components:
        sub = simple.subgraph(nodes)
        if len(nodes) == 1:
            local = {nodes[0]: (0.0, 0.0)}
        else:
            start = nx.spring_layout(sub, seed=seed)
            local = nx.kamada_kawai_layout(sub, pos=start, weight=None)
        scale = max(1.0, len(nodes) ** 0.5) / 4
        for node, (x, y) in local.items():
            positions[node] = (offset + scale * float(x), scale * float(y))
        offset += 2.2 * scale + 0.3
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {n: (round(2 * (x - cx) / span, 6), round(2 * (y - cy) / span, 6))
            for n, (x, y) in positions.items()}


def png(graph: nx.Graph, title: str = "") -> bytes:
    """Draw the graph as a PNG: nodes coloured by type with a legend, every node labelled.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("a", label="A", type="Person"); g.add_node("b", label="B", type="Meeting")
    >>> g.add_edge("a", "b")
    >>> png(g, "two nodes")[1:4]
    b'PNG'
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pos = layout(graph)
    palette = colours(graph)
    simple = centrality_graph(graph) if graph.is_multigraph() else nx.Graph(graph)
    figure, axes = plt.subplots(figsize=(16, 12), dpi=100)
    nx.draw_networkx_edges(simple, pos, ax=axes, edge_color="#b0b0b0", width=0.8)
    degree = dict(simple.degree())
    for kind, colour in palette.items():
        nodes = [n for n, d in simple.nodes(data=True) if d.get("type", "") == kind]
        nx.draw_networkx_nodes(simple, pos, nodelist=nodes, ax=axes, node_color=colour,
                               node_size=[80 + 40 * degree[n] for n in nodes],
                               edgecolors="white", linewidths=0.8)
    labels = {n: _short(d.get("label", n)) for n, d in simple.nodes(data=True)}
    text = nx.draw_networkx_labels(simple, pos, labels=labels, ax=axes, font_size=8)
    for item in text.values():
        item.set_bbox({"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 0.5})
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="o", linestyle="", markersize=8, color=colour, label=kind)
               for kind, colour in palette.items()]
    axes.legend(handles=handles, loc="upper left", fontsize=9, frameon=True, title="type")
    if title:
        axes.set_title(title, fontsize=12)
    axes.axis("off")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def html(graph: nx.MultiDiGraph, title: str = "kg") -> bytes:
    """A standalone HTML page: pan, zoom, hover for type and supporting quote, search.

    Everything (data, script, style) is inline, so the page works offline.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="A", type="Person"); g.add_node("b", label="B", type="Meeting")
    >>> g.add_edge("b", "a", key="dip:hasParticipant", predicate="dip:hasParticipant",
    ...            label="has participant", quotes="A took part")
    'dip:hasParticipant'
    >>> page = html(g).decode()
    >>> "<script src" in page, "A took part" in page
    (False, True)
    """
    pos = layout(graph)
    palette = colours(graph)
    nodes = [{"id": n, "label": d.get("label", n), "type": d.get("type", ""),
              "colour": palette[d.get("type", "")], "x": pos[n][0], "y": -pos[n][1],
              "degree": graph.degree(n)} for n, d in sorted(graph.nodes(data=True))]
    edges = [{"source": u, "target": v, "predicate": d.get("predicate", k),
              "label": d.get("label", ""), "role": d.get("role", ""),
              "quotes": split_values(d.get("quotes", ""))}
             for u, v, k, d in sorted(graph.edges(keys=True, data=True))]
    data = json.dumps({"nodes": nodes, "edges": edges, "colours": palette},
                      ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    page = _TEMPLATE.replace("__TITLE__", _escape(title)).replace("__DATA__", data)
    return page.encode()


def render(store, out_dir: str | Path = "out", title: str = "") -> list[Path]:
    """Write ``kg.png`` and ``kg.html`` of a store's graph into `out_dir`, both or neither.

    Examples
    --------
    >>> import tempfile
    >>> from kg.store import open_store
    >>> [p.name for p in render(open_store("data"), tempfile.mkdtemp())]
    ['kg.png', 'kg.html']
    """
    graph = multigraph(store)
    if not title:
        articles = [d["label"] for _, d in graph.nodes(data=True) if d.get("type") == "NewsArticle"]
        title = articles[0] if len(articles) == 1 else f"{len(articles)} articles"
    return write_files({"kg.png": png(graph, title), "kg.html": html(graph, title)}, out_dir)


def _short(text: str, width: int = 30) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>__TITLE__</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  html, body { margin: 0; height: 100%; font: 13px/1.4 system-ui, sans-serif; background: #fff; }
  header { position: absolute; top: 0; left: 0; right: 0; padding: 8px 12px; background: rgba(255,255,255,.92);
           border-bottom: 1px solid #ddd; display: flex; gap: 12px; align-items: center; z-index: 2; }
  header h1 { font-size: 14px; margin: 0; font-weight: 600; }
  #search { width: 240px; padding: 4px 6px; }
  #legend { display: flex; flex-wrap: wrap; gap: 8px; font-size: 12px; }
  #legend span::before { content: ""; display: inline-block; width: 10px; height: 10px; border-radius: 50%;
                         background: var(--c); margin-right: 4px; vertical-align: -1px; }
  svg { width: 100%; height: 100%; cursor: grab; display: block; }
  svg.dragging { cursor: grabbing; }
  .edge { stroke: #b8b8b8; stroke-width: 1.2; }
  .edge:hover, .edge.hot { stroke: #333; stroke-width: 2.5; }
  .node circle { stroke: #fff; stroke-width: 1.5; }
  .node text { font-size: 11px; pointer-events: none; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
  .dim { opacity: .15; }
  .match circle { stroke: #000; stroke-width: 3; }
  #tip { position: absolute; pointer-events: none; background: #222; color: #fff; padding: 6px 8px;
         border-radius: 4px; max-width: 420px; font-size: 12px; display: none; z-index: 3; }
  #tip q { display: block; font-style: italic; margin-top: 4px; }
</style>
</head>
<body>
<header>
  <h1>__TITLE__</h1>
  <input id="search" type="search" placeholder="Search by name (Enter to centre)" aria-label="Search by name">
  <div id="legend"></div>
</header>
<svg id="graph" xmlns="http://www.w3.org/2000/svg"><g id="viewport"><g id="edges"></g><g id="nodes"></g></g></svg>
<div id="tip"></div>
<script>
"use strict";
const DATA = __DATA__;
const NS = "http://www.w3.org/2000/svg";
const svg = document.getElementById("graph"), viewport = document.getElementById("viewport");
const tip = document.getElementById("tip");
const SCALE = 420;
let view = {x: 0, y: 0, k: 1};
const byId = new Map(DATA.nodes.map(n => [n.id, n]));

function el(name, attrs, parent) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  parent.appendChild(e);
  return e;
}
function showTip(html, event) {
  tip.innerHTML = html;
  tip.style.display = "block";
  tip.style.left = (event.clientX + 14) + "px";
  tip.style.top = (event.clientY + 14) + "px";
}
function hideTip() { tip.style.display = "none"; }
function esc(s) { return String(s).replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c])); }

const edgeLayer = document.getElementById("edges"), nodeLayer = document.getElementById("nodes");
const edgeEls = DATA.edges.map(e => {
  const a = byId.get(e.source), b = byId.get(e.target);
  const line = el("line", {class: "edge", x1: a.x * SCALE, y1: a.y * SCALE, x2: b.x * SCALE, y2: b.y * SCALE}, edgeLayer);
  line.addEventListener("mousemove", ev => showTip(
    "<b>" + esc(a.label) + "</b> — " + esc(e.label || e.predicate) + (e.role ? " (" + esc(e.role) + ")" : "") +
    " → <b>" + esc(b.label) + "</b>" + e.quotes.map(q => "<q>“" + esc(q) + "”</q>").join(""), ev));
  line.addEventListener("mouseleave", hideTip);
  return {e, line};
});
const nodeEls = DATA.nodes.map(n => {
  const g = el("g", {class: "node", "data-id": n.id, transform: "translate(" + n.x * SCALE + "," + n.y * SCALE + ")"}, nodeLayer);
  el("circle", {r: 5 + Math.sqrt(n.degree) * 2.2, fill: n.colour}, g);
  const t = el("text", {x: 9, y: 4}, g);
  t.textContent = n.label;
  g.addEventListener("mousemove", ev => showTip("<b>" + esc(n.label) + "</b><br>" + esc(n.type) + " · " + esc(n.id), ev));
  g.addEventListener("mouseleave", hideTip);
  g.addEventListener("mouseenter", () => edgeEls.forEach(x => x.line.classList.toggle("hot", x.e.source === n.id || x.e.target === n.id)));
  return {n, g};
});
const legend = document.getElementById("legend");
for (const [type, colour] of Object.entries(DATA.colours)) {
  const s = document.createElement("span");
  s.style.setProperty("--c", colour);
  s.textContent = type;
  legend.appendChild(s);
}

function apply() { viewport.setAttribute("transform", "translate(" + view.x + "," + view.y + ") scale(" + view.k + ")"); }
function fit() {
  const r = svg.getBoundingClientRect();
  view = {x: r.width / 2, y: r.height / 2 + 20, k: Math.min(r.width, r.height - 40) / (2.3 * SCALE)};
  apply();
}
svg.addEventListener("wheel", ev => {
  ev.preventDefault();
  const f = Math.exp(-ev.deltaY * 0.0015), r = svg.getBoundingClientRect();
  const mx = ev.clientX - r.left, my = ev.clientY - r.top;
  view.x = mx - (mx - view.x) * f; view.y = my - (my - view.y) * f; view.k *= f;
  apply();
}, {passive: false});
let drag = null;
svg.addEventListener("mousedown", ev => { drag = {x: ev.clientX - view.x, y: ev.clientY - view.y}; svg.classList.add("dragging"); });
window.addEventListener("mousemove", ev => { if (drag) { view.x = ev.clientX - drag.x; view.y = ev.clientY - drag.y; apply(); } });
window.addEventListener("mouseup", () => { drag = null; svg.classList.remove("dragging"); });

const search = document.getElementById("search");
function matches() {
  const q = search.value.trim().toLowerCase();
  return q ? nodeEls.filter(x => x.n.label.toLowerCase().includes(q) || x.n.id.includes(q)) : [];
}
search.addEventListener("input", () => {
  const found = new Set(matches().map(x => x.n.id)), any = search.value.trim() !== "";
  nodeEls.forEach(x => { x.g.classList.toggle("match", found.has(x.n.id)); x.g.classList.toggle("dim", any && !found.has(x.n.id)); });
  edgeEls.forEach(x => x.line.classList.toggle("dim", any));
});
search.addEventListener("keydown", ev => {
  const first = matches()[0];
  if (ev.key !== "Enter" || !first) return;
  const r = svg.getBoundingClientRect();
  view.k = Math.max(view.k, 1.5);
  view.x = r.width / 2 - first.n.x * SCALE * view.k;
  view.y = r.height / 2 - first.n.y * SCALE * view.k;
  apply();
});
window.addEventListener("resize", fit);
fit();
document.body.setAttribute("data-rendered", String(nodeEls.length));
</script>
</body>
</html>
"""
