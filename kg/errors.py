"""The errors `kg` raises, each with the exit code the command line gives it."""

from __future__ import annotations

__all__ = [
    "KGError",
    "InputError",
    "EvidenceError",
    "NotConformingError",
    "OutputError",
    "ConflictError",
    "Location",
]

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A place in a curated file: path and 1-based line.

    Examples
    --------
    >>> str(Location("data/facts.yaml", 12))
    'data/facts.yaml:12'
    """

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


class KGError(Exception):
    """Base of every error `kg` reports to a user; `exit_code` is what the CLI exits with."""

    exit_code = 2

    def __init__(self, message: str, location: Location | None = None):
        self.message = message
        self.location = location
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        return f"{self.location}: {self.message}"


class InputError(KGError):
    """Curated data, an article or an option cannot be used as given (exit 2)."""

    exit_code = 2


class EvidenceError(InputError):
    """One or more evidence passages were not found in their article (exit 2).

    `problems` holds one message per passage, each naming file and line.
    """

    def __init__(self, problems: list[str]):
        self.problems = problems
        head = f"{len(problems)} passage(s) could not be located in their article"
        super().__init__(head + ":\n" + "\n".join(problems))


class NotConformingError(KGError):
    """The built graph violates the SHACL shapes (exit 1); `report` holds the result."""

    exit_code = 1

    def __init__(self, message: str, report=None):
        self.report = report
        super().__init__(message)


class OutputError(KGError):
    """An output file or directory cannot be written (exit 3)."""

    exit_code = 3


class ConflictError(OutputError):
    """A file changed on disk since it was read, so an edit made against it is not written
    (exit 3); `current` and `digest` are the file's text and SHA-256 now."""

    def __init__(self, path, current: str, digest: str):
        self.path = path
        self.current = current
        self.digest = digest
        super().__init__(
            f"{path} changed on disk since it was read; nothing was written: reload it, "
            "then make the edit again"
        )
