"""kg's version: what ``kg --version`` prints and what every cache key includes."""

__all__ = ["__version__"]

__version__ = "0.1.0"
