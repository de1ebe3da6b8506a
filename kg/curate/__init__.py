"""Curators' tools: new articles, one-article checks, rehashing, coverage, entity search."""
