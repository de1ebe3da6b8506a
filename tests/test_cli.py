"""The command line: exit codes, formats, and the readable validation report."""

import csv
import io
import json

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef

from kg.cli import main

from .conftest import ARTICLE


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("out")
    assert run("build", "data", "-o", str(folder)).exit_code == 0
    return str(folder)


@pytest.mark.parametrize("fmt,parser", [("turtle", "turtle"), ("nt", "nt"), ("trig", "trig"),
                                        ("nquads", "nquads"), ("jsonld", "json-ld")])
def test_export_formats_parse_back_to_the_same_triples(out, fmt, parser):
    result = CliRunner().invoke(main, ["export", "--format", fmt, "-g", out])
    assert result.exit_code == 0
    back = Dataset()
    back.parse(data=result.stdout_bytes, format=parser)
    shapes = URIRef("https://w3id.org/diplomacy-kg/graph/shapes")  # kg.ttl leaves them out
    assert len({q[:3] for q in back.quads() if q[3] != shapes}) == len(
        Graph().parse(f"{out}/kg.ttl"))


def test_export_to_file_and_graphml(out, tmp_path):
    target = tmp_path / "g.graphml"
    assert run("export", "--format", "graphml", "-g", out, "-o", str(target)).exit_code == 0
    import networkx as nx

    g = nx.read_graphml(target)
    assert g.nodes["vladimir-medinsky"]["label"] == "Vladimir Medinsky"


def test_query_formats(out):
    q = "SELECT ?name WHERE { kgr:ukrainian-delegation dip:headedBy/rdfs:label ?name }"
    table = run("query", "-e", q, "-g", out).output
    assert table.splitlines() == ["name", "-------------", "Rustem Umerov"]
    rows = list(csv.reader(io.StringIO(run("query", "-e", q, "-g", out, "--format", "csv").output)))
    assert rows == [["name"], ["Rustem Umerov"]]
    assert run("query", "-e", q, "-g", out, "--format", "tsv").output.splitlines() == [
        "?name", '"Rustem Umerov"@en']
    doc = json.loads(run("query", "-e", q, "-g", out, "--format", "json").output)
    assert doc["results"]["bindings"][0]["name"]["value"] == "Rustem Umerov"
    assert run("query", "-e", "ASK { kgr:russia ?p ?o }", "-g", out).output == "true\n"
    turtle = run("query", "-e", "CONSTRUCT { ?s dip:headedBy ?o } WHERE { ?s dip:headedBy ?o }",
                 "-g", out).output
    assert len(Graph().parse(data=turtle, format="turtle")) == 7  # 3 in May, 2 in June, 2 in July


def test_bad_query_file_is_named_with_line_and_column(out, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("# a question?\nSELECT ?x WHERE { ?x ?y }\n")
    result = CliRunner().invoke(main, ["query", str(bad), "-g", out])
    assert result.exit_code == 2
    # Oxigraph's parser names where it stopped: the end of the unfinished pattern
    assert f"{bad}:3:1: the query is not valid SPARQL: expected" in result.output


def test_bad_query_and_missing_graph_exit_2(out, tmp_path):
    result = CliRunner().invoke(main, ["query", "-e", "SELEC ?x", "-g", out])
    assert result.exit_code == 2 and "not valid SPARQL" in result.output
    result = CliRunner().invoke(main, ["query", "-e", "ASK {}", "-g", str(tmp_path / "none")])
    assert result.exit_code == 2 and "run 'kg build'" in result.output


def test_validate_exit_codes_and_report(data_copy):
    assert run("validate", "data").exit_code == 0
    facts = data_copy / f"articles/{ARTICLE}/facts.yaml"
    text = facts.read_text()
    facts.write_text(text.replace("    headedBy: vladimir-medinsky\n    hasMember: vladimir-medinsky\n",
                                  "    headedBy: vladimir-medinsky\n"))
    # the line of the headedBy key that states the value in question
    line = text[: text.index("  - about: russian-delegation\n    headedBy")].count("\n") + 2
    result = run("validate", str(data_copy))
    assert result.exit_code == 1
    assert "kgr:russian-delegation  dip:headedBy  [dsh:DelegationHeadIsMemberShape]" in result.output
    assert f"curated at {facts}:{line}" in result.output
    assert ('article: "The Russian delegation was led by Vladimir Medinsky, a senior adviser to '
            'President Vladimir Putin, while Ukraine was represented by Defense Minister Rustem '
            'Umerov."') in result.output
    report = run("validate", str(data_copy), "--format", "turtle")
    assert report.exit_code == 1
    graph = Graph().parse(data=report.output, format="turtle")
    assert "sh:ValidationReport" in report.output and len(graph) > 5


def test_analyze_no_path_exits_1(tmp_path):
    ttl = tmp_path / "g.ttl"
    ttl.write_text("""@prefix dip: <https://w3id.org/diplomacy-kg/ontology#> .
@prefix kgr: <https://w3id.org/diplomacy-kg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kgr:a a dip:Person ; rdfs:label "A" . kgr:b a dip:Person ; rdfs:label "B" .
""")
    result = CliRunner().invoke(main, ["analyze", "path", "A", "B", "-g", str(ttl)])
    assert result.exit_code == 1 and "no path between 'a' and 'b'" in result.output
    result = CliRunner().invoke(main, ["analyze", "path", "A", "C", "-g", str(ttl)])
    assert result.exit_code == 2


def test_output_that_cannot_be_written_exits_3(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = CliRunner().invoke(main, ["build", "data", "-o", str(blocker / "out")])
    assert result.exit_code == 3 and "cannot write into" in result.output


def test_python_m_kg_and_version():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "kg", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("kg, version ")


def test_cli_projection_names_match_the_library():
    from kg.read.export import PROJECTION_NAMES
    from kg.read.network import PROJECTIONS

    assert list(PROJECTION_NAMES) == list(PROJECTIONS)
