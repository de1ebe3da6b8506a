"""Namespaces, and the curation vocabulary: the types and keys a curator may write."""

from __future__ import annotations

__all__ = [
    "DIP",
    "KGR",
    "KGA",
    "KGF",
    "KGE",
    "KGP",
    "ORG",
    "OA",
    "PROV",
    "SCHEMA",
    "TIME",
    "PREFIXES",
    "TYPES",
    "PROPERTIES",
    "ROLES",
    "ENUMS",
    "KINDS",
    "ACYCLIC",
    "Prop",
]

from dataclasses import dataclass

from rdflib import Namespace

from kg.vocab.namespaces import PREFIX_IRIS
from kg.vocab.ontology import _ontology_triples


#: The diplomacy ontology.
DIP = Namespace(PREFIX_IRIS["dip"])
#: Entities the graph describes; the namespaces below it hold the graph's own records.
KGR = Namespace(PREFIX_IRIS["kgr"])
KGA = Namespace(PREFIX_IRIS["kga"])
KGF = Namespace(PREFIX_IRIS["kgf"])
KGE = Namespace(PREFIX_IRIS["kge"])
KGP = Namespace(PREFIX_IRIS["kgp"])
ORG = Namespace(PREFIX_IRIS["org"])
OA = Namespace(PREFIX_IRIS["oa"])
PROV = Namespace(PREFIX_IRIS["prov"])
SCHEMA = Namespace(PREFIX_IRIS["schema"])
TIME = Namespace(PREFIX_IRIS["time"])

#: The prefixes every file `kg` writes uses, in this order (see `kg.vocab.namespaces`).
PREFIXES = {prefix: Namespace(iri) for prefix, iri in PREFIX_IRIS.items()}

@dataclass(frozen=True)
class Prop:
    """A curation key: the ontology property it asserts and the kind of value it takes.

    ``kind`` is one of ``entity`` (an id), ``date``, ``year``, ``duration``, ``count``,
    ``string``, ``name`` (a string that must stand in the fact's evidence), ``quote`` (a
    string that must occur in the article), ``boolean``, ``enum``
    (a value of `ENUMS`), ``iri`` or ``participation`` (a mapping with ``agent`` and
    ``role``); ``iri`` is the property's IRI and ``name`` its local name.
    """

    name: str
    kind: str
    iri: str = ""
    comment: str = ""


#: The kinds of value a property's ``dip:valueKind`` may name.
KINDS = ("entity", "date", "year", "duration", "count", "string", "name", "quote", "boolean", "enum",
         "iri", "participation")


def _curation_vocabulary() -> tuple:
    """Types, keys, roles and closed lists, read from the ontology's ``dip:curationKey``
    and ``dip:valueKind`` annotations, in the order the ontology declares them."""

    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    comment_iri = "http://www.w3.org/2000/01/rdf-schema#comment"
    key_of: dict[str, str] = {}
    kind_of: dict[str, str] = {}
    types_of: dict[str, set] = {}
    range_of: dict[str, str] = {}
    comment_of: dict[str, str] = {}
    parents: dict[str, set] = {}
    inverse: dict[str, set] = {}
    acyclic: set[str] = set()
    for t in _ontology_triples():
        s, p, o = t.subject.value, t.predicate.value, t.object.value
        if p == str(DIP) + "curationKey":
            key_of[s] = o
        elif p == str(DIP) + "valueKind":
            kind_of[s] = o
        elif p == rdf_type:
            types_of.setdefault(s, set()).add(o)
        elif p == "http://www.w3.org/2000/01/rdf-schema#range":
            range_of[s] = o
        elif p == comment_iri and getattr(t.object, "language", None) == "en":
            comment_of[s] = o
        elif p == "http://www.w3.org/2000/01/rdf-schema#subPropertyOf":
            parents.setdefault(s, set()).add(o)
        elif p == "http://www.w3.org/2002/07/owl#inverseOf":
            inverse.setdefault(s, set()).add(o)
            inverse.setdefault(o, set()).add(s)
        elif p == str(DIP) + "acyclic" and o == "true":
            acyclic.add(s)
    owl = "http://www.w3.org/2002/07/owl#"
    types, properties, individuals = [], {}, {}
    for iri, key in key_of.items():
        kinds = types_of.get(iri, set())
        if iri in kind_of:
            if kind_of[iri] not in KINDS:
                raise ValueError(f"{iri}: unknown dip:valueKind {kind_of[iri]!r}")
            properties[key] = Prop(iri.rsplit("#", 1)[-1], kind_of[iri], iri,
                                   comment_of.get(iri, ""))
        elif owl + "Class" in kinds:
            types.append(key)
        else:
            for kind in kinds:
                individuals.setdefault(kind, {})[key] = iri.rsplit("#", 1)[-1]
    roles = individuals.get(str(DIP) + "ParticipationRole", {})
    enums = {key: individuals.get(range_of.get(prop.iri, ""), {})
             for key, prop in properties.items() if prop.kind == "enum"}
    return tuple(types), properties, roles, enums, _acyclic(properties, acyclic, parents,
                                                            inverse)


def _acyclic(properties: dict, acyclic: set, parents: dict, inverse: dict) -> dict:
    """For each ``dip:acyclic`` property's name, the curation keys whose links count as
    its links: ``(key, False)`` for itself and its sub-properties, ``(key, True)`` for an
    inverse, whose links run the other way."""
    def ancestors(iri: str) -> set:
        found, todo = {iri}, [iri]
        while todo:
            for parent in parents.get(todo.pop(), ()):
                if parent not in found:
                    found.add(parent)
                    todo.append(parent)
        return found

    out: dict[str, tuple] = {}
    for target in sorted(acyclic):
        keys = []
        for key, prop in properties.items():
            if prop.kind != "entity":
                continue
            if target in ancestors(prop.iri):
                keys.append((key, False))
            elif any(target in ancestors(i) for i in inverse.get(prop.iri, ())):
                keys.append((key, True))
        out[target.rsplit("#", 1)[-1]] = tuple(keys)
    return out


#: Entity types a curator may declare (the YAML ``type:``), as ontology class names;
#: property keys (YAML key -> `Prop`); participation roles and closed lists of values
#: (YAML value -> ontology individual name). All are read from the ontology, where each
#: term a curator may write carries ``dip:curationKey`` (and a property ``dip:valueKind``):
#: adding a term to the vocabulary is one edit of the ontology, plus its shapes.
TYPES, PROPERTIES, ROLES, ENUMS, ACYCLIC = _curation_vocabulary()
#: `ACYCLIC` maps each property marked ``dip:acyclic`` (``partOf``, ``locatedIn``, ...) to
#: the curation keys whose links must not make a cycle of it, e.g. ``resumes`` for
#: ``precededBy``; ``(key, True)`` marks an inverse.
