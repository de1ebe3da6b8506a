"""Build hooks (the rest of the metadata is in pyproject.toml).

A wheel and an sdist carry everything kg reads at run time, as package data that kg finds
through importlib.resources (see kg/assets.py): the templates and the workbench's static
files; the ontology and the shapes, whose sources stay in ontology/ and shapes/ (the
package's kg/vocab/ontology.ttl and kg/vocab/shapes.ttl link to them, and the build copies
what they link to); and the pages' scripts from the locked npm packages that
kg/web/assets.json names, with their licences. Building runs ``npm ci --prefix kg/web`` if
they are not installed yet, so only building needs Node.js's npm, never installing a wheel.
"""

import json
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

HERE = Path(__file__).resolve().parent
WEB = HERE / "kg" / "web"
LISTED = json.loads((WEB / "assets.json").read_text(encoding="utf-8"))
NPM_FILES = [f"web/node_modules/{path}" for path in
             [*LISTED["files"].values(), *LISTED["notices"]]]


def ensure_npm_assets(required: bool) -> None:
    """Install the locked npm packages if a listed file is missing; without npm, stop
    (`required`: a wheel or an sdist would lack the pages) or carry on (an editable
    install, whose pages fall back until ``npm ci --prefix kg/web`` runs)."""
    missing = [name for name in NPM_FILES if not (HERE / "kg" / name).is_file()]
    if not missing:
        return
    npm = shutil.which("npm")
    if npm is None:
        if required:
            raise SystemExit(
                f"building kg needs the pages' npm packages ({missing[0]} is missing) and "
                "Node.js's npm to install them: apt-get install npm, then build again"
            )
        return
    try:
        subprocess.run([npm, "ci", "--prefix", str(WEB), "--no-audit", "--no-fund",
                        "--loglevel=error"], check=True)
    except (OSError, subprocess.CalledProcessError):
        if required:
            raise
        # an editable install goes on: its pages fall back until npm ci runs


class BuildPy(build_py):
    def run(self):
        ensure_npm_assets(required=not getattr(self, "editable_mode", False))
        super().run()


class Sdist(sdist):
    def run(self):
        ensure_npm_assets(required=True)
        super().run()


setup(
    package_data={
        "kg": ["templates/*.html", "web/static/*", "web/assets.json", "web/package.json",
               "web/package-lock.json", "vocab/ontology.ttl", "vocab/shapes.ttl", *NPM_FILES],
    },
    cmdclass={"build_py": BuildPy, "sdist": Sdist},
)
