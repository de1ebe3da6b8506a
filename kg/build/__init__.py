"""One article at a time: read and check the curated files, build each article's graph, validate it, cache it, and run the whole build."""
