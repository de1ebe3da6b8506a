"""The layout of a checkout of kg, in figures: modules and lines per wing, the largest module,
import cycles, imports inside functions, dip: terms spelled in Python outside the vocabulary,
and lines of HTML written in Python.

Usage: python benchmarks/layout.py [CHECKOUT ...]   (default: this checkout)

Run it on two checkouts (e.g. a worktree of an older commit) to compare them.
"""

from __future__ import annotations

import ast
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
#: An HTML tag in a Python string: a page or a fragment written by hand.
HTML = re.compile(r"</?(?:html|head|body|table|thead|tbody|tr|td|th|div|span|p|a|h[1-6]|pre|"
                  r"mark|script|style|select|option|textarea|form|button|label|small|code|br)"
                  r"[\s>/]", re.I)
#: A dip: term spelled in a string: a prefixed name, or the ontology's IRI with a name.
TERM = re.compile(r"(?<![\w/#])dip:([A-Za-z_]\w*)|diplomacy-kg/ontology#([A-Za-z_]\w*)")


def modules(checkout: Path) -> dict[str, Path]:
    out = {}
    for path in sorted((checkout / "kg").rglob("*.py")):
        if "node_modules" in path.parts:
            continue
        name = ".".join(path.relative_to(checkout).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


WINGS = ("vocab", "build", "store", "read", "curate", "web")


def wing(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in WINGS and (
        len(parts) > 2 or name in _PACKAGES) else "(top)"


_PACKAGES: set[str] = set()


def imports(name: str, path: Path, known: set[str]):
    """(imported module, inside a function) for each import of a kg module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    top = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        inner = id(node) not in top
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base
                       for a in node.names]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target, inner


def _docstrings(tree) -> set[int]:
    return {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef,
                                 ast.AsyncFunctionDef))
            and node.body and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)}


def literal_lines(path: Path) -> list[str]:
    """The lines of the string literals of a module (not its docstrings)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in docstrings:
            lines += node.value.splitlines()
    return lines


def spelled_terms(path: Path) -> tuple[Counter, Counter]:
    """The dip: terms a module spells as text (in its strings, or as a string added to the
    namespace: ``DIP["x"]``, ``_DIP + "x"``), and those it names as attributes of ``DIP``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    text, named = Counter(), Counter()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in docstrings:
            for a, b in TERM.findall(node.value):
                text[a or b] += 1
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id == "DIP" and node.attr != "NS":
            named[node.attr] += 1
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
                and node.value.id == "DIP" and isinstance(node.slice, ast.Constant):
            text[node.slice.value] += 1
        elif isinstance(node, ast.BinOp) and isinstance(node.left, ast.Name) \
                and node.left.id in ("_DIP", "dip") and isinstance(node.right, ast.Constant):
            text[node.right.value] += 1
    return text, named


def report(checkout: Path) -> None:
    found = modules(checkout)
    _PACKAGES.clear()
    _PACKAGES.update(n for n, p in found.items() if p.name == "__init__.py")
    known = set(found) | {"kg"}
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines())
             for name, path in found.items()}
    per_wing: dict[str, list[int]] = defaultdict(list)
    for name, size in sizes.items():
        per_wing[wing(name)].append(size)
    graph = nx.DiGraph()
    inner = top = 0
    for name, path in found.items():
        graph.add_node(name)
        for target, deferred in imports(name, path, known):
            if target == "kg":
                continue
            inner += deferred
            top += not deferred
            graph.add_edge(name, target)
    cycles = [c for c in nx.simple_cycles(graph) if len(c) > 1]
    text, named = Counter(), Counter()
    html = 0
    for name, path in found.items():
        if wing(name) != "vocab" and name != "kg.vocab":
            spelled, attributes = spelled_terms(path)
            text += spelled
            named += attributes
        html += sum(1 for line in literal_lines(path) if HTML.search(line))
    largest = max(sizes, key=sizes.get)
    print(f"{checkout}: {len(found)} modules, {sum(sizes.values())} lines")
    for name in sorted(per_wing):
        print(f"  {name:<8} {len(per_wing[name]):>3} modules {sum(per_wing[name]):>6} lines")
    print(f"  largest module: {largest} ({sizes[largest]} lines)")
    print(f"  imports of kg modules: {top} at the top, {inner} inside functions")
    print(f"  import cycles between modules: {len(cycles)}"
          + (f" (e.g. {' -> '.join(min(cycles, key=len))})" if cycles else ""))
    print(f"  dip: terms outside the vocabulary: spelled as text {len(text)} terms, "
          f"{sum(text.values())} uses; named as attributes of DIP {len(named)} terms, "
          f"{sum(named.values())} uses")
    print(f"  lines of HTML in Python strings: {html}")


if __name__ == "__main__":
    for arg in sys.argv[1:] or [str(ROOT)]:
        report(Path(arg).resolve())
