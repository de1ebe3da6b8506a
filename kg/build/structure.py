"""The structure of a curated file, checked with its JSON Schema, each error told at its
file and line in the words a curator needs.

The schema (`kg.vocab.schema.json_schema`, the one ``kg schema`` prints for editors) says
which keys each mapping takes, which are required, and the shape of every value; it is
checked by jsonschema-rs, a validator in Rust (a file of 50 facts in about 40 µs). This
module only turns its errors into messages: the first error, in the order of the file, is
raised as an `InputError` at the line of the key or item it is about.
"""

from __future__ import annotations

__all__ = ["check_structure"]

from functools import cache, lru_cache
from typing import Any

import jsonschema_rs

from kg.build.yamlfile import LineList, LineMap
from kg.errors import InputError, Location
from kg.vocab.curation import PROPERTIES, TYPES
from kg.vocab.kinds import DEFS, KINDS, id_message, unknown_key_message
from kg.vocab.schema import ARTICLE_KEYS, ENTITY_KEYS, FACT_KEYS, RANKS, REFERENCE_ONLY, json_schema

#: What each list of a curated file holds, for messages ("in this entity").
_ITEMS = {"entities": "entity", "facts": "fact"}
#: Keys whose value is an id.
_IDS = {"id", "about", "datelinePlace"}
#: The order of errors met at one place: unknown keys, then missing ones, then values.
_ORDER = {"AdditionalProperties": 0, "Required": 1}


@lru_cache(maxsize=4)
def _validator(kind: str):
    return jsonschema_rs.validator_for(json_schema(kind))


@cache
def _value_validator(key: str):
    prop = PROPERTIES[key]
    return jsonschema_rs.validator_for({"$defs": DEFS, **KINDS[prop.kind].schema(prop.values)})


def check_structure(data: Any, kind: str, path: str, checked_after: tuple = ()) -> None:
    """Check `data`, a curated file read by `kg.build.yamlfile.read_yaml`, against the
    JSON Schema of `kind` (``"facts"``: an article's facts.yaml; ``"entities"``: a
    reference file). Errors at the places `checked_after` names (paths into the data, such as
    ``("article", "sha256")``) are left to the caller, which says more about them.

    Raises
    ------
    InputError
        At the line of the first problem, with what to do about it.

    Examples
    --------
    >>> from kg.build.yamlfile import parse_yaml
    >>> text = "entities:\\n- id: x\\n  type: Summit\\n  label: X\\n"
    >>> check_structure(parse_yaml(text, "e.yaml"), "entities", "e.yaml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.InputError: e.yaml:3: unknown type 'Summit'; use one of: Person, Organization, ...
    """
    found = []
    for error in _validator(kind).iter_errors(data):
        if tuple(error.instance_path)[:2] in checked_after:
            continue
        where, message, order = _explain(error, data, kind, path)
        found.append((order, where.line, message, where))
    if found:
        _, _, message, where = min(found, key=lambda f: f[:2])
        raise InputError(message, where)


def _line(container, step) -> int:
    """The line of `step` (a key or an index) within `container`."""
    if isinstance(container, LineMap):
        return container.key_lines.get(step, container.line)
    if isinstance(container, LineList) and isinstance(step, int):
        return container.item_lines[step]
    return getattr(container, "line", 1)


def _explain(error, data, kind: str, path: str) -> tuple[Location, str, tuple]:
    """Where an error is, its message, and its place in the order errors are told."""
    steps = list(error.instance_path)
    name = type(error.kind).__name__
    details = error.kind.as_dict()
    rank = _ORDER.get(name, 2)
    chain = [data]  # the containers along the path
    for step in steps:
        chain.append(chain[-1][step])
    at = lambda depth: Location(path, _line(chain[depth - 1], steps[depth - 1]))  # noqa: E731
    # the item of a list the error is in: errors are told item by item, in file order
    item_line = _line(chain[1], steps[1]) if len(steps) >= 2 else 0
    order = (item_line, rank)
    here = Location(path, getattr(chain[-1], "line", 1))

    if name == "AdditionalProperties":
        extra = details["unexpected"][0]
        where = Location(path, _line(chain[-1], extra))
        return where, _unknown_key(extra, steps, kind), order
    if name == "Required":
        missing = details["property"]
        if list(error.schema_path)[-1:] == ["dependentRequired"]:
            present = "rank" if missing == "rankReason" else "rankReason"
            return (
                Location(path, _line(chain[-1], present)),
                "a rank needs its reason and a reason its rank: give 'rank: preferred' "
                "or 'rank: deprecated' with 'rankReason: why'",
                order,
            )
        return here, _missing(missing, steps, kind), order

    if not steps:  # the file itself
        return here, _whole_file(kind), order
    if steps == ["article"]:
        return at(1), "'article' must be a mapping", order
    if len(steps) == 1:  # entities: or facts: is not a list
        return at(1), f"'{steps[0]}' must be a list of mappings ('- id: ...')", order
    if len(steps) == 2 and steps[0] in _ITEMS:
        return at(2), f"each item of '{steps[0]}' must be a mapping of keys", order
    key, value = steps[2 if steps[0] in _ITEMS else 1], chain[3 if steps[0] in _ITEMS else 2]
    depth = 3 if steps[0] in _ITEMS else 2
    item = chain[depth - 1]
    if value is None and key in _required_keys(steps, kind):
        return Location(path, item.line), _missing(key, steps, kind), order
    if key in PROPERTIES and steps[0] in _ITEMS:
        return _claim(key, value, at(depth), path, order)
    return at(depth), _field(key, value), order


def _claim(
    key: str, value: Any, where: Location, path: str, order: tuple
) -> tuple[Location, str, tuple]:
    """The first wrong value of a curation key (a value, or each of a list of them)."""
    if value is None:
        return where, f"'{key}' has no value; give it one or remove the key", order
    prop = PROPERTIES[key]
    kind = KINDS[prop.kind]
    if isinstance(value, LineList):
        if not value:
            return where, f"'{key}' has an empty list; give it a value or remove it", order
        for one, line in zip(value, value.item_lines):
            if one is None:
                return (
                    Location(path, line),
                    f"'{key}' has no value; give it one or remove the key",
                    order,
                )
            if not _value_validator(key).is_valid(one):
                return Location(path, line), kind.invalid(key, one, prop.values), order
    return where, kind.invalid(key, value, prop.values), order


def _field(key: str, value: Any) -> str:
    """The message for a wrong value of a key that is not a curation key."""
    if key in _IDS:
        return id_message(key, value)
    if key == "type" and isinstance(value, str) and value.strip():
        return f"unknown type {value!r}; use one of: {', '.join(TYPES)}"
    if key == "rank" and isinstance(value, str):
        return (
            f"unknown rank {value!r}; use one of: {', '.join(RANKS)} (leave it out for a "
            "normal rank)"
        )
    if key == "published":
        return f"invalid date {str(value)!r}: write it as YYYY-MM-DD, e.g. 2025-05-15"
    if key in ("since", "until"):
        return (
            f"invalid {key} {str(value)!r}: write a day (2025-07-17), a month (2025-07) or "
            "a year (2025)"
        )
    if key == "planned":
        return f"'planned' takes true or false, not {value!r}"
    if key in ("url", "source"):
        return f"'{key}' takes an http(s) IRI, e.g. http://www.wikidata.org/entity/Q159"
    if key == "language":
        if isinstance(value, bool):  # YAML 1.1 reads no (Norwegian) as false
            return "YAML reads no, yes, on and off as true or false: quote the tag, e.g. 'no'"
        return f"{str(value)!r} is not a BCP 47 language tag; write one such as en, ru or uk"
    if key == "label":
        return KINDS["name"].invalid(key, value, {})
    return f"'{key}' must be a non-empty text"


def _whole_file(kind: str) -> str:
    if kind == "entities":
        return "a reference file holds one key, 'entities:', with a list of entities"
    return "facts.yaml holds a mapping with 'article:', 'entities:' and 'facts:'"


def _unknown_key(key: str, steps: list, kind: str) -> str:
    if not steps:
        if kind == "entities":
            return (
                f"unknown key {key!r}: a reference file holds one key, 'entities:', with "
                "a list of entities"
            )
        return unknown_key_message(key, {"article", "entities", "facts"})
    if steps == ["article"]:
        return unknown_key_message(key, ARTICLE_KEYS)
    if kind == "entities" and key in REFERENCE_ONLY:
        return (
            f"'{key}' is for a fact of an article; a reference entry is background "
            "knowledge: give its 'source' or a 'note'"
        )
    if steps[0] == "entities":
        allowed = ENTITY_KEYS - ({"source"} if kind == "facts" else {"evidence"})
    else:
        allowed = set(FACT_KEYS)
    return unknown_key_message(key, allowed | set(PROPERTIES))


def _required_keys(steps: list, kind: str) -> set:
    if steps[0] == "article":
        return {"title", "published", "sha256"}
    if steps[0] == "facts":
        return {"about", "evidence"}
    return {"id", "type", "label"} | ({"evidence"} if kind == "facts" else set())


def _missing(key: str, steps: list, kind: str) -> str:
    if not steps:
        if kind == "entities":
            return "a reference file holds one key, 'entities:', with a list of entities"
        return (
            "missing required field 'article' (title, published, sha256, and the "
            "dateline if there is one)"
        )
    what = "article" if steps[0] == "article" else _ITEMS[steps[0]]
    return f"missing required field {key!r} in this {what}; add '{key}: ...'"
