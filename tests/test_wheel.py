"""The wheel a user installs: built (through an sdist) from the sources, installed into a
fresh virtual environment outside the checkout, and run there on a copy of the shipped data,
with an audit hook that fails any command reading a file of the checkout or starting Node.js.
Every page's assets come from the installed package."""

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import httpx
import pytest

from .conftest import ROOT
from .servers import free_port, running

LISTED = json.loads((ROOT / "kg" / "web" / "assets.json").read_text(encoding="utf-8"))
NPM_FILES = [f"kg/web/node_modules/{p}" for p in [*LISTED["files"].values(), *LISTED["notices"]]]

#: Runs kg's command line with an audit hook: opening a file of the checkout, or starting
#: npm or node, ends the command with a traceback (and a non-zero exit)
GUARD = """
import os, sys
CHECKOUT = {checkout!r}

def guard(event, args):
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.realpath(os.fsdecode(args[0]))
        if path == CHECKOUT or path.startswith(CHECKOUT + os.sep):
            raise RuntimeError(f"read from the checkout: {{path}}")
    if event in ("subprocess.Popen", "os.posix_spawn", "os.exec") and any(
            os.path.basename(os.fsdecode(a)) in ("node", "npm", "nodejs")
            for a in (args[1] if len(args) > 1 and isinstance(args[1], (list, tuple)) else [])):
        raise RuntimeError(f"started Node.js: {{args}}")

sys.addaudithook(guard)  # in worker processes too, which import this file as their main
if __name__ == "__main__":
    from kg.cli import main
    sys.argv[0] = "kg"
    main()
"""


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """The sdist and the wheel built from it, from a copy of the sources (the files git
    tracks, and the npm assets a clone's `npm ci` installed)."""
    source = tmp_path_factory.mktemp("source") / "kg"
    if (ROOT / ".git").exists():
        tracked = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                                 capture_output=True, text=True, check=True).stdout.split("\n")
    else:  # a copy without git history: all but what building and testing leave
        tracked = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*")
                   if not any(part in (".venv", "out", "node_modules", "build", "dist",
                                       "__pycache__", ".pytest_cache") for part in
                              p.relative_to(ROOT).parts)]
    for name in [*filter(None, tracked), *NPM_FILES]:
        origin = ROOT / name
        if origin.is_file() or origin.is_symlink():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            if origin.is_symlink():
                os.symlink(os.readlink(origin), source / name)
            else:
                shutil.copy2(origin, source / name)
    folder = tmp_path_factory.mktemp("dist")
    built = subprocess.run([sys.executable, "-m", "build", "--outdir", str(folder), str(source)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-2000:]
    return folder


@pytest.fixture(scope="module")
def installed(dist, tmp_path_factory):
    """A fresh virtual environment outside the checkout with the wheel installed."""
    env = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(with_pip=True).create(env)
    wheel = next(dist.glob("kg-*.whl"))
    done = subprocess.run([str(env / "bin" / "python"), "-m", "pip", "install", "--quiet",
                           str(wheel)], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    return env


def test_the_wheel_and_the_sdist_carry_every_file_kg_reads(dist):
    wheel = zipfile.ZipFile(next(dist.glob("kg-*.whl")))
    names = set(wheel.namelist())
    for name in [*NPM_FILES, "kg/vocab/ontology.ttl", "kg/vocab/shapes.ttl",
                 "kg/web/assets.json", "kg/templates/query.html", "kg/web/static/curate.js"]:
        assert name in names, name
    assert not [n for n in names if ".data/" in n]  # nothing outside the package (no share/)
    # the package's ontology is the source's, copied whole
    assert wheel.read("kg/vocab/ontology.ttl") == (ROOT / "ontology" / "diplomacy.ttl").read_bytes()
    assert wheel.read("kg/vocab/shapes.ttl") == (ROOT / "shapes" / "diplomacy-shapes.ttl").read_bytes()
    import tarfile

    with tarfile.open(next(dist.glob("kg-*.tar.gz"))) as sdist:
        inside = {m.name.split("/", 1)[1] for m in sdist.getmembers() if m.isfile()}
    assert {*NPM_FILES, "kg/vocab/ontology.ttl", "setup.py", "pyproject.toml"} <= inside


def test_the_installed_wheel_builds_serves_and_draws_without_the_checkout(installed, tmp_path):
    python = str(installed / "bin" / "python")
    where = subprocess.run([python, "-c", "import kg; print(kg.__file__)"], cwd=tmp_path,
                           capture_output=True, text=True)
    assert where.stdout.startswith(str(installed)), where.stdout
    work = tmp_path / "work"
    shutil.copytree(ROOT / "data", work / "data")
    guard = tmp_path / "guarded_kg.py"
    guard.write_text(GUARD.format(checkout=os.path.realpath(ROOT)))
    environment = {"PATH": f"{installed / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path),
                   "LANG": "C.UTF-8"}

    def kg(*args):
        done = subprocess.run([python, str(guard), *args], cwd=work, capture_output=True,
                              text=True, timeout=300, env=environment)
        assert done.returncode == 0, (args, done.stderr[-2000:])
        return done

    assert "SHACL       conforms" in kg("build", "data", "-o", "out").stdout
    kg("schema", "-o", "facts.schema.json")
    assert json.loads((work / "facts.schema.json").read_text())["type"] == "object"
    kg("viz", "-g", "out", "-o", "pictures")
    kg("viz", "--map", "-g", "out", "-o", "pictures")
    kg("timeline", "-g", "out", "--format", "html", "-o", "pictures/timeline.html")
    shipped = {name: (ROOT / "kg" / "web" / "node_modules" / path).read_text(encoding="utf-8")
               for name, path in LISTED["files"].items()}
    page = (work / "pictures" / "map.html").read_text(encoding="utf-8")
    assert shipped["topojson-client.min.js"][:2000] in page  # D3 and the outlines, inline
    timeline = (work / "pictures" / "timeline.html").read_text(encoding="utf-8")
    assert shipped["vis-timeline.min.js"][:2000] in timeline
    assert (work / "pictures" / "kg.html").stat().st_size > 100_000  # vis-network, inline

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = [python, str(guard), "serve", str(work / "out"), "--port", str(port)]
    old = os.getcwd()
    os.chdir(work)
    try:
        with running(server, url, url + "/health"):
            page = httpx.get(url + "/").text
            script = httpx.get(url + "/static/yasgui.min.js")
            answer = httpx.get(url + "/sparql", params={
                "query": "SELECT ?n WHERE { kgr:russian-delegation dip:headedBy/rdfs:label ?n }"},
                headers={"Accept": "application/sparql-results+json"})
    finally:
        os.chdir(old)
    assert 'src="static/yasgui.min.js"' in page  # YASGUI's page, not the plain fallback
    assert script.status_code == 200 and script.text == shipped["yasgui.min.js"]
    assert [b["n"]["value"] for b in answer.json()["results"]["bindings"]] == ["Vladimir Medinsky"]
