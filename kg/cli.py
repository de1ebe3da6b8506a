"""The `kg` command line: each command parses its options and calls one library function."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from . import __version__
from .errors import KGError

GRAPH_HELP = ("Graph to read: a build folder (its kg.trig), an RDF file, or a data folder "
              "(built in memory). Default: out")


def _reports_errors(func):
    """Turn a KGError into its message on stderr and its exit code."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except KGError as exc:
            click.echo(f"kg: error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


def _emit(data: str | bytes, output: str | None) -> None:
    payload = data.encode() if isinstance(data, str) else data
    if output is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
        return
    from .export import write_files

    target = Path(output)
    write_files({target.name: payload}, target.parent if str(target.parent) else ".")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main():
    """Build, check, query and analyse the knowledge graph of diplomacy news."""


@main.command()
@click.argument("data_dir", default="data", type=click.Path(file_okay=False))
@click.option("-o", "--out", "out_dir", default="out", show_default=True,
              type=click.Path(file_okay=False), help="Folder to write kg.ttl, kg.trig, kg.graphml.")
@_reports_errors
def build(data_dir, out_dir):
    """Build the graph of DATA_DIR (default: data), validate it, and write it to OUT_DIR."""
    from .pipeline import build as run

    click.echo(run(data_dir, out_dir).text(), nl=False)


@main.command()
@click.argument("data_dir", default="data", type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "turtle"]), default="text",
              show_default=True, help="text: readable report; turtle: the SHACL report graph.")
@_reports_errors
def validate(data_dir, fmt):
    """Check DATA_DIR against the SHACL shapes. Exit 0 conforms, 1 violations, 2 bad input."""
    from .build import build_graph
    from .validate import validate as run

    result = run(build_graph(data_dir))
    click.echo(result.text() if fmt == "text" else result.turtle(), nl=False)
    sys.exit(0 if result.conforms else 1)


@main.command()
@click.argument("data_dir", default="data", type=click.Path(file_okay=False))
@_reports_errors
def stats(data_dir):
    """Count triples, entities by class, facts, events, statements and evidence found."""
    from .pipeline import stats as run

    click.echo(run(data_dir).text(), nl=False)


@main.command()
@click.option("--format", "fmt", required=True,
              type=click.Choice(["turtle", "nt", "trig", "nquads", "jsonld", "graphml"]),
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout).")
@click.option("-g", "--graph", "source", default="out", show_default=True, help=GRAPH_HELP)
@_reports_errors
def export(fmt, output, source):
    """Export the built graph as RDF or GraphML."""
    from .export import serialize
    from .load import load_dataset

    _emit(serialize(load_dataset(source), fmt), output)


@main.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("-e", "--expression", help="The query text, instead of FILE.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]),
              default="table", show_default=True, help="Format of SELECT/ASK results.")
@click.option("-g", "--graph", "source", default="out", show_default=True, help=GRAPH_HELP)
@_reports_errors
def query(file, expression, fmt, source):
    """Run a SPARQL query from FILE (.rq) or -e over the built graph."""
    from .errors import InputError
    from .load import load_dataset
    from .query import format_result, run_query

    if bool(file) == bool(expression):
        raise InputError("give a query file or -e 'QUERY', not both or neither")
    if file:
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{file}: cannot read the query: {exc}") from None
    else:
        text = expression
    click.echo(format_result(run_query(load_dataset(source), text), fmt), nl=False)


@main.group()
def analyze():
    """Analyse the entity graph (the NetworkX projection)."""


@analyze.command()
@click.option("--measure", type=click.Choice(["degree", "betweenness", "pagerank"]),
              default="degree", show_default=True, help="Centrality measure.")
@click.option("--top", default=10, show_default=True, type=int, help="How many nodes to list.")
@click.option("-g", "--graph", "source", default="out", show_default=True, help=GRAPH_HELP)
@_reports_errors
def centrality(measure, top, source):
    """Rank entities by centrality."""
    from .analyze import centrality as run
    from .load import load_dataset
    from .network import to_networkx

    rows = run(to_networkx(load_dataset(source)), measure, top)
    width = max([len(r.label) for r in rows] + [5])
    click.echo(f"{'rank':<5} {'score':>8}  {'label':<{width}}  type")
    for n, r in enumerate(rows, 1):
        click.echo(f"{n:<5} {r.score:>8.4f}  {r.label:<{width}}  {r.type}")


@analyze.command()
@click.argument("source_name")
@click.argument("target_name")
@click.option("-g", "--graph", "source", default="out", show_default=True, help=GRAPH_HELP)
@_reports_errors
def path(source_name, target_name, source):
    """Print the shortest path between two entities, named by label or id."""
    from .analyze import path as run
    from .load import load_dataset
    from .network import to_networkx

    graph = to_networkx(load_dataset(source))
    hops = run(graph, source_name, target_name)
    label = lambda n: graph.nodes[n].get("label", n)  # noqa: E731
    click.echo(label(hops[0].source) if hops else label(source_name))
    for hop in hops:
        arrow = f"--{' | '.join(hop.predicates)}-->" if hop.forward else \
            f"<--{' | '.join(hop.predicates)}--"
        click.echo(f"  {arrow} {label(hop.target)}")


if __name__ == "__main__":  # pragma: no cover
    main()
