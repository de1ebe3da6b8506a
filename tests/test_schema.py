"""The curation vocabulary comes from the ontology: the keys, the README's table, and the
JSON Schema that editors check facts.yaml with."""

import datetime as dt
import json

import jsonschema
import pytest
import yaml

from kg.vocab.schema import ARTICLE_KEYS, ENTITY_KEYS, FACT_KEYS
from kg.vocab.ontology import ontology_labels
from kg.vocab.schema import json_schema, key_table, schema_text
from kg.vocab.curation import ENUMS, PROPERTIES, ROLES, TYPES
from kg.vocab.rdf import DIP

from .conftest import ARTICLE, ROOT

FACTS = ROOT / "data" / "articles" / ARTICLE / "facts.yaml"


def _plain(value):
    """YAML as an editor's JSON view of it: dates as their text."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def _load(path):
    return _plain(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_every_curation_term_is_an_ontology_term_with_a_label():
    labels = ontology_labels()
    for key, prop in PROPERTIES.items():
        assert prop.iri in labels and prop.comment, key
    for name in TYPES:
        assert str(DIP) + name in labels
    for values in [ROLES, *ENUMS.values()]:
        for name in values.values():
            assert str(DIP) + name in labels
    # the new terms the next articles need are there
    assert {"proposedBy", "acceptedBy", "rejectedBy", "party", "concludedAt", "prisonerCount",
            "beganAt", "topic"} <= set(PROPERTIES)
    assert {"Agreement", "Memorandum", "PrisonerExchange", "PhoneCall"} <= set(TYPES)


@pytest.mark.parametrize("kind", ["facts", "entities"])
def test_the_shipped_schemas_are_the_generated_ones(kind):
    shipped = (ROOT / "data" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert shipped == schema_text(kind)
    jsonschema.Draft202012Validator.check_schema(json.loads(shipped))


def test_the_shipped_data_validates():
    jsonschema.validate(_load(FACTS), json_schema("facts"))
    for path in sorted((ROOT / "data" / "entities").glob("*.yaml")):
        jsonschema.validate(_load(path), json_schema("entities"))


@pytest.mark.parametrize("change, where", [
    (lambda d: d["facts"][0].update(headedby="x"), "headedby"),                 # a typo
    (lambda d: d["facts"][0].update(status="concluded"), "concluded"),          # not a status
    (lambda d: d["entities"][0].update(type="Summit"), "Summit"),              # not a type
    (lambda d: d["facts"][8]["participant"][0].update(role="guest"), "guest"),  # not a role
    (lambda d: d["facts"][0].update(rank="best"), "best"),                      # not a rank
])
def test_the_schema_catches_what_kg_refuses(change, where):
    data = _load(FACTS)
    change(data)
    with pytest.raises(jsonschema.ValidationError) as caught:
        jsonschema.validate(data, json_schema("facts"))
    assert where in str(caught.value)


def test_the_schema_knows_every_key_kg_reads():
    schema = json_schema("facts")
    assert set(schema["properties"]["article"]["properties"]) == ARTICLE_KEYS
    assert set(schema["properties"]["facts"]["items"]["properties"]) == FACT_KEYS | set(PROPERTIES)
    entity = set(schema["properties"]["entities"]["items"]["properties"])
    assert entity == (ENTITY_KEYS - {"source"}) | set(PROPERTIES)


def test_the_readme_key_table_is_the_ontologys():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert key_table() in readme
