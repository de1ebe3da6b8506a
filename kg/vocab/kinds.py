"""The kinds of value a curation key takes, each declared once: how a curator writes it, its
JSON Schema, how it is read from YAML, the message when it is wrong, the entity it refers
to, and the RDF it becomes.

The ontology gives each key its kind (``dip:valueKind``, see `kg.vocab.curation`); `KINDS`
holds one `Kind` per name. The JSON Schema (`kg.vocab.schema`) checks a value's shape
when a curated file is read, and `Kind.invalid` says what is wrong in the words a curator
needs; `Kind.read` then makes the value the build uses (a date, a canonical duration, a
pair), with the checks a schema cannot make (a real calendar date). Adding a kind is one
entry of `KINDS`.

RDF comes out as plain terms (an IRI is a `str`, a literal a `Lit`), so that this wing
needs no RDF library; the build turns them into rdflib's.
"""

from __future__ import annotations

__all__ = [
    "Kind",
    "KINDS",
    "Lit",
    "Triple",
    "Context",
    "ID_PATTERN",
    "DEFS",
    "ID_SCHEMA",
    "TEXT_SCHEMA",
    "WORDS_SCHEMA",
    "IRI_SCHEMA",
    "WEEKDAYS",
    "id_message",
    "read_id",
    "parse_date",
    "PERIOD_SCHEMA",
    "read_period",
    "period_bounds",
    "period_literal",
    "canonical_duration",
    "duration_days",
    "quotation",
    "unknown_key_message",
    "LANGUAGE_PATTERN",
    "NAMES_SCHEMA",
    "read_language",
    "names_in",
    "display_name",
    "name_order",
]

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import langcodes
from rapidfuzz import fuzz, process

from kg.errors import InputError, Location
from kg.vocab.namespaces import DCTERMS, GEO, PREFIX_IRIS, RDF, XSD
from kg.vocab.terms import DIP

#: Ids become the last segment of an IRI: letters, digits, '-' and '_' ('.' is kept for
#: joining ids in the IRIs of participations and facts).
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
#: The shapes of value a curated file writes again and again, which a schema declares once
#: (under ``$defs``) and refers to: an id, a word of `ID_PATTERN` (YAML may read one of
#: digits as a number); text, something more than spaces (a label or a passage, which YAML
#: may read as a number); words, text a key's value gives (a name, a quotation); an http(s)
#: IRI (`_IRI_PATTERN`, which a message checks too).
_IRI_PATTERN = r"^https?://[^\s<>\"{}|\\^`]+$"
DEFS = {
    "id": {
        "anyOf": [
            {"type": "string", "pattern": ID_PATTERN.pattern},
            {"type": "integer", "minimum": 0},
        ]
    },
    "text": {"anyOf": [{"type": "string", "pattern": r"\S"}, {"type": "number"}]},
    "words": {"type": "string", "pattern": r"\S"},
    "iri": {"type": "string", "pattern": _IRI_PATTERN},
}
ID_SCHEMA = {"$ref": "#/$defs/id"}
TEXT_SCHEMA = {"$ref": "#/$defs/text"}
WORDS_SCHEMA = {"$ref": "#/$defs/words"}
IRI_SCHEMA = {"$ref": "#/$defs/iri"}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DATE = r"^\d{4}-\d{2}-\d{2}$"
_DURATION = r"^P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$"
_ENTITY = PREFIX_IRIS["kgr"]
_PARTICIPATION = PREFIX_IRIS["kgp"]


@dataclass(frozen=True)
class Lit:
    """A literal: its lexical form, and its datatype or language (neither: a plain string)."""

    value: str
    datatype: str | None = None
    lang: str | None = None


#: A triple as plain terms: subject and predicate IRIs, an object IRI (`str`) or `Lit`.
Triple = tuple[str, str, "str | Lit"]


@dataclass
class Context:
    """What the RDF of a value may need beyond the value: how a relative date resolves
    (``date_of(value) -> (date, how it was derived or None)``); ``derivations`` collects
    each derivation, for the fact's record."""

    date_of: Callable[[Any], tuple[dt.date, str | None]]
    derivations: list[str] = field(default_factory=list)
    #: The language of the words a value gives (the article's; English for the reference).
    language: str = "en"


@dataclass(frozen=True)
class Kind:
    """A kind of value.

    ``written`` says how a curator writes it (the README's key table; ``{values}`` stands
    for the key's closed list of values); ``schema(values)``
    is its JSON Schema, given the key's closed list of values (an enum's, or the roles of
    a participation); ``read(key, value, where, values)`` the value the build uses, from a
    value the schema accepts; ``invalid(key, value, values)`` the message for one it does
    not; ``refers(value)`` the id of the entity a value names, if any;
    ``rdf(subject, predicate, value, values, context)`` its triples; ``stands_in`` where
    its words must stand: ``"evidence"`` (a name, within the fact's evidence) or
    ``"article"`` (a quotation, in the article).
    """

    name: str
    written: str
    schema: Callable[[dict], dict]
    invalid: Callable[[str, Any, dict], str]
    rdf: Callable[[str, str, Any, dict, Context], list]
    read: Callable[[str, Any, Location, dict], Any] = lambda key, value, where, values: value
    refers: Callable[[Any], str | None] = lambda value: None
    stands_in: str | None = None


def id_message(key: str, value: Any) -> str:
    """What is wrong with `value` as an id, for the key `key`.

    Examples
    --------
    >>> id_message("id", "Turkish delegation")
    "'id': id 'Turkish delegation' cannot form a valid IRI; use letters, digits '-' and '_' only, starting with a letter or digit, e.g. 'turkish-delegation'"
    """
    plain = unicodedata.normalize("NFKD", str(value).lower().replace("ı", "i"))
    slug = re.sub(r"[^a-z0-9]+", "-", plain.encode("ascii", "ignore").decode()).strip("-")
    slug = slug or "my-id"
    return (
        f"'{key}': id {value!r} cannot form a valid IRI; use letters, digits '-' and '_' "
        f"only, starting with a letter or digit, e.g. {slug!r}"
    )


def read_id(key: str, value: Any, where: Location) -> str:
    """An id as the build uses it: a word of `ID_PATTERN` (YAML reads one of digits as a
    whole number, which is taken as its digits; a fraction or a truth value is no id).

    Examples
    --------
    >>> read_id("about", 2022, Location("f", 1))
    '2022'
    >>> read_id("about", 2.0, Location("f", 1))
    Traceback (most recent call last):
    ...
    kg.errors.InputError: f:1: 'about': id 2.0 cannot form a valid IRI; use letters, digits '-' and '_' only, starting with a letter or digit, e.g. '2-0'
    """
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not ID_PATTERN.match(text):
        raise InputError(id_message(key, value), where)
    return text


def parse_date(text: Any, where: Location) -> dt.date:
    """Parse an ISO 8601 calendar date (``YYYY-MM-DD``), naming `where` if it is not one.

    Examples
    --------
    >>> parse_date("2025-05-15", Location("f.yaml", 3))
    datetime.date(2025, 5, 15)
    >>> parse_date("2025-02-30", Location("f.yaml", 3))
    Traceback (most recent call last):
    ...
    kg.errors.InputError: f.yaml:3: invalid date '2025-02-30': day is out of range for month; write a real calendar date as YYYY-MM-DD
    """
    if isinstance(text, dt.date) and not isinstance(text, dt.datetime):
        return text
    value = str(text)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise InputError(f"invalid date {value!r}: write it as YYYY-MM-DD, e.g. 2025-05-15", where)
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(
            f"invalid date {value!r}: {exc}; write a real calendar date as YYYY-MM-DD", where
        ) from None


#: A day, a month or a year, as a fact's ``since`` or ``until`` gives it.
PERIOD_SCHEMA = {
    "anyOf": [
        {"type": "string", "pattern": r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$"},
        {"type": "integer", "minimum": 1, "maximum": 9999},
    ]
}


def read_period(value: Any, where: Location, key: str = "since") -> str:
    """A day, a month or a year (``2025-07-17``, ``2025-07``, ``2024``), checked, as text.

    Examples
    --------
    >>> read_period(2024, Location("f.yaml", 3)), read_period("2025-07", Location("f.yaml", 3))
    ('2024', '2025-07')
    >>> read_period("2025-13", Location("f.yaml", 3), "until")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: f.yaml:3: invalid until '2025-13': write a day (2025-07-17), a month (2025-07) or a year (2025)
    """
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    text = f"{value:04d}" if isinstance(value, int) and not isinstance(value, bool) else str(value)
    message = (
        f"invalid {key} {text!r}: write a day (2025-07-17), a month (2025-07) or a year (2025)"
    )
    if not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", text) or text.startswith("0000"):
        raise InputError(message, where)
    try:
        period_bounds(text)
    except ValueError:
        raise InputError(message, where) from None
    return text


def period_bounds(text: str) -> tuple[dt.date, dt.date]:
    """The first and the last day of a day, a month or a year.

    Examples
    --------
    >>> period_bounds("2024-02")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    >>> period_bounds("2025")[1]
    datetime.date(2025, 12, 31)
    """
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    if len(parts) == 2:
        first = dt.date(parts[0], parts[1], 1)
        following = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def period_literal(text: str) -> Lit:
    """The literal of a period: an xsd:date, xsd:gYearMonth or xsd:gYear.

    Examples
    --------
    >>> period_literal("2025-07").datatype.rsplit("#", 1)[1]
    'gYearMonth'
    """
    datatype = {10: XSD.date, 7: XSD.NS + "gYearMonth", 4: XSD.gYear}[len(text)]
    return Lit(text, datatype)


def canonical_duration(text: str) -> str:
    """The canonical form of an xsd:dayTimeDuration of days, hours, minutes and seconds.

    The store keeps durations as values and writes them back in this form, so the build
    writes them so too: the graph, the files and the store then agree.

    Examples
    --------
    >>> canonical_duration("PT36H"), canonical_duration("P30D"), canonical_duration("PT0H")
    ('P1DT12H', 'P30D', 'PT0S')
    """
    days, hours, minutes, seconds = _duration_parts(text)
    total = ((days * 24 + hours) * 60 + minutes) * 60 + seconds
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    time = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n)
    if not days and not time:
        return "PT0S"
    return "P" + (f"{days}D" if days else "") + (f"T{time}" if time else "")


def duration_days(duration: str) -> str:
    """An xsd:dayTimeDuration's length in days, as a canonical xsd:decimal (six decimals
    at most).

    Examples
    --------
    >>> duration_days("P30D"), duration_days("PT12H"), duration_days("P1DT1H")
    ('30', '0.5', '1.041667')
    """
    d, h, m, sec = (Decimal(part) for part in _duration_parts(duration))
    days = (d + h / 24 + m / 1440 + sec / 86400).quantize(Decimal("0.000001"))
    text = format(days, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _duration_parts(text: str) -> tuple[int, int, int, int]:
    parts = re.fullmatch(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", text)
    if parts is None:
        raise ValueError(
            f"not an xsd:dayTimeDuration of days, hours, minutes and seconds: {text!r}"
        )
    days, hours, minutes, seconds = (int(p or 0) for p in parts.groups())
    return days, hours, minutes, seconds


def quotation(value: Any) -> tuple[str, str | None, str | None]:
    """A quotation's words, its verb (None when the statement's verb applies) and the
    curator's English translation of the words (None for words in English).

    Examples
    --------
    >>> quotation("stop the killing")
    ('stop the killing', None, None)
    >>> quotation(("прекратить огонь", "declared", "cease fire"))
    ('прекратить огонь', 'declared', 'cease fire')
    """
    if isinstance(value, tuple):
        return (value[0], value[1], value[2] if len(value) > 2 else None)
    return (value, None, None)


#: A language tag as BCP 47 writes it (checked further by `read_language`).
LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"
#: A name or label: text, or a map from language tags to text ({en: ..., ru: ...}).
NAMES_SCHEMA = {
    "anyOf": [
        TEXT_SCHEMA,
        {
            "type": "object",
            "propertyNames": {"pattern": LANGUAGE_PATTERN},
            "additionalProperties": WORDS_SCHEMA,
            "minProperties": 1,
        },
    ]
}


def read_language(value: Any, where: Location | None = None) -> str:
    """A BCP 47 language tag, in its standard form (langcodes).

    Examples
    --------
    >>> read_language("ru"), read_language("uk-ua")
    ('ru', 'uk-UA')
    >>> read_language("russian")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: 'russian' is not a BCP 47 language tag; write one such as en, ru or uk
    """
    text = str(value).strip()
    if not re.match(LANGUAGE_PATTERN, text) or not langcodes.tag_is_valid(text):
        raise InputError(
            f"{text!r} is not a BCP 47 language tag; write one such as en, ru or uk", where
        )
    return str(langcodes.standardize_tag(text))


def names_in(value: Any, language: str) -> tuple[tuple[str, str], ...]:
    """A name or label as (language, text) pairs: text is in `language`; a map gives each
    language its own (tags in their standard form, keys sorted).

    Examples
    --------
    >>> names_in("Мединский", "ru")
    (('ru', 'Мединский'),)
    >>> names_in({"ru": "Мединский", "en": "Medinsky"}, "ru")
    (('en', 'Medinsky'), ('ru', 'Мединский'))
    """
    if isinstance(value, dict):
        return tuple(sorted((read_language(k), str(v)) for k, v in value.items()))
    if isinstance(value, tuple):  # as `Kind.read` gives a map
        return value
    return ((language, str(value)),)


def display_name(names: tuple[tuple[str, str], ...]) -> str:
    """The name to show of (language, text) pairs: the English one, else the first.

    Examples
    --------
    >>> display_name((("en-GB", "Medinsky"), ("ru", "Мединский")))
    'Medinsky'
    """
    return min(names, key=lambda pair: name_order(pair[0], pair[1]))[1]


def name_order(language: str | None, text: str) -> tuple[bool, str]:
    """How names of one thing rank to be shown: English first (``en``, ``en-GB``; an
    untagged name counts as English), then by text.

    Examples
    --------
    >>> sorted([("ru", "Дворец Чыраган"), ("de", "Ciragan-Palast"), ("en", "Çırağan Palace")],
    ...        key=lambda n: name_order(*n))[0]
    ('en', 'Çırağan Palace')
    """
    primary = (language or "en").split("-")[0].lower()
    return (primary != "en", text)


def unknown_key_message(key: str, allowed) -> str:
    """The message for a key that is not allowed where it stands, with the closest allowed
    key (RapidFuzz) or the list of them.

    Examples
    --------
    >>> unknown_key_message("ledBy", ["headedBy", "hasMember"])
    "unknown key 'ledBy'; did you mean 'headedBy'?"
    """
    near = process.extractOne(key, sorted(allowed), scorer=fuzz.ratio, score_cutoff=60)
    hint = f"did you mean {near[0]!r}?" if near else f"allowed: {', '.join(sorted(allowed))}"
    return f"unknown key {key!r}; {hint}"


# --- the kinds ---------------------------------------------------------------------------------


def _iri_object(subject, predicate, value, values, context) -> list:
    return [(subject, predicate, value)]


def _entity_rdf(subject, predicate, value, values, context) -> list:
    return [(subject, predicate, _ENTITY + value)]


#: The ranges of a point's coordinates, in degrees (WGS84).
_LATITUDE, _LONGITUDE = (-90, 90), (-180, 180)


def _point_read(key, value, where, values):
    return (float(value["lat"]), float(value["lon"]), value["source"])


def _point_invalid(key, value, values) -> str:
    example = "{lat: 41.0136, lon: 28.955, source: https://en.wikipedia.org/wiki/Istanbul}"
    if isinstance(value, dict):
        extra = [k for k in value if k not in ("lat", "lon", "source")]
        if extra:
            return unknown_key_message(extra[0], {"lat", "lon", "source"})
        for part, name, (low, high) in (
            ("lat", "latitude", _LATITUDE),
            ("lon", "longitude", _LONGITUDE),
        ):
            number = value.get(part)
            if isinstance(number, (int, float)) and not isinstance(number, bool):
                if not low <= number <= high:
                    return (
                        f"{name} {number} is out of range: it runs from {low} to {high} "
                        "degrees (WGS84)"
                    )
            elif part in value:
                return f"the {name} is a number of degrees, not {number!r}"
        if "source" in value and not (
            isinstance(value["source"], str) and re.match(_IRI_PATTERN, value["source"])
        ):
            return "the source of a point is an http(s) IRI, such as the Wikipedia page it is from"
    return f"'{key}' takes a point with its source, e.g. {example}"


def _point_rdf(subject, predicate, value, values, context) -> list:
    lat, lon, source = value
    point = f"{subject}.point"  # no id holds a dot: the point of one place only
    wkt = f"POINT({_degrees(lon)} {_degrees(lat)})"  # GeoSPARQL's WKT: longitude first
    return [
        (subject, predicate, point),
        (point, RDF.type, GEO.Geometry),
        (point, GEO.asWKT, Lit(wkt, GEO.wktLiteral)),
        (point, DCTERMS.source, source),
    ]


def _degrees(number: float) -> str:
    """Degrees as WKT writes them: no exponent, no trailing zeros."""
    text = f"{number:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _participation_read(key, value, where, values):
    if isinstance(value, dict):
        return (read_id(key, value["agent"], where), value.get("role", "participant"))
    return (read_id(key, value, where), "participant")


def _participation_invalid(key, value, values) -> str:
    if not isinstance(value, dict):
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return id_message(key, value)
        return f"'{key}' takes an id or {{agent: ID, role: ROLE}}"
    extra = [k for k in value if k not in ("agent", "role")]
    if extra:
        return unknown_key_message(extra[0], {"agent", "role"})
    if "agent" not in value:
        return f"missing required field 'agent' in '{key}'"
    role = value.get("role", "participant")
    if role not in values:
        return f"unknown role {role!r}; use one of: {', '.join(values)}"
    return id_message(key, value["agent"])


def _participation_rdf(subject, predicate, value, values, context) -> list:
    agent, role = value
    node = f"{_PARTICIPATION}{subject[len(_ENTITY) :]}.{agent}.{role}"
    return [
        (subject, predicate, _ENTITY + agent),
        (node, RDF.type, DIP.Participation),
        (node, DIP.inEvent, subject),
        (node, DIP.agent, _ENTITY + agent),
        (node, DIP.role, DIP.NS + values[role]),
    ]


def _date_schema(values) -> dict:
    # a weekday in any case: "[Tt][Hh][Uu]..."
    weekday = "^(?:" + "|".join("".join(f"[{c.upper()}{c}]" for c in day) for day in WEEKDAYS)
    return {
        "anyOf": [
            {"type": "string", "pattern": _DATE},
            {
                "type": "object",
                "properties": {"weekday": {"type": "string", "pattern": weekday + ")$"}},
                "required": ["weekday"],
                "additionalProperties": False,
            },
            {
                "type": "object",
                "properties": {"sameDayAs": ID_SCHEMA},
                "required": ["sameDayAs"],
                "additionalProperties": False,
            },
        ]
    }


def _date_read(key, value, where, values):
    if isinstance(value, dict):
        if "weekday" in value:
            return ("weekday", str(value["weekday"]).lower())
        return ("sameDayAs", read_id(key, value["sameDayAs"], where))
    return parse_date(value, where)


def _date_invalid(key, value, values) -> str:
    if not isinstance(value, dict):
        return f"invalid date {str(value)!r}: write it as YYYY-MM-DD, e.g. 2025-05-15"
    extra = [k for k in value if k not in ("weekday", "sameDayAs")]
    if extra:
        return unknown_key_message(extra[0], {"weekday", "sameDayAs"})
    if len(value) != 1:
        return "a relative date takes one of 'weekday' or 'sameDayAs'"
    if "weekday" in value:
        return (
            f"invalid date: unknown weekday {value['weekday']!r}; write e.g. {{weekday: Thursday}}"
        )
    return id_message(key, value["sameDayAs"])


def _date_rdf(subject, predicate, value, values, context) -> list:
    day, how = context.date_of(value)
    if how:
        context.derivations.append(how)
    return [(subject, predicate, Lit(day.isoformat(), XSD.date))]


def _year_read(key, value, where, values):
    # the schema takes an integer or four digits; JSON's integers include 2022.0, and the
    # digits 0000: neither is a year
    year = int(value) if isinstance(value, (int, str)) and not isinstance(value, bool) else 0
    if not 1 <= year <= 9999:
        raise InputError(f"invalid year {value!r}: write four digits, e.g. 2022", where)
    return year


def _count_read(key, value, where, values):
    if not isinstance(value, int) or isinstance(value, bool):  # JSON's integers include 3.0
        raise InputError(f"'{key}' takes a whole number from 0, not {value!r}", where)
    return value


def _duration_rdf(subject, predicate, value, values, context) -> list:
    out = [(subject, predicate, Lit(value, XSD.dayTimeDuration))]
    if predicate == DIP.duration:  # its length in days, as a number to compare and sum
        out.append((subject, DIP.durationDays, Lit(duration_days(value), XSD.decimal)))
    return out


def _quote_read(key, value, where, values):
    if isinstance(value, dict):
        verb, translation = value.get("verb"), value.get("translation")
        if translation:
            return (value["text"], verb, translation)
        return (value["text"], verb) if verb else value["text"]
    return value


_QUOTE_KEYS = ("text", "verb", "translation")


def _quote_invalid(key, value, values) -> str:
    if isinstance(value, dict):
        extra = [k for k in value if k not in _QUOTE_KEYS]
        if extra:
            return unknown_key_message(extra[0], set(_QUOTE_KEYS))
        for part, example in (("verb", "declared"), ("translation", "the curator's English")):
            if part in value and not (isinstance(value[part], str) and value[part].strip()):
                if isinstance(value.get("text"), str) and value["text"].strip():
                    return f"the {part} of a quotation is a non-empty text, e.g. {example}"
        return (
            f"'{key}' takes the quoted words, or {{text: WORDS, verb: VERB, translation: ENGLISH}}"
        )
    return f"'{key}' takes a non-empty text"


def _quote_rdf(subject, predicate, value, values, context) -> list:
    return [(subject, predicate, Lit(quotation(value)[0], lang=context.language))]


def _text_rdf(subject, predicate, value, values, context) -> list:
    return [(subject, predicate, Lit(value, lang=context.language))]


def _names_rdf(subject, predicate, value, values, context) -> list:
    return [
        (subject, predicate, Lit(t, lang=lang)) for lang, t in names_in(value, context.language)
    ]


def _names_invalid(key, value, values) -> str:
    if isinstance(value, dict):
        if not value:
            return f"'{key}' takes a name, or a map of names by language, e.g. {{en: ..., ru: ...}}"
        for lang, name in value.items():
            if not re.match(LANGUAGE_PATTERN, str(lang)):
                return f"'{key}': {lang!r} is not a language tag; write one such as en, ru or uk"
            if not (isinstance(name, str) and name.strip()):
                return f"'{key}': the name in {lang!r} is a non-empty text"
    return f"'{key}' takes a name, or a map of names by language, e.g. {{en: ..., ru: ...}}"


def _names_read(key, value, where, values):
    if isinstance(value, dict):  # as (language, text) pairs, the tags in standard form
        pairs = tuple(sorted((read_language(k, where), str(v)) for k, v in value.items()))
        tags = [tag for tag, _ in pairs]
        twice = sorted({tag for tag in tags if tags.count(tag) > 1})
        if twice:
            raise InputError(
                f"'{key}' names {twice[0]} twice (as {', '.join(repr(k) for k in value)}); "
                "give each language one name",
                where,
            )
        return pairs
    return str(value)


def _text_invalid(key, value, values) -> str:
    return f"'{key}' takes a non-empty text"


#: Every kind of value, by the name the ontology's ``dip:valueKind`` gives.
KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "entity",
            "id",
            schema=lambda values: ID_SCHEMA,
            read=lambda key, value, where, values: read_id(key, value, where),
            invalid=lambda key, value, values: id_message(key, value),
            refers=lambda value: value,
            rdf=_entity_rdf,
        ),
        Kind(
            "date",
            "`YYYY-MM-DD`, `{{weekday: Thursday}}` or `{{sameDayAs: ID}}`",
            schema=_date_schema,
            read=_date_read,
            invalid=_date_invalid,
            refers=lambda value: (
                value[1] if isinstance(value, tuple) and value[0] == "sameDayAs" else None
            ),
            rdf=_date_rdf,
        ),
        Kind(
            "year",
            "`2022`",
            schema=lambda values: {
                "anyOf": [
                    {"type": "integer", "minimum": 1, "maximum": 9999},
                    {"type": "string", "pattern": r"^\d{4}$"},
                ]
            },
            read=_year_read,
            invalid=lambda key, value, values: (
                f"invalid year {value!r}: write four digits, e.g. 2022"
            ),
            rdf=lambda s, p, value, values, context: [(s, p, Lit(f"{value:04d}", XSD.gYear))],
        ),
        Kind(
            "duration",
            "`P30D`, `PT12H` (xsd:dayTimeDuration)",
            schema=lambda values: {
                "type": "string",
                "pattern": _DURATION,
                "not": {"enum": ["P", "PT"]},
            },
            read=lambda key, value, where, values: canonical_duration(value),
            invalid=lambda key, value, values: (
                f"invalid duration {str(value)!r}: write an "
                "xsd:dayTimeDuration such as P30D (30 days) or "
                "PT12H (12 hours)"
            ),
            rdf=_duration_rdf,
        ),
        Kind(
            "count",
            "a whole number from 0",
            schema=lambda values: {"type": "integer", "minimum": 0},
            read=_count_read,
            invalid=lambda key, value, values: (
                f"'{key}' takes a whole number from 0, not {value!r}"
            ),
            rdf=lambda s, p, value, values, context: [(s, p, Lit(str(value), XSD.NS + "integer"))],
        ),
        Kind(
            "string",
            "text",
            schema=lambda values: WORDS_SCHEMA,
            invalid=_text_invalid,
            rdf=_text_rdf,
        ),
        Kind(
            "name",
            "a name as the evidence writes it, or a map of names by language "
            "(`{{en: Medinsky, ru: Мединский}}`)",
            schema=lambda values: NAMES_SCHEMA,
            read=_names_read,
            invalid=_names_invalid,
            rdf=_names_rdf,
            stands_in="evidence",
        ),
        Kind(
            "quote",
            "words of the article, or `{{text: WORDS, verb: VERB, translation: ENGLISH}}`",
            schema=lambda values: {
                "anyOf": [
                    WORDS_SCHEMA,
                    {
                        "type": "object",
                        "properties": {
                            "text": WORDS_SCHEMA,
                            "verb": WORDS_SCHEMA,
                            "translation": WORDS_SCHEMA,
                        },
                        "required": ["text"],
                        "additionalProperties": False,
                    },
                ]
            },
            read=_quote_read,
            invalid=_quote_invalid,
            rdf=_quote_rdf,
            stands_in="article",
        ),
        Kind(
            "boolean",
            "`true` or `false`",
            schema=lambda values: {"type": "boolean"},
            invalid=lambda key, value, values: f"'{key}' takes true or false, not {value!r}",
            rdf=lambda s, p, value, values, context: [
                (s, p, Lit("true" if value else "false", XSD.NS + "boolean"))
            ],
        ),
        Kind(
            "enum",
            "{values}",
            schema=lambda values: {"enum": list(values)},
            invalid=lambda key, value, values: (
                f"invalid {key} {value!r}; use one of: {', '.join(values)}"
            ),
            rdf=lambda s, p, value, values, context: [(s, p, DIP.NS + values[value])],
        ),
        Kind(
            "iri",
            "an http(s) IRI, e.g. `http://www.wikidata.org/entity/Q159`",
            schema=lambda values: IRI_SCHEMA,
            invalid=lambda key, value, values: (
                f"'{key}' takes an http(s) IRI, e.g. http://www.wikidata.org/entity/Q159"
            ),
            rdf=_iri_object,
        ),
        Kind(
            "point",
            "`{{lat: 41.0136, lon: 28.955, source: IRI}}` (degrees, WGS84)",
            schema=lambda values: {
                "type": "object",
                "properties": {
                    "lat": {"type": "number", "minimum": _LATITUDE[0], "maximum": _LATITUDE[1]},
                    "lon": {"type": "number", "minimum": _LONGITUDE[0], "maximum": _LONGITUDE[1]},
                    "source": IRI_SCHEMA,
                },
                "required": ["lat", "lon", "source"],
                "additionalProperties": False,
            },
            read=_point_read,
            invalid=_point_invalid,
            rdf=_point_rdf,
        ),
        Kind(
            "participation",
            "id, or `{{agent: ID, role: ROLE}}`; ROLE: {values}",
            schema=lambda values: {
                "anyOf": [
                    {"type": "string", "pattern": ID_PATTERN.pattern},
                    {
                        "type": "object",
                        "properties": {"agent": ID_SCHEMA, "role": {"enum": list(values)}},
                        "required": ["agent"],
                        "additionalProperties": False,
                    },
                ]
            },
            read=_participation_read,
            invalid=_participation_invalid,
            refers=lambda value: value[0],
            rdf=_participation_rdf,
        ),
    )
}
