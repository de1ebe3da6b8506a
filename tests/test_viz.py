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
from kg.network import multigraph
from kg.store import open_store

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--virtual-time-budget=5000"]


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


def _run_chromium(*args) -> subprocess.CompletedProcess:
    profile = tempfile.mkdtemp()
    return subprocess.run([_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120)


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


def test_headless_chromium_draws_one_element_per_node(pictures):
    nodes = multigraph(open_store("data")).number_of_nodes()
    dom = _run_chromium("--dump-dom", (pictures / "kg.html").as_uri()).stdout
    assert f'data-rendered="{nodes}"' in dom
    assert len(re.findall(r'<g class="node"', dom)) == nodes
    assert 'id="search"' in dom


def test_headless_chromium_screenshot_is_not_blank(pictures, tmp_path):
    shot = tmp_path / "shot.png"
    _run_chromium("--window-size=1400,1000", f"--screenshot={shot}", (pictures / "kg.html").as_uri())
    image = Image.open(shot).convert("RGB")
    assert image.size == (1400, 1000)
    stat = ImageStat.Stat(image)
    assert stat.stddev[0] > 10
    assert len(image.getcolors(maxcolors=1 << 20)) > 50
