"""The curation vocabulary: the types, keys, roles and closed lists a curator may write,
read from the ontology.

Each term a curator may write carries ``dip:curationKey`` in the ontology (and a property
``dip:valueKind``, one of `kg.vocab.kinds.KINDS`): adding a term to the vocabulary is one
edit of the ontology, plus its shapes.
"""

from __future__ import annotations

__all__ = [
    "Prop",
    "TYPES",
    "PROPERTIES",
    "ROLES",
    "ENUMS",
    "CUES",
    "acyclic_keys",
    "TimeScope",
    "time_scope",
    "keys_for_type",
    "is_a",
]

from dataclasses import dataclass, field
from functools import cache

from kg.vocab.kinds import KINDS, Kind
from kg.vocab.namespaces import OWL, RDF, RDFS
from kg.vocab.ontology import ontology_triples, subclasses
from kg.vocab.terms import DIP


@dataclass(frozen=True)
class Prop:
    """A curation key: the ontology property it asserts and the kind of value it takes.

    ``kind`` names one of `kg.vocab.kinds.KINDS` (``entity``, ``date``, ``quote``, ...);
    ``iri`` is the property's IRI, ``name`` its local name, ``comment`` its definition, and
    ``values`` its closed list, YAML value -> ontology individual's local name: the
    individuals of its range for an ``enum``, the roles for a ``participation``.
    ``domain`` and ``range`` are the curation types (class names) of its subject and of
    an entity value ("" for anything), ``cues`` its ``dip:cue`` patterns.
    """

    name: str
    kind: str
    iri: str = ""
    comment: str = ""
    values: dict = field(default_factory=dict)
    domain: str = ""
    range: str = ""
    cues: tuple[str, ...] = ()

    @property
    def value_kind(self) -> Kind:
        """The `Kind` of the key's values."""
        return KINDS[self.kind]


def _curation_vocabulary() -> tuple:
    """Types, keys, roles and closed lists, read from the ontology's ``dip:curationKey``
    and ``dip:valueKind`` annotations, in the order the ontology declares them."""
    key_of: dict[str, str] = {}
    kind_of: dict[str, str] = {}
    types_of: dict[str, set] = {}
    range_of: dict[str, str] = {}
    domain_of: dict[str, str] = {}
    comment_of: dict[str, str] = {}
    cues: dict[str, list[str]] = {}
    for t in ontology_triples():
        s, p, o = t.subject.value, t.predicate.value, t.object.value
        if p == DIP.curationKey:
            key_of[s] = o
        elif p == DIP.cue:
            cues.setdefault(s, []).append(o)
        elif p == RDFS.domain:
            domain_of[s] = o
        elif p == DIP.valueKind:
            kind_of[s] = o
        elif p == RDF.type:
            types_of.setdefault(s, set()).add(o)
        elif p == RDFS.range:
            range_of[s] = o
        elif p == RDFS.comment and getattr(t.object, "language", None) == "en":
            comment_of[s] = o
    types: list[str] = []
    individuals: dict[str, dict[str, str]] = {}
    kinds = {}
    for iri, key in key_of.items():
        if iri in kind_of:
            if kind_of[iri] not in KINDS:
                raise ValueError(
                    f"{iri}: unknown dip:valueKind {kind_of[iri]!r}; use one of: {', '.join(KINDS)}"
                )
            kinds[key] = iri
        elif OWL.Class in types_of.get(iri, set()):
            types.append(key)
        else:
            for kind in types_of.get(iri, set()):
                individuals.setdefault(kind, {})[key] = iri.rsplit("#", 1)[-1]
    roles = individuals.get(DIP.ParticipationRole, {})
    properties = {}
    for key, iri in kinds.items():
        kind = kind_of[iri]
        values = (
            roles
            if kind == "participation"
            else individuals.get(range_of.get(iri, ""), {})
            if kind == "enum"
            else {}
        )
        properties[key] = Prop(
            iri.rsplit("#", 1)[-1],
            kind,
            iri,
            comment_of.get(iri, ""),
            values,
            _local(domain_of.get(iri, "")),
            _local(range_of.get(iri, "")) if kind in ("entity", "participation") else "",
            tuple(cues.get(iri, ())),
        )
    enums = {key: prop.values for key, prop in properties.items() if prop.kind == "enum"}
    # each type's, role's and value's cues, by its curation key
    by_key = {key: tuple(cues[iri]) for iri, key in key_of.items() if iri in cues}
    return tuple(types), properties, roles, enums, by_key


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1] if iri.startswith(DIP.NS) else ""


@cache
def acyclic_keys() -> dict[str, tuple[tuple[str, bool], ...]]:
    """For each property the ontology marks ``dip:acyclic`` (``partOf``, ``locatedIn``, ...),
    the curation keys whose links must not make a cycle of it: ``(key, False)`` for itself
    and its sub-properties, ``(key, True)`` for an inverse, whose links run the other way.

    Examples
    --------
    >>> acyclic_keys()["precededBy"]
    (('precededBy', False), ('resumes', False))
    """
    # deferred for start-up time: NetworkX only when the corpus is checked
    import networkx as nx  # noqa: PLC0415

    hierarchy = nx.DiGraph()  # sub-property -> property
    inverse: dict[str, set] = {}
    acyclic: set[str] = set()
    for t in ontology_triples():
        s, p, o = t.subject.value, t.predicate.value, t.object.value
        if p == RDFS.subPropertyOf:
            hierarchy.add_edge(s, o)
        elif p == OWL.inverseOf:
            inverse.setdefault(s, set()).add(o)
            inverse.setdefault(o, set()).add(s)
        elif p == DIP.acyclic and o == "true":
            acyclic.add(s)

    def ancestors(iri: str) -> set:
        return {iri} | (nx.descendants(hierarchy, iri) if iri in hierarchy else set())

    out: dict[str, tuple[tuple[str, bool], ...]] = {}
    for target in sorted(acyclic):
        keys = []
        for key, prop in PROPERTIES.items():
            if prop.kind != "entity":
                continue
            if target in ancestors(prop.iri):
                keys.append((key, False))
            elif any(target in ancestors(i) for i in inverse.get(prop.iri, ())):
                keys.append((key, True))
        out[target.rsplit("#", 1)[-1]] = tuple(keys)
    return out


@dataclass(frozen=True)
class TimeScope:
    """What the ontology says of the properties that hold for a time (``dip:timeScoped``).

    ``scoped`` are those properties' IRIs; ``implied`` maps each to the properties its links
    imply (its inverses, and the super-properties whose every curated sub-property is
    time-scoped), as ``(iri, inverse?)``; ``chains`` are the property chains ``(first,
    second, result)`` whose first link is time-scoped and whose second is not; ``bound``
    is every property whose links a time-scoped link may imply, so that inferred triples of
    it hold only as long as what implies them.
    """

    scoped: frozenset
    implied: dict
    chains: tuple
    bound: frozenset


@cache
def time_scope() -> TimeScope:
    """The time-scoped properties, and what their links imply.

    Examples
    --------
    >>> scope = time_scope()
    >>> sorted(i.rsplit("#", 1)[1] for i in scope.scoped)
    ['advises', 'hasMember', 'headedBy', 'holdsPost', 'memberOf', 'serves']
    >>> sorted(i.rsplit("#", 1)[1] for i, inverse in scope.implied[DIP.headedBy])
    ['headOf']
    """
    scoped: set[str] = set()
    parents: dict[str, set] = {}
    inverse: dict[str, set] = {}
    chains: list[tuple[str, str, str]] = []
    for t in ontology_triples():
        s, p, o = t.subject.value, t.predicate.value, t.object.value
        if p == DIP.timeScoped and o == "true":
            scoped.add(s)
        elif p == RDFS.subPropertyOf:
            parents.setdefault(s, set()).add(o)
        elif p == OWL.inverseOf:
            inverse.setdefault(s, set()).add(o)
            inverse.setdefault(o, set()).add(s)
    for s, links in _chains().items():
        chains.extend((first, second, s) for first, second in links)
    curated = {prop.iri for prop in PROPERTIES.values()}

    def ancestors(iri: str) -> set:
        out, todo = set(), [iri]
        while todo:
            for parent in parents.get(todo.pop(), ()):
                if parent not in out:
                    out.add(parent)
                    todo.append(parent)
        return out

    def only_scoped(parent: str) -> bool:
        subs = {c for c in curated if parent in ancestors(c)}
        return bool(subs) and subs <= scoped

    implied: dict[str, set] = {}
    for iri in scoped:
        out = {(a, False) for a in ancestors(iri) if only_scoped(a)}
        for other in inverse.get(iri, ()):
            out.add((other, True))
            out |= {(a, True) for a in ancestors(other) if only_scoped(a) or a not in curated}
        implied[iri] = out
    bound = set(scoped) | {i for out in implied.values() for i, _ in out}
    return TimeScope(
        frozenset(scoped),
        implied,
        tuple(sorted(c for c in chains if c[0] in scoped and c[1] not in bound)),
        frozenset(bound),
    )


def _chains() -> dict[str, list]:
    """Each property's two-step chains (``owl:propertyChainAxiom``), as pairs of IRIs."""
    first: dict = {}
    rest: dict = {}
    heads = []
    for t in ontology_triples():
        if t.predicate.value == RDF.first:
            first[t.subject] = t.object.value
        elif t.predicate.value == RDF.rest:
            rest[t.subject] = t.object
        elif t.predicate.value == OWL.propertyChainAxiom:
            heads.append((t.subject.value, t.object))
    out: dict[str, list] = {}
    for prop, node in heads:
        steps = []
        while node in first:
            steps.append(first[node])
            node = rest.get(node)
        if len(steps) == 2:
            out.setdefault(prop, []).append(tuple(steps))
    return out


#: Entity types a curator may declare (the YAML ``type:``), as ontology class names;
#: property keys (YAML key -> `Prop`); participation roles and closed lists of values
#: (YAML value -> ontology individual name), all in the ontology's order.
#: ``CUES`` holds the ``dip:cue`` words of every term that has them, by curation key: a
#: type's words that name a thing of it, a property's or a role's patterns ({s} for the
#: subject, {o} for the value), an individual's words (``collapsed``).
TYPES, PROPERTIES, ROLES, ENUMS, CUES = _curation_vocabulary()


@cache
def is_a(type_name: str, class_name: str) -> bool:
    """Whether a thing of curation type `type_name` is a `class_name` (ontology class
    local names; "" is anything).

    Examples
    --------
    >>> is_a("Ceasefire", "Proposal"), is_a("Country", "Place"), is_a("City", "Agent")
    (True, True, False)
    """
    if not class_name:
        return True
    return DIP.NS + type_name in subclasses(DIP.NS + class_name)


def keys_for_type(type_name: str) -> list[str]:
    """The property keys a thing of curation type `type_name` may have, in the ontology's
    order: those whose domain it falls in, and those of any domain.

    Examples
    --------
    >>> "headedBy" in keys_for_type("Delegation"), "headedBy" in keys_for_type("City")
    (True, False)
    """
    return [key for key, prop in PROPERTIES.items() if is_a(type_name, prop.domain)]
