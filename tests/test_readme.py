"""The README's examples are real: every console example is run and its output compared."""

import re
import shlex
import shutil
import subprocess
import sys

import click
import pytest

from kg.cli import main
from kg.read.query import format_result, run_query
from kg.source import open_store
from kg.vocab.curation import PROPERTIES, TYPES

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    """The README's code blocks in `lang`, those indented in a list item too (dedented)."""
    found = re.findall(rf"^( *)```{lang}\n(.*?)^\1```", README, flags=re.S | re.M)
    return ["".join(line[len(indent):] if line.startswith(indent) else line
                    for line in body.splitlines(keepends=True)) for indent, body in found]


def _console_examples():
    examples = []
    for block in _blocks("console"):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            examples.append((command, output))
    return examples


def _normalise(text: str) -> str:
    return re.sub(r"\d+\.\d+ s$", "N s", text, flags=re.M)


def test_quick_start_is_two_single_line_commands_and_ci_runs_the_second():
    commands = [b.strip() for b in _blocks("sh")[:2]]
    assert all("\n" not in c for c in commands)
    assert commands[0].endswith("pip install -e . && npm ci --prefix kg/web && kg build")
    assert commands[1] == "bash tests/run.sh"
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.rstrip().endswith("bash tests/run.sh")
    script = (ROOT / "tests" / "run.sh").read_text()
    assert 'pip install --quiet -e ".[test]"' in script and 'python -m pytest "$@"' in script
    # a fresh venv of its own, and Chromium installed (or what to install said) first
    assert script.index("chromium") < script.index("python -m pytest")


@pytest.fixture(scope="module")
def built_out():
    subprocess.run([sys.executable, "-m", "kg", "build"], cwd=ROOT, check=True,
                   capture_output=True)


@pytest.mark.parametrize("command,output", _console_examples(), ids=lambda c: str(c)[:50])
def test_console_example(command, output, built_out):
    args = shlex.split(command)
    if args[:2] == ["kg", "build"]:  # the README shows a first build: start from no out/
        shutil.rmtree(ROOT / "out", ignore_errors=True)
    assert args[0] in ("kg", "python")
    runner = [sys.executable, "-m", "kg"] if args[0] == "kg" else [sys.executable]
    result = subprocess.run([*runner, *args[1:]], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert _normalise(result.stdout) == _normalise(output)


def test_kg_open_example_prints_what_the_readme_shows(built_out):
    code = _blocks("python")[0]
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    shown = README[README.index(code):].split("```text\n", 1)[1].split("```", 1)[0]
    assert result.stdout == shown


def test_python_api_example_runs(built_out):
    code = _blocks("python")[1]
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "1 Marco Rubio 0.036"
    assert "The Russian delegation was led by Vladimir Medinsky" in result.stdout


def test_sparql_example_gives_the_table_shown():
    query = _blocks("sparql")[0]
    shown = README[README.index(query):].split("```text\n", 1)[1].split("```", 1)[0]
    assert format_result(run_query(open_store(ROOT / "data"), query)) == shown


def test_error_example_is_what_kg_prints(tmp_path):
    shown = next(b for b in _blocks("text") if b.startswith("kg: error:"))
    data = tmp_path / "data"
    import shutil

    shutil.copytree(ROOT / "data", data)
    facts = data / "articles/2025-05-16-istanbul-talks/facts.yaml"
    facts.write_text(facts.read_text().replace("evidence: President Vladimir Putin\n",
                                                "evidence: President Vladimir V. Putin\n"))
    result = subprocess.run([sys.executable, "-m", "kg", "build", "data", "-o", "out"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr == shown
    # no output is written; only the build cache keeps what was built
    assert not [n for n in ("kg.ttl", "kg.trig", "store")
                if (tmp_path / "out" / n).exists()]


def test_violation_example_is_what_kg_validate_prints(tmp_path):
    shown = next(b for b in _blocks("text") if b.startswith("SHACL: 1 violation"))
    import shutil

    shutil.copytree(ROOT / "data", tmp_path / "data")
    facts = tmp_path / "data/articles/2025-05-16-istanbul-talks/facts.yaml"
    facts.write_text(facts.read_text().replace(
        "    headedBy: vladimir-medinsky\n    hasMember: vladimir-medinsky\n",
        "    headedBy: vladimir-medinsky\n"))
    result = subprocess.run([sys.executable, "-m", "kg", "validate", "data"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stdout == shown


def _commands(group, prefix=""):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


@pytest.mark.parametrize("name,command", list(_commands(main)), ids=lambda c: str(c))
def test_every_command_has_help_and_is_in_the_readme(name, command):
    assert command.help
    assert f"`kg {name}" in README


def test_every_curation_key_and_type_is_documented():
    table = README[README.index("Property keys"):]
    for key in PROPERTIES:
        assert f"`{key}`" in table, key
    for name in TYPES:
        assert name in README, name


def test_the_ontology_counts_are_the_ontologys():
    from rdflib import Graph
    from rdflib.namespace import OWL, RDF

    g = Graph().parse(ROOT / "ontology" / "diplomacy.ttl")
    classes = len(set(g.subjects(RDF.type, OWL.Class)))
    properties = len(set(g.subjects(RDF.type, OWL.ObjectProperty))
                     | set(g.subjects(RDF.type, OWL.DatatypeProperty)))
    annotations = len(set(g.subjects(RDF.type, OWL.AnnotationProperty)))
    assert (f"defines {classes} classes, {properties} properties, {annotations} annotation "
            "properties") in README
