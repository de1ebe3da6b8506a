"""Editing an article's ``facts.yaml`` in place: add, replace or delete one entity or fact.

Only the lines of the item edited change; every other line (comments, order, layout,
quoting) stays byte for byte as the curator wrote it. ruamel.yaml tells where each item
starts and renders a new item in the file's layout; the file is replaced atomically, and the
edit is refused when the file changed on disk since it was read (the digest the edit was
made against is not the file's any more).
"""

from __future__ import annotations

__all__ = ["Item", "Document", "Edit", "Saved", "read_document", "render_item", "save_edit"]

import datetime as dt
import difflib
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString

from kg.build.yamlfile import LineList, LineMap, decode_utf8, parse_yaml
from kg.errors import ConflictError, InputError, Location
from kg.files import replace_file
from kg.limits import read_bounded

#: The lists of a facts.yaml that hold items, in the order of the file.
SECTIONS = ("entities", "facts")
#: Keys written first, and last, in a new item; the others keep the order they came in.
_FIRST = ("id", "about", "type", "label")
_LAST = ("reading", "note", "rank", "rankReason", "evidence")
#: A text longer than this is written folded (``>-``) over lines of at most `_WIDTH`.
_FOLD = 60
_WIDTH = 88


@dataclass(frozen=True)
class Item:
    """One entity or fact of a facts.yaml: its list, its index there, its lines (0-based,
    the end excluded) and its value as the build reads it."""

    section: str
    index: int
    start: int
    end: int
    value: Any

    @property
    def line(self) -> int:
        """The 1-based line where the item starts, as messages name it."""
        return self.start + 1


@dataclass
class Document:
    """A facts.yaml as read: its text, the SHA-256 of its bytes, and its items."""

    path: Path
    text: str
    digest: str
    items: list[Item] = field(default_factory=list)
    keys: dict[str, int] = field(default_factory=dict)  # top-level key: its 0-based line

    def section(self, name: str) -> list[Item]:
        """The items of one list, in order."""
        return [item for item in self.items if item.section == name]


@dataclass(frozen=True)
class Edit:
    """One change: `value` added to `section` (``index`` None), put in place of the item at
    `index`, or (``value`` None) the item at `index` deleted."""

    section: str
    index: int | None = None
    value: dict | None = None

    def __post_init__(self):
        if self.section not in SECTIONS:
            raise InputError(f"no list {self.section!r} in a facts.yaml: edit entities or facts")
        if self.index is None and self.value is None:
            raise InputError("an edit adds a value, replaces an item or deletes one: give which")


@dataclass(frozen=True)
class Saved:
    """What `save_edit` wrote: the new document, and the edited item (None once deleted)."""

    document: Document
    item: Item | None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_document(path: str | Path) -> Document:
    """Read a facts.yaml with the lines of its items.

    Examples
    --------
    >>> doc = read_document("data/articles/2025-06-02-istanbul-exchange/facts.yaml")
    >>> first = doc.section("facts")[0]
    >>> first.line, first.value["about"]
    (117, 'ciragan-palace')
    """
    path = Path(path)
    data = read_bounded(path, "yaml")
    return _parse(path, decode_utf8(data, str(path)), _digest(data))


def _parse(path: Path, text: str, digest: str) -> Document:
    """The items of a facts.yaml, read as the build reads it (`parse_yaml`)."""
    tree = parse_yaml(text, str(path))
    doc = Document(path, text, digest)
    if not isinstance(tree, LineMap):
        raise InputError(
            "not a facts.yaml: expected a mapping of article, entities and facts; correct "
            "the file, then reload",
            Location(str(path), 1),
        )
    lines = text.splitlines(keepends=True)
    doc.keys = {key: line - 1 for key, line in tree.key_lines.items()}
    for name in SECTIONS:
        seq = tree.get(name)
        if not isinstance(seq, LineList) or not seq:
            continue
        starts = [line - 1 for line in seq.item_lines]
        after = [line for line in doc.keys.values() if line > starts[-1]]
        bounds = starts[1:] + [min(after, default=len(lines))]
        for index, (start, bound) in enumerate(zip(starts, bounds)):
            first = lines[start]
            column = len(first) - len(first.lstrip(" -"))  # where the item's keys stand
            end = bound
            while end > start + 1 and _trailing(lines[end - 1], column):
                end -= 1
            doc.items.append(Item(name, index, start, end, _plain(seq[index])))
    return doc


def _trailing(line: str, column: int) -> bool:
    """Whether `line`, after an item, is blank or a comment (of the next item, or of none):
    a comment indented no deeper than the item's keys (deeper, it may be block text)."""
    stripped = line.strip()
    return not stripped or (stripped.startswith("#") and len(line) - len(line.lstrip()) <= column)


def _plain(node: Any) -> Any:
    """A value as plain dicts and lists."""
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def render_item(value: dict, indent: int = 2) -> str:
    """One entity or fact as YAML lines of a list item, in the layout of the shipped files:
    a mapping per item, ids and roles in flow style, long texts folded (``>-``); its dash
    stands at column `indent` (that of the list's other items).

    Examples
    --------
    >>> print(render_item({"evidence": "Medinsky said so", "about": "x",
    ...                    "participant": [{"agent": "fidan", "role": "host"}]}), end="")
      - about: x
        participant:
          - {agent: fidan, role: host}
        evidence: Medinsky said so
    """
    if not isinstance(value, dict) or not value:
        raise InputError("an entity or a fact is a mapping of keys to values")
    order = [k for k in _FIRST if k in value]
    order += [k for k in value if k not in _FIRST and k not in _LAST]
    order += [k for k in _LAST if k in value]
    item = CommentedMap()
    for key in order:
        item[key] = _node(value[key], key)
    out = io.StringIO()
    writer = YAML(typ="rt")
    writer.version = (1, 1)  # quote what PyYAML (YAML 1.1) would read as other than text
    writer.width = 4096
    writer.indent(mapping=2, sequence=4, offset=2)
    writer.dump(CommentedSeq([item]), out)
    body = out.getvalue().split("---\n", 1)[1]
    text = "".join(
        (" " * (indent - 2) + line if indent >= 2 else line[2 - indent :]) if line.strip() else line
        for line in body.splitlines(keepends=True)
    )
    # what the build will read is what was meant
    if _plain(parse_yaml(body, "item")) != [_comparable(value)]:
        raise InputError(f"cannot write this value as YAML that reads back the same: {value!r}")
    return text


def _comparable(value: Any) -> Any:
    """`value` as `parse_yaml` reads it back: a date as its text."""
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _date(text: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _node(value: Any, key: str = "", depth: int = 0) -> Any:
    if isinstance(value, dict):
        node = CommentedMap((k, _node(v, k, depth + 1)) for k, v in value.items())
        if depth or all(not isinstance(v, (dict, list)) for v in value.values()):
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        seq = CommentedSeq(_node(v, key, depth + 1) for v in value)
        if all(isinstance(v, str) and len(v) < 40 and " " not in v for v in value):
            seq.fa.set_flow_style()  # ids: [russia, ukraine]
        return seq
    if isinstance(value, str):
        if _date(value):
            return dt.date.fromisoformat(value)
        if _UNPRINTABLE.search(value):  # escaped in double quotes: "\N", "\x07"
            return DoubleQuotedScalarString(value)
        if (
            len(value) > _FOLD
            and "\n" not in value
            and "  " not in value
            and value == value.strip()
        ):
            return _folded(value)
        return value
    if value is None or isinstance(value, (bool, int, float, dt.date)):
        return value
    raise InputError(f"{key}: a value is text, a number, true or false, a list or a mapping")


#: What YAML reads as a line break besides "\n" (NEL, LS, PS), a byte order mark, and what it
#: does not allow unescaped (YAML 1.1's printable characters are the rest).
_UNPRINTABLE = re.compile(
    "[\x85\u2028\u2029\ufeff]|[^\x09\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _folded(text: str) -> FoldedScalarString:
    """`text` as a folded scalar, broken at spaces into lines of at most `_WIDTH - 6`."""
    folded = FoldedScalarString(text)
    width, at, line_start, positions = _WIDTH - 6, 0, 0, []
    for word in text.split(" "):
        if at > line_start and at + len(word) - line_start > width:
            positions.append(at - 1)
            line_start = at
        at += len(word) + 1
    folded.fold_pos = positions
    return folded


def _apply(doc: Document, edit: Edit) -> tuple[str, int | None]:
    """The text with `edit` made, and the 0-based line where the edited item now starts."""
    lines = doc.text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    items = doc.section(edit.section)
    if edit.index is not None:
        if not 0 <= edit.index < len(items):
            raise InputError(
                f"{doc.path}: {edit.section} has {len(items)} item(s), no item {edit.index + 1}; "
                "reload the page"
            )
        item = items[edit.index]
        new = [] if edit.value is None else [render_item(edit.value, _dash(lines, item))]
        return "".join(lines[: item.start] + new + lines[item.end :]), (
            None if edit.value is None else item.start
        )
    assert edit.value is not None
    new_item = render_item(edit.value, _dash(lines, items[0]) if items else 2)
    if items:
        at = _after(items, edit.value) if edit.section == "facts" else items[-1].end
        return "".join(lines[:at] + [new_item] + lines[at:]), at
    if edit.section in doc.keys:  # "facts: []", "facts:" or "facts: null": a block list now
        at = doc.keys[edit.section]
        key_line = f"{edit.section}:\n"
        return "".join(lines[:at] + [key_line, new_item] + lines[at + 1 :]), at + 1
    tail = [] if not lines or lines[-1].strip() == "" else ["\n"]
    return "".join(lines + tail + [f"{edit.section}:\n", new_item]), len(lines) + len(tail) + 1


def _dash(lines: list[str], item: Item) -> int:
    """The column of the dash that opens `item` (lists are indented or not under their key)."""
    return len(lines[item.start]) - len(lines[item.start].lstrip(" "))


def _after(facts: list[Item], value: dict) -> int:
    """Where a new fact goes: after the last fact about the same subject, or at the end."""
    about = value.get("about")
    same = [
        item for item in facts if isinstance(item.value, dict) and item.value.get("about") == about
    ]
    return (same or facts)[-1].end


def save_edit(
    path: str | Path, edit: Edit, digest: str, readable: Callable[[bytes], object] | None = None
) -> Saved:
    """Make `edit` in the facts.yaml at `path`, which must still be the file whose bytes
    have SHA-256 `digest` (the one the edit was made against); write it atomically.
    `readable`, if given, is called with the new file's bytes before they are written, and
    raises when they are not to be written.

    Raises
    ------
    ConflictError
        The file changed since: nothing is written; the error holds the file as it is now.
    KGError
        What `readable` raised: nothing is written.

    Examples
    --------
    >>> import shutil, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "facts.yaml"
    >>> _ = shutil.copy("data/articles/2025-06-02-istanbul-exchange/facts.yaml", path)
    >>> doc = read_document(path)
    >>> saved = save_edit(path, Edit("facts", value={"about": "kyiv", "altLabel": "Kyiv",
    ...                                              "evidence": "Kyiv"}), doc.digest)
    >>> saved.item.line, saved.document.text.count("\\n") - doc.text.count("\\n")
    (162, 3)
    """
    path = Path(path)
    data = read_bounded(path, "yaml")
    if _digest(data) != digest:
        raise ConflictError(path, decode_utf8(data, str(path)), _digest(data))
    doc = _parse(path, decode_utf8(data, str(path)), digest)
    text, at = _apply(doc, edit)
    encoded = text.encode("utf-8")
    new = _parse(path, text, _digest(encoded))  # a file that is still YAML, or nothing
    if readable is not None:
        readable(encoded)
    replace_file(path, encoded)
    item = next((i for i in new.items if i.section == edit.section and i.start == at), None)
    return Saved(new, item)


def diff(before: str, after: str, path: str = "facts.yaml") -> str:
    """The unified diff of two texts of a file (what changed on disk since a page loaded).

    Examples
    --------
    >>> print(diff("a\\nb\\n", "a\\nc\\n"), end="")
    --- facts.yaml (when the page loaded)
    +++ facts.yaml (on disk now)
    @@ -1,2 +1,2 @@
     a
    -b
    +c
    """
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            f"{path} (when the page loaded)",
            f"{path} (on disk now)",
        )
    )
