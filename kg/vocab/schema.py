"""The curation vocabulary written out for people and editors: the README's table of keys,
and a JSON Schema of ``facts.yaml`` and of the reference files, both derived from the
ontology (`kg.vocab.curation`), so that an editor checks and completes keys as a curator types."""

from __future__ import annotations

__all__ = ["key_table", "json_schema", "schema_text", "SCHEMA_KINDS"]

import json

from kg.build.facts import ID_PATTERN, RANKS, WEEKDAYS
from kg.vocab.curation import ENUMS, PROPERTIES, ROLES, TYPES
from kg.vocab.ontology import _ontology_triples, ontology_labels


#: The files a schema describes: an article's facts.yaml, or a reference file.
SCHEMA_KINDS = ("facts", "entities")
_ID = {"type": "string", "pattern": ID_PATTERN.pattern}
_TEXT = {"type": "string", "minLength": 1}
_IRI = {"type": "string", "pattern": r"^https?://[^\s<>\"{}|\\^`]+$"}
_DOMAIN = "http://www.w3.org/2000/01/rdf-schema#domain"

# how each kind of value is written, for the table
_WRITTEN = {
    "entity": "id",
    "date": "`YYYY-MM-DD`, `{weekday: Thursday}` or `{sameDayAs: ID}`",
    "year": "`2022`",
    "duration": "`P30D`, `PT12H` (xsd:dayTimeDuration)",
    "count": "a whole number from 0",
    "string": "text",
    "name": "a name as the evidence writes it",
    "quote": "words of the article, or `{text: WORDS, verb: VERB}`",
    "boolean": "`true` or `false`",
    "iri": "an http(s) IRI, e.g. `http://www.wikidata.org/entity/Q159`",
    "participation": "id, or `{agent: ID, role: ROLE}`",
}


def _domain_labels() -> dict[str, str]:

    labels = ontology_labels()
    return {t.subject.value: labels.get(t.object.value, t.object.value)
            for t in _ontology_triples() if t.predicate.value == _DOMAIN}


def _written(key: str) -> str:
    kind = PROPERTIES[key].kind
    if kind == "enum":
        return ", ".join(f"`{v}`" for v in ENUMS[key])
    if kind == "participation":
        return _WRITTEN[kind] + "; ROLE: " + ", ".join(f"`{r}`" for r in ROLES)
    return _WRITTEN[kind]


def key_table() -> str:
    """The README's table of property keys: each key, what it is said of, how its value is
    written and what it means (the property's ``rdfs:comment``), in the ontology's order.

    Examples
    --------
    >>> print(key_table().splitlines()[3])
    | `sameAs` | anything | an http(s) IRI, e.g. `http://www.wikidata.org/entity/Q159` | An IRI of the same thing elsewhere, such as its Wikidata item. |
    """
    domains = _domain_labels()
    rows = ["| key | of | value | meaning |", "|---|---|---|---|"]
    for key, prop in PROPERTIES.items():
        rows.append(f"| `{key}` | {domains.get(prop.iri, 'anything')} | {_written(key)} | "
                    f"{prop.comment} |")
    return "\n".join(rows) + "\n"


def _value_schema(key: str) -> dict:
    kind = PROPERTIES[key].kind
    if kind == "entity":
        return dict(_ID)
    if kind == "date":
        return {"anyOf": [
            {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
            {"type": "object", "properties": {"weekday": {
                "enum": [w.capitalize() for w in WEEKDAYS] + list(WEEKDAYS)}},
             "required": ["weekday"], "additionalProperties": False},
            {"type": "object", "properties": {"sameDayAs": _ID}, "required": ["sameDayAs"],
             "additionalProperties": False}]}
    if kind == "year":
        return {"type": "integer", "minimum": 1, "maximum": 9999}
    if kind == "duration":
        return {"type": "string",
                "pattern": r"^P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$"}
    if kind == "count":
        return {"type": "integer", "minimum": 0}
    if kind == "boolean":
        return {"type": "boolean"}
    if kind == "enum":
        return {"enum": list(ENUMS[key])}
    if kind == "iri":
        return dict(_IRI)
    if kind == "participation":
        return {"anyOf": [dict(_ID), {
            "type": "object", "properties": {"agent": _ID, "role": {"enum": list(ROLES)}},
            "required": ["agent"], "additionalProperties": False}]}
    if kind == "quote":
        return {"anyOf": [dict(_TEXT), {
            "type": "object", "properties": {"text": _TEXT, "verb": _TEXT},
            "required": ["text"], "additionalProperties": False}]}
    return dict(_TEXT)


def _properties() -> dict:
    out = {}
    for key, prop in PROPERTIES.items():
        one = _value_schema(key)
        out[key] = {"description": prop.comment,
                    "anyOf": [one, {"type": "array", "items": one, "minItems": 1}]}
    return out


_RECORD = {
    "note": {**_TEXT, "description": "A note for readers of the graph (dip:curatorNote)."},
    "reading": {**_TEXT, "description": "How you read the fact from words that do not say "
                "it outright; its basis becomes dip:Read."},
    "rank": {"enum": list(RANKS), "description": "How this fact ranks among facts that "
             "disagree (give rankReason too); plain queries see preferred values."},
    "rankReason": {**_TEXT, "description": "Why the fact has its rank."},
}


def _entity(article: bool) -> dict:
    keys = {
        "id": {**_ID, "description": "The entity's id: letters, digits, - and _, unique in "
               "the corpus; it becomes https://w3id.org/diplomacy-kg/id/<id>."},
        "type": {"enum": list(TYPES), "description": "The entity's class in the ontology."},
        "label": {**_TEXT, "description": "Its English name."},
    }
    if article:
        keys["evidence"] = {**_TEXT, "description": "Words copied from article.txt that "
                            "introduce it (exactly once in the article)."}
        keys.update(_RECORD)
        required = ["id", "type", "label", "evidence"]
    else:
        keys["note"] = _RECORD["note"] | {"description": "Where this background knowledge "
                                          "comes from, if it has no source IRI."}
        keys["source"] = {"anyOf": [_IRI, {"type": "array", "items": _IRI, "minItems": 1}],
                          "description": "Where this background knowledge comes from, such "
                          "as its Wikidata item (else its sameAs, else a note)."}
        required = ["id", "type", "label"]
    return {"type": "object", "properties": {**keys, **_properties()}, "required": required,
            "additionalProperties": False}


def json_schema(kind: str = "facts") -> dict:
    """A JSON Schema (2020-12) of an article's ``facts.yaml`` (`kind` ``"facts"``) or of a
    reference file of ``data/entities/`` (``"entities"``), derived from the ontology.

    Examples
    --------
    >>> schema = json_schema("facts")
    >>> fact = schema["properties"]["facts"]["items"]
    >>> fact["required"], "headedBy" in fact["properties"]
    (['about', 'evidence'], True)
    """
    if kind not in SCHEMA_KINDS:
        raise ValueError(f"unknown schema {kind!r}; use one of: {', '.join(SCHEMA_KINDS)}")
    entities = {"type": "array", "items": _entity(kind == "facts"),
                "description": "Entities this file declares."}
    if kind == "entities":
        return {"$schema": "https://json-schema.org/draft/2020-12/schema",
                "title": "kg reference entities (data/entities/*.yaml)",
                "type": "object", "properties": {"entities": entities},
                "required": ["entities"], "additionalProperties": False}
    article = {
        "title": {**_TEXT, "description": "The headline, as the article gives it."},
        "published": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$",
                      "description": "The publication date, YYYY-MM-DD."},
        "published_as": {**_TEXT, "description": "The article's words for that date."},
        "dateline": {**_TEXT, "description": "The dateline, e.g. ISTANBUL, if the article "
                     "has one (the words must stand in article.txt)."},
        "datelinePlace": {**_ID, "description": "The id of the dateline's place."},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$",
                   "description": "The SHA-256 digest of article.txt (sha256sum article.txt)."},
        "url": {**_IRI, "description": "Where the article was published."},
    }
    fact = {"type": "object", "properties": {
        "about": {**_ID, "description": "The id of the entity the fact is about."},
        "id": {**_ID, "description": "A stable name for the fact's IRI."},
        "evidence": {**_TEXT, "description": "Words copied from article.txt that support the "
                     "whole fact (exactly once in the article)."},
        **_RECORD, **_properties()},
        "required": ["about", "evidence"], "additionalProperties": False}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "kg curated facts of one article (facts.yaml)",
            "type": "object",
            "properties": {"article": {"type": "object", "properties": article,
                                       "required": ["title", "published", "sha256"],
                                       "additionalProperties": False},
                           "entities": entities,
                           "facts": {"type": "array", "items": fact,
                                     "description": "What the article states."}},
            "required": ["article"], "additionalProperties": False}


def schema_text(kind: str = "facts") -> str:
    """`json_schema` as the JSON text ``kg schema`` prints (sorted keys, two-space indent)."""
    return json.dumps(json_schema(kind), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
