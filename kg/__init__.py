"""kg: a knowledge-graph builder for diplomacy news, every fact traced to its source's words.

``kg.open(source)`` opens a build folder, an RDF file or a data folder for questions (see
`kg.api`); the modules below it are what the command line calls.
"""

from kg.version import __version__

__all__ = ["__version__", "open"]


def open(source="out"):  # noqa: A001 - the one entry point, as in ``kg.open("out")``
    """Open a build folder, an RDF file or a data folder: see `kg.api.open_graph`."""
    # deferred: ``import kg`` stays light, and kg.api sits above every wing
    from kg.api import open_graph  # noqa: PLC0415

    return open_graph(source)
