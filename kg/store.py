"""The Oxigraph store every reader opens, and the one place where SPARQL is guarded.

A build writes the store into its output folder: a named graph per curated fact (the
triples it asserts), one per article (its metadata and the records of its facts and
passages), the reference graph, the ontology, the shapes and the inferred triples. The
default graph is the union of what the sources state — the fact, article and reference
graphs — without duplicates (so a triple that two articles state is one solution, not
two); a query sees it together with the inferred triples and the ontology, which never
repeat a stated triple. Each build writes a new generation
(``stores/<n>``, a checkpoint of the previous one with only the changed articles'
graphs replaced) and then points the ``store`` link at it, so a reader never sees a
half-written store and a failed build leaves the previous one in place.

Every SPARQL query from a user, through ``kg query`` or ``kg serve``, runs through
`execute`: SERVICE is refused before Oxigraph sees the query (Oxigraph would call the
URL), ``FROM`` only names graphs of the store (Oxigraph never dereferences it), and the
result is capped to a number of rows; `run_with_time_limit` bounds its time.
"""

from __future__ import annotations

__all__ = [
    "STORE",
    "GENERATIONS",
    "GraphStore",
    "Answer",
    "QueryRefused",
    "QueryTimeout",
    "open_store",
    "load_rdf",
    "store_path",
    "ONTOLOGY_GRAPH",
    "SHAPES_GRAPH",
    "INFERRED_GRAPH",
    "NOT_STATED",
    "source_of",
    "ranked_keys",
    "apply_ranks",
    "write_generation",
    "commit_generation",
    "current_generation",
    "check_query",
    "query_kind",
    "execute",
    "run_with_time_limit",
    "prefixes",
]

import io
import json
import os
import re
import shutil
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from .errors import InputError, KGError, OutputError
from .limits import check_size
from .namespaces import PREFIX_IRIS, REFERENCE_GRAPH_IRI

#: The link, in an output folder, to the current store generation.
STORE = "store"
_GRAPH = "https://w3id.org/diplomacy-kg/graph/"
#: The graphs a build adds beside what the sources state: the ontology, the shapes, and the
#: inferred triples (`kg.infer`).
ONTOLOGY_GRAPH = _GRAPH + "ontology"
SHAPES_GRAPH = _GRAPH + "shapes"
INFERRED_GRAPH = _GRAPH + "inferred"
#: The graphs that are not what a source states: they stay out of the default graph.
NOT_STATED = (ONTOLOGY_GRAPH, SHAPES_GRAPH, INFERRED_GRAPH)
#: What a query's default graph adds to the default graph of the store (the stated union).
WITH_STATED = (INFERRED_GRAPH, ONTOLOGY_GRAPH)
_KGA = PREFIX_IRIS["kga"]
_KGF = PREFIX_IRIS["kgf"]
_DIP = PREFIX_IRIS["dip"]
#: The folder, in an output folder, that holds the store generations.
GENERATIONS = "stores"
#: File suffix -> the RDF format pyoxigraph parses it with.
RDF_FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS,
               ".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
               ".jsonld": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML,
               ".owl": ox.RdfFormat.RDF_XML, ".n3": ox.RdfFormat.N3}


def prefixes() -> dict[str, str]:
    """Our prefixes as pyoxigraph takes them (``{"dip": "https://...#", ...}``).

    Examples
    --------
    >>> prefixes()["dip"]
    'https://w3id.org/diplomacy-kg/ontology#'
    """
    return dict(PREFIX_IRIS)


class QueryRefused(InputError):
    """The query asks for something kg does not do: SERVICE, or an update (exit 5)."""

    exit_code = 5


class QueryTimeout(KGError):
    """The query ran past its time limit and was stopped (exit 6)."""

    exit_code = 6


# --- opening ---------------------------------------------------------------------------------

@dataclass
class GraphStore:
    """An open store and where it came from.

    ``store`` is a `pyoxigraph.Store` whose default graph is the union of its named graphs.
    A build folder's store is opened read-only; an RDF file or a data folder is loaded
    into a store in memory.
    """

    store: ox.Store
    source: str
    read_only: bool = True
    manifest: dict = field(default_factory=dict)
    _dataset: list | None = field(default=None, repr=False)

    def full_default(self) -> list:
        """The graphs of a query's default graph: the stated union (the store's default
        graph), and the inferred triples and the ontology when the store has them."""
        if self._dataset is None:
            self._dataset = [ox.DefaultGraph()] + [
                ox.NamedNode(g) for g in WITH_STATED
                if self.store.contains_named_graph(ox.NamedNode(g))]
        return self._dataset

    def named_graphs(self) -> list[str]:
        """The names of the named graphs, grouped by source (see `graph_order`): the
        reference entities, each article's graph followed by its facts' graphs, the
        inferred triples, the ontology, the shapes.

        Examples
        --------
        >>> names = [g.rsplit("/", 1)[1] for g in open_store("data").named_graphs()]
        >>> names[:2], names[-3:]  # doctest: +NORMALIZE_WHITESPACE
        (['reference', 'reference.declares-adviser-to-the-president-of-russia'],
         ['inferred', 'ontology', 'shapes'])
        >>> first = names.index("2025-05-16-istanbul-talks")
        >>> names[first + 1]
        '2025-05-16-istanbul-talks.article-datePublished'

        """
        names = [g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)]
        return sorted(names, key=graph_order)

    def triples(self, graph: str | None = None) -> int:
        """How many triples the default graph (or `graph`) holds."""
        scope = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
        found = self.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {scope} }}")
        return int(next(iter(found))["n"].value)


def store_path(out_dir: str | Path) -> Path | None:
    """The current store generation of a build folder, or None if it has none.

    Examples
    --------
    >>> store_path("no-such-folder") is None
    True
    """
    link = Path(out_dir) / STORE
    if not link.exists():
        return None
    return link.resolve()


def open_store(source: str | Path = "out") -> GraphStore:
    """Open what `source` names for reading.

    `source` may be a build folder (its store is opened read-only; an older build with only
    ``kg.trig`` is loaded from that), an RDF file (``.trig``, ``.nq``, ``.ttl``, ``.nt``,
    ``.jsonld``, ``.rdf``), or a data folder, which is built in memory without writing
    anything.

    Raises
    ------
    InputError
        If there is nothing to read at `source`, or it cannot be parsed.

    Examples
    --------
    >>> store = open_store("data")
    >>> store.triples() > 900
    True
    """
    path = Path(source)
    if path.is_dir():
        found = store_path(path)
        if found is not None:
            try:
                store = ox.Store.read_only(str(found))
            except OSError as exc:
                raise InputError(f"{path / STORE}: cannot open the store: {exc}; rebuild it "
                                 "with 'kg build'") from None
            return GraphStore(store, str(path), True, current_generation(path) or {})
        if (path / "kg.trig").is_file():
            return load_rdf(path / "kg.trig")
        if (path / "articles").is_dir() or (path / "entities").is_dir():
            from .pipeline import build_in_memory

            return build_in_memory(path)
        raise InputError(f"{path}: no store or kg.trig here; run 'kg build' first, or pass "
                         "a data folder or an RDF file")
    if path.exists():  # a file; load_rdf refuses a pipe or a device without reading it
        return load_rdf(path)
    raise InputError(f"{path}: no such file or folder; run 'kg build' to make out/, or pass "
                     "--graph PATH")


def load_rdf(path: str | Path) -> GraphStore:
    """Load an RDF file into a store in memory; quads keep their graphs, and the default
    graph also holds their union.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "g.nq"
    >>> _ = f.write_text('<urn:a> <urn:p> <urn:b> <urn:g1> .\\n<urn:a> <urn:p> <urn:b> <urn:g2> .\\n')
    >>> load_rdf(f).triples()
    1
    """
    path = Path(path)
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: unknown RDF file type; use one of "
                         f"{', '.join(RDF_FORMATS)}")
    try:
        info = path.stat()
    except OSError as exc:
        raise InputError(f"{path}: cannot read it: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path}: not a regular file (a pipe or a device); give a file")
    check_size(info.st_size, "rdf", str(path))
    store = ox.Store()
    try:
        # relative IRIs in the file resolve against the file's own URL, as RDF parsers do
        store.load(path=str(path), format=fmt, base_iri=path.resolve().as_uri())
    except (SyntaxError, ValueError, OSError) as exc:
        remedy = ("rebuild it with 'kg build' (a file kg wrote is only cut short by a "
                  "failed copy or a full disk)" if path.name.startswith("kg.") else
                  "fix the file at that place, or export it again from where it came from")
        raise InputError(f"{path}: cannot be parsed as {fmt.name}: {exc}; {remedy}") from None
    _fill_union(store)
    return GraphStore(store, str(path), False)


def _fill_union(store: ox.Store) -> None:
    """Copy what each source graph states into the default graph (a set: no duplicates),
    then apply the curators' ranks (`apply_ranks`)."""
    not_stated = ", ".join(f"<{g}>" for g in NOT_STATED)
    store.update(f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                 f"FILTER(?g NOT IN ({not_stated})) }}")
    apply_ranks(store, ranked_keys(store))



def ranked_keys(store: ox.Store) -> set[tuple]:
    """The (subject, predicate) pairs that a ranked curated fact states a value for."""
    found = store.query(f"SELECT DISTINCT ?s ?p WHERE {{ ?fact <{_DIP}rank> ?rank . "
                        "GRAPH ?fact { ?s ?p ?o } }")
    return {(row["s"], row["p"]) for row in found}


def apply_ranks(store: ox.Store, keys: set[tuple]) -> None:
    """Make the default graph hold, for each (subject, predicate) in `keys`, the values that
    plain queries should see, as Wikidata's "truthy" statements do: those of the facts with
    the preferred rank if there are any, else those of every fact but the deprecated ones
    (the reference entities count as normal). The facts' own graphs keep every value."""
    not_stated = ", ".join(f"<{g}>" for g in NOT_STATED)
    keys = sorted(keys, key=str)
    for start in range(0, len(keys), 500):
        values = " ".join(f"({s} {p})" for s, p in keys[start:start + 500])
        store.update(f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES (?s ?p) {{ {values} }} ?s ?p ?o }}")
        store.update(f"""INSERT {{ ?s ?p ?o }} WHERE {{
            VALUES (?s ?p) {{ {values} }}
            GRAPH ?g {{ ?s ?p ?o }} FILTER (?g NOT IN ({not_stated}))
            FILTER NOT EXISTS {{ ?g <{_DIP}rank> <{_DIP}DeprecatedRank> }}
            FILTER (EXISTS {{ ?g <{_DIP}rank> <{_DIP}PreferredRank> }}
                    || NOT EXISTS {{ ?h <{_DIP}rank> <{_DIP}PreferredRank> .
                                     GRAPH ?h {{ ?s ?p ?any }} }}) }}""")


def source_of(graph: str) -> str:
    """The source a named graph comes from: an article's id for the article's graph and
    its facts' graphs, the reference graph for the reference entries' graphs, the graph
    itself otherwise.

    Examples
    --------
    >>> source_of("https://w3id.org/diplomacy-kg/id/fact/2025-05-16-istanbul-talks.f-1a2b")
    '2025-05-16-istanbul-talks'
    >>> source_of("https://w3id.org/diplomacy-kg/id/fact/reference.declares-russia")
    'https://w3id.org/diplomacy-kg/graph/reference'
    >>> source_of(ONTOLOGY_GRAPH) == ONTOLOGY_GRAPH
    True
    """
    if graph.startswith(_KGA):
        return graph[len(_KGA):]
    if graph.startswith(_KGF):
        source = graph[len(_KGF):].split(".", 1)[0]
        return REFERENCE_GRAPH_IRI if source == "reference" else source
    return graph


def graph_order(graph: str) -> tuple:
    """The order graphs are written in: by source (the reference entities, then articles by
    id, then the inferred triples, the ontology and the shapes), a source's own graph
    before its facts' graphs.

    Examples
    --------
    >>> sorted([ONTOLOGY_GRAPH, "https://w3id.org/diplomacy-kg/id/fact/a.f1",
    ...         "https://w3id.org/diplomacy-kg/id/article/a"], key=graph_order)[0]
    'https://w3id.org/diplomacy-kg/id/article/a'
    """
    source = source_of(graph)
    rank = 2 if graph in NOT_STATED else 1 if "://" not in source else 0
    return (rank, source, graph not in (source, _KGA + source), graph)


# --- writing ---------------------------------------------------------------------------------

def current_generation(out_dir: str | Path) -> dict | None:
    """The manifest of a build folder's current store generation, or None.

    Examples
    --------
    >>> current_generation("no-such-folder") is None
    True
    """
    found = store_path(out_dir)
    if found is None:
        return None
    try:
        return json.loads(found.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_generation(out_dir: str | Path, sources: list[tuple[str, Path, Path | None]],
                     changed: set[str] | None) -> Path:
    """Write the next store generation of `out_dir` and return its folder (not yet current).

    `sources` lists every source as (source id, N-Quads file, N-Triples file or None): an
    article (its graph and its facts' graphs), the reference entities, the ontology, the
    shapes and the inferred triples (see `source_of`). The N-Quads file holds the source's
    named graphs; the N-Triples file, for what a source states, the triples it adds to the
    default graph, the union of what the sources state, which holds a triple once however
    many sources state it, less what the curators' ranks hide (`apply_ranks`). With
    `changed` None the store is loaded from scratch (bulk
    loading); otherwise the current generation is checkpointed (hard links, no copy) and
    only the sources in `changed` (by id) are replaced, with the default graph updated to
    match. Sources of the current generation that are not in `sources` are dropped.
    """
    out = Path(out_dir)
    previous = store_path(out)
    folder = out / GENERATIONS
    try:
        folder.mkdir(parents=True, exist_ok=True)
        number = 1 + max([int(p.name) for p in folder.iterdir() if p.name.isdigit()],
                         default=0)
        target = folder / str(number)
        if changed is None or previous is None:
            _create(target, sources)
        else:
            ox.Store.read_only(str(previous)).backup(str(target))
            _update(target, sources, changed)
    except OSError as exc:
        raise OutputError(f"cannot write the store into {folder}: {exc}") from None
    return target


def commit_generation(out_dir: str | Path, target: Path, manifest: dict) -> None:
    """Make `target` the current generation: write its manifest, then switch the link.

    The previous generation is kept (a reader may still have it open); older ones go.
    """
    out = Path(out_dir)
    link = out / STORE
    previous = store_path(out)
    temp = out / f".{STORE}.{os.getpid()}.tmp"
    try:
        _write_json(target.with_suffix(".json"), manifest)
        if temp.is_symlink() or temp.exists():
            temp.unlink()
        os.symlink(Path(GENERATIONS) / target.name, temp)
        if link.exists() and not link.is_symlink():
            raise OutputError(f"{link} exists and is not a link to a store generation; "
                              "remove it and build again")
        os.replace(temp, link)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise OutputError(f"cannot switch {link} to the new store: {exc}") from None
    keep = {target.name, previous.name if previous else ""}
    for old in (out / GENERATIONS).iterdir():
        name = old.name.split(".")[0]
        if name.isdigit() and name not in keep:
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)


def discard_generation(target: Path) -> None:
    """Remove a generation that will not be made current (a failed build)."""
    shutil.rmtree(target, ignore_errors=True)
    target.with_suffix(".json").unlink(missing_ok=True)


#: Bytes of N-Triples loaded by one bulk load: Oxigraph's bulk loader holds what it is given
#: in memory while it sorts it, so batches keep the build's memory flat (about 250 MB).
BULK_BATCH = 32 << 20


def _create(target: Path, sources: list[tuple[str, Path, Path | None]]) -> None:
    store = ox.Store(str(target))
    batch: list[tuple[str, Path, Path | None]] = []
    size = 0
    for source in sources + [None]:
        if source is not None:
            batch.append(source)
            size += source[1].stat().st_size
        if batch and (source is None or size >= BULK_BATCH):
            store.bulk_load(input=_Stream([q for _, q, _ in batch]),
                            format=ox.RdfFormat.N_QUADS)
            stated = [t for _, _, t in batch if t is not None]
            if stated:
                store.bulk_load(input=_Stream(stated), format=ox.RdfFormat.N_TRIPLES,
                                to_graph=ox.DefaultGraph())
            batch, size = [], 0
    apply_ranks(store, ranked_keys(store))
    store.optimize()
    store.flush()
    del store


def _update(target: Path, sources: list[tuple[str, Path, Path | None]],
            changed: set[str]) -> None:
    store = ox.Store(str(target))
    ranked = ranked_keys(store)  # the ranks of the sources replaced may change below
    wanted = {source: (quads, triples) for source, quads, triples in sources}
    present: dict[str, list] = {}
    for g in store.named_graphs():
        if isinstance(g, ox.NamedNode):
            present.setdefault(source_of(g.value), []).append(g)
    for source in sorted((set(present) - set(wanted)) | (set(changed) & set(wanted))):
        old: set[bytes] = set()
        for name in present.get(source, []):
            if name.value not in NOT_STATED:
                old.update(store.dump(format=ox.RdfFormat.N_TRIPLES,
                                      from_graph=name).splitlines())
            store.remove_graph(name)
        quads, triples = wanted.get(source, (None, None))
        if quads is not None:
            data = quads.read_bytes()
            if data:
                store.load(data, format=ox.RdfFormat.N_QUADS)
        new = set(triples.read_bytes().splitlines()) if triples is not None else set()
        added = sorted(new - old)
        if added:
            store.load(b"\n".join(added) + b"\n", format=ox.RdfFormat.N_TRIPLES,
                       to_graph=ox.DefaultGraph())
        gone = sorted(old - new)
        if gone:
            for triple in ox.parse(b"\n".join(gone) + b"\n", format=ox.RdfFormat.N_TRIPLES):
                # a triple stays in the default graph while another source states it
                if not any(isinstance(q.graph_name, ox.NamedNode)
                           and q.graph_name.value not in NOT_STATED
                           for q in store.quads_for_pattern(
                               triple.subject, triple.predicate, triple.object)):
                    store.remove(ox.Quad(triple.subject, triple.predicate, triple.object,
                                         ox.DefaultGraph()))
    apply_ranks(store, ranked | ranked_keys(store))
    store.flush()
    del store


class _Stream(io.RawIOBase):
    """Files read one after the other, without holding more than one in memory."""

    def __init__(self, paths: list[Path]):
        self._paths = iter(paths)
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self._buffer:
            try:
                self._buffer = next(self._paths).read_bytes()
            except StopIteration:
                return 0
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def _write_json(path: Path, data: dict) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(temp, path)


# --- guarded SPARQL --------------------------------------------------------------------------

#: The tokens of a SPARQL query that can hide a keyword: comments, strings, IRIs, variables,
#: prefixed names and blank node labels. What is left are keywords and punctuation.
_TOKENS = re.compile(r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7]+)
  | (?P<name>(?:[^\W\d_][\w.\-\u00b7]*)?:(?:[\w:%\\\-\u00b7]|\.(?=[\w:%\\\-]))*|_:[\w.\-]+)
  | (?P<word>[^\W\d][\w]*)
""", re.VERBOSE | re.DOTALL)


def check_query(text: str, origin: str | None = None) -> str:
    """Refuse what a query must not do here, before any engine sees it; return the text.

    SERVICE would make Oxigraph call the URL it names, so a query with the SERVICE
    keyword (outside strings, IRIs, names and comments) is refused.

    A SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, ...) is refused too: readers open
    the store read-only.

    Raises
    ------
    QueryRefused
        For SERVICE, or an update.
    InputError
        For a query past the size limit (`kg.limits.LIMITS`).

    Examples
    --------
    >>> check_query("SELECT * WHERE { ?s <urn:service> 'SERVICE' } # SERVICE")[:6]
    'SELECT'
    >>> check_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    kg.store.QueryRefused: the query calls SERVICE (line 1): kg answers from its own store only and never calls another endpoint; remove the SERVICE clause
    """
    check_size(len(text.encode("utf-8", "surrogatepass")), "query", origin or "the query")
    first = query_kind(text, _UPDATES)
    if first in _UPDATES:
        where = f"{origin}: " if origin else ""
        raise QueryRefused(f"{where}this is a SPARQL Update ({first}), and kg never changes "
                           "the store: it answers queries (SELECT, ASK, CONSTRUCT, DESCRIBE) "
                           "only; rebuild with kg build to change the graph")
    for match in _TOKENS.finditer(text):
        if match.lastgroup == "word" and match.group().upper() == "SERVICE":
            line = text.count("\n", 0, match.start()) + 1
            where = f"{origin}: " if origin else ""
            raise QueryRefused(f"{where}the query calls SERVICE (line {line}): kg answers "
                               "from its own store only and never calls another endpoint; "
                               "remove the SERVICE clause")
    return text


@dataclass
class Answer:
    """The answer to a query: ``kind`` is SELECT, ASK, CONSTRUCT or DESCRIBE.

    SELECT gives ``variables`` and ``rows`` (tuples of pyoxigraph terms, None where
    unbound); ASK gives ``boolean``; CONSTRUCT and DESCRIBE give ``triples``.
    ``truncated`` tells that the row cap cut the answer short.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    triples: list = field(default_factory=list)
    truncated: bool = False


def execute(store: GraphStore | ox.Store, text: str, *, origin: str | None = None,
            max_rows: int | None = None, base_iri: str | None = None,
            inferred: bool = True) -> Answer:
    """Run a checked query over the default graph (the union of the named graphs).

    Our prefixes (``dip:``, ``kgr:``, ``oa:``, ``prov:`` ...) need no PREFIX lines (a
    query's own PREFIX lines take precedence); relative IRIs resolve against `base_iri`.
    The default graph holds what the sources state (the store's default graph), the
    ontology and the inferred triples; with `inferred` False it holds what the sources
    state and nothing else. ``GRAPH ?g`` ranges over the named graphs: each curated fact's,
    each article's, the reference entities', the ontology, the shapes, the inferred
    triples. A query with ``FROM`` or ``FROM NAMED`` chooses its own graphs.

    Raises
    ------
    QueryRefused
        See `check_query`.
    InputError
        If the query is not valid SPARQL, with the parser's line and column.

    Examples
    --------
    >>> answer = execute(open_store("data"),
    ...     "SELECT ?name WHERE { kgr:russian-delegation dip:headedBy/rdfs:label ?name }")
    >>> answer.kind, [row[0].value for row in answer.rows]
    ('SELECT', ['Vladimir Medinsky'])
    """
    check_query(text, origin)
    raw = store.store if isinstance(store, GraphStore) else store
    where = f"{origin}: " if origin else ""
    try:
        scope = {}
        if inferred and isinstance(store, GraphStore) and not _has_dataset(text):
            scope["default_graph"] = store.full_default()
        result = raw.query(text, prefixes=PREFIX_IRIS, base_iri=base_iri, **scope)
    except SyntaxError as exc:
        raise InputError(_syntax_message(str(exc), origin)) from None
    except Exception as exc:  # Oxigraph reports evaluation errors with several types
        raise InputError(f"{where}the query failed: {exc}") from None
    try:
        if isinstance(result, ox.QueryBoolean):
            return Answer("ASK", boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            rows, truncated = _take((tuple(s[n] for n in names) for s in result), max_rows)
            return Answer("SELECT", names, rows, truncated=truncated)
        kind = "DESCRIBE" if query_kind(text) == "DESCRIBE" else "CONSTRUCT"
        triples, truncated = _take(iter(result), max_rows)
        return Answer(kind, triples=triples, truncated=truncated)
    except Exception as exc:  # an error met while the solutions are computed
        raise InputError(f"{where}the query failed: {exc}") from None


def _syntax_message(error: str, origin: str | None) -> str:
    """Oxigraph's "error at LINE:COLUMN: ..." as "FILE:LINE:COLUMN: ..." (or "line L,
    column C: ..." for a query given on the command line)."""
    found = re.match(r"error at (\d+):(\d+): ?(.*)", error, re.DOTALL)
    if not found:
        where = f"{origin}: " if origin else ""
        return f"{where}the query is not valid SPARQL: {error}"
    line, column, detail = found.groups()
    where = f"{origin}:{line}:{column}: " if origin else f"line {line}, column {column}: "
    return f"{where}the query is not valid SPARQL: {detail}; fix the query there"


_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY",
            "WITH")


def _has_dataset(text: str) -> bool:
    """Whether a query names its own graphs (FROM or FROM NAMED)."""
    return any(m.lastgroup == "word" and m.group().upper() == "FROM"
               for m in _TOKENS.finditer(text))


def query_kind(text: str, also: tuple = ()) -> str:
    r"""SELECT, ASK, CONSTRUCT or DESCRIBE: the form of a query, read from its first keyword
    of those (or of `also`); an empty string if it has none.

    Examples
    --------
    >>> query_kind("PREFIX a: <urn:select> # SELECT\nconstruct where { ?s ?p ?o }")
    'CONSTRUCT'
    """
    for match in _TOKENS.finditer(text):
        word = match.group().upper() if match.lastgroup == "word" else ""
        if word in _FORMS or word in also:
            return word
    return ""


def _take(items: Iterable, limit: int | None) -> tuple[list, bool]:
    out = []
    for item in items:
        if limit is not None and len(out) >= limit:
            return out, True
        out.append(item)
    return out, False


def run_with_time_limit(func: Callable, timeout: float | None):
    """Call `func` and return its value, or raise `QueryTimeout` after `timeout` seconds.

    Oxigraph evaluates without holding Python's lock, so the call runs in a thread while
    this one waits. A query that passes the limit is abandoned, not stopped: in a
    command-line process that then exits, that is the end of it; ``kg serve`` runs each
    query in a worker process that it kills instead.

    Examples
    --------
    >>> run_with_time_limit(lambda: 42, 5)
    42
    """
    if timeout is None:
        return func()
    if timeout <= 0:
        raise InputError(f"--timeout must be positive, not {timeout:g}")
    outcome: dict = {}

    def target():
        try:
            outcome["value"] = func()
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=target, daemon=True, name="kg-query")
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryTimeout(f"the query took longer than the time limit of {timeout:g} s and "
                           "was stopped; narrow it, or raise --timeout")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
