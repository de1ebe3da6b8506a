"""One entry point for scripts and notebooks: ``g = kg.open("out")``, then ask it.

`KG` wraps the functions the command line calls (queries, projections, centrality, paths,
validation, conflicts); its answers print as the CLI prints them and show as tables in
Jupyter (``_repr_html_``); a query's rows become a pandas DataFrame where pandas is
installed (``.to_pandas()``).
"""

from __future__ import annotations

__all__ = ["KG", "Rows", "Paths", "Ranking", "open_graph"]

from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from kg.build.pipeline import check
from kg.build.validate import validate
from kg.errors import InputError
from kg.pages import render
from kg.read.analyze import centrality, paths
from kg.read.conflicts import conflicts
from kg.read.network import project
from kg.read.query import format_result, run_query
from kg.read.report import format_paths, format_ranking
from kg.source import load_dataset, open_store
from kg.store.sparql import Answer
from kg.vocab.namespaces import compact


def _cell(term) -> str:
    """A term as a person reads it: an IRI compacted with our prefixes, a literal's text."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    return str(getattr(term, "value", term))


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    return render("table.html", header=header, rows=rows)


@dataclass
class Rows:
    """A query's answer: ``variables`` and ``rows`` of pyoxigraph terms (None if unbound);
    an ASK answer has ``boolean``; a CONSTRUCT or DESCRIBE answer, ``triples``."""

    answer: Answer

    @property
    def variables(self) -> list[str]:
        return self.answer.variables

    @property
    def rows(self) -> list[tuple]:
        return self.answer.rows

    def __len__(self) -> int:
        return len(self.rows) if self.answer.kind == "SELECT" else len(self.answer.triples)

    def __iter__(self):
        return iter(self.rows)

    def __bool__(self) -> bool:
        return bool(self.answer.boolean) if self.answer.kind == "ASK" else len(self) > 0

    def values(self) -> list[dict]:
        """Each row as a dict of plain values (an IRI's text, a literal's value).

        Examples
        --------
        >>> open_graph("data").query("SELECT ?n WHERE { kgr:russia rdfs:label ?n }").values()
        [{'n': 'Russia'}]
        """
        return [
            {v: (t.value if t is not None else None) for v, t in zip(self.variables, row)}
            for row in self.rows
        ]

    def to_pandas(self):
        """The rows as a pandas DataFrame of plain values (needs pandas installed).

        Raises
        ------
        InputError
            If pandas is not installed.
        """
        try:
            import pandas  # noqa: PLC0415 - optional: imported only when asked for
        except ImportError:
            raise InputError("to_pandas needs pandas: pip install pandas") from None
        return pandas.DataFrame(self.values(), columns=self.variables)

    def __str__(self) -> str:

        return format_result(self.answer)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        if self.answer.kind == "ASK":
            return render("text.html", text=str(self.answer.boolean).lower(), pre=False)
        if self.answer.kind != "SELECT":
            return render("text.html", text=str(self), pre=True)
        return _html_table(self.variables, [[_cell(t) for t in row] for row in self.rows])


@dataclass
class Paths:
    """Shortest paths between two entities, each hop with its words and their article."""

    graph: nx.Graph
    found: list

    def __len__(self) -> int:
        return len(self.found)

    def __iter__(self):
        return iter(self.found)

    def __str__(self) -> str:

        return format_paths(self.graph, self.found)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        label = lambda n: self.graph.nodes[n].get("label", n)  # noqa: E731
        rows = []
        for number, path in enumerate(self.found, 1):
            for hop in path:
                for link in hop.links:
                    arrow = "→" if link.forward else "←"
                    words = "; ".join(
                        f"“{q}” ({a})" if a else f"“{q}”"
                        for q, a in zip(link.quotes, link.quoted_from or [""] * len(link.quotes))
                    )
                    rows.append(
                        [
                            str(number),
                            label(hop.source),
                            f"{arrow} {link.predicate}",
                            label(hop.target),
                            words,
                        ]
                    )
        return _html_table(["path", "from", "relation", "to", "the article's words"], rows)


@dataclass
class Ranking:
    """A centrality ranking: rank, node, label, type and score per row."""

    rows: list

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        return self.rows[index]

    def __str__(self) -> str:

        return format_ranking(self.rows)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return _html_table(
            ["rank", "node", "label", "type", "score"],
            [[str(r.rank), r.node, r.label, r.type, f"{r.score:.4f}"] for r in self.rows],
        )


class KG:
    """A built graph, opened once, with the questions the CLI asks of it.

    Open one with `open_graph` (``kg.open``).
    """

    def __init__(self, source: str | Path = "out", store=None):

        self.source = Path(source)
        self.store = store if store is not None else open_store(source)
        self._networks: dict[str, object] = {}

    def __repr__(self) -> str:
        day = f" as of {self.store.day}" if self.store.day else ""
        return f"<kg {self.source}{day}: {self.store.triples()} triples stated>"

    def as_of(self, day) -> KG:
        """The same graph read as of `day` (YYYY-MM-DD or a `datetime.date`): what holds for a
        time (posts, memberships, heads of delegations) is what holds on that day, as the
        latest source at or before it says and none says ended; the rest is as it is.

        Examples
        --------
        >>> g = open_graph("data")
        >>> ask = "SELECT ?post WHERE { kgr:rustem-umerov dip:holdsPost/rdfs:label ?post }"
        >>> g.as_of("2025-06-01").query(ask).values()
        [{'post': 'Minister of Defence of Ukraine'}]
        >>> g.as_of("2025-01-01").query(ask).values()
        []
        """
        return KG(self.source, self.store.as_of(day))

    def query(self, sparql: str, *, inferred: bool = True, timeout: float | None = 60.0) -> Rows:
        """Run SPARQL through the guard `kg query` uses (no SERVICE, no update, a time
        limit); our prefixes need no PREFIX lines.

        Examples
        --------
        >>> g = open_graph("data")
        >>> len(g.query("SELECT ?d WHERE { ?d a dip:Delegation }")) >= 5
        True
        """

        return Rows(run_query(self.store, sparql, timeout=timeout, inferred=inferred))

    def network(self, projection: str = "multigraph"):
        """A NetworkX projection of the graph (see `kg.read.network.PROJECTIONS`), kept once made.

        Examples
        --------
        >>> "hakan-fidan" in open_graph("data").network("coparticipation")
        True
        """

        if projection not in self._networks:
            self._networks[projection] = project(self.store, projection)
        return self._networks[projection]

    def centrality(
        self,
        measure: str = "pagerank",
        *,
        projection: str = "simple",
        top: int = 10,
        node_type: str | None = None,
    ) -> Ranking:
        """Rank entities by a centrality measure, as ``kg analyze centrality`` does.

        Examples
        --------
        >>> open_graph("data").centrality("betweenness", projection="coparticipation", top=1)[0].label
        'Marco Rubio'
        """

        return Ranking(centrality(self.network(projection), measure, top, node_type=node_type))

    def path(self, a: str, b: str, *, limit: int = 10) -> Paths:
        """The shortest paths between two entities (labels or ids), each hop with the words
        that support it and their article, as ``kg analyze path`` gives them.

        Examples
        --------
        >>> p = open_graph("data").path("Tom Barrack", "Çırağan Palace", limit=1)
        >>> len(p), len(p.found[0])
        (1, 3)
        """

        graph = self.network("multigraph")
        return Paths(graph, paths(graph, a, b, limit))

    def conflicts(self) -> Rows:
        """Where sources disagree, as ``kg conflicts`` lists it.

        Examples
        --------
        >>> [row["value"] for row in open_graph("data").conflicts().values()]
        ['2025-05-15', '2025-05-16']
        """

        return Rows(conflicts(self.store))

    def validate(self):
        """The SHACL verdict. For a data folder, each article with what it uses, as
        ``kg validate`` and ``kg build`` do (a build folder exists only if that passed).
        For a build folder or an RDF file, whose curated files may be elsewhere, the whole
        graph at once: a shape that allows one value then also sees the values of articles
        that disagree, which `conflicts` lists.

        Examples
        --------
        >>> open_graph("data").validate().conforms
        True
        """
        if (self.source / "articles").is_dir() or (self.source / "entities").is_dir():
            return check(self.source)

        dataset = load_dataset(self.source)
        return validate(dataset)


def open_graph(source: str | Path = "out") -> KG:
    """Open a build folder, an RDF file or a data folder for questions (``kg.open``).

    Raises
    ------
    InputError
        If there is nothing to read at `source`.

    Examples
    --------
    >>> import kg
    >>> g = kg.open("data")
    >>> g.query("SELECT ?name WHERE { kgr:russian-delegation dip:headedBy/rdfs:label ?name }").values()
    [{'name': 'Vladimir Medinsky'}]
    """
    return KG(source)
