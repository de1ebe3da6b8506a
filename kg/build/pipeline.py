"""The whole job, one article at a time: plan, build and validate each article in a pool,
write the store and the exports; and the corpus statistics.

Each article (and the reference entities) is a unit of work: `run_unit` builds its graph,
finds its evidence and validates it with what it uses, as a pure function of a `Job`, so
it runs in this process, in a process pool, or on a Dask cluster unchanged. Its result is
cached under the output folder by a key of every input; a rebuild redoes only the units
whose key changed and replaces only their graphs in the store.
"""

from __future__ import annotations

__all__ = ["BuildSummary", "Stats", "build", "stats", "check", "build_in_memory", "OUTPUTS"]

import datetime as dt
import fcntl
import hashlib
import multiprocessing
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.build.cache import Cache, code_digest, unit_key
from kg.build.entail import infer_units
from kg.build.job import Plan, Progress
from kg.build.plan import plan
from kg.build.unit import REFERENCE_UNIT
from kg.build.units import POOL_MIN_JOBS, check_results, run_units, verdict
from kg.errors import EvidenceError, OutputError
from kg.files import remove_leftovers, write_outputs
from kg.store.files import as_quads, trig_block, turtle_block
from kg.store.generations import (
    STORE,
    commit_generation,
    current_generation,
    discard_generation,
    remove_uncommitted,
    write_generation,
)
from kg.store.graphs import GraphStore, count, fill_union, graph_order, source_of
from kg.store.plain import stated_graph
from kg.vocab.namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH, SHAPES_GRAPH, prefix_lines
from kg.vocab.ontology import ONTOLOGY_PATH, SHAPES_PATH
from kg.vocab.records import count_query
from kg.vocab.terms import DIP

#: What `build` writes besides the store: file name -> export format.
OUTPUTS = {"kg.ttl": "turtle", "kg.trig": "trig"}
#: Above this share of changed units a rebuild loads the store from scratch.
COLD_SHARE = 0.3
#: Where the blank nodes of the ontology and the shapes become IRIs in the store.
SKOLEM = "https://w3id.org/diplomacy-kg/.well-known/genid/"


@dataclass(frozen=True)
class BuildSummary:
    """What a build produced, for the one-screen summary `kg build` prints.

    ``stages`` gives the seconds spent reading the curated files, building and validating
    the articles, writing the store and writing the files (and, under ``units``, the
    processor seconds the articles took in each step, summed over the workers).
    """

    triples: int
    entities: int
    facts: int
    facts_with_evidence: int
    quotations: int
    events: int
    statements: int
    conforms: bool
    seconds: float
    outputs: tuple[Path, ...]
    articles: int = 0
    rebuilt: int = 0
    stages: dict = field(default_factory=dict)
    inferred: int = 0
    #: What the build found doubtful but not wrong (an article whose text is not in the
    #: script of its declared language), each with its file and line.
    warnings: tuple[str, ...] = ()

    def text(self) -> str:
        """The summary as `kg build` prints it."""
        files = ", ".join(str(p) for p in self.outputs)
        return (
            f"built {files}\n"
            f"  articles    {self.articles} ({self.rebuilt} built, "
            f"{self.articles - self.rebuilt} from the cache)\n"
            f"  triples     {self.triples} stated, {self.inferred} inferred\n"
            f"  entities    {self.entities}\n"
            f"  facts       {self.facts}\n"
            f"  quotes      all found in the article: {self.facts_with_evidence} evidence "
            f"passages, {self.quotations} quotations\n"
            f"  events      {self.events}\n"
            f"  statements  {self.statements}\n"
            f"  SHACL       {'conforms' if self.conforms else 'VIOLATIONS'}\n"
            f"  time        {self.seconds:.2f} s\n"
        )


# --- the build -------------------------------------------------------------------------------


def build(
    data_dir: str | Path = "data",
    out_dir: str | Path = "out",
    *,
    workers: int | None = None,
    use_cache: bool = True,
    scheduler: str | None = None,
    progress: Progress | None = None,
    files: bool = True,
) -> BuildSummary:
    """Build, validate and write the store, ``kg.ttl`` and ``kg.trig``.

    Articles are built and validated in `workers` processes (default: all cores), or on
    the Dask scheduler at `scheduler`; each result is cached under ``<out_dir>/cache`` and
    reused while its inputs are unchanged (`use_cache` False recomputes every unit). The
    store gets a new generation with only the changed articles' graphs replaced. Nothing
    is written unless every passage is found and every unit conforms; then the outputs are
    replaced at once. With `files` False only the store is written, and the files an
    earlier build wrote are removed (a large corpus need not rewrite them at every edit;
    ``kg export`` writes them when asked).

    Raises
    ------
    InputError, EvidenceError
        Unusable curated data (exit code 2).
    NotConformingError
        SHACL violations (exit code 1); its ``report`` is the `ValidationResult`.
    OutputError
        The output folder cannot be written (exit code 3).

    Examples
    --------
    >>> import tempfile
    >>> summary = build("data", tempfile.mkdtemp(), workers=1)
    >>> summary.conforms, summary.facts == summary.facts_with_evidence
    (True, True)
    """

    started = time.perf_counter()
    clock = _Clock()
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise OutputError(
            f"cannot write into {out}: it is a file, not a folder; name a folder for the build (-o)"
        )
    cache = Cache(out)
    p = plan(data_dir, progress=progress, cache=cache if use_cache else None)
    clock.lap("read")
    with _locked(out):
        # what a build stopped mid-write left: its files' temporaries, its store link's,
        # its cache entries' and the store generation it had not made current
        remove_leftovers(out, ("kg.ttl", "kg.trig", STORE))
        for temp in (out / "cache").rglob(".*.tmp"):  # only a build writes the cache
            temp.unlink(missing_ok=True)
        remove_uncommitted(out)
        results, rebuilt = run_units(p, cache, use_cache, workers, scheduler, progress)
        clock.lap("articles")
        check_results(results, out)
        fixed = _fixed_graphs(results, cache, workers, use_cache)
        clock.lap("inference")
        previous = current_generation(out) or {}
        keys = {unit: r.key for unit, r in results.items()}
        keys.update({iri: key for iri, (key, *_) in fixed.items()})
        if (
            use_cache
            and previous.get("code") == code_digest()
            and previous.get("units") == keys
            and previous.get("counts")
            and previous.get("files", True) == files
            and all((out / name).is_file() == files for name in OUTPUTS)
            and previous.get("outputs") == (_signatures(out) if files else {})
            and _store_opens(out)
        ):
            # nothing changed: the store and the files are already what this build would write
            # (the files as the last build wrote them, not left mixed by one that was stopped)
            return _summary(p, results, previous["counts"], started, out, rebuilt, clock, files)

        # every source: (id, N-Quads, N-Triples it states or None, TriG blocks, Turtle block)
        sources: list[tuple] = [
            (
                source_of(r.graph),
                cache.path(unit, "nq"),
                cache.path(unit),
                cache.path(unit, "trig"),
                cache.path(unit, "ttl"),
                r.graph,
            )
            for unit, r in results.items()
        ]
        sources += [
            (iri, nq, None, trig, trig if iri != SHAPES_GRAPH else None, iri)
            for iri, (_, _, nq, trig) in fixed.items()
        ]
        sources.sort(key=lambda source: graph_order(source[-1]))
        changed: set[str] | None = None
        if use_cache and previous.get("code") == code_digest():
            old = previous.get("units", {})
            changed = {source_of(r.graph) for unit, r in results.items() if old.get(unit) != r.key}
            changed |= {iri for iri, (key, *_) in fixed.items() if old.get(iri) != key}
            changed |= {
                g
                for unit, g in previous.get("sources", {}).items()
                if unit not in results and unit not in fixed
            }
            if len(changed) > COLD_SHARE * max(1, len(results)):
                changed = None
        if progress:
            progress("store", 0, 1)
        scoped = "".join(r.scoped for r in results.values()).encode()
        target = write_generation(out, [s[:3] for s in sources], changed, scoped)
        try:
            store = GraphStore(ox.Store.read_only(str(target)), str(target))
            counts = _store_counts(store)
            clock.lap("store")
            if progress:
                progress("store", 1, 1)
                progress("exports", 0, 1)
            # the files from each source's cached blocks: what export_store writes, without
            # serialising again the articles that did not change; kg.ttl holds what the
            # sources state, then the inferred triples and the ontology
            last = {INFERRED_GRAPH: 0, ONTOLOGY_GRAPH: 1}
            in_default = sorted(
                (s for s in sources if s[4] is not None), key=lambda s: last.get(s[0], -1)
            )
            if files:
                write_outputs(
                    {
                        "kg.ttl": lambda handle: _concatenate(
                            handle, [(s[4], s[4] == s[3]) for s in in_default]
                        ),
                        "kg.trig": lambda handle: _concatenate(
                            handle, [(s[3], False) for s in sources]
                        ),
                    },
                    out,
                )
            else:  # gone before the new store is current: never files older than the store
                for name in OUTPUTS:
                    (out / name).unlink(missing_ok=True)
            del store
            clock.lap("exports")
            summary = _summary(p, results, counts, started, out, rebuilt, clock, files)
            commit_generation(
                out,
                target,
                {
                    "code": code_digest(),
                    "units": keys,
                    "counts": counts,
                    "sources": {
                        **{unit: source_of(r.graph) for unit, r in results.items()},
                        **{iri: iri for iri in fixed},
                    },
                    "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "stages": summary.stages,
                    "rebuilt": summary.rebuilt,
                    "seconds": round(summary.seconds, 3),
                    "files": files,
                    "outputs": _signatures(out) if files else {},
                },
            )
            if progress:
                progress("exports", 1, 1)
        except BaseException:
            discard_generation(target)
            raise
        cache.prune(set(results))
        return summary


def _signatures(out: Path) -> dict[str, list[int]]:
    """Each single-file output's size, modification time and inode, as the manifest records
    them: what tells that the files are the ones the last build wrote (each is replaced by a
    rename, so a file written since has another inode), without reading them."""
    found = {}
    for name in OUTPUTS:
        stat = (out / name).stat()
        found[name] = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
    return found


def _store_opens(out: Path) -> bool:
    """Whether the current store generation opens (a damaged one is written anew)."""
    try:
        ox.Store.read_only(str(out / STORE))
    except (OSError, RuntimeError):
        return False
    return True


class _Clock:
    """Seconds spent in each stage of a build."""

    def __init__(self):
        self.mark = time.perf_counter()
        self.stages: dict[str, float] = {}

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] = round(self.stages.get(stage, 0.0) + now - self.mark, 3)
        self.mark = now


def _fixed_graphs(
    results: dict, cache: Cache, workers: int | None = None, use_cache: bool = True
) -> dict:
    """The graphs the build makes beside the units': the ontology, the shapes, and what the
    reasoner infers from every unit's triples. ``{IRI: (key, N-Triples file, N-Quads file,
    TriG file)}``, each kept in the cache under its key, so that the reasoner runs only when
    the ontology or some unit's triples that it reads have changed (`use_cache` False: the
    inferred triples are reasoned again)."""

    out = {}
    for iri, name, path in (
        (ONTOLOGY_GRAPH, "ontology", ONTOLOGY_PATH),
        (SHAPES_GRAPH, "shapes", SHAPES_PATH),
    ):
        data = Path(path).read_bytes()
        key = unit_key(name, data)
        found = cache.graph(name, key)
        if found is None:
            # blank nodes get canonical labels (RDFC-1.0) and become skolem IRIs named after
            # their graph (RDF 1.1, 3.5): the same at every build, in the files and the store
            dataset = ox.Dataset(ox.parse(data, format=ox.RdfFormat.TURTLE))
            dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
            written = ox.serialize((q.triple for q in dataset), format=ox.RdfFormat.N_TRIPLES)
            lines = re.sub(rb"_:c14n(\d+)", _skolem(name), written or b"").splitlines(keepends=True)
            nt = b"".join(sorted(set(lines)))
            found = cache.put_graph(name, key, nt, as_quads(nt, iri), trig_block(iri, nt))
        out[iri] = (key, *found)
    # what the reasoner reads: each unit's triples (a digest of each, not their union
    # sorted, which at ten thousand articles took seconds), and the ontology's key
    read = hashlib.sha256()
    for unit in sorted(results):
        read.update(unit.encode() + b"\0" + hashlib.sha256(results[unit].abox.encode()).digest())
    key = unit_key("inferred", out[ONTOLOGY_GRAPH][0], read.hexdigest())
    found = cache.graph("inferred", key) if use_cache else None
    if found is None:
        aboxes = {unit: r.abox for unit, r in results.items()}
        folder = cache.folder.parent / "inferred"
        nt = infer_units(aboxes, folder, workers, use_cache=use_cache).ntriples
        found = cache.put_graph(
            "inferred", key, nt, as_quads(nt, INFERRED_GRAPH), trig_block(INFERRED_GRAPH, nt)
        )
    out[INFERRED_GRAPH] = (key, *found)
    return out


def _skolem(graph: str) -> Callable[[re.Match[bytes]], bytes]:
    """The IRI, named after its graph, that a canonical blank node label becomes."""
    prefix = f"<{SKOLEM}{graph}-".encode()
    return lambda match: prefix + match.group(1) + b">"


def _concatenate(handle, blocks: list[tuple[Path, bool]]) -> None:
    """Our prefix lines, then each block's file (a TriG block made plain Turtle where its
    flag is set)."""

    handle.write(prefix_lines())
    for path, plain in blocks:
        block = path.read_bytes()
        handle.write(turtle_block(block) if plain else block)


def _summary(
    p: Plan,
    results: dict,
    counts: dict,
    started: float,
    out: Path,
    rebuilt: set[str],
    clock: _Clock,
    files: bool = True,
) -> BuildSummary:

    work = {
        stage: round(
            sum(r.seconds.get(stage, 0.0) for unit, r in results.items() if unit in rebuilt), 3
        )
        for stage in ("build", "validate", "serialize")
    }
    return BuildSummary(
        triples=counts["triples"],
        entities=len(p.corpus.entities),
        facts=sum(r.fact_count for r in results.values()),
        facts_with_evidence=sum(r.facts_with_evidence for r in results.values()),
        quotations=sum(r.quotations_found for r in results.values()),
        events=counts["events"],
        statements=counts["statements"],
        conforms=True,
        seconds=time.perf_counter() - started,
        inferred=counts.get("inferred", 0),
        outputs=tuple(out / name for name in (*(OUTPUTS if files else ()), STORE)),
        articles=len(p.corpus.articles),
        rebuilt=len(rebuilt - {REFERENCE_UNIT}),
        stages={**clock.stages, "units": work},
        warnings=tuple(w for r in results.values() for w in r.warnings),
    )


def _store_counts(store) -> dict:

    raw = store.store
    return {
        "triples": store.triples(),
        "inferred": store.triples(INFERRED_GRAPH),
        "events": _count_typed(raw, (DIP.Negotiation, DIP.Meeting, DIP.Session)),
        "statements": _count_typed(raw, (DIP.PublicStatement,)),
    }


def _count_typed(raw, classes) -> int:
    return count(raw, count_query(classes), default_graph=stated_graph(raw))


class _locked:
    """An exclusive lock on the output folder for the length of a build."""

    def __init__(self, out: Path):
        self.out = out

    def __enter__(self):
        try:
            (self.out / "cache").mkdir(parents=True, exist_ok=True)
            self.handle = open(self.out / "cache" / ".lock", "a")
        except OSError as exc:
            raise OutputError(
                f"cannot write into {self.out}: {exc.strerror or exc}; check "
                "the path and its permissions"
            ) from None
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.handle.close()
            raise OutputError(
                f"another kg build is writing {self.out}; wait for it to finish"
            ) from None
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()
        return False


# --- without an output folder ----------------------------------------------------------------


def check(
    data_dir: str | Path = "data", *, workers: int | None = None, progress: Progress | None = None
):
    """Validate a data folder as the build does, one unit at a time; write nothing.

    Returns the merged `kg.build.validate.ValidationResult`.

    Raises
    ------
    InputError, EvidenceError
        Unusable curated data.

    Examples
    --------
    >>> check("data", workers=1).conforms
    True
    """
    p = plan(data_dir, progress=progress)
    results, _ = run_units(p, None, False, workers, None, progress)
    missing = [m for r in results.values() for m in r.missing]
    if missing:
        raise EvidenceError(missing)
    return verdict(results)


def build_in_memory(data_dir: str | Path, *, strict: bool = True, validate: bool = True):
    """Build a data folder into a store in memory, as a reader opens it; write nothing.

    Examples
    --------
    >>> build_in_memory("data").triples() > 900
    True
    """

    p = plan(data_dir, strict=strict, validate=validate)
    # a daemon process (a kg serve worker) may not start a pool, and a few articles build
    # sooner here than a pool of processes starts: build those units here
    small = len(p.jobs) < 2 * POOL_MIN_JOBS
    workers = 1 if small or multiprocessing.current_process().daemon else None
    results, _ = run_units(p, None, False, workers, None, None)
    if strict:
        check_results(results)
    store = ox.Store()
    for result in results.values():
        if result.nquads:
            store.load(result.nquads, format=ox.RdfFormat.N_QUADS)
    with tempfile.TemporaryDirectory(prefix="kg-graphs-") as folder:
        for _, _, nq, _ in _fixed_graphs(results, Cache(folder)).values():
            store.load(nq.read_bytes(), format=ox.RdfFormat.N_QUADS)
    fill_union(store)
    graph_store = GraphStore(store, str(data_dir), False)
    graph_store.results = results  # type: ignore[attr-defined]
    graph_store.plan = p  # type: ignore[attr-defined]
    return graph_store


@dataclass(frozen=True)
class Stats:
    """Counts over a data folder; facts whose evidence is not found are counted, not fatal."""

    triples: int
    entities_by_class: dict = field(default_factory=dict)
    facts: int = 0
    facts_with_evidence: int = 0
    events: int = 0
    statements: int = 0
    articles: int = 0

    def text(self) -> str:
        """The counts as `kg stats` prints them."""
        share = self.facts_with_evidence / self.facts if self.facts else 1.0
        lines = [
            f"articles              {self.articles}",
            f"triples               {self.triples}",
            f"entities              {sum(self.entities_by_class.values())}",
        ]
        lines += [f"  {name:<20}{count}" for name, count in sorted(self.entities_by_class.items())]
        lines += [
            f"facts                 {self.facts}",
            f"evidence found        {self.facts_with_evidence}/{self.facts} ({share:.0%})",
            f"events                {self.events}",
            f"statements            {self.statements}",
        ]
        return "\n".join(lines) + "\n"


def stats(data_dir: str | Path = "data") -> Stats:
    """Count what the curated data holds, without validating or writing anything.

    Examples
    --------
    >>> s = stats("data")
    >>> s.entities_by_class["Person"] >= 9, s.facts == s.facts_with_evidence
    (True, True)
    """
    store = build_in_memory(data_dir, strict=False, validate=False)
    results = store.results.values()
    corpus = store.plan.corpus
    counts = _store_counts(store)
    by_class = Counter(entity.type for entity in corpus.entities.values())
    return Stats(
        triples=counts["triples"],
        entities_by_class=dict(by_class),
        facts=sum(r.fact_count for r in results),
        facts_with_evidence=sum(r.facts_with_evidence for r in results),
        events=counts["events"],
        statements=counts["statements"],
        articles=len(corpus.articles),
    )
