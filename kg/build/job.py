"""A unit of work, as the pool or the cluster receives it: everything one article (or the
reference entities) needs to be built and validated, so that running it is a pure function;
and the plan of a build, one job per unit.

Kept apart from the planning (`kg.build.plan`), so that a worker process loads what runs a
unit and nothing that reads the curated files.
"""

from __future__ import annotations

__all__ = ["Job", "Plan", "Progress"]

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg.build.model import Article, Corpus, Fact

#: A progress report: stage name, units done, units in all.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Job:
    """Everything one unit needs, so that building it is a pure function (see `run_unit`).

    ``article`` is None for the reference entities; ``entities`` are those the unit
    declares; ``dates`` the calendar dates of the entities it dates itself by
    (``sameDayAs``); ``context`` what the units that declare the other entities it uses
    say about them, as N-Triples; ``events`` the events the article reports; ``output``
    False for a verdict only (`kg article check`): no N-Triples, TriG or inferred triples.
    """

    unit: str
    key: str
    root: str
    article: Article | None
    facts: tuple[Fact, ...]
    entities: dict
    dates: dict
    context: bytes
    strict: bool = True
    validate: bool = True
    events: tuple[str, ...] = ()
    output: bool = True


@dataclass
class Plan:
    """The corpus, checked as a whole, and one job per unit (the reference entities first)."""

    root: Path
    corpus: Corpus
    jobs: list[Job] = field(default_factory=list)
