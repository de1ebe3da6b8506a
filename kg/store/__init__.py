"""The Oxigraph store every reader opens: its graphs, its generations, the one SPARQL guard, and the blocks of the files written from it."""
