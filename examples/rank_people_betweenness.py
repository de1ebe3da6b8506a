"""Rank the people of the talks by betweenness in the co-participation graph.

Usage: python examples/rank_people_betweenness.py [GRAPH]   (GRAPH: out/ by default, or data/)

People are linked when they took part in the same event; a person with high betweenness
connects people who otherwise share no event.
"""

import sys

from kg.read.analyze import centrality
from kg.source import load_projection


def main(source: str = "out") -> None:
    people = load_projection(source, "coparticipation")
    print(f"{people.number_of_nodes()} people, {people.number_of_edges()} co-participation links")
    for row in centrality(people, "betweenness", top=10):
        events = sum(1 for _ in people.neighbors(row.node))
        print(f"{row.rank:>2}. {row.label:<55} {row.score:.3f}  ({events} co-participants)")


if __name__ == "__main__":
    main(*sys.argv[1:])
