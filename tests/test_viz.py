"""Pictures: a PNG coloured by type, and an offline HTML page that a real browser draws."""

import os
import re
import shutil
import subprocess
import tempfile

import pytest
from click.testing import CliRunner
from PIL import Image, ImageStat

from kg.cli import main
from kg.read.network import multigraph
from kg.source import open_store

from .conftest import ROOT

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def pictures(tmp_path_factory):
    folder = tmp_path_factory.mktemp("viz")
    result = CliRunner().invoke(main, ["viz", "-o", str(folder), "-g", "data"],
                                catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output == f"wrote {folder}/kg.png\nwrote {folder}/kg.html\n"
    return folder


def _chromium() -> str:
    found = (os.environ.get("KG_CHROMIUM") or shutil.which("chromium")
             or shutil.which("chromium-browser") or shutil.which("google-chrome"))
    assert found, "headless Chromium is needed: sudo apt-get install chromium (tests/run.sh does as root)"
    return found


def _run_chromium(*args, budget: int = 20000) -> subprocess.CompletedProcess:
    """Run headless Chromium; `budget` is the page's virtual time in ms (a page's timers run
    that long, however slow the machine is)."""
    profile = tempfile.mkdtemp()
    return subprocess.run([_chromium(), *CHROMIUM_FLAGS, f"--virtual-time-budget={budget}",
                           f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=180)


def test_png_is_drawn_with_a_colour_per_type(pictures):
    image = Image.open(pictures / "kg.png").convert("RGB")
    assert image.size == (1600, 1200)
    assert ImageStat.Stat(image).stddev[0] > 20  # not blank
    types = {d["type"] for _, d in multigraph(open_store("data")).nodes(data=True)}
    colours = image.getcolors(maxcolors=1 << 20)
    assert len(colours) > len(types)


def test_html_is_standalone(pictures):
    page = (pictures / "kg.html").read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", page)
    assert "@import" not in page and "url(" not in page
    assert "The Russian delegation was led by Vladimir Medinsky" in page


def test_headless_chromium_draws_every_node(pictures):
    nodes = multigraph(open_store("data")).number_of_nodes()
    dom = _run_chromium("--dump-dom", (pictures / "kg.html").as_uri()).stdout
    assert f'data-rendered="{nodes}"' in dom  # set by the page once vis-network has drawn
    assert "<canvas" in dom and 'id="search"' in dom and 'id="article"' in dom


def test_colours_stay_when_a_type_is_added():
    import networkx as nx

    from kg.read.viz import colours

    g = multigraph(open_store("data"))
    before = colours(g)
    g.add_node("new", type="PhoneCall", label="A phone call")
    after = colours(g)
    assert all(after[t] == c for t, c in before.items()) and "PhoneCall" in after
    assert len(set(before.values())) == len(before)  # one colour for each type shown
    assert isinstance(g, nx.MultiDiGraph)


@pytest.fixture(scope="module")
def hundred(tmp_path_factory):
    """The scale benchmark's synthetic corpus of 100 articles, built."""
    import sys

    from kg.build.pipeline import build

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import write_corpus

    data = write_corpus(tmp_path_factory.mktemp("hundred") / "data", 100, seed=3)
    out = tmp_path_factory.mktemp("hundred-out")
    build(data, out)
    return out


def test_a_large_corpus_asks_for_a_part_and_draws_the_part_asked(hundred, tmp_path):
    whole = CliRunner().invoke(main, ["viz", "-g", str(hundred), "-o", str(tmp_path / "all")])
    assert whole.exit_code == 2 and "--focus NAME --depth N" in whole.output
    graph = multigraph(open_store(hundred))
    person = max((n for n, d in graph.nodes(data=True) if d["type"] == "Person"
                  and graph.degree(n) <= 60), key=lambda n: (graph.degree(n), n))
    label = graph.nodes[person]["label"]
    result = CliRunner().invoke(main, ["viz", "-g", str(hundred), "-o", str(tmp_path / "one"),
                                       "--focus", label, "--depth", "1"])
    assert result.exit_code == 0, result.output
    import networkx as nx

    expected = len(nx.ego_graph(graph.to_undirected(as_view=True), person, radius=1))
    dom = _run_chromium("--dump-dom", (tmp_path / "one" / "kg.html").as_uri()).stdout
    assert f'data-rendered="{expected}"' in dom
    page = (tmp_path / "one" / "kg.html").read_text(encoding="utf-8")
    assert f'"label": "{label}"' in page
    # one article of the corpus
    article = sorted(p.name for p in (hundred / "cache" / "articles").iterdir())[5][:-5]
    one = CliRunner().invoke(main, ["viz", "-g", str(hundred), "-o", str(tmp_path / "art"),
                                    "--article", article])
    assert one.exit_code == 0, one.output
    shot = tmp_path / "art.png"
    _run_chromium("--window-size=1200,900", f"--screenshot={shot}",
                  (tmp_path / "art" / "kg.html").as_uri())
    assert ImageStat.Stat(Image.open(shot).convert("RGB")).stddev[0] > 10


def test_headless_chromium_screenshot_is_not_blank(pictures, tmp_path):
    shot = tmp_path / "shot.png"
    _run_chromium("--window-size=1400,1000", f"--screenshot={shot}", (pictures / "kg.html").as_uri())
    image = Image.open(shot).convert("RGB")
    assert image.size == (1400, 1000)
    stat = ImageStat.Stat(image)
    assert stat.stddev[0] > 10
    assert len(image.getcolors(maxcolors=1 << 20)) > 50


@pytest.mark.parametrize("choice", [{}, {"focus": "Hakan Fidan", "depth": 2}])
def test_png_labels_do_not_overlap(choice):
    import matplotlib.pyplot as plt

    from kg.read.viz import figure_of, select

    store = open_store("data")
    part = select(store, **choice)
    figure = figure_of(part, "test")
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in figure.axes[0].texts if t.get_fontsize() == 8]
    plt.close(figure)
    assert len(boxes) == part.number_of_nodes()
    overlapping = [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes))
                   if boxes[i].overlaps(boxes[j])]
    assert overlapping == []
