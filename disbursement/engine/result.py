"""What a job run reports: counts and amounts for the log, and the flags it raised."""
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Flag:
    """Something an operator must look at, with the rule it comes from (shown by `status` and in the job log)."""

    rule: str
    grant_id: str
    message: str
    department: str | None = None
    dwelling: str | None = None
    answered_by: str | None = None  # the case of the authority's decision that answers it

    def __str__(self) -> str:
        where = "/".join(part for part in (self.grant_id, self.department, self.dwelling) if part)
        answered = f" (answered by decision {self.answered_by})" if self.answered_by else ""
        return f"[{self.rule}] {where}: {self.message}{answered}"


@dataclass
class JobReport:
    counts: dict[str, int] = field(default_factory=dict)
    amounts: dict[str, Decimal] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """The JobRun record: counts, amounts, flags and the per-department figures an operator checks."""
        return json.dumps(
            {"counts": self.counts, "amounts": {k: str(v) for k, v in self.amounts.items()},
             "flags": [str(f) for f in self.flags], "details": self.details},
            sort_keys=True, ensure_ascii=False,
        )

    def fingerprint(self) -> str:
        """Digest of the inputs the job used, so a re-run can tell whether they changed."""
        return hashlib.sha256("\n".join(sorted(self.inputs)).encode()).hexdigest()[:16]


@dataclass(frozen=True, order=True)
class StaleRun:
    """A successful run that a report loaded (or a run made) after it would change: `nightly` runs it again."""

    date: date
    job: str
    reason: str
