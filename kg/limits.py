"""The size of every input `kg` reads, bounded: past a limit, a clear error, never a hang.

Each limit is far above what a real file needs (the shipped ``facts.yaml`` is 16 KB and its
article 2.4 KB) and low enough that reading the file, and everything done with it, stays
well within the memory and time of a laptop. The README's table of limits is checked
against `LIMITS` by the tests.
"""

from __future__ import annotations

__all__ = ["LIMITS", "Limit", "read_bounded", "check_size", "limits_table"]

import stat
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError, Location

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limit:
    """A size limit: its name, its bytes, what it bounds and what to do past it."""

    name: str
    bytes: int
    what: str
    remedy: str

    def human(self) -> str:
        """The limit in words, e.g. ``'4 MiB'``.

        Examples
        --------
        >>> LIMITS["article"].human()
        '1 MiB'
        """
        if self.bytes % MiB == 0:
            return f"{self.bytes // MiB} MiB"
        return f"{self.bytes // 1024} KiB"


LIMITS = {
    limit.name: limit
    for limit in (
        Limit(
            "yaml",
            4 * MiB,
            "a curated YAML file (facts.yaml, entities/*.yaml)",
            "split the reference entities into several files; facts past it are those of "
            "several articles",
        ),
        Limit(
            "article",
            1 * MiB,
            "an article's text (article.txt)",
            "split the text into several articles",
        ),
        Limit(
            "rdf",
            512 * MiB,
            "an RDF file given with -g/--graph (loaded in memory)",
            "load it into a store with 'oxigraph load' and query that server, or build the "
            "data folder with 'kg build'",
        ),
        Limit(
            "query",
            1 * MiB,
            "a SPARQL query (kg query, kg serve)",
            "shorten the query (long VALUES lists belong in the data)",
        ),
        Limit(
            "body",
            1 * MiB,
            "the body of a request to kg serve (answered 413 past it)",
            "send a shorter query",
        ),
    )
}


def check_size(size: int, limit: str, where: Location | str) -> None:
    """Raise a clear `InputError` if `size` bytes pass the limit named `limit`.

    Examples
    --------
    >>> check_size(10, "query", "q.rq")
    >>> check_size(2 * MiB, "query", "q.rq")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: q.rq: too large: 2.0 MiB, past the limit of 1 MiB for a SPARQL query (kg query, kg serve); shorten the query (long VALUES lists belong in the data)
    """
    bound = LIMITS[limit]
    if size > bound.bytes:
        location = where if isinstance(where, Location) else None
        message = (
            f"too large: {size / MiB:.1f} MiB, past the limit of {bound.human()} for "
            f"{bound.what}; {bound.remedy}"
        )
        if location is None:
            message = f"{where}: {message}"
        raise InputError(message, location)


def read_bounded(path: str | Path, limit: str) -> bytes:
    """The bytes of the regular file `path`, refused past the limit named `limit`.

    Only a regular file is read (not a FIFO, a device or a folder, which could block or
    never end), and never more than the limit plus one byte, so a file that grows while it
    is read is refused too.

    Examples
    --------
    >>> len(read_bounded("data/articles/2025-05-16-istanbul-talks/article.txt", "article")) > 1000
    True
    """
    path = Path(path)
    where = Location(str(path), 1)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError(
            "no such file; check the path (relative to the folder you run kg in)", where
        ) from None
    except OSError as exc:
        raise InputError(f"cannot read it: {exc.strerror}; check its permissions", where) from None
    if not stat.S_ISREG(mode):
        raise InputError("not a regular file (a folder, a pipe or a device); give a file", where)
    bound = LIMITS[limit].bytes
    try:
        with open(path, "rb") as handle:
            data = handle.read(bound + 1)
    except OSError as exc:
        raise InputError(f"cannot read it: {exc.strerror}; check its permissions", where) from None
    if len(data) > bound:
        check_size(max(len(data), path.stat().st_size), limit, where)
    return data


def limits_table() -> str:
    """The README's table of limits, in Markdown.

    Examples
    --------
    >>> limits_table().splitlines()[0]
    '| input | limit | past it |'
    """
    rows = ["| input | limit | past it |", "|---|---|---|"]
    rows += [f"| {limit.what} | {limit.human()} | {limit.remedy} |" for limit in LIMITS.values()]
    return "\n".join(rows) + "\n"
