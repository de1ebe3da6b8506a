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
    "Prop",
    "bind_prefixes",
]

from dataclasses import dataclass

from rdflib import Namespace

from .namespaces import PREFIX_IRIS

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

#: The prefixes every file `kg` writes uses, in this order (see `kg.namespaces`).
PREFIXES = {prefix: Namespace(iri) for prefix, iri in PREFIX_IRIS.items()}

#: Entity types a curator may declare (the YAML ``type:``), as ontology class names.
TYPES = (
    "Person",
    "Organization",
    "Country",
    "GovernmentBody",
    "NewsAgency",
    "Delegation",
    "Post",
    "Place",
    "City",
    "Venue",
    "Negotiation",
    "Meeting",
    "Session",
    "ArmedConflict",
    "Proposal",
    "Ceasefire",
    "PublicStatement",
)

#: Participation roles: YAML value -> ontology individual name.
ROLES = {
    "participant": "ParticipantRole",
    "host": "HostRole",
    "mediator": "MediatorRole",
    "head-of-delegation": "HeadOfDelegationRole",
    "delegation-member": "DelegationMemberRole",
}

#: Closed lists of values: YAML value -> ontology individual name.
ENUMS = {
    "status": {"discussed": "Discussed", "agreed": "Agreed", "rejected": "Rejected"},
    "outcome": {"collapsed": "Collapsed", "concluded": "Concluded"},
}


@dataclass(frozen=True)
class Prop:
    """A curation key: the ontology property it asserts and the kind of value it takes.

    ``kind`` is one of ``entity`` (an id), ``date``, ``year``, ``duration``, ``string``,
    ``quote`` (a string that must occur in the article), ``boolean``, ``enum`` (a value of
    `ENUMS`), ``iri`` or ``participation`` (a mapping with ``agent`` and ``role``).
    """

    name: str
    kind: str


#: YAML key -> property. Keys are the ontology's local names, so the README and the
#: ontology use one word for one thing.
PROPERTIES = {
    # places
    "locatedIn": Prop("locatedIn", "entity"),
    # events
    "date": Prop("date", "date"),
    "year": Prop("year", "year"),
    "location": Prop("location", "entity"),
    "beganAt": Prop("beganAt", "entity"),
    "participant": Prop("hasParticipant", "participation"),
    "withoutParticipant": Prop("withoutParticipant", "entity"),
    "partOf": Prop("partOf", "entity"),
    "precededBy": Prop("precededBy", "entity"),
    "facilitatedBy": Prop("facilitatedBy", "entity"),
    "resumes": Prop("resumes", "entity"),
    "focus": Prop("focus", "entity"),
    "outcome": Prop("outcome", "enum"),
    "delayed": Prop("delayed", "boolean"),
    # organisations, delegations, posts, people
    "represents": Prop("represents", "entity"),
    "headedBy": Prop("headedBy", "entity"),
    "hasMember": Prop("hasMember", "entity"),
    "memberOf": Prop("memberOf", "entity"),
    "subOrganizationOf": Prop("subOrganizationOf", "entity"),
    "holdsPost": Prop("holdsPost", "entity"),
    "postIn": Prop("postIn", "entity"),
    "serves": Prop("serves", "entity"),
    "advises": Prop("advises", "entity"),
    "unnamed": Prop("unnamed", "boolean"),
    # proposals
    "duration": Prop("duration", "duration"),
    "status": Prop("status", "enum"),
    # statements
    "speaker": Prop("speaker", "entity"),
    "reportedThrough": Prop("reportedThrough", "entity"),
    "topic": Prop("topic", "entity"),
    "quotation": Prop("quotation", "quote"),
    "speechVerb": Prop("speechVerb", "string"),
    "summary": Prop("summary", "string"),
    # anything
    "sameAs": Prop("sameAs", "iri"),
}


def bind_prefixes(graph) -> None:
    """Bind our prefixes on an rdflib graph or dataset, replacing rdflib's defaults.

    Examples
    --------
    >>> from rdflib import Graph
    >>> g = Graph()
    >>> bind_prefixes(g)
    >>> str(dict(g.namespaces())["dip"])
    'https://w3id.org/diplomacy-kg/ontology#'
    """
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
