"""kg: a knowledge-graph builder for diplomacy news, every fact traced to its source's words.

``kg.open(source)`` opens a build folder, an RDF file or a data folder for questions (see
`kg.api`); the modules below it are what the command line calls.
"""

__version__ = "0.1.0"


def open(source="out"):  # noqa: A001 - the one entry point, as in ``kg.open("out")``
    """Open a build folder, an RDF file or a data folder: see `kg.api.open_graph`."""
    from kg.api import open_graph

    return open_graph(source)
