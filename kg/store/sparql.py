"""The one place where SPARQL is guarded: every query from a user, through ``kg query``,
``kg serve`` or a page, runs through `execute`.

SERVICE is refused before Oxigraph sees the query (Oxigraph would call the URL), ``FROM``
only names graphs of the store (Oxigraph never dereferences it), updates are refused
(readers open the store read-only), and the result is capped to a number of rows;
`run_with_time_limit` bounds its time.
"""

from __future__ import annotations

__all__ = [
    "Answer",
    "QueryRefused",
    "QueryTimeout",
    "check_query",
    "query_kind",
    "execute",
    "run_with_time_limit",
    "on_deep_stack",
    "deep_stack_thread",
]

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, cast

import pyoxigraph as ox

from kg.errors import InputError, KGError
from kg.limits import check_size
from kg.store.graphs import GraphStore
from kg.vocab.namespaces import PREFIX_IRIS


class QueryRefused(InputError):
    """The query asks for something kg does not do: SERVICE, or an update (exit 5)."""

    exit_code = 5


class QueryTimeout(KGError):
    """The query ran past its time limit and was stopped (exit 6)."""

    exit_code = 6


#: The tokens of a SPARQL query that can hide a keyword: comments, strings, IRIs, variables,
#: prefixed names, blank node labels and language tags. What is left are keywords and
#: punctuation.
_TOKENS = re.compile(
    r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7]+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<name>(?:[^\W\d_][\w.\-\u00b7]*)?:(?:[\w:%\\\u00b7](?:[\w:%\\\-\u00b7]|\.(?=[\w:%\\\-]))*)?
             |_:[\w.\-]+)
  | (?P<word>[^\W\d][\w]*)
""",
    re.VERBOSE | re.DOTALL,
)


#: How deep a query's brackets may nest, how many operators it may chain (OPTIONAL, UNION,
#: MINUS, and the operators of expressions and paths: ``||``, ``+``, ``!``, ``/``, ``|`` ...)
#: and how many triple patterns it may join (``.``, ``;``, ``,``): Oxigraph's parser, planner
#: and evaluator recurse on each and would run out of stack (a crash, not an error) some
#: thousands deep; real queries stay far below. The query also runs on a thread with a
#: stack of `QUERY_STACK` bytes (reserved, used only as deep as the query goes), so that
#: what passes these limits is many times short of the stack's end.
MAX_NESTING, MAX_OPERATORS, MAX_PATTERNS = 256, 2000, 2000
QUERY_STACK = 64 * 1024 * 1024
#: What an IRI of a real query hardly holds, and what a comparison written without spaces
#: ("0<!!!1&&2>0") does: such a "<...>" is read as code, not as an IRI.
_NOT_AN_IRI = re.compile(r"[!()\[\]&+*,;]|--")
_BEFORE_ALL = ("SELECT", "DISTINCT", "REDUCED", "DESCRIBE")
_OPEN, _BRACKETS = "({[", re.compile(r"[(){}\[\]]")
#: In what lies between tokens: an operator of an expression or path, or a separator of
#: triple patterns (a dot not inside a number such as 1.5)
_PUNCTUATION = re.compile(
    r"(?P<datatype>\^\^)|(?P<all>(?<=\()\s*\*)"
    r"|(?P<operator>\|\||&&|[!<>]=|[-+*/|^!=<>])|(?P<separator>[;,]|\.(?!\d))"
)


def check_query(text: str, origin: str | None = None) -> str:
    """Refuse what a query must not do here, before any engine sees it; return the text.

    SERVICE would make Oxigraph call the URL it names, so a query with the SERVICE
    keyword (outside strings, IRIs, names and comments) is refused.

    A SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, ...) is refused too: readers open
    the store read-only. So is a query nested deeper than `MAX_NESTING` brackets, chaining
    more than `MAX_OPERATORS` operators or joining more than `MAX_PATTERNS` triple patterns.

    Raises
    ------
    QueryRefused
        For SERVICE, or an update.
    InputError
        For a query past the size limit (`kg.limits.LIMITS`), or nested too deep.

    Examples
    --------
    >>> check_query("SELECT * WHERE { ?s <urn:service> 'SERVICE' } # SERVICE")[:6]
    'SELECT'
    >>> check_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    kg.store.sparql.QueryRefused: the query calls SERVICE (line 1): kg answers from its own store only and never calls another endpoint; remove the SERVICE clause
    """
    check_size(len(text.encode("utf-8", "surrogatepass")), "query", origin or "the query")
    first = query_kind(text, _UPDATES)
    if first in _UPDATES:
        where = f"{origin}: " if origin else ""
        raise QueryRefused(
            f"{where}this is a SPARQL Update ({first}), and kg never changes "
            "the store: it answers queries (SELECT, ASK, CONSTRUCT, DESCRIBE) "
            "only; rebuild with kg build to change the graph"
        )
    _check_shape(text, origin)
    for match in _TOKENS.finditer(text):
        if match.lastgroup == "word" and match.group().upper() == "SERVICE":
            line = text.count("\n", 0, match.start()) + 1
            where = f"{origin}: " if origin else ""
            raise QueryRefused(
                f"{where}the query calls SERVICE (line {line}): kg answers "
                "from its own store only and never calls another endpoint; "
                "remove the SERVICE clause"
            )
    return text


def _check_shape(text: str, origin: str | None) -> None:
    """Refuse brackets nested deeper than `MAX_NESTING`, more than `MAX_OPERATORS` operators
    (OPTIONAL, UNION, MINUS and those of expressions and paths) or more than `MAX_PATTERNS`
    triple-pattern separators, all counted outside strings, IRIs, names and comments.

    Examples
    --------
    >>> _check_shape("SELECT * WHERE { ?s ?p '((((' FILTER(?p != 1.5 + 2) }", None)
    >>> _check_shape("SELECT (COUNT(*) AS ?n) { ?s ?p 'a'@en-GB, '1'^^xsd:int }" * 700, None)
    >>> _check_shape("SELECT * WHERE { FILTER(" + "(" * 300 + "1" + ")" * 300 + ") }", "q.rq")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: q.rq: the query nests brackets 302 deep (line 1); kg takes at most 256: write it flatter
    >>> _check_shape("ASK { FILTER(" + " || ".join(["true"] * 2500) + ") }", None)
    Traceback (most recent call last):
    ...
    kg.errors.InputError: the query chains 2499 operators (OPTIONAL, UNION, MINUS, ||, &&, +, -, *, /, |, ^, !, comparisons); kg takes at most 2000: split it into several queries
    """
    depth = deepest = operators = patterns = 0
    at, pos, selects = 0, 0, False
    for match in (*_TOKENS.finditer(text), None):
        end = match.start() if match else len(text)
        for bracket in _BRACKETS.finditer(text, pos, end):
            if bracket.group() in _OPEN:
                depth += 1
                if depth > deepest:
                    deepest, at = depth, bracket.start()
            else:
                depth -= 1
        for mark in _PUNCTUATION.finditer(text, pos, end):
            if mark.lastgroup == "separator":
                patterns += 1
            elif mark.lastgroup == "operator" and not (mark.group() == "*" and selects):
                operators += 1  # not the * of SELECT *, COUNT(*), nor ^^ before a datatype
        if match is None:
            break
        pos = match.end()
        if match.lastgroup == "iri" and _NOT_AN_IRI.search(
            match.group(), 1, len(match.group()) - 1
        ):
            pos = match.start() + 1  # "0<!!1>0" compares: read what follows the < as code
        selects = match.lastgroup == "word" and match.group().upper() in _BEFORE_ALL
        if match.lastgroup == "word" and match.group().upper() in ("OPTIONAL", "UNION", "MINUS"):
            operators += 1
    where = f"{origin}: " if origin else ""
    if deepest > MAX_NESTING:
        line = text.count("\n", 0, at) + 1
        raise InputError(
            f"{where}the query nests brackets {deepest} deep (line {line}); kg takes at most "
            f"{MAX_NESTING}: write it flatter"
        )
    if operators > MAX_OPERATORS:
        raise InputError(
            f"{where}the query chains {operators} operators (OPTIONAL, UNION, MINUS, ||, &&, "
            f"+, -, *, /, |, ^, !, comparisons); kg takes at most {MAX_OPERATORS}: split it "
            "into several queries"
        )
    if patterns > MAX_PATTERNS:
        raise InputError(
            f"{where}the query joins {patterns} triple patterns or arguments (counting . ; ,); "
            f"kg takes at most {MAX_PATTERNS}: split it into several queries, or put long "
            "lists of values in VALUES"
        )


@dataclass
class Answer:
    """The answer to a query: ``kind`` is SELECT, ASK, CONSTRUCT or DESCRIBE.

    SELECT gives ``variables`` and ``rows`` (tuples of pyoxigraph terms, None where
    unbound); ASK gives ``boolean``; CONSTRUCT and DESCRIBE give ``triples``.
    ``truncated`` tells that the row cap cut the answer short. A SELECT answer asked for
    as ``tsv`` has its rows in ``tsv`` instead, as Oxigraph writes SPARQL TSV (a line of
    variables, then a line a row), not as Python terms.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    triples: list = field(default_factory=list)
    truncated: bool = False
    tsv: bytes | None = None


def execute(
    store: GraphStore | ox.Store,
    text: str,
    *,
    origin: str | None = None,
    max_rows: int | None = None,
    base_iri: str | None = None,
    inferred: bool = True,
    tsv: bool = False,
) -> Answer:
    """Run a checked query over the default graph (the union of the named graphs).

    Our prefixes (``dip:``, ``kgr:``, ``oa:``, ``prov:`` ...) need no PREFIX lines (a
    query's own PREFIX lines take precedence); relative IRIs resolve against `base_iri`.
    The default graph holds what the sources state (the store's default graph), the
    ontology and the inferred triples; with `inferred` False it holds what the sources
    state and nothing else. ``GRAPH ?g`` ranges over the named graphs: each curated fact's,
    each article's, the reference entities', the ontology, the shapes, the inferred
    triples. A query with ``FROM`` or ``FROM NAMED`` chooses its own graphs.

    With `tsv`, a SELECT answer's rows stay in Oxigraph: written as SPARQL TSV up to the
    row cap (``Answer.tsv``), which `kg.read.query.serialize_result` turns into any
    result format without a Python object per term (what `kg serve` asks for).

    Raises
    ------
    QueryRefused
        See `check_query`.
    InputError
        If the query is not valid SPARQL, with the parser's line and column.

    Examples
    --------
    >>> from kg.source import open_store
    >>> answer = execute(open_store("data"),
    ...     "SELECT ?name WHERE { kgr:russian-delegation dip:headedBy/rdfs:label ?name }")
    >>> answer.kind, [row[0].value for row in answer.rows]
    ('SELECT', ['Vladimir Medinsky'])
    """
    check_query(text, origin)
    return on_deep_stack(lambda: _evaluate(store, text, origin, max_rows, base_iri, inferred, tsv))


def _evaluate(store, text, origin, max_rows, base_iri, inferred, tsv=False) -> Answer:
    raw = store.store if isinstance(store, GraphStore) else store
    where = f"{origin}: " if origin else ""
    try:
        default = None
        if isinstance(store, GraphStore) and not _has_dataset(text):
            default = store.full_default(inferred)
        result = raw.query(text, prefixes=PREFIX_IRIS, base_iri=base_iri, default_graph=default)
    except SyntaxError as exc:
        raise InputError(_syntax_message(str(exc), origin)) from None
    except Exception as exc:  # Oxigraph reports evaluation errors with several types
        raise InputError(f"{where}the query failed: {exc}") from None
    try:
        if isinstance(result, ox.QueryBoolean):
            return Answer("ASK", boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            if tsv and names:
                written, truncated = _capped_tsv(result, max_rows)
                return Answer("SELECT", names, truncated=truncated, tsv=written)
            rows, truncated = _take((tuple(s[n] for n in names) for s in result), max_rows)
            return Answer("SELECT", names, rows, truncated=truncated)
        kind = "DESCRIBE" if query_kind(text) == "DESCRIBE" else "CONSTRUCT"
        triples, truncated = _take(iter(result), max_rows)
        return Answer(kind, triples=triples, truncated=truncated)
    except Exception as exc:  # an error met while the solutions are computed
        raise InputError(f"{where}the query failed: {exc}") from None


class _Enough(Exception):
    """Raised into Oxigraph's writer once the row cap is passed, to stop the query."""


class _Capped:
    """A binary writer that keeps what it is given and stops its writer (`_Enough`) once it
    holds more than `lines` lines."""

    def __init__(self, lines: float):
        self.parts: list[bytes] = []
        self.left = lines
        self.full = False

    def write(self, data) -> int:
        data = bytes(data)
        self.parts.append(data)
        self.left -= data.count(b"\n")
        if self.left < 0:
            self.full = True
            raise _Enough
        return len(data)

    def flush(self) -> None:
        pass


def _capped_tsv(result: ox.QuerySolutions, max_rows: int | None) -> tuple[bytes, bool]:
    """The solutions as SPARQL TSV, at most `max_rows` rows, and whether there were more.

    Examples
    --------
    >>> store = ox.Store()
    >>> rows = store.query("SELECT ?n WHERE { VALUES ?n { 1 2 3 } }")
    >>> _capped_tsv(rows, 2)
    (b'?n\\n1\\n2\\n', True)
    """
    limit = float("inf") if max_rows is None else max_rows
    writer = _Capped(1 + limit)  # the line of variables, then a line a row
    try:
        result.serialize(cast(IO[bytes], writer), ox.QueryResultsFormat.TSV)
    except Exception:
        if not writer.full:
            raise
    lines = b"".join(writer.parts).split(b"\n")[:-1]  # whole lines only
    kept = lines if max_rows is None else lines[: 1 + max_rows]
    return b"\n".join(kept) + b"\n", writer.full or len(lines) > len(kept)


def _syntax_message(error: str, origin: str | None) -> str:
    """Oxigraph's "error at LINE:COLUMN: ..." as "FILE:LINE:COLUMN: ..." (or "line L,
    column C: ..." for a query given on the command line)."""
    found = re.match(r"error at (\d+):(\d+): ?(.*)", error, re.DOTALL)
    if not found:
        where = f"{origin}: " if origin else ""
        return f"{where}the query is not valid SPARQL: {error}"
    line, column, detail = found.groups()
    where = f"{origin}:{line}:{column}: " if origin else f"line {line}, column {column}: "
    return f"{where}the query is not valid SPARQL: {detail}; fix the query there"


_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


def _has_dataset(text: str) -> bool:
    """Whether a query names its own graphs (FROM or FROM NAMED)."""
    return any(
        m.lastgroup == "word" and m.group().upper() == "FROM" for m in _TOKENS.finditer(text)
    )


def query_kind(text: str, also: tuple = ()) -> str:
    r"""SELECT, ASK, CONSTRUCT or DESCRIBE: the form of a query, read from its first keyword
    of those (or of `also`); an empty string if it has none.

    Examples
    --------
    >>> query_kind("PREFIX a: <urn:select> # SELECT\nconstruct where { ?s ?p ?o }")
    'CONSTRUCT'
    """
    for match in _TOKENS.finditer(text):
        word = match.group().upper() if match.lastgroup == "word" else ""
        if word in _FORMS or word in also:
            return word
    return ""


def _take(items: Iterable, limit: int | None) -> tuple[list, bool]:
    out: list = []
    for item in items:
        if limit is not None and len(out) >= limit:
            return out, True
        out.append(item)
    return out, False


def on_deep_stack(func: Callable):
    """Call `func` on a thread whose stack holds `QUERY_STACK` bytes, and return its value
    (or raise its exception): Oxigraph recurses as deep as a query nests, and a thread's
    usual stack (8 MiB) would end in a crash of the whole process, not an error. On a
    thread of `deep_stack_thread`, `func` runs where it is.

    Examples
    --------
    >>> on_deep_stack(lambda: 6 * 7)
    42
    """
    if getattr(_DEEP, "stack", False):
        return func()
    return _on_thread(func, None, QUERY_STACK)


def deep_stack_thread(target: Callable[[], object], name: str = "kg-query") -> threading.Thread:
    """Start a daemon thread that runs `target` on a stack of `QUERY_STACK` bytes; the
    queries it runs through `execute` stay on it. A server's threads that answer query
    after query are made so: a thread started for each query costs the query a wait for
    Python's lock when many run at once (a median three times Oxigraph's in
    ``benchmarks/corpus_scale.py``'s load).

    Examples
    --------
    >>> found = []
    >>> deep_stack_thread(lambda: found.append(on_deep_stack(threading.current_thread))).join()
    >>> found[0].name
    'kg-query'
    """

    def run() -> None:
        _DEEP.stack = True
        target()

    thread = threading.Thread(target=run, daemon=True, name=name)
    with _STACK_LOCK:
        previous = threading.stack_size(QUERY_STACK)
        try:
            thread.start()
        except RuntimeError:  # no room for such a stack: the usual one, a thread per query
            thread = threading.Thread(target=target, daemon=True, name=name)
            thread.start()
        finally:
            threading.stack_size(previous)
    return thread


_STACK_LOCK = threading.Lock()
#: Marks the threads of `deep_stack_thread`.
_DEEP = threading.local()


def _on_thread(func: Callable, timeout: float | None, stack: int = 0):
    """Call `func` on a thread (with a stack of `stack` bytes, else the usual); wait for it
    at most `timeout` seconds (None: until it ends), then return its value or raise its
    exception, or raise `QueryTimeout`. Where no such thread can start (a limit on the
    process's address space), `func` runs on this thread."""
    outcome: dict = {}

    def target():
        try:
            outcome["value"] = func()
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=target, daemon=True, name="kg-query")
    started = False
    with _STACK_LOCK:  # the size applies to the threads started while it is set
        previous = threading.stack_size(stack)
        try:
            worker.start()
            started = True
        except RuntimeError:  # "can't start new thread": no room for its stack
            pass
        finally:
            threading.stack_size(previous)
    if not started:
        return func()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryTimeout(
            f"the query took longer than the time limit of {timeout:g} s and "
            "was stopped; narrow it, or raise --timeout"
        )
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def run_with_time_limit(func: Callable, timeout: float | None):
    """Call `func` and return its value, or raise `QueryTimeout` after `timeout` seconds.

    Oxigraph evaluates without holding Python's lock, so the call runs in a thread while
    this one waits. A query that passes the limit is abandoned, not stopped: in a
    command-line process that then exits, that is the end of it; ``kg serve`` runs each
    query in a worker process that it kills instead.

    Examples
    --------
    >>> run_with_time_limit(lambda: 42, 5)
    42
    """
    if timeout is None:
        return func()
    if timeout <= 0:
        raise InputError(f"--timeout must be positive, not {timeout:g}")
    return _on_thread(func, timeout)
