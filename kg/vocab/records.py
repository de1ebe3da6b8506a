"""What the build records about its sources, and the SPARQL that reads it back.

Beside the triples each curated fact asserts (in the fact's own named graph), the build
writes records: each article (``dip:NewsArticle``, with its digest and file), each curated
fact (``dip:CuratedFact``: the passage of the article that evidences it, its basis, its
rank, the file and line it was curated at), each passage (``dip:EvidencePassage``, with
Web Annotation selectors) and each participation (``dip:Participation``, an event's agent
in a role). The terms of those records are named here, once; so are the queries that read
them: the network's edges with their facts, the conflicts, the entity pages, and the
curators' ranks applied to the default graph. Every query is written with our prefixes
(``dip:``, ``oa:``, ``prov:``), which `PREFIX_IRIS` declares to Oxigraph.
"""

from __future__ import annotations

__all__ = [
    "NEWS_ARTICLE",
    "CURATED_FACT",
    "EVIDENCE_PASSAGE",
    "PARTICIPATION",
    "RECORD_CLASSES",
    "EVIDENCE",
    "QUOTATION_PASSAGE",
    "SPEECH_VERB",
    "TRANSLATION",
    "LANGUAGE",
    "CURATED_IN",
    "CURATED_AT_LINE",
    "BASIS",
    "STATED",
    "READ",
    "BACKGROUND",
    "READING",
    "RANK",
    "SINCE",
    "UNTIL",
    "PLANNED",
    "RANKS",
    "RANK_REASON",
    "CURATOR_NOTE",
    "DECLARES",
    "DERIVATION",
    "SOURCE",
    "SHA256",
    "TEXT_LENGTH",
    "SOURCE_FILE",
    "PARAGRAPH",
    "REPORTS",
    "DATELINE",
    "DATELINE_PLACE",
    "DERIVED_FROM",
    "nodes_query",
    "edges_query",
    "FACT_RECORDS",
    "PARTICIPATION_ROLES",
    "conflict_query",
    "entity_queries",
    "RANKED_KEYS",
    "FILL_UNION",
    "rank_updates",
    "count_query",
]

from typing import Final

from kg.vocab.namespaces import AS_OF, DCTERMS, NOT_STATED, PROV
from kg.vocab.terms import DIP

# --- the records' terms ------------------------------------------------------------------------

#: An article, the source of what its facts state.
NEWS_ARTICLE: Final = DIP.NewsArticle
#: A curated fact's record (its IRI also names the graph of what it asserts).
CURATED_FACT: Final = DIP.CuratedFact
#: A passage of an article, located by its offsets.
EVIDENCE_PASSAGE: Final = DIP.EvidencePassage
#: An agent's part in an event, in a role (the n-ary node of a participation).
PARTICIPATION: Final = DIP.Participation
#: Classes of the graph's own records and of the values that describe them (a fact's basis
#: and rank): they are not entities, so they are no nodes of a network.
RECORD_CLASSES: Final = frozenset(
    {CURATED_FACT, EVIDENCE_PASSAGE, PARTICIPATION, DIP.Basis, DIP.Rank}
)

EVIDENCE: Final = DIP.evidence
QUOTATION_PASSAGE: Final = DIP.quotationPassage
SPEECH_VERB: Final = DIP.speechVerb
#: The curator's English for a passage of an article in another language.
TRANSLATION: Final = DIP.translation
#: The language of an article's text (a BCP 47 tag, xsd:language).
LANGUAGE: Final = DCTERMS.language
CURATED_IN: Final = DIP.curatedIn
CURATED_AT_LINE: Final = DIP.curatedAtLine
DERIVED_FROM: Final = PROV.wasDerivedFrom
#: How a fact stands: stated by the words, read from them, or known from elsewhere.
BASIS: Final = DIP.basis
STATED: Final = DIP.Stated
READ: Final = DIP.Read
BACKGROUND: Final = DIP.Background
READING: Final = DIP.reading
#: A curated fact's rank (as Wikidata ranks statements), by the word a curator writes.
RANK: Final = DIP.rank
#: When what a time-scoped fact states began and ended, and whether that lies ahead.
SINCE: Final = DIP.since
UNTIL: Final = DIP.until
PLANNED: Final = DIP.planned
RANKS: Final = {"preferred": DIP.PreferredRank, "deprecated": DIP.DeprecatedRank}
RANK_REASON: Final = DIP.rankReason
CURATOR_NOTE: Final = DIP.curatorNote
DECLARES: Final = DIP.declares
DERIVATION: Final = DIP.derivation
SOURCE: Final = DIP.source
SHA256: Final = DIP.sha256
TEXT_LENGTH: Final = DIP.textLength
SOURCE_FILE: Final = DIP.sourceFile
PARAGRAPH: Final = DIP.paragraph
#: An article reports an event its facts are about.
REPORTS: Final = DIP.reports
DATELINE: Final = DIP.dateline
DATELINE_PLACE: Final = DIP.datelinePlace

_NOT_STATED = ", ".join(f"<{g}>" for g in NOT_STATED)


def _stated(var: str = "?g") -> str:
    """A filter that keeps the graphs a source states: not the build's, not the as-of
    index's."""
    return f'FILTER ({var} NOT IN ({_NOT_STATED}) && !STRSTARTS(STR({var}), "{AS_OF}"))'


def _iris(iris) -> str:
    return " ".join(f"<{iri}>" for iri in sorted(iris))


# --- the network -------------------------------------------------------------------------------


def nodes_query(classes) -> str:
    """The entities of `classes` with their label (or an article's headline).

    Examples
    --------
    >>> "VALUES ?type { <urn:A> }" in nodes_query(["urn:A"])
    True
    """
    return f"""
SELECT ?s ?type ?label ?headline WHERE {{
  VALUES ?type {{ {_iris(classes)} }}
  ?s a ?type . FILTER(isIRI(?s))
  OPTIONAL {{ ?s rdfs:label ?label }}
  OPTIONAL {{ ?s schema:headline ?headline }}
}}"""


def edges_query(classes, left_out) -> str:
    """Every relation from an entity of `classes` to an IRI (but ``rdf:type`` and the
    properties `left_out`), with each curated fact that states it.

    Examples
    --------
    >>> "dip:CuratedFact" in edges_query(["urn:A"], ["urn:p"])
    True
    """
    return f"""
SELECT DISTINCT ?s ?p ?o ?fact WHERE {{
  VALUES ?type {{ {_iris(classes)} }}
  ?s a ?type . FILTER(isIRI(?s))
  ?s ?p ?o . FILTER(isIRI(?o) && ?p != rdf:type && ?p NOT IN ({
        ", ".join(f"<{p}>" for p in sorted(left_out))
    }))
  OPTIONAL {{ GRAPH ?fact {{ ?s ?p ?o }} ?fact a dip:CuratedFact }}
}}"""


#: Each curated fact's passage, file and line, basis, reading, sources and note.
FACT_RECORDS: Final = """
SELECT ?fact ?quote ?file ?line ?basis ?reading ?source ?note WHERE {
  ?fact a dip:CuratedFact .
  OPTIONAL { ?fact dip:evidence/oa:exact ?quote }
  OPTIONAL { ?fact dip:curatedIn ?file ; dip:curatedAtLine ?line }
  OPTIONAL { ?fact dip:basis ?basis }
  OPTIONAL { ?fact dip:reading ?reading }
  OPTIONAL { ?fact dip:source ?source }
  OPTIONAL { ?fact dip:curatorNote ?note }
}"""

#: The role of each agent in each event.
PARTICIPATION_ROLES: Final = """
SELECT ?event ?agent ?role WHERE {
  ?part a dip:Participation ; dip:inEvent ?event ; dip:agent ?agent ; dip:role ?role .
}"""


# --- conflicts ---------------------------------------------------------------------------------


def conflict_query(cls: str, predicate: str, inverse: bool = False) -> str:
    """The entities of `cls` given two values of `predicate` (``^predicate`` with
    `inverse`) by the sources, one row per value and curated fact: its graph's source
    (the article, or the graph), rank, file and line, and words.

    Examples
    --------
    >>> "HAVING (COUNT(DISTINCT ?o) > 1)" in conflict_query("urn:C", "urn:p")
    True
    """
    triple = f"?o <{predicate}> ?s" if inverse else f"?s <{predicate}> ?o"
    return f"""
SELECT ?s ?o ?source ?rank ?file ?line ?quote WHERE {{
  {{ SELECT ?s WHERE {{ GRAPH ?h {{ {triple} }} {_stated("?h")} }}
    GROUP BY ?s HAVING (COUNT(DISTINCT ?o) > 1) }}
  ?s a <{cls}> .
  GRAPH ?g {{ {triple} }} {_stated()}
  OPTIONAL {{ ?g dip:rank ?rank }}
  OPTIONAL {{ ?g prov:wasDerivedFrom ?article }}
  OPTIONAL {{ ?g dip:curatedIn ?file ; dip:curatedAtLine ?line }}
  OPTIONAL {{ ?g dip:evidence/oa:exact ?quote }}
  BIND (COALESCE(?article, ?g) AS ?source)
}}"""


# --- entity pages ------------------------------------------------------------------------------


def entity_queries(iri: str) -> tuple[str, str, str]:
    """What an entity's page shows: each triple about it, and each pointing to it, with the
    words and article of each curated fact that states it and the fact's basis; and, for a
    fact's or an article's IRI, what its graph holds.

    Examples
    --------
    >>> about, pointing, holds = entity_queries("https://w3id.org/diplomacy-kg/id/russia")
    >>> "<https://w3id.org/diplomacy-kg/id/russia> ?p ?o" in about
    True
    """
    this = f"<{iri}>"
    index = _stated("?fact")  # the store's own graphs (the union, the index): no source
    about = f"""SELECT ?p ?o ?words ?article ?basis WHERE {{
  {this} ?p ?o .
  OPTIONAL {{ GRAPH ?fact {{ {this} ?p ?o }} {index}
             OPTIONAL {{ ?fact dip:evidence ?e . ?e oa:exact ?words ; oa:hasSource ?article }}
             OPTIONAL {{ ?fact dip:basis ?basis }} }}
}} ORDER BY ?p ?o ?article"""
    pointing = f"""SELECT ?s ?p ?words ?article ?basis WHERE {{
  ?s ?p {this} . FILTER(isIRI(?s))
  OPTIONAL {{ GRAPH ?fact {{ ?s ?p {this} }} {index}
             OPTIONAL {{ ?fact dip:evidence ?e . ?e oa:exact ?words ; oa:hasSource ?article }}
             OPTIONAL {{ ?fact dip:basis ?basis }} }}
}} ORDER BY ?p ?s ?article LIMIT 2000"""
    holds = f"SELECT ?s ?p ?o WHERE {{ GRAPH {this} {{ ?s ?p ?o }} }} ORDER BY ?s ?p ?o LIMIT 2000"
    return about, pointing, holds


# --- the curators' ranks -----------------------------------------------------------------------

#: The (subject, predicate) pairs that a ranked curated fact states a value for.
RANKED_KEYS: Final = (
    "SELECT DISTINCT ?s ?p WHERE { ?fact dip:rank ?rank . GRAPH ?fact { ?s ?p ?o } }"
)

#: The default graph made the union of what the sources state (each triple once).
FILL_UNION: Final = f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_stated()} }}"


def rank_updates(values: str, graph: str | None = None) -> tuple[str, str]:
    """The two updates that make the stated union (the graph `graph`, else the default
    graph) hold, for the (subject, predicate) pairs of `values` (a SPARQL ``VALUES``
    block's rows), the values plain queries see: those of the preferred facts if there are
    any, else those of every fact but the deprecated ones.

    Examples
    --------
    >>> delete, insert = rank_updates("(<urn:s> <urn:p>)", "urn:stated")
    >>> delete.startswith("WITH <urn:stated> DELETE") and "dip:PreferredRank" in insert
    True
    """
    with_ = f"WITH <{graph}>" if graph else ""
    delete = f"{with_} DELETE {{ ?s ?p ?o }} WHERE {{ VALUES (?s ?p) {{ {values} }} ?s ?p ?o }}"
    insert = f"""{with_} INSERT {{ ?s ?p ?o }} WHERE {{
            VALUES (?s ?p) {{ {values} }}
            GRAPH ?g {{ ?s ?p ?o }} {_stated()}
            FILTER NOT EXISTS {{ ?g dip:rank dip:DeprecatedRank }}
            FILTER (EXISTS {{ ?g dip:rank dip:PreferredRank }}
                    || NOT EXISTS {{ ?h dip:rank dip:PreferredRank .
                                     GRAPH ?h {{ ?s ?p ?any }} }}) }}"""
    return delete, insert


def count_query(classes) -> str:
    """How many entities have one of `classes` as their type.

    Examples
    --------
    >>> count_query(["urn:A"])
    'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { VALUES ?c { <urn:A> } ?s a ?c }'
    """
    return f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {_iris(classes)} }} ?s a ?c }}"
