"""Settings from config/: index tables, payment terms, limits, accounts.

The shipped directory is the default; a directory given with --config (or DISBURSEMENT_CONFIG) overrides it file
by file, so a fixture set can replace just the index table it needs.
"""
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from .rules.grant_limits import GrantLimits
from .rules.indexation import IndexTable

if TYPE_CHECKING:
    from .schemes import SchemeRegistry

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
    late_grant_estimate_months: int


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
class SupportSettings:
    """Settings of social support, conversion grants, refunds and deadlines (V 2.2-2.7)."""

    offset_repayments: bool
    support_accounts_due_months: int
    conversion_accounts_due_months: int
    reserve_per_cohort: Decimal
    claims_due: tuple[int, int]
    start_months: int
    phase_max_months: int
    lease_max_months: int
    vacancy_max_months: int


@dataclass(frozen=True)
class Config:
    directory: Path
    terms: PaymentTermSettings
    reporting: ReportingSettings
    limits: GrantLimits
    net_price: IndexTable
    wage: IndexTable
    support: SupportSettings
    accounts: AuthorityAccounts
    rerun_window_months: int
    schemes: "SchemeRegistry | None" = None  # config/schemes/*.toml (disbursement/schemes.py)


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
        values = {int(year): Decimal(str(value)) for year, value in data.get("values", {}).items()}
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


def _support_settings(path: Path, scheme: dict) -> SupportSettings:
    social, deadlines = scheme["social_support"], scheme["deadlines"]
    if social["repayment"] not in ("offset", "collect"):
        raise ConfigError(f"{path}: [social_support] repayment must be 'offset' or 'collect', not {social['repayment']!r}")
    return SupportSettings(
        offset_repayments=social["repayment"] == "offset",
        support_accounts_due_months=int(social["accounts_due_months"]),
        conversion_accounts_due_months=int(scheme["conversion"]["accounts_due_months"]),
        reserve_per_cohort=Decimal(scheme["refunds"]["reserve_per_cohort"]),
        claims_due=_month_day(scheme["refunds"]["claims_due"], f"{path} claims_due"),
        start_months=int(deadlines["start_months"]),
        phase_max_months=int(deadlines["phase_max_months"]),
        lease_max_months=int(deadlines["lease_max_months"]),
        vacancy_max_months=int(deadlines["vacancy_max_months"]),
    )


def _schemes(directory: Path, support_accounts: set[str]):
    from .schemes import load_schemes  # the registry reads its files with _read, so it imports this module

    return load_schemes(directory, support_accounts)


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
                late_grant_estimate_months=int(rep["late_grant_estimate_months"]),
            ),
            limits=GrantLimits(
                price_year=int(lim["price_year"]),
                max_subsidy_per_m2=Decimal(lim["max_subsidy_per_m2"]),
                max_average_per_dwelling=Decimal(lim["max_average_per_dwelling"]),
                max_years=int(lim["max_years"]),
                max_support_hours_per_resident=Decimal(lim["max_support_hours_per_resident"]),
            ),
            net_price=_index_table(directory, "net_price"),
            wage=_index_table(directory, "wage_private"),
            support=_support_settings(path, scheme),
            accounts=AuthorityAccounts(
                bank=authority["bank"],
                collection_claims=authority["collection_claims"],
                supports={name: _support_accounts(section) for name, section in accounts["support"].items()},
            ),
            rerun_window_months=int(scheme["operations"]["rerun_window_months"]),
            schemes=_schemes(directory, set(accounts["support"])),
        )
    except KeyError as exc:
        raise ConfigError(f"{directory}: missing setting {exc}") from None


ACCOUNT_KINDS = ("asset", "liability", "equity", "expense")


@dataclass(frozen=True)
class Payer:
    """The paying authority (payer.toml): debtor of the pain.001 files, company of the SAF-T file."""

    name: str
    cvr: str
    iban: str
    bic: str | None
    street: str | None
    number: str | None
    postal_code: str
    city: str
    country: str
    contact_first_name: str
    contact_last_name: str


@dataclass(frozen=True)
class ChartAccount:
    number: str
    name: str
    kind: str


@dataclass(frozen=True)
class LedgerSettings:
    """What the ledger and the exports need beside `Config`: the payer and the chart of accounts (chart.toml)."""

    payer: Payer
    chart: dict[str, ChartAccount]
    retained_result: str


def load_ledger_settings(directory: Path | None = None) -> LedgerSettings:
    directory = Path(directory) if directory else SHIPPED
    ppath, payer_file = _read(directory, "payer.toml")
    cpath, chart_file = _read(directory, "chart.toml")
    try:
        payer, contact = payer_file["payer"], payer_file["payer"].get("contact", {})
        chart = {str(number): ChartAccount(str(number), entry["name"], entry["kind"])
                 for number, entry in chart_file["accounts"].items()}
        retained = str(chart_file["retained_result"])
        settings = LedgerSettings(
            payer=Payer(name=payer["name"], cvr=str(payer["cvr"]), iban=payer["iban"], bic=payer.get("bic"),
                        street=payer.get("street"), number=payer.get("number"), postal_code=str(payer["postal_code"]),
                        city=payer["city"], country=payer.get("country", "DK"),
                        contact_first_name=contact.get("first_name", payer["name"]),
                        contact_last_name=contact.get("last_name", payer["name"])),
            chart=chart,
            retained_result=retained,
        )
    except KeyError as exc:
        raise ConfigError(f"{ppath} / {cpath}: missing setting {exc}") from None
    for account in settings.chart.values():
        if account.kind not in ACCOUNT_KINDS:
            raise ConfigError(f"{cpath}: account {account.number}: kind {account.kind!r} is not one of {ACCOUNT_KINDS}")
    if settings.chart.get(retained) is None or settings.chart[retained].kind != "equity":
        raise ConfigError(f"{cpath}: retained_result {retained!r} must be an equity account of the chart")
    return settings
