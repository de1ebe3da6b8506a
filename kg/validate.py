"""Check a built graph against the SHACL shapes, and explain each violation by its fact."""

from __future__ import annotations

__all__ = ["Violation", "ValidationResult", "validate"]

import re
from dataclasses import dataclass

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH

from .build import Built, Source
from .errors import InputError
from .resources import load_ontology, load_shapes
from .vocab import bind_prefixes

@dataclass(frozen=True)
class Violation:
    """One SHACL result, with the curated facts and article sentences behind its focus node.

    ``sources`` holds ``(file:line, sentence or None)`` pairs; the sentence is None for
    reference entities, which have no article.
    """

    focus: str
    path: str | None
    shape: str
    value: str | None
    message: str
    severity: str
    sources: tuple[tuple[str, str | None], ...]

    def key(self) -> tuple:
        """The (focus node, result path, source shape) triple tests compare."""
        return (self.focus, self.path, self.shape)


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of `validate`: one object, printable for people and machines."""

    conforms: bool
    violations: tuple[Violation, ...]
    report: Graph

    def text(self) -> str:
        """A readable report: each violation with its curated fact and article sentence."""
        if self.conforms:
            return "SHACL: conforms (0 violations)\n"
        lines = [f"SHACL: {len(self.violations)} violation(s)"]
        for n, v in enumerate(self.violations, 1):
            where = f"{v.focus}" + (f"  {v.path}" if v.path else "")
            lines.append(f"{n}. {where}  [{v.shape}]")
            lines.append(f"   {v.message}")
            for location, sentence in v.sources:
                lines.append(f"   curated at {location}")
                if sentence:
                    lines.append(f"   article: \"{sentence}\"")
            if not v.sources:
                lines.append("   (no curated fact states this node; see the shape above)")
        return "\n".join(lines) + "\n"

    def turtle(self) -> str:
        """The standard SHACL validation report graph, as Turtle."""
        return self.report.serialize(format="turtle")


def validate(built: Built | Graph, shapes: Graph | None = None,
             ontology: Graph | None = None) -> ValidationResult:
    """Validate a built graph against the shapes, with the ontology mixed in for classes.

    Parameters
    ----------
    built : Built or rdflib.Graph
        The result of `kg.build.build_graph` (violations then name their curated facts),
        or any graph.
    shapes, ontology : rdflib.Graph, optional
        Defaults: the project's ``shapes/`` and ``ontology/``.

    Returns
    -------
    ValidationResult

    Examples
    --------
    >>> from kg.build import build_graph
    >>> result = validate(build_graph("data"))
    >>> result.conforms, len(result.violations)
    (True, 0)
    """
    import pyshacl  # imported here: it is the slowest import, needed only to validate

    data = built.union() if isinstance(built, Built) else built
    shapes = shapes if shapes is not None else load_shapes()
    conforms, report, text = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=ontology if ontology is not None else load_ontology(),
        inference="none", advanced=True, allow_warnings=False)
    if not isinstance(report, Graph):  # pyshacl reports a failure to validate as text
        raise InputError(f"the SHACL validator failed: {text}")
    bind_prefixes(report)
    report.bind("sh", SH)
    report.bind("dsh", "https://w3id.org/diplomacy-kg/shapes#")
    names = data.namespace_manager
    sources = built.sources if isinstance(built, Built) else {}
    texts = built.texts if isinstance(built, Built) else {}
    violations = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        shape = report.value(result, SH.sourceShape)
        message = report.value(result, SH.resultMessage)
        severity = report.value(result, SH.resultSeverity)
        violations.append(Violation(
            focus=_short(focus, names), path=_short(path, names) if path else None,
            shape=_short(_named_shape(shape, shapes), report.namespace_manager),
            value=_short(value, names) if value is not None else None,
            message=_shorten_iris(str(message or ""), names),
            severity=_short(severity, report.namespace_manager),
            sources=_explain(focus, path, sources, texts),
        ))
    violations.sort(key=lambda v: (v.sources[:1], v.focus, v.path or "", v.shape, v.value or ""))
    return ValidationResult(bool(conforms), tuple(violations), report)


def _named_shape(shape, shapes: Graph):
    """A blank property shape is reported as the node shape it belongs to."""
    if isinstance(shape, BNode):
        return shapes.value(predicate=SH.property, object=shape) or shape
    return shape


def _explain(focus, path, sources: dict, texts: dict) -> tuple:
    by_path = sources.get(focus, {})
    found: list[Source] = list(by_path.get(path, [])) if path is not None else []
    if not found:  # e.g. a missing property: point to what declared or described the node
        found = list(by_path.get(RDF.type, [])) or [s for ss in by_path.values() for s in ss]
    out = []
    for source in found:
        sentence = None
        if source.span is not None and source.article in texts:
            sentence = texts[source.article].sentence(source.span.start, source.span.end)
        item = (str(source.location), sentence)
        if item not in out:
            out.append(item)
    return tuple(sorted(out, key=lambda i: (i[0].rsplit(":", 1)[0], int(i[0].rsplit(":", 1)[1]))))


def _short(node, names) -> str:
    if isinstance(node, URIRef):
        try:
            return names.normalizeUri(node)
        except Exception:  # pragma: no cover - normalizeUri raises for odd IRIs
            return f"<{node}>"
    return str(node)


def _shorten_iris(text: str, names) -> str:
    return re.sub(r"https?://[^\s,()]+", lambda m: _short(URIRef(m.group(0)), names), text)
