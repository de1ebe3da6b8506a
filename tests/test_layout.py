"""The layout of the package: terms that exist, wings that import only from beneath them,
imports at the top, no private names borrowed, and the generated terms current."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.vocab.generate import TERMS_PATH, terms_module
from kg.vocab.ontology import ontology_triples
from kg.vocab.terms import DIP

from .conftest import ROOT

PACKAGE = ROOT / "kg"
SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if "node_modules" not in p.parts)
DECLARED = {name for name in vars(DIP) if not name.startswith("_") and name != "NS"}


def test_the_generated_terms_are_the_ontologys():
    """kg/vocab/terms.py is what `python -m kg.vocab.generate` writes from the ontology now;
    after an edit of the ontology, run it."""
    assert TERMS_PATH.read_text(encoding="utf-8") == terms_module()


def test_every_term_the_ontology_types_is_a_name_of_DIP():
    typed = {t.subject.value[len(DIP.NS):] for t in ontology_triples()
             if t.subject.value.startswith(DIP.NS) and t.predicate.value.endswith("#type")}
    assert typed - {""} == DECLARED


def _named_terms(text: str) -> set[str]:
    """The dip: terms a text names: DIP.x in Python, dip:x in SPARQL and Turtle, and the
    ontology's IRI followed by a name."""
    found = set(re.findall(r"\bDIP\.([A-Za-z_]\w*)", text))
    found |= set(re.findall(r"(?<![\w/#])dip:([A-Za-z_]\w*)", text))
    found |= set(re.findall(r"diplomacy-kg/ontology#([A-Za-z_]\w*)", text))
    return found - {"NS"}


@pytest.mark.parametrize("path", SOURCES + sorted((ROOT / "queries").glob("*.rq")),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_every_term_the_code_names_is_declared(path):
    """A misspelt term would be a new IRI that no shape or reader knows: each one the code,
    its SPARQL and the competency queries name must be declared by the ontology."""
    unknown = _named_terms(path.read_text(encoding="utf-8")) - DECLARED
    assert not unknown, f"{path}: not terms of the ontology: {sorted(unknown)}"


def test_a_misspelt_term_is_caught():
    assert _named_terms("SELECT ?x WHERE { ?x dip:hedBy ?y }") - DECLARED == {"hedBy"}
    with pytest.raises(AttributeError):
        DIP.hedBy  # noqa: B018 - the attribute access is what fails


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    for node in tree.body:  # what only a type checker imports is at the top too
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            top |= {id(inner) for inner in node.body}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, id(node) in top


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_private_name_is_imported_from_another_module(path):
    for node, _ in _imports(path):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kg"):
            private = [a.name for a in node.names
                       if a.name.startswith("_") and not a.name.endswith("__")]
            assert not private, f"{path}:{node.lineno}: imports {private} from {node.module}"


#: The modules that defer imports for start-up time: the command line imports each
#: command's wing when the command runs, and ``import kg`` stays light.
DEFERRING = {PACKAGE / "cli.py", PACKAGE / "__init__.py"}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_are_at_the_top_unless_deferred_with_a_reason(path):
    """An import inside a function is deferred for start-up time, and says so in a comment
    on its line or the line before."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for node, at_top in _imports(path):
        if at_top or path in DEFERRING:
            continue
        said = lines[node.lineno - 1] + (lines[node.lineno - 2] if node.lineno > 1 else "")
        assert "#" in said, f"{path}:{node.lineno}: an import inside a function, without a comment"
