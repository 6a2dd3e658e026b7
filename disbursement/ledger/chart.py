"""The paying authority's chart of accounts (config/chart.toml) and what each kind of account means for the
exports: the SAF-T AccountType, the beancount account name, and whether the balance is carried into next year."""
import re
import unicodedata
from dataclasses import dataclass

from ..config import AuthorityAccounts, ChartAccount, ConfigError, LedgerSettings

SAFT_TYPES = {"asset": "Asset", "liability": "Liability", "equity": "Other", "expense": "Expense"}
BEANCOUNT_ROOTS = {"asset": "Assets", "liability": "Liabilities", "equity": "Equity", "expense": "Expenses"}
CARRIED = {"asset", "liability", "equity"}
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


@dataclass(frozen=True)
class Chart:
    accounts: dict[str, ChartAccount]
    retained_result: str

    @classmethod
    def of(cls, settings: LedgerSettings, authority: AuthorityAccounts) -> "Chart":
        """The chart, checked against accounts.toml: every account a job books on must be in it."""
        used = {authority.bank, authority.payable, authority.collection_claims} | {s.expense for s in authority.supports.values()}
        missing = sorted(used - set(settings.chart))
        if missing:
            raise ConfigError(f"chart.toml: accounts used in accounts.toml are missing from the chart: "
                              f"{', '.join(missing)}")
        return cls(dict(sorted(settings.chart.items())), settings.retained_result)

    def get(self, number: str) -> ChartAccount:
        """An account not in the chart is shown as an expense named after its number (the ledger checks flag it)."""
        return self.accounts.get(number) or ChartAccount(number=number, name=f"account {number} (not in chart.toml)", kind="expense")

    def carried(self, number: str) -> bool:
        """Balance-sheet accounts carry their balance into the next year; expense accounts start again at zero."""
        return self.get(number).kind in CARRIED

    def saft_type(self, number: str) -> str:
        return SAFT_TYPES[self.get(number).kind]

    def beancount_account(self, number: str) -> str:
        """E.g. 'Expenses:5110-Huslejetilskud-inklusionsboliger': root by kind, then number and ASCII name."""
        account = self.get(number)
        ascii_name = unicodedata.normalize("NFKD", account.name.translate(_DANISH)).encode("ascii", "ignore").decode()
        words = re.findall(r"[A-Za-z0-9]+", ascii_name)
        return f"{BEANCOUNT_ROOTS[account.kind]}:{number}-{'-'.join(words) or 'Account'}"
