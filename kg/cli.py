"""The `kg` command line: each command parses its options and calls one library function."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from kg.errors import KGError
from kg.read.export import PROJECTION_NAMES
from kg.version import __version__

AS_OF_HELP = (
    "Read the graph as of this day (YYYY-MM-DD): posts, memberships and heads as the "
    "latest source at or before it gives them, none that had ended."
)
#: The options several commands share: a day to read the graph as of, and a table's format.
AS_OF = click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help=AS_OF_HELP)
RESULT_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "xml"]),
    default="table",
    show_default=True,
    help="Output format (as kg query's).",
)
GRAPH_HELP = (
    "Graph to read: a build folder (its store), an RDF file, or a data folder "
    "(built in memory). Default: out"
)


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


def _emit_with(write, output: str | None) -> None:
    """Call ``write(binary file)`` for stdout, or for OUTPUT replaced all at once."""
    from kg.files import write_outputs

    if output is None:
        try:
            write(sys.stdout.buffer)
            sys.stdout.flush()
        except BrokenPipeError:  # the reader stopped (kg export ... | head): not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    target = Path(output)
    write_outputs({target.name: write}, target.parent if str(target.parent) else ".")


class _progress:
    """Progress bars on stderr, one per stage, when it is a terminal and not --quiet."""

    def __init__(self, quiet: bool):
        self.show = not quiet and sys.stderr.isatty()
        self.bars: dict = {}

    def __enter__(self):
        return self.report if self.show else None

    def report(self, stage: str, done: int, total: int) -> None:
        bar = self.bars.get(stage)
        if bar is None:
            for other in list(self.bars):  # a new stage ends the ones before it
                self.bars.pop(other).render_finish()
            bar = click.progressbar(
                length=max(total, 1),
                label=f"{stage:<9}",
                file=sys.stderr,
                show_eta=True,
                show_pos=True,
                width=30,
            )
            bar.render_progress()
            self.bars[stage] = bar
        bar.update(done - bar.pos)

    def __exit__(self, *exc):
        for bar in self.bars.values():
            bar.render_finish()
        return False


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main():
    """Build, check, query and analyse the knowledge graph of diplomacy news."""


@main.command()
@click.argument("data_dir", default="data", type=click.Path(file_okay=False))
@click.option(
    "-o",
    "--out",
    "out_dir",
    default="out",
    show_default=True,
    type=click.Path(),
    help="Folder to write the store, kg.ttl, kg.trig and the cache.",
)
@click.option(
    "-j",
    "--jobs",
    "workers",
    type=click.IntRange(min=1),
    help="Articles built in parallel (default: one process per core).",
)
@click.option("--no-cache", is_flag=True, help="Rebuild every article, ignoring the cache.")
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Send the per-article work to this Dask scheduler (needs the cluster extra).",
)
@click.option(
    "--files/--no-files",
    default=True,
    show_default=True,
    help="Write kg.ttl and kg.trig beside the store (--no-files: the store alone, and the "
    "files of an earlier build removed; kg export writes them when asked).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress, only the summary.")
@_reports_errors
def build(data_dir, out_dir, workers, no_cache, scheduler, files, quiet):
    """Build the graph of DATA_DIR (default: data), validate it, and write it to OUT_DIR."""
    from kg.build.pipeline import build as run

    with _progress(quiet) as progress:
        summary = run(
            data_dir,
            out_dir,
            workers=workers,
            use_cache=not no_cache,
            scheduler=scheduler,
            progress=progress,
            files=files,
        )
    click.echo(summary.text(), nl=False)
    for warning in summary.warnings:
        click.echo(f"kg: warning: {warning}", err=True)


@main.command()
@click.argument("data_dir", default="data", type=click.Path(file_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "turtle"]),
    default="text",
    show_default=True,
    help="text: readable report; turtle: the SHACL report graph.",
)
@click.option(
    "-j",
    "--jobs",
    "workers",
    type=click.IntRange(min=1),
    help="Articles checked in parallel (default: one process per core).",
)
@_reports_errors
def validate(data_dir, fmt, workers):
    """Check DATA_DIR against the SHACL shapes. Exit 0 conforms, 1 violations, 2 bad input."""
    from kg.build.pipeline import check

    result = check(data_dir, workers=workers)
    click.echo(result.text() if fmt == "text" else result.turtle(), nl=False)
    sys.exit(0 if result.conforms else 1)


@main.command()
@click.argument("data_dir", default="data", type=click.Path(file_okay=False))
@_reports_errors
def stats(data_dir):
    """Count triples, entities by class, facts, events, statements and evidence found."""
    from kg.build.pipeline import stats as run

    click.echo(run(data_dir).text(), nl=False)


@main.command()
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(["turtle", "nt", "trig", "nquads", "jsonld", "graphml", "gexf", "json"]),
    help="RDF (turtle, nt, trig, nquads, jsonld) or a network (graphml, gexf, json node-link).",
)
@click.option(
    "--projection",
    type=click.Choice(list(PROJECTION_NAMES)),
    help="Which NetworkX projection graphml, gexf and json hold (default: multigraph).",
)
@click.option("-o", "--output", type=click.Path(), help="File to write (default: stdout).")
@click.option("--no-inferred", is_flag=True, help="Leave the inferred triples out.")
@AS_OF
@click.option("-g", "--graph", "source", default="out", show_default=True, help=GRAPH_HELP)
@_reports_errors
def export(fmt, projection, output, no_inferred, as_of, source):
    """Export the built graph as RDF, or a projection of it as GraphML, GEXF or JSON."""
    from kg.errors import InputError
    from kg.read.export import NETWORK_FORMATS, export_store
    from kg.source import open_store

    if projection and fmt not in NETWORK_FORMATS:
        raise InputError(f"--projection applies to {', '.join(NETWORK_FORMATS)}, not to {fmt}")
    store = open_store(source, as_of)
    _emit_with(
        lambda handle: export_store(
            store, fmt, handle, projection or "multigraph", inferred=not no_inferred
        ),
        output,
    )


@main.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("-e", "--expression", help="The query text, instead of FILE.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "xml"]),
    default="table",
    show_default=True,
    help="Format of SELECT/ASK results.",
)
@click.option(
    "--timeout",
    default=60.0,
    show_default=True,
    type=float,
    help="Seconds the query may run before it is stopped (exit 6).",
)
@click.option(
    "--no-inferred",
    is_flag=True,
    help="Query only what the sources state: no inferred triples, no ontology.",
)
@AS_OF
@click.option("-g", "--graph", "source", default="out", show_default=True, help=GRAPH_HELP)
@_reports_errors
def query(file, expression, fmt, timeout, no_inferred, as_of, source):
    """Run a SPARQL query from FILE (.rq) or -e over the built graph."""
    from kg.errors import InputError
    from kg.read.query import format_result, read_query, run_query
    from kg.source import open_store

    if bool(file) == bool(expression):
        raise InputError("give a query file or -e 'QUERY', not both or neither")
    base = None
    text = expression
    if file:
        text = read_query(file)
        base = Path(file).resolve().as_uri()  # relative IRIs in it resolve against the file
    answer = run_query(
        open_store(source, as_of),
        text,
        file,
        timeout=timeout,
        base_iri=base,
        inferred=not no_inferred,
    )
    click.echo(format_result(answer, fmt), nl=False)


@main.command()
@RESULT_FORMAT
@click.option(
    "--successions",
    is_flag=True,
    help="List the changes of a value that holds for a time (a new head, a post's new "
    "holder) instead of the disagreements.",
)
@click.option("-g", "--graph", "source", default="out", show_default=True, help=GRAPH_HELP)
@_reports_errors
def conflicts(fmt, successions, source):
    """List where sources disagree: each value, its source, rank and words."""
    from kg.read.conflicts import conflicts as run
    from kg.read.query import format_result
    from kg.source import open_store

    click.echo(format_result(run(open_store(source), successions), fmt), nl=False)


@main.command()
@click.option(
    "--about", metavar="NAME", help="Only the events NAME (a label or id) takes part in or hosts."
)
@click.option(
    "--since", metavar="YYYY-MM-DD", help="Only the events that may fall on or after this day."
)
@click.option(
    "--until", metavar="YYYY-MM-DD", help="Only the events that may fall on or before this day."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "html", "png"]),
    default="table",
    show_default=True,
    help="A table (as kg query's), an offline page (vis-timeline) or a PNG.",
)
@click.option("-o", "--output", type=click.Path(), help="File to write (default: stdout).")
@click.option("-g", "--graph", "source", default="out", show_default=True, help=GRAPH_HELP)
@_reports_errors
def timeline(about, since, until, fmt, output, source):
    """List the events in order: each with its day (or the days its sources allow), place,
    participants and the articles that date it."""
    from kg.read.timeline import timeline as run
    from kg.source import open_store

    data = run(open_store(source), fmt, about, since, until)
    _emit_with(lambda handle: handle.write(data), output)


@main.command()
@click.argument("name", metavar="ENTITY")
@RESULT_FORMAT
@click.option("-g", "--graph", "source", default="out", show_default=True, help=GRAPH_HELP)
@_reports_errors
def history(name, fmt, source):
    """List ENTITY's facts that hold for a time (posts, memberships, heads), in order, each
    with the days it holds, its source and words."""
    from kg.read.history import history as run
    from kg.read.query import format_result
    from kg.source import open_store

    click.echo(format_result(run(open_store(source), name), fmt), nl=False)


@main.command()
@click.option(
    "--entities",
    is_flag=True,
    help="The schema of a reference file (data/entities/*.yaml), not of facts.yaml.",
)
@click.option("-o", "--output", type=click.Path(), help="File to write (default: stdout).")
@_reports_errors
def schema(entities, output):
    """Print the JSON Schema of facts.yaml (or of a reference file), for editors."""
    from kg.vocab.schema import schema_text

    text = schema_text("entities" if entities else "facts").encode()
    _emit_with(lambda handle: handle.write(text), output)


@main.group()
def analyze():
    """Analyse the entity graph (the NetworkX projection)."""


@analyze.command()
@click.option(
    "--measure",
    type=click.Choice(["degree", "betweenness", "closeness", "eigenvector", "pagerank"]),
    default="degree",
    show_default=True,
    help="Centrality measure.",
)
@click.option(
    "--projection",
    type=click.Choice(list(PROJECTION_NAMES)),
    default="simple",
    show_default=True,
    help="Graph to rank (merged into an undirected simple graph).",
)
@click.option("--type", "node_type", help="Only list nodes of this type, e.g. Person.")
@click.option("--top", default=10, show_default=True, type=int, help="How many nodes to list.")
@click.option("--samples", type=int, help="Betweenness: estimate from K sampled sources.")
@click.option("--seed", type=int, help="Betweenness: seed for --samples.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@AS_OF
@click.option("-g", "--graph", "source", default="out", show_default=True, help=GRAPH_HELP)
@_reports_errors
def centrality(measure, projection, node_type, top, samples, seed, fmt, as_of, source):
    """Rank entities by centrality."""
    from kg.read.analyze import centrality as run
    from kg.read.report import format_ranking
    from kg.source import load_projection

    rows = run(
        load_projection(source, projection, as_of),
        measure,
        top,
        node_type=node_type,
        samples=samples,
        seed=seed,
    )
    click.echo(format_ranking(rows, fmt), nl=False)


@analyze.command()
@click.argument("source_name", metavar="A")
@click.argument("target_name", metavar="B")
@click.option("--limit", default=10, show_default=True, type=int, help="At most this many paths.")
@click.option("--no-quotes", is_flag=True, help="Leave out the supporting quotes.")
@AS_OF
@click.option("-g", "--graph", "source", default="out", show_default=True, help=GRAPH_HELP)
@_reports_errors
def path(source_name, target_name, limit, no_quotes, as_of, source):
    """Shortest paths between A and B (labels or ids), each hop with its quote."""
    from kg.read.analyze import paths
    from kg.read.report import format_paths
    from kg.source import load_projection

    graph = load_projection(source, as_of=as_of)
    found = paths(graph, source_name, target_name, limit)
    click.echo(format_paths(graph, found, quotes=not no_quotes), nl=False)


@analyze.command()
@click.argument("name", metavar="X")
@click.option("--depth", default=1, show_default=True, type=int, help="How many hops out.")
@click.option(
    "--projection",
    type=click.Choice(list(PROJECTION_NAMES)),
    default="multigraph",
    show_default=True,
    help="Graph to walk.",
)
@AS_OF
@click.option("-g", "--graph", "source", default="out", show_default=True, help=GRAPH_HELP)
@_reports_errors
def neighbours(name, depth, projection, as_of, source):
    """Entities within --depth hops of X (a label or id)."""
    from kg.read.analyze import neighbours as run
    from kg.read.report import format_neighbours
    from kg.source import load_projection

    graph = load_projection(source, projection, as_of)
    click.echo(format_neighbours(graph, name, run(graph, name, depth)), nl=False)


@analyze.command()
@click.option(
    "--method",
    type=click.Choice(["louvain", "greedy"]),
    default="louvain",
    show_default=True,
    help="NetworkX's Louvain or greedy modularity.",
)
@click.option("--seed", default=0, show_default=True, type=int, help="Louvain's random seed.")
@click.option(
    "--resolution",
    default=1.0,
    show_default=True,
    type=float,
    help="Above 1 favours smaller communities.",
)
@click.option(
    "--projection",
    type=click.Choice(list(PROJECTION_NAMES)),
    default="simple",
    show_default=True,
    help="Graph to partition.",
)
@AS_OF
@click.option("-g", "--graph", "source", default="out", show_default=True, help=GRAPH_HELP)
@_reports_errors
def communities(method, seed, resolution, projection, as_of, source):
    """Partition entities into communities by modularity."""
    from kg.read.analyze import communities as run
    from kg.read.report import format_communities
    from kg.source import load_projection

    graph = load_projection(source, projection, as_of)
    click.echo(format_communities(graph, run(graph, method, seed, resolution)), nl=False)


@main.command()
@click.option(
    "-o",
    "--out",
    "out_dir",
    default="out",
    show_default=True,
    type=click.Path(),
    help="Folder to write kg.png and kg.html.",
)
@click.option("--article", help="Draw what this article (its folder's name) states.")
@click.option("--focus", help="Draw this entity (label or id) and what is near it.")
@click.option(
    "--depth",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="How many hops from --focus.",
)
@click.option(
    "--community",
    type=click.IntRange(min=1),
    help="Draw the K-th largest community (1: the largest).",
)
@click.option("--since", metavar="YYYY-MM-DD", help="Draw the events from this date ...")
@click.option("--until", metavar="YYYY-MM-DD", help="... to this date, and what they link.")
@click.option(
    "--map",
    "on_map",
    is_flag=True,
    help="Draw the events on a map by place (map.html and map.png), not the graph.",
)
@click.option("-g", "--graph", "source", default="out", show_default=True, help=GRAPH_HELP)
@_reports_errors
def viz(out_dir, article, focus, depth, community, since, until, on_map, source):
    """Draw a part of the graph (the whole when it is small): a PNG and an offline page;
    with --map, the events by place."""
    from kg.read.viz import render
    from kg.source import open_store

    if on_map:
        from kg.read.geomap import render_map

        if community is not None:
            raise click.UsageError("--community draws a part of the graph, not of the map")
        for written in render_map(open_store(source), out_dir, article, focus, since, until):
            click.echo(f"wrote {written}")
        return
    for written in render(
        open_store(source),
        out_dir,
        article=article,
        focus=focus,
        depth=depth,
        community=community,
        since=since,
        until=until,
    ):
        click.echo(f"wrote {written}")


@main.command()
@click.argument("source", default="out", required=False)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (127.0.0.1: this machine only).",
)
@click.option("--port", default=7070, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    type=float,
    help="Seconds a query may run before it is stopped.",
)
@click.option(
    "--max-rows",
    default=10_000,
    show_default=True,
    type=int,
    help="Most result rows (or triples) a query returns.",
)
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=int,
    help="Query worker processes (queries run in parallel).",
)
@click.option(
    "--threads",
    default=32,
    show_default=True,
    type=int,
    help="Queries each worker answers at once (a short query does not wait behind long ones).",
)
@click.option(
    "--no-inferred",
    is_flag=True,
    help="Answer from what the sources state only: no inferred triples, no ontology.",
)
@_reports_errors
def serve(source, host, port, timeout, max_rows, workers, threads, no_inferred):
    """Serve SOURCE (default: out) as a read-only SPARQL 1.1 endpoint."""
    from kg.web.app import ServeConfig
    from kg.web.app import serve as run

    run(ServeConfig(source, host, port, timeout, max_rows, workers, not no_inferred, threads))


@main.command()
@click.argument("data_dir", default="data", type=click.Path(file_okay=False))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (127.0.0.1: this machine only).",
)
@click.option("--port", default=7071, show_default=True, type=int, help="Port to listen on.")
@_reports_errors
def curate(data_dir, host, port):
    """Curate DATA_DIR (default: data) in the browser: select words, get checked facts."""
    from kg.web.curate import CurateConfig
    from kg.web.curate import curate as run

    run(CurateConfig(data_dir, host, port))


@main.command()
@click.option(
    "--endpoint",
    required=True,
    help="Graph Store endpoint, e.g. http://localhost:7878/store (Oxigraph).",
)
@click.option(
    "--graph",
    "graph_iri",
    help="Put what the default graph holds into this named graph (also with "
    "--graph-per-article, for a store without a default graph: Virtuoso).",
)
@click.option(
    "--graph-per-article",
    is_flag=True,
    help="Put each article's graph (and the reference graph) under its own IRI.",
)
@click.option(
    "--bulk",
    is_flag=True,
    help="Every graph of --graph-per-article in one PUT of N-Quads to an endpoint that "
    "takes a whole dataset (Oxigraph's /store), which replaces the store's content at once.",
)
@click.option(
    "--update-endpoint",
    metavar="URL",
    help="With --bulk, for a store whose Graph Store endpoint takes one graph at a time "
    "(Virtuoso: http://host:8890/sparql-auth): batches of SPARQL Update to this URL.",
)
@click.option(
    "--no-transaction",
    is_flag=True,
    help="With --bulk into Oxigraph: its bulk loader, several times faster, but a push cut "
    "off midway leaves the store empty or part-loaded (push again).",
)
@click.option("--user", help="User for HTTP authentication.")
@click.option("--password-env", metavar="VAR", help="Environment variable holding the password.")
@click.option("--token-env", metavar="VAR", help="Environment variable holding a bearer token.")
@click.option("--digest", is_flag=True, help="HTTP Digest instead of Basic authentication.")
@click.option(
    "--timeout",
    default=60.0,
    show_default=True,
    type=float,
    help="Seconds to connect, for each write of the upload, and for the whole answer.",
)
@click.option("-g", "--graph-source", "source", default="out", show_default=True, help=GRAPH_HELP)
@_reports_errors
def push(
    endpoint,
    graph_iri,
    graph_per_article,
    bulk,
    update_endpoint,
    no_transaction,
    user,
    password_env,
    token_env,
    digest,
    timeout,
    source,
):
    """Upload the built graph to a triple store (SPARQL 1.1 Graph Store Protocol, PUT)."""
    from kg.read.push import push as run
    from kg.read.push import secret_from_env
    from kg.source import open_store

    bars = {}

    def progress(name, sent, total):
        if name not in bars:
            bars[name] = click.progressbar(length=total, label=f"PUT {name}", file=sys.stderr)
            bars[name].__enter__()
        bars[name].update(sent - bars[name].pos)
        if sent >= total:
            bars.pop(name).__exit__(None, None, None)

    result = run(
        open_store(source),
        endpoint,
        graph=graph_iri,
        per_article=graph_per_article,
        bulk=bulk,
        update_endpoint=update_endpoint,
        transaction=not no_transaction,
        user=user,
        password=secret_from_env(password_env, "password"),
        token=secret_from_env(token_env, "token"),
        digest=digest,
        timeout=timeout,
        progress=progress,
    )
    click.echo(result.text(), nl=False)


@main.group()
def article():
    """Curate an article: make its folder from a text, check it, rehash it after an edit."""


@article.command("new")
@click.argument("text_file", type=click.Path(dir_okay=False))
@click.option(
    "--data",
    "data_dir",
    default="data",
    show_default=True,
    help="The data folder whose articles/ gets the new folder.",
)
@click.option(
    "--slug", help="The folder's slug (default: proposed from the text, e.g. istanbul-talks)."
)
@_reports_errors
def article_new(text_file, data_dir, slug):
    """Make data/articles/<date>-<slug>/ from TEXT_FILE: the text, its SHA-256, and a
    facts.yaml with the proposed metadata and, as comments, the known entities it names."""
    from kg.curate.article import new_article

    click.echo(new_article(text_file, data_dir, slug).text(), nl=False)


@article.command("check")
@click.argument("folder", type=click.Path(exists=True))
@_reports_errors
def article_check(folder):
    """Check one article as kg build does (keys, references, evidence, dates, shapes),
    writing nothing. Exit 0 ok, 1 violations, 2 bad input."""
    from kg.curate.article import check_article

    click.echo(check_article(folder).text(), nl=False)


@article.command("suggest")
@click.argument("folder", type=click.Path(exists=True))
@_reports_errors
def article_suggest(folder):
    """Print the entities and facts the ontology's cue words suggest for the article in
    FOLDER, as commented YAML to uncomment into its facts.yaml (what it has already is
    not suggested again)."""
    from kg.curate.suggest import suggest_article, suggestions_yaml

    click.echo(suggestions_yaml(suggest_article(folder)), nl=False)


@article.command("rehash")
@click.argument("folder", type=click.Path(exists=True))
@click.option(
    "-o",
    "--out",
    "out_dir",
    default="out",
    show_default=True,
    help="The build folder whose cache holds the text as last built (to tell "
    "which passages moved).",
)
@_reports_errors
def article_rehash(folder, out_dir):
    """After article.txt changed: write its SHA-256 into facts.yaml and list the evidence
    passages no longer found (with the closest passage now) or moved."""
    from kg.curate.article import rehash_article

    click.echo(rehash_article(folder, out_dir).text(), nl=False)


@main.group()
def entities():
    """Find known entities: by a name as an article spells it, or pairs that look alike."""


@entities.command("search")
@click.argument("name")
@click.option("--data", "data_dir", default="data", show_default=True, help="The data folder.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(min=1))
@_reports_errors
def entities_search(name, data_dir, limit):
    """Known entities whose label or alternative label is close to NAME (accents, case and
    word order aside), with id, type and the articles that use them."""
    from kg.curate.entities import format_found, search_entities

    click.echo(format_found(search_entities(name, data_dir, limit=limit)), nl=False)


@entities.command("duplicates")
@click.option("--data", "data_dir", default="data", show_default=True, help="The data folder.")
@click.option(
    "--threshold",
    default=85.0,
    show_default=True,
    type=click.FloatRange(0, 100),
    help="How alike two names must be (0-100).",
)
@_reports_errors
def entities_duplicates(data_dir, threshold):
    """Pairs of entities of one type whose names are alike: likely one entity declared
    twice. Merge them, or mark them 'distinctFrom'."""
    from kg.curate.entities import duplicate_entities, format_pairs

    click.echo(format_pairs(duplicate_entities(data_dir, threshold=threshold)), nl=False)


@main.command()
@click.argument("target", default="data", type=click.Path(file_okay=False))
@click.option(
    "--html",
    "html_file",
    type=click.Path(),
    help="Also write the article as an HTML page with the cited words marked "
    "(one article folder only).",
)
@_reports_errors
def coverage(target, html_file):
    """How much of an article (or of each article of a data folder) its facts cover:
    sentences cited, known entities used, and the sentences no fact cites."""
    from kg.curate.coverage import corpus_coverage, coverage_page
    from kg.errors import InputError

    found = corpus_coverage(target)
    click.echo("".join(c.text() for c in found), nl=False)
    if html_file:
        if len(found) != 1:
            raise InputError("--html writes one article's page: give an article folder")
        page = coverage_page(found[0]).encode("utf-8")
        _emit_with(lambda handle: handle.write(page), html_file)


if __name__ == "__main__":  # pragma: no cover
    main()
