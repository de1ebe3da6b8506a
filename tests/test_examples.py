"""The example scripts an analyst would write run, and say what they should."""

import subprocess
import sys

from .conftest import ROOT


def run(script, *args):
    result = subprocess.run([sys.executable, str(ROOT / "examples" / script), *args],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_rank_people_by_betweenness():
    lines = run("rank_people_betweenness.py", "data").splitlines()
    assert lines[0] == "8 people, 25 co-participation links"
    assert "Marco Rubio" in lines[1] and lines[1].startswith(" 1.")


def test_explain_connection_quotes_the_article():
    out = run("explain_connection.py", "data", "Marco Rubio", "Vladimir Medinsky")
    assert out.startswith("Path 1: Marco Rubio -> Russia–Ukraine direct talks in Istanbul")
    assert "the article: “The Russian delegation was led by Vladimir Medinsky”" in out
    assert "curated at: articles/2025-05-16-istanbul-talks/facts.yaml:" in out


def test_export_for_gephi(tmp_path):
    import networkx as nx

    target = tmp_path / "gephi.gexf"
    out = run("export_for_gephi.py", "data", str(target))
    assert out.startswith(f"wrote {target}: 79 nodes")
    graph = nx.read_gexf(target)
    assert {d["community"] for _, d in graph.nodes(data=True)} == {1, 2, 3, 4, 5, 6, 7, 8}
    assert all(d["pagerank"] > 0 for _, d in graph.nodes(data=True))
