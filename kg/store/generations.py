"""The store generations of an output folder: each build writes a new one and then points
the ``store`` link at it, so a reader never sees a half-written store and a failed build
leaves the previous one in place.

A generation (``stores/<n>``) is a checkpoint of the previous one with only the changed
articles' graphs replaced, or, after many changes, a store bulk-loaded from scratch.
"""

from __future__ import annotations

__all__ = [
    "STORE",
    "GENERATIONS",
    "BULK_BATCH",
    "store_path",
    "open_current",
    "hold_generation",
    "current_generation",
    "write_generation",
    "remove_uncommitted",
    "commit_generation",
    "discard_generation",
]

import io
import json
import os
import shutil
from pathlib import Path
from typing import IO, Any, cast

try:
    import fcntl  # POSIX file locks, for readers' holds on generations
except ImportError:  # Windows: no advisory locks; the previous generation is kept
    fcntl = None  # type: ignore[assignment]

import pyoxigraph as ox

from kg.errors import InputError, OutputError
from kg.files import replace_file
from kg.store.asof import index_time
from kg.store.asofdelta import update_index
from kg.store.difference import replace_graph
from kg.store.graphs import GraphStore, apply_ranks, ranked_keys, source_of
from kg.store.plain import PLAIN_LAYOUT, STATED, make_plain, settle_plain, upgrade_layout
from kg.vocab.curation import time_scope
from kg.vocab.namespaces import AS_OF, NOT_STATED, PLAIN_GRAPH

#: The link, in an output folder, to the current store generation.
STORE = "store"
#: The folder, in an output folder, that holds the store generations.
GENERATIONS = "stores"


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


def open_current(out_dir: str | Path) -> GraphStore | None:
    """The current store generation of a build folder, opened read-only; None if it has none.

    Raises
    ------
    InputError
        If the store cannot be opened.

    Examples
    --------
    >>> open_current("no-such-folder") is None
    True
    """
    path = Path(out_dir)
    for _ in range(3):  # a build may remove the generation between the link and the hold
        found = store_path(path)
        if found is None:
            return None
        hold = hold_generation(found)
        if found.is_dir():
            break
        if hold is not None:
            hold.close()
    try:
        store = ox.Store.read_only(str(found))
    except (OSError, RuntimeError) as exc:  # RocksDB reports a damaged store as RuntimeError
        if hold is not None:
            hold.close()
        raise InputError(
            f"{path / STORE}: cannot open the store: {exc}; rebuild it with 'kg build'"
        ) from None
    return GraphStore(store, str(path), True, current_generation(path) or {}, hold=hold)


def hold_generation(generation: Path) -> IO[bytes] | None:
    """A reader's hold on a store generation, to keep while the store is open: a shared lock
    on the file ``stores/N.lock`` beside it, which a build that finds it held does not
    remove the generation under (`commit_generation`). Close it to let go. None where the
    system has no such locks or the file cannot be opened (then nothing holds it).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> hold = hold_generation(folder / "1")
    >>> _unheld(folder / "1.lock") is None  # a build finds it held
    True
    >>> hold.close()
    >>> _unheld(folder / "1.lock").close()  # and free once let go
    """
    if fcntl is None:
        return None
    lock = generation.with_name(generation.name + ".lock")
    for mode in ("ab", "rb"):  # a folder the reader may not write: the build made the file
        try:
            handle = open(lock, mode)  # noqa: SIM115 - kept open while the store is
        except OSError:
            continue
        try:
            fcntl.flock(handle, fcntl.LOCK_SH)
        except OSError:
            handle.close()
            return None
        return handle
    return None


def _unheld(lock: Path) -> IO[bytes] | None:
    """The lock file `lock` locked for removal, or None if a reader holds it."""
    if fcntl is None:
        return None
    try:
        handle = open(lock, "ab")  # noqa: SIM115 - closed by the caller
    except OSError:
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


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


def write_generation(
    out_dir: str | Path,
    sources: list[tuple[str, Path, Path | None]],
    changed: set[str] | None,
    scoped: bytes | None = None,
) -> Path:
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
    `scoped`, every source's `kg.store.asof.scoped_input`, is what the as-of index is worked
    out from (None: read from the store).
    """
    out = Path(out_dir)
    previous = store_path(out)
    folder = out / GENERATIONS
    target = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        number = 1 + max([int(p.name) for p in folder.iterdir() if p.name.isdigit()], default=0)
        target = folder / str(number)
        if changed is None or previous is None:
            index = _create(target, sources, scoped)
        else:
            try:
                ox.Store.read_only(str(previous)).backup(str(target))
            except (OSError, RuntimeError):  # the previous generation is damaged: start anew
                shutil.rmtree(target, ignore_errors=True)
                index = _create(target, sources, scoped)
            else:
                index = _update(target, sources, changed, _known_index(previous), scoped)
        replace_file(_index_file(target), json.dumps(index, sort_keys=True).encode())
    except BaseException as exc:  # a full disk, a stop: no half-written generation stays
        if target is not None:
            discard_generation(target)
        if isinstance(exc, (OSError, RuntimeError)):  # RocksDB tells a full disk either way
            raise OutputError(f"cannot write the store into {folder}: {exc}") from None
        raise
    return target


def commit_generation(out_dir: str | Path, target: Path, manifest: dict) -> None:
    """Make `target` the current generation: write its manifest, then switch the link.

    Then the older generations go, but those a reader holds (`hold_generation`: ``kg
    serve``'s workers, a script with the store open), which the next build removes once let
    go. Where the system has no file locks, the previous generation is kept for its readers.
    """
    out = Path(out_dir)
    link = out / STORE
    previous = store_path(out)
    temp = out / f".{STORE}.{os.getpid()}.tmp"
    try:
        # readers hold a generation by this file (`hold_generation`), even where they may
        # not write the folder
        target.with_name(target.name + ".lock").touch()
        replace_file(
            target.with_suffix(".json"),
            (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode(),
        )
        if temp.is_symlink() or temp.exists():
            temp.unlink()
        os.symlink(Path(GENERATIONS) / target.name, temp)
        if link.exists() and not link.is_symlink():
            raise OutputError(
                f"{link} exists and is not a link to a store generation; remove it and build again"
            )
        os.replace(temp, link)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise OutputError(f"cannot switch {link} to the new store: {exc}") from None
    folder = out / GENERATIONS
    older = set()
    for old in folder.iterdir():
        name = old.name.split(".")[0]
        if old.name.startswith(".") and old.name.endswith(".tmp"):  # a stopped build's manifest
            old.unlink(missing_ok=True)
        elif name.isdigit() and name != target.name:
            older.add(name)
    for name in sorted(older, key=int):
        if fcntl is None and previous is not None and name == previous.name:
            continue  # no locks to tell whether a reader has it open: kept
        lock = _unheld(folder / f"{name}.lock")
        if fcntl is not None and lock is None:
            continue  # a reader holds it: the next build removes it once let go
        try:
            discard_generation(folder / name)
        finally:
            if lock is not None:
                lock.close()


def remove_uncommitted(out_dir: str | Path) -> list[Path]:
    """Remove what a build stopped before its commit left in ``stores/``: generations
    numbered above the current one (never current, so no reader holds them) and temporary
    manifests; return them. Call it only under the build's lock.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> (out / GENERATIONS / "1").mkdir(parents=True)
    >>> [p.name for p in remove_uncommitted(out)]  # no current generation: none is kept
    ['1']
    """
    folder = Path(out_dir) / GENERATIONS
    if not folder.is_dir():
        return []
    current = store_path(out_dir)
    newest = int(current.name) if current is not None and current.name.isdigit() else 0
    found = []
    for entry in sorted(folder.iterdir()):
        number = entry.name.split(".")[0]
        temporary = entry.name.startswith(".") and entry.name.endswith(".tmp")
        if temporary or (number.isdigit() and int(number) > newest):
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            found.append(entry)
    return found


def discard_generation(target: Path) -> None:
    """Remove a generation that will not be made current (a failed build)."""
    shutil.rmtree(target, ignore_errors=True)
    target.with_suffix(".json").unlink(missing_ok=True)
    _index_file(target).unlink(missing_ok=True)
    target.with_name(target.name + ".lock").unlink(missing_ok=True)


def _index_file(generation: Path) -> Path:
    """The file beside a generation that holds the digest of each graph of its as-of index
    (`kg.store.asof.index_time`), so that the next generation rewrites only those that
    change."""
    return generation.with_name(generation.name + ".index.json")


def _known_index(generation: Path) -> dict[str, str] | None:
    """The digests of a generation's as-of index graphs, or None when not known."""
    try:
        found = json.loads(_index_file(generation).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


#: Bytes of N-Triples loaded by one bulk load: Oxigraph's bulk loader holds what it is given
#: in memory while it sorts it, so batches keep the build's memory flat (about 250 MB).
BULK_BATCH = 32 << 20


def _create(
    target: Path, sources: list[tuple[str, Path, Path | None]], scoped: bytes | None = None
) -> dict[str, str]:
    store = ox.Store(str(target))
    batch: list[tuple[str, Path, Path | None]] = []
    size = 0
    for source in sources + [None]:
        if source is not None:
            batch.append(source)
            size += source[1].stat().st_size
        if batch and (source is None or size >= BULK_BATCH):
            store.bulk_load(
                input=cast(IO[bytes], _Stream([q for _, q, _ in batch])),
                format=ox.RdfFormat.N_QUADS,
            )
            stated = [t for _, _, t in batch if t is not None]
            if stated:
                store.bulk_load(
                    input=cast(IO[bytes], _Stream(stated)),
                    format=ox.RdfFormat.N_TRIPLES,
                    to_graph=STATED,
                )
            batch, size = [], 0
    apply_ranks(store, ranked_keys(store))
    index = index_time(store, fresh=True, scoped=scoped)
    make_plain(store, spill=target.parent)
    index[PLAIN_GRAPH] = PLAIN_LAYOUT
    store.optimize()
    store.flush()
    del store
    return index


def _update(
    target: Path,
    sources: list[tuple[str, Path, Path | None]],
    changed: set[str],
    known: dict[str, Any] | None,
    scoped: bytes | None = None,
) -> dict[str, Any]:
    store = ox.Store(str(target))
    if known is None or known.get(PLAIN_GRAPH) != PLAIN_LAYOUT:
        upgrade_layout(store)  # written before the default graph held the union
    ranked = ranked_keys(store)  # the ranks of the sources replaced may change below
    wanted = {source: (quads, triples) for source, quads, triples in sources}
    # the lines whose place in the stated union or the default graph's other parts may change
    touched: set[bytes] = set()
    # the time-scoped triples of the sources replaced, before and after (`update_index`)
    seeds: list[tuple] = []
    timed = {ox.NamedNode(p) for p in time_scope().scoped}
    present: dict[str, list] = {}
    for g in store.named_graphs():
        if isinstance(g, ox.NamedNode) and not g.value.startswith(AS_OF):  # remade below
            present.setdefault(source_of(g.value), []).append(g)
    for source in sorted((set(present) - set(wanted)) | (set(changed) & set(wanted))):
        quads, _ = wanted.get(source, (None, None))
        if (
            source in NOT_STATED
            and quads is not None
            and present.get(source) == [ox.NamedNode(source)]
            and (changes := _replace_by_difference(store, source, quads)) is not None
        ):
            touched.update(changes)
            continue
        old: set[bytes] = set()
        for name in present.get(source, []):
            old.update(
                (store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name) or b"").splitlines()
            )
            seeds.extend(_timed(store.quads_for_pattern(None, None, None, name), timed))
            store.remove_graph(name)
        quads, triples = wanted.get(source, (None, None))
        if quads is not None:
            data = quads.read_bytes()
            if data:
                store.load(data, format=ox.RdfFormat.N_QUADS)
                seeds.extend(_timed(ox.parse(data, format=ox.RdfFormat.N_QUADS), timed))
        if source in NOT_STATED:  # its own graph is a part of the default graph
            touched.update(old)
            if quads is not None:
                dumped = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(source))
                touched.update((dumped or b"").splitlines())
            continue
        new = set(triples.read_bytes().splitlines()) if triples is not None else set()
        touched.update(old | new)
        added = sorted(new - old)
        if added:
            store.load(b"\n".join(added) + b"\n", format=ox.RdfFormat.N_TRIPLES, to_graph=STATED)
        gone = sorted(old - new)
        if gone:
            for triple in ox.parse(b"\n".join(gone) + b"\n", format=ox.RdfFormat.N_TRIPLES):
                # a triple stays in the stated union while another source states it
                if not any(
                    isinstance(q.graph_name, ox.NamedNode)
                    and q.graph_name.value not in NOT_STATED
                    and not q.graph_name.value.startswith(AS_OF)
                    for q in store.quads_for_pattern(
                        triple.subject, triple.predicate, triple.object
                    )
                ):
                    store.remove(ox.Quad(triple.subject, triple.predicate, triple.object, STATED))
    keys = ranked | ranked_keys(store)
    touched.update(_default_lines(store, keys))
    apply_ranks(store, keys)
    touched.update(_default_lines(store, keys))
    index = update_index(store, seeds, touched, known) if known is not None else None
    if index is None:
        index = index_time(store, known=known, scoped=scoped, touched=touched)
    if known is not None and known.get(PLAIN_GRAPH) == PLAIN_LAYOUT:
        settle_plain(store, touched)
    else:  # written before the default graph held the union: made anew
        make_plain(store, spill=target.parent)
    index[PLAIN_GRAPH] = PLAIN_LAYOUT
    store.flush()
    del store
    return index


def _timed(quads, timed: set) -> list[tuple]:
    """The triples of `quads` whose property is one of `timed`."""
    return [(q.subject, q.predicate, q.object) for q in quads if q.predicate in timed]


def _replace_by_difference(store: ox.Store, graph: str, quads: Path) -> list[bytes] | None:
    """Make the graph `graph` hold the N-Quads of `quads` (all in that graph) by removing
    and adding only the triples that differ: a large graph that changes little (the inferred
    triples after an edit) costs its change, not its size. Returns the lines removed and
    added; None, with nothing done, when some line of `quads` is not in `graph` (the caller
    then replaces the graph whole)."""
    suffix = f" <{graph}> .".encode()
    new: set[bytes] = set()
    with open(quads, "rb") as handle:
        for line in handle:
            line = line.rstrip(b"\n")
            if not line.endswith(suffix):
                return None
            new.add(line[: -len(suffix)] + b" .\n")
    return replace_graph(store, graph, new)


def _default_lines(store: ox.Store, keys: set[tuple]) -> list[bytes]:
    """The N-Triples lines of the stated union's triples of each (subject, predicate) in
    `keys`: those the curators' ranks may hide or show."""
    return [
        f"{q.subject} {q.predicate} {q.object} .".encode()
        for s, p in keys
        for q in store.quads_for_pattern(s, p, None, STATED)
    ]


class _Stream(io.RawIOBase):
    """Files read one after the other, each straight into the reader's buffer: time linear
    in their size, memory of one read (`benchmarks/stream_read.py` measures it).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name, data in (("a", b"one "), ("b", b""), ("c", b"two")):
    ...     _ = (folder / name).write_bytes(data)
    >>> io.BufferedReader(_Stream([folder / n for n in "abc"]), 2).read()
    b'one two'
    """

    def __init__(self, paths: list[Path]):
        self._paths = iter(paths)
        self._file: io.BufferedReader | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while True:
            if self._file is None:
                path = next(self._paths, None)
                if path is None:
                    return 0
                self._file = open(path, "rb")  # noqa: SIM115 - closed at its end, or by close()
            size = self._file.readinto(target)
            if size:
                return size
            self._file.close()
            self._file = None

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        super().close()
