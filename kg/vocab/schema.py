"""The curated files' format, written out for people, editors and the build: the README's
tables of keys and types (with their cues), and a JSON Schema of ``facts.yaml`` and of the reference files.

Both are derived from the ontology (`kg.vocab.curation`) and the kinds of value
(`kg.vocab.kinds`). The JSON Schema is what ``kg schema`` prints for editors and what the
build checks every curated file with (`kg.build.structure`), so the two cannot disagree.
"""

from __future__ import annotations

__all__ = [
    "key_table",
    "type_table",
    "json_schema",
    "schema_text",
    "SCHEMA_KINDS",
    "ARTICLE_KEYS",
    "ARTICLE_REQUIRED",
    "FACT_RECORD_KEYS",
    "ENTITY_KEYS",
    "FACT_KEYS",
    "RANKS",
    "REFERENCE_ONLY",
]

import json
from functools import lru_cache

from kg.vocab.curation import CUES, PROPERTIES, TYPES
from kg.vocab.kinds import (
    DEFS,
    ID_SCHEMA,
    IRI_SCHEMA,
    KINDS,
    LANGUAGE_PATTERN,
    NAMES_SCHEMA,
    PERIOD_SCHEMA,
    TEXT_SCHEMA,
)
from kg.vocab.namespaces import RDFS
from kg.vocab.ontology import ontology_labels, ontology_triples
from kg.vocab.records import RANKS as RANK_INDIVIDUALS
from kg.vocab.terms import DIP

#: The files a schema describes: an article's facts.yaml, or a reference file.
SCHEMA_KINDS = ("facts", "entities")
#: The keys of an article's metadata (``article:``), and those it must have.
ARTICLE_KEYS = {
    "title",
    "published",
    "published_as",
    "dateline",
    "datelinePlace",
    "sha256",
    "url",
    "language",
}
ARTICLE_REQUIRED = ("title", "published", "sha256")
#: Keys about the curated fact itself rather than its subject: a note, a reading (what the
#: curator read into the words, and why), a rank and the reason for it, and when what a
#: time-scoped fact states began or ended (and whether that is planned), and the curator's
#: English for evidence in another language.
FACT_RECORD_KEYS = {
    "note",
    "reading",
    "rank",
    "rankReason",
    "since",
    "until",
    "planned",
    "translation",
}
ENTITY_KEYS = {"id", "type", "label", "evidence", "source"} | FACT_RECORD_KEYS
FACT_KEYS = {"about", "id", "evidence"} | FACT_RECORD_KEYS
#: The ranks a curator may give a fact (as Wikidata ranks statements); unranked is normal.
RANKS = tuple(RANK_INDIVIDUALS)
#: The keys of a fact of an article that a reference entry (background knowledge) has not.
REFERENCE_ONLY = {"reading", "rank", "rankReason", "since", "until", "planned", "translation"}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


def _domain_labels() -> dict[str, str]:
    labels = ontology_labels()
    return {
        t.subject.value: labels.get(t.object.value, t.object.value)
        for t in ontology_triples()
        if t.predicate.value == RDFS.domain
    }


def _written(key: str) -> str:
    prop = PROPERTIES[key]
    values = ", ".join(f"`{v}`" for v in prop.values)
    return KINDS[prop.kind].written.format(values=values)


def key_table() -> str:
    """The README's table of property keys: each key, what it is said of, how its value is
    written and what it means (the property's ``rdfs:comment``), in the ontology's order.

    Examples
    --------
    >>> print(next(row for row in key_table().splitlines() if row.startswith("| `headedBy`")))
    | `headedBy` | organisation | id | The person who leads an organisation or delegation. | `{s} led by {o}`, `{s} headed by {o}`, `{o} led {s}`, `{o} headed {s}` |
    """
    domains = _domain_labels()
    rows = [
        "| key | of | value | meaning | cues (`kg article suggest`) |",
        "|---|---|---|---|---|",
    ]
    for key, prop in PROPERTIES.items():
        rows.append(
            f"| `{key}` | {domains.get(prop.iri, 'anything')} | {_written(key)} | {prop.comment} "
            f"| {_cues(prop)} |"
        )
    return "\n".join(rows) + "\n"


def _cues(prop) -> str:
    """A property's cues as the key table shows them: its own, and those of its roles and
    values, each labelled."""
    own = [f"`{c}`" for c in prop.cues]
    for value in prop.values:
        if CUES.get(value):
            own.append(f"{value}: " + ", ".join(f"`{c}`" for c in CUES[value]))
    return "; ".join(own) if prop.values else ", ".join(own)


def type_table() -> str:
    """The README's table of entity types: each type, the class it falls under, the words
    that name a thing of it (its cues, for `kg article suggest`) and its definition.

    Examples
    --------
    >>> print(type_table().splitlines()[2])
    | `Person` | agent |  | A human being, named or described by the article. |
    """
    labels = ontology_labels()
    parents: dict[str, str] = {}
    comments: dict[str, str] = {}
    for t in ontology_triples():
        if t.predicate.value == RDFS.subClassOf and t.object.value.startswith(DIP.NS):
            parents.setdefault(t.subject.value, labels.get(t.object.value, ""))
        elif t.predicate.value == RDFS.comment and getattr(t.object, "language", None) == "en":
            comments[t.subject.value] = t.object.value
    rows = ["| type | a kind of | cues (`kg article suggest`) | meaning |", "|---|---|---|---|"]
    for name in TYPES:
        iri = DIP.NS + name
        cues = ", ".join(f"`{c}`" for c in CUES.get(name, ()))
        rows.append(f"| `{name}` | {parents.get(iri, '')} | {cues} | {comments.get(iri, '')} |")
    return "\n".join(rows) + "\n"


def _properties() -> dict:
    out = {}
    for key, prop in PROPERTIES.items():
        one = KINDS[prop.kind].schema(prop.values)
        out[key] = {
            "description": prop.comment,
            "anyOf": [one, {"type": "array", "items": one, "minItems": 1}],
        }
    return out


def _comment(iri: str) -> str:
    """A term's definition, as the ontology gives it."""
    return next(
        t.object.value
        for t in ontology_triples()
        if t.subject.value == iri and t.predicate.value == RDFS.comment
    )


def _text(description: str) -> dict:
    return {**TEXT_SCHEMA, "description": description}


_RECORD = {
    "note": _text("A note for readers of the graph (dip:curatorNote)."),
    "reading": _text(
        "How you read the fact from words that do not say it outright; its basis becomes dip:Read."
    ),
    "rank": {
        "enum": list(RANKS),
        "description": "How this fact ranks among facts that "
        "disagree (give rankReason too); plain queries see preferred values.",
    },
    "rankReason": _text("Why the fact has its rank."),
    "since": {
        **PERIOD_SCHEMA,
        "description": _comment(DIP.since) + " Write 2025-07-17, 2025-07 or 2025.",
    },
    "until": {
        **PERIOD_SCHEMA,
        "description": _comment(DIP.until) + " Write 2025-07-17, 2025-07 or 2025.",
    },
    "planned": {"type": "boolean", "description": _comment(DIP.planned)},
    "translation": _text(
        "Your English for the evidence, when the article is in another language "
        "(dip:translation on the evidence passage)."
    ),
}
#: A rank and its reason go together.
_RANKED = {"rank": ["rankReason"], "rankReason": ["rank"]}


def _entity(article: bool) -> dict:
    keys = {
        "id": {
            **ID_SCHEMA,
            "description": "The entity's id: letters, digits, - and _, unique "
            "in the corpus; it becomes https://w3id.org/diplomacy-kg/id/<id>.",
        },
        "type": {"enum": list(TYPES), "description": "The entity's class in the ontology."},
        "label": {
            **NAMES_SCHEMA,
            "description": "Its name: text (in the article's language in an article, "
            "English in a reference file), or a map of names by language, e.g. "
            "{en: Vladimir Medinsky, ru: Владимир Мединский}.",
        },
    }
    if article:
        keys["evidence"] = _text(
            "Words copied from article.txt that introduce it (exactly once in the article)."
        )
        keys.update(_RECORD)
        required = ["id", "type", "label", "evidence"]
    else:
        keys["note"] = _text("Where this background knowledge comes from, if it has no source IRI.")
        keys["source"] = {
            "anyOf": [IRI_SCHEMA, {"type": "array", "items": IRI_SCHEMA, "minItems": 1}],
            "description": "Where this background knowledge comes from, such "
            "as its Wikidata item (else its sameAs, else a note).",
        }
        required = ["id", "type", "label"]
    out = {
        "type": "object",
        "properties": {**keys, **_properties()},
        "required": required,
        "additionalProperties": False,
    }
    if article:
        out["dependentRequired"] = _RANKED
    return out


@lru_cache(maxsize=2)
def _schema(kind: str) -> str:
    if kind not in SCHEMA_KINDS:
        raise ValueError(f"unknown schema {kind!r}; use one of: {', '.join(SCHEMA_KINDS)}")
    entities = {
        "type": "array",
        "items": _entity(kind == "facts"),
        "description": "Entities this file declares.",
    }
    if kind == "entities":
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$defs": DEFS,
            "title": "kg reference entities (data/entities/*.yaml)",
            "type": "object",
            "properties": {"entities": entities},
            "required": ["entities"],
            "additionalProperties": False,
        }
        return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    article = {
        "title": _text("The headline, as the article gives it."),
        "published": {**_DATE, "description": "The publication date, YYYY-MM-DD."},
        "published_as": _text("The article's words for that date."),
        "dateline": {
            "anyOf": [TEXT_SCHEMA, {"type": "null"}],
            "description": "The "
            "dateline, e.g. ISTANBUL, if the article has one (the words must stand "
            "in article.txt).",
        },
        "datelinePlace": {**ID_SCHEMA, "description": "The id of the dateline's place."},
        "sha256": {
            "type": "string",
            "pattern": "^[0-9a-fA-F]{64}$",
            "description": "The SHA-256 digest of article.txt (sha256sum article.txt).",
        },
        "url": {**IRI_SCHEMA, "description": "Where the article was published."},
        "language": {
            "type": "string",
            "pattern": LANGUAGE_PATTERN,
            "description": "The language of article.txt, a BCP 47 tag such as en, ru or uk "
            "(default en).",
        },
    }
    fact = {
        "type": "object",
        "properties": {
            "about": {**ID_SCHEMA, "description": "The id of the entity the fact is about."},
            "id": {**ID_SCHEMA, "description": "A stable name for the fact's IRI."},
            "evidence": _text(
                "Words copied from article.txt that support the whole fact "
                "(exactly once in the article)."
            ),
            **_RECORD,
            **_properties(),
        },
        "required": ["about", "evidence"],
        "additionalProperties": False,
        "dependentRequired": _RANKED,
    }
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": DEFS,
        "title": "kg curated facts of one article (facts.yaml)",
        "type": "object",
        "properties": {
            "article": {
                "type": "object",
                "properties": article,
                "required": list(ARTICLE_REQUIRED),
                "additionalProperties": False,
            },
            "entities": entities,
            "facts": {"type": "array", "items": fact, "description": "What the article states."},
        },
        "required": ["article"],
        "additionalProperties": False,
    }
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


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
    return json.loads(_schema(kind))


def schema_text(kind: str = "facts") -> str:
    """`json_schema` as the JSON text ``kg schema`` prints (sorted keys, two-space indent)."""
    return _schema(kind)
