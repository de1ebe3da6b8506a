"""kg: a knowledge-graph builder for diplomacy news, every fact traced to its source's words."""

__version__ = "0.1.0"
