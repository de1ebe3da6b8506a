"""The whole job: load, check evidence, build, validate, write; and the corpus statistics."""

from __future__ import annotations

__all__ = ["BuildSummary", "Stats", "build", "stats", "OUTPUTS"]

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib.namespace import RDF

from .build import build_graph
from .errors import NotConformingError
from .export import serialize, write_files
from .validate import ValidationResult, validate
from .vocab import DIP

#: What `build` writes, file name -> export format.
OUTPUTS = {"kg.ttl": "turtle", "kg.trig": "trig", "kg.graphml": "graphml"}


@dataclass(frozen=True)
class BuildSummary:
    """What a build produced, for the one-screen summary `kg build` prints."""

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

    def text(self) -> str:
        """The summary as `kg build` prints it."""
        files = ", ".join(str(p) for p in self.outputs)
        return (f"built {files}\n"
                f"  triples     {self.triples}\n"
                f"  entities    {self.entities}\n"
                f"  facts       {self.facts}\n"
                f"  quotes      all found in the article: {self.facts_with_evidence} evidence "
                f"passages, {self.quotations} quotations\n"
                f"  events      {self.events}\n"
                f"  statements  {self.statements}\n"
                f"  SHACL       {'conforms' if self.conforms else 'VIOLATIONS'}\n"
                f"  time        {self.seconds:.2f} s\n")


def build(data_dir: str | Path = "data", out_dir: str | Path = "out") -> BuildSummary:
    """Build, validate and write ``kg.ttl``, ``kg.trig`` and ``kg.graphml`` into `out_dir`.

    Nothing is written unless every passage is found and the graph conforms to the
    shapes; then all outputs are replaced at once (see `kg.export.write_files`).

    Raises
    ------
    InputError, EvidenceError
        Unusable curated data (exit code 2).
    NotConformingError
        SHACL violations (exit code 1); its ``report`` is the `ValidationResult`.

    Examples
    --------
    >>> import tempfile
    >>> summary = build("data", tempfile.mkdtemp())
    >>> summary.conforms, summary.facts == summary.facts_with_evidence
    (True, True)
    """
    start = time.perf_counter()
    built = build_graph(data_dir)
    result: ValidationResult = validate(built)
    if not result.conforms:
        raise NotConformingError(
            f"the graph does not conform to the shapes; nothing was written to {out_dir}\n"
            + result.text(), report=result)
    files = {name: serialize(built.dataset, fmt) for name, fmt in OUTPUTS.items()}
    outputs = write_files(files, out_dir)
    union = built.union()
    return BuildSummary(
        triples=len(union), entities=len(built.corpus.entities), facts=built.fact_count,
        facts_with_evidence=built.facts_with_evidence, quotations=built.quotations_found,
        events=_count(union, DIP.Negotiation, DIP.Meeting, DIP.Session),
        statements=_count(union, DIP.PublicStatement), conforms=True,
        seconds=time.perf_counter() - start, outputs=tuple(outputs))


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
        lines = [f"articles              {self.articles}",
                 f"triples               {self.triples}",
                 f"entities              {sum(self.entities_by_class.values())}"]
        lines += [f"  {name:<20}{count}" for name, count in sorted(self.entities_by_class.items())]
        lines += [f"facts                 {self.facts}",
                  f"evidence found        {self.facts_with_evidence}/{self.facts} "
                  f"({share:.0%})",
                  f"events                {self.events}",
                  f"statements            {self.statements}"]
        return "\n".join(lines) + "\n"


def stats(data_dir: str | Path = "data") -> Stats:
    """Count what the curated data holds, without validating or writing anything.

    Examples
    --------
    >>> s = stats("data")
    >>> s.entities_by_class["Person"] >= 9, s.facts == s.facts_with_evidence
    (True, True)
    """
    built = build_graph(data_dir, strict=False)
    union = built.union()
    by_class = Counter(entity.type for entity in built.corpus.entities.values())
    return Stats(
        triples=len(union), entities_by_class=dict(by_class), facts=built.fact_count,
        facts_with_evidence=built.facts_with_evidence,
        events=_count(union, DIP.Negotiation, DIP.Meeting, DIP.Session),
        statements=_count(union, DIP.PublicStatement), articles=len(built.corpus.articles))


def _count(graph, *classes) -> int:
    return len({s for c in classes for s in graph.subjects(RDF.type, c)})
