"""Curated YAML, read with the line of every key and item, so that every problem in a
curated file can be told at its line; and UTF-8 decoding that tells the line and column of
a byte that is not."""

from __future__ import annotations

__all__ = ["LineMap", "LineList", "YAML_TAGS", "read_yaml", "parse_yaml", "decode_utf8"]

from pathlib import Path
from typing import Any

import yaml

from kg.errors import InputError, Location
from kg.limits import read_bounded

#: libyaml's composer where PyYAML was built with it: several times faster than Python's.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineMap(dict):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int
    key_lines: dict


class LineList(list):
    """A YAML sequence that remembers its line and the line of each item."""

    line: int
    item_lines: list


#: The tags a curated value may carry: the plain YAML types, nothing that builds objects.
YAML_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}


def decode_utf8(data: bytes, path: str) -> str:
    """UTF-8 text, or an error at the line and column of the first byte that is not.

    Examples
    --------
    >>> decode_utf8(b"caf\\xc3\\xa9", "a.txt")
    'café'
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"not UTF-8: byte 0x{data[exc.start]:02x} at column {column}; save "
            "the file as UTF-8 (e.g. iconv -f cp1252 -t utf-8)",
            Location(path, line),
        ) from None


def read_yaml(path: str | Path, data: bytes | None = None) -> Any:
    """The YAML file at `path` (or its bytes `data`), with the line of every key and item.

    Raises
    ------
    InputError
        Past the size limit, for bytes that are not UTF-8, and for what `parse_yaml`
        refuses, each at its line.
    """
    data = read_bounded(path, "yaml") if data is None else data
    return parse_yaml(decode_utf8(data, str(path)), str(path))


def parse_yaml(text: str, path: str) -> Any:
    """YAML text as `LineMap`, `LineList` and plain values, each mapping and sequence with
    the line of itself and of each key or item; `path` names the file in errors.

    Only plain YAML is read: no anchors and aliases (which let a few lines become
    gigabytes), no tags that build objects, no duplicate keys, no keys that are not text.
    Dates stay their text (`kg.vocab.kinds.parse_date` checks them with a clear message).

    Examples
    --------
    >>> data = parse_yaml("facts:\\n- about: x\\n  evidence: y\\n", "f.yaml")
    >>> data["facts"][0]["evidence"], data["facts"].item_lines, data["facts"][0].key_lines
    ('y', [2], {'about': 2, 'evidence': 3})
    >>> parse_yaml("a: 1\\na: 2\\n", "f.yaml")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: f.yaml:2: duplicate key 'a' (first at line 1); write each key once, with a list if it has several values
    """
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise InputError(
            f"YAML syntax error: {exc.problem or exc.context}; "
            "fix the YAML (indentation, quotes, colons) at this line",
            Location(path, line),
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML error: {exc}", Location(path, 1)) from None
    if node is None:
        return None
    try:
        return _convert(node, path, set())
    except _Alias:
        raise InputError(
            "YAML anchors and aliases (&name, *name) are not allowed in curated "
            "files; write each value out",
            _first_alias(text, path),
        ) from None


class _Alias(Exception):
    """A node met twice while converting: the document uses an alias."""


def _first_alias(text: str, path: str) -> Location:
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent) and event.start_mark is not None:
            return Location(path, event.start_mark.line + 1)
    return Location(path, 1)  # pragma: no cover - an alias was met, so the parser sees one


def _convert(node: yaml.Node, path: str, seen: set) -> Any:
    # An alias makes the composer share a node; expanding shared nodes is how a few lines
    # of YAML become gigabytes, so a node met twice stops the conversion.
    if id(node) in seen:
        raise _Alias()
    seen.add(id(node))
    line = node.start_mark.line + 1
    if node.tag not in YAML_TAGS:
        raise InputError(
            f"unknown YAML tag {node.tag!r}; curated values are plain text, "
            "numbers, dates, lists and mappings: remove the tag",
            Location(path, line),
        )
    if isinstance(node, yaml.MappingNode):
        out = LineMap()
        out.line, out.key_lines = line, {}
        for key_node, value_node in node.value:
            key = _convert(key_node, path, seen)
            if not isinstance(key, str):
                raise InputError(
                    f"key {key!r} is not a string; write keys as plain words"
                    + (
                        " (YAML reads no, yes, on and off as true or false: quote them, 'no')"
                        if isinstance(key, bool)
                        else ""
                    ),
                    Location(path, key_node.start_mark.line + 1),
                )
            if key in out:
                raise InputError(
                    f"duplicate key {key!r} (first at line {out.key_lines[key]}); "
                    "write each key once, with a list if it has several values",
                    Location(path, key_node.start_mark.line + 1),
                )
            out[key] = _convert(value_node, path, seen)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        items = LineList(_convert(item, path, seen) for item in node.value)
        items.line = line
        items.item_lines = [item.start_mark.line + 1 for item in node.value]
        return items
    tag = node.tag.rsplit(":", 1)[-1]
    value = node.value
    if tag == "null":
        return None
    if tag == "bool":
        return value.lower() in ("true", "yes", "on")
    if tag == "int":
        try:
            return int(value.replace("_", ""), 0)
        except ValueError:
            return value
    if tag == "float":
        try:
            return float(value)
        except ValueError:
            return value
    return value  # str, and timestamps, which `parse_date` checks with a clear message
