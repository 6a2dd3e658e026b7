"""Problems found in a file, as data with locations (collected, then reported together)."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        """One line, whatever the message held (lxml quotes the offending text, newlines included)."""
        where = self.file + (f":{self.line}" if self.line else "")
        message = " ".join(self.message.split())
        return f"{where}: {self.field}: {message}" if self.field else f"{where}: {message}"


class RejectedFile(ValueError):
    """A file failed validation; nothing of it was loaded."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
