"""Settings from config/: parameters only (amounts, dates, accounts, index tables), read into declarative models.

The shipped directory is the default; a directory given with --config (or DISBURSEMENT_CONFIG) overrides it file by
file, so a fixture set can replace just the index table it needs. Each file is one pydantic model (extra keys
forbidden, frozen); every problem of every file is reported at once, one line each: `file: key.path: problem`.

The engine's files: engine.toml (payment terms, re-run window), accounts.toml, chart.toml, payer.toml and
indices/*.toml. Each registered scheme reads schemes/<name>.toml into its own settings model (engine/scheme.py).
"""
import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PositiveInt, ValidationError,
                      model_validator)

from .indexation import IndexTable

if TYPE_CHECKING:
    from .engine.scheme import JobSpec, Scheme, SupportType

SHIPPED = Path(__file__).resolve().parent.parent / "config"
INDICES = ("net_price", "wage_private")
# Files of earlier releases whose settings moved: an override directory still holding one is refused, not ignored.
MOVED = {"scheme.toml": "engine.toml ([payment_terms], [operations]) and schemes/inclusion.toml (the rest)"}


class ConfigError(ValueError):
    """A config file is missing or malformed; each line names the file, the key and the problem."""


class Parameters(BaseModel):
    """A config file or section: every key declared, none unknown, nothing changed after reading."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _month_day(value) -> tuple[int, int]:
    if isinstance(value, tuple):
        return value
    try:
        month, day = (int(part) for part in str(value).split("-"))
        date(2000, month, day)
    except ValueError:
        raise ValueError(f"{value!r} is not a month-day like '12-01'") from None
    return month, day


def _whole_ore(amount: Decimal) -> Decimal:
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"{amount} must be kroner >= 0 with at most two decimals")
    return amount


MonthDay = Annotated[tuple[int, int], BeforeValidator(_month_day)]
Kroner = Annotated[Decimal, AfterValidator(_whole_ore)]
Month = Annotated[int, Field(ge=1, le=12)]


class PaymentTermSettings(Parameters):
    """The term months (paid on the last banking day of each) and the days banks are closed besides holidays."""

    months: tuple[Month, ...]
    bank_closing_days: tuple[MonthDay, ...]


class Operations(Parameters):
    rerun_window_months: PositiveInt
    operator_override: bool = False  # `approve`/`release --as NAME` (a demo); off: the OS login acts
    payment_runs_from: date | None = None  # earlier job dates were paid outside: booked on the bank, no payment run


class IntakeLimits(Parameters):
    """Checked before a file is read: a national register or report set fits, a runaway file is refused at once
    (lxml holds a parsed file in memory at several times its size)."""

    max_file_mib: PositiveInt = 32
    max_problems_shown: PositiveInt = 100  # per file; then one line with the count of the rest


class EngineFile(Parameters):
    payment_terms: PaymentTermSettings
    operations: Operations
    intake: IntakeLimits = IntakeLimits()


class SupportAccounts(Parameters):
    """Where one support type is booked: the authority's expense account and, where the recipient is a housing
    organisation, the account, note and book in the recipient's accounts (V 11)."""

    expense: str
    recipient_account: str | None = None
    recipient_book: Literal["department", "organisation"] | None = Field(None, alias="book")
    fixed_note: str | None = Field(None, alias="note")
    nominal_note: str | None = Field(None, alias="note_nominal")
    index_note: str | None = Field(None, alias="note_index")

    @property
    def notes(self) -> set[str]:
        """Every note a posting of this support type may carry."""
        return {note for note in (self.fixed_note, self.nominal_note, self.index_note) if note}

    def note(self, loan_type: str | None = None) -> str | None:
        """Rent subsidy: note 102.4 for nominal loans, 104.4 for index loans; other types have one fixed note."""
        by_loan = {"nominal": self.nominal_note, "index": self.index_note}.get(loan_type or "")
        return by_loan or self.fixed_note


class Authority(Parameters):
    bank: str
    payable: str  # what a job owes a recipient until the bank debits the payment (bank/settlement.py)
    collection_claims: str


class AuthorityAccounts(Parameters):
    """accounts.toml: the authority's own accounts, and one [support.<type>] section per support type."""

    authority: Authority
    support: dict[str, SupportAccounts]

    @property
    def bank(self) -> str:
        return self.authority.bank

    @property
    def payable(self) -> str:
        return self.authority.payable

    @property
    def collection_claims(self) -> str:
        return self.authority.collection_claims

    @property
    def supports(self) -> dict[str, SupportAccounts]:
        return self.support

    def of(self, support: str) -> SupportAccounts:
        return self.support[support]


class IndexFile(Parameters):
    name: str
    source: str = ""
    values: dict[int, Annotated[Decimal, Field(gt=0)]]


class Contact(Parameters):
    first_name: str
    last_name: str


class Payer(Parameters):
    """The paying authority (payer.toml): debtor of the pain.001 files, company of the SAF-T file."""

    name: str
    cvr: str
    iban: str
    bic: str | None = None
    charset: Literal["utf-8", "basic-latin"] = "utf-8"  # of names and texts in the payment files
    settle: Literal["on-answer", "on-release"] = "on-answer"  # when a payment's bank posting is made
    street: str | None = None
    number: str | None = None
    postal_code: str
    city: str
    country: str = "DK"
    contact: Contact | None = None

    @property
    def contact_first_name(self) -> str:
        return self.contact.first_name if self.contact else self.name

    @property
    def contact_last_name(self) -> str:
        return self.contact.last_name if self.contact else self.name


class PayerFile(Parameters):
    payer: Payer


class ChartAccount(Parameters):
    number: str
    name: str
    kind: Literal["asset", "liability", "equity", "expense"]


class ChartFile(Parameters):
    """chart.toml: every account number used, its name and kind, and the account carrying earlier years' result."""

    retained_result: str
    accounts: dict[str, ChartAccount]

    @model_validator(mode="before")
    @classmethod
    def _numbers(cls, data):
        """The chart is keyed by account number; each account knows its own."""
        if isinstance(data, dict) and isinstance(data.get("accounts"), dict):
            data = {**data, "accounts": {str(number): {**entry, "number": str(number)} if isinstance(entry, dict)
                                         else entry for number, entry in data["accounts"].items()}}
        return data

    @model_validator(mode="after")
    def _retained_is_equity(self):
        account = self.accounts.get(self.retained_result)
        if account is None or account.kind != "equity":
            raise ValueError(f"retained_result {self.retained_result!r} must be an equity account of the chart")
        return self


@dataclass(frozen=True)
class LedgerSettings:
    """What the ledger and the exports need beside `Config`: the payer and the chart of accounts."""

    payer: Payer
    chart: dict[str, ChartAccount]
    retained_result: str


@dataclass(frozen=True)
class Config:
    """Every setting, read once; jobs get this plain object, never the files."""

    directory: Path
    terms: PaymentTermSettings
    rerun_window_months: int
    operator_override: bool
    payment_runs_from: date | None
    intake: IntakeLimits
    net_price: IndexTable
    wage: IndexTable
    accounts: AuthorityAccounts
    schemes: tuple["Scheme", ...]
    settings: dict[str, BaseModel] = field(compare=False, hash=False)

    def payment_account(self, job_date: date) -> str:
        """Where a job books what it pays: the payable, settled on the bank when the bank debits it (a payment run);
        the bank itself for job dates before `payment_runs_from`, paid outside the system at booking."""
        if self.payment_runs_from is not None and job_date < self.payment_runs_from:
            return self.accounts.bank
        return self.accounts.payable

    def settings_of(self, scheme: str) -> BaseModel:
        """The validated config/schemes/<scheme>.toml."""
        return self.settings[scheme]

    def jobs(self) -> list[tuple["Scheme", "JobSpec"]]:
        """Every job of every scheme, schemes in registry order, jobs in their scheme's same-day order."""
        return [(scheme, job) for scheme in self.schemes for job in scheme.jobs]

    def job(self, name: str) -> tuple["Scheme", "JobSpec"] | None:
        return next(((scheme, job) for scheme, job in self.jobs() if job.name == name), None)

    def support(self, name: str) -> "SupportType":
        for scheme in self.schemes:
            for support in scheme.supports:
                if support.name == name:
                    return support
        raise KeyError(f"no registered scheme pays support type {name!r}")


def _path(directory: Path, name: str) -> Path:
    path = directory / name
    return path if path.exists() else SHIPPED / name


def _read(path: Path, problems: list[str]) -> dict | None:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"{path}: config file missing")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: not valid TOML: {exc}")
    return None


def _validated(model: type[BaseModel], path: Path, data: dict | None, problems: list[str]):
    """The model, or None with one line per problem: `file: key.path: problem`."""
    if data is None:
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            key = ".".join(str(part) for part in error["loc"]) or "(file)"
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"{path}: {key}: {message}")
        return None


def _read_model(directory: Path, name: str, model: type[BaseModel], problems: list[str]):
    path = _path(directory, name)
    return _validated(model, path, _read(path, problems), problems)


def _refuse_moved(directory: Path, problems: list[str]) -> None:
    for name, moved_to in MOVED.items():
        if (directory / name).exists():
            problems.append(f"{directory / name}: this release reads no {name}; its settings are now in {moved_to}")


def _check_accounts(accounts: AuthorityAccounts, schemes, path: Path, problems: list[str]) -> None:
    """Every support type of every scheme is booked somewhere, and accounts.toml names no support type nobody pays."""
    paid = {support.name for scheme in schemes for support in scheme.supports}
    for name in sorted(paid - set(accounts.support)):
        problems.append(f"{path}: support.{name}: missing: the accounts of support type {name!r} "
                        f"(paid by scheme {next(s.name for s in schemes for t in s.supports if t.name == name)!r})")
    for name in sorted(set(accounts.support) - paid):
        problems.append(f"{path}: support.{name}: no registered scheme pays support type {name!r}")


def _index_table(directory: Path, name: str, index: IndexFile) -> IndexTable:
    return IndexTable(index.name, dict(index.values), str(_path(directory, f"indices/{name}.toml")), index.source)


def read_config(directory: Path | str | None, schemes: tuple["Scheme", ...]) -> Config:
    """Every file, every problem: ConfigError lists them all (one line each) rather than stopping at the first."""
    directory = Path(directory) if directory else SHIPPED
    if not directory.is_dir():
        raise ConfigError(f"{directory}: config directory not found")
    problems: list[str] = []
    _refuse_moved(directory, problems)
    engine = _read_model(directory, "engine.toml", EngineFile, problems)
    accounts = _read_model(directory, "accounts.toml", AuthorityAccounts, problems)
    indices = {name: _read_model(directory, f"indices/{name}.toml", IndexFile, problems) for name in INDICES}
    settings = {scheme.name: _read_model(directory, f"schemes/{scheme.name}.toml", scheme.settings, problems)
                for scheme in schemes}
    if accounts is not None:
        _check_accounts(accounts, schemes, _path(directory, "accounts.toml"), problems)
    if problems:
        raise ConfigError("\n".join(problems))
    return Config(
        directory=directory, terms=engine.payment_terms, rerun_window_months=engine.operations.rerun_window_months,
        operator_override=engine.operations.operator_override,
        payment_runs_from=engine.operations.payment_runs_from,
        intake=engine.intake,
        net_price=_index_table(directory, "net_price", indices["net_price"]),
        wage=_index_table(directory, "wage_private", indices["wage_private"]),
        accounts=accounts, schemes=schemes, settings=settings,
    )


def load_ledger_settings(directory: Path | str | None = None) -> LedgerSettings:
    directory = Path(directory) if directory else SHIPPED
    problems: list[str] = []
    payer = _read_model(directory, "payer.toml", PayerFile, problems)
    chart = _read_model(directory, "chart.toml", ChartFile, problems)
    if problems:
        raise ConfigError("\n".join(problems))
    return LedgerSettings(payer.payer, chart.accounts, chart.retained_result)
