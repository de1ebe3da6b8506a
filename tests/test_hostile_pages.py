"""Values that try to break or arm a page: a label or a query's title that opens an HTML
comment or closes the script it is inlined in, an IRI that is a ``javascript:`` link, an
article URL that is not http(s)."""

import json
import re

import networkx as nx
from click.testing import CliRunner

from kg.cli import main
from kg.read import viz
from kg.web.pages import query_page

from .test_hostile_input import FACTS, line_of
from .test_serve import endpoint, get, out  # noqa: F401  (the running server's fixtures)
from .test_viz import _run_chromium

HOSTILE = "Russia <!--<script> </script><b>x</b> \u2028 & 'y'"


def inline_json(page: str, name: str):
    """The value of ``const NAME = ...;`` in a page, checked to hold nothing that an HTML
    parser reads inside a script (``<``, ``>``, ``&``) or that ends a line in old JS."""
    found = re.search(rf"const {name} = (.*?);\n", page, re.S)
    assert found, f"no {name} in the page"
    text = found.group(1)
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text, f"{bad!r} stands raw in {name}"
    return json.loads(text)


def test_a_query_title_that_opens_a_comment_leaves_every_example(tmp_path):
    (tmp_path / "01-hostile.rq").write_text(f"# {HOSTILE}\nSELECT * WHERE {{ ?s ?p ?o }}\n",
                                            encoding="utf-8")
    (tmp_path / "02-next.rq").write_text("# The next question\nASK { ?s ?p ?o }\n")
    page = query_page(tmp_path)
    if "const DATA" in page:  # YASGUI's page
        questions = [e["question"] for e in inline_json(page, "DATA")["examples"]]
    else:  # the plain page, without YASGUI installed
        questions = [q for q, _ in inline_json(page, "EXAMPLES")]
    assert questions == [HOSTILE, "The next question"]


def test_a_label_that_opens_a_comment_is_drawn_like_any_other(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("russia", label=HOSTILE, type="Country")
    g.add_node("talks", label="Talks", type="Meeting")
    g.add_edge("talks", "russia", key="dip:hasParticipant", predicate="dip:hasParticipant",
               label="has participant", quotes=HOSTILE, quoted=f"a: {HOSTILE}")
    page = viz.html(g).decode()
    labels = {n["label"] for n in inline_json(page, "DATA")["nodes"]}
    assert labels == {HOSTILE, "Talks"}
    (tmp_path / "kg.html").write_text(page, encoding="utf-8")
    dom = _run_chromium("--dump-dom", (tmp_path / "kg.html").as_uri()).stdout
    assert 'data-rendered="2"' in dom  # both drawn: the label broke nothing


def test_an_iri_that_is_no_http_link_is_shown_but_never_linked(endpoint):  # noqa: F811
    response = get(endpoint, "SELECT ?x ?y WHERE { BIND(IRI('javascript:alert(1)') AS ?x) "
                             "BIND(IRI('data:text/html,<b>') AS ?y) }", "text/html")
    assert response.status_code == 200
    assert "javascript:alert(1)" in response.text  # shown as text
    assert not re.search(r"href=[\"']?(javascript|data):", response.text)


def test_an_article_url_must_be_an_http_iri(data_copy):
    facts = data_copy / FACTS
    content = facts.read_text(encoding="utf-8")
    for bad in ("javascript:alert(1)", "data:text/html,x", "https://a b.org/"):
        facts.write_text(content.replace("  dateline: ISTANBUL\n",
                                         f"  dateline: ISTANBUL\n  url: '{bad}'\n", 1),
                         encoding="utf-8")
        result = CliRunner().invoke(main, ["build", str(data_copy), "-o",
                                           str(data_copy / "out")])
        assert result.exit_code == 2, (bad, result.output)
        line = line_of(facts, f"  url: '{bad}'\n")
        assert f"{facts}:{line}: 'url' takes an http(s) IRI" in result.output
        assert not (data_copy / "out" / "kg.ttl").exists()
    facts.write_text(content.replace("  dateline: ISTANBUL\n", "  dateline: ISTANBUL\n"
                                     "  url: https://example.org/news/1\n", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(data_copy), "-o", str(data_copy / "out")])
    assert result.exit_code == 0, result.output
    assert "<https://example.org/news/1>" in (data_copy / "out" / "kg.ttl").read_text()


def test_the_query_page_links_no_crafted_iri(endpoint):  # noqa: F811
    """YASGUI's result table, drawn in headless Chromium: a ``javascript:`` or ``data:`` IRI
    in an answer is shown, never linked; an http(s) IRI is."""
    from urllib.parse import quote

    query = ('SELECT ?x ?y ?z WHERE { BIND(IRI("javascript:alert(1)") AS ?x) '
             'BIND(IRI("https://example.org/ok") AS ?y) BIND(IRI("data:text/html,hi") AS ?z) }')
    dom = _run_chromium("--dump-dom", endpoint + "/#query=" + quote(query)).stdout
    links = re.findall(r'<a class="iri"[^>]*>', dom)
    assert len(links) == 3, links
    assert [re.findall(r'href="([^"]*)"', a) for a in links] == [[], ["https://example.org/ok"], []]
