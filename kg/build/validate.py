"""Check a built graph against the SHACL shapes, and explain each violation by its fact."""

from __future__ import annotations

__all__ = [
    "Violation",
    "targeted",
    "ValidationResult",
    "validate",
    "validate_unit",
    "merge_results",
    "hierarchy",
]

import re
from dataclasses import dataclass, replace
from functools import lru_cache

import rdflib.plugin
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor, translateQuery
from rdflib.query import Processor

from kg.build.unit import Source, UnitGraph
from kg.errors import InputError
from kg.vocab.namespaces import bind_prefixes
from kg.vocab.ontology import load_ontology, load_shapes


class PreparedProcessor(SPARQLProcessor):
    """rdflib's SPARQL processor, which keeps each query it parsed for the next time.

    pySHACL asks rdflib the same SPARQL (the shapes' targets and constraints) at every
    validation, as text; rdflib parses text every time, and its parser costs more than the
    query. A query prepared once gives the same answers again (rdflib's `prepareQuery` is
    for that), so kg registers this processor as rdflib's "sparql" one.
    """

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(strOrQuery, str):
            strOrQuery = _prepared(strOrQuery, base, tuple(sorted((initNs or {}).items())))
        return super().query(strOrQuery, initBindings, initNs, base, DEBUG)


@lru_cache(maxsize=512)
def _prepared(text: str, base, namespaces: tuple):
    return translateQuery(parseQuery(text), base, dict(namespaces))


rdflib.plugin.register("sparql", Processor, __name__, "PreparedProcessor")


@dataclass(frozen=True)
class Violation:
    """One SHACL result, with the curated facts and article sentences behind its focus node.

    ``sources`` holds ``(file:line, sentence or None, how or None)``: the sentence is None
    for reference entities, which have no article; ``how`` is ``"read: ..."`` for a
    curator's reading and ``"background: ..."`` (its source or note) for background
    knowledge.
    """

    focus: str
    path: str | None
    shape: str
    value: str | None
    message: str
    severity: str
    sources: tuple[tuple[str, str | None, str | None], ...]

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
            for location, sentence, how in v.sources:
                lines.append(f"   curated at {location}")
                if sentence:
                    lines.append(f'   article: "{sentence}"')
                if how:
                    lines.append(f"   {how}")
            if not v.sources:
                lines.append("   (no curated fact states this node; see the shape above)")
        return "\n".join(lines) + "\n"

    def turtle(self) -> str:
        """The standard SHACL validation report graph, as Turtle."""
        return self.report.serialize(format="turtle")


def validate(
    data: Graph, shapes: Graph | None = None, ontology: Graph | None = None
) -> ValidationResult:
    """Validate a whole graph against the shapes, with the ontology mixed in for classes.

    The build validates one article at a time, with what it uses (`validate_unit`, and
    `kg.build.pipeline.check` for a data folder, as ``kg validate`` does); this checks any
    graph at once, e.g. a fixture or a build read back (`kg.source.load_dataset`). On a
    corpus whose articles disagree, a shape that allows one value then sees every
    article's value at once and reports it.

    Parameters
    ----------
    data : rdflib.Graph
        Any graph, or an rdflib Dataset (its default graph: the union).
    shapes, ontology : rdflib.Graph, optional
        Defaults: the project's ``shapes/`` and ``ontology/``.

    Returns
    -------
    ValidationResult

    Examples
    --------
    >>> from kg.build.pipeline import check
    >>> from kg.source import load_dataset
    >>> check("data").conforms  # each article with what it uses
    True
    >>> [(v.focus, v.path) for v in validate(load_dataset("data")).violations][:1]  # all at once
    [('kgr:istanbul-direct-talks-2025', 'dip:date')]
    """
    ontology = ontology if ontology is not None else load_ontology()
    return _run(data, shapes, ontology, None, {}, {}, data.namespace_manager)


def validate_unit(
    unit: UnitGraph,
    context: Graph | None = None,
    shapes: Graph | None = None,
    in_place: bool = False,
) -> ValidationResult:
    """Validate one article's graph together with what it uses, not the whole corpus.

    The data validated is the unit's graph, the `context` (what the units that declare the
    entities it uses say about them, see `kg.build.unit.describe`) and the ontology's class
    and property hierarchy. Only the nodes the unit states something about are checked:
    the entities of the context are checked in the units that declare them. With
    `in_place` the context is added to the unit's own graph instead of a copy (faster, for
    a caller that has already written the graph out).

    Examples
    --------
    >>> from kg.build.dates import resolve_dates
    >>> from kg.build.unit import build_unit
    >>> from kg.build.facts import load_corpus
    >>> corpus = load_corpus("data")
    >>> ref = build_unit(corpus.root, None, corpus.reference_facts,
    ...                  {e.id: e for e in corpus.entities.values() if e.article is None}, {})
    >>> validate_unit(ref).conforms
    True
    """
    focus = set(unit.graph.subjects())
    if in_place:
        data = unit.graph
    else:
        data = Graph()
        bind_prefixes(data)
        for triple in unit.graph:
            data.add(triple)
    for graph in (context, hierarchy()):
        if graph is not None:
            for triple in graph:
                data.add(triple)
    texts = {unit.unit: unit.text} if unit.text is not None else {}
    return _run(
        data,
        shapes,
        None,
        focus,
        unit.sources,
        texts,
        unit.graph.namespace_manager,
        keep=_OwnValues(unit),
    )


class _OwnValues:
    """Keeps a "too many values" result only if the unit itself gives too many: values that
    other sources give an entity are a disagreement between sources, kept in the graph
    (each in its own fact's graph) and listed by `kg conflicts`, not a violation."""

    def __init__(self, unit: UnitGraph):
        self.unit = unit
        self._index: dict | None = None

    def __call__(self, report: Graph, result, shapes: Graph) -> bool:
        if report.value(result, SH.sourceConstraintComponent) != SH.MaxCountConstraintComponent:
            return True
        if self._index is None:
            self._index = {}
            for s, p, o, _ in self.unit.quads:
                self._index.setdefault((s, p), set()).add(o)
                self._index.setdefault((o, "^", p), set()).add(s)
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        inverse = report.value(path, SH.inversePath) if isinstance(path, BNode) else None
        own = self._index.get(
            (focus, "^", inverse) if inverse is not None else (focus, path), set()
        )
        limit = shapes.value(report.value(result, SH.sourceShape), SH.maxCount)
        return limit is None or len(own) > int(limit)


@lru_cache(maxsize=1)
def hierarchy() -> Graph:
    """The ontology's subclass and subproperty axioms: what class constraints need.

    Examples
    --------
    >>> from kg.vocab.rdf import DIP
    >>> (DIP.Session, RDFS.subClassOf, DIP.Meeting) in hierarchy()
    True
    """
    graph = Graph()
    ontology = load_ontology()
    for predicate in (RDFS.subClassOf, RDFS.subPropertyOf):
        for s, o in ontology.subject_objects(predicate):
            graph.add((s, predicate, o))
    return graph


def merge_results(results) -> ValidationResult:
    """One result for many units: their violations (each once, with all its sources) and
    their report graphs joined into one standard SHACL report.

    Examples
    --------
    >>> merge_results([]).conforms
    True
    """
    merged: dict[tuple, Violation] = {}
    for result in results:
        for v in result.violations:
            key = (v.focus, v.path, v.shape, v.value, v.message)
            if key in merged:
                sources = tuple(
                    sorted(set(merged[key].sources) | set(v.sources), key=_source_order)
                )
                merged[key] = replace(merged[key], sources=sources)
            else:
                merged[key] = v
    violations = sorted(merged.values(), key=_violation_order)
    report, root = _report_graph(not violations)
    for result in results:
        for node in result.report.subjects(RDF.type, SH.ValidationResult):
            report.add((root, SH.result, node))
        for triple in result.report:
            if triple[0] != result.report.value(predicate=RDF.type, object=SH.ValidationReport):
                report.add(triple)
    return ValidationResult(not violations, tuple(violations), report)


def _run(
    data: Graph, shapes, ontology, focus, sources, texts, names, keep=None
) -> ValidationResult:
    import pyshacl  # noqa: PLC0415 - deferred: the slowest import, only to validate

    shapes = shapes if shapes is not None else load_shapes()
    conforms, report, text = pyshacl.validate(
        data,
        shacl_graph=targeted(shapes),
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=False,
        inplace=ontology is None,
    )
    if not isinstance(report, Graph):  # pyshacl reports a failure to validate as text
        raise InputError(f"the SHACL validator failed: {text}")
    kept, root = _report_graph(True)
    violations = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus_node = report.value(result, SH.focusNode)
        if focus is not None and focus_node not in focus:
            continue  # a node of the context: the unit that declares it checks it
        if keep is not None and not keep(report, result, shapes):
            continue
        kept.add((root, SH.result, result))
        for triple in report.cbd(result):
            kept.add(triple)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        shape = report.value(result, SH.sourceShape)
        message = report.value(result, SH.resultMessage)
        severity = report.value(result, SH.resultSeverity)
        violations.append(
            Violation(
                focus=_short(focus_node, names),
                path=_path(report, path, names) if path else None,
                shape=_short(_named_shape(shape, shapes), kept.namespace_manager),
                value=_short(value, names) if value is not None else None,
                message=_shorten_iris(str(message or ""), names),
                severity=_short(severity, kept.namespace_manager),
                sources=_explain(focus_node, path, sources, texts),
            )
        )
    if violations:
        kept.set((root, SH.conforms, Literal(False)))
    violations.sort(key=_violation_order)
    return ValidationResult(not violations, tuple(violations), kept)


#: The predicates that give a shape its focus nodes (SHACL 2.1.3).
_CORE_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
#: A shape's predicates that are no constraint (SHACL 2.1, 2.3; sh:prefixes of SHACL-SPARQL).
_NOT_CONSTRAINTS = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SH.message,
    SH.severity,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.prefixes,
}
#: What keeps a shape's property shapes with it: a path (a property shape), sh:deactivated,
#: sh:closed (SHACL 4.8.1 allows the paths of its property shapes).
_HOLDS_ON = (SH.path, SH.deactivated, SH.closed)
#: A shape that is also a class targets its instances (SHACL 2.1.3.3).
_CLASSES = (RDFS.Class, URIRef("http://www.w3.org/2002/07/owl#Class"))
#: The predicates by which a shape is used inside another (evaluated per value node).
_NESTING = (SH.node, SH["not"], SH.qualifiedValueShape, RDF.first)


def targeted(shapes: Graph) -> Graph:
    """The same shapes, each property shape given the targets of the node shapes that hold
    it (and no longer held by them): the same results, checked in one pass per shape.

    pySHACL checks a node shape's property shapes one focus node at a time, each time
    setting up every constraint again; a property shape with targets of its own is checked
    once over all its focus nodes. The two give the same results, with the same
    `sh:sourceShape` (SHACL 2.3: a property shape's results are its own either way); a
    node that two node shapes sharing a property shape both target is checked by it once,
    so a result it gave twice, the same, comes once. Left
    as they are: node shapes used inside others (`sh:node`, `sh:not`, `sh:or` ...), shapes
    switched off, closed shapes, property shapes that hold others, shapes whose property
    shapes use `sh:qualifiedValueShapesDisjoint`, node shapes without core targets of their
    own, and those with a SPARQL target (a query per shape). The result is cached for the project's shapes, which are
    never modified.

    Examples
    --------
    >>> from kg.vocab.rdf import DIP
    >>> shapes = load_shapes()
    >>> fact = URIRef("https://w3id.org/diplomacy-kg/shapes#CuratedFactShape")
    >>> held = list(shapes.objects(fact, SH.property))
    >>> flat = targeted(shapes)
    >>> list(flat.objects(fact, SH.property)), all(
    ...     (p, SH.targetClass, DIP.CuratedFact) in flat for p in held)
    ([], True)
    """
    if shapes is load_shapes():
        return _targeted_project()
    return _targeted(shapes)


@lru_cache(maxsize=1)
def _targeted_project() -> Graph:
    return _targeted(load_shapes())


def _targeted(shapes: Graph) -> Graph:
    nested = {o for p in _NESTING for o in shapes.objects(None, p)}
    holders: dict = {}
    for holder, prop in shapes.subject_objects(SH.property):
        holders.setdefault(prop, []).append(holder)

    def has(node, predicate) -> bool:
        return next(shapes.objects(node, predicate), None) is not None

    def movable(holder) -> bool:
        return (
            holder not in nested
            # a node shape (not a property shape holding others), not switched off, not
            # closed (sh:closed allows the paths of its property shapes), whose property
            # shapes do not look at each other (sh:qualifiedValueShapesDisjoint)
            and not any(has(holder, p) for p in _HOLDS_ON)
            and not any(
                has(prop, SH.qualifiedValueShapesDisjoint)
                for prop in shapes.objects(holder, SH.property)
            )
            and any(has(holder, t) for t in _CORE_TARGETS)
            # a SPARQL target is a query per shape: run once, it costs more than the
            # property shapes it would spare (benchmarks/validation_shapes.py)
            and not has(holder, SH.target)
            and not any((holder, RDF.type, c) in shapes for c in _CLASSES)  # implicit target
        )

    moved = {
        prop: held
        for prop, held in holders.items()
        if prop not in nested and all(movable(h) for h in held)
    }
    out = Graph()
    for prefix, namespace in shapes.namespaces():
        out.bind(prefix, namespace, override=True)
    for triple in shapes:
        if not (triple[1] == SH.property and triple[2] in moved):
            out.add(triple)
    for prop, held in moved.items():
        for holder in held:
            for target in _CORE_TARGETS:
                for value in shapes.objects(holder, target):
                    out.add((prop, target, value))
    # a node shape left with no constraint of its own need not look for its focus nodes
    for holder in {h for held in moved.values() for h in held}:
        if all(p in _NOT_CONSTRAINTS or p in _CORE_TARGETS for p in out.predicates(holder, None)):
            for target in _CORE_TARGETS:
                out.remove((holder, target, None))
    return out


def _path(report: Graph, path, names) -> str:
    """A result path as SPARQL writes it: ``dip:date``, or ``^dip:declares`` for an inverse."""
    inverse = report.value(path, SH.inversePath) if isinstance(path, BNode) else None
    return "^" + _short(inverse, names) if inverse is not None else _short(path, names)


def _report_graph(conforms: bool) -> tuple[Graph, BNode]:
    report = Graph()
    bind_prefixes(report)
    report.bind("sh", SH)
    report.bind("dsh", "https://w3id.org/diplomacy-kg/shapes#")
    root = BNode("report")
    report.add((root, RDF.type, SH.ValidationReport))
    report.add((root, SH.conforms, Literal(conforms)))
    return report, root


def _source_order(item):
    path, _, line = item[0].rpartition(":")
    return (path, int(line) if line.isdigit() else 0, item[1] or "")


def _violation_order(v: Violation):
    return (
        [_source_order(s) for s in v.sources[:1]],
        v.focus,
        v.path or "",
        v.shape,
        v.value or "",
    )


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
        how = (
            f"read: {source.reading}"
            if source.reading
            else f"background: {source.background}"
            if source.background
            else None
        )
        item = (str(source.location), sentence, how)
        if item not in out:
            out.append(item)
    return tuple(sorted(out, key=_source_order))


def _short(node, names) -> str:
    if isinstance(node, URIRef):
        try:
            return names.normalizeUri(node)
        except Exception:  # pragma: no cover - normalizeUri raises for odd IRIs
            return f"<{node}>"
    return str(node)


def _shorten_iris(text: str, names) -> str:
    return re.sub(r"https?://[^\s,()]+", lambda m: _short(URIRef(m.group(0)), names), text)
