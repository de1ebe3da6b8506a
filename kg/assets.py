"""The files kg reads at run time besides its code, found through `importlib.resources` in
a clone (an editable install) and in an installed wheel alike: the ontology and the shapes
(``kg/vocab/ontology.ttl`` and ``kg/vocab/shapes.ttl``, links in a clone to the sources
``ontology/diplomacy.ttl`` and ``shapes/diplomacy-shapes.ttl``, copied into a wheel), and the
scripts of the pages from the locked npm packages (``kg/web/assets.json`` names them; ``npm
ci --prefix kg/web`` installs them in a clone, and building a wheel puts them in it).
"""

from __future__ import annotations

__all__ = ["package_file", "npm_asset", "NPM_ASSETS"]

import atexit
import json
from contextlib import ExitStack
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path

_KEEP = ExitStack()  # files extracted from a zipped package live as long as the process
atexit.register(_KEEP.close)


@cache
def package_file(relative: str) -> Path:
    """The file at `relative` (a path inside the package ``kg``) as a file on disk: itself
    in a clone or a wheel installed in a folder, a copy kept for the process in a zipapp.

    Examples
    --------
    >>> package_file("vocab/ontology.ttl").read_text(encoding="utf-8").count("owl:Ontology") > 0
    True
    """
    found = files("kg").joinpath(*relative.split("/"))
    if isinstance(found, Path) or not found.is_file():
        return Path(str(found))  # on disk, or missing (the caller tells)
    return _KEEP.enter_context(as_file(found))


@cache
def _listed() -> dict:
    return json.loads(package_file("web/assets.json").read_text(encoding="utf-8"))


#: The names of the pages' npm assets (`npm_asset` takes one).
NPM_ASSETS = tuple(sorted(_listed()["files"]))


def npm_asset(name: str) -> Path | None:
    """The npm asset `name` (one of `NPM_ASSETS`), or None where it is not installed (a
    clone in which ``npm ci --prefix kg/web`` has not run): a page then falls back.

    Examples
    --------
    >>> npm_asset("d3.min.js").name
    'd3.min.js'
    """
    path = package_file("web/node_modules/" + _listed()["files"][name])
    return path if path.is_file() else None
