"""Places with coordinates and the map of events by place (issue 18, points 4-6)."""

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from kg.cli import main
from kg.read.geomap import markers
from kg.read.query import run_query
from kg.source import open_store

from .conftest import ROOT


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_every_shipped_city_and_venue_has_coordinates_and_their_source():
    store = open_store(ROOT / "data")
    text = """SELECT ?place ?wkt ?source WHERE {
      VALUES ?class { dip:City dip:Venue } ?place a ?class .
      OPTIONAL { ?place geo:hasGeometry ?point . ?point geo:asWKT ?wkt ; dcterms:source ?source }
    }"""
    rows = run_query(store, text).rows
    assert len(rows) >= 3
    for place, wkt, source in rows:
        assert wkt is not None and source is not None, f"{place} has no coordinates"
        lon, lat = (float(x) for x in wkt.value.removeprefix("POINT(").removesuffix(")").split())
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert source.value.startswith("https://")


def test_markers_group_the_events_by_place_with_their_days():
    found, unplaced = markers(open_store(ROOT / "data"))
    # a marker per place where a dated event happened (the venue, for an event in a city
    # and at a venue there), in the order of their first event
    query = """SELECT (COUNT(DISTINCT ?place) AS ?n) WHERE {
      ?e dip:location ?place ; dip:date ?d . ?place geo:hasGeometry ?point
      FILTER NOT EXISTS { ?e dip:location ?inner . ?inner dip:locatedIn+ ?place } }"""
    assert len(found) == int(run_query(open_store(ROOT / "data"), query).rows[0][0].value)
    by_label = {m.label: m for m in found}
    assert [e.day for e in by_label["Çırağan Palace"].events] == ["2025-06-02", "2025-07-23"]
    assert (by_label["Çırağan Palace"].lat, by_label["Çırağan Palace"].lon) == (41.0436, 29.0156)
    # events without a place with coordinates are told apart, not dropped silently
    assert all(e.iri not in {x.iri for m in found for x in m.events} for e in unplaced)


def test_kg_viz_map_choices(tmp_path):
    data = ROOT / "data"
    june = cli("viz", "--map", "-g", data, "-o", tmp_path / "june",
               "--article", "2025-06-02-istanbul-exchange")
    assert june.exit_code == 0, june.output
    page = (tmp_path / "june" / "map.html").read_text(encoding="utf-8")
    assert "Second round" in page and "Third round" not in page
    later = cli("viz", "--map", "-g", data, "-o", tmp_path / "later", "--since", "2025-07-01")
    assert later.exit_code == 0, later.output
    assert "Third round" in (tmp_path / "later" / "map.html").read_text(encoding="utf-8")
    assert Image.open(tmp_path / "later" / "map.png").format == "PNG"
    none = cli("viz", "--map", "-g", data, "-o", tmp_path / "none", "--since", "2030-01-01")
    assert none.exit_code == 2 and "no event has a place with coordinates" in none.output
    assert not (tmp_path / "none" / "map.html").exists()
    unknown = cli("viz", "--map", "-g", data, "-o", tmp_path / "x", "--article", "nope")
    assert unknown.exit_code == 2 and "no article 'nope'" in unknown.output


def test_the_map_page_draws_offline_in_chromium_with_a_marker_per_place(tmp_path):
    from playwright.sync_api import sync_playwright

    from .workbench_scenario import chromium

    result = cli("viz", "--map", "-g", ROOT / "data", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    target = tmp_path / "map.html"
    assert "<script src" not in target.read_text(encoding="utf-8")
    found, _ = markers(open_store(ROOT / "data"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium())
        page = browser.new_page(viewport={"width": 1000, "height": 760})
        errors, requests = [], []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(target.as_uri())
        page.wait_for_function("document.body.dataset.rendered === '1'", timeout=10000)
        drawn = page.locator("circle.marker").count()
        countries = page.locator("path.land").count()
        shot = tmp_path / "map-page.png"
        page.screenshot(path=str(shot))
        if os.environ.get("KG_SCREENSHOTS"):
            shutil.copy(shot, Path(os.environ["KG_SCREENSHOTS"]) / shot.name)
        page.locator("circle.marker").nth(1).click(force=True)
        detail = page.locator("#detail").inner_text()
        browser.close()
    assert errors == []
    assert all(url.startswith("file:") for url in requests)       # no tile server, no network
    assert drawn == len(found) == 2
    assert countries > 200                                          # the world's outlines
    assert "Çırağan Palace" in detail and "2025-07-24-istanbul-third-round" in detail


@pytest.mark.parametrize("old, new, message", [
    ("lat: 41.0436", "lat: 95.0", "latitude 95.0 is out of range"),
    ("lon: 29.0156", "lon: -200", "longitude -200 is out of range"),
    ("      source: \"https://en.wikipedia.org/wiki/%C3%87%C4%B1ra%C4%9Fan_Palace\"\n", "",
     "'coordinates' takes a point with its source"),
])
def test_bad_coordinates_are_refused_at_their_line(data_copy, tmp_path, old, new, message):
    places = data_copy / "entities" / "places.yaml"
    text = places.read_text(encoding="utf-8")
    assert old in text
    places.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = cli("build", data_copy, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "places.yaml:" in result.output and message in result.output
    assert not (tmp_path / "out" / "kg.ttl").exists()
