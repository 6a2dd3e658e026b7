"""Settings from config/: index tables, payment terms, limits, accounts.

The shipped directory is the default; a directory given with --config (or DISBURSEMENT_CONFIG) overrides it file
by file, so a fixture set can replace just the index table it needs.
"""
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .rules.grant_limits import GrantLimits
from .rules.indexation import IndexTable

SHIPPED = Path(__file__).resolve().parent.parent / "config"


class ConfigError(ValueError):
    """A config file is missing or malformed; the message names the file and the key."""


@dataclass(frozen=True)
class PaymentTermSettings:
    months: tuple[int, ...]
    bank_closing_days: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class ReportingSettings:
    estimate_due: tuple[int, int]
    actuals_due: tuple[int, int]
    late_estimate_lead_months: int
    reconciliation_term: int


@dataclass(frozen=True)
class SupportAccounts:
    """Where one support type is booked: the authority's expense account and, where the recipient is a housing
    organisation, the account, note and book in the recipient's accounts (V 11)."""

    expense: str
    recipient_account: str | None
    recipient_book: str | None
    notes: dict[str, str]

    def note(self, loan_type: str | None = None) -> str | None:
        """Rent subsidy: note 102.4 for nominal loans, 104.4 for index loans; other types have one fixed note."""
        return self.notes.get(loan_type or "", self.notes.get("fixed"))


@dataclass(frozen=True)
class AuthorityAccounts:
    bank: str
    collection_claims: str
    supports: dict[str, SupportAccounts]

    def of(self, support: str) -> SupportAccounts:
        return self.supports[support]


@dataclass(frozen=True)
class Config:
    directory: Path
    terms: PaymentTermSettings
    reporting: ReportingSettings
    limits: GrantLimits
    net_price: IndexTable
    accounts: AuthorityAccounts
    rerun_window_months: int


def _month_day(text: str, where: str) -> tuple[int, int]:
    try:
        month, day = (int(part) for part in text.split("-"))
    except ValueError:
        raise ConfigError(f"{where}: {text!r} is not a month-day like '12-01'") from None
    return month, day


def _read(directory: Path, name: str) -> tuple[Path, dict]:
    path = directory / name
    if not path.exists():
        path = SHIPPED / name
    try:
        return path, tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def _index_table(directory: Path, name: str) -> IndexTable:
    path, data = _read(directory, f"indices/{name}.toml")
    try:
        values = {int(year): Decimal(str(value)) for year, value in data["values"].items()}
    except (KeyError, ValueError, ArithmeticError) as exc:
        raise ConfigError(f"{path}: [values] must map years to index values ({exc})") from None
    return IndexTable(name=data.get("name", name), values=values)


def _support_accounts(section: dict) -> SupportAccounts:
    notes = {"nominal": section.get("note_nominal"), "index": section.get("note_index"), "fixed": section.get("note")}
    return SupportAccounts(
        expense=section["expense"],
        recipient_account=section.get("recipient_account"),
        recipient_book=section.get("book"),
        notes={kind: note for kind, note in notes.items() if note},
    )


def load_config(directory: Path | None = None) -> Config:
    """Read every setting once; jobs get this plain object, never the files."""
    directory = Path(directory) if directory else SHIPPED
    if not directory.is_dir():
        raise ConfigError(f"{directory}: config directory not found")
    path, scheme = _read(directory, "scheme.toml")
    apath, accounts = _read(directory, "accounts.toml")
    try:
        terms = scheme["payment_terms"]
        rep = scheme["reporting"]
        lim = scheme["limits"]
        authority = accounts["authority"]
        return Config(
            directory=directory,
            terms=PaymentTermSettings(
                months=tuple(int(m) for m in terms["months"]),
                bank_closing_days=tuple(_month_day(d, f"{path} bank_closing_days") for d in terms["bank_closing_days"]),
            ),
            reporting=ReportingSettings(
                estimate_due=_month_day(rep["estimate_due"], f"{path} estimate_due"),
                actuals_due=_month_day(rep["actuals_due"], f"{path} actuals_due"),
                late_estimate_lead_months=int(rep["late_estimate_lead_months"]),
                reconciliation_term=int(rep["reconciliation_term"]),
            ),
            limits=GrantLimits(
                price_year=int(lim["price_year"]),
                max_subsidy_per_m2=Decimal(lim["max_subsidy_per_m2"]),
                max_average_per_dwelling=Decimal(lim["max_average_per_dwelling"]),
                max_years=int(lim["max_years"]),
                max_support_hours_per_resident=Decimal(lim["max_support_hours_per_resident"]),
            ),
            net_price=_index_table(directory, "net_price"),
            accounts=AuthorityAccounts(
                bank=authority["bank"],
                collection_claims=authority["collection_claims"],
                supports={name: _support_accounts(section) for name, section in accounts["support"].items()},
            ),
            rerun_window_months=int(scheme["operations"]["rerun_window_months"]),
        )
    except KeyError as exc:
        raise ConfigError(f"{directory}: missing setting {exc}") from None
