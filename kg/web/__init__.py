"""The HTTP application of kg serve: routes, the worker pool and its sandbox, the pages."""
