"""Running the units of work: each builds one article's graph, finds its evidence and
validates it with what it uses, as a pure function of its job; here, in a pool of
processes, or on a Dask cluster. The results are cached by key."""

from __future__ import annotations

__all__ = [
    "run_unit",
    "run_checked",
    "run_units",
    "verdict",
    "check_results",
    "end_with_parent",
    "POOL_MIN_JOBS",
]

import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict
from multiprocessing import get_context
from pathlib import Path

from rdflib import Graph

from kg.build.cache import Cache, UnitResult
from kg.build.infer import abox
from kg.build.job import Job, Plan, Progress
from kg.build.language import language_warning
from kg.build.unit import build_unit, nt_term
from kg.build.validate import ValidationResult, Violation, merge_results, validate_unit
from kg.errors import EvidenceError, InputError, NotConformingError
from kg.store.asof import scoped_input
from kg.store.files import trig_block, turtle_block
from kg.store.graphs import graph_order

#: Fewer units than this are built in this process: starting worker processes (each imports
#: rdflib and pySHACL) costs more than it saves. On 2 cores the shipped data (5 units) built
#: in 1.30-1.54 s in this process against 2.20-2.45 s in a pool, and 8 synthetic articles
#: (10 units) in 8.2-9.7 s against 7.4-7.8 s (2026-12-08, `kg build -q -j 1` and `-j 2`).
POOL_MIN_JOBS = 8


def run_unit(job: Job) -> UnitResult:
    """Build one unit's graph, find its evidence, validate it with what it uses.

    A pure function of `job`: no file is read or written, so it runs in a worker process or
    on a cluster. The result carries the graph as sorted N-Triples and the verdict.

    Examples
    --------
    >>> from kg.build.plan import plan
    >>> job = plan("data").jobs[1]
    >>> result = run_unit(job)
    >>> result.unit, result.missing, result.violations, result.triples > 900
    ('2025-05-16-istanbul-talks', [], [], True)
    """
    started = time.perf_counter()
    unit = build_unit(
        Path(job.root), job.article, list(job.facts), job.entities, job.dates, job.events
    )
    built = time.perf_counter()
    result = UnitResult(
        job.unit,
        job.key,
        str(unit.name),
        unit.fact_count,
        unit.facts_with_evidence,
        unit.quotations,
        unit.quotations_found,
        missing=list(unit.missing),
        warnings=[w for w in [job.article and language_warning(job.article)] if w],
    )

    if job.output:
        graphs: dict[str, set[str]] = {}
        for q in unit.quads:
            graphs.setdefault(str(q[3]), set()).add(
                f"{nt_term(q[0])} {nt_term(q[1])} {nt_term(q[2])} .\n"
            )
        names = sorted(graphs, key=graph_order)
        quads: list[str] = []
        trig: list[bytes] = []
        union: set[str] = set()
        for name in names:
            lines = sorted(graphs[name])
            union.update(lines)
            quads.extend(line[:-2] + f"<{name}> .\n" for line in lines)
            trig.append(trig_block(name, "".join(lines).encode()))
        result.nquads = "".join(quads).encode()
        result.ntriples = "".join(sorted(union)).encode()
        result.trig = b"".join(trig)
        result.turtle = turtle_block(trig_block(result.graph, result.ntriples))
        result.triples = len(union)

        result.abox = abox(result.ntriples).decode()
        result.scoped = scoped_input({n: sorted(graphs[n]) for n in names}, sorted(union))
    serialized = time.perf_counter()
    if job.validate and not (job.strict and unit.missing):
        context = Graph().parse(data=job.context, format="nt") if job.context else None
        verdict = validate_unit(unit, context, in_place=True)  # the graph is written out
        result.violations = [asdict(v) for v in verdict.violations]
        if verdict.violations:
            result.report = verdict.report.serialize(format="nt")
    result.seconds = {
        "build": built - started,
        "serialize": serialized - built,
        "validate": time.perf_counter() - serialized,
    }
    return result


def run_checked(job: Job) -> UnitResult:
    """`run_unit`, then the verdict `build` gives: every passage found, the shapes met.

    Raises
    ------
    EvidenceError
        For passages not found (exit 2).
    NotConformingError
        For SHACL violations (exit 1).
    """
    result = run_unit(job)
    check_results({job.unit: result})
    return result


def _execute(jobs: list[Job], workers: int, scheduler: str | None) -> Iterator[UnitResult]:
    """Run `jobs`, yielding each result as it is ready: on a Dask cluster, in a pool of
    processes, or here when there are few jobs or one worker."""
    if not jobs:
        return
    if scheduler:
        yield from _on_cluster(jobs, scheduler)
    elif workers <= 1 or len(jobs) < POOL_MIN_JOBS:
        for job in jobs:
            yield run_unit(job)
    else:
        with ProcessPoolExecutor(
            max_workers=min(workers, len(jobs)),
            mp_context=get_context("spawn"),
            initializer=end_with_parent,
            initargs=(os.getpid(),),
        ) as pool:
            futures = [pool.submit(run_unit, job) for job in jobs]
            try:
                for future in as_completed(futures):
                    yield future.result()
            finally:
                for future in futures:
                    future.cancel()


def end_with_parent(parent: int) -> None:
    """In a worker: end when the build that started it is gone (killed, say), instead of
    waiting for work that will never come."""

    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="kg-parent-watch").start()


def _on_cluster(jobs: list[Job], address: str) -> Iterator[UnitResult]:
    try:  # the cluster extra, imported only for a build on a cluster:
        from distributed import Client  # noqa: PLC0415
        from distributed import as_completed as dask_completed  # noqa: PLC0415
    except ImportError:
        raise InputError(
            "--scheduler needs Dask's distributed scheduler: pip install "
            "'.[cluster]' from a clone of kg (or pip install distributed)"
        ) from None
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(
            f"--scheduler {address}: cannot reach a Dask scheduler there: {exc}"
        ) from None
    try:
        futures = client.map(
            run_unit, jobs, key=[f"kg-unit-{j.unit}-{j.key[:16]}" for j in jobs], pure=True
        )
        for future in dask_completed(futures):
            yield future.result()
    finally:
        client.close()


def run_units(
    p: Plan,
    cache: Cache | None,
    use_cache: bool,
    workers: int | None,
    scheduler: str | None,
    progress: Progress | None,
) -> tuple[dict, set[str]]:
    """Each unit's result (from the cache, or computed), and the units computed."""
    results: dict[str, UnitResult] = {}
    todo = []
    for job in p.jobs:
        hit = cache.get(job.unit, job.key) if cache is not None and use_cache else None
        if hit is not None:
            results[job.unit] = hit
        else:
            todo.append(job)
    total = len(p.jobs)
    if progress:
        progress("building", len(results), total)
    for result in _execute(todo, workers or os.cpu_count() or 1, scheduler):
        if cache is not None:
            cache.put(result)
        results[result.unit] = result
        if progress:
            progress("building", len(results), total)
    return {job.unit: results[job.unit] for job in p.jobs}, {job.unit for job in todo}


def verdict(results: dict[str, UnitResult]) -> ValidationResult:
    """The SHACL verdict of every unit's result, merged into one.

    Examples
    --------
    >>> verdict({}).conforms
    True
    """
    units = []
    for result in results.values():
        violations = tuple(
            Violation(**{**v, "sources": tuple(tuple(s) for s in v["sources"])})
            for v in result.violations
        )
        report = Graph().parse(data=result.report, format="nt") if result.report else Graph()
        units.append(ValidationResult(not violations, violations, report))
    return merge_results(units)


def check_results(results: dict[str, UnitResult], out_dir=None) -> ValidationResult:
    """The verdict `build` gives: every passage found, the shapes met.

    Raises
    ------
    EvidenceError
        For passages not found (exit 2).
    NotConformingError
        For SHACL violations (exit 1), naming `out_dir` as left as it was.
    """
    missing = [m for r in results.values() for m in r.missing]
    if missing:
        raise EvidenceError(missing)
    found = verdict(results)
    if not found.conforms:
        where = f"; nothing was written to {out_dir}" if out_dir is not None else ""
        raise NotConformingError(
            f"the graph does not conform to the shapes{where}\n" + found.text(), report=found
        )
    return found
