"""Inference that follows the change: after an edit, only what the changed articles can
entail is reasoned again.

The closure is split in two (`kg.build.infer.hierarchy_predicates` says why this is exact):

- **the shared hierarchies**: the triples of the transitive properties and of those a
  property chain follows (who acts for whom, what is part of or located in what), from every
  article, closed once; reasoned again only when one of them changes;
- **each unit**: its own triples with the part of that closure its entities reach (its
  context), closed on their own; reasoned again only when the unit or its context changes.

The inferred graph is the union of these closures less what some source states. Each
closure is kept in ``<out>/cache/inferred/`` under a key of what it was reasoned from;
`tests/test_entail.py` checks that the result equals the closure of the whole corpus, and
owlrl's, after additions, edits and removals.
"""

from __future__ import annotations

__all__ = ["infer_units", "Inferred", "groups", "GROUP"]

import hashlib
import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path

from kg.build.cache import unit_key
from kg.build.infer import about_entities, closure, hierarchy_predicates, ntriple, triples
from kg.build.units import end_with_parent
from kg.errors import OutputError
from kg.files import replace_file
from kg.vocab.ontology import ONTOLOGY_PATH

#: The name, in the inference cache, of the shared hierarchies' closure (units are named
#: after their article folders, which cannot start with a dot).
_HIERARCHIES = ".hierarchies"


@dataclass
class Inferred:
    """The corpus's inferred triples (sorted N-Triples) and how many closures were reasoned
    again rather than read from the cache (the units' and the shared hierarchies')."""

    ntriples: bytes
    reasoned: int


def infer_units(
    aboxes: Mapping[str, str],
    folder: str | Path,
    workers: int | None = 1,
    size: int | None = None,
    use_cache: bool = True,
) -> Inferred:
    """The triples that follow from every unit's `aboxes` (`kg.build.infer.abox` lines, by
    unit) and are stated by none, reasoning again only the closures whose input changed
    since the closures kept in `folder`; entries of units no longer given are removed.

    Units are reasoned in groups (`groups`), so that the reasoner's fixed cost per run, the
    ontology's own closure, is paid once per group of about `size` units (default `GROUP`)
    rather than once per unit; when many groups are to be reasoned, `workers` processes
    (None: one per processor) share them. With `use_cache` False every closure is reasoned
    again (and kept).

    Examples
    --------
    >>> import tempfile
    >>> dip, kgr = "https://w3id.org/diplomacy-kg/ontology#", "https://w3id.org/diplomacy-kg/id/"
    >>> aboxes = {"a": f"<{kgr}talks> <{dip}hasParticipant> <{kgr}envoy> .\\n",
    ...           "b": f"<{kgr}envoy> <{dip}represents> <{kgr}country> .\\n"}
    >>> folder = tempfile.mkdtemp()
    >>> found = infer_units(aboxes, folder)
    >>> f"<{kgr}talks> <{dip}hasParticipant> <{kgr}country> .".encode() in found.ntriples
    True
    >>> found.reasoned, infer_units(aboxes, folder).reasoned
    (2, 0)
    """
    out = Path(folder)
    hierarchy = hierarchy_predicates()
    lines = {unit: sorted(set(text.splitlines(keepends=True))) for unit, text in aboxes.items()}
    shared = sorted(
        {line for found in lines.values() for line in found if _predicate(line) in hierarchy}
    )
    reasoned = 0
    axioms_key = _axioms_key()  # an edited ontology entails otherwise: every closure again
    key = unit_key("hierarchies", axioms_key, "".join(shared))
    closed = _kept(out, _HIERARCHIES, key) if use_cache else None
    if closed is None:
        closed = _close(shared, stated=True, keep=hierarchy)
        _keep(out, _HIERARCHIES, key, closed)
        reasoned += 1
    # the context a unit is reasoned with: the hierarchy triples its entities reach (any
    # subject: an IRI from outside may link two of ours through an inverse)
    onward: dict[str, list[str]] = {}
    for line in closed:
        subject, predicate, _ = line.split(" ", 2)
        if predicate[1:-1] in hierarchy:
            onward.setdefault(subject, []).append(line)
    reach = _Reach(onward)
    todo: dict[str, tuple[str, list[str]]] = {}
    parts = [[line for line in closed if about_entities(next(iter(triples([line]))))]]
    for group in groups(sorted(lines), size):
        found = sorted({line for unit in group for line in lines[unit]})
        context = reach(found)
        key = unit_key("inferred", axioms_key, "\0".join(group), "".join(found), "".join(context))
        part = _kept(out, group[0], key) if use_cache else None
        if part is None:
            todo[group[0]] = (key, [*found, *context])
        else:
            parts.append(part)
    for name, part in zip(todo, _reason([given for _, given in todo.values()], workers)):
        _keep(out, name, todo[name][0], part)
        parts.append(part)
    reasoned += len(todo)
    stated = {line for found in lines.values() for line in found}
    inferred = sorted({line for part in parts for line in part} - stated)
    _prune(out, {group[0] for group in groups(sorted(lines), size)})
    return Inferred("".join(inferred).encode(), reasoned)


#: The average number of units in a group reasoned together.
GROUP = 16


def groups(units: list[str], size: int | None = None) -> list[list[str]]:
    """`units` (sorted) cut into runs of about `size` (default `GROUP`), each starting at a
    unit whose name hashes to a multiple of `size`: a unit added or removed changes only its
    own group (and, when it starts one, the group before it), so a rebuild reasons again only
    the group of a changed unit.

    Examples
    --------
    >>> names = [f"article-{n}" for n in range(200)]
    >>> cut = groups(names)
    >>> sum(cut, []) == names, 5 < len(cut) < 25
    (True, True)
    >>> groups(names[:100] + names[101:]) == [
    ...     [n for n in g if n != "article-100"] for g in cut if g != ["article-100"]]
    True
    """
    size = size or GROUP
    found: list[list[str]] = []
    for unit in units:
        head = int.from_bytes(hashlib.sha256(unit.encode()).digest()[:8], "big") % size == 0
        if head or not found:
            found.append([unit])
        else:
            found[-1].append(unit)
    return found


def _predicate(line: str) -> str:
    return line.split(" ", 2)[1][1:-1]


class _Reach:
    """The hierarchy triples reachable, subject to object, from the IRIs of some lines;
    what each IRI reaches is found once."""

    def __init__(self, onward: Mapping[str, list[str]]):
        self.onward = onward
        self.known: dict[str, frozenset[str]] = {}

    def __call__(self, lines: Iterable[str]) -> list[str]:
        found: set[str] = set()
        for line in lines:
            for term in line.rstrip(" .\n").split(" ", 2)[::2]:
                if term in self.onward:
                    found |= self._from(term)
        return sorted(found)

    def _from(self, start: str) -> frozenset[str]:
        known = self.known.get(start)
        if known is None:
            seen, todo, found = set(), [start], set()
            while todo:
                node = todo.pop()
                if node in seen:
                    continue
                seen.add(node)
                for line in self.onward.get(node, ()):
                    found.add(line)
                    todo.append(line.rstrip(" .\n").split(" ", 2)[2])
            known = self.known[start] = frozenset(found)
        return known


#: Groups to reason from which a pool of processes pays for its start.
POOL_MIN_GROUPS = 32


def _reason(given: list[list[str]], workers: int | None) -> Iterable[list[str]]:
    """Each group's closure (`_close`), in order, in a pool of processes when many."""
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(given) < POOL_MIN_GROUPS:
        return [_close(lines, stated=False) for lines in given]
    with ProcessPoolExecutor(
        max_workers=min(workers, len(given)),
        mp_context=get_context("spawn"),
        initializer=end_with_parent,
        initargs=(os.getpid(),),
    ) as pool:
        return list(pool.map(_close, given, [False] * len(given), chunksize=4))


def _close(lines: Iterable[str], stated: bool, keep: frozenset[str] = frozenset()) -> list[str]:
    """The triples about entities that follow from `lines`, with these or without, and
    those of the properties `keep` whatever their subject."""
    base = set(triples(lines))
    found = closure(base)
    return sorted(
        ntriple(t) for t in (found if stated else found - base) if about_entities(t) or t[1] in keep
    )


@lru_cache(maxsize=1)
def _axioms_key() -> str:
    """A digest of the ontology the reasoner reads."""
    return hashlib.sha256(Path(ONTOLOGY_PATH).read_bytes()).hexdigest()


def _kept(folder: Path, name: str, key: str) -> list[str] | None:
    """The closure kept as `name` under `key`, or None."""
    try:
        with open(folder / f"{name}.nt", encoding="utf-8") as handle:
            if handle.readline() != f"# {key}\n":
                return None
            return handle.readlines()
    except (OSError, UnicodeDecodeError):
        return None


def _keep(folder: Path, name: str, key: str, lines: list[str]) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        replace_file(folder / f"{name}.nt", f"# {key}\n{''.join(lines)}".encode())
    except OSError as exc:
        raise OutputError(
            f"cannot write into {folder} (the build cache): "
            f"{exc.strerror or exc}; check the path and its permissions"
        ) from None


def _prune(folder: Path, units: set[str]) -> None:
    if folder.is_dir():
        for path in folder.glob("*.nt"):
            if path.stem != _HIERARCHIES and path.stem not in units:
                path.unlink(missing_ok=True)
